// Use cases of letters and interactions (L12.1, L12.2): issuing a letter
// from a template to a party of a case (refused for a DLO/NFA address, with
// a note on the SR it was for), reading it back, and recording and listing
// calls, letters and SMS per person and case. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cms/v1/letter.pb.h"
#include "server/app/actor.h"
#include "server/app/case_events.h"
#include "server/app/commands.h"
#include "server/catalog/letter_templates.h"

namespace cms::app {

// L12.1: whether `status` is the refusal of a letter to a DLO/NFA address
// (FAILED_PRECONDITION under L12.1), as IssueLetterIn returns it.
bool LetterRefused(const absl::Status& status);

class LetterApp {
 public:
  // `events` hears of every letter issued or returned, in that command.
  LetterApp(Commands& commands, const catalog::LetterTemplates& templates, CaseEvents& events)
      : commands_(commands), templates_(templates), events_(events) {}

  absl::Status ListTemplates(const cms::v1::ListLetterTemplatesRequest& req,
                             cms::v1::ListLetterTemplatesResponse* out);
  // A refusal for a DLO/NFA address (FAILED_PRECONDITION, L12.1) still
  // commits the note it adds to the request's SR, and is itself the
  // idempotent outcome: a retry with the same request_id is refused the
  // same way and adds no second note.
  absl::Status Issue(const Actor& actor, const cms::v1::IssueLetterRequest& req,
                     cms::v1::Letter* out);
  // IssueLetter as a step of a running command (e.g. a letter the Segment 5
  // compliance opportunity sends, SPEC §9); the RPC runs the same body.
  // The caller has already decided who may act (no CaseForWrite here; the
  // case must exist). The L12.1 rules are the RPC's: `person_id` is the
  // template's recipient (the case's PP or RP), or 0 to default to it;
  // `sr_id` (0 for none) is an SR of the case's casegroup. A recipient with
  // a DLO/NFA address is refused (LetterRefused) after a note, by
  // "system", is added to the SR in the caller's transaction: a caller that
  // goes on and commits keeps the note (as the RPC does), one that returns
  // the refusal rolls it back with everything else. The letter is recorded
  // as an outbound interaction by the command's actor, audited.
  absl::StatusOr<cms::v1::Letter> IssueLetterIn(Command& c, const std::string& template_code,
                                                int64_t case_id, int64_t person_id, int64_t sr_id);
  absl::Status Get(const Actor& actor, const cms::v1::GetLetterRequest& req, cms::v1::Letter* out);
  // L12.1: the letter came back undelivered (see letter.proto).
  absl::Status RecordReturned(const Actor& actor, const cms::v1::RecordLetterReturnedRequest& req,
                              cms::v1::Letter* out);
  absl::Status RecordInteraction(const Actor& actor, const cms::v1::RecordInteractionRequest& req,
                                 cms::v1::Interaction* out);
  absl::Status ListInteractions(const Actor& actor, const cms::v1::ListInteractionsRequest& req,
                                cms::v1::ListInteractionsResponse* out);

 private:
  Commands& commands_;
  const catalog::LetterTemplates& templates_;
  CaseEvents& events_;
};

}  // namespace cms::app
