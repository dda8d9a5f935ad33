#include "server/domain/values.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace cms::domain {
namespace {

// timestamp.proto's range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;
// duration.proto's range: about ±10,000 years.
constexpr int64_t kMaxDurationSeconds = 315576000000;
constexpr int32_t kMaxNanos = 999999999;

// Decodes the UTF-8 code point at `text[*i]` and advances `*i`; the
// transport has already refused invalid UTF-8, so a malformed byte is
// taken as itself. Only continuation bytes continue a sequence: a lead byte
// once swallowed the next bytes whatever they were, so "\xe9\x1d\x7f" hid
// two control characters from NameProblem (found by tests/fuzz/fuzz_values).
uint32_t NextCodePoint(absl::string_view text, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(*i);
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (*i + extra >= text.size()) extra = 0;  // a sequence cut short
  for (int k = 1; k <= extra; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) extra = 0;  // not a continuation byte
  }
  uint32_t cp = extra == 0 ? b : b & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (byte(*i + k) & 0x3F);
  *i += 1 + extra;
  return cp;
}

bool IsBidiControl(uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::optional<std::string> TimestampProblem(int64_t seconds, int32_t nanos) {
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) {
    return "not an instant between 0001-01-01 and 9999-12-31";
  }
  if (nanos < 0 || nanos > kMaxNanos) return "nanos must be 0..999999999";
  return std::nullopt;
}

std::optional<std::string> DurationProblem(int64_t seconds, int32_t nanos) {
  if (seconds < -kMaxDurationSeconds || seconds > kMaxDurationSeconds) {
    return "not a duration within 10,000 years";
  }
  if (nanos < -kMaxNanos || nanos > kMaxNanos) return "nanos must be within ±999999999";
  if ((seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
    return "seconds and nanos must have the same sign";
  }
  return std::nullopt;
}

std::optional<std::string> TextProblem(absl::string_view text) {
  if (text.find('\0') != absl::string_view::npos) return "must not contain NUL";
  return std::nullopt;
}

std::optional<std::string> FreeTextProblem(absl::string_view text, int max_chars) {
  if (auto problem = TextProblem(text)) return problem;
  int chars = 0;
  for (size_t i = 0; i < text.size();) {
    const uint32_t cp = NextCodePoint(text, &i);
    ++chars;
    if (cp == '\t' || cp == '\r' || cp == '\n') continue;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      return "must not contain control characters";
    }
    if (IsBidiControl(cp)) return "must not contain bidirectional override characters";
  }
  if (chars > max_chars) return absl::StrCat("at most ", max_chars, " characters");
  return std::nullopt;
}

std::optional<std::string> NameProblem(absl::string_view name, int max_chars) {
  if (absl::StripAsciiWhitespace(name).empty()) return "required (not blank)";
  int chars = 0;
  for (size_t i = 0; i < name.size();) {
    const uint32_t cp = NextCodePoint(name, &i);
    ++chars;
    if (cp == 0) return "must not contain NUL";
    if (cp == '\r' || cp == '\n') return "must be one line (no CR or LF)";
    if (cp == '\t') return "must not contain a tab";
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      return "must not contain control characters";
    }
    if (IsBidiControl(cp)) return "must not contain bidirectional override characters";
  }
  if (chars > max_chars) return absl::StrCat("at most ", max_chars, " characters");
  return std::nullopt;
}

std::optional<std::string> DateOfBirthProblem(absl::CivilDay dob, absl::CivilDay today) {
  if (dob > today) return "must not be in the future";
  return std::nullopt;
}

}  // namespace cms::domain
