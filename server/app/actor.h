// Who a call is made by (X13.1): the staff member named in x-cms-user, acting
// through an authenticated client application. Plain value type.
#pragma once

#include <cstdint>
#include <string>

#include "cms/v1/bom.pb.h"

namespace cms::app {

struct Actor {
  std::string staff_id;  // "system" for changes the server makes by rule
  std::string client;    // the client application that holds the token
  cms::v1::Role role = cms::v1::ROLE_UNSPECIFIED;
  int64_t team_id = 0;
  int64_t segment_id = 0;  // the team's segment, or a segment manager's
  // That segment's country and kind, read with the staff row when the call
  // is authenticated (both are fixed when a segment is made), so the scope
  // checks that ask "is this the FOI team / Q&A of GB?" need no statement.
  cms::v1::Country segment_country = cms::v1::COUNTRY_UNSPECIFIED;
  cms::v1::ServiceSegment service_segment = cms::v1::SERVICE_SEGMENT_UNSPECIFIED;

  static Actor System() { return Actor{"system", "cms_server", cms::v1::ROLE_SERVICE_MANAGEMENT}; }
};

}  // namespace cms::app
