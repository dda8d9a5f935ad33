// UK postcodes and the region rule (C2.4). Pure and thread-safe.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "cms/v1/common.pb.h"

namespace cms::domain {

// Validates a UK postcode (outward code A9, A99, AA9, AA99, A9A or AA9A, then
// inward code 9AA; or GIR 0AA) ignoring case and spacing, and returns it as
// "OUTWARD INWARD" in upper case; nullopt when invalid.
std::optional<std::string> NormaliseUkPostcode(absl::string_view postcode);

// The postcode area: the leading letters ("BT" for "BT1 5GS").
std::string PostcodeArea(absl::string_view normalised_postcode);

// C2.4: NI when the paying parent's residential postcode area is BT, else GB
// (including a non-UK address, which R3.2 sends to INTERNATIONAL in GB).
cms::v1::Country RegionOf(absl::string_view pp_postcode, bool pp_outside_uk);

}  // namespace cms::domain
