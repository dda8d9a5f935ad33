// Routing (R3.1, R3.2): a pure, explainable function from a casegroup's facts
// to the (country, service segment) that should own it. The app layer
// gathers the facts and resolves the answer to a live segment through the
// BOM. Pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "cms/v1/casegroup.pb.h"
#include "cms/v1/common.pb.h"

namespace cms::domain {

struct RoutingFacts {
  bool any_party_nationally_sensitive = false;
  bool pp_address_outside_uk = false;
  std::string pp_postcode;  // normalised UK postcode; empty when outside the UK
  cms::v1::LifecycleStage lifecycle_stage = cms::v1::LIFECYCLE_STAGE_APPLICATION;
  // A party of the casegroup is party to a live case in another casegroup.
  bool any_party_has_existing_case = false;
  // The country has a live ARREARS segment (R3.2 rule 4).
  bool arrears_segment_exists = false;
};

struct RoutingDecision {
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;
  cms::v1::ServiceSegment service_segment = cms::v1::SERVICE_SEGMENT_UNSPECIFIED;
  std::string rule_id;      // "R3.2.1" .. "R3.2.6"
  std::string explanation;  // names the rule and the fact that decided
};

// R3.2: the first matching rule wins; country per C2.4.
RoutingDecision Route(const RoutingFacts& facts);

// The casegroup's stage for routing: its most advanced open case
// (ENFORCEMENT > ARREARS > MAINTENANCE > P2P_ISSUED > NEW_CASE >
// APPLICATION); CLOSED cases count only when every case is closed.
cms::v1::LifecycleStage CasegroupStage(const std::vector<cms::v1::LifecycleStage>& case_stages);

}  // namespace cms::domain
