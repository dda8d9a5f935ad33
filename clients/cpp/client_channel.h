// The C++ client library over the generated cms.v1 stubs: where the server
// is and who is calling (Settings, resolved from flags, then the environment,
// then the developer file `.cms/dev.env` written by `tools/cms up`), a
// channel to it, per-call contexts carrying the caller's credentials and a
// deadline, and decoding of the cms.v1.ErrorInfo the server attaches to every
// failed call (X13.5).
//
// Thread-safety: every function is thread-safe except LoadSettings, which
// reads the process environment and current directory (do not call it while
// another thread changes either). A Settings value is immutable once made
// and may be shared; a grpc::ClientContext must not be shared between calls.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cms/v1/common.pb.h"
#include "grpcpp/grpcpp.h"

namespace cms::client {

inline constexpr absl::string_view kDefaultServer = "127.0.0.1:50051";
// Relative to a directory on the walk up from the current directory.
inline constexpr absl::string_view kDevFileRelativePath = ".cms/dev.env";

// Where to call and on whose behalf.
struct Settings {
  std::string server = std::string(kDefaultServer);  // host:port
  std::string token;                                 // sent as `authorization: Bearer <token>`
  std::string user;                                  // staff id, sent as `x-cms-user`
  absl::Duration timeout = absl::Seconds(30);        // per-call deadline
  // X13.1. TLS when tls_ca_file (PEM CA the server's certificate must chain
  // to) is set, else plain text; with tls_cert_file and tls_key_file the
  // client also presents its certificate (mTLS). Env CMS_TLS_CA_FILE,
  // CMS_TLS_CERT_FILE, CMS_TLS_KEY_FILE.
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  // The staff member's identity token (JWT) from the identity provider, sent
  // as `x-cms-identity`; env CMS_IDENTITY. Needed unless the client is
  // trusted to name its user with `x-cms-user`.
  std::string identity;
};

// Values given explicitly (e.g. on the command line); unset ones fall back to
// the environment, then the developer file, then the defaults.
struct SettingsOverrides {
  std::optional<std::string> server;
  std::optional<std::string> token;
  std::optional<std::string> user;
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(absl::string_view name)>;

// Parses KEY=VALUE lines. Blank lines and lines starting with '#' are
// skipped, an optional leading "export " is dropped, whitespace around keys
// and values is trimmed and one pair of matching quotes around a value is
// removed. Lines without '=' are ignored.
absl::flat_hash_map<std::string, std::string> ParseDevEnv(absl::string_view text);

// The first `<dir>/.cms/dev.env` that exists, for dir = `start` and each of
// its ancestors; nullopt when none does.
std::optional<std::filesystem::path> FindDevFile(const std::filesystem::path& start);

// Pure precedence rule, per field: override, then env (CMS_SERVER,
// CMS_TOKEN, CMS_USER, and the TLS and identity fields above; empty counts as
// unset), then `dev_file`, then the default. The testable core of
// LoadSettings.
Settings ResolveSettings(const SettingsOverrides& overrides, const EnvLookup& env,
                         const absl::flat_hash_map<std::string, std::string>& dev_file);

// ResolveSettings with the process environment and the developer file named
// by env CMS_DEV_FILE, else found by FindDevFile(current directory). The
// file is read only when some field is still unset after overrides and env.
// Fails only when CMS_DEV_FILE names a file that cannot be read. Token and
// user may come back empty: the caller decides whether that is an error.
// FAILED_PRECONDITION when a TLS file is named but unreadable, or only one of
// the client certificate and key is.
absl::StatusOr<Settings> LoadSettings(const SettingsOverrides& overrides);

// A channel to `settings.server` (user agent "cms-cpp-client"): TLS when
// settings.tls_ca_file is set, else plain text.
std::shared_ptr<grpc::Channel> MakeChannel(const Settings& settings);

// A fresh context for one call: `authorization: Bearer <token>`,
// `x-cms-user: <user>` and `x-cms-identity: <identity>` (each only when
// set) and a deadline of now + settings.timeout.
// (grpc::ClientContext can be neither copied nor moved, hence the pointer.)
std::unique_ptr<grpc::ClientContext> NewContext(const Settings& settings);

// A random (version 4) UUID, e.g. for a command's request_id (X13.4).
std::string NewRequestId();

// The cms.v1.ErrorInfo carried by a failed call: `error_details()` decoded as
// google.rpc.Status (AIP-193), the detail that unpacks as cms.v1.ErrorInfo;
// failing that, one assembled from google.rpc.ErrorInfo (reason,
// metadata["rule_id"]) and google.rpc.BadRequest (field violations). nullopt
// for OK, for statuses without details (e.g. made by the gRPC library
// itself: UNAVAILABLE, DEADLINE_EXCEEDED) and for undecodable payloads.
std::optional<cms::v1::ErrorInfo> ErrorInfoOf(const grpc::Status& status);

// "OK", "NOT_FOUND", "FAILED_PRECONDITION", ...
std::string StatusCodeName(grpc::StatusCode code);

// A human-readable report of a failed call, one fact a line, no trailing
// newline:
//   error: <CODE>: <message>
//     rule: <rule_id>            (when set)
//     reason: <reason>           (when set)
//     field <field>: <description>   (one per field violation)
std::string FormatRpcError(const grpc::Status& status);

}  // namespace cms::client
