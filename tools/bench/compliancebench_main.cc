// cms_compliancebench: the Segment 5 scheduled end (S5.7, S5.8; issue 14,
// "Speed") at book scale. N accepted compliance opportunities whose trial
// ends on the same business day; the business clock is moved to that day
// and every opportunity must become OUTCOME_DUE with its Compliance
// Opportunity Outcome SR and the proposal, through the server's durable
// timers (S5_SCHEDULED_END, one per opportunity).
//
//   server  the real cms_server (--test_clock), its timer sweeper firing
//           ComplianceApp::ScheduledEnd; this process moves the business
//           clock with AdminService.SetClock and polls SQL counts until
//           every opportunity is OUTCOME_DUE (time from the SetClock call
//           to the poll that first sees all N).
//   raw     the same statements per trial with no server: claim a batch of
//           due timers, per timer lock and read the opportunity, read the
//           case's schedule items of the trial period as one indexed range,
//           insert the outcome SR as the SR creation does (row, fields,
//           activity plan, routing), update the opportunity, insert its
//           compliance event, then mark the batch fired and write its audit
//           rows; --sweep_threads threads, --batch_size timers a
//           transaction, as the server's sweeper.
//
// The two alternate (server, raw, server, raw, ...; --runs each) on the
// same seeded database, put back to the seeded state before every run, so
// both see the same data, CPU steal and neighbours; the ratio is server
// rate / raw rate.
//
// The book (seeded with bulk SQL: set-up, not measured): cms_datagen's
// casegroups, persons and cases (the demo BOM, staff sized to the load), a
// legacy CSA link per case, a monthly P2P schedule per case from the trial
// start (12 items; 7 due in the 187-day period) with payments, and one
// ACCEPTED opportunity with its dates and its S5_SCHEDULED_END timer, as
// ComplianceApp::ScheduleGenerated arms it. Trials vary by case id mod 4:
// every collection on time (PASS); one direct debit paid 5 days late
// (FAIL); a 50:50 DD/DEO split whose DEO fell short one month (PASS: the
// employer's shortfall, S5.18); a direct debit never paid (FAIL). The
// first --verify opportunities are read back through a real server's
// ComplianceService.GetComplianceOpportunity and compared with what was
// seeded.
//
//   tools/cms compliancebench [--trials=100000] [--runs=2] [--sweep_threads=2]
//                             [--batch_size=100] [--only=server,raw]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cms/v1/admin.grpc.pb.h"
#include "cms/v1/compliance.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "server/app/money_mapping.h"
#include "server/base/enum_names.h"
#include "server/base/etag.h"
#include "server/domain/compliance_eligibility.h"
#include "server/domain/compliance_outcome.h"
#include "server/domain/payments.h"
#include "server/store/audit_repo.h"
#include "server/store/db.h"
#include "server/store/timer_repo.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "tools/bench/raw_compliance.h"
#include "tools/bench/server_process.h"

ABSL_FLAG(int, trials, 100000, "accepted opportunities whose trial ends on the same day");
ABSL_FLAG(int, runs, 2, "runs of each path (server, raw, server, raw, ...)");
ABSL_FLAG(int, sweep_threads, 2, "--timer_sweep_threads of the server, and the raw threads");
ABSL_FLAG(int, batch_size, 100, "--timer_batch_size of the server, and the raw batch");
ABSL_FLAG(int, sweep_ms, 200, "--timer_sweep_ms of the server");
ABSL_FLAG(int, verify, 8, "opportunities read back through GetComplianceOpportunity");
ABSL_FLAG(std::string, only, "server,raw", "paths to run (comma-separated)");
ABSL_FLAG(bool, keep_db, false, "keep the database afterwards (its name is printed)");
ABSL_FLAG(std::string, server_bin, "", "cms_server binary (default: next to the build tree)");

namespace {

using cms::bench::ServerProcess;
using cms::store::Db;
using cms::store::Tx;
using cms::v1::ComplianceOpportunity;

constexpr char kToken[] = "compliancebench-token";
constexpr char kClient[] = "compliancebench";
constexpr char kManager[] = "svc.manager";
constexpr char kTimerKind[] = "S5_SCHEDULED_END";
constexpr int kPeriodDays = 187;     // app::kCompliancePeriodDays
constexpr int kItems = 12;           // monthly items up to the next annual review
constexpr int64_t kMonthly = 21667;  // weekly 5,000p x 52 / 12
// The day every trial ends: a Tuesday, after the real date the bench runs on,
// so no timer is due before the clock moves.
constexpr absl::CivilDay kEnd(2027, 6, 1);

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cms_compliancebench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) Die(absl::StrCat(what, ": ", s.ToString()));
}

cms::v1::Date DateOf(absl::CivilDay d) {
  cms::v1::Date out;
  out.set_year(static_cast<int32_t>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

std::string Sql(absl::CivilDay d) { return absl::StrCat("'", absl::FormatCivilTime(d), "'"); }

absl::TimeZone London() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Europe/London", &tz)) Die("no Europe/London time zone");
  return tz;
}

// ------------------------------------------------------------------ the book

enum class Kind { kOnTime, kLate, kDeoShort, kMissed };
Kind KindOf(int64_t c) { return static_cast<Kind>(c % 4); }
const char* KindName(Kind k) {
  switch (k) {
    case Kind::kOnTime:
      return "on time";
    case Kind::kLate:
      return "one DD late";
    case Kind::kDeoShort:
      return "DEO short";
    case Kind::kMissed:
      return "one DD missed";
  }
  return "";
}

absl::CivilDay Start() { return kEnd - kPeriodDays; }
// The legacy case's end of liability, after the application (S5.1).
absl::CivilDay LegacyTDate() { return Start(); }

// Month m (0-based) of the schedule: the start's day of month, clamped.
absl::CivilDay Due(int m) {
  const absl::CivilMonth month = absl::CivilMonth(Start()) + m;
  const absl::CivilDay first(month);
  const int last = (absl::CivilDay(month + 1) - 1).day();
  return absl::CivilDay(first.year(), first.month(), std::min<int>(Start().day(), last));
}

struct SeedItem {
  int seq;
  absl::CivilDay due;
  int64_t pence;
  cms::domain::PaymentMethod method;
};

// The case's schedule items and the payments received for them.
void ItemsOf(int64_t c, std::vector<SeedItem>* items, std::vector<cms::domain::Payment>* paid) {
  const Kind kind = KindOf(c);
  int seq = 0;
  for (int m = 0; m < kItems; ++m) {
    const absl::CivilDay due = Due(m);
    const bool in_period = due < kEnd;
    if (kind == Kind::kDeoShort) {
      items->push_back({++seq, due, kMonthly / 2, cms::domain::PaymentMethod::kDd});
      items->push_back({++seq, due, kMonthly - kMonthly / 2, cms::domain::PaymentMethod::kDeo});
      if (!in_period) continue;
      paid->push_back({due, kMonthly / 2, cms::domain::PaymentMethod::kDd});
      paid->push_back({due, m == 3 ? (kMonthly - kMonthly / 2) / 2 : kMonthly - kMonthly / 2,
                       cms::domain::PaymentMethod::kDeo});
      continue;
    }
    items->push_back({++seq, due, kMonthly, cms::domain::PaymentMethod::kDd});
    if (!in_period) continue;
    if (kind == Kind::kMissed && m == 4) continue;
    paid->push_back(
        {kind == Kind::kLate && m == 2 ? due + 5 : due, kMonthly, cms::domain::PaymentMethod::kDd});
  }
}

// A multi-row INSERT sent every `max_rows` rows.
class BatchInsert {
 public:
  BatchInsert(soci::session& s, std::string head, int max_rows = 2000)
      : session_(s), head_(std::move(head)), max_rows_(max_rows) {}
  void Add(const std::string& row) {
    sql_ += rows_ == 0 ? head_ : ",";
    sql_ += row;
    if (++rows_ == max_rows_) Flush();
  }
  void Flush() {
    if (rows_ == 0) return;
    session_ << sql_;
    sql_.clear();
    rows_ = 0;
  }

 private:
  soci::session& session_;
  std::string head_;
  int max_rows_;
  std::string sql_;
  int rows_ = 0;
};

struct Seed {
  std::string uri;
  int64_t trials = 0;
  int64_t audit_mark = 0;  // the last audit row of the seeded book
  absl::TimeZone london;
  // The opportunity as seeded for case c (id c), without id/etag/times.
  ComplianceOpportunity Opportunity(int64_t c) const;
};

ComplianceOpportunity Seed::Opportunity(int64_t c) const {
  const absl::CivilDay decided = Start() - 20;
  ComplianceOpportunity o;
  o.set_case_id(c);
  o.set_casegroup_id(c);  // cms_datagen: case g is casegroup g's
  o.set_paying_parent_id(2 * c - 1);
  o.set_receiving_parent_id(2 * c);
  o.set_state(cms::v1::COMPLIANCE_STATE_ACCEPTED);
  cms::domain::EligibilityFacts facts;
  facts.legacy.method_of_collection = "DEO";
  facts.legacy.deo_kind = cms::v1::LEGACY_DEO_KIND_ENFORCED;
  facts.application_date = decided - 60;
  facts.legacy.t_date = LegacyTDate();
  facts.pp_requested_service_type = cms::v1::SERVICE_TYPE_DIRECT_PAY;
  facts.rp_requested_service_type = cms::v1::SERVICE_TYPE_COLLECT_AND_PAY;
  facts.pp_employment = cms::v1::EMPLOYMENT_STATUS_EMPLOYED;
  const cms::domain::EligibilityAssessment a = cms::domain::AssessEligibility(facts);
  o.set_eligibility(a.eligibility);
  for (const auto& check : a.checks) *o.add_checks() = check;
  *o.mutable_assess_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(decided - 30) + 10 * 3600, london)));
  o.set_legacy_source(cms::v1::LEGACY_FACTS_SOURCE_LEGACY_LOOK_UP);
  *o.mutable_offer_letter_date() = DateOf(decided - 10);
  *o.mutable_response_due_date() = DateOf(decided + 4);
  *o.mutable_offer_date() = DateOf(decided - 9);
  o.set_decision(cms::v1::OFFER_DECISION_ACCEPTED);
  *o.mutable_decision_date() = DateOf(decided);
  o.set_decision_reason("PP accepted the compliance opportunity by phone");
  o.set_decided_by("cw.gb.maintenance.a1");
  o.set_employment_at_decision(cms::v1::EMPLOYMENT_STATUS_EMPLOYED);
  *o.mutable_start_date() = DateOf(Start());
  *o.mutable_end_date() = DateOf(kEnd);
  return o;
}

// The row's version: created, assessed, offer raised, letter issued, contact,
// decided, dates set (ScheduleGenerated): seven saves.
constexpr int64_t kSeedVersion = 7;

void LoadChunk(const Seed& seed, soci::session& sql, int64_t first, int64_t last) {
  const int64_t created_us = absl::ToUnixMicros(absl::Now()) - int64_t{200} * 86400 * 1000000;
  const int64_t updated_us = absl::ToUnixMicros(absl::FromCivil(Start() - 1, seed.london));
  const int64_t due_us = absl::ToUnixMicros(absl::FromCivil(kEnd, seed.london));
  const std::string end = absl::FormatCivilTime(kEnd);
  BatchInsert legacy(sql,
                     "INSERT INTO case_legacy_links (case_id, legacy_system, "
                     "legacy_case_reference, method_of_collection, deo_kind, "
                     "active_enforcement_actions, t_date, order_for_sale, committal, sisted, "
                     "driving_disqualification) VALUES ");
  BatchInsert schedules(sql,
                        "INSERT INTO schedules (id, case_id, state, frequency, "
                        "weekly_liability_pence, first_collection, next_review, reason, "
                        "created_by, created_us) VALUES ");
  BatchInsert items(sql,
                    "INSERT INTO schedule_items (schedule_id, case_id, seq, due_date, "
                    "expected_pence, expected_method, status, paid_pence, on_time, in_full, "
                    "agreed_method, missed_on) VALUES ");
  BatchInsert payments(sql,
                       "INSERT INTO payments (case_id, amount_pence, received_date, method, "
                       "pp_fee_pence, rp_fee_pence, recorded_by, recorded_us) VALUES ");
  BatchInsert opps(sql,
                   "INSERT INTO compliance_opportunities (id, case_id, casegroup_id, state, "
                   "eligibility, end_date, version, body_b64, created_us, updated_us) VALUES ",
                   500);
  BatchInsert timers(sql,
                     "INSERT INTO timers (kind, subject, due_us, payload, dedupe_key, state, "
                     "created_us) VALUES ");
  sql << "START TRANSACTION";
  for (int64_t c = first; c <= last; ++c) {
    legacy.Add(absl::StrFormat("(%d,'CSCS','CSA%08d','DEO','ENFORCED','',%s,0,0,0,0)", c, c,
                               Sql(LegacyTDate())));
    schedules.Add(absl::StrFormat("(%d,%d,'CURRENT','MONTHLY',5000,%s,%s,'initial','bench',%d)", c,
                                  c, Sql(Start()), Sql(Start() + 365), created_us));
    std::vector<SeedItem> seeded;
    std::vector<cms::domain::Payment> paid;
    ItemsOf(c, &seeded, &paid);
    // Each item's standing as the server writes it after the last payment
    // and the daily job (classified as of the day before the end).
    std::vector<cms::domain::ScheduleItem> domain_items;
    for (const SeedItem& i : seeded) {
      domain_items.push_back({i.seq, i.seq, i.due, i.pence, i.method});
    }
    auto classified = cms::domain::ClassifySchedule(domain_items, paid, kEnd - 1, 0);
    Check(classified.status(), "classify");
    for (size_t k = 0; k < seeded.size(); ++k) {
      const cms::domain::ClassifiedItem& ci = classified->items[k];
      const bool missed = ci.status == cms::domain::ItemStatus::kMissed ||
                          ci.status == cms::domain::ItemStatus::kPartial;
      items.Add(absl::StrFormat(
          "(%d,%d,%d,%s,%d,'%s','%s',%d,%d,%d,%d,%s)", c, c, seeded[k].seq, Sql(seeded[k].due),
          seeded[k].pence, cms::domain::PaymentMethodName(seeded[k].method),
          cms::domain::ItemStatusName(ci.status), ci.paid, ci.on_time ? 1 : 0, ci.in_full ? 1 : 0,
          ci.agreed_method ? 1 : 0, missed ? Sql(seeded[k].due + 1) : "NULL"));
    }
    for (const cms::domain::Payment& p : paid) {
      payments.Add(absl::StrFormat("(%d,%d,%s,'%s',0,0,'bench',%d)", c, p.amount, Sql(p.received),
                                   cms::domain::PaymentMethodName(p.method),
                                   absl::ToUnixMicros(absl::FromCivil(
                                       absl::CivilSecond(p.received) + 9 * 3600, seed.london))));
    }
    ComplianceOpportunity o = seed.Opportunity(c);
    opps.Add(absl::StrFormat("(%d,%d,%d,'ACCEPTED','%s',%s,%d,'%s',%d,%d)", c, c, c,
                             cms::ShortName(o.eligibility()), Sql(kEnd), kSeedVersion,
                             absl::Base64Escape(o.SerializeAsString()), created_us, updated_us));
    timers.Add(absl::StrFormat("('%s',%d,%d,'%s','%s/%d/%s','PENDING',%d)", kTimerKind, c, due_us,
                               end, kTimerKind, c, end, updated_us));
  }
  legacy.Flush();
  schedules.Flush();
  items.Flush();
  payments.Flush();
  opps.Flush();
  timers.Flush();
  sql << "COMMIT";
}

int64_t Scalar(soci::session& sql, const std::string& q) {
  long long v = 0;
  soci::indicator ind = soci::i_ok;
  sql << q, soci::into(v, ind);
  return ind == soci::i_ok ? v : 0;
}

std::string BenchDir() {
  char self[4096] = {0};
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  std::string dir(self, n > 0 ? n : 0);
  return dir.substr(0, dir.rfind('/'));
}

void SeedBook(Seed& seed, const std::string& db_name) {
  const absl::Time start = absl::Now();
  // Casegroups, persons, cases, the demo BOM and staff: cms_datagen's.
  const std::string datagen =
      absl::StrCat(BenchDir(), "/cms_datagen --db_name=", db_name, " --casegroups=", seed.trials,
                   " --srs_per_casegroup=0 >/dev/null");
  if (std::system(datagen.c_str()) != 0) Die("cms_datagen failed");
  const int64_t chunk = 1000;
  const int64_t chunks = (seed.trials + chunk - 1) / chunk;
  std::atomic<int64_t> next{0};
  std::vector<std::thread> loaders;
  for (int t = 0; t < 2; ++t) {
    loaders.emplace_back([&] {
      try {
        soci::session sql(soci::mysql, seed.uri);
        sql << "SET SESSION unique_checks = 0, foreign_key_checks = 0";
        for (int64_t k = next++; k < chunks; k = next++) {
          LoadChunk(seed, sql, k * chunk + 1, std::min(seed.trials, (k + 1) * chunk));
        }
      } catch (const std::exception& e) {
        Die(absl::StrCat("seed: ", e.what()));
      }
    });
  }
  for (auto& l : loaders) l.join();
  try {
    soci::session sql(soci::mysql, seed.uri);
    // What a run changes, kept to put the book back before the next run.
    sql << "CREATE TABLE bench_seed_opportunities AS SELECT id, state, version, body_b64, "
           "updated_us FROM compliance_opportunities";
    sql << "ALTER TABLE bench_seed_opportunities ADD PRIMARY KEY (id)";
    seed.audit_mark = Scalar(sql, "SELECT COALESCE(MAX(id), 0) FROM audit_events");
    soci::rowset<soci::row> analyzed =
        (sql.prepare << "ANALYZE TABLE persons, casegroups, cases, case_legacy_links, schedules, "
                        "schedule_items, payments, compliance_opportunities, timers");
    for (auto it = analyzed.begin(); it != analyzed.end(); ++it) {
    }
  } catch (const std::exception& e) {
    Die(absl::StrCat("seed: ", e.what()));
  }
  std::printf("seeded %lld trials ending %s (start %s) in %.1f s\n",
              static_cast<long long>(seed.trials), absl::FormatCivilTime(kEnd).c_str(),
              absl::FormatCivilTime(Start()).c_str(), absl::ToDoubleSeconds(absl::Now() - start));
  std::fflush(stdout);
}

// ------------------------------------------------------------- run & reset

// The tables a firing inserts into (nothing was in them after seeding).
constexpr const char* kRunTables[] = {"service_requests", "sr_fields", "compliance_events"};

// Back to the seeded book: no outcome SRs, events or audit rows, every
// opportunity ACCEPTED as seeded, every timer PENDING, the clock at 0.
void Reset(const Seed& seed) {
  try {
    soci::session sql(soci::mysql, seed.uri);
    sql << "SET SESSION foreign_key_checks = 0";
    for (const char* table : kRunTables) sql << absl::StrCat("DELETE FROM ", table);
    long long mark = seed.audit_mark;
    sql << "DELETE FROM audit_events WHERE id > :m", soci::use(mark);
    sql << "UPDATE compliance_opportunities o JOIN bench_seed_opportunities b ON b.id = o.id SET "
           "o.state = b.state, o.version = b.version, o.body_b64 = b.body_b64, o.updated_us = "
           "b.updated_us";
    sql << "UPDATE timers SET state = 'PENDING', attempts = 0, last_error = NULL, fired_us = "
           "NULL WHERE kind = 'S5_SCHEDULED_END'";
    sql << "UPDATE business_clock SET offset_us = 0 WHERE id = 1";
  } catch (const std::exception& e) {
    Die(absl::StrCat("reset: ", e.what()));
  }
}

struct Outcome {
  int64_t due = 0, srs = 0, events = 0, fired = 0;
  std::map<std::string, int64_t> proposals;  // "PASS/ALL_PAYMENTS_RECEIVED" -> count (sample)
};

// What a run left: counts, and the proposals of the first 400 trials.
Outcome Tally(const Seed& seed) {
  Outcome o;
  try {
    soci::session sql(soci::mysql, seed.uri);
    o.due =
        Scalar(sql, "SELECT COUNT(*) FROM compliance_opportunities WHERE state = 'OUTCOME_DUE'");
    o.srs = Scalar(sql,
                   "SELECT COUNT(*) FROM service_requests WHERE type_code = "
                   "'COMPLIANCE_OPPORTUNITY_OUTCOME'");
    o.events =
        Scalar(sql, "SELECT COUNT(*) FROM compliance_events WHERE kind = 'OUTCOME_SR_RAISED'");
    o.fired = Scalar(sql,
                     "SELECT COUNT(*) FROM timers WHERE kind = 'S5_SCHEDULED_END' AND state = "
                     "'FIRED'");
    soci::rowset<std::string> bodies = (sql.prepare << "SELECT body_b64 FROM "
                                                       "compliance_opportunities WHERE id <= 400");
    for (const std::string& b : bodies) {
      std::string bytes;
      ComplianceOpportunity opp;
      if (!absl::Base64Unescape(b, &bytes) || !opp.ParseFromString(bytes)) continue;
      ++o.proposals[absl::StrCat(cms::ShortName(opp.proposal().action()), "/",
                                 cms::ShortName(opp.proposal().reason()))];
    }
  } catch (const std::exception& e) {
    Die(absl::StrCat("tally: ", e.what()));
  }
  return o;
}

std::string Describe(const Outcome& o) {
  std::vector<std::string> p;
  for (const auto& [k, n] : o.proposals) p.push_back(absl::StrCat(k, " ", n));
  return absl::StrCat(o.due, " OUTCOME_DUE, ", o.srs, " outcome SRs, ", o.events, " events, ",
                      o.fired,
                      " timers fired; proposals of trials 1-400: ", absl::StrJoin(p, ", "));
}

struct RunResult {
  std::string path;
  double seconds = 0;
  double rate = 0;
  double steal = 0;
};

struct CpuTicks {
  uint64_t total = 0, steal = 0;
};
CpuTicks ReadCpuTicks() {
  CpuTicks t;
  std::ifstream stat("/proc/stat");
  std::string cpu;
  stat >> cpu;
  for (int i = 0; i < 8; ++i) {
    uint64_t v = 0;
    if (!(stat >> v)) break;
    t.total += v;
    if (i == 7) t.steal = v;
  }
  return t;
}
double StealSince(const CpuTicks& from) {
  const CpuTicks to = ReadCpuTicks();
  return to.total > from.total ? 100.0 * (to.steal - from.steal) / (to.total - from.total) : 0;
}

ServerProcess StartServer(const Seed& seed, const std::string& tokens) {
  std::string bin = absl::GetFlag(FLAGS_server_bin);
  if (bin.empty()) bin = cms::bench::ServerBinaryBesideMe();
  auto p = ServerProcess::Start(
      bin, {"--db_uri=" + seed.uri, "--test_clock", "--tokens_file=" + tokens,
            absl::StrCat("--trusted_clients=", kClient),
            absl::StrCat("--timer_sweep_ms=", absl::GetFlag(FLAGS_sweep_ms)),
            absl::StrCat("--timer_batch_size=", absl::GetFlag(FLAGS_batch_size)),
            absl::StrCat("--timer_sweep_threads=", absl::GetFlag(FLAGS_sweep_threads)),
            "--pool_size=4"});
  Check(p.status(), "start cms_server");
  return *std::move(p);
}

template <typename Service>
std::unique_ptr<typename Service::Stub> Connect(const ServerProcess& server) {
  return Service::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", server.port()),
                                              grpc::InsecureChannelCredentials()));
}

void Authorize(grpc::ClientContext& ctx) {
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
  ctx.AddMetadata("x-cms-user", kManager);
}

// The first n opportunities through a real server's GetComplianceOpportunity
// equal what was seeded (the row is what the server reads and writes).
void Verify(const Seed& seed, const std::string& tokens, int n) {
  if (n <= 0) return;
  ServerProcess server = StartServer(seed, tokens);
  auto stub = Connect<cms::v1::ComplianceService>(server);
  for (int64_t c = 1; c <= std::min<int64_t>(n, seed.trials); ++c) {
    cms::v1::GetComplianceOpportunityRequest req;
    req.set_id(c);
    ComplianceOpportunity got;
    grpc::ClientContext ctx;
    Authorize(ctx);
    grpc::Status s = stub->GetComplianceOpportunity(&ctx, req, &got);
    if (!s.ok()) Die(absl::StrCat("GetComplianceOpportunity ", c, ": ", s.error_message()));
    ComplianceOpportunity want = seed.Opportunity(c);
    want.set_id(c);
    want.set_etag(cms::EtagOf(kSeedVersion));
    *want.mutable_create_time() = got.create_time();
    *want.mutable_update_time() = got.update_time();
    std::string diff;
    google::protobuf::util::MessageDifferencer d;
    d.ReportDifferencesToString(&diff);
    if (!d.Compare(want, got)) Die(absl::StrCat("opportunity ", c, " read back differs: ", diff));
    if (c == 1) {
      std::printf(
          "verified: opportunity 1 through GetComplianceOpportunity: state %s, "
          "eligibility %s, %d checks, trial %s..%s, etag %s\n",
          cms::ShortName(got.state()).c_str(), cms::ShortName(got.eligibility()).c_str(),
          got.checks_size(), absl::FormatCivilTime(Start()).c_str(),
          absl::FormatCivilTime(kEnd).c_str(), got.etag().c_str());
    }
  }
  std::printf(
      "verified: the first %d seeded opportunities read back through a real server equal "
      "what was seeded\n",
      n);
  std::fflush(stdout);
}

RunResult ServerRun(const Seed& seed, const std::string& tokens) {
  Reset(seed);
  ServerProcess server = StartServer(seed, tokens);
  auto admin = Connect<cms::v1::AdminService>(server);
  soci::session sql(soci::mysql, seed.uri);
  const int64_t pending_before = Scalar(
      sql, "SELECT COUNT(*) FROM timers WHERE kind = 'S5_SCHEDULED_END' AND state = 'PENDING'");
  if (pending_before != seed.trials) Die("timers fired before the clock moved");
  const CpuTicks ticks = ReadCpuTicks();
  const absl::Time start = absl::Now();
  {
    // 00:00 of the end day, Europe/London, on the business clock.
    cms::v1::SetClockRequest req;
    *req.mutable_now() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(absl::FromCivil(kEnd, seed.london)) + 60 * 1000000);
    cms::v1::Clock out;
    grpc::ClientContext ctx;
    Authorize(ctx);
    grpc::Status s = admin->SetClock(&ctx, req, &out);
    if (!s.ok()) Die(absl::StrCat("SetClock: ", s.error_message()));
  }
  const absl::Time limit = start + absl::Seconds(1800);
  // Each poll reads one index entry (ix_timers_sweep): is any timer still
  // PENDING? A timer is marked FIRED in the transaction that made its
  // opportunity OUTCOME_DUE, so none pending means every one is (counted
  // after the run). The raw path is not polled: a poll must cost next to
  // nothing, or it would slow the server path alone.
  for (;;) {
    if (Scalar(sql,
               "SELECT COUNT(*) FROM (SELECT 1 FROM timers WHERE state = 'PENDING' LIMIT 1) p") ==
        0) {
      break;
    }
    if (Scalar(sql, "SELECT COUNT(*) FROM timers WHERE state = 'FAILED'") > 0) {
      Die("a timer FAILED: see the server log");
    }
    if (absl::Now() > limit) Die("opportunities still not OUTCOME_DUE after 1800 s");
    absl::SleepFor(absl::Milliseconds(100));
  }
  RunResult r;
  r.path = "server";
  r.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  r.steal = StealSince(ticks);
  r.rate = seed.trials / r.seconds;
  return r;
}

RunResult RawRun(const Seed& seed) {
  Reset(seed);
  const int threads = absl::GetFlag(FLAGS_sweep_threads);
  auto opened = Db::Open({seed.uri, threads});
  Check(opened.status(), "open");
  std::unique_ptr<Db> db = *std::move(opened);
  cms::bench::RawCompliance raw(
      absl::ToUnixMicros(absl::FromCivil(kEnd, seed.london)) + 60 * 1000000, kEnd);
  const int batch = absl::GetFlag(FLAGS_batch_size);
  const CpuTicks ticks = ReadCpuTicks();
  const absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&] {
      for (;;) {
        int claimed = 0;
        Check(db->RunInTransaction([&](Tx& tx) { return raw.FireBatch(tx, batch, &claimed); }),
              "raw batch");
        if (claimed == 0) return;
      }
    });
  }
  for (auto& w : workers) w.join();
  RunResult r;
  r.path = "raw";
  r.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  r.steal = StealSince(ticks);
  r.rate = seed.trials / r.seconds;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) Die("CMS_TEST_DB_URI is not set; run through `tools/cms compliancebench`");
  const std::vector<std::string> only = absl::StrSplit(absl::GetFlag(FLAGS_only), ',');
  auto wanted = [&](const char* name) {
    return std::find(only.begin(), only.end(), name) != only.end();
  };
  Seed seed;
  seed.trials = absl::GetFlag(FLAGS_trials);
  seed.london = London();
  const std::string db_name = absl::StrCat("cb_", getpid());
  seed.uri = absl::StrCat(base, " db=", db_name);
  Check(cms::store::DropDatabase(seed.uri), "drop");
  SeedBook(seed, db_name);
  const std::string tokens = absl::StrCat("/tmp/cms_compliancebench_tokens_", getpid());
  cms::bench::WriteTokensFile(tokens, kToken, kClient);
  Verify(seed, tokens, absl::GetFlag(FLAGS_verify));

  std::printf(
      "server runs --timer_sweep_threads=%d --timer_batch_size=%d --timer_sweep_ms=%d "
      "--pool_size=4; raw: %d threads, %d timers a transaction\n",
      absl::GetFlag(FLAGS_sweep_threads), absl::GetFlag(FLAGS_batch_size),
      absl::GetFlag(FLAGS_sweep_ms), absl::GetFlag(FLAGS_sweep_threads),
      absl::GetFlag(FLAGS_batch_size));
  std::fflush(stdout);
  std::vector<RunResult> results;
  for (int run = 0; run < absl::GetFlag(FLAGS_runs); ++run) {
    for (const char* path : {"server", "raw"}) {
      if (!wanted(path)) continue;
      RunResult r = std::string(path) == "server" ? ServerRun(seed, tokens) : RawRun(seed);
      const Outcome o = Tally(seed);
      std::printf("run %d %-6s %7lld trials in %7.2f s = %7.0f trials/s steal=%4.1f%% (%s)\n",
                  run + 1, r.path.c_str(), static_cast<long long>(seed.trials), r.seconds, r.rate,
                  r.steal, Describe(o).c_str());
      std::fflush(stdout);
      if (o.due != seed.trials || o.srs != seed.trials || o.events != seed.trials ||
          o.fired != seed.trials) {
        Die(absl::StrCat(path, " run left the book incomplete"));
      }
      results.push_back(r);
    }
  }
  // Each server run against the raw run that followed it (interleaved).
  double server_sum = 0, raw_sum = 0, best_server_s = 1e18;
  int servers = 0, raws = 0;
  for (const RunResult& r : results) {
    if (r.path == "server") {
      server_sum += r.rate, ++servers;
      best_server_s = std::min(best_server_s, r.seconds);
    } else {
      raw_sum += r.rate, ++raws;
    }
  }
  if (servers > 0 && raws > 0) {
    std::printf("mean: server %.0f trials/s, raw %.0f trials/s: server/raw %.0f%% (target >= 60%%)",
                server_sum / servers, raw_sum / raws,
                100.0 * (server_sum / servers) / (raw_sum / raws));
    std::printf("; best server run %.1f s for %lld trials (target <= 120 s at 100,000)\n",
                best_server_s, static_cast<long long>(seed.trials));
  }
  std::remove(tokens.c_str());
  if (!absl::GetFlag(FLAGS_keep_db)) {
    Check(cms::store::DropDatabase(seed.uri), "drop");
  } else {
    std::printf("kept database %s\n", db_name.c_str());
  }
  return 0;
}
