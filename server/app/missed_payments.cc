#include "server/app/missed_payments.h"

#include "absl/algorithm/container.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/empty.pb.h"
#include "server/app/access.h"
#include "server/app/dates.h"
#include "server/app/money_common.h"
#include "server/app/routing_service.h"
#include "server/base/errors.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/missed_run.h"
#include "server/store/arrears_repo.h"
#include "server/store/bom_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/missed_payment_repo.h"

namespace cms::app {
namespace {

domain::ItemStatus StatusOf(const std::string& s) {
  if (s == "PAID") return domain::ItemStatus::kPaid;
  if (s == "PARTIAL") return domain::ItemStatus::kPartial;
  if (s == "MISSED") return domain::ItemStatus::kMissed;
  return domain::ItemStatus::kPending;
}

// The count of consecutive missed collections of each case, from its items'
// standing (ordered by case then due date).
std::vector<std::pair<int64_t, int>> RunCounts(const std::vector<store::ItemStanding>& items) {
  std::vector<std::pair<int64_t, int>> out;
  std::vector<domain::ClassifiedItem> of_case;
  auto flush = [&](int64_t case_id) {
    if (!of_case.empty()) out.emplace_back(case_id, domain::MissedRun(of_case));
    of_case.clear();
  };
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0 && items[i].case_id != items[i - 1].case_id) flush(items[i - 1].case_id);
    domain::ClassifiedItem c;
    c.item.due = CivilDayOf(items[i].due_date);
    c.status = StatusOf(items[i].status);
    of_case.push_back(std::move(c));
  }
  if (!items.empty()) flush(items.back().case_id);
  return out;
}

cms::v1::MissedPaymentEvent ToProto(const store::MissedPaymentEvent& e) {
  cms::v1::MissedPaymentEvent out;
  out.set_id(e.id);
  out.set_case_id(e.case_id);
  out.set_item_id(e.item_id);
  out.set_run_count(e.run_count);
  *out.mutable_event_date() = e.event_date;
  out.set_outcome(e.outcome);
  return out;
}

bool PlacedByAr101(const cms::v1::Casegroup& g) { return g.routing_rule() == "AR10.1"; }

// R3.2 rules 5 and 6 (new case, maintenance) yield to AR10.1; rules 1-4
// (SCR, international, enforcement, arrears) outrank it.
bool YieldsToCollections(const cms::v1::Casegroup& g) {
  return g.routing_rule() == "R3.2.5" || g.routing_rule() == "R3.2.6";
}

}  // namespace

absl::StatusOr<MissedPaymentRunStats> MissedPaymentApp::RunBatch(absl::CivilDay day,
                                                                 int64_t first_case,
                                                                 int64_t last_case) {
  MissedPaymentRunStats stats;
  google::protobuf::Empty none;
  google::protobuf::Empty unused;
  const cms::v1::Date cutoff = DateOf(day - rules_.missed_payment_tolerance_days);
  const cms::v1::Date today = DateOf(day);
  CMS_RETURN_IF_ERROR(commands_.Run(
      Actor::System(), "MissedPaymentJob", none, "", &unused, [&](Command& c) -> absl::Status {
        stats = {};
        CMS_ASSIGN_OR_RETURN(stats.items_marked,
                             store::MarkOverdueItems(c.tx(), first_case, last_case, cutoff, today));
        if (stats.items_marked == 0) return absl::OkStatus();  // a quiet range
        CMS_ASSIGN_OR_RETURN(auto standings,
                             store::ListItemStandings(c.tx(), first_case, last_case));
        // Each case marked today gets one event, keyed by its latest item
        // marked today, with its run of missed collections.
        std::map<int64_t, int64_t> marked_today;
        for (const store::ItemStanding& i : standings) {
          if (i.missed_on.year() != 0 && CivilDayOf(i.missed_on) == day) {
            marked_today[i.case_id] = i.id;
          }
        }
        std::vector<store::MissedPaymentEvent> events;
        for (const auto& [case_id, run] : RunCounts(standings)) {
          auto it = marked_today.find(case_id);
          if (run < 1 || it == marked_today.end()) continue;
          store::MissedPaymentEvent e;
          e.case_id = case_id;
          e.item_id = it->second;
          e.run_count = run;
          e.event_date = today;
          events.push_back(e);
        }
        if (!events.empty()) {
          // AR10.13: a case whose Disable Missed Payment Monitor is set
          // raises no event (its items are still marked: they are the
          // money's truth).
          CMS_ASSIGN_OR_RETURN(std::vector<int64_t> quiet,
                               store::CasesWithMonitorDisabled(c.tx(), first_case, last_case));
          std::erase_if(events, [&](const store::MissedPaymentEvent& e) {
            return absl::c_linear_search(quiet, e.case_id);
          });
        }
        CMS_ASSIGN_OR_RETURN(auto stored,
                             store::InsertMissedPaymentEvents(c.tx(), events, c.now_us()));
        std::vector<store::TimerSpec> timers;
        for (const store::MissedPaymentEvent& e : stored) {
          timers.push_back({kMissedPaymentEventTimer, e.id, c.now(), absl::StrCat(e.run_count),
                            absl::StrCat(kMissedPaymentEventTimer, "/", e.id)});
        }
        CMS_RETURN_IF_ERROR(store::ScheduleTimers(c.tx(), timers, c.now_us()).status());
        stats.events = static_cast<int64_t>(stored.size());
        return absl::OkStatus();
      }));
  return stats;
}

absl::StatusOr<MissedPaymentRunStats> MissedPaymentApp::RunDetection(absl::CivilDay day) {
  int64_t max_case = 0;
  CMS_RETURN_IF_ERROR(commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(max_case, store::MaxScheduledCaseId(tx));
    return absl::OkStatus();
  }));
  MissedPaymentRunStats total;
  for (int64_t first = 1; first <= max_case; first += cases_per_batch_) {
    CMS_ASSIGN_OR_RETURN(MissedPaymentRunStats batch,
                         RunBatch(day, first, first + cases_per_batch_ - 1));
    total.items_marked += batch.items_marked;
    total.events += batch.events;
    ++total.batches;
  }
  return total;
}

absl::Status MissedPaymentApp::RunForTimer(Command& c, const store::DueTimer& timer) {
  (void)c;  // the batches are transactions of their own (see the header)
  const absl::CivilDay day = commands_.clock().Today(absl::FromUnixMicros(timer.due_us));
  return RunDetection(day).status();
}

absl::Status ArmMissedPaymentJob(Command& c, const BusinessClock& clock) {
  const absl::CivilDay today = clock.Today(c.now());
  absl::Time first = clock.StartOf(today) + absl::Hours(1);
  if (first <= c.now()) first = clock.StartOf(today + 1) + absl::Hours(1);
  return store::ScheduleTimer(c.tx(), store::PeriodicTimerSpec(kMissedPaymentJob, 0, 0, first),
                              c.now_us())
      .status();
}

absl::Status MissedPaymentApp::ListEvents(const Actor& actor,
                                          const cms::v1::ListMissedPaymentEventsRequest& req,
                                          cms::v1::ListMissedPaymentEventsResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
    CMS_ASSIGN_OR_RETURN(auto events, store::ListMissedPaymentEvents(tx, k.id(), page));
    for (const store::MissedPaymentEvent& e : events) *out->add_events() = ToProto(e);
    if (out->events_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->events().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

absl::Status MissedPaymentApp::HandleEvent(Command& c, const store::DueTimer& timer) {
  CMS_ASSIGN_OR_RETURN(store::MissedPaymentEvent e,
                       store::GetMissedPaymentEvent(c.tx(), timer.subject, /*for_update=*/true));
  if (!e.outcome.empty()) return absl::OkStatus();  // handled already
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), e.case_id));
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g,
                       store::GetCasegroup(c.tx(), k.casegroup_id(), /*for_update=*/true));
  CMS_ASSIGN_OR_RETURN(std::optional<std::string> taken,
                       events_.MissedPayment(c, k.id(), CivilDayOf(e.event_date)));
  if (taken.has_value()) {
    CMS_RETURN_IF_ERROR(store::SetMissedPaymentOutcome(c.tx(), e.id, *taken));
    e.outcome = *taken;
    c.Audit("missed_payment_event", absl::StrCat(e.id), nullptr, ToProto(e));
    return absl::OkStatus();
  }
  const domain::MissedPaymentDecision decision = domain::RouteMissedPayment(e.run_count);
  const std::string trigger =
      absl::StrCat("missed payment event ", e.id, " (", e.run_count, " in a row)");
  std::string outcome;
  switch (decision.route) {
    case domain::MissedPaymentRoute::kNone:
      outcome = "no action";
      break;
    case domain::MissedPaymentRoute::kRouteToCollections: {
      if (PlacedByAr101(g)) {
        outcome = "already with COLLECTIONS";
        break;
      }
      if (!YieldsToCollections(g)) {
        outcome = absl::StrCat("stays with ", g.owning_segment_system_name(), ": routing rule ",
                               g.routing_rule(), " outranks AR10.1");
        break;
      }
      CMS_ASSIGN_OR_RETURN(auto live, store::ListLiveSegments(c.tx(), g.country()));
      const cms::v1::Segment* collections = nullptr;
      for (const cms::v1::Segment& s : live) {
        if (s.service_segment() == cms::v1::SERVICE_SEGMENT_COLLECTIONS) {
          collections = &s;
          break;
        }
      }
      if (collections == nullptr) {
        outcome = absl::StrCat("no live COLLECTIONS segment: stays with ",
                               g.owning_segment_system_name());
        break;
      }
      CMS_RETURN_IF_ERROR(Place(c, g, collections->id(), g.country(), "AR10.1", trigger));
      outcome = absl::StrCat("moved to ", collections->system_name(), " to contact the PP");
      break;
    }
    case domain::MissedPaymentRoute::kArrearsReview: {
      // The review is the owning maintenance segment's: a casegroup AR10.1
      // placed in COLLECTIONS goes back where R3.2 puts it.
      if (PlacedByAr101(g)) CMS_RETURN_IF_ERROR(Reroute(c, g.id(), trigger).status());
      ServiceRequestApp::RuleSr spec;
      spec.type_code = "ARREARS_REVIEW";
      spec.casegroup_id = g.id();
      spec.case_id = k.id();
      spec.fields = {{"Reason", "Arrears Routing Logic"}};
      spec.description = absl::StrCat(e.run_count, " missed collections in a row (AR10.1)");
      spec.rule = "AR10.1";
      CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse created,
                           srs_.RaiseByRule(c, spec));
      outcome = absl::StrCat("Arrears Review SR ", created.service_request().id(),
                             created.existing() ? " already open (SR5.10)" : " raised");
      break;
    }
  }
  CMS_RETURN_IF_ERROR(store::SetMissedPaymentOutcome(c.tx(), e.id, outcome));
  e.outcome = outcome;
  c.Audit("missed_payment_event", absl::StrCat(e.id), nullptr, ToProto(e));
  return absl::OkStatus();
}

}  // namespace cms::app
