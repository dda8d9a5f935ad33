#include "tools/bench/raw_work.h"

#include <unistd.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/store/sr_rows.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"

namespace cms::bench {
namespace {

// A work page's columns (store/work_repo.cc WorkCols).
std::string PageCols() {
  return absl::StrCat(store::kSrCols,
                      ", EXISTS (SELECT 1 FROM sr_activities a WHERE a.sr_id = sr.id AND "
                      "a.reminder_due = 1) AS reminder_due");
}

// The authenticator's staff lookup; returns the staff member's team.
long long Authenticate(soci::session& sql, const std::string& staff) {
  soci::row r;
  sql << "SELECT staff_id, name, role, team_id, segment_id, active, version FROM staff WHERE "
         "staff_id = :s",
      soci::use(staff), soci::into(r);
  return r.get_indicator("team_id") == soci::i_null ? 0 : r.get<long long>("team_id");
}

MYSQL* Native(soci::session& sql) {
  return static_cast<soci::mysql_session_backend*>(sql.get_backend())->conn_;
}

std::string Quote(soci::session& sql, const std::string& value) {
  std::string out(value.size() * 2 + 3, '\0');
  out[0] = '\'';
  const unsigned long n =
      mysql_real_escape_string(Native(sql), &out[1], value.data(), value.size());
  out[n + 1] = '\'';
  out.resize(n + 2);
  return out;
}

// The audit row of a command, as the server queues it for its commit.
std::string Audit(soci::session& sql, long long now, const std::string& staff,
                  const std::string& rpc, long long id, const std::string& before,
                  const std::string& after) {
  return absl::StrCat(
      "INSERT INTO audit_events (event_us, actor, client, rpc, entity_type, entity_id, "
      "before_json, after_json) VALUES (",
      now, ", ", Quote(sql, staff), ", 'raw', ", Quote(sql, rpc), ", 'service_request', ",
      Quote(sql, absl::StrCat(id)), ", ", Quote(sql, before), ", ", Quote(sql, after), ")");
}

// The idempotency key, likewise.
std::string Idempotency(soci::session& sql, long long now, int64_t seq, const std::string& rpc) {
  // The pid keeps the ids of one run from colliding with an earlier run's.
  const std::string request_id = absl::StrCat("raw-", rpc, "-", getpid(), "-", seq);
  const std::string blob(300, 'y');
  return absl::StrCat(
      "INSERT INTO idempotency_keys (request_id, method, request_proto, response, created_us) "
      "VALUES (",
      Quote(sql, request_id), ", ", Quote(sql, rpc), ", '", blob, "', '", blob, "', ", now, ")");
}

// The commit as store/db.cc sends it: the queued statements and COMMIT in
// one multi-statement round trip.
void CommitWith(soci::session& sql, std::vector<std::string> statements) {
  MYSQL* conn = Native(sql);
  statements.push_back("COMMIT");
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

std::string Failed(soci::session& sql, const std::exception& e) {
  try {
    sql << "ROLLBACK";
  } catch (...) {
  }
  return e.what();
}

}  // namespace

std::string ClaimStatement(const std::string& passed_over) {
  return absl::StrCat(
      "SELECT ", store::kSrCols,
      ", cg.id AS casegroup_locked FROM service_requests sr LEFT JOIN casegroups cg ON cg.id = "
      "IF(sr.kind = 'CASE_OWNING', sr.casegroup_id, NULL) WHERE sr.owning_segment_id = :seg AND "
      "sr.allocated_to IS NULL AND sr.is_open = 1",
      passed_over.empty() ? "" : absl::StrCat(" AND sr.casegroup_id NOT IN (", passed_over, ")"),
      " ORDER BY sr.queue_rank, sr.created_us, sr.id LIMIT 1 FOR UPDATE SKIP LOCKED");
}

std::string MyPageStatement() {
  return absl::StrCat("SELECT ", PageCols(),
                      " FROM service_requests sr WHERE sr.allocated_to = :who AND sr.is_open = 1 "
                      "ORDER BY queue_rank, created_us, id LIMIT 50");
}

// Each member's page of queue keys, UNION ALL, the first 50 in queue order,
// then their rows.
std::string TeamPageStatement(const std::vector<std::string>& members) {
  std::string pages;
  for (const std::string& m : members) {
    absl::StrAppend(&pages, pages.empty() ? "" : " UNION ALL ",
                    "(SELECT sr.id, sr.queue_rank, sr.created_us FROM service_requests sr WHERE "
                    "sr.allocated_to = ",
                    m, " AND sr.is_open = 1 ORDER BY queue_rank, created_us, id LIMIT 50)");
  }
  return absl::StrCat("SELECT ", PageCols(), " FROM (", pages,
                      " ORDER BY queue_rank, created_us, id LIMIT 50) page JOIN service_requests "
                      "sr ON sr.id = page.id ORDER BY page.queue_rank, page.created_us, page.id");
}

void EnableBatches(soci::session& sql) {
  if (mysql_set_server_option(Native(sql), MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0) {
    throw soci::soci_error(mysql_error(Native(sql)));
  }
}

std::string RawCreateServiceRequest(soci::session& sql, int64_t seq, const std::string& staff,
                                    int64_t group, int64_t kase) {
  try {
    const long long now = absl::ToUnixMicros(absl::Now());
    long long g = group, c = kase, segment = 0, id = 0;
    Authenticate(sql, staff);
    sql << "START TRANSACTION";
    soci::row casegroup;
    sql << "SELECT g.id, g.pp_person_id, g.segment_id, g.allocated_to, g.country, "
           "g.routing_rule, g.version, g.created_us, (SELECT s.system_name FROM segments s WHERE "
           "s.id = g.segment_id) AS system_name, (SELECT GROUP_CONCAT(c.id ORDER BY c.id) FROM "
           "cases c WHERE c.casegroup_id = g.id) AS case_ids FROM casegroups g WHERE g.id = :id "
           "FOR UPDATE",
        soci::use(g), soci::into(casegroup);
    segment = casegroup.get<long long>(2);
    sql << "INSERT INTO service_requests (type_code, kind, casegroup_id, case_id, "
           "subject_person_id, status, sub_status, resolution_code, source, created_by_rule, "
           "priority, owning_segment_id, allocated_to, parent_id, description, wake_date, "
           "plan_generated, created_by, created_us, updated_us, version) VALUES "
           "('CHANGE_INCOME', 'CASE_OWNING', :g, :c, NULL, 'OPEN', '', '', 'CASEWORKER', '', 0, "
           ":s, NULL, NULL, 'workbench', NULL, 0, :by, :now, :now2, 1)",
        soci::use(g), soci::use(c), soci::use(segment), soci::use(staff), soci::use(now),
        soci::use(now);
    sql.get_last_insert_id("service_requests", id);
    CommitWith(sql, {Audit(sql, now, staff, "CreateServiceRequest", id, "", std::string(450, 'x')),
                     Idempotency(sql, now, seq, "CreateServiceRequest")});
    return "";
  } catch (const std::exception& e) {
    return Failed(sql, e);
  }
}

std::string RawGetNextWork(soci::session& sql, int64_t seq, const std::string& staff,
                           int64_t segment, RawClaim* claimed) {
  *claimed = RawClaim();
  try {
    const long long now = absl::ToUnixMicros(absl::Now());
    long long seg = segment, held = 0, id = 0, group = 0;
    bool case_owning = false;
    Authenticate(sql, staff);
    sql << "START TRANSACTION";
    sql << "SELECT COUNT(*) FROM (SELECT 1 FROM service_requests WHERE allocated_to = :s AND "
           "is_open = 1 LIMIT 1000) held",
        soci::use(staff), soci::into(held);
    // The claim as store/work_repo.cc makes it: the whole SR row and, for a
    // case-owning SR, its casegroup, in one statement SKIP LOCKED, passing
    // over casegroups other claimers hold; then the SR's details in one.
    std::string passed;
    for (;;) {
      soci::row sr;
      sql << ClaimStatement(passed), soci::use(seg), soci::into(sr);
      if (!sql.got_data()) {
        sql << "ROLLBACK";
        return "queue empty";
      }
      id = sr.get<long long>("id");
      group = sr.get<long long>("casegroup_id");
      case_owning = sr.get<std::string>("kind") == "CASE_OWNING";
      if (!case_owning || sr.get_indicator("casegroup_locked") != soci::i_null) break;
      absl::StrAppend(&passed, passed.empty() ? "" : ",", group);
    }
    soci::rowset<soci::row> details =
        (sql.prepare << "SELECT 'a' AS part, id, seq, name, NULL AS value, mandatory, status, "
                        "manual, due_date, alarm, completed_by, complete_us, reminder_due FROM "
                        "sr_activities WHERE sr_id = :a UNION ALL SELECT 'f', NULL, NULL, name, "
                        "value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM sr_fields "
                        "WHERE sr_id = :f UNION ALL SELECT 'r', related_id, NULL, NULL, NULL, "
                        "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM sr_related WHERE "
                        "sr_id = :r ORDER BY part, seq, id",
         soci::use(id), soci::use(id), soci::use(id));
    for (auto it = details.begin(); it != details.end(); ++it) {
    }
    // The allocation goes with the commit (Sending::kWithCommit).
    const std::string who = Quote(sql, staff);
    std::vector<std::string> allocation;
    if (case_owning) {
      allocation = {absl::StrCat("UPDATE casegroups SET allocated_to = ", who,
                                 ", version = version + 1 WHERE id = ", group),
                    absl::StrCat("UPDATE service_requests SET allocated_to = ", who,
                                 ", version = version + 1 WHERE casegroup_id = ", group,
                                 " AND kind = 'CASE_OWNING' AND owning_segment_id = ", seg,
                                 " AND is_open = 1")};
    } else {
      allocation = {absl::StrCat("UPDATE service_requests SET allocated_to = ", who,
                                 ", version = version + 1 WHERE id = ", id)};
    }
    allocation.push_back(
        Audit(sql, now, staff, "GetNextWork", id, std::string(450, 'x'), std::string(450, 'x')));
    allocation.push_back(Idempotency(sql, now, seq, "GetNextWork"));
    CommitWith(sql, allocation);
    if (case_owning) {
      claimed->casegroup_id = group;
    } else {
      claimed->fu_sr_id = id;
    }
    return "";
  } catch (const std::exception& e) {
    return Failed(sql, e);
  }
}

std::string RawListMyWork(soci::session& sql, const std::string& staff) {
  try {
    Authenticate(sql, staff);
    int rows = 0;
    soci::rowset<soci::row> page = (sql.prepare << MyPageStatement(), soci::use(staff));
    for (auto it = page.begin(); it != page.end(); ++it) ++rows;
    return rows == 0 ? "empty page" : "";
  } catch (const std::exception& e) {
    return Failed(sql, e);
  }
}

std::string RawListTeamWork(soci::session& sql, const std::string& leader) {
  try {
    const long long team = Authenticate(sql, leader);
    std::vector<std::string> members;
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT staff_id FROM staff WHERE team_id = :t ORDER BY staff_id",
         soci::use(team));
    for (const std::string& m : rows) members.push_back(m);
    std::vector<std::string> quoted;
    for (const std::string& m : members) quoted.push_back(Quote(sql, m));
    int n = 0;
    soci::rowset<soci::row> page = (sql.prepare << TeamPageStatement(quoted));
    for (auto it = page.begin(); it != page.end(); ++it) ++n;
    return n == 0 ? "empty page" : "";
  } catch (const std::exception& e) {
    return Failed(sql, e);
  }
}

}  // namespace cms::bench
