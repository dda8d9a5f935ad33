// The one place the server decides which records a caller may read or
// change (X13.1, SR5.7): gathers the facts of the need-to-know matrix
// (domain/access.h) from the database and answers PERMISSION_DENIED when it
// says no. Every use case that reads or changes a casegroup, a person or an
// SR, and the audit trail, asks here. Stateless; used inside a transaction.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/admin.pb.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/payment.pb.h"
#include "cms/v1/service_request.pb.h"
#include "server/app/actor.h"
#include "server/domain/access.h"
#include "server/store/casegroup_repo.h"
#include "server/store/db.h"

namespace cms::app {

domain::Viewer ViewerOf(const Actor& actor);

absl::StatusOr<domain::Access> CasegroupAccessOf(store::Tx& tx, const cms::v1::Casegroup& g,
                                                 const Actor& actor);
absl::StatusOr<domain::Access> CasegroupAccessOf(store::Tx& tx, int64_t casegroup_id,
                                                 const Actor& actor);
absl::StatusOr<domain::Access> PersonAccessOf(store::Tx& tx, int64_t person_id, const Actor& actor);

// PERMISSION_DENIED (X13.1) unless the matrix lets `actor` read `g`. The
// refusal is the same whoever owns the casegroup: it never tells a caller
// that a record is special.
absl::Status CheckCanSeeCasegroup(store::Tx& tx, const cms::v1::Casegroup& g, const Actor& actor);
// Only the owning segment changes a casegroup, its cases and their case
// work; everyone else who may see it reads it only (SR5.7).
absl::Status CheckCanChangeCasegroup(store::Tx& tx, const cms::v1::Casegroup& g,
                                     const Actor& actor);
absl::Status CheckCanSeePerson(store::Tx& tx, int64_t person_id, const Actor& actor);
// A person is changed by staff owning one of their casegroups (or by any
// case staff while they are in none).
absl::Status CheckCanChangePerson(store::Tx& tx, int64_t person_id, const Actor& actor);
// An SR is read with its casegroup or by the segment that owns it, and
// worked only by that segment (SR5.7).
absl::Status CheckCanSeeSr(store::Tx& tx, const cms::v1::ServiceRequest& sr, const Actor& actor);
absl::Status CheckCanWorkSr(store::Tx& tx, const cms::v1::ServiceRequest& sr, const Actor& actor);

// Whether `actor` may read an audit row (X13.1, X13.2): the row obeys the
// visibility of the record it belongs to (its casegroup, case, SR or
// person); a row of no record only when it is the BOM's or the server's own.
absl::StatusOr<bool> CanReadAuditEvent(store::Tx& tx, const cms::v1::AuditEvent& e,
                                       const Actor& actor);

// The record alone, with no access check: for a step run inside a command
// whose caller has already decided who may act (a rule of the server, e.g.
// the in-command money and letter steps). INVALID_ARGUMENT naming `case_id`
// / `casegroup_id` when there is no such record.
absl::StatusOr<cms::v1::Case> FindCase(store::Tx& tx, int64_t case_id,
                                       store::CaseParts parts = store::CaseParts::kWhole);
absl::StatusOr<cms::v1::Casegroup> FindCasegroup(store::Tx& tx, int64_t casegroup_id);

// INVALID_ARGUMENT naming `case_id` when there is no such case; the owning
// segment's staff change it, whoever may see it reads it.
absl::StatusOr<cms::v1::Case> CaseForWrite(store::Tx& tx, int64_t case_id, const Actor& actor);
absl::StatusOr<cms::v1::Case> CaseForRead(store::Tx& tx, int64_t case_id, const Actor& actor);
// A case with the casegroup its access was judged on, each read once, for
// the reads that need both (AR10.3's recommendation: the PP, the MOPF).
struct CaseInGroup {
  cms::v1::Case k;
  cms::v1::Casegroup group;
};
absl::StatusOr<CaseInGroup> CaseInGroupForRead(store::Tx& tx, int64_t case_id, const Actor& actor,
                                               store::CaseParts parts = store::CaseParts::kWhole);
absl::StatusOr<cms::v1::Casegroup> CasegroupForWrite(store::Tx& tx, int64_t casegroup_id,
                                                     const Actor& actor);
absl::StatusOr<cms::v1::Casegroup> CasegroupForRead(store::Tx& tx, int64_t casegroup_id,
                                                    const Actor& actor);

// A change the owning segment makes to the casegroup that a specialist
// segment may also make while it works an open functionally unique SR of
// `fu_sr_type` on it (domain::CasegroupAccessThroughFuSr; AR10.14: the
// Deduction Order Team records the PP's assets while it works a Disclosure
// SR). INVALID_ARGUMENT naming `casegroup_id` when there is none;
// PERMISSION_DENIED (X13.1) when the caller may not see it, and naming
// `rule` when they may only read it.
absl::StatusOr<cms::v1::Casegroup> CasegroupForWriteThroughFuSr(store::Tx& tx, int64_t casegroup_id,
                                                                const Actor& actor,
                                                                const std::string& fu_sr_type,
                                                                absl::string_view rule);

}  // namespace cms::app
