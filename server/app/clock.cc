#include "server/app/clock.h"

#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/store/clock_repo.h"

namespace cms::app {

BusinessClock::BusinessClock(bool test_mode) : test_mode_(test_mode) {
  // Without tzdata the zone falls back to UTC; Debian's tzdata is a
  // dependency of the build image, so this is only a safety net.
  if (!absl::LoadTimeZone("Europe/London", &london_)) london_ = absl::UTCTimeZone();
}

absl::StatusOr<absl::Time> BusinessClock::Now(store::Tx& tx) const {
  if (!test_mode_) return absl::Now();
  CMS_ASSIGN_OR_RETURN(int64_t offset, store::ReadClockOffsetMicros(tx));
  return absl::Now() + absl::Microseconds(offset);
}

absl::StatusOr<absl::Time> BusinessClock::Set(store::Tx& tx, absl::Time now) const {
  if (!test_mode_) {
    return RuleViolation("T8.1", "the business clock can be set only on a --test_clock server");
  }
  CMS_RETURN_IF_ERROR(store::ReadClockOffsetMicros(tx, /*for_update=*/true).status());
  CMS_RETURN_IF_ERROR(store::WriteClockOffsetMicros(tx, absl::ToInt64Microseconds(now - absl::Now())));
  return now;
}

absl::StatusOr<absl::Time> BusinessClock::Advance(store::Tx& tx, absl::Duration by) const {
  if (!test_mode_) {
    return RuleViolation("T8.1", "the business clock can be advanced only on a --test_clock server");
  }
  CMS_ASSIGN_OR_RETURN(int64_t offset, store::ReadClockOffsetMicros(tx, /*for_update=*/true));
  offset += absl::ToInt64Microseconds(by);
  CMS_RETURN_IF_ERROR(store::WriteClockOffsetMicros(tx, offset));
  return absl::Now() + absl::Microseconds(offset);
}

absl::CivilDay BusinessClock::Today(absl::Time t) const {
  return absl::ToCivilDay(t, london_);
}

absl::Time BusinessClock::StartOf(absl::CivilDay day) const {
  return absl::FromCivil(day, london_);
}

}  // namespace cms::app
