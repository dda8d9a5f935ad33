// Identity and the role matrix (X13.1, S1.4, S1.5) over a real server, plus
// a unit-style check of cms::auth::CheckRole against the cms.v1 service
// descriptors so no RPC is left out of the matrix.
//
// The matrix test calls each RPC with an empty (or harmless) request: an
// allowed caller gets past the role check and fails later, if at all, for
// another reason (INVALID_ARGUMENT, NOT_FOUND, ...); a refused one gets
// PERMISSION_DENIED with rule S1.4. Neither changes anything.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "cms/v1/casegroup.pb.h"
#include "google/protobuf/descriptor.h"
#include "server/auth/permissions.h"
#include "server/base/errors.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::Role;

constexpr char kSvc[] = "svc.manager";
constexpr char kAuditor[] = "qa.auditor";
constexpr char kCaseworker[] = "cw.gb.new_case.a1";
constexpr char kTeamLeader[] = "tl.gb.new_case.a";
constexpr char kSegmentManager[] = "sm.gb.new_case";

// ---------------------------------------------------------------- the expected matrix

// The roles, each with a demo staff member holding it (S1.4).
struct RoleUser {
  Role role;
  const char* name;
  const char* staff_id;
};
const std::vector<RoleUser>& Roles() {
  static const auto* roles = new std::vector<RoleUser>{
      {cms::v1::ROLE_CASEWORKER, "caseworker", kCaseworker},
      {cms::v1::ROLE_TEAM_LEADER, "team_leader", kTeamLeader},
      {cms::v1::ROLE_SEGMENT_MANAGER, "segment_manager", kSegmentManager},
      {cms::v1::ROLE_SERVICE_MANAGEMENT, "service_management", kSvc},
      {cms::v1::ROLE_AUDITOR, "auditor", kAuditor},
  };
  return *roles;
}

using RoleSet = std::set<Role>;
const RoleSet kEveryone = {cms::v1::ROLE_CASEWORKER, cms::v1::ROLE_TEAM_LEADER,
                           cms::v1::ROLE_SEGMENT_MANAGER, cms::v1::ROLE_SERVICE_MANAGEMENT,
                           cms::v1::ROLE_AUDITOR};
const RoleSet kServiceManagement = {cms::v1::ROLE_SERVICE_MANAGEMENT};
const RoleSet kCaseStaff = {cms::v1::ROLE_CASEWORKER, cms::v1::ROLE_TEAM_LEADER,
                            cms::v1::ROLE_SEGMENT_MANAGER};
const RoleSet kDeciders = {cms::v1::ROLE_TEAM_LEADER, cms::v1::ROLE_SERVICE_MANAGEMENT};
const RoleSet kWorkers = {cms::v1::ROLE_CASEWORKER, cms::v1::ROLE_TEAM_LEADER};
const RoleSet kTeamLeaders = {cms::v1::ROLE_TEAM_LEADER};
const RoleSet kQueueViewers = {cms::v1::ROLE_SEGMENT_MANAGER, cms::v1::ROLE_TEAM_LEADER};
const RoleSet kQueueCounters = {cms::v1::ROLE_SEGMENT_MANAGER, cms::v1::ROLE_TEAM_LEADER,
                                cms::v1::ROLE_SERVICE_MANAGEMENT};
const RoleSet kAuditReaders = {cms::v1::ROLE_AUDITOR, cms::v1::ROLE_SERVICE_MANAGEMENT};

using Call = std::function<grpc::Status(TestServer&, grpc::ClientContext*)>;
struct RpcRow {
  RoleSet allowed;
  Call call;
};

#define CMS_CALL(stub, Method, Request, Response) \
  [](TestServer& t, grpc::ClientContext* ctx) {   \
    cms::v1::Request req;                         \
    cms::v1::Response resp;                       \
    return t.stub().Method(ctx, req, &resp);      \
  }

// "Service/Method" -> who may call it (the contract: BOM reads everyone,
// BOM writes SERVICE_MANAGEMENT (S1.5; requests go through ApprovalService);
// casegroup writes case staff, reads everyone; GetClock
// everyone, Set/Advance SERVICE_MANAGEMENT (T8.1), audit AUDITOR or
// SERVICE_MANAGEMENT (X13.2)) and an empty call of it.
const std::map<std::string, RpcRow>& Matrix() {
  static const auto* m = new std::map<std::string, RpcRow>{
      {"BomService/ListSegments",
       {kEveryone, CMS_CALL(bom, ListSegments, ListSegmentsRequest, ListSegmentsResponse)}},
      {"BomService/GetSegment", {kEveryone, CMS_CALL(bom, GetSegment, GetSegmentRequest, Segment)}},
      {"BomService/CreateSegment",
       {kServiceManagement, CMS_CALL(bom, CreateSegment, CreateSegmentRequest, Segment)}},
      {"BomService/RenameSegment",
       {kServiceManagement, CMS_CALL(bom, RenameSegment, RenameSegmentRequest, Segment)}},
      {"BomService/RetireSegment",
       {kServiceManagement, CMS_CALL(bom, RetireSegment, RetireSegmentRequest, Segment)}},
      {"BomService/SplitSegment",
       {kServiceManagement,
        CMS_CALL(bom, SplitSegment, SplitSegmentRequest, SplitSegmentResponse)}},
      {"BomService/StartRetireSegment",
       {kServiceManagement,
        CMS_CALL(bom, StartRetireSegment, StartRetireSegmentRequest, Operation)}},
      {"BomService/StartSplitSegment",
       {kServiceManagement, CMS_CALL(bom, StartSplitSegment, StartSplitSegmentRequest, Operation)}},
      {"BomService/GetOperation",
       {kServiceManagement, CMS_CALL(bom, GetOperation, GetOperationRequest, Operation)}},
      {"BomService/ListOperations",
       {kServiceManagement,
        CMS_CALL(bom, ListOperations, ListOperationsRequest, ListOperationsResponse)}},
      {"BomService/CancelOperation",
       {kServiceManagement, CMS_CALL(bom, CancelOperation, CancelOperationRequest, Operation)}},
      {"BomService/ListTeams",
       {kEveryone, CMS_CALL(bom, ListTeams, ListTeamsRequest, ListTeamsResponse)}},
      {"BomService/CreateTeam",
       {kServiceManagement, CMS_CALL(bom, CreateTeam, CreateTeamRequest, Team)}},
      {"BomService/RetireTeam",
       {kServiceManagement, CMS_CALL(bom, RetireTeam, RetireTeamRequest, Team)}},
      {"BomService/ListStaff",
       {kEveryone, CMS_CALL(bom, ListStaff, ListStaffRequest, ListStaffResponse)}},
      {"BomService/GetStaffMember",
       {kEveryone, CMS_CALL(bom, GetStaffMember, GetStaffMemberRequest, StaffMember)}},
      {"BomService/AddStaffMember",
       {kServiceManagement, CMS_CALL(bom, AddStaffMember, AddStaffMemberRequest, StaffMember)}},
      {"BomService/MoveStaffMember",
       {kServiceManagement, CMS_CALL(bom, MoveStaffMember, MoveStaffMemberRequest, StaffMember)}},
      {"BomService/DeactivateStaffMember",
       {kServiceManagement,
        CMS_CALL(bom, DeactivateStaffMember, DeactivateStaffMemberRequest, StaffMember)}},
      {"BomService/GetBomAsOf", {kEveryone, CMS_CALL(bom, GetBomAsOf, GetBomAsOfRequest, Bom)}},
      {"CasegroupService/CreatePerson",
       {kCaseStaff, CMS_CALL(casegroups, CreatePerson, CreatePersonRequest, Person)}},
      {"CasegroupService/GetPerson",
       {kEveryone, CMS_CALL(casegroups, GetPerson, GetPersonRequest, Person)}},
      {"CasegroupService/UpdatePerson",
       {kCaseStaff, CMS_CALL(casegroups, UpdatePerson, UpdatePersonRequest, Person)}},
      {"CasegroupService/CreateApplication",
       {kCaseStaff,
        CMS_CALL(casegroups, CreateApplication, CreateApplicationRequest, Application)}},
      {"CasegroupService/GetCase",
       {kEveryone, CMS_CALL(casegroups, GetCase, GetCaseRequest, Case)}},
      {"CasegroupService/UpdateCase",
       {kCaseStaff, CMS_CALL(casegroups, UpdateCase, UpdateCaseRequest, Case)}},
      {"CasegroupService/GetCasegroup",
       {kEveryone, CMS_CALL(casegroups, GetCasegroup, GetCasegroupRequest, Casegroup)}},
      {"CasegroupService/ExplainRouting",
       {kEveryone,
        CMS_CALL(casegroups, ExplainRouting, ExplainRoutingRequest, RoutingExplanation)}},
      {"CasegroupService/ListCasegroupMoves",
       {kEveryone, CMS_CALL(casegroups, ListCasegroupMoves, ListCasegroupMovesRequest,
                            ListCasegroupMovesResponse)}},
      {"AdminService/GetClock", {kEveryone, CMS_CALL(admin, GetClock, GetClockRequest, Clock)}},
      {"AdminService/SetClock",
       {kServiceManagement, CMS_CALL(admin, SetClock, SetClockRequest, Clock)}},
      {"AdminService/AdvanceClock",
       {kServiceManagement, CMS_CALL(admin, AdvanceClock, AdvanceClockRequest, Clock)}},
      {"AdminService/ListAuditEvents",
       {kAuditReaders,
        CMS_CALL(admin, ListAuditEvents, ListAuditEventsRequest, ListAuditEventsResponse)}},
      {"AdminService/GetTimerStats",
       {kServiceManagement, CMS_CALL(admin, GetTimerStats, GetTimerStatsRequest, TimerStats)}},
      // X13.1: refused-call counters, for operators.
      {"AdminService/GetSecurityStats",
       {kServiceManagement,
        CMS_CALL(admin, GetSecurityStats, GetSecurityStatsRequest, SecurityStats)}},
      // ServiceRequestService (SR5.*): case staff work SRs, everyone reads.
      {"ServiceRequestService/ListSrTypes",
       {kEveryone,
        CMS_CALL(service_requests, ListSrTypes, ListSrTypesRequest, ListSrTypesResponse)}},
      {"ServiceRequestService/CreateServiceRequest",
       {kCaseStaff, CMS_CALL(service_requests, CreateServiceRequest, CreateServiceRequestRequest,
                             CreateServiceRequestResponse)}},
      {"ServiceRequestService/GetServiceRequest",
       {kEveryone,
        CMS_CALL(service_requests, GetServiceRequest, GetServiceRequestRequest, ServiceRequest)}},
      {"ServiceRequestService/ListServiceRequests",
       {kEveryone, CMS_CALL(service_requests, ListServiceRequests, ListServiceRequestsRequest,
                            ListServiceRequestsResponse)}},
      {"ServiceRequestService/ChangeServiceRequestStatus",
       {kCaseStaff, CMS_CALL(service_requests, ChangeServiceRequestStatus,
                             ChangeServiceRequestStatusRequest, ServiceRequest)}},
      {"ServiceRequestService/UpdateServiceRequestFields",
       {kCaseStaff, CMS_CALL(service_requests, UpdateServiceRequestFields,
                             UpdateServiceRequestFieldsRequest, ServiceRequest)}},
      {"ServiceRequestService/UpdateActivity",
       {kCaseStaff,
        CMS_CALL(service_requests, UpdateActivity, UpdateActivityRequest, ServiceRequest)}},
      {"ServiceRequestService/AddActivity",
       {kCaseStaff, CMS_CALL(service_requests, AddActivity, AddActivityRequest, ServiceRequest)}},
      {"ServiceRequestService/AddNote",
       {kCaseStaff, CMS_CALL(service_requests, AddNote, AddNoteRequest, Note)}},
      {"ServiceRequestService/ListNotes",
       {kEveryone, CMS_CALL(service_requests, ListNotes, ListNotesRequest, ListNotesResponse)}},
      // WorkService (W4.*)
      {"WorkService/GetNextWork",
       {kWorkers, CMS_CALL(work, GetNextWork, GetNextWorkRequest, ServiceRequest)}},
      {"WorkService/AllocateWork",
       {kTeamLeaders, CMS_CALL(work, AllocateWork, AllocateWorkRequest, ServiceRequest)}},
      {"WorkService/ListMyWork",
       {kWorkers, CMS_CALL(work, ListMyWork, ListMyWorkRequest, ListMyWorkResponse)}},
      {"WorkService/ListTeamWork",
       {kTeamLeaders, CMS_CALL(work, ListTeamWork, ListTeamWorkRequest, ListTeamWorkResponse)}},
      {"WorkService/ListSegmentQueue",
       {kQueueViewers,
        CMS_CALL(work, ListSegmentQueue, ListSegmentQueueRequest, ListSegmentQueueResponse)}},
      {"WorkService/GetQueueStats",
       {kQueueCounters, CMS_CALL(work, GetQueueStats, GetQueueStatsRequest, QueueStats)}},
      {"WorkService/GetTeamLoad",
       {kQueueCounters, CMS_CALL(work, GetTeamLoad, GetTeamLoadRequest, TeamLoad)}},
      {"WorkService/CheckOrphans",
       {kServiceManagement, CMS_CALL(work, CheckOrphans, CheckOrphansRequest, Orphans)}},
      {"WorkService/RecoverOrphans",
       {kServiceManagement, CMS_CALL(work, RecoverOrphans, RecoverOrphansRequest, Orphans)}},
      // LetterService (L12.*): caseworkers and TLs write, everyone reads.
      {"LetterService/ListLetterTemplates",
       {kEveryone, CMS_CALL(letters, ListLetterTemplates, ListLetterTemplatesRequest,
                            ListLetterTemplatesResponse)}},
      {"LetterService/IssueLetter",
       {kWorkers, CMS_CALL(letters, IssueLetter, IssueLetterRequest, Letter)}},
      {"LetterService/GetLetter",
       {kEveryone, CMS_CALL(letters, GetLetter, GetLetterRequest, Letter)}},
      {"LetterService/RecordLetterReturned",
       {kWorkers, CMS_CALL(letters, RecordLetterReturned, RecordLetterReturnedRequest, Letter)}},
      {"LetterService/RecordInteraction",
       {kWorkers, CMS_CALL(letters, RecordInteraction, RecordInteractionRequest, Interaction)}},
      {"LetterService/ListInteractions",
       {kEveryone,
        CMS_CALL(letters, ListInteractions, ListInteractionsRequest, ListInteractionsResponse)}},
      // ComplianceService (S5.*): everyone reads (visibility per casegroup);
      // case staff of the owning segment decide.
      {"ComplianceService/GetComplianceOpportunity",
       {kEveryone, CMS_CALL(compliance, GetComplianceOpportunity, GetComplianceOpportunityRequest,
                            ComplianceOpportunity)}},
      {"ComplianceService/ListComplianceOpportunities",
       {kEveryone,
        CMS_CALL(compliance, ListComplianceOpportunities, ListComplianceOpportunitiesRequest,
                 ListComplianceOpportunitiesResponse)}},
      {"ComplianceService/ListComplianceEvents",
       {kEveryone, CMS_CALL(compliance, ListComplianceEvents, ListComplianceEventsRequest,
                            ListComplianceEventsResponse)}},
      {"ComplianceService/RecordLegacyLookup",
       {kCaseStaff, CMS_CALL(compliance, RecordLegacyLookup, RecordLegacyLookupRequest,
                             ComplianceOpportunity)}},
      {"ComplianceService/RecordDeoStatement",
       {kCaseStaff, CMS_CALL(compliance, RecordDeoStatement, RecordDeoStatementRequest,
                             ComplianceOpportunity)}},
      {"ComplianceService/RecordOfferContact",
       {kCaseStaff, CMS_CALL(compliance, RecordOfferContact, RecordOfferContactRequest,
                             ComplianceOpportunity)}},
      {"ComplianceService/GetTwelveMonthStatus",
       {kEveryone, CMS_CALL(compliance, GetTwelveMonthStatus, GetTwelveMonthStatusRequest,
                            TwelveMonthStatus)}},
      {"ComplianceService/DecideOffer",
       {kCaseStaff, CMS_CALL(compliance, DecideOffer, DecideOfferRequest, ComplianceOpportunity)}},
      {"ComplianceService/RecordOutcome",
       {kCaseStaff,
        CMS_CALL(compliance, RecordOutcome, RecordOutcomeRequest, ComplianceOpportunity)}},
      {"ComplianceService/RequestExtension",
       {kCaseStaff,
        CMS_CALL(compliance, RequestExtension, RequestExtensionRequest, ComplianceOpportunity)}},
      {"ComplianceService/EndEarly",
       {kCaseStaff, CMS_CALL(compliance, EndEarly, EndEarlyRequest, ComplianceOpportunity)}},
      {"ComplianceService/RecordMissedPaymentReason",
       {kCaseStaff, CMS_CALL(compliance, RecordMissedPaymentReason,
                             RecordMissedPaymentReasonRequest, ComplianceOpportunity)}},
      // ArrearsService (AR10.*): everyone reads; case staff decide.
      {"ArrearsService/GetArrearsAction",
       {kEveryone, CMS_CALL(arrears, GetArrearsAction, GetArrearsActionRequest, ArrearsAction)}},
      {"ArrearsService/ListArrearsActions",
       {kEveryone, CMS_CALL(arrears, ListArrearsActions, ListArrearsActionsRequest,
                            ListArrearsActionsResponse)}},
      {"ArrearsService/ListArrearsEvents",
       {kEveryone,
        CMS_CALL(arrears, ListArrearsEvents, ListArrearsEventsRequest, ListArrearsEventsResponse)}},
      {"ArrearsService/GetArrearsRecommendation",
       {kEveryone, CMS_CALL(arrears, GetArrearsRecommendation, GetArrearsRecommendationRequest,
                            ArrearsRecommendation)}},
      {"ArrearsService/RecordArrearsContact",
       {kCaseStaff,
        CMS_CALL(arrears, RecordArrearsContact, RecordArrearsContactRequest, ArrearsAction)}},
      {"ArrearsService/RecordPpBusinessStructure",
       {kCaseStaff, CMS_CALL(arrears, RecordPpBusinessStructure, RecordPpBusinessStructureRequest,
                             ArrearsAction)}},
      {"ArrearsService/IssueArrearsLetter",
       {kCaseStaff,
        CMS_CALL(arrears, IssueArrearsLetter, IssueArrearsLetterRequest, ArrearsAction)}},
      {"ArrearsService/RequestEmploymentStatus",
       {kCaseStaff,
        CMS_CALL(arrears, RequestEmploymentStatus, RequestEmploymentStatusRequest, ArrearsAction)}},
      {"ArrearsService/SetMissedPaymentMonitor",
       {kCaseStaff,
        CMS_CALL(arrears, SetMissedPaymentMonitor, SetMissedPaymentMonitorRequest, ArrearsAction)}},
      {"ArrearsService/StartFinalNegotiation",
       {kCaseStaff,
        CMS_CALL(arrears, StartFinalNegotiation, StartFinalNegotiationRequest, ArrearsAction)}},
      {"ArrearsService/RecordNegotiationOutcome",
       {kCaseStaff, CMS_CALL(arrears, RecordNegotiationOutcome, RecordNegotiationOutcomeRequest,
                             ArrearsAction)}},
      {"ArrearsService/ReferLiabilityOrder",
       {kCaseStaff,
        CMS_CALL(arrears, ReferLiabilityOrder, ReferLiabilityOrderRequest, ArrearsAction)}},
      {"ArrearsService/RequestDisclosure",
       {kCaseStaff, CMS_CALL(arrears, RequestDisclosure, RequestDisclosureRequest, ArrearsAction)}},
      {"ArrearsService/RecordDisclosureOutcome",
       {kCaseStaff,
        CMS_CALL(arrears, RecordDisclosureOutcome, RecordDisclosureOutcomeRequest, ArrearsAction)}},
      {"ArrearsService/RecordRdoPayment",
       {kCaseStaff, CMS_CALL(arrears, RecordRdoPayment, RecordRdoPaymentRequest, ArrearsAction)}},
      {"ArrearsService/RecordAsset",
       {kCaseStaff, CMS_CALL(arrears, RecordAsset, RecordAssetRequest, Asset)}},
      {"ArrearsService/ListAssets",
       {kEveryone, CMS_CALL(arrears, ListAssets, ListAssetsRequest, ListAssetsResponse)}},
      {"ArrearsService/EndAsset",
       {kCaseStaff, CMS_CALL(arrears, EndAsset, EndAssetRequest, Asset)}},
      {"ArrearsService/RecordRpContact",
       {kCaseStaff, CMS_CALL(arrears, RecordRpContact, RecordRpContactRequest, ArrearsAction)}},
      {"FoiService/CreateFoiRequest",
       {kEveryone, CMS_CALL(foi, CreateFoiRequest, CreateFoiRequestRequest, FoiRequest)}},
      {"FoiService/GetFoiRequest",
       {kEveryone, CMS_CALL(foi, GetFoiRequest, GetFoiRequestRequest, FoiRequest)}},
      {"FoiService/ListFoiRequests",
       {kEveryone,
        CMS_CALL(foi, ListFoiRequests, ListFoiRequestsRequest, ListFoiRequestsResponse)}},
      {"FoiService/RespondToFoiRequest",
       {kWorkers, CMS_CALL(foi, RespondToFoiRequest, RespondToFoiRequestRequest, FoiRequest)}},
      {"MpService/CreateMpEnquiry",
       {kEveryone, CMS_CALL(mp, CreateMpEnquiry, CreateMpEnquiryRequest, MpEnquiry)}},
      {"MpService/GetMpEnquiry",
       {kEveryone, CMS_CALL(mp, GetMpEnquiry, GetMpEnquiryRequest, MpEnquiry)}},
      {"MpService/ListMpEnquiries",
       {kEveryone, CMS_CALL(mp, ListMpEnquiries, ListMpEnquiriesRequest, ListMpEnquiriesResponse)}},
      {"MpService/ValidateMpEnquiry",
       {kWorkers, CMS_CALL(mp, ValidateMpEnquiry, ValidateMpEnquiryRequest, MpEnquiry)}},
      {"MpService/AnswerMpEnquiry",
       {kWorkers, CMS_CALL(mp, AnswerMpEnquiry, AnswerMpEnquiryRequest, MpEnquiry)}},
      {"MpService/CloseMpEnquiry",
       {kWorkers, CMS_CALL(mp, CloseMpEnquiry, CloseMpEnquiryRequest, MpEnquiry)}},
      {"GuidanceService/AnswerGuidanceRequest",
       {kWorkers,
        CMS_CALL(guidance, AnswerGuidanceRequest, AnswerGuidanceRequestRequest, SrGuidance)}},
      {"GuidanceService/GetGuidanceAnswer",
       {kEveryone, CMS_CALL(guidance, GetGuidanceAnswer, GetGuidanceAnswerRequest, SrGuidance)}},
      {"GuidanceService/CorrectGuidanceAnswer",
       {kWorkers,
        CMS_CALL(guidance, CorrectGuidanceAnswer, CorrectGuidanceAnswerRequest, GuidanceAnswer)}},
      {"GuidanceService/CreatePrivateGuidanceRequest",
       {kWorkers, CMS_CALL(guidance, CreatePrivateGuidanceRequest,
                           CreatePrivateGuidanceRequestRequest, PrivateGuidanceRequest)}},
      {"GuidanceService/GetPrivateGuidanceRequest",
       {kEveryone, CMS_CALL(guidance, GetPrivateGuidanceRequest, GetPrivateGuidanceRequestRequest,
                            PrivateGuidanceRequest)}},
      {"GuidanceService/ListPrivateGuidanceRequests",
       {kEveryone,
        CMS_CALL(guidance, ListPrivateGuidanceRequests, ListPrivateGuidanceRequestsRequest,
                 ListPrivateGuidanceRequestsResponse)}},
      {"GuidanceService/AnswerPrivateGuidanceRequest",
       {kWorkers, CMS_CALL(guidance, AnswerPrivateGuidanceRequest,
                           AnswerPrivateGuidanceRequestRequest, PrivateGuidanceRequest)}},
      {"GuidanceService/ClosePrivateGuidanceRequest",
       {kWorkers, CMS_CALL(guidance, ClosePrivateGuidanceRequest,
                           ClosePrivateGuidanceRequestRequest, PrivateGuidanceRequest)}},
      {"GuidanceService/ListGuidanceQueue",
       {kEveryone, CMS_CALL(guidance, ListGuidanceQueue, ListGuidanceQueueRequest,
                            ListGuidanceQueueResponse)}},
      // AG11.2: Q&A's writes are its caseworkers' and team leaders' (the
      // segment is checked by the use case: AssuranceTest); reads are
      // everyone's, narrowed per segment and team.
      {"AssuranceService/DrawAssuranceSample",
       {kWorkers,
        CMS_CALL(assurance, DrawAssuranceSample, DrawAssuranceSampleRequest, AssuranceSample)}},
      {"AssuranceService/GetAssuranceSample",
       {kEveryone,
        CMS_CALL(assurance, GetAssuranceSample, GetAssuranceSampleRequest, AssuranceSample)}},
      {"AssuranceService/ListAssuranceSamples",
       {kEveryone, CMS_CALL(assurance, ListAssuranceSamples, ListAssuranceSamplesRequest,
                            ListAssuranceSamplesResponse)}},
      {"AssuranceService/RecordAssuranceCheck",
       {kWorkers,
        CMS_CALL(assurance, RecordAssuranceCheck, RecordAssuranceCheckRequest, AssuranceCheck)}},
      {"AssuranceService/GetAssuranceCheck",
       {kEveryone,
        CMS_CALL(assurance, GetAssuranceCheck, GetAssuranceCheckRequest, AssuranceCheck)}},
      {"AssuranceService/ListAssuranceChecks",
       {kEveryone, CMS_CALL(assurance, ListAssuranceChecks, ListAssuranceChecksRequest,
                            ListAssuranceChecksResponse)}},
      {"AssuranceService/GiveAssuranceFeedback",
       {kWorkers, CMS_CALL(assurance, GiveAssuranceFeedback, GiveAssuranceFeedbackRequest,
                           AssuranceFeedback)}},
      {"AssuranceService/ListAssuranceFeedback",
       {kEveryone, CMS_CALL(assurance, ListAssuranceFeedback, ListAssuranceFeedbackRequest,
                            ListAssuranceFeedbackResponse)}},
      {"AssuranceService/AddCorrectiveAction",
       {kWorkers,
        CMS_CALL(assurance, AddCorrectiveAction, AddCorrectiveActionRequest, CorrectiveAction)}},
      {"AssuranceService/CompleteCorrectiveAction",
       {kCaseStaff, CMS_CALL(assurance, CompleteCorrectiveAction, CompleteCorrectiveActionRequest,
                             CorrectiveAction)}},
      {"AssuranceService/GetCorrectiveAction",
       {kEveryone,
        CMS_CALL(assurance, GetCorrectiveAction, GetCorrectiveActionRequest, CorrectiveAction)}},
      {"AssuranceService/ListCorrectiveActions",
       {kEveryone, CMS_CALL(assurance, ListCorrectiveActions, ListCorrectiveActionsRequest,
                            ListCorrectiveActionsResponse)}},
      {"AssuranceService/GetCoachingNeeds",
       {kEveryone, CMS_CALL(assurance, GetCoachingNeeds, GetCoachingNeedsRequest, CoachingNeeds)}},
      {"ArrearsService/AuthoriseDeductionOrder",
       {kCaseStaff,
        CMS_CALL(arrears, AuthoriseDeductionOrder, AuthoriseDeductionOrderRequest, ArrearsAction)}},
      {"ArrearsService/RecordRdoViability",
       {kCaseStaff,
        CMS_CALL(arrears, RecordRdoViability, RecordRdoViabilityRequest, ArrearsAction)}},
      {"ArrearsService/TakeEnforcementAction",
       {kCaseStaff,
        CMS_CALL(arrears, TakeEnforcementAction, TakeEnforcementActionRequest, ArrearsAction)}},
      // ApprovalService (A6.*): case staff submit (SR steps, or BOM changes
      // by TLs and segment managers), TLs and SERVICE_MANAGEMENT decide (the
      // use cases check which kind is whose).
      {"ApprovalService/SubmitForApproval",
       {kCaseStaff, CMS_CALL(approvals, SubmitForApproval, SubmitForApprovalRequest, Approval)}},
      {"ApprovalService/DecideApproval",
       {kDeciders, CMS_CALL(approvals, DecideApproval, DecideApprovalRequest, Approval)}},
      {"ApprovalService/GetApproval",
       {kEveryone, CMS_CALL(approvals, GetApproval, GetApprovalRequest, Approval)}},
      {"ApprovalService/ListApprovalInbox",
       {kDeciders, CMS_CALL(approvals, ListApprovalInbox, ListApprovalInboxRequest,
                            ListApprovalInboxResponse)}},
      {"ApprovalService/ListApprovals",
       {kEveryone,
        CMS_CALL(approvals, ListApprovals, ListApprovalsRequest, ListApprovalsResponse)}},
      // PaymentService (M7.*): case staff change money, everyone reads it.
      {"PaymentService/ChangeServiceType",
       {kCaseStaff,
        CMS_CALL(payments, ChangeServiceType, ChangeServiceTypeRequest, ServiceTypeHistory)}},
      {"PaymentService/GetServiceTypeHistory",
       {kEveryone, CMS_CALL(payments, GetServiceTypeHistory, GetServiceTypeHistoryRequest,
                            ServiceTypeHistory)}},
      {"PaymentService/SetMopf", {kCaseStaff, CMS_CALL(payments, SetMopf, SetMopfRequest, Mopf)}},
      {"PaymentService/CancelMopfMethod",
       {kCaseStaff, CMS_CALL(payments, CancelMopfMethod, CancelMopfMethodRequest, Mopf)}},
      {"PaymentService/GetMopf", {kEveryone, CMS_CALL(payments, GetMopf, GetMopfRequest, Mopf)}},
      {"PaymentService/SetMopt", {kCaseStaff, CMS_CALL(payments, SetMopt, SetMoptRequest, Mopt)}},
      {"PaymentService/CancelMopt",
       {kCaseStaff, CMS_CALL(payments, CancelMopt, CancelMoptRequest, Mopt)}},
      {"PaymentService/GetMopt", {kEveryone, CMS_CALL(payments, GetMopt, GetMoptRequest, Mopt)}},
      {"PaymentService/GenerateSchedule",
       {kCaseStaff, CMS_CALL(payments, GenerateSchedule, GenerateScheduleRequest, Schedule)}},
      {"PaymentService/ReleaseSchedule",
       {kCaseStaff, CMS_CALL(payments, ReleaseSchedule, ReleaseScheduleRequest, Schedule)}},
      {"PaymentService/GetSchedule",
       {kEveryone, CMS_CALL(payments, GetSchedule, GetScheduleRequest, Schedule)}},
      {"PaymentService/ListSchedules",
       {kEveryone, CMS_CALL(payments, ListSchedules, ListSchedulesRequest, ListSchedulesResponse)}},
      {"PaymentService/RecordPayment",
       {kCaseStaff, CMS_CALL(payments, RecordPayment, RecordPaymentRequest, Payment)}},
      {"PaymentService/GetArrears",
       {kEveryone, CMS_CALL(payments, GetArrears, GetArrearsRequest, Arrears)}},
      {"PaymentService/GetStatement",
       {kEveryone, CMS_CALL(payments, GetStatement, GetStatementRequest, Statement)}},
      {"PaymentService/WaiveFees",
       {kCaseStaff, CMS_CALL(payments, WaiveFees, WaiveFeesRequest, FeeWaiver)}},
      {"PaymentService/ReinstateFees",
       {kCaseStaff, CMS_CALL(payments, ReinstateFees, ReinstateFeesRequest, FeeWaiver)}},
      {"PaymentService/AddCharge",
       {kCaseStaff, CMS_CALL(payments, AddCharge, AddChargeRequest, LedgerEntry)}},
      {"PaymentService/ListMissedPaymentEvents",
       {kEveryone, CMS_CALL(payments, ListMissedPaymentEvents, ListMissedPaymentEventsRequest,
                            ListMissedPaymentEventsResponse)}},
      // M7.3, M7.4: case staff set the desire flag and record calculations.
      {"PaymentService/SetDeoDesire",
       {kCaseStaff, CMS_CALL(payments, SetDeoDesire, SetDeoDesireRequest, Employment)}},
      {"PaymentService/GetEmployment",
       {kEveryone, CMS_CALL(payments, GetEmployment, GetEmploymentRequest, Employment)}},
      {"PaymentService/RecordCalculation",
       {kCaseStaff, CMS_CALL(payments, RecordCalculation, RecordCalculationRequest, Calculation)}},
      {"PaymentService/ResolveNdr",
       {kCaseStaff, CMS_CALL(payments, ResolveNdr, ResolveNdrRequest, Calculation)}},
      {"PaymentService/GetCalculation",
       {kEveryone, CMS_CALL(payments, GetCalculation, GetCalculationRequest, Calculation)}},
      // M7.3: only SERVICE_MANAGEMENT scripts the fake HMRC.
      {"AdminService/SetHmrcEmployment",
       {kServiceManagement,
        CMS_CALL(admin, SetHmrcEmployment, SetHmrcEmploymentRequest, HmrcEmploymentAnswer)}},
      {"AdminService/SetLegacyCsaCase",
       {kServiceManagement,
        CMS_CALL(admin, SetLegacyCsaCase, SetLegacyCsaCaseRequest, LegacyCsaCase)}},
      {"AdminService/SetHmrcSensitiveEmployer",
       {kServiceManagement, CMS_CALL(admin, SetHmrcSensitiveEmployer,
                                     SetHmrcSensitiveEmployerRequest, HmrcSensitiveEmployer)}},
  };
  return *m;
}

const std::vector<std::string>& ServiceNames() {
  static const auto* names = new std::vector<std::string>{
      "BomService",        "CasegroupService", "AdminService",    "ServiceRequestService",
      "WorkService",       "LetterService",    "ApprovalService", "PaymentService",
      "ComplianceService", "ArrearsService",   "FoiService",      "MpService",
      "GuidanceService",   "AssuranceService"};
  return *names;
}

// ---------------------------------------------------------------- authentication

class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { t_ = TestServer::Start().release(); }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }

  static std::unique_ptr<grpc::ClientContext> Raw(const std::map<std::string, std::string>& md) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    for (const auto& [k, v] : md) ctx->AddMetadata(k, v);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }

  static cms::v1::CreateSegmentRequest SegmentRequest() {
    cms::v1::CreateSegmentRequest req;
    req.set_request_id(RandomRequestId());
    req.set_country(cms::v1::COUNTRY_GB);
    req.set_service_segment(cms::v1::SERVICE_SEGMENT_FOI);
    req.set_description("Auth Probe");
    req.set_code("Probe1");
    return req;
  }

  static std::string Segments() {
    cms::v1::ListSegmentsRequest req;
    req.set_page_size(1000);
    req.set_include_retired(true);
    cms::v1::ListSegmentsResponse resp;
    grpc::Status s = t_->bom().ListSegments(t_->Context(kSvc).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << Describe(s);
    return resp.ShortDebugString();
  }

  static TestServer* t_;
};

TestServer* AuthTest::t_ = nullptr;

TEST_F(AuthTest, MissingOrBadTokenIsUnauthenticated) {
  // X13.1: every call is made by an authenticated client.
  const std::string before = Segments();
  const std::vector<std::map<std::string, std::string>> contexts = {
      {},                                                               // no metadata at all
      {{"x-cms-user", kSvc}},                                           // no authorization
      {{"authorization", "Bearer wrong-token"}, {"x-cms-user", kSvc}},  // unknown token
      {{"authorization", "Bearer "}, {"x-cms-user", kSvc}},             // empty token
      {{"authorization", absl::StrCat("Basic ", kToken)}, {"x-cms-user", kSvc}},  // wrong scheme
      {{"authorization", kToken}, {"x-cms-user", kSvc}},                          // no scheme
  };
  for (const auto& md : contexts) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : md) parts.push_back(absl::StrCat(k, "=", v));
    SCOPED_TRACE(absl::StrJoin(parts, ", "));
    cms::v1::Segment out;
    EXPECT_TRUE(Refused(t_->bom().CreateSegment(Raw(md).get(), SegmentRequest(), &out),
                        grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
    cms::v1::ListSegmentsResponse list;
    EXPECT_TRUE(Refused(t_->bom().ListSegments(Raw(md).get(), {}, &list),
                        grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
    cms::v1::Clock clock;
    EXPECT_TRUE(Refused(t_->admin().GetClock(Raw(md).get(), {}, &clock),
                        grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
  }
  // The harness's Context() with a wrong token, too.
  cms::v1::Segment out;
  EXPECT_TRUE(Refused(
      t_->bom().CreateSegment(t_->Context(kSvc, "not-a-known-token").get(), SegmentRequest(), &out),
      grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
  EXPECT_EQ(Segments(), before) << "an unauthenticated call changed the BOM";
}

TEST_F(AuthTest, MissingOrUnknownStaffIsPermissionDenied) {
  // X13.1: every call is made on behalf of a named, active staff member.
  const std::string before = Segments();
  const std::string bearer = absl::StrCat("Bearer ", kToken);
  for (const auto& md : std::vector<std::map<std::string, std::string>>{
           {{"authorization", bearer}},                      // no x-cms-user
           {{"authorization", bearer}, {"x-cms-user", ""}},  // empty x-cms-user
           {{"authorization", bearer}, {"x-cms-user", "no.such.person"}},
           {{"authorization", bearer}, {"x-cms-user", "SVC.MANAGER"}},  // ids are exact
       }) {
    SCOPED_TRACE(md.count("x-cms-user") ? md.at("x-cms-user") : "<none>");
    cms::v1::Segment out;
    EXPECT_TRUE(Refused(t_->bom().CreateSegment(Raw(md).get(), SegmentRequest(), &out),
                        grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
    cms::v1::Clock clock;
    EXPECT_TRUE(Refused(t_->admin().GetClock(Raw(md).get(), {}, &clock),
                        grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  }
  EXPECT_EQ(Segments(), before);

  // The same token and a known staff id pass.
  cms::v1::Clock clock;
  grpc::Status ok = t_->admin().GetClock(t_->Context(kCaseworker).get(), {}, &clock);
  EXPECT_TRUE(ok.ok()) << Describe(ok);
}

TEST_F(AuthTest, StaffIdsCompareExactly) {
  // X13.1 (hole 5): MariaDB's PAD SPACE collation finds "svc.manager " for
  // "svc.manager"; the server takes only the byte-for-byte same id, and
  // refuses ids that are not well formed before asking the database.
  const std::string bearer = absl::StrCat("Bearer ", kToken);
  // (Control characters and non-ASCII bytes cannot travel in a gRPC text
  // header; CheckStaffIdForm's unit test covers them.)
  for (const std::string& id : std::vector<std::string>{"svc.manager ", " svc.manager",
                                                        "svc.manager  ", std::string(65, 'a')}) {
    SCOPED_TRACE(id);
    cms::v1::Clock clock;
    grpc::Status s = t_->admin().GetClock(
        Raw({{"authorization", bearer}, {"x-cms-user", id}}).get(), {}, &clock);
    EXPECT_TRUE(Refused(s, grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  }
  // The well-formed id itself still passes.
  cms::v1::Clock clock;
  EXPECT_TRUE(t_->admin().GetClock(t_->Context(kSvc).get(), {}, &clock).ok());
}

TEST_F(AuthTest, HugeStaffIdIsRefusedWithABoundedMessage) {
  // X13.1: a 10 KB staff id is refused with a short message and trailer
  // (not echoed whole, which the client could not accept), and the channel
  // keeps working.
  const std::string huge(10 * 1024, 'x');
  cms::v1::Clock clock;
  grpc::Status s = t_->admin().GetClock(t_->Context(huge).get(), {}, &clock);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"))
      << s.error_message().substr(0, 200);
  EXPECT_LT(s.error_message().size(), 200u);
  EXPECT_LT(s.error_details().size(), 400u);
  grpc::Status after = t_->admin().GetClock(t_->Context(kSvc).get(), {}, &clock);
  EXPECT_TRUE(after.ok()) << Describe(after);
  // An unknown token is never echoed at all.
  const std::string token(5000, 't');
  s = t_->admin().GetClock(t_->Context(kSvc, token).get(), {}, &clock);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
  EXPECT_EQ(s.error_message().find("tttt"), std::string::npos) << s.error_message();
}

TEST_F(AuthTest, OversizedRequestIsRefusedByTheReceiveLimit) {
  // X13.1: requests are bounded (4 MiB) before any handler runs.
  cms::v1::CreateSegmentRequest req = SegmentRequest();
  req.set_description(std::string(5 * 1024 * 1024, 'd'));
  cms::v1::Segment out;
  grpc::Status s = t_->bom().CreateSegment(t_->Context(kSvc).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(s);
  cms::v1::Clock clock;
  EXPECT_TRUE(t_->admin().GetClock(t_->Context(kSvc).get(), {}, &clock).ok());
}

TEST_F(AuthTest, IdentityTokenWithoutConfiguredKeysIsUnauthenticated) {
  // X13.1: a server without --jwt_keys_file cannot check an identity token,
  // so it refuses one rather than ignoring it.
  cms::v1::Clock clock;
  auto ctx = t_->Context(kSvc);
  ctx->AddMetadata("x-cms-identity", "a.b.c");
  EXPECT_TRUE(Refused(t_->admin().GetClock(ctx.get(), {}, &clock),
                      grpc::StatusCode::UNAUTHENTICATED, "X13.1", "IDENTITY_TOKEN_INVALID"));
}

TEST_F(AuthTest, DeactivatedStaffIsPermissionDenied) {
  // X13.1: a deactivated staff member may no longer act.
  cms::v1::AddStaffMemberRequest add;
  add.set_request_id(RandomRequestId());
  add.set_staff_id(absl::StrCat("qa.leaver.", RandomRequestId().substr(4, 8)));
  add.set_name("Leaving Auditor");
  add.set_role(cms::v1::ROLE_AUDITOR);
  cms::v1::StaffMember m;
  ASSERT_TRUE(t_->bom().AddStaffMember(t_->Context(kSvc).get(), add, &m).ok());
  cms::v1::ListAuditEventsRequest audit;
  audit.set_actor(kSvc);
  cms::v1::ListAuditEventsResponse events;
  ASSERT_TRUE(t_->admin().ListAuditEvents(t_->Context(m.staff_id()).get(), audit, &events).ok());

  cms::v1::DeactivateStaffMemberRequest off;
  off.set_request_id(RandomRequestId());
  off.set_staff_id(m.staff_id());
  off.set_etag(m.etag());
  ASSERT_TRUE(t_->bom().DeactivateStaffMember(t_->Context(kSvc).get(), off, &m).ok());
  EXPECT_TRUE(Refused(t_->admin().ListAuditEvents(t_->Context(m.staff_id()).get(), audit, &events),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  cms::v1::ListSegmentsResponse segments;
  EXPECT_TRUE(Refused(t_->bom().ListSegments(t_->Context(m.staff_id()).get(), {}, &segments),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
}

TEST_F(AuthTest, SpecialClientRecordsVisibleOnlyToThatSegment) {
  // X13.1: special client records are visible only to that segment.
  const cms::v1::CreateApplicationRequest req = ApplicationRequest(
      NewPerson("Sensitive", "SW1A 1AA", /*sensitive=*/true), NewPerson("Other", "SW1A 1AA"));
  cms::v1::Application app;
  grpc::Status s = t_->casegroups().CreateApplication(t_->Context(kCaseworker).get(), req, &app);
  ASSERT_TRUE(s.ok()) << Describe(s);

  cms::v1::GetCasegroupRequest get;
  get.set_id(app.casegroup().id());
  cms::v1::Casegroup g;
  s = t_->casegroups().GetCasegroup(t_->Context("cw.gb.special_client_records.a1").get(), get, &g);
  ASSERT_TRUE(s.ok()) << Describe(s);
  EXPECT_EQ(g.id(), app.casegroup().id());
  for (const char* staff : {kCaseworker, kTeamLeader, kSegmentManager, kSvc, kAuditor,
                            "cw.ni.special_client_records.a1"}) {
    SCOPED_TRACE(staff);
    EXPECT_TRUE(Refused(t_->casegroups().GetCasegroup(t_->Context(staff).get(), get, &g),
                        grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  }
}

// ---------------------------------------------------------------- the role matrix

struct MatrixCase {
  std::string rpc;  // "Service/Method"
  RoleUser user;
  bool allowed;
};

std::vector<MatrixCase> MatrixCases() {
  std::vector<MatrixCase> out;
  for (const auto& [rpc, row] : Matrix()) {
    for (const RoleUser& u : Roles()) out.push_back({rpc, u, row.allowed.count(u.role) > 0});
  }
  return out;
}

class RoleMatrixTest : public ::testing::TestWithParam<MatrixCase> {
 protected:
  static void SetUpTestSuite() { t_ = TestServer::Start().release(); }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }

  // The caller's newest audit row (nothing the matrix calls may add one).
  static std::string AuditOf(const std::string& actor) {
    cms::v1::ListAuditEventsRequest req;
    req.set_actor(actor);
    req.set_page_size(1);
    cms::v1::ListAuditEventsResponse resp;
    grpc::Status s = t_->admin().ListAuditEvents(t_->Context(kSvc).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << Describe(s);
    return resp.ShortDebugString();
  }

  static TestServer* t_;
};

TestServer* RoleMatrixTest::t_ = nullptr;

TEST_P(RoleMatrixTest, AllowedOrPermissionDenied) {
  // X13.1, S1.4, S1.5 (and T8.1, X13.2 for AdminService): the role matrix.
  const MatrixCase& c = GetParam();
  const std::string before = AuditOf(c.user.staff_id);
  grpc::Status s = Matrix().at(c.rpc).call(*t_, t_->Context(c.user.staff_id).get());
  if (c.allowed) {
    EXPECT_NE(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << c.rpc << " should be open to " << c.user.name << ": " << Describe(s);
    EXPECT_NE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(s);
    EXPECT_NE(s.error_code(), grpc::StatusCode::INTERNAL) << Describe(s);
    EXPECT_NE(s.error_code(), grpc::StatusCode::UNIMPLEMENTED) << Describe(s);
  } else {
    EXPECT_TRUE(Refused(s, grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"))
        << c.rpc << " should be closed to " << c.user.name;
  }
  EXPECT_EQ(AuditOf(c.user.staff_id), before) << "the call changed something";
}

INSTANTIATE_TEST_SUITE_P(Matrix, RoleMatrixTest, ::testing::ValuesIn(MatrixCases()),
                         [](const ::testing::TestParamInfo<MatrixCase>& info) {
                           return absl::StrCat(absl::StrReplaceAll(info.param.rpc, {{"/", "_"}}),
                                               "_", info.param.user.name);
                         });

// ---------------------------------------------------------------- CheckRole, unit style

TEST(CheckRoleTest, EveryRpcOfEveryServiceIsInTheMatrix) {
  // X13.1: the matrix fails closed, so an RPC missing from it would be open
  // to nobody. Walk every method of every cms.v1 service: some role (and
  // for every method but the case-staff writes, SERVICE_MANAGEMENT or a
  // reader) is allowed, ROLE_UNSPECIFIED never is, and CheckRole agrees
  // with the expected matrix above, which therefore covers every RPC.
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const auto* roles = google::protobuf::GetEnumDescriptor<Role>();
  size_t methods = 0;
  for (const std::string& service : ServiceNames()) {
    const auto* desc = pool->FindServiceByName(absl::StrCat("cms.v1.", service));
    ASSERT_NE(desc, nullptr) << service;
    for (int i = 0; i < desc->method_count(); ++i) {
      const std::string method = desc->method(i)->name();
      const std::string key = absl::StrCat(service, "/", method);
      SCOPED_TRACE(key);
      ++methods;
      RoleSet allowed;
      for (int r = 0; r < roles->value_count(); ++r) {
        const Role role = static_cast<Role>(roles->value(r)->number());
        absl::Status s = auth::CheckRole(service, method, role);
        if (s.ok()) {
          allowed.insert(role);
        } else {
          EXPECT_TRUE(absl::IsPermissionDenied(s)) << s;
          EXPECT_EQ(ReasonOf(s), "PERMISSION_DENIED");
          EXPECT_FALSE(RuleOf(s).empty());
        }
      }
      EXPECT_FALSE(allowed.empty()) << key << " is open to no role: missing from the matrix";
      EXPECT_EQ(allowed.count(cms::v1::ROLE_UNSPECIFIED), 0u);
      EXPECT_TRUE(allowed.count(cms::v1::ROLE_SERVICE_MANAGEMENT) || !allowed.empty());
      auto it = Matrix().find(key);
      ASSERT_NE(it, Matrix().end()) << key << " is not in this test's matrix table";
      EXPECT_EQ(allowed, it->second.allowed) << key;
    }
  }
  EXPECT_EQ(methods, Matrix().size()) << "the table names an RPC the services do not have";
  EXPECT_EQ(methods, 158u);

  // Fails closed: unknown methods and services are refused with X13.1.
  for (const auto& [service, method] : std::vector<std::pair<std::string, std::string>>{
           {"BomService", "DropEverything"}, {"NoSuchService", "ListSegments"}, {"", ""}}) {
    absl::Status s = auth::CheckRole(service, method, cms::v1::ROLE_SERVICE_MANAGEMENT);
    EXPECT_TRUE(absl::IsPermissionDenied(s)) << service << "/" << method << ": " << s;
    EXPECT_EQ(RuleOf(s), "X13.1");
  }
}

TEST(CheckRoleTest, BomWritesAreServiceManagementOnly) {
  // S1.5: only SERVICE_MANAGEMENT changes the BOM; a TL may only request.
  for (const char* method :
       {"CreateSegment", "RenameSegment", "RetireSegment", "CreateTeam", "RetireTeam",
        "AddStaffMember", "MoveStaffMember", "DeactivateStaffMember"}) {
    SCOPED_TRACE(method);
    EXPECT_TRUE(auth::CheckRole("BomService", method, cms::v1::ROLE_SERVICE_MANAGEMENT).ok());
    for (Role r : {cms::v1::ROLE_CASEWORKER, cms::v1::ROLE_TEAM_LEADER,
                   cms::v1::ROLE_SEGMENT_MANAGER, cms::v1::ROLE_AUDITOR}) {
      absl::Status s = auth::CheckRole("BomService", method, r);
      EXPECT_TRUE(absl::IsPermissionDenied(s)) << r;
      EXPECT_EQ(RuleOf(s), "S1.4");
    }
  }
  EXPECT_TRUE(
      auth::CheckRole("ApprovalService", "SubmitForApproval", cms::v1::ROLE_TEAM_LEADER).ok());
}

}  // namespace
}  // namespace cms::testing
