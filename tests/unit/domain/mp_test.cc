// AG11.4: an MP enquiry's intake (each missing or bad field named), the
// case enquiry's party rule, the response deadline across bank holidays,
// and the enquiry's state machine.
#include "server/domain/mp.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "server/base/errors.h"
#include "server/catalog/bank_holidays.h"

namespace cms::domain {
namespace {

using cms::v1::MpEnquiryState;

cms::v1::CreateMpEnquiryRequest CaseEnquiry() {
  cms::v1::CreateMpEnquiryRequest r;
  r.set_country(cms::v1::COUNTRY_GB);
  r.set_kind(cms::v1::MP_ENQUIRY_KIND_CASE_ENQUIRY);
  r.set_channel(cms::v1::MP_CHANNEL_REGIONAL_HOTLINE);
  r.set_mp_name("Alex Member");
  r.set_mp_constituency("Leeds Central");
  r.set_constituent_name("Pat Tester");
  r.set_constituent_person_id(41);
  r.set_case_id(7);
  r.set_question("Why has my constituent received no payment since March?");
  r.mutable_received_date()->set_year(2027);
  r.mutable_received_date()->set_month(3);
  r.mutable_received_date()->set_day(15);
  return r;
}

std::vector<std::string> BadFields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : FieldErrorsOf(s)) out.push_back(e.field);
  return out;
}

TEST(MpTest, AG11_4_TheIntakeNamesEachMissingOrBadField) {
  const absl::CivilDay today(2027, 3, 15);
  using Req = cms::v1::CreateMpEnquiryRequest;
  struct Row {
    const char* what;
    std::function<void(Req&)> set;
    std::vector<std::string> bad;  // empty: accepted
  } rows[] = {
      {"a complete case enquiry", [](Req&) {}, {}},
      {"a general enquiry naming no one",
       [](Req& r) {
         r.set_kind(cms::v1::MP_ENQUIRY_KIND_GENERAL_ENQUIRY);
         r.clear_constituent_name();
         r.clear_constituent_person_id();
         r.clear_case_id();
       },
       {}},
      {"a general enquiry for a named constituent",
       [](Req& r) {
         r.set_kind(cms::v1::MP_ENQUIRY_KIND_GENERAL_ENQUIRY);
         r.clear_constituent_person_id();
         r.clear_case_id();
       },
       {}},
      {"a parliamentary question by email",
       [](Req& r) {
         r.set_kind(cms::v1::MP_ENQUIRY_KIND_PARLIAMENTARY_QUESTION);
         r.set_channel(cms::v1::MP_CHANNEL_EMAIL);
         r.clear_constituent_name();
         r.clear_constituent_person_id();
         r.clear_case_id();
       },
       {}},
      {"a complaint naming no case",
       [](Req& r) {
         r.set_kind(cms::v1::MP_ENQUIRY_KIND_COMPLAINT);
         r.clear_case_id();
       },
       {}},
      {"a complaint naming a case",
       [](Req& r) { r.set_kind(cms::v1::MP_ENQUIRY_KIND_COMPLAINT); },
       {}},
      {"no MP name", [](Req& r) { r.clear_mp_name(); }, {"mp_name"}},
      {"a blank MP name", [](Req& r) { r.set_mp_name("  "); }, {"mp_name"}},
      {"no constituency", [](Req& r) { r.clear_mp_constituency(); }, {"mp_constituency"}},
      {"no channel", [](Req& r) { r.clear_channel(); }, {"channel"}},
      {"an unknown channel",
       [](Req& r) { r.set_channel(static_cast<cms::v1::MpChannel>(9)); },
       {"channel"}},
      {"no kind", [](Req& r) { r.clear_kind(); }, {"kind"}},
      {"no question", [](Req& r) { r.set_question(" "); }, {"question"}},
      {"a question too long", [](Req& r) { r.set_question(std::string(4001, 'q')); }, {"question"}},
      {"received tomorrow",
       [](Req& r) { r.mutable_received_date()->set_day(16); },
       {"received_date"}},
      {"no date", [](Req& r) { r.clear_received_date(); }, {"received_date"}},
      {"no country", [](Req& r) { r.clear_country(); }, {"country"}},
      {"a case enquiry without its case", [](Req& r) { r.clear_case_id(); }, {"case_id"}},
      {"a case enquiry without its constituent person",
       [](Req& r) { r.clear_constituent_person_id(); },
       {"constituent_person_id"}},
      {"a case enquiry without the constituent's name",
       [](Req& r) { r.clear_constituent_name(); },
       {"constituent_name"}},
      {"a case enquiry with neither case nor constituent",
       [](Req& r) {
         r.clear_case_id();
         r.clear_constituent_person_id();
         r.clear_constituent_name();
       },
       {"constituent_name", "constituent_person_id", "case_id"}},
      {"a complaint without its constituent person",
       [](Req& r) {
         r.set_kind(cms::v1::MP_ENQUIRY_KIND_COMPLAINT);
         r.clear_constituent_person_id();
       },
       {"constituent_person_id"}},
      {"a general enquiry naming a case and a person",
       [](Req& r) { r.set_kind(cms::v1::MP_ENQUIRY_KIND_GENERAL_ENQUIRY); },
       {"constituent_person_id", "case_id"}},
      {"a parliamentary question for a constituent",
       [](Req& r) {
         r.set_kind(cms::v1::MP_ENQUIRY_KIND_PARLIAMENTARY_QUESTION);
         r.clear_constituent_person_id();
         r.clear_case_id();
       },
       {"constituent_name"}},
      {"negative ids",
       [](Req& r) {
         r.set_case_id(-1);
         r.set_constituent_person_id(-2);
       },
       {"constituent_person_id", "case_id"}},
      {"everything missing",
       [](Req& r) { r.Clear(); },
       {"country", "kind", "channel", "mp_name", "mp_constituency", "question", "received_date"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.what);
    Req r = CaseEnquiry();
    row.set(r);
    const absl::Status s = ValidateMpIntake(r, today);
    EXPECT_EQ(BadFields(s), row.bad) << s;
    if (!row.bad.empty()) {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(RuleOf(s), "AG11.4");
    }
  }
}

TEST(MpTest, AG11_4_ACaseEnquiryNamesACaseTheConstituentIsAPartyOf) {
  cms::v1::Case k;
  k.set_id(7);
  k.set_paying_parent_id(40);
  k.set_receiving_parent_id(41);
  k.add_children()->set_given_name("Sam");
  struct Row {
    int64_t person;
    CaseParty party;
  } rows[] = {
      {40, CaseParty::kPayingParent}, {41, CaseParty::kReceivingParent},
      {42, CaseParty::kNone},  // someone else's
      {0, CaseParty::kNone},          {-40, CaseParty::kNone},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.person);
    EXPECT_EQ(PartyOfCase(k, r.person), r.party);
    const absl::Status s = CheckConstituentIsParty(k, r.person);
    if (r.party == CaseParty::kNone) {
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_EQ(RuleOf(s), "AG11.4");
      EXPECT_NE(s.message().find("case 7"), absl::string_view::npos) << s;
    } else {
      EXPECT_TRUE(s.ok()) << s;
    }
  }
  // A case with no receiving parent recorded: person 0 is never a party.
  k.clear_receiving_parent_id();
  EXPECT_EQ(PartyOfCase(k, 0), CaseParty::kNone);
}

TEST(MpTest, AG11_4_TheAnswerIsDueTwentyWorkingDaysAfterReceiptFiveForAQuestion) {
  auto calendar = catalog::LoadBankHolidays(catalog::EmbeddedBankHolidayFiles());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  const auto kCase = cms::v1::MP_ENQUIRY_KIND_CASE_ENQUIRY;
  const auto kPq = cms::v1::MP_ENQUIRY_KIND_PARLIAMENTARY_QUESTION;
  struct Row {
    const char* what;
    absl::CivilDay received;
    cms::v1::MpEnquiryKind kind;
    cms::v1::Country country;
    absl::CivilDay due;
  } rows[] = {
      {"no holiday in the way: four weeks", absl::CivilDay(2027, 2, 1), kCase, cms::v1::COUNTRY_GB,
       absl::CivilDay(2027, 3, 1)},
      // Good Friday 26 and Easter Monday 29 March 2027: two days later.
      {"across Easter", absl::CivilDay(2027, 3, 15), kCase, cms::v1::COUNTRY_GB,
       absl::CivilDay(2027, 4, 14)},
      {"NI also keeps St Patrick's Day", absl::CivilDay(2027, 3, 15), kCase, cms::v1::COUNTRY_NI,
       absl::CivilDay(2027, 4, 15)},
      {"a complaint: the same 20 days", absl::CivilDay(2027, 3, 15),
       cms::v1::MP_ENQUIRY_KIND_COMPLAINT, cms::v1::COUNTRY_GB, absl::CivilDay(2027, 4, 14)},
      {"a question: a working week", absl::CivilDay(2027, 2, 1), kPq, cms::v1::COUNTRY_GB,
       absl::CivilDay(2027, 2, 8)},
      // Received Tuesday 23 March: Wed, Thu, (Good Friday), (Easter Monday),
      // Tue 30, Wed 31, Thu 1 April.
      {"a question across Easter", absl::CivilDay(2027, 3, 23), kPq, cms::v1::COUNTRY_GB,
       absl::CivilDay(2027, 4, 1)},
      {"received on a Saturday: the count starts on Monday", absl::CivilDay(2027, 2, 6), kCase,
       cms::v1::COUNTRY_GB, absl::CivilDay(2027, 3, 5)},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    auto due = MpResponseDue(r.received, r.kind, r.country, *calendar);
    ASSERT_TRUE(due.ok()) << due.status();
    EXPECT_EQ(*due, r.due);
  }
  EXPECT_EQ(MpResponseDue(absl::CivilDay(2031, 1, 6), kCase, cms::v1::COUNTRY_GB, *calendar)
                .status()
                .code(),
            absl::StatusCode::kOutOfRange)
      << "past the calendar's years";
}

TEST(MpTest, AG11_4_ValidatedThenAnsweredThenClosedOrRejectedAtValidation) {
  const MpEnquiryState kReceived = cms::v1::MP_ENQUIRY_STATE_RECEIVED;
  const MpEnquiryState kValidated = cms::v1::MP_ENQUIRY_STATE_VALIDATED;
  const MpEnquiryState kAnswered = cms::v1::MP_ENQUIRY_STATE_ANSWERED;
  const MpEnquiryState kClosed = cms::v1::MP_ENQUIRY_STATE_CLOSED;
  const MpEnquiryState kRejected = cms::v1::MP_ENQUIRY_STATE_REJECTED;
  struct Row {
    MpEnquiryState from;
    MpStep step;
    bool allowed;
    const char* says;  // part of the refusal
  } rows[] = {
      {kReceived, MpStep::kValidate, true, ""},
      {kReceived, MpStep::kReject, true, ""},
      {kReceived, MpStep::kAnswer, false, "validate it first"},
      {kReceived, MpStep::kClose, false, "record the answer first"},
      {kValidated, MpStep::kValidate, false, "validated already"},
      {kValidated, MpStep::kReject, false, "validated already"},
      {kValidated, MpStep::kAnswer, true, ""},
      {kValidated, MpStep::kClose, false, "record the answer first"},
      {kAnswered, MpStep::kValidate, false, "validated already"},
      {kAnswered, MpStep::kAnswer, false, "answered already"},
      {kAnswered, MpStep::kClose, true, ""},
      {kClosed, MpStep::kValidate, false, "closed"},
      {kClosed, MpStep::kReject, false, "closed"},
      {kClosed, MpStep::kAnswer, false, "closed"},
      {kClosed, MpStep::kClose, false, "closed"},
      {kRejected, MpStep::kValidate, false, "rejected"},
      {kRejected, MpStep::kAnswer, false, "rejected"},
      {kRejected, MpStep::kClose, false, "rejected"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(absl::StrCat(cms::v1::MpEnquiryState_Name(r.from), " ", MpStepName(r.step)));
    const absl::Status s = CheckMpStep(r.from, r.step);
    if (r.allowed) {
      EXPECT_TRUE(s.ok()) << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_EQ(RuleOf(s), "AG11.4");
      EXPECT_NE(s.message().find(r.says), absl::string_view::npos) << s;
    }
  }
  EXPECT_EQ(MpStateAfter(MpStep::kValidate), kValidated);
  EXPECT_EQ(MpStateAfter(MpStep::kReject), kRejected);
  EXPECT_EQ(MpStateAfter(MpStep::kAnswer), kAnswered);
  EXPECT_EQ(MpStateAfter(MpStep::kClose), kClosed);
}

TEST(MpTest, AG11_4_ACaseEnquiryIsAnsweredOnceTheCaseOwnersInputHasComeBack) {
  cms::v1::MpEnquiry e;
  e.set_state(cms::v1::MP_ENQUIRY_STATE_VALIDATED);
  EXPECT_TRUE(CheckMpCanAnswer(e).ok()) << "no input asked: a general enquiry";
  e.set_input_service_request_id(12);
  const absl::Status waiting = CheckMpCanAnswer(e);
  EXPECT_EQ(waiting.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RuleOf(waiting), "AG11.4");
  EXPECT_NE(waiting.message().find("SR 12"), absl::string_view::npos) << waiting;
  e.set_input_received(true);
  EXPECT_TRUE(CheckMpCanAnswer(e).ok());
  e.set_state(cms::v1::MP_ENQUIRY_STATE_RECEIVED);
  EXPECT_EQ(CheckMpCanAnswer(e).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace cms::domain
