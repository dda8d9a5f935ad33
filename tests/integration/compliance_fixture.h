// The Segment 5 integration tests' fixture: a server and database per
// test on the business clock, a legacy CSA case scripted through
// AdminService, an application naming it, and reads and steps of the
// offer and trial (compliance_test.cc, compliance_outcome_test.cc).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {

using cms::v1::ComplianceOpportunity;
using google::protobuf::util::TimeUtil;

inline constexpr char kSvc[] = "svc.manager";
inline constexpr char kEmployer[] = "Acme Widgets Ltd";

struct Trial {
  bool employed = true;
  bool self_employed = false;
  bool with_employer = true;
  bool on_benefit = false;
  cms::v1::LegacySystem system = cms::v1::LEGACY_SYSTEM_CSCS;
  std::string method_of_collection = "DEO";
  cms::v1::ServiceType rp_type = cms::v1::SERVICE_TYPE_COLLECT_AND_PAY;
  bool script_legacy = true;  // the legacy system holds the case
};

class ComplianceTest : public ::testing::Test {
 protected:
  // Each test on its own server and database at 12:00 on Monday 4 January
  // 2027 (London is on UTC then).
  void SetUp() override {
    t_ = TestServer::Start();
    SetBusinessClock(*t_, absl::CivilSecond(2027, 1, 4, 12, 0, 0));
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff) { return t_->Context(staff); }
  std::unique_ptr<grpc::ClientContext> Cw() { return t_->Context(cw_); }

  void Advance(int days) { AdvanceDays(*t_, days); }

  bool Settled() { return TimersSettled(*t_); }

  cms::v1::Person Pp(const Trial& s) {
    cms::v1::Person pp = NewPerson("Pam", "SW1A 1AA");
    if (s.employed) {
      pp.set_employment_status(cms::v1::EMPLOYMENT_STATUS_EMPLOYED);
      if (s.with_employer) pp.add_employers()->set_name(kEmployer);
    }
    if (s.self_employed) pp.set_employment_status(cms::v1::EMPLOYMENT_STATUS_SELF_EMPLOYED);
    pp.set_on_benefit(s.on_benefit);
    return pp;
  }

  // The legacy system holds `reference` as an enforced DEO case ending
  // liability on 1 March 2027 (unless told otherwise).
  void ScriptLegacy(const std::string& reference, const Trial& s) {
    cms::v1::SetLegacyCsaCaseRequest req;
    auto* r = req.mutable_record();
    r->set_system(s.system);
    r->set_legacy_case_reference(reference);
    r->set_method_of_collection(s.method_of_collection);
    r->set_deo_kind(cms::v1::LEGACY_DEO_KIND_ENFORCED);
    r->mutable_t_date()->set_year(2027);
    r->mutable_t_date()->set_month(3);
    r->mutable_t_date()->set_day(1);
    cms::v1::LegacyCsaCase out;
    ASSERT_RPC_OK(t_->admin().SetLegacyCsaCase(Ctx(kSvc).get(), req, &out));
  }

  // An application naming a legacy case; the application itself carries
  // only the link (system and reference), as an intake would.
  cms::v1::Application Apply(const Trial& s, cms::v1::Person pp) {
    const std::string reference = absl::StrCat("L", RandomNino());
    if (s.script_legacy) ScriptLegacy(reference, s);
    auto req = ApplicationRequest(pp, NewPerson("Ray", "SW1A 2AA"));
    req.set_rp_requested_service_type(s.rp_type);
    req.mutable_legacy()->set_system(s.system);
    req.mutable_legacy()->set_legacy_case_reference(reference);
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(Ctx("cw.gb.new_case.a1").get(), req, &app));
    cw_ = CaseworkerOfOwner(*t_, app.casegroup().id());
    return app;
  }
  cms::v1::Application Apply(const Trial& s = {}) { return Apply(s, Pp(s)); }

  ComplianceOpportunity Opp(int64_t case_id) {
    cms::v1::GetComplianceOpportunityRequest req;
    req.set_case_id(case_id);
    ComplianceOpportunity out;
    EXPECT_RPC_OK(t_->compliance().GetComplianceOpportunity(Ctx(kSvc).get(), req, &out));
    return out;
  }

  cms::v1::ServiceRequest Sr(int64_t id) {
    cms::v1::GetServiceRequestRequest req;
    req.set_id(id);
    cms::v1::ServiceRequest out;
    EXPECT_RPC_OK(t_->service_requests().GetServiceRequest(Ctx(kSvc).get(), req, &out));
    return out;
  }

  std::vector<cms::v1::ServiceRequest> SrsOfType(int64_t casegroup_id, const std::string& type) {
    cms::v1::ListServiceRequestsRequest req;
    req.set_casegroup_id(casegroup_id);
    req.set_include_closed(true);
    cms::v1::ListServiceRequestsResponse out;
    EXPECT_RPC_OK(t_->service_requests().ListServiceRequests(Ctx(kSvc).get(), req, &out));
    std::vector<cms::v1::ServiceRequest> found;
    for (const auto& sr : out.service_requests()) {
      if (sr.type_code() == type) found.push_back(sr);
    }
    return found;
  }

  grpc::Status Decide(const ComplianceOpportunity& opp, cms::v1::OfferDecision decision,
                      const std::string& reason, ComplianceOpportunity* out,
                      const std::string& request_id = RandomRequestId(), bool no_dd = false,
                      const std::string& staff = "") {
    cms::v1::DecideOfferRequest req;
    req.set_request_id(request_id);
    req.set_opportunity_id(opp.id());
    req.set_etag(opp.etag());
    req.set_decision(decision);
    req.set_reason(reason);
    req.set_cannot_set_up_direct_debit(no_dd);
    return t_->compliance().DecideOffer(Ctx(staff.empty() ? cw_ : staff).get(), req, out);
  }

  cms::v1::Letter IssueProvisionalCalculation(int64_t case_id) {
    cms::v1::GetCaseRequest get;
    get.set_id(case_id);
    cms::v1::Case k;
    EXPECT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
    cms::v1::IssueLetterRequest req;
    req.set_request_id(RandomRequestId());
    req.set_template_code("PROVISIONAL_CALCULATION");
    req.set_case_id(case_id);
    req.set_person_id(k.paying_parent_id());
    cms::v1::Letter letter;
    EXPECT_RPC_OK(t_->letters().IssueLetter(Cw().get(), req, &letter));
    return letter;
  }

  cms::v1::Mopf MopfOf(int64_t casegroup_id) {
    cms::v1::GetMopfRequest req;
    req.set_casegroup_id(casegroup_id);
    cms::v1::Mopf out;
    EXPECT_RPC_OK(t_->payments().GetMopf(Ctx(kSvc).get(), req, &out));
    return out;
  }

  cms::v1::Employment EmploymentOf(int64_t casegroup_id) {
    cms::v1::GetEmploymentRequest req;
    req.set_casegroup_id(casegroup_id);
    cms::v1::Employment out;
    EXPECT_RPC_OK(t_->payments().GetEmployment(Ctx(kSvc).get(), req, &out));
    return out;
  }

  std::vector<std::string> LettersOf(int64_t case_id) {
    cms::v1::ListInteractionsRequest req;
    req.set_case_id(case_id);
    cms::v1::ListInteractionsResponse out;
    EXPECT_RPC_OK(t_->letters().ListInteractions(Ctx(kSvc).get(), req, &out));
    std::vector<std::string> codes;
    for (const auto& i : out.interactions()) {
      if (!i.template_code().empty()) codes.push_back(i.template_code());
    }
    return codes;
  }

  // The charges on the PP's statement, as "kind amount".
  std::vector<std::string> ChargesOf(int64_t case_id) {
    cms::v1::GetStatementRequest req;
    req.set_case_id(case_id);
    cms::v1::Statement out;
    EXPECT_RPC_OK(t_->payments().GetStatement(Ctx(kSvc).get(), req, &out));
    std::vector<std::string> charges;
    for (const auto& l : out.lines()) {
      if (l.kind() == cms::v1::STATEMENT_LINE_KIND_CHARGE) {
        charges.push_back(absl::StrCat(l.description(), " ", l.debit_pence()));
      }
    }
    return charges;
  }

  // A monthly schedule of £50 a week from `first`, by the caseworker who
  // owns the case; issuing it moves the case on, so the owner is read again.
  cms::v1::Schedule GenerateMonthly(int64_t case_id, absl::CivilDay first) {
    cms::v1::GenerateScheduleRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(case_id);
    req.set_weekly_liability_pence(5000);
    req.set_frequency(cms::v1::FREQUENCY_MONTHLY);
    req.mutable_first_collection_date()->set_year(static_cast<int32_t>(first.year()));
    req.mutable_first_collection_date()->set_month(first.month());
    req.mutable_first_collection_date()->set_day(first.day());
    cms::v1::Schedule out;
    EXPECT_RPC_OK(t_->payments().GenerateSchedule(Cw().get(), req, &out));
    return out;
  }

  // Pays every DD item due before `end` on its due date (item `late_item`,
  // counting DD items from 0, three days late), recorded now, backdated.
  void PayDirectDebits(int64_t case_id, const cms::v1::Schedule& s, absl::CivilDay end,
                       int late_item) {
    int n = 0;
    for (const auto& i : s.items()) {
      const absl::CivilDay due(i.due_date().year(), i.due_date().month(), i.due_date().day());
      if (i.expected_method() != cms::v1::PAYMENT_METHOD_DD || due >= end) continue;
      const absl::CivilDay paid = n++ == late_item ? due + 3 : due;
      cms::v1::RecordPaymentRequest req;
      req.set_request_id(RandomRequestId());
      req.set_case_id(case_id);
      req.set_amount_pence(i.expected_pence());
      req.set_method(cms::v1::PAYMENT_METHOD_DD);
      req.mutable_received_date()->set_year(static_cast<int32_t>(paid.year()));
      req.mutable_received_date()->set_month(paid.month());
      req.mutable_received_date()->set_day(paid.day());
      cms::v1::Payment out;
      EXPECT_RPC_OK(t_->payments().RecordPayment(
          t_->Context(CaseworkerOfOwner(*t_, CasegroupOf(case_id))).get(), req, &out));
    }
  }

  // The PP of `app` changed by `change`, through UpdatePerson by the owner.
  void UpdatePp(const cms::v1::Application& app,
                const std::function<void(cms::v1::Person&)>& change) {
    cms::v1::GetPersonRequest get;
    get.set_id(app.case_().paying_parent_id());
    cms::v1::Person pp;
    ASSERT_RPC_OK(t_->casegroups().GetPerson(Ctx(kSvc).get(), get, &pp));
    cms::v1::UpdatePersonRequest update;
    update.set_request_id(RandomRequestId());
    *update.mutable_person() = pp;
    change(*update.mutable_person());
    ASSERT_RPC_OK(t_->casegroups().UpdatePerson(Cw().get(), update, &pp));
  }

  int64_t CasegroupSegment(int64_t casegroup_id) {
    cms::v1::GetCasegroupRequest req;
    req.set_id(casegroup_id);
    cms::v1::Casegroup g;
    EXPECT_RPC_OK(t_->casegroups().GetCasegroup(Ctx(kSvc).get(), req, &g));
    return g.owning_segment_id();
  }

  int64_t CasegroupOf(int64_t case_id) {
    cms::v1::GetCaseRequest req;
    req.set_id(case_id);
    cms::v1::Case k;
    EXPECT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), req, &k));
    return k.casegroup_id();
  }

  std::unique_ptr<TestServer> t_;
  std::string cw_ = "cw.gb.new_case.a1";
};

}  // namespace cms::testing
