// The ceiling of the arrears benchmark (cms_arrearsbench): the statements
// cms_server sends for one ArrearsService.GetArrearsRecommendation, sent
// straight through SOCI on one session, every row read and nothing decided
// (no gRPC, no protobuf messages but the action's body, no rules). Taken from
// the MariaDB general log of the server's calls: the authenticator's staff
// lookup, then one read-only snapshot (app/arrears.cc GetRecommendation:
// CaseInGroupForRead, FindArrearsActionByCase, then GatherLadderFacts in
// app/arrears_facts.cc and the store reads it calls). As in the server, the
// rows decide two reads: the employments row only when the PP has no
// employer on record, and the review SR's row only when the action names
// one and is not closed.
// Thread-compatible: one session per caller.
#pragma once

#include <cstdint>
#include <string>

namespace soci {
class session;
}

namespace cms::bench {

// Sets `sql` up as the server's pooled connections are (store/db.cc
// Configure): the same SQL mode, utf8mb4, READ COMMITTED between
// transactions, multi-statement batches.
void ConfigureAsServer(soci::session& sql);

// One recommendation's statements for case `case_id`, asked by `staff`.
// Returns "" or the error.
std::string RawArrearsRecommendation(soci::session& sql, const std::string& staff, int64_t case_id);

}  // namespace cms::bench
