#include "server/app/clock.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/store/clock_repo.h"

namespace cms::app {
namespace {

// Where a test clock may be set or advanced to: not Timestamp's own range
// (0001-01-01 .. 9999-12-31T23:59:59Z), which the clock left a second after
// being set to its last instant (it keeps ticking), and which the dates its
// rules derive from now (a timer months on, a schedule to the next annual
// review, twelve months back) left sooner: every call reading the clock
// then failed INTERNAL, for good, on protobuf's CHECK in TimeUtil (an abort
// in a build compiled to abort). Found by the gRPC fuzzer (tests/e2e/fuzz).
// A millennium inside either end, and MariaDB's DATETIME range.
constexpr int kFirstClockYear = 1000;
constexpr int kLastClockYear = 8999;

bool ClockMayHold(absl::Time t) {
  const absl::CivilSecond utc = absl::ToCivilSecond(t, absl::UTCTimeZone());
  return utc.year() >= kFirstClockYear && utc.year() <= kLastClockYear;
}

std::string ClockRange() {
  return absl::StrCat(kFirstClockYear, "-01-01 to ", kLastClockYear, "-12-31");
}

}  // namespace

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
  if (!ClockMayHold(now)) {
    return InvalidField("now", absl::StrCat("the business clock stays within ", ClockRange()),
                        "T8.1");
  }
  CMS_ASSIGN_OR_RETURN(int64_t offset, store::ReadClockOffsetMicros(tx, /*for_update=*/true));
  // Never backwards once moved: timers already fired and work already
  // dated would lie in a future that then happens again. Until its first
  // move a scenario may start anywhere, before the wall clock too.
  const absl::Time wall = absl::Now();
  const absl::Time current = wall + absl::Microseconds(offset);
  CMS_ASSIGN_OR_RETURN(const bool moved, store::ClockWasMoved(tx));
  if (moved && now < current) {
    return RuleViolation(
        "T8.1", absl::StrCat("the business clock never goes back: it is ",
                             absl::FormatTime(current), ", asked for ", absl::FormatTime(now)));
  }
  CMS_RETURN_IF_ERROR(store::WriteClockOffsetMicros(tx, absl::ToInt64Microseconds(now - wall)));
  return now;
}

absl::StatusOr<absl::Time> BusinessClock::Advance(store::Tx& tx, absl::Duration by) const {
  if (!test_mode_) {
    return RuleViolation("T8.1",
                         "the business clock can be advanced only on a --test_clock server");
  }
  CMS_ASSIGN_OR_RETURN(int64_t offset, store::ReadClockOffsetMicros(tx, /*for_update=*/true));
  offset += absl::ToInt64Microseconds(by);
  const absl::Time now = absl::Now() + absl::Microseconds(offset);
  if (!ClockMayHold(now)) {
    return InvalidField("by", absl::StrCat("would take the business clock out of ", ClockRange()),
                        "T8.1");
  }
  CMS_RETURN_IF_ERROR(store::WriteClockOffsetMicros(tx, offset));
  return now;
}

absl::CivilDay BusinessClock::Today(absl::Time t) const { return absl::ToCivilDay(t, london_); }

absl::Time BusinessClock::StartOf(absl::CivilDay day) const {
  return absl::FromCivil(day, london_);
}

}  // namespace cms::app
