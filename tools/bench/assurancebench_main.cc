// cms_assurancebench: Q&A assurance (AG11.2) on the 1,000,000-casegroup book
// (issue 16, "Speed": a 1% seeded sample of a month of SRs and decisions
// drawn in <= 5 s, against the same statements without the server; the Q&A
// views p99 <= 25 ms at 16 callers), through the real cms_server binary and
// against its ceiling (raw_assurance.h: the store's own statements, no
// server).
//
//   cms_assurancebench --db_name=gen_money_1000000 [--month=2026-11]
//                      [--rate_ppm=10000] [--draw_runs=5] [--callers=16]
//                      [--seconds=25] [--view_runs=3]
//
// The book is cms_datagen --money's, with cms_datagen --decisions'
// business decisions. The server runs as deployed (production clock,
// --pool_size 16, its timers on; --migrate), called by a trusted client
// naming its user in x-cms-user, as the other benches call.
//
// (a) The draw. DrawAssuranceSample by the GB Q&A caseworker: SRs and
//     business decisions of one month of business time (Europe/London;
//     default the book's last complete month), --rate_ppm (1% = 10,000),
//     no targets; then the same statements through the store (the sampling
//     statements, the sample and its items written, the audit row and the
//     request id with the COMMIT, the sample read back). --draw_runs of
//     each, alternating server, raw, server, raw..., each with its own seed
//     (so no draw reads just what the one before it did); wall time per
//     draw, the items chosen, and the CPU the server and MariaDB spent, the
//     CPU steal and other processes' share of the machine meanwhile. Then
//     one raw draw of each kind alone (SRs, activities, decisions), for
//     where the time goes.
// (b) The Q&A views. Seeded first when the book has no checks (through the
//     server: 100 samples of one month each drawn by size, 80 of one
//     generated team's decisions (40 items), 20 of one segment's SRs and
//     decisions (100 items); a check of 70% of their items, ~12% of
//     criteria failing; feedback on each failed check and a corrective
//     action on half of them). Then --callers closed-loop callers, each
//     calling the six views in turn for --seconds after --warmup_seconds:
//     ListAssuranceSamples (the first page), GetAssuranceSample (a seeded
//     sample with its items and their checks), ListAssuranceChecks open
//     (a sample's unchecked items) and recorded (a sample's checks),
//     ListCorrectiveActions (open) as the Q&A caseworker, and
//     GetCoachingNeeds (a team with checks, the last 30 days) as that
//     team's leader; --view_runs runs of each path, alternating, and the
//     same figures and CPU as cms_arrearsbench gives.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cms/v1/assurance.grpc.pb.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "tools/bench/load.h"
#include "tools/bench/raw_assurance.h"
#include "tools/bench/server_process.h"

ABSL_FLAG(std::string, db_name, "gen_money_1000000",
          "database filled by cms_datagen --money, then --decisions");
ABSL_FLAG(std::string, month, "",
          "YYYY-MM of business time to draw from (default: the last complete month of the book's "
          "SRs)");
ABSL_FLAG(int, rate_ppm, 10000, "the draw's rate in parts per million (10,000: 1%)");
ABSL_FLAG(int, draw_runs, 5, "draws of each path (server, raw, server, raw, ...)");
ABSL_FLAG(int, callers, 16, "concurrent closed-loop callers of the views");
ABSL_FLAG(int, seconds, 25, "measured seconds per view run");
ABSL_FLAG(int, warmup_seconds, 5, "unmeasured seconds before each view run");
ABSL_FLAG(int, view_runs, 3, "view runs of each path (server, raw, server, raw, ...)");
ABSL_FLAG(bool, draw, true, "measure the draw (a)");
ABSL_FLAG(bool, views, true, "measure the views (b)");
ABSL_FLAG(int, pool_size, 16, "server database connections (its default)");
ABSL_FLAG(std::string, server_bin, "", "cms_server binary (default: next to the build tree)");

namespace {

using cms::v1::AssuranceService;
using google::protobuf::util::TimeUtil;

constexpr char kToken[] = "assurancebench-token-0123456789";
constexpr char kClient[] = "assurancebench";
constexpr double kTargetDrawSeconds = 5;
constexpr int kTargetCallers = 16;
constexpr double kTargetP99Ms = 25;
constexpr int64_t kDayUs = int64_t{86400} * 1000000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cms_assurancebench: %s\n", what.c_str());
  std::exit(1);
}

// Business time's zone (app/clock.h kBusinessTimeZone).
absl::TimeZone London() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Europe/London", &tz)) Die("no time zone Europe/London");
  return tz;
}

cms::v1::AssurancePeriod MonthPeriod(absl::CivilMonth m) {
  cms::v1::AssurancePeriod p;
  *p.mutable_start_time() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(m), London())));
  *p.mutable_end_time() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(m + 1), London())));
  return p;
}

// The MariaDB server's pid when it runs on this machine, else 0.
int DatabasePid(soci::session& sql) {
  try {
    std::string file;
    sql << "SELECT @@pid_file", soci::into(file);
    std::ifstream in(file);
    int pid = 0;
    return in >> pid ? pid : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

// The machine's steal ticks and all ticks (/proc/stat "cpu").
std::pair<double, double> StealTicks() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;
  double steal = 0, all = 0;
  for (int i = 0; i < 8; ++i) {
    double v = 0;
    if (!(in >> v)) break;
    all += v;
    if (i == 7) steal = v;
  }
  return {steal, all};
}

// What the machine did while something ran: each named process's CPU
// seconds, the share of the machine's CPU the others took, and steal.
class CpuWatch {
 public:
  explicit CpuWatch(std::vector<std::pair<std::string, int>> processes)
      : processes_(std::move(processes)) {}
  void Start() {
    before_.clear();
    for (const auto& [name, pid] : processes_) before_.push_back(cms::bench::CpuSeconds(pid));
    machine_before_ = cms::bench::MachineSeconds();
    steal_before_ = StealTicks();
  }
  // " cms_server 1.23 s mariadbd 4.56 s ...; other processes 3%, steal 0.1%", with each
  // process's seconds divided by `per` (1: totals).
  std::string Stop(double per, const char* unit) {
    const auto machine = cms::bench::MachineSeconds();
    const auto steal = StealTicks();
    double others = machine.first - machine_before_.first;
    std::string out;
    for (size_t i = 0; i < processes_.size(); ++i) {
      if (processes_[i].second == 0) continue;
      const double used = cms::bench::CpuSeconds(processes_[i].second) - before_[i];
      others -= used;
      absl::StrAppendFormat(&out, " %s %.2f%s", processes_[i].first, used / per, unit);
    }
    const double all = machine.second - machine_before_.second;
    const double ticks = steal.second - steal_before_.second;
    absl::StrAppendFormat(&out, "; other processes %.0f%% of the machine, steal %.1f%%",
                          all > 0 ? std::max(0.0, 100 * others / all) : 0.0,
                          ticks > 0 ? 100 * (steal.first - steal_before_.first) / ticks : 0.0);
    return out;
  }

 private:
  std::vector<std::pair<std::string, int>> processes_;
  std::vector<double> before_;
  std::pair<double, double> machine_before_, steal_before_;
};

std::string ErrorOf(const grpc::Status& s) {
  return s.ok() ? std::string() : absl::StrCat(s.error_code(), ": ", s.error_message());
}

// The book's facts the bench needs.
struct Book {
  std::string qa;                             // the GB Q&A caseworker
  std::map<int64_t, std::string> gb_leaders;  // generated GB team -> its team leader
  std::vector<int64_t> gb_segments;           // the GB segments with generated teams
  absl::CivilMonth month;                     // drawn in (a)
  absl::CivilMonth first_month;               // the book's first complete month
};

Book LoadBook(soci::session& sql) {
  Book b;
  sql << "SELECT MIN(st.staff_id) FROM staff st JOIN segments s ON s.id = st.segment_id WHERE "
         "s.service_segment = 'QUALITY_AND_ASSURANCE' AND s.country = 'GB' AND st.role = "
         "'CASEWORKER' AND st.active = 1",
      soci::into(b.qa);
  soci::rowset<soci::row> leaders =
      (sql.prepare << "SELECT st.team_id, st.staff_id, st.segment_id FROM staff st JOIN segments "
                      "s ON s.id = st.segment_id WHERE st.staff_id LIKE 'gen.tl.%' AND s.country "
                      "= 'GB' ORDER BY st.team_id");
  for (const soci::row& r : leaders) {
    b.gb_leaders[r.get<long long>(0)] = r.get<std::string>(1);
    const int64_t seg = r.get<long long>(2);
    if (std::find(b.gb_segments.begin(), b.gb_segments.end(), seg) == b.gb_segments.end()) {
      b.gb_segments.push_back(seg);
    }
  }
  long long first = 0, last = 0, decisions = 0;
  sql << "SELECT MIN(created_us), MAX(created_us) FROM service_requests", soci::into(first),
      soci::into(last);
  sql << "SELECT COUNT(*) FROM (SELECT 1 FROM business_decisions LIMIT 1) d", soci::into(decisions);
  if (b.qa.empty() || b.gb_leaders.empty() || last == 0) {
    Die("no GB Q&A caseworker, generated teams or SRs: fill the book with cms_datagen --money");
  }
  if (decisions == 0) Die("no business decisions: run cms_datagen --decisions on the book");
  b.first_month = absl::CivilMonth(absl::ToCivilSecond(absl::FromUnixMicros(first), London())) + 1;
  b.month = absl::CivilMonth(absl::ToCivilSecond(absl::FromUnixMicros(last), London())) - 1;
  const std::string flag = absl::GetFlag(FLAGS_month);
  if (!flag.empty() && !absl::ParseCivilTime(flag, &b.month)) Die("--month: YYYY-MM");
  return b;
}

// Calls through the server as `staff`.
class Caller {
 public:
  Caller(int port, int channels) {
    for (int i = 0; i < channels; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("cms_channel_index", i);  // distinct args => distinct connections
      args.SetMaxReceiveMessageSize(64 << 20);
      stubs_.push_back(AssuranceService::NewStub(grpc::CreateCustomChannel(
          absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials(), args)));
    }
  }
  template <typename Req, typename Resp>
  grpc::Status Call(int c, const std::string& staff,
                    grpc::Status (AssuranceService::Stub::*rpc)(grpc::ClientContext*, const Req&,
                                                                Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    ctx.AddMetadata("x-cms-user", staff);
    return (stubs_[c % stubs_.size()].get()->*rpc)(&ctx, req, resp);
  }

 private:
  std::vector<std::unique_ptr<AssuranceService::Stub>> stubs_;
};

// ---------------------------------------------------------------- seeding

// What the views read: the seeded samples and the teams with checks.
struct ViewData {
  std::vector<int64_t> samples;
  std::vector<std::pair<int64_t, std::string>> teams;  // team, its leader
};

ViewData LoadViewData(soci::session& sql, const Book& book) {
  ViewData v;
  soci::rowset<soci::row> samples =
      (sql.prepare << "SELECT id FROM assurance_samples WHERE body_b64 <> '' AND item_count "
                      "BETWEEN 1 AND 1000 ORDER BY id");
  for (const soci::row& r : samples) v.samples.push_back(r.get<long long>(0));
  soci::rowset<soci::row> teams =
      (sql.prepare << "SELECT DISTINCT team_id FROM assurance_checks WHERE team_id IS NOT NULL "
                      "ORDER BY team_id");
  for (const soci::row& r : teams) {
    const int64_t team = r.get<long long>(0);
    if (auto it = book.gb_leaders.find(team); it != book.gb_leaders.end()) {
      v.teams.emplace_back(team, it->second);
    }
  }
  return v;
}

// Draws the views' samples and records their checks, feedback and
// corrective actions through the server (8 callers).
void Seed(Caller& server, const Book& book) {
  constexpr int kSamples = 100;
  std::vector<int64_t> teams;
  for (const auto& [team, leader] : book.gb_leaders) teams.push_back(team);
  std::vector<absl::CivilMonth> months;
  for (absl::CivilMonth m = book.first_month; m <= book.month; ++m) months.push_back(m);
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), London());
  const std::string run = absl::StrCat(getpid(), "-", absl::ToUnixSeconds(absl::Now()));
  std::atomic<int> next{0}, checks{0}, feedback{0}, actions{0}, items{0};
  std::mutex mu;
  std::string error;
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(t + 1);
      auto fail = [&](const std::string& what, const grpc::Status& s) {
        std::lock_guard<std::mutex> lock(mu);
        if (error.empty()) error = absl::StrCat(what, ": ", ErrorOf(s));
      };
      for (int i = next++; i < kSamples; i = next++) {
        cms::v1::DrawAssuranceSampleRequest draw;
        draw.set_request_id(absl::StrCat("seed-draw-", run, "-", i));
        draw.set_seed(absl::StrCat("qa-seed-", i));
        *draw.mutable_period() = MonthPeriod(months[rng() % months.size()]);
        if (i % 5 != 0) {
          draw.add_kinds(cms::v1::ASSURANCE_ITEM_KIND_DECISION);
          draw.mutable_targets()->set_team_id(teams[rng() % teams.size()]);
          draw.set_size(40);
        } else {
          draw.add_kinds(cms::v1::ASSURANCE_ITEM_KIND_SERVICE_REQUEST);
          draw.add_kinds(cms::v1::ASSURANCE_ITEM_KIND_DECISION);
          draw.mutable_targets()->set_segment_id(book.gb_segments[rng() % book.gb_segments.size()]);
          draw.set_size(100);
        }
        cms::v1::AssuranceSample sample;
        grpc::Status s =
            server.Call(t, book.qa, &AssuranceService::Stub::DrawAssuranceSample, draw, &sample);
        if (!s.ok()) return fail("DrawAssuranceSample", s);
        items += sample.items_size();
        for (const cms::v1::AssuranceSampleItem& item : sample.items()) {
          if (rng() % 100 >= 70) continue;
          cms::v1::RecordAssuranceCheckRequest rec;
          rec.set_request_id(absl::StrCat("seed-check-", run, "-", item.id()));
          rec.set_sample_item_id(item.id());
          for (auto criterion : {cms::v1::ASSURANCE_CRITERION_CASH_VALUE_ACCURACY,
                                 cms::v1::ASSURANCE_CRITERION_PROCEDURE_FOLLOWED,
                                 cms::v1::ASSURANCE_CRITERION_CLIENT_HANDLING}) {
            cms::v1::AssuranceCriterionResult* r = rec.add_results();
            r->set_criterion(criterion);
            const int draw_result = static_cast<int>(rng() % 100);
            if (draw_result < 12) {
              r->set_result(cms::v1::ASSURANCE_RESULT_FAIL);
              r->set_comment("Seeded by cms_assurancebench: not as the procedure says.");
            } else {
              r->set_result(draw_result < 20 ? cms::v1::ASSURANCE_RESULT_NOT_APPLICABLE
                                             : cms::v1::ASSURANCE_RESULT_PASS);
            }
          }
          cms::v1::AssuranceCheck check;
          s = server.Call(t, book.qa, &AssuranceService::Stub::RecordAssuranceCheck, rec, &check);
          if (!s.ok()) return fail("RecordAssuranceCheck", s);
          ++checks;
          if (check.outcome() != cms::v1::ASSURANCE_RESULT_FAIL) continue;
          cms::v1::GiveAssuranceFeedbackRequest fb;
          fb.set_request_id(absl::StrCat("seed-feedback-", run, "-", check.id()));
          fb.set_check_id(check.id());
          fb.set_text("Seeded by cms_assurancebench: see the failed criteria and their comments.");
          cms::v1::AssuranceFeedback given;
          s = server.Call(t, book.qa, &AssuranceService::Stub::GiveAssuranceFeedback, fb, &given);
          if (!s.ok()) return fail("GiveAssuranceFeedback", s);
          ++feedback;
          // The generated caseworkers are staff; the SRs nobody was allocated
          // are the generator's ('datagen'), which is not.
          if (rng() % 2 == 0 || check.caseworker().rfind("gen.", 0) != 0) continue;
          cms::v1::AddCorrectiveActionRequest act;
          act.set_request_id(absl::StrCat("seed-action-", run, "-", check.id()));
          act.set_check_id(check.id());
          act.set_description("Seeded by cms_assurancebench: redo the step and record why.");
          const absl::CivilDay due = today + static_cast<int>(rng() % 30);
          act.mutable_due_date()->set_year(static_cast<int32_t>(due.year()));
          act.mutable_due_date()->set_month(due.month());
          act.mutable_due_date()->set_day(due.day());
          cms::v1::CorrectiveAction added;
          s = server.Call(t, book.qa, &AssuranceService::Stub::AddCorrectiveAction, act, &added);
          if (!s.ok()) return fail("AddCorrectiveAction", s);
          ++actions;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  if (!error.empty()) Die(absl::StrCat("seeding: ", error));
  std::printf(
      "seeded through the server: %d samples (%d items), %d checks, %d feedback, %d "
      "corrective actions in %.1f s\n",
      kSamples, items.load(), checks.load(), feedback.load(), actions.load(),
      absl::ToDoubleSeconds(absl::Now() - start));
  std::fflush(stdout);
}

// ---------------------------------------------------------------- (a)

void MeasureDraws(Caller& server, cms::bench::RawAssurance& raw, const Book& book,
                  CpuWatch& watch) {
  const int runs = absl::GetFlag(FLAGS_draw_runs);
  const int rate = absl::GetFlag(FLAGS_rate_ppm);
  const std::string tag = absl::StrCat(getpid(), "-", absl::ToUnixSeconds(absl::Now()));
  std::printf("\n(a) DrawAssuranceSample: SRs and decisions of %s (business time), %d ppm, as %s\n",
              absl::FormatCivilTime(book.month).c_str(), rate, book.qa.c_str());
  auto request = [&](const std::string& seed, std::initializer_list<cms::v1::AssuranceItemKind> k) {
    cms::v1::DrawAssuranceSampleRequest req;
    req.set_request_id(absl::StrCat("draw-", seed));
    req.set_seed(seed);
    *req.mutable_period() = MonthPeriod(book.month);
    for (auto kind : k) req.add_kinds(kind);
    req.set_rate_ppm(rate);
    return req;
  };
  std::vector<double> server_s, raw_s;
  bool errors = false;
  for (int run = 0; run < runs; ++run) {
    for (bool through_server : {true, false}) {
      const std::string seed =
          absl::StrCat("assurancebench-", tag, "-", run + 1, through_server ? "-server" : "-raw");
      const auto req = request(seed, {cms::v1::ASSURANCE_ITEM_KIND_SERVICE_REQUEST,
                                      cms::v1::ASSURANCE_ITEM_KIND_DECISION});
      watch.Start();
      const absl::Time t0 = absl::Now();
      std::string err;
      int items = 0;
      double sampling_ms = 0;
      if (through_server) {
        cms::v1::AssuranceSample out;
        err = ErrorOf(
            server.Call(0, book.qa, &AssuranceService::Stub::DrawAssuranceSample, req, &out));
        items = out.items_size();
      } else {
        cms::bench::RawAssurance::DrawResult out;
        err = raw.Draw(book.qa, req, &out);
        items = out.items;
        sampling_ms = out.sampling_ms;
      }
      const double seconds = absl::ToDoubleSeconds(absl::Now() - t0);
      const std::string cpu = watch.Stop(1, " s");
      std::printf(
          "run %d %-6s %6.2f s  %5d items%s  CPU:%s%s\n", run + 1,
          through_server ? "server" : "raw", seconds, items,
          through_server
              ? ""
              : absl::StrFormat(" (sampling statements %.2f s)", sampling_ms / 1000).c_str(),
          cpu.c_str(), err.empty() ? "" : (" ERROR " + err).c_str());
      std::fflush(stdout);
      errors |= !err.empty();
      (through_server ? server_s : raw_s).push_back(seconds);
    }
  }
  const double s = cms::bench::Median(server_s), r = cms::bench::Median(raw_s);
  std::printf(
      "median of %d draws each: server %.2f s (max %.2f), raw %.2f s (max %.2f), "
      "server/raw %.2fx; target <= %.0f s %s\n",
      runs, s, *std::max_element(server_s.begin(), server_s.end()), r,
      *std::max_element(raw_s.begin(), raw_s.end()), r > 0 ? s / r : 0.0, kTargetDrawSeconds,
      !errors && *std::max_element(server_s.begin(), server_s.end()) <= kTargetDrawSeconds
          ? "met"
          : "NOT met");
  std::printf("each kind alone (raw, one draw each, its own seed):\n");
  for (auto [kind, name] : {std::pair{cms::v1::ASSURANCE_ITEM_KIND_SERVICE_REQUEST, "SRs"},
                            std::pair{cms::v1::ASSURANCE_ITEM_KIND_ACTIVITY, "activities"},
                            std::pair{cms::v1::ASSURANCE_ITEM_KIND_DECISION, "decisions"}}) {
    cms::bench::RawAssurance::DrawResult out;
    const std::string err =
        raw.Draw(book.qa, request(absl::StrCat("assurancebench-", tag, "-", name), {kind}), &out);
    std::printf("  %-10s %5d items, sampling statement %.2f s, whole draw %.2f s%s\n", name,
                out.items, out.sampling_ms / 1000, out.total_ms / 1000,
                err.empty() ? "" : (" ERROR " + err).c_str());
  }
  std::fflush(stdout);
}

// ---------------------------------------------------------------- (b)

void MeasureViews(Caller& server, cms::bench::RawAssurance& raw, const Book& book,
                  const ViewData& data, CpuWatch& watch) {
  const int callers = absl::GetFlag(FLAGS_callers);
  const int runs = absl::GetFlag(FLAGS_view_runs);
  const absl::Duration warmup = absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  const absl::Duration measure = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  const int64_t now_us = absl::ToUnixMicros(absl::Now());
  const int64_t coaching_from = now_us - 30 * kDayUs;
  std::printf("\n(b) the Q&A views: %d callers, %zu samples, %zu teams with checks\n", callers,
              data.samples.size(), data.teams.size());
  std::vector<std::mt19937_64> rngs(callers);
  auto sample = [&](int c) { return data.samples[rngs[c]() % data.samples.size()]; };
  auto team = [&](int c) { return data.teams[rngs[c]() % data.teams.size()]; };
  cms::v1::AssurancePeriod coaching;
  *coaching.mutable_start_time() = TimeUtil::MicrosecondsToTimestamp(coaching_from);
  *coaching.mutable_end_time() = TimeUtil::MicrosecondsToTimestamp(now_us);
  const std::string& qa = book.qa;
  using S = AssuranceService::Stub;
  const std::vector<cms::bench::Load> server_loads = {
      {"ListAssuranceSamples",
       [&](int c) {
         cms::v1::ListAssuranceSamplesRequest req;
         cms::v1::ListAssuranceSamplesResponse out;
         return ErrorOf(server.Call(c, qa, &S::ListAssuranceSamples, req, &out));
       }},
      {"GetAssuranceSample",
       [&](int c) {
         cms::v1::GetAssuranceSampleRequest req;
         req.set_id(sample(c));
         cms::v1::AssuranceSample out;
         return ErrorOf(server.Call(c, qa, &S::GetAssuranceSample, req, &out));
       }},
      {"ListAssuranceChecks open",
       [&](int c) {
         cms::v1::ListAssuranceChecksRequest req;
         req.set_open(true);
         req.set_sample_id(sample(c));
         cms::v1::ListAssuranceChecksResponse out;
         return ErrorOf(server.Call(c, qa, &S::ListAssuranceChecks, req, &out));
       }},
      {"ListAssuranceChecks recorded",
       [&](int c) {
         cms::v1::ListAssuranceChecksRequest req;
         req.set_sample_id(sample(c));
         cms::v1::ListAssuranceChecksResponse out;
         return ErrorOf(server.Call(c, qa, &S::ListAssuranceChecks, req, &out));
       }},
      {"ListCorrectiveActions open",
       [&](int c) {
         cms::v1::ListCorrectiveActionsRequest req;
         req.set_open_only(true);
         cms::v1::ListCorrectiveActionsResponse out;
         return ErrorOf(server.Call(c, qa, &S::ListCorrectiveActions, req, &out));
       }},
      {"GetCoachingNeeds",
       [&](int c) {
         const auto& [id, leader] = team(c);
         cms::v1::GetCoachingNeedsRequest req;
         req.set_team_id(id);
         *req.mutable_period() = coaching;
         cms::v1::CoachingNeeds out;
         return ErrorOf(server.Call(c, leader, &S::GetCoachingNeeds, req, &out));
       }},
  };
  const std::vector<cms::bench::Load> raw_loads = {
      {"ListAssuranceSamples", [&](int) { return raw.ListSamples(qa, 0); }},
      {"GetAssuranceSample", [&](int c) { return raw.GetSample(qa, sample(c)); }},
      {"ListAssuranceChecks open", [&](int c) { return raw.ListChecks(qa, sample(c), true, 0); }},
      {"ListAssuranceChecks recorded",
       [&](int c) { return raw.ListChecks(qa, sample(c), false, 0); }},
      {"ListCorrectiveActions open", [&](int) { return raw.ListActions(qa, true, 0); }},
      {"GetCoachingNeeds",
       [&](int c) {
         const auto& [id, leader] = team(c);
         return raw.Coaching(leader, id, coaching_from, now_us);
       }},
  };
  std::vector<std::vector<cms::bench::LoadResult>> server_runs(server_loads.size()),
      raw_runs(raw_loads.size());
  bool errors = false;
  for (int run = 0; run < runs; ++run) {
    for (bool through_server : {true, false}) {
      for (int c = 0; c < callers; ++c) rngs[c].seed((2 * run + !through_server) * 1000 + c + 1);
      watch.Start();
      auto results = cms::bench::RunInterleaved(callers, warmup, measure,
                                                through_server ? server_loads : raw_loads);
      double calls = 0;
      for (const auto& r : results) calls += r.per_second;
      calls *= absl::ToDoubleSeconds(warmup + measure);
      const std::string cpu = watch.Stop(calls / 1000, " ms");
      std::printf("run %d %s: %.0f calls/s in all\n", run + 1, through_server ? "server" : "raw",
                  calls / absl::ToDoubleSeconds(warmup + measure));
      for (size_t i = 0; i < results.size(); ++i) {
        std::printf("  %s\n", cms::bench::FormatResult(results[i]).c_str());
        errors |= results[i].errors != 0;
        (through_server ? server_runs : raw_runs)[i].push_back(results[i]);
      }
      std::printf("  CPU a call (all views):%s\n", cpu.c_str());
      std::fflush(stdout);
    }
  }
  std::printf(
      "\nmedian of %d runs each, %d callers, %.0f s a run (each caller calls the six in "
      "turn):\n",
      runs, callers, absl::ToDoubleSeconds(measure));
  std::printf("  %-30s %-6s %9s %9s %9s %9s\n", "view", "path", "calls/s", "p50 ms", "p95 ms",
              "p99 ms");
  double worst = 0;
  for (size_t i = 0; i < server_loads.size(); ++i) {
    const auto s = cms::bench::MedianOf(server_runs[i]);
    const auto r = cms::bench::MedianOf(raw_runs[i]);
    worst = std::max(worst, s.p99_ms);
    for (const auto* m : {&s, &r}) {
      std::printf("  %-30s %-6s %9.1f %9.2f %9.2f %9.2f\n", m->name.c_str(),
                  m == &s ? "server" : "raw", m->per_second, m->p50_ms, m->p95_ms, m->p99_ms);
    }
  }
  if (callers == kTargetCallers) {
    std::printf("  the slowest view's server p99 %.2f ms at %d callers: target <= %.0f ms %s\n",
                worst, callers, kTargetP99Ms, !errors && worst <= kTargetP99Ms ? "met" : "NOT met");
  }
  if (errors) std::printf("  (some calls failed: see the runs above)\n");
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) Die("CMS_TEST_DB_URI is not set; run through `tools/cms assurancebench`");
  const std::string uri = absl::StrCat(base, " db=", absl::GetFlag(FLAGS_db_name));
  const int callers = absl::GetFlag(FLAGS_callers);
  if (callers < 1 || absl::GetFlag(FLAGS_draw_runs) < 1 || absl::GetFlag(FLAGS_view_runs) < 1) {
    Die("--callers, --draw_runs and --view_runs must be positive");
  }
  std::string server_bin = absl::GetFlag(FLAGS_server_bin);
  if (server_bin.empty()) server_bin = cms::bench::ServerBinaryBesideMe();

  const std::string tokens = absl::StrCat("/tmp/cms_assurancebench_tokens_", getpid());
  cms::bench::WriteTokensFile(tokens, kToken, kClient);
  // Started first: --migrate brings an older book to the schema (0020 adds
  // the period-scan indexes, which takes minutes on 5M SRs).
  auto server = cms::bench::ServerProcess::Start(
      server_bin,
      {"--db_uri=" + uri, "--tokens_file=" + tokens, absl::StrCat("--trusted_clients=", kClient),
       absl::StrCat("--pool_size=", absl::GetFlag(FLAGS_pool_size)), "--migrate"});
  if (!server.ok()) Die(server.status().ToString());
  Caller caller(server->port(), (callers + 3) / 4);

  Book book;
  int db_pid = 0;
  long long checks = 0;
  try {
    soci::session sql(soci::mysql, uri);
    book = LoadBook(sql);
    db_pid = DatabasePid(sql);
    sql << "SELECT COUNT(*) FROM assurance_checks", soci::into(checks);
  } catch (const std::exception& e) {
    Die(e.what());
  }
  std::printf("%s: the GB Q&A caseworker %s; %zu generated GB teams; month %s\n",
              absl::GetFlag(FLAGS_db_name).c_str(), book.qa.c_str(), book.gb_leaders.size(),
              absl::FormatCivilTime(book.month).c_str());
  std::fflush(stdout);

  auto db = cms::store::Db::Open({uri, absl::GetFlag(FLAGS_pool_size)});
  if (!db.ok()) Die(db.status().ToString());
  cms::bench::RawAssurance raw(**db, kClient);
  CpuWatch watch({{"cms_server", server->pid()}, {"mariadbd", db_pid}, {"bench", getpid()}});

  if (absl::GetFlag(FLAGS_draw)) MeasureDraws(caller, raw, book, watch);
  if (absl::GetFlag(FLAGS_views)) {
    if (checks == 0) Seed(caller, book);
    ViewData data;
    try {
      soci::session sql(soci::mysql, uri);
      data = LoadViewData(sql, book);
    } catch (const std::exception& e) {
      Die(e.what());
    }
    if (data.samples.empty() || data.teams.empty()) Die("no seeded samples or checked teams");
    MeasureViews(caller, raw, book, data, watch);
  }
  std::printf("cms_server RSS after load: %.1f MiB\n", server->RssMiB());
  std::remove(tokens.c_str());
  return 0;
}
