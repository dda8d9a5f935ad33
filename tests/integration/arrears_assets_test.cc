// ArrearsService's assets (AR10.14) and the attempt to reach the RP
// (AR10.11) over a real server and database on the business clock: assets
// recorded per person and listed by person or case, the fields a bank
// account needs, who may record (the owning segment, and the Deduction
// Order Team only while it works a Disclosure SR), an asset ended and still
// listed, etags and replays; CMSL5511 to an RP not reached and the wait
// before a referral (7 days, or the server's flag). Refusals change nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/integration/arrears_fixture.h"

namespace cms::testing {
namespace {

using cms::v1::ArrearsAction;
using cms::v1::Asset;
using cms::v1::ServiceRequest;
using ::testing::HasSubstr;

constexpr char kDot[] = "cw.gb.deduction_order_team.a1";
constexpr char kCollections[] = "cw.gb.collections.a1";

class ArrearsAssetsTest : public ArrearsFixture {
 protected:
  int64_t Pp() const { return app_.case_().paying_parent_id(); }

  // The recommendation's fact `name`.
  std::string Fact(const std::string& name) {
    cms::v1::GetArrearsRecommendationRequest req;
    req.set_case_id(app_.case_().id());
    cms::v1::ArrearsRecommendation out;
    EXPECT_RPC_OK(t_->arrears().GetArrearsRecommendation(Ctx(kSvc).get(), req, &out));
    for (const auto& f : out.facts()) {
      if (f.name() == name) return f.value();
    }
    ADD_FAILURE() << "no fact " << name << " in " << out.ShortDebugString();
    return "";
  }

  std::vector<cms::v1::ArrearsEvent> Events(int64_t action_id, cms::v1::ArrearsEventKind kind) {
    cms::v1::ListArrearsEventsRequest req;
    req.set_arrears_action_id(action_id);
    cms::v1::ListArrearsEventsResponse out;
    EXPECT_RPC_OK(t_->arrears().ListArrearsEvents(Ctx(kSvc).get(), req, &out));
    std::vector<cms::v1::ArrearsEvent> found;
    for (const auto& e : out.events()) {
      if (e.kind() == kind) found.push_back(e);
    }
    return found;
  }

  cms::v1::RecordAssetRequest BankAccount() {
    cms::v1::RecordAssetRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_person_id(Pp());
    req.set_type(cms::v1::ASSET_TYPE_BANK_ACCOUNT);
    req.set_account_type(cms::v1::BANK_ACCOUNT_TYPE_CURRENT);
    req.set_description("Current account at Northern Bank, found at a previous address");
    req.set_reference("20-00-00 12345678");
    req.set_source(cms::v1::ASSET_SOURCE_CREDIT_REFERENCE_AGENCY);
    req.set_previous_address(true);
    return req;
  }

  cms::v1::RecordAssetRequest Vehicle() {
    cms::v1::RecordAssetRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_person_id(Pp());
    req.set_type(cms::v1::ASSET_TYPE_VEHICLE);
    req.set_description("Blue Ford Transit van");
    req.set_reference("AB12 CDE");
    req.set_source(cms::v1::ASSET_SOURCE_RECEIVING_PARENT);
    return req;
  }

  grpc::Status Record(const cms::v1::RecordAssetRequest& req, Asset* out,
                      const std::string& staff = "") {
    return t_->arrears().RecordAsset(staff.empty() ? Owner().get() : Ctx(staff).get(), req, out);
  }

  grpc::Status List(cms::v1::ListAssetsRequest req, cms::v1::ListAssetsResponse* out,
                    const std::string& staff = kSvc) {
    return t_->arrears().ListAssets(Ctx(staff).get(), req, out);
  }
  std::vector<Asset> AssetsOfCase(bool include_closed = false) {
    cms::v1::ListAssetsRequest req;
    req.set_case_id(app_.case_().id());
    req.set_include_closed(include_closed);
    cms::v1::ListAssetsResponse out;
    EXPECT_RPC_OK(List(req, &out));
    return {out.assets().begin(), out.assets().end()};
  }

  grpc::Status End(const Asset& a, Asset* out, const std::string& request_id = RandomRequestId(),
                   const std::string& reason = "account closed (CRA, 2027-01-05)") {
    cms::v1::EndAssetRequest req;
    req.set_request_id(request_id);
    req.set_id(a.id());
    req.set_etag(a.etag());
    req.set_reason(reason);
    return t_->arrears().EndAsset(Owner().get(), req, out);
  }

  grpc::Status RpContact(const ArrearsAction& a, cms::v1::RpContactOutcome outcome,
                         const std::string& note, ArrearsAction* out,
                         const std::string& request_id = RandomRequestId()) {
    cms::v1::RecordRpContactRequest req;
    req.set_request_id(request_id);
    req.set_case_id(app_.case_().id());
    req.set_etag(a.etag());
    req.set_outcome(outcome);
    req.set_note(note);
    return t_->arrears().RecordRpContact(Owner().get(), req, out);
  }
};

TEST_F(ArrearsAssetsTest, AR10_14_AnAssetIsRecordedAndListedPerPerson) {
  Start();
  const ArrearsAction action = TwoMissed();
  EXPECT_EQ(Fact("assets known"), "none");
  Asset bank;
  ASSERT_RPC_OK(Record(BankAccount(), &bank));
  EXPECT_GT(bank.id(), 0);
  EXPECT_EQ(bank.person_id(), Pp());
  EXPECT_EQ(bank.casegroup_id(), app_.casegroup().id());
  EXPECT_EQ(bank.case_id(), app_.case_().id());
  EXPECT_EQ(bank.state(), cms::v1::ASSET_STATE_ACTIVE);
  EXPECT_EQ(bank.account_type(), cms::v1::BANK_ACCOUNT_TYPE_CURRENT);
  EXPECT_EQ(bank.reference(), "20-00-00 ****5678") << "the account number is kept masked";
  EXPECT_TRUE(bank.previous_address());
  EXPECT_EQ(bank.source(), cms::v1::ASSET_SOURCE_CREDIT_REFERENCE_AGENCY);
  EXPECT_EQ(bank.recorded_by(), CaseworkerOfOwner(*t_, app_.casegroup().id()));
  EXPECT_FALSE(bank.etag().empty());
  EXPECT_TRUE(bank.has_create_time());
  Asset van;
  ASSERT_RPC_OK(Record(Vehicle(), &van));

  // Per person: by the PP's id and by the case, the same two.
  cms::v1::ListAssetsRequest by_person;
  by_person.set_person_id(Pp());
  cms::v1::ListAssetsResponse listed;
  ASSERT_RPC_OK(List(by_person, &listed));
  ASSERT_EQ(listed.assets_size(), 2);
  EXPECT_EQ(listed.assets(0).id(), bank.id());
  EXPECT_EQ(listed.assets(1).id(), van.id());
  const std::vector<Asset> of_case = AssetsOfCase();
  ASSERT_EQ(of_case.size(), 2u);
  EXPECT_EQ(of_case[1].reference(), "AB12 CDE");
  // Paged (AIP-158).
  by_person.set_page_size(1);
  ASSERT_RPC_OK(List(by_person, &listed));
  ASSERT_EQ(listed.assets_size(), 1);
  ASSERT_FALSE(listed.next_page_token().empty());
  by_person.set_page_token(listed.next_page_token());
  ASSERT_RPC_OK(List(by_person, &listed));
  ASSERT_EQ(listed.assets_size(), 1);
  EXPECT_EQ(listed.assets(0).id(), van.id());

  // The facts the referral steps read, and the case's arrears history.
  EXPECT_EQ(Fact("assets known"), "2 (a bank account, a vehicle)");
  const auto recorded = Events(action.id(), cms::v1::ARREARS_EVENT_KIND_ASSET_RECORDED);
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_THAT(recorded[0].detail(), HasSubstr("20-00-00 ****5678"));
  EXPECT_THAT(recorded[0].detail(), HasSubstr("AR10.14"));
  EXPECT_EQ(Action().etag(), action.etag()) << "an asset is its own record";

  // Only the PP's assets; another segment neither records nor reads them.
  cms::v1::RecordAssetRequest rp = Vehicle();
  rp.set_person_id(app_.case_().receiving_parent_id());
  Asset out;
  EXPECT_TRUE(Refused(Record(rp, &out), grpc::StatusCode::INVALID_ARGUMENT, "AR10.14",
                      "INVALID_FIELDS", {"person_id"}));
  EXPECT_EQ(Record(Vehicle(), &out, kCollections).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  cms::v1::ListAssetsRequest by_case;
  by_case.set_case_id(app_.case_().id());
  EXPECT_EQ(List(by_case, &listed, kCollections).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(AssetsOfCase().size(), 2u);
}

TEST_F(ArrearsAssetsTest, AR10_14_ABankAccountWithoutItsReferenceIsRefusedNamingTheFields) {
  Start();
  cms::v1::RecordAssetRequest req = BankAccount();
  req.clear_account_type();
  req.clear_reference();
  Asset out;
  EXPECT_TRUE(Refused(Record(req, &out), grpc::StatusCode::INVALID_ARGUMENT, "AR10.14",
                      "INVALID_FIELDS", {"account_type", "reference"}));
  // A vehicle has no account type and is no account at an old address.
  req = Vehicle();
  req.set_account_type(cms::v1::BANK_ACCOUNT_TYPE_SAVINGS);
  req.set_previous_address(true);
  req.set_used_for_csa_direct_debit(true);
  EXPECT_TRUE(Refused(Record(req, &out), grpc::StatusCode::INVALID_ARGUMENT, "AR10.14",
                      "INVALID_FIELDS",
                      {"account_type", "previous_address", "used_for_csa_direct_debit"}));
  // Nothing at all: each required field is named.
  cms::v1::RecordAssetRequest empty;
  empty.set_request_id(RandomRequestId());
  EXPECT_TRUE(Refused(Record(empty, &out), grpc::StatusCode::INVALID_ARGUMENT, "AR10.14",
                      "INVALID_FIELDS", {"case_id", "person_id", "type", "description", "source"}));
  req = Vehicle();
  req.set_description(std::string(501, 'x'));
  req.set_reference(std::string(101, 'x'));
  EXPECT_TRUE(Refused(Record(req, &out), grpc::StatusCode::INVALID_ARGUMENT, "AR10.14",
                      "INVALID_FIELDS", {"description", "reference"}));
  EXPECT_TRUE(AssetsOfCase(true).empty());
  // An account used for CSA direct debits is a bank account like any other.
  req = BankAccount();
  req.set_previous_address(false);
  req.set_used_for_csa_direct_debit(true);
  req.set_reference("200000 87654321");
  ASSERT_RPC_OK(Record(req, &out));
  EXPECT_TRUE(out.used_for_csa_direct_debit());
  EXPECT_EQ(out.reference(), "200000 ****4321");
}

TEST_F(ArrearsAssetsTest, AR10_14_TheDeductionOrderTeamRecordsOnlyWhileItWorksADisclosureSr) {
  Start();
  // No Disclosure SR: the DOT neither sees the casegroup nor records.
  cms::v1::RecordAssetRequest req = BankAccount();
  req.set_source(cms::v1::ASSET_SOURCE_DEDUCTION_ORDER_TEAM);
  Asset out;
  EXPECT_TRUE(Refused(Record(req, &out, kDot), grpc::StatusCode::PERMISSION_DENIED, "X13.1",
                      "PERMISSION_DENIED"));

  // The owning segment raises a Disclosure SR against the PP: the DOT works
  // it, and while it does it reads the casegroup and records what it finds.
  cms::v1::CreateServiceRequestRequest create;
  create.set_request_id(RandomRequestId());
  create.set_type_code("DISCLOSURE");
  create.set_casegroup_id(app_.casegroup().id());
  create.set_case_id(app_.case_().id());
  create.set_subject_person_id(Pp());
  create.set_source(cms::v1::SR_SOURCE_CASEWORKER);
  (*create.mutable_fields())["Disclosure Reason"] = "Arrears";
  cms::v1::CreateServiceRequestResponse created;
  ASSERT_RPC_OK(t_->service_requests().CreateServiceRequest(Owner().get(), create, &created));
  ServiceRequest disclosure = created.service_request();
  req.set_request_id(RandomRequestId());
  ASSERT_RPC_OK(Record(req, &out, kDot));
  EXPECT_EQ(out.recorded_by(), kDot);
  EXPECT_EQ(out.source(), cms::v1::ASSET_SOURCE_DEDUCTION_ORDER_TEAM);
  cms::v1::ListAssetsRequest by_case;
  by_case.set_case_id(app_.case_().id());
  cms::v1::ListAssetsResponse listed;
  ASSERT_RPC_OK(List(by_case, &listed, kDot));
  EXPECT_EQ(listed.assets_size(), 1);
  // The DOT still changes nothing else of the casegroup's arrears.
  cms::v1::RecordArrearsContactRequest contact;
  contact.set_request_id(RandomRequestId());
  contact.set_case_id(app_.case_().id());
  contact.set_outcome(cms::v1::ARREARS_CONTACT_OUTCOME_NO_CONTACT);
  contact.set_note("called");
  ArrearsAction action;
  EXPECT_EQ(t_->arrears().RecordArrearsContact(Ctx(kDot).get(), contact, &action).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // The DOT closes the Disclosure SR: from then on it records nothing.
  cms::v1::ChangeServiceRequestStatusRequest move;
  move.set_request_id(RandomRequestId());
  move.set_id(disclosure.id());
  move.set_etag(disclosure.etag());
  move.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
  ASSERT_RPC_OK(
      t_->service_requests().ChangeServiceRequestStatus(Ctx(kDot).get(), move, &disclosure));
  const std::vector<int64_t> activities = [&] {
    std::vector<int64_t> ids;
    for (const auto& a : disclosure.activities()) ids.push_back(a.id());
    return ids;
  }();
  for (int64_t id : activities) {
    cms::v1::UpdateActivityRequest done;
    done.set_request_id(RandomRequestId());
    done.set_service_request_id(disclosure.id());
    done.set_etag(disclosure.etag());
    done.set_activity_id(id);
    done.set_status(cms::v1::ACTIVITY_STATUS_DONE);
    ASSERT_RPC_OK(t_->service_requests().UpdateActivity(Ctx(kDot).get(), done, &disclosure));
  }
  move.set_request_id(RandomRequestId());
  move.set_etag(disclosure.etag());
  move.set_status(cms::v1::SR_STATUS_CLOSED);
  move.set_resolution_code("Disclosure Unsuccessful");
  ASSERT_RPC_OK(
      t_->service_requests().ChangeServiceRequestStatus(Ctx(kDot).get(), move, &disclosure));
  req.set_request_id(RandomRequestId());
  EXPECT_EQ(Record(req, &out, kDot).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Nor does it end what it recorded.
  const std::vector<Asset> assets = AssetsOfCase();
  ASSERT_EQ(assets.size(), 1u);
  cms::v1::EndAssetRequest end;
  end.set_request_id(RandomRequestId());
  end.set_id(assets[0].id());
  end.set_etag(assets[0].etag());
  end.set_reason("account closed");
  EXPECT_EQ(t_->arrears().EndAsset(Ctx(kDot).get(), end, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(AssetsOfCase().size(), 1u);
}

TEST_F(ArrearsAssetsTest, AR10_14_AnEndedAssetStaysListedWithIncludeClosed) {
  Start();
  const ArrearsAction action = TwoMissed();
  // A replayed record returns the first answer and records nothing more.
  const cms::v1::RecordAssetRequest req = BankAccount();
  Asset bank, replay;
  ASSERT_RPC_OK(Record(req, &bank));
  ASSERT_RPC_OK(Record(req, &replay));
  EXPECT_EQ(replay.id(), bank.id());
  EXPECT_EQ(AssetsOfCase().size(), 1u);

  // Ended with a stale etag: ABORTED, nothing changes.
  Asset stale = bank;
  stale.set_etag("\"7\"");
  Asset ended;
  EXPECT_EQ(End(stale, &ended).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(AssetsOfCase().size(), 1u);
  // Without a reason: INVALID_ARGUMENT naming it.
  EXPECT_TRUE(Refused(End(bank, &ended, RandomRequestId(), ""), grpc::StatusCode::INVALID_ARGUMENT,
                      "AR10.14", "INVALID_FIELDS", {"reason"}));

  const std::string id = RandomRequestId();
  ASSERT_RPC_OK(End(bank, &ended, id));
  EXPECT_EQ(ended.state(), cms::v1::ASSET_STATE_CLOSED);
  EXPECT_EQ(ended.end_reason(), "account closed (CRA, 2027-01-05)");
  EXPECT_TRUE(ended.has_end_time());
  EXPECT_NE(ended.etag(), bank.etag());
  Asset again;
  ASSERT_RPC_OK(End(bank, &again, id));  // a replay: the same answer
  EXPECT_EQ(again.etag(), ended.etag());
  EXPECT_TRUE(Refused(End(ended, &again), grpc::StatusCode::FAILED_PRECONDITION, "AR10.14",
                      "RULE_VIOLATION"))
      << "an asset is ended once";

  EXPECT_TRUE(AssetsOfCase().empty()) << "active assets only by default";
  const std::vector<Asset> all = AssetsOfCase(/*include_closed=*/true);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state(), cms::v1::ASSET_STATE_CLOSED);
  EXPECT_EQ(all[0].etag(), ended.etag());
  EXPECT_EQ(Fact("assets known"), "none");
  const auto events = Events(action.id(), cms::v1::ARREARS_EVENT_KIND_ASSET_ENDED);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].detail(), HasSubstr("account closed"));
}

TEST_F(ArrearsAssetsTest, AR10_11_AnRpNotReachedIsSentCmsl5511AndTheReferralWaitsSevenDays) {
  Start();
  const ArrearsAction a = TwoMissed();  // 12 January
  EXPECT_EQ(Fact("RP contact"), "not recorded");
  ArrearsAction out;
  // Reached, the RP's account is required.
  EXPECT_TRUE(Refused(RpContact(a, cms::v1::RP_CONTACT_OUTCOME_REACHED, "", &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AR10.11", "INVALID_FIELDS", {"note"}));
  // Only the owning segment decides.
  cms::v1::RecordRpContactRequest other;
  other.set_request_id(RandomRequestId());
  other.set_case_id(app_.case_().id());
  other.set_etag(a.etag());
  other.set_outcome(cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED);
  EXPECT_EQ(t_->arrears().RecordRpContact(Ctx(kCollections).get(), other, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  const std::string id = RandomRequestId();
  ASSERT_RPC_OK(
      RpContact(a, cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED, "called twice, no answer", &out, id));
  const cms::v1::RpContact& rp = out.rp_contact();
  EXPECT_EQ(rp.outcome(), cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED);
  EXPECT_EQ(rp.letter_template_code(), "CMSL5511");
  EXPECT_EQ(rp.service_request_id(), a.review_service_request_id());
  EXPECT_EQ(rp.contact_date().day(), 12);
  EXPECT_EQ(rp.wait_until().month(), 1);
  EXPECT_EQ(rp.wait_until().day(), 19) << "12 January + 7 days";
  EXPECT_EQ(out.state(), cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS);
  // The letter went to the RP, from the review.
  cms::v1::GetLetterRequest get;
  get.set_id(rp.letter_id());
  cms::v1::Letter letter;
  ASSERT_RPC_OK(t_->letters().GetLetter(Ctx(kSvc).get(), get, &letter));
  EXPECT_EQ(letter.template_code(), "CMSL5511");
  EXPECT_EQ(letter.person_id(), app_.case_().receiving_parent_id());
  EXPECT_EQ(letter.service_request_id(), a.review_service_request_id());
  // The review's notes say so.
  cms::v1::ListNotesRequest notes;
  notes.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
  notes.set_subject_id(a.review_service_request_id());
  cms::v1::ListNotesResponse listed;
  ASSERT_RPC_OK(t_->service_requests().ListNotes(Ctx(kSvc).get(), notes, &listed));
  bool noted = false;
  for (const auto& n : listed.notes()) {
    noted = noted ||
            (absl::StrContains(n.text(), "CMSL5511") && absl::StrContains(n.text(), "2027-01-19"));
  }
  EXPECT_TRUE(noted) << "the SR notes say CMSL5511 was issued and how long to wait";
  EXPECT_EQ(Fact("RP contact"),
            "not reached; CMSL5511 issued 2027-01-12; wait until 2027-01-19 (AR10.11)");
  EXPECT_EQ(Events(a.id(), cms::v1::ARREARS_EVENT_KIND_RP_CONTACT_RECORDED).size(), 1u);

  // A replay answers the same and issues no second letter; a stale etag is
  // ABORTED; a second NOT_REACHED while the wait runs is refused.
  ArrearsAction replay;
  ASSERT_RPC_OK(RpContact(a, cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED, "called twice, no answer",
                          &replay, id));
  EXPECT_EQ(replay.etag(), out.etag());
  EXPECT_EQ(replay.rp_contact().letter_id(), rp.letter_id());
  EXPECT_EQ(RpContact(a, cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED, "", &replay).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_TRUE(Refused(RpContact(out, cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED, "", &replay),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.11", "RULE_VIOLATION"));
  EXPECT_EQ(Events(a.id(), cms::v1::ARREARS_EVENT_KIND_RP_CONTACT_RECORDED).size(), 1u);

  // The RP gets in touch: what they said is recorded and the wait is over.
  ArrearsAction reached;
  ASSERT_RPC_OK(RpContact(out, cms::v1::RP_CONTACT_OUTCOME_REACHED,
                          "RP says the PP works for a builder and drives a van", &reached));
  EXPECT_EQ(reached.rp_contact().outcome(), cms::v1::RP_CONTACT_OUTCOME_REACHED);
  EXPECT_FALSE(reached.rp_contact().has_wait_until());
  EXPECT_EQ(reached.rp_contact().letter_id(), 0);
  EXPECT_EQ(Fact("RP contact"), "reached 2027-01-12");
}

TEST_F(ArrearsAssetsTest, AR10_11_TheWaitForTheRpIsTheServersFlag) {
  TestServerOptions options;
  options.payments.arrears_rp_contact_wait_days = 3;  // --arrears_rp_contact_wait_days=3
  Boot(options);
  Start();
  const ArrearsAction a = TwoMissed();
  ArrearsAction out;
  ASSERT_RPC_OK(RpContact(a, cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED, "", &out));
  EXPECT_EQ(out.rp_contact().wait_until().day(), 15) << "12 January + 3 days";
  EXPECT_EQ(Fact("RP contact"),
            "not reached; CMSL5511 issued 2027-01-12; wait until 2027-01-15 (AR10.11)");
  AdvanceDays(*t_, 3);  // 15 January: the wait is over
  EXPECT_EQ(Fact("RP contact"),
            "not reached; CMSL5511 issued 2027-01-12; the wait ended 2027-01-15 (AR10.11)");
  // Another NOT_REACHED may now be recorded (and another CMSL5511 issued).
  ArrearsAction again;
  ASSERT_RPC_OK(RpContact(out, cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED, "", &again));
  EXPECT_EQ(again.rp_contact().wait_until().day(), 18);
}

}  // namespace
}  // namespace cms::testing
