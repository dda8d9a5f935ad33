// CMS_RETURN_IF_ERROR / CMS_ASSIGN_OR_RETURN: early return on a non-OK
// absl::Status (Abseil 20220623 ships no such macros). Thread-compatible.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CMS_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::absl::Status cms_status_ = (expr);       \
    if (!cms_status_.ok()) return cms_status_; \
  } while (0)

#define CMS_STATUS_CONCAT_INNER_(a, b) a##b
#define CMS_STATUS_CONCAT_(a, b) CMS_STATUS_CONCAT_INNER_(a, b)

#define CMS_ASSIGN_OR_RETURN(lhs, expr) \
  CMS_ASSIGN_OR_RETURN_IMPL_(CMS_STATUS_CONCAT_(cms_statusor_, __LINE__), lhs, expr)

#define CMS_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return statusor.status();         \
  lhs = std::move(statusor).value()
