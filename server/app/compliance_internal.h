// Small pieces the Segment 5 use cases share across compliance*.cc: the
// SR types they raise and the MOPF methods they set. Internal to them.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/payment.pb.h"
#include "server/store/db.h"

namespace cms::app::compliance_internal {

inline constexpr char kMopfSrType[] = "AMEND_EXISTING_MOPF";
inline constexpr char kOutcomeSrType[] = "COMPLIANCE_OPPORTUNITY_OUTCOME";
inline constexpr char kServiceTypeSrType[] = "CHANGE_TO_SERVICE_TYPE";

inline cms::v1::MopfMethod Method(cms::v1::PaymentMethod method, int share, bool enforced) {
  cms::v1::MopfMethod m;
  m.set_method(method);
  m.set_share_percent(share);
  m.set_enforced(enforced);
  return m;
}

inline cms::v1::MopfMethod Deo(int share, cms::v1::DeoSubtype subtype,
                               const std::string& employer) {
  cms::v1::MopfMethod m = Method(cms::v1::PAYMENT_METHOD_DEO, share, /*enforced=*/true);
  m.set_deo_subtype(subtype);
  m.set_mandatory_deo_tick(subtype == cms::v1::DEO_SUBTYPE_MANDATORY);
  m.set_employer(employer);
  return m;
}

}  // namespace cms::app::compliance_internal
