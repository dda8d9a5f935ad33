// X13.5 (error values) and X13.3 (etags); paging is in paging_test.cc.
#include "server/base/errors.h"

#include <gtest/gtest.h>

#include "server/base/etag.h"

namespace cms {
namespace {

TEST(ErrorsTest, FieldErrorsNameEveryFieldAndTheRule) {
  FieldErrors errors;
  EXPECT_TRUE(errors.ToStatus().ok());
  errors.Add("person.nino", "bad\tnino\nformat");
  errors.Add("children", "at least one");
  absl::Status s = errors.ToStatus("C2.2");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RuleOf(s), "C2.2");
  EXPECT_EQ(ReasonOf(s), "INVALID_FIELDS");
  auto fields = FieldErrorsOf(s);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0], (FieldError{"person.nino", "bad nino format"}));
  EXPECT_EQ(fields[1], (FieldError{"children", "at least one"}));
}

TEST(ErrorsTest, RuleViolationIsFailedPreconditionNamingTheRule) {
  absl::Status s = RuleViolation("SR5.3", "an activity is open");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RuleOf(s), "SR5.3");
  EXPECT_NE(s.message().find("SR5.3"), absl::string_view::npos);
}

TEST(EtagTest, StaleIsAbortedMissingOrMalformedIsInvalid) {
  // X13.3
  EXPECT_TRUE(CheckEtag(EtagOf(3), EtagOf(3), "etag", "segment", "1").ok());
  EXPECT_EQ(CheckEtag(EtagOf(2), EtagOf(3), "etag", "segment", "1").code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(ReasonOf(CheckEtag(EtagOf(2), EtagOf(3), "etag", "segment", "1")), "STALE_ETAG");
  EXPECT_EQ(CheckEtag("", EtagOf(3), "etag", "segment", "1").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckEtag("3", EtagOf(3), "etag", "segment", "1").code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cms
