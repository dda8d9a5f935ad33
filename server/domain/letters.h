// Letters (L12.1): the merge fields a template may use, how a template body
// is rendered for one recipient, and whether a letter may be sent at all
// (not to an address marked DLO or NFA). Templates are catalog data
// (cms.v1.LetterTemplate); the facts come in as a plain struct. Pure and
// thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "cms/v1/casegroup.pb.h"

namespace cms::domain {

// Every merge field a template body may name as {{field}}:
//   letter.date, letter.date_plus_7, letter.date_plus_14   issue date, and
//       the reply-by dates of AR10.4/AR10.11 (7 days) and S5.4 (14 days)
//   recipient.full_name, recipient.given_name, recipient.address
//   pp.full_name, rp.full_name
//   case.reference, case.children, case.service_type
const std::vector<std::string>& KnownMergeFields();

// The merge fields `body` names, in first-use order. INVALID_ARGUMENT for
// an unclosed "{{", an empty or malformed name (a-z, 0-9, '_' and '.'), or
// a field not in KnownMergeFields() (naming it).
absl::StatusOr<std::vector<std::string>> MergeFieldsOf(absl::string_view body);

// `body` with every {{field}} replaced by values[field]. INVALID_ARGUMENT
// naming the first field that `values` does not hold or that is malformed.
absl::StatusOr<std::string> RenderBody(absl::string_view body,
                                       const std::map<std::string, std::string>& values);

struct LetterParty {
  std::string given_name;
  std::string family_name;
};

// What a letter is rendered from.
struct LetterFacts {
  LetterParty recipient;
  // The address the letter goes to (see LetterAddress).
  cms::v1::Address address;
  LetterParty paying_parent;
  LetterParty receiving_parent;
  int64_t case_id = 0;
  std::vector<std::string> children;  // qualifying children's given names
  cms::v1::ServiceType service_type = cms::v1::SERVICE_TYPE_UNSPECIFIED;
  absl::CivilDay issue_date;
};

// A value for every KnownMergeFields() entry. Dates read "1 December 2026";
// the address is one line per address line, then the postcode (or country).
std::map<std::string, std::string> MergeValues(const LetterFacts& facts);

// L12.1: letters go to the correspondence address, else the residential one.
const cms::v1::Address& LetterAddress(const cms::v1::Person& recipient);

// L12.1: why no letter may be sent to `recipient` (their address is marked
// DLO or NFA), or nullopt when one may.
std::optional<std::string> UndeliverableReason(const cms::v1::Person& recipient);

}  // namespace cms::domain
