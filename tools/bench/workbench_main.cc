// cms_workbench: latency of the work-allocation RPCs through the real
// cms_server binary on a database filled by cms_datagen, plus the query
// plans of the work views (work_repo.cc) on that data.
//
//   cms_workbench --db_name=gen_1m [--callers=1,4,16] [--seconds=10]
//
// Measures, each as a closed loop at each caller count: WorkService.GetNextWork
// (the generated caseworkers in turn, see cms_datagen), ListMyWork (the same
// caseworkers, page_size 50), ListTeamWork (the generated team leaders,
// page_size 50) and ServiceRequestService.CreateServiceRequest (CHANGE_INCOME
// on random GB NEW_CASE casegroups, by cw.gb.new_case.a1), each with the
// same statements straight through SOCI (the ceiling): the three work RPCs
// interleaved with their ceilings (latency targets, so both see the same
// seconds of CPU steal), CreateServiceRequest alone and then its ceiling
// (a throughput target). Every line states the CPU steal of its run. What
// GetNextWork claims is put back between calls (untimed) and the SRs the
// create runs add are deleted at the end, so runs on one database measure
// the same database.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "cms/v1/service_request.grpc.pb.h"
#include "cms/v1/work.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "tools/bench/load.h"
#include "tools/bench/raw_work.h"
#include "tools/bench/server_process.h"

ABSL_FLAG(std::string, db_name, "cms_gen", "database filled by cms_datagen");
ABSL_FLAG(std::vector<std::string>, callers, std::vector<std::string>({"1", "4", "16"}),
          "concurrent closed-loop callers: each RPC is measured at each count");
ABSL_FLAG(int, seconds, 10, "measured seconds per RPC");
ABSL_FLAG(std::string, only, "",
          "measure only the RPCs whose name contains this (and their ceilings)");
ABSL_FLAG(int, warmup_seconds, 2, "unmeasured warm-up seconds per RPC");
ABSL_FLAG(int, pool_size, 16, "server database connections");
ABSL_FLAG(int, work_load_limit, 1000,
          "server --work_load_limit: above what GetNextWork's callers reach in a run, so no "
          "call is refused");
ABSL_FLAG(int, return_every_ms, 100,
          "how often GetNextWork's callers put the work they claimed back in the queues, "
          "between calls and untimed");
ABSL_FLAG(std::string, server_bin, "", "cms_server binary (default: next to the build tree)");

namespace {

constexpr char kToken[] = "workbench-token-0123456789";

int Die(const std::string& what) {
  std::fprintf(stderr, "cms_workbench: %s\n", what.c_str());
  return 1;
}

struct Staff {
  std::string id;
  long long segment_id = 0;
};

// The generated staff with ids starting `prefix` (cms_datagen: gen.cw. / gen.tl.).
std::vector<Staff> StaffLike(soci::session& sql, const std::string& prefix) {
  std::vector<Staff> out;
  const std::string pattern = prefix + "%";
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT staff_id, segment_id FROM staff WHERE staff_id LIKE :p ORDER BY "
                      "staff_id",
       soci::use(pattern));
  for (const soci::row& r : rows) out.push_back({r.get<std::string>(0), r.get<long long>(1)});
  return out;
}

// A gRPC status as the load driver's error string.
std::string ErrorOf(const grpc::Status& s) {
  return s.ok() ? std::string() : absl::StrCat(s.error_code(), ": ", s.error_message());
}

void Authorize(grpc::ClientContext* ctx, const std::string& user) {
  ctx->AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
  ctx->AddMetadata("x-cms-user", user);
}

// Prints the result set of `sql` (EXPLAIN or ANALYZE) as a text table.
void PrintPlan(soci::session& session, const std::string& title, const std::string& sql) {
  std::printf("\n-- %s\n%s\n", title.c_str(), sql.c_str());
  soci::rowset<soci::row> rows = (session.prepare << sql);
  bool header = false;
  for (const soci::row& r : rows) {
    std::vector<std::string> cells;
    if (!header) {
      for (size_t i = 0; i < r.size(); ++i) cells.push_back(r.get_properties(i).get_name());
      std::printf("%s\n", absl::StrJoin(cells, " | ").c_str());
      cells.clear();
      header = true;
    }
    for (size_t i = 0; i < r.size(); ++i) {
      if (r.get_indicator(i) == soci::i_null) {
        cells.push_back("NULL");
        continue;
      }
      switch (r.get_properties(i).get_data_type()) {
        case soci::dt_string:
          cells.push_back(r.get<std::string>(i));
          break;
        case soci::dt_double:
          cells.push_back(absl::StrFormat("%.2f", r.get<double>(i)));
          break;
        case soci::dt_integer:
          cells.push_back(absl::StrCat(r.get<int>(i)));
          break;
        case soci::dt_long_long:
          cells.push_back(absl::StrCat(r.get<long long>(i)));
          break;
        case soci::dt_unsigned_long_long:
          cells.push_back(absl::StrCat(r.get<unsigned long long>(i)));
          break;
        default:
          cells.push_back("?");
      }
    }
    std::printf("%s\n", absl::StrJoin(cells, " | ").c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) return Die("CMS_TEST_DB_URI is not set (tools/mariadb start prints it)");
  std::string server_bin = absl::GetFlag(FLAGS_server_bin);
  if (server_bin.empty()) server_bin = cms::bench::ServerBinaryBesideMe();
  std::vector<int> caller_counts;
  for (const std::string& text : absl::GetFlag(FLAGS_callers)) {
    int n = 0;
    if (!absl::SimpleAtoi(text, &n) || n < 1) return Die("--callers: positive counts, e.g. 1,4,16");
    caller_counts.push_back(n);
  }
  const int max_callers = *std::max_element(caller_counts.begin(), caller_counts.end());
  const absl::Duration warmup = absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  const absl::Duration measure = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  const std::string uri = absl::StrCat(base, " db=", absl::GetFlag(FLAGS_db_name));

  // What the benchmark needs from the data: GB NEW_CASE casegroups (with a
  // case) to raise SRs on, and representative ids for the plans.
  long long gb_new_case = 0, team = 0;
  std::vector<long long> groups(200000), cases(200000);
  std::vector<Staff> caseworkers, leaders;
  soci::session sql;
  try {
    sql.open(soci::mysql, uri);
    sql << "SELECT id FROM segments WHERE country = 'GB' AND service_segment = 'NEW_CASE' AND "
           "status = 'ACTIVE'",
        soci::into(gb_new_case);
    caseworkers = StaffLike(sql, "gen.cw.");
    leaders = StaffLike(sql, "gen.tl.");
    if (caseworkers.empty() || leaders.empty()) return Die("no generated staff; run cms_datagen");
    sql << "SELECT team_id FROM staff WHERE staff_id = :s", soci::use(leaders.front().id),
        soci::into(team);
    sql << "SELECT c.casegroup_id, c.id FROM cases c JOIN casegroups g ON g.id = c.casegroup_id "
           "WHERE g.segment_id = :s ORDER BY c.casegroup_id LIMIT 200000",
        soci::use(gb_new_case), soci::into(groups), soci::into(cases);
  } catch (const std::exception& e) {
    return Die(e.what());
  }
  if (groups.empty()) return Die("no GB NEW_CASE casegroups; run cms_datagen first");

  // The work views' SQL as work_repo.cc issues it, with representative values.
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"ClaimNextQueuedSr (GetNextWork), segment GB NEW_CASE", cms::bench::ClaimStatement("")},
      {"CountOpenAllocated (GetNextWork load check, limit 50), a generated caseworker",
       "SELECT COUNT(*) FROM (SELECT 1 FROM service_requests WHERE allocated_to = :who AND "
       "is_open = 1 LIMIT 50) held"},
      {"ListWork allocated_to (ListMyWork; ListTeamWork reads each member so), page 50",
       cms::bench::MyPageStatement()},
      {"ListWork team members (ListTeamWork), a generated team",
       "SELECT staff_id FROM staff WHERE team_id = :team ORDER BY staff_id"},
      {"ListWork team page (ListTeamWork): each member's page, merged", ":team_page"},
  };
  std::string team_page;
  try {
    soci::rowset<std::string> members =
        (sql.prepare << "SELECT staff_id FROM staff WHERE team_id = :t ORDER BY staff_id",
         soci::use(team));
    std::vector<std::string> quoted;
    for (const std::string& m : members) quoted.push_back("'" + m + "'");
    team_page = cms::bench::TeamPageStatement(quoted);
  } catch (const std::exception& e) {
    return Die(e.what());
  }
  try {
    for (const auto& [title, text] : queries) {
      const std::string q =
          text == ":team_page"
              ? team_page
              : absl::StrReplaceAll(text, {{":seg", absl::StrCat(gb_new_case)},
                                           {":team", absl::StrCat(team)},
                                           {":who", "'" + caseworkers.front().id + "'"}});
      PrintPlan(sql, "EXPLAIN " + title, "EXPLAIN " + q);
      // ANALYZE runs the query and adds the rows actually read (r_rows).
      PrintPlan(sql, "ANALYZE " + title, "ANALYZE " + q);
    }
  } catch (const std::exception& e) {
    return Die(e.what());
  }
  std::printf("\n");
  std::fflush(stdout);

  const std::string tokens = absl::StrCat("/tmp/cms_workbench_tokens_", getpid());
  cms::bench::WriteTokensFile(tokens, kToken, "workbench");
  auto server = cms::bench::ServerProcess::Start(
      server_bin, {"--db_uri=" + uri, "--tokens_file=" + tokens, "--trusted_clients=workbench",
                   "--migrate", absl::StrCat("--pool_size=", absl::GetFlag(FLAGS_pool_size)),
                   absl::StrCat("--work_load_limit=", absl::GetFlag(FLAGS_work_load_limit))});
  if (!server.ok()) return Die(server.status().ToString());

  // A few channels so one HTTP/2 connection is not the bottleneck.
  std::vector<std::unique_ptr<cms::v1::WorkService::Stub>> work;
  std::vector<std::unique_ptr<cms::v1::ServiceRequestService::Stub>> srs;
  for (int i = 0; i < (max_callers + 3) / 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("cms_channel_index", i);  // distinct args => distinct connections
    auto channel = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", server->port()),
                                             grpc::InsecureChannelCredentials(), args);
    work.push_back(cms::v1::WorkService::NewStub(channel));
    srs.push_back(cms::v1::ServiceRequestService::NewStub(channel));
  }
  // The ceiling: the same statements straight through SOCI, a session a caller.
  std::vector<std::unique_ptr<soci::session>> raw;
  try {
    for (int i = 0; i < max_callers; ++i) {
      raw.push_back(std::make_unique<soci::session>(soci::mysql, uri));
      *raw.back() << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
      cms::bench::EnableBatches(*raw.back());
    }
  } catch (const std::exception& e) {
    return Die(e.what());
  }
  std::atomic<int64_t> seq{0};
  std::vector<cms::bench::LoadResult> results;
  // Each RPC with its raw SQL ceiling, at each caller count, in that order.
  // The latency targets' RPCs run interleaved with their ceilings (each
  // caller alternates the two), so both see the same seconds of this
  // shared VM; a throughput target's RPC runs alone, then its ceiling.
  enum class Pairing { kInterleaved, kOneAfterTheOther };
  auto measure_rpc = [&](const std::string& name, const std::function<std::string(int)>& call,
                         const std::function<std::string(int)>& raw_call, Pairing pairing,
                         const std::function<void()>& upkeep = nullptr) {
    if (!absl::StrContains(name, absl::GetFlag(FLAGS_only))) return;
    const absl::Duration every = absl::Milliseconds(absl::GetFlag(FLAGS_return_every_ms));
    const cms::bench::Load rpc{name, call}, ceiling{"  raw SQL, same statements", raw_call};
    for (int callers : caller_counts) {
      // The upkeep runs between calls, untimed, by whichever caller is due
      // first: at 1 caller it never overlaps a measured call, so the tail
      // measured is the RPC's and not the harness's.
      std::mutex upkeep_mu;
      absl::Time next_upkeep = absl::Now() + every;
      std::function<void(int)> between;
      if (upkeep) {
        between = [&](int) {
          std::unique_lock<std::mutex> lock(upkeep_mu, std::try_to_lock);
          if (!lock.owns_lock() || absl::Now() < next_upkeep) return;
          upkeep();
          next_upkeep = absl::Now() + every;
        };
      }
      // After each run the upkeep puts back what the last interval claimed,
      // so no run leaves work behind.
      std::vector<cms::bench::LoadResult> pair;
      if (pairing == Pairing::kInterleaved) {
        pair = cms::bench::RunInterleaved(callers, warmup, measure, {rpc, ceiling}, between);
        if (upkeep) upkeep();
      } else {
        for (const cms::bench::Load& load : {rpc, ceiling}) {
          pair.push_back(
              cms::bench::RunClosedLoop(load.name, callers, warmup, measure, load.call, between));
          if (upkeep) upkeep();
        }
      }
      for (const cms::bench::LoadResult& r : pair) {
        std::printf("%s\n", cms::bench::FormatResult(r).c_str());
        results.push_back(r);
      }
      std::fflush(stdout);
    }
  };

  // GetNextWork takes casegroups out of the queues; the callers put them
  // back (straight SQL, unallocated) every 100 ms while it runs, as new
  // work arrives in a live service, so every run pulls from queues of the
  // same depth, the small database's never run dry and no caseworker
  // reaches the load limit.
  std::mutex claimed_mu;
  std::vector<long long> claimed;     // casegroups (with their case-owning SRs)
  std::vector<long long> claimed_fu;  // functionally unique SRs, claimed one by one
  auto return_claimed = [&] {
    std::vector<long long> back, back_fu;
    {
      std::lock_guard<std::mutex> lock(claimed_mu);
      back.swap(claimed);
      back_fu.swap(claimed_fu);
    }
    try {
      for (size_t i = 0; i < back.size(); i += 1000) {
        std::vector<long long> batch(back.begin() + i,
                                     back.begin() + std::min(back.size(), i + 1000));
        const std::string ids = absl::StrJoin(batch, ",");
        sql << "UPDATE casegroups SET allocated_to = NULL WHERE id IN (" << ids << ")";
        sql << "UPDATE service_requests SET allocated_to = NULL WHERE casegroup_id IN (" << ids
            << ") AND kind = 'CASE_OWNING' AND is_open = 1";
      }
      for (size_t i = 0; i < back_fu.size(); i += 1000) {
        std::vector<long long> batch(back_fu.begin() + i,
                                     back_fu.begin() + std::min(back_fu.size(), i + 1000));
        sql << "UPDATE service_requests SET allocated_to = NULL WHERE id IN ("
            << absl::StrJoin(batch, ",") << ")";
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cms_workbench: returning claimed work: %s\n", e.what());
    }
  };

  measure_rpc(
      "WorkService.GetNextWork",
      [&](int caller) {
        const int64_t n = seq.fetch_add(1);
        cms::v1::GetNextWorkRequest req;
        req.set_request_id(absl::StrCat("workbench-", getpid(), "-", n));
        cms::v1::ServiceRequest out;
        grpc::ClientContext ctx;
        Authorize(&ctx, caseworkers[n % caseworkers.size()].id);
        grpc::Status s = work[caller % work.size()]->GetNextWork(&ctx, req, &out);
        if (s.ok()) {
          std::lock_guard<std::mutex> lock(claimed_mu);
          if (out.kind() == cms::v1::SR_KIND_CASE_OWNING) {
            claimed.push_back(out.casegroup_id());
          } else {
            claimed_fu.push_back(out.id());
          }
        }
        return ErrorOf(s);
      },
      [&](int caller) {
        const int64_t n = seq.fetch_add(1);
        const Staff& who = caseworkers[n % caseworkers.size()];
        cms::bench::RawClaim got;
        std::string error =
            cms::bench::RawGetNextWork(*raw[caller], n, who.id, who.segment_id, &got);
        std::lock_guard<std::mutex> lock(claimed_mu);
        if (got.casegroup_id != 0) claimed.push_back(got.casegroup_id);
        if (got.fu_sr_id != 0) claimed_fu.push_back(got.fu_sr_id);
        return error;
      },
      Pairing::kInterleaved, return_claimed);
  // One page of 50 of a work view, for `staff`; an empty page is an error
  // (every generated caseworker and team holds work).
  // Each view has its own (wire-identical) request and response messages.
  auto list_page = [&]<typename Request, typename Response>(
                       grpc::Status (cms::v1::WorkService::Stub::*view)(grpc::ClientContext*,
                                                                        const Request&, Response*),
                       int caller, const std::string& staff) {
    Request req;
    req.set_page_size(50);
    Response out;
    grpc::ClientContext ctx;
    Authorize(&ctx, staff);
    grpc::Status s = (work[caller % work.size()].get()->*view)(&ctx, req, &out);
    if (s.ok() && out.items_size() == 0) return std::string("empty page");
    return ErrorOf(s);
  };
  measure_rpc(
      "WorkService.ListMyWork (50)",
      [&](int caller) {
        const int64_t n = seq.fetch_add(1);
        return list_page(&cms::v1::WorkService::Stub::ListMyWork, caller,
                         caseworkers[n % caseworkers.size()].id);
      },
      [&](int caller) {
        const int64_t n = seq.fetch_add(1);
        return cms::bench::RawListMyWork(*raw[caller], caseworkers[n % caseworkers.size()].id);
      },
      Pairing::kInterleaved);
  measure_rpc(
      "WorkService.ListTeamWork (50)",
      [&](int caller) {
        const int64_t n = seq.fetch_add(1);
        return list_page(&cms::v1::WorkService::Stub::ListTeamWork, caller,
                         leaders[n % leaders.size()].id);
      },
      [&](int caller) {
        const int64_t n = seq.fetch_add(1);
        return cms::bench::RawListTeamWork(*raw[caller], leaders[n % leaders.size()].id);
      },
      Pairing::kInterleaved);
  std::vector<std::mt19937_64> rngs;
  for (int i = 0; i < max_callers; ++i) rngs.emplace_back(i + 1);
  // The SRs the create runs add are deleted afterwards (below): left in
  // place they would deepen the queues and the generated caseworkers' loads
  // (W4.2 allocates a new SR to its casegroup's caseworker), so a second run
  // on the same database would measure a different one.
  long long last_generated_sr = 0;
  try {
    sql << "SELECT COALESCE(MAX(id), 0) FROM service_requests", soci::into(last_generated_sr);
  } catch (const std::exception& e) {
    return Die(e.what());
  }
  measure_rpc(
      "ServiceRequestService.CreateServiceRequest",
      [&](int caller) {
        const size_t pick = rngs[caller]() % groups.size();
        cms::v1::CreateServiceRequestRequest req;
        req.set_request_id(absl::StrCat("workbench-", getpid(), "-", seq.fetch_add(1)));
        req.set_type_code("CHANGE_INCOME");
        req.set_casegroup_id(groups[pick]);
        req.set_case_id(cases[pick]);
        req.set_source(cms::v1::SR_SOURCE_CASEWORKER);
        req.set_description("workbench");
        cms::v1::CreateServiceRequestResponse out;
        grpc::ClientContext ctx;
        Authorize(&ctx, "cw.gb.new_case.a1");
        return ErrorOf(srs[caller % srs.size()]->CreateServiceRequest(&ctx, req, &out));
      },
      [&](int caller) {
        const size_t pick = rngs[caller]() % groups.size();
        return cms::bench::RawCreateServiceRequest(*raw[caller], seq.fetch_add(1),
                                                   "cw.gb.new_case.a1", groups[pick], cases[pick]);
      },
      Pairing::kOneAfterTheOther);

  try {
    for (long long deleted = 1; deleted > 0;) {
      soci::statement del = (sql.prepare << "DELETE FROM service_requests WHERE id > :id AND "
                                            "description = 'workbench' LIMIT 10000",
                             soci::use(last_generated_sr));
      del.execute(true);
      deleted = del.get_affected_rows();
    }
  } catch (const std::exception& e) {
    return Die(absl::StrCat("deleting the SRs the create runs added: ", e.what()));
  }

  bool errors = false;
  for (const auto& r : results) errors |= r.errors != 0;
  std::printf("cms_server RSS after load: %.1f MiB\n", server->RssMiB());
  std::remove(tokens.c_str());
  return errors ? 1 : 0;
}
