#include "server/domain/letters.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

constexpr absl::string_view kOpen = "{{";
constexpr absl::string_view kClose = "}}";

bool ValidName(absl::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  });
}

// Calls `on_text` for literal text and `on_field` for each {{name}} of
// `body`, in order; stops at the first error either returns.
template <typename OnText, typename OnField>
absl::Status Scan(absl::string_view body, OnText on_text, OnField on_field) {
  size_t pos = 0;
  while (pos < body.size()) {
    const size_t open = body.find(kOpen, pos);
    if (open == absl::string_view::npos) {
      on_text(body.substr(pos));
      break;
    }
    on_text(body.substr(pos, open - pos));
    const size_t close = body.find(kClose, open + kOpen.size());
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("unclosed \"{{\" at offset ", open, " of the letter body"));
    }
    const absl::string_view name = body.substr(open + kOpen.size(), close - open - kOpen.size());
    if (!ValidName(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed merge field \"{{", name, "}}\" (use a-z, 0-9, _ and .)"));
    }
    if (absl::Status s = on_field(name); !s.ok()) return s;
    pos = close + kClose.size();
  }
  return absl::OkStatus();
}

std::string FullName(const LetterParty& p) {
  return absl::StrJoin({p.given_name, p.family_name}, " ");
}

std::string LongDate(absl::CivilDay d) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  return absl::StrCat(d.day(), " ", kMonths[d.month() - 1], " ", d.year());
}

std::string AddressText(const cms::v1::Address& a) {
  std::vector<std::string> lines(a.lines().begin(), a.lines().end());
  if (a.non_uk()) {
    lines.push_back(a.country_code());
  } else if (!a.postcode().empty()) {
    lines.push_back(a.postcode());
  }
  return absl::StrJoin(lines, "\n");
}

// "Sam", "Sam and Alex", "Sam, Alex and Jo".
std::string NameList(const std::vector<std::string>& names) {
  if (names.size() <= 1) return names.empty() ? std::string("your child") : names[0];
  std::vector<std::string> head(names.begin(), names.end() - 1);
  return absl::StrCat(absl::StrJoin(head, ", "), " and ", names.back());
}

std::string ServiceTypeText(cms::v1::ServiceType t) {
  switch (t) {
    case cms::v1::SERVICE_TYPE_DIRECT_PAY:
      return "Direct Pay";
    case cms::v1::SERVICE_TYPE_COLLECT_AND_PAY:
      return "Collect and Pay";
    default:
      return "not yet decided";
  }
}

}  // namespace

const std::vector<std::string>& KnownMergeFields() {
  static const auto* fields = new std::vector<std::string>{
      "letter.date",          "letter.date_plus_7", "letter.date_plus_14", "recipient.full_name",
      "recipient.given_name", "recipient.address",  "pp.full_name",        "rp.full_name",
      "case.reference",       "case.children",      "case.service_type"};
  return *fields;
}

absl::StatusOr<std::vector<std::string>> MergeFieldsOf(absl::string_view body) {
  const std::vector<std::string>& known = KnownMergeFields();
  std::vector<std::string> fields;
  absl::Status s = Scan(
      body, [](absl::string_view) {},
      [&](absl::string_view name) -> absl::Status {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "unknown merge field \"{{", name, "}}\"; known: ", absl::StrJoin(known, ", ")));
        }
        if (std::find(fields.begin(), fields.end(), name) == fields.end()) {
          fields.emplace_back(name);
        }
        return absl::OkStatus();
      });
  if (!s.ok()) return WithRule(s, "L12.1");
  return fields;
}

absl::StatusOr<std::string> RenderBody(absl::string_view body,
                                       const std::map<std::string, std::string>& values) {
  std::string out;
  absl::Status s = Scan(
      body, [&](absl::string_view text) { absl::StrAppend(&out, text); },
      [&](absl::string_view name) -> absl::Status {
        auto it = values.find(std::string(name));
        if (it == values.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat("no value for merge field \"{{", name, "}}\""));
        }
        absl::StrAppend(&out, it->second);
        return absl::OkStatus();
      });
  if (!s.ok()) return WithRule(s, "L12.1");
  return out;
}

std::map<std::string, std::string> MergeValues(const LetterFacts& facts) {
  return {
      {"letter.date", LongDate(facts.issue_date)},
      {"letter.date_plus_7", LongDate(facts.issue_date + 7)},
      {"letter.date_plus_14", LongDate(facts.issue_date + 14)},
      {"recipient.full_name", FullName(facts.recipient)},
      {"recipient.given_name", facts.recipient.given_name},
      {"recipient.address", AddressText(facts.address)},
      {"pp.full_name", FullName(facts.paying_parent)},
      {"rp.full_name", FullName(facts.receiving_parent)},
      {"case.reference", absl::StrCat(facts.case_id)},
      {"case.children", NameList(facts.children)},
      {"case.service_type", ServiceTypeText(facts.service_type)},
  };
}

const cms::v1::Address& LetterAddress(const cms::v1::Person& recipient) {
  if (recipient.has_correspondence_address() &&
      !recipient.correspondence_address().lines().empty()) {
    return recipient.correspondence_address();
  }
  return recipient.residential_address();
}

std::optional<std::string> UndeliverableReason(const cms::v1::Person& recipient) {
  const bool correspondence = &LetterAddress(recipient) == &recipient.correspondence_address();
  const char* which = correspondence ? "correspondence" : "residential";
  switch (recipient.address_status()) {
    case cms::v1::ADDRESS_STATUS_DLO:
      return absl::StrCat("the recipient's ", which,
                          " address is marked DLO (mail is returned by the dead letter office)");
    case cms::v1::ADDRESS_STATUS_NFA:
      return absl::StrCat("the recipient's ", which, " address is marked NFA (no fixed abode)");
    default:
      return std::nullopt;
  }
}

}  // namespace cms::domain
