// The commands cmsctl knows: name, operands, flags and a one-line summary
// for each, as data for the parser (cli_args.h) and the usage text. What a
// command does lives in cmsctl_main.cc, keyed by CommandSpec::name.
//
// Thread-safety: the table is built once (thread-safe static init) and never
// changed; all functions are thread-safe.
#pragma once

#include <string>
#include <vector>

#include "clients/cpp/cli_args.h"

namespace cms::cmsctl {

const std::vector<CommandSpec>& CmsctlCommands();

// Usage(CmsctlCommands()) plus the accepted enum values.
std::string CmsctlUsage();

}  // namespace cms::cmsctl
