#include "clients/cpp/cli_args.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace cms::cmsctl {
namespace {

constexpr absl::string_view kRequestIdFlag = "request-id";

const FlagSpec kRequestId{.name = std::string(kRequestIdFlag), .value_name = "ID"};

absl::Status UsageError(absl::string_view message) { return absl::InvalidArgumentError(message); }

std::vector<std::string> Words(absl::string_view name) {
  return absl::StrSplit(name, ' ', absl::SkipEmpty());
}

const FlagSpec* FindFlag(const CommandSpec& command, absl::string_view name) {
  for (const FlagSpec& f : command.flags) {
    if (f.name == name) return &f;
  }
  if (command.mutating && name == kRequestIdFlag) return &kRequestId;
  return nullptr;
}

struct RawFlag {
  std::string value;
  bool parsed_as_boolean = false;
};

}  // namespace

std::string Invocation::Flag(absl::string_view flag) const {
  auto it = flags.find(flag);
  return it == flags.end() ? "" : it->second;
}

bool Invocation::BoolFlag(absl::string_view flag) const { return Flag(flag) == "true"; }

std::string Invocation::Operand(absl::string_view name) const {
  auto it = operands.find(name);
  return it == operands.end() ? "" : it->second;
}

absl::StatusOr<Invocation> ParseCommandLine(absl::Span<const std::string> args,
                                            absl::Span<const CommandSpec> commands) {
  // Which flags take no value must be known before the command is: a
  // name is boolean in every command or in none.
  absl::flat_hash_set<std::string> boolean_flags = {"help"};
  for (const CommandSpec& c : commands) {
    for (const FlagSpec& f : c.flags) {
      if (f.value_name.empty()) boolean_flags.insert(f.name);
    }
  }

  std::vector<std::string> positionals;
  absl::flat_hash_map<std::string, RawFlag> raw;
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_done || arg.size() < 2 || arg[0] != '-') {
      positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    const bool long_form = absl::StartsWith(arg, "--");
    absl::string_view body = absl::string_view(arg).substr(long_form ? 2 : 1);
    std::optional<std::string> value;
    if (const size_t eq = body.find('='); eq != absl::string_view::npos) {
      value = std::string(body.substr(eq + 1));
      body = body.substr(0, eq);
    }
    std::string name(body);
    std::replace(name.begin(), name.end(), '_', '-');
    if (!long_form) {
      if (name == "o") {
        name = "output";
      } else if (name == "h") {
        name = "help";
      } else {
        return UsageError(absl::StrCat("unknown flag ", arg, " (flags are written --name)"));
      }
    }
    if (name.empty()) return UsageError(absl::StrCat("bad flag ", arg));
    const bool boolean = boolean_flags.contains(name);
    if (boolean) {
      if (!value.has_value()) value = "true";
      *value = absl::AsciiStrToLower(*value);
      if (*value != "true" && *value != "false") {
        return UsageError(
            absl::StrCat("flag --", name, " takes no value or true|false, not \"", *value, "\""));
      }
    } else if (!value.has_value()) {
      if (i + 1 >= args.size()) return UsageError(absl::StrCat("flag --", name, " needs a value"));
      value = args[++i];
    }
    if (raw.contains(name)) return UsageError(absl::StrCat("flag --", name, " given twice"));
    raw[name] = RawFlag{.value = *std::move(value), .parsed_as_boolean = boolean};
  }

  Invocation inv;
  if (auto it = raw.find("help"); it != raw.end()) {
    inv.help = it->second.value == "true";
    raw.erase(it);
  }
  auto take = [&](absl::string_view name) -> std::optional<std::string> {
    auto it = raw.find(name);
    if (it == raw.end()) return std::nullopt;
    std::string v = std::move(it->second.value);
    raw.erase(it);
    return v;
  };
  inv.globals.server = take("server");
  inv.globals.token = take("token");
  inv.globals.user = take("user");
  if (std::optional<std::string> output = take("output")) {
    const std::string lower = absl::AsciiStrToLower(*output);
    if (lower == "json") {
      inv.globals.output = OutputFormat::kJson;
    } else if (lower == "table") {
      inv.globals.output = OutputFormat::kTable;
    } else {
      return UsageError(absl::StrCat("--output must be table or json, not \"", *output, "\""));
    }
  }
  if (inv.help || positionals.empty() || positionals.front() == "help") {
    inv.help = true;
    return inv;
  }

  // The longest command whose words begin the positionals.
  const CommandSpec* best = nullptr;
  size_t best_words = 0;
  for (const CommandSpec& c : commands) {
    const std::vector<std::string> words = Words(c.name);
    if (words.size() > positionals.size() || words.size() <= best_words) continue;
    if (std::equal(words.begin(), words.end(), positionals.begin())) {
      best = &c;
      best_words = words.size();
    }
  }
  if (best == nullptr) {
    std::vector<std::string> subcommands;
    for (const CommandSpec& c : commands) {
      const std::vector<std::string> words = Words(c.name);
      if (words.size() > 1 && words[0] == positionals[0]) {
        subcommands.push_back(absl::StrJoin(words.begin() + 1, words.end(), " "));
      }
    }
    if (positionals.size() == 1 && !subcommands.empty()) {
      return UsageError(absl::StrCat("\"", positionals[0],
                                     "\" needs a subcommand: ", absl::StrJoin(subcommands, ", ")));
    }
    return UsageError(absl::StrCat("unknown command \"", absl::StrJoin(positionals, " "), "\""));
  }
  inv.command = best;

  const size_t given = positionals.size() - best_words;
  if (given < best->operands.size()) {
    return UsageError(absl::StrCat("\"", best->name, "\" needs <", best->operands[given], ">"));
  }
  if (given > best->operands.size()) {
    return UsageError(absl::StrCat("unexpected argument \"",
                                   positionals[best_words + best->operands.size()], "\" for \"",
                                   best->name, "\""));
  }
  for (size_t i = 0; i < best->operands.size(); ++i) {
    inv.operands[best->operands[i]] = positionals[best_words + i];
  }

  // Report flags in a stable order (the order of the command line is lost).
  std::vector<std::string> names;
  for (const auto& [name, flag] : raw) names.push_back(name);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const FlagSpec* spec = FindFlag(*best, name);
    if (spec == nullptr) {
      return UsageError(absl::StrCat("unknown flag --", name, " for \"", best->name, "\""));
    }
    if (!spec->value_name.empty() && raw[name].parsed_as_boolean) {
      return UsageError(absl::StrCat("flag --", name, " needs a value"));
    }
    inv.flags[name] = raw[name].value;
  }
  for (const FlagSpec& f : best->flags) {
    if (f.required && !inv.flags.contains(f.name)) {
      return UsageError(absl::StrCat("\"", best->name, "\" needs --", f.name, " ", f.value_name));
    }
  }
  return inv;
}

std::string Synopsis(const CommandSpec& command) {
  std::string out = command.name;
  for (const std::string& operand : command.operands) absl::StrAppend(&out, " <", operand, ">");
  for (const FlagSpec& f : command.flags) {
    std::string flag = absl::StrCat("--", f.name);
    if (!f.value_name.empty()) absl::StrAppend(&flag, " ", f.value_name);
    absl::StrAppend(&out, " ", f.required ? flag : absl::StrCat("[", flag, "]"));
  }
  return out;
}

std::string Usage(absl::Span<const CommandSpec> commands, absl::string_view footer) {
  std::string out =
      "usage: cmsctl [global flags] <command> [<operand>...] [flags]\n"
      "\n"
      "Commands:\n";
  for (const CommandSpec& c : commands) {
    absl::StrAppend(&out, "  ", Synopsis(c), "\n");
    if (!c.summary.empty()) absl::StrAppend(&out, "      ", c.summary, "\n");
  }
  absl::StrAppend(&out,
                  "  help\n"
                  "      Print this text.\n"
                  "\n"
                  "Global flags (anywhere on the line; --name value or --name=value):\n"
                  "  --server HOST:PORT   server address; else env CMS_SERVER, else .cms/dev.env,\n"
                  "                       else 127.0.0.1:50051\n"
                  "  --token TOKEN        bearer token; else env CMS_TOKEN, else .cms/dev.env\n"
                  "  --user STAFF_ID      staff member the call is made for; else env CMS_USER,\n"
                  "                       else .cms/dev.env\n"
                  "  --output table|json  output format (default table); also -o\n"
                  "                       table: aligned columns or key: value lines, enums\n"
                  "                       by short name (GB, TEAM_LEADER)\n"
                  "                       json: the response as one line of protobuf's\n"
                  "                       canonical JSON, as the audit trail has it: proto\n"
                  "                       field names, enums by full name (COUNTRY_GB), int64\n"
                  "                       as strings, fields at their default left out; a\n"
                  "                       list is one document, every page gathered into one\n"
                  "                       List...Response (next_page_token empty)\n"
                  "  --help               print this text; also -h\n"
                  "\n"
                  ".cms/dev.env (written by `tools/cms up`) is looked for in the current\n"
                  "directory and its parents, or named by env CMS_DEV_FILE.\n"
                  "Commands that change something also take --request-id ID (default: a\n"
                  "random UUID); repeating a request id replays the first result. Commands\n"
                  "with [--etag ETAG] read the current etag first unless it is given; a\n"
                  "script that retries should read the etag itself (e.g. `segments get ID\n"
                  "-o json`) and send the same --etag and --request-id on every attempt.\n"
                  "Exit status: 0 done, 1 the server refused or failed, 2 usage error.\n");
  if (!footer.empty()) absl::StrAppend(&out, footer);
  if (!absl::EndsWith(out, "\n")) out += '\n';
  return out;
}

absl::StatusOr<int64_t> ParseId(absl::string_view what, absl::string_view text) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(text, &id) || id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": \"", text, "\" is not a positive integer id"));
  }
  return id;
}

absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(absl::string_view text, absl::Time now) {
  absl::Time t;
  if (absl::AsciiStrToLower(text) == "now") {
    t = now;
  } else {
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", text, "\" is not an RFC 3339 time such as 2025-01-02T03:04:05Z (", error, ")"));
    }
  }
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a finite time"));
  }
  google::protobuf::Timestamp ts;
  const int64_t seconds = absl::ToUnixSeconds(t);  // rounds toward the past
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return ts;
}

}  // namespace cms::cmsctl
