// Repository for cases and casegroups (C2.2, C2.3) and casegroup movement
// history (R3.5). Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/casegroup.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Inserts a casegroup placed in casegroup.owning_segment_id();
// ALREADY_EXISTS (DUPLICATE_KEY) when the PP already has one (C2.3).
absl::StatusOr<int64_t> InsertCasegroup(Tx& tx, const cms::v1::Casegroup& g, int64_t now_us);
// With case_ids and the owning segment's system name filled in.
absl::StatusOr<cms::v1::Casegroup> GetCasegroup(Tx& tx, int64_t id, bool for_update = false);
absl::StatusOr<std::optional<cms::v1::Casegroup>> FindCasegroupByPayingParent(
    Tx& tx, int64_t pp_person_id, bool for_update = false);
// Writes owning segment, country and routing rule; bumps the version.
absl::Status UpdateCasegroupPlacement(Tx& tx, const cms::v1::Casegroup& g);

// Whole casegroups for bulk changes and their audit rows (X13.2), in id
// order: those with the given ids, or those allocated to `staff_id`.
absl::StatusOr<std::vector<cms::v1::Casegroup>> GetCasegroups(Tx& tx,
                                                              const std::vector<int64_t>& ids,
                                                              bool for_update = false);
absl::StatusOr<std::vector<cms::v1::Casegroup>> ListCasegroupsAllocatedTo(
    Tx& tx, const std::string& staff_id, bool for_update = false);

absl::StatusOr<int64_t> InsertCase(Tx& tx, const cms::v1::Case& c, int64_t now_us);
// What of a case GetCase reads besides its row and its legacy link (one
// statement): its children too (kWhole, one statement more), or not, for
// the rules that judge only the case's stage and money (AR10.3's
// recommendation).
enum class CaseParts { kWhole, kWithoutChildren };
absl::StatusOr<cms::v1::Case> GetCase(Tx& tx, int64_t id, bool for_update = false,
                                      CaseParts parts = CaseParts::kWhole);
// Whether the case has a legacy CSA link (C2.2): one primary-key read, for
// callers that need only that, not the whole case.
absl::StatusOr<bool> CaseHasLegacyLink(Tx& tx, int64_t case_id);
absl::StatusOr<std::vector<cms::v1::Case>> ListCasesOfCasegroup(Tx& tx, int64_t casegroup_id);
// Writes lifecycle stage, legacy link and annual review date; bumps version.
absl::Status UpdateCase(Tx& tx, const cms::v1::Case& c);

// Casegroups in which the person is the PP or an RP.
absl::StatusOr<std::vector<int64_t>> CasegroupsOfPerson(Tx& tx, int64_t person_id);

// X13.1: what the need-to-know matrix (domain/access.h) reads of a
// casegroup: its owner, the owner's service segment, and whether the
// viewer's segment works an open functionally unique SR on it.
struct CasegroupAccessRow {
  int64_t casegroup_id = 0;
  int64_t owning_segment_id = 0;
  cms::v1::ServiceSegment owning_service_segment = cms::v1::SERVICE_SEGMENT_UNSPECIFIED;
  bool viewer_works_fu_sr = false;
};
absl::StatusOr<CasegroupAccessRow> GetCasegroupAccess(Tx& tx, int64_t casegroup_id,
                                                      int64_t viewer_segment_id);
// The same for every casegroup `person_id` is a party of.
absl::StatusOr<std::vector<CasegroupAccessRow>> ListPersonCasegroupAccess(
    Tx& tx, int64_t person_id, int64_t viewer_segment_id);
// True when any of `person_ids` is party to a case that is not CLOSED in a
// casegroup other than `casegroup_id`.
absl::StatusOr<bool> AnyPartyHasCaseElsewhere(Tx& tx, const std::vector<int64_t>& person_ids,
                                              int64_t casegroup_id);

absl::Status InsertCasegroupMove(Tx& tx, const cms::v1::CasegroupMove& m, int64_t now_us);
absl::StatusOr<std::vector<cms::v1::CasegroupMove>> ListCasegroupMoves(Tx& tx, int64_t casegroup_id,
                                                                       const PageRequest& page);

// GetCasegroupAccess's viewer_works_fu_sr for one SR type: whether
// `viewer_segment_id` works an open functionally unique SR of `type_code`
// on the casegroup (AR10.14: the Deduction Order Team's Disclosure SR).
absl::StatusOr<bool> ViewerWorksOpenFuSrOfType(Tx& tx, int64_t casegroup_id,
                                               int64_t viewer_segment_id,
                                               const std::string& type_code);

}  // namespace cms::store
