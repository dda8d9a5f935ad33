// L12.1: letter templates are data validated at start-up; an invalid entry
// stops loading with a message naming the file and the entry.
#include "server/catalog/letter_templates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cms::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::StatusOr<LetterTemplates> LoadText(const std::string& text) {
  return LetterTemplates::Load({{"letter_bad.textproto", text}});
}

std::string Entry(const std::string& code, const std::string& body) {
  return "templates { code: \"" + code +
         "\" title: \"T\" purpose: \"P\" recipient_role: RECIPIENT_ROLE_PP body: \"" + body +
         "\" }\n";
}

TEST(LetterTemplatesTest, ShippedTemplatesLoadWithTheirMergeFields) {
  auto t = LetterTemplates::Load(EmbeddedLetterTemplateFiles());
  ASSERT_TRUE(t.ok()) << t.status();
  const cms::v1::LetterTemplate* l = t->Find("CMSL6038");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->title(), "Pay Immediately Or Face Legal Action");
  EXPECT_THAT(l->merge_fields(), ::testing::Contains("letter.date_plus_7"));
  EXPECT_EQ(t->Find("CMSL9999"), nullptr);
}

TEST(LetterTemplatesTest, MergeFieldsAreComputedInFirstUseOrder) {
  auto t = LoadText(Entry("X1", "{{rp.full_name}} {{letter.date}} {{rp.full_name}}"));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->Find("X1")->merge_fields(), ElementsAre("rp.full_name", "letter.date"));
}

TEST(LetterTemplatesTest, InvalidEntriesAreNamed) {
  struct Case {
    std::string text;
    const char* message;
  };
  const std::vector<Case> cases = {
      {Entry("X1", "Dear {{pp.shoe_size}}"),
       "letter_bad.textproto: X1: unknown merge field \"{{pp.shoe_size}}\""},
      {Entry("X1", "Dear {{pp.full_name"), "letter_bad.textproto: X1: unclosed"},
      {Entry("X1", "a") + Entry("X1", "b"), "letter_bad.textproto: X1: duplicate code"},
      {Entry("x-1", "a"), "letter_bad.textproto: entry #1: code must be"},
      {Entry("X1", ""), "X1: body is required"},
      {"templates { code: \"X1\" body: \"a\" }",
       "X1: title is required; purpose is required; recipient_role is required"},
      {"templates { code: \"X1\" title: \"T\" purpose: \"P\" recipient_role: RECIPIENT_ROLE_RP "
       "body: \"a\" merge_fields: \"pp.full_name\" }",
       "X1: merge_fields is computed"},
      {"templates { nonsense: 1 }", "not a valid cms.v1.LetterTemplateCatalog"},
      {"", "there are no letter templates"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto t = LoadText(c.text);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(t.status().message()), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace cms::catalog
