// The ceiling for the application benchmark: the statements the server's
// CreateApplication transaction executes (see app/casegroups.cc), issued
// directly through SOCI on one connection, without gRPC, authentication
// logic, protobuf or the app layer. Thread-compatible (one session per
// caller).
#pragma once

#include <cstdint>
#include <string>

namespace soci {
class session;
}

namespace cms::bench {

// One application: new PP and RP (by NINO), casegroup, move, case, child,
// audit rows and the idempotency key, in one transaction. Returns "" or the
// error. `seq` makes NINOs and request ids unique.
std::string RawApplication(soci::session& sql, int64_t seq, int64_t segment_id,
                           int64_t arrears_segment_id);

}  // namespace cms::bench
