// The special client records privacy test (AG11.1, X13.1; issue 16) over a
// real server and database.
//
// A special client records (SCR) casegroup is seeded with people whose
// names, NINOs, addresses, phones, emails and ids are distinctive (the ids
// from their own AUTO_INCREMENT ranges, so a number found is theirs), with
// an SR, a note and a letter. The SCR caseworker asks A&G privately (a
// question carrying the PP's NINO or postcode is refused and nothing is
// stored) and cannot raise an A&G SR on the casegroup. Then every Advice
// and Guidance staff member (caseworker, team leader, segment manager; GB
// and NI) calls every read RPC the role matrix lets them call
// (auth/permissions.cc; the test fails when one is missing from its table),
// with wide filters and with every id of a range that covers the seeded
// records; every response is serialised and scanned. No SCR person's name,
// NINO, postcode, address, phone, email, person id, case id or casegroup id
// may appear anywhere.
//
// The control proves the scan sees what A&G can see: an ordinary casegroup
// with an open A&G SR is seeded the same way, and the same scan must find
// every one of its markers (A&G read it through their SR). Had the private
// request carried the casegroup (or any of the SCR people's data), the scan
// of ListPrivateGuidanceRequests / ListGuidanceQueue would find it.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "server/auth/permissions.h"
#include "server/store/db.h"
#include "soci/soci.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

constexpr char kScr[] = "cw.gb.special_client_records.a1";
constexpr char kOwner[] = "cw.gb.new_case.a1";
constexpr char kSvc[] = "svc.manager";

// Every A&G staff member of the demo BOM.
const std::vector<std::string>& AandGStaff() {
  static const auto* staff = new std::vector<std::string>{
      "cw.gb.advice_and_guidance.a1", "tl.gb.advice_and_guidance.a", "sm.gb.advice_and_guidance",
      "cw.ni.advice_and_guidance.a1", "tl.ni.advice_and_guidance.a", "sm.ni.advice_and_guidance"};
  return *staff;
}

// What one seeded casegroup is made of, and the text that would give its
// people away.
struct Seeded {
  int64_t casegroup_id = 0;
  int64_t case_id = 0;
  std::vector<int64_t> person_ids;
  std::vector<int64_t> sr_ids;
  int64_t letter_id = 0;
  std::vector<std::string> words;  // names, NINOs, postcodes, address, phone, email
  // The same written other ways (a NINO in pairs, a postcode without its
  // space), looked for in leaks only.
  std::vector<std::string> variants;
  std::vector<int64_t> numbers() const {
    std::vector<int64_t> out = {casegroup_id, case_id};
    out.insert(out.end(), person_ids.begin(), person_ids.end());
    return out;
  }
};

// `n` as a whole number in `text` (not part of a longer one).
bool ContainsNumber(const std::string& text, int64_t n) {
  const std::string needle = absl::StrCat(n);
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    const bool left = at == 0 || !absl::ascii_isdigit(static_cast<unsigned char>(text[at - 1]));
    const size_t end = at + needle.size();
    const bool right =
        end == text.size() || !absl::ascii_isdigit(static_cast<unsigned char>(text[end]));
    if (left && right) return true;
  }
  return false;
}

// The markers of `s` found in `text`; with `ids`, its ids too.
std::vector<std::string> Found(const Seeded& s, const std::string& text, bool ids = true) {
  std::vector<std::string> out;
  const std::string lower = absl::AsciiStrToLower(text);
  for (const auto* list : {&s.words, &s.variants}) {
    for (const std::string& w : *list) {
      if (absl::StrContains(lower, absl::AsciiStrToLower(w))) out.push_back(w);
    }
  }
  if (ids) {
    for (int64_t n : s.numbers()) {
      if (ContainsNumber(text, n)) out.push_back(absl::StrCat("id ", n));
    }
  }
  return out;
}

// One call's outcome: the response serialised, and the error message.
struct Outcome {
  grpc::Status status;
  std::string body;
};
using Probe = std::function<Outcome(TestServer&, const std::string& staff, int64_t id)>;
struct ReadRpc {
  std::string rpc;  // "Service/Method"
  bool by_id;       // called once per probed id; else once, unfiltered
  Probe probe;
};

#define CMS_READ(service, stub, Method, Request, Response, by_id, fill)            \
  ReadRpc {                                                                        \
    service "/" #Method, by_id,                                                    \
        [](TestServer& t, const std::string& staff, [[maybe_unused]] int64_t id) { \
          cms::v1::Request req;                                                    \
          fill;                                                                    \
          cms::v1::Response resp;                                                  \
          grpc::Status s = t.stub().Method(t.Context(staff).get(), req, &resp);    \
          return Outcome{s, resp.ShortDebugString()};                              \
        }                                                                          \
  }

// Every read RPC open to a caseworker, team leader or segment manager, each
// way it can be keyed. Lists are unfiltered with the largest page.
const std::vector<ReadRpc>& Reads() {
  using cms::v1::NOTE_SUBJECT_CASE;
  using cms::v1::NOTE_SUBJECT_PERSON;
  using cms::v1::NOTE_SUBJECT_SERVICE_REQUEST;
  static const auto* reads = new std::vector<ReadRpc>{
      // BomService: the organisation, no client data, scanned all the same.
      CMS_READ("BomService", bom, ListSegments, ListSegmentsRequest, ListSegmentsResponse, false,
               req.set_page_size(1000)),
      CMS_READ("BomService", bom, GetSegment, GetSegmentRequest, Segment, true, req.set_id(id)),
      CMS_READ("BomService", bom, ListTeams, ListTeamsRequest, ListTeamsResponse, false,
               req.set_page_size(1000)),
      CMS_READ("BomService", bom, ListStaff, ListStaffRequest, ListStaffResponse, false,
               req.set_page_size(1000)),
      CMS_READ("BomService", bom, GetStaffMember, GetStaffMemberRequest, StaffMember, false,
               req.set_staff_id(kScr)),
      CMS_READ("BomService", bom, GetBomAsOf, GetBomAsOfRequest, Bom, false, {}),
      // CasegroupService
      CMS_READ("CasegroupService", casegroups, GetPerson, GetPersonRequest, Person, true,
               req.set_id(id)),
      CMS_READ("CasegroupService", casegroups, GetCase, GetCaseRequest, Case, true,
               req.set_id(id)),
      CMS_READ("CasegroupService", casegroups, GetCasegroup, GetCasegroupRequest, Casegroup, true,
               req.set_id(id)),
      CMS_READ("CasegroupService", casegroups, ExplainRouting, ExplainRoutingRequest,
               RoutingExplanation, true, req.set_casegroup_id(id)),
      CMS_READ("CasegroupService", casegroups, ListCasegroupMoves, ListCasegroupMovesRequest,
               ListCasegroupMovesResponse, true, {
                 req.set_casegroup_id(id);
                 req.set_page_size(1000);
               }),
      // ComplianceService
      CMS_READ("ComplianceService", compliance, GetComplianceOpportunity,
               GetComplianceOpportunityRequest, ComplianceOpportunity, true, req.set_id(id)),
      CMS_READ("ComplianceService", compliance, GetComplianceOpportunity,
               GetComplianceOpportunityRequest, ComplianceOpportunity, true, req.set_case_id(id)),
      CMS_READ("ComplianceService", compliance, ListComplianceOpportunities,
               ListComplianceOpportunitiesRequest, ListComplianceOpportunitiesResponse, false,
               req.set_page_size(1000)),
      CMS_READ("ComplianceService", compliance, ListComplianceEvents, ListComplianceEventsRequest,
               ListComplianceEventsResponse, true, {
                 req.set_opportunity_id(id);
                 req.set_page_size(1000);
               }),
      CMS_READ("ComplianceService", compliance, GetTwelveMonthStatus, GetTwelveMonthStatusRequest,
               TwelveMonthStatus, true, req.set_case_id(id)),
      // ArrearsService
      CMS_READ("ArrearsService", arrears, GetArrearsAction, GetArrearsActionRequest, ArrearsAction,
               true, req.set_id(id)),
      CMS_READ("ArrearsService", arrears, GetArrearsAction, GetArrearsActionRequest, ArrearsAction,
               true, req.set_case_id(id)),
      CMS_READ("ArrearsService", arrears, ListArrearsActions, ListArrearsActionsRequest,
               ListArrearsActionsResponse, false, req.set_page_size(1000)),
      CMS_READ("ArrearsService", arrears, ListArrearsEvents, ListArrearsEventsRequest,
               ListArrearsEventsResponse, true, {
                 req.set_arrears_action_id(id);
                 req.set_page_size(1000);
               }),
      CMS_READ("ArrearsService", arrears, GetArrearsRecommendation,
               GetArrearsRecommendationRequest, ArrearsRecommendation, true, req.set_case_id(id)),
      CMS_READ("ArrearsService", arrears, ListAssets, ListAssetsRequest, ListAssetsResponse, true, {
        req.set_person_id(id);
        req.set_include_closed(true);
        req.set_page_size(1000);
      }),
      CMS_READ("ArrearsService", arrears, ListAssets, ListAssetsRequest, ListAssetsResponse, true, {
        req.set_case_id(id);
        req.set_include_closed(true);
        req.set_page_size(1000);
      }),
      // FoiService
      CMS_READ("FoiService", foi, GetFoiRequest, GetFoiRequestRequest, FoiRequest, true,
               req.set_id(id)),
      CMS_READ("FoiService", foi, ListFoiRequests, ListFoiRequestsRequest, ListFoiRequestsResponse,
               false, req.set_page_size(1000)),
      // MpService
      CMS_READ("MpService", mp, GetMpEnquiry, GetMpEnquiryRequest, MpEnquiry, true,
               req.set_id(id)),
      CMS_READ("MpService", mp, ListMpEnquiries, ListMpEnquiriesRequest, ListMpEnquiriesResponse,
               false, req.set_page_size(1000)),
      // AssuranceService (the team whose coaching is read is the id)
      CMS_READ("AssuranceService", assurance, GetAssuranceSample, GetAssuranceSampleRequest,
               AssuranceSample, true, req.set_id(id)),
      CMS_READ("AssuranceService", assurance, ListAssuranceSamples, ListAssuranceSamplesRequest,
               ListAssuranceSamplesResponse, false, req.set_page_size(1000)),
      CMS_READ("AssuranceService", assurance, GetAssuranceCheck, GetAssuranceCheckRequest,
               AssuranceCheck, true, req.set_id(id)),
      CMS_READ("AssuranceService", assurance, ListAssuranceChecks, ListAssuranceChecksRequest,
               ListAssuranceChecksResponse, false, req.set_page_size(1000)),
      CMS_READ("AssuranceService", assurance, ListAssuranceFeedback,
               ListAssuranceFeedbackRequest, ListAssuranceFeedbackResponse, false,
               req.set_page_size(1000)),
      CMS_READ("AssuranceService", assurance, GetCorrectiveAction, GetCorrectiveActionRequest,
               CorrectiveAction, true, req.set_id(id)),
      CMS_READ("AssuranceService", assurance, ListCorrectiveActions,
               ListCorrectiveActionsRequest, ListCorrectiveActionsResponse, false,
               req.set_page_size(1000)),
      CMS_READ("AssuranceService", assurance, GetCoachingNeeds, GetCoachingNeedsRequest,
               CoachingNeeds, true, {
                 req.set_team_id(id);
                 req.mutable_period()->mutable_start_time()->set_seconds(1735689600);
                 req.mutable_period()->mutable_end_time()->set_seconds(1767225600);
               }),
      // GuidanceService
      CMS_READ("GuidanceService", guidance, GetGuidanceAnswer, GetGuidanceAnswerRequest,
               SrGuidance, true, req.set_service_request_id(id)),
      CMS_READ("GuidanceService", guidance, GetPrivateGuidanceRequest,
               GetPrivateGuidanceRequestRequest, PrivateGuidanceRequest, true, req.set_id(id)),
      CMS_READ("GuidanceService", guidance, ListPrivateGuidanceRequests,
               ListPrivateGuidanceRequestsRequest, ListPrivateGuidanceRequestsResponse, false,
               req.set_page_size(1000)),
      CMS_READ("GuidanceService", guidance, ListGuidanceQueue, ListGuidanceQueueRequest,
               ListGuidanceQueueResponse, false, req.set_page_size(1000)),
      // ServiceRequestService
      CMS_READ("ServiceRequestService", service_requests, ListSrTypes, ListSrTypesRequest,
               ListSrTypesResponse, false, req.set_page_size(1000)),
      CMS_READ("ServiceRequestService", service_requests, GetServiceRequest,
               GetServiceRequestRequest, ServiceRequest, true, req.set_id(id)),
      CMS_READ("ServiceRequestService", service_requests, ListServiceRequests,
               ListServiceRequestsRequest, ListServiceRequestsResponse, true, {
                 req.set_casegroup_id(id);
                 req.set_include_closed(true);
                 req.set_page_size(1000);
               }),
      CMS_READ("ServiceRequestService", service_requests, ListServiceRequests,
               ListServiceRequestsRequest, ListServiceRequestsResponse, true, {
                 req.set_parent_id(id);
                 req.set_include_closed(true);
                 req.set_page_size(1000);
               }),
      CMS_READ("ServiceRequestService", service_requests, ListNotes, ListNotesRequest,
               ListNotesResponse, true, {
                 req.set_subject(NOTE_SUBJECT_SERVICE_REQUEST);
                 req.set_subject_id(id);
                 req.set_page_size(1000);
               }),
      CMS_READ("ServiceRequestService", service_requests, ListNotes, ListNotesRequest,
               ListNotesResponse, true, {
                 req.set_subject(NOTE_SUBJECT_CASE);
                 req.set_subject_id(id);
                 req.set_page_size(1000);
               }),
      CMS_READ("ServiceRequestService", service_requests, ListNotes, ListNotesRequest,
               ListNotesResponse, true, {
                 req.set_subject(NOTE_SUBJECT_PERSON);
                 req.set_subject_id(id);
                 req.set_page_size(1000);
               }),
      // WorkService: the caller's own views (GetNextWork is drained last).
      CMS_READ("WorkService", work, ListMyWork, ListMyWorkRequest, ListMyWorkResponse, false,
               req.set_page_size(1000)),
      CMS_READ("WorkService", work, ListTeamWork, ListTeamWorkRequest, ListTeamWorkResponse, false,
               req.set_page_size(1000)),
      CMS_READ("WorkService", work, ListSegmentQueue, ListSegmentQueueRequest,
               ListSegmentQueueResponse, false, req.set_page_size(1000)),
      CMS_READ("WorkService", work, GetQueueStats, GetQueueStatsRequest, QueueStats, false, {}),
      CMS_READ("WorkService", work, GetTeamLoad, GetTeamLoadRequest, TeamLoad, false, {}),
      // LetterService
      CMS_READ("LetterService", letters, ListLetterTemplates, ListLetterTemplatesRequest,
               ListLetterTemplatesResponse, false, req.set_page_size(1000)),
      CMS_READ("LetterService", letters, GetLetter, GetLetterRequest, Letter, true,
               req.set_id(id)),
      CMS_READ("LetterService", letters, ListInteractions, ListInteractionsRequest,
               ListInteractionsResponse, true, {
                 req.set_person_id(id);
                 req.set_page_size(1000);
               }),
      CMS_READ("LetterService", letters, ListInteractions, ListInteractionsRequest,
               ListInteractionsResponse, true, {
                 req.set_case_id(id);
                 req.set_page_size(1000);
               }),
      CMS_READ("LetterService", letters, ListInteractions, ListInteractionsRequest,
               ListInteractionsResponse, true, {
                 req.set_service_request_id(id);
                 req.set_page_size(1000);
               }),
      // ApprovalService
      CMS_READ("ApprovalService", approvals, GetApproval, GetApprovalRequest, Approval, true,
               req.set_id(id)),
      CMS_READ("ApprovalService", approvals, ListApprovalInbox, ListApprovalInboxRequest,
               ListApprovalInboxResponse, false, req.set_page_size(1000)),
      CMS_READ("ApprovalService", approvals, ListApprovals, ListApprovalsRequest,
               ListApprovalsResponse, true, {
                 req.set_service_request_id(id);
                 req.set_page_size(1000);
               }),
      CMS_READ("ApprovalService", approvals, ListApprovals, ListApprovalsRequest,
               ListApprovalsResponse, true, {
                 req.set_team_id(id);
                 req.set_page_size(1000);
               }),
      // PaymentService
      CMS_READ("PaymentService", payments, GetServiceTypeHistory, GetServiceTypeHistoryRequest,
               ServiceTypeHistory, true, req.set_case_id(id)),
      CMS_READ("PaymentService", payments, GetMopf, GetMopfRequest, Mopf, true,
               req.set_casegroup_id(id)),
      CMS_READ("PaymentService", payments, GetMopt, GetMoptRequest, Mopt, true,
               req.set_case_id(id)),
      CMS_READ("PaymentService", payments, GetSchedule, GetScheduleRequest, Schedule, true,
               req.set_case_id(id)),
      CMS_READ("PaymentService", payments, GetSchedule, GetScheduleRequest, Schedule, true,
               req.set_schedule_id(id)),
      CMS_READ("PaymentService", payments, ListSchedules, ListSchedulesRequest,
               ListSchedulesResponse, true, {
                 req.set_case_id(id);
                 req.set_page_size(1000);
               }),
      CMS_READ("PaymentService", payments, GetArrears, GetArrearsRequest, Arrears, true,
               req.set_case_id(id)),
      CMS_READ("PaymentService", payments, GetArrears, GetArrearsRequest, Arrears, true,
               req.set_casegroup_id(id)),
      CMS_READ("PaymentService", payments, GetStatement, GetStatementRequest, Statement, true,
               req.set_case_id(id)),
      CMS_READ("PaymentService", payments, ListMissedPaymentEvents, ListMissedPaymentEventsRequest,
               ListMissedPaymentEventsResponse, true, {
                 req.set_case_id(id);
                 req.set_page_size(1000);
               }),
      CMS_READ("PaymentService", payments, GetEmployment, GetEmploymentRequest, Employment, true,
               req.set_casegroup_id(id)),
      CMS_READ("PaymentService", payments, GetCalculation, GetCalculationRequest, Calculation,
               true, req.set_calculation_id(id)),
      // AdminService
      CMS_READ("AdminService", admin, GetClock, GetClockRequest, Clock, false, {}),
  };
  return *reads;
}

// The services whose RPCs the coverage check walks (every cms.v1 service).
const std::vector<std::string>& ServiceNames() {
  static const auto* names = new std::vector<std::string>{
      "BomService",        "CasegroupService", "AdminService",    "ServiceRequestService",
      "WorkService",       "LetterService",    "ApprovalService", "PaymentService",
      "ComplianceService", "ArrearsService",   "FoiService",      "MpService",
      "GuidanceService",   "AssuranceService"};
  return *names;
}

bool IsRead(const std::string& method) {
  return absl::StartsWith(method, "Get") || absl::StartsWith(method, "List") ||
         absl::StartsWith(method, "Explain");
}

class GuidancePrivacyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = TestServer::Start();
    SetBusinessClock(*t_, absl::CivilSecond(2027, 3, 15, 12, 0, 0));
  }

  // The next person, case and casegroup get ids from `base` (x10001 for
  // persons, x20001 for cases, x30001 for casegroups).
  void IdsFrom(int64_t base) {
    ASSERT_TRUE(t_->db()
                    .RunOnConnection([&](store::Tx& tx) -> absl::Status {
                      tx.session()
                          << absl::StrCat("ALTER TABLE persons AUTO_INCREMENT = ", base + 10001);
                      tx.session()
                          << absl::StrCat("ALTER TABLE cases AUTO_INCREMENT = ", base + 20001);
                      tx.session()
                          << absl::StrCat("ALTER TABLE casegroups AUTO_INCREMENT = ", base + 30001);
                      return absl::OkStatus();
                    })
                    .ok());
  }

  static cms::v1::Person Person(const std::string& given, const std::string& family,
                                const std::string& nino, const std::string& line,
                                const std::string& postcode, const std::string& phone,
                                const std::string& email, bool sensitive) {
    cms::v1::Person p;
    p.set_given_name(given);
    p.set_family_name(family);
    p.set_nino(nino);
    p.mutable_residential_address()->add_lines(line);
    p.mutable_residential_address()->set_postcode(postcode);
    p.set_phone(phone);
    p.set_email(email);
    p.mutable_date_of_birth()->set_year(1984);
    p.mutable_date_of_birth()->set_month(7);
    p.mutable_date_of_birth()->set_day(19);
    p.set_nationally_sensitive(sensitive);
    return p;
  }

  // A casegroup made by `owner` with an SR (a note on it naming the PP) and
  // a letter to the PP.
  Seeded Seed(const std::string& owner, const cms::v1::Person& pp, const cms::v1::Person& rp,
              const std::string& child) {
    Seeded s;
    cms::v1::CreateApplicationRequest app_req = ApplicationRequest(pp, rp);
    app_req.mutable_children(0)->set_given_name(child);
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(t_->Context(owner).get(), app_req, &app));
    s.casegroup_id = app.casegroup().id();
    s.case_id = app.case_().id();
    s.person_ids = {app.casegroup().paying_parent_id(), app.case_().receiving_parent_id()};
    cms::v1::CreateServiceRequestRequest sr_req;
    sr_req.set_request_id(RandomRequestId());
    sr_req.set_type_code("CHANGE_OF_ADDRESS");
    sr_req.set_casegroup_id(s.casegroup_id);
    sr_req.set_case_id(s.case_id);
    sr_req.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    cms::v1::CreateServiceRequestResponse sr;
    EXPECT_RPC_OK(
        t_->service_requests().CreateServiceRequest(t_->Context(owner).get(), sr_req, &sr));
    s.sr_ids.push_back(sr.service_request().id());
    cms::v1::AddNoteRequest note;
    note.set_request_id(RandomRequestId());
    note.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
    note.set_subject_id(sr.service_request().id());
    note.set_text(absl::StrCat("Spoke to ", pp.given_name(), " ", pp.family_name(), " at ",
                               pp.residential_address().postcode()));
    cms::v1::Note n;
    EXPECT_RPC_OK(t_->service_requests().AddNote(t_->Context(owner).get(), note, &n));
    cms::v1::IssueLetterRequest letter;
    letter.set_request_id(RandomRequestId());
    letter.set_template_code("CMSL0136");
    letter.set_case_id(s.case_id);
    letter.set_person_id(s.person_ids[0]);
    cms::v1::Letter issued;
    EXPECT_RPC_OK(t_->letters().IssueLetter(t_->Context(owner).get(), letter, &issued));
    s.letter_id = issued.id();
    for (const cms::v1::Person* p : {&pp, &rp}) {
      const std::string& pc = p->residential_address().postcode();
      s.words.insert(s.words.end(), {p->given_name(), p->family_name(), p->nino(), pc,
                                     p->residential_address().lines(0), p->phone(), p->email()});
      const std::string& n = p->nino();
      s.variants.push_back(absl::StrCat(n.substr(0, 2), " ", n.substr(2, 2), " ", n.substr(4, 2),
                                        " ", n.substr(6, 2), " ", n.substr(8)));
      s.variants.push_back(absl::StrReplaceAll(pc, {{" ", ""}}));
    }
    s.words.push_back(child);
    return s;
  }

  // Every read of `reads` as `staff`: each by-id RPC with every id of
  // `ids`. Returns the bodies of every response and the error messages.
  void Scan(const std::string& staff, const std::vector<int64_t>& ids, std::string* bodies,
            std::string* errors, std::set<std::string>* called) {
    for (const ReadRpc& r : Reads()) {
      if (!auth::CheckRole(r.rpc.substr(0, r.rpc.find('/')), r.rpc.substr(r.rpc.find('/') + 1),
                           RoleOf(staff))
               .ok()) {
        continue;
      }
      called->insert(r.rpc);
      for (int64_t id : r.by_id ? ids : std::vector<int64_t>{0}) {
        Outcome o = r.probe(*t_, staff, id);
        EXPECT_NE(o.status.error_code(), grpc::StatusCode::INTERNAL)
            << r.rpc << " " << id << ": " << Describe(o.status);
        // Not the id asked for: the bodies are scanned for ids.
        absl::StrAppend(bodies, r.rpc, " ", o.body, "\n");
        absl::StrAppend(errors, r.rpc, " ", o.status.error_message(), "\n");
      }
    }
    // GetNextWork hands out the caller's queue until it is empty.
    if (auth::CheckRole("WorkService", "GetNextWork", RoleOf(staff)).ok()) {
      called->insert("WorkService/GetNextWork");
      for (int i = 0; i < 50; ++i) {
        cms::v1::GetNextWorkRequest req;
        req.set_request_id(RandomRequestId());
        cms::v1::ServiceRequest sr;
        grpc::Status s = t_->work().GetNextWork(t_->Context(staff).get(), req, &sr);
        absl::StrAppend(bodies, "GetNextWork ", sr.ShortDebugString(), "\n");
        absl::StrAppend(errors, "GetNextWork ", s.error_message(), "\n");
        if (!s.ok()) break;
      }
    }
  }

  cms::v1::Role RoleOf(const std::string& staff) {
    auto it = roles_.find(staff);
    if (it != roles_.end()) return it->second;
    cms::v1::GetStaffMemberRequest req;
    req.set_staff_id(staff);
    cms::v1::StaffMember m;
    EXPECT_RPC_OK(t_->bom().GetStaffMember(t_->Context(kSvc).get(), req, &m));
    return roles_[staff] = m.role();
  }

  std::unique_ptr<TestServer> t_;
  std::map<std::string, cms::v1::Role> roles_;
};

TEST_F(GuidancePrivacyTest, AG11_1_NothingOfASpecialClientRecordsPersonReachesAdviceAndGuidance) {
  // The control: an ordinary GB casegroup with an open A&G SR on its PP.
  IdsFrom(6400000);
  const Seeded control = Seed(kOwner,
                              Person("Oswin", "Pettigrew-Lark", "JY518204A", "4 Ordinary Row",
                                     "LS6 3QW", "07700 900418", "oswin.pl@example.com", false),
                              Person("Rowena", "Hartcliffe-Dunn", "JY518205B", "9 Common Lane",
                                     "LS7 2PR", "07700 900419", "rowena.hd@example.com", false),
                              "Perpetua");
  cms::v1::CreateServiceRequestRequest ag;
  ag.set_request_id(RandomRequestId());
  ag.set_type_code("ADVICE_AND_GUIDANCE");
  ag.set_casegroup_id(control.casegroup_id);
  ag.set_case_id(control.case_id);
  ag.set_subject_person_id(control.person_ids[0]);
  ag.set_source(cms::v1::SR_SOURCE_CASEWORKER);
  (*ag.mutable_fields())["Question"] = "Which deduction rate applies?";
  cms::v1::CreateServiceRequestResponse control_sr;
  ASSERT_RPC_OK(
      t_->service_requests().CreateServiceRequest(t_->Context(kOwner).get(), ag, &control_sr));

  // The special client records casegroup: a nationally sensitive PP.
  IdsFrom(7300000);
  const Seeded scr =
      Seed(kScr,
           Person("Zebedee", "Quarrington-Vance", "JX739155B", "17 Quillfeather Lane", "ZE2 9QX",
                  "07700 900731", "zebedee.qv@example.net", true),
           Person("Ysolde", "Marchbanks-Tew", "JX739156C", "3 Thistlewood Close", "ZE1 0LB",
                  "07700 900732", "ysolde.mt@example.net", false),
           "Isembard");
  ASSERT_EQ(scr.casegroup_id, 7330001) << "the SCR ids come from their own range";
  cms::v1::GetCasegroupRequest get;
  get.set_id(scr.casegroup_id);
  cms::v1::Casegroup g;
  ASSERT_RPC_OK(t_->casegroups().GetCasegroup(t_->Context(kScr).get(), get, &g));

  // The SCR caseworker cannot raise an A&G SR on it...
  ag.set_request_id(RandomRequestId());
  ag.set_casegroup_id(scr.casegroup_id);
  ag.set_case_id(scr.case_id);
  ag.set_subject_person_id(scr.person_ids[0]);
  cms::v1::CreateServiceRequestResponse refused_sr;
  EXPECT_TRUE(
      Refused(t_->service_requests().CreateServiceRequest(t_->Context(kScr).get(), ag, &refused_sr),
              grpc::StatusCode::FAILED_PRECONDITION, "AG11.1", "RULE_VIOLATION"));
  cms::v1::ListServiceRequestsRequest srs;
  srs.set_casegroup_id(scr.casegroup_id);
  srs.set_include_closed(true);
  cms::v1::ListServiceRequestsResponse scr_srs;
  ASSERT_RPC_OK(t_->service_requests().ListServiceRequests(t_->Context(kScr).get(), srs, &scr_srs));
  EXPECT_EQ(scr_srs.service_requests_size(), 1) << "no A&G SR was stored";

  // ...and asks privately: the question with the PP's NINO or postcode is
  // refused and nothing is stored; the question alone is accepted.
  cms::v1::PrivateGuidanceRequest asked;
  for (const std::string& bad :
       {std::string("The PP (JX 73 91 55 B) asks us to stop letters: may we?"),
        std::string("The PP moved to ZE2 9QX: does the DEO follow?")}) {
    cms::v1::CreatePrivateGuidanceRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_country(cms::v1::COUNTRY_GB);
    req.set_question(bad);
    EXPECT_TRUE(
        Refused(t_->guidance().CreatePrivateGuidanceRequest(t_->Context(kScr).get(), req, &asked),
                grpc::StatusCode::INVALID_ARGUMENT, "AG11.1", "INVALID_FIELDS", {"question"}));
  }
  cms::v1::ListPrivateGuidanceRequestsResponse stored;
  ASSERT_RPC_OK(t_->guidance().ListPrivateGuidanceRequests(t_->Context(kSvc).get(), {}, &stored));
  EXPECT_EQ(stored.requests_size(), 0) << "a refused question is not stored";
  const std::string question =
      "A nationally sensitive PP asks us to stop all letters to their home while a DEO is live. "
      "May we suspend the letters and keep the DEO?";
  cms::v1::CreatePrivateGuidanceRequestRequest ask;
  ask.set_request_id(RandomRequestId());
  ask.set_country(cms::v1::COUNTRY_GB);
  ask.set_question(question);
  ASSERT_RPC_OK(t_->guidance().CreatePrivateGuidanceRequest(t_->Context(kScr).get(), ask, &asked));

  // The scan's own check: a private request that carried the casegroup, or
  // the PP's NINO, would be found.
  EXPECT_FALSE(Found(scr, absl::StrCat("requests { id: ", asked.id(),
                                       " casegroup_id: ", scr.casegroup_id, " }"))
                   .empty());
  EXPECT_FALSE(Found(scr, absl::StrCat("question: \"JX739155B\"")).empty());

  // Every id of the range the ordinary records sit in, and every seeded id.
  std::vector<int64_t> ids;
  for (int64_t id = 1; id <= 25; ++id) ids.push_back(id);
  for (const Seeded* s : {&control, &scr}) {
    for (int64_t n : s->numbers()) ids.push_back(n);
    ids.insert(ids.end(), s->sr_ids.begin(), s->sr_ids.end());
    ids.push_back(s->letter_id);
  }
  ids.push_back(control_sr.service_request().id());
  ids.push_back(asked.id());

  std::set<std::string> called;
  std::string control_seen;
  for (const std::string& staff : AandGStaff()) {
    SCOPED_TRACE(staff);
    std::string bodies, errors;
    Scan(staff, ids, &bodies, &errors, &called);
    const std::vector<std::string> leaked = Found(scr, bodies);
    EXPECT_TRUE(leaked.empty()) << staff << " read " << absl::StrJoin(leaked, ", ");
    // An error message may echo the id the caller sent, never anything else.
    const std::vector<std::string> in_errors = Found(scr, errors, /*ids=*/false);
    EXPECT_TRUE(in_errors.empty()) << absl::StrJoin(in_errors, ", ");
    if (absl::StrContains(staff, ".gb.")) {
      // GB's A&G saw the private request: the scan covers the guidance lists.
      EXPECT_TRUE(absl::StrContains(bodies, "May we suspend the letters")) << staff;
      EXPECT_TRUE(absl::StrContains(bodies, "Special Client Records, GB, Team A")) << staff;
    }
    control_seen += bodies;
  }

  // The control: the same scan finds every marker of the ordinary
  // casegroup A&G work an SR on, so it does see what A&G can read.
  std::vector<std::string> want;
  for (const std::string& w : control.words) want.push_back(w);
  for (int64_t n : control.numbers()) want.push_back(absl::StrCat("id ", n));
  EXPECT_EQ(Found(control, control_seen), want);

  // Every read RPC A&G staff may call was called.
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::set<std::string> permitted;
  for (const std::string& service : ServiceNames()) {
    const auto* desc = pool->FindServiceByName(absl::StrCat("cms.v1.", service));
    ASSERT_NE(desc, nullptr) << service;
    for (int i = 0; i < desc->method_count(); ++i) {
      const std::string method = desc->method(i)->name();
      if (!IsRead(method)) continue;
      for (const std::string& staff : AandGStaff()) {
        if (auth::CheckRole(service, method, RoleOf(staff)).ok()) {
          permitted.insert(absl::StrCat(service, "/", method));
        }
      }
    }
  }
  EXPECT_EQ(called, permitted) << "a read RPC A&G may call is missing from the scan";
  EXPECT_GE(permitted.size(), 45u);
}

}  // namespace
}  // namespace cms::testing
