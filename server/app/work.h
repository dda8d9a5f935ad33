// Use cases of work allocation (W4.1–W4.5): pulling the next queued item,
// team leaders' allocation within their team, load limits and the work
// views. Thread-safe.
#pragma once

#include <cstdint>
#include <utility>

#include "absl/time/time.h"
#include "cms/v1/work.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/base/kept_answers.h"
#include "server/catalog/catalog.h"

namespace cms::app {

class WorkApp {
 public:
  // `load_limit`: the most open SRs one person may hold (W4.4).
  // `queue_stats_max_age`: how long GetQueueStats answers a scope with the
  // counts it made for it (zero: counts on every call).
  WorkApp(Commands& commands, const catalog::SrCatalog& catalog, int64_t load_limit,
          absl::Duration queue_stats_max_age = absl::ZeroDuration())
      : commands_(commands),
        catalog_(catalog),
        load_limit_(load_limit),
        counted_(queue_stats_max_age) {}

  absl::Status GetNextWork(const Actor& actor, const cms::v1::GetNextWorkRequest& req,
                           cms::v1::ServiceRequest* out);
  absl::Status AllocateWork(const Actor& actor, const cms::v1::AllocateWorkRequest& req,
                            cms::v1::ServiceRequest* out);
  absl::Status ListMyWork(const Actor& actor, const cms::v1::ListMyWorkRequest& req,
                          cms::v1::ListMyWorkResponse* out);
  absl::Status ListTeamWork(const Actor& actor, const cms::v1::ListTeamWorkRequest& req,
                            cms::v1::ListTeamWorkResponse* out);
  absl::Status ListSegmentQueue(const Actor& actor, const cms::v1::ListSegmentQueueRequest& req,
                                cms::v1::ListSegmentQueueResponse* out);
  // W4.3: queue sizes and ages (and with by_type, counts by SR type): every
  // segment's, or the one named, for service management; the caller's own
  // segment's for its manager and team leaders. Counting reads every queued
  // SR's index entry (by type, its row), so the counts of a scope are kept
  // for queue_stats_max_age and given to whoever may read that scope; as_of
  // says when they were made.
  absl::Status GetQueueStats(const Actor& actor, const cms::v1::GetQueueStatsRequest& req,
                             cms::v1::QueueStats* out);
  // W4.4: each member's load in a team against the load limit, counts only:
  // the team's leader (team_id 0: the caller's own), a segment manager of
  // the team's segment, or service management.
  absl::Status GetTeamLoad(const Actor& actor, const cms::v1::GetTeamLoadRequest& req,
                           cms::v1::TeamLoad* out);
  absl::Status CheckOrphans(cms::v1::Orphans* out);
  absl::Status RecoverOrphans(const Actor& actor, const cms::v1::RecoverOrphansRequest& req,
                              cms::v1::Orphans* out);

 private:
  struct Scope;
  // The three views' requests and responses are wire-identical messages of
  // their own (AIP-131), so one body serves them all.
  template <typename Request, typename Response>
  absl::Status List(const Scope& scope, const Request& req, Response* out);

  // Counts the queues of one scope (segment 0: every segment).
  absl::Status CountQueueStats(int64_t segment_id, bool by_type, cms::v1::QueueStats* out);

  Commands& commands_;
  const catalog::SrCatalog& catalog_;
  const int64_t load_limit_;

  // GetQueueStats' counts by scope (segment, by_type), kept on real time
  // (the business clock may stand still under test).
  KeptAnswers<std::pair<int64_t, bool>, cms::v1::QueueStats> counted_;
};

}  // namespace cms::app
