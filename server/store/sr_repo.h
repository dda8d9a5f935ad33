// Repository for service requests, their fields, links, activities and
// notes (SR5.*). Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/service_request.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Inserts the SR with its fields and related links (not its activities);
// returns the new id. Catalog-derived names (process, area…) are not stored.
absl::StatusOr<int64_t> InsertServiceRequest(Tx& tx, const cms::v1::ServiceRequest& sr,
                                             int64_t now_us);
// With fields, related ids and activities. Catalog-derived names are left
// for the caller to fill from the type.
absl::StatusOr<cms::v1::ServiceRequest> GetServiceRequest(Tx& tx, int64_t id,
                                                          bool for_update = false);
// Writes status, sub status, resolution, wake date, allocation and fields;
// bumps the version.
absl::Status UpdateServiceRequest(Tx& tx, const cms::v1::ServiceRequest& sr, int64_t now_us);

// SR rows (without fields, related ids and activities) for bulk changes and
// their audit rows (X13.2), in id order: by id; the open ones allocated to
// `staff_id`; the open case-owning ones of some casegroups.
absl::StatusOr<std::vector<cms::v1::ServiceRequest>> GetServiceRequestRows(
    Tx& tx, const std::vector<int64_t>& ids, bool for_update = false);
absl::StatusOr<std::vector<cms::v1::ServiceRequest>> ListOpenSrRowsAllocatedTo(
    Tx& tx, const std::string& staff_id, bool for_update = false);
absl::StatusOr<std::vector<cms::v1::ServiceRequest>> ListOpenCaseOwningSrRows(
    Tx& tx, const std::vector<int64_t>& casegroup_ids, bool for_update = false);
// SR5.3: whether the activity plan was generated (on the first IN_PROGRESS).
absl::StatusOr<bool> PlanGenerated(Tx& tx, int64_t id);
absl::Status MarkPlanGenerated(Tx& tx, int64_t id);
// R3.4: the casegroup re-routes when this SR closes.
absl::Status MarkRerouteOnClose(Tx& tx, int64_t id);
absl::StatusOr<bool> RerouteOnClose(Tx& tx, int64_t id);

// A casegroup's SRs, or only the children of one SR of it, oldest first.
struct SrListFilter {
  int64_t casegroup_id = 0;  // required
  int64_t parent_id = 0;     // 0: any
  bool include_closed = false;
};
absl::StatusOr<std::vector<cms::v1::ServiceRequest>> ListServiceRequests(Tx& tx,
                                                                         const SrListFilter& filter,
                                                                         const PageRequest& page);

// SR5.10: the open (not CLOSED/CANCELLED) SR of `type_code` for the case.
absl::StatusOr<std::optional<int64_t>> FindOpenServiceRequest(Tx& tx, int64_t case_id,
                                                              const std::string& type_code);
// SR5.5: children not yet CLOSED or CANCELLED.
absl::StatusOr<int64_t> CountOpenChildren(Tx& tx, int64_t parent_id);

absl::Status InsertActivities(Tx& tx, int64_t sr_id, const std::vector<cms::v1::Activity>& acts);
absl::Status UpdateActivityStatus(Tx& tx, int64_t activity_id, cms::v1::ActivityStatus status,
                                  const std::string& by, int64_t now_us);

// SR5.3 alarm: marks the OPEN activity `seq` of the SR reminder-due; false
// when it is not OPEN (done, not required) or already marked.
absl::StatusOr<bool> MarkActivityReminderDue(Tx& tx, int64_t sr_id, int32_t seq);

absl::StatusOr<int64_t> InsertNote(Tx& tx, const cms::v1::Note& note, int64_t now_us);
absl::StatusOr<std::vector<cms::v1::Note>> ListNotes(Tx& tx, cms::v1::NoteSubject subject,
                                                     int64_t subject_id, const PageRequest& page);

}  // namespace cms::store
