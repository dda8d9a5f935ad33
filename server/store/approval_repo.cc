#include "server/store/approval_repo.h"

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/store/row_util.h"
#include "server/store/stored_body.h"

namespace cms::store {
namespace {

using cms::v1::Approval;

constexpr char kCols[] =
    "id, kind, sr_id, step, subject_proto, action_proto, state, team_id, submitted_by, "
    "submit_comment, submit_us, decided_by, decision_comment, decide_us, action_result";

Approval ApprovalOf(const soci::row& r) {
  Approval a;
  a.set_id(I64(r, "id"));
  a.set_kind(ParseEnum<cms::v1::ApprovalKind>(Str(r, "kind"))
                 .value_or(cms::v1::APPROVAL_KIND_UNSPECIFIED));
  if (a.kind() == cms::v1::APPROVAL_KIND_BOM_CHANGE) {
    DecodeProto(Str(r, "subject_proto"), a.mutable_bom_change());
    a.set_decider_role(cms::v1::ROLE_SERVICE_MANAGEMENT);
  } else {
    a.set_service_request_id(I64(r, "sr_id"));
    a.set_decider_role(cms::v1::ROLE_TEAM_LEADER);
  }
  if (!IsNull(r, "action_proto")) DecodeProto(Str(r, "action_proto"), a.mutable_action());
  a.set_action_result(Str(r, "action_result"));
  a.set_step(Str(r, "step"));
  a.set_state(ParseEnum<cms::v1::ApprovalState>(Str(r, "state"))
                  .value_or(cms::v1::APPROVAL_STATE_UNSPECIFIED));
  a.set_team_id(I64(r, "team_id"));
  a.set_submitted_by(Str(r, "submitted_by"));
  a.set_submit_comment(Str(r, "submit_comment"));
  SetTimestamp(I64(r, "submit_us"), a.mutable_submit_time());
  a.set_decided_by(Str(r, "decided_by"));
  a.set_decision_comment(Str(r, "decision_comment"));
  if (!IsNull(r, "decide_us")) SetTimestamp(I64(r, "decide_us"), a.mutable_decide_time());
  return a;
}

// Approvals matching `where` (binding :key) in `state` (UNSPECIFIED: any),
// oldest first, one page.
template <typename Key>
std::vector<Approval> ApprovalsWhere(Tx& tx, const std::string& where, Key key,
                                     cms::v1::ApprovalState state, const PageRequest& page) {
  std::string st = state == cms::v1::APPROVAL_STATE_UNSPECIFIED ? "" : ShortName(state);
  long long after = page.after_id;
  int limit = page.limit;
  std::vector<Approval> out;
  soci::rowset<soci::row> rows =
      (tx.session().prepare << absl::StrCat("SELECT ", kCols, " FROM approvals WHERE ", where,
                                            " AND (:s1 = '' OR state = :s2) AND id > :a "
                                            "ORDER BY id LIMIT :l"),
       soci::use(key), soci::use(st), soci::use(st), soci::use(after), soci::use(limit));
  for (const soci::row& r : rows) out.push_back(ApprovalOf(r));
  return out;
}

}  // namespace

absl::StatusOr<int64_t> InsertApproval(Tx& tx, const Approval& a, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    IdBind sr(a.service_request_id()), team(a.team_id());
    StrBind subject(a.has_bom_change() ? EncodeProto(a.bom_change()) : "");
    StrBind action(a.has_action() ? EncodeProto(a.action()) : "");
    std::string kind = ShortName(a.kind()), state = ShortName(cms::v1::APPROVAL_STATE_PENDING);
    tx.session() << "INSERT INTO approvals (kind, sr_id, step, subject_proto, action_proto, state, "
                    "team_id, submitted_by, submit_comment, submit_us) "
                    "VALUES (:k, :sr, :step, :subj, :act, :st, :t, :by, :c, :now)",
        soci::use(kind), soci::use(sr.value, sr.ind), soci::use(a.step()),
        soci::use(subject.value, subject.ind), soci::use(action.value, action.ind),
        soci::use(state), soci::use(team.value, team.ind), soci::use(a.submitted_by()),
        soci::use(a.submit_comment()), soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<Approval> GetApproval(Tx& tx, int64_t id, bool for_update) {
  return GuardOr<Approval>([&]() -> absl::StatusOr<Approval> {
    long long key = id;
    soci::row r;
    soci::statement st =
        (tx.session().prepare << absl::StrCat("SELECT ", kCols, " FROM approvals WHERE id = :id",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return NotFound("approval", absl::StrCat(id));
    return ApprovalOf(r);
  });
}

absl::Status DecideApproval(Tx& tx, const Approval& a, int64_t now_us) {
  return Guard([&] {
    long long id = a.id();
    std::string state = ShortName(a.state());
    tx.session() << "UPDATE approvals SET state = :st, decided_by = :by, decision_comment = :c, "
                    "decide_us = :now, action_result = :r WHERE id = :id",
        soci::use(state), soci::use(a.decided_by()), soci::use(a.decision_comment()),
        soci::use(now_us), soci::use(a.action_result()), soci::use(id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Approval>> ListPendingApprovals(Tx& tx, int64_t team_id,
                                                           const PageRequest& page) {
  return GuardOr<std::vector<Approval>>([&]() -> absl::StatusOr<std::vector<Approval>> {
    return ApprovalsWhere(tx, "team_id = :key AND kind = 'SR_STEP'",
                          static_cast<long long>(team_id), cms::v1::APPROVAL_STATE_PENDING, page);
  });
}

absl::StatusOr<std::vector<Approval>> ListApprovalsOfKind(Tx& tx, cms::v1::ApprovalKind kind,
                                                          cms::v1::ApprovalState state,
                                                          const PageRequest& page) {
  return GuardOr<std::vector<Approval>>([&]() -> absl::StatusOr<std::vector<Approval>> {
    return ApprovalsWhere(tx, "kind = :key", ShortName(kind), state, page);
  });
}

absl::StatusOr<std::vector<Approval>> ListApprovalsOfSr(Tx& tx, int64_t sr_id,
                                                        cms::v1::ApprovalState state,
                                                        const PageRequest& page) {
  return GuardOr<std::vector<Approval>>([&]() -> absl::StatusOr<std::vector<Approval>> {
    return ApprovalsWhere(tx, "sr_id = :key", static_cast<long long>(sr_id), state, page);
  });
}

absl::StatusOr<std::vector<Approval>> ListApprovalsOfTeam(Tx& tx, int64_t team_id,
                                                          cms::v1::ApprovalState state,
                                                          const PageRequest& page) {
  return GuardOr<std::vector<Approval>>([&]() -> absl::StatusOr<std::vector<Approval>> {
    std::string st = state == cms::v1::APPROVAL_STATE_UNSPECIFIED ? "" : ShortName(state);
    long long team = team_id, before = page.after_id;
    int limit = page.limit;
    std::vector<Approval> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kCols,
             " FROM approvals WHERE team_id = :t AND kind = 'SR_STEP' AND (:s1 = '' OR state = "
             ":s2) AND (:b1 = 0 OR id < :b2) ORDER BY id DESC LIMIT :l"),
         soci::use(team), soci::use(st), soci::use(st), soci::use(before), soci::use(before),
         soci::use(limit));
    for (const soci::row& r : rows) out.push_back(ApprovalOf(r));
    return out;
  });
}

}  // namespace cms::store
