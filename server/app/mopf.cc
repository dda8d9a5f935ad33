#include "server/app/mopf.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/app/access.h"
#include "server/app/dates.h"
#include "server/app/money_common.h"
#include "server/app/money_mapping.h"
#include "server/app/service_requests.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/status_macros.h"
#include "server/domain/versions.h"
#include "server/store/casegroup_repo.h"
#include "server/store/mopf_repo.h"

namespace cms::app {
namespace {

using cms::v1::MopfMethod;
using cms::v1::MoptPeriod;

constexpr char kMopfSrType[] = "AMEND_EXISTING_MOPF";
constexpr char kServiceTypeSrType[] = "CHANGE_TO_SERVICE_TYPE";

std::string Day(const cms::v1::Date& d) { return absl::FormatCivilTime(CivilDayOf(d)); }

// Open-ended, or ending on or after `day` (end_date is the last day).
bool AppliesOnOrAfter(const cms::v1::Date& end_date, absl::CivilDay day) {
  return !IsSet(end_date) || CivilDayOf(end_date) >= day;
}

bool IsEnded(const cms::v1::Date& end_date) { return IsSet(end_date); }

std::string DeoCancellationNeedsApproval(const MopfMethod& m) {
  return absl::StrCat("DEO method ", m.id(),
                      " is cancelled only with team leader approval: submit the Amend Existing "
                      "MOPF SR for approval with action deo_cancellation");
}

std::string Describe(const MopfMethod& m) {
  std::string out = absl::StrCat(m.share_percent(), "% ", ShortName(m.method()));
  if (!m.employer().empty()) absl::StrAppend(&out, " (employer ", m.employer(), ")");
  if (m.enforced()) absl::StrAppend(&out, " enforced");
  return out;
}

// A method in force on `today`: started, and not ended before it.
bool InForce(const MopfMethod& m, absl::CivilDay today) {
  return CivilDayOf(m.start_date()) <= today && AppliesOnOrAfter(m.end_date(), today);
}

absl::Status BuildMopf(store::Tx& tx, int64_t casegroup_id, absl::CivilDay today,
                       cms::v1::Mopf* out) {
  CMS_ASSIGN_OR_RETURN(auto methods, store::ListMopfMethods(tx, casegroup_id));
  CMS_ASSIGN_OR_RETURN(int64_t version,
                       store::ReadMoneyVersion(tx, store::kMopfVersion, casegroup_id));
  out->Clear();
  out->set_casegroup_id(casegroup_id);
  for (const MopfMethod& m : methods) {
    if (InForce(m, today)) *out->add_active() = m;
    *out->add_history() = m;
  }
  out->set_etag(EtagOf(version));
  return absl::OkStatus();
}

absl::Status BuildMopt(store::Tx& tx, int64_t case_id, absl::CivilDay today, cms::v1::Mopt* out) {
  CMS_ASSIGN_OR_RETURN(auto periods, store::ListMoptPeriods(tx, case_id));
  CMS_ASSIGN_OR_RETURN(int64_t version, store::ReadMoneyVersion(tx, store::kMoptVersion, case_id));
  out->Clear();
  out->set_case_id(case_id);
  for (const MoptPeriod& p : periods) {
    if (CivilDayOf(p.start_date()) <= today && AppliesOnOrAfter(p.end_date(), today)) {
      *out->mutable_active() = p;
    }
    *out->add_history() = p;
  }
  out->set_etag(EtagOf(version));
  return absl::OkStatus();
}

// M7.2: locks the version row of the MOPF (`kind` kMopfVersion, subject the
// casegroup) or MOPT (kMoptVersion, the case) about to change, checks the
// RPC caller's etag under that lock (X13.3; null for a rule's step, which
// acts on the current version) and the SR the change is made through.
absl::Status LockForChange(Command& c, const std::string& kind, absl::string_view entity,
                           int64_t subject, const std::string* etag, int64_t sr_id,
                           int64_t casegroup_id, int64_t case_id) {
  CMS_ASSIGN_OR_RETURN(int64_t version, store::LockMoneyVersion(c.tx(), kind, subject));
  if (etag != nullptr) {
    CMS_RETURN_IF_ERROR(domain::CheckChangeVersion(*etag, version, entity, absl::StrCat(subject)));
  }
  return CheckWorkingSr(c.tx(), sr_id, kMopfSrType, casegroup_id, case_id, "M7.2");
}

// M7.2: the new set as it will stand from `start`, validated: each method a
// known one (methods[i].method), then the domain's rules (shares total 100,
// a DEO/DER names its employer and subtype…). The one validation of a new
// MOPF, for the RPC and the in-command step alike.
absl::StatusOr<std::vector<MopfMethod>> ProposedMopf(absl::CivilDay start,
                                                     std::vector<MopfMethod> methods) {
  FieldErrors errors;
  for (size_t i = 0; i < methods.size(); ++i) {
    if (!ToDomain(methods[i].method()).has_value()) {
      errors.Add(absl::StrCat("methods[", i, "].method"),
                 "required: DEO, DER, DD, SO, DSO, RDO, "
                 "LSDO or CARD");
    }
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.2"));
  for (MopfMethod& m : methods) {
    *m.mutable_start_date() = DateOf(start);
    m.clear_end_date();
  }
  CMS_RETURN_IF_ERROR(domain::ValidateMopf(ToDomain(methods), start));
  return methods;
}

// The bodies of the changes, shared by the RPCs (which load the record with
// the caller's access check and pass the caller's etag) and the in-command
// steps (which load it without, and pass no etag).

absl::StatusOr<cms::v1::ServiceTypeHistory> ChangeServiceTypeStep(
    Command& c, const BusinessClock& clock, const cms::v1::Case& k, int64_t sr_id,
    cms::v1::ServiceType type, absl::CivilDay from) {
  if (!ToDomain(type).has_value()) {
    return InvalidField("service_type", "SERVICE_TYPE_DIRECT_PAY or SERVICE_TYPE_COLLECT_AND_PAY",
                        "M7.1");
  }
  const absl::CivilDay today = clock.Today(c.now());
  if (from < today) {
    return InvalidField("effective_from",
                        absl::StrCat("today (", absl::FormatCivilTime(today),
                                     ") or later: a change is never retrospective"),
                        "M7.1");
  }
  CMS_RETURN_IF_ERROR(
      CheckWorkingSr(c.tx(), sr_id, kServiceTypeSrType, k.casegroup_id(), k.id(), "M7.1"));
  CMS_ASSIGN_OR_RETURN(auto periods, store::ListServiceTypePeriods(c.tx(), k.id()));
  if (periods.empty()) {
    // The first change keeps the type the case had until then.
    cms::v1::ServiceTypePeriod initial;
    initial.set_service_type(k.service_type());
    *initial.mutable_effective_from() = k.application_date();
    initial.set_set_by("application");
    const int64_t created_us = k.create_time().seconds() * 1000000 + k.create_time().nanos() / 1000;
    CMS_RETURN_IF_ERROR(store::InsertServiceTypePeriod(c.tx(), k.id(), initial, created_us));
  }
  cms::v1::ServiceTypePeriod change;
  change.set_service_type(type);
  *change.mutable_effective_from() = DateOf(from);
  change.set_service_request_id(sr_id);
  change.set_set_by(c.actor().staff_id);
  CMS_RETURN_IF_ERROR(store::InsertServiceTypePeriod(c.tx(), k.id(), change, c.now_us()));
  if (from == today) {
    CMS_RETURN_IF_ERROR(store::SetCaseServiceType(c.tx(), k.id(), type).status());
  } else {
    store::TimerSpec spec{
        kServiceTypeEffectiveTimer, k.id(), clock.StartOf(from), absl::FormatCivilTime(from),
        absl::StrCat(kServiceTypeEffectiveTimer, "/", k.id(), "/", absl::FormatCivilTime(from))};
    CMS_RETURN_IF_ERROR(store::ScheduleTimer(c.tx(), spec, c.now_us()).status());
  }
  CMS_RETURN_IF_ERROR(
      AddSrNote(c, sr_id,
                absl::StrCat("Service type of case ", k.id(), " changed to ", ShortName(type),
                             " from ", absl::FormatCivilTime(from), " (M7.1).")));
  CMS_ASSIGN_OR_RETURN(cms::v1::ServiceTypeHistory out, LoadServiceTypeHistory(c.tx(), k, today));
  if (from == today) out.set_current(type);
  c.Audit("service_type", absl::StrCat(k.id()), nullptr, out);
  return out;
}

absl::StatusOr<cms::v1::Mopf> SetMopfStep(Command& c, const BusinessClock& clock,
                                          int64_t casegroup_id, int64_t sr_id, absl::CivilDay start,
                                          std::vector<MopfMethod> methods,
                                          const std::string* etag) {
  // A6.3: a caller's change (an etag given) never ends a DEO; a rule's
  // step acts under its own approval or decision.
  const bool caller = etag != nullptr;
  CMS_ASSIGN_OR_RETURN(const std::vector<MopfMethod> proposed,
                       ProposedMopf(start, std::move(methods)));
  const absl::CivilDay today = clock.Today(c.now());
  if (start < today) return InvalidField("start_date", "today or later", "M7.2");
  CMS_RETURN_IF_ERROR(
      LockForChange(c, store::kMopfVersion, "MOPF", casegroup_id, etag, sr_id, casegroup_id, 0));
  CMS_ASSIGN_OR_RETURN(auto existing, store::ListMopfMethods(c.tx(), casegroup_id));
  const bool keeps_deo = std::any_of(proposed.begin(), proposed.end(), [](const MopfMethod& m) {
    return m.method() == cms::v1::PAYMENT_METHOD_DEO;
  });
  for (const MopfMethod& m : existing) {
    if (caller && !keeps_deo && m.method() == cms::v1::PAYMENT_METHOD_DEO &&
        AppliesOnOrAfter(m.end_date(), start)) {
      return RuleViolation("A6.3", DeoCancellationNeedsApproval(m));
    }
  }
  // A method ends, it is never deleted: what would still apply on the new
  // start ends the day before (one not started yet never applied).
  for (const MopfMethod& m : existing) {
    if (!AppliesOnOrAfter(m.end_date(), start)) continue;
    CMS_RETURN_IF_ERROR(store::EndMopfMethod(c.tx(), m.id(), DateOf(start - 1), sr_id));
  }
  std::vector<std::string> described;
  for (MopfMethod m : proposed) {
    m.set_service_request_id(sr_id);
    if (m.method() != cms::v1::PAYMENT_METHOD_DEO && m.method() != cms::v1::PAYMENT_METHOD_DER) {
      m.set_deo_subtype(cms::v1::DEO_SUBTYPE_UNSPECIFIED);
    }
    CMS_RETURN_IF_ERROR(
        store::InsertMopfMethod(c.tx(), casegroup_id, m, c.actor().staff_id, c.now_us()).status());
    described.push_back(Describe(m));
  }
  CMS_RETURN_IF_ERROR(store::BumpMoneyVersion(c.tx(), store::kMopfVersion, casegroup_id));
  CMS_RETURN_IF_ERROR(AddSrNote(c, sr_id,
                                absl::StrCat(existing.empty() ? "MOPF set up" : "MOPF amended",
                                             " from ", absl::FormatCivilTime(start), ": ",
                                             absl::StrJoin(described, ", "), " (M7.2).")));
  cms::v1::Mopf out;
  CMS_RETURN_IF_ERROR(BuildMopf(c.tx(), casegroup_id, today, &out));
  c.Audit("mopf", absl::StrCat(casegroup_id), nullptr, out);
  return out;
}

absl::StatusOr<cms::v1::Mopf> CancelMopfMethodStep(Command& c, const BusinessClock& clock,
                                                   int64_t casegroup_id, int64_t sr_id,
                                                   int64_t method_id, absl::CivilDay end,
                                                   const std::string* etag,
                                                   const std::vector<int64_t>& ending_too = {}) {
  const absl::CivilDay today = clock.Today(c.now());
  if (end < today) return InvalidField("end_date", "today or later", "M7.2");
  CMS_RETURN_IF_ERROR(
      LockForChange(c, store::kMopfVersion, "MOPF", casegroup_id, etag, sr_id, casegroup_id, 0));
  CMS_ASSIGN_OR_RETURN(auto methods, store::ListMopfMethods(c.tx(), casegroup_id));
  auto it = std::find_if(methods.begin(), methods.end(),
                         [&](const MopfMethod& m) { return m.id() == method_id; });
  if (it == methods.end()) return InvalidField("method_id", "no such method on this MOPF");
  if (etag != nullptr && it->method() == cms::v1::PAYMENT_METHOD_DEO) {
    return RuleViolation("A6.3", DeoCancellationNeedsApproval(*it));  // a caller's, not a rule's
  }
  if (IsEnded(it->end_date())) {
    return RuleViolation(
        "M7.2", absl::StrCat("method ", it->id(), " already ends on ", Day(it->end_date())));
  }
  CMS_RETURN_IF_ERROR(domain::EndMethod(ToDomain(*it), end + 1).status());
  // M7.2: what stays active afterwards totals 100% or is nothing
  // (cancelling every method); a share in between is an amendment. Methods
  // `ending_too` (being cancelled by the same decision, e.g. a DEO awaiting
  // its approval, S5.9) count as gone.
  int remaining = 0;
  for (const MopfMethod& m : methods) {
    if (std::find(ending_too.begin(), ending_too.end(), m.id()) != ending_too.end()) continue;
    if (m.id() != it->id() && AppliesOnOrAfter(m.end_date(), end + 1)) {
      remaining += m.share_percent();
    }
  }
  if (remaining != 0 && remaining != 100) {
    return RuleViolation("M7.2", absl::StrCat("cancelling method ", it->id(), " leaves shares of ",
                                              remaining, "%; amend the MOPF (SetMopf) instead"));
  }
  CMS_RETURN_IF_ERROR(store::EndMopfMethod(c.tx(), it->id(), DateOf(end), sr_id));
  CMS_RETURN_IF_ERROR(store::BumpMoneyVersion(c.tx(), store::kMopfVersion, casegroup_id));
  CMS_RETURN_IF_ERROR(AddSrNote(c, sr_id,
                                absl::StrCat("MOPF method ", Describe(*it), " cancelled: ",
                                             "last day ", absl::FormatCivilTime(end), " (M7.2).")));
  cms::v1::Mopf out;
  CMS_RETURN_IF_ERROR(BuildMopf(c.tx(), casegroup_id, today, &out));
  c.Audit("mopf", absl::StrCat(casegroup_id), nullptr, out);
  return out;
}

absl::StatusOr<cms::v1::Mopt> CancelMoptStep(Command& c, const BusinessClock& clock,
                                             const cms::v1::Case& k, int64_t sr_id,
                                             absl::CivilDay end, const std::string* etag) {
  const absl::CivilDay today = clock.Today(c.now());
  if (end < today) return InvalidField("end_date", "today or later", "M7.2");
  CMS_RETURN_IF_ERROR(
      LockForChange(c, store::kMoptVersion, "MOPT", k.id(), etag, sr_id, k.casegroup_id(), k.id()));
  CMS_ASSIGN_OR_RETURN(auto periods, store::ListMoptPeriods(c.tx(), k.id()));
  auto open = std::find_if(periods.begin(), periods.end(),
                           [](const MoptPeriod& p) { return !IsEnded(p.end_date()); });
  if (open == periods.end()) {
    return RuleViolation("M7.2", absl::StrCat("case ", k.id(), " has no open MOPT to cancel"));
  }
  if (end + 1 < CivilDayOf(open->start_date())) {
    return InvalidField("end_date", "on or after the day before its start", "M7.2");
  }
  CMS_RETURN_IF_ERROR(store::EndMoptPeriod(c.tx(), open->id(), DateOf(end), sr_id));
  CMS_RETURN_IF_ERROR(store::BumpMoneyVersion(c.tx(), store::kMoptVersion, k.id()));
  CMS_RETURN_IF_ERROR(AddSrNote(c, sr_id,
                                absl::StrCat("MOPT of case ", k.id(), " cancelled: last day ",
                                             absl::FormatCivilTime(end), " (M7.2).")));
  cms::v1::Mopt out;
  CMS_RETURN_IF_ERROR(BuildMopt(c.tx(), k.id(), today, &out));
  c.Audit("mopt", absl::StrCat(k.id()), nullptr, out);
  return out;
}

}  // namespace

// ---------------------------------------------------------------- M7.1

absl::StatusOr<cms::v1::ServiceTypeHistory> MopfApp::ChangeServiceTypeIn(
    Command& c, int64_t case_id, int64_t sr_id, cms::v1::ServiceType type,
    absl::CivilDay effective_from) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, FindCase(c.tx(), case_id));
  return ChangeServiceTypeStep(c, commands_.clock(), k, sr_id, type, effective_from);
}

absl::Status MopfApp::ChangeServiceType(const Actor& actor,
                                        const cms::v1::ChangeServiceTypeRequest& req,
                                        cms::v1::ServiceTypeHistory* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (!ToDomain(req.service_type()).has_value()) {
    errors.Add("service_type", "SERVICE_TYPE_DIRECT_PAY or SERVICE_TYPE_COLLECT_AND_PAY");
  }
  CheckDate(errors, "effective_from", req.effective_from());
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.1"));
  return commands_.Run(
      actor, "ChangeServiceType", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(
            *out, ChangeServiceTypeStep(c, commands_.clock(), k, req.service_request_id(),
                                        req.service_type(), CivilDayOf(req.effective_from())));
        return absl::OkStatus();
      });
}

absl::Status MopfApp::GetServiceTypeHistory(const Actor& actor,
                                            const cms::v1::GetServiceTypeHistoryRequest& req,
                                            cms::v1::ServiceTypeHistory* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
    CMS_ASSIGN_OR_RETURN(*out, LoadServiceTypeHistory(tx, k, commands_.clock().Today(now)));
    return absl::OkStatus();
  });
}

absl::Status MopfApp::ApplyServiceType(Command& c, const store::DueTimer& timer) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), timer.subject, /*for_update=*/true));
  CMS_ASSIGN_OR_RETURN(cms::v1::ServiceTypeHistory h,
                       LoadServiceTypeHistory(c.tx(), k, commands_.clock().Today(c.now())));
  CMS_ASSIGN_OR_RETURN(bool changed, store::SetCaseServiceType(c.tx(), k.id(), h.current()));
  if (changed) c.Audit("service_type", absl::StrCat(k.id()), nullptr, h);
  return absl::OkStatus();
}

// ---------------------------------------------------------------- M7.2 MOPF

absl::StatusOr<cms::v1::Mopf> MopfApp::SetMopfIn(Command& c, int64_t casegroup_id, int64_t sr_id,
                                                 absl::CivilDay start,
                                                 std::vector<cms::v1::MopfMethod> methods) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, FindCasegroup(c.tx(), casegroup_id));
  return SetMopfStep(c, commands_.clock(), g.id(), sr_id, start, std::move(methods),
                     /*etag=*/nullptr);
}

absl::StatusOr<cms::v1::Mopf> MopfApp::CancelMopfMethodIn(Command& c, int64_t casegroup_id,
                                                          int64_t sr_id, int64_t method_id,
                                                          absl::CivilDay end,
                                                          const std::vector<int64_t>& ending_too) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, FindCasegroup(c.tx(), casegroup_id));
  return CancelMopfMethodStep(c, commands_.clock(), g.id(), sr_id, method_id, end,
                              /*etag=*/nullptr, ending_too);
}

absl::StatusOr<std::vector<MopfMethod>> MopfApp::ActiveMethods(Command& c,
                                                               int64_t casegroup_id) const {
  return ActiveMethods(c.tx(), casegroup_id, commands_.clock().Today(c.now()));
}

absl::StatusOr<std::vector<MopfMethod>> MopfApp::ActiveMethods(store::Tx& tx, int64_t casegroup_id,
                                                               absl::CivilDay today) const {
  // The methods alone: no version read, as no etag is given out.
  CMS_ASSIGN_OR_RETURN(std::vector<MopfMethod> methods, store::ListMopfMethods(tx, casegroup_id));
  std::erase_if(methods, [&](const MopfMethod& m) { return !InForce(m, today); });
  return methods;
}

absl::Status MopfApp::SetMopf(const Actor& actor, const cms::v1::SetMopfRequest& req,
                              cms::v1::Mopf* out) {
  FieldErrors errors;
  if (req.casegroup_id() <= 0) errors.Add("casegroup_id", "required");
  CheckDate(errors, "start_date", req.start_date());
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.2"));
  return commands_.Run(
      actor, "SetMopf", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g,
                             CasegroupForWrite(c.tx(), req.casegroup_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(
            *out, SetMopfStep(c, commands_.clock(), g.id(), req.service_request_id(),
                              CivilDayOf(req.start_date()),
                              {req.methods().begin(), req.methods().end()}, &req.etag()));
        return absl::OkStatus();
      });
}

absl::Status MopfApp::CancelMopfMethod(const Actor& actor,
                                       const cms::v1::CancelMopfMethodRequest& req,
                                       cms::v1::Mopf* out) {
  FieldErrors errors;
  if (req.casegroup_id() <= 0) errors.Add("casegroup_id", "required");
  if (req.method_id() <= 0) errors.Add("method_id", "required");
  CheckDate(errors, "end_date", req.end_date());
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.2"));
  return commands_.Run(
      actor, "CancelMopfMethod", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g,
                             CasegroupForWrite(c.tx(), req.casegroup_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(
            *out, CancelMopfMethodStep(c, commands_.clock(), g.id(), req.service_request_id(),
                                       req.method_id(), CivilDayOf(req.end_date()), &req.etag()));
        return absl::OkStatus();
      });
}

absl::Status MopfApp::GetMopf(const Actor& actor, const cms::v1::GetMopfRequest& req,
                              cms::v1::Mopf* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, CasegroupForRead(tx, req.casegroup_id(), actor));
    return BuildMopf(tx, g.id(), commands_.clock().Today(now), out);
  });
}

// ---------------------------------------------------------------- M7.2 MOPT

absl::Status MopfApp::SetMopt(const Actor& actor, const cms::v1::SetMoptRequest& req,
                              cms::v1::Mopt* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (req.method() != cms::v1::MOPT_METHOD_BANK_TRANSFER &&
      req.method() != cms::v1::MOPT_METHOD_CHEQUE) {
    errors.Add("method", "MOPT_METHOD_BANK_TRANSFER or MOPT_METHOD_CHEQUE");
  }
  if (req.payee_reference().size() > 40) errors.Add("payee_reference", "at most 40 characters");
  CheckDate(errors, "start_date", req.start_date());
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.2"));
  return commands_.Run(
      actor, "SetMopt", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        const absl::CivilDay today = commands_.clock().Today(c.now());
        const absl::CivilDay start = CivilDayOf(req.start_date());
        if (start < today) return InvalidField("start_date", "today or later", "M7.2");
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        CMS_RETURN_IF_ERROR(LockForChange(c, store::kMoptVersion, "MOPT", k.id(), &req.etag(),
                                          req.service_request_id(), k.casegroup_id(), k.id()));
        CMS_ASSIGN_OR_RETURN(auto periods, store::ListMoptPeriods(c.tx(), k.id()));
        for (const MoptPeriod& p : periods) {
          if (!AppliesOnOrAfter(p.end_date(), start)) continue;
          CMS_RETURN_IF_ERROR(
              store::EndMoptPeriod(c.tx(), p.id(), DateOf(start - 1), req.service_request_id()));
        }
        MoptPeriod p;
        p.set_method(req.method());
        p.set_payee_reference(req.payee_reference());
        *p.mutable_start_date() = req.start_date();
        p.set_service_request_id(req.service_request_id());
        CMS_RETURN_IF_ERROR(
            store::InsertMoptPeriod(c.tx(), k.id(), p, c.actor().staff_id, c.now_us()).status());
        CMS_RETURN_IF_ERROR(store::BumpMoneyVersion(c.tx(), store::kMoptVersion, k.id()));
        CMS_RETURN_IF_ERROR(
            AddSrNote(c, req.service_request_id(),
                      absl::StrCat("MOPT of case ", k.id(), " set to ", ShortName(req.method()),
                                   " from ", absl::FormatCivilTime(start), " (M7.2).")));
        CMS_RETURN_IF_ERROR(BuildMopt(c.tx(), k.id(), today, out));
        c.Audit("mopt", absl::StrCat(k.id()), nullptr, *out);
        return absl::OkStatus();
      });
}

absl::StatusOr<cms::v1::Mopt> MopfApp::CancelMoptIn(Command& c, int64_t case_id, int64_t sr_id,
                                                    absl::CivilDay end) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, FindCase(c.tx(), case_id));
  return CancelMoptStep(c, commands_.clock(), k, sr_id, end, /*etag=*/nullptr);
}

absl::Status MopfApp::CancelMopt(const Actor& actor, const cms::v1::CancelMoptRequest& req,
                                 cms::v1::Mopt* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  CheckDate(errors, "end_date", req.end_date());
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.2"));
  return commands_.Run(
      actor, "CancelMopt", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(*out, CancelMoptStep(c, commands_.clock(), k, req.service_request_id(),
                                                  CivilDayOf(req.end_date()), &req.etag()));
        return absl::OkStatus();
      });
}

absl::Status MopfApp::GetMopt(const Actor& actor, const cms::v1::GetMoptRequest& req,
                              cms::v1::Mopt* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
    return BuildMopt(tx, k.id(), commands_.clock().Today(now), out);
  });
}

}  // namespace cms::app
