#include "server/app/approvals.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/routing_service.h"
#include "server/base/errors.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/store/approval_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::Approval;
using google::protobuf::util::TimeUtil;

constexpr char kPendingTl[] = "Pending Approval - TL";

bool HasApprovalStep(const cms::v1::SrType* type) {
  if (type == nullptr) return false;
  for (const auto& s : type->sub_statuses()) {
    if (s.name() == kPendingTl && s.status() == cms::v1::SR_STATUS_PENDING_APPROVAL) return true;
  }
  return false;
}

void Page(std::vector<Approval> rows, int limit, cms::v1::ListApprovalsResponse* out) {
  for (auto& a : rows) *out->add_approvals() = std::move(a);
  if (out->approvals_size() == limit) {
    out->set_next_page_token(PageToken(out->approvals().rbegin()->id()));
  }
}

}  // namespace

absl::Status ApprovalApp::Submit(const Actor& actor, const cms::v1::SubmitForApprovalRequest& req,
                                 Approval* out) {
  FieldErrors errors;
  if (req.service_request_id() <= 0) errors.Add("service_request_id", "required");
  if (req.step().empty() || req.step().size() > 200) {
    errors.Add("step", "1..200 characters: what needs approving");
  }
  if (req.comment().size() > 2000) errors.Add("comment", "at most 2000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("A6.1"));
  return commands_.Run(
      actor, "SubmitForApproval", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        if (c.actor().team_id == 0) {
          return RuleViolation("A6.1", "work is submitted for approval by a member of a team");
        }
        auto current = store::GetServiceRequest(c.tx(), req.service_request_id());
        if (absl::IsNotFound(current.status())) {
          return InvalidField("service_request_id", "no such SR");
        }
        CMS_RETURN_IF_ERROR(current.status());
        if (!HasApprovalStep(catalog_.Find(current->type_code()))) {
          return RuleViolation("A6.1", absl::StrCat(current->type_code(),
                                                    " SRs have no team leader approval step (no \"",
                                                    kPendingTl, "\" sub status)"));
        }
        cms::v1::ChangeServiceRequestStatusRequest move;
        move.set_id(req.service_request_id());
        move.set_etag(req.etag());
        move.set_status(cms::v1::SR_STATUS_PENDING_APPROVAL);
        move.set_sub_status(kPendingTl);
        move.set_note(absl::StrCat("Submitted for team leader approval: ", req.step(),
                                   req.comment().empty() ? "" : absl::StrCat(". ", req.comment())));
        cms::v1::ServiceRequest sr;
        CMS_RETURN_IF_ERROR(
            srs_.ApplyStatusChange(c, move, ServiceRequestApp::ChangedBy::kApproval, &sr));
        Approval a;
        a.set_service_request_id(sr.id());
        a.set_step(req.step());
        a.set_state(cms::v1::APPROVAL_STATE_PENDING);
        a.set_team_id(c.actor().team_id);
        a.set_submitted_by(c.actor().staff_id);
        a.set_submit_comment(req.comment());
        CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertApproval(c.tx(), a, c.now_us()));
        a.set_id(id);
        *a.mutable_submit_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
        c.Audit("approval", absl::StrCat(id), nullptr, a);
        *out = std::move(a);
        return absl::OkStatus();
      });
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
        if (c.actor().role != cms::v1::ROLE_TEAM_LEADER || c.actor().team_id != before.team_id()) {
          return PermissionDenied(
              absl::StrCat("only a team leader of team ", before.team_id(), " decides it"), "A6.1");
        }
        if (c.actor().staff_id == before.submitted_by()) {
          return RuleViolation("A6.1", "nobody approves their own request");
        }
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr,
                             store::GetServiceRequest(c.tx(), before.service_request_id()));
        const bool approved = req.decision() == cms::v1::APPROVAL_STATE_APPROVED;
        // A6.2: either way the caseworker carries on; rejected, to amend
        // and resubmit.
        cms::v1::ChangeServiceRequestStatusRequest move;
        move.set_id(sr.id());
        move.set_etag(sr.etag());
        move.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
        move.set_note(absl::StrCat(before.step(), approved ? ": approved by " : ": rejected by ",
                                   c.actor().staff_id, ". ", req.comment(),
                                   approved ? "" : " Amend and resubmit (A6.2)."));
        cms::v1::ServiceRequest after_sr;
        CMS_RETURN_IF_ERROR(
            srs_.ApplyStatusChange(c, move, ServiceRequestApp::ChangedBy::kApproval, &after_sr));
        Approval after = before;
        after.set_state(req.decision());
        after.set_decided_by(c.actor().staff_id);
        after.set_decision_comment(req.comment());
        *after.mutable_decide_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
        CMS_RETURN_IF_ERROR(store::DecideApproval(c.tx(), after, c.now_us()));
        c.Audit("approval", absl::StrCat(after.id()), &before, after);
        *out = std::move(after);
        return absl::OkStatus();
      });
}

absl::Status ApprovalApp::ListInbox(const Actor& actor,
                                    const cms::v1::ListApprovalInboxRequest& req,
                                    cms::v1::ListApprovalsResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req.page_size(), req.page_token()));
  if (actor.team_id == 0) return RuleViolation("A6.1", "the inbox is a team leader's of a team");
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListPendingApprovals(tx, actor.team_id, page));
    Page(std::move(rows), page.limit, out);
    return absl::OkStatus();
  });
}

absl::Status ApprovalApp::ListOfSr(const Actor& actor, const cms::v1::ListApprovalsRequest& req,
                                   cms::v1::ListApprovalsResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req.page_size(), req.page_token()));
  if (req.service_request_id() <= 0) return InvalidField("service_request_id", "required");
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    auto sr = store::GetServiceRequest(tx, req.service_request_id());
    if (absl::IsNotFound(sr.status())) return InvalidField("service_request_id", "no such SR");
    CMS_RETURN_IF_ERROR(sr.status());
    CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(tx, sr->casegroup_id()));
    CMS_RETURN_IF_ERROR(CheckCanSeeCasegroup(tx, g, actor.segment_id));
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListApprovalsOfSr(tx, sr->id(), page));
    Page(std::move(rows), page.limit, out);
    return absl::OkStatus();
  });
}

}  // namespace cms::app
