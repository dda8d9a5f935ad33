#include "server/store/db_addresses.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cms::store {
namespace {

absl::Status BadHost(absl::string_view entry, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("database address \"", entry, "\": ", why, " (expected host:port)"));
}

// One "host:port" entry, checked; the host without IPv6 brackets.
absl::Status ParseEntry(absl::string_view entry, std::string* host, int* port) {
  absl::string_view rest = entry;
  absl::string_view h;
  if (absl::ConsumePrefix(&rest, "[")) {
    const std::size_t close = rest.find(']');
    if (close == absl::string_view::npos) return BadHost(entry, "no closing ]");
    h = rest.substr(0, close);
    rest.remove_prefix(close + 1);
    if (!absl::ConsumePrefix(&rest, ":")) return BadHost(entry, "no port");
  } else {
    const std::size_t colon = rest.rfind(':');
    if (colon == absl::string_view::npos) return BadHost(entry, "no port");
    h = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
    if (h.find(':') != absl::string_view::npos) {
      return BadHost(entry, "an IPv6 host goes in brackets, [::1]:3306");
    }
  }
  if (h.empty()) return BadHost(entry, "no host");
  for (char c : h) {
    // The host goes into a space-separated key=value connect string.
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '=' || c == '\'' || c == '"') {
      return BadHost(entry, "the host has a character a connect string cannot carry");
    }
  }
  if (!absl::SimpleAtoi(rest, port) || *port < 1 || *port > 65535) {
    return BadHost(entry, "the port is not a number from 1 to 65535");
  }
  *host = std::string(h);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseDbHosts(absl::string_view list) {
  std::vector<std::string> out;
  for (absl::string_view entry : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::string host;
    int port = 0;
    if (absl::Status s = ParseEntry(entry, &host, &port); !s.ok()) return s;
    out.emplace_back(entry);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ConnectStrings(const std::string& uri,
                                                        const std::vector<std::string>& hosts) {
  if (hosts.empty()) return std::vector<std::string>{uri};
  std::string rest;
  for (absl::string_view part : absl::StrSplit(uri, ' ', absl::SkipEmpty())) {
    if (absl::StartsWith(part, "unix_socket=")) {
      return absl::InvalidArgumentError(
          "a connect string with unix_socket= cannot also take database hosts");
    }
    if (absl::StartsWith(part, "host=") || absl::StartsWith(part, "port=")) continue;
    absl::StrAppend(&rest, rest.empty() ? "" : " ", part);
  }
  std::vector<std::string> out;
  for (const std::string& entry : hosts) {
    std::string host;
    int port = 0;
    if (absl::Status s = ParseEntry(entry, &host, &port); !s.ok()) return s;
    out.push_back(absl::StrCat(rest, rest.empty() ? "" : " ", "host=", host, " port=", port));
  }
  return out;
}

std::vector<std::size_t> TryOrder(std::size_t count, std::size_t last_primary) {
  std::vector<std::size_t> order;
  order.reserve(count);
  if (last_primary < count) order.push_back(last_primary);
  for (std::size_t i = 0; i < count; ++i) {
    if (i != last_primary) order.push_back(i);
  }
  return order;
}

}  // namespace cms::store
