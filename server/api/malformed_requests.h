// A request whose bytes are not a message of its type never reaches a
// handler: gRPC's own parse fails (a string field holding invalid UTF-8, a
// field cut short) and it answers INTERNAL with an empty message, logged
// nowhere (issue 17, defect 8). MalformedRequests turns that answer into
// INVALID_ARGUMENT with the server's usual error details (reason
// MALFORMED_REQUEST; the field protobuf named, when it named one) and logs
// the call as RpcRunner logs every other. Thread-safe.
#pragma once

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace cms::api {

class MalformedRequests : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

// Sends protobuf's own log lines (the parse error naming the bad field
// among them) through the one logger, and keeps the last one written on
// each thread for MalformedRequests. Call once, before serving.
void RouteProtobufLogs();

}  // namespace cms::api
