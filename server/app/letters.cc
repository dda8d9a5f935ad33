#include "server/app/letters.h"

#include "absl/strings/str_cat.h"
#include "cms/v1/common.pb.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/service_requests.h"
#include "server/base/errors.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/letters.h"
#include "server/store/casegroup_repo.h"
#include "server/store/interaction_repo.h"
#include "server/store/party_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::Interaction;
using cms::v1::Letter;

constexpr int kMaxText = 4000;

// An issued letter as the API shows it; the title comes from the template.
Letter LetterOf(const Interaction& i, const catalog::LetterTemplates& templates) {
  Letter l;
  l.set_id(i.id());
  l.set_template_code(i.template_code());
  if (const auto* t = templates.Find(i.template_code()); t != nullptr) l.set_title(t->title());
  l.set_person_id(i.person_id());
  l.set_case_id(i.case_id());
  l.set_service_request_id(i.service_request_id());
  l.set_text(i.text());
  l.set_issued_by(i.author());
  *l.mutable_issue_time() = i.create_time();
  if (i.has_return_time()) *l.mutable_return_time() = i.return_time();
  return l;
}

bool IsIssuedLetter(const Interaction& i) {
  return i.channel() == cms::v1::INTERACTION_CHANNEL_LETTER &&
         i.direction() == cms::v1::INTERACTION_DIRECTION_OUTBOUND && !i.template_code().empty();
}

// An optional SR reference must be an SR of the case's casegroup.
absl::Status CheckSrOfCase(store::Tx& tx, int64_t sr_id, const cms::v1::Case& k) {
  if (sr_id == 0) return absl::OkStatus();
  auto sr = store::GetServiceRequest(tx, sr_id);
  if (!sr.ok() || sr->casegroup_id() != k.casegroup_id()) {
    return InvalidField("service_request_id", "not an SR of this case's casegroup");
  }
  return absl::OkStatus();
}

domain::LetterParty PartyOf(const cms::v1::Person& p) { return {p.given_name(), p.family_name()}; }

// The idempotent outcome of IssueLetter is either the letter or the
// refusal, so a retry replays a refusal too (X13.4). Both are kept as an
// Any: a Letter, or an RpcStatus carrying the refusal's ErrorInfo.
google::protobuf::Any Refusal(const absl::Status& status) {
  cms::v1::RpcStatus s;
  s.set_code(static_cast<int>(status.code()));
  s.set_message(std::string(status.message()));
  cms::v1::ErrorInfo info;
  info.set_rule_id(RuleOf(status));
  info.set_reason(ReasonOf(status));
  s.add_details()->PackFrom(info);
  google::protobuf::Any any;
  any.PackFrom(s);
  return any;
}

absl::Status Outcome(const google::protobuf::Any& any, Letter* out) {
  if (any.UnpackTo(out)) return absl::OkStatus();
  cms::v1::RpcStatus s;
  cms::v1::ErrorInfo info;
  if (!any.UnpackTo(&s) || s.details_size() < 1 || !s.details(0).UnpackTo(&info)) {
    return absl::InternalError("unreadable IssueLetter outcome");
  }
  absl::Status status(static_cast<absl::StatusCode>(s.code()), s.message());
  return WithReason(WithRule(std::move(status), info.rule_id()), info.reason());
}

// Records `i` as made by the actor now (L12.2), audited; fills its id and
// time.
absl::Status Record(Command& c, Interaction& i) {
  i.set_author(c.actor().staff_id);
  CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertInteraction(c.tx(), i, c.now_us()));
  i.set_id(id);
  *i.mutable_create_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(c.now_us());
  c.Audit("interaction", absl::StrCat(id), nullptr, i);
  return absl::OkStatus();
}

}  // namespace

absl::Status LetterApp::ListTemplates(const cms::v1::ListLetterTemplatesRequest& req,
                                      cms::v1::ListLetterTemplatesResponse* out) {
  // AIP-158: paged like every list, although the catalog is small.
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req, /*id_cursor=*/false));
  CMS_ASSIGN_OR_RETURN(std::string next,
                       PageInMemory(
                           page, templates_.templates(),
                           [](const auto& t) -> const std::string& { return t.code(); },
                           [&](const auto& t) { *out->add_templates() = t; }));
  out->set_next_page_token(std::move(next));
  return absl::OkStatus();
}

namespace {

// L12.1: the body of issuing `tmpl` to `person_id` (0: the template's
// recipient) of case `k`, shared by the RPC (which loads `k` with the
// caller's access check) and IssueLetterIn. An undeliverable address is
// refused (LetterRefused) after the note on the SR is added.
absl::StatusOr<Letter> IssueLetterStep(Command& c, const BusinessClock& clock,
                                       const catalog::LetterTemplates& templates,
                                       const cms::v1::LetterTemplate& tmpl, const cms::v1::Case& k,
                                       int64_t person_id, int64_t sr_id) {
  const bool to_pp = tmpl.recipient_role() == cms::v1::RECIPIENT_ROLE_PP;
  const int64_t expected = to_pp ? k.paying_parent_id() : k.receiving_parent_id();
  if (person_id != 0 && person_id != expected) {
    return InvalidField("person_id",
                        absl::StrCat(tmpl.code(), " is for the ", to_pp ? "paying" : "receiving",
                                     " parent of case ", k.id(), " (person ", expected, ")"),
                        "L12.1");
  }
  CMS_RETURN_IF_ERROR(CheckSrOfCase(c.tx(), sr_id, k));
  const std::vector<int64_t> party_ids = {k.paying_parent_id(), k.receiving_parent_id()};
  CMS_ASSIGN_OR_RETURN(auto parties, store::GetPersons(c.tx(), party_ids));
  const cms::v1::Person& pp = parties[0];
  const cms::v1::Person& rp = parties[1];
  const cms::v1::Person& recipient = to_pp ? pp : rp;

  // L12.1: no letter to a DLO/NFA address; the SR says why.
  if (auto why = domain::UndeliverableReason(recipient); why.has_value()) {
    if (sr_id != 0) {
      CMS_RETURN_IF_ERROR(
          AddSrNote(c, sr_id,
                    absl::StrCat("Letter ", tmpl.code(), " (", tmpl.title(),
                                 ") was not issued to person ", recipient.id(), ": ", *why,
                                 ". Confirm a current address before issuing it again (L12.1)."),
                    Actor::System().staff_id));
    }
    return RuleViolation(
        "L12.1",
        absl::StrCat("letter ", tmpl.code(), " not issued: ", *why,
                     sr_id != 0 ? absl::StrCat("; SR ", sr_id, " has a note saying so") : ""));
  }

  domain::LetterFacts facts;
  facts.recipient = PartyOf(recipient);
  facts.address = domain::LetterAddress(recipient);
  facts.paying_parent = PartyOf(pp);
  facts.receiving_parent = PartyOf(rp);
  facts.case_id = k.id();
  for (const auto& child : k.children()) facts.children.push_back(child.given_name());
  facts.service_type = k.service_type();
  facts.issue_date = clock.Today(c.now());
  // Templates were checked against the known fields at start-up, so a
  // failure here is a server fault, not the caller's.
  auto text = domain::RenderBody(tmpl.body(), domain::MergeValues(facts));
  if (!text.ok()) return absl::InternalError(text.status().message());

  Interaction i;
  i.set_person_id(recipient.id());
  i.set_case_id(k.id());
  i.set_channel(cms::v1::INTERACTION_CHANNEL_LETTER);
  i.set_direction(cms::v1::INTERACTION_DIRECTION_OUTBOUND);
  i.set_template_code(tmpl.code());
  i.set_text(*text);
  i.set_service_request_id(sr_id);
  CMS_RETURN_IF_ERROR(Record(c, i));
  return LetterOf(i, templates);
}

}  // namespace

bool LetterRefused(const absl::Status& status) {
  return absl::IsFailedPrecondition(status) && RuleOf(status) == "L12.1";
}

absl::StatusOr<Letter> LetterApp::IssueLetterIn(Command& c, const std::string& template_code,
                                                int64_t case_id, int64_t person_id, int64_t sr_id) {
  const cms::v1::LetterTemplate* tmpl = templates_.Find(template_code);
  if (tmpl == nullptr) {
    return InvalidField("template_code", "not a letter template (ListLetterTemplates)", "L12.1");
  }
  if (person_id < 0) return InvalidField("person_id", "not a person id", "L12.1");
  if (sr_id < 0) return InvalidField("service_request_id", "not an SR id", "L12.1");
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, FindCase(c.tx(), case_id));
  CMS_ASSIGN_OR_RETURN(
      Letter letter, IssueLetterStep(c, commands_.clock(), templates_, *tmpl, k, person_id, sr_id));
  CMS_RETURN_IF_ERROR(events_.LetterIssued(c, letter));
  return letter;
}

absl::Status LetterApp::Issue(const Actor& actor, const cms::v1::IssueLetterRequest& req,
                              Letter* out) {
  FieldErrors errors;
  const cms::v1::LetterTemplate* tmpl = templates_.Find(req.template_code());
  if (tmpl == nullptr) errors.Add("template_code", "not a letter template (ListLetterTemplates)");
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (req.person_id() <= 0) errors.Add("person_id", "required: the letter's recipient");
  if (req.service_request_id() < 0) errors.Add("service_request_id", "not an SR id");
  CMS_RETURN_IF_ERROR(errors.ToStatus("L12.1"));

  google::protobuf::Any outcome;
  CMS_RETURN_IF_ERROR(commands_.Run(
      actor, "IssueLetter", req, req.request_id(), &outcome, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        absl::StatusOr<Letter> letter = IssueLetterStep(c, commands_.clock(), templates_, *tmpl, k,
                                                        req.person_id(), req.service_request_id());
        if (letter.ok()) {
          CMS_RETURN_IF_ERROR(events_.LetterIssued(c, *letter));
          outcome.PackFrom(*letter);
        } else if (LetterRefused(letter.status())) {
          // The refusal is this command's outcome, so the SR's note
          // commits with it.
          outcome = Refusal(letter.status());
        } else {
          return letter.status();
        }
        return absl::OkStatus();
      }));
  return Outcome(outcome, out);
}

absl::Status LetterApp::Get(const Actor& actor, const cms::v1::GetLetterRequest& req, Letter* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    auto i = store::GetInteraction(tx, req.id());
    if (absl::IsNotFound(i.status()) || (i.ok() && !IsIssuedLetter(*i))) {
      return NotFound("letter", absl::StrCat(req.id()));
    }
    CMS_RETURN_IF_ERROR(i.status());
    CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(tx, i->case_id()));
    CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(tx, k.casegroup_id()));
    CMS_RETURN_IF_ERROR(CheckCanSeeCasegroup(tx, g, actor));
    *out = LetterOf(*i, templates_);
    return absl::OkStatus();
  });
}

absl::Status LetterApp::RecordReturned(const Actor& actor,
                                       const cms::v1::RecordLetterReturnedRequest& req,
                                       Letter* out) {
  if (req.letter_id() <= 0) return InvalidField("letter_id", "required", "L12.1");
  return commands_.Run(
      actor, "RecordLetterReturned", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        auto i = store::GetInteraction(c.tx(), req.letter_id());
        if (absl::IsNotFound(i.status()) || (i.ok() && !IsIssuedLetter(*i))) {
          return NotFound("letter", absl::StrCat(req.letter_id()));
        }
        CMS_RETURN_IF_ERROR(i.status());
        CMS_RETURN_IF_ERROR(CaseForWrite(c.tx(), i->case_id(), c.actor()).status());
        if (i->has_return_time()) {
          return RuleViolation(
              "L12.1", absl::StrCat("letter ", i->id(), " is already recorded as returned"));
        }
        CMS_RETURN_IF_ERROR(store::MarkLetterReturned(c.tx(), i->id(), c.now_us()));
        CMS_ASSIGN_OR_RETURN(Interaction returned, store::GetInteraction(c.tx(), i->id()));
        *out = LetterOf(returned, templates_);
        c.Audit("letter", absl::StrCat(out->id()), nullptr, *out);
        // The address it went to is a dead letter office until a new one is
        // given: no further letter goes there (L12.1).
        CMS_ASSIGN_OR_RETURN(cms::v1::Person before,
                             store::GetPerson(c.tx(), out->person_id(), /*for_update=*/true));
        if (before.address_status() != cms::v1::ADDRESS_STATUS_DLO) {
          cms::v1::Person after = before;
          after.set_address_status(cms::v1::ADDRESS_STATUS_DLO);
          CMS_RETURN_IF_ERROR(store::UpdatePerson(c.tx(), after));
          CMS_ASSIGN_OR_RETURN(after, store::GetPerson(c.tx(), out->person_id()));
          c.Audit("person", absl::StrCat(after.id()), &before, after);
        }
        return events_.LetterReturned(c, *out);
      });
}

absl::Status LetterApp::RecordInteraction(const Actor& actor,
                                          const cms::v1::RecordInteractionRequest& req,
                                          Interaction* out) {
  FieldErrors errors;
  if (req.person_id() <= 0) errors.Add("person_id", "required");
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (req.channel() == cms::v1::INTERACTION_CHANNEL_UNSPECIFIED ||
      !cms::v1::InteractionChannel_IsValid(req.channel())) {
    errors.Add("channel", "CALL, LETTER or SMS");
  }
  if (req.direction() == cms::v1::INTERACTION_DIRECTION_UNSPECIFIED ||
      !cms::v1::InteractionDirection_IsValid(req.direction())) {
    errors.Add("direction", "INBOUND or OUTBOUND");
  } else if (req.channel() == cms::v1::INTERACTION_CHANNEL_LETTER &&
             req.direction() == cms::v1::INTERACTION_DIRECTION_OUTBOUND) {
    errors.Add("direction", "outbound letters are issued from a template (IssueLetter, L12.1)");
  }
  if (req.text().empty() || req.text().size() > kMaxText) errors.Add("text", "1..4000 characters");
  if (req.service_request_id() < 0) errors.Add("service_request_id", "not an SR id");
  CMS_RETURN_IF_ERROR(errors.ToStatus("L12.2"));

  return commands_.Run(
      actor, "RecordInteraction", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        if (req.person_id() != k.paying_parent_id() && req.person_id() != k.receiving_parent_id()) {
          return InvalidField("person_id", absl::StrCat("not a party of case ", k.id()), "L12.2");
        }
        CMS_RETURN_IF_ERROR(CheckSrOfCase(c.tx(), req.service_request_id(), k));
        Interaction i;
        i.set_person_id(req.person_id());
        i.set_case_id(k.id());
        i.set_channel(req.channel());
        i.set_direction(req.direction());
        i.set_text(req.text());
        i.set_service_request_id(req.service_request_id());
        CMS_RETURN_IF_ERROR(Record(c, i));
        *out = i;
        return absl::OkStatus();
      });
}

absl::Status LetterApp::ListInteractions(const Actor& actor,
                                         const cms::v1::ListInteractionsRequest& req,
                                         cms::v1::ListInteractionsResponse* out) {
  FieldErrors errors;
  if (req.person_id() < 0) errors.Add("person_id", "not a person id");
  if (req.case_id() < 0) errors.Add("case_id", "not a case id");
  if (req.service_request_id() < 0) errors.Add("service_request_id", "not an SR id");
  if (req.service_request_id() != 0 && (req.person_id() != 0 || req.case_id() != 0)) {
    errors.Add("service_request_id", "alone: not with person_id or case_id");
  }
  if (req.person_id() == 0 && req.case_id() == 0 && req.service_request_id() == 0) {
    errors.Add("person_id", "give person_id, case_id or both, or service_request_id");
    errors.Add("case_id", "give person_id, case_id or both, or service_request_id");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("L12.2"));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    std::vector<cms::v1::Interaction> found;
    if (req.service_request_id() != 0) {
      // The letters issued from an SR are read with its casegroup (X13.1).
      auto sr = store::GetServiceRequest(tx, req.service_request_id());
      if (absl::IsNotFound(sr.status())) return InvalidField("service_request_id", "no such SR");
      CMS_RETURN_IF_ERROR(sr.status());
      CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(tx, sr->casegroup_id()));
      CMS_RETURN_IF_ERROR(CheckCanSeeCasegroup(tx, g, actor));
      CMS_ASSIGN_OR_RETURN(found, store::ListInteractionsOfSr(tx, req.service_request_id(), page));
    } else {
      if (req.case_id() != 0) {
        auto k = store::GetCase(tx, req.case_id());
        if (absl::IsNotFound(k.status())) return InvalidField("case_id", "no such case");
        CMS_RETURN_IF_ERROR(k.status());
        CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(tx, k->casegroup_id()));
        CMS_RETURN_IF_ERROR(CheckCanSeeCasegroup(tx, g, actor));
      }
      if (req.person_id() != 0) {
        auto p = store::GetPerson(tx, req.person_id());
        if (absl::IsNotFound(p.status())) return InvalidField("person_id", "no such person");
        CMS_RETURN_IF_ERROR(p.status());
        CMS_RETURN_IF_ERROR(CheckCanSeePerson(tx, req.person_id(), actor));
      }
      CMS_ASSIGN_OR_RETURN(found,
                           store::ListInteractions(tx, req.person_id(), req.case_id(), page));
    }
    for (auto& i : found) *out->add_interactions() = std::move(i);
    if (out->interactions_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->interactions().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

}  // namespace cms::app
