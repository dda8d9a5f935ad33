// The one logger (X13.1: refused calls are traced; the trace must survive a
// hostile staff id): every line is one valid JSON object whatever bytes the
// values hold, and EchoInput bounds what an error message repeats.
#include "server/base/log.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/base/errors.h"

namespace cms {
namespace {

// Parses `line` as one JSON object (protobuf's strict JSON parser).
::testing::AssertionResult ParsesAsJson(const std::string& line,
                                        google::protobuf::Struct* out = nullptr) {
  if (line.empty() || line.back() != '\n') {
    return ::testing::AssertionFailure() << "no trailing newline: " << line;
  }
  if (line.find('\n') != line.size() - 1) {
    return ::testing::AssertionFailure() << "a newline inside the line: " << line;
  }
  google::protobuf::Struct parsed;
  auto status =
      google::protobuf::util::JsonStringToMessage(line.substr(0, line.size() - 1), &parsed);
  if (!status.ok()) {
    return ::testing::AssertionFailure() << status.ToString() << " in: " << line;
  }
  if (out != nullptr) *out = parsed;
  return ::testing::AssertionSuccess();
}

std::string AllBytes() {
  std::string s;
  for (int c = 0; c < 256; ++c) s.push_back(static_cast<char>(c));
  return s;
}

TEST(LogTest, HostileValuesStillMakeOneValidJsonLine) {
  // X13.1: every byte, control characters, quotes and invalid UTF-8.
  const std::vector<std::string> hostile = {
      AllBytes(),
      std::string("a\0b", 3),
      "\"},\"code\":\"OK\",\"x\":\"",  // an attempt to forge a field
      "line\nbreak\r\n\t",
      "\\",
      "\xC0\xAF",                                   // overlong '/'
      "\xED\xA0\x80",                               // a UTF-16 surrogate
      "\xF4\x90\x80\x80",                           // beyond U+10FFFF
      "\xE2\x82",                                   // truncated sequence
      "\xE2\x80\xA8\xE2\x80\xA9",                   // JavaScript line terminators
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",  // valid UTF-8 stays
  };
  for (const std::string& value : hostile) {
    SCOPED_TRACE(::testing::PrintToString(value));
    const std::string line =
        LogLine().Str("rpc", "cms.v1.X/Y").Str(value, value).Int("n", -3).Double("ms", 1.5).Text();
    google::protobuf::Struct parsed;
    ASSERT_TRUE(ParsesAsJson(line, &parsed));
    EXPECT_EQ(parsed.fields().at("rpc").string_value(), "cms.v1.X/Y");
    EXPECT_EQ(parsed.fields().at("n").number_value(), -3);
    EXPECT_EQ(parsed.fields().size(), 5u) << "a field was forged or lost: " << line;
  }
  // Valid UTF-8 and ASCII round-trip exactly.
  const std::string valid = "caf\xC3\xA9 \"q\" \\ \x01 \xF0\x9F\x98\x80";
  google::protobuf::Struct parsed;
  ASSERT_TRUE(ParsesAsJson(LogLine().Str("v", valid).Text(), &parsed));
  EXPECT_EQ(parsed.fields().at("v").string_value(), valid);
}

TEST(LogTest, JsonEscapeReplacesInvalidUtf8AndEscapesControls) {
  EXPECT_EQ(JsonEscape("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(JsonEscape(std::string("\0\x1f\x7f", 3)), "\\u0000\\u001f\\u007f");
  EXPECT_EQ(JsonEscape("\n\t"), "\\n\\t");
  EXPECT_EQ(JsonEscape("\xFF"), "\xEF\xBF\xBD");
  EXPECT_EQ(JsonEscape("\xC3"), "\xEF\xBF\xBD");  // truncated at the end
  EXPECT_EQ(JsonEscape("\xE2\x80\xA8"), "\\u2028");
  EXPECT_EQ(JsonEscape("\xC3\xA9"), "\xC3\xA9");
}

TEST(LogTest, NonFiniteNumbersAreNull) {
  google::protobuf::Struct parsed;
  ASSERT_TRUE(ParsesAsJson(LogLine().Double("x", 0.0 / 0.0).Text(), &parsed));
  EXPECT_EQ(parsed.fields().at("x").kind_case(), google::protobuf::Value::kNullValue);
}

class CapturingSink : public LogSink {
 public:
  void Write(absl::string_view line) override {
    absl::MutexLock lock(&mu_);
    lines_.emplace_back(line);
  }
  std::vector<std::string> lines() {
    absl::MutexLock lock(&mu_);
    return lines_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> lines_;
};

TEST(LogTest, ConcurrentWritersEachWriteWholeLines) {
  // One Write per line: 8 threads x 200 lines arrive whole.
  CapturingSink sink;
  LogSink* previous = SetLogSinkForTest(&sink);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) LogLine().Int("thread", t).Int("i", i).Write();
    });
  }
  for (auto& th : threads) th.join();
  SetLogSinkForTest(previous);
  const auto lines = sink.lines();
  ASSERT_EQ(lines.size(), 1600u);
  for (const auto& line : lines) ASSERT_TRUE(ParsesAsJson(line));
}

TEST(EchoInputTest, BoundedPrintableWithEllipsis) {
  // X13.1: a 10 KB staff id is echoed as a short, printable prefix.
  const std::string big(10 * 1024, 'a');
  const std::string echoed = EchoInput(big);
  EXPECT_LE(echoed.size(), kMaxEchoChars + 3);
  EXPECT_EQ(echoed.substr(echoed.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(EchoInput("svc.manager"), "svc.manager");
  EXPECT_EQ(EchoInput("a\nb\xFF"), "a\\x0ab\\xff");
  EXPECT_EQ(EchoInput("abcdef", 4), "abcd\xE2\x80\xA6");
}

}  // namespace
}  // namespace cms
