// Validation and normalisation of parties and applications (C2.1, C2.2):
// every bad field is named, under the given path prefix. Pure.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/casegroup.pb.h"
#include "server/app/dates.h"
#include "server/base/errors.h"

namespace cms::app {

// Returns `p` with NINO and postcodes normalised, or adds each bad field
// (e.g. "paying_parent.new_person.nino") to `errors` and returns `p` as is.
cms::v1::Person NormalisePerson(const cms::v1::Person& p, absl::string_view prefix,
                                FieldErrors& errors);

void ValidateChildren(const google::protobuf::RepeatedPtrField<cms::v1::QualifyingChild>& kids,
                      FieldErrors& errors);
// Dates of birth are not after business `today` (issue 17): the person's
// at `prefix`, or each child's. Checked inside the command, where business
// today is known.
void CheckBornBy(const cms::v1::Person& p, absl::string_view prefix, absl::CivilDay today,
                 FieldErrors& errors);
void CheckChildrenBornBy(const google::protobuf::RepeatedPtrField<cms::v1::QualifyingChild>& kids,
                         absl::CivilDay today, FieldErrors& errors);
void ValidateLegacy(const cms::v1::LegacyLink& legacy, absl::string_view prefix,
                    FieldErrors& errors);

}  // namespace cms::app
