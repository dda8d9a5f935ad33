#include "server/app/assurance.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/app/dates.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/assurance.h"
#include "server/domain/sampling.h"
#include "server/store/assurance_repo.h"
#include "server/store/bom_repo.h"

namespace cms::app {
namespace {

using cms::v1::AssuranceCheck;
using cms::v1::AssuranceSample;
using cms::v1::AssuranceSampleItem;
using cms::v1::CorrectiveAction;
using google::protobuf::util::TimeUtil;

constexpr char kRule[] = "AG11.2";

// The Q&A segment the actor belongs to (its caseworkers, team leader and
// manager), if any.
bool InQa(const Actor& actor) {
  return actor.service_segment == cms::v1::SERVICE_SEGMENT_QUALITY_AND_ASSURANCE;
}

// The Q&A segment the actor belongs to, read whole for the writes that
// stamp it, if any.
absl::StatusOr<std::optional<cms::v1::Segment>> QaSegmentOf(store::Tx& tx, const Actor& actor) {
  if (!InQa(actor)) return std::nullopt;
  return store::GetSegment(tx, actor.segment_id);
}

// Q&A's work is done by its caseworkers and team leader: the segment whose
// country they check, or PERMISSION_DENIED AG11.2.
absl::StatusOr<cms::v1::Segment> QaWorkerSegment(store::Tx& tx, const Actor& actor) {
  CMS_ASSIGN_OR_RETURN(auto qa, QaSegmentOf(tx, actor));
  if (!qa || (actor.role != cms::v1::ROLE_CASEWORKER && actor.role != cms::v1::ROLE_TEAM_LEADER)) {
    return PermissionDenied(
        "Q&A assurance is done by the caseworkers and team leaders of a Quality and Assurance "
        "segment",
        kRule);
  }
  return *std::move(qa);
}

// Who reads samples, checks, feedback and actions: everyone (service
// management, auditors), one country (Q&A), or only what concerns them.
struct ReadScope {
  bool all = false;
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;  // Q&A's
  bool Reads(cms::v1::Country c) const { return all || (country != 0 && country == c); }
  bool ReadsAny() const { return all || country != 0; }
  // The country filter of a list (UNSPECIFIED: every country).
  cms::v1::Country Filter() const { return all ? cms::v1::COUNTRY_UNSPECIFIED : country; }
};

ReadScope ReadScopeOf(const Actor& actor) {
  ReadScope scope;
  if (actor.role == cms::v1::ROLE_SERVICE_MANAGEMENT || actor.role == cms::v1::ROLE_AUDITOR) {
    scope.all = true;
    return scope;
  }
  if (InQa(actor)) scope.country = actor.segment_country;
  return scope;
}

absl::Status NotQaReadable(absl::string_view what) {
  return PermissionDenied(absl::StrCat(what,
                                       " is read by Q&A of its country, service management and "
                                       "auditors"),
                          kRule);
}

int64_t MicrosOf(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

// A sampled item named by a check, feedback or action: the check and its
// country, or the refusals every write on a check shares.
absl::StatusOr<AssuranceCheck> CurrentCheckFor(store::Tx& tx, int64_t check_id,
                                               const cms::v1::Segment& qa) {
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;
  auto check = store::GetAssuranceCheck(tx, check_id, &country);
  if (absl::IsNotFound(check.status())) return InvalidField("check_id", "no such check", kRule);
  CMS_RETURN_IF_ERROR(check.status());
  if (country != qa.country()) {
    return PermissionDenied(absl::StrCat("check ", check_id, " is of ", ShortName(country),
                                         " work: its Q&A team works it"),
                            kRule);
  }
  if (check->superseded_by_check_id() != 0) {
    return RuleViolation(kRule, absl::StrCat("check ", check_id, " was corrected by check ",
                                             check->superseded_by_check_id(),
                                             ": feedback and actions go on the current check"));
  }
  return check;
}

void SetOverdue(CorrectiveAction& a, absl::CivilDay today) {
  a.set_overdue(domain::IsCorrectiveActionOverdue(a.state(), CivilDayOf(a.due_date()), today));
}

}  // namespace

// ---------------------------------------------------------------- samples
//
// The views read without a snapshot (Commands::ReadLatest): each answer is
// one statement, or, for a sample with its items, two over rows that never
// change once drawn (a sample and its items are inserted in one
// transaction; the items' current checks come in the one statement). A
// snapshot would add START TRANSACTION and COMMIT: two of four round trips.
// The coaching view reads three tables that move together, in a snapshot.

absl::Status AssuranceApp::Draw(const Actor& actor, const cms::v1::DrawAssuranceSampleRequest& req,
                                AssuranceSample* out) {
  CMS_RETURN_IF_ERROR(domain::ValidateDrawRequest(
      req, [&](const std::string& code) { return catalog_.Find(code) != nullptr; }));
  return commands_.Run(
      actor, "DrawAssuranceSample", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Segment qa, QaWorkerSegment(c.tx(), c.actor()));
        const cms::v1::AssuranceTargets& t = req.targets();
        FieldErrors errors;
        const std::string other = absl::StrCat(ShortName(qa.country()), " Q&A samples ",
                                               ShortName(qa.country()), " work");
        if (t.segment_id() != 0) {
          auto seg = store::GetSegment(c.tx(), t.segment_id());
          if (absl::IsNotFound(seg.status())) {
            errors.Add("targets.segment_id", "no such segment");
          } else {
            CMS_RETURN_IF_ERROR(seg.status());
            if (seg->country() != qa.country()) errors.Add("targets.segment_id", other);
          }
        }
        if (t.team_id() != 0) {
          auto team = store::GetTeam(c.tx(), t.team_id());
          if (absl::IsNotFound(team.status())) {
            errors.Add("targets.team_id", "no such team");
          } else {
            CMS_RETURN_IF_ERROR(team.status());
            CMS_ASSIGN_OR_RETURN(cms::v1::Segment seg,
                                 store::GetSegment(c.tx(), team->segment_id()));
            if (seg.country() != qa.country()) errors.Add("targets.team_id", other);
          }
        }
        CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));

        store::SampleQuery q;
        q.seed = req.seed();
        q.start_us = MicrosOf(req.period().start_time());
        q.end_us = MicrosOf(req.period().end_time());
        q.country = qa.country();
        q.targets = t;
        const bool by_rate = req.rate_ppm() != 0;
        q.below = by_rate ? domain::RateThreshold(req.rate_ppm()) : 0;
        // A rate sample reads one past the limit, to refuse rather than cut.
        q.limit = by_rate ? domain::kMaxSampleSize + 1 : req.size();
        CMS_ASSIGN_OR_RETURN(std::vector<AssuranceSampleItem> items,
                             store::SampleItems(c.tx(), q, req.kinds()));
        if (!domain::ChooseSample(items, by_rate ? 0 : req.size())) {
          return InvalidField("rate_ppm",
                              absl::StrCat("this rate chooses more than ", domain::kMaxSampleSize,
                                           " items: lower it or narrow the targets or period"),
                              kRule);
        }

        AssuranceSample s;
        s.set_country(qa.country());
        s.set_segment_id(qa.id());
        s.set_seed(req.seed());
        *s.mutable_period() = req.period();
        *s.mutable_kinds() = req.kinds();
        *s.mutable_targets() = t;
        s.set_size(req.size());
        s.set_rate_ppm(req.rate_ppm());
        s.set_drawn_by(c.actor().staff_id);
        s.set_item_count(static_cast<int32_t>(items.size()));
        CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertAssuranceSample(c.tx(), s, c.now_us()));
        CMS_RETURN_IF_ERROR(store::InsertSampleItems(c.tx(), id, items));
        s.set_id(id);
        *s.mutable_draw_time() = TimestampOf(c.now());
        // The items are the sample's own rows, never changed: the audit row
        // records what was asked for and how many were chosen.
        c.Audit("assurance_sample", absl::StrCat(id), nullptr, s);
        CMS_ASSIGN_OR_RETURN(*out, store::GetAssuranceSample(c.tx(), id, /*items=*/true));
        return absl::OkStatus();
      });
}

absl::Status AssuranceApp::GetSample(const Actor& actor,
                                     const cms::v1::GetAssuranceSampleRequest& req,
                                     AssuranceSample* out) {
  if (req.id() <= 0) return InvalidField("id", "required", kRule);
  return commands_.ReadLatest([&](store::Tx& tx, absl::Time) -> absl::Status {
    const ReadScope scope = ReadScopeOf(actor);
    // Read once, with the items: a refusal returns none of them.
    CMS_ASSIGN_OR_RETURN(AssuranceSample s, store::GetAssuranceSample(tx, req.id(), true));
    if (!scope.Reads(s.country())) return NotQaReadable("an assurance sample");
    *out = std::move(s);
    return absl::OkStatus();
  });
}

absl::Status AssuranceApp::ListSamples(const Actor& actor,
                                       const cms::v1::ListAssuranceSamplesRequest& req,
                                       cms::v1::ListAssuranceSamplesResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.ReadLatest([&](store::Tx& tx, absl::Time) -> absl::Status {
    const ReadScope scope = ReadScopeOf(actor);
    if (!scope.ReadsAny()) return absl::OkStatus();
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListAssuranceSamples(tx, scope.Filter(), page));
    for (AssuranceSample& s : rows) *out->add_samples() = std::move(s);
    if (out->samples_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->samples().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- checks

absl::Status AssuranceApp::RecordCheck(const Actor& actor,
                                       const cms::v1::RecordAssuranceCheckRequest& req,
                                       AssuranceCheck* out) {
  FieldErrors errors;
  if (req.sample_item_id() <= 0) errors.Add("sample_item_id", "required: the sampled item");
  if (req.corrects_check_id() < 0) errors.Add("corrects_check_id", "a check id, or 0");
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  CMS_RETURN_IF_ERROR(domain::ValidateCheck(req.results(), req.comment()));
  return commands_.Run(
      actor, "RecordAssuranceCheck", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Segment qa, QaWorkerSegment(c.tx(), c.actor()));
        // Locked: an item's checks are decided one at a time.
        auto found = store::GetSampleItem(c.tx(), req.sample_item_id(), /*for_update=*/true);
        if (absl::IsNotFound(found.status())) {
          return RuleViolation(kRule, absl::StrCat("no sample holds an item ", req.sample_item_id(),
                                                   ": Q&A checks the items drawn into a sample"));
        }
        CMS_RETURN_IF_ERROR(found.status());
        const AssuranceSampleItem& item = found->item;
        if (found->country != qa.country()) {
          return PermissionDenied(
              absl::StrCat("sampled item ", item.id(), " is of ", ShortName(found->country),
                           " work: its Q&A team checks it"),
              kRule);
        }
        CMS_ASSIGN_OR_RETURN(std::optional<AssuranceCheck> current,
                             store::CurrentCheckOfItem(c.tx(), item.id()));
        if (req.corrects_check_id() == 0 && current) {
          return RuleViolation(
              kRule,
              absl::StrCat("sampled item ", item.id(), " is already checked (check ", current->id(),
                           "); a check is not changed: a correction names it in "
                           "corrects_check_id"));
        }
        if (req.corrects_check_id() != 0 &&
            (!current || current->id() != req.corrects_check_id())) {
          return RuleViolation(
              kRule, current ? absl::StrCat("check ", req.corrects_check_id(),
                                            " is not the current check of sampled item ", item.id(),
                                            " (check ", current->id(), " is): correct that one")
                             : absl::StrCat("sampled item ", item.id(),
                                            " has no check to correct: record its first check"));
        }
        AssuranceCheck check;
        check.set_sample_id(item.sample_id());
        check.set_sample_item_id(item.id());
        check.set_kind(item.kind());
        check.set_item_id(item.item_id());
        check.set_caseworker(item.caseworker());
        check.set_team_id(item.team_id());
        check.set_case_id(item.case_id());
        check.set_casegroup_id(item.casegroup_id());
        for (auto& r : domain::InCriterionOrder(req.results())) {
          *check.add_results() = std::move(r);
        }
        check.set_outcome(domain::CheckOutcome(req.results()));
        check.set_comment(req.comment());
        check.set_corrects_check_id(req.corrects_check_id());
        check.set_checked_by(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(check,
                             store::InsertAssuranceCheck(c.tx(), check, qa.country(), c.now_us()));
        c.Audit("assurance_check", absl::StrCat(check.id()), current ? &*current : nullptr, check);
        *out = std::move(check);
        return absl::OkStatus();
      });
}

absl::Status AssuranceApp::GetCheck(const Actor& actor,
                                    const cms::v1::GetAssuranceCheckRequest& req,
                                    AssuranceCheck* out) {
  if (req.id() <= 0) return InvalidField("id", "required", kRule);
  return commands_.ReadLatest([&](store::Tx& tx, absl::Time) -> absl::Status {
    const ReadScope scope = ReadScopeOf(actor);
    cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;
    CMS_ASSIGN_OR_RETURN(*out, store::GetAssuranceCheck(tx, req.id(), &country));
    // The caseworker whose work it was reads it too: the feedback is on it.
    if (!scope.Reads(country) && out->caseworker() != actor.staff_id) {
      out->Clear();
      return NotQaReadable("an assurance check");
    }
    return absl::OkStatus();
  });
}

absl::Status AssuranceApp::ListChecks(const Actor& actor,
                                      const cms::v1::ListAssuranceChecksRequest& req,
                                      cms::v1::ListAssuranceChecksResponse* out) {
  FieldErrors errors;
  if (!cms::v1::AssuranceResult_IsValid(req.outcome())) errors.Add("outcome", "unknown value");
  if (req.open() && !req.caseworker().empty()) {
    errors.Add("caseworker", "filters the checks recorded: not with open");
  }
  if (req.open() && req.outcome() != cms::v1::ASSURANCE_RESULT_UNSPECIFIED) {
    errors.Add("outcome", "filters the checks recorded: not with open");
  }
  if (req.sample_id() < 0) errors.Add("sample_id", "a sample id, or 0 for any");
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.ReadLatest([&](store::Tx& tx, absl::Time) -> absl::Status {
    const ReadScope scope = ReadScopeOf(actor);
    if (!scope.ReadsAny()) return absl::OkStatus();
    if (req.open()) {
      CMS_ASSIGN_OR_RETURN(auto items,
                           store::ListOpenSampleItems(tx, scope.Filter(), req.sample_id(), page));
      for (AssuranceSampleItem& i : items) *out->add_open_items() = std::move(i);
      if (out->open_items_size() == page.limit) {
        out->set_next_page_token(page.NextToken(out->open_items().rbegin()->id()));
      }
      return absl::OkStatus();
    }
    store::CheckFilter f;
    f.country = scope.Filter();
    f.sample_id = req.sample_id();
    f.caseworker = req.caseworker();
    f.outcome = req.outcome();
    f.include_superseded = req.include_superseded();
    CMS_ASSIGN_OR_RETURN(auto checks, store::ListAssuranceChecks(tx, f, page));
    for (AssuranceCheck& ch : checks) *out->add_checks() = std::move(ch);
    if (out->checks_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->checks().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- feedback

absl::Status AssuranceApp::GiveFeedback(const Actor& actor,
                                        const cms::v1::GiveAssuranceFeedbackRequest& req,
                                        cms::v1::AssuranceFeedback* out) {
  FieldErrors errors;
  if (req.check_id() <= 0) errors.Add("check_id", "required: the check the feedback is on");
  if (absl::StripAsciiWhitespace(req.text()).empty() ||
      req.text().size() > domain::kMaxAssuranceTextLength) {
    errors.Add("text", absl::StrCat("1..", domain::kMaxAssuranceTextLength, " characters"));
  }
  if (req.corrects_feedback_id() < 0) errors.Add("corrects_feedback_id", "a feedback id, or 0");
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  return commands_.Run(
      actor, "GiveAssuranceFeedback", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Segment qa, QaWorkerSegment(c.tx(), c.actor()));
        CMS_ASSIGN_OR_RETURN(AssuranceCheck check, CurrentCheckFor(c.tx(), req.check_id(), qa));
        const cms::v1::AssuranceFeedback* before = nullptr;
        cms::v1::AssuranceFeedback corrected;
        if (req.corrects_feedback_id() != 0) {
          auto f = store::GetAssuranceFeedback(c.tx(), req.corrects_feedback_id());
          if (absl::IsNotFound(f.status())) {
            return InvalidField("corrects_feedback_id", "no such feedback", kRule);
          }
          CMS_RETURN_IF_ERROR(f.status());
          if (f->check_id() != check.id() || f->superseded_by_feedback_id() != 0) {
            return RuleViolation(
                kRule, absl::StrCat("feedback ", f->id(), " is not the current feedback on check ",
                                    check.id(), ": correct that one"));
          }
          corrected = *std::move(f);
          before = &corrected;
        }
        cms::v1::AssuranceFeedback fb;
        fb.set_check_id(check.id());
        fb.set_sample_item_id(check.sample_item_id());
        fb.set_caseworker(check.caseworker());
        fb.set_casegroup_id(check.casegroup_id());
        fb.set_text(req.text());
        fb.set_corrects_feedback_id(req.corrects_feedback_id());
        fb.set_given_by(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(fb,
                             store::InsertAssuranceFeedback(c.tx(), fb, qa.country(), c.now_us()));
        c.Audit("assurance_feedback", absl::StrCat(fb.id()), before, fb);
        *out = std::move(fb);
        return absl::OkStatus();
      });
}

absl::Status AssuranceApp::ListFeedback(const Actor& actor,
                                        const cms::v1::ListAssuranceFeedbackRequest& req,
                                        cms::v1::ListAssuranceFeedbackResponse* out) {
  if (req.check_id() < 0) return InvalidField("check_id", "a check id, or 0 for any", kRule);
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.ReadLatest([&](store::Tx& tx, absl::Time) -> absl::Status {
    const ReadScope scope = ReadScopeOf(actor);
    store::FeedbackFilter f;
    f.check_id = req.check_id();
    f.caseworker = req.caseworker();
    if (scope.ReadsAny()) {
      f.country = scope.Filter();
    } else {
      // Anyone else: the feedback addressed to them.
      if (!req.caseworker().empty() && req.caseworker() != actor.staff_id) return absl::OkStatus();
      f.caseworker = actor.staff_id;
    }
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListAssuranceFeedback(tx, f, page));
    for (auto& fb : rows) *out->add_feedback() = std::move(fb);
    if (out->feedback_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->feedback().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- corrective actions

absl::Status AssuranceApp::AddAction(const Actor& actor,
                                     const cms::v1::AddCorrectiveActionRequest& req,
                                     CorrectiveAction* out) {
  FieldErrors errors;
  if (req.check_id() <= 0) errors.Add("check_id", "required: the check the action follows");
  if (absl::StripAsciiWhitespace(req.description()).empty() ||
      req.description().size() > domain::kMaxCheckCommentLength) {
    errors.Add("description",
               absl::StrCat("1..", domain::kMaxCheckCommentLength, " characters: what to do"));
  }
  if (req.assigned_to().size() > 40) errors.Add("assigned_to", "a staff id");
  CheckDate(errors, "due_date", req.due_date());
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  return commands_.Run(
      actor, "AddCorrectiveAction", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Segment qa, QaWorkerSegment(c.tx(), c.actor()));
        CMS_ASSIGN_OR_RETURN(AssuranceCheck check, CurrentCheckFor(c.tx(), req.check_id(), qa));
        const absl::CivilDay today = commands_.clock().Today(c.now());
        FieldErrors bad;
        if (CivilDayOf(req.due_date()) < today) bad.Add("due_date", "today or later");
        const std::string assignee =
            req.assigned_to().empty() ? check.caseworker() : req.assigned_to();
        auto staff = store::GetStaff(c.tx(), assignee);
        if (absl::IsNotFound(staff.status())) {
          bad.Add("assigned_to", req.assigned_to().empty()
                                     ? absl::StrCat("required: the checked work is ", assignee,
                                                    "'s, who is not a member of staff")
                                     : std::string("no such member of staff"));
        } else {
          CMS_RETURN_IF_ERROR(staff.status());
          const cms::v1::Role role = staff->role();
          if (!staff->active()) {
            bad.Add("assigned_to",
                    absl::StrCat(assignee, " is no longer active: name who does it"));
          } else if (role != cms::v1::ROLE_CASEWORKER && role != cms::v1::ROLE_TEAM_LEADER &&
                     role != cms::v1::ROLE_SEGMENT_MANAGER) {
            bad.Add("assigned_to", "a caseworker, team leader or segment manager");
          }
        }
        CMS_RETURN_IF_ERROR(bad.ToStatus(kRule));
        CorrectiveAction a;
        a.set_check_id(check.id());
        a.set_sample_item_id(check.sample_item_id());
        a.set_caseworker(check.caseworker());
        a.set_team_id(check.team_id());
        a.set_casegroup_id(check.casegroup_id());
        a.set_description(req.description());
        a.set_assigned_to(assignee);
        *a.mutable_due_date() = req.due_date();
        a.set_state(cms::v1::CORRECTIVE_ACTION_STATE_OPEN);
        a.set_set_by(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(a, store::InsertCorrectiveAction(c.tx(), a, qa.country(), c.now_us()));
        SetOverdue(a, today);
        c.Audit("corrective_action", absl::StrCat(a.id()), nullptr, a);
        *out = std::move(a);
        return absl::OkStatus();
      });
}

absl::Status AssuranceApp::CompleteAction(const Actor& actor,
                                          const cms::v1::CompleteCorrectiveActionRequest& req,
                                          CorrectiveAction* out) {
  FieldErrors errors;
  if (req.id() <= 0) errors.Add("id", "required");
  if (absl::StripAsciiWhitespace(req.note()).empty() ||
      req.note().size() > domain::kMaxCheckCommentLength) {
    errors.Add("note",
               absl::StrCat("1..", domain::kMaxCheckCommentLength, " characters: what was done"));
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  return commands_.Run(
      actor, "CompleteCorrectiveAction", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;
        CMS_ASSIGN_OR_RETURN(
            CorrectiveAction a,
            store::GetCorrectiveAction(c.tx(), req.id(), /*for_update=*/true, &country));
        if (a.assigned_to() != c.actor().staff_id) {
          auto qa = QaWorkerSegment(c.tx(), c.actor());
          if (!qa.ok() || qa->country() != country) {
            return PermissionDenied(
                absl::StrCat("corrective action ", a.id(), " is ", a.assigned_to(),
                             "'s to complete (or its Q&A team's)"),
                kRule);
          }
        }
        CMS_RETURN_IF_ERROR(
            CheckEtag(req.etag(), a.etag(), "etag", "corrective action", absl::StrCat(a.id())));
        if (a.state() == cms::v1::CORRECTIVE_ACTION_STATE_DONE) {
          return RuleViolation(kRule, absl::StrCat("corrective action ", a.id(),
                                                   " is already done (by ", a.completed_by(), ")"));
        }
        const CorrectiveAction before = a;
        a.set_state(cms::v1::CORRECTIVE_ACTION_STATE_DONE);
        a.set_completed_by(c.actor().staff_id);
        a.set_completion_note(req.note());
        CMS_RETURN_IF_ERROR(store::CompleteCorrectiveAction(c.tx(), a, c.now_us()));
        SetOverdue(a, commands_.clock().Today(c.now()));
        c.Audit("corrective_action", absl::StrCat(a.id()), &before, a);
        *out = std::move(a);
        return absl::OkStatus();
      });
}

absl::Status AssuranceApp::GetAction(const Actor& actor,
                                     const cms::v1::GetCorrectiveActionRequest& req,
                                     CorrectiveAction* out) {
  if (req.id() <= 0) return InvalidField("id", "required", kRule);
  return commands_.ReadLatest([&](store::Tx& tx, absl::Time now) -> absl::Status {
    const ReadScope scope = ReadScopeOf(actor);
    cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;
    CMS_ASSIGN_OR_RETURN(CorrectiveAction a,
                         store::GetCorrectiveAction(tx, req.id(), /*for_update=*/false, &country));
    if (!scope.Reads(country) && a.assigned_to() != actor.staff_id &&
        a.caseworker() != actor.staff_id) {
      return NotQaReadable("a corrective action");
    }
    SetOverdue(a, commands_.clock().Today(now));
    *out = std::move(a);
    return absl::OkStatus();
  });
}

absl::Status AssuranceApp::ListActions(const Actor& actor,
                                       const cms::v1::ListCorrectiveActionsRequest& req,
                                       cms::v1::ListCorrectiveActionsResponse* out) {
  if (req.check_id() < 0) return InvalidField("check_id", "a check id, or 0 for any", kRule);
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.ReadLatest([&](store::Tx& tx, absl::Time now) -> absl::Status {
    const ReadScope scope = ReadScopeOf(actor);
    const absl::CivilDay today = commands_.clock().Today(now);
    store::ActionFilter f;
    f.check_id = req.check_id();
    f.open_only = req.open_only();
    if (req.overdue_only()) f.due_before = absl::FormatCivilTime(today);
    if (req.assigned_to_me()) f.assigned_to = actor.staff_id;
    if (scope.ReadsAny()) {
      f.country = scope.Filter();
    } else {
      // Anyone else: the actions assigned to them or about their work.
      f.for_staff = actor.staff_id;
    }
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListCorrectiveActions(tx, f, page));
    for (CorrectiveAction& a : rows) {
      SetOverdue(a, today);
      *out->add_actions() = std::move(a);
    }
    if (out->actions_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->actions().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- coaching

absl::Status AssuranceApp::GetCoachingNeeds(const Actor& actor,
                                            const cms::v1::GetCoachingNeedsRequest& req,
                                            cms::v1::CoachingNeeds* out) {
  FieldErrors errors;
  if (req.team_id() <= 0) errors.Add("team_id", "required");
  domain::CheckAssurancePeriod(req.has_period() ? &req.period() : nullptr, "period", errors);
  CMS_RETURN_IF_ERROR(errors.ToStatus(kRule));
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    auto team = store::GetTeam(tx, req.team_id());
    if (absl::IsNotFound(team.status())) return InvalidField("team_id", "no such team", kRule);
    CMS_RETURN_IF_ERROR(team.status());
    const ReadScope scope = ReadScopeOf(actor);
    const bool own_team = actor.role == cms::v1::ROLE_TEAM_LEADER && actor.team_id == team->id();
    const bool own_segment =
        actor.role == cms::v1::ROLE_SEGMENT_MANAGER && actor.segment_id == team->segment_id();
    if (!scope.ReadsAny() && !own_team && !own_segment) {
      return PermissionDenied(absl::StrCat("the coaching needs of team ", team->id(),
                                           " are read by its team leader, its segment's "
                                           "manager, Q&A, service management and auditors"),
                              kRule);
    }
    store::StaffFilter members_of;
    members_of.team_id = team->id();
    CMS_ASSIGN_OR_RETURN(auto staff, store::ListStaff(tx, members_of, "", kMaxPageSize));
    std::vector<std::string> members;
    for (const cms::v1::StaffMember& m : staff) members.push_back(m.staff_id());
    CMS_ASSIGN_OR_RETURN(
        auto checks, store::CurrentChecksOfWork(tx, members, MicrosOf(req.period().start_time()),
                                                MicrosOf(req.period().end_time())));
    CMS_ASSIGN_OR_RETURN(auto actions, store::OpenActionsOfWork(tx, members));
    std::vector<domain::CoachingCheck> coaching_checks;
    for (const AssuranceCheck& ch : checks) {
      domain::CoachingCheck cc;
      cc.caseworker = ch.caseworker();
      for (const auto& r : ch.results()) {
        if (r.result() == cms::v1::ASSURANCE_RESULT_FAIL) cc.failed.push_back(r.criterion());
      }
      coaching_checks.push_back(std::move(cc));
    }
    std::vector<domain::CoachingAction> coaching_actions;
    for (const CorrectiveAction& a : actions) {
      coaching_actions.push_back({a.caseworker(), a.state(), CivilDayOf(a.due_date())});
    }
    out->set_team_id(team->id());
    *out->mutable_period() = req.period();
    for (auto& cw : domain::AggregateCoaching(members, coaching_checks, coaching_actions,
                                              commands_.clock().Today(now))) {
      *out->add_caseworkers() = std::move(cw);
    }
    return absl::OkStatus();
  });
}

}  // namespace cms::app
