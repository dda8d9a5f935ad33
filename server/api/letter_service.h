// LetterService (proto/cms/v1/letter.proto): translation only; rules live
// in app/letters.h. Thread-safe.
#pragma once

#include "cms/v1/letter.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/letters.h"

namespace cms::api {

class LetterService final : public cms::v1::LetterService::CallbackService {
 public:
  LetterService(RpcRunner& runner, app::LetterApp& letters) : runner_(runner), letters_(letters) {}

  CMS_RPC(LetterService, ListLetterTemplates, ListLetterTemplatesRequest,
          ListLetterTemplatesResponse, letters_.ListTemplates(*req, resp))
  CMS_RPC(LetterService, IssueLetter, IssueLetterRequest, Letter, letters_.Issue(actor, *req, resp))
  CMS_RPC(LetterService, GetLetter, GetLetterRequest, Letter, letters_.Get(actor, *req, resp))
  CMS_RPC(LetterService, RecordLetterReturned, RecordLetterReturnedRequest, Letter,
          letters_.RecordReturned(actor, *req, resp))
  CMS_RPC(LetterService, RecordInteraction, RecordInteractionRequest, Interaction,
          letters_.RecordInteraction(actor, *req, resp))
  CMS_RPC(LetterService, ListInteractions, ListInteractionsRequest, ListInteractionsResponse,
          letters_.ListInteractions(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::LetterApp& letters_;
};

}  // namespace cms::api
