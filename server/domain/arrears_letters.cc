#include "server/domain/arrears_letters.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace cms::domain {
namespace {

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

ArrearsLetterChoice Letter(absl::string_view code, std::string reason) {
  return {std::string(code), std::move(reason)};
}

ArrearsLetterChoice NoLetter(std::string reason) { return {"", std::move(reason)}; }

// The first response on or after `issued`, if any.
std::optional<absl::CivilDay> ResponseSince(const std::vector<absl::CivilDay>& responses,
                                            absl::CivilDay issued) {
  std::optional<absl::CivilDay> first;
  for (absl::CivilDay r : responses) {
    if (r >= issued && (!first || r < *first)) first = r;
  }
  return first;
}

// The start of the compliance span before `miss`: the later of the letter's
// issue date and the last missed collection due in [issued, miss).
absl::CivilDay ComplianceStart(const LetterHistory& h, absl::CivilDay issued, absl::CivilDay miss) {
  absl::CivilDay start = issued;
  for (const DecidedCollection& c : h.collections) {
    if (c.missed && c.due >= issued && c.due < miss) start = std::max(start, c.due);
  }
  return start;
}

}  // namespace

bool ArrearsNoticeWaitRunning(absl::CivilDay issued, absl::CivilDay today) {
  return today < issued + kArrearsNoticeWaitDays;
}

ArrearsLetterChoice ChooseArrearsLetter(const LetterHistory& h) {
  if (h.letters.empty()) {
    return Letter(
        kFirstArrearsLetter,
        absl::StrCat("no arrears letter has been sent: ", kFirstArrearsLetter, " (AR10.4)"));
  }
  const SentArrearsLetter& last = h.letters.back();
  const std::string sent = absl::StrCat(last.code, " issued on ", Day(last.issued));
  if (ArrearsNoticeWaitRunning(last.issued, h.today)) {
    return NoLetter(absl::StrCat(sent, ": its ", kArrearsNoticeWaitDays, "-day wait runs to ",
                                 Day(last.issued + kArrearsNoticeWaitDays), " (AR10.4)"));
  }
  const std::optional<absl::CivilDay> response = ResponseSince(h.responses, last.issued);
  if (last.code == kFirstArrearsLetter && !response) {
    return Letter(kSecondArrearsLetter,
                  absl::StrCat(sent, " got no response in ", kArrearsNoticeWaitDays,
                               " days: ", kSecondArrearsLetter, " (AR10.4)"));
  }
  const std::string responded =
      response ? absl::StrCat("; the PP responded on ", Day(*response)) : "";
  if (!h.current_miss) {
    return NoLetter(absl::StrCat("already sent ", sent, responded,
                                 ", and no new missed collection to write about (AR10.4)"));
  }
  const absl::CivilDay miss = *h.current_miss;
  if (miss <= last.issued) {
    return NoLetter(absl::StrCat("already sent ", sent, responded,
                                 ", which covers the collection missed on ", Day(miss),
                                 " (AR10.4)"));
  }
  const absl::CivilDay start = ComplianceStart(h, last.issued, miss);
  const auto days = miss - start;
  const std::string span = absl::StrCat(days, " days of compliance from ", Day(start),
                                        " to the collection missed on ", Day(miss));
  if (days >= kArrearsComplianceDays) {
    return Letter(kSecondArrearsLetter,
                  absl::StrCat("since ", sent, ": ", span, " (12 weeks or more), then a miss: ",
                               kSecondArrearsLetter, " (AR10.4)"));
  }
  return NoLetter(absl::StrCat("already sent ", sent, responded, "; only ", span,
                               " (under 12 weeks): no new letter (AR10.4)"));
}

}  // namespace cms::domain
