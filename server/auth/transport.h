// Transport policy (X13.1): a server reachable from other machines must
// encrypt. The decision is a pure function of the listen address and the
// flags, so it can be tested without binding anything.
// Pure and thread-safe.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cms::auth {

// True when `listen` ("host:port", "[v6]:port", "ipv4:...", "ipv6:...",
// "unix:path") can be reached only from this machine: 127.0.0.0/8, ::1,
// "localhost", or a unix socket. A wildcard (0.0.0.0, [::], empty host),
// any other address and any other name are not loopback.
bool IsLoopbackListen(absl::string_view listen);

// OK when `listen` is loopback, TLS is configured, or the operator said
// --allow_insecure_listen; else FAILED_PRECONDITION (rule X13.1) naming the
// address and both ways out.
absl::Status CheckListenSecurity(absl::string_view listen, bool tls, bool allow_insecure);

}  // namespace cms::auth
