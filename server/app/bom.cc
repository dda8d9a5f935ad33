#include "server/app/bom.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/changed_work.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/operations.h"
#include "server/domain/segment_naming.h"
#include "server/domain/values.h"
#include "server/store/audit_repo.h"
#include "server/store/bom_repo.h"
#include "server/store/operation_repo.h"
#include "server/store/timer_repo.h"
#include "server/store/work_repo.h"

namespace cms::app {
namespace {

using cms::v1::Segment;
using cms::v1::StaffMember;
using cms::v1::Team;

// A message as another message type with the same wire format: the Start*
// RPCs' own requests are field for field the synchronous RPCs' requests
// (tests/unit/proto/api_contract_test.cc keeps them so), and the operation
// and the shared checks take the latter.
template <typename To, typename From>
To WireCast(const From& from) {
  To to;
  to.ParseFromString(from.SerializeAsString());
  return to;
}

absl::Status RequireActive(cms::v1::LifecycleStatus status, absl::string_view what,
                           absl::string_view rule) {
  if (status != cms::v1::LIFECYCLE_STATUS_ACTIVE) {
    return RuleViolation(rule, absl::StrCat(what, " is retired"));
  }
  return absl::OkStatus();
}

// A name clash on insert/update is the unique key's duplicate error; `rule`
// is the rule that makes the name unique.
absl::Status NameClash(absl::Status s, absl::string_view what, absl::string_view rule) {
  if (absl::IsAlreadyExists(s)) {
    return WithReason(
        WithRule(absl::AlreadyExistsError(absl::StrCat(what, " already exists")), rule),
        "NAME_CLASH");
  }
  return s;
}

bool ValidStaffId(absl::string_view id) {
  if (id.empty() || id.size() > 40) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

bool HasTeam(cms::v1::Role role) {
  return role == cms::v1::ROLE_CASEWORKER || role == cms::v1::ROLE_TEAM_LEADER;
}

template <typename T>
absl::Status ParseSnapshots(const std::vector<std::string>& json,
                            google::protobuf::RepeatedPtrField<T>* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  for (const std::string& j : json) {
    T item;
    if (!google::protobuf::util::JsonStringToMessage(j, &item, options).ok()) {
      return absl::InternalError("unreadable BOM snapshot in the audit trail");
    }
    *out->Add() = std::move(item);
  }
  return absl::OkStatus();
}

absl::Status CheckNoActiveTeamsOrStaff(const store::Dependents& deps) {
  if (deps.active_teams > 0 || deps.active_staff > 0) {
    return RuleViolation(
        "S1.6", absl::StrCat("the segment still has ", deps.active_teams, " active teams and ",
                             deps.active_staff, " active staff; retire or move them first"));
  }
  return absl::OkStatus();
}

// S1.6, W4.6: work moves to a live segment of the same country and service
// segment, so routing (C2.4, R3.2) still holds for every moved casegroup.
absl::Status CheckRetireTarget(store::Tx& tx, const Segment& from, int64_t target_id) {
  if (target_id == from.id()) {
    return InvalidField("target_segment_id", "must differ from the segment being retired");
  }
  auto target = store::GetSegment(tx, target_id);
  if (absl::IsNotFound(target.status()))
    return InvalidField("target_segment_id", "no such segment");
  CMS_RETURN_IF_ERROR(target.status());
  CMS_RETURN_IF_ERROR(RequireActive(target->status(), "the target segment", "S1.6"));
  if (target->country() != from.country() || target->service_segment() != from.service_segment()) {
    return InvalidField("target_segment_id",
                        "must be a segment of the same country and service segment", "W4.6");
  }
  return absl::OkStatus();
}

// W4.6: a split's postcode areas as the regex its casegroups' PP postcodes
// match; INVALID_ARGUMENT naming each bad field.
absl::StatusOr<std::string> SplitPostcodeRegex(const cms::v1::SplitSegmentRequest& req) {
  FieldErrors errors;
  if (req.target_segment_id() <= 0) errors.Add("target_segment_id", "required");
  std::vector<std::string> areas;
  for (const std::string& a : req.postcode_areas()) {
    const std::string area = absl::AsciiStrToUpper(a);
    const bool letters =
        !area.empty() && area.size() <= 2 &&
        std::all_of(area.begin(), area.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!letters) {
      errors.Add("postcode_areas", "each area is one or two letters, e.g. \"NE\" or \"M\"");
      break;
    }
    areas.push_back(area);
  }
  if (req.postcode_areas().empty()) errors.Add("postcode_areas", "name at least one postcode area");
  CMS_RETURN_IF_ERROR(errors.ToStatus("W4.6"));
  // The area is the postcode's leading letters, so a digit must follow it.
  return absl::StrCat("^(", absl::StrJoin(areas, "|"), ")[0-9]");
}

int64_t MovedItems(const store::ChangedWork& changed) {
  int64_t n = static_cast<int64_t>(changed.casegroups.size());
  for (const auto& [before, after] : changed.service_requests) {
    if (before.kind() == cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE) ++n;
  }
  return n;
}

store::TimerSpec BulkMoveTimer(int64_t operation_id, int64_t batch, absl::Time due) {
  return store::TimerSpec{
      .kind = kBulkMoveTimer,
      .subject = operation_id,
      .due = due,
      .payload = absl::StrCat(batch),
      .dedupe_key = absl::StrCat(kBulkMoveTimer, "/", operation_id, "/", batch),
  };
}

}  // namespace

// ---------------------------------------------------------------- segments

absl::Status BomApp::ListSegments(const cms::v1::ListSegmentsRequest& req,
                                  cms::v1::ListSegmentsResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  store::SegmentFilter f{req.include_retired(), req.country(), req.service_segment()};
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(auto segments, store::ListSegments(tx, f, page));
    for (auto& s : segments) *out->add_segments() = std::move(s);
    if (out->segments_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->segments().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

absl::Status BomApp::GetSegment(const cms::v1::GetSegmentRequest& req, Segment* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, store::GetSegment(tx, req.id()));
    return absl::OkStatus();
  });
}

absl::Status BomApp::CreateSegment(const Actor& actor, const cms::v1::CreateSegmentRequest& req,
                                   Segment* out) {
  return commands_.Run(actor, "CreateSegment", req, req.request_id(), out,
                       [&](Command& c) { return DoCreateSegment(c, req, out); });
}

absl::Status BomApp::DoCreateSegment(Command& c, const cms::v1::CreateSegmentRequest& req,
                                     Segment* out) {
  CMS_ASSIGN_OR_RETURN(std::string name,
                       domain::DeriveSystemName(req.country(), req.service_segment(),
                                                req.description(), req.code()));
  Segment s;
  s.set_country(req.country());
  s.set_service_segment(req.service_segment());
  s.set_description(req.description());
  s.set_code(req.code());
  s.set_system_name(name);
  s.set_status(cms::v1::LIFECYCLE_STATUS_ACTIVE);
  auto id = store::InsertSegment(c.tx(), s, c.now_us());
  if (!id.ok()) return NameClash(id.status(), absl::StrCat("a segment named ", name), "S1.3");
  CMS_ASSIGN_OR_RETURN(*out, store::GetSegment(c.tx(), *id));
  c.Audit("segment", absl::StrCat(out->id()), nullptr, *out);
  return absl::OkStatus();
}

absl::Status BomApp::RenameSegment(const Actor& actor, const cms::v1::RenameSegmentRequest& req,
                                   Segment* out) {
  return commands_.Run(actor, "RenameSegment", req, req.request_id(), out,
                       [&](Command& c) { return DoRenameSegment(c, req, out); });
}

absl::Status BomApp::DoRenameSegment(Command& c, const cms::v1::RenameSegmentRequest& req,
                                     Segment* out) {
  CMS_ASSIGN_OR_RETURN(Segment before, store::GetSegment(c.tx(), req.id(), /*for_update=*/true));
  CMS_RETURN_IF_ERROR(
      CheckEtag(req.etag(), before.etag(), "etag", "segment", absl::StrCat(req.id())));
  CMS_RETURN_IF_ERROR(RequireActive(before.status(), "the segment", "S1.5"));
  CMS_ASSIGN_OR_RETURN(std::string name,
                       domain::DeriveSystemName(before.country(), before.service_segment(),
                                                req.description(), req.code()));
  Segment after = before;
  after.set_description(req.description());
  after.set_code(req.code());
  after.set_system_name(name);
  CMS_RETURN_IF_ERROR(NameClash(store::UpdateSegment(c.tx(), after),
                                absl::StrCat("a segment named ", name), "S1.3"));
  CMS_ASSIGN_OR_RETURN(*out, store::GetSegment(c.tx(), req.id()));
  c.Audit("segment", absl::StrCat(out->id()), &before, *out);
  return absl::OkStatus();
}

absl::Status BomApp::RetireSegment(const Actor& actor, const cms::v1::RetireSegmentRequest& req,
                                   Segment* out) {
  if (req.target_segment_id() != 0) {
    // W4.6: move the work first, one transaction per batch. A crash leaves
    // each casegroup moved or not; calling again finishes the job.
    CMS_RETURN_IF_ERROR(commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
      CMS_ASSIGN_OR_RETURN(Segment from, store::GetSegment(tx, req.id()));
      CMS_RETURN_IF_ERROR(RequireActive(from.status(), "the segment", "S1.6"));
      CMS_RETURN_IF_ERROR(CheckRetireTarget(tx, from, req.target_segment_id()));
      // Refuse before moving anything if the retire itself would be refused.
      CMS_ASSIGN_OR_RETURN(store::Dependents deps, store::SegmentDependents(tx, req.id()));
      return CheckNoActiveTeamsOrStaff(deps);
    }));
    for (int64_t moved = 1; moved > 0;) {
      Segment unused;
      CMS_RETURN_IF_ERROR(
          commands_.Run(actor, "RetireSegment", req, "", &unused, [&](Command& c) -> absl::Status {
            CMS_ASSIGN_OR_RETURN(
                store::ChangedWork changed,
                store::MoveSegmentWorkBatch(
                    c.tx(), req.id(), req.target_segment_id(), bulk_move_batch_,
                    absl::StrCat("RetireSegment ", req.id()), c.actor().staff_id, c.now_us()));
            AuditChangedWork(c, changed);  // X13.2
            moved = changed.size();
            return absl::OkStatus();
          }));
    }
  }
  return commands_.Run(actor, "RetireSegment", req, req.request_id(), out,
                       [&](Command& c) { return DoRetireSegment(c, req, out); });
}

absl::Status BomApp::DoRetireSegment(Command& c, const cms::v1::RetireSegmentRequest& req,
                                     Segment* out) {
  CMS_ASSIGN_OR_RETURN(Segment before, store::GetSegment(c.tx(), req.id(), /*for_update=*/true));
  CMS_RETURN_IF_ERROR(
      CheckEtag(req.etag(), before.etag(), "etag", "segment", absl::StrCat(req.id())));
  CMS_RETURN_IF_ERROR(RequireActive(before.status(), "the segment", "S1.6"));
  if (req.target_segment_id() != 0) {
    CMS_RETURN_IF_ERROR(CheckRetireTarget(c.tx(), before, req.target_segment_id()));
  }
  CMS_ASSIGN_OR_RETURN(store::Dependents deps, store::SegmentDependents(c.tx(), req.id()));
  if (deps.casegroups > 0 || deps.open_service_requests > 0) {
    return RuleViolation("S1.6",
                         absl::StrCat("the segment owns ", deps.casegroups, " casegroups and ",
                                      deps.open_service_requests, " open SRs; ",
                                      req.target_segment_id() == 0
                                          ? "name a target_segment_id to move them to (W4.6)"
                                          : "new work arrived while it was being moved: retry"));
  }
  CMS_RETURN_IF_ERROR(CheckNoActiveTeamsOrStaff(deps));
  Segment after = before;
  after.set_status(cms::v1::LIFECYCLE_STATUS_RETIRED);
  CMS_RETURN_IF_ERROR(store::UpdateSegment(c.tx(), after));
  CMS_ASSIGN_OR_RETURN(*out, store::GetSegment(c.tx(), req.id()));
  c.Audit("segment", absl::StrCat(out->id()), &before, *out);
  return absl::OkStatus();
}

absl::Status BomApp::SplitSegment(const Actor& actor, const cms::v1::SplitSegmentRequest& req,
                                  cms::v1::SplitSegmentResponse* out) {
  CMS_ASSIGN_OR_RETURN(const std::string regex, SplitPostcodeRegex(req));
  CMS_RETURN_IF_ERROR(commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(Segment from, store::GetSegment(tx, req.id()));
    CMS_RETURN_IF_ERROR(RequireActive(from.status(), "the segment", "W4.6"));
    return CheckRetireTarget(tx, from, req.target_segment_id());
  }));
  int64_t total = 0;
  for (int64_t moved = 1; moved > 0; total += moved) {
    cms::v1::SplitSegmentResponse unused;
    CMS_RETURN_IF_ERROR(
        commands_.Run(actor, "SplitSegment", req, "", &unused, [&](Command& c) -> absl::Status {
          CMS_ASSIGN_OR_RETURN(
              store::ChangedWork changed,
              store::MoveSegmentWorkBatch(c.tx(), req.id(), req.target_segment_id(),
                                          bulk_move_batch_, absl::StrCat("SplitSegment ", req.id()),
                                          c.actor().staff_id, c.now_us(), regex));
          AuditChangedWork(c, changed);  // X13.2
          moved = static_cast<int64_t>(changed.casegroups.size());
          return absl::OkStatus();
        }));
  }
  // The outcome is recorded under the request id, so a retry returns it.
  return commands_.Run(actor, "SplitSegment", req, req.request_id(), out,
                       [&](Command& c) -> absl::Status {
                         out->set_moved_casegroups(total);
                         CMS_ASSIGN_OR_RETURN(Segment from, store::GetSegment(c.tx(), req.id()));
                         c.Audit("segment", absl::StrCat(req.id()), &from, *out);
                         return absl::OkStatus();
                       });
}

// ---------------------------------------------------------------- operations (W4.6)

absl::Status BomApp::CheckRetireRequest(store::Tx& tx, const cms::v1::RetireSegmentRequest& req,
                                        bool check_etag) {
  CMS_ASSIGN_OR_RETURN(Segment from, store::GetSegment(tx, req.id()));
  if (check_etag) {
    CMS_RETURN_IF_ERROR(
        CheckEtag(req.etag(), from.etag(), "etag", "segment", absl::StrCat(req.id())));
  }
  CMS_RETURN_IF_ERROR(RequireActive(from.status(), "the segment", "S1.6"));
  if (req.target_segment_id() != 0) {
    CMS_RETURN_IF_ERROR(CheckRetireTarget(tx, from, req.target_segment_id()));
  }
  // Refuse before moving anything if the retire itself would be refused.
  CMS_ASSIGN_OR_RETURN(store::Dependents deps, store::SegmentDependents(tx, req.id()));
  if (req.target_segment_id() == 0 && (deps.casegroups > 0 || deps.open_service_requests > 0)) {
    return RuleViolation(
        "S1.6", absl::StrCat("the segment owns ", deps.casegroups, " casegroups and ",
                             deps.open_service_requests,
                             " open SRs; name a target_segment_id to move them to (W4.6)"));
  }
  return CheckNoActiveTeamsOrStaff(deps);
}

absl::Status BomApp::StartOperation(Command& c, cms::v1::Operation op, int64_t from, int64_t to,
                                    const std::string& regex, cms::v1::Operation* out) {
  op.set_state(cms::v1::OPERATION_STATE_RUNNING);
  op.set_created_by(c.actor().staff_id);
  if (to != 0) {
    CMS_ASSIGN_OR_RETURN(int64_t total, store::CountSegmentWork(c.tx(), from, regex));
    op.set_total_items(total);
  }
  CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertOperation(c.tx(), op, {from, to}, c.now_us()));
  CMS_RETURN_IF_ERROR(
      store::ScheduleTimer(c.tx(), BulkMoveTimer(id, 0, c.now()), c.now_us()).status());
  CMS_ASSIGN_OR_RETURN(*out, store::GetOperation(c.tx(), id));
  c.Audit("operation", absl::StrCat(id), nullptr, *out);  // X13.2
  return absl::OkStatus();
}

absl::Status BomApp::StartRetireSegment(const Actor& actor,
                                        const cms::v1::StartRetireSegmentRequest& start,
                                        cms::v1::Operation* out) {
  // The operation keeps the request in RetireSegment's shape, which is what
  // the last batch retires with.
  const auto req = WireCast<cms::v1::RetireSegmentRequest>(start);
  CMS_RETURN_IF_ERROR(commands_.Run(
      actor, "StartRetireSegment", start, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_RETURN_IF_ERROR(CheckRetireRequest(c.tx(), req, /*check_etag=*/true));
        cms::v1::Operation op;
        op.set_kind(cms::v1::OPERATION_KIND_RETIRE_SEGMENT);
        *op.mutable_retire_segment_request() = req;
        return StartOperation(c, std::move(op), req.id(), req.target_segment_id(), "", out);
      }));
  // A replay answers the operation as first created; show it as it is now.
  cms::v1::GetOperationRequest get;
  get.set_name(out->name());
  return GetOperation(get, out);
}

absl::Status BomApp::StartSplitSegment(const Actor& actor,
                                       const cms::v1::StartSplitSegmentRequest& start,
                                       cms::v1::Operation* out) {
  const auto req = WireCast<cms::v1::SplitSegmentRequest>(start);
  CMS_ASSIGN_OR_RETURN(const std::string regex, SplitPostcodeRegex(req));
  CMS_RETURN_IF_ERROR(commands_.Run(
      actor, "StartSplitSegment", start, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(Segment from, store::GetSegment(c.tx(), req.id()));
        CMS_RETURN_IF_ERROR(RequireActive(from.status(), "the segment", "W4.6"));
        CMS_RETURN_IF_ERROR(CheckRetireTarget(c.tx(), from, req.target_segment_id()));
        cms::v1::Operation op;
        op.set_kind(cms::v1::OPERATION_KIND_SPLIT_SEGMENT);
        *op.mutable_split_segment_request() = req;
        return StartOperation(c, std::move(op), req.id(), req.target_segment_id(), regex, out);
      }));
  cms::v1::GetOperationRequest get;
  get.set_name(out->name());
  return GetOperation(get, out);
}

absl::Status BomApp::GetOperation(const cms::v1::GetOperationRequest& req,
                                  cms::v1::Operation* out) {
  const int64_t id = store::OperationIdOf(req.name());
  if (id == 0) return InvalidField("name", "an operation name, \"operations/<id>\"");
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, store::GetOperation(tx, id));
    return absl::OkStatus();
  });
}

absl::Status BomApp::ListOperations(const cms::v1::ListOperationsRequest& req,
                                    cms::v1::ListOperationsResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  if (!cms::v1::OperationState_IsValid(req.state())) return InvalidField("state", "unknown state");
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    // Newest first, so the token's id is an upper bound.
    CMS_ASSIGN_OR_RETURN(auto ops,
                         store::ListOperations(tx, req.state(), page.after_id, page.limit));
    for (auto& op : ops) *out->add_operations() = std::move(op);
    if (out->operations_size() == page.limit) {
      out->set_next_page_token(
          page.NextToken(store::OperationIdOf(out->operations().rbegin()->name())));
    }
    return absl::OkStatus();
  });
}

absl::Status BomApp::CancelOperation(const Actor& actor, const cms::v1::CancelOperationRequest& req,
                                     cms::v1::Operation* out) {
  const int64_t id = store::OperationIdOf(req.name());
  if (id == 0) return InvalidField("name", "an operation name, \"operations/<id>\"");
  return commands_.Run(
      actor, "CancelOperation", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        // The lock waits for a batch in flight, so what it moved is counted.
        CMS_ASSIGN_OR_RETURN(cms::v1::Operation before,
                             store::GetOperation(c.tx(), id, /*for_update=*/true));
        if (before.state() != cms::v1::OPERATION_STATE_RUNNING) {
          return RuleViolation(
              "W4.6", absl::StrCat("the operation has already ended: ", ShortName(before.state())));
        }
        cms::v1::Operation after = before;
        after.set_state(cms::v1::OPERATION_STATE_CANCELLED);
        after.set_cancelled_by(c.actor().staff_id);
        CMS_RETURN_IF_ERROR(store::UpdateOperation(c.tx(), id, after, c.now_us()));
        CMS_ASSIGN_OR_RETURN(*out, store::GetOperation(c.tx(), id));
        c.Audit("operation", absl::StrCat(id), &before, *out);  // X13.2
        return absl::OkStatus();
      });
}

absl::Status BomApp::RunBulkMoveBatch(Command& c, const store::DueTimer& timer) {
  auto found = store::GetOperation(c.tx(), timer.subject, /*for_update=*/true);
  if (absl::IsNotFound(found.status())) return absl::OkStatus();
  CMS_RETURN_IF_ERROR(found.status());
  cms::v1::Operation op = *std::move(found);
  // Cancelled, or finished by an earlier firing: nothing to do.
  if (op.state() != cms::v1::OPERATION_STATE_RUNNING) return absl::OkStatus();
  int64_t batch = 0;
  (void)absl::SimpleAtoi(timer.payload, &batch);
  const cms::v1::Operation before = op;
  const bool retire = op.kind() == cms::v1::OPERATION_KIND_RETIRE_SEGMENT;
  const int64_t from = retire ? op.retire_segment_request().id() : op.split_segment_request().id();
  const int64_t to = retire ? op.retire_segment_request().target_segment_id()
                            : op.split_segment_request().target_segment_id();
  std::string regex;
  if (!retire) {
    auto r = SplitPostcodeRegex(op.split_segment_request());
    CMS_RETURN_IF_ERROR(r.status());
    regex = *r;
  }

  int64_t moved = 0;
  if (to != 0) {
    CMS_ASSIGN_OR_RETURN(
        store::ChangedWork changed,
        store::MoveSegmentWorkBatch(
            c.tx(), from, to, bulk_move_batch_,
            absl::StrCat(retire ? "RetireSegment " : "SplitSegment ", from, " (", op.name(), ")"),
            op.created_by(), c.now_us(), regex));
    AuditChangedWork(c, changed);  // X13.2
    moved = MovedItems(changed);
    // Case-owning SRs alone can still be left when their casegroups moved
    // earlier; a batch that moved anything is followed by another.
    if (changed.size() > 0 && moved == 0) moved = -1;
  }
  if (moved != 0) {
    if (moved > 0) op.set_moved_items(op.moved_items() + moved);
    // Work that arrived meanwhile moves too.
    op.set_total_items(std::max(op.total_items(), op.moved_items()));
    CMS_RETURN_IF_ERROR(store::UpdateOperation(c.tx(), timer.subject, op, c.now_us()));
    // Due now: the sweeper claims again straight after this commit, so the
    // batches run back to back, on whichever replica claims first.
    return store::ScheduleTimer(c.tx(), BulkMoveTimer(timer.subject, batch + 1, c.now()),
                                c.now_us())
        .status();
  }

  // Everything has moved: the retire itself, or the split's answer.
  absl::Status finished = absl::OkStatus();
  if (retire) {
    Segment retired;
    finished = DoRetireSegment(c, op.retire_segment_request(), &retired);
    if (finished.ok()) *op.mutable_retired_segment() = retired;
  } else {
    cms::v1::SplitSegmentResponse result;
    result.set_moved_casegroups(op.moved_items());
    auto segment = store::GetSegment(c.tx(), from);
    CMS_RETURN_IF_ERROR(segment.status());
    c.Audit("segment", absl::StrCat(from), &*segment, result);
    *op.mutable_split_segment_response() = result;
  }
  if (!finished.ok()) {
    // W4.6: a fault rolls the firing back for the sweeper's retry; a refusal
    // is the operation's answer.
    if (!domain::IsOperationRefusal(finished)) return finished;
    *op.mutable_error() = domain::OperationErrorOf(finished);
  }
  op.set_state(finished.ok() ? cms::v1::OPERATION_STATE_SUCCEEDED
                             : cms::v1::OPERATION_STATE_FAILED);
  op.set_total_items(std::max(op.total_items(), op.moved_items()));
  CMS_RETURN_IF_ERROR(store::UpdateOperation(c.tx(), timer.subject, op, c.now_us()));
  op.set_done(true);
  c.Audit("operation", absl::StrCat(timer.subject), &before, op);  // X13.2
  return absl::OkStatus();
}

absl::Status BomApp::FailBulkMove(Command& c, const store::DueTimer& timer,
                                  const absl::Status& last_error, int attempts) {
  auto found = store::GetOperation(c.tx(), timer.subject, /*for_update=*/true);
  if (absl::IsNotFound(found.status())) return absl::OkStatus();
  CMS_RETURN_IF_ERROR(found.status());
  cms::v1::Operation op = *std::move(found);
  // Cancelled meanwhile: it has its answer already.
  if (op.state() != cms::v1::OPERATION_STATE_RUNNING) return absl::OkStatus();
  const cms::v1::Operation before = op;
  *op.mutable_error() = domain::OperationErrorAfterAttempts(last_error, attempts);
  op.set_state(cms::v1::OPERATION_STATE_FAILED);
  op.set_total_items(std::max(op.total_items(), op.moved_items()));
  CMS_RETURN_IF_ERROR(store::UpdateOperation(c.tx(), timer.subject, op, c.now_us()));
  op.set_done(true);
  c.Audit("operation", absl::StrCat(timer.subject), &before, op);  // X13.2
  return absl::OkStatus();
}

// ---------------------------------------------------------------- teams

absl::Status BomApp::ListTeams(const cms::v1::ListTeamsRequest& req,
                               cms::v1::ListTeamsResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(auto teams,
                         store::ListTeams(tx, req.segment_id(), req.include_retired(), page));
    for (auto& t : teams) *out->add_teams() = std::move(t);
    if (out->teams_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->teams().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

absl::Status BomApp::CreateTeam(const Actor& actor, const cms::v1::CreateTeamRequest& req,
                                Team* out) {
  return commands_.Run(actor, "CreateTeam", req, req.request_id(), out,
                       [&](Command& c) { return DoCreateTeam(c, req, out); });
}

absl::Status BomApp::DoCreateTeam(Command& c, const cms::v1::CreateTeamRequest& req, Team* out) {
  FieldErrors errors;
  if (req.segment_id() <= 0) errors.Add("segment_id", "required");
  if (auto problem = domain::NameProblem(req.name(), 100)) errors.Add("name", *problem);
  CMS_RETURN_IF_ERROR(errors.ToStatus());
  auto segment = store::GetSegment(c.tx(), req.segment_id());
  if (absl::IsNotFound(segment.status())) return InvalidField("segment_id", "no such segment");
  CMS_RETURN_IF_ERROR(segment.status());
  CMS_RETURN_IF_ERROR(RequireActive(segment->status(), "the segment", "S1.4"));
  Team t;
  t.set_segment_id(req.segment_id());
  t.set_name(req.name());
  t.set_status(cms::v1::LIFECYCLE_STATUS_ACTIVE);
  auto id = store::InsertTeam(c.tx(), t, c.now_us());
  if (!id.ok()) {
    return NameClash(id.status(), absl::StrCat("team \"", req.name(), "\" in this segment"),
                     "S1.4");
  }
  CMS_ASSIGN_OR_RETURN(*out, store::GetTeam(c.tx(), *id));
  c.Audit("team", absl::StrCat(out->id()), nullptr, *out);
  return absl::OkStatus();
}

absl::Status BomApp::RetireTeam(const Actor& actor, const cms::v1::RetireTeamRequest& req,
                                Team* out) {
  return commands_.Run(actor, "RetireTeam", req, req.request_id(), out,
                       [&](Command& c) { return DoRetireTeam(c, req, out); });
}

absl::Status BomApp::DoRetireTeam(Command& c, const cms::v1::RetireTeamRequest& req, Team* out) {
  CMS_ASSIGN_OR_RETURN(Team before, store::GetTeam(c.tx(), req.id(), /*for_update=*/true));
  CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), before.etag(), "etag", "team", absl::StrCat(req.id())));
  CMS_RETURN_IF_ERROR(RequireActive(before.status(), "the team", "S1.6"));
  CMS_ASSIGN_OR_RETURN(int64_t members, store::ActiveStaffInTeam(c.tx(), req.id()));
  if (members > 0) {
    return RuleViolation(
        "S1.6", absl::StrCat("the team still has ", members, " active members; move them first"));
  }
  Team after = before;
  after.set_status(cms::v1::LIFECYCLE_STATUS_RETIRED);
  CMS_RETURN_IF_ERROR(store::UpdateTeam(c.tx(), after));
  CMS_ASSIGN_OR_RETURN(*out, store::GetTeam(c.tx(), req.id()));
  c.Audit("team", absl::StrCat(out->id()), &before, *out);
  return absl::OkStatus();
}

// ---------------------------------------------------------------- staff

absl::Status BomApp::ListStaff(const cms::v1::ListStaffRequest& req,
                               cms::v1::ListStaffResponse* out) {
  // Staff are keyed by staff id, so their cursor is the last id.
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req, /*id_cursor=*/false));
  std::string after;
  if (!page.cursor.empty() && !ParseKeyCursor(page.cursor, &after)) return InvalidPageToken();
  store::StaffFilter f{req.team_id(), req.segment_id(), req.include_inactive()};
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(auto staff, store::ListStaff(tx, f, after, page.limit));
    for (auto& m : staff) *out->add_staff() = std::move(m);
    if (out->staff_size() == page.limit) {
      out->set_next_page_token(page.NextToken(KeyCursor(out->staff().rbegin()->staff_id())));
    }
    return absl::OkStatus();
  });
}

absl::Status BomApp::GetStaffMember(const cms::v1::GetStaffMemberRequest& req, StaffMember* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, store::GetStaff(tx, req.staff_id()));
    return absl::OkStatus();
  });
}

absl::Status BomApp::AddStaffMember(const Actor& actor, const cms::v1::AddStaffMemberRequest& req,
                                    StaffMember* out) {
  return commands_.Run(actor, "AddStaffMember", req, req.request_id(), out,
                       [&](Command& c) { return DoAddStaffMember(c, req, out); });
}

absl::Status BomApp::DoAddStaffMember(Command& c, const cms::v1::AddStaffMemberRequest& req,
                                      StaffMember* out) {
  FieldErrors errors;
  if (!ValidStaffId(req.staff_id())) errors.Add("staff_id", "1..40 of letters, digits, . _ -");
  if (auto problem = domain::NameProblem(req.name(), 100)) errors.Add("name", *problem);
  if (req.role() == cms::v1::ROLE_UNSPECIFIED || !cms::v1::Role_IsValid(req.role())) {
    errors.Add("role", "required");
  }
  if (HasTeam(req.role()) && req.team_id() <= 0) {
    errors.Add("team_id", "required for caseworkers and team leaders (S1.4)");
  }
  if (!HasTeam(req.role()) && req.team_id() != 0) {
    errors.Add("team_id", "only caseworkers and team leaders belong to a team (S1.4)");
  }
  if (req.role() == cms::v1::ROLE_SEGMENT_MANAGER && req.segment_id() <= 0) {
    errors.Add("segment_id", "required for segment managers (S1.4)");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus());

  StaffMember m;
  m.set_staff_id(req.staff_id());
  m.set_name(req.name());
  m.set_role(req.role());
  m.set_active(true);
  if (HasTeam(req.role())) {
    auto team = store::GetTeam(c.tx(), req.team_id());
    if (absl::IsNotFound(team.status())) return InvalidField("team_id", "no such team");
    CMS_RETURN_IF_ERROR(team.status());
    CMS_RETURN_IF_ERROR(RequireActive(team->status(), "the team", "S1.4"));
    m.set_team_id(team->id());
    m.set_segment_id(team->segment_id());
  } else if (req.role() == cms::v1::ROLE_SEGMENT_MANAGER) {
    auto segment = store::GetSegment(c.tx(), req.segment_id());
    if (absl::IsNotFound(segment.status())) return InvalidField("segment_id", "no such segment");
    CMS_RETURN_IF_ERROR(segment.status());
    CMS_RETURN_IF_ERROR(RequireActive(segment->status(), "the segment", "S1.4"));
    m.set_segment_id(segment->id());
  }
  absl::Status inserted = store::InsertStaff(c.tx(), m, c.now_us());
  if (absl::IsAlreadyExists(inserted)) {
    return WithReason(
        absl::AlreadyExistsError(absl::StrCat("staff id ", req.staff_id(), " is already in use")),
        "DUPLICATE_STAFF_ID");
  }
  CMS_RETURN_IF_ERROR(inserted);
  CMS_ASSIGN_OR_RETURN(*out, store::GetStaff(c.tx(), req.staff_id()));
  c.Audit("staff", out->staff_id(), nullptr, *out);
  return absl::OkStatus();
}

absl::Status BomApp::MoveStaffMember(const Actor& actor, const cms::v1::MoveStaffMemberRequest& req,
                                     StaffMember* out) {
  return commands_.Run(actor, "MoveStaffMember", req, req.request_id(), out,
                       [&](Command& c) { return DoMoveStaffMember(c, req, out); });
}

absl::Status BomApp::DoMoveStaffMember(Command& c, const cms::v1::MoveStaffMemberRequest& req,
                                       StaffMember* out) {
  if (req.team_id() <= 0) return InvalidField("team_id", "required");
  CMS_ASSIGN_OR_RETURN(StaffMember before,
                       store::GetStaff(c.tx(), req.staff_id(), /*for_update=*/true));
  CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), before.etag(), "etag", "staff member", req.staff_id()));
  if (!before.active()) return RuleViolation("S1.4", "the staff member is deactivated");
  if (!HasTeam(before.role())) {
    return RuleViolation("S1.4", "only caseworkers and team leaders belong to a team");
  }
  if (before.team_id() == req.team_id()) {
    return InvalidField("team_id", "the staff member is already in this team");
  }
  auto team = store::GetTeam(c.tx(), req.team_id());
  if (absl::IsNotFound(team.status())) return InvalidField("team_id", "no such team");
  CMS_RETURN_IF_ERROR(team.status());
  CMS_RETURN_IF_ERROR(RequireActive(team->status(), "the team", "S1.4"));
  StaffMember after = before;
  after.set_team_id(team->id());
  after.set_segment_id(team->segment_id());
  CMS_RETURN_IF_ERROR(store::UpdateStaff(c.tx(), after));
  // W4.5: their work goes back to the owning segment's queue, never orphaned.
  CMS_ASSIGN_OR_RETURN(store::ChangedWork released, store::ReleaseWorkOf(c.tx(), req.staff_id()));
  AuditChangedWork(c, released);  // X13.2
  CMS_ASSIGN_OR_RETURN(*out, store::GetStaff(c.tx(), req.staff_id()));
  c.Audit("staff", out->staff_id(), &before, *out);
  return absl::OkStatus();
}

absl::Status BomApp::DeactivateStaffMember(const Actor& actor,
                                           const cms::v1::DeactivateStaffMemberRequest& req,
                                           StaffMember* out) {
  return commands_.Run(actor, "DeactivateStaffMember", req, req.request_id(), out,
                       [&](Command& c) { return DoDeactivateStaffMember(c, req, out); });
}

absl::Status BomApp::DoDeactivateStaffMember(Command& c,
                                             const cms::v1::DeactivateStaffMemberRequest& req,
                                             StaffMember* out) {
  CMS_ASSIGN_OR_RETURN(StaffMember before,
                       store::GetStaff(c.tx(), req.staff_id(), /*for_update=*/true));
  CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), before.etag(), "etag", "staff member", req.staff_id()));
  if (!before.active()) return RuleViolation("S1.4", "the staff member is already deactivated");
  StaffMember after = before;
  after.set_active(false);
  CMS_RETURN_IF_ERROR(store::UpdateStaff(c.tx(), after));
  // W4.5: their work goes back to the queue; X13.2: each item is audited.
  CMS_ASSIGN_OR_RETURN(store::ChangedWork released, store::ReleaseWorkOf(c.tx(), req.staff_id()));
  AuditChangedWork(c, released);
  CMS_ASSIGN_OR_RETURN(*out, store::GetStaff(c.tx(), req.staff_id()));
  c.Audit("staff", out->staff_id(), &before, *out);
  return absl::OkStatus();
}

// ---------------------------------------------------------------- BOM as of T

absl::Status BomApp::GetBomAsOf(const cms::v1::GetBomAsOfRequest& req, cms::v1::Bom* out) {
  if (!req.has_as_of()) return InvalidField("as_of", "required");
  const int64_t as_of_us = google::protobuf::util::TimeUtil::TimestampToMicroseconds(req.as_of());
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    *out->mutable_as_of() = req.as_of();
    CMS_ASSIGN_OR_RETURN(auto segments, store::LatestSnapshots(tx, "segment", as_of_us));
    CMS_RETURN_IF_ERROR(ParseSnapshots(segments, out->mutable_segments()));
    CMS_ASSIGN_OR_RETURN(auto teams, store::LatestSnapshots(tx, "team", as_of_us));
    CMS_RETURN_IF_ERROR(ParseSnapshots(teams, out->mutable_teams()));
    CMS_ASSIGN_OR_RETURN(auto staff, store::LatestSnapshots(tx, "staff", as_of_us));
    return ParseSnapshots(staff, out->mutable_staff());
  });
}

// ---------------------------------------------------------------- approved changes (S1.5)

absl::Status BomApp::ApplyChange(Command& c, const cms::v1::BomChange& change) {
  switch (change.change_case()) {
    case cms::v1::BomChange::kCreateSegment: {
      Segment s;
      return DoCreateSegment(c, change.create_segment(), &s);
    }
    case cms::v1::BomChange::kRenameSegment: {
      Segment s;
      return DoRenameSegment(c, change.rename_segment(), &s);
    }
    case cms::v1::BomChange::kRetireSegment: {
      Segment s;
      return DoRetireSegment(c, change.retire_segment(), &s);
    }
    case cms::v1::BomChange::kCreateTeam: {
      Team t;
      return DoCreateTeam(c, change.create_team(), &t);
    }
    case cms::v1::BomChange::kRetireTeam: {
      Team t;
      return DoRetireTeam(c, change.retire_team(), &t);
    }
    case cms::v1::BomChange::kAddStaffMember: {
      StaffMember m;
      return DoAddStaffMember(c, change.add_staff_member(), &m);
    }
    case cms::v1::BomChange::kMoveStaffMember: {
      StaffMember m;
      return DoMoveStaffMember(c, change.move_staff_member(), &m);
    }
    case cms::v1::BomChange::kDeactivateStaffMember: {
      StaffMember m;
      return DoDeactivateStaffMember(c, change.deactivate_staff_member(), &m);
    }
    default:
      return RuleViolation("S1.5", "the change request names no change");
  }
}

}  // namespace cms::app
