#include "server/app/approvals.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/decisions.h"
#include "server/base/errors.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/sr_moves.h"
#include "server/store/approval_repo.h"
#include "server/store/bom_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::Approval;
using google::protobuf::util::TimeUtil;

// One page of approvals into a ListApprovals or ListApprovalInbox response.
template <typename Response>
void Page(std::vector<Approval> rows, const PageRequest& page, Response* out) {
  for (auto& a : rows) *out->add_approvals() = std::move(a);
  if (out->approvals_size() == page.limit) {
    out->set_next_page_token(page.NextToken(out->approvals().rbegin()->id()));
  }
}

// "create_team", ...: the name of the change's field in cms.v1.BomChange.
std::string ChangeName(const cms::v1::BomChange& change) {
  const auto* field = change.GetDescriptor()->FindFieldByNumber(change.change_case());
  return field == nullptr ? "" : field->name();
}

// X13.1: an SR's approvals are seen by whoever may see the SR.
absl::Status CheckCanSeeSrId(store::Tx& tx, int64_t sr_id, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr, store::GetServiceRequest(tx, sr_id));
  return CheckCanSeeSr(tx, sr, actor);
}

}  // namespace

absl::Status ApprovalApp::Submit(const Actor& actor, const cms::v1::SubmitForApprovalRequest& req,
                                 Approval* out) {
  // The change and the action are kept with the approval (a TEXT column
  // each, base64): far more than any BOM change or action needs, far less
  // than the column holds (grpc_fuzz found a 64 KB change failing INTERNAL).
  constexpr size_t kMaxKeptBytes = 16 * 1024;
  FieldErrors errors;
  const bool bom_change = req.subject_case() == cms::v1::SubmitForApprovalRequest::kBomChange;
  if (bom_change) {
    if (req.bom_change().change_case() == cms::v1::BomChange::CHANGE_NOT_SET) {
      errors.Add("bom_change", "name the change to make");
    } else if (req.bom_change().ByteSizeLong() > kMaxKeptBytes) {
      errors.Add("bom_change", "at most 16384 bytes: one segment, team or staff member's change");
    }
    if (req.comment().empty()) errors.Add("comment", "a BOM change request needs its reason");
  } else {
    if (req.has_action() && actions_.Find(req.action().action_case()) == nullptr) {
      errors.Add("action", "name the action approving carries out (A6.3)");
    } else if (req.action().ByteSizeLong() > kMaxKeptBytes) {
      errors.Add("action", "at most 16384 bytes");
    }
    if (req.service_request_id() <= 0) {
      errors.Add("service_request_id", "required (or bom_change)");
    }
    if (req.step().empty() || req.step().size() > 200) {
      errors.Add("step", "1..200 characters: what needs approving");
    }
  }
  if (req.comment().size() > 2000) errors.Add("comment", "at most 2000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus(bom_change ? "S1.5" : "A6.1"));
  return commands_.Run(
      actor, "SubmitForApproval", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_RETURN_IF_ERROR(bom_change ? SubmitBomChange(c, req, out) : SubmitSrStep(c, req, out));
        c.Audit("approval", absl::StrCat(out->id()), nullptr, *out);
        return absl::OkStatus();
      });
}

absl::Status ApprovalApp::SubmitSrStep(Command& c, const cms::v1::SubmitForApprovalRequest& req,
                                       Approval* out) {
  return SubmitStep(c, req.service_request_id(), &req.etag(), req.step(), req.comment(),
                    req.action(), /*ask_handler=*/true, out);
}

absl::StatusOr<Approval> ApprovalApp::SubmitIn(Command& c, int64_t sr_id, std::string step,
                                               std::string comment,
                                               cms::v1::ApprovalAction action) {
  Approval out;
  CMS_RETURN_IF_ERROR(
      SubmitStep(c, sr_id, nullptr, step, comment, action, /*ask_handler=*/false, &out));
  c.Audit("approval", absl::StrCat(out.id()), nullptr, out);
  return out;
}

absl::Status ApprovalApp::SubmitStep(Command& c, int64_t sr_id, const std::string* etag,
                                     const std::string& step, const std::string& comment,
                                     const cms::v1::ApprovalAction& action, bool ask_handler,
                                     Approval* out) {
  if (c.actor().team_id == 0) {
    return RuleViolation("A6.1", "work is submitted for approval by a member of a team");
  }
  auto current = store::GetServiceRequest(c.tx(), sr_id);
  if (absl::IsNotFound(current.status())) {
    return InvalidField("service_request_id", "no such SR");
  }
  CMS_RETURN_IF_ERROR(current.status());
  if (const cms::v1::SrType* type = catalog_.Find(current->type_code());
      type == nullptr || !domain::HasApprovalStep(*type)) {
    return RuleViolation(
        "A6.1", absl::StrCat(current->type_code(), " SRs have no team leader approval step (no \"",
                             domain::kSubStatusPendingTl, "\" sub status)"));
  }
  const bool acts = action.action_case() != cms::v1::ApprovalAction::ACTION_NOT_SET;
  if (acts && ask_handler) {
    ApprovalActionHandler* handler = actions_.Find(action.action_case());
    if (handler == nullptr) return InvalidField("action", "no use case carries this action out");
    CMS_RETURN_IF_ERROR(handler->CheckSubmit(c, *current, action));
  }
  cms::v1::ChangeServiceRequestStatusRequest move;
  move.set_id(sr_id);
  move.set_etag(etag != nullptr ? *etag : current->etag());
  move.set_status(cms::v1::SR_STATUS_PENDING_APPROVAL);
  move.set_sub_status(domain::kSubStatusPendingTl);
  move.set_note(absl::StrCat("Submitted for team leader approval: ", step,
                             comment.empty() ? "" : absl::StrCat(". ", comment)));
  cms::v1::ServiceRequest sr;
  CMS_RETURN_IF_ERROR(
      srs_.ApplyStatusChange(c, move, ServiceRequestApp::ChangedBy::kApproval, &sr));
  Approval a;
  a.set_kind(cms::v1::APPROVAL_KIND_SR_STEP);
  a.set_service_request_id(sr.id());
  a.set_step(step);
  a.set_decider_role(cms::v1::ROLE_TEAM_LEADER);
  if (acts) *a.mutable_action() = action;
  return Insert(c, std::move(a), comment, out);
}

absl::Status ApprovalApp::SubmitBomChange(Command& c, const cms::v1::SubmitForApprovalRequest& req,
                                          Approval* out) {
  // S1.5: team leaders and segment managers ask; SERVICE_MANAGEMENT changes
  // the BOM directly and has nothing to ask.
  const cms::v1::Role role = c.actor().role;
  if (role != cms::v1::ROLE_TEAM_LEADER && role != cms::v1::ROLE_SEGMENT_MANAGER) {
    return PermissionDenied("only team leaders and segment managers request BOM changes", "S1.5");
  }
  Approval a;
  a.set_kind(cms::v1::APPROVAL_KIND_BOM_CHANGE);
  *a.mutable_bom_change() = req.bom_change();
  a.set_step(ChangeName(req.bom_change()));
  a.set_decider_role(cms::v1::ROLE_SERVICE_MANAGEMENT);
  return Insert(c, std::move(a), req.comment(), out);
}

absl::Status ApprovalApp::Insert(Command& c, Approval a, const std::string& comment,
                                 Approval* out) {
  a.set_state(cms::v1::APPROVAL_STATE_PENDING);
  a.set_team_id(c.actor().team_id);
  a.set_submitted_by(c.actor().staff_id);
  a.set_submit_comment(comment);
  CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertApproval(c.tx(), a, c.now_us()));
  a.set_id(id);
  *a.mutable_submit_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
  *out = std::move(a);
  return absl::OkStatus();
}

absl::Status ApprovalApp::Decide(const Actor& actor, const cms::v1::DecideApprovalRequest& req,
                                 Approval* out) {
  FieldErrors errors;
  if (req.approval_id() <= 0) errors.Add("approval_id", "required");
  if (req.decision() != cms::v1::APPROVAL_STATE_APPROVED &&
      req.decision() != cms::v1::APPROVAL_STATE_REJECTED) {
    errors.Add("decision", "APPROVAL_STATE_APPROVED or APPROVAL_STATE_REJECTED");
  }
  if (req.comment().empty()) errors.Add("comment", "a decision needs a comment (A6.1)");
  if (req.comment().size() > 2000) errors.Add("comment", "at most 2000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("A6.1"));
  return commands_.Run(
      actor, "DecideApproval", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(Approval before,
                             store::GetApproval(c.tx(), req.approval_id(), /*for_update=*/true));
        if (before.state() != cms::v1::APPROVAL_STATE_PENDING) {
          return RuleViolation("A6.1", absl::StrCat("approval ", before.id(),
                                                    " is already decided; a resubmission is a "
                                                    "new approval"));
        }
        const bool bom_change = before.kind() == cms::v1::APPROVAL_KIND_BOM_CHANGE;
        if (bom_change && c.actor().role != cms::v1::ROLE_SERVICE_MANAGEMENT) {
          return PermissionDenied("only SERVICE_MANAGEMENT decides a BOM change", "S1.5");
        }
        if (!bom_change && (c.actor().role != cms::v1::ROLE_TEAM_LEADER ||
                            c.actor().team_id != before.team_id())) {
          return PermissionDenied(
              absl::StrCat("only a team leader of team ", before.team_id(), " decides it"), "A6.1");
        }
        if (c.actor().staff_id == before.submitted_by()) {
          return RuleViolation("A6.1", "nobody approves their own request");
        }
        const bool approved = req.decision() == cms::v1::APPROVAL_STATE_APPROVED;
        CMS_RETURN_IF_ERROR(bom_change ? DecideBomChange(c, before, approved)
                                       : DecideSrStep(c, before, approved, req.comment()));
        Approval after = before;
        after.set_state(req.decision());
        after.set_decided_by(c.actor().staff_id);
        after.set_decision_comment(req.comment());
        *after.mutable_decide_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
        if (before.has_action()) {
          // A6.3: the action, in this transaction, as the approver.
          ApprovalActionHandler* handler = actions_.Find(before.action().action_case());
          if (handler == nullptr) {
            return absl::InternalError(
                absl::StrCat("no handler for approval ", before.id(), "'s action"));
          }
          CMS_ASSIGN_OR_RETURN(std::string result, approved ? handler->ApprovalApproved(c, after)
                                                            : handler->ApprovalRejected(c, after));
          if (result.size() > 2000) result.resize(2000);
          after.set_action_result(std::move(result));
        }
        CMS_RETURN_IF_ERROR(store::DecideApproval(c.tx(), after, c.now_us()));
        c.Audit("approval", absl::StrCat(after.id()), &before, after);
        *out = std::move(after);
        return absl::OkStatus();
      });
}

absl::Status ApprovalApp::DecideSrStep(Command& c, const Approval& before, bool approved,
                                       const std::string& comment) {
  CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr,
                       store::GetServiceRequest(c.tx(), before.service_request_id()));
  // A6.2: either way the caseworker carries on; rejected, to amend and
  // resubmit.
  cms::v1::ChangeServiceRequestStatusRequest move;
  move.set_id(sr.id());
  move.set_etag(sr.etag());
  move.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
  move.set_note(absl::StrCat(before.step(), approved ? ": approved by " : ": rejected by ",
                             c.actor().staff_id, ". ", comment,
                             approved ? "" : " Amend and resubmit (A6.2)."));
  cms::v1::ServiceRequest after_sr;
  CMS_RETURN_IF_ERROR(
      srs_.ApplyStatusChange(c, move, ServiceRequestApp::ChangedBy::kApproval, &after_sr));
  // AG11.2: the team leader's decision, for Q&A to sample.
  return RecordDecision(
      c, DecisionOnSr(cms::v1::BUSINESS_DECISION_TYPE_APPROVAL, "approval", before.id(), sr));
}

absl::Status ApprovalApp::DecideBomChange(Command& c, const Approval& before, bool approved) {
  // S1.5: approving applies the change as the approver, in this
  // transaction; a change no longer valid is refused and stays pending.
  if (!approved) return absl::OkStatus();
  return bom_.ApplyChange(c, before.bom_change());
}

absl::Status ApprovalApp::Get(const Actor& actor, const cms::v1::GetApprovalRequest& req,
                              Approval* out) {
  if (req.id() <= 0) return InvalidField("id", "required");
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(Approval a, store::GetApproval(tx, req.id()));
    if (a.kind() == cms::v1::APPROVAL_KIND_SR_STEP) {
      CMS_RETURN_IF_ERROR(CheckCanSeeSrId(tx, a.service_request_id(), actor));
    }
    *out = std::move(a);
    return absl::OkStatus();
  });
}

absl::Status ApprovalApp::ListInbox(const Actor& actor,
                                    const cms::v1::ListApprovalInboxRequest& req,
                                    cms::v1::ListApprovalInboxResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  const bool service_management = actor.role == cms::v1::ROLE_SERVICE_MANAGEMENT;
  if (!service_management && actor.team_id == 0) {
    return RuleViolation("A6.1", "the inbox is a team leader's of a team");
  }
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    auto rows = service_management
                    ? store::ListApprovalsOfKind(tx, cms::v1::APPROVAL_KIND_BOM_CHANGE,
                                                 cms::v1::APPROVAL_STATE_PENDING, page)
                    : store::ListPendingApprovals(tx, actor.team_id, page);
    CMS_RETURN_IF_ERROR(rows.status());
    Page(*std::move(rows), page, out);
    return absl::OkStatus();
  });
}

absl::Status ApprovalApp::List(const Actor& actor, const cms::v1::ListApprovalsRequest& req,
                               cms::v1::ListApprovalsResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  const bool bom_changes = req.kind() == cms::v1::APPROVAL_KIND_BOM_CHANGE;
  const bool of_team = req.team_id() != 0;
  FieldErrors errors;
  if (bom_changes && req.service_request_id() != 0) {
    errors.Add("service_request_id", "BOM changes belong to no SR: leave it unset");
  }
  if (req.team_id() < 0) errors.Add("team_id", "a team id, or 0");
  if (of_team && (bom_changes || req.service_request_id() != 0)) {
    errors.Add("team_id", "a team's SR steps: not with service_request_id or a BOM change kind");
  }
  if (!bom_changes && !of_team && req.service_request_id() <= 0) {
    errors.Add("service_request_id",
               "required, unless team_id is given or kind is APPROVAL_KIND_BOM_CHANGE");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus());
  if (of_team) {
    return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
      auto team = store::GetTeam(tx, req.team_id());
      if (absl::IsNotFound(team.status())) return InvalidField("team_id", "no such team");
      CMS_RETURN_IF_ERROR(team.status());
      // A6.2: a team's decisions are its team leader's and its segment
      // manager's to review; approvals name SRs and carry comments about
      // their clients, so nobody else lists them.
      const bool leads = actor.role == cms::v1::ROLE_TEAM_LEADER && actor.team_id == team->id();
      const bool manages =
          actor.role == cms::v1::ROLE_SEGMENT_MANAGER && actor.segment_id == team->segment_id();
      if (!leads && !manages) {
        return PermissionDenied(absl::StrCat("team ", team->id(),
                                             "'s approvals are listed by its team leader and its "
                                             "segment's manager"),
                                "A6.2");
      }
      CMS_ASSIGN_OR_RETURN(auto rows,
                           store::ListApprovalsOfTeam(tx, req.team_id(), req.state(), page));
      Page(std::move(rows), page, out);
      return absl::OkStatus();
    });
  }
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    if (bom_changes) {
      CMS_ASSIGN_OR_RETURN(auto rows,
                           store::ListApprovalsOfKind(tx, req.kind(), req.state(), page));
      Page(std::move(rows), page, out);
      return absl::OkStatus();
    }
    auto visible = CheckCanSeeSrId(tx, req.service_request_id(), actor);
    if (absl::IsNotFound(visible)) return InvalidField("service_request_id", "no such SR");
    CMS_RETURN_IF_ERROR(visible);
    CMS_ASSIGN_OR_RETURN(auto rows,
                         store::ListApprovalsOfSr(tx, req.service_request_id(), req.state(), page));
    Page(std::move(rows), page, out);
    return absl::OkStatus();
  });
}

}  // namespace cms::app
