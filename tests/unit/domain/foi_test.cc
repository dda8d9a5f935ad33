// AG11.3: an FOI request's intake (full name, a postal or email address),
// the handling its personal data calls for, and the 20-working-day
// deadline across bank holidays.
#include "server/domain/foi.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "server/base/errors.h"
#include "server/catalog/bank_holidays.h"

namespace cms::domain {
namespace {

cms::v1::CreateFoiRequestRequest Good() {
  cms::v1::CreateFoiRequestRequest r;
  r.set_country(cms::v1::COUNTRY_GB);
  r.set_requester_full_name("Jane Q Public");
  r.set_email_address("jane.public@example.org");
  r.set_channel(cms::v1::FOI_CHANNEL_EMAIL);
  r.mutable_received_date()->set_year(2027);
  r.mutable_received_date()->set_month(3);
  r.mutable_received_date()->set_day(15);
  r.set_request_text("How many cases were referred to enforcement in 2026?");
  r.set_personal_data(cms::v1::FOI_PERSONAL_DATA_NONE);
  return r;
}

std::vector<std::string> BadFields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : FieldErrorsOf(s)) out.push_back(e.field);
  return out;
}

TEST(FoiTest, AG11_3_TheIntakeNeedsAFullNameAndAnAddress) {
  const absl::CivilDay today(2027, 3, 15);
  struct Row {
    const char* what;
    std::function<void(cms::v1::CreateFoiRequestRequest&)> set;
    std::vector<std::string> bad;  // empty: accepted
  } rows[] = {
      {"complete, by email", [](auto&) {}, {}},
      {"by letter with a postal address only",
       [](auto& r) {
         r.clear_email_address();
         r.set_postal_address("1 High Street, Leeds LS1 1AA");
         r.set_channel(cms::v1::FOI_CHANNEL_LETTER);
       },
       {}},
      {"no name", [](auto& r) { r.clear_requester_full_name(); }, {"requester_full_name"}},
      {"one name only",
       [](auto& r) { r.set_requester_full_name("Jane"); },
       {"requester_full_name"}},
      {"blank name", [](auto& r) { r.set_requester_full_name("   "); }, {"requester_full_name"}},
      {"no address at all",
       [](auto& r) { r.clear_email_address(); },
       {"postal_address", "email_address"}},
      {"a bad email", [](auto& r) { r.set_email_address("jane at example"); }, {"email_address"}},
      {"a postal address too short",
       [](auto& r) { r.set_postal_address("Leeds"); },
       {"postal_address"}},
      {"no channel", [](auto& r) { r.clear_channel(); }, {"channel"}},
      {"received tomorrow",
       [](auto& r) { r.mutable_received_date()->set_day(16); },
       {"received_date"}},
      {"no date", [](auto& r) { r.clear_received_date(); }, {"received_date"}},
      {"nothing asked", [](auto& r) { r.set_request_text(" "); }, {"request_text"}},
      {"personal data not said", [](auto& r) { r.clear_personal_data(); }, {"personal_data"}},
      {"no country", [](auto& r) { r.clear_country(); }, {"country"}},
      {"everything missing",
       [](auto& r) { r.Clear(); },
       {"country", "requester_full_name", "postal_address", "email_address", "channel",
        "received_date", "request_text", "personal_data"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.what);
    cms::v1::CreateFoiRequestRequest r = Good();
    row.set(r);
    const absl::Status s = ValidateFoiIntake(r, today);
    EXPECT_EQ(BadFields(s), row.bad);
    if (!row.bad.empty()) {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(RuleOf(s), "AG11.3");
    }
  }
}

TEST(FoiTest, AG11_3_LivingAndDeceasedPeopleAreHandledApart) {
  EXPECT_EQ(FoiHandlingOf(cms::v1::FOI_PERSONAL_DATA_LIVING_PERSON),
            cms::v1::FOI_HANDLING_DATA_PROTECTION);
  EXPECT_EQ(FoiHandlingOf(cms::v1::FOI_PERSONAL_DATA_DECEASED_PERSON),
            cms::v1::FOI_HANDLING_DUTY_OF_CONFIDENTIALITY);
  EXPECT_EQ(FoiHandlingOf(cms::v1::FOI_PERSONAL_DATA_NONE), cms::v1::FOI_HANDLING_FOI_ACT);
  EXPECT_EQ(FoiHandlingOf(cms::v1::FOI_PERSONAL_DATA_UNSPECIFIED),
            cms::v1::FOI_HANDLING_UNSPECIFIED);
}

TEST(FoiTest, AG11_3_TheResponseIsDueTwentyWorkingDaysAfterReceipt) {
  auto calendar = catalog::LoadBankHolidays(catalog::EmbeddedBankHolidayFiles());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  struct Row {
    absl::CivilDay received;
    cms::v1::Country country;
    absl::CivilDay due;
  } rows[] = {
      // No holiday in the way: four weeks.
      {absl::CivilDay(2027, 2, 1), cms::v1::COUNTRY_GB, absl::CivilDay(2027, 3, 1)},
      // Across Easter 2027 (Good Friday 26, Easter Monday 29 March): two
      // days later than four weeks.
      {absl::CivilDay(2027, 3, 15), cms::v1::COUNTRY_GB, absl::CivilDay(2027, 4, 14)},
      // Northern Ireland also keeps St Patrick's Day (17 March).
      {absl::CivilDay(2027, 3, 15), cms::v1::COUNTRY_NI, absl::CivilDay(2027, 4, 15)},
      // Received on a Saturday: the count starts on Monday.
      {absl::CivilDay(2027, 2, 6), cms::v1::COUNTRY_GB, absl::CivilDay(2027, 3, 5)},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(absl::FormatCivilTime(r.received));
    auto due = FoiResponseDue(r.received, r.country, *calendar);
    ASSERT_TRUE(due.ok()) << due.status();
    EXPECT_EQ(*due, r.due);
  }
  EXPECT_EQ(
      FoiResponseDue(absl::CivilDay(2031, 1, 6), cms::v1::COUNTRY_GB, *calendar).status().code(),
      absl::StatusCode::kOutOfRange)
      << "past the calendar's years";
}

}  // namespace
}  // namespace cms::domain
