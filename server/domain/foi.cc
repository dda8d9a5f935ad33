#include "server/domain/foi.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

bool HasLetter(absl::string_view word) {
  for (char ch : word) {
    if (absl::ascii_isalpha(static_cast<unsigned char>(ch)) ||
        static_cast<unsigned char>(ch) >= 0x80) {
      return true;
    }
  }
  return false;
}

bool ValidDate(const cms::v1::Date& d) {
  if (d.year() < 1900 || d.year() > 9999) return false;
  const absl::CivilDay day(d.year(), d.month(), d.day());
  return day.year() == d.year() && day.month() == d.month() && day.day() == d.day();
}

}  // namespace

bool IsFullName(absl::string_view name) {
  int words = 0;
  for (absl::string_view w : absl::StrSplit(name, ' ', absl::SkipWhitespace())) {
    if (!HasLetter(w)) return false;
    ++words;
  }
  return words >= 2 && name.size() <= 200;
}

bool IsEmailAddress(absl::string_view email) {
  if (email.size() > 254 || absl::StrContains(email, ' ')) return false;
  const std::vector<absl::string_view> parts = absl::StrSplit(email, '@');
  if (parts.size() != 2 || parts[0].empty()) return false;
  const absl::string_view domain = parts[1];
  const size_t dot = domain.find('.');
  return dot != absl::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

bool IsPostalAddress(absl::string_view address) {
  const absl::string_view a = absl::StripAsciiWhitespace(address);
  if (a.size() < 10 || a.size() > 500) return false;
  for (char ch : a) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(ch)) || ch == ',' || ch == '\n') return true;
  }
  return false;
}

absl::Status ValidateFoiIntake(const cms::v1::CreateFoiRequestRequest& req, absl::CivilDay today) {
  FieldErrors errors;
  if (req.country() != cms::v1::COUNTRY_GB && req.country() != cms::v1::COUNTRY_NI) {
    errors.Add("country", "GB or NI: which FOI team");
  }
  if (!IsFullName(req.requester_full_name())) {
    errors.Add("requester_full_name",
               "required: the requester's full name, a forename and a surname");
  }
  const bool postal = !absl::StripAsciiWhitespace(req.postal_address()).empty();
  const bool email = !absl::StripAsciiWhitespace(req.email_address()).empty();
  if (!postal && !email) {
    errors.Add("postal_address", "a postal or an email address is required for the response");
    errors.Add("email_address", "a postal or an email address is required for the response");
  }
  if (postal && !IsPostalAddress(req.postal_address())) {
    errors.Add("postal_address", "10..500 characters with a house number or lines");
  }
  if (email && !IsEmailAddress(req.email_address())) {
    errors.Add("email_address", "not an email address");
  }
  if (req.channel() == cms::v1::FOI_CHANNEL_UNSPECIFIED ||
      !cms::v1::FoiChannel_IsValid(req.channel())) {
    errors.Add("channel", "LETTER or EMAIL: FOI requests come in writing");
  }
  if (!ValidDate(req.received_date())) {
    errors.Add("received_date", "required: a calendar date");
  } else if (absl::CivilDay(req.received_date().year(), req.received_date().month(),
                            req.received_date().day()) > today) {
    errors.Add("received_date", "today or earlier");
  }
  if (absl::StripAsciiWhitespace(req.request_text()).empty() || req.request_text().size() > 4000) {
    errors.Add("request_text", "1..4000 characters: what is asked for");
  }
  if (req.personal_data() == cms::v1::FOI_PERSONAL_DATA_UNSPECIFIED ||
      !cms::v1::FoiPersonalData_IsValid(req.personal_data())) {
    errors.Add("personal_data", "NONE, LIVING_PERSON or DECEASED_PERSON");
  }
  return errors.ToStatus("AG11.3");
}

cms::v1::FoiHandling FoiHandlingOf(cms::v1::FoiPersonalData p) {
  switch (p) {
    case cms::v1::FOI_PERSONAL_DATA_NONE:
      return cms::v1::FOI_HANDLING_FOI_ACT;
    case cms::v1::FOI_PERSONAL_DATA_LIVING_PERSON:
      return cms::v1::FOI_HANDLING_DATA_PROTECTION;
    case cms::v1::FOI_PERSONAL_DATA_DECEASED_PERSON:
      return cms::v1::FOI_HANDLING_DUTY_OF_CONFIDENTIALITY;
    default:
      return cms::v1::FOI_HANDLING_UNSPECIFIED;
  }
}

Jurisdiction FoiJurisdiction(cms::v1::Country country) {
  return country == cms::v1::COUNTRY_NI ? Jurisdiction::kNorthernIreland
                                        : Jurisdiction::kEnglandAndWales;
}

absl::StatusOr<absl::CivilDay> FoiResponseDue(absl::CivilDay received, cms::v1::Country country,
                                              const WorkingDayCalendar& calendar) {
  return calendar.AddWorkingDays(FoiJurisdiction(country), received, kFoiResponseWorkingDays);
}

}  // namespace cms::domain
