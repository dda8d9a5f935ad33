// AG11.2: Q&A sampling: the hash that chooses items (deterministic, the
// same as the database's MD5, well spread), the rate threshold, the order
// of a size sample, and what a draw request must carry.
#include "server/domain/sampling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "google/protobuf/util/time_util.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

using cms::v1::ASSURANCE_ITEM_KIND_ACTIVITY;
using cms::v1::ASSURANCE_ITEM_KIND_DECISION;
using cms::v1::ASSURANCE_ITEM_KIND_SERVICE_REQUEST;
using google::protobuf::util::TimeUtil;

TEST(SamplingTest, AG11_2_TheHashIsTheFirstSixtyBitsOfTheMd5OfSeedKindAndId) {
  // The values MariaDB computes for
  // CONV(LEFT(MD5('q1-2027:SERVICE_REQUEST:42'), 15), 16, 10), and Python's
  // int(hashlib.md5(b"...").hexdigest()[:15], 16): the same function.
  EXPECT_EQ(SampleHash("q1-2027", ASSURANCE_ITEM_KIND_SERVICE_REQUEST, 42), 1594503432379888u);
  EXPECT_EQ(SampleHash("q1-2027", ASSURANCE_ITEM_KIND_ACTIVITY, 42), 139859423868072131u);
  EXPECT_EQ(SampleHash("q1-2027", ASSURANCE_ITEM_KIND_DECISION, 42), 749896038997236143u);
  EXPECT_EQ(SampleHash("other", ASSURANCE_ITEM_KIND_SERVICE_REQUEST, 42), 188540814358827578u);
  EXPECT_EQ(SampleHash("q1-2027", "SERVICE_REQUEST", 42), 1594503432379888u);
  EXPECT_EQ(SampleKindLabel(ASSURANCE_ITEM_KIND_DECISION), "DECISION");
}

TEST(SamplingTest, AG11_2_TheHashIsDeterministicAndBelowTwoToTheSixty) {
  for (int64_t id = 1; id <= 2000; ++id) {
    const uint64_t h = SampleHash("seed-a", ASSURANCE_ITEM_KIND_SERVICE_REQUEST, id);
    EXPECT_EQ(h, SampleHash("seed-a", ASSURANCE_ITEM_KIND_SERVICE_REQUEST, id));
    EXPECT_LT(h, kSampleHashLimit);
  }
}

TEST(SamplingTest, AG11_2_TheHashSpreadsConsecutiveIdsEvenly) {
  // 64,000 consecutive ids into 16 buckets by their top 4 bits: each holds
  // 4,000 ± 5% (a bad mix of sequential ids would pile them up).
  constexpr int kIds = 64000, kBuckets = 16;
  std::array<int, kBuckets> buckets{};
  int in_one_percent = 0, rising = 0;
  uint64_t previous = 0;
  for (int64_t id = 1; id <= kIds; ++id) {
    const uint64_t h = SampleHash("spread", ASSURANCE_ITEM_KIND_ACTIVITY, id);
    ++buckets[h >> 56];
    if (InRateSample(h, 10000)) ++in_one_percent;
    if (h > previous) ++rising;
    previous = h;
  }
  for (int b = 0; b < kBuckets; ++b) {
    EXPECT_NEAR(buckets[b], kIds / kBuckets, kIds / kBuckets / 20) << "bucket " << b;
  }
  // A 1% rate takes about 1% of them (640 ± 15%).
  EXPECT_NEAR(in_one_percent, kIds / 100, kIds / 100 * 15 / 100);
  // Neither sorted nor reversed: about half the steps go up.
  EXPECT_NEAR(rising, kIds / 2, kIds / 50);
}

TEST(SamplingTest, AG11_2_ADifferentSeedOrKindChoosesDifferently) {
  int same_seed_order = 0;
  for (int64_t id = 1; id <= 1000; ++id) {
    if (SampleHash("a", ASSURANCE_ITEM_KIND_DECISION, id) ==
        SampleHash("b", ASSURANCE_ITEM_KIND_DECISION, id)) {
      ++same_seed_order;
    }
    EXPECT_NE(SampleHash("a", ASSURANCE_ITEM_KIND_DECISION, id),
              SampleHash("a", ASSURANCE_ITEM_KIND_ACTIVITY, id));
  }
  EXPECT_EQ(same_seed_order, 0);
}

TEST(SamplingTest, AG11_2_TheRateThresholdIsRateOverAMillionOfTwoToTheSixty) {
  EXPECT_EQ(RateThreshold(0), 0u);
  EXPECT_EQ(RateThreshold(1000000), kSampleHashLimit);
  EXPECT_EQ(RateThreshold(500000), kSampleHashLimit / 2);
  EXPECT_EQ(RateThreshold(1), kSampleHashLimit / 1000000);
  // 100% takes every hash; 0 none.
  EXPECT_TRUE(InRateSample(kSampleHashLimit - 1, 1000000));
  EXPECT_FALSE(InRateSample(0, 0));
  EXPECT_TRUE(InRateSample(0, 1));
  // A higher rate keeps everything a lower one chose.
  for (int64_t id = 1; id <= 500; ++id) {
    const uint64_t h = SampleHash("nested", ASSURANCE_ITEM_KIND_SERVICE_REQUEST, id);
    if (InRateSample(h, 100000)) EXPECT_TRUE(InRateSample(h, 200000));
  }
}

TEST(SamplingTest, AG11_2_ASizeSampleTakesTheSmallestHashesFirst) {
  std::vector<SampleCandidate> c = {{ASSURANCE_ITEM_KIND_DECISION, 9, 30},
                                    {ASSURANCE_ITEM_KIND_SERVICE_REQUEST, 4, 10},
                                    {ASSURANCE_ITEM_KIND_ACTIVITY, 2, 10},
                                    {ASSURANCE_ITEM_KIND_ACTIVITY, 1, 10},
                                    {ASSURANCE_ITEM_KIND_SERVICE_REQUEST, 5, 20}};
  std::sort(c.begin(), c.end(), ChosenBefore);
  std::vector<int64_t> ids;
  for (const auto& x : c) ids.push_back(x.item_id);
  // By hash; a tie by kind (SERVICE_REQUEST, ACTIVITY, DECISION), then id.
  EXPECT_EQ(ids, (std::vector<int64_t>{4, 1, 2, 5, 9}));
}

TEST(SamplingTest, AG11_2_SeedsAreShortAndPlain) {
  EXPECT_TRUE(IsValidSeed("2027-Q1.gb:maintenance_1"));
  EXPECT_FALSE(IsValidSeed(""));
  EXPECT_FALSE(IsValidSeed("two words"));
  EXPECT_FALSE(IsValidSeed("quote'd"));
  EXPECT_FALSE(IsValidSeed(std::string(65, 'a')));
  EXPECT_TRUE(IsValidSeed(std::string(64, 'a')));
}

cms::v1::DrawAssuranceSampleRequest Good() {
  cms::v1::DrawAssuranceSampleRequest r;
  r.set_seed("2027-03");
  *r.mutable_period()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1803600000);
  *r.mutable_period()->mutable_end_time() = TimeUtil::SecondsToTimestamp(1803600000 + 86400 * 31);
  r.add_kinds(ASSURANCE_ITEM_KIND_SERVICE_REQUEST);
  r.add_kinds(ASSURANCE_ITEM_KIND_DECISION);
  r.set_size(25);
  return r;
}

std::vector<std::string> BadFields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : FieldErrorsOf(s)) out.push_back(e.field);
  return out;
}

TEST(SamplingTest, AG11_2_ADrawNamesEachBadField) {
  auto known = [](const std::string& code) { return code == "CHANGE_OF_ADDRESS"; };
  struct Row {
    const char* what;
    std::function<void(cms::v1::DrawAssuranceSampleRequest&)> set;
    std::vector<std::string> bad;  // empty: accepted
  } rows[] = {
      {"good, by size", [](auto&) {}, {}},
      {"good, by rate",
       [](auto& r) {
         r.clear_size();
         r.set_rate_ppm(10000);
       },
       {}},
      {"every target",
       [](auto& r) {
         auto* t = r.mutable_targets();
         t->set_case_id(1);
         t->set_casegroup_id(2);
         t->set_segment_id(3);
         t->set_team_id(4);
         t->set_sr_type_code("CHANGE_OF_ADDRESS");
       },
       {}},
      {"a decision type with decisions alone",
       [](auto& r) {
         r.clear_kinds();
         r.add_kinds(ASSURANCE_ITEM_KIND_DECISION);
         r.mutable_targets()->set_decision_type(cms::v1::BUSINESS_DECISION_TYPE_APPROVAL);
       },
       {}},
      {"no seed", [](auto& r) { r.clear_seed(); }, {"seed"}},
      {"a seed with a space", [](auto& r) { r.set_seed("a b"); }, {"seed"}},
      {"no period", [](auto& r) { r.clear_period(); }, {"period"}},
      {"no start", [](auto& r) { r.mutable_period()->clear_start_time(); }, {"period.start_time"}},
      {"start after end",
       [](auto& r) {
         *r.mutable_period()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1803600000 + 1);
         *r.mutable_period()->mutable_end_time() = TimeUtil::SecondsToTimestamp(1803600000);
       },
       {"period.end_time"}},
      {"start equal to end",
       [](auto& r) { *r.mutable_period()->mutable_end_time() = r.period().start_time(); },
       {"period.end_time"}},
      {"367 days",
       [](auto& r) {
         *r.mutable_period()->mutable_end_time() =
             TimeUtil::SecondsToTimestamp(1803600000 + 86400 * 367);
       },
       {"period.end_time"}},
      {"no kind", [](auto& r) { r.clear_kinds(); }, {"kinds"}},
      {"a kind twice", [](auto& r) { r.add_kinds(ASSURANCE_ITEM_KIND_DECISION); }, {"kinds[2]"}},
      {"an unspecified kind",
       [](auto& r) { r.add_kinds(cms::v1::ASSURANCE_ITEM_KIND_UNSPECIFIED); },
       {"kinds[2]"}},
      {"neither size nor rate", [](auto& r) { r.clear_size(); }, {"size", "rate_ppm"}},
      {"both size and rate", [](auto& r) { r.set_rate_ppm(5); }, {"size", "rate_ppm"}},
      {"size too big", [](auto& r) { r.set_size(10001); }, {"size"}},
      {"size negative", [](auto& r) { r.set_size(-1); }, {"size"}},
      {"rate above a million",
       [](auto& r) {
         r.clear_size();
         r.set_rate_ppm(1000001);
       },
       {"rate_ppm"}},
      {"unknown SR type",
       [](auto& r) { r.mutable_targets()->set_sr_type_code("NOPE"); },
       {"targets.sr_type_code"}},
      {"a decision type with SRs too",
       [](auto& r) {
         r.mutable_targets()->set_decision_type(cms::v1::BUSINESS_DECISION_TYPE_ARREARS);
       },
       {"targets.decision_type"}},
      {"an unknown decision type",
       [](auto& r) {
         r.clear_kinds();
         r.add_kinds(ASSURANCE_ITEM_KIND_DECISION);
         r.mutable_targets()->set_decision_type(static_cast<cms::v1::BusinessDecisionType>(99));
       },
       {"targets.decision_type"}},
      {"a negative case id",
       [](auto& r) { r.mutable_targets()->set_case_id(-3); },
       {"targets.case_id"}},
      {"everything missing",
       [](auto& r) { r.Clear(); },
       {"seed", "period", "kinds", "size", "rate_ppm"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.what);
    cms::v1::DrawAssuranceSampleRequest r = Good();
    row.set(r);
    const absl::Status s = ValidateDrawRequest(r, known);
    EXPECT_EQ(BadFields(s), row.bad);
    if (!row.bad.empty()) {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(RuleOf(s), "AG11.2");
    }
  }
}

cms::v1::AssuranceSampleItem Item(cms::v1::AssuranceItemKind kind, int64_t id, uint64_t hash) {
  cms::v1::AssuranceSampleItem i;
  i.set_kind(kind);
  i.set_item_id(id);
  i.set_hash(hash);
  return i;
}

std::vector<int64_t> Ids(const std::vector<cms::v1::AssuranceSampleItem>& items) {
  std::vector<int64_t> ids;
  for (const auto& i : items) ids.push_back(i.item_id());
  return ids;
}

TEST(SamplingTest, AG11_2_ASampleIsTheCandidatesInHashOrderCutToItsSize) {
  constexpr auto kSr = cms::v1::ASSURANCE_ITEM_KIND_SERVICE_REQUEST;
  constexpr auto kDecision = cms::v1::ASSURANCE_ITEM_KIND_DECISION;
  const std::vector<cms::v1::AssuranceSampleItem> candidates = {
      Item(kDecision, 4, 30), Item(kSr, 9, 10), Item(kSr, 2, 30), Item(kSr, 7, 20)};
  // By hash, then kind, then id (a tie between kinds is decided by kind).
  std::vector<cms::v1::AssuranceSampleItem> by_rate = candidates;
  EXPECT_TRUE(ChooseSample(by_rate, 0));
  EXPECT_EQ(Ids(by_rate), (std::vector<int64_t>{9, 7, 2, 4}));
  std::vector<cms::v1::AssuranceSampleItem> by_size = candidates;
  EXPECT_TRUE(ChooseSample(by_size, 2));
  EXPECT_EQ(Ids(by_size), (std::vector<int64_t>{9, 7}));
  std::vector<cms::v1::AssuranceSampleItem> all = candidates;
  EXPECT_TRUE(ChooseSample(all, 10));  // fewer candidates than the size: all
  EXPECT_EQ(all.size(), 4u);
}

TEST(SamplingTest, AG11_2_ARateChoosingMoreThanTheLimitIsRefusedNotCut) {
  std::vector<cms::v1::AssuranceSampleItem> many;
  for (int i = 0; i <= kMaxSampleSize; ++i) {
    many.push_back(Item(cms::v1::ASSURANCE_ITEM_KIND_SERVICE_REQUEST, i, i));
  }
  EXPECT_FALSE(ChooseSample(many, 0));
  EXPECT_EQ(many.size(), static_cast<size_t>(kMaxSampleSize) + 1);
  many.pop_back();
  EXPECT_TRUE(ChooseSample(many, 0));
}

}  // namespace
}  // namespace cms::domain
