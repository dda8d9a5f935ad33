// The validation vocabulary for the values every RPC takes (issue 17):
// instants and durations a protobuf Timestamp / Duration may hold, names,
// free text. Each check returns why the value is refused, or nullopt when
// it is acceptable; the API and the use cases turn that into an
// INVALID_ARGUMENT naming the field. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace cms::domain {

// A google.protobuf.Timestamp: 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999999Z, nanos 0..999,999,999 (timestamp.proto).
std::optional<std::string> TimestampProblem(int64_t seconds, int32_t nanos);
// A google.protobuf.Duration: within ±10,000 years, nanos within
// ±999,999,999 and of the seconds' sign (duration.proto).
std::optional<std::string> DurationProblem(int64_t seconds, int32_t nanos);

// Any text the server stores: valid UTF-8 is the transport's; here, no NUL
// (C strings, logs and exports truncate at it).
std::optional<std::string> TextProblem(absl::string_view text);

// Free text of at most `max_chars` code points (an SR field's value):
// TextProblem's, and no control character but tab, CR and LF, nor a
// bidirectional control (see NameProblem). Blank is acceptable.
std::optional<std::string> FreeTextProblem(absl::string_view text, int max_chars);

// A name shown to people (a person's, a team's, a staff member's): not
// empty once trimmed, on one line (no CR, LF or tab, no other control
// character), and without bidirectional controls (U+202A..U+202E,
// U+2066..U+2069), which make a name read differently from what it is
// ("Trojan Source"). `max_chars` bounds its length in code points.
std::optional<std::string> NameProblem(absl::string_view name, int max_chars);

// A date of birth: not after today.
std::optional<std::string> DateOfBirthProblem(absl::CivilDay dob, absl::CivilDay today);

}  // namespace cms::domain
