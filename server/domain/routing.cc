#include "server/domain/routing.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/base/enum_names.h"
#include "server/domain/postcode.h"

namespace cms::domain {

using cms::v1::LifecycleStage;

namespace {

int Severity(LifecycleStage stage) {
  switch (stage) {
    case cms::v1::LIFECYCLE_STAGE_APPLICATION:
      return 1;
    case cms::v1::LIFECYCLE_STAGE_NEW_CASE:
      return 2;
    case cms::v1::LIFECYCLE_STAGE_P2P_ISSUED:
      return 3;
    case cms::v1::LIFECYCLE_STAGE_MAINTENANCE:
      return 4;
    case cms::v1::LIFECYCLE_STAGE_ARREARS:
      return 5;
    case cms::v1::LIFECYCLE_STAGE_ENFORCEMENT:
      return 6;
    default:
      return 0;  // CLOSED / unspecified never outrank an open case
  }
}

RoutingDecision Decide(cms::v1::Country country, cms::v1::ServiceSegment segment, int rule,
                       absl::string_view why) {
  return {country, segment, absl::StrCat("R3.2.", rule),
          absl::StrCat("R3.2 rule ", rule, ": ", why, " -> ", ShortName(country), " ",
                       ShortName(segment))};
}

}  // namespace

RoutingDecision Route(const RoutingFacts& f) {
  const cms::v1::Country country = RegionOf(f.pp_postcode, f.pp_address_outside_uk);
  const std::string region_why =
      f.pp_address_outside_uk
          ? std::string("PP address outside the UK")
          : absl::StrCat("PP postcode ", f.pp_postcode.empty() ? "(none)" : f.pp_postcode);
  if (f.any_party_nationally_sensitive) {
    return Decide(country, cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS, 1,
                  "a party is nationally sensitive");
  }
  if (f.pp_address_outside_uk) {
    return Decide(country, cms::v1::SERVICE_SEGMENT_INTERNATIONAL, 2,
                  "the PP's residential address is not in the UK");
  }
  switch (f.lifecycle_stage) {
    case cms::v1::LIFECYCLE_STAGE_ENFORCEMENT:
      return Decide(country, cms::v1::SERVICE_SEGMENT_ENFORCEMENT, 3,
                    absl::StrCat("lifecycle ENFORCEMENT (LO authorised); ", region_why));
    case cms::v1::LIFECYCLE_STAGE_ARREARS:
      return Decide(country,
                    f.arrears_segment_exists ? cms::v1::SERVICE_SEGMENT_ARREARS
                                             : cms::v1::SERVICE_SEGMENT_MAINTENANCE,
                    4,
                    absl::StrCat("lifecycle ARREARS; ",
                                 f.arrears_segment_exists ? "an ARREARS segment exists"
                                                          : "no ARREARS segment, so MAINTENANCE",
                                 "; ", region_why));
    case cms::v1::LIFECYCLE_STAGE_APPLICATION:
    case cms::v1::LIFECYCLE_STAGE_NEW_CASE:
      if (!f.any_party_has_existing_case) {
        return Decide(
            country, cms::v1::SERVICE_SEGMENT_NEW_CASE, 5,
            absl::StrCat("new application, neither party has an existing case; ", region_why));
      }
      return Decide(country, cms::v1::SERVICE_SEGMENT_MAINTENANCE, 6,
                    absl::StrCat("new application but a party has an existing case; ", region_why));
    default:
      return Decide(country, cms::v1::SERVICE_SEGMENT_MAINTENANCE, 6,
                    absl::StrCat("lifecycle ", ShortName(f.lifecycle_stage), "; ", region_why));
  }
}

LifecycleStage CasegroupStage(const std::vector<LifecycleStage>& case_stages) {
  LifecycleStage best = cms::v1::LIFECYCLE_STAGE_CLOSED;
  int best_severity = 0;
  for (LifecycleStage s : case_stages) {
    if (Severity(s) > best_severity) {
      best = s;
      best_severity = Severity(s);
    }
  }
  return case_stages.empty() ? cms::v1::LIFECYCLE_STAGE_APPLICATION : best;
}

}  // namespace cms::domain
