// Reading service_requests rows, shared by the repositories that return
// SRs (sr_repo.cc, work_repo.cc). Internal to store/.
#pragma once

#include <cstddef>

#include "cms/v1/service_request.pb.h"
#include "server/store/db.h"
#include "soci/soci.h"

namespace cms::store {

// The service_requests columns SrOf reads, for a SELECT list: qualified by
// the alias `sr`, so a query must name the table `service_requests sr`.
extern const char kSrCols[];
// Their positions: SrOf reads by position (SOCI searches the column names on
// every cell read by name). A query may select more after them.
enum SrCol : std::size_t {
  kId,
  kTypeCode,
  kKind,
  kCasegroupId,
  kCaseId,
  kSubjectPersonId,
  kStatus,
  kSubStatus,
  kResolutionCode,
  kSource,
  kCreatedByRule,
  kPriority,
  kOwningSegmentId,
  kAllocatedTo,
  kParentId,
  kDescription,
  kWakeDate,
  kCreatedBy,
  kCreatedUs,
  kUpdatedUs,
  kVersion,
  kSrColCount
};

// An SR from a row of kSrCols, without its details.
cms::v1::ServiceRequest SrOf(const soci::row& r);

// Adds the SR's fields, related ids and activities, in one statement.
void LoadDetails(Tx& tx, cms::v1::ServiceRequest* sr);

}  // namespace cms::store
