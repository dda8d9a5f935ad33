#include "server/domain/missed_run.h"

#include "absl/strings/str_cat.h"

namespace cms::domain {

int MissedRun(const std::vector<ClassifiedItem>& items) {
  int run = 0;
  for (size_t g = 0; g < items.size();) {
    size_t end = g;
    bool missed = false;
    bool pending = false;
    while (end < items.size() && items[end].item.due == items[g].item.due) {
      const ItemStatus s = items[end].status;
      missed |= s == ItemStatus::kMissed || s == ItemStatus::kPartial;
      pending |= s == ItemStatus::kPending;
      ++end;
    }
    if (missed) {
      ++run;
    } else if (!pending) {
      run = 0;  // every item of the collection PAID
    }
    g = end;
  }
  return run;
}

MissedPaymentDecision RouteMissedPayment(int run_count) {
  MissedPaymentDecision d;
  if (run_count <= 0) {
    d.reason = "no missed collection";
  } else if (run_count == 1) {
    d.route = MissedPaymentRoute::kRouteToCollections;
    d.reason = "first missed collection: COLLECTIONS contacts the paying parent";
  } else {
    d.route = MissedPaymentRoute::kArrearsReview;
    d.reason = absl::StrCat(run_count,
                            " missed collections in a row: Arrears Review, reason Arrears "
                            "Routing Logic");
  }
  return d;
}

}  // namespace cms::domain
