// cmsctl: the admin CLI over the CMS services. Parsing, the command table
// (each command's spec and handler), the calls and the output formats live
// in cmsctl_lib; this file parses, loads the settings and runs the command.
// Single-threaded.
//
// Exit status: 0 done; 1 the server refused or the call failed (the status
// code, message, rule id and field violations go to stderr; also an
// operation waited for that FAILED or was CANCELLED); 2 usage error; 3
// `orphans check` found some; 4 `--wait --timeout` passed first.

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cpp/cli_args.h"
#include "clients/cpp/client_channel.h"
#include "clients/cpp/command_table.h"
#include "clients/cpp/session.h"

namespace cms::cmsctl {
namespace {

int Main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<Invocation> inv = ParseCommandLine(args, CmsctlCommands());
  if (!inv.ok()) {
    std::fputs(UsageFailure(inv.status().message()).error.c_str(), stderr);
    return kExitUsage;
  }
  if (inv->help) {
    std::fputs(CmsctlUsage().c_str(), stdout);
    return kExitOk;
  }
  absl::StatusOr<client::Settings> settings = client::LoadSettings(client::SettingsOverrides{
      .server = inv->globals.server, .token = inv->globals.token, .user = inv->globals.user});
  if (!settings.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(settings.status().message()).c_str());
    return kExitUsage;
  }
  // X13.1: a client certificate (mTLS) may stand for the token, and an
  // identity token for the user.
  const bool has_client = !settings->token.empty() || !settings->tls_cert_file.empty();
  const bool has_user = !settings->user.empty() || !settings->identity.empty();
  if (!has_client || !has_user) {
    std::fprintf(stderr,
                 "error: no %s: pass %s, set %s, or run `tools/cms up` (it writes .cms/dev.env)\n",
                 !has_client ? "token" : "user", !has_client ? "--token" : "--user",
                 !has_client ? "CMS_TOKEN (or CMS_TLS_CERT_FILE)" : "CMS_USER (or CMS_IDENTITY)");
    return kExitUsage;
  }
  Session session(*std::move(settings), inv->globals.output);
  Outcome outcome = inv->command->run(session, *inv);
  std::fflush(stdout);
  if (outcome.exit_code != kExitOk) std::fputs(outcome.error.c_str(), stderr);
  return outcome.exit_code;
}

}  // namespace
}  // namespace cms::cmsctl

int main(int argc, char** argv) { return cms::cmsctl::Main(argc, argv); }
