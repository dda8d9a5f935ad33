#include "clients/cpp/command_table.h"

#include "absl/strings/str_cat.h"
#include "clients/cpp/enum_names.h"
#include "cms/v1/approval.pb.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/common.pb.h"

namespace cms::cmsctl {
namespace {

FlagSpec Required(std::string name, std::string value_name) {
  return FlagSpec{.name = std::move(name), .value_name = std::move(value_name), .required = true};
}
FlagSpec Optional(std::string name, std::string value_name) {
  return FlagSpec{.name = std::move(name), .value_name = std::move(value_name)};
}
FlagSpec Boolean(std::string name) { return FlagSpec{.name = std::move(name)}; }
// Commands that need an etag fetch the entity's current one unless given:
// a retry with the same --request-id must send the same request, etag too.
FlagSpec Etag() { return Optional("etag", "ETAG"); }

std::vector<CommandSpec> Build() {
  return {
      {.name = "segments list",
       .flags = {Boolean("include-retired"), Optional("country", "COUNTRY"),
                 Optional("service-segment", "SEGMENT")},
       .summary = "List segments (active only unless --include-retired)."},
      {.name = "segments get", .operands = {"id"}, .summary = "Show one segment."},
      {.name = "segments create",
       .flags = {Required("country", "COUNTRY"), Required("service-segment", "SEGMENT"),
                 Required("description", "TEXT"), Required("code", "CODE")},
       .mutating = true,
       .summary = "Create a segment; its system name is derived (S1.3)."},
      {.name = "segments rename",
       .operands = {"id"},
       .flags = {Optional("description", "TEXT"), Optional("code", "CODE"), Etag()},
       .mutating = true,
       .summary = "Change a segment's description and/or code (at least one)."},
      {.name = "segments retire",
       .operands = {"id"},
       .flags = {Optional("target", "ID"), Etag(), Boolean("wait"), Optional("timeout", "SECONDS")},
       .mutating = true,
       .summary = "Retire a segment, naming where its work should go (S1.6), as a long-running "
                  "operation: prints it; --wait shows its progress until done (exit 0 when it "
                  "succeeds, 1 when it fails or is cancelled, 4 when --timeout passes first)."},
      {.name = "segments split",
       .operands = {"id"},
       .flags = {Required("target", "ID"), Required("areas", "AREA[,AREA...]"), Boolean("wait"),
                 Optional("timeout", "SECONDS")},
       .mutating = true,
       .summary = "Move the casegroups whose PP lives in the postcode areas (e.g. NE,M) to the "
                  "target segment (W4.6), as a long-running operation; --wait as for retire."},
      {.name = "operations list",
       .flags = {Optional("state", "STATE")},
       .summary = "Long-running operations, newest first (state RUNNING, SUCCEEDED, FAILED or "
                  "CANCELLED)."},
      {.name = "operations get",
       .operands = {"name"},
       .summary = "Show one operation (operations/ID or ID)."},
      {.name = "operations cancel",
       .operands = {"name"},
       .mutating = true,
       .summary = "Stop a running operation before its next batch; what moved stays moved."},
      {.name = "teams list",
       .flags = {Optional("segment", "ID"), Boolean("include-retired")},
       .summary = "List teams, optionally of one segment."},
      {.name = "teams create",
       .flags = {Required("segment", "ID"), Required("name", "NAME")},
       .mutating = true,
       .summary = "Create a team in a segment."},
      {.name = "teams retire",
       .operands = {"id"},
       .flags = {Etag()},
       .mutating = true,
       .summary = "Retire a team without active members."},
      {.name = "people list",
       .flags = {Optional("team", "ID"), Optional("segment", "ID"), Boolean("include-inactive")},
       .summary = "List staff, optionally of one team or segment."},
      {.name = "people get", .operands = {"staff_id"}, .summary = "Show one staff member."},
      {.name = "people add",
       .flags = {Required("staff-id", "STAFF_ID"), Required("name", "NAME"),
                 Required("role", "ROLE"), Optional("team", "ID"), Optional("segment", "ID")},
       .mutating = true,
       .summary = "Add a staff member (--team for caseworkers and team leaders, --segment for "
                  "segment managers)."},
      {.name = "people move",
       .operands = {"staff_id"},
       .flags = {Required("team", "ID"), Etag()},
       .mutating = true,
       .summary = "Move a staff member to another team."},
      {.name = "people deactivate",
       .operands = {"staff_id"},
       .flags = {Etag()},
       .mutating = true,
       .summary = "Deactivate a staff member."},
      {.name = "bom as-of",
       .operands = {"time"},
       .summary = "The BOM (segments, teams, staff) at an RFC 3339 instant, or \"now\"."},
      {.name = "approvals inbox",
       .summary = "Pending approvals the caller may decide, oldest first (A6.1; S1.5 BOM "
                  "changes for SERVICE_MANAGEMENT)."},
      {.name = "approvals list",
       .flags = {Optional("sr", "ID"), Optional("state", "STATE")},
       .summary = "An SR's submissions and decisions (--sr), or every BOM change request, "
                  "optionally by --state (A6.2, S1.5)."},
      {.name = "approvals get", .operands = {"id"}, .summary = "Show one approval."},
      {.name = "approvals approve",
       .operands = {"id"},
       .flags = {Required("comment", "TEXT")},
       .mutating = true,
       .summary = "Approve a pending approval (a BOM change is applied) (A6.1)."},
      {.name = "approvals reject",
       .operands = {"id"},
       .flags = {Required("comment", "TEXT")},
       .mutating = true,
       .summary = "Reject a pending approval (A6.2)."},
      {.name = "casegroups get", .operands = {"id"}, .summary = "Show one casegroup."},
      {.name = "casegroups explain",
       .operands = {"id"},
       .summary = "Explain the routing of a casegroup now (R3.2)."},
      {.name = "casegroups moves",
       .operands = {"id"},
       .summary = "List the moves of a casegroup, oldest first (R3.5)."},
      {.name = "sr-types list", .summary = "List the SR type catalog (SR5.1)."},
      {.name = "letters templates", .summary = "List the letter templates (L12.1)."},
      {.name = "letters show",
       .operands = {"id"},
       .summary = "Print an issued letter's rendered text (--output json: the whole letter)."},
      {.name = "interactions list",
       .flags = {Optional("person", "ID"), Optional("case", "ID")},
       .summary = "List the calls, letters and SMS of a person and/or case (L12.2)."},
      {.name = "payments schedule",
       .operands = {"case_id"},
       .summary = "A case's current P2P schedule, each item classified as of today (M7.5); "
                  "amounts in pounds (--output json: the Schedule, in pence)."},
      {.name = "payments statement",
       .operands = {"case_id"},
       .summary = "A case's statement: what fell due, charges and payments with a running "
                  "balance, then the balance and arrears (M7.6)."},
      {.name = "payments arrears",
       .flags = {Optional("case", "ID"), Optional("casegroup", "ID")},
       .summary = "The live arrears of a case (--case) or of a casegroup's cases "
                  "(--casegroup) (M7.6)."},
      {.name = "timers stats",
       .summary = "Durable timers: pending, overdue and failed counts and the oldest overdue "
                  "lag (T8.2)."},
      {.name = "security stats",
       .summary = "Refused calls of the server answering (UNAUTHENTICATED and PERMISSION_DENIED "
                  "by code, rate-limited answers) and the peer addresses limited now (X13.1)."},
      {.name = "orphans check", .summary = "Count orphaned work (W4.5); exit 3 when there is any."},
      {.name = "orphans recover",
       .mutating = true,
       .summary = "Return orphaned work to its queue, re-routing retired segments' work (W4.5)."},
  };
}

// "  --flag  A, B, C" wrapped at 80 columns under the first value.
std::string ValuesLine(absl::string_view flag, const google::protobuf::EnumDescriptor* type) {
  const std::string lead = absl::StrCat("  ", flag, std::string(19 - flag.size(), ' '));
  std::string out = lead;
  size_t column = lead.size();
  const std::vector<std::string> names = EnumShortNames(type);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string item = names[i] + (i + 1 < names.size() ? "," : "");
    if (column > lead.size() && column + 1 + item.size() > 80) {
      absl::StrAppend(&out, "\n", std::string(lead.size(), ' '));
      column = lead.size();
    } else if (column > lead.size()) {
      out += ' ';
      ++column;
    }
    out += item;
    column += item.size();
  }
  return out + "\n";
}

}  // namespace

const std::vector<CommandSpec>& CmsctlCommands() {
  static const std::vector<CommandSpec>* const commands = new std::vector<CommandSpec>(Build());
  return *commands;
}

std::string CmsctlUsage() {
  return Usage(
      CmsctlCommands(),
      absl::StrCat("\nEnum values (short or full form, any case, e.g. gb or COUNTRY_GB):\n",
                   ValuesLine("--country", v1::Country_descriptor()),
                   ValuesLine("--service-segment", v1::ServiceSegment_descriptor()),
                   ValuesLine("--role", v1::Role_descriptor()),
                   ValuesLine("--state", v1::ApprovalState_descriptor())));
}

}  // namespace cms::cmsctl
