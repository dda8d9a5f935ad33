#include "server/app/guidance.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/app/access.h"
#include "server/app/dates.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/access.h"
#include "server/domain/guidance.h"
#include "server/store/bom_repo.h"
#include "server/store/guidance_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::GuidanceAnswer;
using cms::v1::PrivateGuidanceRequest;
using cms::v1::ServiceRequest;
using cms::v1::SrGuidance;
using domain::GuidanceRole;

constexpr char kRule[] = "AG11.1";

domain::GuidanceViewer GuidanceViewerOf(const Actor& actor) {
  return domain::GuidanceViewer{ViewerOf(actor), actor.staff_id, actor.team_id};
}

// The raiser's team as of now: the staff directory's (0 for "system" or a
// staff id the directory no longer has).
absl::StatusOr<int64_t> TeamOf(store::Tx& tx, const std::string& staff_id) {
  auto m = store::GetStaff(tx, staff_id);
  if (absl::IsNotFound(m.status())) return 0;
  CMS_RETURN_IF_ERROR(m.status());
  return m->team_id();
}

absl::StatusOr<domain::GuidanceFacts> FactsOfSr(store::Tx& tx, const ServiceRequest& sr) {
  CMS_ASSIGN_OR_RETURN(int64_t team, TeamOf(tx, sr.created_by()));
  return domain::GuidanceFacts{sr.created_by(), team, sr.owning_segment_id()};
}

domain::GuidanceFacts FactsOfPrivate(const PrivateGuidanceRequest& r) {
  return domain::GuidanceFacts{r.raised_by(), r.raising_team_id(), r.answering_segment_id()};
}

absl::Status NotAnAnswerer(absl::string_view what) {
  return PermissionDenied(absl::StrCat(what,
                                       " is answered (and corrected) by the Advice and Guidance "
                                       "team that owns it"),
                          kRule);
}

absl::Status NotAReader(absl::string_view what) {
  return PermissionDenied(
      absl::StrCat(what,
                   " is read by its raiser, the raiser's team leader, the Advice and Guidance "
                   "team that answers it, service management and auditors"),
      kRule);
}

// An A&G SR, visible to the caller (X13.1 first: refusing on the type would
// tell a caller what an SR they may not see is).
absl::Status CheckGuidanceSr(store::Tx& tx, const ServiceRequest& sr, const Actor& actor) {
  CMS_RETURN_IF_ERROR(CheckCanSeeSr(tx, sr, actor));
  if (sr.type_code() != domain::kGuidanceSrType) {
    return InvalidField(
        "service_request_id",
        absl::StrCat("SR ", sr.id(), " is ", sr.type_code(), ", not an Advice and Guidance SR"),
        kRule);
  }
  return absl::OkStatus();
}

// The current answer and the history, from a subject's answers (oldest
// first).
template <typename Out>
void SetAnswers(const std::vector<GuidanceAnswer>& answers, Out* out) {
  out->clear_history();
  out->clear_answer();
  for (const GuidanceAnswer& a : answers) {
    *out->add_history() = a;
    if (a.superseded_by_id() == 0) *out->mutable_answer() = a;
  }
}

absl::StatusOr<SrGuidance> SrGuidanceOf(store::Tx& tx, const ServiceRequest& sr) {
  SrGuidance g;
  g.set_service_request_id(sr.id());
  g.set_answering_segment_id(sr.owning_segment_id());
  auto question = sr.fields().find(domain::kGuidanceQuestionField);
  if (question != sr.fields().end()) g.set_question(question->second);
  g.set_raised_by(sr.created_by());
  g.set_status(sr.status());
  g.set_etag(sr.etag());
  CMS_ASSIGN_OR_RETURN(auto answers, store::ListSrGuidanceAnswers(tx, sr.id()));
  SetAnswers(answers, &g);
  return g;
}

void SetAge(PrivateGuidanceRequest& r, const BusinessClock& clock, absl::Time now) {
  r.set_age_days(static_cast<int32_t>(clock.Today(now) - clock.Today(TimeOf(r.create_time()))));
}

absl::Status WithAnswers(store::Tx& tx, PrivateGuidanceRequest& r) {
  CMS_ASSIGN_OR_RETURN(auto answers, store::ListPrivateGuidanceAnswers(tx, {r.id()}));
  SetAnswers(answers, &r);
  return absl::OkStatus();
}

void ValidateCountry(FieldErrors& errors, cms::v1::Country country, bool required) {
  if (!cms::v1::Country_IsValid(country)) {
    errors.Add("country", "unknown value");
  } else if (required && country == cms::v1::COUNTRY_UNSPECIFIED) {
    errors.Add("country", "GB or NI: which Advice and Guidance team answers");
  }
}

// The queue's cursor: "q:<created_us>:<kind>:<id>".
std::string QueueCursor(const store::GuidanceQueueRow& row) {
  return absl::StrCat("q:", row.created_us, ":", static_cast<int>(row.item.kind()), ":",
                      row.item.id());
}

absl::StatusOr<store::GuidanceQueueCursor> ParseQueueCursor(absl::string_view cursor) {
  store::GuidanceQueueCursor c;
  if (cursor.empty()) return c;
  std::vector<absl::string_view> parts = absl::StrSplit(cursor, ':');
  if (parts.size() != 4 || parts[0] != "q" || !absl::SimpleAtoi(parts[1], &c.created_us) ||
      !absl::SimpleAtoi(parts[2], &c.kind) || !absl::SimpleAtoi(parts[3], &c.id)) {
    return InvalidPageToken();
  }
  return c;
}

}  // namespace

// ---------------------------------------------------------------- the A&G SR

absl::Status GuidanceApp::AnswerSr(const Actor& actor,
                                   const cms::v1::AnswerGuidanceRequestRequest& req,
                                   SrGuidance* out) {
  FieldErrors errors;
  if (req.service_request_id() <= 0) errors.Add("service_request_id", "required");
  if (absl::Status bad = domain::ValidateGuidanceText("answer", req.answer()); !bad.ok()) {
    errors.Add("answer", FieldErrorsOf(bad).front().description);
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  return commands_.Run(
      actor, "AnswerGuidanceRequest", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ServiceRequest sr,
                             store::GetServiceRequest(c.tx(), req.service_request_id(), true));
        CMS_RETURN_IF_ERROR(CheckGuidanceSr(c.tx(), sr, c.actor()));
        CMS_ASSIGN_OR_RETURN(domain::GuidanceFacts facts, FactsOfSr(c.tx(), sr));
        if (domain::GuidanceRoleOf(GuidanceViewerOf(c.actor()), facts) != GuidanceRole::kAnswerer) {
          return NotAnAnswerer(absl::StrCat("A&G SR ", sr.id()));
        }
        if (!req.etag().empty()) {
          CMS_RETURN_IF_ERROR(
              CheckEtag(req.etag(), sr.etag(), "etag", "service request", absl::StrCat(sr.id())));
        }
        CMS_ASSIGN_OR_RETURN(auto answers, store::ListSrGuidanceAnswers(c.tx(), sr.id()));
        if (!answers.empty()) {
          return RuleViolation(kRule,
                               absl::StrCat("A&G SR ", sr.id(), " is already answered (by ",
                                            answers.front().answered_by(),
                                            "); an answer is never replaced: correct it with "
                                            "CorrectGuidanceAnswer, which keeps the first"));
        }
        if (sr.status() == cms::v1::SR_STATUS_CANCELLED) {
          return RuleViolation(kRule, absl::StrCat("A&G SR ", sr.id(),
                                                   " was cancelled: the question was withdrawn"));
        }
        if (sr.status() == cms::v1::SR_STATUS_CLOSED) {
          return RuleViolation(kRule,
                               absl::StrCat("A&G SR ", sr.id(), " was closed without an answer"));
        }
        GuidanceAnswer a;
        a.set_service_request_id(sr.id());
        a.set_text(req.answer());
        a.set_answered_by(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(a, store::InsertGuidanceAnswer(c.tx(), a, c.now_us()));
        c.Audit("guidance_answer", absl::StrCat(a.id()), nullptr, a);
        // The SR moves on as its catalog allows: its plan finished, closed
        // "Answered". The note says where the answer is, never what it is:
        // the SR's notes are read by more people than the answer.
        CMS_ASSIGN_OR_RETURN(
            ServiceRequest closed,
            srs_.CloseByRule(
                c, sr.id(), domain::kGuidanceAnsweredResolution, "Complete",
                absl::StrCat("Answered by Advice and Guidance (AG11.1, answer ", a.id(),
                             "): the raiser and their team leader read it with "
                             "GetGuidanceAnswer"),
                kRule));
        CMS_ASSIGN_OR_RETURN(*out, SrGuidanceOf(c.tx(), closed));
        return absl::OkStatus();
      });
}

absl::Status GuidanceApp::GetSr(const Actor& actor, const cms::v1::GetGuidanceAnswerRequest& req,
                                SrGuidance* out) {
  if (req.service_request_id() <= 0) return InvalidField("service_request_id", "required", kRule);
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(ServiceRequest sr,
                         LoadServiceRequest(tx, catalog_, req.service_request_id()));
    CMS_RETURN_IF_ERROR(CheckGuidanceSr(tx, sr, actor));
    CMS_ASSIGN_OR_RETURN(domain::GuidanceFacts facts, FactsOfSr(tx, sr));
    if (domain::GuidanceRoleOf(GuidanceViewerOf(actor), facts) == GuidanceRole::kNone) {
      return NotAReader(absl::StrCat("the answer to A&G SR ", sr.id()));
    }
    CMS_ASSIGN_OR_RETURN(*out, SrGuidanceOf(tx, sr));
    return absl::OkStatus();
  });
}

absl::Status GuidanceApp::Correct(const Actor& actor,
                                  const cms::v1::CorrectGuidanceAnswerRequest& req,
                                  GuidanceAnswer* out) {
  FieldErrors errors;
  if (req.answer_id() <= 0) errors.Add("answer_id", "required: the current answer");
  if (absl::Status bad = domain::ValidateGuidanceText("answer", req.answer()); !bad.ok()) {
    errors.Add("answer", FieldErrorsOf(bad).front().description);
  }
  if (absl::Status bad =
          domain::ValidateGuidanceText("reason", req.reason(), domain::kMaxCorrectionReasonChars);
      !bad.ok()) {
    errors.Add("reason", "required: why the answer is corrected, 1..2000 characters");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  return commands_.Run(
      actor, "CorrectGuidanceAnswer", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(GuidanceAnswer first,
                             store::GetGuidanceAnswer(c.tx(), req.answer_id()));
        // The subject, locked: corrections of one subject run one at a time.
        domain::GuidanceFacts facts;
        std::optional<PrivateGuidanceRequest> request;
        if (first.service_request_id() != 0) {
          CMS_ASSIGN_OR_RETURN(ServiceRequest sr,
                               store::GetServiceRequest(c.tx(), first.service_request_id(), true));
          CMS_RETURN_IF_ERROR(CheckGuidanceSr(c.tx(), sr, c.actor()));
          CMS_ASSIGN_OR_RETURN(facts, FactsOfSr(c.tx(), sr));
        } else {
          CMS_ASSIGN_OR_RETURN(
              request, store::GetPrivateGuidanceRequest(c.tx(), first.private_request_id(), true));
          facts = FactsOfPrivate(*request);
        }
        if (domain::GuidanceRoleOf(GuidanceViewerOf(c.actor()), facts) != GuidanceRole::kAnswerer) {
          return NotAnAnswerer(absl::StrCat("answer ", first.id()));
        }
        CMS_ASSIGN_OR_RETURN(GuidanceAnswer current,
                             store::GetGuidanceAnswer(c.tx(), req.answer_id()));
        if (current.superseded_by_id() != 0) {
          return WithReason(
              WithRule(absl::AbortedError(absl::StrCat("answer ", current.id(),
                                                       " was already corrected by answer ",
                                                       current.superseded_by_id(),
                                                       ": read the answer again and correct "
                                                       "the current one")),
                       "X13.3"),
              "STALE_ETAG");
        }
        GuidanceAnswer next;
        next.set_service_request_id(current.service_request_id());
        next.set_private_request_id(current.private_request_id());
        next.set_supersedes_id(current.id());
        next.set_text(req.answer());
        next.set_correction_reason(req.reason());
        next.set_answered_by(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(next, store::InsertGuidanceAnswer(c.tx(), next, c.now_us()));
        c.Audit("guidance_answer", absl::StrCat(next.id()), nullptr, next);
        if (request.has_value()) {
          // What the raiser reads changed: the request's version moves.
          const PrivateGuidanceRequest before = *request;
          CMS_RETURN_IF_ERROR(store::UpdatePrivateGuidanceRequest(c.tx(), *request, c.now_us()));
          c.Audit("private_guidance_request", absl::StrCat(request->id()), &before, *request);
        } else {
          CMS_RETURN_IF_ERROR(AddSrNote(c, current.service_request_id(),
                                        absl::StrCat("Answer ", current.id(),
                                                     " corrected by Advice and Guidance (AG11.1, "
                                                     "answer ",
                                                     next.id(), ")")));
        }
        *out = next;
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- the private request

absl::Status GuidanceApp::CreatePrivate(const Actor& actor,
                                        const cms::v1::CreatePrivateGuidanceRequestRequest& req,
                                        PrivateGuidanceRequest* out) {
  return commands_.Run(
      actor, "CreatePrivateGuidanceRequest", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        // The question first: what it may not carry is the point of the
        // channel, and a refusal stores nothing.
        FieldErrors errors;
        ValidateCountry(errors, req.country(), /*required=*/true);
        const absl::CivilDay today = commands_.clock().Today(c.now());
        if (absl::Status bad = domain::ValidatePrivateQuestion(req.question(), today); !bad.ok()) {
          for (const FieldError& e : FieldErrorsOf(bad)) errors.Add(e.field, e.description);
        }
        CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));

        cms::v1::ServiceSegment mine = cms::v1::SERVICE_SEGMENT_UNSPECIFIED;
        cms::v1::Segment raising;
        if (c.actor().segment_id != 0) {
          CMS_ASSIGN_OR_RETURN(raising, store::GetSegment(c.tx(), c.actor().segment_id));
          mine = raising.service_segment();
        }
        if (!domain::MayAskPrivately(c.actor().role, mine) || c.actor().team_id == 0) {
          return PermissionDenied(
              "a private request to Advice and Guidance is for the special client records "
              "team's caseworkers and team leaders; other teams raise an A&G SR on the casegroup",
              kRule);
        }
        CMS_ASSIGN_OR_RETURN(cms::v1::Team team, store::GetTeam(c.tx(), c.actor().team_id));
        int64_t answering = 0;
        CMS_ASSIGN_OR_RETURN(auto live, store::ListLiveSegments(c.tx(), req.country()));
        for (const cms::v1::Segment& s : live) {
          if (s.service_segment() == cms::v1::SERVICE_SEGMENT_ADVICE_AND_GUIDANCE) {
            answering = s.id();
            break;
          }
        }
        if (answering == 0) {
          return RuleViolation(kRule, absl::StrCat("there is no live Advice and Guidance segment "
                                                   "in ",
                                                   ShortName(req.country())));
        }
        PrivateGuidanceRequest r;
        r.set_country(req.country());
        r.set_answering_segment_id(answering);
        r.set_question(std::string(absl::StripAsciiWhitespace(req.question())));
        r.set_raised_by(c.actor().staff_id);
        r.set_raising_segment_id(raising.id());
        r.set_raising_team_id(team.id());
        r.set_raising_team(
            domain::RaisingTeamLabel(raising.description(), raising.country(), team.name()));
        r.set_state(cms::v1::PRIVATE_GUIDANCE_STATE_OPEN);
        CMS_ASSIGN_OR_RETURN(r, store::InsertPrivateGuidanceRequest(c.tx(), r, c.now_us()));
        c.Audit("private_guidance_request", absl::StrCat(r.id()), nullptr, r);
        SetAge(r, commands_.clock(), c.now());
        *out = r;
        return absl::OkStatus();
      });
}

absl::Status GuidanceApp::GetPrivate(const Actor& actor,
                                     const cms::v1::GetPrivateGuidanceRequestRequest& req,
                                     PrivateGuidanceRequest* out) {
  if (req.id() <= 0) return InvalidField("id", "required", kRule);
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, store::GetPrivateGuidanceRequest(tx, req.id()));
    if (domain::GuidanceRoleOf(GuidanceViewerOf(actor), FactsOfPrivate(*out)) ==
        GuidanceRole::kNone) {
      out->Clear();
      return NotAReader(absl::StrCat("private request ", req.id()));
    }
    CMS_RETURN_IF_ERROR(WithAnswers(tx, *out));
    SetAge(*out, commands_.clock(), now);
    return absl::OkStatus();
  });
}

absl::Status GuidanceApp::ListPrivate(const Actor& actor,
                                      const cms::v1::ListPrivateGuidanceRequestsRequest& req,
                                      cms::v1::ListPrivateGuidanceRequestsResponse* out) {
  FieldErrors errors;
  if (!cms::v1::PrivateGuidanceState_IsValid(req.state())) errors.Add("state", "unknown value");
  ValidateCountry(errors, req.country(), /*required=*/false);
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  // The rows GuidanceRoleOf lets the caller read, as one query: service
  // management and auditors all; else the answering A&G team's, the
  // raising team's for its team leader, and the caller's own.
  store::PrivateGuidanceFilter filter;
  filter.all =
      actor.role == cms::v1::ROLE_SERVICE_MANAGEMENT || actor.role == cms::v1::ROLE_AUDITOR;
  filter.answering_segment_id = actor.segment_id;
  if (actor.role == cms::v1::ROLE_TEAM_LEADER) filter.raising_team_id = actor.team_id;
  filter.raised_by = actor.staff_id;
  filter.state = req.state();
  filter.country = req.country();
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(auto rows,
                         store::ListPrivateGuidanceRequests(tx, filter, page.after_id, page.limit));
    std::vector<int64_t> ids;
    for (const PrivateGuidanceRequest& r : rows) ids.push_back(r.id());
    CMS_ASSIGN_OR_RETURN(auto answers, store::ListPrivateGuidanceAnswers(tx, ids));
    std::map<int64_t, std::vector<GuidanceAnswer>> by_request;
    for (GuidanceAnswer& a : answers) by_request[a.private_request_id()].push_back(std::move(a));
    for (PrivateGuidanceRequest& r : rows) {
      // The query is GuidanceRoleOf's; ask it too, so the two never differ.
      if (domain::GuidanceRoleOf(GuidanceViewerOf(actor), FactsOfPrivate(r)) ==
          GuidanceRole::kNone) {
        continue;
      }
      SetAnswers(by_request[r.id()], &r);
      SetAge(r, commands_.clock(), now);
      *out->add_requests() = std::move(r);
    }
    if (static_cast<int>(rows.size()) == page.limit) {
      out->set_next_page_token(page.NextToken(rows.back().id()));
    }
    return absl::OkStatus();
  });
}

absl::Status GuidanceApp::AnswerPrivate(const Actor& actor,
                                        const cms::v1::AnswerPrivateGuidanceRequestRequest& req,
                                        PrivateGuidanceRequest* out) {
  FieldErrors errors;
  if (req.id() <= 0) errors.Add("id", "required");
  if (absl::Status bad = domain::ValidateGuidanceText("answer", req.answer()); !bad.ok()) {
    errors.Add("answer", FieldErrorsOf(bad).front().description);
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  return commands_.Run(
      actor, "AnswerPrivateGuidanceRequest", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(PrivateGuidanceRequest r,
                             store::GetPrivateGuidanceRequest(c.tx(), req.id(), true));
        if (domain::GuidanceRoleOf(GuidanceViewerOf(c.actor()), FactsOfPrivate(r)) !=
            GuidanceRole::kAnswerer) {
          return NotAnAnswerer(absl::StrCat("private request ", r.id()));
        }
        CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), r.etag(), "etag", "private guidance request",
                                      absl::StrCat(r.id())));
        CMS_RETURN_IF_ERROR(WithAnswers(c.tx(), r));
        CMS_RETURN_IF_ERROR(domain::CheckCanAnswerPrivate(r));
        GuidanceAnswer a;
        a.set_private_request_id(r.id());
        a.set_text(req.answer());
        a.set_answered_by(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(a, store::InsertGuidanceAnswer(c.tx(), a, c.now_us()));
        c.Audit("guidance_answer", absl::StrCat(a.id()), nullptr, a);
        const PrivateGuidanceRequest before = r;
        r.set_state(cms::v1::PRIVATE_GUIDANCE_STATE_ANSWERED);
        CMS_RETURN_IF_ERROR(store::UpdatePrivateGuidanceRequest(c.tx(), r, c.now_us()));
        c.Audit("private_guidance_request", absl::StrCat(r.id()), &before, r);
        SetAnswers(std::vector<GuidanceAnswer>{a}, &r);
        SetAge(r, commands_.clock(), c.now());
        *out = r;
        return absl::OkStatus();
      });
}

absl::Status GuidanceApp::ClosePrivate(const Actor& actor,
                                       const cms::v1::ClosePrivateGuidanceRequestRequest& req,
                                       PrivateGuidanceRequest* out) {
  if (req.id() <= 0) return InvalidField("id", "required", kRule);
  return commands_.Run(
      actor, "ClosePrivateGuidanceRequest", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(PrivateGuidanceRequest r,
                             store::GetPrivateGuidanceRequest(c.tx(), req.id(), true));
        if (domain::GuidanceRoleOf(GuidanceViewerOf(c.actor()), FactsOfPrivate(r)) !=
            GuidanceRole::kAsker) {
          return PermissionDenied(absl::StrCat("private request ", r.id(),
                                               " is closed by its raiser or the raising team's "
                                               "team leader"),
                                  kRule);
        }
        CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), r.etag(), "etag", "private guidance request",
                                      absl::StrCat(r.id())));
        CMS_RETURN_IF_ERROR(domain::CheckCanClosePrivate(r));
        const PrivateGuidanceRequest before = r;
        r.set_state(cms::v1::PRIVATE_GUIDANCE_STATE_CLOSED);
        r.set_closed_by(c.actor().staff_id);
        *r.mutable_close_time() = TimestampOf(c.now());
        CMS_RETURN_IF_ERROR(store::UpdatePrivateGuidanceRequest(c.tx(), r, c.now_us()));
        c.Audit("private_guidance_request", absl::StrCat(r.id()), &before, r);
        CMS_RETURN_IF_ERROR(WithAnswers(c.tx(), r));
        SetAge(r, commands_.clock(), c.now());
        *out = r;
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- A&G's queue

absl::Status GuidanceApp::ListQueue(const Actor& actor,
                                    const cms::v1::ListGuidanceQueueRequest& req,
                                    cms::v1::ListGuidanceQueueResponse* out) {
  FieldErrors errors;
  if (!cms::v1::GuidanceKind_IsValid(req.kind())) errors.Add("kind", "unknown value");
  ValidateCountry(errors, req.country(), /*required=*/false);
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req, /*id_cursor=*/false));
  CMS_ASSIGN_OR_RETURN(store::GuidanceQueueCursor after, ParseQueueCursor(page.cursor));
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    store::GuidanceQueueFilter filter{0, req.country(), req.kind()};
    if (actor.role != cms::v1::ROLE_SERVICE_MANAGEMENT && actor.role != cms::v1::ROLE_AUDITOR) {
      // A&G staff see their team's queue; other staff see none (X13.1).
      if (actor.service_segment != cms::v1::SERVICE_SEGMENT_ADVICE_AND_GUIDANCE) {
        return absl::OkStatus();
      }
      filter.answering_segment_id = actor.segment_id;
    }
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListGuidanceQueue(tx, filter, after, page.limit));
    const absl::CivilDay today = commands_.clock().Today(now);
    for (store::GuidanceQueueRow& row : rows) {
      row.item.set_age_days(static_cast<int32_t>(
          today - commands_.clock().Today(absl::FromUnixMicros(row.created_us))));
      *out->add_items() = row.item;
    }
    if (static_cast<int>(rows.size()) == page.limit) {
      out->set_next_page_token(page.NextToken(QueueCursor(rows.back())));
    }
    return absl::OkStatus();
  });
}

}  // namespace cms::app
