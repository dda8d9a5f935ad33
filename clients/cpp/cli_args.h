// Command-line parsing for cmsctl: `cmsctl [global flags] <words...>
// <operands...> [flags]`, driven by a table of CommandSpec so the parser is
// independent of what the commands do (and testable without a server). The
// parser reads a spec's data and never calls its `run`.
//
// Flags may appear anywhere on the line, as `--name value` or `--name=value`
// (boolean flags as `--name`, `--name=true|false`); '_' in a flag name is
// read as '-'; `--` ends flags. Global flags: --server, --token, --user,
// --output table|json (alias -o), --help (alias -h). absl flags are not used
// because they are process-global and know nothing of per-command flags.
//
// Thread-safety: all functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/timestamp.pb.h"

namespace cms::cmsctl {

enum class OutputFormat { kTable, kJson };

struct FlagSpec {
  std::string name = "";        // without "--", e.g. "include-retired"
  std::string value_name = "";  // shown in usage, e.g. "ID"; empty: a boolean flag
  bool required = false;
};

class Session;      // what a command runs against (session.h)
struct Outcome;     // how it ended (session.h)
struct Invocation;  // below

// What a command does, given its parsed command line.
using CommandHandler = Outcome (*)(Session& session, const Invocation& inv);

// One command, registered once (command_table.cc): what the parser and the
// usage text read, and its handler.
struct CommandSpec {
  std::string name = "";                   // the words to type, e.g. "segments create"
  std::vector<std::string> operands = {};  // required positional operands, e.g. {"id"}
  std::vector<FlagSpec> flags = {};
  bool mutating = false;     // also accepts --request-id ID
  std::string summary = "";  // one line for the usage text
  CommandHandler run = nullptr;
};

struct GlobalOptions {
  std::optional<std::string> server;
  std::optional<std::string> token;
  std::optional<std::string> user;
  OutputFormat output = OutputFormat::kTable;
};

// One parsed command line.
struct Invocation {
  bool help = false;                     // usage asked for: no command
  const CommandSpec* command = nullptr;  // set unless `help`
  GlobalOptions globals;
  absl::flat_hash_map<std::string, std::string> operands;  // by operand name
  absl::flat_hash_map<std::string, std::string> flags;     // by flag name; booleans "true"/"false"

  bool Has(absl::string_view flag) const { return flags.contains(flag); }
  // The flag's value; "" when absent.
  std::string Flag(absl::string_view flag) const;
  // True when given as `--flag` or `--flag=true`.
  bool BoolFlag(absl::string_view flag) const;
  // The operand's value; "" when the command has no such operand.
  std::string Operand(absl::string_view name) const;
};

// Parses `args` (argv without the program name) against `commands`.
// Help (no command words, `help`, `--help`/-h) sets `help` and stops there.
// Errors are INVALID_ARGUMENT with a one-line message for the user: unknown
// command or flag, a flag without its value or given twice, a missing
// required flag or operand, an extra operand, a bad --output value.
absl::StatusOr<Invocation> ParseCommandLine(absl::Span<const std::string> args,
                                            absl::Span<const CommandSpec> commands);

// "segments rename <id> [--description TEXT] [--code CODE]"
std::string Synopsis(const CommandSpec& command);

// The usage text: synopsis and summary of every command, the global flags,
// then `footer` (if any). Ends with a newline.
std::string Usage(absl::Span<const CommandSpec> commands, absl::string_view footer = "");

// A positive int64 id, e.g. an operand or --team value; `what` names it in
// the error ("id", "--team").
absl::StatusOr<int64_t> ParseId(absl::string_view what, absl::string_view text);

// RFC 3339 ("2025-01-02T03:04:05Z", "2025-01-02T03:04:05.5+01:00") or "now"
// (which is `now`).
absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(absl::string_view text, absl::Time now);

}  // namespace cms::cmsctl
