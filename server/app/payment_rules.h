// The configurable rules of the money use cases (M7.*, AR10.1), set by
// flags and shared by the payment use cases (payments.h) and the daily
// missed-payment job (missed_payments.h) without either including the
// other; the arrears use cases (arrears.h) read them too (AR10.11). Plain
// value type.
#pragma once

#include "server/domain/de_minimis.h"

namespace cms::app {

struct PaymentRules {
  // AR10.1: days after its due date before an unpaid item counts as missed.
  int missed_payment_tolerance_days = 0;
  // AR10.11: days to wait for the RP after CMSL5511 (the RP could not be
  // reached by phone) before referring to DOT or for an LO.
  int arrears_rp_contact_wait_days = 7;
  // AR10.8: the charging order's de minimis, by court (--charging_order_
  // threshold_pence, --charging_order_court_thresholds).
  domain::DeMinimisThresholds de_minimis;
};

}  // namespace cms::app
