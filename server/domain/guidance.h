// AG11.1: Advice and Guidance requests: what a special client records
// (SCR) private question may not carry, who may ask one, and the states of
// a private request and of an A&G SR's answer. Who reads and answers an
// answer is the need-to-know matrix's (domain/access.h, GuidanceRoleOf).
// Pure and thread-safe.
//
// Decisions where the SPEC and the procedure are silent (the procedure:
// SCR e-mail A&G "to ensure that the question is specific and does not
// compromise the sensitive client by revealing personal information"):
// - A private question is refused (INVALID_ARGUMENT naming `question`, rule
//   AG11.1, the kinds found named, the values never echoed) when it carries
//   a client identifier the server can recognise in free text:
//   * a National Insurance number: two letters and six digits, with or
//     without the suffix letter A-D, written together or in pairs
//     separated by spaces or hyphens ("QQ 12 34 56 C", "qq123456c"); the
//     HMRC prefix rules are not applied (a mistyped NINO is still a NINO).
//     Lower-case letters separated from the digits count only with the
//     suffix: "in 12 34 56" is text, "qq 12 34 56 c" a NINO;
//   * a full UK postcode (outward and inward code, any case, with or
//     without the space: "SW1A 1AA", "sw1a1aa"); an outward code alone
//     ("LS1") names a district, not a client, and passes, as do ordinals
//     ("Q1 2nd");
//   * an email address;
//   * a phone number: a run of digits (with spaces, hyphens, brackets)
//     starting with 0 that reaches 10 or 11 digits at the end of a group,
//     or starting with + that reaches 10 to 15 (money is written with a £,
//     commas or a decimal point and never starts with 0);
//   * a CMS reference in the forms this system prints: "case 17", "Case
//     reference: 17" (letters), "casegroup 12" / "case group 12", "person
//     7", "party 7", "SR 45" / "service request 45", and the cmsctl JSON
//     keys ("casegroup_id": "12"), with "id", "ref", "reference", "no",
//     "number" and ":#=" between word and number. A rule id (SR5.7, AR10.6)
//     is not a reference; "in case 2 ..." is English, not a reference;
//   * a date of birth: a full date (day, month and year: 15/03/1985,
//     1985-03-15, 15 March 1985, March 15, 1985) more than 6 years before
//     today, or any year or full date within 40 characters after a birth
//     word ("born", "birth", "DOB", "D.O.B."). Recent dates (a payment, a
//     decision, a hearing) pass; an older one is given as month and year
//     ("March 2019"), which passes.
//   Names cannot be recognised in free text: keeping the client's name out
//   stays the SCR caseworker's duty, as it was by e-mail.
// - Only SCR caseworkers and team leaders ask privately (the procedure's
//   "caseworkers within the special client records team"); the country
//   picks the A&G team (GB or NI) and may be either.
// - A private request is OPEN (on A&G's queue) -> ANSWERED -> CLOSED (the
//   raiser or their team leader has read it); an OPEN one may be closed
//   unanswered (withdrawn). An answer is never changed: a correction is a
//   new entry superseding it, allowed while ANSWERED or CLOSED.
// - An A&G SR is closed by its answer only; it may be cancelled. No A&G SR
//   may be raised on an SCR casegroup (the private request is the way).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/common.pb.h"
#include "cms/v1/guidance.pb.h"

namespace cms::domain {

inline constexpr char kGuidanceSrType[] = "ADVICE_AND_GUIDANCE";
inline constexpr char kGuidanceAnsweredResolution[] = "Answered";
inline constexpr char kGuidanceQuestionField[] = "Question";
inline constexpr int kMaxGuidanceTextChars = 4000;
inline constexpr int kMaxCorrectionReasonChars = 2000;
// A full date further back than this is taken for a date of birth.
inline constexpr int kDateOfBirthYears = 6;

enum class ClientIdentifier {
  kNationalInsuranceNumber,
  kPostcode,
  kEmailAddress,
  kPhoneNumber,
  kCmsReference,
  kDateOfBirth,
};

// "a National Insurance number", "a UK postcode", ...
absl::string_view DescribeIdentifier(ClientIdentifier kind);

// Each kind of client identifier found in `text` (once, in the enum's
// order); `today` dates the date-of-birth check.
std::vector<ClientIdentifier> FindClientIdentifiers(absl::string_view text, absl::CivilDay today);

// INVALID_ARGUMENT (rule AG11.1) naming `question`: empty or blank, more
// than 4000 characters, or carrying a client identifier.
absl::Status ValidatePrivateQuestion(absl::string_view question, absl::CivilDay today);

// INVALID_ARGUMENT (rule AG11.1) naming `field` unless 1..`max_chars`
// characters with something other than spaces.
absl::Status ValidateGuidanceText(absl::string_view field, absl::string_view text,
                                  int max_chars = kMaxGuidanceTextChars);

// AG11.1: SCR caseworkers and team leaders ask A&G privately.
bool MayAskPrivately(cms::v1::Role role, cms::v1::ServiceSegment caller_segment);

// AG11.1: no A&G SR on a casegroup owned by special client records
// (FAILED_PRECONDITION naming AG11.1 and the private request); OK for any
// other type or owner.
absl::Status CheckGuidanceSrAllowed(absl::string_view type_code,
                                    cms::v1::ServiceSegment casegroup_owner);

// AG11.1: an SR of this type is closed by its answer, never by a caller's
// status change (ADVICE_AND_GUIDANCE).
bool ClosedByAnswerOnly(absl::string_view type_code);

// AG11.1 state rules of a private request (FAILED_PRECONDITION naming
// AG11.1): answered once, while OPEN; closed once.
absl::Status CheckCanAnswerPrivate(const cms::v1::PrivateGuidanceRequest& r);
absl::Status CheckCanClosePrivate(const cms::v1::PrivateGuidanceRequest& r);

// How A&G see the raising team: "<segment description>, <GB|NI>, <team>".
std::string RaisingTeamLabel(absl::string_view segment_description, cms::v1::Country country,
                             absl::string_view team_name);

}  // namespace cms::domain
