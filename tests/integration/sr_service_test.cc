// ServiceRequestService over a real database: catalog (SR5.1), status
// machine (SR5.2), activity plans (SR5.3), declared and mandatory fields
// (SR5.4),
// relations (SR5.5), notes (SR5.6), functionally unique routing (SR5.7),
// source (SR5.8), wait dates (SR5.9), duplicates (SR5.10), W4.2.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "cms/v1/admin.grpc.pb.h"
#include "cms/v1/service_request.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::ServiceRequest;

constexpr char kCw[] = "cw.gb.new_case.a1";

class SrServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = TestServer::Start().release();
    stub_ = cms::v1::ServiceRequestService::NewStub(server_->channel()).release();
  }
  static void TearDownTestSuite() {
    delete stub_;
    delete server_;
  }

  static cms::v1::ServiceRequestService::Stub& srs() { return *stub_; }
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff = kCw) {
    return server_->Context(staff);
  }

  cms::v1::Application Apply(const cms::v1::Person& pp, const cms::v1::Person& rp,
                             const std::string& staff = kCw) {
    cms::v1::Application app;
    EXPECT_RPC_OK(server_->casegroups().CreateApplication(Ctx(staff).get(),
                                                          ApplicationRequest(pp, rp), &app));
    return app;
  }

  cms::v1::CreateServiceRequestRequest NewSr(const cms::v1::Application& app,
                                             const std::string& type) {
    cms::v1::CreateServiceRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_type_code(type);
    req.set_casegroup_id(app.casegroup().id());
    req.set_case_id(app.case_().id());
    req.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    return req;
  }

  ServiceRequest Create(const cms::v1::CreateServiceRequestRequest& req,
                        const std::string& staff = kCw) {
    cms::v1::CreateServiceRequestResponse out;
    EXPECT_RPC_OK(srs().CreateServiceRequest(Ctx(staff).get(), req, &out));
    return out.service_request();
  }

  grpc::Status Move(ServiceRequest& sr, cms::v1::SrStatus to, const std::string& resolution = "",
                    const std::string& sub_status = "", int wait_days = 0) {
    cms::v1::ChangeServiceRequestStatusRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(sr.id());
    req.set_etag(sr.etag());
    req.set_status(to);
    req.set_resolution_code(resolution);
    req.set_sub_status(sub_status);
    req.set_wait_days(wait_days);
    ServiceRequest out;
    grpc::Status s = srs().ChangeServiceRequestStatus(Ctx().get(), req, &out);
    if (s.ok()) sr = out;
    return s;
  }

  grpc::Status Mark(ServiceRequest& sr, int64_t activity_id, cms::v1::ActivityStatus status) {
    cms::v1::UpdateActivityRequest req;
    req.set_request_id(RandomRequestId());
    req.set_service_request_id(sr.id());
    req.set_etag(sr.etag());
    req.set_activity_id(activity_id);
    req.set_status(status);
    ServiceRequest out;
    grpc::Status s = srs().UpdateActivity(Ctx().get(), req, &out);
    if (s.ok()) sr = out;
    return s;
  }

  ServiceRequest Get(int64_t id) {
    cms::v1::GetServiceRequestRequest get;
    get.set_id(id);
    ServiceRequest sr;
    EXPECT_RPC_OK(srs().GetServiceRequest(Ctx().get(), get, &sr));
    return sr;
  }

  // The audit rows of an entity, or of an actor (entity_type empty), counted
  // across pages (X13.2).
  static int AuditRows(const std::string& entity_type, const std::string& entity_id,
                       const std::string& actor = "") {
    cms::v1::ListAuditEventsRequest req;
    req.set_entity_type(entity_type);
    req.set_entity_id(entity_id);
    req.set_actor(actor);
    req.set_page_size(1000);
    int rows = 0;
    for (;;) {
      cms::v1::ListAuditEventsResponse page;
      grpc::Status s = server_->admin().ListAuditEvents(Ctx("svc.manager").get(), req, &page);
      EXPECT_TRUE(s.ok()) << Describe(s);
      rows += page.events_size();
      if (!s.ok() || page.next_page_token().empty()) return rows;
      req.set_page_token(page.next_page_token());
    }
  }

  int SrsOf(const cms::v1::Application& app) {
    cms::v1::ListServiceRequestsRequest req;
    req.set_casegroup_id(app.casegroup().id());
    req.set_include_closed(true);
    req.set_page_size(1000);
    cms::v1::ListServiceRequestsResponse out;
    EXPECT_RPC_OK(srs().ListServiceRequests(Ctx().get(), req, &out));
    return out.service_requests_size();
  }

  static TestServer* server_;
  static cms::v1::ServiceRequestService::Stub* stub_;
};

TestServer* SrServiceTest::server_ = nullptr;
cms::v1::ServiceRequestService::Stub* SrServiceTest::stub_ = nullptr;

TEST_F(SrServiceTest, CatalogIsServed) {
  // SR5.1
  cms::v1::ListSrTypesResponse out;
  ASSERT_RPC_OK(srs().ListSrTypes(Ctx("qa.auditor").get(), {}, &out));
  EXPECT_GE(out.types_size(), 18);
  bool arrears = false;
  for (const auto& t : out.types()) {
    arrears |= t.process() == "Arrears" && t.area() == "Arrears Management" &&
               t.sub_area() == "Arrears Review";
  }
  EXPECT_TRUE(arrears);
}

TEST_F(SrServiceTest, CaseOwningSrFollowsTheCasegroup) {
  // W4.2, SR5.8
  auto app = Apply(NewPerson("Ola", "SW1A 1AA"), NewPerson("Oli", "SW1A 2AA"));
  auto req = NewSr(app, "CHANGE_INCOME");
  (*req.mutable_fields())["Evidence"] = "payslip";
  ServiceRequest sr = Create(req);
  EXPECT_EQ(sr.status(), cms::v1::SR_STATUS_OPEN);
  EXPECT_EQ(sr.owning_segment_id(), app.casegroup().owning_segment_id());
  EXPECT_EQ(sr.allocated_to(), app.casegroup().allocated_to());
  EXPECT_EQ(sr.source(), cms::v1::SR_SOURCE_CASEWORKER);
  EXPECT_EQ(sr.created_by(), kCw);
  EXPECT_EQ(sr.sub_area(), "Change Income");
  EXPECT_EQ(sr.kind(), cms::v1::SR_KIND_CASE_OWNING);
  EXPECT_TRUE(sr.activities().empty());  // the plan comes with IN_PROGRESS
  // The create response is built in memory: it must be the SR as stored.
  ServiceRequest stored;
  cms::v1::GetServiceRequestRequest get;
  get.set_id(sr.id());
  ASSERT_RPC_OK(srs().GetServiceRequest(Ctx().get(), get, &stored));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(sr, stored))
      << sr.DebugString() << "\nvs stored\n"
      << stored.DebugString();

  // X13.4: a replay returns the same SR.
  EXPECT_EQ(Create(req).id(), sr.id());
}

TEST_F(SrServiceTest, CreateRefusalsNameEachField) {
  // SR5.4, SR5.8, X13.5
  auto app = Apply(NewPerson("Pam", "M1 1AE"), NewPerson("Pia", "M1 1AE"));
  auto req = NewSr(app, "ARREARS_REVIEW");  // mandatory field "Reason"
  req.set_source(cms::v1::SR_SOURCE_UNSPECIFIED);
  cms::v1::CreateServiceRequestResponse out;
  grpc::Status s = srs().CreateServiceRequest(Ctx().get(), req, &out);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"source", "fields[Reason]"}));
  auto unknown = NewSr(app, "NO_SUCH_TYPE");
  EXPECT_TRUE(Refused(srs().CreateServiceRequest(Ctx().get(), unknown, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"type_code"}));
  auto fu = NewSr(app, "DISCLOSURE");
  (*fu.mutable_fields())["Disclosure Reason"] = "Arrears";
  EXPECT_TRUE(Refused(srs().CreateServiceRequest(Ctx().get(), fu, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"subject_person_id"}));
  cms::v1::ListServiceRequestsRequest list;
  list.set_casegroup_id(app.casegroup().id());
  cms::v1::ListServiceRequestsResponse srs_out;
  ASSERT_RPC_OK(srs().ListServiceRequests(Ctx().get(), list, &srs_out));
  EXPECT_EQ(srs_out.service_requests_size(), 0);
}

TEST_F(SrServiceTest, UndeclaredFieldsAreRefusedOnCreateNamingEachAndNothingIsWritten) {
  // SR5.4, X13.5 (issue 17 defect 9): an SR holds only the fields its type
  // declares (ListSrTypes); each other key is named, and nothing is written.
  auto app = Apply(NewPerson("Fay", "M1 1AE"), NewPerson("Fin", "M1 1AE"));
  const int audit_before = AuditRows("", "", kCw);
  auto req = NewSr(app, "CHANGE_INCOME");  // declares Effective Date, Evidence
  (*req.mutable_fields())["Evidence"] = "payslip";
  (*req.mutable_fields())["Colour"] = "blue";
  (*req.mutable_fields())["Shoe Size"] = "9";
  (*req.mutable_fields())["evidence"] = "names are exact";
  cms::v1::CreateServiceRequestResponse out;
  grpc::Status s = srs().CreateServiceRequest(Ctx().get(), req, &out);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"fields[Colour]", "fields[Shoe Size]", "fields[evidence]"}));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "its fields: Effective Date, Evidence"))
      << s.error_message();

  // 1,000 arbitrary keys: one violation on the map, not a thousand.
  auto many = NewSr(app, "ARREARS_REVIEW");
  (*many.mutable_fields())["Reason"] = "Arrears Routing Logic";
  for (int i = 0; i < 1000; ++i) (*many.mutable_fields())[absl::StrCat("key", i)] = "v";
  EXPECT_TRUE(Refused(srs().CreateServiceRequest(Ctx().get(), many, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS", {"fields"}));

  // A type that declares no field takes none; a declared field's value is
  // bounded and free of control characters.
  auto address = NewSr(app, "CHANGE_OF_ADDRESS");
  (*address.mutable_fields())["Reason"] = "moved";
  EXPECT_TRUE(Refused(srs().CreateServiceRequest(Ctx().get(), address, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"fields[Reason]"}));
  auto bad_value = NewSr(app, "CHANGE_INCOME");
  (*bad_value.mutable_fields())["Evidence"] = "pay\x1b[2Jslip";
  (*bad_value.mutable_fields())["Effective Date"] = std::string(2001, '9');
  EXPECT_TRUE(Refused(srs().CreateServiceRequest(Ctx().get(), bad_value, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"fields[Evidence]", "fields[Effective Date]"}));

  EXPECT_EQ(SrsOf(app), 0);
  EXPECT_EQ(AuditRows("", "", kCw), audit_before);
}

TEST_F(SrServiceTest, UndeclaredFieldsAreRefusedOnUpdateAndTheSrIsUnchanged) {
  // SR5.4, X13.5 (issue 17 defect 9): with or without an update mask.
  auto app = Apply(NewPerson("Gus", "M1 1AE"), NewPerson("Gil", "M1 1AE"));
  auto req = NewSr(app, "CHANGE_OF_CIRCUMSTANCE");
  (*req.mutable_fields())["Change Type"] = "Income";
  const ServiceRequest sr = Create(req);
  const std::string id = absl::StrCat(sr.id());
  const int audit_before = AuditRows("service_request", id);

  auto update = [&](std::map<std::string, std::string> fields, std::vector<std::string> paths) {
    cms::v1::UpdateServiceRequestFieldsRequest u;
    u.set_request_id(RandomRequestId());
    u.set_id(sr.id());
    u.set_etag(sr.etag());
    for (const auto& [k, v] : fields) (*u.mutable_fields())[k] = v;
    for (const auto& p : paths) u.mutable_update_mask()->add_paths(p);
    ServiceRequest out;
    return srs().UpdateServiceRequestFields(Ctx().get(), u, &out);
  };
  // The whole map replaced.
  EXPECT_TRUE(Refused(update({{"Change Type", "Income"}, {"Colour", "blue"}}, {}),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"fields[Colour]"}));
  EXPECT_TRUE(Refused(update({{"Change Type", "Income"}, {"Colour", "blue"}}, {"fields"}),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"fields[Colour]"}));
  // One entry named by the mask.
  EXPECT_TRUE(Refused(
      update({{"Colour", "blue"}, {"Shoe Size", "9"}}, {"fields.Colour", "fields.`Shoe Size`"}),
      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
      {"fields[Colour]", "fields[Shoe Size]"}));
  // 1,000 arbitrary keys.
  std::map<std::string, std::string> many = {{"Change Type", "Income"}};
  for (int i = 0; i < 1000; ++i) many[absl::StrCat("key", i)] = "v";
  EXPECT_TRUE(Refused(update(many, {}), grpc::StatusCode::INVALID_ARGUMENT, "SR5.4",
                      "INVALID_FIELDS", {"fields"}));
  // A NUL-free but control-laden value of a declared field.
  EXPECT_TRUE(Refused(update({{"Employer", "Acme\x07"}}, {"fields.Employer"}),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.4", "INVALID_FIELDS",
                      {"fields[Employer]"}));

  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(Get(sr.id()), sr));
  EXPECT_EQ(AuditRows("service_request", id), audit_before);

  // Declared fields go in; an entry the request leaves out is not written.
  ASSERT_RPC_OK(update({{"Employer", "Acme Ltd"}, {"Colour", "not named"}}, {"fields.Employer"}));
  EXPECT_EQ(Get(sr.id()).fields().at("Employer"), "Acme Ltd");
  EXPECT_EQ(Get(sr.id()).fields().count("Colour"), 0u);
}

TEST_F(SrServiceTest, EveryDeclaredFieldOfEveryTypeIsAccepted) {
  // SR5.4, SR5.1: the catalog served by ListSrTypes declares each type's
  // fields; an SR of each type takes all of them, on create and (for the
  // case-owning types, which the caseworker works) on update.
  cms::v1::ListSrTypesRequest list;
  list.set_page_size(1000);
  cms::v1::ListSrTypesResponse catalog;
  ASSERT_RPC_OK(srs().ListSrTypes(Ctx().get(), list, &catalog));
  auto app = Apply(NewPerson("Hal", "M1 1AE"), NewPerson("Hip", "M1 1AE"));
  int declared = 0;
  for (const cms::v1::SrType& type : catalog.types()) {
    std::vector<std::string> mandatory;
    for (const auto& f : type.fields()) {
      if (f.mandatory()) mandatory.push_back(f.name());
    }
    EXPECT_EQ(mandatory, std::vector<std::string>(type.mandatory_fields().begin(),
                                                  type.mandatory_fields().end()))
        << type.code();
    auto req = NewSr(app, type.code());
    if (type.kind() == cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE) {
      req.set_subject_person_id(app.casegroup().paying_parent_id());
    }
    for (const auto& f : type.fields()) {
      (*req.mutable_fields())[f.name()] = absl::StrContains(f.name(), "Date") ? "2027-01-15" : "Y";
      ++declared;
    }
    cms::v1::CreateServiceRequestResponse created;
    const grpc::Status create = srs().CreateServiceRequest(Ctx().get(), req, &created);
    if (type.code() == "COMPLIANCE_OPPORTUNITY_OUTCOME") {
      // S5.12: raised through the compliance opportunity only, which fills
      // its fields (S5.8); a caller's own is refused.
      EXPECT_TRUE(
          Refused(create, grpc::StatusCode::FAILED_PRECONDITION, "S5.12", "RULE_VIOLATION"));
      continue;
    }
    ASSERT_TRUE(create.ok()) << type.code() << ": " << Describe(create);
    EXPECT_EQ(created.service_request().fields_size(), type.fields_size()) << type.code();
    if (type.kind() != cms::v1::SR_KIND_CASE_OWNING || type.fields().empty()) continue;
    cms::v1::UpdateServiceRequestFieldsRequest u;
    u.set_request_id(RandomRequestId());
    u.set_id(created.service_request().id());
    u.set_etag(Get(created.service_request().id()).etag());
    for (const auto& f : type.fields()) (*u.mutable_fields())[f.name()] = "updated " + f.name();
    ServiceRequest updated;
    const grpc::Status update = srs().UpdateServiceRequestFields(Ctx().get(), u, &updated);
    ASSERT_TRUE(update.ok()) << type.code() << ": " << Describe(update);
    EXPECT_EQ(updated.fields_size(), type.fields_size()) << type.code();
  }
  EXPECT_GT(declared, 20);
}

TEST_F(SrServiceTest, ListPagesAndBindsItsTokenToIncludeClosed) {
  // W4.3 paging and AIP-158 (X13 API contract): pages of one walk every SR;
  // a token returned with include_closed unset is refused once it is set.
  auto app = Apply(NewPerson("Pat", "LS2 7EY"), NewPerson("Pol", "LS2 7EY"));
  std::vector<int64_t> created;
  for (int i = 0; i < 3; ++i) created.push_back(Create(NewSr(app, "CHANGE_OF_ADDRESS")).id());
  cms::v1::ListServiceRequestsRequest list;
  list.set_casegroup_id(app.casegroup().id());
  list.set_page_size(1);
  std::vector<int64_t> paged;
  std::string token;
  for (int i = 0; i < 10; ++i) {
    cms::v1::ListServiceRequestsResponse page;
    ASSERT_RPC_OK(srs().ListServiceRequests(Ctx().get(), list, &page));
    for (const auto& sr : page.service_requests()) paged.push_back(sr.id());
    if (page.next_page_token().empty()) break;
    if (token.empty()) token = page.next_page_token();
    list.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(paged, created);
  cms::v1::ListServiceRequestsRequest flipped;
  flipped.set_casegroup_id(app.casegroup().id());
  flipped.set_include_closed(true);
  flipped.set_page_token(token);
  cms::v1::ListServiceRequestsResponse out;
  EXPECT_TRUE(Refused(srs().ListServiceRequests(Ctx().get(), flipped, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));
  flipped.set_include_closed(false);
  flipped.set_page_size(100000);  // AIP-158: clamped, not refused
  ASSERT_RPC_OK(srs().ListServiceRequests(Ctx().get(), flipped, &out));
  EXPECT_EQ(out.service_requests_size(), 2);
}

TEST_F(SrServiceTest, ErrorTrailerDecodesWithPlainGoogleRpcTypes) {
  // X13.5 (AIP-193): a generic gRPC tool, knowing no cms.v1 type, reads the
  // grpc-status-details-bin trailer as google.rpc.Status and finds the rule
  // in ErrorInfo.metadata["rule_id"] and each bad field in BadRequest.
  auto app = Apply(NewPerson("Gus", "M1 1AE"), NewPerson("Gil", "M1 1AE"));
  auto req = NewSr(app, "ARREARS_REVIEW");  // mandatory field "Reason"
  req.set_source(cms::v1::SR_SOURCE_UNSPECIFIED);
  cms::v1::CreateServiceRequestResponse out;
  grpc::Status s = srs().CreateServiceRequest(Ctx().get(), req, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status status;
  ASSERT_TRUE(status.ParseFromString(s.error_details()));
  EXPECT_EQ(status.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(status.message(), s.error_message());
  std::vector<google::rpc::ErrorInfo> infos;
  std::vector<std::string> fields;
  for (const google::protobuf::Any& any : status.details()) {
    if (google::rpc::ErrorInfo info; any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
      infos.push_back(info);
    }
    if (google::rpc::BadRequest bad; any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) {
        EXPECT_FALSE(v.description().empty()) << v.field();
        fields.push_back(v.field());
      }
    }
  }
  ASSERT_EQ(infos.size(), 1u) << status.ShortDebugString();
  EXPECT_EQ(infos[0].reason(), "INVALID_FIELDS");
  EXPECT_EQ(infos[0].domain(), "cms.v1");
  EXPECT_EQ(infos[0].metadata().at("rule_id"), "SR5.4");
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{"fields[Reason]", "source"}));

  // A refusal without bad fields carries no BadRequest, and a rule-less one
  // no rule_id; both still carry an ErrorInfo with a reason.
  cms::v1::GetServiceRequestRequest get;
  get.set_id(987654321);
  cms::v1::ServiceRequest missing;
  grpc::Status not_found = srs().GetServiceRequest(Ctx().get(), get, &missing);
  ASSERT_EQ(not_found.error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(status.ParseFromString(not_found.error_details()));
  bool saw_info = false;
  for (const google::protobuf::Any& any : status.details()) {
    EXPECT_FALSE(any.Is<google::rpc::BadRequest>());
    if (google::rpc::ErrorInfo info; any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
      saw_info = true;
      EXPECT_EQ(info.reason(), "NOT_FOUND");
      EXPECT_FALSE(info.metadata().contains("rule_id"));
    }
  }
  EXPECT_TRUE(saw_info) << status.ShortDebugString();
}

TEST_F(SrServiceTest, OneOpenArrearsReviewPerCase) {
  // SR5.10 (AR10.2): the second create returns the open one.
  auto app = Apply(NewPerson("Dan", "LS1 1UR"), NewPerson("Dee", "LS1 1UR"));
  auto req = NewSr(app, "ARREARS_REVIEW");
  (*req.mutable_fields())["Reason"] = "Arrears Routing Logic";
  ServiceRequest first = Create(req);
  auto again = req;
  again.set_request_id(RandomRequestId());
  cms::v1::CreateServiceRequestResponse out;
  ASSERT_RPC_OK(srs().CreateServiceRequest(Ctx().get(), again, &out));
  EXPECT_TRUE(out.existing());
  EXPECT_EQ(out.service_request().id(), first.id());
  // Once it is cancelled a new one may be raised.
  ASSERT_RPC_OK(Move(first, cms::v1::SR_STATUS_CANCELLED));
  EXPECT_EQ(first.sub_status(), "Cancelled");
  again.set_request_id(RandomRequestId());
  ASSERT_RPC_OK(srs().CreateServiceRequest(Ctx().get(), again, &out));
  EXPECT_FALSE(out.existing());
  EXPECT_NE(out.service_request().id(), first.id());
}

TEST_F(SrServiceTest, LifecycleWithPlanActivitiesAndClose) {
  // SR5.2, SR5.3
  auto app = Apply(NewPerson("Liv", "B1 1AA"), NewPerson("Lee", "B2 4QA"));
  ServiceRequest sr = Create(NewSr(app, "CHANGE_OF_ADDRESS"));
  grpc::Status illegal = Move(sr, cms::v1::SR_STATUS_CLOSED, "Address Updated");
  EXPECT_TRUE(Refused(illegal, grpc::StatusCode::FAILED_PRECONDITION, "SR5.2", "RULE_VIOLATION"));
  EXPECT_NE(illegal.error_message().find("IN_PROGRESS, CANCELLED"), std::string::npos)
      << illegal.error_message();

  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));
  ASSERT_EQ(sr.activities_size(), 2);  // the Change of Address template
  EXPECT_EQ(sr.activities(0).name(), "Verify the new address");
  EXPECT_TRUE(sr.activities(0).mandatory());

  grpc::Status open = Move(sr, cms::v1::SR_STATUS_CLOSED, "Address Updated");
  EXPECT_TRUE(Refused(open, grpc::StatusCode::FAILED_PRECONDITION, "SR5.3", "RULE_VIOLATION"));
  EXPECT_TRUE(Refused(Mark(sr, sr.activities(0).id(), cms::v1::ACTIVITY_STATUS_NOT_REQUIRED),
                      grpc::StatusCode::FAILED_PRECONDITION, "SR5.3", "RULE_VIOLATION"));
  ASSERT_RPC_OK(Mark(sr, sr.activities(0).id(), cms::v1::ACTIVITY_STATUS_DONE));
  ASSERT_RPC_OK(Mark(sr, sr.activities(1).id(), cms::v1::ACTIVITY_STATUS_DONE));
  EXPECT_EQ(sr.activities(1).completed_by(), kCw);

  // A stale etag changes nothing (X13.3).
  ServiceRequest stale = sr;
  stale.set_etag("\"1\"");
  EXPECT_TRUE(Refused(Move(stale, cms::v1::SR_STATUS_CLOSED, "Address Updated"),
                      grpc::StatusCode::ABORTED, "X13.3", "STALE_ETAG"));
  EXPECT_TRUE(Refused(Move(sr, cms::v1::SR_STATUS_CLOSED, "Bogus"),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.2", "INVALID_FIELDS",
                      {"resolution_code"}));
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_CLOSED, "Address Updated"));
  EXPECT_EQ(sr.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(sr.sub_status(), "Complete");
  EXPECT_EQ(sr.resolution_code(), "Address Updated");
  EXPECT_TRUE(Refused(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS),
                      grpc::StatusCode::FAILED_PRECONDITION, "SR5.2", "RULE_VIOLATION"));
}

TEST_F(SrServiceTest, ParentClosesOnlyAfterItsChildren) {
  // SR5.5
  auto app = Apply(NewPerson("Pat", "G1 1XQ"), NewPerson("Poe", "G2 1AA"));
  auto parent_req = NewSr(app, "ARREARS_REVIEW");
  (*parent_req.mutable_fields())["Reason"] = "Refusal to Pay";
  ServiceRequest parent = Create(parent_req);
  auto child_req = NewSr(app, "ACTION_MISSED_PAYMENT");
  child_req.set_parent_id(parent.id());
  ServiceRequest child = Create(child_req);
  EXPECT_EQ(child.parent_id(), parent.id());

  ASSERT_RPC_OK(Move(parent, cms::v1::SR_STATUS_IN_PROGRESS));
  for (const auto& a : parent.activities()) {
    ASSERT_RPC_OK(Mark(
        parent, a.id(),
        a.mandatory() ? cms::v1::ACTIVITY_STATUS_DONE : cms::v1::ACTIVITY_STATUS_NOT_REQUIRED));
  }
  EXPECT_TRUE(Refused(Move(parent, cms::v1::SR_STATUS_CLOSED, "No Action Appropriate"),
                      grpc::StatusCode::FAILED_PRECONDITION, "SR5.5", "RULE_VIOLATION"));
  ASSERT_RPC_OK(Move(child, cms::v1::SR_STATUS_CANCELLED));
  ASSERT_RPC_OK(Move(parent, cms::v1::SR_STATUS_CLOSED, "No Action Appropriate"));
}

TEST_F(SrServiceTest, WaitRecordsTheWakeDate) {
  // SR5.9: seven days by the type's default, or the caller's period.
  auto app = Apply(NewPerson("Wes", "NE1 4ST"), NewPerson("Wyn", "NE1 4ST"));
  auto req = NewSr(app, "ARREARS_REVIEW");
  (*req.mutable_fields())["Reason"] = "Arrears Routing Logic";
  ServiceRequest sr = Create(req);
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_WAIT, "", "Wait State Arrears Notice"));
  cms::v1::Clock clock;
  ASSERT_RPC_OK(server_->admin().GetClock(Ctx().get(), {}, &clock));
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  const absl::CivilDay today =
      absl::ToCivilDay(absl::FromUnixSeconds(clock.now().seconds()), london);
  const absl::CivilDay wake(sr.wake_date().year(), sr.wake_date().month(), sr.wake_date().day());
  EXPECT_EQ(wake - today, 7);
  EXPECT_EQ(sr.sub_status(), "Wait State Arrears Notice");
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));
  EXPECT_FALSE(sr.has_wake_date());
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_WAIT, "", "", 14));
  EXPECT_EQ(
      absl::CivilDay(sr.wake_date().year(), sr.wake_date().month(), sr.wake_date().day()) - today,
      14);
}

TEST_F(SrServiceTest, ManualPromptActivityBlocksCloseUntilDone) {
  // SR5.3: activities added by hand, e.g. a Prompt with due date and alarm.
  auto app = Apply(NewPerson("Mo", "S1 2HE"), NewPerson("Mae", "S1 2HE"));
  ServiceRequest sr = Create(NewSr(app, "CLEAR_ARTEFACT"));
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));
  cms::v1::AddActivityRequest add;
  add.set_request_id(RandomRequestId());
  add.set_service_request_id(sr.id());
  add.set_etag(sr.etag());
  add.set_name("Prompt: call the paying parent back");
  add.mutable_due_date()->set_year(2030);
  add.mutable_due_date()->set_month(1);
  add.mutable_due_date()->set_day(31);
  add.set_alarm(true);
  ASSERT_RPC_OK(srs().AddActivity(Ctx().get(), add, &sr));
  ASSERT_EQ(sr.activities_size(), 2);
  const auto& prompt = sr.activities(1);
  EXPECT_TRUE(prompt.manual());
  EXPECT_TRUE(prompt.alarm());
  EXPECT_EQ(prompt.due_date().day(), 31);
  ASSERT_RPC_OK(Mark(sr, sr.activities(0).id(), cms::v1::ACTIVITY_STATUS_DONE));
  EXPECT_TRUE(Refused(Move(sr, cms::v1::SR_STATUS_CLOSED, "Artefact Cleared"),
                      grpc::StatusCode::FAILED_PRECONDITION, "SR5.3", "RULE_VIOLATION"));
  ASSERT_RPC_OK(Mark(sr, prompt.id(), cms::v1::ACTIVITY_STATUS_NOT_REQUIRED));
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_CLOSED, "Artefact Cleared"));
}

TEST_F(SrServiceTest, Defect6_AnActivityAddedWhileOpenDoesNotBlockInProgress) {
  // SR5.3 (issue 17, defect 6): AddActivity on an OPEN SR, then the move to
  // IN_PROGRESS generates the plan after it instead of failing for ever.
  auto app = Apply(NewPerson("Ola", "S1 2HE"), NewPerson("Ode", "S1 2HE"));
  ServiceRequest sr = Create(NewSr(app, "CLEAR_ARTEFACT"));
  ASSERT_EQ(sr.status(), cms::v1::SR_STATUS_OPEN);
  cms::v1::AddActivityRequest add;
  add.set_request_id(RandomRequestId());
  add.set_service_request_id(sr.id());
  add.set_etag(sr.etag());
  add.set_name("Prompt: ring the RP first");
  ASSERT_RPC_OK(srs().AddActivity(Ctx().get(), add, &sr));
  ASSERT_EQ(sr.activities_size(), 1);
  EXPECT_EQ(sr.activities(0).seq(), 1);
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));
  cms::v1::GetServiceRequestRequest get;
  get.set_id(sr.id());
  ASSERT_RPC_OK(srs().GetServiceRequest(Ctx().get(), get, &sr));
  ASSERT_EQ(sr.activities_size(), 2);
  EXPECT_EQ(sr.activities(0).name(), "Prompt: ring the RP first");
  EXPECT_EQ(sr.activities(1).seq(), 2);
  EXPECT_EQ(sr.activities(1).name(), "Review the artefact");
}

TEST_F(SrServiceTest, FunctionallyUniqueSrRoutesByThePersonsPostcode) {
  // SR5.7: a Disclosure raised against a Welsh RP on an NI casegroup goes to
  // the GB Deduction Order Team; the casegroup stays in NI.
  auto app = Apply(NewPerson("Nia", "BT1 5GS"), NewPerson("Rhys", "CF10 1AA"), "cw.ni.new_case.a1");
  auto req = NewSr(app, "DISCLOSURE");
  req.set_subject_person_id(app.case_().receiving_parent_id());
  (*req.mutable_fields())["Disclosure Reason"] = "Arrears";
  ServiceRequest sr = Create(req, "cw.ni.new_case.a1");
  cms::v1::GetSegmentRequest get;
  get.set_id(sr.owning_segment_id());
  cms::v1::Segment owner;
  ASSERT_RPC_OK(server_->bom().GetSegment(Ctx().get(), get, &owner));
  EXPECT_EQ(owner.country(), cms::v1::COUNTRY_GB);
  EXPECT_EQ(owner.service_segment(), cms::v1::SERVICE_SEGMENT_DEDUCTION_ORDER_TEAM);
  cms::v1::GetCasegroupRequest g;
  g.set_id(app.casegroup().id());
  cms::v1::Casegroup group;
  ASSERT_RPC_OK(server_->casegroups().GetCasegroup(Ctx("cw.ni.new_case.a1").get(), g, &group));
  EXPECT_EQ(group.owning_segment_id(), app.casegroup().owning_segment_id());
  EXPECT_EQ(group.country(), cms::v1::COUNTRY_NI);

  // Someone who is not a party cannot be the subject.
  auto other = Apply(NewPerson("X", "SW1A 1AA"), NewPerson("Y", "SW1A 1AA"));
  req.set_request_id(RandomRequestId());
  req.set_subject_person_id(other.casegroup().paying_parent_id());
  cms::v1::CreateServiceRequestResponse out;
  EXPECT_TRUE(Refused(srs().CreateServiceRequest(Ctx("cw.ni.new_case.a1").get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.5", "INVALID_FIELDS",
                      {"subject_person_id"}));

  // SR5.7: the Deduction Order Team reads the casegroup and works its SR, but
  // changes nothing of the casegroup itself.
  constexpr char kDot[] = "cw.gb.deduction_order_team.a1";
  ASSERT_RPC_OK(server_->casegroups().GetCasegroup(Ctx(kDot).get(), g, &group));
  cms::v1::UpdateCaseRequest update;
  update.set_request_id(RandomRequestId());
  update.set_id(app.case_().id());
  update.set_etag(app.case_().etag());
  update.set_lifecycle_stage(cms::v1::LIFECYCLE_STAGE_ENFORCEMENT);
  *update.mutable_annual_review_date() = app.case_().annual_review_date();
  cms::v1::Case unchanged;
  EXPECT_TRUE(Refused(server_->casegroups().UpdateCase(Ctx(kDot).get(), update, &unchanged),
                      grpc::StatusCode::PERMISSION_DENIED, "SR5.7", "PERMISSION_DENIED"));
  auto raise = NewSr(app, "CHANGE_INCOME");
  EXPECT_TRUE(Refused(srs().CreateServiceRequest(Ctx(kDot).get(), raise, &out),
                      grpc::StatusCode::PERMISSION_DENIED, "SR5.7", "PERMISSION_DENIED"));
  cms::v1::ChangeServiceRequestStatusRequest work;
  work.set_request_id(RandomRequestId());
  work.set_id(sr.id());
  work.set_etag(sr.etag());
  work.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
  ServiceRequest worked;
  ASSERT_RPC_OK(srs().ChangeServiceRequestStatus(Ctx(kDot).get(), work, &worked));
  EXPECT_EQ(worked.activities_size(), 3);
  // ...and the case owner no longer changes the SR it raised.
  work.set_request_id(RandomRequestId());
  work.set_etag(worked.etag());
  work.set_status(cms::v1::SR_STATUS_CANCELLED);
  EXPECT_TRUE(
      Refused(srs().ChangeServiceRequestStatus(Ctx("cw.ni.new_case.a1").get(), work, &worked),
              grpc::StatusCode::PERMISSION_DENIED, "SR5.7", "PERMISSION_DENIED"));
}

TEST_F(SrServiceTest, NotesAreAppendOnlyWithAuthorAndTime) {
  // SR5.6: SR notes, case notes and contact (person) notes.
  auto app = Apply(NewPerson("Noa", "EH1 1YZ"), NewPerson("Ned", "EH1 1YZ"));
  ServiceRequest sr = Create(NewSr(app, "CHANGE_INCOME"));
  struct Subject {
    cms::v1::NoteSubject subject;
    int64_t id;
  };
  for (const Subject& s :
       {Subject{cms::v1::NOTE_SUBJECT_SERVICE_REQUEST, sr.id()},
        Subject{cms::v1::NOTE_SUBJECT_CASE, app.case_().id()},
        Subject{cms::v1::NOTE_SUBJECT_PERSON, app.case_().receiving_parent_id()}}) {
    for (const char* text : {"first", "second"}) {
      cms::v1::AddNoteRequest add;
      add.set_request_id(RandomRequestId());
      add.set_subject(s.subject);
      add.set_subject_id(s.id);
      add.set_text(text);
      cms::v1::Note note;
      ASSERT_RPC_OK(srs().AddNote(Ctx().get(), add, &note));
      EXPECT_EQ(note.author(), kCw);
      EXPECT_GT(note.create_time().seconds(), 0);
    }
    cms::v1::ListNotesRequest list;
    list.set_subject(s.subject);
    list.set_subject_id(s.id);
    cms::v1::ListNotesResponse notes;
    ASSERT_RPC_OK(srs().ListNotes(Ctx("qa.auditor").get(), list, &notes));
    ASSERT_EQ(notes.notes_size(), 2);
    EXPECT_EQ(notes.notes(0).text(), "first");
    EXPECT_EQ(notes.notes(1).text(), "second");
  }
  cms::v1::AddNoteRequest bad;
  bad.set_subject(cms::v1::NOTE_SUBJECT_CASE);
  bad.set_subject_id(999999999);
  bad.set_text("x");
  cms::v1::Note note;
  EXPECT_TRUE(Refused(srs().AddNote(Ctx().get(), bad, &note), grpc::StatusCode::INVALID_ARGUMENT,
                      "", "INVALID_FIELDS", {"subject_id"}));
}

TEST_F(SrServiceTest, AStatusChangesNoteIsAnAuditedSrNote) {
  // SR5.6: the note given with a status change is an SR note by the caller;
  // X13.2: like every other note, its creation is in the audit trail.
  auto app = Apply(NewPerson("Nia", "EH1 1YZ"), NewPerson("Nye", "EH1 1YZ"));
  ServiceRequest sr = Create(NewSr(app, "CHANGE_INCOME"));
  cms::v1::ChangeServiceRequestStatusRequest req;
  req.set_request_id(RandomRequestId());
  req.set_id(sr.id());
  req.set_etag(sr.etag());
  req.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
  req.set_note("Started on the income change");
  ServiceRequest moved;
  ASSERT_RPC_OK(srs().ChangeServiceRequestStatus(Ctx().get(), req, &moved));

  cms::v1::ListNotesRequest list;
  list.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
  list.set_subject_id(sr.id());
  cms::v1::ListNotesResponse notes;
  ASSERT_RPC_OK(srs().ListNotes(Ctx().get(), list, &notes));
  ASSERT_EQ(notes.notes_size(), 1);
  EXPECT_EQ(notes.notes(0).text(), "Started on the income change");
  EXPECT_EQ(notes.notes(0).author(), kCw);

  cms::v1::ListAuditEventsRequest audit;
  audit.set_entity_type("note");
  audit.set_entity_id(absl::StrCat(notes.notes(0).id()));
  cms::v1::ListAuditEventsResponse events;
  ASSERT_RPC_OK(server_->admin().ListAuditEvents(Ctx("qa.auditor").get(), audit, &events));
  ASSERT_EQ(events.events_size(), 1);
  EXPECT_EQ(events.events(0).rpc(), "ChangeServiceRequestStatus");
  EXPECT_EQ(events.events(0).actor(), kCw);
  EXPECT_TRUE(absl::StrContains(events.events(0).after_json(), "Started on the income change"));
}

TEST_F(SrServiceTest, SpecialClientRecordsSrsAreHidden) {
  // X13.1
  auto app = Apply(NewPerson("Sid", "SW1A 1AA", /*sensitive=*/true), NewPerson("Sal", "SW1A 1AA"));
  auto req = NewSr(app, "CHANGE_INCOME");
  cms::v1::CreateServiceRequestResponse out;
  EXPECT_TRUE(Refused(srs().CreateServiceRequest(Ctx().get(), req, &out),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  ServiceRequest sr = Create(req, "cw.gb.special_client_records.a1");
  cms::v1::GetServiceRequestRequest get;
  get.set_id(sr.id());
  ServiceRequest seen;
  EXPECT_TRUE(Refused(srs().GetServiceRequest(Ctx().get(), get, &seen),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
}

}  // namespace
}  // namespace cms::testing

namespace cms::testing {
namespace {

TEST_F(SrServiceTest, RoutingChangeThroughAnSrMovesTheCasegroupWhenItCloses) {
  // R3.4 (deferred flip) and R3.3 (case-owning work moves with it).
  auto app = Apply(NewPerson("Flo", "SW1A 1AA"), NewPerson("Fay", "SW1A 2AA"));
  ServiceRequest coa = Create(NewSr(app, "CHANGE_OF_ADDRESS"));
  ServiceRequest other = Create(NewSr(app, "CHANGE_INCOME"));
  cms::v1::GetPersonRequest get;
  get.set_id(app.casegroup().paying_parent_id());
  cms::v1::Person pp;
  ASSERT_RPC_OK(server_->casegroups().GetPerson(Ctx().get(), get, &pp));
  cms::v1::UpdatePersonRequest move;
  move.set_request_id(RandomRequestId());
  *move.mutable_person() = pp;
  move.mutable_person()->mutable_residential_address()->set_postcode("BT7 1NN");
  move.set_service_request_id(coa.id());
  ASSERT_RPC_OK(server_->casegroups().UpdatePerson(Ctx().get(), move, &pp));

  cms::v1::GetCasegroupRequest g;
  g.set_id(app.casegroup().id());
  cms::v1::Casegroup group;
  ASSERT_RPC_OK(server_->casegroups().GetCasegroup(Ctx().get(), g, &group));
  EXPECT_EQ(group.country(), cms::v1::COUNTRY_GB);  // not yet: the SR is open

  ASSERT_RPC_OK(Move(coa, cms::v1::SR_STATUS_IN_PROGRESS));
  for (const auto& a : coa.activities())
    ASSERT_RPC_OK(Mark(coa, a.id(), cms::v1::ACTIVITY_STATUS_DONE));
  ASSERT_RPC_OK(Move(coa, cms::v1::SR_STATUS_CLOSED, "Address Updated"));

  // It left the caseworker's segment: service management reads it now (X13.1).
  ASSERT_RPC_OK(server_->casegroups().GetCasegroup(Ctx("svc.manager").get(), g, &group));
  EXPECT_EQ(group.country(), cms::v1::COUNTRY_NI);
  cms::v1::ListCasegroupMovesRequest moves_req;
  moves_req.set_casegroup_id(group.id());
  cms::v1::ListCasegroupMovesResponse moves;
  ASSERT_RPC_OK(
      server_->casegroups().ListCasegroupMoves(Ctx("svc.manager").get(), moves_req, &moves));
  ASSERT_EQ(moves.moves_size(), 2);
  EXPECT_EQ(moves.moves(1).trigger(), absl::StrCat("ServiceRequest ", coa.id(), " closed (R3.4)"));
  EXPECT_EQ(moves.moves(1).actor(), kCw);

  // R3.3: the open case-owning SR went with the casegroup.
  cms::v1::GetServiceRequestRequest sr_get;
  sr_get.set_id(other.id());
  ServiceRequest moved;
  ASSERT_RPC_OK(srs().GetServiceRequest(Ctx("svc.manager").get(), sr_get, &moved));
  EXPECT_EQ(moved.owning_segment_id(), group.owning_segment_id());

  // A change through a closed SR is refused.
  move.set_request_id(RandomRequestId());
  move.mutable_person()->set_etag(pp.etag());
  cms::v1::Person unchanged;
  EXPECT_TRUE(
      Refused(server_->casegroups().UpdatePerson(Ctx("cw.ni.new_case.a1").get(), move, &unchanged),
              grpc::StatusCode::FAILED_PRECONDITION, "R3.4", "RULE_VIOLATION"));
}

}  // namespace
}  // namespace cms::testing

namespace cms::testing {
namespace {

std::vector<int> Moves(const ServiceRequest& sr) {
  return {sr.allowed_next_statuses().begin(), sr.allowed_next_statuses().end()};
}

TEST_F(SrServiceTest, SR5_2_EverySrReadListsTheMovesItsCallerMayAskFor) {
  auto app = Apply(NewPerson("Mo", "M1 1AA"), NewPerson("Mia", "M2 2AA"));
  ServiceRequest sr = Create(NewSr(app, "CHANGE_OF_ADDRESS"));
  const std::vector<int> from_open = {cms::v1::SR_STATUS_IN_PROGRESS, cms::v1::SR_STATUS_CANCELLED};
  EXPECT_EQ(Moves(sr), from_open);
  EXPECT_FALSE(sr.may_submit_for_approval());  // no approval step in this type
  EXPECT_EQ(Moves(Get(sr.id())), from_open);

  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));
  const std::vector<int> from_in_progress = {cms::v1::SR_STATUS_WAIT, cms::v1::SR_STATUS_CLOSED,
                                             cms::v1::SR_STATUS_CANCELLED};
  EXPECT_EQ(Moves(sr), from_in_progress);
  // A list carries them too.
  cms::v1::ListServiceRequestsRequest list;
  list.set_casegroup_id(app.casegroup().id());
  cms::v1::ListServiceRequestsResponse listed;
  ASSERT_RPC_OK(srs().ListServiceRequests(Ctx().get(), list, &listed));
  ASSERT_EQ(listed.service_requests_size(), 1);
  EXPECT_EQ(Moves(listed.service_requests(0)), from_in_progress);
  // Every move listed is one the machine takes (SR5.2); the others it
  // refuses.
  ServiceRequest waiting = sr;
  ASSERT_RPC_OK(Move(waiting, cms::v1::SR_STATUS_WAIT, "", "", 3));
  EXPECT_EQ(Moves(waiting),
            (std::vector<int>{cms::v1::SR_STATUS_IN_PROGRESS, cms::v1::SR_STATUS_CLOSED,
                              cms::v1::SR_STATUS_CANCELLED}));
  ASSERT_RPC_OK(Move(waiting, cms::v1::SR_STATUS_CANCELLED));
  EXPECT_TRUE(Moves(waiting).empty());  // final
  EXPECT_FALSE(waiting.may_submit_for_approval());

  // AG11.1: an A&G SR is closed by its answer, so CLOSED is never offered.
  auto guidance = NewSr(app, "ADVICE_AND_GUIDANCE");
  guidance.set_subject_person_id(app.casegroup().paying_parent_id());
  (*guidance.mutable_fields())["Question"] = "Which address do letters go to?";
  ServiceRequest ag = Create(guidance);
  EXPECT_EQ(Moves(ag), from_open);
}

TEST_F(SrServiceTest, SR5_2_ACaseworkerChangesTheSubStatusWithinTheStatus) {
  // The procedures' "update the Arrears Review SR Sub Status to Initiate
  // Arrears Action": the status stays, the sub status changes, audited.
  auto app = Apply(NewPerson("Sue", "S1 1AA"), NewPerson("Sam", "S2 2AA"));
  auto req = NewSr(app, "ARREARS_REVIEW");
  (*req.mutable_fields())["Reason"] = "Refusal to Pay";
  ServiceRequest sr = Create(req);
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS, "", "Gather Additional Info"));
  EXPECT_EQ(Moves(sr).back(), cms::v1::SR_STATUS_IN_PROGRESS);  // a stay is offered
  const int activities = sr.activities_size();
  const int audited = AuditRows("service_request", absl::StrCat(sr.id()));
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS, "", "Initiate Arrears Action"));
  EXPECT_EQ(sr.status(), cms::v1::SR_STATUS_IN_PROGRESS);
  EXPECT_EQ(sr.sub_status(), "Initiate Arrears Action");
  EXPECT_EQ(sr.activities_size(), activities);  // the plan is generated once
  EXPECT_EQ(AuditRows("service_request", absl::StrCat(sr.id())), audited + 1);

  // A stay names a sub status of its status; nothing changes otherwise.
  const std::string etag = sr.etag();
  EXPECT_TRUE(Refused(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS), grpc::StatusCode::INVALID_ARGUMENT,
                      "SR5.2", "INVALID_FIELDS", {"sub_status"}));
  EXPECT_TRUE(Refused(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS, "", "Wait State Arrears Notice"),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.2", "INVALID_FIELDS",
                      {"sub_status"}));
  EXPECT_EQ(Get(sr.id()).etag(), etag);

  // A waiting SR keeps its wake date through a sub status change, and a
  // new wait period is refused with it.
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_WAIT, "", "", 7));
  const cms::v1::Date wake = sr.wake_date();
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_WAIT, "", "Wait State Arrears Notice"));
  EXPECT_EQ(sr.sub_status(), "Wait State Arrears Notice");
  EXPECT_EQ(sr.wake_date().SerializeAsString(), wake.SerializeAsString());
  EXPECT_TRUE(Refused(Move(sr, cms::v1::SR_STATUS_WAIT, "", "Wait State Arrears Notice", 3),
                      grpc::StatusCode::INVALID_ARGUMENT, "SR5.9", "INVALID_FIELDS",
                      {"wait_days"}));
}

TEST_F(SrServiceTest, SR5_5_AParentsChildrenAreListedByIt) {
  auto app = Apply(NewPerson("Cara", "L1 1AA"), NewPerson("Cole", "L2 2AA"));
  auto parent_req = NewSr(app, "ARREARS_REVIEW");
  (*parent_req.mutable_fields())["Reason"] = "Refusal to Pay";
  ServiceRequest parent = Create(parent_req);
  auto child_req = NewSr(app, "ACTION_MISSED_PAYMENT");
  child_req.set_parent_id(parent.id());
  ServiceRequest first = Create(child_req);
  child_req.set_request_id(RandomRequestId());
  ServiceRequest second = Create(child_req);
  Create(NewSr(app, "CHANGE_OF_ADDRESS"));  // of the casegroup, not a child
  ASSERT_RPC_OK(Move(second, cms::v1::SR_STATUS_CANCELLED));

  auto children = [&](cms::v1::ListServiceRequestsRequest req, std::vector<int64_t>* ids) {
    cms::v1::ListServiceRequestsResponse out;
    grpc::Status s = srs().ListServiceRequests(Ctx().get(), req, &out);
    for (const auto& sr : out.service_requests()) ids->push_back(sr.id());
    return s;
  };
  cms::v1::ListServiceRequestsRequest req;
  req.set_parent_id(parent.id());
  std::vector<int64_t> open, all;
  ASSERT_RPC_OK(children(req, &open));
  EXPECT_EQ(open, (std::vector<int64_t>{first.id()}));
  req.set_include_closed(true);
  req.set_casegroup_id(app.casegroup().id());  // may be given: it is the parent's
  ASSERT_RPC_OK(children(req, &all));
  EXPECT_EQ(all, (std::vector<int64_t>{first.id(), second.id()}));

  // Refusals name the field and change nothing.
  std::vector<int64_t> none;
  auto other = Apply(NewPerson("Oz", "L3 3AA"), NewPerson("Ola", "L4 4AA"));
  req.set_casegroup_id(other.casegroup().id());
  EXPECT_TRUE(Refused(children(req, &none), grpc::StatusCode::INVALID_ARGUMENT, "SR5.5",
                      "INVALID_FIELDS", {"parent_id"}));
  cms::v1::ListServiceRequestsRequest unknown;
  unknown.set_parent_id(999999999);
  EXPECT_TRUE(Refused(children(unknown, &none), grpc::StatusCode::INVALID_ARGUMENT, "",
                      "INVALID_FIELDS", {"parent_id"}));
  EXPECT_TRUE(Refused(children({}, &none), grpc::StatusCode::INVALID_ARGUMENT, "SR5.5",
                      "INVALID_FIELDS", {"casegroup_id"}));
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace cms::testing
