#include "server/domain/mp.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

bool Blank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

bool ValidDate(const cms::v1::Date& d) {
  if (d.year() < 1900 || d.year() > 9999) return false;
  const absl::CivilDay day(d.year(), d.month(), d.day());
  return day.year() == d.year() && day.month() == d.month() && day.day() == d.day();
}

// A required name: not blank, at most 200 characters.
void RequireName(FieldErrors& errors, const char* field, absl::string_view value,
                 absl::string_view what) {
  if (Blank(value) || value.size() > 200) {
    errors.Add(field, absl::StrCat("required, at most 200 characters: ", what));
  }
}

}  // namespace

bool MpKindNamesAClient(cms::v1::MpEnquiryKind kind) {
  return kind == cms::v1::MP_ENQUIRY_KIND_CASE_ENQUIRY ||
         kind == cms::v1::MP_ENQUIRY_KIND_COMPLAINT;
}

absl::Status ValidateMpIntake(const cms::v1::CreateMpEnquiryRequest& req, absl::CivilDay today) {
  FieldErrors errors;
  if (req.country() != cms::v1::COUNTRY_GB && req.country() != cms::v1::COUNTRY_NI) {
    errors.Add("country", "GB or NI: which government relations team");
  }
  const bool kind_known = req.kind() != cms::v1::MP_ENQUIRY_KIND_UNSPECIFIED &&
                          cms::v1::MpEnquiryKind_IsValid(req.kind());
  if (!kind_known) {
    errors.Add("kind", "GENERAL_ENQUIRY, CASE_ENQUIRY, PARLIAMENTARY_QUESTION or COMPLAINT");
  }
  if (req.channel() == cms::v1::MP_CHANNEL_UNSPECIFIED ||
      !cms::v1::MpChannel_IsValid(req.channel())) {
    errors.Add("channel", "REGIONAL_HOTLINE, LETTER or EMAIL");
  }
  RequireName(errors, "mp_name", req.mp_name(), "the MP's name");
  RequireName(errors, "mp_constituency", req.mp_constituency(), "the MP's constituency");
  if (Blank(req.question()) || req.question().size() > 4000) {
    errors.Add("question", "1..4000 characters: what the MP asks");
  }
  if (!ValidDate(req.received_date())) {
    errors.Add("received_date", "required: a calendar date");
  } else if (absl::CivilDay(req.received_date().year(), req.received_date().month(),
                            req.received_date().day()) > today) {
    errors.Add("received_date", "today or earlier");
  }
  if (req.constituent_name().size() > 200) {
    errors.Add("constituent_name", "at most 200 characters");
  }
  if (req.constituent_person_id() < 0) errors.Add("constituent_person_id", "a person id");
  if (req.case_id() < 0) errors.Add("case_id", "a case id");
  if (kind_known) {
    const std::string kind = ShortName(req.kind());
    if (MpKindNamesAClient(req.kind())) {
      if (Blank(req.constituent_name())) {
        RequireName(errors, "constituent_name", req.constituent_name(),
                    absl::StrCat("the constituent a ", kind, " is for"));
      }
      if (req.constituent_person_id() == 0) {
        errors.Add("constituent_person_id",
                   absl::StrCat("required for a ", kind, ": the constituent's person id"));
      }
    } else {
      if (req.constituent_person_id() > 0) {
        errors.Add("constituent_person_id",
                   absl::StrCat("a ", kind,
                                " names no client: an enquiry about a client's case is a "
                                "CASE_ENQUIRY or a COMPLAINT"));
      }
      if (req.kind() == cms::v1::MP_ENQUIRY_KIND_PARLIAMENTARY_QUESTION &&
          !Blank(req.constituent_name())) {
        errors.Add("constituent_name", "a PARLIAMENTARY_QUESTION is asked for no constituent");
      }
    }
    if (req.kind() == cms::v1::MP_ENQUIRY_KIND_CASE_ENQUIRY && req.case_id() == 0) {
      errors.Add("case_id", "required for a CASE_ENQUIRY: the constituent's case");
    }
    if (!MpKindNamesAClient(req.kind()) && req.case_id() > 0) {
      errors.Add("case_id", absl::StrCat("a ", kind,
                                         " names no case: an enquiry about a case is a "
                                         "CASE_ENQUIRY or a COMPLAINT"));
    }
  }
  return errors.ToStatus("AG11.4");
}

CaseParty PartyOfCase(const cms::v1::Case& k, int64_t person_id) {
  if (person_id <= 0) return CaseParty::kNone;
  if (k.paying_parent_id() == person_id) return CaseParty::kPayingParent;
  if (k.receiving_parent_id() == person_id) return CaseParty::kReceivingParent;
  return CaseParty::kNone;
}

absl::Status CheckConstituentIsParty(const cms::v1::Case& k, int64_t person_id) {
  if (PartyOfCase(k, person_id) != CaseParty::kNone) return absl::OkStatus();
  return RuleViolation(
      "AG11.4", absl::StrCat("the constituent (person ", person_id,
                             ") is neither the paying parent nor the receiving parent of case ",
                             k.id(), ": an MP's case enquiry must name a case of the constituent"));
}

Jurisdiction MpJurisdiction(cms::v1::Country country) {
  return country == cms::v1::COUNTRY_NI ? Jurisdiction::kNorthernIreland
                                        : Jurisdiction::kEnglandAndWales;
}

int MpResponseWorkingDays(cms::v1::MpEnquiryKind kind) {
  return kind == cms::v1::MP_ENQUIRY_KIND_PARLIAMENTARY_QUESTION
             ? kMpParliamentaryQuestionWorkingDays
             : kMpResponseWorkingDays;
}

absl::StatusOr<absl::CivilDay> MpResponseDue(absl::CivilDay received, cms::v1::MpEnquiryKind kind,
                                             cms::v1::Country country,
                                             const WorkingDayCalendar& calendar) {
  return calendar.AddWorkingDays(MpJurisdiction(country), received, MpResponseWorkingDays(kind));
}

absl::string_view MpStepName(MpStep step) {
  switch (step) {
    case MpStep::kValidate:
      return "validated";
    case MpStep::kReject:
      return "rejected";
    case MpStep::kAnswer:
      return "answered";
    case MpStep::kClose:
      return "closed";
  }
  return "";
}

absl::Status CheckMpStep(cms::v1::MpEnquiryState state, MpStep step) {
  using cms::v1::MpEnquiryState;
  if (state == cms::v1::MP_ENQUIRY_STATE_CLOSED) {
    return RuleViolation("AG11.4", absl::StrCat("the enquiry is closed: it cannot be ",
                                                MpStepName(step), " (a closed enquiry is final)"));
  }
  if (state == cms::v1::MP_ENQUIRY_STATE_REJECTED) {
    return RuleViolation("AG11.4",
                         absl::StrCat("the enquiry was rejected at validation: it cannot be ",
                                      MpStepName(step), " (a rejected enquiry is final)"));
  }
  MpEnquiryState from = cms::v1::MP_ENQUIRY_STATE_UNSPECIFIED;
  absl::string_view first;
  switch (step) {
    case MpStep::kValidate:
    case MpStep::kReject:
      from = cms::v1::MP_ENQUIRY_STATE_RECEIVED;
      first = "it was validated already";
      break;
    case MpStep::kAnswer:
      from = cms::v1::MP_ENQUIRY_STATE_VALIDATED;
      first = state == cms::v1::MP_ENQUIRY_STATE_RECEIVED ? "validate it first"
                                                          : "it was answered already";
      break;
    case MpStep::kClose:
      from = cms::v1::MP_ENQUIRY_STATE_ANSWERED;
      first = "record the answer first";
      break;
  }
  if (state == from) return absl::OkStatus();
  return RuleViolation("AG11.4", absl::StrCat("a ", ShortName(state), " enquiry cannot be ",
                                              MpStepName(step), ": ", first,
                                              " (RECEIVED → "
                                              "VALIDATED → ANSWERED → CLOSED)"));
}

cms::v1::MpEnquiryState MpStateAfter(MpStep step) {
  switch (step) {
    case MpStep::kValidate:
      return cms::v1::MP_ENQUIRY_STATE_VALIDATED;
    case MpStep::kReject:
      return cms::v1::MP_ENQUIRY_STATE_REJECTED;
    case MpStep::kAnswer:
      return cms::v1::MP_ENQUIRY_STATE_ANSWERED;
    case MpStep::kClose:
      return cms::v1::MP_ENQUIRY_STATE_CLOSED;
  }
  return cms::v1::MP_ENQUIRY_STATE_UNSPECIFIED;
}

absl::Status CheckMpCanAnswer(const cms::v1::MpEnquiry& e) {
  if (absl::Status s = CheckMpStep(e.state(), MpStep::kAnswer); !s.ok()) return s;
  if (e.input_service_request_id() != 0 && !e.input_received()) {
    return RuleViolation(
        "AG11.4",
        absl::StrCat("the case's owning segment has not given its input yet: MP Enquiry Input SR ",
                     e.input_service_request_id(),
                     " is still open (the answer rests on the case owner's word)"));
  }
  return absl::OkStatus();
}

}  // namespace cms::domain
