// KeptAnswers on a fake clock: an answer is given back while younger than
// the max age, per key; a newer answer wins over an older one that finished
// later; a zero max age keeps nothing.
#include "server/base/kept_answers.h"

#include <gtest/gtest.h>

#include <string>

namespace cms {
namespace {

struct FakeClock {
  absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  std::function<absl::Time()> fn() {
    return [this] { return now; };
  }
};

TEST(KeptAnswersTest, AnAnswerIsGivenBackUntilItReachesTheMaxAge) {
  FakeClock clock;
  KeptAnswers<int, std::string> kept(absl::Seconds(5), clock.fn());
  EXPECT_FALSE(kept.Find(1).has_value());
  kept.Keep(1, "one", kept.Now());
  clock.now += absl::Milliseconds(4999);
  EXPECT_EQ(kept.Find(1), "one");
  EXPECT_FALSE(kept.Find(2).has_value()) << "each key is its own";
  clock.now += absl::Milliseconds(1);
  EXPECT_FALSE(kept.Find(1).has_value()) << "five seconds old is too old";
}

TEST(KeptAnswersTest, OfAnswersMissedTogetherTheOneStartedLastIsKept) {
  FakeClock clock;
  KeptAnswers<int, std::string> kept(absl::Seconds(5), clock.fn());
  const absl::Time early = kept.Now();
  clock.now += absl::Seconds(1);
  const absl::Time late = kept.Now();
  kept.Keep(1, "late", late);
  kept.Keep(1, "early", early);  // finished after, but counted before
  EXPECT_EQ(kept.Find(1), "late");
  clock.now += absl::Seconds(2);
  kept.Keep(1, "newer", kept.Now());
  EXPECT_EQ(kept.Find(1), "newer");
}

TEST(KeptAnswersTest, AZeroMaxAgeKeepsNothing) {
  FakeClock clock;
  KeptAnswers<int, std::string> kept(absl::ZeroDuration(), clock.fn());
  EXPECT_FALSE(kept.enabled());
  kept.Keep(1, "one", kept.Now());
  EXPECT_FALSE(kept.Find(1).has_value());
}

}  // namespace
}  // namespace cms
