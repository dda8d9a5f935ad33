#include "server/api/server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/api/admin_service.h"
#include "server/api/bom_service.h"
#include "server/api/casegroup_service.h"
#include "server/app/admin.h"
#include "server/app/bom.h"
#include "server/app/casegroups.h"
#include "server/app/clock.h"
#include "server/app/commands.h"

namespace cms::api {

// Everything the services reference, kept alive as long as the server.
struct CmsServer::Parts {
  Parts(store::Db& db, bool test_clock, auth::Authenticator auth)
      : clock(test_clock),
        commands(db, clock),
        authenticator(std::move(auth)),
        runner(authenticator, commands),
        bom_app(commands),
        casegroup_app(commands),
        admin_app(commands),
        bom(runner, bom_app),
        casegroups(runner, casegroup_app),
        admin(runner, admin_app) {}

  app::BusinessClock clock;
  app::Commands commands;
  auth::Authenticator authenticator;
  RpcRunner runner;
  app::BomApp bom_app;
  app::CasegroupApp casegroup_app;
  app::AdminApp admin_app;
  BomService bom;
  CasegroupService casegroups;
  AdminService admin;
};

CmsServer::CmsServer() = default;
CmsServer::~CmsServer() {
  if (server_) {
    server_->Shutdown();
    server_->Wait();
  }
}

absl::StatusOr<std::unique_ptr<CmsServer>> CmsServer::Start(const ServerConfig& config,
                                                            store::Db& db,
                                                            auth::Authenticator authenticator) {
  std::unique_ptr<CmsServer> s(new CmsServer());
  s->parts_ = std::make_unique<Parts>(db, config.test_clock, std::move(authenticator));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  grpc::ResourceQuota quota("cms_server");
  quota.SetMaxThreads(config.max_threads);
  builder.SetResourceQuota(quota);
  builder.AddListeningPort(config.listen, grpc::InsecureServerCredentials(), &s->port_);
  builder.RegisterService(&s->parts_->bom);
  builder.RegisterService(&s->parts_->casegroups);
  builder.RegisterService(&s->parts_->admin);
  s->server_ = builder.BuildAndStart();
  if (!s->server_ || s->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config.listen));
  }
  return s;
}

void CmsServer::Shutdown(absl::Duration grace) {
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

void CmsServer::Wait() { server_->Wait(); }

}  // namespace cms::api
