// Shared builders for casegroup integration tests: valid persons and
// applications with random NINOs. Header-only test helper.
#pragma once

#include <string>

#include "cms/v1/casegroup.pb.h"
#include "tests/integration/test_server.h"

namespace cms::testing {

inline cms::v1::Person NewPerson(const std::string& given, const std::string& postcode,
                                 bool sensitive = false) {
  cms::v1::Person p;
  p.set_given_name(given);
  p.set_family_name("Tester");
  p.set_nino(RandomNino());
  p.mutable_residential_address()->add_lines("1 Test Street");
  p.mutable_residential_address()->set_postcode(postcode);
  p.set_nationally_sensitive(sensitive);
  return p;
}

inline cms::v1::Person AbroadPerson(const std::string& given) {
  cms::v1::Person p = NewPerson(given, "");
  p.mutable_residential_address()->clear_postcode();
  p.mutable_residential_address()->set_non_uk(true);
  p.mutable_residential_address()->set_country_code("FR");
  return p;
}

inline cms::v1::CreateApplicationRequest ApplicationRequest(const cms::v1::Person& pp,
                                                     const cms::v1::Person& rp) {
  cms::v1::CreateApplicationRequest req;
  req.set_request_id(RandomRequestId());
  *req.mutable_paying_parent()->mutable_new_person() = pp;
  *req.mutable_receiving_parent()->mutable_new_person() = rp;
  auto* child = req.add_children();
  child->set_given_name("Kid");
  child->set_family_name("Tester");
  req.set_pp_requested_service_type(cms::v1::SERVICE_TYPE_DIRECT_PAY);
  req.set_rp_requested_service_type(cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
  return req;
}

}  // namespace cms::testing
