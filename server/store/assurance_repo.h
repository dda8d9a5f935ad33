// Repository for Q&A assurance (AG11.2; issue 16): the sampling statements
// over SRs, activities and business decisions, and the samples, checks,
// feedback and corrective actions of migration 0020. Thread-compatible
// (one Tx per thread).
//
// Sampling reads ids and classifications only: no names, addresses, notes
// or audit JSON. Each kind is drawn by ONE statement (Sample*), which
// computes the hash H(seed, kind, id) in SQL (SampleHashSql, the twin of
// domain::SampleHash) so the database returns only the chosen rows; a
// benchmark's raw-SQL ceiling can copy them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/assurance.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// ---- sampling

// H(seed, kind, id) in SQL: the first 15 hex digits of
// MD5(CONCAT(<seed>, ':<KIND>:', <id>)) as an unsigned integer. `seed` is a
// placeholder (":seed"), `id_column` a column of the statement.
std::string SampleHashSql(absl::string_view seed, cms::v1::AssuranceItemKind kind,
                          absl::string_view id_column);

struct SampleQuery {
  std::string seed;
  int64_t start_us = 0;  // [start_us, end_us) of business time
  int64_t end_us = 0;
  // Work of this country's segments (special client records left out).
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;
  cms::v1::AssuranceTargets targets;
  // > 0: only items with H below this (a rate sample's threshold).
  uint64_t below = 0;
  // At most this many, smallest H first.
  int limit = 0;
};

// SRs created in the period; the caseworker is the allocated one, else the
// creator, the team theirs now.
absl::StatusOr<std::vector<cms::v1::AssuranceSampleItem>> SampleServiceRequests(
    Tx& tx, const SampleQuery& q);
// Activities completed (done or not required) in the period; the
// caseworker is who completed it, the segment its SR's.
absl::StatusOr<std::vector<cms::v1::AssuranceSampleItem>> SampleActivities(Tx& tx,
                                                                           const SampleQuery& q);
// Business decisions made in the period, as recorded.
absl::StatusOr<std::vector<cms::v1::AssuranceSampleItem>> SampleDecisions(Tx& tx,
                                                                          const SampleQuery& q);
// The candidates of every kind in `kinds` (AssuranceItemKind values), one
// statement a kind, in the order of `kinds`.
absl::StatusOr<std::vector<cms::v1::AssuranceSampleItem>> SampleItems(
    Tx& tx, const SampleQuery& q, const google::protobuf::RepeatedField<int>& kinds);

// ---- samples

// Inserts the sample's header (its inputs; `s.items` ignored) and returns
// its id.
absl::StatusOr<int64_t> InsertAssuranceSample(Tx& tx, const cms::v1::AssuranceSample& s,
                                              int64_t now_us);
absl::Status InsertSampleItems(Tx& tx, int64_t sample_id,
                               const std::vector<cms::v1::AssuranceSampleItem>& items);
// NOT_FOUND naming the sample. With `items`, its items by hash, each with
// its current check.
absl::StatusOr<cms::v1::AssuranceSample> GetAssuranceSample(Tx& tx, int64_t id, bool items);
// Newest first (ids below page.after_id), headers only; COUNTRY_UNSPECIFIED:
// every country.
absl::StatusOr<std::vector<cms::v1::AssuranceSample>> ListAssuranceSamples(Tx& tx,
                                                                           cms::v1::Country country,
                                                                           const PageRequest& page);

// One sampled item and its sample's country; NOT_FOUND when no sample holds
// it. `for_update` locks it (its checks are decided one at a time).
struct SampledItem {
  cms::v1::AssuranceSampleItem item;
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;
};
absl::StatusOr<SampledItem> GetSampleItem(Tx& tx, int64_t id, bool for_update = false);

// Sampled items without a check, oldest first (ids above page.after_id).
absl::StatusOr<std::vector<cms::v1::AssuranceSampleItem>> ListOpenSampleItems(
    Tx& tx, cms::v1::Country country, int64_t sample_id, const PageRequest& page);

// ---- checks

// Inserts an immutable check (its id and check_time set from the row).
absl::StatusOr<cms::v1::AssuranceCheck> InsertAssuranceCheck(Tx& tx, cms::v1::AssuranceCheck c,
                                                             cms::v1::Country country,
                                                             int64_t now_us);
// NOT_FOUND naming the check; superseded_by_check_id as of now. `country`
// is set to its sample's.
absl::StatusOr<cms::v1::AssuranceCheck> GetAssuranceCheck(Tx& tx, int64_t id,
                                                          cms::v1::Country* country = nullptr);
// The item's current check (the one no correction supersedes), if any.
absl::StatusOr<std::optional<cms::v1::AssuranceCheck>> CurrentCheckOfItem(Tx& tx,
                                                                          int64_t sample_item_id);

struct CheckFilter {
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;  // any
  int64_t sample_id = 0;
  std::string caseworker;
  cms::v1::AssuranceResult outcome = cms::v1::ASSURANCE_RESULT_UNSPECIFIED;
  bool include_superseded = false;
};
// Newest first (ids below page.after_id).
absl::StatusOr<std::vector<cms::v1::AssuranceCheck>> ListAssuranceChecks(Tx& tx,
                                                                         const CheckFilter& f,
                                                                         const PageRequest& page);
// The current checks of `caseworkers`' work recorded in [start_us, end_us).
absl::StatusOr<std::vector<cms::v1::AssuranceCheck>> CurrentChecksOfWork(
    Tx& tx, const std::vector<std::string>& caseworkers, int64_t start_us, int64_t end_us);

// ---- feedback

absl::StatusOr<cms::v1::AssuranceFeedback> InsertAssuranceFeedback(Tx& tx,
                                                                   cms::v1::AssuranceFeedback f,
                                                                   cms::v1::Country country,
                                                                   int64_t now_us);
absl::StatusOr<cms::v1::AssuranceFeedback> GetAssuranceFeedback(Tx& tx, int64_t id);
struct FeedbackFilter {
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;  // any
  int64_t check_id = 0;
  std::string caseworker;  // addressed to
};
// Newest first (ids below page.after_id).
absl::StatusOr<std::vector<cms::v1::AssuranceFeedback>> ListAssuranceFeedback(
    Tx& tx, const FeedbackFilter& f, const PageRequest& page);

// ---- corrective actions

absl::StatusOr<cms::v1::CorrectiveAction> InsertCorrectiveAction(Tx& tx,
                                                                 cms::v1::CorrectiveAction a,
                                                                 cms::v1::Country country,
                                                                 int64_t now_us);
// NOT_FOUND naming the action; `country` set to its sample's.
absl::StatusOr<cms::v1::CorrectiveAction> GetCorrectiveAction(Tx& tx, int64_t id,
                                                              bool for_update = false,
                                                              cms::v1::Country* country = nullptr);
// Writes the completion of `a` (read FOR UPDATE in this transaction) as its
// next version.
absl::Status CompleteCorrectiveAction(Tx& tx, cms::v1::CorrectiveAction& a, int64_t now_us);

struct ActionFilter {
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;  // any
  std::string assigned_to;
  // Assigned to this member of staff, or about their work.
  std::string for_staff;
  int64_t check_id = 0;
  bool open_only = false;
  // Open and due before this day ("": any).
  std::string due_before;
};
// Oldest first (ids above page.after_id).
absl::StatusOr<std::vector<cms::v1::CorrectiveAction>> ListCorrectiveActions(
    Tx& tx, const ActionFilter& f, const PageRequest& page);
// The open corrective actions about `caseworkers`' work.
absl::StatusOr<std::vector<cms::v1::CorrectiveAction>> OpenActionsOfWork(
    Tx& tx, const std::vector<std::string>& caseworkers);

}  // namespace cms::store
