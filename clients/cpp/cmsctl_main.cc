// cmsctl: the admin CLI over the CMS services. Parsing and
// output formatting live in cmsctl_lib (cli_args, command_table,
// json_printer, text_printer); this file maps each command to its calls.
// Single-threaded.
//
// Exit status: 0 done; 1 the server refused or the call failed (the status
// code, message, rule id and field violations go to stderr; also an
// operation waited for that FAILED or was CANCELLED); 2 usage error; 3
// `orphans check` found some; 4 `--wait --timeout` passed first.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/cpp/cli_args.h"
#include "clients/cpp/client_channel.h"
#include "clients/cpp/command_table.h"
#include "clients/cpp/enum_names.h"
#include "clients/cpp/json_printer.h"
#include "clients/cpp/text_printer.h"
#include "cms/v1/admin.grpc.pb.h"
#include "cms/v1/approval.grpc.pb.h"
#include "cms/v1/bom.grpc.pb.h"
#include "cms/v1/casegroup.grpc.pb.h"
#include "cms/v1/letter.grpc.pb.h"
#include "cms/v1/payment.grpc.pb.h"
#include "cms/v1/service_request.grpc.pb.h"
#include "cms/v1/work.grpc.pb.h"

namespace cms::cmsctl {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitOrphans = 3;  // `orphans check` found some (W4.5)
// `--wait --timeout` passed with the operation still running (it carries on).
constexpr int kExitWaitTimedOut = 4;
constexpr int kPageSize = 500;

const std::vector<std::string> kSegmentColumns = {
    "id", "country", "service_segment", "system_name", "description", "code", "status"};
const std::vector<std::string> kOperationColumns = {
    "name", "kind", "state", "moved_items", "total_items", "created_by", "create_time"};
const std::vector<std::string> kTeamColumns = {"id", "segment_id", "name", "status"};
const std::vector<std::string> kStaffColumns = {"staff_id", "name",       "role",
                                                "team_id",  "segment_id", "active"};
const std::vector<std::string> kApprovalColumns = {
    "id",           "kind",        "state",      "step",       "service_request_id",
    "submitted_by", "submit_time", "decided_by", "decide_time"};
const std::vector<std::string> kMoveColumns = {
    "id", "move_time", "from_segment_id", "to_segment_id", "rule_id", "trigger", "actor"};
const std::vector<std::string> kSrTypeColumns = {
    "code", "process", "area", "sub_area", "kind", "specialist_segment", "priority"};
const std::vector<std::string> kLetterTemplateColumns = {"code", "recipient_role", "title"};
const std::vector<std::string> kInteractionColumns = {
    "id",        "create_time",   "person_id", "case_id",           "channel",
    "direction", "template_code", "author",    "service_request_id"};

// How a command ended: the exit status and, unless 0, what to tell stderr.
struct Outcome {
  int exit_code = kExitOk;
  std::string error;
};

Outcome UsageFailure(absl::string_view message) {
  return {kExitUsage, absl::StrCat("error: ", message, "\n\n", CmsctlUsage())};
}
Outcome RpcFailure(const grpc::Status& status) {
  return {kExitFailed, client::FormatRpcError(status) + "\n"};
}

// Reads typed operands and flags, keeping the first error so a handler can
// read everything and then check once.
class Args {
 public:
  explicit Args(const Invocation& inv) : inv_(inv) {}

  int64_t OperandId(absl::string_view name) { return Keep(ParseId(name, inv_.Operand(name))); }
  std::string Operand(absl::string_view name) const { return inv_.Operand(name); }
  // 0 when the flag is absent.
  int64_t FlagId(absl::string_view flag) {
    if (!inv_.Has(flag)) return 0;
    return Keep(ParseId(absl::StrCat("--", flag), inv_.Flag(flag)));
  }
  // The zero (UNSPECIFIED) value when the flag is absent.
  template <typename E>
  E FlagEnum(absl::string_view flag) {
    if (!inv_.Has(flag)) return static_cast<E>(0);
    absl::StatusOr<E> value = ParseEnum<E>(inv_.Flag(flag));
    if (!value.ok()) {
      Fail(absl::StrCat("--", flag, ": ", value.status().message()));
      return static_cast<E>(0);
    }
    return *value;
  }
  std::string Flag(absl::string_view flag) const { return inv_.Flag(flag); }
  bool Has(absl::string_view flag) const { return inv_.Has(flag); }
  bool BoolFlag(absl::string_view flag) const { return inv_.BoolFlag(flag); }

  void Fail(absl::string_view message) {
    if (error_.empty()) error_ = std::string(message);
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  template <typename T>
  T Keep(absl::StatusOr<T> value) {
    if (value.ok()) return *value;
    Fail(value.status().message());
    return T{};
  }

  const Invocation& inv_;
  std::string error_;
};

class Cmsctl {
 public:
  Cmsctl(client::Settings settings, OutputFormat output)
      : settings_(std::move(settings)),
        output_(output),
        channel_(client::MakeChannel(settings_)),
        bom_(v1::BomService::NewStub(channel_)),
        casegroups_(v1::CasegroupService::NewStub(channel_)),
        service_requests_(v1::ServiceRequestService::NewStub(channel_)),
        work_(v1::WorkService::NewStub(channel_)),
        letters_(v1::LetterService::NewStub(channel_)),
        approvals_(v1::ApprovalService::NewStub(channel_)),
        payments_(v1::PaymentService::NewStub(channel_)),
        admin_(v1::AdminService::NewStub(channel_)) {}

  Outcome Run(const Invocation& inv) {
    using Handler = Outcome (Cmsctl::*)(const Invocation&);
    static const auto* const handlers = new absl::flat_hash_map<std::string, Handler>{
        {"segments list", &Cmsctl::SegmentsList},
        {"segments get", &Cmsctl::SegmentsGet},
        {"segments create", &Cmsctl::SegmentsCreate},
        {"segments rename", &Cmsctl::SegmentsRename},
        {"segments retire", &Cmsctl::SegmentsRetire},
        {"segments split", &Cmsctl::SegmentsSplit},
        {"operations list", &Cmsctl::OperationsList},
        {"operations get", &Cmsctl::OperationsGet},
        {"operations cancel", &Cmsctl::OperationsCancel},
        {"teams list", &Cmsctl::TeamsList},
        {"teams create", &Cmsctl::TeamsCreate},
        {"teams retire", &Cmsctl::TeamsRetire},
        {"people list", &Cmsctl::PeopleList},
        {"people get", &Cmsctl::PeopleGet},
        {"people add", &Cmsctl::PeopleAdd},
        {"people move", &Cmsctl::PeopleMove},
        {"people deactivate", &Cmsctl::PeopleDeactivate},
        {"bom as-of", &Cmsctl::BomAsOf},
        {"approvals inbox", &Cmsctl::ApprovalsInbox},
        {"approvals list", &Cmsctl::ApprovalsList},
        {"approvals get", &Cmsctl::ApprovalsGet},
        {"approvals approve", &Cmsctl::ApprovalsApprove},
        {"approvals reject", &Cmsctl::ApprovalsReject},
        {"casegroups get", &Cmsctl::CasegroupsGet},
        {"casegroups explain", &Cmsctl::CasegroupsExplain},
        {"casegroups moves", &Cmsctl::CasegroupsMoves},
        {"sr-types list", &Cmsctl::SrTypesList},
        {"letters templates", &Cmsctl::LettersTemplates},
        {"letters show", &Cmsctl::LettersShow},
        {"interactions list", &Cmsctl::InteractionsList},
        {"payments schedule", &Cmsctl::PaymentsSchedule},
        {"payments statement", &Cmsctl::PaymentsStatement},
        {"payments arrears", &Cmsctl::PaymentsArrears},
        {"timers stats", &Cmsctl::TimerStats},
        {"security stats", &Cmsctl::SecurityStats},
        {"orphans check", &Cmsctl::OrphansCheck},
        {"orphans recover", &Cmsctl::OrphansRecover},
    };
    auto it = handlers->find(inv.command->name);
    if (it == handlers->end()) {
      return {kExitUsage, absl::StrCat("error: \"", inv.command->name, "\" is not implemented\n")};
    }
    return (this->*(it->second))(inv);
  }

 private:
  // One call with a fresh context (credentials and deadline).
  template <typename Call>
  grpc::Status Rpc(Call call) {
    std::unique_ptr<grpc::ClientContext> context = client::NewContext(settings_);
    return call(context.get());
  }

  // Calls a List RPC page by page; `take(response)` returns false to stop.
  template <typename Resp, typename Req, typename Call, typename Take>
  grpc::Status Paginate(Req request, Call call, Take take) {
    request.set_page_size(kPageSize);
    while (true) {
      Resp response;
      grpc::Status status =
          Rpc([&](grpc::ClientContext* ctx) { return call(ctx, request, &response); });
      if (!status.ok()) return status;
      if (!take(response) || response.next_page_token().empty()) return grpc::Status::OK;
      if (response.next_page_token() == request.page_token()) {
        return grpc::Status(grpc::StatusCode::INTERNAL, "the server repeated a page token");
      }
      request.set_page_token(response.next_page_token());
    }
  }

  static std::string RequestId(const Invocation& inv) {
    return inv.Has("request-id") ? inv.Flag("request-id") : client::NewRequestId();
  }

  Outcome PrintOne(const google::protobuf::Message& message) {
    const std::string text =
        output_ == OutputFormat::kJson ? ToJson(message) + "\n" : FormatKeyValues(message);
    std::fputs(text.c_str(), stdout);
    return {};
  }

  template <typename M>
  Outcome PrintList(const google::protobuf::RepeatedPtrField<M>& items,
                    const std::vector<std::string>& columns) {
    const std::string text = output_ == OutputFormat::kJson ? ToJsonArray(items) + "\n"
                                                            : FormatMessageTable(items, columns);
    std::fputs(text.c_str(), stdout);
    return {};
  }

  // Outcome of a call that returns one entity to print.
  Outcome PrintOrFail(const grpc::Status& status, const google::protobuf::Message& message) {
    if (!status.ok()) return RpcFailure(status);
    return PrintOne(message);
  }

  // ---------------------------------------------------------------- segments

  Outcome SegmentsList(const Invocation& inv) {
    Args args(inv);
    v1::ListSegmentsRequest req;
    req.set_include_retired(args.BoolFlag("include-retired"));
    req.set_country(args.FlagEnum<v1::Country>("country"));
    req.set_service_segment(args.FlagEnum<v1::ServiceSegment>("service-segment"));
    if (!args.ok()) return UsageFailure(args.error());
    google::protobuf::RepeatedPtrField<v1::Segment> all;
    grpc::Status status = Paginate<v1::ListSegmentsResponse>(
        req, [&](auto* ctx, const auto& r, auto* out) { return bom_->ListSegments(ctx, r, out); },
        [&](const v1::ListSegmentsResponse& resp) {
          all.MergeFrom(resp.segments());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kSegmentColumns);
  }

  grpc::Status GetSegment(int64_t id, v1::Segment* segment) {
    v1::GetSegmentRequest req;
    req.set_id(id);
    return Rpc([&](grpc::ClientContext* ctx) { return bom_->GetSegment(ctx, req, segment); });
  }

  Outcome SegmentsGet(const Invocation& inv) {
    Args args(inv);
    const int64_t id = args.OperandId("id");
    if (!args.ok()) return UsageFailure(args.error());
    v1::Segment segment;
    return PrintOrFail(GetSegment(id, &segment), segment);
  }

  Outcome SegmentsCreate(const Invocation& inv) {
    Args args(inv);
    v1::CreateSegmentRequest req;
    req.set_request_id(RequestId(inv));
    req.set_country(args.FlagEnum<v1::Country>("country"));
    req.set_service_segment(args.FlagEnum<v1::ServiceSegment>("service-segment"));
    req.set_description(args.Flag("description"));
    req.set_code(args.Flag("code"));
    if (!args.ok()) return UsageFailure(args.error());
    v1::Segment segment;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return bom_->CreateSegment(ctx, req, &segment); }),
        segment);
  }

  Outcome SegmentsRename(const Invocation& inv) {
    Args args(inv);
    const int64_t id = args.OperandId("id");
    if (!args.Has("description") && !args.Has("code")) {
      args.Fail("\"segments rename\" needs --description, --code or both");
    }
    if (!args.ok()) return UsageFailure(args.error());
    // The current values are needed for an omitted field, the etag unless given.
    v1::Segment current;
    if (!args.Has("etag") || !args.Has("description") || !args.Has("code")) {
      if (grpc::Status s = GetSegment(id, &current); !s.ok()) return RpcFailure(s);
    }
    v1::RenameSegmentRequest req;
    req.set_request_id(RequestId(inv));
    req.set_id(id);
    req.set_etag(args.Has("etag") ? args.Flag("etag") : current.etag());
    // The RPC replaces both; an omitted one keeps its current value.
    req.set_description(args.Has("description") ? args.Flag("description") : current.description());
    req.set_code(args.Has("code") ? args.Flag("code") : current.code());
    v1::Segment segment;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return bom_->RenameSegment(ctx, req, &segment); }),
        segment);
  }

  Outcome SegmentsRetire(const Invocation& inv) {
    Args args(inv);
    const int64_t id = args.OperandId("id");
    const int64_t target = args.FlagId("target");
    const std::optional<absl::Duration> timeout = WaitTimeout(args);
    if (!args.ok()) return UsageFailure(args.error());
    std::string etag = args.Flag("etag");
    if (!args.Has("etag")) {
      v1::Segment current;
      if (grpc::Status s = GetSegment(id, &current); !s.ok()) return RpcFailure(s);
      etag = current.etag();
    }
    v1::StartRetireSegmentRequest req;
    req.set_request_id(RequestId(inv));
    req.set_id(id);
    req.set_etag(etag);
    req.set_target_segment_id(target);
    // W4.6: a long-running operation, so no call outlives its deadline
    // while the server carries on (issue 13).
    v1::Operation op;
    grpc::Status status =
        Rpc([&](grpc::ClientContext* ctx) { return bom_->StartRetireSegment(ctx, req, &op); });
    if (!status.ok()) return RpcFailure(status);
    return args.BoolFlag("wait") ? WaitForOperation(op, timeout) : PrintOne(op);
  }

  Outcome SegmentsSplit(const Invocation& inv) {
    Args args(inv);
    v1::StartSplitSegmentRequest req;
    req.set_request_id(RequestId(inv));
    req.set_id(args.OperandId("id"));
    req.set_target_segment_id(args.FlagId("target"));
    for (absl::string_view area : absl::StrSplit(args.Flag("areas"), ',', absl::SkipEmpty())) {
      req.add_postcode_areas(std::string(absl::StripAsciiWhitespace(area)));
    }
    const std::optional<absl::Duration> timeout = WaitTimeout(args);
    if (!args.ok()) return UsageFailure(args.error());
    v1::Operation op;
    grpc::Status status =
        Rpc([&](grpc::ClientContext* ctx) { return bom_->StartSplitSegment(ctx, req, &op); });
    if (!status.ok()) return RpcFailure(status);
    return args.BoolFlag("wait") ? WaitForOperation(op, timeout) : PrintOne(op);
  }

  // ---------------------------------------------------------------- operations

  // "operations/12" or "12".
  static std::string OperationName(const std::string& operand) {
    return absl::StartsWith(operand, "operations/") ? operand : "operations/" + operand;
  }

  // --timeout SECONDS for --wait; nullopt: wait as long as it takes.
  static std::optional<absl::Duration> WaitTimeout(Args& args) {
    if (!args.Has("timeout")) return std::nullopt;
    double seconds = 0;
    if (!absl::SimpleAtod(args.Flag("timeout"), &seconds) || seconds <= 0) {
      args.Fail("--timeout: a positive number of seconds");
      return std::nullopt;
    }
    if (!args.BoolFlag("wait")) args.Fail("--timeout bounds --wait: give both");
    return absl::Seconds(seconds);
  }

  // "operations/12 [########------------] 4/10 (40%)", redrawn in place.
  static void DrawProgress(const v1::Operation& op) {
    constexpr int kWidth = 30;
    const int64_t total = std::max<int64_t>(op.total_items(), op.moved_items());
    const int percent = total == 0 ? 100 : static_cast<int>(op.moved_items() * 100 / total);
    const int filled = percent * kWidth / 100;
    std::fprintf(stderr, "\r%s [%s%s] %lld/%lld (%d%%)", op.name().c_str(),
                 std::string(filled, '#').c_str(), std::string(kWidth - filled, '-').c_str(),
                 static_cast<long long>(op.moved_items()), static_cast<long long>(total), percent);
    std::fflush(stderr);
  }

  // Polls GetOperation (each poll its own short call) with a progress bar on
  // stderr until the operation is done or `timeout` passes; the operation
  // runs on in the server either way.
  Outcome WaitForOperation(v1::Operation op, std::optional<absl::Duration> timeout) {
    const absl::Time deadline =
        timeout.has_value() ? absl::Now() + *timeout : absl::InfiniteFuture();
    while (true) {
      DrawProgress(op);
      if (op.done()) break;
      if (absl::Now() >= deadline) {
        std::fputs("\n", stderr);
        PrintOne(op);
        return {kExitWaitTimedOut,
                absl::StrCat("error: still running after ", absl::FormatDuration(*timeout), "; ",
                             op.name(), " carries on (cmsctl operations get ", op.name(), ")\n")};
      }
      absl::SleepFor(std::min(absl::Milliseconds(250), deadline - absl::Now()));
      v1::GetOperationRequest get;
      get.set_name(op.name());
      v1::Operation now;
      grpc::Status status =
          Rpc([&](grpc::ClientContext* ctx) { return bom_->GetOperation(ctx, get, &now); });
      if (!status.ok()) {
        std::fputs("\n", stderr);
        return RpcFailure(status);
      }
      op = std::move(now);
    }
    std::fputs("\n", stderr);
    PrintOne(op);
    if (op.state() == v1::OPERATION_STATE_SUCCEEDED) return {};
    std::string why =
        absl::StrCat("error: ", op.name(), " ",
                     EnumShortName(v1::OperationState_descriptor()->FindValueByNumber(op.state())));
    if (op.has_error()) {
      absl::StrAppend(&why, ": ", op.error().message());
      if (!op.error().rule_id().empty())
        absl::StrAppend(&why, " (rule ", op.error().rule_id(), ")");
    }
    return {kExitFailed, why + "\n"};
  }

  Outcome OperationsList(const Invocation& inv) {
    Args args(inv);
    v1::ListOperationsRequest req;
    req.set_state(args.FlagEnum<v1::OperationState>("state"));
    if (!args.ok()) return UsageFailure(args.error());
    google::protobuf::RepeatedPtrField<v1::Operation> all;
    grpc::Status status = Paginate<v1::ListOperationsResponse>(
        req, [&](auto* ctx, const auto& r, auto* out) { return bom_->ListOperations(ctx, r, out); },
        [&](const v1::ListOperationsResponse& resp) {
          all.MergeFrom(resp.operations());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kOperationColumns);
  }

  Outcome OperationsGet(const Invocation& inv) {
    v1::GetOperationRequest req;
    req.set_name(OperationName(inv.Operand("name")));
    v1::Operation op;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return bom_->GetOperation(ctx, req, &op); }), op);
  }

  Outcome OperationsCancel(const Invocation& inv) {
    v1::CancelOperationRequest req;
    req.set_request_id(RequestId(inv));
    req.set_name(OperationName(inv.Operand("name")));
    v1::Operation op;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return bom_->CancelOperation(ctx, req, &op); }), op);
  }

  // ---------------------------------------------------------------- teams

  Outcome TeamsList(const Invocation& inv) {
    Args args(inv);
    v1::ListTeamsRequest req;
    req.set_segment_id(args.FlagId("segment"));
    req.set_include_retired(args.BoolFlag("include-retired"));
    if (!args.ok()) return UsageFailure(args.error());
    google::protobuf::RepeatedPtrField<v1::Team> all;
    grpc::Status status = Paginate<v1::ListTeamsResponse>(
        req, [&](auto* ctx, const auto& r, auto* out) { return bom_->ListTeams(ctx, r, out); },
        [&](const v1::ListTeamsResponse& resp) {
          all.MergeFrom(resp.teams());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kTeamColumns);
  }

  Outcome TeamsCreate(const Invocation& inv) {
    Args args(inv);
    v1::CreateTeamRequest req;
    req.set_request_id(RequestId(inv));
    req.set_segment_id(args.FlagId("segment"));
    req.set_name(args.Flag("name"));
    if (!args.ok()) return UsageFailure(args.error());
    v1::Team team;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return bom_->CreateTeam(ctx, req, &team); }), team);
  }

  Outcome TeamsRetire(const Invocation& inv) {
    Args args(inv);
    const int64_t id = args.OperandId("id");
    if (!args.ok()) return UsageFailure(args.error());
    std::string etag = args.Flag("etag");
    if (!args.Has("etag")) {
      // There is no GetTeam: find the team's etag in the list.
      v1::ListTeamsRequest list;
      list.set_include_retired(true);
      std::optional<v1::Team> found;
      grpc::Status status = Paginate<v1::ListTeamsResponse>(
          list, [&](auto* ctx, const auto& r, auto* out) { return bom_->ListTeams(ctx, r, out); },
          [&](const v1::ListTeamsResponse& resp) {
            for (const v1::Team& t : resp.teams()) {
              if (t.id() == id) found = t;
            }
            return !found.has_value();
          });
      if (!status.ok()) return RpcFailure(status);
      if (!found.has_value()) {
        return {kExitFailed, absl::StrCat("error: NOT_FOUND: team ", id, " not found\n")};
      }
      etag = found->etag();
    }
    v1::RetireTeamRequest req;
    req.set_request_id(RequestId(inv));
    req.set_id(id);
    req.set_etag(etag);
    v1::Team team;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return bom_->RetireTeam(ctx, req, &team); }), team);
  }

  // ---------------------------------------------------------------- people

  Outcome PeopleList(const Invocation& inv) {
    Args args(inv);
    v1::ListStaffRequest req;
    req.set_team_id(args.FlagId("team"));
    req.set_segment_id(args.FlagId("segment"));
    req.set_include_inactive(args.BoolFlag("include-inactive"));
    if (!args.ok()) return UsageFailure(args.error());
    google::protobuf::RepeatedPtrField<v1::StaffMember> all;
    grpc::Status status = Paginate<v1::ListStaffResponse>(
        req, [&](auto* ctx, const auto& r, auto* out) { return bom_->ListStaff(ctx, r, out); },
        [&](const v1::ListStaffResponse& resp) {
          all.MergeFrom(resp.staff());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kStaffColumns);
  }

  grpc::Status GetStaffMember(const std::string& staff_id, v1::StaffMember* member) {
    v1::GetStaffMemberRequest req;
    req.set_staff_id(staff_id);
    return Rpc([&](grpc::ClientContext* ctx) { return bom_->GetStaffMember(ctx, req, member); });
  }

  // --etag when given, else the staff member's current etag.
  grpc::Status StaffEtag(const Invocation& inv, const std::string& staff_id, std::string* etag) {
    if (inv.Has("etag")) {
      *etag = inv.Flag("etag");
      return grpc::Status::OK;
    }
    v1::StaffMember current;
    grpc::Status status = GetStaffMember(staff_id, &current);
    *etag = current.etag();
    return status;
  }

  Outcome PeopleGet(const Invocation& inv) {
    v1::StaffMember member;
    return PrintOrFail(GetStaffMember(inv.Operand("staff_id"), &member), member);
  }

  Outcome PeopleAdd(const Invocation& inv) {
    Args args(inv);
    v1::AddStaffMemberRequest req;
    req.set_request_id(RequestId(inv));
    req.set_staff_id(args.Flag("staff-id"));
    req.set_name(args.Flag("name"));
    req.set_role(args.FlagEnum<v1::Role>("role"));
    req.set_team_id(args.FlagId("team"));
    req.set_segment_id(args.FlagId("segment"));
    if (!args.ok()) return UsageFailure(args.error());
    v1::StaffMember member;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return bom_->AddStaffMember(ctx, req, &member); }),
        member);
  }

  Outcome PeopleMove(const Invocation& inv) {
    Args args(inv);
    const std::string staff_id = args.Operand("staff_id");
    const int64_t team = args.FlagId("team");
    if (!args.ok()) return UsageFailure(args.error());
    std::string etag;
    if (grpc::Status s = StaffEtag(inv, staff_id, &etag); !s.ok()) return RpcFailure(s);
    v1::MoveStaffMemberRequest req;
    req.set_request_id(RequestId(inv));
    req.set_staff_id(staff_id);
    req.set_etag(etag);
    req.set_team_id(team);
    v1::StaffMember member;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return bom_->MoveStaffMember(ctx, req, &member); }),
        member);
  }

  Outcome PeopleDeactivate(const Invocation& inv) {
    const std::string staff_id = inv.Operand("staff_id");
    std::string etag;
    if (grpc::Status s = StaffEtag(inv, staff_id, &etag); !s.ok()) return RpcFailure(s);
    v1::DeactivateStaffMemberRequest req;
    req.set_request_id(RequestId(inv));
    req.set_staff_id(staff_id);
    req.set_etag(etag);
    v1::StaffMember member;
    return PrintOrFail(Rpc([&](grpc::ClientContext* ctx) {
                         return bom_->DeactivateStaffMember(ctx, req, &member);
                       }),
                       member);
  }

  // ---------------------------------------------------------------- bom

  Outcome BomAsOf(const Invocation& inv) {
    absl::StatusOr<google::protobuf::Timestamp> as_of =
        ParseTimestamp(inv.Operand("time"), absl::Now());
    if (!as_of.ok()) return UsageFailure(as_of.status().message());
    v1::GetBomAsOfRequest req;
    *req.mutable_as_of() = *as_of;
    v1::Bom bom;
    grpc::Status status =
        Rpc([&](grpc::ClientContext* ctx) { return bom_->GetBomAsOf(ctx, req, &bom); });
    if (!status.ok()) return RpcFailure(status);
    if (output_ == OutputFormat::kJson) return PrintOne(bom);
    const std::string text =
        absl::StrCat("as_of: ", bom.has_as_of() ? FormatTimestamp(bom.as_of()) : "",
                     "\n\nSEGMENTS\n", FormatMessageTable(bom.segments(), kSegmentColumns),
                     "\nTEAMS\n", FormatMessageTable(bom.teams(), kTeamColumns), "\nSTAFF\n",
                     FormatMessageTable(bom.staff(), kStaffColumns));
    std::fputs(text.c_str(), stdout);
    return {};
  }

  // ---------------------------------------------------------------- approvals

  Outcome ApprovalsInbox(const Invocation&) {
    google::protobuf::RepeatedPtrField<v1::Approval> all;
    grpc::Status status = Paginate<v1::ListApprovalInboxResponse>(
        v1::ListApprovalInboxRequest(),
        [&](auto* ctx, const auto& r, auto* out) {
          return approvals_->ListApprovalInbox(ctx, r, out);
        },
        [&](const v1::ListApprovalInboxResponse& resp) {
          all.MergeFrom(resp.approvals());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kApprovalColumns);
  }

  Outcome ApprovalsList(const Invocation& inv) {
    Args args(inv);
    v1::ListApprovalsRequest req;
    req.set_service_request_id(args.FlagId("sr"));
    req.set_state(args.FlagEnum<v1::ApprovalState>("state"));
    if (!args.ok()) return UsageFailure(args.error());
    if (req.service_request_id() == 0) req.set_kind(v1::APPROVAL_KIND_BOM_CHANGE);
    google::protobuf::RepeatedPtrField<v1::Approval> all;
    grpc::Status status = Paginate<v1::ListApprovalsResponse>(
        req,
        [&](auto* ctx, const auto& r, auto* out) { return approvals_->ListApprovals(ctx, r, out); },
        [&](const v1::ListApprovalsResponse& resp) {
          all.MergeFrom(resp.approvals());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kApprovalColumns);
  }

  Outcome ApprovalsGet(const Invocation& inv) {
    Args args(inv);
    v1::GetApprovalRequest req;
    req.set_id(args.OperandId("id"));
    if (!args.ok()) return UsageFailure(args.error());
    v1::Approval approval;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return approvals_->GetApproval(ctx, req, &approval); }),
        approval);
  }

  Outcome ApprovalsApprove(const Invocation& inv) {
    return Decide(inv, v1::APPROVAL_STATE_APPROVED);
  }
  Outcome ApprovalsReject(const Invocation& inv) {
    return Decide(inv, v1::APPROVAL_STATE_REJECTED);
  }

  Outcome Decide(const Invocation& inv, v1::ApprovalState decision) {
    Args args(inv);
    v1::DecideApprovalRequest req;
    req.set_approval_id(args.OperandId("id"));
    if (!args.ok()) return UsageFailure(args.error());
    req.set_request_id(RequestId(inv));
    req.set_decision(decision);
    req.set_comment(args.Flag("comment"));
    v1::Approval decided;
    return PrintOrFail(Rpc([&](grpc::ClientContext* ctx) {
                         return approvals_->DecideApproval(ctx, req, &decided);
                       }),
                       decided);
  }

  // ---------------------------------------------------------------- casegroups

  Outcome CasegroupsGet(const Invocation& inv) {
    Args args(inv);
    v1::GetCasegroupRequest req;
    req.set_id(args.OperandId("id"));
    if (!args.ok()) return UsageFailure(args.error());
    v1::Casegroup casegroup;
    return PrintOrFail(Rpc([&](grpc::ClientContext* ctx) {
                         return casegroups_->GetCasegroup(ctx, req, &casegroup);
                       }),
                       casegroup);
  }

  Outcome CasegroupsExplain(const Invocation& inv) {
    Args args(inv);
    v1::ExplainRoutingRequest req;
    req.set_casegroup_id(args.OperandId("id"));
    if (!args.ok()) return UsageFailure(args.error());
    v1::RoutingExplanation explanation;
    return PrintOrFail(Rpc([&](grpc::ClientContext* ctx) {
                         return casegroups_->ExplainRouting(ctx, req, &explanation);
                       }),
                       explanation);
  }

  Outcome CasegroupsMoves(const Invocation& inv) {
    Args args(inv);
    v1::ListCasegroupMovesRequest req;
    req.set_casegroup_id(args.OperandId("id"));
    if (!args.ok()) return UsageFailure(args.error());
    google::protobuf::RepeatedPtrField<v1::CasegroupMove> all;
    grpc::Status status = Paginate<v1::ListCasegroupMovesResponse>(
        req,
        [&](auto* ctx, const auto& r, auto* out) {
          return casegroups_->ListCasegroupMoves(ctx, r, out);
        },
        [&](const v1::ListCasegroupMovesResponse& resp) {
          all.MergeFrom(resp.moves());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kMoveColumns);
  }

  // ---------------------------------------------------------------- SR types

  Outcome SrTypesList(const Invocation&) {
    google::protobuf::RepeatedPtrField<v1::SrType> all;
    grpc::Status status = Paginate<v1::ListSrTypesResponse>(
        v1::ListSrTypesRequest(),
        [&](auto* ctx, const auto& r, auto* out) {
          return service_requests_->ListSrTypes(ctx, r, out);
        },
        [&](const v1::ListSrTypesResponse& resp) {
          all.MergeFrom(resp.types());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kSrTypeColumns);
  }

  // ---------------------------------------------------------------- letters (L12.*)

  Outcome LettersTemplates(const Invocation&) {
    google::protobuf::RepeatedPtrField<v1::LetterTemplate> all;
    grpc::Status status = Paginate<v1::ListLetterTemplatesResponse>(
        v1::ListLetterTemplatesRequest(),
        [&](auto* ctx, const auto& r, auto* out) {
          return letters_->ListLetterTemplates(ctx, r, out);
        },
        [&](const v1::ListLetterTemplatesResponse& resp) {
          all.MergeFrom(resp.templates());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kLetterTemplateColumns);
  }

  Outcome LettersShow(const Invocation& inv) {
    Args args(inv);
    v1::GetLetterRequest req;
    req.set_id(args.OperandId("id"));
    if (!args.ok()) return UsageFailure(args.error());
    v1::Letter letter;
    grpc::Status status =
        Rpc([&](grpc::ClientContext* ctx) { return letters_->GetLetter(ctx, req, &letter); });
    if (!status.ok()) return RpcFailure(status);
    if (output_ == OutputFormat::kJson) return PrintOne(letter);
    // The text exactly as sent, so it can be piped to a printer or a file.
    std::fputs(letter.text().c_str(), stdout);
    return {};
  }

  Outcome InteractionsList(const Invocation& inv) {
    Args args(inv);
    v1::ListInteractionsRequest req;
    req.set_person_id(args.FlagId("person"));
    req.set_case_id(args.FlagId("case"));
    if (args.ok() && req.person_id() == 0 && req.case_id() == 0) {
      args.Fail("\"interactions list\" needs --person, --case or both");
    }
    if (!args.ok()) return UsageFailure(args.error());
    google::protobuf::RepeatedPtrField<v1::Interaction> all;
    grpc::Status status = Paginate<v1::ListInteractionsResponse>(
        req,
        [&](auto* ctx, const auto& r, auto* out) {
          return letters_->ListInteractions(ctx, r, out);
        },
        [&](const v1::ListInteractionsResponse& resp) {
          all.MergeFrom(resp.interactions());
          return true;
        });
    if (!status.ok()) return RpcFailure(status);
    return PrintList(all, kInteractionColumns);
  }

  // ---------------------------------------------------------------- payments (M7.5, M7.6)
  //
  // Tables show amounts in pounds ("216.67"), right-aligned; --output json
  // prints the message as the proto has it, in whole pence.

  Outcome PaymentsSchedule(const Invocation& inv) {
    Args args(inv);
    v1::GetScheduleRequest req;
    req.set_case_id(args.OperandId("case_id"));
    if (!args.ok()) return UsageFailure(args.error());
    v1::Schedule schedule;
    grpc::Status status =
        Rpc([&](grpc::ClientContext* ctx) { return payments_->GetSchedule(ctx, req, &schedule); });
    if (!status.ok()) return RpcFailure(status);
    if (output_ == OutputFormat::kJson) return PrintOne(schedule);
    std::vector<std::vector<std::string>> rows;
    for (const v1::ScheduleItem& item : schedule.items()) {
      rows.push_back({absl::StrCat(item.sequence()), FieldText(item, "due_date"),
                      FormatPounds(item.expected_pence()), FieldText(item, "expected_method"),
                      FieldText(item, "status"), FormatPounds(item.paid_pence()),
                      FieldText(item, "on_time"), FieldText(item, "in_full"),
                      FieldText(item, "agreed_method")});
    }
    std::vector<std::pair<std::string, std::string>> header = {
        {"id", absl::StrCat(schedule.id())},
        {"case_id", absl::StrCat(schedule.case_id())},
        {"state", FieldText(schedule, "state")},
        {"reason", FieldText(schedule, "reason")},
        {"frequency", FieldText(schedule, "frequency")},
        {"weekly_liability", FormatPounds(schedule.weekly_liability_pence())},
        {"first_collection_date", FieldText(schedule, "first_collection_date")},
        {"next_annual_review", FieldText(schedule, "next_annual_review")},
        {"unallocated_credit", FormatPounds(schedule.unallocated_credit_pence())},
        {"created_by", FieldText(schedule, "created_by")},
        {"create_time", FieldText(schedule, "create_time")},
    };
    const std::string text =
        absl::StrCat(FormatKeyValueLines(header), "\nITEMS\n",
                     FormatTable({"SEQ", "DUE_DATE", "EXPECTED", "METHOD", "STATUS", "PAID",
                                  "ON_TIME", "IN_FULL", "AGREED_METHOD"},
                                 rows, /*right_aligned=*/{0, 2, 5}));
    std::fputs(text.c_str(), stdout);
    return {};
  }

  Outcome PaymentsStatement(const Invocation& inv) {
    Args args(inv);
    v1::GetStatementRequest req;
    req.set_case_id(args.OperandId("case_id"));
    if (!args.ok()) return UsageFailure(args.error());
    v1::Statement statement;
    grpc::Status status = Rpc(
        [&](grpc::ClientContext* ctx) { return payments_->GetStatement(ctx, req, &statement); });
    if (!status.ok()) return RpcFailure(status);
    if (output_ == OutputFormat::kJson) return PrintOne(statement);
    // A line is either a debit or a credit: the other column stays blank.
    auto amount = [](int64_t pence) { return pence == 0 ? std::string() : FormatPounds(pence); };
    std::vector<std::vector<std::string>> rows;
    for (const v1::StatementLine& line : statement.lines()) {
      rows.push_back({FieldText(line, "date"), FieldText(line, "kind"),
                      FieldText(line, "description"), amount(line.debit_pence()),
                      amount(line.credit_pence()), FormatPounds(line.balance_pence())});
    }
    const std::string text = absl::StrCat(
        FormatKeyValueLines({{"case_id", absl::StrCat(statement.case_id())},
                             {"as_of", FieldText(statement, "as_of")}}),
        "\n",
        FormatTable({"DATE", "KIND", "DESCRIPTION", "DEBIT", "CREDIT", "BALANCE"}, rows,
                    /*right_aligned=*/{3, 4, 5}),
        "\n",
        FormatKeyValueLines({{"balance", FormatPounds(statement.balance_pence())},
                             {"arrears", FormatPounds(statement.arrears_pence())}}));
    std::fputs(text.c_str(), stdout);
    return {};
  }

  Outcome PaymentsArrears(const Invocation& inv) {
    Args args(inv);
    v1::GetArrearsRequest req;
    const int64_t case_id = args.FlagId("case");
    const int64_t casegroup_id = args.FlagId("casegroup");
    if (args.ok() && (case_id == 0) == (casegroup_id == 0)) {
      args.Fail("\"payments arrears\" needs one of --case or --casegroup");
    }
    if (!args.ok()) return UsageFailure(args.error());
    if (case_id != 0) {
      req.set_case_id(case_id);
    } else {
      req.set_casegroup_id(casegroup_id);
    }
    v1::Arrears arrears;
    grpc::Status status =
        Rpc([&](grpc::ClientContext* ctx) { return payments_->GetArrears(ctx, req, &arrears); });
    if (!status.ok()) return RpcFailure(status);
    if (output_ == OutputFormat::kJson) return PrintOne(arrears);
    const std::string text = FormatKeyValueLines({
        case_id != 0
            ? std::pair<std::string, std::string>{"case_id", absl::StrCat(arrears.case_id())}
            : std::pair<std::string, std::string>{"casegroup_id",
                                                  absl::StrCat(arrears.casegroup_id())},
        {"as_of", FieldText(arrears, "as_of")},
        {"balance", FormatPounds(arrears.balance_pence())},
        {"missed_items", absl::StrCat(arrears.missed_items())},
        {"partial_items", absl::StrCat(arrears.partial_items())},
    });
    std::fputs(text.c_str(), stdout);
    return {};
  }

  // ---------------------------------------------------------------- timers (T8.2)

  Outcome TimerStats(const Invocation&) {
    v1::TimerStats stats;
    return PrintOrFail(Rpc([&](grpc::ClientContext* ctx) {
                         return admin_->GetTimerStats(ctx, v1::GetTimerStatsRequest(), &stats);
                       }),
                       stats);
  }

  // ---------------------------------------------------------------- security (X13.1)

  Outcome SecurityStats(const Invocation&) {
    v1::SecurityStats stats;
    grpc::Status status = Rpc([&](grpc::ClientContext* ctx) {
      return admin_->GetSecurityStats(ctx, v1::GetSecurityStatsRequest(), &stats);
    });
    if (!status.ok()) return RpcFailure(status);
    if (output_ == OutputFormat::kJson) return PrintOne(stats);
    std::vector<std::pair<std::string, std::string>> lines;
    for (const auto& r : stats.refused()) {
      lines.push_back({absl::StrCat("refused ", r.code()), absl::StrCat(r.count())});
    }
    lines.push_back({"rate_limited", absl::StrCat(stats.rate_limited())});
    for (const auto& p : stats.limited_peers()) {
      const double seconds = p.retry_after().seconds() + p.retry_after().nanos() / 1e9;
      lines.push_back(
          {absl::StrCat("limited ", p.address()), absl::StrFormat("retry in %.1f s", seconds)});
    }
    std::fputs(FormatKeyValueLines(lines).c_str(), stdout);
    return {};
  }

  // ---------------------------------------------------------------- orphans (W4.5)

  Outcome OrphansCheck(const Invocation&) {
    v1::Orphans found;
    grpc::Status status = Rpc([&](grpc::ClientContext* ctx) {
      return work_->CheckOrphans(ctx, v1::CheckOrphansRequest(), &found);
    });
    Outcome out = PrintOrFail(status, found);
    if (status.ok() && found.count() > 0) {
      out.exit_code = kExitOrphans;
      out.error =
          absl::StrCat(found.count(), " orphaned work item(s): run `cmsctl orphans recover`\n");
    }
    return out;
  }

  Outcome OrphansRecover(const Invocation& inv) {
    v1::RecoverOrphansRequest req;
    req.set_request_id(RequestId(inv));
    v1::Orphans repaired;
    return PrintOrFail(
        Rpc([&](grpc::ClientContext* ctx) { return work_->RecoverOrphans(ctx, req, &repaired); }),
        repaired);
  }

  const client::Settings settings_;
  const OutputFormat output_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::BomService::Stub> bom_;
  std::unique_ptr<v1::CasegroupService::Stub> casegroups_;
  std::unique_ptr<v1::ServiceRequestService::Stub> service_requests_;
  std::unique_ptr<v1::WorkService::Stub> work_;
  std::unique_ptr<v1::LetterService::Stub> letters_;
  std::unique_ptr<v1::ApprovalService::Stub> approvals_;
  std::unique_ptr<v1::PaymentService::Stub> payments_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

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
  Cmsctl cmsctl(*std::move(settings), inv->globals.output);
  Outcome outcome = cmsctl.Run(*inv);
  std::fflush(stdout);
  if (outcome.exit_code != kExitOk) std::fputs(outcome.error.c_str(), stderr);
  return outcome.exit_code;
}

}  // namespace
}  // namespace cms::cmsctl

int main(int argc, char** argv) { return cms::cmsctl::Main(argc, argv); }
