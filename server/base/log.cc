#include "server/base/log.h"

#include <atomic>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace cms {
namespace {

std::atomic<LogSink*> g_sink{nullptr};

constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[i] (2-4), or 0 when the
// bytes there are not one (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF).
size_t ValidSequenceLength(absl::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;  // a stray continuation byte, 0xC0/0xC1 or 0xF5..0xFF
}

}  // namespace

std::string JsonEscape(absl::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            absl::StrAppendFormat(&out, "\\u%04x", c);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    const size_t n = ValidSequenceLength(s, i);
    if (n == 0) {
      out.append(kReplacement.data(), kReplacement.size());
      ++i;
      continue;
    }
    // U+2028 / U+2029 end a line in JavaScript, so some log readers split there.
    if (n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
      absl::StrAppendFormat(&out, "\\u%04x", 0x2000 + static_cast<unsigned char>(s[i + 2]) - 0x80);
    } else {
      out.append(s.data() + i, n);
    }
    i += n;
  }
  return out;
}

LogLine::LogLine() : LogLine(absl::Now()) {}

LogLine::LogLine(absl::Time ts) {
  absl::StrAppend(&text_, "{\"ts\":\"",
                  absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", ts, absl::UTCTimeZone()), "\"");
}

void LogLine::Key(absl::string_view key) { absl::StrAppend(&text_, ",\"", JsonEscape(key), "\":"); }

LogLine& LogLine::Str(absl::string_view key, absl::string_view value) {
  Key(key);
  absl::StrAppend(&text_, "\"", JsonEscape(value), "\"");
  return *this;
}

LogLine& LogLine::Int(absl::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&text_, value);
  return *this;
}

LogLine& LogLine::Double(absl::string_view key, double value) {
  Key(key);
  if (std::isfinite(value)) {
    absl::StrAppendFormat(&text_, "%.3f", value);
  } else {
    text_ += "null";
  }
  return *this;
}

LogLine& LogLine::Bool(absl::string_view key, bool value) {
  Key(key);
  text_ += value ? "true" : "false";
  return *this;
}

std::string LogLine::Text() const { return absl::StrCat(text_, "}\n"); }

void LogLine::Write() const {
  const std::string line = Text();
  if (LogSink* sink = g_sink.load(std::memory_order_acquire)) {
    sink->Write(line);
    return;
  }
  // One write per line: stdio locks the stream for the call, so lines from
  // concurrent threads never interleave.
  std::fputs(line.c_str(), stderr);
}

LogSink* SetLogSinkForTest(LogSink* sink) { return g_sink.exchange(sink); }

}  // namespace cms
