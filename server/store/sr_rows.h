// Reading service_requests rows, shared by the repositories that return
// SRs (sr_repo.cc, work_repo.cc). Internal to store/.
#pragma once

#include "cms/v1/service_request.pb.h"
#include "server/store/db.h"
#include "soci/soci.h"

namespace cms::store {

// The service_requests columns SrOf reads, for a SELECT list.
extern const char kSrCols[];

// An SR from a row of kSrCols, without its details.
cms::v1::ServiceRequest SrOf(const soci::row& r);

// Adds the SR's fields, related ids and activities, in one statement.
void LoadDetails(Tx& tx, cms::v1::ServiceRequest* sr);

}  // namespace cms::store
