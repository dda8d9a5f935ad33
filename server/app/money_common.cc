#include "server/app/money_common.h"

#include "absl/strings/str_cat.h"
#include "server/app/access.h"
#include "server/app/dates.h"
#include "server/app/money_mapping.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/store/casegroup_repo.h"
#include "server/store/mopf_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
absl::Status CheckWorkingSr(store::Tx& tx, int64_t sr_id, absl::string_view type_code,
                            int64_t casegroup_id, int64_t case_id, absl::string_view rule) {
  if (sr_id <= 0) {
    return InvalidField(
        "service_request_id",
        absl::StrCat("required: the ", type_code, " SR this change is made through"), rule);
  }
  auto sr = store::GetServiceRequest(tx, sr_id);
  if (absl::IsNotFound(sr.status()) ||
      (sr.ok() && (sr->casegroup_id() != casegroup_id ||
                   (case_id != 0 && sr->case_id() != 0 && sr->case_id() != case_id)))) {
    return InvalidField("service_request_id", "no such SR on this casegroup and case", rule);
  }
  CMS_RETURN_IF_ERROR(sr.status());
  if (sr->type_code() != type_code) {
    return RuleViolation(rule, absl::StrCat("this change is made through a ", type_code, " SR; SR ",
                                            sr_id, " is ", sr->type_code()));
  }
  if (sr->status() != cms::v1::SR_STATUS_IN_PROGRESS) {
    return RuleViolation(rule, absl::StrCat("SR ", sr_id, " is ", ShortName(sr->status()),
                                            "; the change is made while it is IN_PROGRESS"));
  }
  return absl::OkStatus();
}

absl::StatusOr<cms::v1::ServiceTypeHistory> LoadServiceTypeHistory(store::Tx& tx,
                                                                   const cms::v1::Case& k,
                                                                   absl::CivilDay today) {
  CMS_ASSIGN_OR_RETURN(auto periods, store::ListServiceTypePeriods(tx, k.id()));
  cms::v1::ServiceTypeHistory out;
  out.set_case_id(k.id());
  if (periods.empty()) {
    cms::v1::ServiceTypePeriod initial;
    initial.set_service_type(k.service_type());
    *initial.mutable_effective_from() = k.application_date();
    initial.set_set_by("application");
    *initial.mutable_set_time() = k.create_time();
    periods.push_back(std::move(initial));
  }
  for (auto& p : periods) *out.add_periods() = std::move(p);
  const auto current = domain::ServiceTypeOn(ToDomain(out.periods()), today);
  out.set_current(!current.has_value() ? k.service_type()
                  : *current == domain::ServiceType::kCollectAndPay
                      ? cms::v1::SERVICE_TYPE_COLLECT_AND_PAY
                      : cms::v1::SERVICE_TYPE_DIRECT_PAY);
  return out;
}

}  // namespace cms::app
