#include "server/store/assurance_repo.h"

#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/status_macros.h"
#include "server/domain/sampling.h"
#include "server/domain/versions.h"
#include "server/store/row_util.h"
#include "server/store/stored_body.h"

namespace cms::store {
namespace {

using cms::v1::AssuranceCheck;
using cms::v1::AssuranceFeedback;
using cms::v1::AssuranceSample;
using cms::v1::AssuranceSampleItem;
using cms::v1::CorrectiveAction;
using Items = std::vector<AssuranceSampleItem>;

std::string IdOrNull(int64_t id) { return id == 0 ? "NULL" : absl::StrCat(id); }

std::string CountryOrEmpty(cms::v1::Country c) {
  return c == cms::v1::COUNTRY_UNSPECIFIED ? std::string() : ShortName(c);
}

// Ids below page.after_id for lists newest first (0: from the newest).
long long Before(const PageRequest& page) {
  return page.after_id == 0 ? std::numeric_limits<long long>::max() : page.after_id;
}

// The quoted list "'a', 'b'" of staff ids; "''" for none (matches nothing).
std::string StaffList(Tx& tx, const std::vector<std::string>& ids) {
  if (ids.empty()) return "''";
  std::string out;
  for (const std::string& id : ids) absl::StrAppend(&out, out.empty() ? "" : ", ", tx.Quote(id));
  return out;
}

// ---- sampling

// The binds every sampling statement shares, in the order its text names
// them (SOCI binds by position).
struct SampleBinds {
  explicit SampleBinds(const SampleQuery& q)
      : seed(q.seed),
        from(q.start_us),
        to(q.end_us),
        country(ShortName(q.country)),
        case_id(q.targets.case_id()),
        casegroup_id(q.targets.casegroup_id()),
        segment_id(q.targets.segment_id()),
        team_id(q.targets.team_id()),
        sr_type(q.targets.sr_type_code()),
        decision_type(q.targets.decision_type() == cms::v1::BUSINESS_DECISION_TYPE_UNSPECIFIED
                          ? std::string()
                          : ShortName(q.targets.decision_type())),
        below(static_cast<long long>(q.below)),
        limit(q.limit) {}
  std::string seed;
  long long from, to;
  std::string country;
  long long case_id, casegroup_id, segment_id, team_id;
  std::string sr_type, decision_type;
  long long below;
  int limit;
};

// The targets' conditions on the statement's columns, with the binds
// :case … :type2 in SampleBinds' order.
std::string TargetSql(absl::string_view case_col, absl::string_view casegroup_col,
                      absl::string_view segment_col, absl::string_view team_col,
                      absl::string_view type_col) {
  return absl::StrCat(" AND (:case = 0 OR ", case_col, " = :case2) AND (:cg = 0 OR ", casegroup_col,
                      " = :cg2) AND (:seg = 0 OR ", segment_col, " = :seg2) AND (:team = 0 OR ",
                      team_col, " = :team2) AND (:type = '' OR ", type_col, " = :type2)");
}

// The period, the country (special client records left out: nobody
// outside that segment reads anything of it, X13.1) and the targets.
std::string WhereSql(absl::string_view time_col, absl::string_view case_col,
                     absl::string_view casegroup_col, absl::string_view segment_col,
                     absl::string_view team_col, absl::string_view type_col) {
  return absl::StrCat(" WHERE ", time_col, " >= :from AND ", time_col,
                      " < :to AND sg.country = :country AND sg.service_segment <> "
                      "'SPECIAL_CLIENT_RECORDS'",
                      TargetSql(case_col, casegroup_col, segment_col, team_col, type_col));
}

// Each sampling statement joins its tables in the order it names them, the
// sampled table first (SRs, activities, decisions), so the period (or a
// target) decides how its rows are found. Left to itself MariaDB started
// from the country's segments on the 1M book and read every SR, activity or
// decision of each through the segment's index: its sampled statistics put
// some 2,800 SRs in a segment that holds 3 million (a month's activities
// took 51 s that way, 0.4 s in this order; SRs 2.5 s against 1.7 s).
constexpr char kSampleSelect[] = "SELECT STRAIGHT_JOIN ";

// The rate condition and the order: smallest hash first.
std::string ChoiceSql(cms::v1::AssuranceItemKind kind, absl::string_view id_col) {
  return absl::StrCat(" AND (:below = 0 OR ", SampleHashSql(":seed2", kind, id_col),
                      " < :below2) ORDER BY h, ", id_col, " LIMIT :limit");
}

// Runs a sampling statement (kSampleSelect, its columns and joins, WhereSql,
// its own conditions, ChoiceSql) with `b` bound in the order those name
// them: the seed, the period, the country, the targets' pairs, the decision
// type's pair when the statement filters by it, then the choice's binds.
// SOCI binds by reference: `b` must outlive the rowset.
soci::rowset<soci::row> SampleRows(Tx& tx, const SampleBinds& b, const std::string& sql,
                                   bool by_decision_type = false) {
  soci::details::prepare_temp_type st = (tx.session().prepare << sql);
  st, soci::use(b.seed), soci::use(b.from), soci::use(b.to), soci::use(b.country),
      soci::use(b.case_id), soci::use(b.case_id), soci::use(b.casegroup_id),
      soci::use(b.casegroup_id), soci::use(b.segment_id), soci::use(b.segment_id),
      soci::use(b.team_id), soci::use(b.team_id), soci::use(b.sr_type), soci::use(b.sr_type);
  if (by_decision_type) st, soci::use(b.decision_type), soci::use(b.decision_type);
  st, soci::use(b.below), soci::use(b.seed), soci::use(b.below), soci::use(b.limit);
  return soci::rowset<soci::row>(st);
}

AssuranceSampleItem SampledOf(const soci::row& r, cms::v1::AssuranceItemKind kind) {
  AssuranceSampleItem i;
  i.set_kind(kind);
  i.set_item_id(I64(r, "item_id"));
  i.set_caseworker(Str(r, "caseworker"));
  i.set_segment_id(I64(r, "segment_id"));
  i.set_team_id(I64(r, "team_id"));
  i.set_case_id(I64(r, "case_id"));
  i.set_casegroup_id(I64(r, "casegroup_id"));
  i.set_service_request_id(I64(r, "sr_id"));
  i.set_sr_type_code(Str(r, "sr_type"));
  SetTimestamp(I64(r, "occurred_us"), i.mutable_occur_time());
  i.set_hash(static_cast<uint64_t>(I64(r, "h")));
  return i;
}

// ---- samples and items

std::string SampleBody(AssuranceSample s) {
  s.clear_id();
  s.clear_items();
  s.clear_item_count();
  s.clear_drawn_by();
  s.clear_draw_time();
  s.clear_country();
  s.clear_segment_id();
  return EncodeProto(s);
}

constexpr char kSampleCols[] =
    "id, country, segment_id, drawn_by, item_count, body_b64, created_us";

AssuranceSample SampleOf(const soci::row& r) {
  AssuranceSample s;
  DecodeProto(Str(r, "body_b64"), &s);
  s.set_id(I64(r, "id"));
  s.set_country(EnumCol<cms::v1::Country>(r, "country"));
  s.set_segment_id(I64(r, "segment_id"));
  s.set_drawn_by(Str(r, "drawn_by"));
  s.set_item_count(static_cast<int32_t>(I64(r, "item_count")));
  SetTimestamp(I64(r, "created_us"), s.mutable_draw_time());
  return s;
}

constexpr char kItemCols[] =
    "i.id, i.sample_id, i.kind, i.item_id, i.caseworker, i.segment_id, i.team_id, i.case_id, "
    "i.casegroup_id, i.sr_id, i.sr_type, i.decision_type, i.decision_entity_type, "
    "i.decision_entity_id, i.occurred_us, i.hash";

AssuranceSampleItem ItemOf(const soci::row& r) {
  AssuranceSampleItem i;
  i.set_id(I64(r, "id"));
  i.set_sample_id(I64(r, "sample_id"));
  i.set_kind(EnumCol<cms::v1::AssuranceItemKind>(r, "kind"));
  i.set_item_id(I64(r, "item_id"));
  i.set_caseworker(Str(r, "caseworker"));
  i.set_segment_id(I64(r, "segment_id"));
  i.set_team_id(I64(r, "team_id"));
  i.set_case_id(I64(r, "case_id"));
  i.set_casegroup_id(I64(r, "casegroup_id"));
  i.set_service_request_id(I64(r, "sr_id"));
  i.set_sr_type_code(Str(r, "sr_type"));
  i.set_decision_type(EnumCol<cms::v1::BusinessDecisionType>(r, "decision_type"));
  i.set_decision_entity_type(Str(r, "decision_entity_type"));
  i.set_decision_entity_id(I64(r, "decision_entity_id"));
  SetTimestamp(I64(r, "occurred_us"), i.mutable_occur_time());
  i.set_hash(static_cast<uint64_t>(I64(r, "hash")));
  return i;
}

// ---- checks

// The body without what the row's own columns carry, nor what a read adds.
std::string CheckBody(AssuranceCheck c) {
  c.clear_id();
  c.clear_check_time();
  c.clear_superseded_by_check_id();
  return EncodeProto(c);
}

// Every check column, and the correction that superseded it (0: none).
constexpr char kCheckSelect[] =
    "SELECT c.id, c.body_b64, c.checked_us, c.country, n.id AS superseded_by "
    "FROM assurance_checks c LEFT JOIN assurance_checks n ON n.corrects_check_id = c.id ";

AssuranceCheck CheckOf(const soci::row& r) {
  AssuranceCheck c;
  DecodeProto(Str(r, "body_b64"), &c);
  c.set_id(I64(r, "id"));
  SetTimestamp(I64(r, "checked_us"), c.mutable_check_time());
  c.set_superseded_by_check_id(I64(r, "superseded_by"));
  return c;
}

// ---- feedback

constexpr char kFeedbackSelect[] =
    "SELECT f.id, f.check_id, f.sample_item_id, f.country, f.caseworker, f.casegroup_id, f.text, "
    "f.corrects_feedback_id, f.given_by, f.given_us, n.id AS superseded_by "
    "FROM assurance_feedback f LEFT JOIN assurance_feedback n ON n.corrects_feedback_id = f.id ";

AssuranceFeedback FeedbackOf(const soci::row& r) {
  AssuranceFeedback f;
  f.set_id(I64(r, "id"));
  f.set_check_id(I64(r, "check_id"));
  f.set_sample_item_id(I64(r, "sample_item_id"));
  f.set_caseworker(Str(r, "caseworker"));
  f.set_casegroup_id(I64(r, "casegroup_id"));
  f.set_text(Str(r, "text"));
  f.set_corrects_feedback_id(I64(r, "corrects_feedback_id"));
  f.set_superseded_by_feedback_id(I64(r, "superseded_by"));
  f.set_given_by(Str(r, "given_by"));
  SetTimestamp(I64(r, "given_us"), f.mutable_give_time());
  return f;
}

// ---- corrective actions

constexpr char kActionCols[] =
    "id, check_id, sample_item_id, country, caseworker, team_id, casegroup_id, description, "
    "assigned_to, due_date, state, set_by, completed_by, completion_note, completed_us, version, "
    "created_us";

CorrectiveAction ActionOf(const soci::row& r) {
  CorrectiveAction a;
  a.set_id(I64(r, "id"));
  a.set_check_id(I64(r, "check_id"));
  a.set_sample_item_id(I64(r, "sample_item_id"));
  a.set_caseworker(Str(r, "caseworker"));
  a.set_team_id(I64(r, "team_id"));
  a.set_casegroup_id(I64(r, "casegroup_id"));
  a.set_description(Str(r, "description"));
  a.set_assigned_to(Str(r, "assigned_to"));
  *a.mutable_due_date() = DateOf(r, "due_date");
  a.set_state(EnumCol<cms::v1::CorrectiveActionState>(r, "state"));
  a.set_set_by(Str(r, "set_by"));
  a.set_completed_by(Str(r, "completed_by"));
  a.set_completion_note(Str(r, "completion_note"));
  if (!IsNull(r, "completed_us")) SetTimestamp(I64(r, "completed_us"), a.mutable_complete_time());
  a.set_etag(EtagOf(I64(r, "version")));
  SetTimestamp(I64(r, "created_us"), a.mutable_create_time());
  return a;
}

}  // namespace

std::string SampleHashSql(absl::string_view seed, cms::v1::AssuranceItemKind kind,
                          absl::string_view id_column) {
  // The twin of domain::SampleHash.
  return absl::StrCat("CAST(CONV(LEFT(MD5(CONCAT(", seed, ", ':", domain::SampleKindLabel(kind),
                      ":', ", id_column, ")), 15), 16, 10) AS UNSIGNED)");
}

absl::StatusOr<Items> SampleServiceRequests(Tx& tx, const SampleQuery& q) {
  return GuardOr<Items>([&]() -> absl::StatusOr<Items> {
    constexpr auto kKind = cms::v1::ASSURANCE_ITEM_KIND_SERVICE_REQUEST;
    SampleBinds b(q);
    Items out;
    soci::rowset<soci::row> rows = SampleRows(
        tx, b,
        absl::StrCat(
            kSampleSelect,
            "sr.id AS item_id, COALESCE(sr.allocated_to, sr.created_by) AS caseworker, "
            "sr.owning_segment_id AS segment_id, st.team_id, sr.case_id, sr.casegroup_id, "
            "sr.id AS sr_id, sr.type_code AS sr_type, sr.created_us AS occurred_us, ",
            SampleHashSql(":seed", kKind, "sr.id"),
            " AS h FROM service_requests sr JOIN segments sg ON sg.id = sr.owning_segment_id "
            "LEFT JOIN staff st ON st.staff_id = COALESCE(sr.allocated_to, sr.created_by)",
            WhereSql("sr.created_us", "sr.case_id", "sr.casegroup_id", "sr.owning_segment_id",
                     "st.team_id", "sr.type_code"),
            ChoiceSql(kKind, "sr.id")));
    for (const soci::row& r : rows) out.push_back(SampledOf(r, kKind));
    return out;
  });
}

absl::StatusOr<Items> SampleActivities(Tx& tx, const SampleQuery& q) {
  return GuardOr<Items>([&]() -> absl::StatusOr<Items> {
    constexpr auto kKind = cms::v1::ASSURANCE_ITEM_KIND_ACTIVITY;
    SampleBinds b(q);
    Items out;
    soci::rowset<soci::row> rows = SampleRows(
        tx, b,
        absl::StrCat(
            kSampleSelect,
            "a.id AS item_id, a.completed_by AS caseworker, sr.owning_segment_id AS "
            "segment_id, st.team_id, sr.case_id, sr.casegroup_id, sr.id AS sr_id, sr.type_code "
            "AS sr_type, a.complete_us AS occurred_us, ",
            SampleHashSql(":seed", kKind, "a.id"),
            " AS h FROM sr_activities a JOIN service_requests sr ON sr.id = a.sr_id "
            "JOIN segments sg ON sg.id = sr.owning_segment_id "
            "LEFT JOIN staff st ON st.staff_id = a.completed_by",
            WhereSql("a.complete_us", "sr.case_id", "sr.casegroup_id", "sr.owning_segment_id",
                     "st.team_id", "sr.type_code"),
            " AND a.status <> 'OPEN'", ChoiceSql(kKind, "a.id")));
    for (const soci::row& r : rows) out.push_back(SampledOf(r, kKind));
    return out;
  });
}

absl::StatusOr<Items> SampleDecisions(Tx& tx, const SampleQuery& q) {
  return GuardOr<Items>([&]() -> absl::StatusOr<Items> {
    constexpr auto kKind = cms::v1::ASSURANCE_ITEM_KIND_DECISION;
    SampleBinds b(q);
    Items out;
    soci::rowset<soci::row> rows = SampleRows(
        tx, b,
        absl::StrCat(
            kSampleSelect,
            "d.id AS item_id, d.actor AS caseworker, d.segment_id, d.team_id, d.case_id, "
            "d.casegroup_id, d.sr_id, d.sr_type, d.decided_us AS occurred_us, d.decision_type, "
            "d.entity_type, d.entity_id, ",
            SampleHashSql(":seed", kKind, "d.id"),
            " AS h FROM business_decisions d JOIN segments sg ON sg.id = d.segment_id",
            WhereSql("d.decided_us", "d.case_id", "d.casegroup_id", "d.segment_id", "d.team_id",
                     "d.sr_type"),
            " AND (:dt = '' OR d.decision_type = :dt2)", ChoiceSql(kKind, "d.id")),
        /*by_decision_type=*/true);
    for (const soci::row& r : rows) {
      AssuranceSampleItem i = SampledOf(r, kKind);
      i.set_decision_type(EnumCol<cms::v1::BusinessDecisionType>(r, "decision_type"));
      i.set_decision_entity_type(Str(r, "entity_type"));
      i.set_decision_entity_id(I64(r, "entity_id"));
      out.push_back(std::move(i));
    }
    return out;
  });
}

absl::StatusOr<Items> SampleItems(Tx& tx, const SampleQuery& q,
                                  const google::protobuf::RepeatedField<int>& kinds) {
  Items items;
  for (int k : kinds) {
    absl::StatusOr<Items> got;
    switch (static_cast<cms::v1::AssuranceItemKind>(k)) {
      case cms::v1::ASSURANCE_ITEM_KIND_SERVICE_REQUEST:
        got = SampleServiceRequests(tx, q);
        break;
      case cms::v1::ASSURANCE_ITEM_KIND_ACTIVITY:
        got = SampleActivities(tx, q);
        break;
      default:
        got = SampleDecisions(tx, q);
        break;
    }
    CMS_RETURN_IF_ERROR(got.status());
    for (AssuranceSampleItem& i : *got) items.push_back(std::move(i));
  }
  return items;
}

absl::StatusOr<int64_t> InsertAssuranceSample(Tx& tx, const AssuranceSample& s, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    std::string country = ShortName(s.country()), by = s.drawn_by(), body = SampleBody(s);
    long long segment = s.segment_id();
    int count = s.item_count();
    tx.session() << "INSERT INTO assurance_samples (country, segment_id, drawn_by, item_count, "
                    "body_b64, created_us) VALUES (:c, :g, :d, :n, :b, :t)",
        soci::use(country), soci::use(segment), soci::use(by), soci::use(count), soci::use(body),
        soci::use(now_us);
    return static_cast<int64_t>(LastInsertId(tx.session()));
  });
}

absl::Status InsertSampleItems(Tx& tx, int64_t sample_id, const Items& items) {
  return Guard([&] {
    // In the order chosen (ids ascending with it), 500 rows a statement.
    constexpr size_t kChunk = 500;
    for (size_t start = 0; start < items.size(); start += kChunk) {
      std::string sql =
          "INSERT INTO assurance_sample_items (sample_id, kind, item_id, caseworker, segment_id, "
          "team_id, case_id, casegroup_id, sr_id, sr_type, decision_type, decision_entity_type, "
          "decision_entity_id, occurred_us, hash) VALUES ";
      for (size_t n = start; n < items.size() && n < start + kChunk; ++n) {
        const AssuranceSampleItem& i = items[n];
        const bool decision = i.kind() == cms::v1::ASSURANCE_ITEM_KIND_DECISION;
        absl::StrAppend(&sql, n == start ? "(" : ", (", sample_id, ", ",
                        tx.Quote(ShortName(i.kind())), ", ", i.item_id(), ", ",
                        tx.Quote(i.caseworker()), ", ", i.segment_id(), ", ", IdOrNull(i.team_id()),
                        ", ", IdOrNull(i.case_id()), ", ", i.casegroup_id(), ", ",
                        IdOrNull(i.service_request_id()), ", ",
                        i.sr_type_code().empty() ? "NULL" : tx.Quote(i.sr_type_code()), ", ",
                        decision ? tx.Quote(ShortName(i.decision_type())) : "NULL", ", ",
                        decision ? tx.Quote(i.decision_entity_type()) : "NULL", ", ",
                        decision ? absl::StrCat(i.decision_entity_id()) : "NULL", ", ",
                        google::protobuf::util::TimeUtil::TimestampToMicroseconds(i.occur_time()),
                        ", ", static_cast<long long>(i.hash()), ")");
      }
      tx.session() << sql;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<AssuranceSample> GetAssuranceSample(Tx& tx, int64_t id, bool items) {
  return GuardOr<AssuranceSample>([&]() -> absl::StatusOr<AssuranceSample> {
    long long key = id;
    std::optional<AssuranceSample> s;
    {
      soci::rowset<soci::row> rows =
          (tx.session().prepare << absl::StrCat("SELECT ", kSampleCols,
                                                " FROM assurance_samples WHERE id = :k"),
           soci::use(key));
      for (const soci::row& r : rows) s = SampleOf(r);
    }
    if (!s) return NotFound("assurance sample", absl::StrCat(id));
    if (!items) return *std::move(s);
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kItemCols,
             ", c.id AS check_id, c.outcome FROM assurance_sample_items i "
             "LEFT JOIN assurance_checks c ON c.sample_item_id = i.id AND NOT EXISTS (SELECT 1 "
             "FROM assurance_checks n WHERE n.corrects_check_id = c.id) "
             "WHERE i.sample_id = :k ORDER BY i.id"),
         soci::use(key));
    for (const soci::row& r : rows) {
      AssuranceSampleItem* i = s->add_items();
      *i = ItemOf(r);
      i->set_current_check_id(I64(r, "check_id"));
      i->set_current_outcome(EnumCol<cms::v1::AssuranceResult>(r, "outcome"));
    }
    return *std::move(s);
  });
}

absl::StatusOr<std::vector<AssuranceSample>> ListAssuranceSamples(Tx& tx, cms::v1::Country country,
                                                                  const PageRequest& page) {
  using Samples = std::vector<AssuranceSample>;
  return GuardOr<Samples>([&]() -> absl::StatusOr<Samples> {
    std::string c = CountryOrEmpty(country);
    long long before = Before(page), limit = page.limit;
    Samples out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kSampleCols,
                                              " FROM assurance_samples WHERE id < :b AND (:c = '' "
                                              "OR country = :c2) ORDER BY id DESC LIMIT :l"),
         soci::use(before), soci::use(c), soci::use(c), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(SampleOf(r));
    return out;
  });
}

absl::StatusOr<SampledItem> GetSampleItem(Tx& tx, int64_t id, bool for_update) {
  return GuardOr<SampledItem>([&]() -> absl::StatusOr<SampledItem> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kItemCols,
             ", s.country FROM assurance_sample_items i JOIN assurance_samples s ON s.id = "
             "i.sample_id WHERE i.id = :k",
             for_update ? " FOR UPDATE" : ""),
         soci::use(key));
    for (const soci::row& r : rows) {
      return SampledItem{ItemOf(r), EnumCol<cms::v1::Country>(r, "country")};
    }
    return NotFound("sampled item", absl::StrCat(id));
  });
}

absl::StatusOr<Items> ListOpenSampleItems(Tx& tx, cms::v1::Country country, int64_t sample_id,
                                          const PageRequest& page) {
  return GuardOr<Items>([&]() -> absl::StatusOr<Items> {
    std::string c = CountryOrEmpty(country);
    long long sample = sample_id, after = page.after_id, limit = page.limit;
    Items out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kItemCols,
             " FROM assurance_sample_items i JOIN assurance_samples s ON s.id = i.sample_id "
             "WHERE i.id > :a AND (:s = 0 OR i.sample_id = :s2) AND (:c = '' OR s.country = :c2) "
             "AND NOT EXISTS (SELECT 1 FROM assurance_checks c WHERE c.sample_item_id = i.id) "
             "ORDER BY i.id LIMIT :l"),
         soci::use(after), soci::use(sample), soci::use(sample), soci::use(c), soci::use(c),
         soci::use(limit));
    for (const soci::row& r : rows) out.push_back(ItemOf(r));
    return out;
  });
}

absl::StatusOr<AssuranceCheck> InsertAssuranceCheck(Tx& tx, AssuranceCheck c,
                                                    cms::v1::Country country, int64_t now_us) {
  return GuardOr<AssuranceCheck>([&]() -> absl::StatusOr<AssuranceCheck> {
    std::string ctry = ShortName(country), cw = c.caseworker(), outcome = ShortName(c.outcome()),
                by = c.checked_by(), body = CheckBody(c);
    long long item = c.sample_item_id(), sample = c.sample_id();
    IdBind team(c.team_id()), corrects(c.corrects_check_id());
    tx.session() << "INSERT INTO assurance_checks (sample_item_id, sample_id, country, "
                    "caseworker, team_id, outcome, corrects_check_id, checked_by, body_b64, "
                    "checked_us) VALUES (:i, :s, :c, :w, :t, :o, :x, :b, :y, :now)",
        soci::use(item), soci::use(sample), soci::use(ctry), soci::use(cw),
        soci::use(team.value, team.ind), soci::use(outcome),
        soci::use(corrects.value, corrects.ind), soci::use(by), soci::use(body), soci::use(now_us);
    c.set_id(LastInsertId(tx.session()));
    SetTimestamp(now_us, c.mutable_check_time());
    return c;
  });
}

absl::StatusOr<AssuranceCheck> GetAssuranceCheck(Tx& tx, int64_t id, cms::v1::Country* country) {
  return GuardOr<AssuranceCheck>([&]() -> absl::StatusOr<AssuranceCheck> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(kCheckSelect, "WHERE c.id = :k"), soci::use(key));
    for (const soci::row& r : rows) {
      if (country != nullptr) *country = EnumCol<cms::v1::Country>(r, "country");
      return CheckOf(r);
    }
    return NotFound("assurance check", absl::StrCat(id));
  });
}

absl::StatusOr<std::optional<AssuranceCheck>> CurrentCheckOfItem(Tx& tx, int64_t sample_item_id) {
  using Out = std::optional<AssuranceCheck>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long key = sample_item_id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(kCheckSelect,
                                              "WHERE c.sample_item_id = :k AND n.id IS NULL"),
         soci::use(key));
    for (const soci::row& r : rows) return Out(CheckOf(r));
    return Out();
  });
}

absl::StatusOr<std::vector<AssuranceCheck>> ListAssuranceChecks(Tx& tx, const CheckFilter& f,
                                                                const PageRequest& page) {
  using Checks = std::vector<AssuranceCheck>;
  return GuardOr<Checks>([&]() -> absl::StatusOr<Checks> {
    std::string c = CountryOrEmpty(f.country), cw = f.caseworker,
                outcome = f.outcome == cms::v1::ASSURANCE_RESULT_UNSPECIFIED ? std::string()
                                                                             : ShortName(f.outcome);
    long long sample = f.sample_id, before = Before(page), limit = page.limit;
    int all = f.include_superseded ? 1 : 0;
    Checks out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             kCheckSelect,
             "WHERE c.id < :b AND (:c = '' OR c.country = :c2) AND (:s = 0 OR c.sample_id = :s2) "
             "AND (:w = '' OR c.caseworker = :w2) AND (:o = '' OR c.outcome = :o2) AND (:all = 1 "
             "OR n.id IS NULL) ORDER BY c.id DESC LIMIT :l"),
         soci::use(before), soci::use(c), soci::use(c), soci::use(sample), soci::use(sample),
         soci::use(cw), soci::use(cw), soci::use(outcome), soci::use(outcome), soci::use(all),
         soci::use(limit));
    for (const soci::row& r : rows) out.push_back(CheckOf(r));
    return out;
  });
}

absl::StatusOr<std::vector<AssuranceCheck>> CurrentChecksOfWork(
    Tx& tx, const std::vector<std::string>& caseworkers, int64_t start_us, int64_t end_us) {
  using Checks = std::vector<AssuranceCheck>;
  return GuardOr<Checks>([&]() -> absl::StatusOr<Checks> {
    long long from = start_us, to = end_us;
    Checks out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(kCheckSelect, "WHERE c.caseworker IN (",
                                              StaffList(tx, caseworkers),
                                              ") AND c.checked_us >= :f AND c.checked_us < :t AND "
                                              "n.id IS NULL ORDER BY c.id"),
         soci::use(from), soci::use(to));
    for (const soci::row& r : rows) out.push_back(CheckOf(r));
    return out;
  });
}

absl::StatusOr<AssuranceFeedback> InsertAssuranceFeedback(Tx& tx, AssuranceFeedback f,
                                                          cms::v1::Country country,
                                                          int64_t now_us) {
  return GuardOr<AssuranceFeedback>([&]() -> absl::StatusOr<AssuranceFeedback> {
    std::string ctry = ShortName(country), cw = f.caseworker(), text = f.text(), by = f.given_by();
    long long check = f.check_id(), item = f.sample_item_id(), group = f.casegroup_id();
    IdBind corrects(f.corrects_feedback_id());
    tx.session() << "INSERT INTO assurance_feedback (check_id, sample_item_id, country, "
                    "caseworker, casegroup_id, text, corrects_feedback_id, given_by, given_us) "
                    "VALUES (:k, :i, :c, :w, :g, :t, :x, :b, :now)",
        soci::use(check), soci::use(item), soci::use(ctry), soci::use(cw), soci::use(group),
        soci::use(text), soci::use(corrects.value, corrects.ind), soci::use(by), soci::use(now_us);
    f.set_id(LastInsertId(tx.session()));
    SetTimestamp(now_us, f.mutable_give_time());
    return f;
  });
}

absl::StatusOr<AssuranceFeedback> GetAssuranceFeedback(Tx& tx, int64_t id) {
  return GuardOr<AssuranceFeedback>([&]() -> absl::StatusOr<AssuranceFeedback> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(kFeedbackSelect, "WHERE f.id = :k"), soci::use(key));
    for (const soci::row& r : rows) return FeedbackOf(r);
    return NotFound("assurance feedback", absl::StrCat(id));
  });
}

absl::StatusOr<std::vector<AssuranceFeedback>> ListAssuranceFeedback(Tx& tx,
                                                                     const FeedbackFilter& f,
                                                                     const PageRequest& page) {
  using Out = std::vector<AssuranceFeedback>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    std::string c = CountryOrEmpty(f.country), cw = f.caseworker;
    long long check = f.check_id, before = Before(page), limit = page.limit;
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             kFeedbackSelect,
             "WHERE f.id < :b AND (:c = '' OR f.country = :c2) AND (:k = 0 OR f.check_id = :k2) "
             "AND (:w = '' OR f.caseworker = :w2) ORDER BY f.id DESC LIMIT :l"),
         soci::use(before), soci::use(c), soci::use(c), soci::use(check), soci::use(check),
         soci::use(cw), soci::use(cw), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(FeedbackOf(r));
    return out;
  });
}

absl::StatusOr<CorrectiveAction> InsertCorrectiveAction(Tx& tx, CorrectiveAction a,
                                                        cms::v1::Country country, int64_t now_us) {
  return GuardOr<CorrectiveAction>([&]() -> absl::StatusOr<CorrectiveAction> {
    std::string ctry = ShortName(country), cw = a.caseworker(), desc = a.description(),
                to = a.assigned_to(), state = ShortName(a.state()), by = a.set_by();
    long long check = a.check_id(), item = a.sample_item_id(), group = a.casegroup_id(),
              first = domain::kFirstVersion;
    IdBind team(a.team_id());
    DateBind due(a.due_date());
    tx.session() << "INSERT INTO corrective_actions (check_id, sample_item_id, country, "
                    "caseworker, team_id, casegroup_id, description, assigned_to, due_date, "
                    "state, set_by, version, created_us, updated_us) VALUES (:k, :i, :c, :w, :t, "
                    ":g, :d, :a, :due, :s, :b, :v, :now, :now2)",
        soci::use(check), soci::use(item), soci::use(ctry), soci::use(cw),
        soci::use(team.value, team.ind), soci::use(group), soci::use(desc), soci::use(to),
        soci::use(due.text, due.ind), soci::use(state), soci::use(by), soci::use(first),
        soci::use(now_us), soci::use(now_us);
    a.set_id(LastInsertId(tx.session()));
    a.set_etag(EtagOf(first));
    SetTimestamp(now_us, a.mutable_create_time());
    return a;
  });
}

absl::StatusOr<CorrectiveAction> GetCorrectiveAction(Tx& tx, int64_t id, bool for_update,
                                                     cms::v1::Country* country) {
  return GuardOr<CorrectiveAction>([&]() -> absl::StatusOr<CorrectiveAction> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kActionCols,
                                              " FROM corrective_actions WHERE id = :k",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key));
    for (const soci::row& r : rows) {
      if (country != nullptr) *country = EnumCol<cms::v1::Country>(r, "country");
      return ActionOf(r);
    }
    return NotFound("corrective action", absl::StrCat(id));
  });
}

absl::Status CompleteCorrectiveAction(Tx& tx, CorrectiveAction& a, int64_t now_us) {
  return Guard([&] {
    std::string state = ShortName(a.state()), by = a.completed_by(), note = a.completion_note();
    long long id = a.id();
    tx.session() << "UPDATE corrective_actions SET state = :s, completed_by = :b, "
                    "completion_note = :n, completed_us = :t, version = version + 1, "
                    "updated_us = :now WHERE id = :id",
        soci::use(state), soci::use(by), soci::use(note), soci::use(now_us), soci::use(now_us),
        soci::use(id);
    a.set_etag(NextEtag(a.etag()));
    SetTimestamp(now_us, a.mutable_complete_time());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<CorrectiveAction>> ListCorrectiveActions(Tx& tx, const ActionFilter& f,
                                                                    const PageRequest& page) {
  using Out = std::vector<CorrectiveAction>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    std::string c = CountryOrEmpty(f.country), to = f.assigned_to, mine = f.for_staff,
                due = f.due_before;
    long long check = f.check_id, after = page.after_id, limit = page.limit;
    int open = (f.open_only || !due.empty()) ? 1 : 0;
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kActionCols,
             " FROM corrective_actions WHERE id > :a AND (:c = '' OR country = :c2) AND (:to = '' "
             "OR assigned_to = :to2) AND (:m = '' OR assigned_to = :m2 OR caseworker = :m3) AND "
             "(:k = 0 OR check_id = :k2) AND (:o = 0 OR state = 'OPEN') AND (:d = '' OR due_date "
             "< :d2) ORDER BY id LIMIT :l"),
         soci::use(after), soci::use(c), soci::use(c), soci::use(to), soci::use(to),
         soci::use(mine), soci::use(mine), soci::use(mine), soci::use(check), soci::use(check),
         soci::use(open), soci::use(due), soci::use(due), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(ActionOf(r));
    return out;
  });
}

absl::StatusOr<std::vector<CorrectiveAction>> OpenActionsOfWork(
    Tx& tx, const std::vector<std::string>& caseworkers) {
  using Out = std::vector<CorrectiveAction>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kActionCols, " FROM corrective_actions WHERE caseworker IN (",
             StaffList(tx, caseworkers), ") AND state = 'OPEN' ORDER BY id"));
    for (const soci::row& r : rows) out.push_back(ActionOf(r));
    return out;
  });
}

}  // namespace cms::store
