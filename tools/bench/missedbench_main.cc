// cms_missedbench: the daily missed-payment job (AR10.1) over a generated
// book of N cases with 10 monthly schedule items each, timed through the
// job's own code (app::MissedPaymentApp::RunDetection) and then through the
// same statements sent straight through SOCI (the ceiling), in one run.
// A second run of the job for the same day must change nothing.
//
// The book: every case has items due on the 1st of March..December 2026
// and the job runs for 15 December 2026, so all ten are past due. With
// --unpaid=mixed (default) each case's last 0..3 items are unpaid (about
// 1.5 per case; the rest PAID), as on a normal day after a month's
// collections; with --unpaid=all every item is PENDING (the first run after
// a long outage: the worst case).
//
//   tools/cms missedbench [--cases=100000] [--unpaid=mixed|all]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "server/app/missed_payments.h"
#include "server/catalog/catalog.h"
#include "server/store/db.h"
#include "server/store/migrations.h"
#include "soci/soci.h"

ABSL_FLAG(int, cases, 100000, "cases in the book (10 schedule items each)");
ABSL_FLAG(std::string, unpaid, "mixed", "mixed: 0..3 unpaid items per case; all: every item");
ABSL_FLAG(int, cases_per_batch, 1000, "case ids per job transaction");

namespace {

using Clock = std::chrono::steady_clock;
using cms::store::Db;
using cms::store::Tx;

constexpr int kItemsPerCase = 10;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cms_missedbench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) Die(absl::StrCat(what, ": ", s.ToString()));
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Is item `i` (0-based, by due date) of case `c` unpaid?
bool Unpaid(int c, int i, bool all) { return all || i >= kItemsPerCase - (c % 4); }

void Load(Db& db, int cases, bool all) {
  const auto start = Clock::now();
  Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
    // Only the tables the job reads and writes are filled; the
    // parties and casegroups behind the cases are not needed.
    tx.session() << "SET FOREIGN_KEY_CHECKS = 0";
    return absl::OkStatus();
  }),
        "fk off");
  for (int from = 1; from <= cases; from += 1000) {
    const int to = std::min(cases, from + 999);
    Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
      tx.session() << "SET FOREIGN_KEY_CHECKS = 0";
      std::vector<std::string> k, s, items;
      for (int c = from; c <= to; ++c) {
        k.push_back(absl::StrCat("(", c, ",", c,
                                 ",1,1,'2012','MAINTENANCE','DIRECT_PAY',"
                                 "'DIRECT_PAY','DIRECT_PAY','2027-02-01','2026-02-01',1,0)"));
        s.push_back(absl::StrCat("(", c, ",", c,
                                 ",'CURRENT','MONTHLY',5000,'2026-03-01',"
                                 "'2027-02-01','initial','bench',0)"));
        for (int i = 0; i < kItemsPerCase; ++i) {
          const bool unpaid = Unpaid(c, i, all);
          items.push_back(absl::StrCat(
              "(", c, ",", c, ",", i + 1, ",'2026-", absl::StrFormat("%02d", 3 + i),
              "-01',21667,'DD','", unpaid ? "PENDING" : "PAID", "',", unpaid ? 0 : 21667, ",",
              unpaid ? 0 : 1, ",", unpaid ? 0 : 1, ",", unpaid ? 0 : 1, ")"));
        }
      }
      tx.session() << absl::StrCat(
          "INSERT INTO cases (id, casegroup_id, pp_person_id, rp_person_id, scheme, "
          "lifecycle_stage, service_type, pp_requested_service_type, "
          "rp_requested_service_type, annual_review_date, application_date, version, "
          "created_us) VALUES ",
          absl::StrJoin(k, ","));
      tx.session() << absl::StrCat(
          "INSERT INTO schedules (id, case_id, state, frequency, weekly_liability_pence, "
          "first_collection, next_review, reason, created_by, created_us) VALUES ",
          absl::StrJoin(s, ","));
      tx.session() << absl::StrCat(
          "INSERT INTO schedule_items (schedule_id, case_id, seq, due_date, "
          "expected_pence, expected_method, status, paid_pence, on_time, in_full, "
          "agreed_method) VALUES ",
          absl::StrJoin(items, ","));
      return absl::OkStatus();
    }),
          "load");
  }
  Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
    tx.session() << "ANALYZE TABLE schedule_items, schedules, cases";
    return absl::OkStatus();
  }),
        "analyze");
  std::printf("loaded %d cases, %d schedule items in %.1f s\n", cases, cases * kItemsPerCase,
              Seconds(start));
}

struct Counts {
  long long pending = 0, missed = 0, events = 0, timers = 0;
};

Counts Count(Db& db) {
  Counts n;
  Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
    tx.session() << "SELECT COUNT(*) FROM schedule_items WHERE status = 'PENDING'",
        soci::into(n.pending);
    tx.session() << "SELECT COUNT(*) FROM schedule_items WHERE status IN ('MISSED', "
                    "'PARTIAL')",
        soci::into(n.missed);
    tx.session() << "SELECT COUNT(*) FROM missed_payment_events", soci::into(n.events);
    tx.session() << "SELECT COUNT(*) FROM timers WHERE kind = 'MISSED_PAYMENT_EVENT'",
        soci::into(n.timers);
    return absl::OkStatus();
  }),
        "count");
  return n;
}

// Back to the loaded state: the job's marks and events undone.
void Reset(Db& db) {
  Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
    tx.session() << "UPDATE schedule_items SET status = 'PENDING', missed_on = NULL "
                    "WHERE status IN ('MISSED', 'PARTIAL')";
    tx.session() << "DELETE FROM missed_payment_events";
    tx.session() << "DELETE FROM timers WHERE kind = 'MISSED_PAYMENT_EVENT'";
    return absl::OkStatus();
  }),
        "reset");
}

// The job's statements with no app code around them: per range of case
// ids, mark the overdue PENDING items, read the range's standings, insert
// one event per case marked and read them back, schedule their timers.
void RawRun(Db& db, int cases, int cases_per_batch) {
  for (long long first = 1; first <= cases; first += cases_per_batch) {
    const long long last = first + cases_per_batch - 1;
    Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
      soci::statement mark =
          (tx.session().prepare << "UPDATE schedule_items FORCE INDEX (ix_items_case) SET "
                                   "status = IF(paid_pence > 0, 'PARTIAL', 'MISSED'), "
                                   "missed_on = '2026-12-15' WHERE case_id BETWEEN :f AND "
                                   ":l AND due_date < '2026-12-15' AND status = 'PENDING'",
           soci::use(first), soci::use(last));
      mark.execute(true);
      if (mark.get_affected_rows() == 0) return absl::OkStatus();
      std::map<long long, int> run;
      std::map<long long, long long> latest;
      soci::rowset<soci::row> standings =
          (tx.session().prepare << "SELECT case_id, id, due_date, status, missed_on FROM "
                                   "schedule_items WHERE case_id BETWEEN :f AND :l AND "
                                   "status <> 'SUPERSEDED' ORDER BY case_id, due_date, id",
           soci::use(first), soci::use(last));
      for (const soci::row& r : standings) {
        const long long c = r.get<long long>(0);
        const std::string status = r.get<std::string>(3);
        int& n = run[c];
        if (status == "PAID") n = 0;
        if (status == "MISSED" || status == "PARTIAL") ++n;
        if (r.get_indicator(4) != soci::i_null) latest[c] = r.get<long long>(1);
      }
      std::vector<std::string> events;
      std::vector<long long> items;
      for (const auto& [c, id] : latest) {
        if (run[c] < 1) continue;
        events.push_back(absl::StrCat("(", c, ",", id, ",", run[c], ",'2026-12-15',0)"));
        items.push_back(id);
      }
      if (events.empty()) return absl::OkStatus();
      tx.session() << absl::StrCat(
          "INSERT IGNORE INTO missed_payment_events (case_id, item_id, run_count, "
          "event_date, created_us) VALUES ",
          absl::StrJoin(events, ","));
      std::vector<std::string> timers;
      soci::rowset<soci::row> stored =
          (tx.session().prepare << absl::StrCat(
               "SELECT id, run_count FROM missed_payment_events WHERE item_id IN (",
               absl::StrJoin(items, ","), ") ORDER BY id"));
      for (const soci::row& r : stored) {
        const long long id = r.get<long long>(0);
        timers.push_back(absl::StrCat("('MISSED_PAYMENT_EVENT',", id, ",0,'", r.get<int>(1),
                                      "','MISSED_PAYMENT_EVENT/", id, "','PENDING',0)"));
      }
      for (size_t b = 0; b < timers.size(); b += 500) {
        std::vector<std::string> part(timers.begin() + b,
                                      timers.begin() + std::min(timers.size(), b + 500));
        tx.session() << absl::StrCat(
            "INSERT IGNORE INTO timers (kind, subject, due_us, payload, dedupe_key, state, "
            "created_us) VALUES ",
            absl::StrJoin(part, ","));
      }
      return absl::OkStatus();
    }),
          "raw batch");
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) Die("CMS_TEST_DB_URI is not set: run through `tools/cms missedbench`");
  const int cases = absl::GetFlag(FLAGS_cases);
  const bool all = absl::GetFlag(FLAGS_unpaid) == "all";
  const std::string uri = absl::StrCat(base, " db=mb_", getpid());
  Check(cms::store::DropDatabase(uri), "drop");
  Check(cms::store::CreateDatabaseIfMissing(uri), "create");
  {
    auto opened = Db::Open({uri, 4});
    Check(opened.status(), "open");
    std::unique_ptr<Db> db = *std::move(opened);
    Check(cms::store::MigrateUp(*db, cms::store::EmbeddedMigrations()).status(), "migrate");
    Load(*db, cases, all);
    const Counts loaded = Count(*db);
    std::printf("unpaid (PENDING) items past due: %lld\n", loaded.pending);

    auto catalog = cms::catalog::SrCatalog::Load(cms::catalog::EmbeddedCatalogFiles());
    Check(catalog.status(), "catalog");
    auto clock = cms::app::BusinessClock::Create(/*test_mode=*/true);
    Check(clock.status(), "business clock");
    cms::app::Commands commands(*db, *clock);
    cms::app::ServiceRequestApp srs(commands, *catalog);
    // No procedure listens: the bench's cases are in no Segment 5 trial.
    cms::app::CaseEvents events;
    cms::app::MissedPaymentApp job(commands, srs, cms::app::PaymentRules{}, events,
                                   absl::GetFlag(FLAGS_cases_per_batch));
    const absl::CivilDay day(2026, 12, 15);

    auto start = Clock::now();
    auto first = job.RunDetection(day);
    Check(first.status(), "job");
    const double job_s = Seconds(start);
    const Counts after_job = Count(*db);
    std::printf(
        "job (server code):  %.2f s  marked %lld items, %lld events, %lld batches  "
        "(%.0f items/s)\n",
        job_s, static_cast<long long>(first->items_marked), static_cast<long long>(first->events),
        static_cast<long long>(first->batches), first->items_marked / job_s);

    start = Clock::now();
    auto second = job.RunDetection(day);
    Check(second.status(), "job again");
    const double again_s = Seconds(start);
    const Counts after_again = Count(*db);
    const bool unchanged = second->items_marked == 0 && second->events == 0 &&
                           after_again.missed == after_job.missed &&
                           after_again.events == after_job.events &&
                           after_again.timers == after_job.timers;
    std::printf("same day again:     %.2f s  marked %lld, events %lld: %s\n", again_s,
                static_cast<long long>(second->items_marked),
                static_cast<long long>(second->events),
                unchanged ? "nothing changed" : "CHANGED (bug)");

    Reset(*db);
    start = Clock::now();
    RawRun(*db, cases, absl::GetFlag(FLAGS_cases_per_batch));
    const double raw_s = Seconds(start);
    const Counts after_raw = Count(*db);
    std::printf("raw SQL (ceiling):  %.2f s  marked %lld items, %lld events  (server/raw %.2fx)\n",
                raw_s, after_raw.missed, after_raw.events, job_s / raw_s);
    if (!unchanged || after_raw.missed != after_job.missed ||
        after_raw.events != after_job.events) {
      Die("the job and the raw SQL disagree, or a re-run changed something");
    }
  }
  Check(cms::store::DropDatabase(uri), "drop");
  return 0;
}
