// AR10.3: the next step of a case's arrears action, and why. The ladder of
// compliance options in order of preference: 1) a DEO/DER when the PP is
// employed, 2) disclosure for a deduction order (the Deduction Order Team:
// an RDO or LSDO), 3) a liability order (LO); an arrears letter (AR10.4)
// comes first on an open review. RecommendArrearsStep reads the facts the
// app gathered (LadderFacts) and returns the step, the rung it belongs to,
// the rule that decided, every fact it read and why each earlier rung was
// passed over. It recommends; the caseworker and the server's commands act.
// Pure and thread-safe.
//
// The order of the checks (the first that applies decides):
//  0. A case with ENFORCEMENT (AR10.8, AR10.10, AR10.12): nothing owed or
//     the monitor disabled → NO_ACTION as in 1; an open review with an RDO
//     in force and no review of it with DOT recorded → REVIEW_RDO_WITH_DOT;
//     legacy debt still to migrate → AWAIT_LEGACY_DEBT; no action at or
//     above its de minimis → NO_ACTION naming AR10.8; else
//     TAKE_ENFORCEMENT_ACTION naming the actions the arrears allow (the
//     liability order first when the RDO review found further assets:
//     parallel action). Letters and the ladder are the owning
//     maintenance segment's and do not apply.
//  1. NO_ACTION: the action is CLOSED (AR10.2); the Disable Missed Payment
//     Monitor is set (AR10.13); nothing is owed (arrears <= 0, M7.6); no
//     Arrears Review SR was ever raised (state UNSPECIFIED and none open:
//     AR10.1, the first missed collection is COLLECTIONS' to chase).
//  1a. An open review of a Segment 5 case (the Segment 5 Case box, S5.13)
//     → SEGMENT5_BRANCH (AR10.9): while the trial runs, record the PP's
//     contact and reason (no letters, no HMRC, no ladder: nobody contacts
//     the PP about the payment); once it has ended, close the review. The
//     ladder below is not worked out.
//  1b. An open review whose final negotiation agreed a new schedule →
//     NO_ACTION (AR10.6): generate the schedule; the review then closes
//     Arrears Paid by itself.
//  2. On an open review, letters (AR10.4) come first: the notice's 7-day
//     wait running → AWAIT_ARREARS_NOTICE; else a letter chosen
//     (letter.code) → ISSUE_ARREARS_LETTER naming it. The ladder below is
//     still worked out: the rung, the passed-over rungs and the facts show
//     where the case stands, and `why` says what follows the letter. ChooseArrearsLetter never
//     names a letter while the wait runs; if the facts disagree the wait wins (no two notices
//     within 7 days).
//  3. DEO/DER (AR10.3, AR10.5), rung DEO_DER:
//     - a DEO/DER in place and not failed → NO_ACTION: it is collecting,
//       arrears included; let it run. (Parallel action beside a DEO is the
//       caseworker's call with DOT, not a recommendation.)
//     - a DEO that failed (e.g. three missed DEO payments, the employer
//       left) → passed over to disclosure.
//     - a sole trader (or director of their own company) → passed over:
//       a DEO is not appropriate, no one else would take the deductions.
//       A multiple director is not passed over: a DEO is tried first.
//     - an employer known (on record, or HMRC answered EMPLOYER) →
//       SET_UP_DEO. An employer on record wins over a recorded status of
//       self-employed or unemployed: the employer is the fresher fact.
//     - HMRC answered NOTHING (a sensitive employer looks the same) or
//       SELF_EMPLOYED → passed over, naming the answer and its date. HMRC's
//       answer, asked for on this action, wins over the recorded status.
//     - HMRC not asked: a recorded status of SELF_EMPLOYED or UNEMPLOYED →
//       passed over ("start at disclosure"); EMPLOYED, UNKNOWN or
//       UNSPECIFIED → GET_EMPLOYMENT_STATUS (the procedure asks HMRC
//       first).
//  4. Disclosure (AR10.6), rung DISCLOSURE:
//     - kNone or kNegotiating: the final chance to negotiate (an Action
//       Missed Payment SR) comes first: FINAL_NEGOTIATION, also while it
//       is under way; when it failed → REQUEST_DISCLOSURE. A negotiation
//       that succeeds ends in a new schedule and the app closes the action.
//     - kRequested → AWAIT_DISCLOSURE.
//     - kSuccessful → AUTHORISE_DEDUCTION_ORDER, by the 48-hour due time
//       (AR10.11), saying so when it has passed; kAuthorised →
//       AWAIT_DEDUCTION_ORDER (DOT sets it up).
//     - kRdoSetUp: no shortfall → NO_ACTION (the RDO collects, DOT
//       monitors, the review is at the third payment + 5 working days);
//       one shortfall and the negotiation not failed → FINAL_NEGOTIATION
//       (negotiate the shortfall); a second shortfall, or the shortfall's
//       negotiation failed → passed over to the LO.
//     - kLsdoSetUp → NO_ACTION (DOT takes the lump sum).
//     - kUnsuccessful (no account found) or kNotApproved (DOT did not
//       approve the RDO/LSDO) → passed over to the LO.
//  5. Liability order (AR10.7, AR10.8, AR10.10), rung LIABILITY_ORDER:
//     - kApproved → NO_ACTION: referred to enforcement (ENFORCEMENT takes
//       the case over).
//     - kRejected → NO_ACTION: the TL's alternative recorded on the Review
//       LO applies (the procedure: "proceed as suggested by the team
//       leader"); recommending another negotiation would only loop.
//     - Otherwise (kNone, kNegotiating, kPendingApproval), de minimis first:
//       when arrears plus the legacy debt still to migrate are below the LO
//       threshold (£500) → NO_ACTION naming AR10.8: no LO can follow even
//       after the migration, so no LO step is recommended.
//     - Then legacy debt (AR10.10): any still to migrate → AWAIT_LEGACY_DEBT
//       naming the amount (enforcement is not accepted until it has
//       migrated; the migrated debt also counts toward the £500). Only the
//       LO rung waits: disclosure and a DEO are not enforcement.
//     - kPendingApproval → REFER_LIABILITY_ORDER, "awaiting team leader
//       authorisation" of the Review LO SR.
//     - kNone or kNegotiating: a failed final negotiation → REFER_LIABILITY_
//       ORDER (the Review LO is raised from that Action Missed Payment SR);
//       else FINAL_NEGOTIATION on the LO rung first (AR10.7: "Action Missed
//       Payment (final negotiation) → Review LO"), also while it is under
//       way. So a disclosure path that already ended in a failed
//       negotiation goes straight to the referral; one that had none
//       (disclosure started at once, or a second RDO shortfall) negotiates
//       first.
//
// negotiation_failed is the outcome of the latest final-chance negotiation
// (the open or last Action Missed Payment SR of this action): before
// disclosure, the pre-disclosure one; with an RDO set up, the negotiation
// of its shortfall (the app clears it when the RDO is set up); on the LO
// rung, the LO's own (kNegotiating) or, with kNone, the one the disclosure
// path ended with.
//
// Facts: every fact the ladder reads is listed, always, in one order, so a
// caseworker sees the whole picture whichever check decided; among them
// "liability order de minimis (AR10.8)", which says whether the arrears
// are below £500. Then the facts the referral steps read, which no check
// above decides on yet: "assets known" (AR10.14: "2 (a bank account, a
// vehicle)" or "none") and "RP contact" (AR10.11: e.g. "not reached;
// CMSL5511 issued 2027-01-12; wait until 2027-01-19 (AR10.11)").
#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "cms/v1/arrears.pb.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/compliance.pb.h"
#include "cms/v1/payment.pb.h"
#include "server/domain/arrears_letters.h"
#include "server/domain/de_minimis.h"
#include "server/domain/money.h"

namespace cms::domain {

// Where disclosure for a deduction order stands (AR10.6).
enum class DisclosureState {
  kNone,
  kNegotiating,  // the Action Missed Payment SR is open: the final chance
  kRequested,    // the Disclosure SR is with DOT
  // DOT found an account (AR10.11): the case owner authorises the RDO or
  // LSDO within 48 hours.
  kSuccessful,
  kAuthorised,  // the owner authorised it: DOT is setting it up
  kRdoSetUp,
  kLsdoSetUp,
  kUnsuccessful,  // DOT found nothing to deduct from
  kNotApproved,   // DOT did not approve the RDO/LSDO referral
  // The caseworker judged disclosure not appropriate and went to the LO
  // ("If disclosure action is not appropriate or was unsuccessful ...
  // Initiate LO arrears action"): the rung is passed over.
  kNotAppropriate,
};

// Where the liability order stands (AR10.7).
enum class LoState {
  kNone,
  kNegotiating,      // the LO's final-chance Action Missed Payment SR is open
  kPendingApproval,  // the Review LO SR is with the TL
  kApproved,
  kRejected,
};

// "NONE", "NEGOTIATING", "REQUESTED", "RDO_SET_UP", "LSDO_SET_UP",
// "UNSUCCESSFUL", "NOT_APPROVED".
const char* DisclosureStateName(DisclosureState s);
// "NONE", "NEGOTIATING", "PENDING_APPROVAL", "APPROVED", "REJECTED".
const char* LoStateName(LoState s);

struct LadderFacts {
  absl::CivilDay today;
  Pence arrears = 0;  // live arrears (M7.6)
  // CLOSED → NO_ACTION.
  cms::v1::ArrearsState state = cms::v1::ARREARS_STATE_UNSPECIFIED;
  bool monitor_disabled = false;  // AR10.13 → NO_ACTION
  bool review_open = false;       // an Arrears Review SR is open
  // AR10.9: the open review has the Segment 5 Case box (S5.13), and the
  // state of the case's compliance opportunity (ACCEPTED: the trial runs).
  bool segment5_review = false;
  cms::v1::ComplianceState segment5_trial = cms::v1::COMPLIANCE_STATE_UNSPECIFIED;
  // AR10.6: the final negotiation on the open review agreed a new schedule
  // (the review closes Arrears Paid once it is generated).
  bool schedule_agreed = false;
  // AR10.4: the letter ChooseArrearsLetter chose, and whether the last
  // letter's 7-day wait is running.
  ArrearsLetterChoice letter;
  bool letter_wait_running = false;
  cms::v1::EmploymentStatus employment_status = cms::v1::EMPLOYMENT_STATUS_UNSPECIFIED;
  std::string known_employer;  // on record or found by HMRC; empty: none
  cms::v1::HmrcAnswer hmrc_answer = cms::v1::HMRC_ANSWER_UNSPECIFIED;  // UNSPECIFIED: not asked
  std::optional<absl::CivilDay> hmrc_answer_date;
  cms::v1::BusinessStructure business_structure = cms::v1::BUSINESS_STRUCTURE_UNSPECIFIED;
  bool deo_in_place = false;  // an active DEO/DER method on the MOPF
  bool deo_failed = false;    // a DEO was tried and failed
  DisclosureState disclosure = DisclosureState::kNone;
  int rdo_shortfalls = 0;           // RDO receipts below 90% so far (AR10.6)
  bool negotiation_failed = false;  // the latest final-chance negotiation failed (above)
  LoState lo = LoState::kNone;
  Pence legacy_debt_to_migrate = 0;  // AR10.10
  // AR10.14: the PP's active assets (recorded per person), and how many of
  // each type: the facts the disclosure and LO steps read.
  int assets_known = 0;
  std::map<cms::v1::AssetType, int> assets_by_type;
  // AR10.11: the last attempt to reach the RP (outcome UNSPECIFIED: none);
  // NOT_REACHED carries the CMSL5511 issued and the day the wait ends.
  cms::v1::RpContact rp_contact;
  // AR10.11: kSuccessful's authorisation, due 48 hours after DOT's report
  // (business time), and whether that has passed; kAuthorised's order.
  std::optional<absl::CivilMinute> authorisation_due;
  bool authorisation_overdue = false;
  cms::v1::DeductionOrder authorised_order = cms::v1::DEDUCTION_ORDER_UNSPECIFIED;
  // AR10.12: the case is with ENFORCEMENT (its lifecycle stage); an RDO is
  // in force (set up, not compliant, not lapsed or discharged); the
  // enforcement case manager's review of it with DOT.
  bool enforcement_owned = false;
  bool rdo_in_force = false;
  cms::v1::EnforcementRdoReview rdo_review;
  // AR10.8: the enforcement actions taken so far, and the thresholds the
  // server is configured with (the charging order's default court).
  int enforcement_actions_taken = 0;
  DeMinimisThresholds thresholds;
};

// AR10.3, per the rules above. arrears_pence = f.arrears; case_id and
// arrears_action_id are left for the caller.
cms::v1::ArrearsRecommendation RecommendArrearsStep(const LadderFacts& f);

// AR10.9, S5.13: FAILED_PRECONDITION naming AR10.9 when `action`'s open
// review is a Segment 5 case's, for the ladder's steps (`what`: letters,
// HMRC, disclosure, negotiation, an LO) that such a review does not take.
absl::Status RefuseOnSegment5Review(const cms::v1::ArrearsAction& action, absl::string_view what);

}  // namespace cms::domain
