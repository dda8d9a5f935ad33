// Use cases of the Segment 5 compliance opportunity (S5.1–S5.6; issue 14;
// reference/segment5-compliance-opportunity.txt).
//
// Every case with a legacy CSA link has one ComplianceOpportunity, made the
// first time its facts are seen (the application). Then:
// - the legacy case is looked up in the legacy CSA system (LegacyCsaGateway)
//   and its facts are kept on the case; CCD cases and CSCS cases without a
//   DEO/DER get a Manual Handling SR instead, and RecordLegacyLookup records
//   what it found (S5.2);
// - eligibility (domain/compliance_eligibility.h) is assessed again whenever
//   a fact changes: the case's service types and legacy facts, the PP's
//   benefit, employment and nil assessment, the PP's voluntary-DEO
//   statement; an eligible PP gets the Offer Compliance Opportunity SR,
//   Source Legacy Look Ups, once (S5.3);
// - the PP has 14 days from the provisional calculation letter: on day 15
//   with no decision a durable timer records NO_RESPONSE, and a provisional
//   calculation letter returned undelivered counts as no response (S5.4);
// - the PP's decision is carried out in the decision's transaction, as the
//   procedure lists it (S5.5, S5.6): the offer SR's resolution and closure,
//   the letters, the MOPF through an Amend Existing MOPF child SR, the DEO
//   desire flag, the fee and charge waiver or the DEO charge, the UTP status;
// - a change of circumstance before the trial starts withdraws an
//   acceptance (S5.6);
// - the P2P schedule generated after an acceptance starts the trial on its
//   first collection by the non-enforced method; it ends 187 days later
//   (S5.5), when a durable timer raises the Compliance Opportunity Outcome
//   SR with the server's proposed outcome from the period's items (S5.7,
//   S5.8);
// - the caseworker records the outcome and the UTP check (RecordOutcome):
//   a UTP pass is carried out at once (S5.9), a UTP fail waits for the
//   team leader's approval, which carries it out (S5.10, A6.3);
// - an extension goes to the team leader and, approved, moves the end date
//   and its timer (S5.11); the trial may end early, by hand or, for a
//   benefit notification, by itself (S5.12); a prison notification raises
//   a Change of Address SR (S5.16);
// - a missed payment during the trial raises the Arrears Review with the
//   Segment 5 Case flag, never COLLECTIONS (S5.13), and what the review
//   finds decides (AR10.9); a missed DEO collection goes to the Employer
//   Support Team (S5.18).
// compliance.cc holds the assessment and the offer, compliance_trial.cc
// the trial and its missed payments, compliance_outcome.cc the outcome,
// extension and early end. Each step is recorded in the opportunity's own history (ComplianceEvent)
// and audited. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "cms/v1/compliance.pb.h"
#include "server/app/actor.h"
#include "server/app/approval_actions.h"
#include "server/app/approvals.h"
#include "server/app/case_events.h"
#include "server/app/commands.h"
#include "server/app/employment.h"
#include "server/app/legacy_csa.h"
#include "server/app/letters.h"
#include "server/app/mopf.h"
#include "server/app/payments.h"
#include "server/app/service_requests.h"
#include "server/store/timer_repo.h"

namespace cms::app {

// T8.2: day 15 after the provisional calculation letter (S5.4).
inline constexpr char kComplianceOfferResponseTimer[] = "S5_OFFER_RESPONSE";
// T8.2: the trial's end date (S5.7).
inline constexpr char kComplianceScheduledEndTimer[] = "S5_SCHEDULED_END";
// S5.5: the trial lasts 187 days from its start date.
inline constexpr int kCompliancePeriodDays = 187;

class ComplianceApp final : public CaseEventListener, public ApprovalActionHandler {
 public:
  ComplianceApp(Commands& commands, ServiceRequestApp& srs, MopfApp& mopf, PaymentApp& payments,
                LetterApp& letters, EmploymentApp& employment, ApprovalApp& approvals,
                LegacyCsaGateway& legacy)
      : commands_(commands),
        srs_(srs),
        mopf_(mopf),
        payments_(payments),
        letters_(letters),
        employment_(employment),
        approvals_(approvals),
        legacy_(legacy) {}

  absl::Status Get(const Actor& actor, const cms::v1::GetComplianceOpportunityRequest& req,
                   cms::v1::ComplianceOpportunity* out);
  absl::Status List(const Actor& actor, const cms::v1::ListComplianceOpportunitiesRequest& req,
                    cms::v1::ListComplianceOpportunitiesResponse* out);
  absl::Status ListEvents(const Actor& actor, const cms::v1::ListComplianceEventsRequest& req,
                          cms::v1::ListComplianceEventsResponse* out);
  absl::Status RecordLegacyLookup(const Actor& actor, const cms::v1::RecordLegacyLookupRequest& req,
                                  cms::v1::ComplianceOpportunity* out);
  absl::Status RecordDeoStatement(const Actor& actor, const cms::v1::RecordDeoStatementRequest& req,
                                  cms::v1::ComplianceOpportunity* out);
  absl::Status RecordOfferContact(const Actor& actor, const cms::v1::RecordOfferContactRequest& req,
                                  cms::v1::ComplianceOpportunity* out);
  absl::Status DecideOffer(const Actor& actor, const cms::v1::DecideOfferRequest& req,
                           cms::v1::ComplianceOpportunity* out);
  // S5.15: the twelve-month rule for a PP who declined or did not respond.
  absl::Status GetTwelveMonthStatus(const Actor& actor,
                                    const cms::v1::GetTwelveMonthStatusRequest& req,
                                    cms::v1::TwelveMonthStatus* out);

  // S5.8–S5.10, S5.11, S5.12, AR10.9 (compliance_outcome.cc).
  absl::Status RecordOutcome(const Actor& actor, const cms::v1::RecordOutcomeRequest& req,
                             cms::v1::ComplianceOpportunity* out);
  absl::Status RequestExtension(const Actor& actor, const cms::v1::RequestExtensionRequest& req,
                                cms::v1::ComplianceOpportunity* out);
  absl::Status EndEarly(const Actor& actor, const cms::v1::EndEarlyRequest& req,
                        cms::v1::ComplianceOpportunity* out);
  absl::Status RecordMissedPaymentReason(const Actor& actor,
                                         const cms::v1::RecordMissedPaymentReasonRequest& req,
                                         cms::v1::ComplianceOpportunity* out);

  // ApprovalActionHandler (A6.3): the Seg 5 fail and the extension.
  absl::Status CheckSubmit(Command& c, const cms::v1::ServiceRequest& sr,
                           const cms::v1::ApprovalAction& action) override;
  absl::StatusOr<std::string> ApprovalApproved(Command& c,
                                               const cms::v1::Approval& approval) override;
  absl::StatusOr<std::string> ApprovalRejected(Command& c,
                                               const cms::v1::Approval& approval) override;

  // CaseEventListener: the platform's use cases tell us, in their command.
  absl::Status CaseFactsChanged(Command& c, int64_t case_id, absl::string_view what) override;
  // A new case has no opportunity yet: only one with a legacy CSA link is
  // assessed (S5.1), so an application without one reads nothing more.
  absl::Status CaseCreated(Command& c, const cms::v1::Case& k) override;
  absl::Status LetterIssued(Command& c, const cms::v1::Letter& letter) override;
  absl::Status LetterReturned(Command& c, const cms::v1::Letter& letter) override;
  absl::Status ScheduleGenerated(Command& c, const cms::v1::Schedule& schedule) override;
  // S5.13: a miss during the trial never sends the casegroup to
  // COLLECTIONS; a non-enforced miss raises the Arrears Review with the
  // Segment 5 Case flag; an enforced one alone is the employer's (S5.18).
  absl::StatusOr<std::optional<std::string>> MissedPayment(Command& c, int64_t case_id,
                                                           absl::CivilDay day) override;
  // The outcome SR of a completed outcome closes CofC Accepted when its
  // last child (Perform Calculation, MOPF changes) ends; a Manual
  // Allocation Review does not end while its schedule is held (S5.14).
  absl::Status ServiceRequestEnded(Command& c, const cms::v1::ServiceRequest& sr) override;
  // S5.7, S5.11, S5.12: refuses a Compliance Opportunity Outcome SR raised
  // by a caller rather than through the opportunity.
  absl::StatusOr<bool> ServiceRequestRaised(Command& c, const cms::v1::ServiceRequest& sr,
                                            bool existing) override;

  // The S5_OFFER_RESPONSE timer's action: NO_RESPONSE when the offer is
  // still undecided on day 15 (a decided or re-dated offer: nothing).
  absl::Status OfferResponseExpired(Command& c, const store::DueTimer& timer);
  // The S5_SCHEDULED_END timer's action: the outcome SR and the proposal
  // for a trial still running to that end date (an extended or ended one:
  // nothing).
  absl::Status ScheduledEnd(Command& c, const store::DueTimer& timer);

 private:
  // The opportunity of `case_id` made, looked up and assessed, or assessed
  // again; nullopt-free: a case with no legacy link has none and nothing is
  // done.
  absl::Status Assess(Command& c, int64_t case_id, absl::string_view what);
  // S5.4: the 14 days run from `letter_day`.
  absl::Status StartResponseWindow(Command& c, cms::v1::ComplianceOpportunity& opp,
                                   absl::CivilDay letter_day);
  // S5.5, S5.6: the decision carried out in full.
  absl::Status ApplyDecision(Command& c, cms::v1::ComplianceOpportunity& opp,
                             cms::v1::OfferDecision decision, const std::string& reason,
                             bool cannot_set_up_direct_debit);
  // S5.6: an acceptance withdrawn by a change of circumstance before the
  // trial starts.
  absl::Status Withdraw(Command& c, cms::v1::ComplianceOpportunity& opp, const std::string& why);
  // S5.6 business as usual: a self-selected DEO with the desire flag where
  // the PP is employed and the employer known, else a weekly DSO, each
  // through SetUpMopf; appends what it did to `done`. True when a DEO was
  // set up (the DEO charge then applies to a wilful refusal).
  absl::StatusOr<bool> SetUpBusinessAsUsual(Command& c, const cms::v1::ComplianceOpportunity& opp,
                                            bool employed, const std::string& employer,
                                            int64_t parent_sr, absl::string_view rule,
                                            std::vector<std::string>& done);
  // Raises an SR of `type_code` on the opportunity's case (a child of
  // `parent_sr`, 0: none) by `rule` and moves it IN_PROGRESS, ready for the
  // change made through it; returns its id.
  absl::StatusOr<int64_t> RaiseWorkingSr(Command& c, const cms::v1::ComplianceOpportunity& opp,
                                         std::string type_code, int64_t parent_sr,
                                         std::map<std::string, std::string> fields,
                                         std::string description, absl::string_view rule);
  // Raises an Amend Existing MOPF SR (child of `parent_sr`), sets the MOPF
  // through it and closes it; returns a description of what was set.
  absl::StatusOr<std::string> SetUpMopf(Command& c, const cms::v1::ComplianceOpportunity& opp,
                                        int64_t parent_sr, std::vector<cms::v1::MopfMethod> methods,
                                        absl::string_view rule);
  // S5.12, S5.16: a benefit or prison notification during the running
  // trial (CaseFactsChanged after the start date).
  absl::Status TrialFactsChanged(Command& c, cms::v1::ComplianceOpportunity& opp,
                                 const cms::v1::Person& pp, absl::string_view what);
  // S5.7, S5.12, S5.11: raises the Compliance Opportunity Outcome SR with
  // field Action `action` ("End of Seg 5", …) and `more_fields` (the
  // procedure's Early End reason, extension Reason and Proposed Revised
  // Date), moved IN_PROGRESS with that sub status unless `leave_new`.
  absl::StatusOr<int64_t> RaiseOutcomeSr(Command& c, const cms::v1::ComplianceOpportunity& opp,
                                         const std::string& action, int64_t parent_sr,
                                         cms::v1::SrSource source, std::string description,
                                         absl::string_view rule, bool leave_new,
                                         std::map<std::string, std::string> more_fields = {});
  // S5.12: ends the running trial today; the outcome SR a child of
  // `trigger_sr` (0: none) and the S5.12 proposal.
  absl::Status EndTrialEarly(Command& c, cms::v1::ComplianceOpportunity& opp,
                             cms::v1::EarlyEndReason reason, int64_t trigger_sr,
                             const std::string& note);
  // S5.9: the UTP pass carried out; appends what was done.
  absl::Status CarryOutPass(Command& c, cms::v1::ComplianceOpportunity& opp,
                            cms::v1::RecordedOutcome& outcome);
  // S5.10: the approved UTP fail carried out; appends what was done.
  absl::Status CarryOutFail(Command& c, cms::v1::ComplianceOpportunity& opp,
                            cms::v1::RecordedOutcome& outcome);
  // S5.9, S5.10: Perform Calculation child SR and letters CMSL0136/0137.
  absl::Status CalculationAndLetters(Command& c, const cms::v1::ComplianceOpportunity& opp,
                                     cms::v1::RecordedOutcome& outcome);
  // Closes the outcome SR CofC Accepted when the outcome is done and no
  // child is open.
  absl::Status CloseOutcomeSrIfDone(Command& c, const cms::v1::ComplianceOpportunity& opp);
  // Loads an opportunity for a caseworker's decision: locked, etag checked,
  // its case worked by the caller's segment (SR5.7).
  absl::StatusOr<cms::v1::ComplianceOpportunity> LoadForDecision(Command& c, int64_t id,
                                                                 const std::string& etag);
  // Writes the opportunity, its event and its audit row.
  absl::Status Save(Command& c, const cms::v1::ComplianceOpportunity& before,
                    cms::v1::ComplianceOpportunity& opp, cms::v1::ComplianceEventKind kind,
                    std::string detail, int64_t sr_id);

  Commands& commands_;
  ServiceRequestApp& srs_;
  MopfApp& mopf_;
  PaymentApp& payments_;
  LetterApp& letters_;
  EmploymentApp& employment_;
  ApprovalApp& approvals_;
  LegacyCsaGateway& legacy_;
};

}  // namespace cms::app
