#include "server/app/foi.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/app/dates.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/foi.h"
#include "server/store/bom_repo.h"
#include "server/store/foi_repo.h"

namespace cms::app {
namespace {

using cms::v1::FoiRequest;

// AG11.3: "these requests can only be carried out by the FOI team".
bool InFoiTeam(const Actor& actor) { return actor.service_segment == cms::v1::SERVICE_SEGMENT_FOI; }

// Reads: the FOI team, service management and auditors.
absl::Status CheckCanRead(const Actor& actor) {
  if (actor.role == cms::v1::ROLE_SERVICE_MANAGEMENT || actor.role == cms::v1::ROLE_AUDITOR) {
    return absl::OkStatus();
  }
  if (InFoiTeam(actor)) return absl::OkStatus();
  return PermissionDenied(
      "FOI requests are read by the FOI team only: they name members of the "
      "public",
      "AG11.3");
}

void SetAge(FoiRequest& r, absl::CivilDay today) {
  r.set_age_days(static_cast<int32_t>(today - CivilDayOf(r.received_date())));
}

}  // namespace

absl::Status FoiApp::Create(const Actor& actor, const cms::v1::CreateFoiRequestRequest& req,
                            FoiRequest* out) {
  return commands_.Run(
      actor, "CreateFoiRequest", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        const absl::CivilDay today = commands_.clock().Today(c.now());
        CMS_RETURN_IF_ERROR(domain::ValidateFoiIntake(req, today));
        const absl::CivilDay received = CivilDayOf(req.received_date());
        auto due = domain::FoiResponseDue(received, req.country(), calendar_);
        if (!due.ok()) {
          return RuleViolation("AG11.3", absl::StrCat("the response deadline is past the bank "
                                                      "holidays the service knows: ",
                                                      due.status().message()));
        }
        int64_t segment = 0;
        CMS_ASSIGN_OR_RETURN(auto live, store::ListLiveSegments(c.tx(), req.country()));
        for (const cms::v1::Segment& s : live) {
          if (s.service_segment() == cms::v1::SERVICE_SEGMENT_FOI) segment = s.id();
        }
        if (segment == 0) {
          return RuleViolation(
              "AG11.3", absl::StrCat("there is no live FOI segment in ", ShortName(req.country())));
        }
        FoiRequest r;
        r.set_country(req.country());
        r.set_owning_segment_id(segment);
        r.set_requester_full_name(
            std::string(absl::StripAsciiWhitespace(req.requester_full_name())));
        r.set_postal_address(std::string(absl::StripAsciiWhitespace(req.postal_address())));
        r.set_email_address(std::string(absl::StripAsciiWhitespace(req.email_address())));
        r.set_channel(req.channel());
        *r.mutable_received_date() = req.received_date();
        r.set_request_text(req.request_text());
        r.set_personal_data(req.personal_data());
        r.set_handling(domain::FoiHandlingOf(req.personal_data()));
        *r.mutable_response_due_date() = DateOf(*due);
        r.set_state(cms::v1::FOI_STATE_OPEN);
        r.set_overdue(*due < today);
        r.set_logged_by(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(r, store::InsertFoiRequest(c.tx(), r, c.now_us()));
        // Overdue as the day after the deadline begins.
        CMS_RETURN_IF_ERROR(
            store::ScheduleTimer(c.tx(),
                                 {kFoiDeadlineTimer, r.id(), commands_.clock().StartOf(*due + 1),
                                  "", absl::StrCat(kFoiDeadlineTimer, "/", r.id())},
                                 c.now_us())
                .status());
        c.Audit("foi_request", absl::StrCat(r.id()), nullptr, r);
        SetAge(r, today);
        *out = r;
        return absl::OkStatus();
      });
}

absl::Status FoiApp::Get(const Actor& actor, const cms::v1::GetFoiRequestRequest& req,
                         FoiRequest* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(*out, store::GetFoiRequest(tx, req.id()));
    CMS_RETURN_IF_ERROR(CheckCanRead(actor));
    SetAge(*out, commands_.clock().Today(now));
    return absl::OkStatus();
  });
}

absl::Status FoiApp::List(const Actor& actor, const cms::v1::ListFoiRequestsRequest& req,
                          cms::v1::ListFoiRequestsResponse* out) {
  FieldErrors errors;
  if (!cms::v1::FoiState_IsValid(req.state())) errors.Add("state", "unknown value");
  if (!cms::v1::Country_IsValid(req.country())) errors.Add("country", "unknown value");
  CMS_RETURN_IF_ERROR(errors.ToStatus("AG11.3"));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  store::FoiFilter filter{req.state(), req.country(), req.overdue_only()};
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    // Staff outside the FOI team see none (as rows a caller may not see are
    // left out of a list, X13.1).
    if (!CheckCanRead(actor).ok()) return absl::OkStatus();
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListFoiRequests(tx, filter, page));
    const absl::CivilDay today = commands_.clock().Today(now);
    for (FoiRequest& r : rows) {
      SetAge(r, today);
      *out->add_requests() = r;
    }
    if (static_cast<int>(rows.size()) == page.limit) {
      out->set_next_page_token(page.NextToken(rows.back().id()));
    }
    return absl::OkStatus();
  });
}

absl::Status FoiApp::Respond(const Actor& actor, const cms::v1::RespondToFoiRequestRequest& req,
                             FoiRequest* out) {
  if (absl::StripAsciiWhitespace(req.response_text()).empty() ||
      req.response_text().size() > 4000) {
    return InvalidField("response_text", "1..4000 characters: what was sent", "AG11.3");
  }
  return commands_.Run(
      actor, "RespondToFoiRequest", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        if (!InFoiTeam(c.actor())) {
          return PermissionDenied("FOI requests are worked by the FOI team only", "AG11.3");
        }
        CMS_ASSIGN_OR_RETURN(FoiRequest r, store::GetFoiRequest(c.tx(), req.id(), true));
        if (c.actor().segment_id != r.owning_segment_id()) {
          return PermissionDenied(absl::StrCat("FOI request ", r.id(), " is the ",
                                               ShortName(r.country()), " FOI team's to work"),
                                  "AG11.3");
        }
        CMS_RETURN_IF_ERROR(
            CheckEtag(req.etag(), r.etag(), "etag", "FOI request", absl::StrCat(r.id())));
        if (r.state() == cms::v1::FOI_STATE_CLOSED) {
          return RuleViolation(
              "AG11.3", absl::StrCat("FOI request ", r.id(), " is closed: its response was sent"));
        }
        const FoiRequest before = r;
        const absl::CivilDay today = commands_.clock().Today(c.now());
        r.set_state(cms::v1::FOI_STATE_CLOSED);
        r.set_response_text(req.response_text());
        *r.mutable_response_date() = DateOf(today);
        r.set_responded_by(c.actor().staff_id);
        CMS_RETURN_IF_ERROR(store::UpdateFoiRequest(c.tx(), r, c.now_us()));
        c.Audit("foi_request", absl::StrCat(r.id()), &before, r);
        SetAge(r, today);
        *out = r;
        return absl::OkStatus();
      });
}

absl::Status FoiApp::DeadlinePassed(Command& c, const store::DueTimer& timer) {
  auto found = store::GetFoiRequest(c.tx(), timer.subject, /*for_update=*/true);
  if (absl::IsNotFound(found.status())) return absl::OkStatus();
  CMS_RETURN_IF_ERROR(found.status());
  FoiRequest r = *std::move(found);
  if (r.state() != cms::v1::FOI_STATE_OPEN || r.overdue()) return absl::OkStatus();
  const FoiRequest before = r;
  r.set_overdue(true);
  CMS_RETURN_IF_ERROR(store::UpdateFoiRequest(c.tx(), r, c.now_us()));
  c.Audit("foi_request", absl::StrCat(r.id()), &before, r);
  return absl::OkStatus();
}

}  // namespace cms::app
