#include "tools/bench/datagen_decisions.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"

namespace cms::bench {
namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;
// SR ids per chunk of the first pass: 2,000 casegroups (ids are casegroup
// id x 64 + n).
constexpr long long kSrIdsPerChunk = 64 * 2000;

// The statements join in the order they name their tables (STRAIGHT_JOIN):
// MariaDB otherwise starts from the small gen_ tables and reads every SR of
// a segment through ix_sr_queue for each chunk.
//
// Who made a decision on a casegroup's work: its allocated caseworker, else
// one of its segment's generated caseworkers drawn from `key` (the work
// was pulled from the queue), with their team. `alias` is the table whose
// allocated_to it reads, `segment` its owning segment column. The segments
// without generated caseworkers (the Deduction Order Teams) are left out.
std::string WhoJoins(const std::string& key, const std::string& segment,
                     const std::string& allocated) {
  return absl::StrCat(" JOIN gen_cw_count k ON k.segment_id = ", segment,
                      " JOIN gen_cw w ON w.segment_id = ", segment,
                      " AND w.n = CRC32(CONCAT('cw:', ", key,
                      ")) % k.cnt LEFT JOIN staff st ON st.staff_id = ", allocated);
}
std::string Actor(const std::string& allocated) {
  return absl::StrCat("COALESCE(", allocated, ", w.staff_id)");
}
std::string Team(const std::string& allocated) {
  return absl::StrCat("IF(", allocated, " IS NULL, w.team_id, st.team_id)");
}

constexpr char kStageCols[] =
    "decision_type, entity_type, entity_id, sr_id, sr_type, case_id, casegroup_id, segment_id, "
    "team_id, actor, decided_us";

// The first pass's statements over closed SRs with ids in [:a, :b]: each
// closure (SR_RESOLUTION, SR5.2, by whoever worked it, when it closed); a
// calculation recorded on 30% of the closed Change of Income SRs (M7.4),
// up to a day before the closure; a team leader's approval of a step on
// 5% of the closed Change of Income and Clear Artefact SRs (A6.1), half
// way through the SR's life, by the team leader of the caseworker's team.
std::vector<std::string> SrStatements() {
  const std::string from = absl::StrCat(
      " FROM service_requests sr", WhoJoins("sr.id", "sr.owning_segment_id", "sr.allocated_to"),
      " WHERE sr.id BETWEEN :a AND :b AND sr.status = 'CLOSED'");
  const std::string head = "SELECT STRAIGHT_JOIN ";
  const std::string sr_facts =
      "sr.id, sr.type_code, sr.case_id, sr.casegroup_id, sr.owning_segment_id";
  return {
      absl::StrCat(head, "'SR_RESOLUTION', 'service_request', sr.id, ", sr_facts, ", ",
                   Team("sr.allocated_to"), ", ", Actor("sr.allocated_to"), ", sr.updated_us",
                   from),
      absl::StrCat(head, "'CALCULATION', 'calculation', sr.id, ", sr_facts, ", ",
                   Team("sr.allocated_to"), ", ", Actor("sr.allocated_to"),
                   ", GREATEST(sr.created_us, sr.updated_us - (CRC32(CONCAT('calc-t:', sr.id)) % "
                   "86400) * 1000000)",
                   from,
                   " AND sr.type_code = 'CHANGE_INCOME' AND CRC32(CONCAT('calc:', sr.id)) % 100 < "
                   "30"),
      absl::StrCat(
          head, "'APPROVAL', 'approval', sr.id, ", sr_facts, ", t.team_id, t.staff_id, ",
          "sr.created_us + (sr.updated_us - sr.created_us) DIV 2", " FROM service_requests sr",
          WhoJoins("sr.id", "sr.owning_segment_id", "sr.allocated_to"),
          " JOIN gen_tl t ON t.team_id = ", Team("sr.allocated_to"),
          " WHERE sr.id BETWEEN :a AND :b AND sr.status = 'CLOSED' AND sr.type_code IN "
          "('CHANGE_INCOME', 'CLEAR_ARTEFACT') AND CRC32(CONCAT('appr:', sr.id)) % 100 < 5"),
  };
}

// Each arrears action's caseworker decisions (AR10.*): 1 to 3, spread over
// the action's life, on its review SR (every generated action has one).
std::string ArrearsStatement() {
  return absl::StrCat(
      "SELECT STRAIGHT_JOIN 'ARREARS', 'arrears_action', a.id, r.sr_id, 'ARREARS_REVIEW', "
      "a.case_id, "
      "a.casegroup_id, g.segment_id, ",
      Team("g.allocated_to"), ", ", Actor("g.allocated_to"),
      ", a.created_us + (a.updated_us - a.created_us) * (x.n + 1) DIV (CRC32(CONCAT('arr:', "
      "a.id)) % 3 + 2) FROM arrears_actions a JOIN gen_review r ON r.case_id = a.case_id JOIN "
      "casegroups g ON g.id = a.casegroup_id",
      WhoJoins("a.casegroup_id", "g.segment_id", "g.allocated_to"),
      " JOIN gen_n x ON x.n <= CRC32(CONCAT('arr:', a.id)) % 3");
}

// A Segment 5 compliance decision (an offer decided) on 2% of the
// MAINTENANCE cases, within 180 days of the case's start and before now.
std::string ComplianceStatement() {
  const std::string when =
      "c.created_us + (CRC32(CONCAT('s5-t:', c.id)) % (180 * 86400)) * 1000000";
  return absl::StrCat(
      "SELECT STRAIGHT_JOIN 'COMPLIANCE', 'compliance_opportunity', c.id, CAST(NULL AS SIGNED), "
      "CAST(NULL AS CHAR), c.id, c.casegroup_id, "
      "g.segment_id, ",
      Team("g.allocated_to"), ", ", Actor("g.allocated_to"), ", ", when,
      " FROM cases c JOIN casegroups g ON g.id = c.casegroup_id JOIN segments s ON s.id = "
      "g.segment_id AND s.service_segment = 'MAINTENANCE'",
      WhoJoins("c.casegroup_id", "g.segment_id", "g.allocated_to"),
      " WHERE CRC32(CONCAT('s5:', c.id)) % 100 < 2 AND ", when, " < :now");
}

// One column of a row as an SQL literal.
std::string Literal(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return "NULL";
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string: {
      std::string out = "'";
      for (char ch : r.get<std::string>(i))
        out += ch == '\'' ? std::string("''") : std::string(1, ch);
      return out + "'";
    }
    case soci::dt_integer:
      return absl::StrCat(r.get<int>(i));
    case soci::dt_unsigned_long_long:
      return absl::StrCat(r.get<unsigned long long>(i));
    case soci::dt_double:
      return absl::StrCat(static_cast<long long>(r.get<double>(i)));
    default:
      return absl::StrCat(r.get<long long>(i));
  }
}

// Runs `select` (the stage's columns, in kStageCols' order) and inserts its
// rows into gen_decisions_stage, 2,000 a statement, as the generator's
// other rows go in.
void CopyToStage(soci::session& sql, const std::string& select) {
  const std::string head =
      absl::StrCat("INSERT INTO gen_decisions_stage (", kStageCols, ") VALUES ");
  std::string insert;
  int n = 0;
  soci::rowset<soci::row> rows = sql.prepare << select;
  for (const soci::row& r : rows) {
    absl::StrAppend(&insert, n == 0 ? head : ",", "(");
    for (size_t i = 0; i < r.size(); ++i)
      absl::StrAppend(&insert, i == 0 ? "" : ",", Literal(r, i));
    insert += ")";
    if (++n == 2000) {
      sql << insert;
      insert.clear();
      n = 0;
    }
  }
  if (n > 0) sql << insert;
}

}  // namespace

absl::StatusOr<DecisionCounts> GenerateDecisions(const std::string& uri, int threads,
                                                 int64_t now_us) {
  const absl::Time start = absl::Now();
  long long min_sr = 0, max_sr = 0, min_us = 0, max_us = 0;
  try {
    soci::session sql(soci::mysql, uri);
    sql << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
    long long existing = 0;
    sql << "SELECT COUNT(*) FROM business_decisions", soci::into(existing);
    if (existing != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("business_decisions already holds ", existing, " rows"));
    }
    for (const char* s : {
             "DROP TABLE IF EXISTS gen_cw, gen_cw_count, gen_tl, gen_n, gen_review, "
             "gen_decisions_stage",
             "CREATE TABLE gen_review (case_id BIGINT NOT NULL PRIMARY KEY, sr_id BIGINT NOT "
             "NULL) ENGINE=InnoDB",
             "INSERT INTO gen_review SELECT case_id, MIN(id) FROM service_requests WHERE "
             "type_code = 'ARREARS_REVIEW' AND case_id IS NOT NULL GROUP BY case_id",
             "CREATE TABLE gen_cw (segment_id BIGINT NOT NULL, n INT NOT NULL, staff_id "
             "VARCHAR(40) NOT NULL, team_id BIGINT NULL, PRIMARY KEY (segment_id, n)) "
             "ENGINE=InnoDB",
             "INSERT INTO gen_cw SELECT segment_id, ROW_NUMBER() OVER (PARTITION BY segment_id "
             "ORDER BY staff_id) - 1, staff_id, team_id FROM staff WHERE staff_id LIKE 'gen.cw.%' "
             "AND active = 1 AND segment_id IS NOT NULL",
             "CREATE TABLE gen_cw_count (segment_id BIGINT NOT NULL PRIMARY KEY, cnt INT NOT "
             "NULL) ENGINE=InnoDB",
             "INSERT INTO gen_cw_count SELECT segment_id, COUNT(*) FROM gen_cw GROUP BY "
             "segment_id",
             "CREATE TABLE gen_tl (team_id BIGINT NOT NULL PRIMARY KEY, staff_id VARCHAR(40) NOT "
             "NULL) ENGINE=InnoDB",
             "INSERT INTO gen_tl SELECT team_id, MIN(staff_id) FROM staff WHERE role = "
             "'TEAM_LEADER' AND active = 1 AND team_id IS NOT NULL GROUP BY team_id",
             "CREATE TABLE gen_n (n INT NOT NULL PRIMARY KEY) ENGINE=InnoDB",
             "INSERT INTO gen_n VALUES (0), (1), (2)",
             "CREATE TABLE gen_decisions_stage (decision_type VARCHAR(24) NOT NULL, entity_type "
             "VARCHAR(40) NOT NULL, entity_id BIGINT NOT NULL, sr_id BIGINT NULL, sr_type "
             "VARCHAR(64) NULL, case_id BIGINT NULL, casegroup_id BIGINT NOT NULL, segment_id "
             "BIGINT NOT NULL, team_id BIGINT NULL, actor VARCHAR(40) NOT NULL, decided_us BIGINT "
             "NOT NULL, KEY ix_stage_time (decided_us)) ENGINE=InnoDB",
         }) {
      sql << s;
    }
    // Fresh tables have no statistics yet: without them MariaDB joined
    // these in an order that produced some 400 rows a second.
    soci::rowset<soci::row> analyzed =
        (sql.prepare << "ANALYZE TABLE gen_cw, gen_cw_count, gen_tl, gen_n, gen_review");
    for (auto it = analyzed.begin(); it != analyzed.end(); ++it) {
    }
    soci::indicator i1 = soci::i_ok, i2 = soci::i_ok;
    sql << "SELECT MIN(id), MAX(id) FROM service_requests", soci::into(min_sr, i1),
        soci::into(max_sr, i2);
    if (i1 == soci::i_null) return absl::FailedPreconditionError("the book has no SRs");
    // The book's own decisions besides the SRs': one statement each.
    CopyToStage(sql, ArrearsStatement());
    CopyToStage(sql, absl::StrReplaceAll(ComplianceStatement(), {{":now", absl::StrCat(now_us)}}));
  } catch (const std::exception& e) {
    return absl::InternalError(e.what());
  }

  // First pass: the SRs' decisions, chunk by chunk of SR ids, unordered.
  const std::vector<std::string> per_chunk = SrStatements();
  const long long chunks = (max_sr - min_sr) / kSrIdsPerChunk + 1;
  std::atomic<long long> next{0};
  std::atomic<bool> failed{false};
  std::string error;
  std::vector<std::thread> loaders;
  for (int t = 0; t < std::max(1, threads); ++t) {
    loaders.emplace_back([&] {
      try {
        soci::session sql(soci::mysql, uri);
        sql << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
        for (long long c = next++; c < chunks && !failed; c = next++) {
          const long long a = min_sr + c * kSrIdsPerChunk, b = a + kSrIdsPerChunk - 1;
          for (const std::string& s : per_chunk) {
            CopyToStage(sql,
                        absl::StrReplaceAll(s, {{":a", absl::StrCat(a)}, {":b", absl::StrCat(b)}}));
          }
          if (c % 100 == 99) {
            std::fprintf(stderr, "cms_datagen: decisions: %lld/%lld SR chunks, %.0f s\n", c + 1,
                         chunks, absl::ToDoubleSeconds(absl::Now() - start));
          }
        }
      } catch (const std::exception& e) {
        if (!failed.exchange(true)) error = e.what();
      }
    });
  }
  for (auto& t : loaders) t.join();
  if (failed) return absl::InternalError(error);

  // Second pass: into business_decisions a day at a time, in time order, so
  // ids rise with time as they do when the server records them.
  DecisionCounts counts;
  try {
    soci::session sql(soci::mysql, uri);
    sql << "SET SESSION unique_checks = 0, foreign_key_checks = 0";
    sql << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
    sql << "SELECT MIN(decided_us), MAX(decided_us) FROM gen_decisions_stage", soci::into(min_us),
        soci::into(max_us);
    const std::string insert = absl::StrCat(
        "INSERT INTO business_decisions (", kStageCols, ") SELECT ", kStageCols,
        " FROM gen_decisions_stage WHERE decided_us >= :a AND decided_us < :b ORDER BY "
        "decided_us, decision_type, entity_id");
    for (long long a = min_us; a <= max_us; a += kDayUs) {
      long long b = a + kDayUs;
      sql << insert, soci::use(a), soci::use(b);
    }
    soci::rowset<soci::row> analyzed = (sql.prepare << "ANALYZE TABLE business_decisions");
    for (auto it = analyzed.begin(); it != analyzed.end(); ++it) {
    }
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT decision_type, COUNT(*) FROM business_decisions GROUP BY "
                        "decision_type");
    for (const soci::row& r : rows) {
      const std::string type = r.get<std::string>(0);
      const long long n = r.get<long long>(1);
      if (type == "SR_RESOLUTION") counts.sr_resolutions = n;
      if (type == "APPROVAL") counts.approvals = n;
      if (type == "CALCULATION") counts.calculations = n;
      if (type == "ARREARS") counts.arrears = n;
      if (type == "COMPLIANCE") counts.compliance = n;
    }
    sql << "DROP TABLE gen_cw, gen_cw_count, gen_tl, gen_n, gen_review, gen_decisions_stage";
  } catch (const std::exception& e) {
    return absl::InternalError(e.what());
  }
  std::fprintf(stderr, "cms_datagen: decisions: %lld rows in %.0f s\n",
               static_cast<long long>(counts.Total()), absl::ToDoubleSeconds(absl::Now() - start));
  return counts;
}

}  // namespace cms::bench
