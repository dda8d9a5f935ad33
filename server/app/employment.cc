#include "server/app/employment.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/dates.h"
#include "server/app/decisions.h"
#include "server/app/money_common.h"
#include "server/app/service_requests.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/status_macros.h"
#include "server/domain/money.h"
#include "server/domain/mopf.h"
#include "server/domain/ndr.h"
#include "server/domain/versions.h"
#include "server/store/casegroup_repo.h"
#include "server/store/employment_repo.h"
#include "server/store/mopf_repo.h"
#include "server/store/party_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::Calculation;
using cms::v1::Employment;

// M7.3: an employer found is a change of circumstance to review (verify it,
// decide on a DEO and whether to recalculate), not yet a MOPF decision.
constexpr char kReviewSrType[] = "CHANGE_OF_CIRCUMSTANCE";
constexpr char kReviewChangeType[] = "Employment found by HMRC";

const absl::Duration kHmrcInterval = absl::Hours(24 * domain::kHmrcRequestIntervalDays);

domain::DeoDesire ToDomain(cms::v1::DeoDesire d) {
  switch (d) {
    case cms::v1::DEO_DESIRE_MANDATORY:
      return domain::DeoDesire::kMandatory;
    case cms::v1::DEO_DESIRE_SELF_SELECTED:
      return domain::DeoDesire::kSelfSelected;
    default:
      return domain::DeoDesire::kNone;
  }
}

std::string Pounds(int64_t pence) {
  return absl::StrFormat("%s£%d.%02d", pence < 0 ? "-" : "", std::abs(pence) / 100,
                         std::abs(pence) % 100);
}

constexpr char kDesires[] = "DEO_DESIRE_NONE, DEO_DESIRE_MANDATORY or DEO_DESIRE_SELF_SELECTED";

bool IsValidDesire(cms::v1::DeoDesire d) {
  return d != cms::v1::DEO_DESIRE_UNSPECIFIED && cms::v1::DeoDesire_IsValid(d);
}

}  // namespace

std::string FirstEmployer(const cms::v1::Person& p) {
  return p.employers_size() > 0 ? p.employers(0).name() : std::string();
}

absl::StatusOr<std::string> KnownEmployer(store::Tx& tx, absl::string_view recorded,
                                          int64_t casegroup_id) {
  if (!recorded.empty()) return std::string(recorded);
  CMS_ASSIGN_OR_RETURN(auto employment, store::GetEmploymentRecord(tx, casegroup_id));
  return employment ? employment->employer_name : std::string();
}

// ---------------------------------------------------------------- M7.3

absl::StatusOr<Employment> EmploymentApp::BuildEmployment(store::Tx& tx, int64_t casegroup_id,
                                                          absl::Time now) {
  CMS_ASSIGN_OR_RETURN(auto desire, store::CurrentDeoDesire(tx, casegroup_id));
  CMS_ASSIGN_OR_RETURN(auto record, store::GetEmploymentRecord(tx, casegroup_id));
  CMS_ASSIGN_OR_RETURN(auto requests, store::ListHmrcRequests(tx, casegroup_id));
  CMS_ASSIGN_OR_RETURN(int64_t version,
                       store::ReadMoneyVersion(tx, store::kEmploymentVersion, casegroup_id));
  Employment out;
  out.set_casegroup_id(casegroup_id);
  out.set_desire(desire.has_value() ? desire->desire : cms::v1::DEO_DESIRE_NONE);
  if (desire.has_value()) {
    out.set_desire_set_by(desire->set_by);
    *out.mutable_desire_set_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(desire->set_us);
  }
  if (record.has_value()) {
    out.set_employer_name(record->employer_name);
    *out.mutable_employer_found_date() = record->found_date;
    out.set_review_service_request_id(record->review_sr_id);
  }
  int64_t asked_this_setting = 0;
  for (auto& r : requests) {
    if (desire.has_value() && r.desire_id == desire->id) ++asked_this_setting;
    *out.add_requests() = std::move(r.request);
  }
  const bool active = domain::NeedsHmrcRequest(ToDomain(out.desire()), record.has_value());
  out.set_hmrc_requests_active(active);
  if (active) {
    // Period n of the setting is due 14n days after it was set.
    const absl::Time start = absl::FromUnixMicros(desire->set_us);
    const absl::CivilDay next = asked_this_setting == 0
                                    ? commands_.clock().Today(start)
                                    : domain::NextHmrcRequest(commands_.clock().Today(
                                          start + (asked_this_setting - 1) * kHmrcInterval));
    *out.mutable_next_request_date() = DateOf(std::max(next, commands_.clock().Today(now)));
  }
  out.set_etag(EtagOf(version));
  return out;
}

absl::StatusOr<Employment> EmploymentApp::SetDeoDesireStep(Command& c, int64_t casegroup_id,
                                                           cms::v1::DeoDesire desire,
                                                           const std::string* etag) {
  if (!IsValidDesire(desire)) return InvalidField("desire", kDesires, "M7.3");
  CMS_ASSIGN_OR_RETURN(int64_t version,
                       store::LockMoneyVersion(c.tx(), store::kEmploymentVersion, casegroup_id));
  if (etag != nullptr)
    CMS_RETURN_IF_ERROR(
        domain::CheckChangeVersion(*etag, version, "employment", absl::StrCat(casegroup_id)));
  CMS_ASSIGN_OR_RETURN(Employment before, BuildEmployment(c.tx(), casegroup_id, c.now()));
  CMS_ASSIGN_OR_RETURN(auto current, store::CurrentDeoDesire(c.tx(), casegroup_id));
  bool changed = false;
  if (desire == cms::v1::DEO_DESIRE_NONE) {
    if (current.has_value()) {  // its pending timer is now stale
      CMS_RETURN_IF_ERROR(store::EndDeoDesire(c.tx(), current->id, c.actor().staff_id, c.now_us()));
      changed = true;
    }
  } else if (current.has_value()) {
    // Between MANDATORY and SELF_SELECTED: the same setting, so the
    // re-request series carries on unchanged.
    if (current->desire != desire) {
      CMS_RETURN_IF_ERROR(
          store::UpdateDeoDesire(c.tx(), current->id, desire, current->set_by, current->set_us));
      changed = true;
    }
  } else {
    CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertDeoDesire(c.tx(), casegroup_id, desire,
                                                            c.actor().staff_id, c.now_us()));
    changed = true;
    CMS_ASSIGN_OR_RETURN(auto record, store::GetEmploymentRecord(c.tx(), casegroup_id));
    if (domain::NeedsHmrcRequest(ToDomain(desire), record.has_value())) {
      // T8.3: period 0 asks HMRC now; the job re-arms itself.
      CMS_RETURN_IF_ERROR(store::ScheduleTimer(
                              c.tx(),
                              store::PeriodicTimerSpec(kHmrcEmploymentRequestTimer, id, 0, c.now()),
                              c.now_us())
                              .status());
    }
  }
  if (changed) {
    CMS_RETURN_IF_ERROR(store::BumpMoneyVersion(c.tx(), store::kEmploymentVersion, casegroup_id));
  }
  CMS_ASSIGN_OR_RETURN(Employment out, BuildEmployment(c.tx(), casegroup_id, c.now()));
  if (changed) c.Audit("employment", absl::StrCat(casegroup_id), &before, out);
  return out;
}

absl::StatusOr<Employment> EmploymentApp::SetDeoDesireIn(Command& c, int64_t casegroup_id,
                                                         cms::v1::DeoDesire desire) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, FindCasegroup(c.tx(), casegroup_id));
  return SetDeoDesireStep(c, g.id(), desire, /*etag=*/nullptr);
}

absl::Status EmploymentApp::SetDeoDesire(const Actor& actor,
                                         const cms::v1::SetDeoDesireRequest& req, Employment* out) {
  FieldErrors errors;
  if (req.casegroup_id() <= 0) errors.Add("casegroup_id", "required");
  if (!IsValidDesire(req.desire())) errors.Add("desire", kDesires);
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.3"));
  return commands_.Run(
      actor, "SetDeoDesire", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g,
                             CasegroupForWrite(c.tx(), req.casegroup_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(*out, SetDeoDesireStep(c, g.id(), req.desire(), &req.etag()));
        return absl::OkStatus();
      });
}

absl::Status EmploymentApp::GetEmployment(const Actor& actor,
                                          const cms::v1::GetEmploymentRequest& req,
                                          Employment* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, CasegroupForRead(tx, req.casegroup_id(), actor));
    CMS_ASSIGN_OR_RETURN(*out, BuildEmployment(tx, g.id(), now));
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> EmploymentApp::RequestEmployment(Command& c, const store::DueTimer& timer,
                                                      int64_t period) {
  CMS_ASSIGN_OR_RETURN(auto desire, store::GetDeoDesire(c.tx(), timer.subject));
  if (!desire.has_value()) return false;
  const int64_t group_id = desire->casegroup_id;
  // Serialized with SetDeoDesire, then read again under the lock.
  CMS_RETURN_IF_ERROR(
      store::LockMoneyVersion(c.tx(), store::kEmploymentVersion, group_id).status());
  CMS_ASSIGN_OR_RETURN(desire, store::GetDeoDesire(c.tx(), timer.subject));
  if (!desire.has_value() || desire->ended) return false;  // stale: the flag was cleared
  CMS_ASSIGN_OR_RETURN(auto record, store::GetEmploymentRecord(c.tx(), group_id));
  if (!domain::NeedsHmrcRequest(ToDomain(desire->desire), record.has_value())) return false;

  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(c.tx(), group_id));
  CMS_ASSIGN_OR_RETURN(cms::v1::Person pp, store::GetPerson(c.tx(), g.paying_parent_id()));
  const HmrcEmployment answer = hmrc_.Lookup(pp.nino());

  cms::v1::HmrcRequest q;
  q.set_period(period);
  *q.mutable_request_date() = DateOf(commands_.clock().Today(c.now()));
  *q.mutable_request_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(c.now_us());
  const bool employer_found =
      answer.kind == cms::v1::HMRC_ANSWER_EMPLOYER && !answer.employer_name.empty();
  q.set_answer(employer_found ? cms::v1::HMRC_ANSWER_EMPLOYER
               : answer.kind == cms::v1::HMRC_ANSWER_SELF_EMPLOYED
                   ? cms::v1::HMRC_ANSWER_SELF_EMPLOYED
                   : cms::v1::HMRC_ANSWER_NOTHING);
  if (employer_found) q.set_employer_name(answer.employer_name);
  auto id = store::InsertHmrcRequest(c.tx(), group_id, desire->id, pp.nino(), q);
  if (absl::IsAlreadyExists(id.status())) return true;  // this period was asked already
  CMS_RETURN_IF_ERROR(id.status());
  q.set_id(*id);
  cms::v1::AuditEvent scope;
  scope.set_casegroup_id(group_id);
  c.Audit("hmrc_request", absl::StrCat(*id), nullptr, q, &scope);
  // SELF_EMPLOYED and NOTHING leave no employer known: ask again in 14 days.
  if (!employer_found) return true;

  CMS_ASSIGN_OR_RETURN(Employment before, BuildEmployment(c.tx(), group_id, c.now()));
  ServiceRequestApp::RuleSr spec;
  spec.type_code = kReviewSrType;
  spec.casegroup_id = group_id;
  spec.source = cms::v1::SR_SOURCE_HMRC;
  spec.fields = {{"Change Type", kReviewChangeType}, {"Employer", answer.employer_name}};
  spec.description =
      absl::StrCat("HMRC returned employer ", answer.employer_name,
                   " for the paying parent while the DEO desire flag is ",
                   ShortName(desire->desire), ": review it and decide on a DEO (M7.3).");
  spec.rule = "M7.3";
  CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse raised,
                       service_requests_.RaiseByRule(c, spec));
  const cms::v1::ServiceRequest& sr = raised.service_request();
  store::EmploymentRecord e;
  e.employer_name = answer.employer_name;
  e.source = "HMRC";
  e.found_date = q.request_date();
  e.found_us = c.now_us();
  e.desire_id = desire->id;
  e.review_sr_id = sr.id();
  CMS_RETURN_IF_ERROR(store::InsertEmploymentRecord(c.tx(), group_id, e));
  CMS_RETURN_IF_ERROR(store::BumpMoneyVersion(c.tx(), store::kEmploymentVersion, group_id));
  CMS_ASSIGN_OR_RETURN(Employment after, BuildEmployment(c.tx(), group_id, c.now()));
  c.Audit("employment", absl::StrCat(group_id), &before, after);
  return false;  // an employer is known: the job stops
}

absl::StatusOr<HmrcEmployment> EmploymentApp::LookUpNow(Command& c, int64_t casegroup_id) {
  CMS_RETURN_IF_ERROR(
      store::LockMoneyVersion(c.tx(), store::kEmploymentVersion, casegroup_id).status());
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(c.tx(), casegroup_id));
  CMS_ASSIGN_OR_RETURN(cms::v1::Person pp, store::GetPerson(c.tx(), g.paying_parent_id()));
  HmrcEmployment answer = hmrc_.Lookup(pp.nino());
  if (answer.kind == cms::v1::HMRC_ANSWER_EMPLOYER && answer.employer_name.empty()) {
    answer.kind = cms::v1::HMRC_ANSWER_NOTHING;  // an employer without a name is no employer
  }
  cms::v1::HmrcRequest q;
  *q.mutable_request_date() = DateOf(commands_.clock().Today(c.now()));
  *q.mutable_request_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(c.now_us());
  q.set_answer(answer.kind);
  q.set_employer_name(answer.employer_name);
  cms::v1::AuditEvent scope;
  scope.set_casegroup_id(casegroup_id);
  c.Audit("hmrc_request", absl::StrCat("on-demand/", casegroup_id), nullptr, q, &scope);
  if (answer.kind != cms::v1::HMRC_ANSWER_EMPLOYER) return answer;
  CMS_ASSIGN_OR_RETURN(auto record, store::GetEmploymentRecord(c.tx(), casegroup_id));
  if (record.has_value()) return answer;  // an employer is known already
  CMS_ASSIGN_OR_RETURN(Employment before, BuildEmployment(c.tx(), casegroup_id, c.now()));
  CMS_ASSIGN_OR_RETURN(auto desire, store::CurrentDeoDesire(c.tx(), casegroup_id));
  store::EmploymentRecord e;
  e.employer_name = answer.employer_name;
  e.source = "HMRC";
  e.found_date = q.request_date();
  e.found_us = c.now_us();
  e.desire_id = desire.has_value() ? desire->id : 0;
  CMS_RETURN_IF_ERROR(store::InsertEmploymentRecord(c.tx(), casegroup_id, e));
  CMS_RETURN_IF_ERROR(store::BumpMoneyVersion(c.tx(), store::kEmploymentVersion, casegroup_id));
  CMS_ASSIGN_OR_RETURN(Employment after, BuildEmployment(c.tx(), casegroup_id, c.now()));
  c.Audit("employment", absl::StrCat(casegroup_id), &before, after);
  return answer;
}

// ---------------------------------------------------------------- M7.4

absl::Status EmploymentApp::RecordCalculation(const Actor& actor,
                                              const cms::v1::RecordCalculationRequest& req,
                                              Calculation* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (req.service_request_id() <= 0) {
    errors.Add("service_request_id", "required: the PERFORM_CALCULATION SR");
  }
  for (const auto& [field, amount, sign] : {
           std::tuple{"weekly_liability_pence", req.weekly_liability_pence(),
                      domain::AmountSign::kZeroOrMore},
           std::tuple{"ndr_pence", req.ndr_pence(), domain::AmountSign::kZeroOrMore},
           std::tuple{"net_earnings_pence", req.net_earnings_pence(),
                      domain::AmountSign::kPositive},  // a DEO deducts from earnings
       }) {
    if (auto problem = domain::AmountProblem(amount, sign)) errors.Add(field, *problem);
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.4"));
  return commands_.Run(
      actor, "RecordCalculation", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        CMS_RETURN_IF_ERROR(CheckWorkingSr(c.tx(), req.service_request_id(),
                                           domain::kCalculationSrType, k.casegroup_id(), k.id(),
                                           "M7.4"));
        // Locked, so two calculations on one SR cannot both find none pending.
        CMS_ASSIGN_OR_RETURN(
            const cms::v1::ServiceRequest calc_sr,
            store::GetServiceRequest(c.tx(), req.service_request_id(), /*for_update=*/true));
        CMS_ASSIGN_OR_RETURN(auto pending,
                             store::PendingCalculationOfSr(c.tx(), req.service_request_id()));
        CMS_RETURN_IF_ERROR(domain::CheckNoCalculationPending(
            domain::CalculationSrStep::kRecordCalculation, req.service_request_id(), pending));
        CMS_ASSIGN_OR_RETURN(domain::NdrDecision ndr,
                             domain::CheckNdr(req.ndr_pence(), req.net_earnings_pence()));
        Calculation calc;
        calc.set_case_id(k.id());
        calc.set_casegroup_id(k.casegroup_id());
        calc.set_service_request_id(req.service_request_id());
        calc.set_weekly_liability_pence(req.weekly_liability_pence());
        calc.set_ndr_pence(req.ndr_pence());
        calc.set_net_earnings_pence(req.net_earnings_pence());
        calc.set_state(ndr.exceeds ? cms::v1::CALCULATION_STATE_PENDING_NDR
                                   : cms::v1::CALCULATION_STATE_COMPLETE);
        calc.set_exception(ndr.exception);
        calc.set_created_by(c.actor().staff_id);
        CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertCalculation(c.tx(), calc, c.now_us()));
        const std::string figures =
            absl::StrCat("NDR ", Pounds(req.ndr_pence()), " against net earnings ",
                         Pounds(req.net_earnings_pence()), " (40% is ",
                         Pounds(domain::MaxNdr(req.net_earnings_pence())), ")");
        if (ndr.exceeds) {
          // M7.4: the exception instead of completing.
          CMS_RETURN_IF_ERROR(service_requests_.SetSubStatusByRule(
              c, req.service_request_id(), domain::kDetermineNdrException,
              absl::StrCat("Calculation ", id, ": ", figures,
                           " exceeds 40% of net earnings: Determine NDR. Enter the maximum NDR "
                           "(ResolveNdr) to complete it (M7.4)."),
              "M7.4"));
        } else {
          CMS_RETURN_IF_ERROR(
              AddSrNote(c, req.service_request_id(),
                        absl::StrCat("Calculation ", id, " complete: ", figures, " (M7.4).")));
        }
        CMS_ASSIGN_OR_RETURN(*out, store::GetCalculation(c.tx(), id));
        c.Audit("calculation", absl::StrCat(id), nullptr, *out);
        // AG11.2: the calculation is a business decision Q&A samples.
        return RecordDecision(c, DecisionOnSr(cms::v1::BUSINESS_DECISION_TYPE_CALCULATION,
                                              "calculation", id, calc_sr));
      });
}

absl::Status EmploymentApp::ResolveNdr(const Actor& actor, const cms::v1::ResolveNdrRequest& req,
                                       Calculation* out) {
  FieldErrors errors;
  if (req.calculation_id() <= 0) errors.Add("calculation_id", "required");
  if (auto problem = domain::AmountProblem(req.max_ndr_pence(), domain::AmountSign::kZeroOrMore)) {
    errors.Add("max_ndr_pence", *problem);
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.4"));
  return commands_.Run(
      actor, "ResolveNdr", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        auto before = store::GetCalculation(c.tx(), req.calculation_id(), /*for_update=*/true);
        if (absl::IsNotFound(before.status())) {
          return InvalidField("calculation_id", "no such calculation", "M7.4");
        }
        CMS_RETURN_IF_ERROR(before.status());
        CMS_RETURN_IF_ERROR(CaseForWrite(c.tx(), before->case_id(), c.actor()).status());
        if (before->state() != cms::v1::CALCULATION_STATE_PENDING_NDR) {
          return RuleViolation("M7.4",
                               absl::StrCat("calculation ", before->id(), " is already complete"));
        }
        CMS_ASSIGN_OR_RETURN(domain::NdrDecision ndr,
                             domain::CheckNdr(req.max_ndr_pence(), before->net_earnings_pence()));
        if (ndr.exceeds) {
          return InvalidField(
              "max_ndr_pence",
              absl::StrCat("at most 40% of net earnings ", Pounds(before->net_earnings_pence()),
                           ": ", Pounds(domain::MaxNdr(before->net_earnings_pence())), " or less"),
              "M7.4");
        }
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr,
                             store::GetServiceRequest(c.tx(), before->service_request_id(),
                                                      /*for_update=*/true));
        if (sr.status() == cms::v1::SR_STATUS_CLOSED ||
            sr.status() == cms::v1::SR_STATUS_CANCELLED) {
          return RuleViolation("M7.4", absl::StrCat("SR ", sr.id(), " is ", ShortName(sr.status()),
                                                    "; its calculation can no longer complete"));
        }
        CMS_RETURN_IF_ERROR(store::ResolveCalculation(c.tx(), before->id(), req.max_ndr_pence(),
                                                      c.actor().staff_id, c.now_us()));
        const std::string note = absl::StrCat(
            "Calculation ", before->id(), " complete: maximum NDR ", Pounds(req.max_ndr_pence()),
            " entered (40% of net earnings ", Pounds(before->net_earnings_pence()), " is ",
            Pounds(domain::MaxNdr(before->net_earnings_pence())), ") (M7.4).");
        if (sr.status() == cms::v1::SR_STATUS_IN_PROGRESS &&
            sr.sub_status() == domain::kDetermineNdrException) {
          CMS_RETURN_IF_ERROR(service_requests_.SetSubStatusByRule(c, sr.id(), "", note, "M7.4"));
        } else {
          CMS_RETURN_IF_ERROR(AddSrNote(c, sr.id(), note));
        }
        CMS_ASSIGN_OR_RETURN(*out, store::GetCalculation(c.tx(), before->id()));
        c.Audit("calculation", absl::StrCat(before->id()), &*before, *out);
        // AG11.2: the maximum NDR determined completes the calculation.
        return RecordDecision(c, DecisionOnSr(cms::v1::BUSINESS_DECISION_TYPE_CALCULATION,
                                              "calculation", before->id(), sr));
      });
}

absl::Status EmploymentApp::GetCalculation(const Actor& actor,
                                           const cms::v1::GetCalculationRequest& req,
                                           Calculation* out) {
  if (req.calculation_id() <= 0) return InvalidField("calculation_id", "required", "M7.4");
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    auto calc = store::GetCalculation(tx, req.calculation_id());
    if (absl::IsNotFound(calc.status())) {
      return InvalidField("calculation_id", "no such calculation", "M7.4");
    }
    CMS_RETURN_IF_ERROR(calc.status());
    CMS_RETURN_IF_ERROR(CaseForRead(tx, calc->case_id(), actor).status());
    *out = *std::move(calc);
    return absl::OkStatus();
  });
}

}  // namespace cms::app
