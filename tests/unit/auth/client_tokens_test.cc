// X13.1: client tokens are kept as digests, found in constant time, and read
// only from a file nobody else may read or write.
#include "server/auth/client_tokens.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

namespace cms::auth {
namespace {

std::string WriteFile(const std::string& name, const std::string& text, int mode) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::remove(path.c_str());
  std::ofstream(path) << text;
  chmod(path.c_str(), mode);
  return path;
}

TEST(ClientTokensTest, LooksUpByDigest) {
  ClientTokens t = ClientTokens::FromMap({{"token-one-1234", "one"}, {"token-two-1234", "two"}});
  EXPECT_EQ(t.ClientOf("token-one-1234"), "one");
  EXPECT_EQ(t.ClientOf("token-two-1234"), "two");
  EXPECT_EQ(t.ClientOf("token-one-123"), std::nullopt);
  EXPECT_EQ(t.ClientOf(""), std::nullopt);
}

TEST(ClientTokensTest, ReadsAPrivateFile) {
  const std::string path = WriteFile(
      "tokens_ok", "# comment\n\nsecret-token-1 cmsctl\n  other-token-2\tharness \n", 0600);
  auto t = ClientTokens::FromFile(path);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->size(), 2u);
  EXPECT_EQ(t->ClientOf("other-token-2"), "harness");
}

TEST(ClientTokensTest, RefusesAFileOthersMayReadOrWrite) {
  // X13.1: naming the file and its mode.
  for (int mode : {0644, 0640, 0604, 0620, 0602, 0666}) {
    const std::string path = WriteFile("tokens_open", "secret-token-1 cmsctl\n", mode);
    auto t = ClientTokens::FromFile(path);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kFailedPrecondition) << mode;
    EXPECT_NE(t.status().message().find(path), absl::string_view::npos) << t.status();
    char octal[8];
    snprintf(octal, sizeof(octal), "%04o", mode);
    EXPECT_NE(t.status().message().find(octal), absl::string_view::npos) << t.status();
  }
  EXPECT_TRUE(ClientTokens::FromFile(WriteFile("tokens_400", "secret-token-1 a\n", 0400)).ok());
  EXPECT_EQ(ClientTokens::FromFile(::testing::TempDir() + "/no_such_tokens").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ClientTokensTest, MalformedLinesNeverEchoTheToken) {
  const std::string path = WriteFile("tokens_bad", "short x\nlong-enough-token a b\n", 0600);
  auto t = ClientTokens::FromFile(path);
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message().find("short"), absl::string_view::npos) << t.status();
  EXPECT_NE(t.status().message().find(":1:"), absl::string_view::npos) << t.status();
}

}  // namespace
}  // namespace cms::auth
