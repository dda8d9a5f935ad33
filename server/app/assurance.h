// Use cases of Q&A assurance (AG11.2; issue 16): samples drawn at random
// with a seed and by target over a period of business time, checks,
// feedback, corrective actions and the coaching view.
//
// Who (the decisions where the SPEC and the procedure are silent):
// - Q&A is the staff of a QUALITY_AND_ASSURANCE segment. Its caseworkers
//   and team leader alone draw samples, record checks, give feedback and set
//   corrective actions, and only on their own country's work (a GB Q&A team
//   samples GB segments; special client records are never sampled: nobody
//   outside that segment reads anything of it, X13.1). Q&A reads the
//   samples, checks, feedback and actions of its country.
// - Service management and auditors read every sample, check, feedback
//   and action; they change nothing.
// - A team leader reads the coaching needs of their own team, a segment
//   manager those of their segment's teams; Q&A, service management and
//   auditors any team's. Others: PERMISSION_DENIED AG11.2.
// - A member of staff reads the feedback addressed to them, the corrective
//   actions assigned to them or about their work, and the checks of their
//   own work; the assignee (or Q&A) completes an action.
// - Everyone else is refused (PERMISSION_DENIED AG11.2 on a read of one;
//   lists come back empty, as rows a caller may not see are left out).
//
// What: the population (SRs created, activities completed, business
// decisions made in the period: app/decisions.h) is read through one store
// statement per kind (store/assurance_repo.h) that chooses in SQL by the
// hash of domain/sampling.h; a sample is stored with a snapshot of each
// item's ids and classifications. Checks, feedback and corrective actions
// are immutable once submitted (a correction is a new entry that
// supersedes the old one, which stays readable; an action is completed
// once); each is audited (X13.2: "assurance_sample", "assurance_check",
// "assurance_feedback", "corrective_action") and every create takes a
// request_id (X13.4). Thread-safe.
#pragma once

#include "cms/v1/assurance.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/catalog/catalog.h"

namespace cms::app {

class AssuranceApp {
 public:
  AssuranceApp(Commands& commands, const catalog::SrCatalog& catalog)
      : commands_(commands), catalog_(catalog) {}

  absl::Status Draw(const Actor& actor, const cms::v1::DrawAssuranceSampleRequest& req,
                    cms::v1::AssuranceSample* out);
  absl::Status GetSample(const Actor& actor, const cms::v1::GetAssuranceSampleRequest& req,
                         cms::v1::AssuranceSample* out);
  absl::Status ListSamples(const Actor& actor, const cms::v1::ListAssuranceSamplesRequest& req,
                           cms::v1::ListAssuranceSamplesResponse* out);
  absl::Status RecordCheck(const Actor& actor, const cms::v1::RecordAssuranceCheckRequest& req,
                           cms::v1::AssuranceCheck* out);
  absl::Status GetCheck(const Actor& actor, const cms::v1::GetAssuranceCheckRequest& req,
                        cms::v1::AssuranceCheck* out);
  absl::Status ListChecks(const Actor& actor, const cms::v1::ListAssuranceChecksRequest& req,
                          cms::v1::ListAssuranceChecksResponse* out);
  absl::Status GiveFeedback(const Actor& actor, const cms::v1::GiveAssuranceFeedbackRequest& req,
                            cms::v1::AssuranceFeedback* out);
  absl::Status ListFeedback(const Actor& actor, const cms::v1::ListAssuranceFeedbackRequest& req,
                            cms::v1::ListAssuranceFeedbackResponse* out);
  absl::Status AddAction(const Actor& actor, const cms::v1::AddCorrectiveActionRequest& req,
                         cms::v1::CorrectiveAction* out);
  absl::Status CompleteAction(const Actor& actor,
                              const cms::v1::CompleteCorrectiveActionRequest& req,
                              cms::v1::CorrectiveAction* out);
  absl::Status GetAction(const Actor& actor, const cms::v1::GetCorrectiveActionRequest& req,
                         cms::v1::CorrectiveAction* out);
  absl::Status ListActions(const Actor& actor, const cms::v1::ListCorrectiveActionsRequest& req,
                           cms::v1::ListCorrectiveActionsResponse* out);
  absl::Status GetCoachingNeeds(const Actor& actor, const cms::v1::GetCoachingNeedsRequest& req,
                                cms::v1::CoachingNeeds* out);

 private:
  Commands& commands_;
  const catalog::SrCatalog& catalog_;
};

}  // namespace cms::app
