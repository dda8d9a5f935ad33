// X13.3: etags are the quoted row version; NextEtag names the version after
// one UPDATE, for use cases that build the changed row instead of reading it.
#include "server/base/etag.h"

#include <gtest/gtest.h>

namespace cms {
namespace {

TEST(EtagTest, NextEtagIsOneVersionOn) {
  EXPECT_EQ(EtagOf(7), "\"7\"");
  EXPECT_EQ(NextEtag(EtagOf(7)), EtagOf(8));
  EXPECT_EQ(NextEtag(EtagOf(1)), EtagOf(2));
}

TEST(EtagTest, CheckEtagRefusesMissingMalformedAndStale) {
  EXPECT_TRUE(CheckEtag(EtagOf(3), EtagOf(3), "etag", "sr", "1").ok());
  EXPECT_EQ(CheckEtag("", EtagOf(3), "etag", "sr", "1").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckEtag("3", EtagOf(3), "etag", "sr", "1").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckEtag(EtagOf(2), EtagOf(3), "etag", "sr", "1").code(), absl::StatusCode::kAborted);
}

}  // namespace
}  // namespace cms
