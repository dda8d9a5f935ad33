// Use cases of a case's P2P schedule and payments (M7.5), arrears and
// statement (M7.6), and fees and charges (M7.7).
//
// - A schedule runs from its first collection date to the case's next
//   annual review, split across the MOPF active on that date. Generating a
//   second one revises the first (negotiation): the old one is kept, its
//   items from the new first collection on no longer apply.
// - Payments are allocated to the items that still apply, oldest due first
//   (domain/payments.h); each item's standing is written after every payment
//   and read back classified as of today.
// - A COLLECT_AND_PAY payment carries its collection fees unless a waiver
//   covers its received date; reinstating fees ends the waiver from the
//   decision date, never earlier.
// - S5.14: a new schedule for a mixed master case (the PP has a case under
//   a Segment 5 compliance opportunity and a case that is not,
//   domain/compliance_mixed_master.h) is held for manual allocation review
//   instead: written HELD_FOR_ALLOCATION_REVIEW with its items HELD (never
//   allocated to, never marked missed), the case's current schedule left in
//   force, a Manual Allocation Review SR raised by rule and linked to it,
//   and no ScheduleGenerated event. ReleaseSchedule then does what
//   GenerateSchedule would have done and closes the SR.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "cms/v1/payment.pb.h"
#include "server/app/actor.h"
#include "server/app/case_events.h"
#include "server/app/commands.h"
#include "server/app/payment_rules.h"
#include "server/app/service_requests.h"

namespace cms::app {

// M7.7: the case's open fee waiver (no end date), if any. A read: no
// access check, no lock (a change locks the schedule row first).
absl::StatusOr<std::optional<cms::v1::FeeWaiver>> OpenFeeWaiver(store::Tx& tx, int64_t case_id);

class PaymentApp {
 public:
  // `events` hears of every schedule generated (or released), in that
  // command; `srs` raises and closes the Manual Allocation Review SR
  // (S5.14).
  PaymentApp(Commands& commands, ServiceRequestApp& srs, PaymentRules rules, CaseEvents& events)
      : commands_(commands), srs_(srs), rules_(rules), events_(events) {}

  // M7.5: every item of the case that still applies (superseded ones left
  // out), classified as of `today`. A read inside the caller's transaction;
  // no access check.
  absl::StatusOr<std::vector<cms::v1::ScheduleItem>> ClassifiedItems(store::Tx& tx, int64_t case_id,
                                                                     absl::CivilDay today) const;
  // M7.5: the case's items due in [from, to) that still apply, with the
  // standing last written, read as one index range. Every payment and every
  // schedule reclassifies the case and writes each item's standing, so
  // paid, on_time, in_full and agreed_method are those ClassifiedItems
  // gives; only `status` may lag (an overdue item the daily job has not yet
  // marked MISSED is still PENDING). For rules that judge the flags over a
  // period (S5.8), without reading every item and payment of the case. A
  // read inside the caller's transaction; no access check.
  absl::StatusOr<std::vector<cms::v1::ScheduleItem>> StandingItemsDue(store::Tx& tx,
                                                                      int64_t case_id,
                                                                      absl::CivilDay from,
                                                                      absl::CivilDay to) const;

  absl::Status GenerateSchedule(const Actor& actor, const cms::v1::GenerateScheduleRequest& req,
                                cms::v1::Schedule* out);
  // S5.14: a held schedule comes into force; its review SR closes.
  absl::Status ReleaseSchedule(const Actor& actor, const cms::v1::ReleaseScheduleRequest& req,
                               cms::v1::Schedule* out);
  absl::Status GetSchedule(const Actor& actor, const cms::v1::GetScheduleRequest& req,
                           cms::v1::Schedule* out);
  absl::Status ListSchedules(const Actor& actor, const cms::v1::ListSchedulesRequest& req,
                             cms::v1::ListSchedulesResponse* out);
  absl::Status RecordPayment(const Actor& actor, const cms::v1::RecordPaymentRequest& req,
                             cms::v1::Payment* out);

  // M7.6: the case's arrears as of `today` (GetArrears for one case), a
  // read in the caller's transaction; no access check.
  absl::StatusOr<cms::v1::Arrears> CaseArrearsIn(store::Tx& tx, int64_t case_id,
                                                 absl::CivilDay today) const;

  absl::Status GetArrears(const Actor& actor, const cms::v1::GetArrearsRequest& req,
                          cms::v1::Arrears* out);
  absl::Status GetStatement(const Actor& actor, const cms::v1::GetStatementRequest& req,
                            cms::v1::Statement* out);

  absl::Status WaiveFees(const Actor& actor, const cms::v1::WaiveFeesRequest& req,
                         cms::v1::FeeWaiver* out);
  absl::Status ReinstateFees(const Actor& actor, const cms::v1::ReinstateFeesRequest& req,
                             cms::v1::FeeWaiver* out);
  absl::Status AddCharge(const Actor& actor, const cms::v1::AddChargeRequest& req,
                         cms::v1::LedgerEntry* out);

  // ---- M7.7 as steps of a running command (e.g. the Segment 5
  // compliance opportunity, SPEC §9, waives fees); the RPCs above run the
  // same bodies. The caller has already decided who may act (no
  // CaseForWrite here; the case must exist, else INVALID_ARGUMENT naming
  // case_id). The case's current schedule row is locked as by the RPC;
  // the change is audited, by the command's actor.

  // A waiver from `from` (today or later) to `to` (exclusive; open-ended
  // when unset), of collection fees and, when `covers_charges`, of
  // enforcement charges too (S5.5); FAILED_PRECONDITION while another
  // waiver is open.
  absl::StatusOr<cms::v1::FeeWaiver> WaiveFeesIn(Command& c, int64_t case_id, absl::CivilDay from,
                                                 std::optional<absl::CivilDay> to,
                                                 std::string reason, bool covers_charges);
  // Ends the open waiver on `effective` (today or later, never earlier);
  // FAILED_PRECONDITION when none is open.
  absl::StatusOr<cms::v1::FeeWaiver> ReinstateFeesIn(Command& c, int64_t case_id,
                                                     absl::CivilDay effective);
  // An enforcement charge (DEO, RDO, LSDO or liability order) on the
  // case's ledger from `effective` (today or later).
  absl::StatusOr<cms::v1::LedgerEntry> AddChargeIn(Command& c, int64_t case_id,
                                                   cms::v1::ChargeKind kind,
                                                   absl::CivilDay effective);

  const PaymentRules& rules() const { return rules_; }

 private:
  // The schedule as written comes into force (a new one, or a held one
  // released): it supersedes `current` from its first collection (already
  // done by the caller for a new one), arms the daily job, re-allocates the
  // payments received, ends the new-case stage and tells the procedures.
  absl::Status BringIntoForce(Command& c, const cms::v1::Case& k, int64_t schedule_id,
                              absl::CivilDay today, cms::v1::Schedule* out);
  // S5.14: a held schedule replaced by a new GenerateSchedule: superseded,
  // its review SR closed "Schedule Replaced".
  absl::Status ReplaceHeldSchedule(Command& c, const cms::v1::Schedule& held);

  Commands& commands_;
  ServiceRequestApp& srs_;
  const PaymentRules rules_;
  CaseEvents& events_;
};

}  // namespace cms::app
