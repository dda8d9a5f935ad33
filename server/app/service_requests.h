// Use cases of service requests (SR5.1–SR5.10): creation with routing of
// case-owning and functionally unique SRs, the status machine, activity
// plans, duplicates, wait dates and notes. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/service_request.pb.h"
#include "server/app/actor.h"
#include "server/app/case_events.h"
#include "server/app/commands.h"
#include "server/catalog/catalog.h"
#include "server/domain/sr_owner.h"
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

// W4.2, SR5.7: who owns an SR of `type` on `casegroup` raised against
// `subject_person_id` (domain/sr_owner.h decides; this gathers the facts:
// for a functionally unique type, the subject's region and the live
// segments); FAILED_PRECONDITION (SR5.7) when no specialist segment is live.
absl::StatusOr<domain::SrOwner> OwnerOfSr(store::Tx& tx, const cms::v1::SrType& type,
                                          const cms::v1::Casegroup& casegroup,
                                          int64_t subject_person_id);

// Timer kinds scheduled by these use cases (T8.2); their actions are the
// WakeFromWait and RaiseActivityAlarm methods below.
inline constexpr char kSrWaitExpiryTimer[] = "SR_WAIT_EXPIRY";
inline constexpr char kActivityAlarmTimer[] = "ACTIVITY_ALARM";

class ServiceRequestApp {
 public:
  // `events` (optional) hears of every SR raised, and of every SR that
  // closes or is cancelled.
  ServiceRequestApp(Commands& commands, const catalog::SrCatalog& catalog,
                    CaseEvents* events = nullptr)
      : commands_(commands), catalog_(catalog), events_(events) {}

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
    // SR5.5: the parent SR (0 for none); INVALID_ARGUMENT naming parent_id
    // unless it is an SR of the same casegroup, as for Create.
    int64_t parent_id = 0;
    // Raises a non-priority type's SR to priority (a priority type's SR is
    // one anyway).
    bool priority = false;
    // SR5.7: the person the SR is raised against (a party of the casegroup;
    // required for a functionally unique type, whose specialist segment it
    // picks).
    int64_t subject_person_id = 0;
  };
  absl::StatusOr<cms::v1::CreateServiceRequestResponse> RaiseByRule(Command& c, const RuleSr& spec);

  // AddActivity as a step of a running command, for a rule's reminder
  // (e.g. AR10.5's 6-week Prompt with its alarm): the SR locked at its
  // current version, the caller having decided who may act. Returns the
  // new activity's seq.
  // `alarm_at`, when given, is the instant the alarm fires instead of the
  // start of the due day (AR10.11's 48 hours: due at a time of day).
  absl::StatusOr<int32_t> AddActivityByRule(Command& c, int64_t sr_id, const std::string& name,
                                            absl::CivilDay due, bool alarm,
                                            std::optional<absl::Time> alarm_at = std::nullopt);
  // A rule marks activity `seq` of SR `sr_id` DONE or NOT_REQUIRED (as
  // UpdateActivity would, by the command's actor), e.g. AR10.11's
  // authorisation; its reminder clears. The caller has decided who may.
  absl::Status CompleteActivityByRule(Command& c, int64_t sr_id, int32_t seq,
                                      cms::v1::ActivityStatus status);

  // A rule sets (or, with an empty name, clears) the sub status of an
  // IN_PROGRESS SR without moving its status, e.g. "Determine NDR" (M7.4);
  // FAILED_PRECONDITION under `rule` unless the SR is IN_PROGRESS and the
  // name is one of its type's IN_PROGRESS sub statuses. Adds `note` by the
  // actor and audits. The caller has already checked who may do it.
  absl::Status SetSubStatusByRule(Command& c, int64_t sr_id, const std::string& sub_status,
                                  const std::string& note, absl::string_view rule);

  // The ids of the open SRs of `casegroup_id` whose type belongs to the
  // catalog's `process` ("CofC": the changes of circumstances), on the case
  // `case_id` or on the casegroup as a whole, oldest first.
  absl::StatusOr<std::vector<int64_t>> OpenSrsOfProcess(store::Tx& tx, int64_t casegroup_id,
                                                        int64_t case_id,
                                                        absl::string_view process) const;

  // A rule fills fields of SR `sr_id` the procedure has the caseworker fill
  // by hand (the outcome of a Segment 5 opportunity on its outcome SR, say):
  // each name is one of the type's fields (FAILED_PRECONDITION under `rule`
  // otherwise: a rule's mistake), an empty value removes the field. Audits.
  // The caller has already checked who may do it.
  absl::Status SetFieldsByRule(Command& c, int64_t sr_id,
                               const std::vector<std::pair<std::string, std::string>>& fields,
                               absl::string_view rule);

  // A rule moves SR `sr_id` to `to` through the status machine
  // (ApplyStatusChange with ChangedBy::kRule: every catalog rule applies,
  // the plan is generated on the first IN_PROGRESS, a WAIT schedules its
  // wake-up) at the version this command locks; `note` (optional) is added
  // by the command's actor. Like the caller's path, never into or out of
  // PENDING_APPROVAL (FAILED_PRECONDITION, A6.1), which only the approval
  // use cases decide; `rule` names the rule in that refusal. The caller has
  // already checked who may act (the SR's owning segment is not checked).
  absl::StatusOr<cms::v1::ServiceRequest> MoveByRule(Command& c, int64_t sr_id,
                                                     cms::v1::SrStatus to,
                                                     const std::string& sub_status,
                                                     const std::string& note,
                                                     absl::string_view rule);
  // A rule closes SR `sr_id` with `resolution_code`: an OPEN SR first moves
  // to IN_PROGRESS (generating its plan), then every OPEN activity is
  // marked, by the command's actor, DONE when mandatory and NOT_REQUIRED
  // otherwise, then the SR moves to CLOSED through the status machine as in
  // MoveByRule, so every catalog rule still applies (a resolution code of
  // its type, no open child where children close first, no calculation
  // awaiting its NDR…) and refuses as it would. `sub_status` goes with the
  // close as a caller's would (SR5.2 gives every closed SR "Complete");
  // `note` (optional) is added by the actor. Each step is audited.
  absl::StatusOr<cms::v1::ServiceRequest> CloseByRule(Command& c, int64_t sr_id,
                                                      std::string resolution_code,
                                                      std::string sub_status, std::string note,
                                                      absl::string_view rule);

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
  // AddActivity's body on the SR `before` (read FOR UPDATE): the activity
  // appended, its alarm's timer scheduled, the SR's version bumped.
  absl::StatusOr<int32_t> ApplyAddActivity(Command& c, const cms::v1::ServiceRequest& before,
                                           const std::string& name,
                                           std::optional<absl::CivilDay> due, bool alarm,
                                           std::optional<absl::Time> alarm_at = std::nullopt);
  // Tells CaseEvents of the SR raised (or found open, SR5.10) and reads it
  // again when a listener changed it.
  absl::Status Announce(Command& c, cms::v1::CreateServiceRequestResponse* out);
  // MoveByRule's body for the SR `locked` (read FOR UPDATE): `req`'s
  // status, sub status, resolution and note, at its version.
  absl::StatusOr<cms::v1::ServiceRequest> ApplyRuleMove(
      Command& c, const cms::v1::ServiceRequest& locked,
      cms::v1::ChangeServiceRequestStatusRequest req, absl::string_view rule);
  // Loads an SR for a change: locked, etag checked, visible to the actor
  // and worked by their segment unless `by_rule` (a timer acts). Returns
  // its type too.
  absl::StatusOr<const cms::v1::SrType*> LoadForChange(Command& c, int64_t id,
                                                       const std::string& etag, bool by_rule,
                                                       cms::v1::ServiceRequest* sr);

  Commands& commands_;
  const catalog::SrCatalog& catalog_;
  CaseEvents* events_;
};

}  // namespace cms::app
