// AR10.3 (with AR10.4, AR10.5, AR10.6, AR10.7, AR10.8, AR10.10, AR10.13):
// the next step of the arrears ladder, the rung, the rule, why, and why
// each earlier rung was passed over.
#include "server/domain/arrears_ladder.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

using cms::v1::ArrearsRung;
using cms::v1::ArrearsStep;

constexpr auto NO_ACTION = cms::v1::ARREARS_STEP_NO_ACTION;
constexpr auto ISSUE_LETTER = cms::v1::ARREARS_STEP_ISSUE_ARREARS_LETTER;
constexpr auto AWAIT_NOTICE = cms::v1::ARREARS_STEP_AWAIT_ARREARS_NOTICE;
constexpr auto GET_EMPLOYMENT = cms::v1::ARREARS_STEP_GET_EMPLOYMENT_STATUS;
constexpr auto SET_UP_DEO = cms::v1::ARREARS_STEP_SET_UP_DEO;
constexpr auto NEGOTIATE = cms::v1::ARREARS_STEP_FINAL_NEGOTIATION;
constexpr auto REQUEST_DISCLOSURE = cms::v1::ARREARS_STEP_REQUEST_DISCLOSURE;
constexpr auto AWAIT_DISCLOSURE = cms::v1::ARREARS_STEP_AWAIT_DISCLOSURE;
constexpr auto REFER_LO = cms::v1::ARREARS_STEP_REFER_LIABILITY_ORDER;
constexpr auto AWAIT_LEGACY = cms::v1::ARREARS_STEP_AWAIT_LEGACY_DEBT;
constexpr auto AUTHORISE = cms::v1::ARREARS_STEP_AUTHORISE_DEDUCTION_ORDER;
constexpr auto AWAIT_ORDER = cms::v1::ARREARS_STEP_AWAIT_DEDUCTION_ORDER;
constexpr auto REVIEW_RDO = cms::v1::ARREARS_STEP_REVIEW_RDO_WITH_DOT;
constexpr auto ENFORCE = cms::v1::ARREARS_STEP_TAKE_ENFORCEMENT_ACTION;
constexpr auto SEGMENT5 = cms::v1::ARREARS_STEP_SEGMENT5_BRANCH;

constexpr auto NONE = cms::v1::ARREARS_RUNG_UNSPECIFIED;
constexpr auto DEO = cms::v1::ARREARS_RUNG_DEO_DER;
constexpr auto DISCLOSURE = cms::v1::ARREARS_RUNG_DISCLOSURE;
constexpr auto LO = cms::v1::ARREARS_RUNG_LIABILITY_ORDER;

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// An open review with action in progress, £1,200.00 owed, nothing else
// known.
LadderFacts Base() {
  LadderFacts f;
  f.today = D(2027, 6, 1);
  f.arrears = 120000;
  f.state = cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS;
  f.review_open = true;
  return f;
}

// A self-employed PP: the ladder starts at disclosure.
void SelfEmployed(LadderFacts& f) {
  f.employment_status = cms::v1::EMPLOYMENT_STATUS_SELF_EMPLOYED;
}

// Disclosure was requested after a failed final negotiation and found
// nothing: the ladder is at the LO.
void AtLo(LadderFacts& f) {
  SelfEmployed(f);
  f.disclosure = DisclosureState::kUnsuccessful;
  f.negotiation_failed = true;
}

std::vector<std::string> PassedOver(const cms::v1::ArrearsRecommendation& r) {
  std::vector<std::string> out;
  for (const cms::v1::PassedOverRung& p : r.passed_over()) {
    out.push_back(absl::StrCat(ShortName(p.rung()), ": ", p.why()));
  }
  return out;
}

const std::string kSelfEmployed = "DEO_DER: the PP is self-employed (recorded status)";
const std::string kUnsuccessful =
    "DISCLOSURE: disclosure was unsuccessful: DOT found no account for a deduction order";
const std::string kFirstChance =
    "give the PP a final chance to negotiate on an Action Missed Payment SR before asking the "
    "Deduction Order Team for disclosure (AR10.6)";
const std::string kLoChance =
    "give the PP a final chance to negotiate on an Action Missed Payment SR before a liability "
    "order referral (AR10.7)";
const std::string kRefer =
    "the final-chance negotiation failed: refer for a liability order, a Review LO SR for team "
    "leader approval (AR10.7)";
const std::string kRequest =
    "the final-chance negotiation failed: raise a Disclosure SR for the Deduction Order Team "
    "from the Action Missed Payment SR (AR10.6)";
const std::string kAskHmrc =
    "the PP's employment is not known: ask HMRC for the employment "
    "status first (AR10.5)";

struct Row {
  const char* what;
  std::function<void(LadderFacts&)> set;
  ArrearsStep step;
  ArrearsRung rung;
  std::string rule;
  std::string why;
  std::vector<std::string> passed_over = {};
  std::string letter = "";
};

void Check(const std::vector<Row>& rows) {
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    LadderFacts f = Base();
    r.set(f);
    const cms::v1::ArrearsRecommendation rec = RecommendArrearsStep(f);
    EXPECT_EQ(ShortName(rec.step()), ShortName(r.step));
    EXPECT_EQ(ShortName(rec.rung()), ShortName(r.rung));
    EXPECT_EQ(rec.rule(), r.rule);
    EXPECT_EQ(rec.why(), r.why);
    EXPECT_EQ(PassedOver(rec), r.passed_over);
    EXPECT_EQ(rec.letter_template_code(), r.letter);
    EXPECT_EQ(rec.arrears_pence(), f.arrears);
    EXPECT_EQ(rec.case_id(), 0);
    EXPECT_EQ(rec.arrears_action_id(), 0);
  }
}

TEST(ArrearsLadderTest, AR10_3_NothingToDo) {
  Check({
      {"closed", [](LadderFacts& f) { f.state = cms::v1::ARREARS_STATE_CLOSED; }, NO_ACTION, NONE,
       "AR10.2", "the arrears action is closed: nothing to do (AR10.2)"},
      {"closed, and the monitor disabled",
       [](LadderFacts& f) {
         f.state = cms::v1::ARREARS_STATE_CLOSED;
         f.monitor_disabled = true;
       },
       NO_ACTION, NONE, "AR10.2", "the arrears action is closed: nothing to do (AR10.2)"},
      {"AR10.13 monitor disabled", [](LadderFacts& f) { f.monitor_disabled = true; }, NO_ACTION,
       NONE, "AR10.13", "Disable Missed Payment Monitor is set: no arrears action (AR10.13)"},
      {"nothing owed", [](LadderFacts& f) { f.arrears = 0; }, NO_ACTION, NONE, "M7.6",
       "nothing is owed: the arrears are £0.00 (M7.6)"},
      {"in credit", [](LadderFacts& f) { f.arrears = -500; }, NO_ACTION, NONE, "M7.6",
       "nothing is owed: the arrears are -£5.00 (M7.6)"},
      {"no review ever raised",
       [](LadderFacts& f) {
         f.state = cms::v1::ARREARS_STATE_UNSPECIFIED;
         f.review_open = false;
       },
       NO_ACTION, NONE, "AR10.1",
       "no Arrears Review SR has been raised: a first missed collection is COLLECTIONS' to chase "
       "with the PP (AR10.1)"},
  });
}

TEST(ArrearsLadderTest, AR10_4_ALetterComesFirstOnAnOpenReview) {
  Check({
      // The letter decides the step; the rung, and what follows it, are
      // the ladder's.
      {"CMSL6031",
       [](LadderFacts& f) {
         f.letter = {"CMSL6031", "no arrears letter has been sent: CMSL6031 (AR10.4)"};
         f.employment_status = cms::v1::EMPLOYMENT_STATUS_EMPLOYED;
         f.known_employer = "Acme Ltd";
       },
       ISSUE_LETTER,
       DEO,
       "AR10.4",
       "issue CMSL6031: no arrears letter has been sent: CMSL6031 (AR10.4); then: the PP is "
       "employed (Acme Ltd): set up a DEO (a DER for a director) (AR10.3, AR10.5)",
       {},
       "CMSL6031"},
      {"CMSL6038 without a reason, a self-employed PP",
       [](LadderFacts& f) {
         f.letter = {"CMSL6038", ""};
         f.employment_status = cms::v1::EMPLOYMENT_STATUS_SELF_EMPLOYED;
       },
       ISSUE_LETTER,
       DISCLOSURE,
       "AR10.4",
       absl::StrCat("issue CMSL6038 (AR10.4); then: ", kFirstChance),
       {kSelfEmployed},
       "CMSL6038"},
      {"the notice's wait runs", [](LadderFacts& f) { f.letter_wait_running = true; }, AWAIT_NOTICE,
       DEO, "AR10.4",
       absl::StrCat(
           "the arrears notice's 7-day wait is running: wait before any further action (AR10.4); "
           "then: ",
           kAskHmrc)},
      {"the wait wins over a letter",
       [](LadderFacts& f) {
         f.letter_wait_running = true;
         f.letter = {"CMSL6038", "x"};
       },
       AWAIT_NOTICE, DEO, "AR10.4",
       absl::StrCat(
           "the arrears notice's 7-day wait is running: wait before any further action (AR10.4); "
           "then: ",
           kAskHmrc)},
      {"no open review: no letter, the ladder",
       [](LadderFacts& f) {
         f.review_open = false;
         f.letter = {"CMSL6031", "x"};
         f.letter_wait_running = true;
       },
       GET_EMPLOYMENT, DEO, "AR10.5", kAskHmrc},
      {"no letter due: the ladder",
       [](LadderFacts& f) {
         f.letter = {"", "already sent"};
       },
       GET_EMPLOYMENT, DEO, "AR10.5", kAskHmrc},
  });
}

TEST(ArrearsLadderTest, AR10_9_ASegment5CasesReviewFollowsTheSegment5BranchNotTheLadder) {
  const std::string record =
      "a Segment 5 case's review (Segment 5 Case box): no letters, no HMRC check and no ladder, "
      "and nobody contacts the PP about the payment (S5.13). Record whether the PP got in touch "
      "about it and why (RecordMissedPaymentReason): no contact or an unacceptable reason ends "
      "the trial early (S5.12); an acceptable reason raises an Action Missed Payment SR to "
      "negotiate a new schedule (AR10.9)";
  const auto segment5 = [](cms::v1::ComplianceState trial) {
    return [trial](LadderFacts& f) {
      f.segment5_review = true;
      f.segment5_trial = trial;
      f.letter = {"CMSL6031", "no arrears letter has been sent: CMSL6031 (AR10.4)"};
      f.employment_status = cms::v1::EMPLOYMENT_STATUS_EMPLOYED;
      f.known_employer = "Acme Ltd";
    };
  };
  Check({
      {"the trial runs: the PP's contact, not the letter due nor the DEO",
       segment5(cms::v1::COMPLIANCE_STATE_ACCEPTED), SEGMENT5, NONE, "AR10.9", record},
      {"the trial ended early: close the review", segment5(cms::v1::COMPLIANCE_STATE_OUTCOME_DUE),
       SEGMENT5, NONE, "AR10.9",
       "a Segment 5 case's review, and the compliance opportunity is OUTCOME_DUE: once the "
       "review's child SRs are done, mark its activities Done or Not Required and close it with "
       "the resolution that matches (AR10.9)"},
      {"nothing owed comes first",
       [&](LadderFacts& f) {
         segment5(cms::v1::COMPLIANCE_STATE_ACCEPTED)(f);
         f.arrears = 0;
       },
       NO_ACTION, NONE, "M7.6", "nothing is owed: the arrears are £0.00 (M7.6)"},
      {"no open review: the ladder",
       [&](LadderFacts& f) {
         segment5(cms::v1::COMPLIANCE_STATE_ACCEPTED)(f);
         f.review_open = false;
       },
       SET_UP_DEO, DEO, "AR10.5",
       "the PP is employed (Acme Ltd): set up a DEO (a DER for a director) (AR10.3, AR10.5)"},
  });
}

TEST(ArrearsLadderTest, AR10_6_AnAgreedScheduleIsGeneratedNotNegotiatedAgain) {
  Check({
      {"agreed on the open review",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.schedule_agreed = true;
       },
       NO_ACTION, NONE, "AR10.6",
       "the PP agreed a new schedule in the final negotiation: generate it "
       "(PaymentService.GenerateSchedule); the review then closes Arrears Paid (AR10.6)"},
      {"no open review: the ladder",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.schedule_agreed = true;
         f.review_open = false;
       },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       kFirstChance,
       {kSelfEmployed}},
  });
}

TEST(ArrearsLadderTest, AR10_9_ASegment5ReviewRefusesTheLaddersSteps) {
  cms::v1::ArrearsAction a;
  a.set_review_service_request_id(77);
  a.set_state(cms::v1::ARREARS_STATE_REVIEW);
  EXPECT_TRUE(RefuseOnSegment5Review(a, "an arrears letter (AR10.4)").ok()) << "no box: the ladder";
  a.set_segment5_case(true);
  const absl::Status refused = RefuseOnSegment5Review(a, "an arrears letter (AR10.4)");
  EXPECT_TRUE(absl::IsFailedPrecondition(refused)) << refused;
  EXPECT_EQ(RuleOf(refused), "AR10.9");
  EXPECT_NE(refused.message().find("Arrears Review SR 77 is a Segment 5 case's"), std::string::npos)
      << refused;
  EXPECT_NE(refused.message().find("not an arrears letter (AR10.4)"), std::string::npos) << refused;
  a.set_state(cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_TRUE(RefuseOnSegment5Review(a, "an arrears letter (AR10.4)").ok()) << "closed";
}

TEST(ArrearsLadderTest, AR10_5_DeoFirstWhenThePpIsEmployed) {
  const std::string kSetUpAcme =
      "the PP is employed (Acme Ltd): set up a DEO (a DER for a director) (AR10.3, AR10.5)";
  Check({
      {"employment unknown: ask HMRC", [](LadderFacts& f) {}, GET_EMPLOYMENT, DEO, "AR10.5",
       kAskHmrc},
      {"status UNKNOWN: ask HMRC",
       [](LadderFacts& f) { f.employment_status = cms::v1::EMPLOYMENT_STATUS_UNKNOWN; },
       GET_EMPLOYMENT, DEO, "AR10.5", kAskHmrc},
      {"employed, employer unknown: ask HMRC",
       [](LadderFacts& f) { f.employment_status = cms::v1::EMPLOYMENT_STATUS_EMPLOYED; },
       GET_EMPLOYMENT, DEO, "AR10.5",
       "the PP is recorded as employed but no employer is known: ask HMRC for the employment "
       "status first (AR10.5)"},
      {"employer on record",
       [](LadderFacts& f) {
         f.employment_status = cms::v1::EMPLOYMENT_STATUS_EMPLOYED;
         f.known_employer = "Acme Ltd";
       },
       SET_UP_DEO, DEO, "AR10.5", kSetUpAcme},
      {"HMRC found an employer",
       [](LadderFacts& f) {
         f.hmrc_answer = cms::v1::HMRC_ANSWER_EMPLOYER;
         f.hmrc_answer_date = D(2027, 3, 1);
       },
       SET_UP_DEO, DEO, "AR10.5",
       "the PP is employed (an employer HMRC found on 2027-03-01): set up a DEO (a DER for a "
       "director) (AR10.3, AR10.5)"},
      {"an employer on record wins over a self-employed status",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.known_employer = "Acme Ltd";
       },
       SET_UP_DEO, DEO, "AR10.5", kSetUpAcme},
      {"a multiple director still gets a DEO first",
       [](LadderFacts& f) {
         f.business_structure = cms::v1::BUSINESS_STRUCTURE_MULTIPLE_DIRECTOR;
         f.known_employer = "Acme Ltd";
       },
       SET_UP_DEO, DEO, "AR10.5",
       "the PP is employed (Acme Ltd): set up a DEO (a DER for a director); a multiple director "
       "still gets a DEO first (AR10.3, AR10.5)"},
      {"a multiple director, employer unknown: ask HMRC",
       [](LadderFacts& f) { f.business_structure = cms::v1::BUSINESS_STRUCTURE_MULTIPLE_DIRECTOR; },
       GET_EMPLOYMENT, DEO, "AR10.5", kAskHmrc},
      {"a DEO in place: let it run",
       [](LadderFacts& f) {
         f.known_employer = "Acme Ltd";
         f.deo_in_place = true;
       },
       NO_ACTION, DEO, "AR10.5",
       "a DEO/DER is in place and collecting, arrears included: let it run (AR10.5)"},
  });
}

TEST(ArrearsLadderTest, AR10_3_DeoPassedOverStartsAtDisclosure) {
  Check({
      {"sole trader, even with an employer",
       [](LadderFacts& f) {
         f.business_structure = cms::v1::BUSINESS_STRUCTURE_SOLE_TRADER;
         f.known_employer = "Own Ltd";
       },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       kFirstChance,
       {"DEO_DER: the PP is a sole trader (Companies House): a DEO is not appropriate, no one "
        "else would take the deductions"}},
      {"HMRC returned nothing for an employed PP",
       [](LadderFacts& f) {
         f.employment_status = cms::v1::EMPLOYMENT_STATUS_EMPLOYED;
         f.hmrc_answer = cms::v1::HMRC_ANSWER_NOTHING;
         f.hmrc_answer_date = D(2027, 3, 1);
       },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       kFirstChance,
       {"DEO_DER: HMRC returned no employment on 2027-03-01 (a sensitive employer looks the "
        "same)"}},
      {"HMRC returned nothing, no date",
       [](LadderFacts& f) { f.hmrc_answer = cms::v1::HMRC_ANSWER_NOTHING; },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       kFirstChance,
       {"DEO_DER: HMRC returned no employment (a sensitive employer looks the same)"}},
      {"HMRC says self-employed",
       [](LadderFacts& f) {
         f.employment_status = cms::v1::EMPLOYMENT_STATUS_EMPLOYED;
         f.hmrc_answer = cms::v1::HMRC_ANSWER_SELF_EMPLOYED;
         f.hmrc_answer_date = D(2027, 3, 1);
       },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       kFirstChance,
       {"DEO_DER: the PP is self-employed (HMRC, 2027-03-01)"}},
      {"self-employed",
       SelfEmployed,
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       kFirstChance,
       {kSelfEmployed}},
      {"unemployed",
       [](LadderFacts& f) { f.employment_status = cms::v1::EMPLOYMENT_STATUS_UNEMPLOYED; },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       kFirstChance,
       {"DEO_DER: the PP is unemployed (recorded status)"}},
      {"the DEO failed",
       [](LadderFacts& f) {
         f.known_employer = "Acme Ltd";
         f.deo_failed = true;
       },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       kFirstChance,
       {"DEO_DER: a DEO was tried and failed"}},
      {"the DEO in place failed",
       [](LadderFacts& f) {
         f.known_employer = "Acme Ltd";
         f.deo_in_place = true;
         f.deo_failed = true;
       },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       kFirstChance,
       {"DEO_DER: a DEO was tried and failed"}},
  });
}

TEST(ArrearsLadderTest, AR10_6_Disclosure) {
  Check({
      {"negotiating",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kNegotiating;
       },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       "the final-chance negotiation is under way on the Action Missed Payment SR: its outcome "
       "decides whether to ask the Deduction Order Team for disclosure (AR10.6)",
       {kSelfEmployed}},
      {"negotiation failed",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kNegotiating;
         f.negotiation_failed = true;
       },
       REQUEST_DISCLOSURE,
       DISCLOSURE,
       "AR10.6",
       kRequest,
       {kSelfEmployed}},
      {"negotiation failed, none recorded as open",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.negotiation_failed = true;
       },
       REQUEST_DISCLOSURE,
       DISCLOSURE,
       "AR10.6",
       kRequest,
       {kSelfEmployed}},
      {"requested",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kRequested;
       },
       AWAIT_DISCLOSURE,
       DISCLOSURE,
       "AR10.6",
       "the Deduction Order Team is working the disclosure (AR10.6)",
       {kSelfEmployed}},
      {"RDO collecting",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kRdoSetUp;
       },
       NO_ACTION,
       DISCLOSURE,
       "AR10.6",
       "an RDO is set up and collecting with no shortfall: DOT monitors it, reviewed at the third "
       "payment + 5 working days (AR10.6)",
       {kSelfEmployed}},
      {"first RDO shortfall: negotiate",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kRdoSetUp;
         f.rdo_shortfalls = 1;
       },
       NEGOTIATE,
       DISCLOSURE,
       "AR10.6",
       "an RDO payment fell below 90% for the first time: negotiate the shortfall with the PP "
       "(AR10.6)",
       {kSelfEmployed}},
      {"the shortfall's negotiation failed: refer",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kRdoSetUp;
         f.rdo_shortfalls = 1;
         f.negotiation_failed = true;
       },
       REFER_LO,
       LO,
       "AR10.7",
       kRefer,
       {kSelfEmployed, "DISCLOSURE: the negotiation of the RDO shortfall failed"}},
      {"a second RDO shortfall: the LO's final chance",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kRdoSetUp;
         f.rdo_shortfalls = 2;
       },
       NEGOTIATE,
       LO,
       "AR10.7",
       kLoChance,
       {kSelfEmployed, "DISCLOSURE: RDO payments fell below 90% 2 times"}},
      {"LSDO",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kLsdoSetUp;
       },
       NO_ACTION,
       DISCLOSURE,
       "AR10.6",
       "an LSDO is set up: DOT takes the lump sum; paid in full, the case returns to MAINTENANCE "
       "(AR10.6)",
       {kSelfEmployed}},
      {"unsuccessful after a failed negotiation: refer",
       AtLo,
       REFER_LO,
       LO,
       "AR10.7",
       kRefer,
       {kSelfEmployed, kUnsuccessful}},
      {"not approved, no negotiation yet: the LO's final chance",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kNotApproved;
       },
       NEGOTIATE,
       LO,
       "AR10.7",
       kLoChance,
       {kSelfEmployed, "DISCLOSURE: DOT did not approve the RDO/LSDO referral"}},
      {"disclosure judged not appropriate: the LO's negotiation failed, refer",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kNotAppropriate;
         f.lo = LoState::kNegotiating;
         f.negotiation_failed = true;
       },
       REFER_LO,
       LO,
       "AR10.7",
       kRefer,
       {kSelfEmployed,
        "DISCLOSURE: the caseworker judged disclosure not appropriate and went to the liability "
        "order"}},
      {"legacy debt does not hold up disclosure",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kRequested;
         f.legacy_debt_to_migrate = 10000;
       },
       AWAIT_DISCLOSURE,
       DISCLOSURE,
       "AR10.6",
       "the Deduction Order Team is working the disclosure (AR10.6)",
       {kSelfEmployed}},
  });
}

TEST(ArrearsLadderTest, AR10_7_LiabilityOrder) {
  const std::vector<std::string> passed = {kSelfEmployed, kUnsuccessful};
  Check({
      {"the LO's negotiation under way",
       [](LadderFacts& f) {
         AtLo(f);
         f.negotiation_failed = false;
         f.lo = LoState::kNegotiating;
       },
       NEGOTIATE, LO, "AR10.7",
       "the final-chance negotiation before a liability order is under way on the Action Missed "
       "Payment SR (AR10.7)",
       passed},
      {"the LO's negotiation failed",
       [](LadderFacts& f) {
         AtLo(f);
         f.lo = LoState::kNegotiating;
       },
       REFER_LO, LO, "AR10.7", kRefer, passed},
      {"awaiting the TL",
       [](LadderFacts& f) {
         AtLo(f);
         f.lo = LoState::kPendingApproval;
       },
       REFER_LO, LO, "AR10.7", "the Review LO SR is awaiting team leader authorisation (AR10.7)",
       passed},
      {"approved",
       [](LadderFacts& f) {
         AtLo(f);
         f.lo = LoState::kApproved;
       },
       NO_ACTION, LO, "AR10.7",
       "the liability order was authorised and referred to enforcement: ENFORCEMENT takes the "
       "case over (AR10.7)",
       passed},
      {"approved, even below the de minimis now",
       [](LadderFacts& f) {
         AtLo(f);
         f.lo = LoState::kApproved;
         f.arrears = 100;
       },
       NO_ACTION, LO, "AR10.7",
       "the liability order was authorised and referred to enforcement: ENFORCEMENT takes the "
       "case over (AR10.7)",
       passed},
      {"rejected: the TL's alternative",
       [](LadderFacts& f) {
         AtLo(f);
         f.lo = LoState::kRejected;
       },
       NO_ACTION, LO, "AR10.7",
       "the team leader did not approve the liability order: the alternative they recorded on "
       "the Review LO SR applies (AR10.7)",
       passed},
  });
}

TEST(ArrearsLadderTest, AR10_8_AR10_10_DeMinimisAndLegacyDebtOnTheLoRung) {
  const std::vector<std::string> passed = {kSelfEmployed, kUnsuccessful};
  const std::string kLegacy100 =
      "£100.00 of legacy CSA debt is still to migrate: enforcement is not accepted until it has; "
      "ask for it to be fast-tracked and wait (AR10.10)";
  Check({
      {"£499.99: below the LO de minimis",
       [](LadderFacts& f) {
         AtLo(f);
         f.arrears = 49999;
       },
       NO_ACTION, LO, "AR10.8",
       "arrears £499.99 below the liability order de minimis £500.00 (AR10.8)", passed},
      {"£500.00: at the threshold, referred",
       [](LadderFacts& f) {
         AtLo(f);
         f.arrears = 50000;
       },
       REFER_LO, LO, "AR10.7", kRefer, passed},
      {"below the de minimis before the final chance too",
       [](LadderFacts& f) {
         AtLo(f);
         f.negotiation_failed = false;
         f.arrears = 40000;
       },
       NO_ACTION, LO, "AR10.8",
       "arrears £400.00 below the liability order de minimis £500.00 (AR10.8)", passed},
      {"below the de minimis while the TL decides",
       [](LadderFacts& f) {
         AtLo(f);
         f.lo = LoState::kPendingApproval;
         f.arrears = 40000;
       },
       NO_ACTION, LO, "AR10.8",
       "arrears £400.00 below the liability order de minimis £500.00 (AR10.8)", passed},
      {"legacy debt to migrate",
       [](LadderFacts& f) {
         AtLo(f);
         f.legacy_debt_to_migrate = 10000;
       },
       AWAIT_LEGACY, LO, "AR10.10", kLegacy100, passed},
      {"legacy debt while the TL decides",
       [](LadderFacts& f) {
         AtLo(f);
         f.lo = LoState::kPendingApproval;
         f.legacy_debt_to_migrate = 10000;
       },
       AWAIT_LEGACY, LO, "AR10.10", kLegacy100, passed},
      {"legacy debt before the final chance",
       [](LadderFacts& f) {
         AtLo(f);
         f.negotiation_failed = false;
         f.legacy_debt_to_migrate = 10000;
       },
       AWAIT_LEGACY, LO, "AR10.10", kLegacy100, passed},
      {"£300 owed and £300 to migrate: wait, it reaches £500",
       [](LadderFacts& f) {
         AtLo(f);
         f.arrears = 30000;
         f.legacy_debt_to_migrate = 30000;
       },
       AWAIT_LEGACY, LO, "AR10.10",
       "£300.00 of legacy CSA debt is still to migrate: enforcement is not accepted until it "
       "has; ask for it to be fast-tracked and wait (AR10.10)",
       passed},
      {"legacy debt of 2^63-1 pence with arrears: the checked sum is not below (issue 17)",
       [](LadderFacts& f) {
         AtLo(f);
         f.arrears = 30000;
         f.legacy_debt_to_migrate = std::numeric_limits<Pence>::max();
       },
       AWAIT_LEGACY, LO, "AR10.10",
       "£92,233,720,368,547,758.07 of legacy CSA debt is still to migrate: enforcement is not "
       "accepted until it has; ask for it to be fast-tracked and wait (AR10.10)",
       passed},
      {"£300 owed and £100 to migrate: below even then",
       [](LadderFacts& f) {
         AtLo(f);
         f.arrears = 30000;
         f.legacy_debt_to_migrate = 10000;
       },
       NO_ACTION, LO, "AR10.8",
       "arrears £300.00 below the liability order de minimis £500.00 even with the £100.00 of "
       "legacy CSA debt still to migrate (AR10.8)",
       passed},
  });
}

TEST(ArrearsLadderTest, AR10_3_EveryFactReadIsListed) {
  LadderFacts f = Base();
  AtLo(f);
  f.arrears = 49999;
  f.hmrc_answer = cms::v1::HMRC_ANSWER_NOTHING;
  f.hmrc_answer_date = D(2027, 3, 1);
  f.letter = {"", "already sent CMSL6031"};
  const cms::v1::ArrearsRecommendation rec = RecommendArrearsStep(f);
  std::vector<std::string> facts;
  for (const cms::v1::ArrearsFact& fact : rec.facts()) {
    facts.push_back(absl::StrCat(fact.name(), " = ", fact.value()));
  }
  EXPECT_EQ(facts, (std::vector<std::string>{
                       "today = 2027-06-01",
                       "arrears = £499.99",
                       "arrears state = ACTION_IN_PROGRESS",
                       "missed payment monitor = enabled",
                       "arrears review = open",
                       "arrears letter = none now: already sent CMSL6031",
                       "arrears notice wait = not running",
                       "employment status = SELF_EMPLOYED",
                       "employer on record = none",
                       "HMRC answer = NOTHING (2027-03-01)",
                       "business structure = not established",
                       "DEO/DER = none",
                       "disclosure = UNSUCCESSFUL",
                       "RDO shortfalls = 0",
                       "final negotiation = failed",
                       "liability order = NONE",
                       "legacy CSA debt to migrate = £0.00",
                       "liability order de minimis (AR10.8) = arrears £499.99 below £500.00",
                       "assets known = none",
                       "RP contact = not recorded",
                       "deduction order authorisation (AR10.11) = none due",
                       "case with ENFORCEMENT = no",
                       "RDO in force = no",
                       "RDO review with DOT (AR10.12) = not recorded",
                       "enforcement actions taken = 0",
                       "segment 5 case = no",
                   }));
  // The facts are listed whichever check decided, e.g. a closed action.
  LadderFacts closed = Base();
  closed.state = cms::v1::ARREARS_STATE_CLOSED;
  closed.arrears = 50000;
  closed.known_employer = "Acme Ltd";
  closed.letter = {"CMSL6031", "no arrears letter has been sent: CMSL6031 (AR10.4)"};
  const cms::v1::ArrearsRecommendation c = RecommendArrearsStep(closed);
  ASSERT_EQ(c.facts_size(), 26);
  EXPECT_EQ(c.facts(5).value(), "CMSL6031: no arrears letter has been sent: CMSL6031 (AR10.4)");
  EXPECT_EQ(c.facts(8).value(), "Acme Ltd");
  EXPECT_EQ(c.facts(9).value(), "not asked");
  EXPECT_EQ(c.facts(17).value(), "arrears £500.00 at or above £500.00");
  EXPECT_EQ(c.letter_template_code(), "");  // closed: no letter recommended
}

TEST(ArrearsLadderTest, AR10_14_AR10_11_TheAssetsAndTheRpContactAreFacts) {
  // The facts the referral steps read: the PP's active assets (AR10.14) and
  // the attempt to reach the RP with CMSL5511's wait (AR10.11). They decide
  // no step here: the same recommendation, whatever they say.
  const auto date = [](int y, int m, int d) {
    cms::v1::Date out;
    out.set_year(y);
    out.set_month(m);
    out.set_day(d);
    return out;
  };
  struct FactRow {
    const char* what;
    std::function<void(LadderFacts&)> set;
    std::string assets;
    std::string rp_contact;
  };
  const std::vector<FactRow> rows = {
      {"nothing known", [](LadderFacts&) {}, "none", "not recorded"},
      {"a bank account and a vehicle",
       [](LadderFacts& f) {
         f.assets_known = 2;
         f.assets_by_type = {{cms::v1::ASSET_TYPE_BANK_ACCOUNT, 1},
                             {cms::v1::ASSET_TYPE_VEHICLE, 1}};
       },
       "2 (a bank account, a vehicle)", "not recorded"},
      {"two accounts, a property, another asset",
       [](LadderFacts& f) {
         f.assets_known = 4;
         f.assets_by_type = {{cms::v1::ASSET_TYPE_OTHER, 1},
                             {cms::v1::ASSET_TYPE_PROPERTY, 1},
                             {cms::v1::ASSET_TYPE_BANK_ACCOUNT, 2}};
       },
       "4 (2 bank accounts, a property, another asset)", "not recorded"},
      {"RP not reached, the wait running",
       [&](LadderFacts& f) {
         f.today = D(2027, 1, 18);
         f.rp_contact.set_outcome(cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED);
         *f.rp_contact.mutable_contact_date() = date(2027, 1, 12);
         f.rp_contact.set_letter_template_code("CMSL5511");
         *f.rp_contact.mutable_wait_until() = date(2027, 1, 19);
       },
       "none", "not reached; CMSL5511 issued 2027-01-12; wait until 2027-01-19 (AR10.11)"},
      {"RP not reached, the wait over",
       [&](LadderFacts& f) {
         f.today = D(2027, 1, 19);
         f.rp_contact.set_outcome(cms::v1::RP_CONTACT_OUTCOME_NOT_REACHED);
         *f.rp_contact.mutable_contact_date() = date(2027, 1, 12);
         f.rp_contact.set_letter_template_code("CMSL5511");
         *f.rp_contact.mutable_wait_until() = date(2027, 1, 19);
       },
       "none", "not reached; CMSL5511 issued 2027-01-12; the wait ended 2027-01-19 (AR10.11)"},
      {"RP reached",
       [&](LadderFacts& f) {
         f.rp_contact.set_outcome(cms::v1::RP_CONTACT_OUTCOME_REACHED);
         *f.rp_contact.mutable_contact_date() = date(2027, 1, 14);
       },
       "none", "reached 2027-01-14"},
  };
  const cms::v1::ArrearsRecommendation plain = RecommendArrearsStep(Base());
  for (const FactRow& row : rows) {
    SCOPED_TRACE(row.what);
    LadderFacts f = Base();
    row.set(f);
    const cms::v1::ArrearsRecommendation r = RecommendArrearsStep(f);
    ASSERT_EQ(r.facts_size(), 26);
    EXPECT_EQ(r.facts(18).name(), "assets known");
    EXPECT_EQ(r.facts(18).value(), row.assets);
    EXPECT_EQ(r.facts(19).name(), "RP contact");
    EXPECT_EQ(r.facts(19).value(), row.rp_contact);
    EXPECT_EQ(r.step(), plain.step());
    EXPECT_EQ(r.rung(), plain.rung());
    EXPECT_EQ(r.why(), plain.why());
  }
}

TEST(ArrearsLadderTest, AR10_11_ASuccessfulDisclosureIsAuthorisedWithin48Hours) {
  const auto successful = [](LadderFacts& f) {
    SelfEmployed(f);
    f.disclosure = DisclosureState::kSuccessful;
    f.authorisation_due = absl::CivilMinute(2027, 6, 3, 14, 5);
  };
  Check({
      {"due",
       successful,
       AUTHORISE,
       DISCLOSURE,
       "AR10.11",
       "the disclosure was successful: authorise the RDO or LSDO on the Returned Authorisation "
       "SR within 48 hours, by 2027-06-03T14:05 (AR10.11)",
       {kSelfEmployed}},
      {"overdue",
       [&](LadderFacts& f) {
         successful(f);
         f.authorisation_overdue = true;
       },
       AUTHORISE,
       DISCLOSURE,
       "AR10.11",
       "the disclosure was successful: authorise the RDO or LSDO on the Returned Authorisation "
       "SR now: the 48 hours have passed, it was due by 2027-06-03T14:05 (AR10.11)",
       {kSelfEmployed}},
      {"authorised",
       [](LadderFacts& f) {
         SelfEmployed(f);
         f.disclosure = DisclosureState::kAuthorised;
         f.authorised_order = cms::v1::DEDUCTION_ORDER_LSDO;
       },
       AWAIT_ORDER,
       DISCLOSURE,
       "AR10.6",
       "the LSDO is authorised: the Deduction Order Team is setting it up (AR10.6)",
       {kSelfEmployed}},
  });
  LadderFacts f = Base();
  successful(f);
  f.authorisation_overdue = true;
  const cms::v1::ArrearsRecommendation r = RecommendArrearsStep(f);
  EXPECT_EQ(r.facts(20).value(), "overdue: was due by 2027-06-03T14:05");
}

TEST(ArrearsLadderTest, AR10_8_AR10_10_AR10_12_ACaseWithEnforcement) {
  const auto enforcement = [](LadderFacts& f) {
    f.enforcement_owned = true;
    f.state = cms::v1::ARREARS_STATE_CLOSED;  // the LO referral closed the review
    f.review_open = false;
  };
  const auto rdo_review = [&](LadderFacts& f) {
    enforcement(f);
    f.state = cms::v1::ARREARS_STATE_REVIEW;
    f.review_open = true;
    f.rdo_in_force = true;
  };
  Check({
      {"nothing owed",
       [&](LadderFacts& f) {
         enforcement(f);
         f.arrears = 0;
       },
       NO_ACTION, NONE, "M7.6", "nothing is owed: the arrears are £0.00 (M7.6)"},
      {"monitor disabled at an RDO review with no further assets",
       [&](LadderFacts& f) {
         rdo_review(f);
         f.monitor_disabled = true;
         f.rdo_review.set_viability(cms::v1::RDO_VIABILITY_VIABLE);
         f.rdo_review.mutable_annual_review_date()->set_year(2028);
       },
       NO_ACTION, NONE, "AR10.13",
       "Disable Missed Payment Monitor is set: the enforcement options are reviewed when more "
       "information comes or at the annual review (AR10.12, AR10.13)"},
      {"a review with an RDO in force: review it with DOT", rdo_review, REVIEW_RDO, NONE, "AR10.12",
       "the Arrears Review came up with an RDO in place: negotiate the RDO shortfall with the "
       "PP and ask the Deduction Order Team whether the RDO stays viable and whether there are "
       "further assets (AR10.12)"},
      {"further assets: the LO in parallel",
       [&](LadderFacts& f) {
         rdo_review(f);
         f.rdo_review.set_viability(cms::v1::RDO_VIABILITY_VIABLE);
         f.rdo_review.set_further_assets(true);
         f.rdo_review.set_parallel_action(true);
       },
       ENFORCE, LO, "AR10.8",
       "DOT keeps the RDO and found further assets: take a liability order in parallel "
       "(AR10.12); the arrears of £1,200.00 allow: liability order (£500.00), lump sum "
       "deduction order (£500.00), charging order (£500.00), commitment (£1,000.00) (AR10.8 de "
       "minimis; a charging order's depends on the court)"},
      {"legacy debt",
       [&](LadderFacts& f) {
         enforcement(f);
         f.legacy_debt_to_migrate = 100;
       },
       AWAIT_LEGACY, NONE, "AR10.10",
       "£1.00 of legacy CSA debt is still to migrate: enforcement is not accepted until it has; "
       "ask for it to be fast-tracked and wait (AR10.10)"},
      {"below every de minimis",
       [&](LadderFacts& f) {
         enforcement(f);
         f.arrears = 49999;
       },
       NO_ACTION, NONE, "AR10.8",
       "arrears £499.99 are below the de minimis of every enforcement action (AR10.8)"},
      {"exactly at the order for sale's",
       [&](LadderFacts& f) {
         enforcement(f);
         f.arrears = 300000;
         f.thresholds.charging_order = 75000;
       },
       ENFORCE, LO, "AR10.8",
       "decide the enforcement action; the arrears of £3,000.00 allow: liability order "
       "(£500.00), lump sum deduction order (£500.00), charging order (£750.00), commitment "
       "(£1,000.00), order for sale (£3,000.00) (AR10.8 de minimis; a charging order's depends "
       "on the court)"},
  });
}

}  // namespace
}  // namespace cms::domain
