// AG11.2: Q&A sampling: what a draw request must carry, and the hash that
// chooses items. Pure and thread-safe.
//
// The choice is made in SQL (store/assurance_repo.h: SampleHashSql), so the
// database returns only the chosen rows; SampleHash is its twin in C++,
// the same function, which the unit tests use to predict the database's
// choice. H(seed, kind, id) is the first 60 bits (15 hex digits) of
// MD5("<seed>:<KIND>:<id>"), KIND the short name of the item's kind
// (SERVICE_REQUEST, ACTIVITY, DECISION) and id in decimal: deterministic,
// so the same inputs choose the same items on any replica and after any
// restart, and well mixed, so consecutive ids fall anywhere in [0, 2^60).
//
// - A rate sample (rate_ppm parts per million) holds every item with
//   H < RateThreshold(rate_ppm): an item's membership depends on its own
//   hash alone, so items added to the period later may join it and never
//   displace one already chosen. 1,000,000 ppm takes every item.
// - A size sample holds the `size` items with the smallest H (ties, which
//   need a 60-bit collision, by kind then id), across the kinds asked for.
//
// Decisions where the SPEC and the procedure are silent:
// - A seed is 1..64 characters of [A-Za-z0-9._:-] (no spaces, so a seed
//   read out or typed again is the same bytes).
// - A period is at most 366 days; a sample at most 10,000 items (a rate
//   sample that would hold more is refused: choose a smaller rate or a
//   narrower target).
// - A decision type targets decisions only: with it, kinds must be
//   DECISION alone.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cms/v1/assurance.pb.h"
#include "server/base/errors.h"

namespace cms::domain {

inline constexpr int kMaxSampleSize = 10000;
inline constexpr int kMaxRatePpm = 1000000;
inline constexpr int kMaxSeedLength = 64;
inline constexpr int kMaxAssurancePeriodDays = 366;
// H is below 2^60.
inline constexpr uint64_t kSampleHashLimit = uint64_t{1} << 60;

// "SERVICE_REQUEST", "ACTIVITY", "DECISION": the kind as hashed (and
// stored).
std::string SampleKindLabel(cms::v1::AssuranceItemKind kind);

// H(seed, kind, id), in [0, 2^60).
uint64_t SampleHash(absl::string_view seed, absl::string_view kind_label, int64_t id);
uint64_t SampleHash(absl::string_view seed, cms::v1::AssuranceItemKind kind, int64_t id);

// floor(rate_ppm * 2^60 / 1,000,000): an item is in the rate sample iff its
// hash is below this (1,000,000 ppm: 2^60, every item).
uint64_t RateThreshold(int32_t rate_ppm);
bool InRateSample(uint64_t hash, int32_t rate_ppm);

bool IsValidSeed(absl::string_view seed);

// Adds to `errors` each bad field of a period named `field`: missing
// (`period` null), its start or end missing, start not before end, longer
// than 366 days.
void CheckAssurancePeriod(const cms::v1::AssurancePeriod* period, const std::string& field,
                          FieldErrors& errors);

// INVALID_ARGUMENT (rule AG11.2) naming each bad field of a draw: the
// seed, the period, the kinds, size and rate_ppm, an SR type
// `known_sr_type` does not know, the decision type. Segments and teams are
// the caller's to look up.
absl::Status ValidateDrawRequest(const cms::v1::DrawAssuranceSampleRequest& req,
                                 const std::function<bool(const std::string&)>& known_sr_type);

// One candidate of a draw: enough to order it.
struct SampleCandidate {
  cms::v1::AssuranceItemKind kind = cms::v1::ASSURANCE_ITEM_KIND_UNSPECIFIED;
  int64_t item_id = 0;
  uint64_t hash = 0;
};

// The order items are chosen in: by hash, then kind, then id.
bool ChosenBefore(const SampleCandidate& a, const SampleCandidate& b);

// AG11.2: the sample out of `items` (every candidate the period, targets
// and, for a rate, the seed's hash let through), in ChosenBefore's order:
// the first `size` for a sample by size (size > 0); all of them by rate
// (size 0). False, leaving `items` sorted, when a rate chooses more than
// kMaxSampleSize: the draw is refused rather than cut.
bool ChooseSample(std::vector<cms::v1::AssuranceSampleItem>& items, int32_t size);

}  // namespace cms::domain
