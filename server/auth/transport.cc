#include "server/auth/transport.h"

#include <arpa/inet.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/base/errors.h"

namespace cms::auth {
namespace {

// The host of "host:port" or "[host]:port"; a bare host is kept as is.
std::string HostOf(absl::string_view address) {
  if (absl::ConsumePrefix(&address, "[")) {
    const size_t close = address.find(']');
    return std::string(close == absl::string_view::npos ? address : address.substr(0, close));
  }
  const size_t first = address.find(':');
  // More than one colon and no brackets: a bare IPv6 address, no port.
  if (first != absl::string_view::npos && address.find(':', first + 1) != absl::string_view::npos) {
    return std::string(address);
  }
  return std::string(first == absl::string_view::npos ? address : address.substr(0, first));
}

}  // namespace

bool IsLoopbackListen(absl::string_view listen) {
  if (absl::StartsWith(listen, "unix:") || absl::StartsWith(listen, "unix-abstract:")) return true;
  absl::ConsumePrefix(&listen, "dns:");
  absl::ConsumePrefix(&listen, "ipv4:");
  absl::ConsumePrefix(&listen, "ipv6:");
  const std::string host = absl::AsciiStrToLower(HostOf(listen));
  if (host == "localhost") return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;  // 127.0.0.0/8
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

absl::Status CheckListenSecurity(absl::string_view listen, bool tls, bool allow_insecure) {
  if (tls || allow_insecure || IsLoopbackListen(listen)) return absl::OkStatus();
  return WithRule(
      absl::FailedPreconditionError(absl::StrCat(
          "refusing to serve plaintext on ", listen,
          ", which is not a loopback address: give --tls_cert_file and --tls_key_file, or "
          "--allow_insecure_listen if something in front of the server (a mesh sidecar on the "
          "same host) encrypts")),
      "X13.1");
}

}  // namespace cms::auth
