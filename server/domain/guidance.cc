#include "server/domain/guidance.h"

#include <algorithm>
#include <array>
#include <optional>
#include <regex>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/domain/postcode.h"

namespace cms::domain {
namespace {

constexpr auto kIcase = std::regex::ECMAScript | std::regex::icase | std::regex::optimize;

// Two letters and six digits (in pairs, optionally separated), an optional
// suffix A-D.
const std::regex& NinoPattern() {
  static const auto* re = new std::regex(
      R"(\b([a-z]{2})([ -]?)(\d{2})([ -]?)(\d{2})([ -]?)(\d{2})([ -]?[a-d])?\b)", kIcase);
  return *re;
}

// Outward code (A9, A99, A9A, AA9, AA99, AA9A) and inward code (9AA).
const std::regex& PostcodePattern() {
  static const auto* re =
      new std::regex(R"(\b([a-z]{1,2}\d[a-z\d]?) *(\d[a-z]{2})\b|\bgir *0aa\b)", kIcase);
  return *re;
}

// A reference word, optional "id"/"reference"/..., separators, a number
// that is not the start of a rule id (SR5.7) or a decimal.
const std::regex& ReferencePattern() {
  static const auto* re = new std::regex(
      R"(\b(case[ _\-]?groups?|case|person|party|service[ _\-]request|sr)[ _\-]*)"
      R"((?:(?:id|ref|reference|no|number|num)\b\.?)?[ \t:#="'\-]*(\d+)\b(?![.,]\d))",
      kIcase);
  return *re;
}

// Full dates: d/m/y (also with . or -), ISO y-m-d, "15 March 1985",
// "March 15, 1985".
const std::regex& DmyPattern() {
  static const auto* re =
      new std::regex(R"(\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b)", kIcase);
  return *re;
}
const std::regex& IsoPattern() {
  static const auto* re = new std::regex(R"(\b(\d{4})-(\d{1,2})-(\d{1,2})\b)", kIcase);
  return *re;
}
constexpr char kMonths[] =
    "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|t|tember|"
    "ober|ember)?\\.?";
const std::regex& DayMonthYearPattern() {
  static const auto* re = new std::regex(
      absl::StrCat(R"(\b(\d{1,2})(?:st|nd|rd|th)? +(?:of +)?)", kMonths, R"(,? +(\d{4})\b)"),
      kIcase);
  return *re;
}
const std::regex& MonthDayYearPattern() {
  static const auto* re = new std::regex(
      absl::StrCat(R"(\b)", kMonths, R"( +(\d{1,2})(?:st|nd|rd|th)?,? +(\d{4})\b)"), kIcase);
  return *re;
}
const std::regex& YearPattern() {
  static const auto* re = new std::regex(R"(\b(19|20)\d{2}\b)", kIcase);
  return *re;
}
const std::regex& BirthWordPattern() {
  static const auto* re = new std::regex(R"(born|birth|\bdob\b|\bd\.o\.b\b)", kIcase);
  return *re;
}

int MonthNumber(const std::string& name) {
  static constexpr std::array<const char*, 12> kNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                         "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string lower = absl::AsciiStrToLower(name.substr(0, 3));
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (lower == kNames[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

int ToInt(const std::string& digits) {
  int v = 0;
  return absl::SimpleAtoi(digits, &v) ? v : -1;
}

// A real calendar date (two-digit years: this century up to this year, else
// the last).
std::optional<absl::CivilDay> DateOf(int year, int month, int day, bool two_digit_year,
                                     absl::CivilDay today) {
  if (two_digit_year) {
    const int century = static_cast<int>(today.year()) / 100 * 100;
    year += year <= today.year() % 100 ? century : century - 100;
  }
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  const absl::CivilDay d(year, month, day);
  if (d.month() != month || d.day() != day) return std::nullopt;
  return d;
}

// Whether a birth word comes in the 40 characters before `pos`.
bool AfterBirthWord(absl::string_view text, size_t pos) {
  const size_t from = pos > 40 ? pos - 40 : 0;
  const std::string window(text.substr(from, pos - from));
  return std::regex_search(window, BirthWordPattern());
}

template <typename Fn>
void ForEachMatch(const std::string& text, const std::regex& re, Fn fn) {
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    if (fn(*it)) return;
  }
}

bool HasNino(const std::string& text) {
  bool found = false;
  ForEachMatch(text, NinoPattern(), [&](const std::smatch& m) {
    const std::string letters = m[1].str();
    const bool separated = !m[2].str().empty() || !m[4].str().empty() || !m[6].str().empty();
    // "in 12 34 56" is text; "IN 12 34 56", "in123456" and "in 12 34 56 c"
    // are NINO-shaped.
    const bool upper = absl::ascii_isupper(static_cast<unsigned char>(letters[0])) &&
                       absl::ascii_isupper(static_cast<unsigned char>(letters[1]));
    found = !separated || upper || m[8].matched;
    return found;
  });
  return found;
}

bool HasPostcode(const std::string& text) {
  bool found = false;
  ForEachMatch(text, PostcodePattern(), [&](const std::smatch& m) {
    if (!m[1].matched) return found = true;  // GIR 0AA
    const std::string inward = absl::AsciiStrToLower(m[2].str());
    const std::string suffix = inward.substr(1);
    if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") return false;
    found = NormaliseUkPostcode(absl::StrCat(m[1].str(), " ", m[2].str())).has_value();
    return found;
  });
  return found;
}

// An email address around each '@' (found by hand: a regex would rescan
// the text from every letter, quadratic on a long word).
bool HasEmail(const std::string& text) {
  auto local = [](char ch) {
    return absl::ascii_isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' ||
           ch == '%' || ch == '+' || ch == '-';
  };
  for (size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
    if (at == 0 || !local(text[at - 1])) continue;
    // The domain: labels of letters, digits and hyphens, at least one dot,
    // the last label two or more letters.
    size_t end = at + 1;
    while (end < text.size() && (absl::ascii_isalnum(static_cast<unsigned char>(text[end])) ||
                                 text[end] == '-' || text[end] == '.')) {
      ++end;
    }
    absl::string_view domain(text.data() + at + 1, end - at - 1);
    while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
    const size_t dot = domain.rfind('.');
    if (dot == absl::string_view::npos || dot == 0) continue;
    const absl::string_view tld = domain.substr(dot + 1);
    if (tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), [](char ch) {
          return absl::ascii_isalpha(static_cast<unsigned char>(ch));
        })) {
      return true;
    }
  }
  return false;
}

bool HasReference(const std::string& text) {
  bool found = false;
  ForEachMatch(text, ReferencePattern(), [&](const std::smatch& m) {
    // "in case 2 payments are missed": English, not a reference.
    const std::string word = absl::AsciiStrToLower(m[1].str());
    if (word == "case") {
      const size_t at = static_cast<size_t>(m.position(0));
      std::string before =
          absl::AsciiStrToLower(text.substr(at >= 5 ? at - 5 : 0, at >= 5 ? 5 : at));
      absl::string_view b = absl::StripTrailingAsciiWhitespace(before);
      if (absl::EndsWith(b, " in") || b == "in") return false;
    }
    return found = true;
  });
  return found;
}

// A run of digits, spaces, hyphens and brackets from `start`: whether the
// digit count reaches [lo, hi] at the end of a group of digits.
bool PhoneRun(const std::string& text, size_t start, int lo, int hi) {
  int digits = 0;
  for (size_t i = start; i < text.size(); ++i) {
    const char ch = text[i];
    if (absl::ascii_isdigit(static_cast<unsigned char>(ch))) {
      ++digits;
      const bool group_ends =
          i + 1 == text.size() || !absl::ascii_isdigit(static_cast<unsigned char>(text[i + 1]));
      if (group_ends && digits >= lo && digits <= hi) {
        // Not part of a longer number (a decimal or an amount with commas).
        const char next = i + 1 < text.size() ? text[i + 1] : ' ';
        const char after = i + 2 < text.size() ? text[i + 2] : ' ';
        const bool continues =
            (next == '.' || next == ',') && absl::ascii_isdigit(static_cast<unsigned char>(after));
        if (!continues) return true;
      }
      if (digits > hi) return false;
    } else if (ch != ' ' && ch != '-' && ch != '(' && ch != ')') {
      return false;
    }
  }
  return false;
}

bool HasPhone(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    const char prev = i == 0 ? ' ' : text[i - 1];
    const bool word_start = !absl::ascii_isalnum(static_cast<unsigned char>(prev)) && prev != '.' &&
                            prev != ',' && prev != '+';
    if (ch == '+' && i + 1 < text.size() &&
        absl::ascii_isdigit(static_cast<unsigned char>(text[i + 1]))) {
      if (PhoneRun(text, i + 1, 10, 15)) return true;
    } else if (ch == '0' && word_start && prev != '(') {
      if (PhoneRun(text, i, 10, 11)) return true;
    } else if (ch == '(' && i + 1 < text.size() && text[i + 1] == '0') {
      if (PhoneRun(text, i + 1, 10, 11)) return true;
    }
  }
  return false;
}

bool HasDateOfBirth(const std::string& text, absl::CivilDay today) {
  const absl::CivilDay cutoff(today.year() - kDateOfBirthYears, today.month(), today.day());
  auto judge = [&](std::optional<absl::CivilDay> d, size_t pos) {
    return d.has_value() && (*d < cutoff || AfterBirthWord(text, pos));
  };
  bool found = false;
  ForEachMatch(text, DmyPattern(), [&](const std::smatch& m) {
    found = judge(
        DateOf(ToInt(m[3].str()), ToInt(m[2].str()), ToInt(m[1].str()), m[3].length() == 2, today),
        m.position(0));
    return found;
  });
  if (found) return true;
  ForEachMatch(text, IsoPattern(), [&](const std::smatch& m) {
    found = judge(DateOf(ToInt(m[1].str()), ToInt(m[2].str()), ToInt(m[3].str()), false, today),
                  m.position(0));
    return found;
  });
  if (found) return true;
  ForEachMatch(text, DayMonthYearPattern(), [&](const std::smatch& m) {
    found =
        judge(DateOf(ToInt(m[3].str()), MonthNumber(m[2].str()), ToInt(m[1].str()), false, today),
              m.position(0));
    return found;
  });
  if (found) return true;
  ForEachMatch(text, MonthDayYearPattern(), [&](const std::smatch& m) {
    found =
        judge(DateOf(ToInt(m[3].str()), MonthNumber(m[1].str()), ToInt(m[2].str()), false, today),
              m.position(0));
    return found;
  });
  if (found) return true;
  // A year alone after a birth word: "born in 1985", "DOB 1990".
  ForEachMatch(text, YearPattern(), [&](const std::smatch& m) {
    found = AfterBirthWord(text, static_cast<size_t>(m.position(0)));
    return found;
  });
  return found;
}

}  // namespace

absl::string_view DescribeIdentifier(ClientIdentifier kind) {
  switch (kind) {
    case ClientIdentifier::kNationalInsuranceNumber:
      return "a National Insurance number";
    case ClientIdentifier::kPostcode:
      return "a UK postcode";
    case ClientIdentifier::kEmailAddress:
      return "an email address";
    case ClientIdentifier::kPhoneNumber:
      return "a phone number";
    case ClientIdentifier::kCmsReference:
      return "a case, casegroup, person or SR reference";
    case ClientIdentifier::kDateOfBirth:
      return "a date of birth (a full date more than 6 years ago, or a date or year after "
             "\"born\", \"birth\" or \"DOB\")";
  }
  return "";
}

std::vector<ClientIdentifier> FindClientIdentifiers(absl::string_view text, absl::CivilDay today) {
  const std::string s(text);
  std::vector<ClientIdentifier> out;
  if (HasNino(s)) out.push_back(ClientIdentifier::kNationalInsuranceNumber);
  if (HasPostcode(s)) out.push_back(ClientIdentifier::kPostcode);
  if (HasEmail(s)) out.push_back(ClientIdentifier::kEmailAddress);
  if (HasPhone(s)) out.push_back(ClientIdentifier::kPhoneNumber);
  if (HasReference(s)) out.push_back(ClientIdentifier::kCmsReference);
  if (HasDateOfBirth(s, today)) out.push_back(ClientIdentifier::kDateOfBirth);
  return out;
}

absl::Status ValidateGuidanceText(absl::string_view field, absl::string_view text, int max_chars) {
  if (absl::StripAsciiWhitespace(text).empty() || text.size() > static_cast<size_t>(max_chars)) {
    return InvalidField(std::string(field), absl::StrCat("required: 1..", max_chars, " characters"),
                        "AG11.1");
  }
  return absl::OkStatus();
}

absl::Status ValidatePrivateQuestion(absl::string_view question, absl::CivilDay today) {
  CMS_RETURN_IF_ERROR(ValidateGuidanceText("question", question));
  const std::vector<ClientIdentifier> found = FindClientIdentifiers(question, today);
  if (found.empty()) return absl::OkStatus();
  std::vector<std::string> kinds;
  for (ClientIdentifier k : found) kinds.emplace_back(DescribeIdentifier(k));
  return InvalidField("question",
                      absl::StrCat("carries what looks like ", absl::StrJoin(kinds, "; and "),
                                   ": a private request carries the question alone, never who it "
                                   "is about; rephrase it without the client's details"),
                      "AG11.1");
}

bool MayAskPrivately(cms::v1::Role role, cms::v1::ServiceSegment caller_segment) {
  return (role == cms::v1::ROLE_CASEWORKER || role == cms::v1::ROLE_TEAM_LEADER) &&
         caller_segment == cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS;
}

absl::Status CheckGuidanceSrAllowed(absl::string_view type_code,
                                    cms::v1::ServiceSegment casegroup_owner) {
  if (type_code == kGuidanceSrType &&
      casegroup_owner == cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS) {
    return RuleViolation("AG11.1",
                         "special client records ask Advice and Guidance through a private "
                         "request (GuidanceService.CreatePrivateGuidanceRequest), which carries "
                         "the question alone: an A&G SR would take the casegroup to A&G");
  }
  return absl::OkStatus();
}

bool ClosedByAnswerOnly(absl::string_view type_code) { return type_code == kGuidanceSrType; }

absl::Status CheckCanAnswerPrivate(const cms::v1::PrivateGuidanceRequest& r) {
  switch (r.state()) {
    case cms::v1::PRIVATE_GUIDANCE_STATE_OPEN:
      return absl::OkStatus();
    case cms::v1::PRIVATE_GUIDANCE_STATE_ANSWERED:
      return RuleViolation("AG11.1",
                           absl::StrCat("private request ", r.id(),
                                        " is already answered; an answer is never replaced: "
                                        "correct it with CorrectGuidanceAnswer"));
    default:
      return RuleViolation("AG11.1",
                           absl::StrCat("private request ", r.id(),
                                        r.answer().id() != 0 ? " is closed and already answered"
                                                             : " was withdrawn unanswered"));
  }
}

absl::Status CheckCanClosePrivate(const cms::v1::PrivateGuidanceRequest& r) {
  if (r.state() == cms::v1::PRIVATE_GUIDANCE_STATE_CLOSED) {
    return RuleViolation("AG11.1", absl::StrCat("private request ", r.id(), " is already closed"));
  }
  return absl::OkStatus();
}

std::string RaisingTeamLabel(absl::string_view segment_description, cms::v1::Country country,
                             absl::string_view team_name) {
  return absl::StrCat(segment_description, ", ", ShortName(country), ", ", team_name);
}

}  // namespace cms::domain
