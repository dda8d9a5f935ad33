// Repository for a case's service type history (M7.1) and the methods of
// payment from the paying parent (MOPF, per casegroup) and to the receiving
// parent (MOPT, per case) (M7.2). Methods end; they are never deleted.
// Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/payment.pb.h"
#include "server/store/db.h"

namespace cms::store {

// ---- versions: the etag of a casegroup's MOPF or a case's MOPT
inline constexpr char kMopfVersion[] = "MOPF";
inline constexpr char kMoptVersion[] = "MOPT";
// Locks the (kind, subject) version row, creating it at 0 when absent, and
// returns the version.
absl::StatusOr<int64_t> LockMoneyVersion(Tx& tx, const std::string& kind, int64_t subject);
absl::StatusOr<int64_t> ReadMoneyVersion(Tx& tx, const std::string& kind, int64_t subject);
absl::Status BumpMoneyVersion(Tx& tx, const std::string& kind, int64_t subject);

// ---- M7.1
absl::StatusOr<std::vector<cms::v1::ServiceTypePeriod>> ListServiceTypePeriods(Tx& tx,
                                                                               int64_t case_id);
absl::Status InsertServiceTypePeriod(Tx& tx, int64_t case_id, const cms::v1::ServiceTypePeriod& p,
                                     int64_t now_us);
// Sets cases.service_type (the type in effect today) and bumps the case's
// version; false when the case already has it.
absl::StatusOr<bool> SetCaseServiceType(Tx& tx, int64_t case_id, cms::v1::ServiceType type);

// ---- M7.2 MOPF: every method of the casegroup, oldest first.
absl::StatusOr<std::vector<cms::v1::MopfMethod>> ListMopfMethods(Tx& tx, int64_t casegroup_id);
// Returns the new id; `id` and `end_date` of `m` are ignored.
absl::StatusOr<int64_t> InsertMopfMethod(Tx& tx, int64_t casegroup_id, const cms::v1::MopfMethod& m,
                                         const std::string& created_by, int64_t now_us);
absl::Status EndMopfMethod(Tx& tx, int64_t method_id, const cms::v1::Date& end_date,
                           int64_t ended_sr_id);

// ---- M7.2 MOPT: every period of the case, oldest first.
absl::StatusOr<std::vector<cms::v1::MoptPeriod>> ListMoptPeriods(Tx& tx, int64_t case_id);
absl::StatusOr<int64_t> InsertMoptPeriod(Tx& tx, int64_t case_id, const cms::v1::MoptPeriod& p,
                                         const std::string& created_by, int64_t now_us);
absl::Status EndMoptPeriod(Tx& tx, int64_t period_id, const cms::v1::Date& end_date,
                           int64_t ended_sr_id);

}  // namespace cms::store
