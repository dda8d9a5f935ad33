// PaymentService (proto/cms/v1/payment.proto): translation only; rules live
// in app/mopf.h, app/payments.h, app/employment.h and app/missed_payments.h. Thread-safe.
#pragma once

#include "cms/v1/payment.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/employment.h"
#include "server/app/missed_payments.h"
#include "server/app/mopf.h"
#include "server/app/payments.h"

namespace cms::api {

class PaymentService final : public cms::v1::PaymentService::CallbackService {
 public:
  PaymentService(RpcRunner& runner, app::MopfApp& mopf, app::PaymentApp& payments,
                 app::EmploymentApp& employment, app::MissedPaymentApp& missed)
      : runner_(runner),
        mopf_(mopf),
        payments_(payments),
        employment_(employment),
        missed_(missed) {}

  CMS_RPC(PaymentService, ChangeServiceType, ChangeServiceTypeRequest, ServiceTypeHistory,
          mopf_.ChangeServiceType(actor, *req, resp))
  CMS_RPC(PaymentService, GetServiceTypeHistory, GetServiceTypeHistoryRequest, ServiceTypeHistory,
          mopf_.GetServiceTypeHistory(actor, *req, resp))
  CMS_RPC(PaymentService, SetMopf, SetMopfRequest, Mopf, mopf_.SetMopf(actor, *req, resp))
  CMS_RPC(PaymentService, CancelMopfMethod, CancelMopfMethodRequest, Mopf,
          mopf_.CancelMopfMethod(actor, *req, resp))
  CMS_RPC(PaymentService, GetMopf, GetMopfRequest, Mopf, mopf_.GetMopf(actor, *req, resp))
  CMS_RPC(PaymentService, SetMopt, SetMoptRequest, Mopt, mopf_.SetMopt(actor, *req, resp))
  CMS_RPC(PaymentService, CancelMopt, CancelMoptRequest, Mopt, mopf_.CancelMopt(actor, *req, resp))
  CMS_RPC(PaymentService, GetMopt, GetMoptRequest, Mopt, mopf_.GetMopt(actor, *req, resp))
  CMS_RPC(PaymentService, GenerateSchedule, GenerateScheduleRequest, Schedule,
          payments_.GenerateSchedule(actor, *req, resp))
  CMS_RPC(PaymentService, ReleaseSchedule, ReleaseScheduleRequest, Schedule,
          payments_.ReleaseSchedule(actor, *req, resp))
  CMS_RPC(PaymentService, GetSchedule, GetScheduleRequest, Schedule,
          payments_.GetSchedule(actor, *req, resp))
  CMS_RPC(PaymentService, ListSchedules, ListSchedulesRequest, ListSchedulesResponse,
          payments_.ListSchedules(actor, *req, resp))
  CMS_RPC(PaymentService, RecordPayment, RecordPaymentRequest, Payment,
          payments_.RecordPayment(actor, *req, resp))
  CMS_RPC(PaymentService, GetArrears, GetArrearsRequest, Arrears,
          payments_.GetArrears(actor, *req, resp))
  CMS_RPC(PaymentService, GetStatement, GetStatementRequest, Statement,
          payments_.GetStatement(actor, *req, resp))
  CMS_RPC(PaymentService, WaiveFees, WaiveFeesRequest, FeeWaiver,
          payments_.WaiveFees(actor, *req, resp))
  CMS_RPC(PaymentService, ReinstateFees, ReinstateFeesRequest, FeeWaiver,
          payments_.ReinstateFees(actor, *req, resp))
  CMS_RPC(PaymentService, AddCharge, AddChargeRequest, LedgerEntry,
          payments_.AddCharge(actor, *req, resp))
  CMS_RPC(PaymentService, ListMissedPaymentEvents, ListMissedPaymentEventsRequest,
          ListMissedPaymentEventsResponse, missed_.ListEvents(actor, *req, resp))
  CMS_RPC(PaymentService, SetDeoDesire, SetDeoDesireRequest, Employment,
          employment_.SetDeoDesire(actor, *req, resp))
  CMS_RPC(PaymentService, GetEmployment, GetEmploymentRequest, Employment,
          employment_.GetEmployment(actor, *req, resp))
  CMS_RPC(PaymentService, RecordCalculation, RecordCalculationRequest, Calculation,
          employment_.RecordCalculation(actor, *req, resp))
  CMS_RPC(PaymentService, ResolveNdr, ResolveNdrRequest, Calculation,
          employment_.ResolveNdr(actor, *req, resp))
  CMS_RPC(PaymentService, GetCalculation, GetCalculationRequest, Calculation,
          employment_.GetCalculation(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::MopfApp& mopf_;
  app::PaymentApp& payments_;
  app::EmploymentApp& employment_;
  app::MissedPaymentApp& missed_;
};

}  // namespace cms::api
