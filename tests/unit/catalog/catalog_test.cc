// SR5.1: the shipped catalog loads and names every SR type of the SPEC; an
// invalid entry stops loading with a message naming the file and entry.
#include "server/catalog/catalog.h"

#include <gtest/gtest.h>

namespace cms::catalog {
namespace {

TEST(CatalogTest, ShippedCatalogHasEveryTypeTheSpecNames) {
  auto catalog = SrCatalog::Load(EmbeddedCatalogFiles());
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  struct Expect {
    const char* process;
    const char* area;
    const char* sub_area;
  };
  // SR5.1, with Process / Area / Sub Area as the reference writes them.
  for (const Expect& e : std::vector<Expect>{
           {"Applications", "Compliance Opportunity", "Offer Compliance Opportunity"},
           {"CofC", "Seg 5 Compliance Opportunity", "Compliance Opportunity Outcome"},
           {"Payments", "MOPF", "Amend Existing MOPF"},
           {"Arrears", "Arrears Management", "Arrears Review"}}) {
    bool found = false;
    for (const auto& t : catalog->types()) {
      found |= t.process() == e.process && t.area() == e.area && t.sub_area() == e.sub_area;
    }
    EXPECT_TRUE(found) << e.process << " / " << e.area << " / " << e.sub_area;
  }
  for (const char* sub_area :
       {"Action Missed Payment", "Review LO", "Recommend LO", "Review Case and Decide Next Action",
        "Disclosure", "Perform Calculation", "Change to Service Type", "Change of Circumstance",
        "Change of Address", "Change Income", "Manual Handling", "Advice and Guidance Request",
        "Clear Artefact", "Returned Authorisation"}) {
    bool found = false;
    for (const auto& t : catalog->types()) found |= t.sub_area() == sub_area;
    EXPECT_TRUE(found) << sub_area;
  }
  // FU types name their specialist segment (SR5.7).
  EXPECT_EQ(catalog->Find("DISCLOSURE")->specialist_segment(),
            cms::v1::SERVICE_SEGMENT_DEDUCTION_ORDER_TEAM);
  EXPECT_EQ(catalog->Find("ADVICE_AND_GUIDANCE")->kind(), cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE);
  // SR5.10: Arrears Review allows one open SR per case (AR10.2).
  EXPECT_TRUE(catalog->Find("ARREARS_REVIEW")->one_open_per_case());
  EXPECT_EQ(catalog->Find("NOPE"), nullptr);
}

absl::Status LoadOne(const std::string& entry) {
  return SrCatalog::Load({{"bad.textproto", "types { " + entry + " }"}}).status();
}

constexpr char kValid[] =
    R"(code: "X" process: "P" area: "A" sub_area: "S" kind: SR_KIND_CASE_OWNING )"
    R"(resolution_codes: "Done" activity_plan { name: "Do it" mandatory: true })";

TEST(CatalogTest, InvalidEntriesAreNamed) {
  EXPECT_TRUE(LoadOne(kValid).ok());
  absl::Status s = LoadOne(
      R"(code: "X" process: "P" area: "A" sub_area: "S" kind: SR_KIND_FUNCTIONALLY_UNIQUE resolution_codes: "Done" activity_plan { name: "a" })");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("bad.textproto: X:"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("specialist_segment"), absl::string_view::npos) << s;

  s = LoadOne(R"(code: "lower" process: "P" area: "A" sub_area: "S" kind: SR_KIND_CASE_OWNING)");
  EXPECT_NE(s.message().find("entry #1"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("resolution code"), absl::string_view::npos) << s;

  s = LoadOne(std::string(kValid) + R"( sub_statuses { name: "Done" status: SR_STATUS_CLOSED })");
  EXPECT_NE(s.message().find("Complete and Cancelled are implied"), absl::string_view::npos) << s;

  s = SrCatalog::Load({{"a.textproto", std::string("types { ") + kValid + " }"},
                       {"b.textproto", std::string("types { ") + kValid + " }"}})
          .status();
  EXPECT_NE(s.message().find("b.textproto: X: duplicate code"), absl::string_view::npos) << s;

  s = SrCatalog::Load({{"c.textproto", "types { not_a_field: 1 }"}}).status();
  EXPECT_NE(s.message().find("c.textproto"), absl::string_view::npos) << s;
}

TEST(CatalogTest, FieldsAreWellFormedAndDeclaredOnce) {
  // SR5.4, SR5.1: checked at load, so a bad declaration stops the server.
  struct Case {
    const char* fields;
    const char* problem;
  };
  for (const Case& c : std::vector<Case>{
           {R"(fields { name: "Reason" } fields { name: "Reason" mandatory: true })",
            "duplicate field \"Reason\""},
           {R"(fields { name: "Reason" } fields { name: "REASON" })", "duplicate field \"REASON\""},
           {R"(fields { name: "" })", "field \"\": required"},
           {R"(fields { name: "fields.Reason" })", "letters, digits, spaces"},
           {R"(fields { name: "Reason " })", "single spaces"},
           {R"(fields { name: "Re\tason" })", "letters, digits, spaces"},
           {R"(mandatory_fields: "Reason")", "mandatory_fields is derived"},
       }) {
    absl::Status s = LoadOne(std::string(kValid) + " " + c.fields);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.fields;
    EXPECT_NE(s.message().find(c.problem), absl::string_view::npos) << s;
  }
  std::string many = kValid;
  for (int i = 0; i <= 50; ++i) many += " fields { name: \"F" + std::to_string(i) + "\" }";
  EXPECT_NE(LoadOne(many).message().find("at most 50 fields"), absl::string_view::npos);
}

TEST(CatalogTest, MandatoryFieldsAreDerivedFromTheDeclaredOnes) {
  // SR5.4: clients written before `fields` read mandatory_fields.
  auto catalog = SrCatalog::Load(
      {{"d.textproto", std::string("types { ") + kValid +
                           R"( fields { name: "B" mandatory: true } fields { name: "A" })"
                           R"( fields { name: "C" mandatory: true } })"}});
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const cms::v1::SrType* t = catalog->Find("X");
  EXPECT_EQ(std::vector<std::string>(t->mandatory_fields().begin(), t->mandatory_fields().end()),
            (std::vector<std::string>{"B", "C"}));
  EXPECT_EQ(t->fields_size(), 3);
}

const cms::v1::SrField* Declared(const SrCatalog& catalog, const std::string& type,
                                 const std::string& field) {
  const cms::v1::SrType* t = catalog.Find(type);
  if (t == nullptr) return nullptr;
  for (const auto& f : t->fields()) {
    if (f.name() == field) return &f;
  }
  return nullptr;
}

TEST(CatalogTest, EveryFieldTheServerWritesIsDeclared) {
  // SR5.4: the fields the server's own rules write when they raise SRs
  // (server/app: RuleSr::fields, RaiseWorkingSr, RaiseOutcomeSr). They go
  // through the same check as a caller's, so an undeclared one would fail
  // the rule's RPC with INTERNAL in the integration and e2e tests; this
  // table says which, where.
  auto catalog = SrCatalog::Load(EmbeddedCatalogFiles());
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  struct Write {
    const char* type;
    const char* field;
    const char* where;
  };
  for (const Write& w : std::vector<Write>{
           {"COMPLIANCE_OPPORTUNITY_OUTCOME", "Action",
            "compliance_trial.cc, compliance_outcome.cc"},
           {"COMPLIANCE_OPPORTUNITY_OUTCOME", "Reason", "compliance_outcome.cc (S5.11)"},
           {"COMPLIANCE_OPPORTUNITY_OUTCOME", "Proposed Revised Date", "compliance_outcome.cc"},
           {"COMPLIANCE_OPPORTUNITY_OUTCOME", "Early End Reason", "compliance_outcome.cc"},
           {"AMEND_EXISTING_MOPF", "MOPF Action", "compliance.cc, compliance_outcome.cc"},
           {"CHANGE_TO_SERVICE_TYPE", "New Service Type", "compliance_outcome.cc (S5.9)"},
           {"CHANGE_TO_SERVICE_TYPE", "Effective Date", "compliance_outcome.cc (S5.9)"},
           {"CHANGE_OF_CIRCUMSTANCE", "Change Type", "compliance_outcome.cc, employment.cc"},
           {"CHANGE_OF_CIRCUMSTANCE", "Employer", "employment.cc (M7.3)"},
           {"ARREARS_REVIEW", "Reason", "missed_payments.cc, arrears_decisions.cc"},
           {"ARREARS_REVIEW", "Segment 5 Case", "compliance_trial.cc (S5.13, S5.18)"},
           {"DISCLOSURE", "Disclosure Reason", "arrears_disclosure.cc (AR10.6)"},
           {"MANUAL_ALLOCATION_REVIEW", "Schedule", "payments.cc (S5.14)"},
           {"MP_ENQUIRY_INPUT", "MP Enquiry", "mp.cc (AG11.4)"},
           {"ADVICE_AND_GUIDANCE", "Question", "guidance.cc reads it (AG11.1)"},
       }) {
    EXPECT_NE(Declared(*catalog, w.type, w.field), nullptr)
        << w.type << " / " << w.field << " (" << w.where << ")";
  }
  // Every declared field says what it holds (ListSrTypes shows it).
  for (const auto& t : catalog->types()) {
    for (const auto& f : t.fields()) {
      EXPECT_FALSE(f.description().empty()) << t.code() << " / " << f.name();
    }
  }
}

}  // namespace
}  // namespace cms::catalog
