// AssuranceService over a real server and database on the business clock
// (AG11.2; issue 16): seeded samples that come out the same whoever draws
// them and after a restart (and exactly as domain::SampleHash predicts the
// database's choice), targets that return only matching work, size and
// rate bounds, business decisions recorded where they are made, checks
// that are immutable (a second check and a check of an unsampled item
// refused, a correction superseding), feedback and corrective actions to
// the caseworker, the team leader's coaching view, and who may do what.
// Refusals change nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/domain/sampling.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::AssuranceCheck;
using cms::v1::AssuranceSample;
using cms::v1::ServiceRequest;
using google::protobuf::util::TimeUtil;

constexpr char kCwA[] = "cw.gb.new_case.a1";  // team A of GB New Case
constexpr char kCwA2[] = "cw.gb.new_case.a2";
constexpr char kCwB[] = "cw.gb.new_case.b1";  // team B
constexpr char kTlA[] = "tl.gb.new_case.a";
constexpr char kTlB[] = "tl.gb.new_case.b";
constexpr char kQa[] = "cw.gb.quality_and_assurance.a1";
constexpr char kQaTl[] = "tl.gb.quality_and_assurance.a";
constexpr char kNiQa[] = "cw.ni.quality_and_assurance.a1";
constexpr char kMaintenance[] = "cw.gb.maintenance.a1";
constexpr char kSvc[] = "svc.manager";
constexpr char kAuditor[] = "qa.auditor";

constexpr auto kSr = cms::v1::ASSURANCE_ITEM_KIND_SERVICE_REQUEST;
constexpr auto kActivity = cms::v1::ASSURANCE_ITEM_KIND_ACTIVITY;
constexpr auto kDecision = cms::v1::ASSURANCE_ITEM_KIND_DECISION;

// An item as (kind, id).
using ItemKey = std::pair<int, int64_t>;

std::set<ItemKey> KeysOf(const AssuranceSample& s) {
  std::set<ItemKey> out;
  for (const auto& i : s.items()) out.insert({i.kind(), i.item_id()});
  return out;
}

std::vector<int64_t> IdsInOrder(const AssuranceSample& s) {
  std::vector<int64_t> out;
  for (const auto& i : s.items()) out.push_back(i.item_id());
  return out;
}

class AssuranceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = TestServer::Start();
    // Monday 1 March 2027, 10:00: the period is that day.
    SetBusinessClock(*t_, absl::CivilSecond(2027, 3, 1, 10, 0, 0));
  }

  static cms::v1::AssurancePeriod Day(absl::CivilDay day) {
    cms::v1::AssurancePeriod p;
    *p.mutable_start_time() = TimeUtil::SecondsToTimestamp(
        absl::ToUnixSeconds(absl::FromCivil(day, absl::UTCTimeZone())));
    *p.mutable_end_time() = TimeUtil::SecondsToTimestamp(
        absl::ToUnixSeconds(absl::FromCivil(day + 1, absl::UTCTimeZone())));
    return p;
  }
  static cms::v1::AssurancePeriod Today() { return Day(absl::CivilDay(2027, 3, 1)); }

  cms::v1::Application Apply(const std::string& staff = kCwA,
                             const std::string& postcode = "SW1A 1AA") {
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(
        t_->Context(staff).get(),
        ApplicationRequest(NewPerson("Pat", postcode), NewPerson("Rae", postcode)), &app));
    return app;
  }

  ServiceRequest NewSr(const cms::v1::Application& app, const std::string& type,
                       const std::string& staff = kCwA,
                       const std::map<std::string, std::string>& fields = {},
                       int64_t subject_person_id = 0) {
    cms::v1::CreateServiceRequestRequest req;
    req.set_subject_person_id(subject_person_id);
    req.set_request_id(RandomRequestId());
    req.set_type_code(type);
    req.set_casegroup_id(app.casegroup().id());
    req.set_case_id(app.case_().id());
    req.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    for (const auto& [k, v] : fields) (*req.mutable_fields())[k] = v;
    cms::v1::CreateServiceRequestResponse out;
    EXPECT_RPC_OK(t_->service_requests().CreateServiceRequest(t_->Context(staff).get(), req, &out));
    return out.service_request();
  }

  grpc::Status Move(ServiceRequest& sr, cms::v1::SrStatus to, const std::string& staff,
                    const std::string& resolution = "") {
    cms::v1::ChangeServiceRequestStatusRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(sr.id());
    req.set_etag(sr.etag());
    req.set_status(to);
    req.set_resolution_code(resolution);
    ServiceRequest out;
    grpc::Status s =
        t_->service_requests().ChangeServiceRequestStatus(t_->Context(staff).get(), req, &out);
    if (s.ok()) sr = out;
    return s;
  }

  // A CHANGE_OF_ADDRESS worked to its close: two activities completed and
  // an SR resolution, all by `staff`.
  ServiceRequest CloseChangeOfAddress(const cms::v1::Application& app,
                                      const std::string& staff = kCwA) {
    ServiceRequest sr = NewSr(app, "CHANGE_OF_ADDRESS", staff);
    EXPECT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS, staff));
    const ServiceRequest started = sr;
    for (const auto& a : started.activities()) {
      cms::v1::UpdateActivityRequest done;
      done.set_request_id(RandomRequestId());
      done.set_service_request_id(sr.id());
      done.set_etag(sr.etag());
      done.set_activity_id(a.id());
      done.set_status(cms::v1::ACTIVITY_STATUS_DONE);
      EXPECT_RPC_OK(t_->service_requests().UpdateActivity(t_->Context(staff).get(), done, &sr));
    }
    EXPECT_RPC_OK(Move(sr, cms::v1::SR_STATUS_CLOSED, staff, "Address Updated"));
    return sr;
  }

  cms::v1::DrawAssuranceSampleRequest Draw(const std::string& seed,
                                           std::vector<cms::v1::AssuranceItemKind> kinds, int size,
                                           int rate_ppm = 0) {
    cms::v1::DrawAssuranceSampleRequest req;
    req.set_request_id(RandomRequestId());
    req.set_seed(seed);
    *req.mutable_period() = Today();
    for (auto k : kinds) req.add_kinds(k);
    req.set_size(size);
    req.set_rate_ppm(rate_ppm);
    return req;
  }

  AssuranceSample Drawn(const cms::v1::DrawAssuranceSampleRequest& req,
                        const std::string& staff = kQa, TestServer* server = nullptr) {
    TestServer& t = server != nullptr ? *server : *t_;
    AssuranceSample out;
    EXPECT_RPC_OK(t.assurance().DrawAssuranceSample(t.Context(staff).get(), req, &out));
    return out;
  }

  int64_t TeamOf(const std::string& staff) {
    cms::v1::GetStaffMemberRequest req;
    req.set_staff_id(staff);
    cms::v1::StaffMember m;
    EXPECT_RPC_OK(t_->bom().GetStaffMember(t_->Context(kSvc).get(), req, &m));
    return m.team_id();
  }

  static cms::v1::RecordAssuranceCheckRequest CheckRequest(int64_t item, bool fail_procedure,
                                                           int64_t corrects = 0) {
    cms::v1::RecordAssuranceCheckRequest req;
    req.set_request_id(RandomRequestId());
    req.set_sample_item_id(item);
    req.set_corrects_check_id(corrects);
    auto add = [&](cms::v1::AssuranceCriterion c, cms::v1::AssuranceResult r,
                   const std::string& comment) {
      auto* x = req.add_results();
      x->set_criterion(c);
      x->set_result(r);
      x->set_comment(comment);
    };
    add(cms::v1::ASSURANCE_CRITERION_CASH_VALUE_ACCURACY, cms::v1::ASSURANCE_RESULT_PASS, "");
    add(cms::v1::ASSURANCE_CRITERION_PROCEDURE_FOLLOWED,
        fail_procedure ? cms::v1::ASSURANCE_RESULT_FAIL : cms::v1::ASSURANCE_RESULT_PASS,
        fail_procedure ? "The new address was not verified before the update" : "");
    add(cms::v1::ASSURANCE_CRITERION_CLIENT_HANDLING, cms::v1::ASSURANCE_RESULT_NOT_APPLICABLE, "");
    return req;
  }

  grpc::Status Check(const cms::v1::RecordAssuranceCheckRequest& req, AssuranceCheck* out,
                     const std::string& staff = kQa) {
    return t_->assurance().RecordAssuranceCheck(t_->Context(staff).get(), req, out);
  }

  cms::v1::ListAssuranceChecksResponse Checks(bool open, int64_t sample_id = 0,
                                              const std::string& staff = kQa) {
    cms::v1::ListAssuranceChecksRequest req;
    req.set_open(open);
    req.set_sample_id(sample_id);
    req.set_include_superseded(true);
    cms::v1::ListAssuranceChecksResponse out;
    EXPECT_RPC_OK(t_->assurance().ListAssuranceChecks(t_->Context(staff).get(), req, &out));
    return out;
  }

  std::unique_ptr<TestServer> t_;
};

// The ids domain::SampleHash (the SQL's twin) says a size sample of `size`
// takes from `ids` of `kind`: the smallest hashes first.
std::vector<int64_t> Predicted(const std::string& seed, cms::v1::AssuranceItemKind kind,
                               std::vector<int64_t> ids, size_t size) {
  std::sort(ids.begin(), ids.end(), [&](int64_t a, int64_t b) {
    return domain::ChosenBefore({kind, a, domain::SampleHash(seed, kind, a)},
                                {kind, b, domain::SampleHash(seed, kind, b)});
  });
  if (ids.size() > size) ids.resize(size);
  return ids;
}

TEST_F(AssuranceTest, AG11_2_TheSameSeedDrawsTheSameItemsAcrossARestartAndAnotherSeedOthers) {
  cms::v1::Application app = Apply();
  std::vector<int64_t> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(NewSr(app, "CHANGE_INCOME").id());

  const AssuranceSample first = Drawn(Draw("2027-03-qa", {kSr}, 10));
  ASSERT_EQ(first.item_count(), 10);
  EXPECT_EQ(first.drawn_by(), kQa);
  EXPECT_EQ(first.country(), cms::v1::COUNTRY_GB);
  // Exactly what the twin of the SQL's hash predicts, in its order.
  EXPECT_EQ(IdsInOrder(first), Predicted("2027-03-qa", kSr, ids, 10));
  for (const auto& i : first.items()) {
    EXPECT_EQ(i.hash(), domain::SampleHash("2027-03-qa", kSr, i.item_id()));
    EXPECT_EQ(i.caseworker(), kCwA) << "unallocated: its creator's work";
    EXPECT_EQ(i.team_id(), TeamOf(kCwA));
    EXPECT_EQ(i.sr_type_code(), "CHANGE_INCOME");
    EXPECT_EQ(i.casegroup_id(), app.casegroup().id());
    EXPECT_EQ(i.current_check_id(), 0);
  }
  // Drawn again by someone else of Q&A: the same items.
  const AssuranceSample again = Drawn(Draw("2027-03-qa", {kSr}, 10), kQaTl);
  EXPECT_NE(again.id(), first.id());
  EXPECT_EQ(IdsInOrder(again), IdsInOrder(first));
  // Another seed: another sample.
  const AssuranceSample other = Drawn(Draw("2027-03-other", {kSr}, 10));
  EXPECT_NE(KeysOf(other), KeysOf(first));
  EXPECT_EQ(IdsInOrder(other), Predicted("2027-03-other", kSr, ids, 10));
  // A replayed request id returns the first draw and stores nothing new.
  cms::v1::DrawAssuranceSampleRequest replay = Draw("2027-03-qa", {kSr}, 3);
  const AssuranceSample once = Drawn(replay);
  EXPECT_EQ(Drawn(replay).id(), once.id());

  // After a restart (another replica on the same database): the same.
  t_->StopServing();
  auto second = TestServer::Start({.reuse_db_uri = t_->db_uri()});
  const AssuranceSample restarted = Drawn(Draw("2027-03-qa", {kSr}, 10), kQa, second.get());
  EXPECT_EQ(IdsInOrder(restarted), IdsInOrder(first));
  // The stored sample reads back as drawn.
  cms::v1::GetAssuranceSampleRequest get;
  get.set_id(first.id());
  AssuranceSample read;
  ASSERT_RPC_OK(second->assurance().GetAssuranceSample(second->Context(kSvc).get(), get, &read));
  EXPECT_EQ(IdsInOrder(read), IdsInOrder(first));
  EXPECT_EQ(read.seed(), "2027-03-qa");
  cms::v1::ListAssuranceSamplesResponse list;
  ASSERT_RPC_OK(second->assurance().ListAssuranceSamples(second->Context(kQa).get(), {}, &list));
  ASSERT_EQ(list.samples_size(), 5);
  EXPECT_EQ(list.samples(0).id(), restarted.id()) << "newest first";
  EXPECT_EQ(list.samples(0).items_size(), 0) << "lists carry no items";
  second.reset();  // before t_ drops the database
}

TEST_F(AssuranceTest, AG11_2_TargetsReturnOnlyMatchingItems) {
  const cms::v1::Application one = Apply(), two = Apply(kCwB);
  std::set<int64_t> income_one, address, by_b, guidance;
  for (int i = 0; i < 4; ++i) income_one.insert(NewSr(one, "CHANGE_INCOME").id());
  for (int i = 0; i < 3; ++i) address.insert(NewSr(two, "CHANGE_OF_ADDRESS", kCwA2).id());
  for (int i = 0; i < 3; ++i) by_b.insert(NewSr(two, "CHANGE_INCOME", kCwB).id());
  // An A&G SR: worked by GB Advice and Guidance, not New Case.
  guidance.insert(NewSr(one, "ADVICE_AND_GUIDANCE", kCwA, {{"Question", "Which rate applies?"}},
                        one.case_().paying_parent_id())
                      .id());
  // NI work is NI Q&A's: never in a GB sample.
  const cms::v1::Application ni = Apply("cw.ni.new_case.a1", "BT1 5GS");
  const int64_t ni_sr = NewSr(ni, "CHANGE_INCOME", "cw.ni.new_case.a1").id();

  auto draw = [&](const std::function<void(cms::v1::AssuranceTargets&)>& target) {
    cms::v1::DrawAssuranceSampleRequest req = Draw("targets", {kSr}, 0, 1000000);
    target(*req.mutable_targets());
    const AssuranceSample sample = Drawn(req);
    std::set<int64_t> out;
    for (const auto& i : sample.items()) out.insert(i.item_id());
    return out;
  };
  auto unite = [](std::initializer_list<std::set<int64_t>> sets) {
    std::set<int64_t> out;
    for (const auto& s : sets) out.insert(s.begin(), s.end());
    return out;
  };
  // 100%, no target: every GB SR, and no NI one.
  const std::set<int64_t> all = draw([](auto&) {});
  EXPECT_EQ(all, unite({income_one, address, by_b, guidance}));
  EXPECT_FALSE(all.contains(ni_sr));

  EXPECT_EQ(draw([&](auto& t) { t.set_case_id(one.case_().id()); }), unite({income_one, guidance}));
  EXPECT_EQ(draw([&](auto& t) { t.set_casegroup_id(two.casegroup().id()); }),
            unite({address, by_b}));
  EXPECT_EQ(draw([&](auto& t) { t.set_sr_type_code("CHANGE_OF_ADDRESS"); }), address);
  EXPECT_EQ(draw([&](auto& t) { t.set_team_id(TeamOf(kCwB)); }), by_b);
  EXPECT_EQ(draw([&](auto& t) { t.set_team_id(TeamOf(kCwA)); }),
            unite({income_one, address, guidance}));
  cms::v1::GetServiceRequestRequest get;
  get.set_id(*guidance.begin());
  ServiceRequest ag;
  ASSERT_RPC_OK(t_->service_requests().GetServiceRequest(t_->Context(kSvc).get(), get, &ag));
  EXPECT_EQ(draw([&](auto& t) { t.set_segment_id(ag.owning_segment_id()); }), guidance);
  EXPECT_EQ(draw([&](auto& t) { t.set_segment_id(one.casegroup().owning_segment_id()); }),
            unite({income_one, address, by_b}));
  // Combined: every target must match.
  EXPECT_EQ(draw([&](auto& t) {
              t.set_casegroup_id(two.casegroup().id());
              t.set_sr_type_code("CHANGE_INCOME");
            }),
            by_b);
  EXPECT_TRUE(draw([&](auto& t) {
                t.set_case_id(one.case_().id());
                t.set_sr_type_code("CHANGE_OF_ADDRESS");
              }).empty());

  // NI Q&A samples the NI SR alone.
  AssuranceSample ni_sample = Drawn(Draw("targets", {kSr}, 0, 1000000), kNiQa);
  ASSERT_EQ(ni_sample.items_size(), 1);
  EXPECT_EQ(ni_sample.items(0).item_id(), ni_sr);
  EXPECT_EQ(ni_sample.country(), cms::v1::COUNTRY_NI);
}

TEST_F(AssuranceTest, AG11_2_ASizeSampleHoldsMinOfSizeAndPopulationAndARateItsShare) {
  const cms::v1::Application app = Apply();
  std::vector<int64_t> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(NewSr(app, "CHANGE_INCOME").id());

  EXPECT_EQ(Drawn(Draw("bounds", {kSr}, 1)).item_count(), 1);
  EXPECT_EQ(Drawn(Draw("bounds", {kSr}, 50)).item_count(), 50);
  EXPECT_EQ(Drawn(Draw("bounds", {kSr}, 300)).item_count(), 300);
  EXPECT_EQ(Drawn(Draw("bounds", {kSr}, 10000)).item_count(), 300) << "the whole population";
  // No activities or decisions happened: a sample of them is empty.
  EXPECT_EQ(Drawn(Draw("bounds", {kActivity, kDecision}, 10)).item_count(), 0);

  // 100%: every item.
  const AssuranceSample all = Drawn(Draw("bounds", {kSr}, 0, 1000000));
  EXPECT_EQ(all.item_count(), 300);
  // 20% of 300: 60 expected; the count is within 35% of it (about three
  // standard deviations of a binomial draw), and exactly the items whose
  // hash is below 20% of 2^60.
  const AssuranceSample fifth = Drawn(Draw("bounds", {kSr}, 0, 200000));
  EXPECT_NEAR(fifth.item_count(), 60, 21);
  std::set<int64_t> predicted;
  for (int64_t id : ids) {
    if (domain::InRateSample(domain::SampleHash("bounds", kSr, id), 200000)) predicted.insert(id);
  }
  std::set<int64_t> got;
  for (const auto& i : fifth.items()) got.insert(i.item_id());
  EXPECT_EQ(got, predicted);
  // A rate sample's items only join as the period fills: more SRs, and the
  // same draw keeps every one it chose before.
  for (int i = 0; i < 30; ++i) NewSr(app, "CHANGE_INCOME");
  const AssuranceSample later = Drawn(Draw("bounds", {kSr}, 0, 200000));
  std::set<int64_t> later_ids;
  for (const auto& i : later.items()) later_ids.insert(i.item_id());
  EXPECT_TRUE(std::includes(later_ids.begin(), later_ids.end(), got.begin(), got.end()));
  // A period with nothing in it.
  cms::v1::DrawAssuranceSampleRequest empty = Draw("bounds", {kSr}, 10);
  *empty.mutable_period() = Day(absl::CivilDay(2027, 2, 1));
  EXPECT_EQ(Drawn(empty).item_count(), 0);
}

TEST_F(AssuranceTest, AG11_2_DecisionsAreRecordedWhereTheyAreMadeAndSampled) {
  const cms::v1::Application app = Apply();
  // An SR closed with its resolution (and its two activities completed).
  const ServiceRequest closed = CloseChangeOfAddress(app);
  // An approval rejected, then approved, by team A's leader.
  ServiceRequest mopf = NewSr(app, "AMEND_EXISTING_MOPF", kCwA, {{"MOPF Action", "Cancel DEO"}});
  ASSERT_RPC_OK(Move(mopf, cms::v1::SR_STATUS_IN_PROGRESS, kCwA));
  std::vector<int64_t> approvals;
  for (auto decision : {cms::v1::APPROVAL_STATE_REJECTED, cms::v1::APPROVAL_STATE_APPROVED}) {
    cms::v1::GetServiceRequestRequest get;
    get.set_id(mopf.id());
    ASSERT_RPC_OK(t_->service_requests().GetServiceRequest(t_->Context(kCwA).get(), get, &mopf));
    cms::v1::SubmitForApprovalRequest submit;
    submit.set_request_id(RandomRequestId());
    submit.set_service_request_id(mopf.id());
    submit.set_etag(mopf.etag());
    submit.set_step("DEO cancellation");
    cms::v1::Approval a;
    ASSERT_RPC_OK(t_->approvals().SubmitForApproval(t_->Context(kCwA).get(), submit, &a));
    cms::v1::DecideApprovalRequest decide;
    decide.set_request_id(RandomRequestId());
    decide.set_approval_id(a.id());
    decide.set_decision(decision);
    decide.set_comment("Checked");
    ASSERT_RPC_OK(t_->approvals().DecideApproval(t_->Context(kTlA).get(), decide, &a));
    approvals.push_back(a.id());
  }
  // A calculation.
  ServiceRequest calc_sr = NewSr(app, "PERFORM_CALCULATION");
  ASSERT_RPC_OK(Move(calc_sr, cms::v1::SR_STATUS_IN_PROGRESS, kCwA));
  cms::v1::RecordCalculationRequest calc_req;
  calc_req.set_request_id(RandomRequestId());
  calc_req.set_case_id(app.case_().id());
  calc_req.set_service_request_id(calc_sr.id());
  calc_req.set_weekly_liability_pence(5000);
  calc_req.set_ndr_pence(2000);
  calc_req.set_net_earnings_pence(40000);
  cms::v1::Calculation calc;
  ASSERT_RPC_OK(t_->payments().RecordCalculation(t_->Context(kCwA).get(), calc_req, &calc));
  // An arrears caseworker's decision: the review raised.
  const ServiceRequest review =
      NewSr(app, "ARREARS_REVIEW", kCwA2, {{"Reason", "Arrears Routing Logic"}});

  cms::v1::DrawAssuranceSampleRequest req = Draw("decisions", {kDecision}, 0, 1000000);
  const AssuranceSample all = Drawn(req);
  std::map<cms::v1::BusinessDecisionType, std::vector<cms::v1::AssuranceSampleItem>> by_type;
  for (const auto& i : all.items()) by_type[i.decision_type()].push_back(i);

  ASSERT_EQ(by_type[cms::v1::BUSINESS_DECISION_TYPE_SR_RESOLUTION].size(), 1u);
  const auto& resolution = by_type[cms::v1::BUSINESS_DECISION_TYPE_SR_RESOLUTION][0];
  EXPECT_EQ(resolution.decision_entity_type(), "service_request");
  EXPECT_EQ(resolution.decision_entity_id(), closed.id());
  EXPECT_EQ(resolution.service_request_id(), closed.id());
  EXPECT_EQ(resolution.sr_type_code(), "CHANGE_OF_ADDRESS");
  EXPECT_EQ(resolution.caseworker(), kCwA);
  EXPECT_EQ(resolution.team_id(), TeamOf(kCwA));
  EXPECT_EQ(resolution.case_id(), app.case_().id());
  EXPECT_EQ(resolution.segment_id(), app.casegroup().owning_segment_id());

  ASSERT_EQ(by_type[cms::v1::BUSINESS_DECISION_TYPE_APPROVAL].size(), 2u);
  std::vector<int64_t> decided;
  for (const auto& i : by_type[cms::v1::BUSINESS_DECISION_TYPE_APPROVAL]) {
    decided.push_back(i.decision_entity_id());
    EXPECT_EQ(i.decision_entity_type(), "approval");
    EXPECT_EQ(i.caseworker(), kTlA) << "the team leader's decision";
    EXPECT_EQ(i.team_id(), TeamOf(kTlA));
    EXPECT_EQ(i.service_request_id(), mopf.id());
    EXPECT_EQ(i.sr_type_code(), "AMEND_EXISTING_MOPF");
  }
  std::sort(decided.begin(), decided.end());
  EXPECT_EQ(decided, approvals);

  ASSERT_EQ(by_type[cms::v1::BUSINESS_DECISION_TYPE_CALCULATION].size(), 1u);
  EXPECT_EQ(by_type[cms::v1::BUSINESS_DECISION_TYPE_CALCULATION][0].decision_entity_id(),
            calc.id());
  EXPECT_EQ(by_type[cms::v1::BUSINESS_DECISION_TYPE_CALCULATION][0].sr_type_code(),
            "PERFORM_CALCULATION");

  const auto& arrears_items = by_type[cms::v1::BUSINESS_DECISION_TYPE_ARREARS];
  auto found = std::find_if(arrears_items.begin(), arrears_items.end(),
                            [&](const auto& i) { return i.service_request_id() == review.id(); });
  ASSERT_NE(found, arrears_items.end()) << all.ShortDebugString();
  const auto& arrears = *found;
  EXPECT_EQ(arrears.decision_entity_type(), "arrears_action");
  EXPECT_EQ(arrears.caseworker(), kCwA2);
  EXPECT_EQ(arrears.service_request_id(), review.id());
  EXPECT_EQ(arrears.sr_type_code(), "ARREARS_REVIEW") << "looked up from the SR";
  EXPECT_EQ(arrears.segment_id(), app.casegroup().owning_segment_id()) << "the casegroup's";

  // A decision type targets those alone.
  req = Draw("decisions", {kDecision}, 0, 1000000);
  req.mutable_targets()->set_decision_type(cms::v1::BUSINESS_DECISION_TYPE_APPROVAL);
  const AssuranceSample only = Drawn(req);
  ASSERT_EQ(only.item_count(), 2);
  for (const auto& i : only.items()) {
    EXPECT_EQ(i.decision_type(), cms::v1::BUSINESS_DECISION_TYPE_APPROVAL);
  }
  // The closed SR's two activities are sampled as activities.
  const AssuranceSample activities = Drawn(Draw("decisions", {kActivity}, 0, 1000000));
  std::set<int64_t> activity_ids;
  for (const auto& i : activities.items()) {
    if (i.service_request_id() == closed.id()) activity_ids.insert(i.item_id());
    EXPECT_EQ(i.caseworker(), kCwA);
  }
  EXPECT_EQ(activity_ids.size(), 2u);
}

TEST_F(AssuranceTest, AG11_2_AnUnsampledItemOrASecondCheckIsRefusedAndChangesNothing) {
  const cms::v1::Application app = Apply();
  const ServiceRequest sr = NewSr(app, "CHANGE_INCOME");
  const AssuranceSample sample = Drawn(Draw("checks", {kSr}, 5));
  ASSERT_EQ(sample.items_size(), 1);
  const int64_t item = sample.items(0).id();

  // An item no sample holds (the SR's own id is not a sampled item's).
  AssuranceCheck out;
  EXPECT_TRUE(Refused(Check(CheckRequest(item + 1000, false), &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "AG11.2", "RULE_VIOLATION"));
  // Bad results are named.
  cms::v1::RecordAssuranceCheckRequest bad = CheckRequest(item, false);
  bad.mutable_results(1)->set_result(cms::v1::ASSURANCE_RESULT_FAIL);
  bad.mutable_results()->RemoveLast();
  EXPECT_TRUE(Refused(Check(bad, &out), grpc::StatusCode::INVALID_ARGUMENT, "AG11.2",
                      "INVALID_FIELDS", {"results", "results[1].comment"}));
  EXPECT_EQ(Checks(false).checks_size(), 0);
  ASSERT_EQ(Checks(true).open_items_size(), 1) << "still to check";

  AssuranceCheck first;
  ASSERT_RPC_OK(Check(CheckRequest(item, true), &first));
  EXPECT_EQ(first.outcome(), cms::v1::ASSURANCE_RESULT_FAIL);
  EXPECT_EQ(first.caseworker(), kCwA);
  EXPECT_EQ(first.item_id(), sr.id());
  EXPECT_EQ(first.checked_by(), kQa);
  EXPECT_EQ(first.results_size(), 3);
  EXPECT_EQ(Checks(true).open_items_size(), 0);

  // A second check is refused: a check is immutable.
  EXPECT_TRUE(Refused(Check(CheckRequest(item, false), &out), grpc::StatusCode::FAILED_PRECONDITION,
                      "AG11.2", "RULE_VIOLATION"));
  const cms::v1::ListAssuranceChecksResponse after = Checks(false);
  ASSERT_EQ(after.checks_size(), 1);
  EXPECT_EQ(after.checks(0).id(), first.id());
  EXPECT_EQ(after.checks(0).outcome(), cms::v1::ASSURANCE_RESULT_FAIL) << "unchanged";
  // Audited (X13.2).
  cms::v1::ListAuditEventsRequest audit;
  audit.set_entity_type("assurance_check");
  audit.set_entity_id(absl::StrCat(first.id()));
  cms::v1::ListAuditEventsResponse events;
  ASSERT_RPC_OK(t_->admin().ListAuditEvents(t_->Context(kAuditor).get(), audit, &events));
  ASSERT_EQ(events.events_size(), 1);
  EXPECT_EQ(events.events(0).actor(), kQa);
}

TEST_F(AssuranceTest, AG11_2_ACorrectionSupersedesTheCheckWhichStaysReadable) {
  const cms::v1::Application app = Apply();
  NewSr(app, "CHANGE_INCOME");
  const AssuranceSample sample = Drawn(Draw("correct", {kSr}, 1));
  const int64_t item = sample.items(0).id();
  AssuranceCheck first, second, third, out;
  ASSERT_RPC_OK(Check(CheckRequest(item, true), &first));
  ASSERT_RPC_OK(Check(CheckRequest(item, false, first.id()), &second, kQaTl));
  EXPECT_EQ(second.corrects_check_id(), first.id());
  EXPECT_EQ(second.outcome(), cms::v1::ASSURANCE_RESULT_PASS);
  // The old one stays readable, marked superseded.
  cms::v1::GetAssuranceCheckRequest get;
  get.set_id(first.id());
  AssuranceCheck old;
  ASSERT_RPC_OK(t_->assurance().GetAssuranceCheck(t_->Context(kAuditor).get(), get, &old));
  EXPECT_EQ(old.superseded_by_check_id(), second.id());
  EXPECT_EQ(old.outcome(), cms::v1::ASSURANCE_RESULT_FAIL);
  // Correcting the superseded one again is refused: correct the current one.
  EXPECT_TRUE(Refused(Check(CheckRequest(item, false, first.id()), &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "AG11.2", "RULE_VIOLATION"));
  ASSERT_RPC_OK(Check(CheckRequest(item, true, second.id()), &third));
  // The sample shows the current check; the list of current checks one.
  cms::v1::GetAssuranceSampleRequest get_sample;
  get_sample.set_id(sample.id());
  AssuranceSample read;
  ASSERT_RPC_OK(t_->assurance().GetAssuranceSample(t_->Context(kQa).get(), get_sample, &read));
  EXPECT_EQ(read.items(0).current_check_id(), third.id());
  EXPECT_EQ(read.items(0).current_outcome(), cms::v1::ASSURANCE_RESULT_FAIL);
  EXPECT_EQ(Checks(false).checks_size(), 3) << "with the superseded ones";
  cms::v1::ListAssuranceChecksRequest current;
  cms::v1::ListAssuranceChecksResponse listed;
  ASSERT_RPC_OK(t_->assurance().ListAssuranceChecks(t_->Context(kQa).get(), current, &listed));
  ASSERT_EQ(listed.checks_size(), 1);
  EXPECT_EQ(listed.checks(0).id(), third.id());
}

TEST_F(AssuranceTest, AG11_2_FeedbackAndACorrectiveActionReachTheCaseworker) {
  const cms::v1::Application app = Apply();
  NewSr(app, "CHANGE_INCOME", kCwA2);
  const AssuranceSample sample = Drawn(Draw("feedback", {kSr}, 1));
  AssuranceCheck check;
  ASSERT_RPC_OK(Check(CheckRequest(sample.items(0).id(), true), &check));

  cms::v1::GiveAssuranceFeedbackRequest fb;
  fb.set_request_id(RandomRequestId());
  fb.set_check_id(check.id());
  fb.set_text("Verify the new income with evidence before updating it.");
  cms::v1::AssuranceFeedback given;
  ASSERT_RPC_OK(t_->assurance().GiveAssuranceFeedback(t_->Context(kQa).get(), fb, &given));
  EXPECT_EQ(given.caseworker(), kCwA2) << "addressed to the item's caseworker";
  // The caseworker reads it; another caseworker sees none of it.
  cms::v1::ListAssuranceFeedbackResponse mine;
  ASSERT_RPC_OK(t_->assurance().ListAssuranceFeedback(t_->Context(kCwA2).get(), {}, &mine));
  ASSERT_EQ(mine.feedback_size(), 1);
  EXPECT_EQ(mine.feedback(0).text(), fb.text());
  cms::v1::ListAssuranceFeedbackResponse theirs;
  ASSERT_RPC_OK(t_->assurance().ListAssuranceFeedback(t_->Context(kCwA).get(), {}, &theirs));
  EXPECT_EQ(theirs.feedback_size(), 0);
  // A non-Q&A caseworker cannot give feedback.
  fb.set_request_id(RandomRequestId());
  EXPECT_TRUE(Refused(t_->assurance().GiveAssuranceFeedback(t_->Context(kCwA).get(), fb, &given),
                      grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));

  // The corrective action: due on Friday, to the caseworker by default.
  cms::v1::AddCorrectiveActionRequest add;
  add.set_request_id(RandomRequestId());
  add.set_check_id(check.id());
  add.set_description("Re-read the Change Income procedure and redo the verification");
  add.mutable_due_date()->set_year(2027);
  add.mutable_due_date()->set_month(3);
  add.mutable_due_date()->set_day(5);
  cms::v1::CorrectiveAction action;
  ASSERT_RPC_OK(t_->assurance().AddCorrectiveAction(t_->Context(kQa).get(), add, &action));
  EXPECT_EQ(action.assigned_to(), kCwA2);
  EXPECT_EQ(action.state(), cms::v1::CORRECTIVE_ACTION_STATE_OPEN);
  EXPECT_FALSE(action.overdue());
  // The assignee reads it; another caseworker may not.
  cms::v1::GetCorrectiveActionRequest get_action;
  get_action.set_id(action.id());
  cms::v1::CorrectiveAction read_action;
  ASSERT_RPC_OK(
      t_->assurance().GetCorrectiveAction(t_->Context(kCwA2).get(), get_action, &read_action));
  EXPECT_EQ(read_action.etag(), action.etag());
  EXPECT_TRUE(Refused(
      t_->assurance().GetCorrectiveAction(t_->Context(kCwB).get(), get_action, &read_action),
      grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));
  // A due date already past is refused.
  cms::v1::AddCorrectiveActionRequest late = add;
  late.set_request_id(RandomRequestId());
  late.mutable_due_date()->set_month(2);
  cms::v1::CorrectiveAction ignored;
  EXPECT_TRUE(Refused(t_->assurance().AddCorrectiveAction(t_->Context(kQa).get(), late, &ignored),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.2", "INVALID_FIELDS",
                      {"due_date"}));

  // On Saturday it is overdue, on the caseworker's list.
  AdvanceDays(*t_, 5);
  cms::v1::ListCorrectiveActionsRequest overdue;
  overdue.set_overdue_only(true);
  cms::v1::ListCorrectiveActionsResponse listed;
  ASSERT_RPC_OK(t_->assurance().ListCorrectiveActions(t_->Context(kCwA2).get(), overdue, &listed));
  ASSERT_EQ(listed.actions_size(), 1);
  EXPECT_TRUE(listed.actions(0).overdue());
  cms::v1::ListCorrectiveActionsResponse nobody;
  ASSERT_RPC_OK(t_->assurance().ListCorrectiveActions(t_->Context(kCwB).get(), overdue, &nobody));
  EXPECT_EQ(nobody.actions_size(), 0);

  // Only the assignee (or Q&A) completes it, once, with its etag.
  cms::v1::CompleteCorrectiveActionRequest complete;
  complete.set_request_id(RandomRequestId());
  complete.set_id(action.id());
  complete.set_etag(listed.actions(0).etag());
  complete.set_note("Procedure re-read; verification redone with payslips");
  cms::v1::CorrectiveAction done;
  EXPECT_TRUE(
      Refused(t_->assurance().CompleteCorrectiveAction(t_->Context(kCwB).get(), complete, &done),
              grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));
  ASSERT_RPC_OK(
      t_->assurance().CompleteCorrectiveAction(t_->Context(kCwA2).get(), complete, &done));
  EXPECT_EQ(done.state(), cms::v1::CORRECTIVE_ACTION_STATE_DONE);
  EXPECT_EQ(done.completed_by(), kCwA2);
  EXPECT_FALSE(done.overdue());
  complete.set_request_id(RandomRequestId());
  complete.set_etag(done.etag());
  EXPECT_TRUE(
      Refused(t_->assurance().CompleteCorrectiveAction(t_->Context(kQa).get(), complete, &ignored),
              grpc::StatusCode::FAILED_PRECONDITION, "AG11.2", "RULE_VIOLATION"));
  cms::v1::ListCorrectiveActionsRequest open;
  open.set_open_only(true);
  ASSERT_RPC_OK(t_->assurance().ListCorrectiveActions(t_->Context(kQa).get(), open, &listed));
  EXPECT_EQ(listed.actions_size(), 0);
}

TEST_F(AssuranceTest, AG11_2_ATeamLeaderSeesTheirTeamsCoachingAndIsRefusedAnothers) {
  const cms::v1::Application app = Apply();
  NewSr(app, "CHANGE_INCOME", kCwA);
  NewSr(app, "CHANGE_INCOME", kCwA2);
  const AssuranceSample sample = Drawn(Draw("coaching", {kSr}, 2));
  ASSERT_EQ(sample.items_size(), 2);
  for (const auto& i : sample.items()) {
    AssuranceCheck check;
    ASSERT_RPC_OK(Check(CheckRequest(i.id(), /*fail_procedure=*/i.caseworker() == kCwA2), &check));
    if (i.caseworker() == kCwA2) {
      cms::v1::AddCorrectiveActionRequest add;
      add.set_request_id(RandomRequestId());
      add.set_check_id(check.id());
      add.set_description("Coaching session on verification");
      add.mutable_due_date()->set_year(2027);
      add.mutable_due_date()->set_month(3);
      add.mutable_due_date()->set_day(8);
      cms::v1::CorrectiveAction a;
      ASSERT_RPC_OK(t_->assurance().AddCorrectiveAction(t_->Context(kQa).get(), add, &a));
    }
  }

  cms::v1::GetCoachingNeedsRequest req;
  req.set_team_id(TeamOf(kCwA));
  *req.mutable_period() = Today();
  cms::v1::CoachingNeeds needs;
  ASSERT_RPC_OK(t_->assurance().GetCoachingNeeds(t_->Context(kTlA).get(), req, &needs));
  std::map<std::string, cms::v1::CaseworkerCoaching> by_staff;
  for (const auto& c : needs.caseworkers()) by_staff[c.staff_id()] = c;
  ASSERT_TRUE(by_staff.contains(kCwA2));
  EXPECT_EQ(by_staff[kCwA2].checks(), 1);
  EXPECT_EQ(by_staff[kCwA2].failed_checks(), 1);
  EXPECT_EQ(by_staff[kCwA2].failed_criteria(1).criterion(),
            cms::v1::ASSURANCE_CRITERION_PROCEDURE_FOLLOWED);
  EXPECT_EQ(by_staff[kCwA2].failed_criteria(1).failures(), 1);
  EXPECT_EQ(by_staff[kCwA2].open_corrective_actions(), 1);
  EXPECT_EQ(by_staff[kCwA].checks(), 1);
  EXPECT_EQ(by_staff[kCwA].failed_checks(), 0);
  EXPECT_TRUE(by_staff.contains(kTlA)) << "every member of the team";
  EXPECT_FALSE(by_staff.contains(kCwB));

  // Team B's leader, and a caseworker, are refused team A's.
  cms::v1::CoachingNeeds refused;
  EXPECT_TRUE(Refused(t_->assurance().GetCoachingNeeds(t_->Context(kTlB).get(), req, &refused),
                      grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(t_->assurance().GetCoachingNeeds(t_->Context(kCwA).get(), req, &refused),
                      grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));
  // The segment's manager, Q&A, service management and auditors read it.
  for (const char* reader : {"sm.gb.new_case", kQa, kSvc, kAuditor}) {
    SCOPED_TRACE(reader);
    EXPECT_RPC_OK(t_->assurance().GetCoachingNeeds(t_->Context(reader).get(), req, &needs));
  }
  EXPECT_TRUE(Refused(
      t_->assurance().GetCoachingNeeds(t_->Context("sm.gb.maintenance").get(), req, &refused),
      grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));
  // The period: a day with no checks counts none.
  req.mutable_period()->CopyFrom(Day(absl::CivilDay(2027, 2, 1)));
  ASSERT_RPC_OK(t_->assurance().GetCoachingNeeds(t_->Context(kTlA).get(), req, &needs));
  for (const auto& c : needs.caseworkers()) EXPECT_EQ(c.checks(), 0) << c.staff_id();
}

TEST_F(AssuranceTest, AG11_2_OnlyQaSamplesAndChecks) {
  const cms::v1::Application app = Apply();
  NewSr(app, "CHANGE_INCOME");
  AssuranceSample out;
  // A maintenance caseworker and a New Case team leader are refused.
  for (const char* staff : {kMaintenance, kTlA}) {
    SCOPED_TRACE(staff);
    EXPECT_TRUE(Refused(
        t_->assurance().DrawAssuranceSample(t_->Context(staff).get(), Draw("who", {kSr}, 5), &out),
        grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));
  }
  // The auditor and service management read and change nothing (the role
  // matrix refuses them a draw).
  EXPECT_TRUE(Refused(
      t_->assurance().DrawAssuranceSample(t_->Context(kAuditor).get(), Draw("who", {kSr}, 5), &out),
      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  cms::v1::ListAssuranceSamplesResponse none;
  ASSERT_RPC_OK(t_->assurance().ListAssuranceSamples(t_->Context(kSvc).get(), {}, &none));
  EXPECT_EQ(none.samples_size(), 0) << "the refusals stored nothing";

  const AssuranceSample sample = Drawn(Draw("who", {kSr}, 5));
  AssuranceCheck check;
  EXPECT_TRUE(Refused(Check(CheckRequest(sample.items(0).id(), false), &check, kMaintenance),
                      grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));
  // NI Q&A does not check GB work.
  EXPECT_TRUE(Refused(Check(CheckRequest(sample.items(0).id(), false), &check, kNiQa),
                      grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));
  EXPECT_EQ(Checks(true).open_items_size(), 1) << "nothing was checked";

  // Reads: Q&A of the country, service management and auditors; others
  // are refused one sample and see none in a list.
  cms::v1::GetAssuranceSampleRequest get;
  get.set_id(sample.id());
  for (const char* reader : {kQa, kQaTl, kSvc, kAuditor}) {
    SCOPED_TRACE(reader);
    EXPECT_RPC_OK(t_->assurance().GetAssuranceSample(t_->Context(reader).get(), get, &out));
  }
  for (const char* other : {kMaintenance, kNiQa, kTlA}) {
    SCOPED_TRACE(other);
    EXPECT_TRUE(Refused(t_->assurance().GetAssuranceSample(t_->Context(other).get(), get, &out),
                        grpc::StatusCode::PERMISSION_DENIED, "AG11.2", "PERMISSION_DENIED"));
  }
  cms::v1::ListAssuranceSamplesResponse listed;
  ASSERT_RPC_OK(t_->assurance().ListAssuranceSamples(t_->Context(kMaintenance).get(), {}, &listed));
  EXPECT_EQ(listed.samples_size(), 0);
  ASSERT_RPC_OK(t_->assurance().ListAssuranceSamples(t_->Context(kNiQa).get(), {}, &listed));
  EXPECT_EQ(listed.samples_size(), 0);
  EXPECT_EQ(Checks(true, 0, kMaintenance).open_items_size(), 0);
}

TEST_F(AssuranceTest, AG11_2_ABadDrawNamesEachFieldAndStoresNothing) {
  cms::v1::DrawAssuranceSampleRequest req = Draw("bad seed", {}, 0);
  req.clear_period();
  AssuranceSample out;
  EXPECT_TRUE(Refused(t_->assurance().DrawAssuranceSample(t_->Context(kQa).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.2", "INVALID_FIELDS",
                      {"seed", "period", "kinds", "size", "rate_ppm"}));
  req = Draw("ok", {kSr}, 5);
  req.mutable_targets()->set_sr_type_code("NO_SUCH_TYPE");
  req.mutable_targets()->set_segment_id(987654);
  EXPECT_TRUE(Refused(t_->assurance().DrawAssuranceSample(t_->Context(kQa).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.2", "INVALID_FIELDS",
                      {"targets.sr_type_code"}));
  req.mutable_targets()->clear_sr_type_code();
  EXPECT_TRUE(Refused(t_->assurance().DrawAssuranceSample(t_->Context(kQa).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.2", "INVALID_FIELDS",
                      {"targets.segment_id"}));
  // Another country's segment: GB Q&A samples GB work.
  const cms::v1::Application ni = Apply("cw.ni.new_case.a1", "BT1 5GS");
  req.mutable_targets()->set_segment_id(ni.casegroup().owning_segment_id());
  EXPECT_TRUE(Refused(t_->assurance().DrawAssuranceSample(t_->Context(kQa).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.2", "INVALID_FIELDS",
                      {"targets.segment_id"}));
  cms::v1::ListAssuranceSamplesResponse none;
  ASSERT_RPC_OK(t_->assurance().ListAssuranceSamples(t_->Context(kQa).get(), {}, &none));
  EXPECT_EQ(none.samples_size(), 0);
}

}  // namespace
}  // namespace cms::testing
