#include "server/domain/segment_naming.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"

namespace cms::domain {

using cms::v1::ServiceSegment;

absl::string_view ServiceSegmentAbbreviation(ServiceSegment segment) {
  switch (segment) {
    case cms::v1::SERVICE_SEGMENT_OPTIONS:
      return "OPPTS";
    case cms::v1::SERVICE_SEGMENT_NEW_CASE:
      return "NWCSE";
    case cms::v1::SERVICE_SEGMENT_MAINTENANCE:
      return "MAINT";
    case cms::v1::SERVICE_SEGMENT_ARREARS:
      return "ARRS";
    case cms::v1::SERVICE_SEGMENT_COLLECTIONS:
      return "COLLS";
    case cms::v1::SERVICE_SEGMENT_ENFORCEMENT:
      return "ENFT";
    case cms::v1::SERVICE_SEGMENT_PAYMENTS_SERVICES:
      return "PAYSV";
    case cms::v1::SERVICE_SEGMENT_CENTRAL_CLIENT_SERVICES:
      return "CCS";
    case cms::v1::SERVICE_SEGMENT_CORPORATE_AFFAIRS:
      return "CORPA";
    case cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS:
      return "SCR";
    case cms::v1::SERVICE_SEGMENT_INTERNATIONAL:
      return "INTNL";
    case cms::v1::SERVICE_SEGMENT_DEDUCTION_ORDER_TEAM:
      return "DOT";
    case cms::v1::SERVICE_SEGMENT_EMPLOYER_SUPPORT_TEAM:
      return "EST";
    case cms::v1::SERVICE_SEGMENT_ADVICE_AND_GUIDANCE:
      return "AANDG";
    case cms::v1::SERVICE_SEGMENT_QUALITY_AND_ASSURANCE:
      return "QANDA";
    case cms::v1::SERVICE_SEGMENT_FOI:
      return "FOI";
    case cms::v1::SERVICE_SEGMENT_GOVERNMENT_RELATIONS:
      return "GOVRL";
    default:
      return "";
  }
}

absl::StatusOr<std::string> DeriveSystemName(cms::v1::Country country, ServiceSegment segment,
                                             absl::string_view description,
                                             absl::string_view code) {
  FieldErrors errors;
  if (country != cms::v1::COUNTRY_GB && country != cms::v1::COUNTRY_NI) {
    errors.Add("country", "must be GB or NI (S1.1)");
  }
  absl::string_view abbreviation = ServiceSegmentAbbreviation(segment);
  if (abbreviation.empty()) errors.Add("service_segment", "must be a known service segment (S1.2)");

  std::string initials;
  bool in_word = false;
  for (char c : description) {
    bool alnum = absl::ascii_isalnum(static_cast<unsigned char>(c));
    if (alnum && !in_word && initials.size() < 3) {
      initials.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    }
    in_word = alnum;
  }
  if (description.empty() || description.size() > 100 || initials.empty()) {
    errors.Add("description", "1..100 characters with at least one letter or digit");
  }
  bool code_ok = !code.empty() && code.size() <= 20;
  for (char c : code) code_ok = code_ok && absl::ascii_isalnum(static_cast<unsigned char>(c));
  if (!code_ok) errors.Add("code", "1..20 letters or digits");
  if (!errors.empty()) return errors.ToStatus("S1.3");

  return absl::StrCat("FS_", ShortName(country), "_", abbreviation, "_", initials, "_",
                      absl::AsciiStrToUpper(code));
}

}  // namespace cms::domain
