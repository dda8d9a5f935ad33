#include "server/app/legacy_csa.h"

#include "absl/strings/ascii.h"

namespace cms::app {
namespace {

std::pair<int, std::string> Key(cms::v1::LegacySystem system, absl::string_view reference) {
  return {static_cast<int>(system), absl::AsciiStrToUpper(absl::StripAsciiWhitespace(reference))};
}

}  // namespace

std::optional<cms::v1::LegacyLink> FakeLegacyCsaGateway::Lookup(cms::v1::LegacySystem system,
                                                                absl::string_view reference) {
  absl::MutexLock lock(&mu_);
  ++lookups_;
  auto it = cases_.find(Key(system, reference));
  if (it == cases_.end()) return std::nullopt;
  return it->second;
}

void FakeLegacyCsaGateway::SetCase(const cms::v1::LegacyLink& record) {
  absl::MutexLock lock(&mu_);
  cases_[Key(record.system(), record.legacy_case_reference())] = record;
}

int64_t FakeLegacyCsaGateway::Lookups() const {
  absl::MutexLock lock(&mu_);
  return lookups_;
}

}  // namespace cms::app
