// X13.3: the version a record starts at, and which changes must name the
// version they read (domain/versions.h).
#include "server/domain/versions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/base/errors.h"
#include "server/base/etag.h"

namespace cms::domain {
namespace {

TEST(VersionsTest, ARowStartsAtVersionOneAndAMoneyRecordAtZero) {
  // X13.3: the etag a use case gives the row it just inserted is the one a
  // read of that row gives (the store inserts kFirstVersion).
  EXPECT_EQ(kFirstVersion, 1);
  EXPECT_EQ(EtagOf(kFirstVersion), "\"1\"");
  EXPECT_EQ(kNeverSetVersion, 0);
  EXPECT_EQ(NextEtag(EtagOf(kNeverSetVersion)), EtagOf(kFirstVersion));
}

TEST(VersionsTest, OnlyTheFirstSetUpMayComeWithoutAnEtag) {
  // X13.3
  struct Row {
    std::string name;
    std::string given;
    int64_t current;
    absl::StatusCode want;
  };
  const std::vector<Row> rows = {
      {"first set-up, no etag", "", kNeverSetVersion, absl::StatusCode::kOk},
      {"first set-up, its etag", "\"0\"", kNeverSetVersion, absl::StatusCode::kOk},
      {"first set-up, a later etag", "\"3\"", kNeverSetVersion, absl::StatusCode::kAborted},
      {"change, current etag", "\"3\"", 3, absl::StatusCode::kOk},
      {"change, no etag", "", 3, absl::StatusCode::kInvalidArgument},
      {"change, stale etag", "\"2\"", 3, absl::StatusCode::kAborted},
      {"change, malformed etag", "3", 3, absl::StatusCode::kInvalidArgument},
      {"a row's first version, no etag", "", kFirstVersion, absl::StatusCode::kInvalidArgument},
  };
  for (const Row& r : rows) {
    absl::Status s = CheckChangeVersion(r.given, r.current, "MOPF", "7");
    EXPECT_EQ(s.code(), r.want) << r.name << ": " << s;
    if (r.want == absl::StatusCode::kAborted) EXPECT_EQ(ReasonOf(s), "STALE_ETAG") << r.name;
    if (r.want == absl::StatusCode::kInvalidArgument) {
      ASSERT_EQ(FieldErrorsOf(s).size(), 1u) << r.name;
      EXPECT_EQ(FieldErrorsOf(s)[0].field, "etag") << r.name;
    }
  }
}

}  // namespace
}  // namespace cms::domain
