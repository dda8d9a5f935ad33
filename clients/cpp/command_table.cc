#include "clients/cpp/command_table.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cpp/client_channel.h"
#include "clients/cpp/session.h"
#include "clients/cpp/text_printer.h"
#include "server/base/enum_names.h"

namespace cms::cmsctl {
namespace {

const std::vector<std::string> kSegmentColumns = {
    "id", "country", "service_segment", "system_name", "description", "code", "status"};
const std::vector<std::string> kComplianceColumns = {"id",
                                                     "case_id",
                                                     "casegroup_id",
                                                     "state",
                                                     "eligibility",
                                                     "decision",
                                                     "offer_service_request_id",
                                                     "outcome_service_request_id"};
const std::vector<std::string> kComplianceEventColumns = {
    "id",          "event_time",         "kind",  "from_state", "to_state",
    "eligibility", "service_request_id", "actor", "detail"};
const std::vector<std::string> kArrearsColumns = {"id",
                                                  "case_id",
                                                  "casegroup_id",
                                                  "state",
                                                  "rung",
                                                  "review_reason",
                                                  "review_service_request_id",
                                                  "balance_at_review_pence",
                                                  "missed_payments"};
const std::vector<std::string> kArrearsEventColumns = {
    "id", "event_time", "kind", "state", "rung", "service_request_id", "actor", "detail"};
const std::vector<std::string> kFoiColumns = {
    "id",      "country",  "state",    "received_date", "response_due_date",
    "overdue", "age_days", "handling", "channel",       "requester_full_name"};
const std::vector<std::string> kMpColumns = {
    "id",      "country",  "kind",    "state",   "received_date",   "response_due_date",
    "overdue", "age_days", "channel", "mp_name", "mp_constituency", "input_service_request_id"};
const std::vector<std::string> kGuidanceQueueColumns = {
    "kind",         "id",        "country",  "age_days",      "raised_by", "raising_team",
    "allocated_to", "sr_status", "priority", "private_state", "question"};
const std::vector<std::string> kPrivateGuidanceColumns = {
    "id", "country", "state", "age_days", "raised_by", "raising_team", "question", "answer.text"};
const std::vector<std::string> kSampleColumns = {"id",   "country",  "seed",     "item_count",
                                                 "size", "rate_ppm", "drawn_by", "draw_time"};
const std::vector<std::string> kSampleItemColumns = {
    "id",         "sample_id",        "kind",           "item_id",      "caseworker",
    "team_id",    "segment_id",       "case_id",        "sr_type_code", "decision_type",
    "occur_time", "current_check_id", "current_outcome"};
const std::vector<std::string> kCheckColumns = {"id",
                                                "sample_item_id",
                                                "kind",
                                                "item_id",
                                                "caseworker",
                                                "outcome",
                                                "corrects_check_id",
                                                "superseded_by_check_id",
                                                "checked_by",
                                                "check_time"};
const std::vector<std::string> kFeedbackColumns = {"id",
                                                   "check_id",
                                                   "caseworker",
                                                   "given_by",
                                                   "give_time",
                                                   "corrects_feedback_id",
                                                   "superseded_by_feedback_id",
                                                   "text"};
const std::vector<std::string> kCorrectiveActionColumns = {
    "id",    "check_id", "caseworker",   "assigned_to", "due_date",
    "state", "overdue",  "completed_by", "description"};
const std::vector<std::string> kAssetColumns = {"id",     "person_id",    "case_id",
                                                "type",   "account_type", "state",
                                                "source", "reference",    "description"};
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
    absl::StatusOr<E> value = ParseEnumOrError<E>(inv_.Flag(flag));
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

std::string RequestId(const Invocation& inv) {
  return inv.Has("request-id") ? inv.Flag("request-id") : client::NewRequestId();
}

// ---------------------------------------------------------------- operations (W4.6)

// "operations/12" or "12".
std::string OperationName(const std::string& operand) {
  return absl::StartsWith(operand, "operations/") ? operand : "operations/" + operand;
}

// --timeout SECONDS for --wait; nullopt: wait as long as it takes.
std::optional<absl::Duration> WaitTimeout(Args& args) {
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
void DrawProgress(const v1::Operation& op) {
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
Outcome WaitForOperation(Session& s, v1::Operation op, std::optional<absl::Duration> timeout) {
  const absl::Time deadline = timeout.has_value() ? absl::Now() + *timeout : absl::InfiniteFuture();
  while (true) {
    DrawProgress(op);
    if (op.done()) break;
    if (absl::Now() >= deadline) {
      std::fputs("\n", stderr);
      s.PrintOne(op);
      return {kExitWaitTimedOut,
              absl::StrCat("error: still running after ", absl::FormatDuration(*timeout), "; ",
                           op.name(), " carries on (cmsctl operations get ", op.name(), ")\n")};
    }
    absl::SleepFor(std::min(absl::Milliseconds(250), deadline - absl::Now()));
    v1::GetOperationRequest get;
    get.set_name(op.name());
    v1::Operation now;
    grpc::Status status =
        s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().GetOperation(ctx, get, &now); });
    if (!status.ok()) {
      std::fputs("\n", stderr);
      return RpcFailure(status);
    }
    op = std::move(now);
  }
  std::fputs("\n", stderr);
  s.PrintOne(op);
  if (op.state() == v1::OPERATION_STATE_SUCCEEDED) return {};
  std::string why = absl::StrCat("error: ", op.name(), " ", ShortName(op.state()));
  if (op.has_error()) {
    absl::StrAppend(&why, ": ", op.error().message());
    if (!op.error().rule_id().empty()) absl::StrAppend(&why, " (rule ", op.error().rule_id(), ")");
  }
  return {kExitFailed, why + "\n"};
}

// ---------------------------------------------------------------- segments

Outcome SegmentsList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListSegmentsRequest req;
  req.set_include_retired(args.BoolFlag("include-retired"));
  req.set_country(args.FlagEnum<v1::Country>("country"));
  req.set_service_segment(args.FlagEnum<v1::ServiceSegment>("service-segment"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListSegmentsResponse all;
  grpc::Status status = s.ListAll(
      req, [&](auto* ctx, const auto& r, auto* out) { return s.bom().ListSegments(ctx, r, out); },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.segments(), kSegmentColumns);
}

// The etag a write sends: --etag when given, else the resource's current
// one, as `read` (a grpc::Status(Resource*) reading it now) finds it.
template <typename Resource, typename Read>
grpc::Status EtagOrCurrent(const Invocation& inv, Read read, std::string* etag) {
  if (inv.Has("etag")) {
    *etag = inv.Flag("etag");
    return grpc::Status::OK;
  }
  Resource current;
  grpc::Status status = read(&current);
  *etag = current.etag();
  return status;
}

grpc::Status GetSegment(Session& s, int64_t id, v1::Segment* segment) {
  v1::GetSegmentRequest req;
  req.set_id(id);
  return s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().GetSegment(ctx, req, segment); });
}

Outcome SegmentsGet(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t id = args.OperandId("id");
  if (!args.ok()) return UsageFailure(args.error());
  v1::Segment segment;
  return s.PrintOrFail(GetSegment(s, id, &segment), segment);
}

Outcome SegmentsCreate(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::CreateSegmentRequest req;
  req.set_request_id(RequestId(inv));
  req.set_country(args.FlagEnum<v1::Country>("country"));
  req.set_service_segment(args.FlagEnum<v1::ServiceSegment>("service-segment"));
  req.set_description(args.Flag("description"));
  req.set_code(args.Flag("code"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::Segment segment;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().CreateSegment(ctx, req, &segment); }),
      segment);
}

Outcome SegmentsRename(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t id = args.OperandId("id");
  if (!args.Has("description") && !args.Has("code")) {
    args.Fail("\"segments rename\" needs --description, --code or both");
  }
  if (!args.ok()) return UsageFailure(args.error());
  // The current values are needed for an omitted field, the etag unless given.
  v1::Segment current;
  if (!args.Has("etag") || !args.Has("description") || !args.Has("code")) {
    if (grpc::Status st = GetSegment(s, id, &current); !st.ok()) return RpcFailure(st);
  }
  v1::RenameSegmentRequest req;
  req.set_request_id(RequestId(inv));
  req.set_id(id);
  req.set_etag(args.Has("etag") ? args.Flag("etag") : current.etag());
  // The RPC replaces both; an omitted one keeps its current value.
  req.set_description(args.Has("description") ? args.Flag("description") : current.description());
  req.set_code(args.Has("code") ? args.Flag("code") : current.code());
  v1::Segment segment;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().RenameSegment(ctx, req, &segment); }),
      segment);
}

Outcome SegmentsRetire(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t id = args.OperandId("id");
  const int64_t target = args.FlagId("target");
  const std::optional<absl::Duration> timeout = WaitTimeout(args);
  if (!args.ok()) return UsageFailure(args.error());
  std::string etag;
  if (grpc::Status st = EtagOrCurrent<v1::Segment>(
          inv, [&](v1::Segment* current) { return GetSegment(s, id, current); }, &etag);
      !st.ok()) {
    return RpcFailure(st);
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
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().StartRetireSegment(ctx, req, &op); });
  if (!status.ok()) return RpcFailure(status);
  return args.BoolFlag("wait") ? WaitForOperation(s, op, timeout) : s.PrintOne(op);
}

Outcome SegmentsSplit(Session& s, const Invocation& inv) {
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
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().StartSplitSegment(ctx, req, &op); });
  if (!status.ok()) return RpcFailure(status);
  return args.BoolFlag("wait") ? WaitForOperation(s, op, timeout) : s.PrintOne(op);
}

// ---------------------------------------------------------------- Segment 5 (S5.*)

Outcome ComplianceGet(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetComplianceOpportunityRequest req;
  req.set_case_id(args.OperandId("case"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ComplianceOpportunity opp;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.compliance().GetComplianceOpportunity(ctx, req, &opp);
  }),
                       opp);
}

Outcome ComplianceList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListComplianceOpportunitiesRequest req;
  req.set_state(args.FlagEnum<v1::ComplianceState>("state"));
  req.set_owning_segment_id(args.FlagId("segment"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListComplianceOpportunitiesResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.compliance().ListComplianceOpportunities(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.opportunities(), kComplianceColumns);
}

Outcome ComplianceEvents(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListComplianceEventsRequest req;
  req.set_opportunity_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListComplianceEventsResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.compliance().ListComplianceEvents(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.events(), kComplianceEventColumns);
}

// The opportunity by id, for its etag (a write command reads it first
// unless --etag is given, as the other write commands do).
grpc::Status GetOpportunity(Session& s, int64_t id, v1::ComplianceOpportunity* opp) {
  v1::GetComplianceOpportunityRequest req;
  req.set_id(id);
  return s.Rpc([&](grpc::ClientContext* ctx) {
    return s.compliance().GetComplianceOpportunity(ctx, req, opp);
  });
}

// --flag YYYY-MM-DD as a cms.v1.Date.
v1::Date FlagDate(Args& args, absl::string_view flag) {
  v1::Date date;
  absl::CivilDay day;
  if (!absl::ParseCivilTime(args.Flag(flag), &day)) {
    args.Fail(absl::StrCat("--", flag, ": a date, YYYY-MM-DD"));
    return date;
  }
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// Runs `call` (a compliance write taking the opportunity's etag) with the
// etag of --etag, else of the opportunity as read now; prints the
// opportunity it returns.
template <typename Request, typename Call>
Outcome ComplianceWrite(Session& s, const Invocation& inv, int64_t id, Request& req, Call call) {
  req.set_request_id(RequestId(inv));
  req.set_opportunity_id(id);
  if (grpc::Status st = EtagOrCurrent<v1::ComplianceOpportunity>(
          inv, [&](v1::ComplianceOpportunity* current) { return GetOpportunity(s, id, current); },
          req.mutable_etag());
      !st.ok()) {
    return RpcFailure(st);
  }
  v1::ComplianceOpportunity opp;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) { return call(ctx, req, &opp); }), opp);
}

Outcome ComplianceOutcome(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t id = args.OperandId("opportunity_id");
  v1::RecordOutcomeRequest req;
  req.set_action(args.FlagEnum<v1::ComplianceAction>("action"));
  req.set_reason(args.FlagEnum<v1::ComplianceReason>("reason"));
  req.set_utp_status(args.FlagEnum<v1::UnlikelyToPayStatus>("utp"));
  req.set_dp_rejected_reason(args.Flag("dp-rejected-reason"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ComplianceWrite(s, inv, id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.compliance().RecordOutcome(ctx, r, out);
  });
}

Outcome ComplianceExtend(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t id = args.OperandId("opportunity_id");
  v1::RequestExtensionRequest req;
  req.set_reason(args.FlagEnum<v1::ExtensionReason>("reason"));
  *req.mutable_proposed_revised_date() = FlagDate(args, "date");
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ComplianceWrite(s, inv, id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.compliance().RequestExtension(ctx, r, out);
  });
}

Outcome ComplianceEndEarly(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t id = args.OperandId("opportunity_id");
  v1::EndEarlyRequest req;
  req.set_reason(args.FlagEnum<v1::EarlyEndReason>("reason"));
  req.set_trigger_service_request_id(args.FlagId("trigger"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ComplianceWrite(s, inv, id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.compliance().EndEarly(ctx, r, out);
  });
}

// ---------------------------------------------------------------- arrears (AR10.*)

Outcome ArrearsGet(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetArrearsActionRequest req;
  req.set_case_id(args.OperandId("case"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ArrearsAction action;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.arrears().GetArrearsAction(ctx, req, &action);
  }),
                       action);
}

Outcome ArrearsRecommend(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetArrearsRecommendationRequest req;
  req.set_case_id(args.OperandId("case"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ArrearsRecommendation r;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.arrears().GetArrearsRecommendation(ctx, req, &r);
  }),
                       r);
}

Outcome ArrearsList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListArrearsActionsRequest req;
  req.set_state(args.FlagEnum<v1::ArrearsState>("state"));
  req.set_rung(args.FlagEnum<v1::ArrearsRung>("rung"));
  req.set_owning_segment_id(args.FlagId("segment"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListArrearsActionsResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.arrears().ListArrearsActions(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.actions(), kArrearsColumns);
}

Outcome ArrearsEvents(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListArrearsEventsRequest req;
  req.set_arrears_action_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListArrearsEventsResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.arrears().ListArrearsEvents(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.events(), kArrearsEventColumns);
}

// Runs `call` (an arrears write taking the action's etag) with the etag of
// --etag, else of the case's action as read now; prints what it returns.
template <typename Request, typename Call>
Outcome ArrearsWrite(Session& s, const Invocation& inv, int64_t case_id, Request& req, Call call) {
  req.set_request_id(RequestId(inv));
  req.set_case_id(case_id);
  v1::GetArrearsActionRequest get;
  get.set_case_id(case_id);
  grpc::Status st = EtagOrCurrent<v1::ArrearsAction>(
      inv,
      [&](v1::ArrearsAction* current) {
        return s.Rpc([&](grpc::ClientContext* ctx) {
          return s.arrears().GetArrearsAction(ctx, get, current);
        });
      },
      req.mutable_etag());
  // The first contact on a case makes its action: no etag then.
  if (!st.ok() && st.error_code() != grpc::StatusCode::NOT_FOUND) return RpcFailure(st);
  v1::ArrearsAction action;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) { return call(ctx, req, &action); }),
                       action);
}

Outcome ArrearsContact(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::RecordArrearsContactRequest req;
  req.set_outcome(args.FlagEnum<v1::ArrearsContactOutcome>("outcome"));
  req.set_note(args.Flag("note"));
  if (inv.Has("claimed-pence")) req.set_claimed_pence(args.FlagId("claimed-pence"));
  if (inv.Has("claimed-date")) *req.mutable_claimed_date() = FlagDate(args, "claimed-date");
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().RecordArrearsContact(ctx, r, out);
  });
}

Outcome ArrearsLetter(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::IssueArrearsLetterRequest req;
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().IssueArrearsLetter(ctx, r, out);
  });
}

Outcome ArrearsHmrc(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::RequestEmploymentStatusRequest req;
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().RequestEmploymentStatus(ctx, r, out);
  });
}

Outcome ArrearsBusiness(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::RecordPpBusinessStructureRequest req;
  req.set_business_structure(args.FlagEnum<v1::BusinessStructure>("structure"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().RecordPpBusinessStructure(ctx, r, out);
  });
}

Outcome ArrearsMonitor(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::SetMissedPaymentMonitorRequest req;
  const std::string state = args.Flag("set");
  if (state != "on" && state != "off") args.Fail("--set: on (disable the monitor) or off");
  req.set_disabled(state == "on");
  req.set_reason(args.Flag("reason"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().SetMissedPaymentMonitor(ctx, r, out);
  });
}

Outcome ArrearsNegotiate(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::StartFinalNegotiationRequest req;
  req.set_purpose(args.FlagEnum<v1::ArrearsRung>("for"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().StartFinalNegotiation(ctx, r, out);
  });
}

Outcome ArrearsNegotiated(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::RecordNegotiationOutcomeRequest req;
  req.set_outcome(args.FlagEnum<v1::NegotiationOutcome>("outcome"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().RecordNegotiationOutcome(ctx, r, out);
  });
}

Outcome ArrearsDisclosure(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::RequestDisclosureRequest req;
  req.set_reason(args.Flag("reason"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().RequestDisclosure(ctx, r, out);
  });
}

Outcome ArrearsDisclosureOutcome(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::RecordDisclosureOutcomeRequest req;
  req.set_outcome(args.FlagEnum<v1::DisclosureOutcome>("outcome"));
  req.set_assets_found(args.BoolFlag("assets-found"));
  req.set_note(args.Flag("note"));
  if (inv.Has("rdo-pence")) req.set_rdo_payment_pence(args.FlagId("rdo-pence"));
  if (inv.Has("rdo-first")) *req.mutable_rdo_first_payment_date() = FlagDate(args, "rdo-first");
  if (inv.Has("rdo-frequency"))
    req.set_rdo_frequency(args.FlagEnum<v1::Frequency>("rdo-frequency"));
  if (inv.Has("lsdo-pence")) req.set_lsdo_amount_pence(args.FlagId("lsdo-pence"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().RecordDisclosureOutcome(ctx, r, out);
  });
}

Outcome ArrearsReferLo(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::ReferLiabilityOrderRequest req;
  req.set_checklist_note(args.Flag("checklist"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().ReferLiabilityOrder(ctx, r, out);
  });
}

// AR10.11: the attempt to reach the RP.
Outcome ArrearsRpContact(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::RecordRpContactRequest req;
  req.set_outcome(args.FlagEnum<v1::RpContactOutcome>("outcome"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().RecordRpContact(ctx, r, out);
  });
}

// AR10.11: the case owner authorises the RDO or LSDO of a successful
// disclosure.
Outcome ArrearsAuthorise(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::AuthoriseDeductionOrderRequest req;
  req.set_order(args.FlagEnum<v1::DeductionOrder>("order"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().AuthoriseDeductionOrder(ctx, r, out);
  });
}

// AR10.12: what DOT said of an enforcement case's RDO.
Outcome ArrearsRdoViability(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::RecordRdoViabilityRequest req;
  req.set_viability(args.FlagEnum<v1::RdoViability>("viability"));
  req.set_further_assets(inv.Has("further-assets"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().RecordRdoViability(ctx, r, out);
  });
}

// AR10.8: an enforcement action.
Outcome ArrearsEnforce(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::TakeEnforcementActionRequest req;
  req.set_action(args.FlagEnum<v1::EnforcementAction>("action"));
  if (inv.Has("court")) req.set_court(args.Flag("court"));
  if (inv.Has("asset")) req.set_asset_id(args.FlagId("asset"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  return ArrearsWrite(s, inv, case_id, req, [&](auto* ctx, const auto& r, auto* out) {
    return s.arrears().TakeEnforcementAction(ctx, r, out);
  });
}

// AG11.3: the FOI queue.
Outcome FoiList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListFoiRequestsRequest req;
  req.set_state(args.FlagEnum<v1::FoiState>("state"));
  req.set_country(args.FlagEnum<v1::Country>("country"));
  req.set_overdue_only(inv.Has("overdue"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListFoiRequestsResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) { return s.foi().ListFoiRequests(ctx, r, out); },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.requests(), kFoiColumns);
}

Outcome FoiGet(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetFoiRequestRequest req;
  req.set_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::FoiRequest r;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.foi().GetFoiRequest(ctx, req, &r); }), r);
}

Outcome FoiCreate(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::CreateFoiRequestRequest req;
  req.set_request_id(RequestId(inv));
  req.set_country(args.FlagEnum<v1::Country>("country"));
  req.set_requester_full_name(args.Flag("name"));
  if (inv.Has("postal")) req.set_postal_address(args.Flag("postal"));
  if (inv.Has("email")) req.set_email_address(args.Flag("email"));
  req.set_channel(args.FlagEnum<v1::FoiChannel>("channel"));
  *req.mutable_received_date() = FlagDate(args, "received");
  req.set_request_text(args.Flag("text"));
  req.set_personal_data(args.FlagEnum<v1::FoiPersonalData>("personal-data"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::FoiRequest r;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.foi().CreateFoiRequest(ctx, req, &r); }), r);
}

Outcome FoiRespond(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::RespondToFoiRequestRequest req;
  req.set_request_id(RequestId(inv));
  req.set_id(args.OperandId("id"));
  req.set_response_text(args.Flag("response"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::GetFoiRequestRequest get;
  get.set_id(req.id());
  if (grpc::Status st = EtagOrCurrent<v1::FoiRequest>(
          inv,
          [&](v1::FoiRequest* current) {
            return s.Rpc(
                [&](grpc::ClientContext* ctx) { return s.foi().GetFoiRequest(ctx, get, current); });
          },
          req.mutable_etag());
      !st.ok()) {
    return RpcFailure(st);
  }
  v1::FoiRequest r;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.foi().RespondToFoiRequest(ctx, req, &r); }),
      r);
}

// AG11.4: the government relations queue.
Outcome MpList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListMpEnquiriesRequest req;
  req.set_state(args.FlagEnum<v1::MpEnquiryState>("state"));
  req.set_kind(args.FlagEnum<v1::MpEnquiryKind>("kind"));
  req.set_country(args.FlagEnum<v1::Country>("country"));
  req.set_overdue_only(inv.Has("overdue"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListMpEnquiriesResponse all;
  grpc::Status status = s.ListAll(
      req, [&](auto* ctx, const auto& r, auto* out) { return s.mp().ListMpEnquiries(ctx, r, out); },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.enquiries(), kMpColumns);
}

Outcome MpGet(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetMpEnquiryRequest req;
  req.set_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::MpEnquiry e;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.mp().GetMpEnquiry(ctx, req, &e); }), e);
}

Outcome MpCreate(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::CreateMpEnquiryRequest req;
  req.set_request_id(RequestId(inv));
  req.set_country(args.FlagEnum<v1::Country>("country"));
  req.set_kind(args.FlagEnum<v1::MpEnquiryKind>("kind"));
  req.set_channel(args.FlagEnum<v1::MpChannel>("channel"));
  req.set_mp_name(args.Flag("mp-name"));
  req.set_mp_constituency(args.Flag("constituency"));
  if (inv.Has("constituent")) req.set_constituent_name(args.Flag("constituent"));
  req.set_constituent_person_id(args.FlagId("person"));
  req.set_case_id(args.FlagId("case"));
  req.set_question(args.Flag("question"));
  *req.mutable_received_date() = FlagDate(args, "received");
  if (!args.ok()) return UsageFailure(args.error());
  v1::MpEnquiry e;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.mp().CreateMpEnquiry(ctx, req, &e); }), e);
}

// --etag, or the enquiry's current one.
grpc::Status MpEtag(Session& s, const Invocation& inv, int64_t id, std::string* etag) {
  v1::GetMpEnquiryRequest get;
  get.set_id(id);
  return EtagOrCurrent<v1::MpEnquiry>(
      inv,
      [&](v1::MpEnquiry* current) {
        return s.Rpc(
            [&](grpc::ClientContext* ctx) { return s.mp().GetMpEnquiry(ctx, get, current); });
      },
      etag);
}

Outcome MpValidate(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ValidateMpEnquiryRequest req;
  req.set_request_id(RequestId(inv));
  req.set_id(args.OperandId("id"));
  if (inv.Has("reject")) {
    req.set_outcome(v1::MP_VALIDATION_OUTCOME_REJECTED);
    req.set_rejection_reason(args.Flag("reject"));
  } else {
    req.set_outcome(v1::MP_VALIDATION_OUTCOME_VALID);
  }
  if (!args.ok()) return UsageFailure(args.error());
  if (grpc::Status st = MpEtag(s, inv, req.id(), req.mutable_etag()); !st.ok()) {
    return RpcFailure(st);
  }
  v1::MpEnquiry e;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.mp().ValidateMpEnquiry(ctx, req, &e); }), e);
}

Outcome MpAnswer(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::AnswerMpEnquiryRequest req;
  req.set_request_id(RequestId(inv));
  req.set_id(args.OperandId("id"));
  req.set_answer_text(args.Flag("answer"));
  if (!args.ok()) return UsageFailure(args.error());
  if (grpc::Status st = MpEtag(s, inv, req.id(), req.mutable_etag()); !st.ok()) {
    return RpcFailure(st);
  }
  v1::MpEnquiry e;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.mp().AnswerMpEnquiry(ctx, req, &e); }), e);
}

Outcome MpClose(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::CloseMpEnquiryRequest req;
  req.set_request_id(RequestId(inv));
  req.set_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  if (grpc::Status st = MpEtag(s, inv, req.id(), req.mutable_etag()); !st.ok()) {
    return RpcFailure(st);
  }
  v1::MpEnquiry e;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.mp().CloseMpEnquiry(ctx, req, &e); }), e);
}

// AG11.1: A&G's queue: the open A&G SRs and private requests, oldest first.
Outcome GuidanceQueue(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListGuidanceQueueRequest req;
  req.set_kind(args.FlagEnum<v1::GuidanceKind>("kind"));
  req.set_country(args.FlagEnum<v1::Country>("country"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListGuidanceQueueResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.guidance().ListGuidanceQueue(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.items(), kGuidanceQueueColumns);
}

// AG11.1: an A&G SR's question and its answer with every correction.
Outcome GuidanceGet(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetGuidanceAnswerRequest req;
  req.set_service_request_id(args.OperandId("sr_id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::SrGuidance g;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.guidance().GetGuidanceAnswer(ctx, req, &g); }),
      g);
}

Outcome GuidanceAnswerSr(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::AnswerGuidanceRequestRequest req;
  req.set_request_id(RequestId(inv));
  req.set_service_request_id(args.OperandId("sr_id"));
  req.set_answer(args.Flag("answer"));
  if (inv.Has("etag")) req.set_etag(inv.Flag("etag"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::SrGuidance g;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.guidance().AnswerGuidanceRequest(ctx, req, &g);
  }),
                       g);
}

Outcome GuidanceCorrect(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::CorrectGuidanceAnswerRequest req;
  req.set_request_id(RequestId(inv));
  req.set_answer_id(args.OperandId("answer_id"));
  req.set_answer(args.Flag("answer"));
  req.set_reason(args.Flag("reason"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::GuidanceAnswer a;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.guidance().CorrectGuidanceAnswer(ctx, req, &a);
  }),
                       a);
}

// ---------------------------------------------------------------- Q&A assurance (AG11.2)

// --flag as an instant of business time: YYYY-MM-DD (the day's start,
// 00:00 Europe/London) or RFC 3339.
google::protobuf::Timestamp FlagInstant(Args& args, absl::string_view flag) {
  const std::string text = args.Flag(flag);
  absl::CivilDay day;
  if (absl::ParseCivilTime(text, &day)) {
    absl::TimeZone london;
    if (!absl::LoadTimeZone("Europe/London", &london)) {
      args.Fail("the Europe/London time zone cannot be loaded (tzdata)");
      return {};
    }
    google::protobuf::Timestamp ts;
    ts.set_seconds(absl::ToUnixSeconds(absl::FromCivil(day, london)));
    return ts;
  }
  absl::StatusOr<google::protobuf::Timestamp> ts = ParseTimestamp(text, absl::Now());
  if (!ts.ok()) {
    args.Fail(absl::StrCat("--", flag, ": a date YYYY-MM-DD or an RFC 3339 time"));
    return {};
  }
  return *ts;
}

// --flag N as a whole number (0 when absent).
int32_t FlagInt(Args& args, absl::string_view flag) {
  if (!args.Has(flag)) return 0;
  int32_t n = 0;
  if (!absl::SimpleAtoi(args.Flag(flag), &n)) args.Fail(absl::StrCat("--", flag, ": a number"));
  return n;
}

// The period of --from and --to.
v1::AssurancePeriod FlagPeriod(Args& args) {
  v1::AssurancePeriod p;
  *p.mutable_start_time() = FlagInstant(args, "from");
  *p.mutable_end_time() = FlagInstant(args, "to");
  return p;
}

// A sample: its inputs, then its items.
Outcome PrintSample(Session& s, const v1::AssuranceSample& sample) {
  if (s.json()) return s.PrintJson(sample);
  v1::AssuranceSample head = sample;
  head.clear_items();
  std::vector<const google::protobuf::Message*> one = {&head};
  return s.PrintText(absl::StrCat(FormatMessageTable(one, kSampleColumns), "\nITEMS\n",
                                  FormatMessageTable(sample.items(), kSampleItemColumns)));
}

Outcome AssuranceSampleDraw(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::DrawAssuranceSampleRequest req;
  req.set_request_id(RequestId(inv));
  req.set_seed(args.Flag("seed"));
  *req.mutable_period() = FlagPeriod(args);
  for (absl::string_view k : absl::StrSplit(args.Flag("kinds"), ',', absl::SkipWhitespace())) {
    absl::StatusOr<v1::AssuranceItemKind> kind = ParseEnumOrError<v1::AssuranceItemKind>(k);
    if (!kind.ok()) {
      args.Fail(absl::StrCat("--kinds: ", kind.status().message()));
      break;
    }
    req.add_kinds(*kind);
  }
  req.set_size(FlagInt(args, "size"));
  req.set_rate_ppm(FlagInt(args, "rate-ppm"));
  v1::AssuranceTargets& t = *req.mutable_targets();
  t.set_case_id(args.FlagId("case"));
  t.set_casegroup_id(args.FlagId("casegroup"));
  t.set_segment_id(args.FlagId("segment"));
  t.set_team_id(args.FlagId("team"));
  t.set_sr_type_code(args.Flag("sr-type"));
  t.set_decision_type(args.FlagEnum<v1::BusinessDecisionType>("decision-type"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::AssuranceSample sample;
  grpc::Status status = s.Rpc([&](grpc::ClientContext* ctx) {
    return s.assurance().DrawAssuranceSample(ctx, req, &sample);
  });
  if (!status.ok()) return RpcFailure(status);
  return PrintSample(s, sample);
}

Outcome AssuranceSampleGet(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetAssuranceSampleRequest req;
  req.set_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::AssuranceSample sample;
  grpc::Status status = s.Rpc([&](grpc::ClientContext* ctx) {
    return s.assurance().GetAssuranceSample(ctx, req, &sample);
  });
  if (!status.ok()) return RpcFailure(status);
  return PrintSample(s, sample);
}

Outcome AssuranceSamples(Session& s, const Invocation& inv) {
  v1::ListAssuranceSamplesResponse all;
  grpc::Status status = s.ListAll(
      v1::ListAssuranceSamplesRequest(),
      [&](auto* ctx, const auto& r, auto* out) {
        return s.assurance().ListAssuranceSamples(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.samples(), kSampleColumns);
}

// AG11.2: Q&A's open checks (--open), or the checks recorded.
Outcome AssuranceChecks(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListAssuranceChecksRequest req;
  req.set_open(inv.Has("open") && inv.BoolFlag("open"));
  req.set_sample_id(args.FlagId("sample"));
  req.set_caseworker(args.Flag("caseworker"));
  req.set_outcome(args.FlagEnum<v1::AssuranceResult>("outcome"));
  req.set_include_superseded(inv.Has("include-superseded") && inv.BoolFlag("include-superseded"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListAssuranceChecksResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.assurance().ListAssuranceChecks(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  if (req.open()) return s.PrintList(all, all.open_items(), kSampleItemColumns);
  return s.PrintList(all, all.checks(), kCheckColumns);
}

Outcome AssuranceCheckRecord(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::RecordAssuranceCheckRequest req;
  req.set_request_id(RequestId(inv));
  req.set_sample_item_id(args.OperandId("sample_item_id"));
  const std::pair<v1::AssuranceCriterion, const char*> criteria[] = {
      {v1::ASSURANCE_CRITERION_CASH_VALUE_ACCURACY, "cash"},
      {v1::ASSURANCE_CRITERION_PROCEDURE_FOLLOWED, "procedure"},
      {v1::ASSURANCE_CRITERION_CLIENT_HANDLING, "handling"}};
  for (const auto& [criterion, flag] : criteria) {
    v1::AssuranceCriterionResult* r = req.add_results();
    r->set_criterion(criterion);
    r->set_result(args.FlagEnum<v1::AssuranceResult>(flag));
    r->set_comment(args.Flag(absl::StrCat(flag, "-comment")));
  }
  req.set_comment(args.Flag("comment"));
  req.set_corrects_check_id(args.FlagId("corrects"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::AssuranceCheck check;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.assurance().RecordAssuranceCheck(ctx, req, &check);
  }),
                       check);
}

Outcome AssuranceCheckGet(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetAssuranceCheckRequest req;
  req.set_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::AssuranceCheck check;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.assurance().GetAssuranceCheck(ctx, req, &check);
  }),
                       check);
}

Outcome AssuranceFeedbackGive(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GiveAssuranceFeedbackRequest req;
  req.set_request_id(RequestId(inv));
  req.set_check_id(args.OperandId("check_id"));
  req.set_text(args.Flag("text"));
  req.set_corrects_feedback_id(args.FlagId("corrects"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::AssuranceFeedback fb;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.assurance().GiveAssuranceFeedback(ctx, req, &fb);
  }),
                       fb);
}

Outcome AssuranceFeedbackList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListAssuranceFeedbackRequest req;
  req.set_check_id(args.FlagId("check"));
  req.set_caseworker(args.Flag("caseworker"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListAssuranceFeedbackResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.assurance().ListAssuranceFeedback(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.feedback(), kFeedbackColumns);
}

Outcome AssuranceActionAdd(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::AddCorrectiveActionRequest req;
  req.set_request_id(RequestId(inv));
  req.set_check_id(args.OperandId("check_id"));
  req.set_description(args.Flag("description"));
  req.set_assigned_to(args.Flag("assign"));
  *req.mutable_due_date() = FlagDate(args, "due");
  if (!args.ok()) return UsageFailure(args.error());
  v1::CorrectiveAction a;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.assurance().AddCorrectiveAction(ctx, req, &a);
  }),
                       a);
}

Outcome GuidanceAskPrivate(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::CreatePrivateGuidanceRequestRequest req;
  req.set_request_id(RequestId(inv));
  req.set_country(args.FlagEnum<v1::Country>("country"));
  req.set_question(args.Flag("question"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::PrivateGuidanceRequest r;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.guidance().CreatePrivateGuidanceRequest(ctx, req, &r);
  }),
                       r);
}

Outcome GuidanceListPrivate(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListPrivateGuidanceRequestsRequest req;
  req.set_state(args.FlagEnum<v1::PrivateGuidanceState>("state"));
  req.set_country(args.FlagEnum<v1::Country>("country"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListPrivateGuidanceRequestsResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.guidance().ListPrivateGuidanceRequests(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.requests(), kPrivateGuidanceColumns);
}

// The private request `id` now (for its etag), or the RPC's failure.
grpc::Status CurrentPrivate(Session& s, int64_t id, v1::PrivateGuidanceRequest* out) {
  v1::GetPrivateGuidanceRequestRequest get;
  get.set_id(id);
  return s.Rpc([&](grpc::ClientContext* ctx) {
    return s.guidance().GetPrivateGuidanceRequest(ctx, get, out);
  });
}

Outcome GuidanceGetPrivate(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t id = args.OperandId("id");
  if (!args.ok()) return UsageFailure(args.error());
  v1::PrivateGuidanceRequest r;
  return s.PrintOrFail(CurrentPrivate(s, id, &r), r);
}

Outcome GuidanceAnswerPrivate(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::AnswerPrivateGuidanceRequestRequest req;
  req.set_request_id(RequestId(inv));
  req.set_id(args.OperandId("id"));
  req.set_answer(args.Flag("answer"));
  if (!args.ok()) return UsageFailure(args.error());
  if (grpc::Status st = EtagOrCurrent<v1::PrivateGuidanceRequest>(
          inv,
          [&](v1::PrivateGuidanceRequest* current) { return CurrentPrivate(s, req.id(), current); },
          req.mutable_etag());
      !st.ok()) {
    return RpcFailure(st);
  }
  v1::PrivateGuidanceRequest r;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.guidance().AnswerPrivateGuidanceRequest(ctx, req, &r);
  }),
                       r);
}

Outcome GuidanceClosePrivate(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ClosePrivateGuidanceRequestRequest req;
  req.set_request_id(RequestId(inv));
  req.set_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  if (grpc::Status st = EtagOrCurrent<v1::PrivateGuidanceRequest>(
          inv,
          [&](v1::PrivateGuidanceRequest* current) { return CurrentPrivate(s, req.id(), current); },
          req.mutable_etag());
      !st.ok()) {
    return RpcFailure(st);
  }
  v1::PrivateGuidanceRequest r;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.guidance().ClosePrivateGuidanceRequest(ctx, req, &r);
  }),
                       r);
}

Outcome AssuranceActionDone(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::CompleteCorrectiveActionRequest req;
  req.set_request_id(RequestId(inv));
  req.set_id(args.OperandId("id"));
  req.set_note(args.Flag("note"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::GetCorrectiveActionRequest get;
  get.set_id(req.id());
  if (grpc::Status st = EtagOrCurrent<v1::CorrectiveAction>(
          inv,
          [&](v1::CorrectiveAction* current) {
            return s.Rpc([&](grpc::ClientContext* ctx) {
              return s.assurance().GetCorrectiveAction(ctx, get, current);
            });
          },
          req.mutable_etag());
      !st.ok()) {
    return RpcFailure(st);
  }
  v1::CorrectiveAction a;
  return s.PrintOrFail(s.Rpc([&](grpc::ClientContext* ctx) {
    return s.assurance().CompleteCorrectiveAction(ctx, req, &a);
  }),
                       a);
}

Outcome AssuranceActions(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListCorrectiveActionsRequest req;
  req.set_assigned_to_me(inv.Has("mine") && inv.BoolFlag("mine"));
  req.set_check_id(args.FlagId("check"));
  req.set_open_only(inv.Has("open") && inv.BoolFlag("open"));
  req.set_overdue_only(inv.Has("overdue") && inv.BoolFlag("overdue"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListCorrectiveActionsResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.assurance().ListCorrectiveActions(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.actions(), kCorrectiveActionColumns);
}

// AG11.2: a team's coaching needs, one row per member.
Outcome AssuranceCoaching(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetCoachingNeedsRequest req;
  req.set_team_id(args.FlagId("team"));
  *req.mutable_period() = FlagPeriod(args);
  if (!args.ok()) return UsageFailure(args.error());
  v1::CoachingNeeds needs;
  grpc::Status status = s.Rpc(
      [&](grpc::ClientContext* ctx) { return s.assurance().GetCoachingNeeds(ctx, req, &needs); });
  if (!status.ok()) return RpcFailure(status);
  if (s.json()) return s.PrintJson(needs);
  std::vector<std::string> header = {"STAFF_ID", "CHECKS", "FAILED_CHECKS"};
  for (int c = 1; c <= 3; ++c) {
    header.push_back(ShortName(static_cast<v1::AssuranceCriterion>(c)));
  }
  header.push_back("OPEN_ACTIONS");
  header.push_back("OVERDUE_ACTIONS");
  std::vector<std::vector<std::string>> rows;
  for (const v1::CaseworkerCoaching& c : needs.caseworkers()) {
    std::vector<std::string> row = {c.staff_id(), absl::StrCat(c.checks()),
                                    absl::StrCat(c.failed_checks())};
    for (const v1::CriterionFailures& f : c.failed_criteria()) {
      row.push_back(absl::StrCat(f.failures()));
    }
    row.push_back(absl::StrCat(c.open_corrective_actions()));
    row.push_back(absl::StrCat(c.overdue_corrective_actions()));
    rows.push_back(std::move(row));
  }
  return s.PrintText(FormatTable(header, rows, {1, 2, 3, 4, 5, 6, 7}));
}

// AR10.14: the assets of the case's PP.
Outcome ArrearsAssets(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListAssetsRequest req;
  req.set_case_id(args.OperandId("case"));
  req.set_include_closed(args.BoolFlag("include-closed"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListAssetsResponse all;
  grpc::Status status = s.ListAll(
      req, [&](auto* ctx, const auto& r, auto* out) { return s.arrears().ListAssets(ctx, r, out); },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.assets(), kAssetColumns);
}

Outcome ArrearsAssetAdd(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::RecordAssetRequest req;
  req.set_request_id(RequestId(inv));
  req.set_case_id(args.OperandId("case"));
  req.set_person_id(args.FlagId("person"));
  req.set_type(args.FlagEnum<v1::AssetType>("type"));
  req.set_account_type(args.FlagEnum<v1::BankAccountType>("account-type"));
  req.set_description(args.Flag("description"));
  req.set_reference(args.Flag("reference"));
  req.set_source(args.FlagEnum<v1::AssetSource>("source"));
  req.set_previous_address(args.BoolFlag("previous-address"));
  req.set_used_for_csa_direct_debit(args.BoolFlag("csa-direct-debit"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::Asset asset;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.arrears().RecordAsset(ctx, req, &asset); }),
      asset);
}

// Ends an asset of the case's PP, with --etag, else the etag of the asset as
// listed for the case now.
Outcome ArrearsAssetEnd(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t case_id = args.OperandId("case");
  v1::EndAssetRequest req;
  req.set_request_id(RequestId(inv));
  req.set_id(args.OperandId("asset"));
  req.set_reason(args.Flag("reason"));
  if (!args.ok()) return UsageFailure(args.error());
  if (inv.Has("etag")) {
    req.set_etag(inv.Flag("etag"));
  } else {
    v1::ListAssetsRequest list;
    list.set_case_id(case_id);
    list.set_include_closed(true);
    v1::ListAssetsResponse all;
    grpc::Status st = s.ListAll(
        list,
        [&](auto* ctx, const auto& r, auto* out) { return s.arrears().ListAssets(ctx, r, out); },
        &all);
    if (!st.ok()) return RpcFailure(st);
    for (const v1::Asset& a : all.assets()) {
      if (a.id() == req.id()) req.set_etag(a.etag());
    }
    if (req.etag().empty()) {
      return UsageFailure(absl::StrCat("asset ", req.id(), " is not an asset of case ", case_id,
                                       "'s paying parent"));
    }
  }
  v1::Asset asset;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.arrears().EndAsset(ctx, req, &asset); }),
      asset);
}

// ---------------------------------------------------------------- operations

Outcome OperationsList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListOperationsRequest req;
  req.set_state(args.FlagEnum<v1::OperationState>("state"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListOperationsResponse all;
  grpc::Status status = s.ListAll(
      req, [&](auto* ctx, const auto& r, auto* out) { return s.bom().ListOperations(ctx, r, out); },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.operations(), kOperationColumns);
}

Outcome OperationsGet(Session& s, const Invocation& inv) {
  v1::GetOperationRequest req;
  req.set_name(OperationName(inv.Operand("name")));
  v1::Operation op;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().GetOperation(ctx, req, &op); }), op);
}

Outcome OperationsCancel(Session& s, const Invocation& inv) {
  v1::CancelOperationRequest req;
  req.set_request_id(RequestId(inv));
  req.set_name(OperationName(inv.Operand("name")));
  v1::Operation op;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().CancelOperation(ctx, req, &op); }), op);
}

// ---------------------------------------------------------------- teams

Outcome TeamsList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListTeamsRequest req;
  req.set_segment_id(args.FlagId("segment"));
  req.set_include_retired(args.BoolFlag("include-retired"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListTeamsResponse all;
  grpc::Status status = s.ListAll(
      req, [&](auto* ctx, const auto& r, auto* out) { return s.bom().ListTeams(ctx, r, out); },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.teams(), kTeamColumns);
}

Outcome TeamsCreate(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::CreateTeamRequest req;
  req.set_request_id(RequestId(inv));
  req.set_segment_id(args.FlagId("segment"));
  req.set_name(args.Flag("name"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::Team team;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().CreateTeam(ctx, req, &team); }), team);
}

Outcome TeamsRetire(Session& s, const Invocation& inv) {
  Args args(inv);
  const int64_t id = args.OperandId("id");
  if (!args.ok()) return UsageFailure(args.error());
  std::string etag = args.Flag("etag");
  if (!args.Has("etag")) {
    // There is no GetTeam: find the team's etag in the list.
    v1::ListTeamsRequest list;
    list.set_include_retired(true);
    std::optional<v1::Team> found;
    grpc::Status status = s.Paginate<v1::ListTeamsResponse>(
        list, [&](auto* ctx, const auto& r, auto* out) { return s.bom().ListTeams(ctx, r, out); },
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
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().RetireTeam(ctx, req, &team); }), team);
}

// ---------------------------------------------------------------- people

Outcome PeopleList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListStaffRequest req;
  req.set_team_id(args.FlagId("team"));
  req.set_segment_id(args.FlagId("segment"));
  req.set_include_inactive(args.BoolFlag("include-inactive"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListStaffResponse all;
  grpc::Status status = s.ListAll(
      req, [&](auto* ctx, const auto& r, auto* out) { return s.bom().ListStaff(ctx, r, out); },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.staff(), kStaffColumns);
}

grpc::Status GetStaffMember(Session& s, const std::string& staff_id, v1::StaffMember* member) {
  v1::GetStaffMemberRequest req;
  req.set_staff_id(staff_id);
  return s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().GetStaffMember(ctx, req, member); });
}

// --etag when given, else the staff member's current etag.
grpc::Status StaffEtag(Session& s, const Invocation& inv, const std::string& staff_id,
                       std::string* etag) {
  return EtagOrCurrent<v1::StaffMember>(
      inv, [&](v1::StaffMember* current) { return GetStaffMember(s, staff_id, current); }, etag);
}

Outcome PeopleGet(Session& s, const Invocation& inv) {
  v1::StaffMember member;
  return s.PrintOrFail(GetStaffMember(s, inv.Operand("staff_id"), &member), member);
}

Outcome PeopleAdd(Session& s, const Invocation& inv) {
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
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().AddStaffMember(ctx, req, &member); }),
      member);
}

Outcome PeopleMove(Session& s, const Invocation& inv) {
  Args args(inv);
  const std::string staff_id = args.Operand("staff_id");
  const int64_t team = args.FlagId("team");
  if (!args.ok()) return UsageFailure(args.error());
  std::string etag;
  if (grpc::Status st = StaffEtag(s, inv, staff_id, &etag); !st.ok()) return RpcFailure(st);
  v1::MoveStaffMemberRequest req;
  req.set_request_id(RequestId(inv));
  req.set_staff_id(staff_id);
  req.set_etag(etag);
  req.set_team_id(team);
  v1::StaffMember member;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().MoveStaffMember(ctx, req, &member); }),
      member);
}

Outcome PeopleDeactivate(Session& s, const Invocation& inv) {
  const std::string staff_id = inv.Operand("staff_id");
  std::string etag;
  if (grpc::Status st = StaffEtag(s, inv, staff_id, &etag); !st.ok()) return RpcFailure(st);
  v1::DeactivateStaffMemberRequest req;
  req.set_request_id(RequestId(inv));
  req.set_staff_id(staff_id);
  req.set_etag(etag);
  v1::StaffMember member;
  grpc::Status status = s.Rpc(
      [&](grpc::ClientContext* ctx) { return s.bom().DeactivateStaffMember(ctx, req, &member); });
  return s.PrintOrFail(status, member);
}

// ---------------------------------------------------------------- bom

Outcome BomAsOf(Session& s, const Invocation& inv) {
  absl::StatusOr<google::protobuf::Timestamp> as_of =
      ParseTimestamp(inv.Operand("time"), absl::Now());
  if (!as_of.ok()) return UsageFailure(as_of.status().message());
  v1::GetBomAsOfRequest req;
  *req.mutable_as_of() = *as_of;
  v1::Bom bom;
  grpc::Status status =
      s.Rpc([&](grpc::ClientContext* ctx) { return s.bom().GetBomAsOf(ctx, req, &bom); });
  if (!status.ok()) return RpcFailure(status);
  if (s.json()) return s.PrintOne(bom);
  const std::string text =
      absl::StrCat("as_of: ", FieldText(bom, "as_of"), "\n\nSEGMENTS\n",
                   FormatMessageTable(bom.segments(), kSegmentColumns), "\nTEAMS\n",
                   FormatMessageTable(bom.teams(), kTeamColumns), "\nSTAFF\n",
                   FormatMessageTable(bom.staff(), kStaffColumns));
  return s.PrintText(text);
}

// ---------------------------------------------------------------- approvals

Outcome ApprovalsInbox(Session& s, const Invocation&) {
  v1::ListApprovalInboxResponse all;
  grpc::Status status = s.ListAll(
      v1::ListApprovalInboxRequest(),
      [&](auto* ctx, const auto& r, auto* out) {
        return s.approvals().ListApprovalInbox(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.approvals(), kApprovalColumns);
}

Outcome ApprovalsList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListApprovalsRequest req;
  req.set_service_request_id(args.FlagId("sr"));
  req.set_team_id(args.FlagId("team"));
  req.set_state(args.FlagEnum<v1::ApprovalState>("state"));
  if (!args.ok()) return UsageFailure(args.error());
  if (req.service_request_id() == 0 && req.team_id() == 0) {
    req.set_kind(v1::APPROVAL_KIND_BOM_CHANGE);
  }
  v1::ListApprovalsResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) { return s.approvals().ListApprovals(ctx, r, out); },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.approvals(), kApprovalColumns);
}

Outcome ApprovalsGet(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetApprovalRequest req;
  req.set_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::Approval approval;
  grpc::Status status = s.Rpc(
      [&](grpc::ClientContext* ctx) { return s.approvals().GetApproval(ctx, req, &approval); });
  return s.PrintOrFail(status, approval);
}

Outcome Decide(Session& s, const Invocation& inv, v1::ApprovalState decision) {
  Args args(inv);
  v1::DecideApprovalRequest req;
  req.set_approval_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  req.set_request_id(RequestId(inv));
  req.set_decision(decision);
  req.set_comment(args.Flag("comment"));
  v1::Approval decided;
  grpc::Status status = s.Rpc(
      [&](grpc::ClientContext* ctx) { return s.approvals().DecideApproval(ctx, req, &decided); });
  return s.PrintOrFail(status, decided);
}

Outcome ApprovalsApprove(Session& s, const Invocation& inv) {
  return Decide(s, inv, v1::APPROVAL_STATE_APPROVED);
}
Outcome ApprovalsReject(Session& s, const Invocation& inv) {
  return Decide(s, inv, v1::APPROVAL_STATE_REJECTED);
}

// ---------------------------------------------------------------- casegroups

Outcome CasegroupsGet(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetCasegroupRequest req;
  req.set_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::Casegroup casegroup;
  grpc::Status status = s.Rpc(
      [&](grpc::ClientContext* ctx) { return s.casegroups().GetCasegroup(ctx, req, &casegroup); });
  return s.PrintOrFail(status, casegroup);
}

Outcome CasegroupsExplain(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ExplainRoutingRequest req;
  req.set_casegroup_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::RoutingExplanation explanation;
  grpc::Status status = s.Rpc([&](grpc::ClientContext* ctx) {
    return s.casegroups().ExplainRouting(ctx, req, &explanation);
  });
  return s.PrintOrFail(status, explanation);
}

Outcome CasegroupsMoves(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListCasegroupMovesRequest req;
  req.set_casegroup_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListCasegroupMovesResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.casegroups().ListCasegroupMoves(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.moves(), kMoveColumns);
}

// ---------------------------------------------------------------- SR types

Outcome SrTypesList(Session& s, const Invocation&) {
  v1::ListSrTypesResponse resp;
  grpc::Status status = s.ListAll(
      v1::ListSrTypesRequest(),
      [&](auto* ctx, const auto& r, auto* out) {
        return s.service_requests().ListSrTypes(ctx, r, out);
      },
      &resp);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(resp, resp.types(), kSrTypeColumns);
}

// ---------------------------------------------------------------- letters (L12.*)

Outcome LettersTemplates(Session& s, const Invocation&) {
  v1::ListLetterTemplatesResponse resp;
  grpc::Status status = s.ListAll(
      v1::ListLetterTemplatesRequest(),
      [&](auto* ctx, const auto& r, auto* out) {
        return s.letters().ListLetterTemplates(ctx, r, out);
      },
      &resp);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(resp, resp.templates(), kLetterTemplateColumns);
}

Outcome LettersShow(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetLetterRequest req;
  req.set_id(args.OperandId("id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::Letter letter;
  grpc::Status status =
      s.Rpc([&](grpc::ClientContext* ctx) { return s.letters().GetLetter(ctx, req, &letter); });
  if (!status.ok()) return RpcFailure(status);
  if (s.json()) return s.PrintOne(letter);
  // The text exactly as sent, so it can be piped to a printer or a file.
  return s.PrintText(letter.text());
}

Outcome InteractionsList(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ListInteractionsRequest req;
  req.set_person_id(args.FlagId("person"));
  req.set_case_id(args.FlagId("case"));
  req.set_service_request_id(args.FlagId("sr"));
  if (args.ok() && req.person_id() == 0 && req.case_id() == 0 && req.service_request_id() == 0) {
    args.Fail("\"interactions list\" needs --person, --case or both, or --sr");
  }
  if (!args.ok()) return UsageFailure(args.error());
  v1::ListInteractionsResponse all;
  grpc::Status status = s.ListAll(
      req,
      [&](auto* ctx, const auto& r, auto* out) {
        return s.letters().ListInteractions(ctx, r, out);
      },
      &all);
  if (!status.ok()) return RpcFailure(status);
  return s.PrintList(all, all.interactions(), kInteractionColumns);
}

// ---------------------------------------------------------------- payments (M7.5, M7.6)
//
// Tables show amounts in pounds ("216.67"), right-aligned; --output json
// prints the message as the proto has it, in whole pence.

Outcome PaymentsSchedule(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetScheduleRequest req;
  req.set_case_id(args.OperandId("case_id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::Schedule schedule;
  grpc::Status status = s.Rpc(
      [&](grpc::ClientContext* ctx) { return s.payments().GetSchedule(ctx, req, &schedule); });
  if (!status.ok()) return RpcFailure(status);
  if (s.json()) return s.PrintOne(schedule);
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
  return s.PrintText(text);
}

// S5.14: a schedule held for manual allocation review comes into force;
// its review SR closes with the note.
Outcome PaymentsReleaseSchedule(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::ReleaseScheduleRequest req;
  req.set_schedule_id(args.OperandId("schedule_id"));
  if (!args.ok()) return UsageFailure(args.error());
  req.set_request_id(RequestId(inv));
  req.set_note(args.Flag("note"));
  v1::Schedule schedule;
  grpc::Status status = s.Rpc(
      [&](grpc::ClientContext* ctx) { return s.payments().ReleaseSchedule(ctx, req, &schedule); });
  return s.PrintOrFail(status, schedule);
}

Outcome PaymentsStatement(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetStatementRequest req;
  req.set_case_id(args.OperandId("case_id"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::Statement statement;
  grpc::Status status = s.Rpc(
      [&](grpc::ClientContext* ctx) { return s.payments().GetStatement(ctx, req, &statement); });
  if (!status.ok()) return RpcFailure(status);
  if (s.json()) return s.PrintOne(statement);
  // A line is either a debit or a credit: the other column stays blank.
  auto amount = [](int64_t pence) { return pence == 0 ? std::string() : FormatPounds(pence); };
  std::vector<std::vector<std::string>> rows;
  for (const v1::StatementLine& line : statement.lines()) {
    rows.push_back({FieldText(line, "date"), FieldText(line, "kind"),
                    FieldText(line, "description"), amount(line.debit_pence()),
                    amount(line.credit_pence()), FormatPounds(line.balance_pence())});
  }
  const std::string text =
      absl::StrCat(FormatKeyValueLines({{"case_id", absl::StrCat(statement.case_id())},
                                        {"as_of", FieldText(statement, "as_of")}}),
                   "\n",
                   FormatTable({"DATE", "KIND", "DESCRIPTION", "DEBIT", "CREDIT", "BALANCE"}, rows,
                               /*right_aligned=*/{3, 4, 5}),
                   "\n",
                   FormatKeyValueLines({{"balance", FormatPounds(statement.balance_pence())},
                                        {"arrears", FormatPounds(statement.arrears_pence())}}));
  return s.PrintText(text);
}

Outcome PaymentsArrears(Session& s, const Invocation& inv) {
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
      s.Rpc([&](grpc::ClientContext* ctx) { return s.payments().GetArrears(ctx, req, &arrears); });
  if (!status.ok()) return RpcFailure(status);
  if (s.json()) return s.PrintOne(arrears);
  const std::string text = FormatKeyValueLines({
      case_id != 0 ? std::pair<std::string, std::string>{"case_id", absl::StrCat(arrears.case_id())}
                   : std::pair<std::string, std::string>{"casegroup_id",
                                                         absl::StrCat(arrears.casegroup_id())},
      {"as_of", FieldText(arrears, "as_of")},
      {"balance", FormatPounds(arrears.balance_pence())},
      {"missed_items", absl::StrCat(arrears.missed_items())},
      {"partial_items", absl::StrCat(arrears.partial_items())},
  });
  return s.PrintText(text);
}

// ---------------------------------------------------------------- timers (T8.2)

Outcome TimerStats(Session& s, const Invocation&) {
  v1::TimerStats stats;
  grpc::Status status = s.Rpc([&](grpc::ClientContext* ctx) {
    return s.admin().GetTimerStats(ctx, v1::GetTimerStatsRequest(), &stats);
  });
  return s.PrintOrFail(status, stats);
}

// ---------------------------------------------------------------- security (X13.1)

Outcome SecurityStats(Session& s, const Invocation&) {
  v1::SecurityStats stats;
  grpc::Status status = s.Rpc([&](grpc::ClientContext* ctx) {
    return s.admin().GetSecurityStats(ctx, v1::GetSecurityStatsRequest(), &stats);
  });
  if (!status.ok()) return RpcFailure(status);
  if (s.json()) return s.PrintOne(stats);
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
  return s.PrintText(FormatKeyValueLines(lines));
}

// ---------------------------------------------------------------- queues (W4.3)

Outcome QueueStats(Session& s, const Invocation&) {
  v1::QueueStats stats;
  grpc::Status status = s.Rpc([&](grpc::ClientContext* ctx) {
    return s.work().GetQueueStats(ctx, v1::GetQueueStatsRequest(), &stats);
  });
  if (!status.ok()) return s.PrintOrFail(status, stats);
  return s.PrintList(
      stats, stats.segments(),
      {"segment_id", "system_name", "queued", "queued_priority", "aged_under_7_days",
       "aged_7_to_29_days", "aged_30_to_89_days", "aged_90_days_or_more", "oldest_create_time"});
}

// ---------------------------------------------------------------- team load (W4.4)

// One row per member: their open SRs against the load limit.
Outcome TeamsLoad(Session& s, const Invocation& inv) {
  Args args(inv);
  v1::GetTeamLoadRequest req;
  req.set_team_id(args.FlagId("team"));
  if (!args.ok()) return UsageFailure(args.error());
  v1::TeamLoad load;
  grpc::Status status =
      s.Rpc([&](grpc::ClientContext* ctx) { return s.work().GetTeamLoad(ctx, req, &load); });
  if (!status.ok()) return s.PrintOrFail(status, load);
  return s.PrintList(load, load.members(),
                     {"staff_id", "role", "open", "open_priority", "oldest_create_time"});
}

// ---------------------------------------------------------------- orphans (W4.5)

Outcome OrphansCheck(Session& s, const Invocation&) {
  v1::Orphans found;
  grpc::Status status = s.Rpc([&](grpc::ClientContext* ctx) {
    return s.work().CheckOrphans(ctx, v1::CheckOrphansRequest(), &found);
  });
  Outcome out = s.PrintOrFail(status, found);
  if (status.ok() && found.count() > 0) {
    out.exit_code = kExitOrphans;
    out.error =
        absl::StrCat(found.count(), " orphaned work item(s): run `cmsctl orphans recover`\n");
  }
  return out;
}

Outcome OrphansRecover(Session& s, const Invocation& inv) {
  v1::RecoverOrphansRequest req;
  req.set_request_id(RequestId(inv));
  v1::Orphans repaired;
  return s.PrintOrFail(
      s.Rpc([&](grpc::ClientContext* ctx) { return s.work().RecoverOrphans(ctx, req, &repaired); }),
      repaired);
}

// ---------------------------------------------------------------- the table

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

// Every command, once: its spec (parser, usage text) and its handler.
std::vector<CommandSpec> Build() {
  return {
      {.name = "segments list",
       .flags = {Boolean("include-retired"), Optional("country", "COUNTRY"),
                 Optional("service-segment", "SEGMENT")},
       .summary = "List segments (active only unless --include-retired).",
       .run = SegmentsList},
      {.name = "segments get",
       .operands = {"id"},
       .summary = "Show one segment.",
       .run = SegmentsGet},
      {.name = "segments create",
       .flags = {Required("country", "COUNTRY"), Required("service-segment", "SEGMENT"),
                 Required("description", "TEXT"), Required("code", "CODE")},
       .mutating = true,
       .summary = "Create a segment; its system name is derived (S1.3).",
       .run = SegmentsCreate},
      {.name = "segments rename",
       .operands = {"id"},
       .flags = {Optional("description", "TEXT"), Optional("code", "CODE"), Etag()},
       .mutating = true,
       .summary = "Change a segment's description and/or code (at least one).",
       .run = SegmentsRename},
      {.name = "segments retire",
       .operands = {"id"},
       .flags = {Optional("target", "ID"), Etag(), Boolean("wait"), Optional("timeout", "SECONDS")},
       .mutating = true,
       .summary = "Retire a segment, naming where its work should go (S1.6), as a long-running "
                  "operation: prints it; --wait shows its progress until done (exit 0 when it "
                  "succeeds, 1 when it fails or is cancelled, 4 when --timeout passes first).",
       .run = SegmentsRetire},
      {.name = "segments split",
       .operands = {"id"},
       .flags = {Required("target", "ID"), Required("areas", "AREA[,AREA...]"), Boolean("wait"),
                 Optional("timeout", "SECONDS")},
       .mutating = true,
       .summary = "Move the casegroups whose PP lives in the postcode areas (e.g. NE,M) to the "
                  "target segment (W4.6), as a long-running operation; --wait as for retire.",
       .run = SegmentsSplit},
      {.name = "operations list",
       .flags = {Optional("state", "STATE")},
       .summary = "Long-running operations, newest first (state RUNNING, SUCCEEDED, FAILED or "
                  "CANCELLED).",
       .run = OperationsList},
      {.name = "compliance get",
       .operands = {"case"},
       .summary = "Show a case's Segment 5 compliance opportunity (S5.*).",
       .run = ComplianceGet},
      {.name = "compliance list",
       .flags = {Optional("state", "STATE"), Optional("segment", "ID")},
       .summary = "List compliance opportunities (by state, by owning segment).",
       .run = ComplianceList},
      {.name = "compliance events",
       .operands = {"id"},
       .summary = "An opportunity's history: every assessment, decision and automatic step.",
       .run = ComplianceEvents},
      {.name = "compliance outcome",
       .operands = {"opportunity_id"},
       .flags = {Required("action", "PASS|FAIL|ENDED_EARLY"),
                 Required("reason", "ALL_PAYMENTS_RECEIVED|PAYMENT_DEFAULT"),
                 Required("utp", "NOT_APPLICABLE|NRP_UNLIKELY_TO_PAY"),
                 Optional("dp-rejected-reason", "TEXT"), Required("note", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Record the outcome and the Unlikely to Pay check on the open outcome SR "
                  "(S5.8): NOT_APPLICABLE passes and is carried out at once (S5.9); "
                  "NRP_UNLIKELY_TO_PAY (with --dp-rejected-reason) goes to the team leader "
                  "(S5.10, A6.3).",
       .run = ComplianceOutcome},
      {.name = "compliance extend",
       .operands = {"opportunity_id"},
       .flags = {Required("reason", "REASON"), Required("date", "YYYY-MM-DD"),
                 Required("note", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Ask the team leader to extend a running trial to a date whole months after "
                  "its end date (S5.11; --reason CHANGE_TO_EMPLOYER, "
                  "CHANGE_TO_METHOD_OF_PAYMENT_FROM, MISSED_PAYMENTS or "
                  "CHANGE_OF_CIRCUMSTANCE).",
       .run = ComplianceExtend},
      {.name = "compliance end-early",
       .operands = {"opportunity_id"},
       .flags = {Required("reason", "REASON"), Optional("trigger", "SR_ID"),
                 Required("note", "TEXT"), Etag()},
       .mutating = true,
       .summary = "End a running trial now; the outcome SR is raised (a child of --trigger) "
                  "with the server's proposal (S5.12; --reason as EarlyEndReason, e.g. "
                  "CHANGE_TO_DIRECT_PAY).",
       .run = ComplianceEndEarly},
      {.name = "arrears get",
       .operands = {"case"},
       .summary = "Show a case's arrears action: the review's figures, contacts, letters, "
                  "ladder position (AR10.*).",
       .run = ArrearsGet},
      {.name = "arrears recommend",
       .operands = {"case"},
       .summary = "The next arrears step for a case, every fact it read and why earlier rungs "
                  "were passed over (AR10.3).",
       .run = ArrearsRecommend},
      {.name = "foi list",
       .flags = {Optional("state", "OPEN|CLOSED"), Optional("country", "GB|NI"),
                 Boolean("overdue")},
       .summary = "The FOI queue with each request's age and deadline (AG11.3; the FOI team, "
                  "service management and auditors).",
       .run = FoiList},
      {.name = "foi get",
       .operands = {"id"},
       .summary = "One FOI request (AG11.3).",
       .run = FoiGet},
      {.name = "foi create",
       .flags = {Required("country", "GB|NI"), Required("name", "FULL NAME"),
                 Optional("postal", "ADDRESS"), Optional("email", "ADDRESS"),
                 Required("channel", "LETTER|EMAIL"), Required("received", "YYYY-MM-DD"),
                 Required("text", "TEXT"),
                 Required("personal-data", "NONE|LIVING_PERSON|DECEASED_PERSON")},
       .mutating = true,
       .summary = "Log an FOI request received by letter or email for the FOI team: the "
                  "requester's full name and a postal or email address are required (AG11.3); "
                  "the response is due in 20 working days.",
       .run = FoiCreate},
      {.name = "foi respond",
       .operands = {"id"},
       .flags = {Required("response", "TEXT"), Etag()},
       .mutating = true,
       .summary = "The FOI team records the response sent and closes the request (AG11.3).",
       .run = FoiRespond},
      {.name = "mp list",
       .flags = {Optional("state", "RECEIVED|VALIDATED|ANSWERED|CLOSED|REJECTED"),
                 Optional("kind", "KIND"), Optional("country", "GB|NI"), Boolean("overdue")},
       .summary = "The government relations queue of MP enquiries with each one's age and "
                  "deadline (AG11.4; the team, service management and auditors).",
       .run = MpList},
      {.name = "mp get",
       .operands = {"id"},
       .summary = "One MP enquiry, its history and the case owner's input notes (AG11.4).",
       .run = MpGet},
      {.name = "mp create",
       .flags = {Required("country", "GB|NI"),
                 Required("kind", "GENERAL_ENQUIRY|CASE_ENQUIRY|PARLIAMENTARY_QUESTION|COMPLAINT"),
                 Required("channel", "REGIONAL_HOTLINE|LETTER|EMAIL"), Required("mp-name", "NAME"),
                 Required("constituency", "NAME"), Optional("constituent", "NAME"),
                 Optional("person", "ID"), Optional("case", "ID"), Required("question", "TEXT"),
                 Required("received", "YYYY-MM-DD")},
       .mutating = true,
       .summary = "Log an MP's contact for the government relations team (AG11.4): a case "
                  "enquiry names the case and the constituent (--constituent, --person); the "
                  "answer is due in 20 working days (5 for a parliamentary question).",
       .run = MpCreate},
      {.name = "mp validate",
       .operands = {"id"},
       .flags = {Optional("reject", "REASON"), Etag()},
       .mutating = true,
       .summary = "The government relations team validates an enquiry (a case enquiry's "
                  "constituent must be a party of the case; the case's owner is asked for input "
                  "through an SR) or rejects it with --reject REASON (AG11.4).",
       .run = MpValidate},
      {.name = "mp answer",
       .operands = {"id"},
       .flags = {Required("answer", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Record the answer sent to the MP, once the case owner's input SR has ended "
                  "(AG11.4).",
       .run = MpAnswer},
      {.name = "mp close",
       .operands = {"id"},
       .flags = {Etag()},
       .mutating = true,
       .summary = "Close an answered MP enquiry; it is final (AG11.4).",
       .run = MpClose},
      {.name = "guidance queue",
       .flags = {Optional("kind", "SERVICE_REQUEST|PRIVATE"), Optional("country", "GB|NI")},
       .summary = "Advice and Guidance's queue: the open A&G SRs and special client records "
                  "private requests of the caller's A&G team, oldest first with their age "
                  "(AG11.1).",
       .run = GuidanceQueue},
      {.name = "guidance get",
       .operands = {"sr_id"},
       .summary = "An A&G SR's question and answer, with every correction (AG11.1; the raiser, "
                  "their team leader, A&G, service management and auditors).",
       .run = GuidanceGet},
      {.name = "guidance answer",
       .operands = {"sr_id"},
       .flags = {Required("answer", "TEXT"), Etag()},
       .mutating = true,
       .summary = "A&G answer an A&G SR inside it; the SR closes \"Answered\" (AG11.1).",
       .run = GuidanceAnswerSr},
      {.name = "guidance correct",
       .operands = {"answer_id"},
       .flags = {Required("answer", "TEXT"), Required("reason", "TEXT")},
       .mutating = true,
       .summary = "A&G correct an answer they gave: a new entry superseding it, the first kept "
                  "(AG11.1).",
       .run = GuidanceCorrect},
      {.name = "guidance ask-private",
       .flags = {Required("country", "GB|NI"), Required("question", "TEXT")},
       .mutating = true,
       .summary = "Special client records ask A&G privately: the question alone, refused when it "
                  "carries a NINO, postcode, email, phone, CMS reference or date of birth "
                  "(AG11.1).",
       .run = GuidanceAskPrivate},
      {.name = "guidance list-private",
       .flags = {Optional("state", "OPEN|ANSWERED|CLOSED"), Optional("country", "GB|NI")},
       .summary = "The private requests the caller may read (A&G: their country's; SCR: their "
                  "own, a team leader's team's) (AG11.1).",
       .run = GuidanceListPrivate},
      {.name = "guidance get-private",
       .operands = {"id"},
       .summary = "One private request with its answer (AG11.1).",
       .run = GuidanceGetPrivate},
      {.name = "guidance answer-private",
       .operands = {"id"},
       .flags = {Required("answer", "TEXT"), Etag()},
       .mutating = true,
       .summary = "A&G answer a private request (AG11.1).",
       .run = GuidanceAnswerPrivate},
      {.name = "guidance close-private",
       .operands = {"id"},
       .flags = {Etag()},
       .mutating = true,
       .summary = "The raiser or their team leader closes a private request, answered or "
                  "withdrawn (AG11.1).",
       .run = GuidanceClosePrivate},
      {.name = "assurance sample",
       .flags = {Required("seed", "SEED"), Required("from", "YYYY-MM-DD|RFC3339"),
                 Required("to", "YYYY-MM-DD|RFC3339"),
                 Required("kinds", "SERVICE_REQUEST,ACTIVITY,DECISION"), Optional("size", "N"),
                 Optional("rate-ppm", "N"), Optional("case", "ID"), Optional("casegroup", "ID"),
                 Optional("segment", "ID"), Optional("team", "ID"), Optional("sr-type", "CODE"),
                 Optional("decision-type", "TYPE")},
       .mutating = true,
       .summary = "Q&A draws a seeded sample of its country's work in [--from, --to): the --size "
                  "items with the smallest hash, or those under --rate-ppm; the same inputs give "
                  "the same items (AG11.2).",
       .run = AssuranceSampleDraw},
      {.name = "assurance sample-get",
       .operands = {"id"},
       .summary = "One sample with its items and their current checks (AG11.2).",
       .run = AssuranceSampleGet},
      {.name = "assurance samples",
       .summary = "The samples, newest first (AG11.2; Q&A, service management, auditors).",
       .run = AssuranceSamples},
      {.name = "assurance checks",
       .flags = {Boolean("open"), Optional("sample", "ID"), Optional("caseworker", "STAFF_ID"),
                 Optional("outcome", "PASS|FAIL|NOT_APPLICABLE"), Boolean("include-superseded")},
       .summary = "Q&A's open checks (--open: sampled items still to check, oldest first), or the "
                  "checks recorded (AG11.2).",
       .run = AssuranceChecks},
      {.name = "assurance check",
       .operands = {"sample_item_id"},
       .flags = {Required("cash", "PASS|FAIL|NOT_APPLICABLE"),
                 Required("procedure", "PASS|FAIL|NOT_APPLICABLE"),
                 Required("handling", "PASS|FAIL|NOT_APPLICABLE"), Optional("cash-comment", "TEXT"),
                 Optional("procedure-comment", "TEXT"), Optional("handling-comment", "TEXT"),
                 Optional("comment", "TEXT"), Optional("corrects", "CHECK_ID")},
       .mutating = true,
       .summary = "Q&A records the check of a sampled item: cash value accuracy, procedure "
                  "followed, client handling (a FAIL needs its comment); once, or a correction "
                  "of the current check (AG11.2).",
       .run = AssuranceCheckRecord},
      {.name = "assurance check-get",
       .operands = {"id"},
       .summary = "One check, current or superseded (AG11.2).",
       .run = AssuranceCheckGet},
      {.name = "assurance feedback",
       .operands = {"check_id"},
       .flags = {Required("text", "TEXT"), Optional("corrects", "FEEDBACK_ID")},
       .mutating = true,
       .summary = "Q&A's feedback on a check, to the checked item's caseworker (AG11.2).",
       .run = AssuranceFeedbackGive},
      {.name = "assurance feedback-list",
       .flags = {Optional("check", "ID"), Optional("caseworker", "STAFF_ID")},
       .summary = "Feedback, newest first: yours, or all for Q&A, service management and "
                  "auditors (AG11.2).",
       .run = AssuranceFeedbackList},
      {.name = "assurance action",
       .operands = {"check_id"},
       .flags = {Required("description", "TEXT"), Required("due", "YYYY-MM-DD"),
                 Optional("assign", "STAFF_ID")},
       .mutating = true,
       .summary = "Q&A sets a corrective action on a check, to the caseworker unless --assign "
                  "(AG11.2).",
       .run = AssuranceActionAdd},
      {.name = "assurance action-done",
       .operands = {"id"},
       .flags = {Required("note", "TEXT"), Etag()},
       .mutating = true,
       .summary = "The assignee (or Q&A) records a corrective action done (AG11.2).",
       .run = AssuranceActionDone},
      {.name = "assurance actions",
       .flags = {Boolean("mine"), Optional("check", "ID"), Boolean("open"), Boolean("overdue")},
       .summary = "Corrective actions, oldest first, with whether each is overdue (AG11.2).",
       .run = AssuranceActions},
      {.name = "assurance coaching",
       .flags = {Required("team", "ID"), Required("from", "YYYY-MM-DD|RFC3339"),
                 Required("to", "YYYY-MM-DD|RFC3339")},
       .summary = "A team's coaching needs over [--from, --to): per member, checks, failed "
                  "criteria, open and overdue corrective actions (AG11.2; the team's TL).",
       .run = AssuranceCoaching},
      {.name = "arrears list",
       .flags = {Optional("state", "STATE"), Optional("rung", "RUNG"), Optional("segment", "ID")},
       .summary = "List arrears actions (by state REVIEW, ACTION_IN_PROGRESS or CLOSED, by rung, "
                  "by owning segment).",
       .run = ArrearsList},
      {.name = "arrears events",
       .operands = {"id"},
       .summary = "An arrears action's history: every review, contact, letter and step.",
       .run = ArrearsEvents},
      {.name = "arrears contact",
       .operands = {"case"},
       .flags = {Required("outcome", "OUTCOME"), Required("note", "TEXT"),
                 Optional("claimed-pence", "PENCE"), Optional("claimed-date", "YYYY-MM-DD"),
                 Etag()},
       .mutating = true,
       .summary = "Record a contact with the PP about a missed payment (AR10.1; --outcome "
                  "REFUSES_TO_PAY raises an Arrears Review, ASKS_TO_RENEGOTIATE an Action Missed "
                  "Payment; CLAIMS_DIRECT_PAYMENT needs --claimed-pence and --claimed-date).",
       .run = ArrearsContact},
      {.name = "arrears business",
       .operands = {"case"},
       .flags = {Required("structure", "EMPLOYEE|SOLE_TRADER|MULTIPLE_DIRECTOR"),
                 Required("note", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Record how the PP earns a living, e.g. from Companies House (AR10.3).",
       .run = ArrearsBusiness},
      {.name = "arrears letter",
       .operands = {"case"},
       .flags = {Etag()},
       .mutating = true,
       .summary = "Issue the arrears letter the server chooses (CMSL6031 or CMSL6038) and wait 7 "
                  "days on the review (AR10.4).",
       .run = ArrearsLetter},
      {.name = "arrears hmrc",
       .operands = {"case"},
       .flags = {Etag()},
       .mutating = true,
       .summary = "Ask HMRC for the PP's employment now, from the open review (AR10.5).",
       .run = ArrearsHmrc},
      {.name = "arrears monitor",
       .operands = {"case"},
       .flags = {Required("set", "on|off"), Required("reason", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Set (on) or clear (off) the Disable Missed Payment Monitor (AR10.13).",
       .run = ArrearsMonitor},
      {.name = "arrears negotiate",
       .operands = {"case"},
       .flags = {Required("for", "DISCLOSURE|LIABILITY_ORDER"), Optional("note", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Give the PP a final chance to negotiate before disclosure or an LO: an Action "
                  "Missed Payment SR on the review (AR10.6, AR10.7).",
       .run = ArrearsNegotiate},
      {.name = "arrears negotiated",
       .operands = {"case"},
       .flags = {Required("outcome", "NEW_SCHEDULE_AGREED|FAILED"), Required("note", "TEXT"),
                 Etag()},
       .mutating = true,
       .summary = "Record the final negotiation's outcome (AR10.6, AR10.7).",
       .run = ArrearsNegotiated},
      {.name = "arrears disclosure",
       .operands = {"case"},
       .flags = {Required("reason", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Ask the Deduction Order Team for disclosure after a failed final negotiation "
                  "(AR10.6).",
       .run = ArrearsDisclosure},
      {.name = "arrears disclosure-outcome",
       .operands = {"case"},
       .flags = {Required("outcome", "SUCCESSFUL|UNSUCCESSFUL|RDO_SET_UP|LSDO_SET_UP|NOT_APPROVED"),
                 Required("note", "TEXT"), Boolean("assets-found"), Optional("rdo-pence", "PENCE"),
                 Optional("rdo-first", "YYYY-MM-DD"), Optional("rdo-frequency", "FREQUENCY"),
                 Optional("lsdo-pence", "PENCE"), Etag()},
       .mutating = true,
       .summary = "DOT reports on the Disclosure SR it works: first SUCCESSFUL (the owner "
                  "authorises within 48 hours, AR10.11) or UNSUCCESSFUL, then RDO_SET_UP, "
                  "LSDO_SET_UP or NOT_APPROVED (AR10.6; an RDO needs --rdo-pence, --rdo-first "
                  "and --rdo-frequency).",
       .run = ArrearsDisclosureOutcome},
      {.name = "arrears authorise",
       .operands = {"case"},
       .flags = {Required("order", "RDO|LSDO"), Required("note", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Authorise the RDO or LSDO of a successful disclosure, within 48 hours of DOT's "
                  "report (AR10.11; an LSDO below £500 is refused, AR10.8).",
       .run = ArrearsAuthorise},
      {.name = "arrears rdo-viability",
       .operands = {"case"},
       .flags = {Required("viability", "VIABLE|LAPSED|DISCHARGED"), Boolean("further-assets"),
                 Required("note", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Enforcement: record what DOT said of the RDO on the open review (AR10.12); no "
                  "further assets disables the missed payment monitor until the annual review.",
       .run = ArrearsRdoViability},
      {.name = "arrears enforce",
       .operands = {"case"},
       .flags = {Required("action",
                          "LIABILITY_ORDER|LSDO|CHARGING_ORDER|ORDER_FOR_SALE|COMMITMENT"),
                 Optional("court", "NAME"), Optional("asset", "ASSET_ID"), Required("note", "TEXT"),
                 Etag()},
       .mutating = true,
       .summary = "Enforcement: take an enforcement action on a case ENFORCEMENT owns (refused "
                  "below its de minimis, AR10.8, and while CSA debt is to migrate, AR10.10; a "
                  "charging order needs --court and --asset, an order for sale --asset).",
       .run = ArrearsEnforce},
      {.name = "arrears refer-lo",
       .operands = {"case"},
       .flags = {Required("checklist", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Refer for a liability order after a failed final negotiation: the Review LO "
                  "SR goes to the team leader (AR10.7; refused below £500, AR10.8, and while CSA "
                  "debt is to migrate, AR10.10).",
       .run = ArrearsReferLo},
      {.name = "arrears rp-contact",
       .operands = {"case"},
       .flags = {Required("outcome", "REACHED|NOT_REACHED"), Optional("note", "TEXT"), Etag()},
       .mutating = true,
       .summary = "Record the attempt to reach the RP from the open review (AR10.11): REACHED "
                  "needs --note (what they said); NOT_REACHED issues CMSL5511 to the RP and sets "
                  "the wait before a referral to DOT or for an LO.",
       .run = ArrearsRpContact},
      {.name = "arrears assets",
       .operands = {"case"},
       .flags = {Boolean("include-closed")},
       .summary = "List the assets of the case's PP (AR10.14), active only unless "
                  "--include-closed.",
       .run = ArrearsAssets},
      {.name = "arrears asset-add",
       .operands = {"case"},
       .flags = {Required("person", "ID"), Required("type", "BANK_ACCOUNT|VEHICLE|PROPERTY|OTHER"),
                 Required("description", "TEXT"),
                 Required(
                     "source",
                     "CASEWORKER|RECEIVING_PARENT|DEDUCTION_ORDER_TEAM|CREDIT_REFERENCE_AGENCY"),
                 Optional("account-type", "CURRENT|SAVINGS|BUSINESS|OTHER"),
                 Optional("reference", "TEXT"), Boolean("previous-address"),
                 Boolean("csa-direct-debit")},
       .mutating = true,
       .summary = "Record an asset of the PP (AR10.14); a bank account needs --account-type and "
                  "--reference (sort code and account number, kept masked).",
       .run = ArrearsAssetAdd},
      {.name = "arrears asset-end",
       .operands = {"case", "asset"},
       .flags = {Required("reason", "TEXT"), Etag()},
       .mutating = true,
       .summary = "End an asset of the case's PP (an account closed, a vehicle sold; AR10.14).",
       .run = ArrearsAssetEnd},
      {.name = "operations get",
       .operands = {"name"},
       .summary = "Show one operation (operations/ID or ID).",
       .run = OperationsGet},
      {.name = "operations cancel",
       .operands = {"name"},
       .mutating = true,
       .summary = "Stop a running operation before its next batch; what moved stays moved.",
       .run = OperationsCancel},
      {.name = "teams list",
       .flags = {Optional("segment", "ID"), Boolean("include-retired")},
       .summary = "List teams, optionally of one segment.",
       .run = TeamsList},
      {.name = "teams create",
       .flags = {Required("segment", "ID"), Required("name", "NAME")},
       .mutating = true,
       .summary = "Create a team in a segment.",
       .run = TeamsCreate},
      {.name = "teams load",
       .flags = {Optional("team", "ID")},
       .summary = "Each member's open SRs against the load limit: a team leader's own team, "
                  "or --team for its segment's manager or service management (W4.4).",
       .run = TeamsLoad},
      {.name = "teams retire",
       .operands = {"id"},
       .flags = {Etag()},
       .mutating = true,
       .summary = "Retire a team without active members.",
       .run = TeamsRetire},
      {.name = "people list",
       .flags = {Optional("team", "ID"), Optional("segment", "ID"), Boolean("include-inactive")},
       .summary = "List staff, optionally of one team or segment.",
       .run = PeopleList},
      {.name = "people get",
       .operands = {"staff_id"},
       .summary = "Show one staff member.",
       .run = PeopleGet},
      {.name = "people add",
       .flags = {Required("staff-id", "STAFF_ID"), Required("name", "NAME"),
                 Required("role", "ROLE"), Optional("team", "ID"), Optional("segment", "ID")},
       .mutating = true,
       .summary = "Add a staff member (--team for caseworkers and team leaders, --segment for "
                  "segment managers).",
       .run = PeopleAdd},
      {.name = "people move",
       .operands = {"staff_id"},
       .flags = {Required("team", "ID"), Etag()},
       .mutating = true,
       .summary = "Move a staff member to another team.",
       .run = PeopleMove},
      {.name = "people deactivate",
       .operands = {"staff_id"},
       .flags = {Etag()},
       .mutating = true,
       .summary = "Deactivate a staff member.",
       .run = PeopleDeactivate},
      {.name = "bom as-of",
       .operands = {"time"},
       .summary = "The BOM (segments, teams, staff) at an RFC 3339 instant, or \"now\".",
       .run = BomAsOf},
      {.name = "approvals inbox",
       .summary = "Pending approvals the caller may decide, oldest first (A6.1; S1.5 BOM "
                  "changes for SERVICE_MANAGEMENT).",
       .run = ApprovalsInbox},
      {.name = "approvals list",
       .flags = {Optional("sr", "ID"), Optional("team", "ID"), Optional("state", "STATE")},
       .summary = "An SR's submissions and decisions (--sr), a team's newest first (--team: "
                  "its team leader or segment manager), or every BOM change request, "
                  "optionally by --state (A6.2, S1.5).",
       .run = ApprovalsList},
      {.name = "approvals get",
       .operands = {"id"},
       .summary = "Show one approval.",
       .run = ApprovalsGet},
      {.name = "approvals approve",
       .operands = {"id"},
       .flags = {Required("comment", "TEXT")},
       .mutating = true,
       .summary = "Approve a pending approval (a BOM change is applied) (A6.1).",
       .run = ApprovalsApprove},
      {.name = "approvals reject",
       .operands = {"id"},
       .flags = {Required("comment", "TEXT")},
       .mutating = true,
       .summary = "Reject a pending approval (A6.2).",
       .run = ApprovalsReject},
      {.name = "casegroups get",
       .operands = {"id"},
       .summary = "Show one casegroup.",
       .run = CasegroupsGet},
      {.name = "casegroups explain",
       .operands = {"id"},
       .summary = "Explain the routing of a casegroup now (R3.2).",
       .run = CasegroupsExplain},
      {.name = "casegroups moves",
       .operands = {"id"},
       .summary = "List the moves of a casegroup, oldest first (R3.5).",
       .run = CasegroupsMoves},
      {.name = "sr-types list", .summary = "List the SR type catalog (SR5.1).", .run = SrTypesList},
      {.name = "letters templates",
       .summary = "List the letter templates (L12.1).",
       .run = LettersTemplates},
      {.name = "letters show",
       .operands = {"id"},
       .summary = "Print an issued letter's rendered text (--output json: the whole letter).",
       .run = LettersShow},
      {.name = "interactions list",
       .flags = {Optional("person", "ID"), Optional("case", "ID"), Optional("sr", "ID")},
       .summary = "List the calls, letters and SMS of a person and/or case, or those recorded "
                  "from an SR (--sr) (L12.2).",
       .run = InteractionsList},
      {.name = "payments schedule",
       .operands = {"case_id"},
       .summary = "A case's current P2P schedule, each item classified as of today (M7.5); "
                  "amounts in pounds (--output json: the Schedule, in pence).",
       .run = PaymentsSchedule},
      {.name = "payments statement",
       .operands = {"case_id"},
       .summary = "A case's statement: what fell due, charges and payments with a running "
                  "balance, then the balance and arrears (M7.6).",
       .run = PaymentsStatement},
      {.name = "payments arrears",
       .flags = {Optional("case", "ID"), Optional("casegroup", "ID")},
       .summary = "The live arrears of a case (--case) or of a casegroup's cases "
                  "(--casegroup) (M7.6).",
       .run = PaymentsArrears},
      {.name = "payments release-schedule",
       .operands = {"schedule_id"},
       .flags = {Required("note", "TEXT")},
       .mutating = true,
       .summary = "Release a schedule held for manual allocation review (a mixed master case): "
                  "it comes into force and its Manual Allocation Review SR closes (S5.14).",
       .run = PaymentsReleaseSchedule},
      {.name = "timers stats",
       .summary = "Durable timers: pending, overdue and failed counts and the oldest overdue "
                  "lag (T8.2).",
       .run = TimerStats},
      {.name = "security stats",
       .summary = "Refused calls of the server answering (UNAUTHENTICATED and PERMISSION_DENIED "
                  "by code, rate-limited answers) and the peer addresses limited now (X13.1).",
       .run = SecurityStats},
      {.name = "queues stats",
       .summary = "Each segment's queue (open SRs allocated to nobody): its size, priority "
                  "items and ages; every segment for service management, one's own for a "
                  "segment manager or team leader (W4.3).",
       .run = QueueStats},
      {.name = "orphans check",
       .summary = "Count orphaned work (W4.5); exit 3 when there is any.",
       .run = OrphansCheck},
      {.name = "orphans recover",
       .mutating = true,
       .summary = "Return orphaned work to its queue, re-routing retired segments' work (W4.5).",
       .run = OrphansRecover},
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

Outcome UsageFailure(absl::string_view message) {
  return {kExitUsage, absl::StrCat("error: ", message, "\n\n", CmsctlUsage())};
}

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
                   ValuesLine("--state", v1::ApprovalState_descriptor()),
                   ValuesLine("--action", v1::ComplianceAction_descriptor()),
                   ValuesLine("--utp", v1::UnlikelyToPayStatus_descriptor()),
                   ValuesLine("--reason", v1::ComplianceReason_descriptor()),
                   ValuesLine("  extend", v1::ExtensionReason_descriptor()),
                   ValuesLine("  end-early", v1::EarlyEndReason_descriptor()),
                   ValuesLine("--kinds", v1::AssuranceItemKind_descriptor()),
                   ValuesLine("--decision-type", v1::BusinessDecisionType_descriptor())));
}

}  // namespace cms::cmsctl
