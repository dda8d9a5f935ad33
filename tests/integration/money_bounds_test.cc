// Issue 17, defect 5: money has a bound. Two payments of 2^63-1 pence once
// drove a statement's running balance through signed overflow. Every amount
// the API takes (an int64 field named *_pence, at any depth of any request)
// is at most £10,000,000.00 (domain/money.h kMaxAmountPence): beyond it the
// call is INVALID_ARGUMENT naming the field and nothing changes
// (app/request_values.cc for every request, and each use case's own check
// with the field's sign). At the bound it is accepted, and sums of many
// such amounts are exact (M7.5, M7.6).
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr int64_t kBound = 1'000'000'000;  // £10,000,000.00
constexpr int64_t kHuge = std::numeric_limits<int64_t>::max();
constexpr char kSvc[] = "svc.manager";
constexpr char kCw[] = "cw.gb.new_case.a1";

cms::v1::Date D(int y, int m, int d) {
  cms::v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

// One amount field of one RPC's request: the fields leading to it.
struct AmountField {
  std::string method;  // "/cms.v1.PaymentService/RecordPayment"
  const Descriptor* request = nullptr;
  std::vector<const FieldDescriptor*> path;

  // As the server names it: "paying_parent.new_person.weekly_gross_income_pence",
  // a repeated field's first element as "methods[0]".
  std::string Name() const {
    std::vector<std::string> parts;
    for (const FieldDescriptor* f : path) {
      parts.push_back(f->is_repeated() ? absl::StrCat(f->name(), "[0]") : f->name());
    }
    return absl::StrJoin(parts, ".");
  }

  // The request with only this amount set, to `pence`.
  std::string Request(int64_t pence) const {
    std::unique_ptr<Message> m(
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(request)->New());
    Message* at = m.get();
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      const FieldDescriptor* f = path[i];
      at = f->is_repeated() ? at->GetReflection()->AddMessage(at, f)
                            : at->GetReflection()->MutableMessage(at, f);
    }
    const FieldDescriptor* amount = path.back();
    if (amount->is_repeated()) {
      at->GetReflection()->AddInt64(at, amount, pence);
    } else {
      at->GetReflection()->SetInt64(at, amount, pence);
    }
    return m->SerializeAsString();
  }
};

// Every int64 *_pence field reachable from `type` (not into google.*, nor
// round a cycle of message types).
void FindAmounts(const Descriptor* type, std::vector<const FieldDescriptor*>& path,
                 std::set<const Descriptor*>& open, const AmountField& base,
                 std::vector<AmountField>& out) {
  open.insert(type);
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    path.push_back(f);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT64 && absl::EndsWith(f->name(), "_pence")) {
      AmountField found = base;
      found.path = path;
      out.push_back(std::move(found));
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               !absl::StartsWith(f->message_type()->full_name(), "google.") &&
               open.count(f->message_type()) == 0) {
      FindAmounts(f->message_type(), path, open, base, out);
    }
    path.pop_back();
  }
  open.erase(type);
}

std::vector<AmountField> EveryAmountOfEveryRpc() {
  std::vector<AmountField> out;
  for (const char* service :
       {"AdminService", "ApprovalService", "ArrearsService", "AssuranceService", "BomService",
        "CasegroupService", "ComplianceService", "FoiService", "GuidanceService", "LetterService",
        "MpService", "PaymentService", "ServiceRequestService", "WorkService"}) {
    const auto* s = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
        absl::StrCat("cms.v1.", service));
    EXPECT_NE(s, nullptr) << service;
    if (s == nullptr) continue;
    for (int i = 0; i < s->method_count(); ++i) {
      AmountField base;
      base.method = absl::StrCat("/cms.v1.", service, "/", s->method(i)->name());
      base.request = s->method(i)->input_type();
      std::vector<const FieldDescriptor*> path;
      std::set<const Descriptor*> open;
      FindAmounts(base.request, path, open, base, out);
    }
  }
  return out;
}

class MoneyBoundsTest : public ::testing::Test {
 protected:
  // Each test on its own server and database at 12:00 on Monday 4 January
  // 2027 (one of them moves the clock on, which never goes back).
  void SetUp() override {
    t_ = TestServer::Start().release();
    SetBusinessClock(*t_, absl::CivilSecond(2027, 1, 4, 12, 0, 0));
  }
  void TearDown() override {
    delete t_;
    t_ = nullptr;
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff) {
    return t_->Context(staff);
  }

  // Sends `bytes` as the request of `method`, as `staff`.
  static grpc::Status RawCall(const std::string& method, const std::string& bytes,
                              const std::string& staff) {
    grpc::GenericStub stub(t_->channel());
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    auto ctx = Ctx(staff);
    std::promise<grpc::Status> done;
    stub.UnaryCall(ctx.get(), method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) { done.set_value(std::move(s)); });
    return done.get_future().get();
  }

  // The call as the first of the demo's staff whose role may make it.
  static grpc::Status CallAsSomeoneAllowed(const std::string& method, const std::string& bytes) {
    grpc::Status s;
    for (const char* staff : {kCw, "tl.gb.new_case.a", "sm.gb.new_case", kSvc}) {
      s = RawCall(method, bytes, staff);
      if (s.error_code() != grpc::StatusCode::PERMISSION_DENIED) return s;
    }
    return s;
  }

  // A GB application with a 100% direct debit MOPF (and no fees: direct
  // pay); another case of the same paying parent when `pp_id` names them.
  static cms::v1::Application Apply(int64_t pp_id = 0) {
    auto req = ApplicationRequest(NewPerson("Pam", "SW1A 1AA"), NewPerson("Ray", "SW1A 2AA"));
    req.set_rp_requested_service_type(cms::v1::SERVICE_TYPE_DIRECT_PAY);
    if (pp_id != 0) req.mutable_paying_parent()->set_person_id(pp_id);
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(Ctx(kCw).get(), req, &app));
    if (pp_id != 0) return app;  // the casegroup's MOPF is set already
    cms::v1::ServiceRequest sr = WorkingSr(app, "AMEND_EXISTING_MOPF", {{"MOPF Action", "Set up"}});
    cms::v1::SetMopfRequest mopf;
    mopf.set_request_id(RandomRequestId());
    mopf.set_casegroup_id(app.casegroup().id());
    mopf.set_service_request_id(sr.id());
    *mopf.mutable_start_date() = D(2027, 1, 4);
    cms::v1::MopfMethod* dd = mopf.add_methods();
    dd->set_method(cms::v1::PAYMENT_METHOD_DD);
    dd->set_share_percent(100);
    cms::v1::Mopf out;
    EXPECT_RPC_OK(t_->payments().SetMopf(Ctx(kCw).get(), mopf, &out));
    return app;
  }

  static cms::v1::ServiceRequest WorkingSr(const cms::v1::Application& app, const std::string& type,
                                           std::map<std::string, std::string> fields = {}) {
    cms::v1::CreateServiceRequestRequest create;
    create.set_request_id(RandomRequestId());
    create.set_type_code(type);
    create.set_casegroup_id(app.casegroup().id());
    create.set_case_id(app.case_().id());
    create.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    for (const auto& [k, v] : fields) (*create.mutable_fields())[k] = v;
    const std::string cw = CaseworkerOfOwner(*t_, app.casegroup().id());
    cms::v1::CreateServiceRequestResponse created;
    EXPECT_RPC_OK(t_->service_requests().CreateServiceRequest(Ctx(cw).get(), create, &created));
    cms::v1::ChangeServiceRequestStatusRequest start;
    start.set_request_id(RandomRequestId());
    start.set_id(created.service_request().id());
    start.set_etag(created.service_request().etag());
    start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
    cms::v1::ServiceRequest sr;
    EXPECT_RPC_OK(t_->service_requests().ChangeServiceRequestStatus(Ctx(cw).get(), start, &sr));
    return sr;
  }

  static grpc::Status Generate(const cms::v1::Application& app, int64_t weekly,
                               cms::v1::Schedule* out) {
    cms::v1::GenerateScheduleRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app.case_().id());
    req.set_weekly_liability_pence(weekly);
    req.set_frequency(cms::v1::FREQUENCY_WEEKLY);
    *req.mutable_first_collection_date() = D(2027, 1, 4);
    return t_->payments().GenerateSchedule(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(),
                                           req, out);
  }

  static grpc::Status Pay(const cms::v1::Application& app, int64_t pence) {
    cms::v1::RecordPaymentRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app.case_().id());
    req.set_amount_pence(pence);
    *req.mutable_received_date() = D(2027, 1, 4);
    req.set_method(cms::v1::PAYMENT_METHOD_DD);
    cms::v1::Payment p;
    return t_->payments().RecordPayment(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(),
                                        req, &p);
  }

  static cms::v1::Statement StatementOf(const cms::v1::Application& app) {
    cms::v1::GetStatementRequest req;
    req.set_case_id(app.case_().id());
    cms::v1::Statement st;
    EXPECT_RPC_OK(t_->payments().GetStatement(Ctx(kSvc).get(), req, &st));
    return st;
  }

  static cms::v1::Schedule ScheduleOf(const cms::v1::Application& app) {
    cms::v1::GetScheduleRequest req;
    req.set_case_id(app.case_().id());
    cms::v1::Schedule s;
    EXPECT_RPC_OK(t_->payments().GetSchedule(Ctx(kSvc).get(), req, &s));
    return s;
  }

  // Everything `actor` has changed, as a comparable string (X13.2).
  static std::string TrailOf(const std::string& actor) {
    cms::v1::ListAuditEventsRequest req;
    req.set_actor(actor);
    req.set_page_size(1000);
    cms::v1::ListAuditEventsResponse resp;
    EXPECT_RPC_OK(t_->admin().ListAuditEvents(Ctx(kSvc).get(), req, &resp));
    std::string out;
    for (const auto& e : resp.events()) absl::StrAppend(&out, e.id(), " ");
    return out;
  }

  static TestServer* t_;
};

TestServer* MoneyBoundsTest::t_ = nullptr;

TEST_F(MoneyBoundsTest, M7_5_TwoPaymentsOfTwoToTheSixtyThreeAreRefusedAndNothingChanges) {
  // The defect as reported: two payments of 2^63-1 pence. Each is refused
  // naming amount_pence; the statement, the schedule and the audit trail
  // are as they were.
  const cms::v1::Application app = Apply();
  cms::v1::Schedule schedule;
  ASSERT_RPC_OK(Generate(app, 5000, &schedule));
  ASSERT_RPC_OK(Pay(app, 2500));
  const std::string cw = CaseworkerOfOwner(*t_, app.casegroup().id());
  const cms::v1::Statement statement = StatementOf(app);
  const cms::v1::Schedule before = ScheduleOf(app);
  const std::string trail = TrailOf(cw);
  for (int i = 0; i < 2; ++i) {
    const grpc::Status s = Pay(app, kHuge);
    EXPECT_TRUE(
        Refused(s, grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"amount_pence"}));
    EXPECT_TRUE(absl::StrContains(s.error_message(), "£10,000,000.00")) << s.error_message();
  }
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(StatementOf(app), statement));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(ScheduleOf(app), before));
  EXPECT_EQ(TrailOf(cw), trail);
  EXPECT_EQ(StatementOf(app).balance_pence(), 2500);
}

TEST_F(MoneyBoundsTest, EveryAmountOfEveryRpcIsRefusedBeyondTheBoundNamingItsPath) {
  // One bound for every amount the API takes, found by walking every
  // request's descriptor: so a money field added later is covered too.
  const std::vector<AmountField> amounts = EveryAmountOfEveryRpc();
  std::set<std::string> found;
  for (const AmountField& a : amounts) found.insert(absl::StrCat(a.method, " ", a.Name()));
  // The entry points of money known today (a sample: the walk must see them).
  for (const char* known : {
           "/cms.v1.PaymentService/RecordPayment amount_pence",
           "/cms.v1.PaymentService/GenerateSchedule weekly_liability_pence",
           "/cms.v1.PaymentService/RecordCalculation weekly_liability_pence",
           "/cms.v1.PaymentService/RecordCalculation ndr_pence",
           "/cms.v1.PaymentService/RecordCalculation net_earnings_pence",
           "/cms.v1.PaymentService/ResolveNdr max_ndr_pence",
           "/cms.v1.ArrearsService/RecordArrearsContact claimed_pence",
           "/cms.v1.ArrearsService/RecordDisclosureOutcome rdo_payment_pence",
           "/cms.v1.ArrearsService/RecordDisclosureOutcome lsdo_amount_pence",
           "/cms.v1.ArrearsService/RecordRdoPayment received_pence",
           "/cms.v1.CasegroupService/CreatePerson person.weekly_gross_income_pence",
           "/cms.v1.CasegroupService/UpdatePerson person.weekly_gross_income_pence",
           "/cms.v1.CasegroupService/CreateApplication "
           "paying_parent.new_person.weekly_gross_income_pence",
           "/cms.v1.CasegroupService/CreateApplication legacy.csa_debt_to_migrate_pence",
           "/cms.v1.CasegroupService/UpdateCase legacy.csa_debt_to_migrate_pence",
           "/cms.v1.AdminService/SetLegacyCsaCase record.csa_debt_to_migrate_pence",
           "/cms.v1.ComplianceService/RecordLegacyLookup facts.csa_debt_to_migrate_pence",
       }) {
    EXPECT_EQ(found.count(known), 1u)
        << known << " not found; found: " << absl::StrJoin(found, ", ");
  }
  for (const AmountField& a : amounts) {
    SCOPED_TRACE(absl::StrCat(a.method, " ", a.Name()));
    for (const int64_t beyond :
         {kBound + 1, kHuge, -kBound - 1, std::numeric_limits<int64_t>::min()}) {
      SCOPED_TRACE(beyond);
      EXPECT_TRUE(Refused(CallAsSomeoneAllowed(a.method, a.Request(beyond)),
                          grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {a.Name()}));
    }
    // At the bound the amount is one the service holds: the call may fail
    // for the other fields this bare request leaves out, or for what the
    // amount means there ("only with CLAIMS_DIRECT_PAYMENT"), never for
    // its size.
    const grpc::Status at_bound = CallAsSomeoneAllowed(a.method, a.Request(kBound));
    const cms::v1::ErrorInfo info = ErrorInfoOf(at_bound);
    for (const auto& v : info.field_violations()) {
      EXPECT_FALSE(v.field() == a.Name() && absl::StrContains(v.description(), "at most"))
          << Describe(at_bound);
    }
  }
}

TEST_F(MoneyBoundsTest, M7_5_ExactlyTheBoundIsAcceptedAndOnePennyMoreIsRefused) {
  // Each entry of money with a real request: at £10,000,000.00 it is made,
  // at £10,000,000.01 refused naming the field, and nothing of it changed.
  const cms::v1::Application app = Apply();
  // Who works the case now (issuing the schedule moves it to Maintenance).
  const auto cw = [&] { return CaseworkerOfOwner(*t_, app.casegroup().id()); };
  const auto svc = [] { return std::string(kSvc); };
  const auto intake = [] { return std::string(kCw); };

  struct Row {
    const char* field;
    std::function<std::string()> caller;  // whose audit trail must not change on refusal
    std::function<grpc::Status(int64_t)> call;
  };
  const cms::v1::ServiceRequest calc_sr = WorkingSr(app, "PERFORM_CALCULATION");
  const std::vector<Row> rows = {
      {"weekly_liability_pence", cw,
       [&](int64_t pence) {
         cms::v1::Schedule s;
         return Generate(app, pence, &s);
       }},
      {"amount_pence", cw, [&](int64_t pence) { return Pay(app, pence); }},
      {"person.weekly_gross_income_pence", intake,
       [&](int64_t pence) {
         cms::v1::CreatePersonRequest req;
         req.set_request_id(RandomRequestId());
         *req.mutable_person() = NewPerson("Ivy", "SW1A 1AA");
         req.mutable_person()->set_weekly_gross_income_pence(pence);
         cms::v1::Person out;
         return t_->casegroups().CreatePerson(Ctx(kCw).get(), req, &out);
       }},
      {"legacy.csa_debt_to_migrate_pence", intake,
       [&](int64_t pence) {
         auto req = ApplicationRequest(NewPerson("Lee", "SW1A 1AA"), NewPerson("Rae", "SW1A 2AA"));
         req.mutable_legacy()->set_system(cms::v1::LEGACY_SYSTEM_CS2);
         req.mutable_legacy()->set_legacy_case_reference(RandomRequestId().substr(0, 20));
         req.mutable_legacy()->set_csa_debt_to_migrate_pence(pence);
         cms::v1::Application out;
         return t_->casegroups().CreateApplication(Ctx(kCw).get(), req, &out);
       }},
      {"record.csa_debt_to_migrate_pence", svc,
       [&](int64_t pence) {
         cms::v1::SetLegacyCsaCaseRequest req;
         req.mutable_record()->set_system(cms::v1::LEGACY_SYSTEM_CS2);
         req.mutable_record()->set_legacy_case_reference(RandomRequestId().substr(0, 20));
         req.mutable_record()->set_csa_debt_to_migrate_pence(pence);
         cms::v1::LegacyCsaCase out;
         return t_->admin().SetLegacyCsaCase(Ctx(kSvc).get(), req, &out);
       }},
      {"net_earnings_pence", cw,
       [&](int64_t pence) {
         // An NDR of 40% of the largest earnings: no exception, complete.
         cms::v1::RecordCalculationRequest req;
         req.set_request_id(RandomRequestId());
         req.set_case_id(app.case_().id());
         req.set_service_request_id(calc_sr.id());
         req.set_weekly_liability_pence(kBound);
         req.set_ndr_pence(kBound * 2 / 5);
         req.set_net_earnings_pence(pence);
         cms::v1::Calculation out;
         return t_->payments().RecordCalculation(Ctx(cw()).get(), req, &out);
       }},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.field);
    const std::string trail = TrailOf(r.caller());
    EXPECT_TRUE(Refused(r.call(kBound + 1), grpc::StatusCode::INVALID_ARGUMENT, "",
                        "INVALID_FIELDS", {r.field}));
    EXPECT_EQ(TrailOf(r.caller()), trail);
    EXPECT_RPC_OK(r.call(kBound));
  }
}

TEST_F(MoneyBoundsTest, M7_6_AStatementOfManyLargestAmountsSumsExactly) {
  // A weekly liability of £10m, fifteen £10m payments on the first day,
  // then ten weeks: eleven dues and fifteen payments, each the largest
  // amount, and every running balance exact. A second case of the same
  // paying parent, unpaid, owes its eleven dues: the casegroup's arrears.
  const cms::v1::Application app = Apply();
  const cms::v1::Application other = Apply(app.case_().paying_parent_id());
  ASSERT_EQ(other.casegroup().id(), app.casegroup().id());
  cms::v1::Schedule schedule;
  ASSERT_RPC_OK(Generate(app, kBound, &schedule));
  ASSERT_RPC_OK(Generate(other, kBound, &schedule));
  for (int i = 0; i < 15; ++i) ASSERT_RPC_OK(Pay(app, kBound));
  AdvanceDays(*t_, 70);
  const cms::v1::Statement st = StatementOf(app);
  int dues = 0, payments = 0;
  int64_t expected = 0;
  for (const cms::v1::StatementLine& line : st.lines()) {
    if (line.kind() == cms::v1::STATEMENT_LINE_KIND_DUE) {
      ++dues;
      EXPECT_EQ(line.debit_pence(), kBound);
      expected += kBound;
    } else if (line.kind() == cms::v1::STATEMENT_LINE_KIND_PAYMENT) {
      ++payments;
      EXPECT_EQ(line.credit_pence(), kBound);
      expected -= kBound;
    } else {
      ADD_FAILURE() << "a charge on a direct pay case: " << line.ShortDebugString();
    }
    EXPECT_EQ(line.balance_pence(), expected);
  }
  EXPECT_EQ(dues, 11);
  EXPECT_EQ(payments, 15);
  EXPECT_EQ(st.balance_pence(), -4 * kBound);  // £40m in credit
  EXPECT_EQ(st.arrears_pence(), 0);
  EXPECT_EQ(ScheduleOf(app).unallocated_credit_pence(), 0);  // prepaid items, not credit

  EXPECT_EQ(StatementOf(other).balance_pence(), 11 * kBound);
  EXPECT_EQ(StatementOf(other).arrears_pence(), 11 * kBound);
  cms::v1::GetArrearsRequest req;
  req.set_casegroup_id(app.casegroup().id());
  cms::v1::Arrears arrears;
  ASSERT_RPC_OK(t_->payments().GetArrears(Ctx(kSvc).get(), req, &arrears));
  EXPECT_EQ(arrears.balance_pence(), 11 * kBound);
}

}  // namespace
}  // namespace cms::testing
