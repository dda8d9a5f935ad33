// Use cases of letters and interactions (L12.1, L12.2): issuing a letter
// from a template to a party of a case (refused for a DLO/NFA address, with
// a note on the SR it was for), reading it back, and recording and listing
// calls, letters and SMS per person and case. Thread-safe.
#pragma once

#include "cms/v1/letter.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/catalog/letter_templates.h"

namespace cms::app {

class LetterApp {
 public:
  LetterApp(Commands& commands, const catalog::LetterTemplates& templates)
      : commands_(commands), templates_(templates) {}

  absl::Status ListTemplates(const cms::v1::ListLetterTemplatesRequest& req,
                             cms::v1::ListLetterTemplatesResponse* out);
  // A refusal for a DLO/NFA address (FAILED_PRECONDITION, L12.1) still
  // commits the note it adds to the request's SR, and is itself the
  // idempotent outcome: a retry with the same request_id is refused the
  // same way and adds no second note.
  absl::Status Issue(const Actor& actor, const cms::v1::IssueLetterRequest& req,
                     cms::v1::Letter* out);
  absl::Status Get(const Actor& actor, const cms::v1::GetLetterRequest& req, cms::v1::Letter* out);
  absl::Status RecordInteraction(const Actor& actor, const cms::v1::RecordInteractionRequest& req,
                                 cms::v1::Interaction* out);
  absl::Status ListInteractions(const Actor& actor, const cms::v1::ListInteractionsRequest& req,
                                cms::v1::ListInteractionsResponse* out);

 private:
  Commands& commands_;
  const catalog::LetterTemplates& templates_;
};

}  // namespace cms::app
