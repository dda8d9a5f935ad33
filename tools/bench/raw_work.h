// The ceilings for the work benchmark: the statements the server issues for
// CreateServiceRequest, GetNextWork and ListMyWork (auth lookup, then the
// transaction; see auth/authenticator.cc, app/commands.cc,
// app/service_requests.cc, app/work.cc and store/), issued directly through
// SOCI on one connection, without gRPC, protobuf or the app layer.
// Thread-compatible (one session per caller).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace cms::bench {

// The work statements as store/work_repo.cc sends them (its columns are
// store::kSrCols), for the ceilings below and the plans cms_workbench
// prints. `:seg` and `:who` stand where the server binds the segment and
// the staff id.
// The claim, passing over the casegroups in `passed_over` ("7,9" or "").
std::string ClaimStatement(const std::string& passed_over);
// A page of 50 of one person's open SRs.
std::string MyPageStatement();
// A page of 50 of a team's open SRs; `members` are quoted SQL literals.
std::string TeamPageStatement(const std::vector<std::string>& members);

// Lets `sql` take the server's multi-statement commit batches (store/db.cc).
void EnableBatches(soci::session& sql);

// A CHANGE_INCOME SR on casegroup `group` / case `kase` by `staff`, with its
// audit row and idempotency key. Returns "" or the error.
std::string RawCreateServiceRequest(soci::session& sql, int64_t seq, const std::string& staff,
                                    int64_t group, int64_t kase);

// What RawGetNextWork claimed: a casegroup with its case-owning work, or one
// functionally unique SR; both 0 when the queue is empty.
struct RawClaim {
  int64_t casegroup_id = 0;
  int64_t fu_sr_id = 0;
};

// `staff` (of `segment`) claims the queue's next SR and, for a case-owning
// one, its casegroup's case-owning work.
std::string RawGetNextWork(soci::session& sql, int64_t seq, const std::string& staff,
                           int64_t segment, RawClaim* claimed);

// A page of 50 of `staff`'s open SRs in queue order (autocommit, as the server reads it).
std::string RawListMyWork(soci::session& sql, const std::string& staff);

// A page of 50 of the team's open SRs, for its leader `leader`: the member
// list, then one UNION of the members' pages (store/work_repo.cc).
std::string RawListTeamWork(soci::session& sql, const std::string& leader);

}  // namespace cms::bench
