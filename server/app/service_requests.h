// Use cases of service requests (SR5.1–SR5.10): creation with routing of
// case-owning and functionally unique SRs, the status machine, activity
// plans, duplicates, wait dates and notes. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "cms/v1/service_request.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/catalog/catalog.h"
#include "server/store/timer_repo.h"

namespace cms::app {

// An SR as stored, with the catalog's names (process, area…) filled in.
absl::StatusOr<cms::v1::ServiceRequest> LoadServiceRequest(store::Tx& tx,
                                                           const catalog::SrCatalog& catalog,
                                                           int64_t id);
// Fills the catalog's names into an SR read without them.
void DescribeType(const catalog::SrCatalog& catalog, cms::v1::ServiceRequest* sr);

// SR5.6: appends a note to the SR, by `author` (the caller when empty),
// audited.
absl::Status AddSrNote(Command& c, int64_t sr_id, const std::string& text,
                       const std::string& author = "");

// SR5.7: the live specialist segment of a functionally unique type in the
// country of the person the SR is raised against (by that person's
// postcode); FAILED_PRECONDITION when there is none.
absl::StatusOr<cms::v1::Segment> SpecialistSegmentFor(store::Tx& tx, const cms::v1::SrType& type,
                                                      int64_t subject_person_id);

// Timer kinds scheduled by these use cases (T8.2); their actions are the
// WakeFromWait and RaiseActivityAlarm methods below.
inline constexpr char kSrWaitExpiryTimer[] = "SR_WAIT_EXPIRY";
inline constexpr char kActivityAlarmTimer[] = "ACTIVITY_ALARM";

class ServiceRequestApp {
 public:
  ServiceRequestApp(Commands& commands, const catalog::SrCatalog& catalog)
      : commands_(commands), catalog_(catalog) {}

  absl::Status ListSrTypes(const cms::v1::ListSrTypesRequest& req,
                           cms::v1::ListSrTypesResponse* out);
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
  absl::Status AddNote(const Actor& actor, const cms::v1::AddNoteRequest& req, cms::v1::Note* out);
  absl::Status ListNotes(const Actor& actor, const cms::v1::ListNotesRequest& req,
                         cms::v1::ListNotesResponse* out);

  // Timer actions, run by the sweeper as "system" inside its transaction.
  // SR5.9: an SR still in WAIT for the timer's wake date moves to
  // IN_PROGRESS through the status machine, with a system note; a stale
  // timer (the SR left WAIT or re-waited) does nothing.
  absl::Status WakeFromWait(Command& c, const store::DueTimer& t);
  // SR5.3: marks the alarmed activity reminder-due while it is OPEN.
  absl::Status RaiseActivityAlarm(Command& c, const store::DueTimer& t);

  // An SR raised by a rule (SR5.8: created_by_rule names it) inside a
  // running command, e.g. the review SR of an employer HMRC found (M7.3) or
  // an Arrears Review (AR10.1): the same checks and routing as Create
  // without the caller's segment check (a case-owning SR goes to the
  // casegroup's owning segment and caseworker, W4.2). `created_by` is the
  // command's actor ("system" for a timer). A one-open-per-case type with
  // one open returns that one, with `existing` set (SR5.10).
  struct RuleSr {
    std::string type_code;
    int64_t casegroup_id = 0;
    int64_t case_id = 0;  // 0 for a casegroup-level SR
    cms::v1::SrSource source = cms::v1::SR_SOURCE_INTERNAL_SYSTEM;
    std::map<std::string, std::string> fields;
    std::string description;
    std::string rule;
  };
  absl::StatusOr<cms::v1::CreateServiceRequestResponse> RaiseByRule(Command& c, const RuleSr& spec);

  // A rule sets (or, with an empty name, clears) the sub status of an
  // IN_PROGRESS SR without moving its status, e.g. "Determine NDR" (M7.4);
  // FAILED_PRECONDITION under `rule` unless the SR is IN_PROGRESS and the
  // name is one of its type's IN_PROGRESS sub statuses. Adds `note` by the
  // actor and audits. The caller has already checked who may do it.
  absl::Status SetSubStatusByRule(Command& c, int64_t sr_id, const std::string& sub_status,
                                  const std::string& note, absl::string_view rule);

  // Who moves an SR's status: a caller of ChangeServiceRequestStatus, a
  // rule (a timer; any owning segment), or the approval use cases, the only
  // way into and out of PENDING_APPROVAL (A6.1).
  enum class ChangedBy { kCaller, kRule, kApproval };
  // ChangeStatus inside a running command.
  absl::Status ApplyStatusChange(Command& c, const cms::v1::ChangeServiceRequestStatusRequest& req,
                                 ChangedBy by, cms::v1::ServiceRequest* out);

 private:
  // SR5.4, SR5.8, SR5.10: the request's own fields, before any reading.
  absl::Status CheckCreateRequest(const cms::v1::CreateServiceRequestRequest& req) const;
  absl::Status ApplyCreate(Command& c, const cms::v1::CreateServiceRequestRequest& req,
                           absl::string_view rule_id, cms::v1::CreateServiceRequestResponse* out);
  // Loads an SR for a change: locked, etag checked, visible to the actor
  // and worked by their segment unless `by_rule` (a timer acts). Returns
  // its type too.
  absl::StatusOr<const cms::v1::SrType*> LoadForChange(Command& c, int64_t id,
                                                       const std::string& etag, bool by_rule,
                                                       cms::v1::ServiceRequest* sr);

  Commands& commands_;
  const catalog::SrCatalog& catalog_;
};

}  // namespace cms::app
