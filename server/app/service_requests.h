// Use cases of service requests (SR5.1–SR5.10): creation with routing of
// case-owning and functionally unique SRs, the status machine, activity
// plans, duplicates, wait dates and notes. Thread-safe.
#pragma once

#include "cms/v1/service_request.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/catalog/catalog.h"

namespace cms::app {

// An SR as stored, with the catalog's names (process, area…) filled in.
absl::StatusOr<cms::v1::ServiceRequest> LoadServiceRequest(store::Tx& tx,
                                                           const catalog::SrCatalog& catalog,
                                                           int64_t id);
// Fills the catalog's names into an SR read without them.
void DescribeType(const catalog::SrCatalog& catalog, cms::v1::ServiceRequest* sr);

// SR5.7: the live specialist segment of a functionally unique type in the
// country of the person the SR is raised against (by that person's
// postcode); FAILED_PRECONDITION when there is none.
absl::StatusOr<cms::v1::Segment> SpecialistSegmentFor(store::Tx& tx, const cms::v1::SrType& type,
                                                      int64_t subject_person_id);

class ServiceRequestApp {
 public:
  ServiceRequestApp(Commands& commands, const catalog::SrCatalog& catalog)
      : commands_(commands), catalog_(catalog) {}

  absl::Status ListSrTypes(cms::v1::ListSrTypesResponse* out);
  absl::Status Create(const Actor& actor, const cms::v1::CreateServiceRequestRequest& req,
                      cms::v1::CreateServiceRequestResponse* out);
  absl::Status Get(const Actor& actor, const cms::v1::GetServiceRequestRequest& req,
                   cms::v1::ServiceRequest* out);
  absl::Status List(const Actor& actor, const cms::v1::ListServiceRequestsRequest& req,
                    cms::v1::ListServiceRequestsResponse* out);
  absl::Status ChangeStatus(const Actor& actor,
                            const cms::v1::ChangeServiceRequestStatusRequest& req,
                            cms::v1::ServiceRequest* out);
  absl::Status UpdateFields(const Actor& actor,
                            const cms::v1::UpdateServiceRequestFieldsRequest& req,
                            cms::v1::ServiceRequest* out);
  absl::Status UpdateActivity(const Actor& actor, const cms::v1::UpdateActivityRequest& req,
                              cms::v1::ServiceRequest* out);
  absl::Status AddActivity(const Actor& actor, const cms::v1::AddActivityRequest& req,
                           cms::v1::ServiceRequest* out);
  absl::Status AddNote(const Actor& actor, const cms::v1::AddNoteRequest& req,
                       cms::v1::Note* out);
  absl::Status ListNotes(const Actor& actor, const cms::v1::ListNotesRequest& req,
                         cms::v1::ListNotesResponse* out);

 private:
  // Loads an SR for a change: locked, etag checked, visible to the actor,
  // not final. Returns its type too.
  absl::StatusOr<const cms::v1::SrType*> LoadForChange(Command& c, int64_t id,
                                                       const std::string& etag,
                                                       cms::v1::ServiceRequest* sr);

  Commands& commands_;
  const catalog::SrCatalog& catalog_;
};

}  // namespace cms::app
