#include "server/app/party_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/domain/money.h"
#include "server/domain/nino.h"
#include "server/domain/postcode.h"
#include "server/domain/values.h"

namespace cms::app {
namespace {

std::string Path(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

void NormaliseAddress(cms::v1::Address* a, absl::string_view path, bool required,
                      FieldErrors& errors) {
  const bool empty = a->lines_size() == 0 && a->postcode().empty() && !a->non_uk();
  if (empty) {
    if (required) errors.Add(std::string(path), "required");
    return;
  }
  if (a->lines_size() < 1 || a->lines_size() > 5) {
    errors.Add(Path(path, "lines"), "1..5 lines");
  }
  for (const std::string& line : a->lines()) {
    if (line.empty() || line.size() > 100 || absl::StrContains(line, '\n')) {
      errors.Add(Path(path, "lines"), "each line 1..100 characters, no line breaks");
      break;
    }
  }
  if (a->non_uk()) {
    std::string country = absl::AsciiStrToUpper(a->country_code());
    if (country.size() != 2 || !absl::ascii_isalpha(country[0]) ||
        !absl::ascii_isalpha(country[1]) || country == "GB" || country == "UK") {
      errors.Add(Path(path, "country_code"),
                 "a non-UK address needs an ISO 3166 alpha-2 country other than GB");
    }
    a->set_country_code(country);
    a->clear_postcode();  // a foreign postal code is kept in the lines
    return;
  }
  auto postcode = domain::NormaliseUkPostcode(a->postcode());
  if (!postcode) {
    errors.Add(Path(path, "postcode"), "not a valid UK postcode (e.g. \"SW1A 1AA\")");
    return;
  }
  a->set_postcode(*postcode);
  a->set_country_code("GB");
}

}  // namespace

cms::v1::Person NormalisePerson(const cms::v1::Person& in, absl::string_view prefix,
                                FieldErrors& errors) {
  cms::v1::Person p = in;
  if (auto problem = domain::NameProblem(p.given_name(), 100)) {
    errors.Add(Path(prefix, "given_name"), *problem);
  }
  if (auto problem = domain::NameProblem(p.family_name(), 100)) {
    errors.Add(Path(prefix, "family_name"), *problem);
  }
  if (IsSet(p.date_of_birth()) && !IsValidDate(p.date_of_birth())) {
    errors.Add(Path(prefix, "date_of_birth"), "not a calendar date");
  }
  if (!p.nino().empty()) {
    auto nino = domain::NormaliseNino(p.nino());
    if (nino) {
      p.set_nino(*nino);
    } else {
      errors.Add(Path(prefix, "nino"),
                 "not a valid national insurance number (two letters, six digits, A-D; C2.1)");
    }
  }
  NormaliseAddress(p.mutable_residential_address(), Path(prefix, "residential_address"),
                   /*required=*/true, errors);
  NormaliseAddress(p.mutable_correspondence_address(), Path(prefix, "correspondence_address"),
                   /*required=*/false, errors);
  if (!cms::v1::AddressStatus_IsValid(p.address_status())) {
    errors.Add(Path(prefix, "address_status"), "unknown value");
  }
  if (p.address_status() == cms::v1::ADDRESS_STATUS_UNSPECIFIED) {
    p.set_address_status(cms::v1::ADDRESS_STATUS_OK);
  }
  if (!cms::v1::EmploymentStatus_IsValid(p.employment_status())) {
    errors.Add(Path(prefix, "employment_status"), "unknown value");
  }
  if (p.employment_status() == cms::v1::EMPLOYMENT_STATUS_UNSPECIFIED) {
    p.set_employment_status(cms::v1::EMPLOYMENT_STATUS_UNKNOWN);
  }
  if (p.phone().size() > 40) errors.Add(Path(prefix, "phone"), "at most 40 characters");
  if (!p.email().empty() && (p.email().size() > 254 || !absl::StrContains(p.email(), '@'))) {
    errors.Add(Path(prefix, "email"), "not an email address");
  }
  if (auto problem =
          domain::AmountProblem(p.weekly_gross_income_pence(), domain::AmountSign::kZeroOrMore)) {
    errors.Add(Path(prefix, "weekly_gross_income_pence"), *problem);
  }
  for (const auto& e : p.employers()) {
    if (auto problem = domain::NameProblem(e.name(), 200)) {
      errors.Add(Path(prefix, "employers.name"), *problem);
      break;
    }
  }
  return p;
}

void ValidateChildren(const google::protobuf::RepeatedPtrField<cms::v1::QualifyingChild>& kids,
                      FieldErrors& errors) {
  if (kids.empty()) errors.Add("children", "at least one qualifying child (C2.2)");
  for (int i = 0; i < kids.size(); ++i) {
    const auto& k = kids[i];
    if (auto problem = domain::NameProblem(k.given_name(), 100)) {
      errors.Add(absl::StrCat("children[", i, "].given_name"), *problem);
    }
    // A child's family name may be left out (the PP's is then assumed).
    if (auto problem = domain::NameProblem(k.family_name(), 100);
        problem && !k.family_name().empty()) {
      errors.Add(absl::StrCat("children[", i, "].family_name"), *problem);
    }
    if (IsSet(k.date_of_birth()) && !IsValidDate(k.date_of_birth())) {
      errors.Add(absl::StrCat("children[", i, "].date_of_birth"), "not a calendar date");
    }
  }
}

void CheckBornBy(const cms::v1::Person& p, absl::string_view prefix, absl::CivilDay today,
                 FieldErrors& errors) {
  if (!IsSet(p.date_of_birth()) || !IsValidDate(p.date_of_birth())) return;
  if (auto problem = domain::DateOfBirthProblem(CivilDayOf(p.date_of_birth()), today)) {
    errors.Add(Path(prefix, "date_of_birth"), *problem);
  }
}

void CheckChildrenBornBy(const google::protobuf::RepeatedPtrField<cms::v1::QualifyingChild>& kids,
                         absl::CivilDay today, FieldErrors& errors) {
  for (int i = 0; i < kids.size(); ++i) {
    const auto& dob = kids[i].date_of_birth();
    if (!IsSet(dob) || !IsValidDate(dob)) continue;
    if (auto problem = domain::DateOfBirthProblem(CivilDayOf(dob), today)) {
      errors.Add(absl::StrCat("children[", i, "].date_of_birth"), *problem);
    }
  }
}

void ValidateLegacy(const cms::v1::LegacyLink& l, absl::string_view prefix, FieldErrors& errors) {
  if (l.system() == cms::v1::LEGACY_SYSTEM_UNSPECIFIED ||
      !cms::v1::LegacySystem_IsValid(l.system())) {
    errors.Add(Path(prefix, "system"), "CSCS, CS2 or CCD");
  }
  if (l.legacy_case_reference().size() > 64) {
    errors.Add(Path(prefix, "legacy_case_reference"), "at most 64 characters");
  }
  if (IsSet(l.t_date()) && !IsValidDate(l.t_date())) {
    errors.Add(Path(prefix, "t_date"), "not a calendar date");
  }
  for (const std::string& a : l.active_enforcement_actions()) {
    if (a.empty() || absl::StrContains(a, ',') || a.size() > 32) {
      errors.Add(Path(prefix, "active_enforcement_actions"), "1..32 characters, no commas");
      break;
    }
  }
  if (auto problem =
          domain::AmountProblem(l.csa_debt_to_migrate_pence(), domain::AmountSign::kZeroOrMore)) {
    errors.Add(Path(prefix, "csa_debt_to_migrate_pence"), *problem);
  }
}

}  // namespace cms::app
