#include "server/domain/sampling.h"

#include <openssl/evp.h>

#include <algorithm>
#include <set>

#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/base/enum_names.h"

namespace cms::domain {
namespace {

using google::protobuf::util::TimeUtil;

bool IsSetTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() != 0 || t.nanos() != 0;
}

}  // namespace

std::string SampleKindLabel(cms::v1::AssuranceItemKind kind) { return ShortName(kind); }

uint64_t SampleHash(absl::string_view seed, absl::string_view kind_label, int64_t id) {
  const std::string text = absl::StrCat(seed, ":", kind_label, ":", id);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // MD5 as the database's MD5(): chosen for the SQL side, not for secrecy.
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr);
  uint64_t first = 0;
  for (int i = 0; i < 8; ++i) first = (first << 8) | digest[i];
  return first >> 4;  // the first 15 hex digits
}

uint64_t SampleHash(absl::string_view seed, cms::v1::AssuranceItemKind kind, int64_t id) {
  return SampleHash(seed, SampleKindLabel(kind), id);
}

uint64_t RateThreshold(int32_t rate_ppm) {
  if (rate_ppm <= 0) return 0;
  if (rate_ppm >= kMaxRatePpm) return kSampleHashLimit;
  return static_cast<uint64_t>(absl::uint128(rate_ppm) * kSampleHashLimit / kMaxRatePpm);
}

bool InRateSample(uint64_t hash, int32_t rate_ppm) { return hash < RateThreshold(rate_ppm); }

bool IsValidSeed(absl::string_view seed) {
  if (seed.empty() || seed.size() > kMaxSeedLength) return false;
  for (char ch : seed) {
    const auto c = static_cast<unsigned char>(ch);
    if (!absl::ascii_isalnum(c) && ch != '.' && ch != '_' && ch != ':' && ch != '-') return false;
  }
  return true;
}

void CheckAssurancePeriod(const cms::v1::AssurancePeriod* period, const std::string& field,
                          FieldErrors& errors) {
  if (period == nullptr) {
    errors.Add(field, "required: [start_time, end_time) of business time");
    return;
  }
  const bool start = IsSetTimestamp(period->start_time());
  const bool end = IsSetTimestamp(period->end_time());
  if (!start) errors.Add(absl::StrCat(field, ".start_time"), "required");
  if (!end) errors.Add(absl::StrCat(field, ".end_time"), "required");
  if (!start || !end) return;
  const int64_t from = TimeUtil::TimestampToMicroseconds(period->start_time());
  const int64_t to = TimeUtil::TimestampToMicroseconds(period->end_time());
  if (from >= to) {
    errors.Add(absl::StrCat(field, ".end_time"), "after start_time: the period is [start, end)");
  } else if (to - from > int64_t{kMaxAssurancePeriodDays} * 24 * 3600 * 1000000) {
    errors.Add(absl::StrCat(field, ".end_time"),
               absl::StrCat("at most ", kMaxAssurancePeriodDays, " days after start_time"));
  }
}

absl::Status ValidateDrawRequest(const cms::v1::DrawAssuranceSampleRequest& req,
                                 const std::function<bool(const std::string&)>& known_sr_type) {
  FieldErrors errors;
  if (!IsValidSeed(req.seed())) {
    errors.Add("seed", absl::StrCat("required: 1..", kMaxSeedLength,
                                    " characters of letters, digits and . _ : -"));
  }
  CheckAssurancePeriod(req.has_period() ? &req.period() : nullptr, "period", errors);
  if (req.kinds().empty()) {
    errors.Add("kinds", "at least one of SERVICE_REQUEST, ACTIVITY, DECISION");
  }
  std::set<int> seen;
  bool only_decisions = !req.kinds().empty();
  for (int i = 0; i < req.kinds_size(); ++i) {
    const int k = req.kinds(i);
    if (k == cms::v1::ASSURANCE_ITEM_KIND_UNSPECIFIED || !cms::v1::AssuranceItemKind_IsValid(k)) {
      errors.Add(absl::StrCat("kinds[", i, "]"), "SERVICE_REQUEST, ACTIVITY or DECISION");
    } else if (!seen.insert(k).second) {
      errors.Add(absl::StrCat("kinds[", i, "]"), "given twice");
    }
    if (k != cms::v1::ASSURANCE_ITEM_KIND_DECISION) only_decisions = false;
  }
  const bool size = req.size() != 0, rate = req.rate_ppm() != 0;
  if (size == rate) {
    const std::string why = size ? "give a size or a rate, not both" : "give a size or a rate";
    errors.Add("size", why);
    errors.Add("rate_ppm", why);
  }
  if (size && (req.size() < 1 || req.size() > kMaxSampleSize)) {
    errors.Add("size", absl::StrCat("1..", kMaxSampleSize, " items"));
  }
  if (rate && (req.rate_ppm() < 1 || req.rate_ppm() > kMaxRatePpm)) {
    errors.Add("rate_ppm", absl::StrCat("1..", kMaxRatePpm, " parts per million"));
  }
  const cms::v1::AssuranceTargets& t = req.targets();
  if (t.case_id() < 0) errors.Add("targets.case_id", "an id, or 0 for any");
  if (t.casegroup_id() < 0) errors.Add("targets.casegroup_id", "an id, or 0 for any");
  if (t.segment_id() < 0) errors.Add("targets.segment_id", "an id, or 0 for any");
  if (t.team_id() < 0) errors.Add("targets.team_id", "an id, or 0 for any");
  if (!t.sr_type_code().empty() && !known_sr_type(t.sr_type_code())) {
    errors.Add("targets.sr_type_code", "no such SR type in the catalog");
  }
  if (t.decision_type() != cms::v1::BUSINESS_DECISION_TYPE_UNSPECIFIED) {
    if (!cms::v1::BusinessDecisionType_IsValid(t.decision_type())) {
      errors.Add("targets.decision_type",
                 "APPROVAL, SR_RESOLUTION, COMPLIANCE, ARREARS or CALCULATION");
    } else if (!only_decisions) {
      errors.Add("targets.decision_type",
                 "targets decisions only: sample kinds DECISION alone with it");
    }
  }
  return errors.ToStatus("AG11.2");
}

bool ChosenBefore(const SampleCandidate& a, const SampleCandidate& b) {
  if (a.hash != b.hash) return a.hash < b.hash;
  if (a.kind != b.kind) return a.kind < b.kind;
  return a.item_id < b.item_id;
}

bool ChooseSample(std::vector<cms::v1::AssuranceSampleItem>& items, int32_t size) {
  auto candidate = [](const cms::v1::AssuranceSampleItem& i) {
    return SampleCandidate{i.kind(), i.item_id(), i.hash()};
  };
  std::sort(items.begin(), items.end(),
            [&](const cms::v1::AssuranceSampleItem& a, const cms::v1::AssuranceSampleItem& b) {
              return ChosenBefore(candidate(a), candidate(b));
            });
  if (size > 0) {
    if (static_cast<int64_t>(items.size()) > size) items.resize(size);
    return true;
  }
  return static_cast<int64_t>(items.size()) <= kMaxSampleSize;
}

}  // namespace cms::domain
