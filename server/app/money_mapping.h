// The money vocabulary of the API (cms.v1 payment messages) translated to
// and from the pure rules of server/domain/ (money.h, mopf.h, schedule.h,
// payments.h, fees.h). Pure and thread-safe.
//
// One convention differs: the API's MOPF/MOPT end_date is the last day a
// method applies (what a caseworker types); the domain's `end` is the first
// day it no longer does.
#pragma once

#include <optional>
#include <vector>

#include "cms/v1/casegroup.pb.h"
#include "cms/v1/payment.pb.h"
#include "server/domain/fees.h"
#include "server/domain/mopf.h"
#include "server/domain/payments.h"
#include "server/domain/schedule.h"

namespace cms::app {

std::optional<domain::PaymentMethod> ToDomain(cms::v1::PaymentMethod m);
cms::v1::PaymentMethod ToProto(domain::PaymentMethod m);
std::optional<domain::Frequency> ToDomain(cms::v1::Frequency f);
std::optional<domain::ServiceType> ToDomain(cms::v1::ServiceType t);
cms::v1::ItemStatus ToProto(domain::ItemStatus s);

// Methods whose `method` is unset or unknown map to DD; validate first.
domain::MopfMethod ToDomain(const cms::v1::MopfMethod& m);
std::vector<domain::MopfMethod> ToDomain(
    const google::protobuf::RepeatedPtrField<cms::v1::MopfMethod>& methods);
std::vector<domain::MopfMethod> ToDomain(const std::vector<cms::v1::MopfMethod>& methods);

domain::ScheduleItem ToDomain(const cms::v1::ScheduleItem& i);
std::vector<domain::ScheduleItem> ToDomain(const std::vector<cms::v1::ScheduleItem>& items);
domain::Payment ToDomain(const cms::v1::Payment& p);
std::vector<domain::Payment> ToDomain(const std::vector<cms::v1::Payment>& payments);

// M7.1: the history as the fee rules read it.
std::vector<domain::ServiceTypeChange> ToDomain(
    const google::protobuf::RepeatedPtrField<cms::v1::ServiceTypePeriod>& periods);
std::vector<domain::FeeWaiver> ToDomain(const std::vector<cms::v1::FeeWaiver>& waivers);

// The charge entries of the paying parent's account (the RP's collection
// fee deductions are not theirs).
std::vector<domain::ChargeEntry> PayingParentCharges(
    const std::vector<cms::v1::LedgerEntry>& entries);

// An item's standing (status, paid, flags) from its classification.
void SetStanding(const domain::ClassifiedItem& c, cms::v1::ScheduleItem* item);

}  // namespace cms::app
