// Use cases of arrears — consider action (AR10.1–AR10.14; issue 15;
// reference/arrears-consider-action.txt).
//
// Each case that ever had an Arrears Review SR (or an arrears contact) has
// one ArrearsAction, kept across reviews: the letters sent and the contacts
// made matter to the next review (AR10.4). Then:
// - whenever an Arrears Review SR is raised, by any path (the daily job's
//   AR10.1 routing, COLLECTIONS' refusal to pay, the Segment 5 trial's
//   S5.13 review, an employer's missed DEO payments under S5.18, a
//   caseworker), the action records what the review was raised with: the
//   reason, the case's arrears then, the missed collection that caused it
//   and the run of misses (the procedure's More Info Arrears view). A
//   second trigger while one is open does not raise another (SR5.10): the
//   open review keeps the latest balance (AR10.2, documented in
//   server/README.md);
// - AR10.2 runs as the review is raised: a PP whose address is DLO or NFA
//   → the review closes Cancelled with a note; a schedule revised within
//   the missed-payment tolerance → it closes No Action Appropriate, the
//   remaining activities Not Required;
// - the contact outcome with the PP (AR10.1), the PP's business structure
//   (AR10.3), the arrears letter and its 7-day wait (AR10.4), the on-demand
//   HMRC request and what follows it (AR10.5), the Disable Missed Payment
//   Monitor (AR10.13) are each one RPC, carried out in its transaction;
// - GetArrearsRecommendation reads the facts and asks the pure ladder
//   (domain/arrears_ladder.h) for the next step.
// Each step is recorded in the action's own history (ArrearsEvent) and
// audited. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cms/v1/arrears.pb.h"
#include "server/app/actor.h"
#include "server/app/approval_actions.h"
#include "server/app/approvals.h"
#include "server/app/arrears_facts.h"
#include "server/app/case_events.h"
#include "server/app/commands.h"
#include "server/app/employment.h"
#include "server/app/letters.h"
#include "server/app/mopf.h"
#include "server/app/payment_rules.h"
#include "server/app/payments.h"
#include "server/app/service_requests.h"
#include "server/store/timer_repo.h"
// The working-day calendar the server loads and checks at start-up (AR10.6).
#include "server/catalog/bank_holidays.h"

namespace cms::app {

inline constexpr char kArrearsReviewSrType[] = "ARREARS_REVIEW";
inline constexpr char kActionMissedPaymentSrType[] = "ACTION_MISSED_PAYMENT";
// T8.2: the 00:00 after an LO referral's approval, when the casegroup moves
// to ENFORCEMENT (AR10.7).
inline constexpr char kArrearsLoOwnershipTimer[] = "ARREARS_LO_OWNERSHIP";
// T8.3: the nightly RDO compliance check (AR10.6), 02:00 business time,
// armed when the first RDO is set up.
inline constexpr char kArrearsRdoCheckJob[] = "ARREARS_RDO_CHECK";
// T8.2: the case's annual review date after an enforcement RDO review that
// found no further assets (AR10.12).
inline constexpr char kArrearsRdoAnnualReviewTimer[] = "ARREARS_RDO_ANNUAL_REVIEW";

struct RdoCheckStats {
  int64_t actions = 0;   // actions with a payment due to judge
  int64_t payments = 0;  // scheduled payments judged
  int64_t shortfalls = 0;
  int64_t failed = 0;  // actions left for the next night after an error
};

class ArrearsApp final : public CaseEventListener, public ApprovalActionHandler {
 public:
  ArrearsApp(Commands& commands, ServiceRequestApp& srs, PaymentApp& payments, MopfApp& mopf,
             LetterApp& letters, EmploymentApp& employment, ApprovalApp& approvals,
             const domain::WorkingDayCalendar& calendar, PaymentRules rules)
      : commands_(commands),
        srs_(srs),
        payments_(payments),
        mopf_(mopf),
        letters_(letters),
        employment_(employment),
        approvals_(approvals),
        calendar_(calendar),
        rules_(rules) {}

  absl::Status Get(const Actor& actor, const cms::v1::GetArrearsActionRequest& req,
                   cms::v1::ArrearsAction* out);
  absl::Status List(const Actor& actor, const cms::v1::ListArrearsActionsRequest& req,
                    cms::v1::ListArrearsActionsResponse* out);
  absl::Status ListEvents(const Actor& actor, const cms::v1::ListArrearsEventsRequest& req,
                          cms::v1::ListArrearsEventsResponse* out);
  absl::Status GetRecommendation(const Actor& actor,
                                 const cms::v1::GetArrearsRecommendationRequest& req,
                                 cms::v1::ArrearsRecommendation* out);

  absl::Status RecordContact(const Actor& actor, const cms::v1::RecordArrearsContactRequest& req,
                             cms::v1::ArrearsAction* out);
  absl::Status RecordBusinessStructure(const Actor& actor,
                                       const cms::v1::RecordPpBusinessStructureRequest& req,
                                       cms::v1::ArrearsAction* out);
  absl::Status IssueLetter(const Actor& actor, const cms::v1::IssueArrearsLetterRequest& req,
                           cms::v1::ArrearsAction* out);
  absl::Status RequestEmploymentStatus(const Actor& actor,
                                       const cms::v1::RequestEmploymentStatusRequest& req,
                                       cms::v1::ArrearsAction* out);
  absl::Status SetMonitor(const Actor& actor, const cms::v1::SetMissedPaymentMonitorRequest& req,
                          cms::v1::ArrearsAction* out);

  // AR10.6, AR10.7 (arrears_referral.cc): the final chance to negotiate
  // and the liability order referral.
  absl::Status StartFinalNegotiation(const Actor& actor,
                                     const cms::v1::StartFinalNegotiationRequest& req,
                                     cms::v1::ArrearsAction* out);
  absl::Status RecordNegotiationOutcome(const Actor& actor,
                                        const cms::v1::RecordNegotiationOutcomeRequest& req,
                                        cms::v1::ArrearsAction* out);
  absl::Status ReferLiabilityOrder(const Actor& actor,
                                   const cms::v1::ReferLiabilityOrderRequest& req,
                                   cms::v1::ArrearsAction* out);
  // AR10.6 (arrears_disclosure.cc): disclosure for a deduction order.
  absl::Status RequestDisclosure(const Actor& actor, const cms::v1::RequestDisclosureRequest& req,
                                 cms::v1::ArrearsAction* out);
  absl::Status RecordDisclosureOutcome(const Actor& actor,
                                       const cms::v1::RecordDisclosureOutcomeRequest& req,
                                       cms::v1::ArrearsAction* out);
  absl::Status RecordRdoPayment(const Actor& actor, const cms::v1::RecordRdoPaymentRequest& req,
                                cms::v1::ArrearsAction* out);
  // AR10.11 (arrears_disclosure.cc): the case owner authorises the RDO or
  // LSDO of a successful disclosure.
  absl::Status AuthoriseDeductionOrder(const Actor& actor,
                                       const cms::v1::AuthoriseDeductionOrderRequest& req,
                                       cms::v1::ArrearsAction* out);
  // AR10.6 (arrears_rdo_check.cc): the nightly RDO compliance check for
  // business day `day`: every action whose next RDO payment's due date +
  // the missed-payment tolerance has passed has that payment (and any
  // later one also past it) judged from the RDO payments received, as
  // RecordRdoPayment would from DOT's report. In chunks of
  // `actions_per_batch` actions, each chunk one transaction; a chunk that
  // fails is retried one action a transaction, and an action that still
  // fails is logged and left for the next night. Idempotent: a payment is
  // judged once.
  absl::StatusOr<RdoCheckStats> RunRdoCheck(absl::CivilDay day, int actions_per_batch = 100);
  // The periodic job's body (ARREARS_RDO_CHECK): the day its timer was
  // due on.
  absl::Status RunRdoCheckForTimer(Command& c, const store::DueTimer& timer);

  // AR10.8, AR10.10, AR10.12 (arrears_enforcement.cc): the enforcement
  // case manager's decisions on an ENFORCEMENT-owned case.
  absl::Status RecordRdoViability(const Actor& actor, const cms::v1::RecordRdoViabilityRequest& req,
                                  cms::v1::ArrearsAction* out);
  absl::Status TakeEnforcementAction(const Actor& actor,
                                     const cms::v1::TakeEnforcementActionRequest& req,
                                     cms::v1::ArrearsAction* out);
  // The ARREARS_RDO_ANNUAL_REVIEW timer's action (AR10.12): DOT's RDO
  // Annual Review SR on the case's annual review date.
  absl::Status RaiseRdoAnnualReview(Command& c, const store::DueTimer& timer);
  // ApprovalActionHandler (A6.3): the LO referral's approval.
  absl::Status CheckSubmit(Command& c, const cms::v1::ServiceRequest& sr,
                           const cms::v1::ApprovalAction& action) override;
  absl::StatusOr<std::string> ApprovalApproved(Command& c,
                                               const cms::v1::Approval& approval) override;
  absl::StatusOr<std::string> ApprovalRejected(Command& c,
                                               const cms::v1::Approval& approval) override;
  // The ARREARS_LO_OWNERSHIP timer's action: the case's lifecycle becomes
  // ENFORCEMENT and the casegroup is re-routed (R3.2 rule 3), its
  // case-owning work with it.
  absl::Status MoveToEnforcement(Command& c, const store::DueTimer& timer);

  // CaseEventListener. An Arrears Review SR raised (or found open, SR5.10)
  // opens or refreshes the case's action and runs AR10.2; one that ends
  // closes it.
  absl::StatusOr<bool> ServiceRequestRaised(Command& c, const cms::v1::ServiceRequest& sr,
                                            bool existing) override;
  absl::Status ServiceRequestEnded(Command& c, const cms::v1::ServiceRequest& sr) override;
  absl::Status CaseFactsChanged(Command&, int64_t, absl::string_view) override {
    return absl::OkStatus();
  }
  absl::Status CaseCreated(Command&, const cms::v1::Case&) override { return absl::OkStatus(); }
  absl::Status LetterIssued(Command&, const cms::v1::Letter&) override { return absl::OkStatus(); }
  absl::Status LetterReturned(Command&, const cms::v1::Letter&) override {
    return absl::OkStatus();
  }
  // AR10.6: the schedule agreed in the final negotiation, once generated,
  // pays the arrears: the review closes Arrears Paid.
  absl::Status ScheduleGenerated(Command& c, const cms::v1::Schedule& schedule) override;
  absl::StatusOr<std::optional<std::string>> MissedPayment(Command&, int64_t,
                                                           absl::CivilDay) override {
    return std::optional<std::string>();
  }

  // AR10.14 assets (arrears_assets.cc)
  // The PP's assets, per person: recorded by the segment owning the case's
  // casegroup, or by the Deduction Order Team while it works an open
  // Disclosure SR on it; read with the casegroup each was recorded under
  // (X13.1). Each record and end adds to the case's arrears history when the
  // case has an action, and is audited ("asset").
  absl::Status RecordAsset(const Actor& actor, const cms::v1::RecordAssetRequest& req,
                           cms::v1::Asset* out);
  absl::Status ListAssets(const Actor& actor, const cms::v1::ListAssetsRequest& req,
                          cms::v1::ListAssetsResponse* out);
  absl::Status EndAsset(const Actor& actor, const cms::v1::EndAssetRequest& req,
                        cms::v1::Asset* out);
  // AR10.11: the attempt to reach the RP, from the open review; NOT_REACHED
  // issues CMSL5511 to the RP and sets the wait (rules_.arrears_rp_contact_
  // wait_days) on rp_contact.
  absl::Status RecordRpContact(const Actor& actor, const cms::v1::RecordRpContactRequest& req,
                               cms::v1::ArrearsAction* out);

 private:
  // The case's action locked for a caseworker's decision: the etag checked
  // (ABORTED when stale) and the caller in the segment owning the case's
  // casegroup (SR5.7). NOT_FOUND when the case has none.
  absl::StatusOr<cms::v1::ArrearsAction> LoadForDecision(Command& c, int64_t case_id,
                                                         const std::string& etag);
  // The case's action locked, made (state REVIEW, no review yet) when it
  // has none.
  absl::StatusOr<cms::v1::ArrearsAction> LoadOrMake(Command& c, const cms::v1::Case& k);
  // Writes `action` as its next version, records the event and audits.
  absl::Status Save(Command& c, const cms::v1::ArrearsAction& before,
                    cms::v1::ArrearsAction& action, cms::v1::ArrearsEventKind kind,
                    std::string detail, int64_t sr_id);
  // AR10.2 for the review just raised: closes it (Cancelled, or No Action
  // Appropriate) when the PP's address or a revised schedule says so;
  // true when it did.
  absl::StatusOr<bool> AutoClose(Command& c, cms::v1::ArrearsAction& action,
                                 const cms::v1::ServiceRequest& sr, const ReviewFigures& figures);
  // Records the review's end on `action` (CLOSED, with the resolution and
  // why) before a rule ends its SR, so ServiceRequestEnded finds it done.
  absl::Status RecordClose(Command& c, cms::v1::ArrearsAction& action,
                           const std::string& resolution, const std::string& why);
  // Raises the final chance's Action Missed Payment SR (a child of the
  // review, IN_PROGRESS) towards `purpose` and records it on `action`.
  absl::Status StartNegotiationIn(Command& c, cms::v1::ArrearsAction& action,
                                  cms::v1::ArrearsRung purpose, const std::string& note);
  // AR10.11: DOT's SUCCESSFUL report: the owner's Returned Authorisation
  // SR with its 48-hour activity.
  absl::Status DisclosureSuccessful(Command& c, cms::v1::ArrearsAction& action,
                                    const cms::v1::RecordDisclosureOutcomeRequest& req,
                                    cms::v1::ArrearsAction* out);
  // T8.3: arms the nightly RDO compliance check (02:00 business time, the
  // next one to come); a no-op once armed.
  absl::Status ArmRdoCheckJob(Command& c);
  // AR10.6: the third full RDO payment, or an LSDO paid in full: the
  // review closes (when still open) and an ARREARS case returns to
  // MAINTENANCE.
  absl::Status RdoCompliant(Command& c, cms::v1::ArrearsAction& action, const std::string& why);
  // AR10.6: judges the RDO's scheduled payment due `due` (its next to
  // judge) on `received`, reported by the command's actor (DOT's report, or
  // the nightly check as "system"): records it, moves rdo_next_due_date on
  // and acts on the verdict (the shortfall's negotiation, the LO rung, or
  // compliance). `action` is locked in this transaction; it is read again
  // after.
  absl::Status JudgeRdoPayment(Command& c, cms::v1::ArrearsAction& action, absl::CivilDay due,
                               domain::Pence received);
  // JudgeRdoPayment's first half, in memory: the payment recorded on
  // `action`, the next due date moved on, the verdict and its history line.
  struct RdoJudgement {
    domain::RdoCompliance verdict;
    bool shortfall_negotiation = false;  // the shortfall's negotiation is under way
    std::string detail;
  };
  RdoJudgement RecordRdoJudgement(Command& c, cms::v1::ArrearsAction& action, absl::CivilDay due,
                                  domain::Pence received);
  // The verdict needs more than its record and event: the shortfall's
  // negotiation raised, the LO rung, or compliance.
  static bool NeedsFollowUp(const RdoJudgement& j, const cms::v1::ArrearsAction& action);
  // The nightly check's LSDOs among `actions` (locked): one paid in full
  // makes the case compliant (RdoCompliant).
  absl::Status CheckLsdos(Command& c, const std::vector<cms::v1::ArrearsAction>& actions,
                          RdoCheckStats& stats);
  // One transaction of the nightly check: the actions `ids`, each judged
  // on the RDO receipts read for all of them at once.
  absl::Status CheckRdoBatch(Command& c, const std::vector<int64_t>& ids, absl::CivilDay day,
                             RdoCheckStats& stats);
  // The ladder's facts as of `now`, with what only the app knows: the
  // 48-hour authorisation's standing and the de minimis configured.
  absl::StatusOr<domain::LadderFacts> LadderFactsOf(
      store::Tx& tx, const cms::v1::Case& k, const cms::v1::Casegroup& g,
      const std::optional<cms::v1::ArrearsAction>& action, absl::Time now);
  // The action of an ENFORCEMENT-owned case locked for the enforcement
  // case manager (LoadForDecision, and the case's lifecycle ENFORCEMENT:
  // else FAILED_PRECONDITION naming `rule`).
  absl::StatusOr<cms::v1::ArrearsAction> LoadForEnforcement(Command& c, int64_t case_id,
                                                            const std::string& etag,
                                                            absl::string_view rule);
  // The action awaiting `approval` (an LO referral), locked.
  absl::StatusOr<cms::v1::ArrearsAction> LoadReferral(Command& c,
                                                      const cms::v1::Approval& approval);
  // The review's open Arrears Review SR, for the steps worked through it;
  // FAILED_PRECONDITION naming `rule` when the case has none open.
  absl::StatusOr<cms::v1::ServiceRequest> OpenReview(Command& c,
                                                     const cms::v1::ArrearsAction& action,
                                                     absl::string_view rule);

  Commands& commands_;
  ServiceRequestApp& srs_;
  PaymentApp& payments_;
  MopfApp& mopf_;
  LetterApp& letters_;
  EmploymentApp& employment_;
  ApprovalApp& approvals_;
  const domain::WorkingDayCalendar& calendar_;
  const PaymentRules rules_;
};

}  // namespace cms::app
