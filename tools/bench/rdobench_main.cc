// cms_rdobench: the nightly RDO compliance check (AR10.6; issue 15, "the
// RDO compliance check over 100,000 RDO schedules in <= 60 s") over a book
// of N regular deduction orders whose payment fell due yesterday, timed
// through the check's own code (app::ArrearsApp::RunRdoCheck, as the
// ARREARS_RDO_CHECK job runs it inside cms_server) and through the same
// statements sent straight through SOCI (the ceiling), alternating
// (server, raw, server, raw, ...; --runs each) on the same seeded rows, put
// back before every run, so both see the same data and neighbours.
//
// The book (seeded with bulk SQL; not measured): per case an arrears action
// whose Disclosure has an RDO of £100 a week set up on 20 February 2027,
// first payment Monday 1 March, with a letter and a contact on record as a
// real action carries, and the RDO payment received on 1 March by method
// RDO; the check runs for Tuesday 2 March. Every payment is in full: the
// nightly common case (each judgement is an action update, its history
// event and its audit row with the before and after JSON). A shortfall
// raises an Action Missed Payment SR, measured by the SR benchmarks; it is
// rare and not part of this figure.
//
// The raw ceiling, per chunk of --batch actions (one transaction, as the
// check): lock the chunk's actions (one SELECT ... FOR UPDATE), read their
// RDO receipts (one SELECT), decode each body and record the payment and
// the next due date, then write the chunk as the check does: the actions
// in one INSERT ... ON DUPLICATE KEY UPDATE, the events in one multi-row
// INSERT, the audit rows (the same JSON the server writes) in one more.
//
//   tools/cms rdobench [--rdos=100000] [--runs=2] [--batch=100]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "server/app/approval_actions.h"
#include "server/app/approvals.h"
#include "server/app/arrears.h"
#include "server/app/bom.h"
#include "server/app/hmrc.h"
#include "server/app/letters.h"
#include "server/base/proto_json.h"
#include "server/catalog/bank_holidays.h"
#include "server/catalog/catalog.h"
#include "server/catalog/letter_templates.h"
#include "server/store/db.h"
#include "server/store/migrations.h"
#include "soci/soci.h"

ABSL_FLAG(int, rdos, 100000, "RDO schedules (cases), each with a payment due yesterday");
ABSL_FLAG(int, runs, 2, "runs of each (server, raw alternating)");
ABSL_FLAG(int, batch, 100, "actions per transaction (the check's chunk)");

namespace {

using Clock = std::chrono::steady_clock;
using cms::store::Db;
using cms::store::Tx;

const absl::CivilDay kDay(2027, 3, 2);

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cms_rdobench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) Die(absl::StrCat(what, ": ", s.ToString()));
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

cms::v1::Date DateOf(int y, int m, int d) {
  cms::v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

// Case `c`'s action as the RDO set-up left it.
cms::v1::ArrearsAction ActionOf(int c) {
  cms::v1::ArrearsAction a;
  a.set_case_id(c);
  a.set_casegroup_id(c);
  a.set_paying_parent_id(2 * c);
  a.set_state(cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS);
  a.set_review_service_request_id(64 * c);
  a.set_review_reason(cms::v1::ARREARS_REVIEW_REASON_ARREARS_ROUTING_LOGIC);
  *a.mutable_review_date() = DateOf(2027, 1, 12);
  a.set_balance_at_review_pence(60000);
  a.set_payment_failure_reason("DD £300.00 due 2027-01-11 not paid");
  a.set_missed_payments(2);
  a.set_rung(cms::v1::ARREARS_RUNG_DISCLOSURE);
  cms::v1::ArrearsLetter* l = a.add_letters();
  l->set_template_code("CMSL6031");
  l->set_letter_id(c);
  *l->mutable_issue_date() = DateOf(2027, 1, 12);
  l->set_service_request_id(64 * c);
  l->set_reason("no arrears letter has been sent: CMSL6031 (AR10.4)");
  cms::v1::ArrearsContact* k = a.add_contacts();
  k->set_outcome(cms::v1::ARREARS_CONTACT_OUTCOME_REFUSES_TO_PAY);
  *k->mutable_contact_date() = DateOf(2027, 1, 14);
  k->set_note("will not pay, not interested in an arrangement");
  k->set_recorded_by("cw.gb.maintenance.a1");
  cms::v1::FinalNegotiation* n = a.mutable_negotiation();
  n->set_service_request_id(64 * c + 1);
  n->set_purpose(cms::v1::ARREARS_RUNG_DISCLOSURE);
  *n->mutable_start_date() = DateOf(2027, 1, 19);
  n->set_outcome(cms::v1::NEGOTIATION_OUTCOME_FAILED);
  cms::v1::Disclosure* d = a.mutable_disclosure();
  d->set_service_request_id(64 * c + 2);
  *d->mutable_requested_date() = DateOf(2027, 1, 19);
  d->set_reason("current and savings accounts");
  d->set_outcome(cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP);
  *d->mutable_outcome_date() = DateOf(2027, 2, 20);
  d->set_assets_found(true);
  d->set_outcome_note("RDO on the current account");
  d->set_recorded_by("cw.gb.deduction_order_team.a1");
  d->set_rdo_payment_pence(10000);
  *d->mutable_rdo_first_payment_date() = DateOf(2027, 3, 1);
  d->set_rdo_frequency(cms::v1::FREQUENCY_WEEKLY);
  *d->mutable_rdo_review_date() = DateOf(2027, 3, 22);
  d->set_authorised_order(cms::v1::DEDUCTION_ORDER_RDO);
  *d->mutable_rdo_next_due_date() = DateOf(2027, 3, 1);
  return a;
}

std::string BodyOf(const cms::v1::ArrearsAction& a) {
  return absl::Base64Escape(a.SerializeAsString());
}

void Load(Db& db, int rdos) {
  const auto start = Clock::now();
  for (int from = 1; from <= rdos; from += 1000) {
    const int to = std::min(rdos, from + 999);
    Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
      // Only the tables the check reads and writes are filled.
      tx.session() << "SET FOREIGN_KEY_CHECKS = 0";
      std::vector<std::string> actions, payments;
      for (int c = from; c <= to; ++c) {
        actions.push_back(absl::StrCat("(", c, ",", c, ",", c,
                                       ",'ACTION_IN_PROGRESS','DISCLOSURE',0,'2027-03-01',1,'",
                                       BodyOf(ActionOf(c)), "',0,0)"));
        payments.push_back(absl::StrCat("(", c, ",10000,'2027-03-01','RDO',0,0,'bench',0)"));
      }
      tx.session() << absl::StrCat(
          "INSERT INTO arrears_seed (id, case_id, casegroup_id, state, rung, monitor_disabled, "
          "rdo_next_due, version, body_b64, created_us, updated_us) VALUES ",
          absl::StrJoin(actions, ","));
      tx.session() << absl::StrCat(
          "INSERT INTO payments (case_id, amount_pence, received_date, method, pp_fee_pence, "
          "rp_fee_pence, recorded_by, recorded_us) VALUES ",
          absl::StrJoin(payments, ","));
      return absl::OkStatus();
    }),
          "load");
  }
  std::printf("loaded %d RDOs in %.1f s\n", rdos, Seconds(start));
}

// Back to the seeded state: the actions as set up, no history, no audit.
void Reset(Db& db) {
  Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
    tx.session() << "SET FOREIGN_KEY_CHECKS = 0";
    tx.session() << "DELETE FROM arrears_events";
    tx.session() << "DELETE FROM audit_events";
    tx.session() << "DELETE FROM arrears_actions";
    tx.session() << "INSERT INTO arrears_actions SELECT * FROM arrears_seed";
    return absl::OkStatus();
  }),
        "reset");
  Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
    tx.session() << "ANALYZE TABLE arrears_actions, payments";
    return absl::OkStatus();
  }),
        "analyze");
}

struct Counts {
  long long judged = 0, events = 0, audits = 0;
};

Counts Count(Db& db) {
  Counts n;
  Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
    tx.session() << "SELECT COUNT(*) FROM arrears_actions WHERE rdo_next_due = '2027-03-08'",
        soci::into(n.judged);
    tx.session() << "SELECT COUNT(*) FROM arrears_events", soci::into(n.events);
    tx.session() << "SELECT COUNT(*) FROM audit_events", soci::into(n.audits);
    return absl::OkStatus();
  }),
        "count");
  return n;
}

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  (void)cms::ProtoToJson(m, &out);
  return out;
}

// The check's statements with no app code around them (see the header).
void RawRun(Db& db, int batch) {
  std::vector<long long> ids;
  Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
    soci::rowset<soci::row> rows =
        (tx.session().prepare << "SELECT id FROM arrears_actions WHERE rdo_next_due <= "
                                 "'2027-03-01' ORDER BY id");
    for (const soci::row& r : rows) ids.push_back(r.get<long long>(0));
    return absl::OkStatus();
  }),
        "raw ids");
  const long long now_us = absl::ToUnixMicros(absl::Now());
  for (size_t i = 0; i < ids.size(); i += batch) {
    const std::vector<long long> chunk(ids.begin() + i,
                                       ids.begin() + std::min(ids.size(), i + batch));
    const std::string in = absl::StrJoin(chunk, ",");
    Check(db.RunInTransaction([&](Tx& tx) -> absl::Status {
      std::vector<cms::v1::ArrearsAction> actions;
      soci::rowset<soci::row> rows =
          (tx.session().prepare << absl::StrCat(
               "SELECT id, version, body_b64, created_us, updated_us FROM arrears_actions "
               "WHERE id IN (",
               in, ") ORDER BY id FOR UPDATE"));
      for (const soci::row& r : rows) {
        std::string bytes;
        absl::Base64Unescape(r.get<std::string>(2), &bytes);
        cms::v1::ArrearsAction a;
        a.ParseFromString(bytes);
        a.set_id(r.get<long long>(0));
        actions.push_back(std::move(a));
      }
      std::vector<std::string> cases;
      for (const auto& a : actions) cases.push_back(absl::StrCat(a.case_id()));
      long long received_total = 0;
      soci::rowset<soci::row> receipts =
          (tx.session().prepare << absl::StrCat(
               "SELECT case_id, received_date, amount_pence FROM payments WHERE case_id IN (",
               absl::StrJoin(cases, ","),
               ") AND received_date >= '2027-02-20' AND method = 'RDO' ORDER BY case_id, "
               "received_date, id"));
      for (const soci::row& r : receipts) received_total += r.get<long long>(2);
      (void)received_total;
      std::vector<std::string> rows_sql, events, audits;
      const std::string detail = tx.Quote(
          "RDO payment due 2027-03-01: £100.00 of £100.00 received by method RDO; RDO "
          "monitoring (AR10.6)");
      for (cms::v1::ArrearsAction& a : actions) {
        const cms::v1::ArrearsAction before = a;
        cms::v1::RdoPayment* p = a.mutable_disclosure()->add_rdo_payments();
        *p->mutable_due_date() = DateOf(2027, 3, 1);
        p->set_expected_pence(10000);
        p->set_received_pence(10000);
        p->set_recorded_by("system");
        *p->mutable_recorded_date() = DateOf(2027, 3, 2);
        *a.mutable_disclosure()->mutable_rdo_next_due_date() = DateOf(2027, 3, 8);
        rows_sql.push_back(absl::StrCat("(", a.id(), ", ", a.case_id(), ", ", a.casegroup_id(),
                                        ", 'ACTION_IN_PROGRESS', 'DISCLOSURE', 0, '2027-03-08', "
                                        "1, '",
                                        BodyOf(a), "', 0, ", now_us, ")"));
        events.push_back(absl::StrCat("(", a.id(),
                                      ", 'RDO_PAYMENT_RECORDED', 'ACTION_IN_PROGRESS', "
                                      "'DISCLOSURE', ",
                                      detail, ", ", a.review_service_request_id(), ", 'system', ",
                                      now_us, ")"));
        audits.push_back(absl::StrCat("(", now_us,
                                      ", 'system', 'system', 'RdoComplianceCheck', "
                                      "'arrears_action', '",
                                      a.id(), "', ", tx.Quote(Json(before)), ", ",
                                      tx.Quote(Json(a)), ", ", a.casegroup_id(),
                                      ", NULL, NULL, NULL)"));
      }
      tx.session() << absl::StrCat(
          "INSERT INTO arrears_actions (id, case_id, casegroup_id, state, rung, "
          "monitor_disabled, rdo_next_due, version, body_b64, created_us, updated_us) VALUES ",
          absl::StrJoin(rows_sql, ","),
          " ON DUPLICATE KEY UPDATE state = VALUES(state), rung = VALUES(rung), "
          "monitor_disabled = VALUES(monitor_disabled), rdo_next_due = VALUES(rdo_next_due), "
          "version = version + 1, body_b64 = VALUES(body_b64), updated_us = "
          "VALUES(updated_us)");
      tx.session() << absl::StrCat(
          "INSERT INTO arrears_events (arrears_action_id, kind, state, rung, detail, "
          "service_request_id, actor, created_us) VALUES ",
          absl::StrJoin(events, ","));
      tx.session() << absl::StrCat(
          "INSERT INTO audit_events (event_us, actor, client, rpc, entity_type, entity_id, "
          "before_json, after_json, casegroup_id, case_id, sr_id, person_id) VALUES ",
          absl::StrJoin(audits, ","));
      return absl::OkStatus();
    }),
          "raw chunk");
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) Die("CMS_TEST_DB_URI is not set: run through `tools/cms rdobench`");
  const int rdos = absl::GetFlag(FLAGS_rdos);
  const int runs = absl::GetFlag(FLAGS_runs);
  const int batch = absl::GetFlag(FLAGS_batch);
  const std::string uri = absl::StrCat(base, " db=rb_", getpid());
  Check(cms::store::DropDatabase(uri), "drop");
  Check(cms::store::CreateDatabaseIfMissing(uri), "create");
  {
    auto opened = Db::Open({uri, 4});
    Check(opened.status(), "open");
    std::unique_ptr<Db> db = *std::move(opened);
    Check(cms::store::MigrateUp(*db, cms::store::EmbeddedMigrations()).status(), "migrate");
    Check(db->RunInTransaction([&](Tx& tx) -> absl::Status {
      tx.session() << "CREATE TABLE arrears_seed LIKE arrears_actions";
      return absl::OkStatus();
    }),
          "seed table");
    Load(*db, rdos);

    // The arrears use cases as cms_server builds them (api/server.cc).
    auto catalog = cms::catalog::SrCatalog::Load(cms::catalog::EmbeddedCatalogFiles());
    Check(catalog.status(), "catalog");
    auto templates =
        cms::catalog::LetterTemplates::Load(cms::catalog::EmbeddedLetterTemplateFiles());
    Check(templates.status(), "letter templates");
    auto calendar = cms::catalog::LoadBankHolidays(cms::catalog::EmbeddedBankHolidayFiles());
    Check(calendar.status(), "bank holidays");
    auto clock = cms::app::BusinessClock::Create(/*test_mode=*/true);
    Check(clock.status(), "business clock");
    cms::app::Commands commands(*db, *clock);
    cms::app::CaseEvents events;
    cms::app::ApprovalActions approval_actions;
    cms::app::FakeHmrcGateway hmrc;
    cms::app::ServiceRequestApp srs(commands, *catalog, &events);
    cms::app::BomApp bom(commands);
    cms::app::LetterApp letters(commands, *templates, events);
    cms::app::ApprovalApp approvals(commands, srs, bom, *catalog, approval_actions);
    cms::app::MopfApp mopf(commands);
    cms::app::PaymentApp payments(commands, srs, cms::app::PaymentRules{}, events);
    cms::app::EmploymentApp employment(commands, srs, hmrc);
    cms::app::ArrearsApp arrears(commands, srs, payments, mopf, letters, employment, approvals,
                                 *calendar, cms::app::PaymentRules{});

    std::vector<double> server_s, raw_s;
    for (int run = 1; run <= runs; ++run) {
      Reset(*db);
      auto start = Clock::now();
      auto stats = arrears.RunRdoCheck(kDay, batch);
      Check(stats.status(), "check");
      server_s.push_back(Seconds(start));
      const Counts after = Count(*db);
      std::printf(
          "run %d server (ArrearsApp::RunRdoCheck): %.2f s  %lld payments judged, %lld "
          "shortfalls, %lld failed  (%.0f RDOs/s)\n",
          run, server_s.back(), static_cast<long long>(stats->payments),
          static_cast<long long>(stats->shortfalls), static_cast<long long>(stats->failed),
          rdos / server_s.back());
      if (after.judged != rdos || after.events != rdos || stats->payments != rdos) {
        Die(absl::StrCat("the check judged ", after.judged, " of ", rdos, " (events ", after.events,
                         ")"));
      }
      auto again = arrears.RunRdoCheck(kDay, batch);
      Check(again.status(), "check again");
      if (again->payments != 0 || Count(*db).events != rdos) Die("a second run judged again");

      Reset(*db);
      start = Clock::now();
      RawRun(*db, batch);
      raw_s.push_back(Seconds(start));
      const Counts raw = Count(*db);
      std::printf("run %d raw SQL (ceiling):              %.2f s  (%.0f RDOs/s)\n", run,
                  raw_s.back(), rdos / raw_s.back());
      if (raw.judged != rdos || raw.events != rdos || raw.audits != after.audits) {
        Die("the raw SQL and the check disagree");
      }
    }
    double server_total = 0, raw_total = 0;
    for (double s : server_s) server_total += s;
    for (double s : raw_s) raw_total += s;
    std::printf("mean: server %.2f s, raw %.2f s; server/raw throughput %.0f%%\n",
                server_total / runs, raw_total / runs, 100.0 * raw_total / server_total);
  }
  Check(cms::store::DropDatabase(uri), "drop");
  return 0;
}
