// cms.v1.Date <-> absl::CivilDay, and the check that a request's date is a
// real calendar day. Pure and thread-safe.
#pragma once

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "cms/v1/common.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "server/base/errors.h"

namespace cms::app {

inline absl::CivilDay CivilDayOf(const cms::v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

inline cms::v1::Date DateOf(absl::CivilDay d) {
  cms::v1::Date out;
  out.set_year(static_cast<int32_t>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

inline absl::Time TimeOf(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(ts));
}

inline google::protobuf::Timestamp TimestampOf(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

inline bool IsSet(const cms::v1::Date& d) {
  return d.year() != 0 || d.month() != 0 || d.day() != 0;
}

// A real calendar day (CivilDay would quietly normalize 30 February).
inline bool IsValidDate(const cms::v1::Date& d) {
  if (d.year() < 1900 || d.year() > 9999) return false;
  const absl::CivilDay day = CivilDayOf(d);
  return day.year() == d.year() && day.month() == d.month() && day.day() == d.day();
}

// Adds `field` to `errors` unless `d` is a valid date (or unset and optional).
inline void CheckDate(FieldErrors& errors, const std::string& field, const cms::v1::Date& d,
                      bool required = true) {
  if (!IsSet(d)) {
    if (required) errors.Add(field, "required");
    return;
  }
  if (!IsValidDate(d)) errors.Add(field, "not a calendar date");
}

}  // namespace cms::app
