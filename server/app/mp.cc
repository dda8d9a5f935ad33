#include "server/app/mp.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/app/dates.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/mp.h"
#include "server/store/bom_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/mp_repo.h"
#include "server/store/party_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::MpEnquiry;

// The country whose government relations team `actor` is in, or nullopt.
std::optional<cms::v1::Country> TeamCountry(const Actor& actor) {
  if (actor.service_segment != cms::v1::SERVICE_SEGMENT_GOVERNMENT_RELATIONS) return std::nullopt;
  return actor.segment_country;
}

bool ReadsEveryEnquiry(const Actor& actor) {
  return actor.role == cms::v1::ROLE_SERVICE_MANAGEMENT || actor.role == cms::v1::ROLE_AUDITOR;
}

// Reads: the government relations team of the enquiry's country, service
// management and auditors.
absl::Status CheckCanRead(const Actor& actor, const MpEnquiry& e) {
  if (ReadsEveryEnquiry(actor)) return absl::OkStatus();
  const std::optional<cms::v1::Country> team = TeamCountry(actor);
  if (team && *team == e.country()) return absl::OkStatus();
  return PermissionDenied(absl::StrCat("MP enquiries are read by the ", ShortName(e.country()),
                                       " government relations team only: they name "
                                       "constituents and their cases"),
                          "AG11.4");
}

// Changes: the government relations team of the enquiry's country (its
// caseworkers and team leaders: the role matrix).
absl::Status CheckCanWork(const Actor& actor, const MpEnquiry& e) {
  const std::optional<cms::v1::Country> team = TeamCountry(actor);
  if (team && *team == e.country()) return absl::OkStatus();
  return PermissionDenied(absl::StrCat("MP enquiry ", e.id(), " is the ", ShortName(e.country()),
                                       " government relations team's to work"),
                          "AG11.4");
}

void SetAge(MpEnquiry& e, absl::CivilDay today) {
  e.set_age_days(static_cast<int32_t>(today - CivilDayOf(e.received_date())));
}

void AddEvent(MpEnquiry& e, Command& c, cms::v1::MpEnquiryEventKind kind, std::string detail,
              int64_t sr_id = 0) {
  cms::v1::MpEnquiryEvent* ev = e.add_history();
  *ev->mutable_event_time() = TimestampOf(c.now());
  ev->set_kind(kind);
  ev->set_actor(c.actor().staff_id);
  ev->set_detail(std::move(detail));
  ev->set_service_request_id(sr_id);
}

std::string Trimmed(absl::string_view s) { return std::string(absl::StripAsciiWhitespace(s)); }

// `text` cut to `max` bytes at a character boundary, with "…" when cut.
std::string Cut(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(text.substr(0, end), "…");
}

// The enquiry's id, etag and state, read and locked for a team's step:
// NOT_FOUND, PERMISSION_DENIED AG11.4 (not the owning team), ABORTED
// (stale etag), FAILED_PRECONDITION AG11.4 (the state refuses the step).
absl::StatusOr<MpEnquiry> LoadForStep(Command& c, int64_t id, const std::string& etag,
                                      domain::MpStep step) {
  CMS_ASSIGN_OR_RETURN(MpEnquiry e, store::GetMpEnquiry(c.tx(), id, /*for_update=*/true));
  CMS_RETURN_IF_ERROR(CheckCanWork(c.actor(), e));
  CMS_RETURN_IF_ERROR(CheckEtag(etag, e.etag(), "etag", "MP enquiry", absl::StrCat(e.id())));
  CMS_RETURN_IF_ERROR(domain::CheckMpStep(e.state(), step));
  return e;
}

// The id of a team's step: required.
void RequireId(int64_t id, FieldErrors& errors) {
  if (id <= 0) errors.Add("id", "required: the MP enquiry");
}

}  // namespace

absl::Status MpApp::Create(const Actor& actor, const cms::v1::CreateMpEnquiryRequest& req,
                           MpEnquiry* out) {
  return commands_.Run(
      actor, "CreateMpEnquiry", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        const absl::CivilDay today = commands_.clock().Today(c.now());
        CMS_RETURN_IF_ERROR(domain::ValidateMpIntake(req, today));
        const absl::CivilDay received = CivilDayOf(req.received_date());
        auto due = domain::MpResponseDue(received, req.kind(), req.country(), calendar_);
        if (!due.ok()) {
          return RuleViolation("AG11.4", absl::StrCat("the answer's deadline is past the bank "
                                                      "holidays the service knows: ",
                                                      due.status().message()));
        }
        int64_t segment = 0;
        CMS_ASSIGN_OR_RETURN(auto live, store::ListLiveSegments(c.tx(), req.country()));
        for (const cms::v1::Segment& s : live) {
          if (s.service_segment() == cms::v1::SERVICE_SEGMENT_GOVERNMENT_RELATIONS) {
            segment = s.id();
          }
        }
        if (segment == 0) {
          return RuleViolation("AG11.4", absl::StrCat("there is no live government relations "
                                                      "segment in ",
                                                      ShortName(req.country())));
        }
        MpEnquiry e;
        e.set_country(req.country());
        e.set_owning_segment_id(segment);
        e.set_kind(req.kind());
        e.set_channel(req.channel());
        e.set_mp_name(Trimmed(req.mp_name()));
        e.set_mp_constituency(Trimmed(req.mp_constituency()));
        e.set_constituent_name(Trimmed(req.constituent_name()));
        e.set_constituent_person_id(req.constituent_person_id());
        e.set_case_id(req.case_id());
        e.set_question(req.question());
        *e.mutable_received_date() = req.received_date();
        *e.mutable_response_due_date() = DateOf(*due);
        e.set_state(cms::v1::MP_ENQUIRY_STATE_RECEIVED);
        e.set_overdue(*due < today);
        e.set_logged_by(c.actor().staff_id);
        AddEvent(e, c, cms::v1::MP_ENQUIRY_EVENT_KIND_LOGGED,
                 absl::StrCat(ShortName(req.kind()), " from ", e.mp_name(), " (",
                              e.mp_constituency(), ") by ", ShortName(req.channel()), ", received ",
                              absl::FormatCivilTime(received), "; the answer is due by ",
                              absl::FormatCivilTime(*due), " (",
                              domain::MpResponseWorkingDays(req.kind()), " working days)"));
        CMS_ASSIGN_OR_RETURN(e, store::InsertMpEnquiry(c.tx(), e, c.now_us()));
        // Overdue as the day after the deadline begins.
        CMS_RETURN_IF_ERROR(
            store::ScheduleTimer(c.tx(),
                                 {kMpDeadlineTimer, e.id(), commands_.clock().StartOf(*due + 1), "",
                                  absl::StrCat(kMpDeadlineTimer, "/", e.id())},
                                 c.now_us())
                .status());
        c.Audit("mp_enquiry", absl::StrCat(e.id()), nullptr, e);
        SetAge(e, today);
        *out = e;
        return absl::OkStatus();
      });
}

absl::Status MpApp::Get(const Actor& actor, const cms::v1::GetMpEnquiryRequest& req,
                        MpEnquiry* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, store::GetMpEnquiry(tx, req.id()));
    CMS_RETURN_IF_ERROR(CheckCanRead(actor, *out));
    if (out->input_service_request_id() != 0) {
      // The case owner's input: the notes on the input SR, written for the
      // team (the SR itself stays the owning segment's, X13.1).
      PageRequest all;
      all.limit = kMaxPageSize;
      CMS_ASSIGN_OR_RETURN(auto notes, store::ListNotes(tx, cms::v1::NOTE_SUBJECT_SERVICE_REQUEST,
                                                        out->input_service_request_id(), all));
      for (cms::v1::Note& n : notes) *out->add_input_notes() = std::move(n);
    }
    SetAge(*out, commands_.clock().Today(now));
    return absl::OkStatus();
  });
}

absl::Status MpApp::List(const Actor& actor, const cms::v1::ListMpEnquiriesRequest& req,
                         cms::v1::ListMpEnquiriesResponse* out) {
  FieldErrors errors;
  if (!cms::v1::MpEnquiryState_IsValid(req.state())) errors.Add("state", "unknown value");
  if (!cms::v1::MpEnquiryKind_IsValid(req.kind())) errors.Add("kind", "unknown value");
  if (!cms::v1::Country_IsValid(req.country())) errors.Add("country", "unknown value");
  CMS_RETURN_IF_ERROR(errors.ToStatus("AG11.4"));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  store::MpFilter filter{req.state(), req.kind(), req.country(), req.overdue_only()};
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    if (!ReadsEveryEnquiry(actor)) {
      // A government relations team sees its own country's; other staff
      // none (as rows a caller may not see are left out of a list, X13.1).
      const std::optional<cms::v1::Country> team = TeamCountry(actor);
      if (!team) return absl::OkStatus();
      if (filter.country != cms::v1::COUNTRY_UNSPECIFIED && filter.country != *team) {
        return absl::OkStatus();
      }
      filter.country = *team;
    }
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListMpEnquiries(tx, filter, page));
    const absl::CivilDay today = commands_.clock().Today(now);
    for (MpEnquiry& e : rows) {
      SetAge(e, today);
      *out->add_enquiries() = e;
    }
    if (static_cast<int>(rows.size()) == page.limit) {
      out->set_next_page_token(page.NextToken(rows.back().id()));
    }
    return absl::OkStatus();
  });
}

absl::Status MpApp::Validate(const Actor& actor, const cms::v1::ValidateMpEnquiryRequest& req,
                             MpEnquiry* out) {
  FieldErrors errors;
  RequireId(req.id(), errors);
  const bool reject = req.outcome() == cms::v1::MP_VALIDATION_OUTCOME_REJECTED;
  if (req.outcome() == cms::v1::MP_VALIDATION_OUTCOME_UNSPECIFIED ||
      !cms::v1::MpValidationOutcome_IsValid(req.outcome())) {
    errors.Add("outcome", "VALID or REJECTED");
  }
  const std::string reason = Trimmed(req.rejection_reason());
  if (reject && (reason.empty() || reason.size() > 2000)) {
    errors.Add("rejection_reason", "1..2000 characters: why the enquiry is rejected");
  }
  if (req.outcome() == cms::v1::MP_VALIDATION_OUTCOME_VALID && !reason.empty()) {
    errors.Add("rejection_reason", "only with outcome REJECTED");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("AG11.4"));
  return commands_.Run(
      actor, "ValidateMpEnquiry", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        const domain::MpStep step = reject ? domain::MpStep::kReject : domain::MpStep::kValidate;
        CMS_ASSIGN_OR_RETURN(MpEnquiry e, LoadForStep(c, req.id(), req.etag(), step));
        const MpEnquiry before = e;
        const absl::CivilDay today = commands_.clock().Today(c.now());
        e.set_state(domain::MpStateAfter(step));
        e.set_validated_by(c.actor().staff_id);
        *e.mutable_validated_date() = DateOf(today);
        if (reject) {
          e.set_rejection_reason(reason);
          AddEvent(e, c, cms::v1::MP_ENQUIRY_EVENT_KIND_REJECTED,
                   absl::StrCat("rejected at validation: ", reason));
        } else {
          std::string checked = "nothing to check against a case";
          if (e.case_id() != 0) {
            // AG11.4: a case enquiry names a case the constituent is a
            // party of (read as a rule of the server: the team does not
            // see the case, X13.1).
            auto k = store::GetCase(c.tx(), e.case_id());
            if (absl::IsNotFound(k.status())) {
              return RuleViolation("AG11.4",
                                   absl::StrCat("there is no case ", e.case_id(),
                                                ": an MP's case enquiry must name a case of "
                                                "the constituent (reject it, or log it again "
                                                "with the right case)"));
            }
            CMS_RETURN_IF_ERROR(k.status());
            CMS_RETURN_IF_ERROR(domain::CheckConstituentIsParty(*k, e.constituent_person_id()));
            e.set_casegroup_id(k->casegroup_id());
            checked = absl::StrCat("the constituent is the ",
                                   domain::PartyOfCase(*k, e.constituent_person_id()) ==
                                           domain::CaseParty::kPayingParent
                                       ? "paying parent"
                                       : "receiving parent",
                                   " of case ", k->id());
          } else if (e.constituent_person_id() != 0) {
            // A complaint naming no case: the constituent is a client.
            auto p = store::GetPerson(c.tx(), e.constituent_person_id());
            if (absl::IsNotFound(p.status())) {
              return RuleViolation("AG11.4",
                                   absl::StrCat("there is no person ", e.constituent_person_id(),
                                                ": a complaint on behalf of a "
                                                "constituent names a client"));
            }
            CMS_RETURN_IF_ERROR(p.status());
            checked = absl::StrCat("the constituent is person ", p->id());
          }
          AddEvent(e, c, cms::v1::MP_ENQUIRY_EVENT_KIND_VALIDATED,
                   absl::StrCat("validated: ", checked));
          if (e.case_id() != 0) {
            // The case's owning segment is asked for its input.
            ServiceRequestApp::RuleSr spec;
            spec.type_code = kMpEnquiryInputSrType;
            spec.casegroup_id = e.casegroup_id();
            spec.case_id = e.case_id();
            spec.subject_person_id = e.constituent_person_id();
            spec.source = cms::v1::SR_SOURCE_THIRD_PARTY;
            spec.fields = {{kMpEnquiryField, absl::StrCat(e.id())}};
            const std::string lead = absl::StrCat(
                "MP enquiry ", e.id(), " (", ShortName(e.kind()), ") from ", e.mp_name(), " (",
                e.mp_constituency(), ") for ", e.constituent_name(), "; the answer is due by ",
                absl::FormatCivilTime(CivilDayOf(e.response_due_date())),
                ". Give Government Relations the case's facts for the answer in this SR's "
                "notes, then close it (AG11.4). The MP asks: ");
            spec.description = Cut(absl::StrCat(lead, e.question()), 2000);
            spec.rule = "AG11.4";
            CMS_ASSIGN_OR_RETURN(auto raised, srs_.RaiseByRule(c, spec));
            const cms::v1::ServiceRequest& sr = raised.service_request();
            e.set_input_service_request_id(sr.id());
            AddEvent(e, c, cms::v1::MP_ENQUIRY_EVENT_KIND_INPUT_REQUESTED,
                     absl::StrCat("MP Enquiry Input SR ", sr.id(),
                                  " raised on the case for its owning segment (segment ",
                                  sr.owning_segment_id(), ")"),
                     sr.id());
          }
        }
        CMS_RETURN_IF_ERROR(store::UpdateMpEnquiry(c.tx(), e, c.now_us()));
        c.Audit("mp_enquiry", absl::StrCat(e.id()), &before, e);
        SetAge(e, today);
        *out = e;
        return absl::OkStatus();
      });
}

absl::Status MpApp::Answer(const Actor& actor, const cms::v1::AnswerMpEnquiryRequest& req,
                           MpEnquiry* out) {
  FieldErrors errors;
  RequireId(req.id(), errors);
  if (absl::StripAsciiWhitespace(req.answer_text()).empty() || req.answer_text().size() > 4000) {
    errors.Add("answer_text", "1..4000 characters: the answer sent to the MP");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("AG11.4"));
  return commands_.Run(
      actor, "AnswerMpEnquiry", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(MpEnquiry e,
                             LoadForStep(c, req.id(), req.etag(), domain::MpStep::kAnswer));
        CMS_RETURN_IF_ERROR(domain::CheckMpCanAnswer(e));
        const MpEnquiry before = e;
        const absl::CivilDay today = commands_.clock().Today(c.now());
        e.set_state(domain::MpStateAfter(domain::MpStep::kAnswer));
        e.set_answer_text(req.answer_text());
        e.set_answered_by(c.actor().staff_id);
        *e.mutable_answer_date() = DateOf(today);
        const absl::CivilDay due = CivilDayOf(e.response_due_date());
        AddEvent(e, c, cms::v1::MP_ENQUIRY_EVENT_KIND_ANSWERED,
                 today <= due
                     ? absl::StrCat("answered in time (due by ", absl::FormatCivilTime(due), ")")
                     : absl::StrCat("answered late: due by ", absl::FormatCivilTime(due), ", ",
                                    today - due, " day(s) after"));
        CMS_RETURN_IF_ERROR(store::UpdateMpEnquiry(c.tx(), e, c.now_us()));
        c.Audit("mp_enquiry", absl::StrCat(e.id()), &before, e);
        SetAge(e, today);
        *out = e;
        return absl::OkStatus();
      });
}

absl::Status MpApp::Close(const Actor& actor, const cms::v1::CloseMpEnquiryRequest& req,
                          MpEnquiry* out) {
  FieldErrors errors;
  RequireId(req.id(), errors);
  CMS_RETURN_IF_ERROR(errors.ToStatus("AG11.4"));
  return commands_.Run(
      actor, "CloseMpEnquiry", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(MpEnquiry e,
                             LoadForStep(c, req.id(), req.etag(), domain::MpStep::kClose));
        const MpEnquiry before = e;
        const absl::CivilDay today = commands_.clock().Today(c.now());
        e.set_state(domain::MpStateAfter(domain::MpStep::kClose));
        e.set_closed_by(c.actor().staff_id);
        *e.mutable_close_date() = DateOf(today);
        AddEvent(e, c, cms::v1::MP_ENQUIRY_EVENT_KIND_CLOSED, "closed: the answer was sent");
        CMS_RETURN_IF_ERROR(store::UpdateMpEnquiry(c.tx(), e, c.now_us()));
        c.Audit("mp_enquiry", absl::StrCat(e.id()), &before, e);
        SetAge(e, today);
        *out = e;
        return absl::OkStatus();
      });
}

absl::Status MpApp::DeadlinePassed(Command& c, const store::DueTimer& timer) {
  auto found = store::GetMpEnquiry(c.tx(), timer.subject, /*for_update=*/true);
  if (absl::IsNotFound(found.status())) return absl::OkStatus();
  CMS_RETURN_IF_ERROR(found.status());
  MpEnquiry e = *std::move(found);
  const bool unanswered = e.state() == cms::v1::MP_ENQUIRY_STATE_RECEIVED ||
                          e.state() == cms::v1::MP_ENQUIRY_STATE_VALIDATED;
  if (!unanswered || e.overdue()) return absl::OkStatus();
  const MpEnquiry before = e;
  e.set_overdue(true);
  AddEvent(e, c, cms::v1::MP_ENQUIRY_EVENT_KIND_OVERDUE,
           absl::StrCat("overdue: the answer was due by ",
                        absl::FormatCivilTime(CivilDayOf(e.response_due_date()))));
  CMS_RETURN_IF_ERROR(store::UpdateMpEnquiry(c.tx(), e, c.now_us()));
  c.Audit("mp_enquiry", absl::StrCat(e.id()), &before, e);
  return absl::OkStatus();
}

absl::Status MpApp::ServiceRequestEnded(Command& c, const cms::v1::ServiceRequest& sr) {
  if (sr.type_code() != kMpEnquiryInputSrType) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(std::optional<MpEnquiry> found,
                       store::FindMpEnquiryByInputSr(c.tx(), sr.id(), /*for_update=*/true));
  if (!found || found->input_received()) return absl::OkStatus();
  MpEnquiry e = *std::move(found);
  const MpEnquiry before = e;
  const bool cancelled = sr.status() == cms::v1::SR_STATUS_CANCELLED;
  e.set_input_received(true);
  e.set_input_outcome(cancelled ? "Cancelled" : sr.resolution_code());
  AddEvent(e, c, cms::v1::MP_ENQUIRY_EVENT_KIND_INPUT_RECEIVED,
           absl::StrCat("MP Enquiry Input SR ", sr.id(), cancelled ? " cancelled" : " closed",
                        cancelled ? "" : absl::StrCat(" (", sr.resolution_code(), ")"),
                        " by the case's owning segment: the enquiry can be answered"),
           sr.id());
  CMS_RETURN_IF_ERROR(store::UpdateMpEnquiry(c.tx(), e, c.now_us()));
  c.Audit("mp_enquiry", absl::StrCat(e.id()), &before, e);
  return absl::OkStatus();
}

}  // namespace cms::app
