// The server's one logger: every log line is a JSON object on one line of
// stderr (JSON lines), built with LogLine and written with a single fputs, so
// lines from concurrent threads never interleave. Every string value goes
// through the one escaper, JsonEscape, which turns any bytes (control
// characters, quotes, invalid UTF-8) into valid JSON, so a hostile staff id
// or message can neither break a line nor forge a field.
//
// Thread-safety: LogLine is a value owned by one thread; Write, JsonEscape and
// SetLogSinkForTest are thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cms {

// The body of a JSON string (without the quotes) holding `s`: `"` and `\`
// escaped, control characters (< 0x20, and 0x7f) as \u00XX, valid UTF-8 kept
// as is, and each byte of an invalid UTF-8 sequence (overlong forms,
// surrogates, beyond U+10FFFF, truncated) replaced by U+FFFD. U+2028/U+2029
// are escaped too, so a line is also a valid JavaScript literal.
std::string JsonEscape(absl::string_view s);

// One log line: {"ts":"<RFC 3339 UTC, ms>", then fields in the order added}.
//   LogLine().Str("rpc", name).Int("count", n).Write();
class LogLine {
 public:
  LogLine();
  explicit LogLine(absl::Time ts);

  LogLine& Str(absl::string_view key, absl::string_view value);
  LogLine& Int(absl::string_view key, int64_t value);
  // Non-finite values are written as null (JSON has no NaN).
  LogLine& Double(absl::string_view key, double value);
  LogLine& Bool(absl::string_view key, bool value);

  // The finished line, with its trailing newline.
  std::string Text() const;
  // Writes the line to the sink (stderr unless a test replaced it).
  void Write() const;

 private:
  void Key(absl::string_view key);
  std::string text_;
};

// Where lines go: stderr by default. A test may capture them.
class LogSink {
 public:
  virtual ~LogSink() = default;
  // Called with one whole line (newline included); must be thread-safe.
  virtual void Write(absl::string_view line) = 0;
};

// Replaces the process's sink (nullptr: back to stderr) and returns the
// previous one. For tests; the caller keeps `sink` alive while installed.
LogSink* SetLogSinkForTest(LogSink* sink);

}  // namespace cms
