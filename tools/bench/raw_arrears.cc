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
constexpr char kCase[] =
    "SELECT id, casegroup_id, pp_person_id, rp_person_id, scheme, lifecycle_stage, service_type, "
    "pp_requested_service_type, rp_requested_service_type, annual_review_date, "
    "application_date, version, created_us FROM cases WHERE id = :id";
constexpr char kChildren[] =
    "SELECT given_name, family_name, date_of_birth FROM case_children WHERE case_id = :id "
    "ORDER BY seq";
constexpr char kLegacy[] =
    "SELECT legacy_system, legacy_case_reference, method_of_collection, deo_kind, "
    "active_enforcement_actions, t_date, order_for_sale, committal, sisted, "
    "driving_disqualification, transitional_legal_case, bailiff_activity, "
    "csa_debt_to_migrate_pence FROM case_legacy_links WHERE case_id = :id";
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
constexpr char kPerson[] =
    "SELECT id, given_name, family_name, date_of_birth, nino, res_lines, res_postcode, "
    "res_non_uk, res_country, corr_lines, corr_postcode, corr_non_uk, corr_country, "
    "address_status, phone, email, nationally_sensitive, in_prison, on_benefit, "
    "employment_status, weekly_gross_income_pence, nil_assessed, version, created_us FROM "
    "persons WHERE id = :id";
constexpr char kEmployers[] =
    "SELECT name, employer_reference FROM person_employers WHERE person_id = :id ORDER BY seq";
constexpr char kEmployment[] =
    "SELECT employer_name, source, found_date, found_us, desire_id, review_sr_id FROM "
    "employments WHERE casegroup_id = :g";
constexpr char kMopf[] =
    "SELECT id, method, share_percent, enforced, deo_subtype, mandatory_deo, employer, "
    "start_date, end_date, sr_id, ended_sr_id FROM mopf_methods WHERE casegroup_id = :g ORDER "
    "BY id";
constexpr char kMopfVersion[] =
    "SELECT version FROM money_versions WHERE kind = 'MOPF' AND subject = :s";
constexpr char kAssets[] =
    "SELECT type, COUNT(*) FROM person_assets WHERE person_id = :p AND state = 'ACTIVE' GROUP BY "
    "type";
constexpr char kSrDetails[] =
    "SELECT 'a' AS part, id, seq, name, NULL AS value, mandatory, status, manual, due_date, "
    "alarm, completed_by, complete_us, reminder_due FROM sr_activities WHERE sr_id = :id UNION "
    "ALL SELECT 'f', NULL, NULL, name, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM "
    "sr_fields WHERE sr_id = :id2 UNION ALL SELECT 'r', related_id, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL, NULL, NULL FROM sr_related WHERE sr_id = :id3 ORDER BY part, seq, id";

// An SR's row (store/sr_repo.cc GetServiceRequest).
const std::string& SrRow() {
  static const std::string* query = new std::string(
      absl::StrCat("SELECT ", store::kSrCols, " FROM service_requests sr WHERE sr.id = :id"));
  return *query;
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
    Rows(sql, kCase, kase, [&](const soci::row& r) { group = Id(r, 1); });
    Rows(sql, kChildren, kase);
    Rows(sql, kLegacy, kase);
    Rows(sql, kCasegroup, group);
    Rows(sql, kAction, kase,
         [&](const soci::row& r) { review = OpenReviewOf(r.get<std::string>(2)); });
    Rows(sql, kItems, kase);
    Rows(sql, kPayments, kase);
    Rows(sql, kCasegroup, group, [&](const soci::row& r) { pp = Id(r, 1); });
    Rows(sql, kPerson, pp);
    if (Rows(sql, kEmployers, pp) == 0) Rows(sql, kEmployment, group);
    Rows(sql, kMopf, group);
    Rows(sql, kMopfVersion, group);
    Rows(sql, kAssets, pp);
    if (review != 0) {
      Rows(sql, SrRow(), review);
      soci::rowset<soci::row> details =
          (sql.prepare << kSrDetails, soci::use(review), soci::use(review), soci::use(review));
      for (auto it = details.begin(); it != details.end(); ++it) {
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
