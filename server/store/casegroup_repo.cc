#include "server/store/casegroup_repo.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/domain/versions.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

using cms::v1::Case;
using cms::v1::Casegroup;

// The segment's name and the case ids come from scalar subqueries, not
// joins: a locking read (FOR UPDATE) of a join locks the joined rows too,
// and would serialise every change to every casegroup of a segment; InnoDB
// takes no lock for the subqueries (checked on MariaDB 10.11). One
// statement reads the whole casegroup.
constexpr char kCasegroupSelect[] =
    "SELECT g.id, g.pp_person_id, g.segment_id, g.allocated_to, g.country, g.routing_rule, "
    "g.version, g.created_us, (SELECT s.system_name FROM segments s WHERE s.id = g.segment_id) "
    "AS system_name, (SELECT GROUP_CONCAT(c.id ORDER BY c.id) FROM cases c WHERE "
    "c.casegroup_id = g.id) AS case_ids FROM casegroups g ";

Casegroup CasegroupOf(const soci::row& r) {
  Casegroup g;
  g.set_id(I64(r, "id"));
  g.set_paying_parent_id(I64(r, "pp_person_id"));
  g.set_owning_segment_id(I64(r, "segment_id"));
  g.set_owning_segment_system_name(Str(r, "system_name"));
  g.set_allocated_to(Str(r, "allocated_to"));
  g.set_country(ParseEnum<cms::v1::Country>(Str(r, "country")).value_or(cms::v1::COUNTRY_GB));
  g.set_routing_rule(Str(r, "routing_rule"));
  g.set_etag(EtagOf(I64(r, "version")));
  SetTimestamp(I64(r, "created_us"), g.mutable_create_time());
  return g;
}

// "3,7,12" (GROUP_CONCAT of the case ids), or NULL for no cases.
void SetCaseIds(const soci::row& r, Casegroup* g) {
  if (IsNull(r, "case_ids")) return;
  for (absl::string_view id : absl::StrSplit(Str(r, "case_ids"), ',')) {
    int64_t value = 0;
    if (absl::SimpleAtoi(id, &value)) g->add_case_ids(value);
  }
}

absl::StatusOr<std::optional<Casegroup>> SelectCasegroup(Tx& tx, const std::string& where,
                                                         long long key, bool for_update) {
  using Out = std::optional<Casegroup>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    soci::row r;
    soci::statement st = (tx.session().prepare << absl::StrCat(kCasegroupSelect, where,
                                                               for_update ? " FOR UPDATE" : ""),
                          soci::use(key), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return Out();
    Casegroup g = CasegroupOf(r);
    SetCaseIds(r, &g);
    return Out(std::move(g));
  });
}

constexpr char kCaseCols[] =
    "id, casegroup_id, pp_person_id, rp_person_id, scheme, lifecycle_stage, service_type, "
    "pp_requested_service_type, rp_requested_service_type, annual_review_date, "
    "application_date, version, created_us";

Case CaseOf(const soci::row& r) {
  Case c;
  c.set_id(I64(r, "id"));
  c.set_casegroup_id(I64(r, "casegroup_id"));
  c.set_paying_parent_id(I64(r, "pp_person_id"));
  c.set_receiving_parent_id(I64(r, "rp_person_id"));
  c.set_scheme(Str(r, "scheme"));
  c.set_lifecycle_stage(EnumCol<cms::v1::LifecycleStage>(r, "lifecycle_stage"));
  c.set_service_type(EnumCol<cms::v1::ServiceType>(r, "service_type"));
  c.set_pp_requested_service_type(EnumCol<cms::v1::ServiceType>(r, "pp_requested_service_type"));
  c.set_rp_requested_service_type(EnumCol<cms::v1::ServiceType>(r, "rp_requested_service_type"));
  *c.mutable_annual_review_date() = DateOf(r, "annual_review_date");
  *c.mutable_application_date() = DateOf(r, "application_date");
  c.set_etag(EtagOf(I64(r, "version")));
  SetTimestamp(I64(r, "created_us"), c.mutable_create_time());
  return c;
}

// kCaseCols of `cases c`, for the read joined with the legacy link.
constexpr char kCaseColsOfC[] =
    "c.id, c.casegroup_id, c.pp_person_id, c.rp_person_id, c.scheme, c.lifecycle_stage, "
    "c.service_type, c.pp_requested_service_type, c.rp_requested_service_type, "
    "c.annual_review_date, c.application_date, c.version, c.created_us";

// The legacy link's columns, read with the case (LEFT JOIN: a case without
// one has them NULL).
constexpr char kLegacyCols[] =
    "l.legacy_system, l.legacy_case_reference, l.method_of_collection, l.deo_kind, "
    "l.active_enforcement_actions, l.t_date, l.order_for_sale, l.committal, l.sisted, "
    "l.driving_disqualification, l.transitional_legal_case, l.bailiff_activity, "
    "l.csa_debt_to_migrate_pence";

void LoadChildren(Tx& tx, Case* c) {
  long long id = c->id();
  soci::rowset<soci::row> kids =
      (tx.session().prepare << "SELECT given_name, family_name, date_of_birth FROM "
                               "case_children WHERE case_id = :c ORDER BY seq",
       soci::use(id));
  for (const soci::row& r : kids) {
    auto* k = c->add_children();
    k->set_given_name(Str(r, "given_name"));
    k->set_family_name(Str(r, "family_name"));
    if (!IsNull(r, "date_of_birth")) *k->mutable_date_of_birth() = DateOf(r, "date_of_birth");
  }
}

void SetLegacy(const soci::row& r, Case* c) {
  if (IsNull(r, "legacy_system")) return;
  auto* l = c->mutable_legacy();
  l->set_system(EnumCol<cms::v1::LegacySystem>(r, "legacy_system"));
  l->set_legacy_case_reference(Str(r, "legacy_case_reference"));
  l->set_method_of_collection(Str(r, "method_of_collection"));
  l->set_deo_kind(EnumCol<cms::v1::LegacyDeoKind>(r, "deo_kind"));
  std::string actions = Str(r, "active_enforcement_actions");
  for (absl::string_view a : absl::StrSplit(actions, ',', absl::SkipEmpty())) {
    l->add_active_enforcement_actions(std::string(a));
  }
  if (!IsNull(r, "t_date")) *l->mutable_t_date() = DateOf(r, "t_date");
  l->set_order_for_sale(Bool(r, "order_for_sale"));
  l->set_committal(Bool(r, "committal"));
  l->set_sisted(Bool(r, "sisted"));
  l->set_driving_disqualification(Bool(r, "driving_disqualification"));
  l->set_transitional_legal_case(Bool(r, "transitional_legal_case"));
  l->set_bailiff_activity(Bool(r, "bailiff_activity"));
  l->set_csa_debt_to_migrate_pence(I64(r, "csa_debt_to_migrate_pence"));
}

void WriteLegacy(Tx& tx, const Case& c) {
  long long id = c.id();
  tx.session() << "DELETE FROM case_legacy_links WHERE case_id = :c", soci::use(id);
  if (!c.has_legacy()) return;
  const auto& l = c.legacy();
  std::string system = ShortName(l.system()), deo = ShortName(l.deo_kind()),
              actions = absl::StrJoin(l.active_enforcement_actions(), ",");
  DateBind t_date(l.t_date());
  int ofs = l.order_for_sale(), com = l.committal(), sis = l.sisted(),
      dd = l.driving_disqualification(), tl = l.transitional_legal_case(),
      bailiffs = l.bailiff_activity();
  long long debt = l.csa_debt_to_migrate_pence();
  tx.session() << "INSERT INTO case_legacy_links (case_id, legacy_system, legacy_case_reference, "
                  "method_of_collection, deo_kind, active_enforcement_actions, t_date, "
                  "order_for_sale, committal, sisted, driving_disqualification, "
                  "transitional_legal_case, bailiff_activity, csa_debt_to_migrate_pence) "
                  "VALUES (:c, :s, :r, :m, :d, :a, :t, :o, :cm, :si, :dd, :tl, :b, :debt)",
      soci::use(id), soci::use(system), soci::use(l.legacy_case_reference()),
      soci::use(l.method_of_collection()), soci::use(deo), soci::use(actions),
      soci::use(t_date.text, t_date.ind), soci::use(ofs), soci::use(com), soci::use(sis),
      soci::use(dd), soci::use(tl), soci::use(bailiffs), soci::use(debt);
}

}  // namespace

absl::StatusOr<int64_t> InsertCasegroup(Tx& tx, const Casegroup& g, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long pp = g.paying_parent_id(), seg = g.owning_segment_id(), first = domain::kFirstVersion;
    std::string country = ShortName(g.country());
    tx.session() << "INSERT INTO casegroups (pp_person_id, segment_id, country, routing_rule, "
                    "version, created_us) VALUES (:pp, :s, :c, :r, :v, :now)",
        soci::use(pp), soci::use(seg), soci::use(country), soci::use(g.routing_rule()),
        soci::use(first), soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

namespace {

// Whole casegroups, one per row of kCasegroupSelect.
std::vector<Casegroup> CasegroupRows(soci::rowset<soci::row>& rows) {
  std::vector<Casegroup> out;
  for (const soci::row& r : rows) {
    Casegroup g = CasegroupOf(r);
    SetCaseIds(r, &g);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<Casegroup>> GetCasegroups(Tx& tx, const std::vector<int64_t>& ids,
                                                     bool for_update) {
  using Out = std::vector<Casegroup>;
  if (ids.empty()) return Out();
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    soci::rowset<soci::row> rows =
        tx.session().prepare << absl::StrCat(kCasegroupSelect, "WHERE g.id IN (", IdList(ids),
                                             ") ORDER BY g.id", for_update ? " FOR UPDATE" : "");
    return CasegroupRows(rows);
  });
}

absl::StatusOr<std::vector<Casegroup>> ListCasegroupsAllocatedTo(Tx& tx,
                                                                 const std::string& staff_id,
                                                                 bool for_update) {
  using Out = std::vector<Casegroup>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    soci::rowset<soci::row> rows = (tx.session().prepare << absl::StrCat(
                                        kCasegroupSelect, "WHERE g.allocated_to = :s ORDER BY g.id",
                                        for_update ? " FOR UPDATE" : ""),
                                    soci::use(staff_id));
    return CasegroupRows(rows);
  });
}

absl::StatusOr<Casegroup> GetCasegroup(Tx& tx, int64_t id, bool for_update) {
  auto g = SelectCasegroup(tx, "WHERE g.id = :id", id, for_update);
  if (!g.ok()) return g.status();
  if (!g->has_value()) return NotFound("casegroup", absl::StrCat(id));
  return **g;
}

absl::StatusOr<std::optional<Casegroup>> FindCasegroupByPayingParent(Tx& tx, int64_t pp_person_id,
                                                                     bool for_update) {
  return SelectCasegroup(tx, "WHERE g.pp_person_id = :pp", pp_person_id, for_update);
}

absl::Status UpdateCasegroupPlacement(Tx& tx, const Casegroup& g) {
  return Guard([&] {
    long long id = g.id(), seg = g.owning_segment_id();
    std::string country = ShortName(g.country());
    StrBind allocated(g.allocated_to());
    tx.session() << "UPDATE casegroups SET segment_id = :s, country = :c, routing_rule = :r, "
                    "allocated_to = :a, version = version + 1 WHERE id = :id",
        soci::use(seg), soci::use(country), soci::use(g.routing_rule()),
        soci::use(allocated.value, allocated.ind), soci::use(id);
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> InsertCase(Tx& tx, const Case& c, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long g = c.casegroup_id(), pp = c.paying_parent_id(), rp = c.receiving_parent_id(),
              first = domain::kFirstVersion;
    std::string stage = ShortName(c.lifecycle_stage()), st = ShortName(c.service_type()),
                pps = ShortName(c.pp_requested_service_type()),
                rps = ShortName(c.rp_requested_service_type());
    DateBind review(c.annual_review_date()), applied(c.application_date());
    tx.session() << "INSERT INTO cases (casegroup_id, pp_person_id, rp_person_id, scheme, "
                    "lifecycle_stage, service_type, pp_requested_service_type, "
                    "rp_requested_service_type, annual_review_date, application_date, version, "
                    "created_us) VALUES (:g, :pp, :rp, :sch, :stg, :st, :pps, :rps, :rev, :app, "
                    ":v, :now)",
        soci::use(g), soci::use(pp), soci::use(rp), soci::use(c.scheme()), soci::use(stage),
        soci::use(st), soci::use(pps), soci::use(rps), soci::use(review.text, review.ind),
        soci::use(applied.text, applied.ind), soci::use(first), soci::use(now_us);
    Case inserted = c;
    inserted.set_id(LastInsertId(tx.session()));
    long long id = inserted.id();
    int seq = 0;
    for (const auto& k : c.children()) {
      ++seq;
      DateBind dob(k.date_of_birth());
      tx.session() << "INSERT INTO case_children (case_id, seq, given_name, family_name, "
                      "date_of_birth) VALUES (:c, :s, :g, :f, :d)",
          soci::use(id), soci::use(seq), soci::use(k.given_name()), soci::use(k.family_name()),
          soci::use(dob.text, dob.ind);
    }
    if (c.has_legacy()) WriteLegacy(tx, inserted);
    return inserted.id();
  });
}

absl::StatusOr<bool> CaseHasLegacyLink(Tx& tx, int64_t case_id) {
  return GuardOr<bool>([&]() -> absl::StatusOr<bool> {
    long long id = case_id, n = 0;
    tx.session() << "SELECT COUNT(*) FROM case_legacy_links WHERE case_id = :c", soci::use(id),
        soci::into(n);
    return n > 0;
  });
}

absl::StatusOr<Case> GetCase(Tx& tx, int64_t id, bool for_update, CaseParts parts) {
  return GuardOr<Case>([&]() -> absl::StatusOr<Case> {
    long long key = id;
    soci::row r;
    soci::statement st =
        (tx.session().prepare << absl::StrCat("SELECT ", kCaseColsOfC, ", ", kLegacyCols,
                                              " FROM cases c LEFT JOIN case_legacy_links l ON "
                                              "l.case_id = c.id WHERE c.id = :id",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return NotFound("case", absl::StrCat(id));
    Case c = CaseOf(r);
    SetLegacy(r, &c);
    if (parts == CaseParts::kWhole) LoadChildren(tx, &c);
    return c;
  });
}

absl::StatusOr<std::vector<Case>> ListCasesOfCasegroup(Tx& tx, int64_t casegroup_id) {
  return GuardOr<std::vector<Case>>([&]() -> absl::StatusOr<std::vector<Case>> {
    long long g = casegroup_id;
    std::vector<Case> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kCaseCols,
                                              " FROM cases WHERE casegroup_id = :g ORDER BY id"),
         soci::use(g));
    for (const soci::row& r : rows) out.push_back(CaseOf(r));
    return out;
  });
}

absl::Status UpdateCase(Tx& tx, const Case& c) {
  return Guard([&] {
    long long id = c.id();
    std::string stage = ShortName(c.lifecycle_stage()),
                pps = ShortName(c.pp_requested_service_type()),
                rps = ShortName(c.rp_requested_service_type());
    DateBind review(c.annual_review_date());
    tx.session() << "UPDATE cases SET lifecycle_stage = :s, annual_review_date = :r, "
                    "pp_requested_service_type = :pps, rp_requested_service_type = :rps, "
                    "version = version + 1 WHERE id = :id",
        soci::use(stage), soci::use(review.text, review.ind), soci::use(pps), soci::use(rps),
        soci::use(id);
    WriteLegacy(tx, c);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<int64_t>> CasegroupsOfPerson(Tx& tx, int64_t person_id) {
  return GuardOr<std::vector<int64_t>>([&]() -> absl::StatusOr<std::vector<int64_t>> {
    long long p = person_id;
    std::vector<int64_t> out;
    soci::rowset<long long> ids =
        (tx.session().prepare << "SELECT DISTINCT casegroup_id FROM cases WHERE pp_person_id = "
                                 ":p1 OR rp_person_id = :p2 ORDER BY casegroup_id",
         soci::use(p), soci::use(p));
    for (long long id : ids) out.push_back(id);
    return out;
  });
}

namespace {

// The viewer's open FU SRs on g: ix_sr_casegroup, then a filter on the
// casegroup's own SRs.
constexpr char kAccessCols[] =
    "SELECT g.id, g.segment_id, s.service_segment, EXISTS (SELECT 1 FROM "
    "service_requests sr WHERE sr.casegroup_id = g.id AND sr.owning_segment_id = :v AND "
    "sr.kind = 'FUNCTIONALLY_UNIQUE' AND sr.is_open = 1) FROM casegroups g JOIN segments s ON "
    "s.id = g.segment_id ";

CasegroupAccessRow AccessRowOf(const soci::row& r) {
  CasegroupAccessRow a;
  a.casegroup_id = I64(r, 0);
  a.owning_segment_id = I64(r, 1);
  a.owning_service_segment = EnumCol<cms::v1::ServiceSegment>(r, 2);
  a.viewer_works_fu_sr = Bool(r, 3);
  return a;
}

}  // namespace

absl::StatusOr<CasegroupAccessRow> GetCasegroupAccess(Tx& tx, int64_t casegroup_id,
                                                      int64_t viewer_segment_id) {
  return GuardOr<CasegroupAccessRow>([&]() -> absl::StatusOr<CasegroupAccessRow> {
    long long v = viewer_segment_id, g = casegroup_id;
    soci::row r;
    soci::statement st = (tx.session().prepare << absl::StrCat(kAccessCols, "WHERE g.id = :g"),
                          soci::use(v), soci::use(g), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return absl::NotFoundError(absl::StrCat("casegroup ", casegroup_id));
    return AccessRowOf(r);
  });
}

absl::StatusOr<std::vector<CasegroupAccessRow>> ListPersonCasegroupAccess(
    Tx& tx, int64_t person_id, int64_t viewer_segment_id) {
  using Out = std::vector<CasegroupAccessRow>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long v = viewer_segment_id, p = person_id;
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(kAccessCols,
                                              "WHERE g.id IN (SELECT casegroup_id FROM cases "
                                              "WHERE pp_person_id = :p1 OR rp_person_id = :p2) "
                                              "ORDER BY g.id"),
         soci::use(v), soci::use(p), soci::use(p));
    for (const soci::row& r : rows) out.push_back(AccessRowOf(r));
    return out;
  });
}

absl::StatusOr<bool> AnyPartyHasCaseElsewhere(Tx& tx, const std::vector<int64_t>& person_ids,
                                              int64_t casegroup_id) {
  return GuardOr<bool>([&]() -> absl::StatusOr<bool> {
    if (person_ids.empty()) return false;
    // One query with a bound placeholder per person, for both columns.
    std::string pp_list, rp_list;
    for (size_t i = 0; i < person_ids.size(); ++i) {
      absl::StrAppend(&pp_list, i == 0 ? "" : ", ", ":pp", i);
      absl::StrAppend(&rp_list, i == 0 ? "" : ", ", ":rp", i);
    }
    std::vector<long long> ids(person_ids.begin(), person_ids.end());
    long long g = casegroup_id, n = 0;
    soci::statement st(tx.session());
    st.alloc();
    for (long long& id : ids) st.exchange(soci::use(id));
    for (long long& id : ids) st.exchange(soci::use(id));
    st.exchange(soci::use(g));
    st.exchange(soci::into(n));
    st.prepare(absl::StrCat("SELECT COUNT(*) FROM cases WHERE (pp_person_id IN (", pp_list,
                            ") OR rp_person_id IN (", rp_list,
                            ")) AND casegroup_id <> :g AND lifecycle_stage <> 'CLOSED'"));
    st.define_and_bind();
    st.execute(true);
    return n > 0;
  });
}

absl::Status InsertCasegroupMove(Tx& tx, const cms::v1::CasegroupMove& m, int64_t now_us) {
  return Guard([&] {
    long long g = m.casegroup_id(), to = m.to_segment_id();
    IdBind from(m.from_segment_id());
    tx.session() << "INSERT INTO casegroup_moves (casegroup_id, from_segment_id, to_segment_id, "
                    "rule_id, trigger_desc, actor, move_us) VALUES (:g, :f, :t, :r, :tr, :a, "
                    ":now)",
        soci::use(g), soci::use(from.value, from.ind), soci::use(to), soci::use(m.rule_id()),
        soci::use(m.trigger()), soci::use(m.actor()), soci::use(now_us);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<cms::v1::CasegroupMove>> ListCasegroupMoves(Tx& tx, int64_t casegroup_id,
                                                                       const PageRequest& page) {
  using Out = std::vector<cms::v1::CasegroupMove>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long g = casegroup_id, after = page.after_id;
    int limit = page.limit;
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << "SELECT id, casegroup_id, from_segment_id, to_segment_id, "
                                 "rule_id, trigger_desc, actor, move_us FROM casegroup_moves "
                                 "WHERE casegroup_id = :g AND id > :a ORDER BY id LIMIT :l",
         soci::use(g), soci::use(after), soci::use(limit));
    for (const soci::row& r : rows) {
      cms::v1::CasegroupMove m;
      m.set_id(I64(r, "id"));
      m.set_casegroup_id(I64(r, "casegroup_id"));
      m.set_from_segment_id(I64(r, "from_segment_id"));
      m.set_to_segment_id(I64(r, "to_segment_id"));
      m.set_rule_id(Str(r, "rule_id"));
      m.set_trigger(Str(r, "trigger_desc"));
      m.set_actor(Str(r, "actor"));
      SetTimestamp(I64(r, "move_us"), m.mutable_move_time());
      out.push_back(std::move(m));
    }
    return out;
  });
}

absl::StatusOr<bool> ViewerWorksOpenFuSrOfType(Tx& tx, int64_t casegroup_id,
                                               int64_t viewer_segment_id,
                                               const std::string& type_code) {
  return GuardOr<bool>([&]() -> absl::StatusOr<bool> {
    long long g = casegroup_id, v = viewer_segment_id;
    int found = 0;
    tx.session() << "SELECT EXISTS (SELECT 1 FROM service_requests WHERE casegroup_id = :g AND "
                    "owning_segment_id = :v AND type_code = :t AND kind = "
                    "'FUNCTIONALLY_UNIQUE' AND is_open = 1)",
        soci::use(g), soci::use(v), soci::use(type_code), soci::into(found);
    return found != 0;
  });
}

}  // namespace cms::store
