#include "tools/bench/raw_arrears.h"

#include <functional>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cms/v1/arrears.pb.h"
#include "server/store/sr_rows.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"

namespace cms::bench {
namespace {

MYSQL* Native(soci::session& sql) {
  return static_cast<soci::mysql_session_backend*>(sql.get_backend())->conn_;
}

// Several statements in one round trip, as store/db.cc ExecuteBatch sends
// the snapshot's start and the COMMIT.
void Batch(soci::session& sql, const std::vector<std::string>& statements) {
  MYSQL* conn = Native(sql);
  const std::string text = absl::StrJoin(statements, ";\n");
  bool failed = mysql_real_query(conn, text.data(), text.size()) != 0;
  while (!failed) {
    if (MYSQL_RES* result = mysql_store_result(conn)) mysql_free_result(result);
    const int next = mysql_next_result(conn);
    if (next < 0) return;
    failed = next > 0;
  }
  throw soci::soci_error(mysql_error(conn));
}

// Runs `query` with `key` bound to its one placeholder and hands each row to
// `each`; returns the number of rows.
template <typename Key>
int Rows(soci::session& sql, const std::string& query, const Key& key,
         const std::function<void(const soci::row&)>& each = nullptr) {
  soci::rowset<soci::row> rows = (sql.prepare << query, soci::use(key));
  int n = 0;
  for (const soci::row& r : rows) {
    if (each) each(r);
    ++n;
  }
  return n;
}

long long Id(const soci::row& r, size_t column) { return r.get<long long>(column); }

// The statements as the general log shows them (store/*.cc).
constexpr char kStaff[] =
    "SELECT staff_id, name, role, team_id, segment_id, active, version FROM staff WHERE "
    "staff_id = :s";
// The case with its legacy link, without its children (GetCase,
// CaseParts::kWithoutChildren).
constexpr char kCase[] =
    "SELECT c.id, c.casegroup_id, c.pp_person_id, c.rp_person_id, c.scheme, c.lifecycle_stage, "
    "c.service_type, c.pp_requested_service_type, c.rp_requested_service_type, "
    "c.annual_review_date, c.application_date, c.version, c.created_us, l.legacy_system, "
    "l.legacy_case_reference, l.method_of_collection, l.deo_kind, l.active_enforcement_actions, "
    "l.t_date, l.order_for_sale, l.committal, l.sisted, l.driving_disqualification, "
    "l.transitional_legal_case, l.bailiff_activity, l.csa_debt_to_migrate_pence FROM cases c "
    "LEFT JOIN case_legacy_links l ON l.case_id = c.id WHERE c.id = :id";
constexpr char kCasegroup[] =
    "SELECT g.id, g.pp_person_id, g.segment_id, g.allocated_to, g.country, g.routing_rule, "
    "g.version, g.created_us, (SELECT s.system_name FROM segments s WHERE s.id = g.segment_id) "
    "AS system_name, (SELECT GROUP_CONCAT(c.id ORDER BY c.id) FROM cases c WHERE c.casegroup_id "
    "= g.id) AS case_ids FROM casegroups g WHERE g.id = :id";
constexpr char kAction[] =
    "SELECT id, version, body_b64, created_us, updated_us FROM arrears_actions WHERE case_id = "
    ":k";
constexpr char kItems[] =
    "SELECT id, seq, due_date, expected_pence, expected_method, status, paid_pence, on_time, "
    "in_full, agreed_method FROM schedule_items WHERE case_id = :c AND status NOT IN "
    "('SUPERSEDED', 'HELD') ORDER BY due_date, id";
constexpr char kPayments[] =
    "SELECT id, case_id, amount_pence, received_date, method, pp_fee_pence, rp_fee_pence, "
    "recorded_by, recorded_us FROM payments WHERE case_id = :c ORDER BY received_date, id";
// The PP's work alone (GetWorkFacts).
constexpr char kWork[] =
    "SELECT p.employment_status, (SELECT e.name FROM person_employers e WHERE e.person_id = "
    "p.id ORDER BY e.seq LIMIT 1) AS employer FROM persons p WHERE p.id = :id";
constexpr char kEmployment[] =
    "SELECT employer_name, source, found_date, found_us, desire_id, review_sr_id FROM "
    "employments WHERE casegroup_id = :g";
constexpr char kMopf[] =
    "SELECT id, method, share_percent, enforced, deo_subtype, mandatory_deo, employer, "
    "start_date, end_date, sr_id, ended_sr_id FROM mopf_methods WHERE casegroup_id = :g ORDER "
    "BY id";
constexpr char kAssets[] =
    "SELECT type, COUNT(*) FROM person_assets WHERE person_id = :p AND state = 'ACTIVE' GROUP BY "
    "type";
// The review SR's row alone (store/sr_repo.cc GetServiceRequestRows).
std::string SrRow(long long id) {
  return absl::StrCat("SELECT ", store::kSrCols, " FROM service_requests sr WHERE sr.id IN (", id,
                      ") ORDER BY sr.id");
}

// The open review SR the action names (0: none), from its body as
// store/arrears_repo.cc keeps it.
long long OpenReviewOf(const std::string& body_b64) {
  std::string bytes;
  cms::v1::ArrearsAction action;
  if (!absl::Base64Unescape(body_b64, &bytes) || !action.ParseFromString(bytes)) return 0;
  return action.state() == cms::v1::ARREARS_STATE_CLOSED ? 0 : action.review_service_request_id();
}

}  // namespace

void ConfigureAsServer(soci::session& sql) {
  sql << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO'";
  sql << "SET NAMES utf8mb4";
  sql << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
  if (mysql_set_server_option(Native(sql), MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0) {
    throw soci::soci_error(mysql_error(Native(sql)));
  }
}

std::string RawArrearsRecommendation(soci::session& sql, const std::string& staff,
                                     int64_t case_id) {
  bool open = false;
  try {
    Rows(sql, kStaff, staff);
    Batch(sql, {"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"});
    open = true;
    const long long kase = case_id;
    long long group = 0, pp = 0, review = 0;
    bool employer = false;
    Rows(sql, kCase, kase, [&](const soci::row& r) { group = Id(r, 1); });
    Rows(sql, kCasegroup, group, [&](const soci::row& r) { pp = Id(r, 1); });
    Rows(sql, kAction, kase,
         [&](const soci::row& r) { review = OpenReviewOf(r.get<std::string>(2)); });
    Rows(sql, kItems, kase);
    Rows(sql, kPayments, kase);
    Rows(sql, kWork, pp,
         [&](const soci::row& r) { employer = r.get_indicator(1) != soci::i_null; });
    if (!employer) Rows(sql, kEmployment, group);
    Rows(sql, kMopf, group);
    Rows(sql, kAssets, pp);
    if (review != 0) {
      soci::rowset<soci::row> row = sql.prepare << SrRow(review);
      for (auto it = row.begin(); it != row.end(); ++it) {
      }
    }
    Batch(sql, {"COMMIT"});
    return "";
  } catch (const std::exception& e) {
    if (open) {
      try {
        sql << "ROLLBACK";
      } catch (...) {
      }
    }
    return e.what();
  }
}

}  // namespace cms::bench
