// The configurable rules of the money use cases (M7.*, AR10.1), set by
// flags and shared by the payment use cases (payments.h) and the daily
// missed-payment job (missed_payments.h) without either including the
// other. Plain value type.
#pragma once

namespace cms::app {

struct PaymentRules {
  // AR10.1: days after its due date before an unpaid item counts as missed.
  int missed_payment_tolerance_days = 0;
};

}  // namespace cms::app
