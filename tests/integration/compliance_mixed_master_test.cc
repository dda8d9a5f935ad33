// S5.14 over a real database and a real server: a paying parent with one
// case under an accepted Segment 5 trial and another case that is not (a
// mixed master case). A new schedule for either is held for manual
// allocation review (a held state, HELD items and a Manual Allocation
// Review SR raised by rule), is neither collected nor monitored by the
// daily missed-payment job while held, and comes into force on release,
// which closes the SR; a PP whose cases are all (or none) under the
// opportunity gets its schedule as before. The refusals name S5.14.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::ComplianceOpportunity;
using cms::v1::Schedule;
using ::testing::HasSubstr;

constexpr char kSvc[] = "svc.manager";
constexpr char kEmployer[] = "Acme Widgets Ltd";

cms::v1::Date D(absl::CivilDay d) {
  cms::v1::Date out;
  out.set_year(static_cast<int32_t>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

class MixedMasterCaseTest : public ::testing::Test {
 protected:
  // Each test on its own server and database at 12:00 on Monday 4 January
  // 2027; the legacy cases end liability (T-date) on 1 March 2027.
  void SetUp() override {
    t_ = TestServer::Start();
    SetBusinessClock(*t_, absl::CivilSecond(2027, 1, 4, 12, 0, 0));
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff = kSvc) {
    return t_->Context(staff);
  }
  // The caseworker of the segment that owns the case's casegroup now.
  std::unique_ptr<grpc::ClientContext> Owner(int64_t casegroup_id) {
    return t_->Context(CaseworkerOfOwner(*t_, casegroup_id));
  }

  // An employed paying parent with a known employer.
  static cms::v1::Person Pp() {
    cms::v1::Person pp = NewPerson("Pam", "SW1A 1AA");
    pp.set_employment_status(cms::v1::EMPLOYMENT_STATUS_EMPLOYED);
    pp.add_employers()->set_name(kEmployer);
    return pp;
  }

  // An application for `pp_id` (0: a new PP, `pp`) with a new RP; with
  // `legacy`, linked to an enforced-DEO legacy CSA case the legacy system
  // holds, so the case gets a compliance opportunity (offered: the RP asks
  // for collect and pay). Without, a separate application and no
  // opportunity.
  // A second application for a PP is made by the caseworker who owns the
  // PP's casegroup now (`casegroup_id`), who may see the PP.
  cms::v1::Application Apply(const cms::v1::Person& pp, int64_t pp_id, bool legacy,
                             int64_t casegroup_id = 0) {
    auto req = ApplicationRequest(pp, NewPerson("Ray", "SW1A 2AA"));
    if (pp_id != 0) req.mutable_paying_parent()->set_person_id(pp_id);
    if (legacy) {
      const std::string reference = absl::StrCat("L", RandomNino());
      cms::v1::SetLegacyCsaCaseRequest script;
      auto* r = script.mutable_record();
      r->set_system(cms::v1::LEGACY_SYSTEM_CSCS);
      r->set_legacy_case_reference(reference);
      r->set_method_of_collection("DEO");
      r->set_deo_kind(cms::v1::LEGACY_DEO_KIND_ENFORCED);
      *r->mutable_t_date() = D(absl::CivilDay(2027, 3, 1));
      cms::v1::LegacyCsaCase scripted;
      EXPECT_RPC_OK(t_->admin().SetLegacyCsaCase(Ctx().get(), script, &scripted));
      req.mutable_legacy()->set_system(cms::v1::LEGACY_SYSTEM_CSCS);
      req.mutable_legacy()->set_legacy_case_reference(reference);
    }
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(
        (casegroup_id != 0 ? Owner(casegroup_id) : Ctx("cw.gb.new_case.a1")).get(), req, &app));
    return app;
  }

  ComplianceOpportunity Opp(int64_t case_id) {
    cms::v1::GetComplianceOpportunityRequest req;
    req.set_case_id(case_id);
    ComplianceOpportunity out;
    EXPECT_RPC_OK(t_->compliance().GetComplianceOpportunity(Ctx().get(), req, &out));
    return out;
  }

  // The PP's decision on the case's offer, by the owner's caseworker.
  ComplianceOpportunity Decide(const cms::v1::Application& app, cms::v1::OfferDecision decision) {
    ComplianceOpportunity opp = Opp(app.case_().id());
    EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OFFERED);
    cms::v1::DecideOfferRequest req;
    req.set_request_id(RandomRequestId());
    req.set_opportunity_id(opp.id());
    req.set_etag(opp.etag());
    req.set_decision(decision);
    if (decision != cms::v1::OFFER_DECISION_ACCEPTED) req.set_reason("PP prefers the DEO");
    EXPECT_RPC_OK(t_->compliance().DecideOffer(Owner(app.casegroup().id()).get(), req, &opp));
    return opp;
  }

  grpc::Status Generate(int64_t case_id, int64_t casegroup_id, absl::CivilDay first,
                        Schedule* out) {
    cms::v1::GenerateScheduleRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(case_id);
    req.set_weekly_liability_pence(5000);
    req.set_frequency(cms::v1::FREQUENCY_MONTHLY);
    *req.mutable_first_collection_date() = D(first);
    return t_->payments().GenerateSchedule(Owner(casegroup_id).get(), req, out);
  }

  grpc::Status Release(int64_t schedule_id, int64_t casegroup_id, const std::string& note,
                       Schedule* out, const std::string& request_id = RandomRequestId()) {
    cms::v1::ReleaseScheduleRequest req;
    req.set_request_id(request_id);
    req.set_schedule_id(schedule_id);
    req.set_note(note);
    return t_->payments().ReleaseSchedule(Owner(casegroup_id).get(), req, out);
  }

  Schedule ScheduleById(int64_t id) {
    cms::v1::GetScheduleRequest req;
    req.set_schedule_id(id);
    Schedule out;
    EXPECT_RPC_OK(t_->payments().GetSchedule(Ctx().get(), req, &out));
    return out;
  }

  cms::v1::ServiceRequest Sr(int64_t id) {
    cms::v1::GetServiceRequestRequest req;
    req.set_id(id);
    cms::v1::ServiceRequest out;
    EXPECT_RPC_OK(t_->service_requests().GetServiceRequest(Ctx().get(), req, &out));
    return out;
  }

  std::vector<cms::v1::ServiceRequest> ReviewSrs(int64_t casegroup_id) {
    cms::v1::ListServiceRequestsRequest req;
    req.set_casegroup_id(casegroup_id);
    req.set_include_closed(true);
    cms::v1::ListServiceRequestsResponse out;
    EXPECT_RPC_OK(t_->service_requests().ListServiceRequests(Ctx().get(), req, &out));
    std::vector<cms::v1::ServiceRequest> found;
    for (const auto& sr : out.service_requests()) {
      if (sr.type_code() == "MANUAL_ALLOCATION_REVIEW") found.push_back(sr);
    }
    return found;
  }

  int MissedEvents(int64_t case_id) {
    cms::v1::ListMissedPaymentEventsRequest req;
    req.set_case_id(case_id);
    cms::v1::ListMissedPaymentEventsResponse out;
    EXPECT_RPC_OK(t_->payments().ListMissedPaymentEvents(Ctx().get(), req, &out));
    return out.events_size();
  }

  cms::v1::Arrears ArrearsOf(int64_t case_id) {
    cms::v1::GetArrearsRequest req;
    req.set_case_id(case_id);
    cms::v1::Arrears out;
    EXPECT_RPC_OK(t_->payments().GetArrears(Ctx().get(), req, &out));
    return out;
  }

  static void ExpectEveryItem(const Schedule& s, cms::v1::ItemStatus status) {
    ASSERT_GT(s.items_size(), 0);
    for (const auto& i : s.items()) {
      EXPECT_EQ(i.status(), status) << "item " << i.sequence() << " of schedule " << s.id();
    }
  }

  std::unique_ptr<TestServer> t_;
};

// S5.14: case A in a running trial, case B a separate application without
// one. B's new schedule is held; the daily job ignores it; a release after
// its first collection passed is refused; a new schedule replaces the held
// one (its SR closes "Schedule Replaced"); the release brings the new one
// into force and closes its SR; a second release is refused.
TEST_F(MixedMasterCaseTest, S5_14_TheOtherCasesScheduleIsHeldIgnoredThenReleased) {
  const cms::v1::Person pp = Pp();
  const cms::v1::Application trial = Apply(pp, 0, /*legacy=*/true);
  Decide(trial, cms::v1::OFFER_DECISION_ACCEPTED);  // 50% DEO + 50% DD
  Schedule trial_schedule;
  ASSERT_RPC_OK(Generate(trial.case_().id(), trial.casegroup().id(), absl::CivilDay(2027, 1, 11),
                         &trial_schedule));
  EXPECT_EQ(trial_schedule.state(), cms::v1::SCHEDULE_STATE_CURRENT) << "one case: not mixed";
  EXPECT_EQ(Opp(trial.case_().id()).start_date().day(), 11);

  const cms::v1::Application other =
      Apply(pp, trial.case_().paying_parent_id(), false, trial.casegroup().id());
  ASSERT_EQ(other.casegroup().id(), trial.casegroup().id());
  const int64_t group = other.casegroup().id();
  const int64_t b = other.case_().id();

  Schedule held;
  ASSERT_RPC_OK(Generate(b, group, absl::CivilDay(2027, 1, 18), &held));
  EXPECT_EQ(held.state(), cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW);
  ExpectEveryItem(held, cms::v1::ITEM_STATUS_HELD);
  EXPECT_THAT(held.hold_reason(), HasSubstr("S5.14"));
  EXPECT_THAT(held.hold_reason(),
              HasSubstr(absl::StrCat("case ", trial.case_().id(), " (ACCEPTED, trial to ")));
  EXPECT_THAT(held.hold_reason(),
              HasSubstr(absl::StrCat("case ", b, " (no compliance opportunity")));
  ASSERT_NE(held.review_service_request_id(), 0);
  const cms::v1::ServiceRequest review = Sr(held.review_service_request_id());
  EXPECT_EQ(review.type_code(), "MANUAL_ALLOCATION_REVIEW");
  EXPECT_EQ(review.created_by_rule(), "S5.14");
  EXPECT_EQ(review.source(), cms::v1::SR_SOURCE_INTERNAL_SYSTEM);
  EXPECT_EQ(review.case_id(), b);
  EXPECT_EQ(review.status(), cms::v1::SR_STATUS_OPEN);
  EXPECT_EQ(review.fields().at("Schedule"), absl::StrCat(held.id()));
  // The review does not end by hand while the schedule is held.
  cms::v1::ChangeServiceRequestStatusRequest cancel;
  cancel.set_request_id(RandomRequestId());
  cancel.set_id(review.id());
  cancel.set_etag(review.etag());
  cancel.set_status(cms::v1::SR_STATUS_CANCELLED);
  cms::v1::ServiceRequest cancelled;
  EXPECT_TRUE(
      Refused(t_->service_requests().ChangeServiceRequestStatus(
                  Ctx(CaseworkerOfOwner(*t_, review.casegroup_id())).get(), cancel, &cancelled),
              grpc::StatusCode::FAILED_PRECONDITION, "S5.14", "RULE_VIOLATION"));
  EXPECT_EQ(Sr(review.id()).status(), cms::v1::SR_STATUS_OPEN);

  // Not the case's schedule yet: GetSchedule by case finds none; by id it
  // is there, held.
  cms::v1::GetScheduleRequest by_case;
  by_case.set_case_id(b);
  Schedule none;
  EXPECT_TRUE(Refused(t_->payments().GetSchedule(Ctx().get(), by_case, &none),
                      grpc::StatusCode::NOT_FOUND, "", "NOT_FOUND"));
  EXPECT_EQ(ScheduleById(held.id()).state(), cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW);

  // A month on: the trial case's items were due (and missed), the held
  // ones were not collected, marked or counted.
  AdvanceDays(*t_, 30);  // 3 February
  EXPECT_EQ(MissedEvents(b), 0);
  EXPECT_EQ(ArrearsOf(b).balance_pence(), 0);
  ExpectEveryItem(ScheduleById(held.id()), cms::v1::ITEM_STATUS_HELD);
  EXPECT_GT(MissedEvents(trial.case_().id()), 0) << "the job did run";

  // Its first collection passed while it was held: generate it again.
  Schedule out;
  EXPECT_TRUE(Refused(Release(held.id(), group, "AAC: no manual allocation needed", &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S5.14", "RULE_VIOLATION"));
  Schedule again;
  ASSERT_RPC_OK(Generate(b, group, absl::CivilDay(2027, 2, 10), &again));
  EXPECT_EQ(again.state(), cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW);
  const Schedule replaced = ScheduleById(held.id());
  EXPECT_EQ(replaced.state(), cms::v1::SCHEDULE_STATE_SUPERSEDED);
  ExpectEveryItem(replaced, cms::v1::ITEM_STATUS_SUPERSEDED);
  EXPECT_EQ(Sr(held.review_service_request_id()).status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(Sr(held.review_service_request_id()).resolution_code(), "Schedule Replaced");
  ASSERT_NE(again.review_service_request_id(), held.review_service_request_id());
  EXPECT_EQ(ReviewSrs(group).size(), 2u);

  // The release: in force as a generated schedule, its SR closed.
  const std::string request_id = RandomRequestId();
  Schedule released;
  ASSERT_RPC_OK(
      Release(again.id(), group, "AAC: no manual allocation needed", &released, request_id));
  EXPECT_EQ(released.id(), again.id());
  EXPECT_EQ(released.state(), cms::v1::SCHEDULE_STATE_CURRENT);
  ExpectEveryItem(released, cms::v1::ITEM_STATUS_PENDING);
  EXPECT_FALSE(released.released_by().empty());
  EXPECT_EQ(released.release_note(), "AAC: no manual allocation needed");
  EXPECT_TRUE(released.has_release_time());
  const cms::v1::ServiceRequest closed = Sr(again.review_service_request_id());
  EXPECT_EQ(closed.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(closed.resolution_code(), "Schedule Released");
  cms::v1::GetScheduleRequest current;
  current.set_case_id(b);
  Schedule now;
  ASSERT_RPC_OK(t_->payments().GetSchedule(Ctx().get(), current, &now));
  EXPECT_EQ(now.id(), again.id());
  // A retry with the same request id returns the first answer.
  Schedule replay;
  ASSERT_RPC_OK(
      Release(again.id(), group, "AAC: no manual allocation needed", &replay, request_id));
  EXPECT_EQ(replay.state(), cms::v1::SCHEDULE_STATE_CURRENT);

  // Released, it is collected and monitored: its first item missed is seen.
  AdvanceDays(*t_, 8);  // 11 February
  EXPECT_GT(MissedEvents(b), 0);

  // A schedule that is not held is not released.
  const grpc::Status twice = Release(again.id(), group, "again", &out);
  EXPECT_TRUE(Refused(twice, grpc::StatusCode::FAILED_PRECONDITION, "S5.14", "RULE_VIOLATION"));
  EXPECT_THAT(twice.error_message(), HasSubstr("not held"));
  EXPECT_TRUE(Refused(Release(trial_schedule.id(), group, "no", &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S5.14", "RULE_VIOLATION"));
}

// S5.14: the trial case's own new schedule is held too while the PP has
// another case outside the opportunity; the procedure hears of it only on
// release (the trial's start date is set then).
TEST_F(MixedMasterCaseTest, S5_14_TheTrialCasesOwnScheduleStartsTheTrialOnlyOnRelease) {
  const cms::v1::Person pp = Pp();
  const cms::v1::Application trial = Apply(pp, 0, /*legacy=*/true);
  const cms::v1::Application other = Apply(pp, trial.case_().paying_parent_id(), false);
  Decide(trial, cms::v1::OFFER_DECISION_ACCEPTED);
  Schedule held;
  ASSERT_RPC_OK(
      Generate(trial.case_().id(), trial.casegroup().id(), absl::CivilDay(2027, 1, 11), &held));
  EXPECT_EQ(held.state(), cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW);
  EXPECT_THAT(held.hold_reason(), HasSubstr(absl::StrCat("case ", other.case_().id())));
  EXPECT_EQ(Opp(trial.case_().id()).start_date().year(), 0) << "no ScheduleGenerated while held";
  Schedule released;
  ASSERT_RPC_OK(Release(held.id(), trial.casegroup().id(), "AAC: allocate by hand", &released));
  EXPECT_EQ(released.state(), cms::v1::SCHEDULE_STATE_CURRENT);
  const ComplianceOpportunity opp = Opp(trial.case_().id());
  EXPECT_EQ(opp.start_date().month(), 1);
  EXPECT_EQ(opp.start_date().day(), 11);
  EXPECT_EQ(opp.end_date().month(), 7);
}

// S5.14: every case under the opportunity, or none: the schedule is made as
// before, with no review SR.
TEST_F(MixedMasterCaseTest, S5_14_AllOrNoneUnderTheOpportunityIsNotMixed) {
  {
    const cms::v1::Person pp = Pp();
    const cms::v1::Application first = Apply(pp, 0, /*legacy=*/true);
    const cms::v1::Application second = Apply(pp, first.case_().paying_parent_id(), true);
    Decide(first, cms::v1::OFFER_DECISION_ACCEPTED);
    Decide(second, cms::v1::OFFER_DECISION_ACCEPTED);
    Schedule s;
    ASSERT_RPC_OK(
        Generate(second.case_().id(), second.casegroup().id(), absl::CivilDay(2027, 1, 11), &s));
    EXPECT_EQ(s.state(), cms::v1::SCHEDULE_STATE_CURRENT) << "all under";
    ExpectEveryItem(s, cms::v1::ITEM_STATUS_PENDING);
    EXPECT_EQ(s.review_service_request_id(), 0);
    EXPECT_TRUE(s.hold_reason().empty());
    EXPECT_TRUE(ReviewSrs(second.casegroup().id()).empty());
  }
  {
    const cms::v1::Person pp = Pp();
    const cms::v1::Application declined = Apply(pp, 0, /*legacy=*/true);
    const cms::v1::Application other = Apply(pp, declined.case_().paying_parent_id(), false);
    Decide(declined, cms::v1::OFFER_DECISION_DECLINED);  // BAU: a self-selected DEO
    Schedule s;
    ASSERT_RPC_OK(
        Generate(other.case_().id(), other.casegroup().id(), absl::CivilDay(2027, 1, 11), &s));
    EXPECT_EQ(s.state(), cms::v1::SCHEDULE_STATE_CURRENT) << "none under";
    EXPECT_TRUE(ReviewSrs(other.casegroup().id()).empty());
  }
}

TEST_F(MixedMasterCaseTest, S5_14_BadInputNamesTheField) {
  Schedule out;
  cms::v1::ReleaseScheduleRequest bad;
  bad.set_request_id(RandomRequestId());
  EXPECT_TRUE(Refused(t_->payments().ReleaseSchedule(Ctx("cw.gb.new_case.a1").get(), bad, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "S5.14", "INVALID_FIELDS",
                      {"schedule_id", "note"}));
  bad.set_schedule_id(1);
  bad.set_note(std::string(1001, 'x'));
  EXPECT_TRUE(Refused(t_->payments().ReleaseSchedule(Ctx("cw.gb.new_case.a1").get(), bad, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "S5.14", "INVALID_FIELDS", {"note"}));
  bad.set_note("reviewed");
  bad.set_schedule_id(987654321);
  EXPECT_TRUE(Refused(t_->payments().ReleaseSchedule(Ctx("cw.gb.new_case.a1").get(), bad, &out),
                      grpc::StatusCode::NOT_FOUND, "", "NOT_FOUND"));
  cms::v1::GetScheduleRequest both;
  both.set_case_id(1);
  both.set_schedule_id(1);
  EXPECT_TRUE(Refused(t_->payments().GetSchedule(Ctx().get(), both, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"schedule_id"}));
}

}  // namespace
}  // namespace cms::testing
