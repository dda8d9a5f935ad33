// AR10.4: which arrears letter, if any, the Arrears Review should issue now.
// CMSL6031 when no arrears letter was ever sent; CMSL6038 when CMSL6031 got
// no response, or when the PP was compliant for 12 weeks or more since the
// last arrears letter and then missed again; otherwise none, with the
// reason. After a letter the review WAITs 7 days (Wait State Arrears
// Notice). The app gathers the history; this unit only decides. Pure and
// thread-safe.
//
// Decisions where the SPEC and the procedure are silent:
// - A response: any contact with the PP other than NO_CONTACT on or after
//   the letter's issue date (the app passes those contacts' dates).
// - The 7-day wait runs while today < issue + 7 (issued on the 1st, over on
//   the 8th). While the last letter's wait runs no letter is chosen: two
//   notices are never 7 days apart.
// - "No response to CMSL6031": the last arrears letter is CMSL6031, its 7
//   days are over and the PP has not responded since it was issued. A
//   response that comes later still counts (the PP did get in touch).
// - Compliance of 12 weeks: 84 days or more from the later of the last
//   letter's issue date and the due date of the last missed collection
//   after it (one missed on the issue day counts as after it) to the due
//   date of the current missed collection, with no missed collection in
//   between (the latest one is the start, so none is). Any collection due
//   on or after the current miss is ignored. A span in which nothing fell
//   due counts as compliance: nothing was missed. Exactly 84 days is 12
//   weeks (83: no letter; 84 and 85: CMSL6038).
// - Without a current missed collection the compliance rule cannot apply
//   (the review is not about a new miss); nor when that miss is due on or
//   before the last letter's issue date (the letter covered it).
// - After CMSL6038 the only next letter is another CMSL6038 after 12 weeks
//   of compliance; a CMSL6038 with no response does not repeat (the ladder
//   moves on).
// - The no-response rule is checked before the compliance one; both give
//   CMSL6038, so the order only decides the reason given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace cms::domain {

inline constexpr char kFirstArrearsLetter[] = "CMSL6031";
inline constexpr char kSecondArrearsLetter[] = "CMSL6038";
inline constexpr int kArrearsNoticeWaitDays = 7;
inline constexpr int kArrearsComplianceDays = 84;  // 12 weeks

struct SentArrearsLetter {
  std::string code;
  absl::CivilDay issued;
};

// A decided collection of the case: paid in full, or missed (missed or
// partial).
struct DecidedCollection {
  absl::CivilDay due;
  bool missed = false;
};

struct LetterHistory {
  absl::CivilDay today;
  std::vector<SentArrearsLetter> letters;      // oldest first
  std::vector<absl::CivilDay> responses;       // days the PP responded (any contact but NO_CONTACT)
  std::vector<DecidedCollection> collections;  // the case's decided collections in due order
  // The due date of the missed collection the review is about.
  std::optional<absl::CivilDay> current_miss;
};

struct ArrearsLetterChoice {
  std::string code;  // "" = no letter now
  std::string reason;
};

// AR10.4, per the rules above.
ArrearsLetterChoice ChooseArrearsLetter(const LetterHistory& h);

// Whether the 7-day wait of a letter issued on `issued` still runs on
// `today` (today < issued + 7).
bool ArrearsNoticeWaitRunning(absl::CivilDay issued, absl::CivilDay today);

}  // namespace cms::domain
