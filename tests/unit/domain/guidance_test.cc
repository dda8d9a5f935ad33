// AG11.1: what a special client records private question to A&G may not
// carry (the identifier-detection table), who reads and answers an A&G
// answer, who asks privately, and the states of a private request.
#include "server/domain/guidance.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/base/errors.h"
#include "server/domain/access.h"

namespace cms::domain {
namespace {

using Kind = ClientIdentifier;

// Saturday 20 March 2027.
const absl::CivilDay kToday(2027, 3, 20);

struct Row {
  const char* text;
  std::vector<Kind> want;  // empty: innocent
};

void ExpectTable(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    SCOPED_TRACE(row.text);
    EXPECT_EQ(FindClientIdentifiers(row.text, kToday), row.want);
  }
}

TEST(GuidanceTest, AG11_1_NationalInsuranceNumbersAreFoundWrittenAnyWay) {
  const std::vector<Kind> nino = {Kind::kNationalInsuranceNumber};
  ExpectTable({
      {"Can the PP (QQ123456C) ask for a variation?", nino},
      {"NINO QQ 12 34 56 C on the legacy case", nino},
      {"qq123456c", nino},
      {"qq 12 34 56 c", nino},
      {"AB-12-34-56-D", nino},
      {"AB 123456 A", nino},
      {"JZ123456 without its suffix", nino},
      {"IN 12 34 56", nino},
      {"(ab123456c)", nino},
      // Not one: seven digits, a rule id, a letter code, text.
      {"AB1234567", {}},
      {"in 12 34 56 weeks", {}},
      {"CMSL0136 was issued", {}},
  });
}

TEST(GuidanceTest, AG11_1_PostcodesEmailsAndPhoneNumbersAreFound) {
  const std::vector<Kind> postcode = {Kind::kPostcode};
  const std::vector<Kind> email = {Kind::kEmailAddress};
  const std::vector<Kind> phone = {Kind::kPhoneNumber};
  ExpectTable({
      {"The PP moved to SW1A 1AA last month", postcode},
      {"sw1a1aa", postcode},
      {"lives in M1 1AE", postcode},
      {"BT1 5GS (Belfast)", postcode},
      {"EC1A1BB", postcode},
      {"GIR 0AA", postcode},
      // A district alone, ordinals, a quarter.
      {"somewhere in LS1", {}},
      {"the Q1 2nd payment", {}},
      {"in Q3 2026", {}},
      {"write to jane.doe@example.org", email},
      {"J.Doe+cms@mail.example.co.uk", email},
      {"at example dot org", {}},
      {"she called from 07700 900123", phone},
      {"07700900123", phone},
      {"0113 496 0000", phone},
      {"(0113) 496 0000", phone},
      {"+44 7700 900123", phone},
      {"+447700900123", phone},
      {"0113-496-0000 after 5pm", phone},
      {"call 0113 496 0000 12 times", phone},
  });
}

TEST(GuidanceTest, AG11_1_CmsReferencesInTheFormsThisSystemPrintsAreFound) {
  const std::vector<Kind> ref = {Kind::kCmsReference};
  ExpectTable({
      {"on case 17", ref},
      {"Case reference: 17", ref},
      {"Case ref 17", ref},
      {"case #17", ref},
      {"case17", ref},
      {"casegroup 12", ref},
      {"case group 12", ref},
      {"Casegroup ID 12", ref},
      {R"({"casegroup_id": "12"})", ref},
      {R"("case_id": "17")", ref},
      {"person 7", ref},
      {"person id 7", ref},
      {"person_id=7", ref},
      {"party 7", ref},
      {"SR 45", ref},
      {"SR45", ref},
      {"SR no. 45", ref},
      {"service request 45", ref},
      // Not references: rule ids, English, counts.
      {"Does SR5.7 apply, or AR10.6 and AG11.1?", {}},
      {"in case 2 payments are missed", {}},
      {"In case 3 of the children leave", {}},
      {"the PP has 3 cases", {}},
      {"a case with 2 children", {}},
  });
}

TEST(GuidanceTest, AG11_1_DatesOfBirthAreFoundAndRecentDatesPass) {
  const std::vector<Kind> dob = {Kind::kDateOfBirth};
  ExpectTable({
      {"15/03/1985", dob},
      {"15.03.1985", dob},
      {"1985-03-15", dob},
      {"15 March 1985", dob},
      {"15th of March 1985", dob},
      {"March 15, 1985", dob},
      {"03/04/85", dob},
      {"born 1990", dob},
      {"DOB 2/5/2024", dob},
      {"child's date of birth is 1 March 2025", dob},
      {"D.O.B. 2024-01-01", dob},
      // More than 6 years ago (the day before 20 March 2021).
      {"paid on 19/03/2021", dob},
      // Recent or future dates, months and years alone: a payment, a
      // hearing, a period.
      {"a payment missed on 15/03/2027", {}},
      {"the DEO from 2026-11-01", {}},
      {"decided on 1 March 2025", {}},
      {"paid on 20/03/2021", {}},
      {"the hearing on 4 May 2027", {}},
      {"the liability since March 2019", {}},
      {"the CSA case from 2003", {}},
      {"31/02/1985 is no date", {}},
  });
}

TEST(GuidanceTest, AG11_1_InnocentQuestionsPass) {
  ExpectTable({
      {"A PP with a weekly liability of £7 asks whether the flat rate applies. What do we do?", {}},
      {"Arrears of £1,234.56 and £50 a week: is a DEO right, or an RDO under AR10.6?", {}},
      {"10,000,000 pence", {}},
      {"1234.56", {}},
      {"£0.50 fee", {}},
      {"within 48 hours, or 20 working days?", {}},
      {"The RP says 3 payments of £120 were missed in the last 12 weeks.", {}},
      {"CMSL0136 and CMSL6031: which letter?", {}},
      {"", {}},
  });
}

TEST(GuidanceTest, AG11_1_SeveralKindsAreEachNamedOnce) {
  EXPECT_EQ(
      FindClientIdentifiers("QQ123456C at SW1A 1AA, QQ 65 43 21 A, case 9", kToday),
      (std::vector<Kind>{Kind::kNationalInsuranceNumber, Kind::kPostcode, Kind::kCmsReference}));
}

TEST(GuidanceTest, AG11_1_APrivateQuestionIsRefusedNamingQuestionWithoutEchoingIt) {
  EXPECT_TRUE(ValidatePrivateQuestion("Can an RDO be set up while a DEO is live?", kToday).ok());
  for (const char* bad : {"", "   ", "QQ123456C: may we disclose?"}) {
    SCOPED_TRACE(bad);
    const absl::Status s = ValidatePrivateQuestion(bad, kToday);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(RuleOf(s), "AG11.1");
    ASSERT_EQ(FieldErrorsOf(s).size(), 1u);
    EXPECT_EQ(FieldErrorsOf(s)[0].field, "question");
    EXPECT_EQ(std::string(s.message()).find("QQ123456C"), std::string::npos) << s;
    EXPECT_EQ(FieldErrorsOf(s)[0].description.find("QQ123456C"), std::string::npos);
  }
  EXPECT_NE(FieldErrorsOf(ValidatePrivateQuestion("QQ123456C", kToday))[0].description.find(
                "National Insurance number"),
            std::string::npos);
  EXPECT_FALSE(ValidatePrivateQuestion(std::string(4001, 'a'), kToday).ok());
  EXPECT_TRUE(ValidatePrivateQuestion(std::string(4000, 'a'), kToday).ok());
}

TEST(GuidanceTest, AG11_1_OnlySpecialClientRecordsCaseworkersAndTeamLeadersAskPrivately) {
  const auto kScr = cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS;
  EXPECT_TRUE(MayAskPrivately(cms::v1::ROLE_CASEWORKER, kScr));
  EXPECT_TRUE(MayAskPrivately(cms::v1::ROLE_TEAM_LEADER, kScr));
  EXPECT_FALSE(MayAskPrivately(cms::v1::ROLE_SEGMENT_MANAGER, kScr));
  EXPECT_FALSE(MayAskPrivately(cms::v1::ROLE_CASEWORKER, cms::v1::SERVICE_SEGMENT_MAINTENANCE));
  EXPECT_FALSE(
      MayAskPrivately(cms::v1::ROLE_CASEWORKER, cms::v1::SERVICE_SEGMENT_ADVICE_AND_GUIDANCE));
  EXPECT_FALSE(
      MayAskPrivately(cms::v1::ROLE_SERVICE_MANAGEMENT, cms::v1::SERVICE_SEGMENT_UNSPECIFIED));
}

TEST(GuidanceTest, AG11_1_NoAandGSrOnASpecialClientRecordsCasegroupAndItClosesByItsAnswer) {
  const absl::Status s =
      CheckGuidanceSrAllowed(kGuidanceSrType, cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RuleOf(s), "AG11.1");
  EXPECT_TRUE(CheckGuidanceSrAllowed(kGuidanceSrType, cms::v1::SERVICE_SEGMENT_MAINTENANCE).ok());
  EXPECT_TRUE(
      CheckGuidanceSrAllowed("DISCLOSURE", cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS).ok());
  EXPECT_TRUE(ClosedByAnswerOnly(kGuidanceSrType));
  EXPECT_FALSE(ClosedByAnswerOnly("CHANGE_OF_ADDRESS"));
}

TEST(GuidanceTest, AG11_1_APrivateRequestIsAnsweredOnceAndClosedOnce) {
  cms::v1::PrivateGuidanceRequest r;
  r.set_id(3);
  r.set_state(cms::v1::PRIVATE_GUIDANCE_STATE_OPEN);
  EXPECT_TRUE(CheckCanAnswerPrivate(r).ok());
  EXPECT_TRUE(CheckCanClosePrivate(r).ok()) << "withdrawn unanswered";
  r.set_state(cms::v1::PRIVATE_GUIDANCE_STATE_ANSWERED);
  EXPECT_EQ(RuleOf(CheckCanAnswerPrivate(r)), "AG11.1");
  EXPECT_EQ(CheckCanAnswerPrivate(r).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckCanClosePrivate(r).ok());
  r.set_state(cms::v1::PRIVATE_GUIDANCE_STATE_CLOSED);
  EXPECT_EQ(RuleOf(CheckCanAnswerPrivate(r)), "AG11.1");
  EXPECT_EQ(RuleOf(CheckCanClosePrivate(r)), "AG11.1");
  EXPECT_EQ(RaisingTeamLabel("Special Client Records", cms::v1::COUNTRY_GB, "Team A"),
            "Special Client Records, GB, Team A");
}

TEST(GuidanceTest, AG11_1_WhoReadsAndAnswersAnAnswer) {
  constexpr int64_t kAandG = 14, kOtherAandG = 34, kMaint = 3, kTeam = 21, kOtherTeam = 22;
  const GuidanceFacts g{"cw.raiser", kTeam, kAandG};
  struct WhoRow {
    const char* what;
    GuidanceViewer who;
    GuidanceRole want;
  } rows[] = {
      {"A&G caseworker",
       {{cms::v1::ROLE_CASEWORKER, kAandG}, "cw.ag", 40},
       GuidanceRole::kAnswerer},
      {"A&G team leader",
       {{cms::v1::ROLE_TEAM_LEADER, kAandG}, "tl.ag", 40},
       GuidanceRole::kAnswerer},
      {"A&G segment manager",
       {{cms::v1::ROLE_SEGMENT_MANAGER, kAandG}, "sm.ag", 0},
       GuidanceRole::kAnswerer},
      {"the other country's A&G",
       {{cms::v1::ROLE_CASEWORKER, kOtherAandG}, "cw.ag.ni", 41},
       GuidanceRole::kNone},
      {"the raiser",
       {{cms::v1::ROLE_CASEWORKER, kMaint}, "cw.raiser", kTeam},
       GuidanceRole::kAsker},
      {"the raiser's team leader",
       {{cms::v1::ROLE_TEAM_LEADER, kMaint}, "tl.x", kTeam},
       GuidanceRole::kAsker},
      {"a colleague in the raiser's team",
       {{cms::v1::ROLE_CASEWORKER, kMaint}, "cw.mate", kTeam},
       GuidanceRole::kNone},
      {"another team's leader",
       {{cms::v1::ROLE_TEAM_LEADER, kMaint}, "tl.y", kOtherTeam},
       GuidanceRole::kNone},
      {"the raising segment's manager",
       {{cms::v1::ROLE_SEGMENT_MANAGER, kMaint}, "sm.x", 0},
       GuidanceRole::kNone},
      {"service management",
       {{cms::v1::ROLE_SERVICE_MANAGEMENT, 0}, "svc", 0},
       GuidanceRole::kReader},
      {"an auditor", {{cms::v1::ROLE_AUDITOR, 0}, "qa", 0}, GuidanceRole::kReader},
  };
  for (const WhoRow& row : rows) {
    SCOPED_TRACE(row.what);
    EXPECT_EQ(GuidanceRoleOf(row.who, g), row.want);
  }
  // A raiser the directory no longer has (team 0) gives no team leader.
  EXPECT_EQ(GuidanceRoleOf({{cms::v1::ROLE_TEAM_LEADER, kMaint}, "tl.z", 0},
                           GuidanceFacts{"system", 0, kAandG}),
            GuidanceRole::kNone);
}

}  // namespace
}  // namespace cms::domain
