// The business clock (T8.1): every rule reads "now" and "today" from here.
// In production it is the system clock. With --test_clock it is the system
// clock plus an offset kept in the database, so every replica agrees and a
// harness can set or advance it. Thread-safe (immutable after construction).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/store/db.h"

namespace cms::app {

// Business dates are civil dates in this zone (SPEC).
inline constexpr char kBusinessTimeZone[] = "Europe/London";

class BusinessClock {
 public:
  // FAILED_PRECONDITION naming the zone when its time zone data cannot be
  // loaded: a UTC fallback would put every business date an hour off in
  // summer, so the server refuses to start instead.
  static absl::StatusOr<BusinessClock> Create(bool test_mode,
                                              const std::string& zone = kBusinessTimeZone);

  bool test_mode() const { return test_mode_; }
  absl::StatusOr<absl::Time> Now(store::Tx& tx) const;
  // FAILED_PRECONDITION (rule T8.1) unless in test mode. The clock never
  // goes back: once moved, Set refuses an instant before business now
  // (FAILED_PRECONDITION T8.1); before its first move a scenario may start
  // anywhere from 1000-01-01 to 8999-12-31. Set and Advance refuse
  // (INVALID_ARGUMENT `now` / `by`, T8.1) an instant outside those years: a
  // millennium inside what a Timestamp holds, for the ticking clock and the
  // dates rules derive from it.
  absl::StatusOr<absl::Time> Set(store::Tx& tx, absl::Time now) const;
  absl::StatusOr<absl::Time> Advance(store::Tx& tx, absl::Duration by) const;

  // The civil date of `t` in Europe/London (SPEC: business dates).
  absl::CivilDay Today(absl::Time t) const;
  // The instant a business date begins (00:00 Europe/London): when a timer
  // for that date is due.
  absl::Time StartOf(absl::CivilDay day) const;
  // The civil time of `t` in Europe/London.
  absl::CivilSecond Local(absl::Time t) const { return absl::ToCivilSecond(t, london_); }

 private:
  BusinessClock(bool test_mode, absl::TimeZone zone) : test_mode_(test_mode), london_(zone) {}

  bool test_mode_;
  absl::TimeZone london_;
};

}  // namespace cms::app
