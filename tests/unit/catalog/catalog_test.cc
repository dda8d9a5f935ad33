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

}  // namespace
}  // namespace cms::catalog
