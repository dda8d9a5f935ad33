// AG11.4: contact from Members of Parliament: what an intake must carry,
// the validation of a case enquiry (the constituent is a party of the case
// named), the response deadline and the enquiry's state machine. Pure and
// thread-safe.
//
// Decisions where the SPEC and the procedure are silent:
// - Intake refuses malformed input only (each missing or bad field named,
//   INVALID_ARGUMENT AG11.4); the facts are checked when the government
//   relations team validates the enquiry ("the contact will be validated
//   and then the query should be answered"): whoever takes an MP's call
//   logs what the MP said, and the team judges it.
// - The MP is named by name and constituency, both required (two MPs may
//   share a name; the constituency says whose constituent it is). A case
//   enquiry names the case and the constituent (name and person id); a
//   complaint on behalf of a constituent names the constituent (name and
//   person id) and may name a case; a general enquiry may name a
//   constituent (name only); a parliamentary question names none. A case
//   or person id on the kinds that take none is refused: a general enquiry
//   about a client is a case enquiry.
// - The party rule: the constituent is the paying parent or the receiving
//   parent of the case. A qualifying child is not a person with an id here
//   (a case carries its children's names only), so an MP writing for a
//   child names the parent with care.
// - The deadline is the 20th working day after the day received (that day
//   not counted; as for FOI) and the 5th for a parliamentary question (the
//   minister answers an ordinary written question within a sitting week),
//   on the calendar of the team's country: England and Wales for GB,
//   Northern Ireland for NI.
// - States: RECEIVED → VALIDATED → ANSWERED → CLOSED, or RECEIVED →
//   REJECTED at validation (with a reason). REJECTED and CLOSED are final.
//   A validated enquiry whose case's owning segment was asked for input is
//   answered once that input SR has ended (closed, or cancelled by its
//   owner): the answer to an MP about a case rests on the case owner's
//   word.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/mp.pb.h"
#include "server/domain/working_days.h"

namespace cms::domain {

inline constexpr int kMpResponseWorkingDays = 20;
inline constexpr int kMpParliamentaryQuestionWorkingDays = 5;

// A case enquiry or a complaint: the kinds that name a constituent person.
bool MpKindNamesAClient(cms::v1::MpEnquiryKind kind);

// INVALID_ARGUMENT (rule AG11.4) naming each missing or bad field of the
// intake; the day received may not be after `today`.
absl::Status ValidateMpIntake(const cms::v1::CreateMpEnquiryRequest& req, absl::CivilDay today);

// Who `person_id` is on case `k`.
enum class CaseParty { kNone, kPayingParent, kReceivingParent };
CaseParty PartyOfCase(const cms::v1::Case& k, int64_t person_id);

// FAILED_PRECONDITION AG11.4 unless the constituent is a party of case `k`.
absl::Status CheckConstituentIsParty(const cms::v1::Case& k, int64_t person_id);

// The calendar the government relations team of `country` counts on.
Jurisdiction MpJurisdiction(cms::v1::Country country);

// 5 for a parliamentary question, else 20.
int MpResponseWorkingDays(cms::v1::MpEnquiryKind kind);

// The answer's deadline (OUT_OF_RANGE past the calendar).
absl::StatusOr<absl::CivilDay> MpResponseDue(absl::CivilDay received, cms::v1::MpEnquiryKind kind,
                                             cms::v1::Country country,
                                             const WorkingDayCalendar& calendar);

// The team's steps on an enquiry.
enum class MpStep { kValidate, kReject, kAnswer, kClose };
absl::string_view MpStepName(MpStep step);

// FAILED_PRECONDITION AG11.4 unless `step` may be taken from `state`:
// validate or reject a RECEIVED enquiry, answer a VALIDATED one, close an
// ANSWERED one; a CLOSED or REJECTED enquiry refuses every step.
absl::Status CheckMpStep(cms::v1::MpEnquiryState state, MpStep step);

// The state `step` leads to.
cms::v1::MpEnquiryState MpStateAfter(MpStep step);

// CheckMpStep(kAnswer), and the input the case's owning segment was asked
// for has come back (its SR ended).
absl::Status CheckMpCanAnswer(const cms::v1::MpEnquiry& e);

}  // namespace cms::domain
