// Repository for request-id idempotency (X13.4). Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "server/store/db.h"

namespace cms::store {

struct IdempotencyRecord {
  std::string method;
  std::string request_bytes;   // the request with request_id cleared
  std::string response_bytes;  // the serialized response first returned
};

// A request id is scoped to its caller (X13.1, X13.4): `caller` names the
// client application and staff member, so another caller's id is never found.
absl::StatusOr<std::optional<IdempotencyRecord>> FindIdempotencyKey(Tx& tx,
                                                                    const std::string& caller,
                                                                    const std::string& request_id);

// Records the outcome of a command inside the command's transaction, with
// its COMMIT (Tx::AtCommit). The commit fails ALREADY_EXISTS (DUPLICATE_KEY)
// when the request id was recorded first by someone else; the transaction
// rolls back and the caller replays that record.
absl::Status InsertIdempotencyKey(Tx& tx, const std::string& caller, const std::string& request_id,
                                  const std::string& method, const IdempotencyRecord& record,
                                  int64_t now_us);

}  // namespace cms::store
