// L12.1: merge fields, rendering of every shipped letter template, and the
// DLO/NFA refusal decision.
#include "server/domain/letters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"
#include "server/catalog/letter_templates.h"

namespace cms::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

LetterFacts Facts() {
  LetterFacts f;
  f.recipient = {"Pat", "Payer"};
  f.address.add_lines("1 High Street");
  f.address.add_lines("Leeds");
  f.address.set_postcode("LS1 1UR");
  f.paying_parent = {"Pat", "Payer"};
  f.receiving_parent = {"Robin", "Receiver"};
  f.case_id = 4711;
  f.children = {"Sam", "Alex"};
  f.service_type = cms::v1::SERVICE_TYPE_COLLECT_AND_PAY;
  f.issue_date = absl::CivilDay(2026, 12, 1);
  return f;
}

TEST(LettersTest, EveryShippedTemplateRendersWithEveryFieldResolved) {
  // L12.1: each template the SPEC names exists, is written for the right
  // parent, and renders with no merge field left over.
  auto templates = catalog::LetterTemplates::Load(catalog::EmbeddedLetterTemplateFiles());
  ASSERT_TRUE(templates.ok()) << templates.status();
  struct Expect {
    const char* code;
    cms::v1::RecipientRole role;
  };
  const std::vector<Expect> expected = {
      {"CMSL0136", cms::v1::RECIPIENT_ROLE_PP},
      {"CMSL0137", cms::v1::RECIPIENT_ROLE_RP},
      {"CMSL0138", cms::v1::RECIPIENT_ROLE_RP},
      {"CMSL0139", cms::v1::RECIPIENT_ROLE_PP},
      {"CMSL6031", cms::v1::RECIPIENT_ROLE_PP},
      {"CMSL6038", cms::v1::RECIPIENT_ROLE_PP},
      {"CMSL5511", cms::v1::RECIPIENT_ROLE_RP},
      {"PROVISIONAL_CALCULATION", cms::v1::RECIPIENT_ROLE_PP},
  };
  ASSERT_EQ(templates->templates().size(), expected.size());
  const auto values = MergeValues(Facts());
  for (const Expect& e : expected) {
    SCOPED_TRACE(e.code);
    const cms::v1::LetterTemplate* t = templates->Find(e.code);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->recipient_role(), e.role);
    EXPECT_FALSE(t->title().empty());
    EXPECT_FALSE(t->purpose().empty());
    EXPECT_FALSE(t->merge_fields().empty());
    auto text = RenderBody(t->body(), values);
    ASSERT_TRUE(text.ok()) << text.status();
    EXPECT_THAT(*text, Not(HasSubstr("{{")));
    EXPECT_THAT(*text, Not(HasSubstr("}}")));
    EXPECT_THAT(*text, HasSubstr("Dear Pat Payer"));
    EXPECT_THAT(*text, HasSubstr("1 High Street\nLeeds\nLS1 1UR\n"));
    EXPECT_THAT(*text, HasSubstr("Date: 1 December 2026"));
    EXPECT_THAT(*text, HasSubstr("Case reference: 4711"));
    EXPECT_THAT(*text, HasSubstr("Sam and Alex"));
    // Each field the template names has a value in the rendered text.
    for (const std::string& field : t->merge_fields()) {
      EXPECT_THAT(*text, HasSubstr(values.at(field))) << field;
    }
  }
}

TEST(LettersTest, EveryKnownFieldHasAValue) {
  // L12.1: MergeValues covers exactly the fields templates may use.
  const auto values = MergeValues(Facts());
  EXPECT_EQ(values.size(), KnownMergeFields().size());
  for (const std::string& field : KnownMergeFields()) {
    EXPECT_TRUE(values.contains(field)) << field;
    EXPECT_FALSE(values.at(field).empty()) << field;
  }
}

TEST(LettersTest, MergeValues) {
  // L12.1: dates in words, reply-by dates (AR10.4 7 days, S5.4 14 days).
  const auto v = MergeValues(Facts());
  EXPECT_EQ(v.at("letter.date"), "1 December 2026");
  EXPECT_EQ(v.at("letter.date_plus_7"), "8 December 2026");
  EXPECT_EQ(v.at("letter.date_plus_14"), "15 December 2026");
  EXPECT_EQ(v.at("recipient.given_name"), "Pat");
  EXPECT_EQ(v.at("rp.full_name"), "Robin Receiver");
  EXPECT_EQ(v.at("case.service_type"), "Collect and Pay");

  LetterFacts abroad = Facts();
  abroad.address.clear_postcode();
  abroad.address.set_non_uk(true);
  abroad.address.set_country_code("FR");
  abroad.children = {"Sam", "Alex", "Jo"};
  abroad.issue_date = absl::CivilDay(2026, 12, 25);
  const auto w = MergeValues(abroad);
  EXPECT_EQ(w.at("recipient.address"), "1 High Street\nLeeds\nFR");
  EXPECT_EQ(w.at("case.children"), "Sam, Alex and Jo");
  EXPECT_EQ(w.at("letter.date_plus_7"), "1 January 2027");
}

TEST(LettersTest, MergeFieldsOfBodies) {
  // L12.1: a template names only known fields, well formed.
  struct Case {
    const char* body;
    std::vector<std::string> fields;  // when valid
    const char* error;                // substring of the error, or nullptr
  };
  const std::vector<Case> cases = {
      {"no fields at all", {}, nullptr},
      {"Dear {{recipient.full_name}}, {{letter.date}} {{recipient.full_name}}",
       {"recipient.full_name", "letter.date"},
       nullptr},
      {"single { braces } are text", {}, nullptr},
      {"Dear {{pp.nickname}}", {}, "unknown merge field \"{{pp.nickname}}\""},
      {"Dear {{pp.full_name", {}, "unclosed \"{{\""},
      {"Dear {{}}", {}, "malformed merge field"},
      {"Dear {{ pp.full_name }}", {}, "malformed merge field"},
      {"Dear {{PP.FULL_NAME}}", {}, "malformed merge field"},
      {"Dear {{pp.}}", {}, "malformed merge field"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    auto fields = MergeFieldsOf(c.body);
    if (c.error == nullptr) {
      ASSERT_TRUE(fields.ok()) << fields.status();
      EXPECT_EQ(*fields, c.fields);
    } else {
      ASSERT_FALSE(fields.ok());
      EXPECT_EQ(fields.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(std::string(fields.status().message()), HasSubstr(c.error));
      EXPECT_EQ(RuleOf(fields.status()), "L12.1");
    }
  }
}

TEST(LettersTest, RenderReplacesFieldsAndRefusesUnknownOnes) {
  // L12.1: every field resolved; one without a value is refused by name.
  auto text = RenderBody("Dear {{a.b}}, see {{c}}.", {{"a.b", "Ann"}, {"c", "x{{y}}"}});
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "Dear Ann, see x{{y}}.");  // values are not re-scanned

  auto missing = RenderBody("Dear {{a.b}} {{nope}}", {{"a.b", "Ann"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("{{nope}}"));
  EXPECT_FALSE(RenderBody("{{a.b", {{"a.b", "Ann"}}).ok());
}

cms::v1::Person Recipient(cms::v1::AddressStatus status, bool correspondence) {
  cms::v1::Person p;
  p.mutable_residential_address()->add_lines("1 Home Road");
  p.mutable_residential_address()->set_postcode("M1 1AE");
  if (correspondence) {
    p.mutable_correspondence_address()->add_lines("PO Box 9");
    p.mutable_correspondence_address()->set_postcode("M2 2BB");
  }
  p.set_address_status(status);
  return p;
}

TEST(LettersTest, LettersGoToTheCorrespondenceAddressWhenThereIsOne) {
  // L12.1
  const auto with = Recipient(cms::v1::ADDRESS_STATUS_OK, true);
  EXPECT_THAT(LetterAddress(with).lines(), ElementsAre("PO Box 9"));
  const auto without = Recipient(cms::v1::ADDRESS_STATUS_OK, false);
  EXPECT_THAT(LetterAddress(without).lines(), ElementsAre("1 Home Road"));
}

TEST(LettersTest, NoLetterToADloOrNfaAddress) {
  // L12.1: the refusal names the status and which address it is.
  struct Case {
    cms::v1::AddressStatus status;
    bool correspondence;
    const char* reason;  // substring, or nullptr when the letter may go
  };
  const std::vector<Case> cases = {
      {cms::v1::ADDRESS_STATUS_UNSPECIFIED, false, nullptr},
      {cms::v1::ADDRESS_STATUS_OK, true, nullptr},
      {cms::v1::ADDRESS_STATUS_DLO, true, "correspondence address is marked DLO"},
      {cms::v1::ADDRESS_STATUS_DLO, false, "residential address is marked DLO"},
      {cms::v1::ADDRESS_STATUS_NFA, true, "correspondence address is marked NFA"},
      {cms::v1::ADDRESS_STATUS_NFA, false, "residential address is marked NFA"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.status, c.correspondence ? " correspondence" : " residential"));
    auto why = UndeliverableReason(Recipient(c.status, c.correspondence));
    if (c.reason == nullptr) {
      EXPECT_FALSE(why.has_value()) << *why;
    } else {
      ASSERT_TRUE(why.has_value());
      EXPECT_THAT(*why, HasSubstr(c.reason));
    }
  }
}

}  // namespace
}  // namespace cms::domain
