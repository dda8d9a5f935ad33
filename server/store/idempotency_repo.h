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

absl::StatusOr<std::optional<IdempotencyRecord>> FindIdempotencyKey(Tx& tx,
                                                                    const std::string& request_id);

// Claims the request id for this transaction. A concurrent claim of the same
// id waits for this transaction and then fails with ALREADY_EXISTS
// (DUPLICATE_KEY), after which the caller replays the stored response.
absl::Status ClaimIdempotencyKey(Tx& tx, const std::string& request_id, const std::string& method,
                                 const std::string& request_bytes, int64_t now_us);
absl::Status StoreIdempotentResponse(Tx& tx, const std::string& request_id,
                                     const std::string& response_bytes);

}  // namespace cms::store
