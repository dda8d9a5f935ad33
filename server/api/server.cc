#include "server/api/server.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/api/admin_service.h"
#include "server/api/approval_service.h"
#include "server/api/arrears_service.h"
#include "server/api/assurance_service.h"
#include "server/api/bom_service.h"
#include "server/api/casegroup_service.h"
#include "server/api/compliance_service.h"
#include "server/api/foi_service.h"
#include "server/api/guidance_service.h"
#include "server/api/letter_service.h"
#include "server/api/malformed_requests.h"
#include "server/api/mp_service.h"
#include "server/api/payment_service.h"
#include "server/api/service_request_service.h"
#include "server/api/work_service.h"
#include "server/app/admin.h"
#include "server/app/bom.h"
#include "server/app/casegroups.h"
#include "server/app/clock.h"
#include "server/app/commands.h"
#include "server/app/compliance.h"
#include "server/app/deo_cancellation.h"
#include "server/app/employment.h"
#include "server/app/hmrc.h"
#include "server/app/legacy_csa.h"
#include "server/auth/transport.h"
#include "server/base/status_macros.h"
#include "server/jobs/timer_kinds.h"

namespace cms::api {

// Everything the services reference, kept alive as long as the server.
struct CmsServer::Parts {
  Parts(store::Db& db, const ServerConfig& config, std::unique_ptr<auth::Authenticator> auth,
        catalog::SrCatalog sr_types, catalog::LetterTemplates letter_templates,
        domain::WorkingDayCalendar working_days, app::BusinessClock business_clock)
      : catalog(std::move(sr_types)),
        templates(std::move(letter_templates)),
        calendar(std::move(working_days)),
        clock(std::move(business_clock)),
        commands(db, clock),
        authenticator(std::move(auth)),
        refusals(config.refusal_limits),
        admission(config.admission),
        runner(*authenticator, commands, refusals, admission, config.max_call),
        bom_app(commands, config.bulk_move_batch),
        casegroup_app(commands, case_events),
        admin_app(
            commands,
            [this] {
              if (sweeper) sweeper->Notify();
            },
            hmrc, legacy_csa),
        sr_app(commands, catalog, &case_events),
        work_app(commands, catalog, config.work_load_limit, config.queue_stats_max_age),
        letter_app(commands, templates, case_events),
        approval_app(commands, sr_app, bom_app, catalog, approval_actions),
        mopf_app(commands),
        payment_app(commands, sr_app, config.payments, case_events),
        missed_payment_app(commands, sr_app, config.payments, case_events),
        employment_app(commands, sr_app, hmrc),
        compliance_app(commands, sr_app, mopf_app, payment_app, letter_app, employment_app,
                       approval_app, legacy_csa),
        arrears_app(commands, sr_app, payment_app, mopf_app, letter_app, employment_app,
                    approval_app, calendar, config.payments),
        foi_app(commands, calendar),
        mp_app(commands, sr_app, calendar),
        guidance_app(commands, sr_app, catalog),
        assurance_app(commands, catalog),
        deo_cancellation(clock, mopf_app, sr_app),
        bom(runner, bom_app),
        casegroups(runner, casegroup_app),
        admin(runner, admin_app, refusals),
        service_requests(runner, sr_app),
        work(runner, work_app),
        letters(runner, letter_app),
        approvals(runner, approval_app),
        payments(runner, mopf_app, payment_app, employment_app, missed_payment_app),
        compliance(runner, compliance_app),
        arrears(runner, arrears_app),
        foi(runner, foi_app),
        mp(runner, mp_app),
        guidance(runner, guidance_app),
        assurance(runner, assurance_app) {
    case_events.Add(&compliance_app);
    case_events.Add(&arrears_app);
    case_events.Add(&mp_app);
    approval_actions.Register(cms::v1::ApprovalAction::kComplianceFail, &compliance_app);
    approval_actions.Register(cms::v1::ApprovalAction::kComplianceExtension, &compliance_app);
    approval_actions.Register(cms::v1::ApprovalAction::kDeoCancellation, &deo_cancellation);
    approval_actions.Register(cms::v1::ApprovalAction::kLoReferral, &arrears_app);
  }

  catalog::SrCatalog catalog;
  catalog::LetterTemplates templates;
  // AR10.6: the bank holidays of each UK jurisdiction, for working days.
  domain::WorkingDayCalendar calendar;
  app::BusinessClock clock;
  app::Commands commands;
  // M7.3: there is no real HMRC; every mode asks this fake (scripted
  // through AdminService on a --test_clock server).
  app::FakeHmrcGateway hmrc;
  // S5.1: nor a real legacy CSA system: this fake, scripted the same way.
  app::FakeLegacyCsaGateway legacy_csa;
  // The procedures hear of the platform's changes here (app/case_events.h).
  app::CaseEvents case_events;
  // A6.3: what approvals carry out, by action (app/approval_actions.h).
  app::ApprovalActions approval_actions;
  std::unique_ptr<auth::Authenticator> authenticator;
  auth::RefusalTracker refusals;
  Admission admission;
  RpcRunner runner;
  app::BomApp bom_app;
  app::CasegroupApp casegroup_app;
  app::AdminApp admin_app;
  app::ServiceRequestApp sr_app;
  app::WorkApp work_app;
  app::LetterApp letter_app;
  app::ApprovalApp approval_app;
  app::MopfApp mopf_app;
  app::PaymentApp payment_app;
  app::MissedPaymentApp missed_payment_app;
  app::EmploymentApp employment_app;
  app::ComplianceApp compliance_app;
  app::ArrearsApp arrears_app;
  app::FoiApp foi_app;
  app::MpApp mp_app;
  app::GuidanceApp guidance_app;
  app::AssuranceApp assurance_app;
  app::DeoCancellation deo_cancellation;
  BomService bom;
  CasegroupService casegroups;
  AdminService admin;
  ServiceRequestService service_requests;
  WorkService work;
  LetterService letters;
  ApprovalService approvals;
  PaymentService payments;
  ComplianceService compliance;
  ArrearsService arrears;
  FoiService foi;
  MpService mp;
  GuidanceService guidance;
  AssuranceService assurance;
  jobs::TimerRegistry timers;
  std::unique_ptr<jobs::Sweeper> sweeper;
};

namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, absl::string_view what) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path));
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, " is not PEM"));
  }
  return text.str();
}

// The listening credentials: plain text, TLS, or TLS requiring client
// certificates signed by the client CA (mTLS).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const ServerConfig& config) {
  const bool tls = !config.tls_cert_file.empty() || !config.tls_key_file.empty();
  if (tls && (config.tls_cert_file.empty() || config.tls_key_file.empty())) {
    return absl::InvalidArgumentError("TLS needs both --tls_cert_file and --tls_key_file");
  }
  if (!tls && !config.tls_client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_client_ca_file (mTLS) needs --tls_cert_file and --tls_key_file");
  }
  CMS_RETURN_IF_ERROR(auth::CheckListenSecurity(config.listen, tls, config.allow_insecure_listen));
  if (!tls) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options;
  CMS_ASSIGN_OR_RETURN(std::string cert, ReadPem(config.tls_cert_file, "TLS certificate"));
  CMS_ASSIGN_OR_RETURN(std::string key, ReadPem(config.tls_key_file, "TLS key"));
  options.pem_key_cert_pairs.push_back({std::move(key), std::move(cert)});
  if (!config.tls_client_ca_file.empty()) {
    CMS_ASSIGN_OR_RETURN(options.pem_root_certs,
                         ReadPem(config.tls_client_ca_file, "TLS client CA"));
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace

CmsServer::CmsServer() = default;
CmsServer::~CmsServer() {
  if (server_) {
    server_->Shutdown();
    server_->Wait();
  }
}

absl::StatusOr<std::unique_ptr<CmsServer>> CmsServer::Start(
    const ServerConfig& config, store::Db& db, std::unique_ptr<auth::Authenticator> authenticator) {
  if (authenticator == nullptr) return absl::InvalidArgumentError("no authenticator");
  CMS_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials, Credentials(config));
  // SR5.1: an invalid catalog stops the server, naming the entry.
  auto sr_types = catalog::SrCatalog::Load(catalog::EmbeddedCatalogFiles());
  if (!sr_types.ok()) return sr_types.status();
  // L12.1: so does an invalid letter template (e.g. an unknown merge field).
  auto letter_templates = catalog::LetterTemplates::Load(catalog::EmbeddedLetterTemplateFiles());
  if (!letter_templates.ok()) return letter_templates.status();
  // AR10.6: and so do bank holidays that would miscount working days.
  auto bank_holidays = catalog::LoadBankHolidays(catalog::EmbeddedBankHolidayFiles());
  if (!bank_holidays.ok()) return bank_holidays.status();
  // Business dates need Europe/London's rules; without them, no start.
  auto clock = app::BusinessClock::Create(config.test_clock);
  if (!clock.ok()) return clock.status();
  std::unique_ptr<CmsServer> s(new CmsServer());
  s->parts_ = std::make_unique<Parts>(db, config, std::move(authenticator), *std::move(sr_types),
                                      *std::move(letter_templates), *std::move(bank_holidays),
                                      *std::move(clock));
  Parts& parts = *s->parts_;
  jobs::RegisterTimerKinds({.bom = parts.bom_app,
                            .service_requests = parts.sr_app,
                            .mopf = parts.mopf_app,
                            .missed_payments = parts.missed_payment_app,
                            .employment = parts.employment_app,
                            .compliance = parts.compliance_app,
                            .arrears = parts.arrears_app,
                            .foi = parts.foi_app,
                            .mp = parts.mp_app},
                           parts.timers);
  if (config.probe_timer) CMS_RETURN_IF_ERROR(jobs::EnableProbeTimer(db, parts.timers));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // The cms.v1 services use the callback API and run on the admission
  // workers (api/admission.h); only gRPC's own health and reflection
  // services are synchronous, and a few threads serve them.
  grpc::ResourceQuota quota("cms_server");
  quota.SetMaxThreads(8);
  builder.SetResourceQuota(quota);
  // The port is this server's alone: gRPC sets SO_REUSEPORT by default, so a
  // second server on a busy port would start and silently share its calls.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, config.max_metadata_bytes);
  builder.SetMaxReceiveMessageSize(config.max_receive_message_bytes);
  builder.AddListeningPort(config.listen, credentials, &s->port_);
  // A request gRPC cannot parse gets INVALID_ARGUMENT and a log line, not
  // an empty INTERNAL (malformed_requests.h).
  RouteProtobufLogs();
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<MalformedRequests>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(&s->parts_->bom);
  builder.RegisterService(&s->parts_->casegroups);
  builder.RegisterService(&s->parts_->admin);
  builder.RegisterService(&s->parts_->service_requests);
  builder.RegisterService(&s->parts_->work);
  builder.RegisterService(&s->parts_->letters);
  builder.RegisterService(&s->parts_->approvals);
  builder.RegisterService(&s->parts_->payments);
  builder.RegisterService(&s->parts_->compliance);
  builder.RegisterService(&s->parts_->arrears);
  builder.RegisterService(&s->parts_->foi);
  builder.RegisterService(&s->parts_->mp);
  builder.RegisterService(&s->parts_->guidance);
  builder.RegisterService(&s->parts_->assurance);
  s->server_ = builder.BuildAndStart();
  if (!s->server_ || s->port_ == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", config.listen,
        " (another process serves on that port, or it is not an address of this machine)"));
  }
  // The first pass fires whatever came due while no server ran (T8.2).
  parts.sweeper = std::make_unique<jobs::Sweeper>(parts.commands, parts.timers, config.sweeper);
  parts.sweeper->Start();
  return s;
}

void CmsServer::Shutdown(absl::Duration grace) {
  parts_->sweeper->Stop();
  // Calls still queued or running finish on the workers while gRPC waits
  // (up to the grace); then nothing more can arrive.
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  parts_->admission.Stop();
}

size_t CmsServer::queued_calls() const { return parts_->admission.queued(); }

void CmsServer::Wait() { server_->Wait(); }

auth::Authenticator& CmsServer::authenticator() { return *parts_->authenticator; }

const auth::RefusalTracker& CmsServer::refusals() const { return parts_->refusals; }

}  // namespace cms::api
