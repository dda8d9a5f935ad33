// The commands cmsctl knows, each registered once: name, operands, flags and
// a one-line summary for the parser (cli_args.h) and the usage text, with
// the handler that runs it (CommandSpec::run). Adding a command is one entry
// in Build() (command_table.cc) and its handler beside the others.
//
// Thread-safety: the table is built once (thread-safe static init) and never
// changed; the functions here are thread-safe. Handlers are single-threaded
// (session.h).
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "clients/cpp/cli_args.h"
#include "clients/cpp/session.h"

namespace cms::cmsctl {

const std::vector<CommandSpec>& CmsctlCommands();

// Usage(CmsctlCommands()) plus the accepted enum values.
std::string CmsctlUsage();

// A usage error: exit 2, the message, then the usage text.
Outcome UsageFailure(absl::string_view message);

}  // namespace cms::cmsctl
