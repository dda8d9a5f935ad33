#include "server/auth/permissions.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"

namespace cms::auth {
namespace {

using cms::v1::Role;

const std::vector<Role> kAnyone = {cms::v1::ROLE_CASEWORKER, cms::v1::ROLE_TEAM_LEADER,
                                   cms::v1::ROLE_SEGMENT_MANAGER, cms::v1::ROLE_SERVICE_MANAGEMENT,
                                   cms::v1::ROLE_AUDITOR};
const std::vector<Role> kServiceManagement = {cms::v1::ROLE_SERVICE_MANAGEMENT};
const std::vector<Role> kCaseStaff = {cms::v1::ROLE_CASEWORKER, cms::v1::ROLE_TEAM_LEADER,
                                      cms::v1::ROLE_SEGMENT_MANAGER};
const std::vector<Role> kWorkers = {cms::v1::ROLE_CASEWORKER, cms::v1::ROLE_TEAM_LEADER};
const std::vector<Role> kTeamLeaders = {cms::v1::ROLE_TEAM_LEADER};
const std::vector<Role> kDeciders = {cms::v1::ROLE_TEAM_LEADER, cms::v1::ROLE_SERVICE_MANAGEMENT};
const std::vector<Role> kQueueViewers = {cms::v1::ROLE_SEGMENT_MANAGER, cms::v1::ROLE_TEAM_LEADER};
const std::vector<Role> kQueueCounters = {cms::v1::ROLE_SEGMENT_MANAGER, cms::v1::ROLE_TEAM_LEADER,
                                          cms::v1::ROLE_SERVICE_MANAGEMENT};
const std::vector<Role> kAuditReaders = {cms::v1::ROLE_AUDITOR, cms::v1::ROLE_SERVICE_MANAGEMENT};

const std::map<std::string, std::vector<Role>, std::less<>>& Matrix() {
  static const auto* matrix = new std::map<std::string, std::vector<Role>, std::less<>>{
      // BomService (S1.5: only SERVICE_MANAGEMENT changes the BOM).
      {"BomService/ListSegments", kAnyone},
      {"BomService/GetSegment", kAnyone},
      {"BomService/CreateSegment", kServiceManagement},
      {"BomService/RenameSegment", kServiceManagement},
      {"BomService/RetireSegment", kServiceManagement},
      {"BomService/SplitSegment", kServiceManagement},
      // W4.6 long-running operations: only SERVICE_MANAGEMENT starts bulk
      // moves, so only they watch and cancel them.
      {"BomService/StartRetireSegment", kServiceManagement},
      {"BomService/StartSplitSegment", kServiceManagement},
      {"BomService/GetOperation", kServiceManagement},
      {"BomService/ListOperations", kServiceManagement},
      {"BomService/CancelOperation", kServiceManagement},
      {"BomService/ListTeams", kAnyone},
      {"BomService/CreateTeam", kServiceManagement},
      {"BomService/RetireTeam", kServiceManagement},
      {"BomService/ListStaff", kAnyone},
      {"BomService/GetStaffMember", kAnyone},
      {"BomService/AddStaffMember", kServiceManagement},
      {"BomService/MoveStaffMember", kServiceManagement},
      {"BomService/DeactivateStaffMember", kServiceManagement},
      {"BomService/GetBomAsOf", kAnyone},
      // CasegroupService: the AUDITOR is read-only; SCR visibility is checked
      // per casegroup by the use cases.
      {"CasegroupService/CreatePerson", kCaseStaff},
      {"CasegroupService/GetPerson", kAnyone},
      {"CasegroupService/UpdatePerson", kCaseStaff},
      {"CasegroupService/CreateApplication", kCaseStaff},
      {"CasegroupService/GetCase", kAnyone},
      {"CasegroupService/UpdateCase", kCaseStaff},
      {"CasegroupService/GetCasegroup", kAnyone},
      {"CasegroupService/ExplainRouting", kAnyone},
      {"CasegroupService/ListCasegroupMoves", kAnyone},
      {"ComplianceService/GetComplianceOpportunity", kAnyone},
      {"ComplianceService/ListComplianceOpportunities", kAnyone},
      {"ComplianceService/ListComplianceEvents", kAnyone},
      {"ComplianceService/RecordLegacyLookup", kCaseStaff},
      {"ComplianceService/RecordDeoStatement", kCaseStaff},
      {"ComplianceService/RecordOfferContact", kCaseStaff},
      {"ComplianceService/RecordOutcome", kCaseStaff},
      {"ComplianceService/RequestExtension", kCaseStaff},
      {"ComplianceService/EndEarly", kCaseStaff},
      {"ComplianceService/RecordMissedPaymentReason", kCaseStaff},
      {"ComplianceService/DecideOffer", kCaseStaff},
      {"ComplianceService/GetTwelveMonthStatus", kAnyone},
      // ArrearsService (AR10.*): everyone reads (visibility per casegroup);
      // case staff of the owning segment decide.
      {"ArrearsService/GetArrearsAction", kAnyone},
      {"ArrearsService/ListArrearsActions", kAnyone},
      {"ArrearsService/ListArrearsEvents", kAnyone},
      {"ArrearsService/GetArrearsRecommendation", kAnyone},
      {"ArrearsService/RecordArrearsContact", kCaseStaff},
      {"ArrearsService/RecordPpBusinessStructure", kCaseStaff},
      {"ArrearsService/IssueArrearsLetter", kCaseStaff},
      {"ArrearsService/RequestEmploymentStatus", kCaseStaff},
      {"ArrearsService/SetMissedPaymentMonitor", kCaseStaff},
      {"ArrearsService/StartFinalNegotiation", kCaseStaff},
      {"ArrearsService/RecordNegotiationOutcome", kCaseStaff},
      {"ArrearsService/ReferLiabilityOrder", kCaseStaff},
      {"ArrearsService/RequestDisclosure", kCaseStaff},
      {"ArrearsService/RecordDisclosureOutcome", kCaseStaff},
      {"ArrearsService/RecordRdoPayment", kCaseStaff},
      // AR10.14: assets are recorded and ended by case staff (the owning
      // segment, or the Deduction Order Team while it works a Disclosure
      // SR: checked per casegroup); AR10.11 the RP contact likewise.
      {"ArrearsService/RecordAsset", kCaseStaff},
      {"ArrearsService/ListAssets", kAnyone},
      {"ArrearsService/EndAsset", kCaseStaff},
      {"ArrearsService/RecordRpContact", kCaseStaff},
      // AR10.11, AR10.12, AR10.8: the case owner's authorisation and the
      // enforcement case manager's decisions (the owning segment checked
      // per casegroup).
      {"ArrearsService/AuthoriseDeductionOrder", kCaseStaff},
      {"ArrearsService/RecordRdoViability", kCaseStaff},
      {"ArrearsService/TakeEnforcementAction", kCaseStaff},
      // FoiService (AG11.3): any staff member logs a request they receive;
      // reading and working it is the FOI team's (checked per segment), with
      // service management and auditors reading.
      {"FoiService/CreateFoiRequest", kAnyone},
      {"FoiService/GetFoiRequest", kAnyone},
      {"FoiService/ListFoiRequests", kAnyone},
      {"FoiService/RespondToFoiRequest", kWorkers},
      // MpService (AG11.4): any staff member logs an MP's contact they
      // take; reading and working it is the government relations team's of
      // its country (checked per segment), with service management and
      // auditors reading.
      {"MpService/CreateMpEnquiry", kAnyone},
      {"MpService/GetMpEnquiry", kAnyone},
      {"MpService/ListMpEnquiries", kAnyone},
      {"MpService/ValidateMpEnquiry", kWorkers},
      {"MpService/AnswerMpEnquiry", kWorkers},
      {"MpService/CloseMpEnquiry", kWorkers},
      // GuidanceService (AG11.1): A&G caseworkers and team leaders answer
      // and correct (their segment checked per SR or request); special
      // client records caseworkers and team leaders ask privately and close
      // (checked per segment and raiser); everyone reads what the need-to-
      // know matrix lets them (domain::GuidanceRoleOf), others get
      // PERMISSION_DENIED or an empty list.
      {"GuidanceService/AnswerGuidanceRequest", kWorkers},
      {"GuidanceService/GetGuidanceAnswer", kAnyone},
      {"GuidanceService/CorrectGuidanceAnswer", kWorkers},
      {"GuidanceService/CreatePrivateGuidanceRequest", kWorkers},
      {"GuidanceService/GetPrivateGuidanceRequest", kAnyone},
      {"GuidanceService/ListPrivateGuidanceRequests", kAnyone},
      {"GuidanceService/AnswerPrivateGuidanceRequest", kWorkers},
      {"GuidanceService/ClosePrivateGuidanceRequest", kWorkers},
      {"GuidanceService/ListGuidanceQueue", kAnyone},
      // AssuranceService (AG11.2): Q&A's caseworkers and team leaders draw,
      // check, give feedback and set actions (checked per segment); reads
      // are open to every role and narrowed per segment and team (Q&A,
      // service management and auditors read all; a TL their team's
      // coaching; anyone what is addressed to them); the assignee (any case
      // staff) completes an action.
      {"AssuranceService/DrawAssuranceSample", kWorkers},
      {"AssuranceService/GetAssuranceSample", kAnyone},
      {"AssuranceService/ListAssuranceSamples", kAnyone},
      {"AssuranceService/RecordAssuranceCheck", kWorkers},
      {"AssuranceService/GetAssuranceCheck", kAnyone},
      {"AssuranceService/ListAssuranceChecks", kAnyone},
      {"AssuranceService/GiveAssuranceFeedback", kWorkers},
      {"AssuranceService/ListAssuranceFeedback", kAnyone},
      {"AssuranceService/AddCorrectiveAction", kWorkers},
      {"AssuranceService/CompleteCorrectiveAction", kCaseStaff},
      {"AssuranceService/GetCorrectiveAction", kAnyone},
      {"AssuranceService/ListCorrectiveActions", kAnyone},
      {"AssuranceService/GetCoachingNeeds", kAnyone},
      // ServiceRequestService (SR5.*)
      {"ServiceRequestService/ListSrTypes", kAnyone},
      {"ServiceRequestService/CreateServiceRequest", kCaseStaff},
      {"ServiceRequestService/GetServiceRequest", kAnyone},
      {"ServiceRequestService/ListServiceRequests", kAnyone},
      {"ServiceRequestService/ChangeServiceRequestStatus", kCaseStaff},
      {"ServiceRequestService/UpdateServiceRequestFields", kCaseStaff},
      {"ServiceRequestService/UpdateActivity", kCaseStaff},
      {"ServiceRequestService/AddActivity", kCaseStaff},
      {"ServiceRequestService/AddNote", kCaseStaff},
      {"ServiceRequestService/ListNotes", kAnyone},
      // WorkService (W4.*)
      {"WorkService/GetNextWork", kWorkers},
      {"WorkService/AllocateWork", kTeamLeaders},
      {"WorkService/ListMyWork", kWorkers},
      {"WorkService/ListTeamWork", kTeamLeaders},
      {"WorkService/ListSegmentQueue", kQueueViewers},
      {"WorkService/GetQueueStats", kQueueCounters},
      {"WorkService/GetTeamLoad", kQueueCounters},
      {"WorkService/CheckOrphans", kServiceManagement},
      {"WorkService/RecoverOrphans", kServiceManagement},
      // LetterService (L12.*): caseworkers and TLs of the owning segment
      // write (checked per casegroup, SR5.7); everyone reads (X13.1).
      {"LetterService/ListLetterTemplates", kAnyone},
      // ApprovalService (A6.*): team members submit an SR's step, their TLs
      // decide; TLs and segment managers request a BOM change, SERVICE_
      // MANAGEMENT decides (S1.5). The use cases check which kind is whose.
      {"ApprovalService/SubmitForApproval", kCaseStaff},
      {"ApprovalService/DecideApproval", kDeciders},
      {"ApprovalService/GetApproval", kAnyone},
      {"ApprovalService/ListApprovalInbox", kDeciders},
      {"ApprovalService/ListApprovals", kAnyone},
      // PaymentService (M7.*): case staff change money, everyone reads it;
      // the use cases check the owning segment (X13.1).
      {"PaymentService/ChangeServiceType", kCaseStaff},
      {"PaymentService/GetServiceTypeHistory", kAnyone},
      {"PaymentService/SetMopf", kCaseStaff},
      {"PaymentService/CancelMopfMethod", kCaseStaff},
      {"PaymentService/GetMopf", kAnyone},
      {"PaymentService/SetMopt", kCaseStaff},
      {"PaymentService/CancelMopt", kCaseStaff},
      {"PaymentService/GetMopt", kAnyone},
      {"PaymentService/GenerateSchedule", kCaseStaff},
      {"PaymentService/ReleaseSchedule", kCaseStaff},
      {"PaymentService/GetSchedule", kAnyone},
      {"PaymentService/ListSchedules", kAnyone},
      {"PaymentService/RecordPayment", kCaseStaff},
      {"PaymentService/GetArrears", kAnyone},
      {"PaymentService/GetStatement", kAnyone},
      {"PaymentService/WaiveFees", kCaseStaff},
      {"PaymentService/ReinstateFees", kCaseStaff},
      {"PaymentService/AddCharge", kCaseStaff},
      {"PaymentService/ListMissedPaymentEvents", kAnyone},
      {"PaymentService/SetDeoDesire", kCaseStaff},
      {"PaymentService/GetEmployment", kAnyone},
      {"PaymentService/RecordCalculation", kCaseStaff},
      {"PaymentService/ResolveNdr", kCaseStaff},
      {"PaymentService/GetCalculation", kAnyone},
      {"LetterService/IssueLetter", kWorkers},
      {"LetterService/RecordLetterReturned", kWorkers},
      {"LetterService/GetLetter", kAnyone},
      {"LetterService/RecordInteraction", kWorkers},
      {"LetterService/ListInteractions", kAnyone},
      // AdminService
      {"AdminService/GetClock", kAnyone},
      {"AdminService/SetClock", kServiceManagement},
      {"AdminService/AdvanceClock", kServiceManagement},
      {"AdminService/ListAuditEvents", kAuditReaders},
      // T8.2: an operator's view of the timer backlog.
      {"AdminService/GetTimerStats", kServiceManagement},
      // X13.1: refused-call counters and limited peers, for operators.
      {"AdminService/GetSecurityStats", kServiceManagement},
      // M7.3: the harness scripts the fake HMRC (test-clock servers only).
      {"AdminService/SetHmrcEmployment", kServiceManagement},
      {"AdminService/SetHmrcSensitiveEmployer", kServiceManagement},
      {"AdminService/SetLegacyCsaCase", kServiceManagement},
  };
  return *matrix;
}

}  // namespace

absl::Status CheckRole(absl::string_view service, absl::string_view method, Role role) {
  const std::string key = absl::StrCat(service, "/", method);
  auto it = Matrix().find(key);
  if (it == Matrix().end()) {
    return PermissionDenied(absl::StrCat(key, " is not open to any role"), "X13.1");
  }
  for (Role allowed : it->second) {
    if (allowed == role) return absl::OkStatus();
  }
  std::vector<std::string> names;
  for (Role allowed : it->second) names.push_back(ShortName(allowed));
  return PermissionDenied(absl::StrCat(method, " needs role ", absl::StrJoin(names, " or "),
                                       "; the caller is ", ShortName(role)),
                          "S1.4");
}

}  // namespace cms::auth
