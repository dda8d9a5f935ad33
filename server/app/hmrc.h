// The HMRC employment interface (M7.3): what HMRC says a paying parent (by
// NINO) does for a living. There is no real HMRC in this system, so every
// server, in every mode, asks FakeHmrcGateway; a harness scripts its answers
// through AdminService (SetHmrcEmployment, SetHmrcSensitiveEmployer; only on
// a --test_clock server).
//
// Sensitive employers: HMRC never returns some employers (HMRC, the Home
// Office, … — reference "HMRC Sensitive Employers"); when CMS asks, nothing
// comes back. The fake models this faithfully: an employer can be flagged
// sensitive, and a NINO whose employer is sensitive is answered NOTHING,
// indistinguishable from "no employment" — so the caller cannot tell either,
// and keeps re-requesting while the DEO desire flag is set.
//
// The fake is per process: with several replicas, each has its own answers
// and counters (a harness that scripts HMRC runs one replica, or scripts
// each). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "cms/v1/payment.pb.h"

namespace cms::app {

struct HmrcEmployment {
  cms::v1::HmrcAnswer kind = cms::v1::HMRC_ANSWER_NOTHING;
  std::string employer_name;  // for HMRC_ANSWER_EMPLOYER
};

class HmrcEmploymentGateway {
 public:
  virtual ~HmrcEmploymentGateway() = default;
  // Never fails: "nothing known" is an answer (NOTHING).
  virtual HmrcEmployment Lookup(absl::string_view nino) = 0;
};

class FakeHmrcGateway final : public HmrcEmploymentGateway {
 public:
  HmrcEmployment Lookup(absl::string_view nino) override;

  // What Lookup(nino) answers from now on (NOTHING until set). The employer
  // name is kept for EMPLOYER only.
  void SetAnswer(absl::string_view nino, HmrcEmployment answer);
  // Employers compare by name, case and surrounding blanks ignored.
  void SetSensitive(absl::string_view employer_name, bool sensitive);
  // How many lookups of `nino` this fake has answered.
  int64_t Lookups(absl::string_view nino) const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, HmrcEmployment, std::less<>> answers_ ABSL_GUARDED_BY(mu_);
  std::set<std::string, std::less<>> sensitive_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t, std::less<>> lookups_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cms::app
