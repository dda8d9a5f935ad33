#include "tools/bench/application_request.h"

#include "absl/strings/str_format.h"
#include "tools/bench/load.h"

namespace cms::bench {
namespace {

cms::v1::Person NewPerson(const std::string& nino, const std::string& postcode) {
  cms::v1::Person p;
  p.set_given_name("Bench");
  p.set_family_name("Parent");
  p.set_nino(nino);
  p.mutable_residential_address()->add_lines("1 Bench Street");
  p.mutable_residential_address()->set_postcode(postcode);
  return p;
}

}  // namespace

std::string ApplicationNino(int64_t n, char parent) {
  return absl::StrFormat("CE%06d%c", ScatteredDigits(n), parent);
}

cms::v1::CreateApplicationRequest ApplicationRequest(int64_t n, const std::string& request_id) {
  cms::v1::CreateApplicationRequest req;
  req.set_request_id(request_id);
  *req.mutable_paying_parent()->mutable_new_person() =
      NewPerson(ApplicationNino(n, 'A'), "SW1A 1AA");
  *req.mutable_receiving_parent()->mutable_new_person() =
      NewPerson(ApplicationNino(n, 'B'), "SW1A 2AA");
  req.add_children()->set_given_name("Kid");
  return req;
}

}  // namespace cms::bench
