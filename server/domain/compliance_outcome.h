// Segment 5 compliance opportunity outcome proposal (S5.8, S5.12, S5.18): a
// pure function from the trial period's scheduled items, classified as of
// the day the trial ends (domain/payments.h), to the Compliance Action and
// Compliance Reason the server proposes. The caseworker decides; this is
// what the payment history says. Pure and thread-safe.
#pragma once

#include <vector>

#include "absl/time/civil_time.h"
#include "cms/v1/compliance.pb.h"
#include "cms/v1/payment.pb.h"

namespace cms::domain {

// DEO, DER, RDO, LSDO: collected by an enforced method, outside the PP's
// control once in place.
bool IsEnforcedMethod(cms::v1::PaymentMethod method);

// The trial is running on `day`: accepted, started, and `day` before its
// end date (S5.5, S5.13).
bool TrialRunsOn(const cms::v1::ComplianceOpportunity& opp, absl::CivilDay day);

// S5.8: PASS / ALL_PAYMENTS_RECEIVED when every non-enforced item due in
// [start, end) was paid on time, in full and by the agreed method; else
// FAIL / PAYMENT_DEFAULT. Items by an enforced method are listed but never
// counted (S5.18); superseded items are left out. With no item counted the
// PP defaulted on nothing: PASS. `items` are classified as of `end` or
// later; `propose_time` is left for the caller.
cms::v1::ProposedOutcome ProposeOutcome(const std::vector<cms::v1::ScheduleItem>& items,
                                        absl::CivilDay start, absl::CivilDay end);

}  // namespace cms::domain
