#include "server/app/work.h"

#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/app/access.h"
#include "server/app/dates.h"
#include "server/app/routing_service.h"
#include "server/app/service_requests.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/access.h"
#include "server/domain/sr_rules.h"
#include "server/store/bom_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/sr_repo.h"
#include "server/store/work_repo.h"

namespace cms::app {
namespace {

using cms::v1::ServiceRequest;

// Work pages continue after (queue rank, created, id): the queue order. The
// cursor travels inside a page token bound to the view's filters
// (base/paging).
std::string WorkCursor(const ServiceRequest& last) {
  const int64_t created_us =
      last.create_time().seconds() * 1000000 + last.create_time().nanos() / 1000;
  return absl::StrCat("w:", last.priority() ? 0 : 1, ":", created_us, ":", last.id());
}

absl::Status ParseWorkCursor(absl::string_view cursor, store::WorkQuery* q) {
  if (cursor.empty()) return absl::OkStatus();
  std::vector<std::string> parts = absl::StrSplit(cursor, ':');
  if (parts.size() != 4 || parts[0] != "w" || !absl::SimpleAtoi(parts[1], &q->after_rank) ||
      !absl::SimpleAtoi(parts[2], &q->after_created_us) ||
      !absl::SimpleAtoi(parts[3], &q->after_id)) {
    return InvalidField("page_token", "not a token this server returned");
  }
  return absl::OkStatus();
}

// W4.2: case-owning SRs go with their casegroup; FU SRs one by one.
absl::Status Allocate(store::Tx& tx, const ServiceRequest& sr, const std::string& staff_id,
                      store::Sending when = store::Sending::kNow) {
  if (sr.kind() == cms::v1::SR_KIND_CASE_OWNING) {
    return store::AllocateCasegroupWork(tx, sr.casegroup_id(), sr.owning_segment_id(), staff_id,
                                        when);
  }
  return store::AllocateServiceRequest(tx, sr.id(), staff_id, when);
}

}  // namespace

struct WorkApp::Scope {
  std::string allocated_to;
  int64_t team_id = 0;
  int64_t queue_segment_id = 0;
};

absl::Status WorkApp::GetNextWork(const Actor& actor, const cms::v1::GetNextWorkRequest& req,
                                  ServiceRequest* out) {
  if (actor.segment_id == 0) {
    return RuleViolation("W4.3", "only staff of a segment take work from its queue");
  }
  return commands_.Run(
      actor, "GetNextWork", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(int64_t held,
                             store::CountOpenAllocated(c.tx(), actor.staff_id, load_limit_));
        if (held >= load_limit_) {
          return RuleViolation("W4.4",
                               absl::StrCat("you hold the limit of ", load_limit_, " open SRs"));
        }
        CMS_ASSIGN_OR_RETURN(auto next, store::ClaimNextQueuedSr(c.tx(), actor.segment_id));
        if (!next.has_value()) {
          return WithReason(absl::NotFoundError("your segment's queue is empty"), "QUEUE_EMPTY");
        }
        const ServiceRequest& before = *next;
        // Allocating changes only allocated_to and the version
        // (work_repo.cc), so the SR after it is built, not read back, and
        // the updates go with the commit.
        CMS_RETURN_IF_ERROR(Allocate(c.tx(), before, actor.staff_id, store::Sending::kWithCommit));
        *out = before;
        out->set_allocated_to(actor.staff_id);
        out->set_etag(NextEtag(before.etag()));
        DescribeType(catalog_, out);
        c.Audit("service_request", absl::StrCat(before.id()), &before, *out);
        return absl::OkStatus();
      });
}

absl::Status WorkApp::AllocateWork(const Actor& actor, const cms::v1::AllocateWorkRequest& req,
                                   ServiceRequest* out) {
  if (req.least_loaded() && !req.staff_id().empty()) {
    return InvalidField("staff_id", "give a staff id or least_loaded, not both");
  }
  return commands_.Run(
      actor, "AllocateWork", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ServiceRequest before,
                             store::GetServiceRequest(c.tx(), req.service_request_id(), true));
        CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), before.etag(), "etag", "service request",
                                      absl::StrCat(before.id())));
        if (domain::IsTerminal(before.status())) {
          return RuleViolation("W4.3", "a closed or cancelled SR is no longer work");
        }
        if (!domain::MayAllocateSr(ViewerOf(actor), actor.team_id != 0,
                                   before.owning_segment_id())) {
          return PermissionDenied("a team leader allocates work of their own segment only", "W4.3");
        }
        std::string target = req.staff_id();
        if (req.least_loaded()) {
          CMS_ASSIGN_OR_RETURN(auto least,
                               store::LeastLoadedCaseworker(c.tx(), actor.team_id, load_limit_));
          if (!least.has_value()) {
            return RuleViolation("W4.4", "every caseworker of the team is at the load limit");
          }
          target = *least;
        } else if (!target.empty()) {
          auto member = store::GetStaff(c.tx(), target);
          if (absl::IsNotFound(member.status())) return InvalidField("staff_id", "no such staff");
          CMS_RETURN_IF_ERROR(member.status());
          if (!member->active() || member->team_id() != actor.team_id) {
            return RuleViolation("W4.3",
                                 absl::StrCat(target, " is not an active member of your team"));
          }
          if (before.allocated_to() != target) {
            CMS_ASSIGN_OR_RETURN(int64_t held,
                                 store::CountOpenAllocated(c.tx(), target, load_limit_));
            if (held >= load_limit_) {
              return RuleViolation(
                  "W4.4", absl::StrCat(target, " holds the limit of ", load_limit_, " open SRs"));
            }
          }
        }
        CMS_RETURN_IF_ERROR(Allocate(c.tx(), before, target));
        CMS_ASSIGN_OR_RETURN(*out, LoadServiceRequest(c.tx(), catalog_, before.id()));
        c.Audit("service_request", absl::StrCat(before.id()), &before, *out);
        return absl::OkStatus();
      });
}

absl::Status WorkApp::GetQueueStats(const Actor& actor, const cms::v1::GetQueueStatsRequest& req,
                                    cms::v1::QueueStats* out) {
  if (req.segment_id() < 0) return InvalidField("segment_id", "a segment id, or 0", "W4.3");
  const bool service_management = actor.role == cms::v1::ROLE_SERVICE_MANAGEMENT;
  if (!service_management && actor.segment_id == 0) {
    return RuleViolation("W4.3", "the caller manages no segment");
  }
  if (!service_management && req.segment_id() != 0 && req.segment_id() != actor.segment_id) {
    return PermissionDenied(
        "a segment manager or team leader reads their own segment's queue figures", "W4.3");
  }
  // Service management reads every segment's unless it names one.
  const int64_t only = service_management ? req.segment_id() : actor.segment_id;
  const std::pair<int64_t, bool> scope{only, req.by_type()};
  if (std::optional<cms::v1::QueueStats> kept = counted_.Find(scope)) {
    *out = *std::move(kept);
    return absl::OkStatus();
  }
  // Callers that miss together each count: none waits on another's count.
  const absl::Time started = counted_.Now();
  CMS_RETURN_IF_ERROR(CountQueueStats(only, req.by_type(), out));
  counted_.Keep(scope, *out, started);
  return absl::OkStatus();
}

absl::Status WorkApp::CountQueueStats(int64_t only, bool by_type, cms::v1::QueueStats* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    out->Clear();  // a retried read starts again
    std::vector<cms::v1::Segment> segments;
    if (only == 0) {
      store::SegmentFilter all;
      all.include_retired = true;  // shown while they still hold queued work
      PageRequest page;
      page.limit = kMaxPageSize;
      for (;;) {
        CMS_ASSIGN_OR_RETURN(auto rows, store::ListSegments(tx, all, page));
        const bool full = static_cast<int>(rows.size()) == page.limit;
        for (auto& s : rows) segments.push_back(std::move(s));
        if (!full) break;
        page.after_id = segments.back().id();
      }
    } else {
      auto one = store::GetSegment(tx, only);
      if (absl::IsNotFound(one.status())) return InvalidField("segment_id", "no such segment");
      CMS_RETURN_IF_ERROR(one.status());
      segments.push_back(*std::move(one));
    }
    // Ages are whole days of business time, as the views' min_age_days.
    const absl::Duration day = absl::Hours(24);
    const int64_t bounds_us[3] = {absl::ToUnixMicros(now - 7 * day),
                                  absl::ToUnixMicros(now - 30 * day),
                                  absl::ToUnixMicros(now - 90 * day)};
    CMS_ASSIGN_OR_RETURN(std::vector<store::QueueCount> counts,
                         store::CountQueues(tx, only, bounds_us));
    std::vector<store::QueueTypeCount> typed;
    if (by_type) {
      CMS_ASSIGN_OR_RETURN(typed, store::CountQueuesByType(tx, only));
    }
    auto type_count = typed.begin();
    auto count = counts.begin();
    for (const cms::v1::Segment& s : segments) {  // both in segment id order
      while (count != counts.end() && count->segment_id < s.id()) ++count;
      const bool has = count != counts.end() && count->segment_id == s.id();
      if (!has && s.status() != cms::v1::LIFECYCLE_STATUS_ACTIVE) continue;
      cms::v1::SegmentQueueStats* row = out->add_segments();
      row->set_segment_id(s.id());
      row->set_system_name(s.system_name());
      row->set_description(s.description());
      row->set_country(s.country());
      while (type_count != typed.end() && type_count->segment_id < s.id()) ++type_count;
      for (; type_count != typed.end() && type_count->segment_id == s.id(); ++type_count) {
        cms::v1::QueueTypeCount* t = row->add_queued_by_type();
        t->set_type_code(type_count->type_code);
        t->set_queued(type_count->queued);
      }
      if (!has) continue;
      row->set_queued(count->queued);
      row->set_queued_priority(count->priority);
      row->set_aged_under_7_days(count->by_age[0]);
      row->set_aged_7_to_29_days(count->by_age[1]);
      row->set_aged_30_to_89_days(count->by_age[2]);
      row->set_aged_90_days_or_more(count->by_age[3]);
      *row->mutable_oldest_create_time() =
          TimestampOf(absl::FromUnixMicros(count->oldest_created_us));
    }
    *out->mutable_as_of() = TimestampOf(now);
    return absl::OkStatus();
  });
}

absl::Status WorkApp::GetTeamLoad(const Actor& actor, const cms::v1::GetTeamLoadRequest& req,
                                  cms::v1::TeamLoad* out) {
  if (req.team_id() < 0) return InvalidField("team_id", "a team id, or 0 for your own", "W4.4");
  const int64_t team_id = req.team_id() != 0 ? req.team_id() : actor.team_id;
  if (team_id == 0) return RuleViolation("W4.4", "the caller belongs to no team; name one");
  // Counts, not records: a team's leader reads their own team's, a segment
  // manager any team of their segment's, service management any team's.
  const bool service_management = actor.role == cms::v1::ROLE_SERVICE_MANAGEMENT;
  const bool segment_manager = actor.role == cms::v1::ROLE_SEGMENT_MANAGER;
  if (!service_management && !segment_manager &&
      !(actor.role == cms::v1::ROLE_TEAM_LEADER && team_id == actor.team_id)) {
    return PermissionDenied(
        "a team's load is read by its team leader, its segment's manager or service management",
        "W4.4");
  }
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    auto team = store::GetTeam(tx, team_id);
    if (absl::IsNotFound(team.status())) return InvalidField("team_id", "no such team", "W4.4");
    CMS_RETURN_IF_ERROR(team.status());
    if (segment_manager && team->segment_id() != actor.segment_id) {
      return PermissionDenied("a segment manager reads the load of their own segment's teams",
                              "W4.4");
    }
    CMS_ASSIGN_OR_RETURN(std::vector<store::MemberLoadCount> members,
                         store::CountTeamLoad(tx, team_id));
    out->set_team_id(team_id);
    out->set_load_limit(load_limit_);
    for (const store::MemberLoadCount& m : members) {
      cms::v1::MemberLoad* row = out->add_members();
      row->set_staff_id(m.staff_id);
      row->set_role(m.role);
      row->set_open(m.open);
      row->set_open_priority(m.priority);
      if (m.open > 0) {
        *row->mutable_oldest_create_time() = TimestampOf(absl::FromUnixMicros(m.oldest_created_us));
      }
    }
    *out->mutable_as_of() = TimestampOf(now);
    return absl::OkStatus();
  });
}

absl::Status WorkApp::CheckOrphans(cms::v1::Orphans* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(store::Orphans found, store::FindOrphans(tx));
    *out->mutable_casegroup_ids() = {found.casegroup_ids.begin(), found.casegroup_ids.end()};
    *out->mutable_service_request_ids() = {found.service_request_ids.begin(),
                                           found.service_request_ids.end()};
    out->set_count(out->casegroup_ids_size() + out->service_request_ids_size());
    return absl::OkStatus();
  });
}

absl::Status WorkApp::RecoverOrphans(const Actor& actor, const cms::v1::RecoverOrphansRequest& req,
                                     cms::v1::Orphans* out) {
  return commands_.Run(
      actor, "RecoverOrphans", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(store::Orphans found, store::FindOrphans(c.tx()));
        // Casegroups first: their case-owning SRs follow them.
        for (int64_t id : found.casegroup_ids) {
          CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup before, store::GetCasegroup(c.tx(), id, true));
          CMS_ASSIGN_OR_RETURN(cms::v1::Segment owner,
                               store::GetSegment(c.tx(), before.owning_segment_id()));
          if (owner.status() == cms::v1::LIFECYCLE_STATUS_RETIRED) {
            CMS_RETURN_IF_ERROR(Reroute(c, id, "RecoverOrphans").status());
          } else {
            CMS_RETURN_IF_ERROR(store::AllocateCasegroupWork(c.tx(), id, owner.id(), ""));
            CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup after, store::GetCasegroup(c.tx(), id));
            c.Audit("casegroup", absl::StrCat(id), &before, after);
          }
          out->add_casegroup_ids(id);
        }
        for (int64_t id : found.service_request_ids) {
          CMS_ASSIGN_OR_RETURN(ServiceRequest before, store::GetServiceRequest(c.tx(), id, true));
          CMS_ASSIGN_OR_RETURN(cms::v1::Segment owner,
                               store::GetSegment(c.tx(), before.owning_segment_id()));
          int64_t target = owner.id();
          // A retired owner's SR goes where a new one would (W4.2, SR5.7);
          // recovered work waits unallocated in that segment's queue. A
          // functionally unique SR of a type the catalog no longer has
          // names no specialist: it stays put.
          const cms::v1::SrType* type = catalog_.Find(before.type_code());
          if (owner.status() == cms::v1::LIFECYCLE_STATUS_RETIRED &&
              (type != nullptr || before.kind() == cms::v1::SR_KIND_CASE_OWNING)) {
            cms::v1::SrType as_stored = type != nullptr ? *type : cms::v1::SrType();
            as_stored.set_kind(before.kind());
            CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g,
                                 store::GetCasegroup(c.tx(), before.casegroup_id()));
            CMS_ASSIGN_OR_RETURN(domain::SrOwner chosen,
                                 OwnerOfSr(c.tx(), as_stored, g, before.subject_person_id()));
            target = chosen.segment_id;
          }
          CMS_RETURN_IF_ERROR(store::MoveServiceRequest(c.tx(), id, target));
          CMS_ASSIGN_OR_RETURN(ServiceRequest after, store::GetServiceRequest(c.tx(), id));
          c.Audit("service_request", absl::StrCat(id), &before, after);
          out->add_service_request_ids(id);
        }
        out->set_count(out->casegroup_ids_size() + out->service_request_ids_size());
        return absl::OkStatus();
      });
}

template <typename Request, typename Response>
absl::Status WorkApp::List(const Scope& scope, const Request& req, Response* out) {
  FieldErrors errors;
  store::WorkQuery q;
  q.allocated_to = scope.allocated_to;
  q.team_id = scope.team_id;
  q.queue_segment_id = scope.queue_segment_id;
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req, /*id_cursor=*/false));
  q.limit = page.limit;
  for (int s : req.statuses()) {
    const auto status = static_cast<cms::v1::SrStatus>(s);
    if (!cms::v1::SrStatus_IsValid(s) || status == cms::v1::SR_STATUS_UNSPECIFIED ||
        domain::IsTerminal(status)) {
      errors.Add("statuses", "open statuses only: OPEN, IN_PROGRESS, WAIT, PENDING_APPROVAL");
      break;
    }
    q.statuses.push_back(ShortName(status));
  }
  if (!req.type_code().empty() && catalog_.Find(req.type_code()) == nullptr) {
    errors.Add("type_code", "not in the SR catalog");
  }
  q.type_code = req.type_code();
  if (req.min_age_days() < 0) errors.Add("min_age_days", "must not be negative");
  CMS_RETURN_IF_ERROR(ParseWorkCursor(page.cursor, &q));
  CMS_RETURN_IF_ERROR(errors.ToStatus("W4.3"));
  // A page is one statement (a team's: the member list, then one UNION):
  // no snapshot needed, and the views are the hottest reads.
  return commands_.ReadLatest([&](store::Tx& tx, absl::Time now) -> absl::Status {
    if (req.min_age_days() > 0) {
      q.created_before_us = absl::ToUnixMicros(now - absl::Hours(24) * req.min_age_days());
    }
    CMS_ASSIGN_OR_RETURN(auto items, store::ListWork(tx, q));
    for (auto& sr : items) {
      DescribeType(catalog_, &sr);
      *out->add_items() = std::move(sr);
    }
    if (out->items_size() == q.limit)
      out->set_next_page_token(page.NextToken(WorkCursor(*out->items().rbegin())));
    return absl::OkStatus();
  });
}

absl::Status WorkApp::ListMyWork(const Actor& actor, const cms::v1::ListMyWorkRequest& req,
                                 cms::v1::ListMyWorkResponse* out) {
  Scope scope;
  scope.allocated_to = actor.staff_id;
  return List(scope, req, out);
}

absl::Status WorkApp::ListTeamWork(const Actor& actor, const cms::v1::ListTeamWorkRequest& req,
                                   cms::v1::ListTeamWorkResponse* out) {
  if (actor.team_id == 0) return RuleViolation("W4.3", "the caller leads no team");
  Scope scope;
  scope.team_id = actor.team_id;
  return List(scope, req, out);
}

absl::Status WorkApp::ListSegmentQueue(const Actor& actor,
                                       const cms::v1::ListSegmentQueueRequest& req,
                                       cms::v1::ListSegmentQueueResponse* out) {
  if (actor.segment_id == 0) return RuleViolation("W4.3", "the caller manages no segment");
  Scope scope;
  scope.queue_segment_id = actor.segment_id;
  return List(scope, req, out);
}

}  // namespace cms::app
