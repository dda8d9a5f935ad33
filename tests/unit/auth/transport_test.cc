// X13.1: a server reachable from other machines encrypts, unless told not to.
#include "server/auth/transport.h"

#include <gtest/gtest.h>

#include "server/base/errors.h"

namespace cms::auth {
namespace {

TEST(TransportTest, LoopbackAddresses) {
  for (const char* listen :
       {"127.0.0.1:50051", "127.1.2.3:0", "localhost:50051", "LOCALHOST:1", "[::1]:50051", "::1",
        "ipv4:127.0.0.1:5", "ipv6:[::1]:5", "unix:/tmp/cms.sock"}) {
    EXPECT_TRUE(IsLoopbackListen(listen)) << listen;
  }
  for (const char* listen :
       {"0.0.0.0:50051", "[::]:50051", ":50051", "10.0.0.5:50051", "192.168.1.2:1", "128.0.0.1:1",
        "example.org:443", "localhost.example.org:1", "[::ffff:10.0.0.1]:1", ""}) {
    EXPECT_FALSE(IsLoopbackListen(listen)) << listen;
  }
}

TEST(TransportTest, NonLoopbackPlaintextNeedsTheOverride) {
  // X13.1: the decision cms_server takes on its flags.
  EXPECT_TRUE(CheckListenSecurity("127.0.0.1:50051", false, false).ok());
  EXPECT_TRUE(CheckListenSecurity("0.0.0.0:50051", true, false).ok());
  EXPECT_TRUE(CheckListenSecurity("0.0.0.0:50051", false, true).ok());
  absl::Status s = CheckListenSecurity("0.0.0.0:50051", false, false);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RuleOf(s), "X13.1");
  EXPECT_NE(s.message().find("--allow_insecure_listen"), absl::string_view::npos);
  EXPECT_NE(s.message().find("--tls_cert_file"), absl::string_view::npos);
}

}  // namespace
}  // namespace cms::auth
