// cmsctl's command line (parsing against the command table, each command's
// handler, id and time arguments, usage text) and where the client's
// settings come from (flags, then env, then .cms/dev.env), plus ErrorInfo
// decoding (X13.5).
#include "clients/cpp/cli_args.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_split.h"
#include "clients/cpp/client_channel.h"
#include "clients/cpp/command_table.h"
#include "cms/v1/approval.pb.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/common.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace cms::cmsctl {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<Invocation> Parse(const std::vector<std::string>& args) {
  return ParseCommandLine(args, CmsctlCommands());
}

std::string ErrorOf(const std::vector<std::string>& args) {
  absl::StatusOr<Invocation> inv = Parse(args);
  if (inv.ok()) return "<parsed>";
  EXPECT_EQ(inv.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(inv.status().message());
}

// ---------------------------------------------------------------- commands

TEST(CliArgsTest, ListCommandDefaultsToTableOutput) {
  absl::StatusOr<Invocation> inv = Parse({"segments", "list"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_FALSE(inv->help);
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->name, "segments list");
  EXPECT_EQ(inv->globals.output, OutputFormat::kTable);
  EXPECT_FALSE(inv->BoolFlag("include-retired"));
  EXPECT_FALSE(inv->globals.server.has_value());
}

TEST(CliArgsTest, OutputJsonInEveryForm) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--output=json", "segments", "list"},
                                             {"--output", "json", "segments", "list"},
                                             {"segments", "list", "--output", "JSON"},
                                             {"segments", "-o", "json", "list"},
                                             {"segments", "list", "-o=json"}}) {
    absl::StatusOr<Invocation> inv = Parse(args);
    ASSERT_TRUE(inv.ok()) << inv.status();
    EXPECT_EQ(inv->globals.output, OutputFormat::kJson) << args[0];
    EXPECT_EQ(inv->command->name, "segments list");
  }
  EXPECT_THAT(ErrorOf({"segments", "list", "--output=xml"}),
              HasSubstr("--output must be table or json"));
}

TEST(CliArgsTest, BooleanFlags) {
  absl::StatusOr<Invocation> inv = Parse({"segments", "list", "--include-retired"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->BoolFlag("include-retired"));

  inv = Parse({"segments", "list", "--include_retired=false"});  // '_' reads as '-'
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_FALSE(inv->BoolFlag("include-retired"));
  EXPECT_TRUE(inv->Has("include-retired"));

  EXPECT_THAT(ErrorOf({"segments", "list", "--include-retired=maybe"}),
              HasSubstr("takes no value"));
}

TEST(CliArgsTest, CreateSegmentWithValuedFlags) {
  absl::StatusOr<Invocation> inv =
      Parse({"segments", "create", "--country", "GB", "--service-segment", "OPTIONS",
             "--description", "Options Agents", "--code=Agents"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "segments create");
  EXPECT_EQ(inv->Flag("country"), "GB");
  EXPECT_EQ(inv->Flag("service-segment"), "OPTIONS");
  EXPECT_EQ(inv->Flag("description"), "Options Agents");
  EXPECT_EQ(inv->Flag("code"), "Agents");
  EXPECT_EQ(inv->Flag("request-id"), "");
}

TEST(CliArgsTest, MissingRequiredFlag) {
  EXPECT_EQ(ErrorOf({"segments", "create", "--country", "GB", "--service-segment", "OPTIONS",
                     "--description", "Options Agents"}),
            "\"segments create\" needs --code CODE");
  EXPECT_EQ(ErrorOf({"approvals", "approve", "3"}), "\"approvals approve\" needs --comment TEXT");
}

TEST(CliArgsTest, Operands) {
  absl::StatusOr<Invocation> inv =
      Parse({"segments", "rename", "5", "--description", "D", "--code", "C"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "segments rename");
  EXPECT_EQ(inv->Operand("id"), "5");
  EXPECT_EQ(inv->Operand("nope"), "");

  EXPECT_EQ(ErrorOf({"segments", "rename"}), "\"segments rename\" needs <id>");
  EXPECT_EQ(ErrorOf({"segments", "rename", "5", "6"}),
            "unexpected argument \"6\" for \"segments rename\"");
}

TEST(CliArgsTest, LongestCommandWins) {
  absl::StatusOr<Invocation> inv = Parse({"approvals", "approve", "3", "--comment", "ok"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "approvals approve");
  EXPECT_EQ(inv->Operand("id"), "3");

  inv = Parse({"bom", "as-of", "2025-01-01T00:00:00Z"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "bom as-of");
  EXPECT_EQ(inv->Operand("time"), "2025-01-01T00:00:00Z");
}

TEST(CliArgsTest, UnknownCommandsAndFlags) {
  EXPECT_EQ(ErrorOf({"widgets", "list"}), "unknown command \"widgets list\"");
  EXPECT_EQ(ErrorOf({"segments"}),
            "\"segments\" needs a subcommand: list, get, create, rename, retire, split");
  EXPECT_EQ(ErrorOf({"segments", "list", "--colour", "red"}),
            "unknown flag --colour for \"segments list\"");
  EXPECT_THAT(ErrorOf({"segments", "list", "-x"}), HasSubstr("unknown flag -x"));
  // --request-id belongs to commands that change something.
  EXPECT_EQ(ErrorOf({"segments", "list", "--request-id", "r1"}),
            "unknown flag --request-id for \"segments list\"");
}

TEST(CliArgsTest, RequestIdOnMutatingCommands) {
  absl::StatusOr<Invocation> inv =
      Parse({"people", "deactivate", "cw.gb.new_case.a1", "--request-id", "r-1"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->Flag("request-id"), "r-1");
  EXPECT_EQ(inv->Operand("staff_id"), "cw.gb.new_case.a1");
}

TEST(CliArgsTest, LetterAndInteractionCommands) {
  // L12.1, L12.2
  absl::StatusOr<Invocation> inv = Parse({"letters", "show", "12", "--output", "json"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "letters show");
  EXPECT_EQ(inv->Operand("id"), "12");
  EXPECT_EQ(inv->globals.output, OutputFormat::kJson);

  inv = Parse({"interactions", "list", "--person", "3", "--case", "4"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "interactions list");
  EXPECT_EQ(inv->Flag("person"), "3");
  EXPECT_EQ(inv->Flag("case"), "4");

  EXPECT_EQ(ErrorOf({"letters"}), "\"letters\" needs a subcommand: templates, show");
  EXPECT_EQ(ErrorOf({"letters", "show"}), "\"letters show\" needs <id>");
  EXPECT_EQ(ErrorOf({"letters", "show", "1", "--request-id", "r"}),
            "unknown flag --request-id for \"letters show\"");
}

TEST(CliArgsTest, PaymentCommands) {
  // M7.5, M7.6
  absl::StatusOr<Invocation> inv = Parse({"payments", "schedule", "41", "-o", "json"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "payments schedule");
  EXPECT_EQ(inv->Operand("case_id"), "41");
  EXPECT_EQ(inv->globals.output, OutputFormat::kJson);

  inv = Parse({"payments", "statement", "41"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "payments statement");

  inv = Parse({"payments", "arrears", "--casegroup", "7"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "payments arrears");
  EXPECT_EQ(inv->Flag("casegroup"), "7");
  EXPECT_FALSE(inv->Has("case"));

  EXPECT_EQ(ErrorOf({"payments"}),
            "\"payments\" needs a subcommand: schedule, statement, arrears, release-schedule");
  EXPECT_EQ(ErrorOf({"payments", "release-schedule", "3"}),
            "\"payments release-schedule\" needs --note TEXT");
  EXPECT_EQ(ErrorOf({"payments", "statement"}), "\"payments statement\" needs <case_id>");
  EXPECT_EQ(ErrorOf({"payments", "schedule", "1", "2"}),
            "unexpected argument \"2\" for \"payments schedule\"");
}

TEST(CliArgsTest, FlagValueProblems) {
  EXPECT_EQ(ErrorOf({"people", "move", "x", "--team"}), "flag --team needs a value");
  EXPECT_EQ(ErrorOf({"people", "move", "x", "--team", "1", "--team", "2"}),
            "flag --team given twice");
}

TEST(CliArgsTest, ValuesMayLookLikeFlagsAndDoubleDashEndsFlags) {
  absl::StatusOr<Invocation> inv = Parse({"segments", "rename", "5", "--description", "-dashing-"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->Flag("description"), "-dashing-");

  inv = Parse({"people", "get", "--", "--odd-id"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->Operand("staff_id"), "--odd-id");
}

TEST(CliArgsTest, GlobalFlagsAnywhere) {
  absl::StatusOr<Invocation> inv = Parse({"--server", "127.0.0.1:1", "people", "list",
                                          "--token=t0k", "--team", "4", "--user", "svc.manager"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->globals.server, "127.0.0.1:1");
  EXPECT_EQ(inv->globals.token, "t0k");
  EXPECT_EQ(inv->globals.user, "svc.manager");
  EXPECT_EQ(inv->Flag("team"), "4");
  EXPECT_FALSE(inv->Has("server"));  // globals are not command flags
}

TEST(CliArgsTest, Help) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{},
                                             {"help"},
                                             {"--help"},
                                             {"-h"},
                                             {"segments", "list", "--help"},
                                             {"--output", "json"}}) {
    absl::StatusOr<Invocation> inv = Parse(args);
    ASSERT_TRUE(inv.ok()) << inv.status();
    EXPECT_TRUE(inv->help);
    EXPECT_EQ(inv->command, nullptr);
  }
}

TEST(CliArgsTest, ParserWorksOnAnyTable) {
  const std::vector<CommandSpec> table = {
      {.name = "a", .operands = {"x"}, .flags = {{.name = "v", .value_name = "V"}}},
      {.name = "a b", .flags = {{.name = "f"}}, .mutating = true}};
  absl::StatusOr<Invocation> inv = ParseCommandLine({"a", "b", "--f", "--request-id=r"}, table);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "a b");
  EXPECT_TRUE(inv->BoolFlag("f"));
  EXPECT_EQ(inv->Flag("request-id"), "r");

  inv = ParseCommandLine({"a", "c", "--v", "1"}, table);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->name, "a");
  EXPECT_EQ(inv->Operand("x"), "c");
}

// ---------------------------------------------------------------- table and usage

TEST(CommandTableTest, EveryCommandIsInTheUsageAndParsesFromItsSynopsis) {
  const std::string usage = CmsctlUsage();
  std::set<std::string> names;
  std::set<std::string> boolean;
  std::set<std::string> valued;
  for (const CommandSpec& c : CmsctlCommands()) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate " << c.name;
    EXPECT_THAT(usage, HasSubstr("  " + Synopsis(c) + "\n"));
    for (const FlagSpec& f : c.flags) (f.value_name.empty() ? boolean : valued).insert(f.name);

    // The command with every operand and required flag given.
    std::vector<std::string> args = absl::StrSplit(c.name, ' ');
    for (const std::string& operand : c.operands) args.push_back("1");
    for (const FlagSpec& f : c.flags) {
      if (f.required) args.insert(args.end(), {"--" + f.name, "1"});
    }
    absl::StatusOr<Invocation> inv = Parse(args);
    ASSERT_TRUE(inv.ok()) << c.name << ": " << inv.status();
    EXPECT_EQ(inv->command, &c);
    // Registered once, with what runs it: no second table to match by name.
    EXPECT_NE(c.run, nullptr) << c.name;
  }
  // A name is boolean everywhere or nowhere: the tokenizer relies on it.
  for (const std::string& name : boolean) EXPECT_FALSE(valued.contains(name)) << name;

  for (const std::string& name :
       {"segments list",     "segments create",     "segments rename",    "segments retire",
        "teams list",        "teams create",        "people list",        "people add",
        "people move",       "people deactivate",   "bom as-of",          "approvals inbox",
        "approvals list",    "approvals get",       "approvals approve",  "approvals reject",
        "casegroups get",    "casegroups explain",  "letters templates",  "letters show",
        "interactions list", "payments schedule",   "payments statement", "payments arrears",
        "compliance get",    "compliance list",     "compliance events",  "compliance outcome",
        "compliance extend", "compliance end-early"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
  // S5.14: a schedule held for manual allocation review is released.
  EXPECT_TRUE(names.contains("payments release-schedule"));
  // AR10.11 the RP contact, AR10.14 the PP's assets.
  for (const std::string& name :
       {"arrears rp-contact", "arrears assets", "arrears asset-add", "arrears asset-end"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
  // AG11.4: the government relations team's MP enquiries.
  for (const std::string& name :
       {"mp list", "mp get", "mp create", "mp validate", "mp answer", "mp close"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
  EXPECT_THAT(usage, HasSubstr("--output table|json"));
  // What --output json prints: the server's JSON, enums by full name.
  EXPECT_THAT(usage, HasSubstr("enums by full name (COUNTRY_GB)"));
  EXPECT_THAT(usage, HasSubstr("a\n                       list is one document"));
  EXPECT_THAT(usage, HasSubstr("SPECIAL_CLIENT_RECORDS"));
  EXPECT_THAT(usage, HasSubstr("TEAM_LEADER"));
}

TEST(CommandTableTest, EachCommandHasAHandlerOfItsOwn) {
  std::set<CommandHandler> handlers;
  for (const CommandSpec& c : CmsctlCommands()) {
    EXPECT_TRUE(handlers.insert(c.run).second) << c.name << " shares another command's handler";
  }
}

TEST(CommandTableTest, Synopsis) {
  for (const CommandSpec& c : CmsctlCommands()) {
    if (c.name == "segments retire") {
      EXPECT_EQ(Synopsis(c),
                "segments retire <id> [--target ID] [--etag ETAG] [--wait] [--timeout SECONDS]");
    }
    if (c.name == "compliance outcome") {
      EXPECT_EQ(Synopsis(c),
                "compliance outcome <opportunity_id> --action PASS|FAIL|ENDED_EARLY "
                "--reason ALL_PAYMENTS_RECEIVED|PAYMENT_DEFAULT "
                "--utp NOT_APPLICABLE|NRP_UNLIKELY_TO_PAY [--dp-rejected-reason TEXT] "
                "--note TEXT [--etag ETAG]");
    }
    if (c.name == "segments list") {
      EXPECT_EQ(Synopsis(c),
                "segments list [--include-retired] [--country COUNTRY] "
                "[--service-segment SEGMENT]");
    }
  }
}

// ---------------------------------------------------------------- values

TEST(ArgValuesTest, Ids) {
  EXPECT_EQ(ParseId("id", "12").value(), 12);
  EXPECT_EQ(ParseId("id", "9223372036854775807").value(), INT64_MAX);
  EXPECT_FALSE(ParseId("id", "0").ok());
  EXPECT_FALSE(ParseId("id", "-3").ok());
  EXPECT_FALSE(ParseId("id", "abc").ok());
  EXPECT_FALSE(ParseId("id", "").ok());
  EXPECT_FALSE(ParseId("id", "9223372036854775808").ok());
  EXPECT_EQ(ParseId("--team", "x").status().message(),
            "--team: \"x\" is not a positive integer id");
}

TEST(ArgValuesTest, Timestamps) {
  const absl::Time now = absl::FromUnixSeconds(1700000000) + absl::Milliseconds(250);
  absl::StatusOr<google::protobuf::Timestamp> ts = ParseTimestamp("2025-01-02T03:04:05Z", now);
  ASSERT_TRUE(ts.ok()) << ts.status();
  EXPECT_EQ(ts->seconds(), 1735787045);
  EXPECT_EQ(ts->nanos(), 0);

  ts = ParseTimestamp("2025-01-02T03:04:05.5+01:00", now);
  ASSERT_TRUE(ts.ok()) << ts.status();
  EXPECT_EQ(ts->seconds(), 1735787045 - 3600);
  EXPECT_EQ(ts->nanos(), 500000000);

  ts = ParseTimestamp("now", now);
  ASSERT_TRUE(ts.ok()) << ts.status();
  EXPECT_EQ(ts->seconds(), 1700000000);
  EXPECT_EQ(ts->nanos(), 250000000);

  EXPECT_FALSE(ParseTimestamp("yesterday", now).ok());
  EXPECT_FALSE(ParseTimestamp("2025-01-02", now).ok());
}

}  // namespace
}  // namespace cms::cmsctl

// ---------------------------------------------------------------- settings

namespace cms::client {
namespace {

using ::testing::HasSubstr;

EnvLookup FakeEnv(absl::flat_hash_map<std::string, std::string> vars) {
  return [vars = std::move(vars)](absl::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(SettingsTest, ParseDevEnv) {
  const auto values = ParseDevEnv(
      "# written by tools/cms up\n"
      "CMS_SERVER=127.0.0.1:50051\n"
      "\n"
      "  CMS_TOKEN = abc=def  \n"
      "export CMS_USER=\"svc.manager\"\n"
      "garbage line\n"
      "=novalue\n");
  EXPECT_EQ(values.size(), 3u);
  EXPECT_EQ(values.at("CMS_SERVER"), "127.0.0.1:50051");
  EXPECT_EQ(values.at("CMS_TOKEN"), "abc=def");
  EXPECT_EQ(values.at("CMS_USER"), "svc.manager");
}

TEST(SettingsTest, FlagsBeatEnvBeatDevFileBeatDefaults) {
  const absl::flat_hash_map<std::string, std::string> dev = {
      {"CMS_SERVER", "dev:1"}, {"CMS_TOKEN", "dev-token"}, {"CMS_USER", "dev.user"}};

  Settings s = ResolveSettings({}, FakeEnv({}), {});
  EXPECT_EQ(s.server, "127.0.0.1:50051");
  EXPECT_EQ(s.token, "");
  EXPECT_EQ(s.user, "");

  s = ResolveSettings({}, FakeEnv({}), dev);
  EXPECT_EQ(s.server, "dev:1");
  EXPECT_EQ(s.token, "dev-token");
  EXPECT_EQ(s.user, "dev.user");

  s = ResolveSettings({}, FakeEnv({{"CMS_TOKEN", "env-token"}, {"CMS_USER", ""}}), dev);
  EXPECT_EQ(s.server, "dev:1");
  EXPECT_EQ(s.token, "env-token");
  EXPECT_EQ(s.user, "dev.user");  // an empty env var counts as unset

  s = ResolveSettings({.server = "flag:2", .user = "flag.user"},
                      FakeEnv({{"CMS_SERVER", "env:3"}, {"CMS_USER", "env.user"}}), dev);
  EXPECT_EQ(s.server, "flag:2");
  EXPECT_EQ(s.token, "dev-token");
  EXPECT_EQ(s.user, "flag.user");
}

TEST(SettingsTest, TlsAndIdentityFromEnvOrDevFile) {
  // X13.1: an operator's cmsctl reaches a TLS / mTLS server and may send an
  // identity token instead of x-cms-user.
  Settings s = ResolveSettings(
      {}, FakeEnv({{"CMS_TLS_CA_FILE", "/etc/cms/ca.pem"}, {"CMS_IDENTITY", "header.payload.sig"}}),
      {{"CMS_TLS_CERT_FILE", "me.pem"}, {"CMS_TLS_KEY_FILE", "me.key"}});
  EXPECT_EQ(s.tls_ca_file, "/etc/cms/ca.pem");
  EXPECT_EQ(s.tls_cert_file, "me.pem");
  EXPECT_EQ(s.tls_key_file, "me.key");
  EXPECT_EQ(s.identity, "header.payload.sig");
  s = ResolveSettings({}, FakeEnv({}), {});
  EXPECT_TRUE(s.tls_ca_file.empty() && s.identity.empty());
}

TEST(SettingsTest, FindDevFileWalksUp) {
  const std::filesystem::path root = std::filesystem::temp_directory_path() /
                                     ("cmsctl_settings_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "a" / "b" / "c");
  EXPECT_EQ(FindDevFile(root / "a" / "b" / "c"), std::nullopt);  // assumes none above /tmp

  std::filesystem::create_directories(root / "a" / ".cms");
  std::ofstream(root / "a" / ".cms" / "dev.env") << "CMS_USER=u\n";
  EXPECT_EQ(FindDevFile(root / "a" / "b" / "c"), root / "a" / ".cms" / "dev.env");
  EXPECT_EQ(FindDevFile(root / "a"), root / "a" / ".cms" / "dev.env");
  EXPECT_EQ(FindDevFile(root), std::nullopt);
  std::filesystem::remove_all(root);
}

TEST(ErrorInfoTest, DecodesTheStatusDetail) {
  // X13.5: the cms.v1.ErrorInfo detail, found by type among the others.
  cms::v1::ErrorInfo info;
  info.set_rule_id("S1.3");
  info.set_reason("INVALID_FIELDS");
  auto* v = info.add_field_violations();
  v->set_field("code");
  v->set_description("1..20 letters/digits");
  google::rpc::Status detail;
  detail.set_code(3);
  detail.set_message("bad segment");
  google::rpc::ErrorInfo google_info;
  google_info.set_reason("SOMETHING_ELSE");  // the cms.v1 detail wins
  detail.add_details()->PackFrom(google_info);
  detail.add_details()->PackFrom(info);
  const grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT, "bad segment",
                            detail.SerializeAsString());

  std::optional<cms::v1::ErrorInfo> decoded = ErrorInfoOf(status);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->rule_id(), "S1.3");
  EXPECT_EQ(decoded->reason(), "INVALID_FIELDS");
  ASSERT_EQ(decoded->field_violations_size(), 1);
  EXPECT_EQ(decoded->field_violations(0).field(), "code");

  EXPECT_EQ(FormatRpcError(status),
            "error: INVALID_ARGUMENT: bad segment\n"
            "  rule: S1.3\n"
            "  reason: INVALID_FIELDS\n"
            "  field code: 1..20 letters/digits");
}

TEST(ErrorInfoTest, ReadsTheGoogleRpcDetailsAlone) {
  // X13.5 (AIP-193): a trailer with only google.rpc.ErrorInfo and
  // google.rpc.BadRequest (a generic server or proxy) still shows the rule
  // and each bad field.
  google::rpc::ErrorInfo info;
  info.set_reason("INVALID_FIELDS");
  info.set_domain("cms.v1");
  (*info.mutable_metadata())["rule_id"] = "SR5.4";
  google::rpc::BadRequest bad;
  auto* v = bad.add_field_violations();
  v->set_field("source");
  v->set_description("required");
  google::rpc::Status detail;
  detail.set_code(3);
  detail.set_message("source: required");
  detail.add_details()->PackFrom(info);
  detail.add_details()->PackFrom(bad);
  const grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT, "source: required",
                            detail.SerializeAsString());
  EXPECT_EQ(FormatRpcError(status),
            "error: INVALID_ARGUMENT: source: required\n"
            "  rule: SR5.4\n"
            "  reason: INVALID_FIELDS\n"
            "  field source: required");
}

TEST(ErrorInfoTest, NoDetail) {
  EXPECT_EQ(ErrorInfoOf(grpc::Status::OK), std::nullopt);
  const grpc::Status plain(grpc::StatusCode::UNAVAILABLE, "failed to connect");
  EXPECT_EQ(ErrorInfoOf(plain), std::nullopt);
  EXPECT_EQ(FormatRpcError(plain), "error: UNAVAILABLE: failed to connect");
  EXPECT_EQ(ErrorInfoOf(grpc::Status(grpc::StatusCode::INTERNAL, "x", "\xff\xff not proto")),
            std::nullopt);
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::ABORTED), "ABORTED");
}

TEST(ClientTest, RequestIdsAreRandomUuids) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewRequestId();
    EXPECT_TRUE(std::regex_match(id, uuid)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(ClientTest, ContextHasADeadline) {
  Settings settings;
  settings.timeout = absl::Seconds(5);
  const auto before = std::chrono::system_clock::now();
  std::unique_ptr<grpc::ClientContext> context = NewContext(settings);
  const auto deadline = context->deadline();
  EXPECT_GE(deadline, before + std::chrono::seconds(4));
  EXPECT_LE(deadline, std::chrono::system_clock::now() + std::chrono::seconds(6));
}

}  // namespace
}  // namespace cms::client
