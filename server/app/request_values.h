// The values of a whole request, checked before any use case sees it (issue
// 17, defects 5, 7 and 9): every google.protobuf.Timestamp and Duration in
// it, at any depth, must be one the type can hold, no string may contain
// NUL (domain/values), and no amount (an int64 field named `*_pence`, the
// API's one spelling of money) may be beyond ±£10,000,000.00
// (domain/money). One walk over the request's descriptor, so no RPC,
// present or future, can skip it; the rules that depend on a field's
// meaning (a name, a date of birth, the clock never going back, an amount
// more than 0) stay with the use case that owns the field. Thread-safe.
#pragma once

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace cms::app {

// OK, or INVALID_ARGUMENT naming each bad field by its path in the request
// ("period.start_time", "methods[1].start_date").
absl::Status CheckRequestValues(const google::protobuf::Message& request);

}  // namespace cms::app
