// The legacy CSA system interface (S5.1, S5.2): what the 1993/2003 scheme
// systems (CSCS, CS2, CCD) hold about a legacy case — its method of
// collection, whether a DEO was voluntary or enforced, in-flight enforcement,
// legal action, and the end-of-liability date (T-date). The 2012 scheme
// looks a case up when an application names it, and keeps the answer on the
// case (Case.legacy).
//
// There is no real CSA system in this service, so every server asks
// FakeLegacyCsaGateway; a harness scripts its records through AdminService
// (SetLegacyCsaCase; only on a --test_clock server). A reference the fake
// does not hold is "not found", and the facts the application carried stand.
// The fake is per process, as FakeHmrcGateway is. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "cms/v1/casegroup.pb.h"

namespace cms::app {

class LegacyCsaGateway {
 public:
  virtual ~LegacyCsaGateway() = default;
  // The legacy case (system and reference as given), or nullopt when the
  // legacy system does not hold it.
  virtual std::optional<cms::v1::LegacyLink> Lookup(cms::v1::LegacySystem system,
                                                    absl::string_view reference) = 0;
};

class FakeLegacyCsaGateway final : public LegacyCsaGateway {
 public:
  std::optional<cms::v1::LegacyLink> Lookup(cms::v1::LegacySystem system,
                                            absl::string_view reference) override;
  // What Lookup answers for the record's system and reference from now on.
  void SetCase(const cms::v1::LegacyLink& record);
  int64_t Lookups() const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::pair<int, std::string>, cms::v1::LegacyLink> cases_ ABSL_GUARDED_BY(mu_);
  int64_t lookups_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace cms::app
