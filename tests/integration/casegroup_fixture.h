// Shared builders for casegroup integration tests: valid persons and
// applications with random NINOs. Header-only test helper.
#pragma once

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "cms/v1/casegroup.pb.h"
#include "server/base/enum_names.h"
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

// The demo BOM's first caseworker of the segment that owns `casegroup_id`
// now ("cw.<country>.<service segment>.a1"): who works it after a re-route.
inline std::string CaseworkerOfOwner(TestServer& t, int64_t casegroup_id) {
  cms::v1::GetCasegroupRequest get;
  get.set_id(casegroup_id);
  cms::v1::Casegroup g;
  grpc::Status s = t.casegroups().GetCasegroup(t.Context("svc.manager").get(), get, &g);
  if (!s.ok()) return "";
  cms::v1::GetSegmentRequest seg_req;
  seg_req.set_id(g.owning_segment_id());
  cms::v1::Segment seg;
  s = t.bom().GetSegment(t.Context("svc.manager").get(), seg_req, &seg);
  if (!s.ok()) return "";
  return absl::StrCat("cw.", absl::AsciiStrToLower(ShortName(seg.country())), ".",
                      absl::AsciiStrToLower(ShortName(seg.service_segment())), ".a1");
}

}  // namespace cms::testing
