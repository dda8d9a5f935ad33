// The server's own defences (X13.1) over a real server: its port is its own,
// client tokens rotate without a restart, and refused calls are traced,
// counted and rate-limited per peer address.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/api/admin_service.h"
#include "server/base/log.h"
#include "tests/integration/crypto_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

constexpr char kSvc[] = "svc.manager";
constexpr char kCaseworker[] = "cw.gb.new_case.a1";

grpc::Status GetClock(TestServer& t, std::unique_ptr<grpc::ClientContext> ctx) {
  cms::v1::Clock clock;
  return t.admin().GetClock(ctx.get(), {}, &clock);
}

TEST(PortTest, ASecondServerOnABusyPortFailsToStart) {
  // X13.1: SO_REUSEPORT is off, so the port is the first server's alone
  // (with it on, the second would start and take half the calls).
  auto t = TestServer::Start();
  api::ServerConfig config;
  config.listen = absl::StrCat("127.0.0.1:", t->port());
  auto second =
      api::CmsServer::Start(config, t->db(), auth::Authenticator::FromTokens({{kToken, kClient}}));
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable) << second.status();
  EXPECT_RPC_OK(GetClock(*t, t->Context(kSvc)));
}

TEST(TokenRotationTest, ReloadSwapsTheTableAndABadFileKeepsTheOld) {
  // X13.1: a token is rotated without downtime (SIGHUP calls this reload);
  // a bad file on reload keeps the table in use.
  CryptoDir dir;
  const std::string path = dir.Write("tokens", absl::StrCat("old-token-1234 ", kClient, "\n"));
  TestServerOptions options;
  options.tokens_file = path;
  auto t = TestServer::Start(options);
  auth::Authenticator& auth = t->server().authenticator();
  EXPECT_RPC_OK(GetClock(*t, t->Context(kSvc, "old-token-1234")));

  dir.Write("tokens", absl::StrCat("new-token-5678 ", kClient, "\n"));
  ASSERT_TRUE(auth.ReloadTokens().ok());
  EXPECT_RPC_OK(GetClock(*t, t->Context(kSvc, "new-token-5678")));
  EXPECT_TRUE(Refused(GetClock(*t, t->Context(kSvc, "old-token-1234")),
                      grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));

  // Malformed, then readable by others: refused, and the new token stays.
  dir.Write("tokens", "oops\n");
  absl::Status bad = auth.ReloadTokens();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument) << bad;
  dir.Write("tokens", absl::StrCat("newer-token-9999 ", kClient, "\n"), 0644);
  bad = auth.ReloadTokens();
  EXPECT_EQ(bad.code(), absl::StatusCode::kFailedPrecondition) << bad;
  EXPECT_TRUE(absl::StrContains(bad.message(), "0644")) << bad;
  EXPECT_RPC_OK(GetClock(*t, t->Context(kSvc, "new-token-5678")));
  EXPECT_TRUE(Refused(GetClock(*t, t->Context(kSvc, "newer-token-9999")),
                      grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
  // And a server will not start on such a file.
  EXPECT_EQ(auth::Authenticator::FromFile(path).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// Captures the logger's lines while alive.
class CapturedLog : public LogSink {
 public:
  CapturedLog() : previous_(SetLogSinkForTest(this)) {}
  ~CapturedLog() override { SetLogSinkForTest(previous_); }
  void Write(absl::string_view line) override {
    absl::MutexLock lock(&mu_);
    lines_.emplace_back(line);
  }
  // The parsed lines whose "rpc" field is `rpc`.
  std::vector<google::protobuf::Struct> Rpc(const std::string& rpc) {
    absl::MutexLock lock(&mu_);
    std::vector<google::protobuf::Struct> out;
    for (const std::string& line : lines_) {
      google::protobuf::Struct s;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &s).ok()) << line;
      auto it = s.fields().find("rpc");
      if (it != s.fields().end() && it->second.string_value() == rpc) out.push_back(s);
    }
    return out;
  }
  bool Contains(absl::string_view text) {
    absl::MutexLock lock(&mu_);
    for (const std::string& line : lines_) {
      if (absl::StrContains(line, text)) return true;
    }
    return false;
  }

 private:
  LogSink* previous_;
  absl::Mutex mu_;
  std::vector<std::string> lines_;
};

std::string Field(const google::protobuf::Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "<absent>" : it->second.string_value();
}

TEST(RefusedCallsTest, TracedWithPeerClientUserMethodAndCode) {
  // X13.1: a refused call's log line names the peer, the claimed client
  // ("unknown" for an unknown token, which never appears), the claimed user
  // (bounded), the method and the code.
  auto t = TestServer::Start();
  CapturedLog log;
  const std::string secret = "guessed-token-0123456789";
  const std::string long_user(300, 'u');
  EXPECT_TRUE(Refused(GetClock(*t, t->Context(long_user, secret)),
                      grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
  EXPECT_TRUE(Refused(GetClock(*t, t->Context("no.such.person")),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  cms::v1::Segment segment;
  EXPECT_TRUE(Refused(t->bom().CreateSegment(t->Context(kCaseworker).get(), {}, &segment),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));

  std::vector<google::protobuf::Struct> clock = log.Rpc("cms.v1.AdminService/GetClock");
  ASSERT_EQ(clock.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(Field(clock[0], "peer"), "ipv4:127.0.0.1:"))
      << Field(clock[0], "peer");
  EXPECT_EQ(Field(clock[0], "client"), "unknown");
  EXPECT_EQ(Field(clock[0], "code"), "UNAUTHENTICATED");
  EXPECT_EQ(Field(clock[0], "rule"), "X13.1");
  EXPECT_TRUE(absl::StartsWith(Field(clock[0], "user"), "uuuu"));
  EXPECT_LT(Field(clock[0], "user").size(), 64u);
  EXPECT_EQ(Field(clock[1], "client"), kClient);
  EXPECT_EQ(Field(clock[1], "user"), "no.such.person");
  EXPECT_EQ(Field(clock[1], "code"), "PERMISSION_DENIED");
  std::vector<google::protobuf::Struct> create = log.Rpc("cms.v1.BomService/CreateSegment");
  ASSERT_EQ(create.size(), 1u);
  EXPECT_EQ(Field(create[0], "actor"), kCaseworker);
  EXPECT_EQ(Field(create[0], "rule"), "S1.4");
  EXPECT_FALSE(log.Contains(secret)) << "a token was logged";
  EXPECT_FALSE(log.Contains(kToken)) << "a token was logged";
}

TEST(RefusedCallsTest, CountedAndABurstFromOnePeerIsLimited) {
  // X13.1: more than `burst` identity refusals from one address and its
  // calls are answered RESOURCE_EXHAUSTED, without authenticating them,
  // until it cools down; role refusals are counted but do not limit.
  TestServerOptions options;
  // 3 refusals, growing back one per 2 s: the burst below takes well under
  // 2 s even on a loaded machine.
  options.refusal_limits = {.burst = 3, .window = absl::Seconds(6)};
  auto t = TestServer::Start(options);

  cms::v1::Segment segment;
  for (int i = 0; i < 5; ++i) {  // role refusals: never limited
    EXPECT_TRUE(Refused(t->bom().CreateSegment(t->Context(kCaseworker).get(), {}, &segment),
                        grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  }
  EXPECT_TRUE(Refused(GetClock(*t, t->Context(kSvc, "wrong-token-1")),
                      grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
  EXPECT_TRUE(Refused(GetClock(*t, t->Context("no.such.person")),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(GetClock(*t, t->Context("svc.manager ")), grpc::StatusCode::PERMISSION_DENIED,
                      "X13.1", "PERMISSION_DENIED"));
  // Limited: even a good caller from this address, and an unknown staff id
  // gets RESOURCE_EXHAUSTED, not PERMISSION_DENIED: nothing was looked up.
  grpc::Status limited = GetClock(*t, t->Context(kSvc));
  EXPECT_TRUE(Refused(limited, grpc::StatusCode::RESOURCE_EXHAUSTED, "X13.1", "RATE_LIMITED"));
  EXPECT_TRUE(absl::StrContains(limited.error_message(), "retry in")) << limited.error_message();
  EXPECT_TRUE(Refused(GetClock(*t, t->Context("no.such.person")),
                      grpc::StatusCode::RESOURCE_EXHAUSTED, "X13.1", "RATE_LIMITED"));

  // The limited peer as the stats show it (read in-process: its RPC would
  // be limited too).
  cms::v1::SecurityStats now;
  api::ToSecurityStats(t->server().refusals().Snapshot(absl::Now()), &now);
  ASSERT_EQ(now.limited_peers_size(), 1) << now.ShortDebugString();
  EXPECT_EQ(now.limited_peers(0).address(), "127.0.0.1");
  EXPECT_TRUE(now.limited_peers(0).retry_after().seconds() > 0 ||
              now.limited_peers(0).retry_after().nanos() > 0);

  // Cools down: a token grows back within 2 s.
  grpc::Status again;
  for (absl::Time deadline = absl::Now() + absl::Seconds(10); absl::Now() < deadline;) {
    again = GetClock(*t, t->Context(kSvc));
    if (again.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_RPC_OK(again);

  // AdminService.GetSecurityStats: SERVICE_MANAGEMENT only.
  cms::v1::SecurityStats stats;
  ASSERT_RPC_OK(t->admin().GetSecurityStats(t->Context(kSvc).get(), {}, &stats));
  std::map<std::string, int64_t> by_code;
  for (const auto& r : stats.refused()) by_code[r.code()] = r.count();
  EXPECT_EQ(by_code["UNAUTHENTICATED"], 1) << stats.ShortDebugString();
  EXPECT_EQ(by_code["PERMISSION_DENIED"], 5 + 2) << stats.ShortDebugString();
  EXPECT_GE(stats.rate_limited(), 2) << stats.ShortDebugString();
  EXPECT_TRUE(Refused(t->admin().GetSecurityStats(t->Context(kCaseworker).get(), {}, &stats),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
}

}  // namespace
}  // namespace cms::testing
