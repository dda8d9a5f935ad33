// The need-to-know read matrix (X13.1, SR5.7) over a real server: every read
// RPC of a casegroup's records, called by every role, on
//   * an ordinary casegroup, as its owning segment's staff, as another
//     segment's staff, as a specialist through an open functionally unique
//     SR on it, and as service management and auditors;
//   * a special client records casegroup, as that segment and as everyone
//     else.
// A refused read is PERMISSION_DENIED (rule X13.1) and says nothing of the
// record; an allowed one gets past the visibility check (OK, or NOT_FOUND
// for a record that was never made, e.g. a schedule).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

// The records one casegroup's reads are about.
struct Target {
  int64_t casegroup_id = 0;
  int64_t case_id = 0;
  int64_t person_id = 0;  // the PP
  int64_t sr_id = 0;      // a case-owning SR
  int64_t letter_id = 0;
  int64_t approval_id = 0;
  int64_t calculation_id = 0;
};

using Read = std::function<grpc::Status(TestServer&, grpc::ClientContext*, const Target&)>;

#define CMS_READ(stub, Method, Request, Response, fill)               \
  [](TestServer& t, grpc::ClientContext* ctx, const Target& target) { \
    cms::v1::Request req;                                             \
    fill;                                                             \
    cms::v1::Response resp;                                           \
    return t.stub().Method(ctx, req, &resp);                          \
  }

// Every read RPC of a casegroup's records (BOM, clock, catalog and template
// reads are open to all; the work views list the caller's own work).
const std::vector<std::pair<std::string, Read>>& Reads() {
  static const auto* reads = new std::vector<std::pair<std::string, Read>>{
      {"GetPerson",
       CMS_READ(casegroups, GetPerson, GetPersonRequest, Person, req.set_id(target.person_id))},
      {"GetCase", CMS_READ(casegroups, GetCase, GetCaseRequest, Case, req.set_id(target.case_id))},
      {"GetCasegroup", CMS_READ(casegroups, GetCasegroup, GetCasegroupRequest, Casegroup,
                                req.set_id(target.casegroup_id))},
      {"ExplainRouting", CMS_READ(casegroups, ExplainRouting, ExplainRoutingRequest,
                                  RoutingExplanation, req.set_casegroup_id(target.casegroup_id))},
      {"ListCasegroupMoves",
       CMS_READ(casegroups, ListCasegroupMoves, ListCasegroupMovesRequest,
                ListCasegroupMovesResponse, req.set_casegroup_id(target.casegroup_id))},
      {"GetServiceRequest", CMS_READ(service_requests, GetServiceRequest, GetServiceRequestRequest,
                                     ServiceRequest, req.set_id(target.sr_id))},
      {"ListServiceRequests",
       CMS_READ(service_requests, ListServiceRequests, ListServiceRequestsRequest,
                ListServiceRequestsResponse, req.set_casegroup_id(target.casegroup_id))},
      {"ListNotes(SR)", CMS_READ(service_requests, ListNotes, ListNotesRequest, ListNotesResponse,
                                 {
                                   req.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
                                   req.set_subject_id(target.sr_id);
                                 })},
      {"ListNotes(case)", CMS_READ(service_requests, ListNotes, ListNotesRequest, ListNotesResponse,
                                   {
                                     req.set_subject(cms::v1::NOTE_SUBJECT_CASE);
                                     req.set_subject_id(target.case_id);
                                   })},
      {"ListNotes(person)",
       CMS_READ(service_requests, ListNotes, ListNotesRequest, ListNotesResponse,
                {
                  req.set_subject(cms::v1::NOTE_SUBJECT_PERSON);
                  req.set_subject_id(target.person_id);
                })},
      {"GetLetter",
       CMS_READ(letters, GetLetter, GetLetterRequest, Letter, req.set_id(target.letter_id))},
      {"ListInteractions(case)",
       CMS_READ(letters, ListInteractions, ListInteractionsRequest, ListInteractionsResponse,
                req.set_case_id(target.case_id))},
      {"ListInteractions(person)",
       CMS_READ(letters, ListInteractions, ListInteractionsRequest, ListInteractionsResponse,
                req.set_person_id(target.person_id))},
      {"ListApprovals(SR)",
       CMS_READ(approvals, ListApprovals, ListApprovalsRequest, ListApprovalsResponse,
                req.set_service_request_id(target.sr_id))},
      {"GetServiceTypeHistory",
       CMS_READ(payments, GetServiceTypeHistory, GetServiceTypeHistoryRequest, ServiceTypeHistory,
                req.set_case_id(target.case_id))},
      {"GetMopf", CMS_READ(payments, GetMopf, GetMopfRequest, Mopf,
                           req.set_casegroup_id(target.casegroup_id))},
      {"GetMopt",
       CMS_READ(payments, GetMopt, GetMoptRequest, Mopt, req.set_case_id(target.case_id))},
      {"GetSchedule", CMS_READ(payments, GetSchedule, GetScheduleRequest, Schedule,
                               req.set_case_id(target.case_id))},
      {"ListSchedules", CMS_READ(payments, ListSchedules, ListSchedulesRequest,
                                 ListSchedulesResponse, req.set_case_id(target.case_id))},
      {"GetArrears(case)",
       CMS_READ(payments, GetArrears, GetArrearsRequest, Arrears, req.set_case_id(target.case_id))},
      {"GetArrears(casegroup)", CMS_READ(payments, GetArrears, GetArrearsRequest, Arrears,
                                         req.set_casegroup_id(target.casegroup_id))},
      {"GetStatement", CMS_READ(payments, GetStatement, GetStatementRequest, Statement,
                                req.set_case_id(target.case_id))},
      {"ListMissedPaymentEvents",
       CMS_READ(payments, ListMissedPaymentEvents, ListMissedPaymentEventsRequest,
                ListMissedPaymentEventsResponse, req.set_case_id(target.case_id))},
      {"GetEmployment", CMS_READ(payments, GetEmployment, GetEmploymentRequest, Employment,
                                 req.set_casegroup_id(target.casegroup_id))},
      {"GetCalculation", CMS_READ(payments, GetCalculation, GetCalculationRequest, Calculation,
                                  req.set_calculation_id(target.calculation_id))},
      {"GetApproval", CMS_READ(approvals, GetApproval, GetApprovalRequest, Approval,
                               req.set_id(target.approval_id))},
  };
  return *reads;
}

class ReadMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    t_ = TestServer::Start().release();
    // An ordinary GB casegroup in NEW_CASE, with a Disclosure (FU) SR on its
    // RP that the GB Deduction Order Team works.
    ordinary_ =
        MakeTarget(NewPerson("Ord", "SW1A 1AA"), NewPerson("Rp", "SW1A 2AA"), "cw.gb.new_case.a1");
    cms::v1::CreateServiceRequestRequest fu = SrRequest(ordinary_, "DISCLOSURE");
    cms::v1::Case k;
    cms::v1::GetCaseRequest get_case;
    get_case.set_id(ordinary_.case_id);
    ASSERT_RPC_OK(t_->casegroups().GetCase(t_->Context("cw.gb.new_case.a1").get(), get_case, &k));
    fu.set_subject_person_id(k.receiving_parent_id());
    (*fu.mutable_fields())["Disclosure Reason"] = "Arrears";
    cms::v1::CreateServiceRequestResponse out;
    ASSERT_RPC_OK(t_->service_requests().CreateServiceRequest(
        t_->Context("cw.gb.new_case.a1").get(), fu, &out));
    // A special client records casegroup (a nationally sensitive PP).
    special_ = MakeTarget(NewPerson("Scr", "SW1A 1AA", /*sensitive=*/true),
                          NewPerson("Rp2", "SW1A 2AA"), "cw.gb.special_client_records.a1");
  }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }

  static cms::v1::CreateServiceRequestRequest SrRequest(const Target& target,
                                                        const std::string& type) {
    cms::v1::CreateServiceRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_type_code(type);
    req.set_casegroup_id(target.casegroup_id);
    req.set_case_id(target.case_id);
    req.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    return req;
  }

  // An application made by `owner` (of the segment it routes to), with a
  // case-owning SR and a letter to the PP.
  static Target MakeTarget(const cms::v1::Person& pp, const cms::v1::Person& rp,
                           const std::string& owner) {
    Target target;
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(t_->Context(owner).get(),
                                                     ApplicationRequest(pp, rp), &app));
    target.casegroup_id = app.casegroup().id();
    target.case_id = app.case_().id();
    target.person_id = app.casegroup().paying_parent_id();
    cms::v1::CreateServiceRequestResponse sr;
    EXPECT_RPC_OK(t_->service_requests().CreateServiceRequest(
        t_->Context(owner).get(), SrRequest(target, "CHANGE_OF_ADDRESS"), &sr));
    target.sr_id = sr.service_request().id();
    cms::v1::IssueLetterRequest letter;
    letter.set_request_id(RandomRequestId());
    letter.set_template_code("CMSL0136");
    letter.set_case_id(target.case_id);
    letter.set_person_id(target.person_id);
    cms::v1::Letter issued;
    EXPECT_RPC_OK(t_->letters().IssueLetter(t_->Context(owner).get(), letter, &issued));
    target.letter_id = issued.id();
    // A step submitted for the team leader's approval (A6.1) and a recorded
    // calculation (M7.4), each through an IN_PROGRESS SR.
    cms::v1::CreateServiceRequestRequest mopf = SrRequest(target, "AMEND_EXISTING_MOPF");
    (*mopf.mutable_fields())["MOPF Action"] = "Cancel DEO";
    cms::v1::ServiceRequest amend = Started(mopf, owner);
    cms::v1::SubmitForApprovalRequest submit;
    submit.set_request_id(RandomRequestId());
    submit.set_service_request_id(amend.id());
    submit.set_etag(amend.etag());
    submit.set_step("Cancel the DEO");
    cms::v1::Approval approval;
    EXPECT_RPC_OK(t_->approvals().SubmitForApproval(t_->Context(owner).get(), submit, &approval));
    target.approval_id = approval.id();
    cms::v1::ServiceRequest calc = Started(SrRequest(target, "PERFORM_CALCULATION"), owner);
    cms::v1::RecordCalculationRequest record;
    record.set_request_id(RandomRequestId());
    record.set_case_id(target.case_id);
    record.set_service_request_id(calc.id());
    record.set_weekly_liability_pence(5000);
    record.set_ndr_pence(5000);
    record.set_net_earnings_pence(100000);
    cms::v1::Calculation calculation;
    EXPECT_RPC_OK(t_->payments().RecordCalculation(t_->Context(owner).get(), record, &calculation));
    target.calculation_id = calculation.id();
    return target;
  }

  static cms::v1::ServiceRequest Started(const cms::v1::CreateServiceRequestRequest& create,
                                         const std::string& owner) {
    cms::v1::CreateServiceRequestResponse created;
    EXPECT_RPC_OK(
        t_->service_requests().CreateServiceRequest(t_->Context(owner).get(), create, &created));
    cms::v1::ChangeServiceRequestStatusRequest start;
    start.set_request_id(RandomRequestId());
    start.set_id(created.service_request().id());
    start.set_etag(created.service_request().etag());
    start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
    cms::v1::ServiceRequest sr;
    EXPECT_RPC_OK(
        t_->service_requests().ChangeServiceRequestStatus(t_->Context(owner).get(), start, &sr));
    return sr;
  }

  // Checks every read of `target` as `staff`.
  static void Expect(const std::string& staff, const Target& target, bool allowed) {
    for (const auto& [name, read] : Reads()) {
      SCOPED_TRACE(absl::StrCat(staff, " ", name, allowed ? " (allowed)" : " (refused)"));
      grpc::Status s = read(*t_, t_->Context(staff).get(), target);
      if (allowed) {
        EXPECT_NE(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(s);
        EXPECT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::NOT_FOUND) << Describe(s);
      } else {
        EXPECT_TRUE(Refused(s, grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
        EXPECT_EQ(s.error_message().find("special client"), std::string::npos) << s.error_message();
      }
    }
  }

  static TestServer* t_;
  static Target ordinary_;
  static Target special_;
};

TestServer* ReadMatrixTest::t_ = nullptr;
Target ReadMatrixTest::ordinary_;
Target ReadMatrixTest::special_;

TEST_F(ReadMatrixTest, OwningSegmentStaffReadTheirCasegroup) {
  // X13.1: caseworkers, team leaders and segment managers of the owner.
  for (const char* staff :
       {"cw.gb.new_case.a1", "cw.gb.new_case.b1", "tl.gb.new_case.a", "sm.gb.new_case"}) {
    Expect(staff, ordinary_, true);
  }
}

TEST_F(ReadMatrixTest, OtherSegmentsReadNothingOfIt) {
  // X13.1: need to know; the same segment kind in the other country too.
  for (const char* staff : {"cw.gb.maintenance.a1", "tl.gb.maintenance.a", "sm.gb.maintenance",
                            "cw.ni.new_case.a1", "cw.gb.advice_and_guidance.a1"}) {
    Expect(staff, ordinary_, false);
  }
}

TEST_F(ReadMatrixTest, ASpecialistReadsThroughItsOpenFunctionallyUniqueSr) {
  // X13.1, SR5.7: the Deduction Order Team works a Disclosure on it.
  for (const char* staff : {"cw.gb.deduction_order_team.a1", "tl.gb.deduction_order_team.a",
                            "sm.gb.deduction_order_team"}) {
    Expect(staff, ordinary_, true);
  }
  // ...and the NI team of the same kind, which has no SR on it, does not.
  Expect("cw.ni.deduction_order_team.a1", ordinary_, false);
}

TEST_F(ReadMatrixTest, ServiceManagementAndAuditorsReadOrdinaryCasegroups) {
  Expect("svc.manager", ordinary_, true);
  Expect("qa.auditor", ordinary_, true);
}

TEST_F(ReadMatrixTest, SpecialClientRecordsOnlyForThatSegment) {
  // X13.1: that segment reads it...
  for (const char* staff : {"cw.gb.special_client_records.a1", "tl.gb.special_client_records.a",
                            "sm.gb.special_client_records"}) {
    Expect(staff, special_, true);
  }
  // ...and nobody else: not the other country's SCR, not a case segment,
  // not a specialist, not service management, not an auditor.
  for (const char* staff :
       {"cw.ni.special_client_records.a1", "cw.gb.new_case.a1", "tl.gb.new_case.a",
        "sm.gb.new_case", "cw.gb.deduction_order_team.a1", "svc.manager", "qa.auditor"}) {
    Expect(staff, special_, false);
  }
}

TEST_F(ReadMatrixTest, TheSpecialistsReadEndsWithItsSr) {
  // X13.1: read-only access lasts while the FU SR is open.
  Target t =
      MakeTarget(NewPerson("Tmp", "SW1A 1AA"), NewPerson("TmpRp", "SW1A 2AA"), "cw.gb.new_case.a1");
  cms::v1::CreateServiceRequestRequest fu = SrRequest(t, "DISCLOSURE");
  fu.set_subject_person_id(t.person_id);
  (*fu.mutable_fields())["Disclosure Reason"] = "Arrears";
  cms::v1::CreateServiceRequestResponse out;
  ASSERT_RPC_OK(t_->service_requests().CreateServiceRequest(t_->Context("cw.gb.new_case.a1").get(),
                                                            fu, &out));
  cms::v1::GetCasegroupRequest get;
  get.set_id(t.casegroup_id);
  cms::v1::Casegroup g;
  const std::string dot = "cw.gb.deduction_order_team.a1";
  ASSERT_RPC_OK(t_->casegroups().GetCasegroup(t_->Context(dot).get(), get, &g));

  cms::v1::ChangeServiceRequestStatusRequest cancel;
  cancel.set_request_id(RandomRequestId());
  cancel.set_id(out.service_request().id());
  cancel.set_etag(out.service_request().etag());
  cancel.set_status(cms::v1::SR_STATUS_CANCELLED);
  cms::v1::ServiceRequest cancelled;
  ASSERT_RPC_OK(t_->service_requests().ChangeServiceRequestStatus(t_->Context(dot).get(), cancel,
                                                                  &cancelled));
  EXPECT_TRUE(Refused(t_->casegroups().GetCasegroup(t_->Context(dot).get(), get, &g),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  // The SR it worked stays readable to it.
  cms::v1::GetServiceRequestRequest get_sr;
  get_sr.set_id(out.service_request().id());
  cms::v1::ServiceRequest sr;
  EXPECT_RPC_OK(t_->service_requests().GetServiceRequest(t_->Context(dot).get(), get_sr, &sr));
}

}  // namespace
}  // namespace cms::testing
