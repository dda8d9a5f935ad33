// Missed-payment counting for the arrears routing logic (AR10.1, the part
// that needs no I/O): how many collections in a row have been missed, and
// where the casegroup's work goes for that count. First missed collection
// -> COLLECTIONS to contact the paying parent; second or later -> an
// Arrears Review SR (reason Arrears Routing Logic). Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - A "collection" is a due date, not a schedule item: a date split across
//   two MOPF methods is one collection, so missing both halves counts once.
// - A collection is missed when any of its items is MISSED or PARTIAL (a
//   part payment past the tolerance leaves arrears like a missed one); it is
//   paid when all its items are PAID, which resets the run to 0. A date
//   with a PENDING item and none missed is not yet decided and is skipped.
// - A run count of 0 or less routes nowhere (kNone).
#pragma once

#include <string>
#include <vector>

#include "server/domain/payments.h"

namespace cms::domain {

// AR10.1: the number of consecutive missed collections at the end of
// `items` (ordered by due date), per the rules above.
int MissedRun(const std::vector<ClassifiedItem>& items);

enum class MissedPaymentRoute { kNone, kRouteToCollections, kArrearsReview };

struct MissedPaymentDecision {
  MissedPaymentRoute route = MissedPaymentRoute::kNone;
  std::string reason;  // why, for the audit and the caseworker
  std::string rule = "AR10.1";
};

// AR10.1: 1 -> kRouteToCollections, >= 2 -> kArrearsReview.
MissedPaymentDecision RouteMissedPayment(int run_count);

}  // namespace cms::domain
