// What the arrears rules read about a case, gathered from the store for the
// pure rules of domain/arrears_ladder.h and domain/arrears_letters.h: the
// figures an Arrears Review is raised with (AR10.1, AR10.2) and the facts of
// the ladder (AR10.3–AR10.10). Reads in the caller's transaction; no access
// check. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "cms/v1/arrears.pb.h"
#include "cms/v1/casegroup.pb.h"
#include "server/app/clock.h"
#include "server/app/mopf.h"
#include "server/app/payments.h"
#include "server/domain/arrears_ladder.h"
#include "server/domain/arrears_letters.h"
#include "server/domain/rdo_compliance.h"
#include "server/store/db.h"

namespace cms::app {

// AR10.4: the Arrears Review's sub status while the arrears notice's 7 days
// run.
inline constexpr char kArrearsNoticeSubStatus[] = "Wait State Arrears Notice";

// The procedure's More Info Arrears view, as of `today`.
struct ReviewFigures {
  domain::Pence balance = 0;  // the case's arrears (M7.6)
  int missed_run = 0;         // consecutive missed collections at the end (AR10.1)
  // The latest missed collection: its due date and what went wrong, e.g.
  // "DD £108.33 due 2027-03-01 not paid".
  std::optional<absl::CivilDay> current_miss;
  std::string failure_reason;
  // AR10.2: the case's current schedule is a revision made on or after the
  // latest missed collection's due date and no later than its tolerance.
  bool revised_within_tolerance = false;
  std::optional<absl::CivilDay> revision_day;
};

absl::StatusOr<ReviewFigures> GatherReviewFigures(store::Tx& tx, int64_t case_id,
                                                  absl::CivilDay today, const PaymentApp& payments,
                                                  const BusinessClock& clock, int tolerance_days);

// AR10.4: the letters sent, the PP's responses and the case's decided
// collections, for ChooseArrearsLetter.
domain::LetterHistory LetterHistoryOf(const cms::v1::ArrearsAction& action,
                                      const std::vector<cms::v1::ScheduleItem>& items,
                                      absl::CivilDay today);

// AR10.6: the RDO DOT set up (set up on the disclosure's outcome date).
domain::RdoSchedule RdoScheduleOf(const cms::v1::Disclosure& d);
// AR10.6, AR10.12: an RDO is in force: set up, not yet compliant, not
// lapsed or discharged.
bool RdoInForce(const cms::v1::Disclosure& d);

// AR10.3: every fact the ladder reads. `k` and its casegroup `g` as the
// caller read them; `action` is the case's arrears action, if it has one.
// Each other fact is one statement, read only where the ladder needs it
// (the recommendation's speed is its round trips: server/README).
// AR10.6: the final negotiation of `action`'s current review (agreed on or
// after the day the review was raised) agreed a new schedule.
bool ScheduleAgreedOnReview(const cms::v1::ArrearsAction& action);

absl::StatusOr<domain::LadderFacts> GatherLadderFacts(
    store::Tx& tx, const cms::v1::Case& k, const cms::v1::Casegroup& g,
    const std::optional<cms::v1::ArrearsAction>& action, absl::CivilDay today,
    const PaymentApp& payments, const MopfApp& mopf);

}  // namespace cms::app
