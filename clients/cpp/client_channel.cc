#include "clients/cpp/client_channel.h"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace cms::client {
namespace {

std::optional<std::string> ProcessEnv(absl::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// Override, then non-empty env, then dev file; nullopt when none has it.
std::optional<std::string> Pick(const std::optional<std::string>& override_value,
                                const EnvLookup& env, absl::string_view key,
                                const absl::flat_hash_map<std::string, std::string>& dev_file) {
  if (override_value.has_value()) return override_value;
  if (std::optional<std::string> v = env(key); v.has_value() && !v->empty()) return v;
  if (auto it = dev_file.find(key); it != dev_file.end() && !it->second.empty()) {
    return it->second;
  }
  return std::nullopt;
}

absl::StatusOr<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::flat_hash_map<std::string, std::string> ParseDevEnv(absl::string_view text) {
  absl::flat_hash_map<std::string, std::string> values;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    if (absl::StartsWith(line, "export ")) line = absl::StripLeadingAsciiWhitespace(line.substr(7));
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) continue;
    absl::string_view key = absl::StripAsciiWhitespace(line.substr(0, eq));
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(eq + 1));
    if (key.empty()) continue;
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values[std::string(key)] = std::string(value);
  }
  return values;
}

std::optional<std::filesystem::path> FindDevFile(const std::filesystem::path& start) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(start, ec);
  if (ec) return std::nullopt;
  while (true) {
    std::filesystem::path candidate = dir / std::string(kDevFileRelativePath);
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

Settings ResolveSettings(const SettingsOverrides& overrides, const EnvLookup& env,
                         const absl::flat_hash_map<std::string, std::string>& dev_file) {
  Settings settings;
  if (auto v = Pick(overrides.server, env, "CMS_SERVER", dev_file)) settings.server = *v;
  if (auto v = Pick(overrides.token, env, "CMS_TOKEN", dev_file)) settings.token = *v;
  if (auto v = Pick(overrides.user, env, "CMS_USER", dev_file)) settings.user = *v;
  const std::optional<std::string> none;
  if (auto v = Pick(none, env, "CMS_TLS_CA_FILE", dev_file)) settings.tls_ca_file = *v;
  if (auto v = Pick(none, env, "CMS_TLS_CERT_FILE", dev_file)) settings.tls_cert_file = *v;
  if (auto v = Pick(none, env, "CMS_TLS_KEY_FILE", dev_file)) settings.tls_key_file = *v;
  if (auto v = Pick(none, env, "CMS_IDENTITY", dev_file)) settings.identity = *v;
  return settings;
}

namespace {

// The TLS files must be readable, and a client certificate comes with its key.
absl::Status CheckTlsFiles(const Settings& settings) {
  if (settings.tls_cert_file.empty() != settings.tls_key_file.empty()) {
    return absl::FailedPreconditionError(
        "give both CMS_TLS_CERT_FILE and CMS_TLS_KEY_FILE (a client certificate), or neither");
  }
  if (!settings.tls_cert_file.empty() && settings.tls_ca_file.empty()) {
    return absl::FailedPreconditionError("a client certificate needs CMS_TLS_CA_FILE (TLS)");
  }
  for (const std::string* path :
       {&settings.tls_ca_file, &settings.tls_cert_file, &settings.tls_key_file}) {
    if (path->empty()) continue;
    if (absl::StatusOr<std::string> text = ReadFile(*path); !text.ok()) {
      return absl::FailedPreconditionError(absl::StrCat("TLS: ", text.status().message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Settings> LoadSettings(const SettingsOverrides& overrides) {
  const EnvLookup env = ProcessEnv;
  const absl::flat_hash_map<std::string, std::string> no_file;
  Settings settings = ResolveSettings(overrides, env, no_file);
  const bool complete = (overrides.server.has_value() || env("CMS_SERVER").value_or("") != "") &&
                        !settings.token.empty() && !settings.user.empty();
  if (complete) {
    if (absl::Status tls = CheckTlsFiles(settings); !tls.ok()) return tls;
    return settings;
  }

  std::optional<std::filesystem::path> dev_file;
  const std::optional<std::string> named = env("CMS_DEV_FILE");
  if (named.has_value() && !named->empty()) {
    dev_file = std::filesystem::path(*named);
  } else {
    std::error_code ec;
    std::filesystem::path cwd = std::filesystem::current_path(ec);
    if (!ec) dev_file = FindDevFile(cwd);
  }
  if (!dev_file.has_value()) {
    if (absl::Status tls = CheckTlsFiles(settings); !tls.ok()) return tls;
    return settings;
  }
  absl::StatusOr<std::string> text = ReadFile(*dev_file);
  if (!text.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("developer file: ", text.status().message(),
                     named.has_value() && !named->empty() ? " (named by CMS_DEV_FILE)" : ""));
  }
  Settings resolved = ResolveSettings(overrides, env, ParseDevEnv(*text));
  if (absl::Status tls = CheckTlsFiles(resolved); !tls.ok()) return tls;
  return resolved;
}

std::shared_ptr<grpc::Channel> MakeChannel(const Settings& settings) {
  grpc::ChannelArguments args;
  args.SetUserAgentPrefix("cms-cpp-client");
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!settings.tls_ca_file.empty()) {
    // Unreadable files were refused by LoadSettings; an empty PEM here fails
    // the handshake rather than falling back to plain text.
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = ReadFile(settings.tls_ca_file).value_or("");
    if (!settings.tls_cert_file.empty()) {
      tls.pem_cert_chain = ReadFile(settings.tls_cert_file).value_or("");
      tls.pem_private_key = ReadFile(settings.tls_key_file).value_or("");
    }
    credentials = grpc::SslCredentials(tls);
  }
  return grpc::CreateCustomChannel(settings.server, credentials, args);
}

std::unique_ptr<grpc::ClientContext> NewContext(const Settings& settings) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!settings.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", settings.token));
  }
  if (!settings.user.empty()) context->AddMetadata("x-cms-user", settings.user);
  if (!settings.identity.empty()) context->AddMetadata("x-cms-identity", settings.identity);
  context->set_deadline(absl::ToChronoTime(absl::Now() + settings.timeout));
  return context;
}

std::string NewRequestId() {
  // random_device is the OS entropy source here; a request id must not
  // collide across processes started in the same instant, which a
  // time-seeded generator could.
  std::random_device device;
  std::uniform_int_distribution<uint32_t> word;
  uint32_t w[4];
  for (uint32_t& x : w) x = word(device);
  w[1] = (w[1] & 0xFFFF0FFFu) | 0x00004000u;  // version 4
  w[2] = (w[2] & 0x3FFFFFFFu) | 0x80000000u;  // RFC 4122 variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%04x%08x", w[0], w[1] >> 16, w[1] & 0xFFFFu,
                         w[2] >> 16, w[2] & 0xFFFFu, w[3]);
}

std::optional<cms::v1::ErrorInfo> ErrorInfoOf(const grpc::Status& status) {
  if (status.ok() || status.error_details().empty()) return std::nullopt;
  google::rpc::Status rpc_status;
  if (!rpc_status.ParseFromString(status.error_details())) return std::nullopt;
  // The server sends cms.v1.ErrorInfo beside the AIP-193 google.rpc details;
  // a server (or proxy) that sent only the google.rpc ones is read from
  // those, so no detail is lost either way.
  std::optional<cms::v1::ErrorInfo> from_google;
  for (const google::protobuf::Any& detail : rpc_status.details()) {
    cms::v1::ErrorInfo info;
    if (detail.Is<cms::v1::ErrorInfo>() && detail.UnpackTo(&info)) return info;
    if (google::rpc::ErrorInfo g; detail.Is<google::rpc::ErrorInfo>() && detail.UnpackTo(&g)) {
      if (!from_google) from_google.emplace();
      from_google->set_reason(g.reason());
      if (auto rule = g.metadata().find("rule_id"); rule != g.metadata().end()) {
        from_google->set_rule_id(rule->second);
      }
    }
    if (google::rpc::BadRequest b; detail.Is<google::rpc::BadRequest>() && detail.UnpackTo(&b)) {
      if (!from_google) from_google.emplace();
      for (const auto& v : b.field_violations()) {
        auto* out = from_google->add_field_violations();
        out->set_field(v.field());
        out->set_description(v.description());
      }
    }
  }
  return from_google;
}

std::string StatusCodeName(grpc::StatusCode code) {
  // grpc::StatusCode and absl::StatusCode share the canonical numbering.
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  if (name.empty()) return absl::StrCat("CODE_", static_cast<int>(code));
  return name;
}

std::string FormatRpcError(const grpc::Status& status) {
  std::string out =
      absl::StrCat("error: ", StatusCodeName(status.error_code()), ": ", status.error_message());
  if (std::optional<cms::v1::ErrorInfo> info = ErrorInfoOf(status)) {
    if (!info->rule_id().empty()) absl::StrAppend(&out, "\n  rule: ", info->rule_id());
    if (!info->reason().empty()) absl::StrAppend(&out, "\n  reason: ", info->reason());
    for (const cms::v1::FieldViolation& v : info->field_violations()) {
      absl::StrAppend(&out, "\n  field ", v.field(), ": ", v.description());
    }
  }
  return out;
}

}  // namespace cms::client
