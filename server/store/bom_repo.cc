#include "server/store/bom_repo.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/domain/versions.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

using cms::v1::Segment;
using cms::v1::StaffMember;
using cms::v1::Team;

std::string StatusName(cms::v1::LifecycleStatus s) { return ShortName(s); }

cms::v1::LifecycleStatus ParseStatus(const std::string& s) {
  return ParseEnum<cms::v1::LifecycleStatus>(s).value_or(cms::v1::LIFECYCLE_STATUS_UNSPECIFIED);
}

constexpr char kSegmentCols[] =
    "id, country, service_segment, description, code, system_name, status, version, created_us";

Segment SegmentOf(const soci::row& r) {
  Segment s;
  s.set_id(I64(r, "id"));
  s.set_country(
      ParseEnum<cms::v1::Country>(Str(r, "country")).value_or(cms::v1::COUNTRY_UNSPECIFIED));
  s.set_service_segment(ParseEnum<cms::v1::ServiceSegment>(Str(r, "service_segment"))
                            .value_or(cms::v1::SERVICE_SEGMENT_UNSPECIFIED));
  s.set_description(Str(r, "description"));
  s.set_code(Str(r, "code"));
  s.set_system_name(Str(r, "system_name"));
  s.set_status(ParseStatus(Str(r, "status")));
  s.set_etag(EtagOf(I64(r, "version")));
  SetTimestamp(I64(r, "created_us"), s.mutable_create_time());
  return s;
}

constexpr char kTeamCols[] = "id, segment_id, name, status, version, created_us";

Team TeamOf(const soci::row& r) {
  Team t;
  t.set_id(I64(r, "id"));
  t.set_segment_id(I64(r, "segment_id"));
  t.set_name(Str(r, "name"));
  t.set_status(ParseStatus(Str(r, "status")));
  t.set_etag(EtagOf(I64(r, "version")));
  SetTimestamp(I64(r, "created_us"), t.mutable_create_time());
  return t;
}

constexpr char kStaffCols[] = "staff_id, name, role, team_id, segment_id, active, version";

StaffMember StaffOf(const soci::row& r) {
  StaffMember m;
  m.set_staff_id(Str(r, "staff_id"));
  m.set_name(Str(r, "name"));
  m.set_role(ParseEnum<cms::v1::Role>(Str(r, "role")).value_or(cms::v1::ROLE_UNSPECIFIED));
  m.set_team_id(I64(r, "team_id"));
  m.set_segment_id(I64(r, "segment_id"));
  m.set_active(Bool(r, "active"));
  m.set_etag(EtagOf(I64(r, "version")));
  return m;
}

// Reads the one row `sql` selects by `key` (bound as its only parameter).
template <typename T, typename Key, typename Map>
absl::StatusOr<T> GetOne(Tx& tx, const std::string& sql, const Key& key,
                         const std::string& key_text, absl::string_view entity, Map map) {
  return GuardOr<T>([&]() -> absl::StatusOr<T> {
    soci::row r;
    soci::statement st = (tx.session().prepare << sql, soci::use(key), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return NotFound(entity, key_text);
    return map(r);
  });
}

}  // namespace

// ---------------------------------------------------------------- segments

absl::StatusOr<int64_t> InsertSegment(Tx& tx, const Segment& s, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    std::string country = ShortName(s.country()), seg = ShortName(s.service_segment()),
                status = StatusName(s.status());
    long long first = domain::kFirstVersion;
    tx.session() << "INSERT INTO segments (country, service_segment, description, code, "
                    "system_name, status, version, created_us) VALUES (:c, :s, :d, :code, :n, "
                    ":st, :v, :now)",
        soci::use(country), soci::use(seg), soci::use(s.description()), soci::use(s.code()),
        soci::use(s.system_name()), soci::use(status), soci::use(first), soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<Segment> GetSegment(Tx& tx, int64_t id, bool for_update) {
  long long key = id;
  return GetOne<Segment>(tx,
                         absl::StrCat("SELECT ", kSegmentCols, " FROM segments WHERE id = :id",
                                      for_update ? " FOR UPDATE" : ""),
                         key, absl::StrCat(id), "segment", SegmentOf);
}

absl::Status UpdateSegment(Tx& tx, const Segment& s) {
  return Guard([&] {
    std::string status = StatusName(s.status());
    long long id = s.id();
    tx.session() << "UPDATE segments SET description = :d, code = :c, system_name = :n, "
                    "status = :st, version = version + 1 WHERE id = :id",
        soci::use(s.description()), soci::use(s.code()), soci::use(s.system_name()),
        soci::use(status), soci::use(id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Segment>> ListSegments(Tx& tx, const SegmentFilter& f,
                                                  const PageRequest& page) {
  return GuardOr<std::vector<Segment>>([&]() -> absl::StatusOr<std::vector<Segment>> {
    std::string country = f.country == cms::v1::COUNTRY_UNSPECIFIED ? "" : ShortName(f.country);
    std::string seg = f.service_segment == cms::v1::SERVICE_SEGMENT_UNSPECIFIED
                          ? ""
                          : ShortName(f.service_segment);
    int include_retired = f.include_retired ? 1 : 0;
    long long after = page.after_id;
    int limit = page.limit;
    std::vector<Segment> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kSegmentCols,
             " FROM segments WHERE id > :after AND (:c1 = '' OR country = :c2) AND (:s1 = '' OR "
             "service_segment = :s2) AND (:r = 1 OR status = 'ACTIVE') ORDER BY id LIMIT :lim"),
         soci::use(after), soci::use(country), soci::use(country), soci::use(seg), soci::use(seg),
         soci::use(include_retired), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(SegmentOf(r));
    return out;
  });
}

absl::StatusOr<std::vector<Segment>> ListLiveSegments(Tx& tx, cms::v1::Country country) {
  return GuardOr<std::vector<Segment>>([&]() -> absl::StatusOr<std::vector<Segment>> {
    std::string c = ShortName(country);
    std::vector<Segment> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kSegmentCols,
                                              " FROM segments WHERE country = :c AND status = "
                                              "'ACTIVE' ORDER BY id"),
         soci::use(c));
    for (const soci::row& r : rows) out.push_back(SegmentOf(r));
    return out;
  });
}

absl::StatusOr<int64_t> CountSegments(Tx& tx) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long n = 0;
    tx.session() << "SELECT COUNT(*) FROM segments", soci::into(n);
    return n;
  });
}

// ---------------------------------------------------------------- teams

absl::StatusOr<int64_t> InsertTeam(Tx& tx, const Team& t, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long seg = t.segment_id(), first = domain::kFirstVersion;
    std::string status = StatusName(t.status());
    tx.session() << "INSERT INTO teams (segment_id, name, status, version, created_us) VALUES "
                    "(:s, :n, :st, :v, :now)",
        soci::use(seg), soci::use(t.name()), soci::use(status), soci::use(first), soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<Team> GetTeam(Tx& tx, int64_t id, bool for_update) {
  long long key = id;
  return GetOne<Team>(tx,
                      absl::StrCat("SELECT ", kTeamCols, " FROM teams WHERE id = :id",
                                   for_update ? " FOR UPDATE" : ""),
                      key, absl::StrCat(id), "team", TeamOf);
}

absl::Status UpdateTeam(Tx& tx, const Team& t) {
  return Guard([&] {
    std::string status = StatusName(t.status());
    long long id = t.id();
    tx.session()
        << "UPDATE teams SET name = :n, status = :st, version = version + 1 WHERE id = :id",
        soci::use(t.name()), soci::use(status), soci::use(id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Team>> ListTeams(Tx& tx, int64_t segment_id, bool include_retired,
                                            const PageRequest& page) {
  return GuardOr<std::vector<Team>>([&]() -> absl::StatusOr<std::vector<Team>> {
    long long seg = segment_id, after = page.after_id;
    int inc = include_retired ? 1 : 0, limit = page.limit;
    std::vector<Team> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kTeamCols,
             " FROM teams WHERE id > :after AND (:s1 = 0 OR segment_id = :s2) AND (:r = 1 OR "
             "status = 'ACTIVE') ORDER BY id LIMIT :lim"),
         soci::use(after), soci::use(seg), soci::use(seg), soci::use(inc), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(TeamOf(r));
    return out;
  });
}

// ---------------------------------------------------------------- staff

absl::Status InsertStaff(Tx& tx, const StaffMember& m, int64_t now_us) {
  return Guard([&] {
    std::string role = ShortName(m.role());
    IdBind team(m.team_id()), seg(m.segment_id());
    int active = m.active() ? 1 : 0;
    long long first = domain::kFirstVersion;
    tx.session() << "INSERT INTO staff (staff_id, name, role, team_id, segment_id, active, "
                    "version, created_us) VALUES (:id, :n, :r, :t, :s, :a, :v, :now)",
        soci::use(m.staff_id()), soci::use(m.name()), soci::use(role),
        soci::use(team.value, team.ind), soci::use(seg.value, seg.ind), soci::use(active),
        soci::use(first), soci::use(now_us);
    return absl::OkStatus();
  });
}

absl::StatusOr<StaffMember> GetStaff(Tx& tx, const std::string& staff_id, bool for_update) {
  return GetOne<StaffMember>(tx,
                             absl::StrCat("SELECT ", kStaffCols, " FROM staff WHERE staff_id = :id",
                                          for_update ? " FOR UPDATE" : ""),
                             staff_id, staff_id, "staff member", StaffOf);
}

absl::StatusOr<StaffWithSegment> GetStaffWithSegment(Tx& tx, const std::string& staff_id) {
  return GetOne<StaffWithSegment>(
      tx,
      "SELECT s.staff_id, s.name, s.role, s.team_id, s.segment_id, s.active, s.version, "
      "g.country AS segment_country, g.service_segment AS segment_kind FROM staff s "
      "LEFT JOIN segments g ON g.id = s.segment_id WHERE s.staff_id = :id",
      staff_id, staff_id, "staff member", [](const soci::row& r) {
        StaffWithSegment out;
        out.staff = StaffOf(r);
        out.segment_country = ParseEnum<cms::v1::Country>(Str(r, "segment_country"))
                                  .value_or(cms::v1::COUNTRY_UNSPECIFIED);
        out.service_segment = ParseEnum<cms::v1::ServiceSegment>(Str(r, "segment_kind"))
                                  .value_or(cms::v1::SERVICE_SEGMENT_UNSPECIFIED);
        return out;
      });
}

absl::Status UpdateStaff(Tx& tx, const StaffMember& m) {
  return Guard([&] {
    std::string role = ShortName(m.role());
    IdBind team(m.team_id()), seg(m.segment_id());
    int active = m.active() ? 1 : 0;
    tx.session() << "UPDATE staff SET name = :n, role = :r, team_id = :t, segment_id = :s, "
                    "active = :a, version = version + 1 WHERE staff_id = :id",
        soci::use(m.name()), soci::use(role), soci::use(team.value, team.ind),
        soci::use(seg.value, seg.ind), soci::use(active), soci::use(m.staff_id());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<StaffMember>> ListStaff(Tx& tx, const StaffFilter& f,
                                                   const std::string& after_staff_id, int limit) {
  return GuardOr<std::vector<StaffMember>>([&]() -> absl::StatusOr<std::vector<StaffMember>> {
    long long team = f.team_id, seg = f.segment_id;
    int inc = f.include_inactive ? 1 : 0;
    std::vector<StaffMember> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kStaffCols,
             " FROM staff WHERE staff_id > :after AND (:t1 = 0 OR team_id = :t2) AND (:s1 = 0 "
             "OR segment_id = :s2) AND (:i = 1 OR active = 1) ORDER BY staff_id LIMIT :lim"),
         soci::use(after_staff_id), soci::use(team), soci::use(team), soci::use(seg),
         soci::use(seg), soci::use(inc), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(StaffOf(r));
    return out;
  });
}

absl::StatusOr<Dependents> SegmentDependents(Tx& tx, int64_t segment_id) {
  return GuardOr<Dependents>([&]() -> absl::StatusOr<Dependents> {
    Dependents d;
    long long seg = segment_id, n = 0;
    tx.session() << "SELECT COUNT(*) FROM casegroups WHERE segment_id = :s", soci::use(seg),
        soci::into(n);
    d.casegroups = n;
    tx.session() << "SELECT COUNT(*) FROM service_requests WHERE owning_segment_id = :s AND "
                    "is_open = 1",
        soci::use(seg), soci::into(n);
    d.open_service_requests = n;
    tx.session() << "SELECT COUNT(*) FROM teams WHERE segment_id = :s AND status = 'ACTIVE'",
        soci::use(seg), soci::into(n);
    d.active_teams = n;
    tx.session() << "SELECT COUNT(*) FROM staff WHERE segment_id = :s AND active = 1",
        soci::use(seg), soci::into(n);
    d.active_staff = n;
    return d;
  });
}

absl::StatusOr<int64_t> ActiveStaffInTeam(Tx& tx, int64_t team_id) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long team = team_id, n = 0;
    tx.session() << "SELECT COUNT(*) FROM staff WHERE team_id = :t AND active = 1", soci::use(team),
        soci::into(n);
    return n;
  });
}

}  // namespace cms::store
