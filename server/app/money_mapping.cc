#include "server/app/money_mapping.h"

#include "server/app/dates.h"
#include "server/base/enum_names.h"

namespace cms::app {
namespace {

using domain::PaymentMethod;

struct MethodPair {
  cms::v1::PaymentMethod proto;
  PaymentMethod domain;
};

constexpr MethodPair kMethods[] = {
    {cms::v1::PAYMENT_METHOD_DEO, PaymentMethod::kDeo},
    {cms::v1::PAYMENT_METHOD_DER, PaymentMethod::kDer},
    {cms::v1::PAYMENT_METHOD_DD, PaymentMethod::kDd},
    {cms::v1::PAYMENT_METHOD_SO, PaymentMethod::kSo},
    {cms::v1::PAYMENT_METHOD_DSO, PaymentMethod::kDso},
    {cms::v1::PAYMENT_METHOD_RDO, PaymentMethod::kRdo},
    {cms::v1::PAYMENT_METHOD_LSDO, PaymentMethod::kLsdo},
    {cms::v1::PAYMENT_METHOD_CARD, PaymentMethod::kCard},
};

template <typename Out, typename In, typename F>
std::vector<Out> MapAll(const In& in, F f) {
  std::vector<Out> out;
  out.reserve(in.size());
  for (const auto& x : in) out.push_back(f(x));
  return out;
}

}  // namespace

std::optional<PaymentMethod> ToDomain(cms::v1::PaymentMethod m) {
  for (const MethodPair& p : kMethods) {
    if (p.proto == m) return p.domain;
  }
  return std::nullopt;
}

cms::v1::PaymentMethod ToProto(PaymentMethod m) {
  for (const MethodPair& p : kMethods) {
    if (p.domain == m) return p.proto;
  }
  return cms::v1::PAYMENT_METHOD_UNSPECIFIED;
}

std::optional<domain::Frequency> ToDomain(cms::v1::Frequency f) {
  switch (f) {
    case cms::v1::FREQUENCY_WEEKLY:
      return domain::Frequency::kWeekly;
    case cms::v1::FREQUENCY_FORTNIGHTLY:
      return domain::Frequency::kFortnightly;
    case cms::v1::FREQUENCY_FOUR_WEEKLY:
      return domain::Frequency::kFourWeekly;
    case cms::v1::FREQUENCY_MONTHLY:
      return domain::Frequency::kMonthly;
    default:
      return std::nullopt;
  }
}

std::optional<domain::ServiceType> ToDomain(cms::v1::ServiceType t) {
  switch (t) {
    case cms::v1::SERVICE_TYPE_DIRECT_PAY:
      return domain::ServiceType::kDirectPay;
    case cms::v1::SERVICE_TYPE_COLLECT_AND_PAY:
      return domain::ServiceType::kCollectAndPay;
    default:
      return std::nullopt;
  }
}

cms::v1::ItemStatus ToProto(domain::ItemStatus s) {
  switch (s) {
    case domain::ItemStatus::kPaid:
      return cms::v1::ITEM_STATUS_PAID;
    case domain::ItemStatus::kPartial:
      return cms::v1::ITEM_STATUS_PARTIAL;
    case domain::ItemStatus::kMissed:
      return cms::v1::ITEM_STATUS_MISSED;
    case domain::ItemStatus::kPending:
      return cms::v1::ITEM_STATUS_PENDING;
  }
  return cms::v1::ITEM_STATUS_UNSPECIFIED;
}

domain::MopfMethod ToDomain(const cms::v1::MopfMethod& m) {
  domain::MopfMethod out;
  out.method = ToDomain(m.method()).value_or(PaymentMethod::kDd);
  out.share_percent = m.share_percent();
  out.enforced = m.enforced();
  out.deo_subtype =
      m.deo_subtype() == cms::v1::DEO_SUBTYPE_MANDATORY       ? domain::DeoSubtype::kMandatory
      : m.deo_subtype() == cms::v1::DEO_SUBTYPE_SELF_SELECTED ? domain::DeoSubtype::kSelfSelected
                                                              : domain::DeoSubtype::kNone;
  out.mandatory_deo_tick = m.mandatory_deo_tick();
  out.employer = m.employer();
  out.start = CivilDayOf(m.start_date());
  if (IsSet(m.end_date())) out.end = CivilDayOf(m.end_date()) + 1;
  return out;
}

std::vector<domain::MopfMethod> ToDomain(
    const google::protobuf::RepeatedPtrField<cms::v1::MopfMethod>& methods) {
  return MapAll<domain::MopfMethod>(methods,
                                    [](const cms::v1::MopfMethod& m) { return ToDomain(m); });
}

std::vector<domain::MopfMethod> ToDomain(const std::vector<cms::v1::MopfMethod>& methods) {
  return MapAll<domain::MopfMethod>(methods,
                                    [](const cms::v1::MopfMethod& m) { return ToDomain(m); });
}

domain::ScheduleItem ToDomain(const cms::v1::ScheduleItem& i) {
  domain::ScheduleItem out;
  out.sequence = i.sequence();
  out.due = CivilDayOf(i.due_date());
  out.expected_amount = i.expected_pence();
  out.expected_method = ToDomain(i.expected_method()).value_or(PaymentMethod::kDd);
  return out;
}

std::vector<domain::ScheduleItem> ToDomain(const std::vector<cms::v1::ScheduleItem>& items) {
  return MapAll<domain::ScheduleItem>(items,
                                      [](const cms::v1::ScheduleItem& i) { return ToDomain(i); });
}

domain::Payment ToDomain(const cms::v1::Payment& p) {
  return {CivilDayOf(p.received_date()), p.amount_pence(),
          ToDomain(p.method()).value_or(PaymentMethod::kDd)};
}

std::vector<domain::Payment> ToDomain(const std::vector<cms::v1::Payment>& payments) {
  return MapAll<domain::Payment>(payments, [](const cms::v1::Payment& p) { return ToDomain(p); });
}

std::vector<domain::ServiceTypeChange> ToDomain(
    const google::protobuf::RepeatedPtrField<cms::v1::ServiceTypePeriod>& periods) {
  std::vector<domain::ServiceTypeChange> out;
  for (const cms::v1::ServiceTypePeriod& p : periods) {
    if (auto t = ToDomain(p.service_type()); t.has_value()) {
      out.push_back({*t, CivilDayOf(p.effective_from())});
    }
  }
  return out;
}

std::vector<domain::FeeWaiver> ToDomain(const std::vector<cms::v1::FeeWaiver>& waivers) {
  return MapAll<domain::FeeWaiver>(waivers, [](const cms::v1::FeeWaiver& w) {
    domain::FeeWaiver out{CivilDayOf(w.from_date()), std::nullopt, w.covers_enforcement_charges()};
    if (IsSet(w.to_date())) out.to = CivilDayOf(w.to_date());
    return out;
  });
}

std::vector<domain::ChargeEntry> PayingParentCharges(
    const std::vector<cms::v1::LedgerEntry>& entries) {
  std::vector<domain::ChargeEntry> out;
  for (const cms::v1::LedgerEntry& e : entries) {
    if (e.kind() == cms::v1::CHARGE_KIND_RP_COLLECTION_FEE) continue;
    out.push_back({ShortName(e.kind()), e.amount_pence(), CivilDayOf(e.effective_date())});
  }
  return out;
}

void SetStanding(const domain::ClassifiedItem& c, cms::v1::ScheduleItem* item) {
  item->set_status(ToProto(c.status));
  item->set_paid_pence(c.paid);
  item->set_on_time(c.on_time);
  item->set_in_full(c.in_full);
  item->set_agreed_method(c.agreed_method);
}

}  // namespace cms::app
