// The CreateApplication request the load tools send: a new paying and
// receiving parent (NINOs made from n, so each n is a different pair) and
// one child. Shared by cms_bench, cms_drill and cms_soak.
#pragma once

#include <cstdint>
#include <string>

#include "cms/v1/casegroup.pb.h"

namespace cms::bench {

// The paying ('A') or receiving ('B') parent's NINO of the n-th application.
std::string ApplicationNino(int64_t n, char parent);

cms::v1::CreateApplicationRequest ApplicationRequest(int64_t n, const std::string& request_id);

}  // namespace cms::bench
