// AG11.3: Freedom of Information requests: what an intake must carry, the
// handling its personal data calls for, and the statutory deadline. Pure
// and thread-safe.
//
// Decisions where the SPEC and the procedure are silent:
// - "Full name" is at least two names (a forename and a surname: words
//   separated by spaces, each with a letter); one word is refused.
// - An email address is one '@' with text before it and a domain with a
//   dot after it, no spaces; a postal address is free text of at least 10
//   characters with a digit or a comma (a house number or a line break
//   written as a comma), the postcode not being checked.
// - The deadline is the 20th working day after the day received (that day
//   not counted), on the calendar of the FOI team's country: England and
//   Wales for GB, Northern Ireland for NI.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "cms/v1/foi.pb.h"
#include "server/domain/working_days.h"

namespace cms::domain {

inline constexpr int kFoiResponseWorkingDays = 20;

bool IsFullName(absl::string_view name);
bool IsEmailAddress(absl::string_view email);
bool IsPostalAddress(absl::string_view address);

// INVALID_ARGUMENT (rule AG11.3) naming each missing or bad field of the
// intake; the day received may not be after `today`.
absl::Status ValidateFoiIntake(const cms::v1::CreateFoiRequestRequest& req, absl::CivilDay today);

// LIVING_PERSON → DATA_PROTECTION, DECEASED_PERSON → DUTY_OF_CONFIDENTIALITY,
// NONE → FOI_ACT; UNSPECIFIED → UNSPECIFIED.
cms::v1::FoiHandling FoiHandlingOf(cms::v1::FoiPersonalData p);

// The calendar the FOI team of `country` counts on.
Jurisdiction FoiJurisdiction(cms::v1::Country country);

// The 20th working day after `received` (OUT_OF_RANGE past the calendar).
absl::StatusOr<absl::CivilDay> FoiResponseDue(absl::CivilDay received, cms::v1::Country country,
                                              const WorkingDayCalendar& calendar);

}  // namespace cms::domain
