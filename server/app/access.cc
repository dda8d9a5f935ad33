#include "server/app/access.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "server/app/commands.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/store/casegroup_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using domain::Access;

domain::CasegroupFacts FactsOf(const store::CasegroupAccessRow& row) {
  domain::CasegroupFacts f;
  f.owning_service_segment = row.owning_service_segment;
  f.owning_segment_id = row.owning_segment_id;
  f.viewer_works_fu_sr = row.viewer_works_fu_sr;
  return f;
}

absl::Status NotVisible(absl::string_view what, int64_t id) {
  return PermissionDenied(
      absl::StrCat(what, " ", id,
                   " is not visible to you: it is read by its owning segment, by a specialist "
                   "segment while it works a functionally unique SR on it, and by service "
                   "management and auditors"),
      "X13.1");
}

}  // namespace

domain::Viewer ViewerOf(const Actor& actor) { return domain::Viewer{actor.role, actor.segment_id}; }

absl::StatusOr<Access> CasegroupAccessOf(store::Tx& tx, int64_t casegroup_id, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(store::CasegroupAccessRow row,
                       store::GetCasegroupAccess(tx, casegroup_id, actor.segment_id));
  return domain::CasegroupAccess(ViewerOf(actor), FactsOf(row));
}

absl::StatusOr<Access> CasegroupAccessOf(store::Tx& tx, const cms::v1::Casegroup& g,
                                         const Actor& actor) {
  // The owning segment's own staff are the hot path: no query for them.
  if (auto known = domain::CasegroupAccessFromOwnerAlone(ViewerOf(actor), g.owning_segment_id())) {
    return *known;
  }
  return CasegroupAccessOf(tx, g.id(), actor);
}

absl::StatusOr<Access> PersonAccessOf(store::Tx& tx, int64_t person_id, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(auto rows,
                       store::ListPersonCasegroupAccess(tx, person_id, actor.segment_id));
  std::vector<domain::CasegroupFacts> facts;
  facts.reserve(rows.size());
  for (const auto& row : rows) facts.push_back(FactsOf(row));
  return domain::PersonAccess(ViewerOf(actor), facts);
}

absl::Status CheckCanSeeCasegroup(store::Tx& tx, const cms::v1::Casegroup& g, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(Access access, CasegroupAccessOf(tx, g, actor));
  if (access == Access::kNone) return NotVisible("casegroup", g.id());
  return absl::OkStatus();
}

absl::Status CheckCanChangeCasegroup(store::Tx& tx, const cms::v1::Casegroup& g,
                                     const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(Access access, CasegroupAccessOf(tx, g, actor));
  if (access == Access::kNone) return NotVisible("casegroup", g.id());
  if (access != Access::kWrite) {
    return PermissionDenied(
        absl::StrCat("casegroup ", g.id(), " is owned by ", g.owning_segment_system_name(),
                     "; other segments may read it but not change it"),
        "SR5.7");
  }
  return absl::OkStatus();
}

absl::Status CheckCanSeePerson(store::Tx& tx, int64_t person_id, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(Access access, PersonAccessOf(tx, person_id, actor));
  if (access == Access::kNone) return NotVisible("person", person_id);
  return absl::OkStatus();
}

absl::Status CheckCanChangePerson(store::Tx& tx, int64_t person_id, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(Access access, PersonAccessOf(tx, person_id, actor));
  if (access == Access::kNone) return NotVisible("person", person_id);
  if (access != Access::kWrite) {
    return PermissionDenied(absl::StrCat("person ", person_id,
                                         " belongs to casegroups owned by other segments; they "
                                         "may be read but not changed"),
                            "SR5.7");
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<Access> SrAccessOf(store::Tx& tx, const cms::v1::ServiceRequest& sr,
                                  const Actor& actor) {
  // Its own segment's staff working case-owning work: no query for them.
  if (auto known =
          domain::SrAccessFromOwnerAlone(ViewerOf(actor), sr.kind(), sr.owning_segment_id())) {
    return *known;
  }
  CMS_ASSIGN_OR_RETURN(store::CasegroupAccessRow row,
                       store::GetCasegroupAccess(tx, sr.casegroup_id(), actor.segment_id));
  return domain::SrAccess(ViewerOf(actor), sr.owning_segment_id(), FactsOf(row));
}

}  // namespace

absl::Status CheckCanSeeSr(store::Tx& tx, const cms::v1::ServiceRequest& sr, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(Access access, SrAccessOf(tx, sr, actor));
  if (access == Access::kNone) return NotVisible("SR", sr.id());
  return absl::OkStatus();
}

absl::Status CheckCanWorkSr(store::Tx& tx, const cms::v1::ServiceRequest& sr, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(Access access, SrAccessOf(tx, sr, actor));
  if (access == Access::kNone) return NotVisible("SR", sr.id());
  if (access != Access::kWrite) {
    return PermissionDenied(absl::StrCat("SR ", sr.id(),
                                         " is worked by another segment; it may be read but not "
                                         "changed"),
                            "SR5.7");
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> CanReadAuditEvent(store::Tx& tx, const cms::v1::AuditEvent& e,
                                       const Actor& actor) {
  int64_t casegroup_id = e.casegroup_id();
  if (e.case_id() != 0) {
    auto k = store::GetCase(tx, e.case_id());
    if (absl::IsNotFound(k.status())) return false;
    CMS_RETURN_IF_ERROR(k.status());
    casegroup_id = k->casegroup_id();
  }
  if (casegroup_id != 0) {
    auto access = CasegroupAccessOf(tx, casegroup_id, actor);
    if (absl::IsNotFound(access.status())) return false;
    CMS_RETURN_IF_ERROR(access.status());
    return *access != Access::kNone;
  }
  if (e.service_request_id() != 0) {
    auto sr = store::GetServiceRequest(tx, e.service_request_id());
    if (absl::IsNotFound(sr.status())) return false;
    CMS_RETURN_IF_ERROR(sr.status());
    CMS_ASSIGN_OR_RETURN(Access access, SrAccessOf(tx, *sr, actor));
    return access != Access::kNone;
  }
  if (e.person_id() != 0) {
    CMS_ASSIGN_OR_RETURN(Access access, PersonAccessOf(tx, e.person_id(), actor));
    return access != Access::kNone;
  }
  return IsUnscopedAuditType(e.entity_type());
}

absl::StatusOr<cms::v1::Case> FindCase(store::Tx& tx, int64_t case_id, store::CaseParts parts) {
  if (case_id <= 0) return InvalidField("case_id", "required");
  auto k = store::GetCase(tx, case_id, /*for_update=*/false, parts);
  if (absl::IsNotFound(k.status())) return InvalidField("case_id", "no such case");
  return k;
}

absl::StatusOr<cms::v1::Casegroup> FindCasegroup(store::Tx& tx, int64_t casegroup_id) {
  if (casegroup_id <= 0) return InvalidField("casegroup_id", "required");
  auto g = store::GetCasegroup(tx, casegroup_id);
  if (absl::IsNotFound(g.status())) return InvalidField("casegroup_id", "no such casegroup");
  return g;
}

absl::StatusOr<cms::v1::Case> CaseForWrite(store::Tx& tx, int64_t case_id, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, FindCase(tx, case_id));
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(tx, k.casegroup_id()));
  CMS_RETURN_IF_ERROR(CheckCanChangeCasegroup(tx, g, actor));
  return k;
}

absl::StatusOr<cms::v1::Case> CaseForRead(store::Tx& tx, int64_t case_id, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(CaseInGroup read, CaseInGroupForRead(tx, case_id, actor));
  return std::move(read.k);
}

absl::StatusOr<CaseInGroup> CaseInGroupForRead(store::Tx& tx, int64_t case_id, const Actor& actor,
                                               store::CaseParts parts) {
  CaseInGroup out;
  CMS_ASSIGN_OR_RETURN(out.k, FindCase(tx, case_id, parts));
  CMS_ASSIGN_OR_RETURN(out.group, store::GetCasegroup(tx, out.k.casegroup_id()));
  CMS_RETURN_IF_ERROR(CheckCanSeeCasegroup(tx, out.group, actor));
  return out;
}

absl::StatusOr<cms::v1::Casegroup> CasegroupForWrite(store::Tx& tx, int64_t casegroup_id,
                                                     const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, FindCasegroup(tx, casegroup_id));
  CMS_RETURN_IF_ERROR(CheckCanChangeCasegroup(tx, g, actor));
  return g;
}

absl::StatusOr<cms::v1::Casegroup> CasegroupForRead(store::Tx& tx, int64_t casegroup_id,
                                                    const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, FindCasegroup(tx, casegroup_id));
  CMS_RETURN_IF_ERROR(CheckCanSeeCasegroup(tx, g, actor));
  return g;
}

absl::StatusOr<cms::v1::Casegroup> CasegroupForWriteThroughFuSr(store::Tx& tx, int64_t casegroup_id,
                                                                const Actor& actor,
                                                                const std::string& fu_sr_type,
                                                                absl::string_view rule) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, FindCasegroup(tx, casegroup_id));
  // The owning segment's own staff: no query for them.
  if (domain::CasegroupAccessFromOwnerAlone(ViewerOf(actor), g.owning_segment_id()) ==
      Access::kWrite) {
    return g;
  }
  CMS_ASSIGN_OR_RETURN(store::CasegroupAccessRow row,
                       store::GetCasegroupAccess(tx, g.id(), actor.segment_id));
  bool works_type = false;
  if (row.viewer_works_fu_sr) {
    CMS_ASSIGN_OR_RETURN(
        works_type, store::ViewerWorksOpenFuSrOfType(tx, g.id(), actor.segment_id, fu_sr_type));
  }
  const Access access =
      domain::CasegroupAccessThroughFuSr(ViewerOf(actor), FactsOf(row), works_type);
  if (access == Access::kNone) return NotVisible("casegroup", g.id());
  if (access != Access::kWrite) {
    return PermissionDenied(
        absl::StrCat("casegroup ", g.id(), " is owned by ", g.owning_segment_system_name(),
                     "; another segment changes this only while it works an open ", fu_sr_type,
                     " SR on it"),
        rule);
  }
  return g;
}

}  // namespace cms::app
