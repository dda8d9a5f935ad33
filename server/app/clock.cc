#include "server/app/clock.h"

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/store/clock_repo.h"

namespace cms::app {

absl::StatusOr<BusinessClock> BusinessClock::Create(bool test_mode, const std::string& zone) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(zone, &tz)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot load the time zone ", zone,
        " (business dates are civil dates there): install the time zone data (Debian package "
        "tzdata, /usr/share/zoneinfo) or set TZDIR"));
  }
  return BusinessClock(test_mode, tz);
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
  CMS_RETURN_IF_ERROR(
      store::WriteClockOffsetMicros(tx, absl::ToInt64Microseconds(now - absl::Now())));
  return now;
}

absl::StatusOr<absl::Time> BusinessClock::Advance(store::Tx& tx, absl::Duration by) const {
  if (!test_mode_) {
    return RuleViolation("T8.1",
                         "the business clock can be advanced only on a --test_clock server");
  }
  CMS_ASSIGN_OR_RETURN(int64_t offset, store::ReadClockOffsetMicros(tx, /*for_update=*/true));
  offset += absl::ToInt64Microseconds(by);
  CMS_RETURN_IF_ERROR(store::WriteClockOffsetMicros(tx, offset));
  return absl::Now() + absl::Microseconds(offset);
}

absl::CivilDay BusinessClock::Today(absl::Time t) const { return absl::ToCivilDay(t, london_); }

absl::Time BusinessClock::StartOf(absl::CivilDay day) const {
  return absl::FromCivil(day, london_);
}

}  // namespace cms::app
