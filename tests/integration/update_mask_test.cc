// Update masks over a real server and database (X13 API contract, issue 13;
// AIP-134): UpdatePerson, UpdateCase and UpdateServiceRequestFields change
// only the fields their update_mask names, so a caller need not read and
// send back the rest; an unknown or immutable path is INVALID_ARGUMENT
// naming it and changes nothing; the etag is still checked (X13.3); an
// empty mask replaces every mutable field, as before masks existed.
#include <gtest/gtest.h>

#include <string>

#include "cms/v1/casegroup.grpc.pb.h"
#include "cms/v1/service_request.grpc.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::Case;
using cms::v1::Person;
using cms::v1::ServiceRequest;

constexpr char kCw[] = "cw.gb.new_case.a1";

::testing::AssertionResult Same(const google::protobuf::Message& a,
                                const google::protobuf::Message& b) {
  if (google::protobuf::util::MessageDifferencer::Equals(a, b)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << a.ShortDebugString() << "\n vs " << b.ShortDebugString();
}

class UpdateMaskTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { t_ = TestServer::Start().release(); }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }
  static std::unique_ptr<grpc::ClientContext> Ctx() { return t_->Context(kCw); }

  void SetUp() override {
    ASSERT_RPC_OK(t_->casegroups().CreateApplication(
        Ctx().get(), ApplicationRequest(NewPerson("Ann", "NE1 4ST"), NewPerson("Bo", "NE2 4AA")),
        &app_));
  }

  Person GetPerson(int64_t id) {
    cms::v1::GetPersonRequest get;
    get.set_id(id);
    Person p;
    EXPECT_RPC_OK(t_->casegroups().GetPerson(Ctx().get(), get, &p));
    return p;
  }

  Case GetCase(int64_t id) {
    cms::v1::GetCaseRequest get;
    get.set_id(id);
    Case c;
    EXPECT_RPC_OK(t_->casegroups().GetCase(Ctx().get(), get, &c));
    return c;
  }

  ServiceRequest GetSr(int64_t id) {
    cms::v1::GetServiceRequestRequest get;
    get.set_id(id);
    ServiceRequest sr;
    EXPECT_RPC_OK(t_->service_requests().GetServiceRequest(Ctx().get(), get, &sr));
    return sr;
  }

  // An UpdatePerson naming `paths`, carrying only id, etag and `fields`.
  static cms::v1::UpdatePersonRequest PersonUpdate(const Person& current,
                                                   std::vector<std::string> paths) {
    cms::v1::UpdatePersonRequest req;
    req.set_request_id(RandomRequestId());
    req.mutable_person()->set_id(current.id());
    req.mutable_person()->set_etag(current.etag());
    for (auto& p : paths) req.mutable_update_mask()->add_paths(p);
    return req;
  }

  static TestServer* t_;
  cms::v1::Application app_;
};

TestServer* UpdateMaskTest::t_ = nullptr;

TEST_F(UpdateMaskTest, UpdatePersonChangesOnlyTheNamedFields) {
  // AIP-134, C2.1: no read-modify-write; the rest of the person is kept.
  const Person before = GetPerson(app_.casegroup().paying_parent_id());
  cms::v1::UpdatePersonRequest req = PersonUpdate(before, {"phone"});
  req.mutable_person()->set_phone("07700 900123");
  req.mutable_person()->set_given_name("Not named, so not changed");
  Person updated;
  ASSERT_RPC_OK(t_->casegroups().UpdatePerson(Ctx().get(), req, &updated));
  EXPECT_EQ(updated.phone(), "07700 900123");
  EXPECT_NE(updated.etag(), before.etag());
  Person want = before;
  want.set_phone("07700 900123");
  want.set_etag(updated.etag());
  EXPECT_TRUE(Same(GetPerson(before.id()), want));

  // A nested path changes that subfield alone: the address lines stay.
  req = PersonUpdate(updated, {"residential_address.postcode"});
  req.mutable_person()->mutable_residential_address()->set_postcode("ne3 1aa");
  Person moved;
  ASSERT_RPC_OK(t_->casegroups().UpdatePerson(Ctx().get(), req, &moved));
  EXPECT_EQ(moved.residential_address().postcode(), "NE3 1AA");  // normalised (C2.1)
  EXPECT_TRUE(Same(moved.residential_address(), [&] {
    cms::v1::Address want = before.residential_address();
    want.set_postcode("NE3 1AA");
    return want;
  }()));
  EXPECT_EQ(moved.given_name(), "Ann");
  EXPECT_EQ(moved.phone(), "07700 900123");
}

TEST_F(UpdateMaskTest, UpdatePersonRefusesUnknownAndImmutablePathsAndChangesNothing) {
  // X13.5: each bad path named; AIP-134: the whole request is refused.
  const Person before = GetPerson(app_.casegroup().paying_parent_id());
  cms::v1::UpdatePersonRequest req =
      PersonUpdate(before, {"phone", "shoe_size", "id", "residential_address.street"});
  req.mutable_person()->set_phone("07700 900999");
  Person out;
  const grpc::Status s = t_->casegroups().UpdatePerson(Ctx().get(), req, &out);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"update_mask.paths[1]", "update_mask.paths[2]", "update_mask.paths[3]"}));
  const cms::v1::ErrorInfo info = ErrorInfoOf(s);
  ASSERT_EQ(info.field_violations_size(), 3);
  EXPECT_NE(info.field_violations(0).description().find("shoe_size"), std::string::npos);
  EXPECT_NE(info.field_violations(1).description().find("\"id\""), std::string::npos);
  EXPECT_TRUE(Same(GetPerson(before.id()), before));

  // A bad value in a named field is refused as a create would refuse it.
  req = PersonUpdate(before, {"nino"});
  req.mutable_person()->set_nino("NOT A NINO");
  EXPECT_TRUE(Refused(t_->casegroups().UpdatePerson(Ctx().get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "C2.1", "INVALID_FIELDS",
                      {"person.nino"}));
  EXPECT_TRUE(Same(GetPerson(before.id()), before));
}

TEST_F(UpdateMaskTest, UpdatePersonWithAMaskStillChecksTheEtag) {
  // X13.3: a stale etag is ABORTED, mask or not, and changes nothing.
  const Person before = GetPerson(app_.casegroup().paying_parent_id());
  cms::v1::UpdatePersonRequest first = PersonUpdate(before, {"email"});
  first.mutable_person()->set_email("ann@example.org");
  Person now;
  ASSERT_RPC_OK(t_->casegroups().UpdatePerson(Ctx().get(), first, &now));
  cms::v1::UpdatePersonRequest stale = PersonUpdate(before, {"phone"});
  stale.mutable_person()->set_phone("07700 900000");
  Person out;
  EXPECT_TRUE(Refused(t_->casegroups().UpdatePerson(Ctx().get(), stale, &out),
                      grpc::StatusCode::ABORTED, "X13.3", "STALE_ETAG"));
  EXPECT_TRUE(Same(GetPerson(before.id()), now));
}

TEST_F(UpdateMaskTest, UpdatePersonWithoutAMaskReplacesEveryMutableField) {
  // The documented default (kept from before masks): full replacement, so a
  // field left out is cleared.
  const Person before = GetPerson(app_.casegroup().paying_parent_id());
  cms::v1::UpdatePersonRequest set = PersonUpdate(before, {"phone"});
  set.mutable_person()->set_phone("07700 900123");
  Person with_phone;
  ASSERT_RPC_OK(t_->casegroups().UpdatePerson(Ctx().get(), set, &with_phone));
  cms::v1::UpdatePersonRequest whole;
  whole.set_request_id(RandomRequestId());
  *whole.mutable_person() = with_phone;
  whole.mutable_person()->clear_phone();
  whole.mutable_person()->set_given_name("Anne");
  Person replaced;
  ASSERT_RPC_OK(t_->casegroups().UpdatePerson(Ctx().get(), whole, &replaced));
  EXPECT_EQ(replaced.phone(), "");
  EXPECT_EQ(replaced.given_name(), "Anne");
  EXPECT_EQ(replaced.nino(), before.nino());
}

TEST_F(UpdateMaskTest, UpdateCaseChangesOnlyTheNamedFields) {
  // C2.2, AIP-134: the review date alone, without restating the stage.
  const Case before = GetCase(app_.case_().id());
  cms::v1::UpdateCaseRequest req;
  req.set_request_id(RandomRequestId());
  req.set_id(before.id());
  req.set_etag(before.etag());
  req.mutable_annual_review_date()->set_year(2031);
  req.mutable_annual_review_date()->set_month(3);
  req.mutable_annual_review_date()->set_day(14);
  req.mutable_update_mask()->add_paths("annual_review_date");
  Case updated;
  ASSERT_RPC_OK(t_->casegroups().UpdateCase(Ctx().get(), req, &updated));
  EXPECT_EQ(updated.annual_review_date().year(), 2031);
  EXPECT_EQ(updated.lifecycle_stage(), before.lifecycle_stage());
  Case want = before;
  *want.mutable_annual_review_date() = req.annual_review_date();
  want.set_etag(updated.etag());
  EXPECT_TRUE(Same(GetCase(before.id()), want));

  // Naming the stage makes it required, as without a mask.
  cms::v1::UpdateCaseRequest no_stage;
  no_stage.set_request_id(RandomRequestId());
  no_stage.set_id(before.id());
  no_stage.set_etag(updated.etag());
  no_stage.mutable_update_mask()->add_paths("lifecycle_stage");
  Case out;
  EXPECT_TRUE(Refused(t_->casegroups().UpdateCase(Ctx().get(), no_stage, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "C2.2", "INVALID_FIELDS",
                      {"lifecycle_stage"}));

  // A field the request does not carry is not a path it may name.
  no_stage.mutable_update_mask()->set_paths(0, "service_type");
  EXPECT_TRUE(Refused(t_->casegroups().UpdateCase(Ctx().get(), no_stage, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"update_mask.paths[0]"}));

  // X13.3: stale.
  req.set_request_id(RandomRequestId());
  EXPECT_TRUE(Refused(t_->casegroups().UpdateCase(Ctx().get(), req, &out),
                      grpc::StatusCode::ABORTED, "X13.3", "STALE_ETAG"));
  EXPECT_TRUE(Same(GetCase(before.id()), want));
}

TEST_F(UpdateMaskTest, UpdateServiceRequestFieldsSetsAndRemovesEntriesOneByOne) {
  // SR5.4, AIP-134: "fields.<key>" entries; the others are kept.
  cms::v1::CreateServiceRequestRequest create;
  create.set_request_id(RandomRequestId());
  create.set_type_code("CHANGE_OF_CIRCUMSTANCE");
  create.set_casegroup_id(app_.casegroup().id());
  create.set_case_id(app_.case_().id());
  create.set_source(cms::v1::SR_SOURCE_CASEWORKER);
  (*create.mutable_fields())["Change Type"] = "Income";
  (*create.mutable_fields())["Employer"] = "Acme Ltd";
  cms::v1::CreateServiceRequestResponse created;
  ASSERT_RPC_OK(t_->service_requests().CreateServiceRequest(Ctx().get(), create, &created));
  const ServiceRequest sr = created.service_request();

  cms::v1::UpdateServiceRequestFieldsRequest req;
  req.set_request_id(RandomRequestId());
  req.set_id(sr.id());
  req.set_etag(sr.etag());
  (*req.mutable_fields())["Employer"] = "Beta Ltd";
  (*req.mutable_fields())["Ignored"] = "not named";  // not written, so not checked (SR5.4)
  req.mutable_update_mask()->add_paths("fields.Employer");
  req.mutable_update_mask()->add_paths("fields.`Effective Date`");  // absent: removed (was absent)
  ServiceRequest updated;
  ASSERT_RPC_OK(t_->service_requests().UpdateServiceRequestFields(Ctx().get(), req, &updated));
  EXPECT_EQ(updated.fields().size(), 2u);
  EXPECT_EQ(updated.fields().at("Employer"), "Beta Ltd");
  EXPECT_EQ(updated.fields().at("Change Type"), "Income");

  // Past OPEN, removing a mandatory field is refused (SR5.4) and changes nothing.
  cms::v1::ChangeServiceRequestStatusRequest start;
  start.set_request_id(RandomRequestId());
  start.set_id(sr.id());
  start.set_etag(updated.etag());
  start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
  ServiceRequest in_progress;
  ASSERT_RPC_OK(
      t_->service_requests().ChangeServiceRequestStatus(Ctx().get(), start, &in_progress));
  cms::v1::UpdateServiceRequestFieldsRequest drop;
  drop.set_request_id(RandomRequestId());
  drop.set_id(sr.id());
  drop.set_etag(in_progress.etag());
  drop.mutable_update_mask()->add_paths("fields.`Change Type`");
  ServiceRequest out;
  EXPECT_TRUE(Refused(t_->service_requests().UpdateServiceRequestFields(Ctx().get(), drop, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"fields[Change Type]"}));
  EXPECT_TRUE(Same(GetSr(sr.id()), in_progress));

  // Only the map may be named.
  drop.mutable_update_mask()->set_paths(0, "status");
  EXPECT_TRUE(Refused(t_->service_requests().UpdateServiceRequestFields(Ctx().get(), drop, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"update_mask.paths[0]"}));
  // X13.3: stale.
  req.set_request_id(RandomRequestId());
  EXPECT_TRUE(Refused(t_->service_requests().UpdateServiceRequestFields(Ctx().get(), req, &out),
                      grpc::StatusCode::ABORTED, "X13.3", "STALE_ETAG"));
  EXPECT_TRUE(Same(GetSr(sr.id()), in_progress));
}

}  // namespace
}  // namespace cms::testing
