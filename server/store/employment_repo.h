// Repository for the paying parent's DEO desire flag, known employer and
// HMRC requests (M7.3), and calculations with their NDR check (M7.4).
// Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/payment.pb.h"
#include "server/store/db.h"

namespace cms::store {

// The etag of a casegroup's Employment (money_versions kind); its row lock
// serializes changes to the flag and the employer record.
inline constexpr char kEmploymentVersion[] = "EMPLOY";

// ---- M7.3 the desire flag: one row per setting (see migration 0008).
struct DeoDesireRow {
  int64_t id = 0;
  int64_t casegroup_id = 0;
  cms::v1::DeoDesire desire = cms::v1::DEO_DESIRE_NONE;
  std::string set_by;
  int64_t set_us = 0;
  bool ended = false;
};
// The casegroup's setting not yet ended, if any.
absl::StatusOr<std::optional<DeoDesireRow>> CurrentDeoDesire(Tx& tx, int64_t casegroup_id);
absl::StatusOr<std::optional<DeoDesireRow>> GetDeoDesire(Tx& tx, int64_t id);
absl::StatusOr<int64_t> InsertDeoDesire(Tx& tx, int64_t casegroup_id, cms::v1::DeoDesire desire,
                                        const std::string& set_by, int64_t now_us);
absl::Status UpdateDeoDesire(Tx& tx, int64_t id, cms::v1::DeoDesire desire,
                             const std::string& set_by, int64_t now_us);
absl::Status EndDeoDesire(Tx& tx, int64_t id, const std::string& ended_by, int64_t now_us);

// ---- M7.3 the known employer.
struct EmploymentRecord {
  std::string employer_name;
  std::string source;  // "HMRC"
  cms::v1::Date found_date;
  int64_t found_us = 0;
  int64_t desire_id = 0;
  int64_t review_sr_id = 0;
};
absl::StatusOr<std::optional<EmploymentRecord>> GetEmploymentRecord(Tx& tx, int64_t casegroup_id);
absl::Status InsertEmploymentRecord(Tx& tx, int64_t casegroup_id, const EmploymentRecord& r);

// ---- M7.3 requests made to HMRC; ALREADY_EXISTS when (desire, period) has one.
absl::StatusOr<int64_t> InsertHmrcRequest(Tx& tx, int64_t casegroup_id, int64_t desire_id,
                                          const std::string& nino, const cms::v1::HmrcRequest& r);
struct HmrcRequestRow {
  int64_t desire_id = 0;
  cms::v1::HmrcRequest request;
};
// Oldest first.
absl::StatusOr<std::vector<HmrcRequestRow>> ListHmrcRequests(Tx& tx, int64_t casegroup_id);

// ---- M7.4 calculations. `id`, times and resolution fields of `c` are ignored.
absl::StatusOr<int64_t> InsertCalculation(Tx& tx, const cms::v1::Calculation& c, int64_t now_us);
// NOT_FOUND when there is none.
absl::StatusOr<cms::v1::Calculation> GetCalculation(Tx& tx, int64_t id, bool for_update = false);
absl::Status ResolveCalculation(Tx& tx, int64_t id, int64_t max_ndr_pence,
                                const std::string& resolved_by, int64_t now_us);
absl::StatusOr<std::optional<int64_t>> PendingCalculationOfSr(Tx& tx, int64_t sr_id);

}  // namespace cms::store
