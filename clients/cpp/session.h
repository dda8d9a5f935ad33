// What a cmsctl command runs against: the settings, the --output format and
// one stub per service over one channel; the calls (a fresh context each)
// and the printing of their answers in either format. Handlers
// (command_table.cc) take a Session and the parsed command line.
//
// --output json prints a response as one document in the server's JSON
// dialect (server/base/proto_json.h: proto field names, enums by full name,
// int64 as strings, defaults left out, one line), so it parses back into
// the response message (Python json_format.Parse). A list is one document:
// every page gathered into one response of the RPC's List*Response type,
// next_page_token cleared. --output table shows enum short names
// (server/base/enum_names.h).
//
// Thread-safety: single-threaded, like cmsctl.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "clients/cpp/cli_args.h"
#include "clients/cpp/client_channel.h"
#include "clients/cpp/text_printer.h"
#include "cms/v1/admin.grpc.pb.h"
#include "cms/v1/approval.grpc.pb.h"
#include "cms/v1/arrears.grpc.pb.h"
#include "cms/v1/assurance.grpc.pb.h"
#include "cms/v1/bom.grpc.pb.h"
#include "cms/v1/casegroup.grpc.pb.h"
#include "cms/v1/compliance.grpc.pb.h"
#include "cms/v1/foi.grpc.pb.h"
#include "cms/v1/guidance.grpc.pb.h"
#include "cms/v1/letter.grpc.pb.h"
#include "cms/v1/mp.grpc.pb.h"
#include "cms/v1/payment.grpc.pb.h"
#include "cms/v1/service_request.grpc.pb.h"
#include "cms/v1/work.grpc.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace cms::cmsctl {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitOrphans = 3;  // `orphans check` found some (W4.5)
// `--wait --timeout` passed with the operation still running (it carries on).
constexpr int kExitWaitTimedOut = 4;

// How a command ended: the exit status and, unless 0, what to tell stderr.
struct Outcome {
  int exit_code = kExitOk;
  std::string error;
};

// The call failed or the server refused: its status, rule and fields.
Outcome RpcFailure(const grpc::Status& status);

class Session {
 public:
  Session(client::Settings settings, OutputFormat output);

  bool json() const { return output_ == OutputFormat::kJson; }

  v1::BomService::Stub& bom() { return *bom_; }
  v1::CasegroupService::Stub& casegroups() { return *casegroups_; }
  v1::ServiceRequestService::Stub& service_requests() { return *service_requests_; }
  v1::WorkService::Stub& work() { return *work_; }
  v1::LetterService::Stub& letters() { return *letters_; }
  v1::ApprovalService::Stub& approvals() { return *approvals_; }
  v1::PaymentService::Stub& payments() { return *payments_; }
  v1::ComplianceService::Stub& compliance() { return *compliance_; }
  v1::ArrearsService::Stub& arrears() { return *arrears_; }
  v1::FoiService::Stub& foi() { return *foi_; }
  v1::MpService::Stub& mp() { return *mp_; }
  v1::GuidanceService::Stub& guidance() { return *guidance_; }
  v1::AssuranceService::Stub& assurance() { return *assurance_; }
  v1::AdminService::Stub& admin() { return *admin_; }

  // One call with a fresh context (credentials and deadline):
  // `call(grpc::ClientContext*)` returns its status.
  template <typename Call>
  grpc::Status Rpc(Call call) {
    std::unique_ptr<grpc::ClientContext> context = client::NewContext(settings_);
    return call(context.get());
  }

  // Calls a List RPC page by page: `call(context, request, response)` for
  // one page; `take(response)` returns false to stop.
  template <typename Resp, typename Req, typename Call, typename Take>
  grpc::Status Paginate(Req request, Call call, Take take) {
    request.set_page_size(kPageSize);
    while (true) {
      Resp response;
      grpc::Status status =
          Rpc([&](grpc::ClientContext* ctx) { return call(ctx, request, &response); });
      if (!status.ok()) return status;
      if (!take(response) || response.next_page_token().empty()) return grpc::Status::OK;
      if (response.next_page_token() == request.page_token()) {
        return grpc::Status(grpc::StatusCode::INTERNAL, "the server repeated a page token");
      }
      request.set_page_token(response.next_page_token());
    }
  }

  // Every page of a List RPC gathered into `all`: each page's items
  // appended in order, next_page_token cleared.
  template <typename Resp, typename Req, typename Call>
  grpc::Status ListAll(Req request, Call call, Resp* all) {
    all->Clear();
    grpc::Status status = Paginate<Resp>(std::move(request), call, [&](const Resp& page) {
      all->MergeFrom(page);
      return true;
    });
    all->clear_next_page_token();
    return status;
  }

  // One message: JSON, or `key: value` lines.
  Outcome PrintOne(const google::protobuf::Message& message);
  // The outcome of a call that returns one message to print.
  Outcome PrintOrFail(const grpc::Status& status, const google::protobuf::Message& message);
  // A list: the whole `response` as JSON, or its `items` as a table with
  // one column per field path.
  template <typename M>
  Outcome PrintList(const google::protobuf::Message& response,
                    const google::protobuf::RepeatedPtrField<M>& items,
                    const std::vector<std::string>& columns) {
    if (json()) return PrintJson(response);
    return PrintText(FormatMessageTable(items, columns));
  }
  // `message` as one line of JSON (for commands with a table of their own).
  Outcome PrintJson(const google::protobuf::Message& message);
  // Text as it is (a table the command laid out).
  Outcome PrintText(absl::string_view text);

 private:
  static constexpr int kPageSize = 500;

  const client::Settings settings_;
  const OutputFormat output_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::BomService::Stub> bom_;
  std::unique_ptr<v1::CasegroupService::Stub> casegroups_;
  std::unique_ptr<v1::ServiceRequestService::Stub> service_requests_;
  std::unique_ptr<v1::WorkService::Stub> work_;
  std::unique_ptr<v1::LetterService::Stub> letters_;
  std::unique_ptr<v1::ApprovalService::Stub> approvals_;
  std::unique_ptr<v1::PaymentService::Stub> payments_;
  std::unique_ptr<v1::ComplianceService::Stub> compliance_;
  std::unique_ptr<v1::ArrearsService::Stub> arrears_;
  std::unique_ptr<v1::FoiService::Stub> foi_;
  std::unique_ptr<v1::MpService::Stub> mp_;
  std::unique_ptr<v1::GuidanceService::Stub> guidance_;
  std::unique_ptr<v1::AssuranceService::Stub> assurance_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

}  // namespace cms::cmsctl
