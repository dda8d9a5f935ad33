#include "server/domain/mopf.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

constexpr char kRule[] = "M7.2";

std::string Field(size_t i, absl::string_view name) {
  return absl::StrCat("methods[", i, "].", name);
}

}  // namespace

bool IsEmployerMethod(PaymentMethod method) {
  return method == PaymentMethod::kDeo || method == PaymentMethod::kDer;
}

bool IsActiveOn(const MopfMethod& method, absl::CivilDay day) {
  return method.start <= day && (!method.end.has_value() || day < *method.end);
}

absl::Status ValidateMopf(const std::vector<MopfMethod>& methods, absl::CivilDay today) {
  FieldErrors errors;
  int active = 0;
  int64_t total = 0;
  for (size_t i = 0; i < methods.size(); ++i) {
    const MopfMethod& m = methods[i];
    const absl::string_view name = PaymentMethodName(m.method);
    if (m.share_percent < 1 || m.share_percent > 100) {
      errors.Add(Field(i, "share_percent"),
                 absl::StrCat("a share is 1 to 100 percent, not ", m.share_percent));
    }
    if (IsEmployerMethod(m.method)) {
      if (absl::StripAsciiWhitespace(m.employer).empty()) {
        errors.Add(Field(i, "employer"), absl::StrCat("a ", name, " needs the employer"));
      }
      if (m.deo_subtype == DeoSubtype::kNone) {
        errors.Add(Field(i, "deo_subtype"),
                   absl::StrCat("a ", name, " is MANDATORY or SELF_SELECTED"));
      } else if (m.deo_subtype == DeoSubtype::kSelfSelected && m.mandatory_deo_tick) {
        errors.Add(Field(i, "mandatory_deo_tick"),
                   absl::StrCat("a SELF_SELECTED ", name, " cannot be ticked mandatory"));
      }
    } else {
      if (m.deo_subtype != DeoSubtype::kNone) {
        errors.Add(Field(i, "deo_subtype"),
                   absl::StrCat("only a DEO or DER has a subtype, not a ", name));
      }
      if (m.mandatory_deo_tick) {
        errors.Add(Field(i, "mandatory_deo_tick"),
                   absl::StrCat("only a DEO or DER is ticked mandatory, not a ", name));
      }
    }
    if (m.end.has_value() && *m.end < m.start) {
      errors.Add(Field(i, "end"),
                 absl::StrFormat("ends %s, before its start %s", absl::FormatCivilTime(*m.end),
                                 absl::FormatCivilTime(m.start)));
    }
    if (IsActiveOn(m, today)) {
      ++active;
      total += m.share_percent;
    }
  }
  if (active == 0) {
    errors.Add("methods", absl::StrCat("no method is active on ", absl::FormatCivilTime(today),
                                       "; a MOPF needs at least one"));
  } else if (total != 100) {
    errors.Add("methods", absl::StrCat("active shares total ", total, "%, not 100%"));
  }
  return errors.ToStatus(kRule);
}

std::vector<MopfMethod> ActiveOn(const std::vector<MopfMethod>& methods, absl::CivilDay day) {
  std::vector<MopfMethod> out;
  for (const MopfMethod& m : methods) {
    if (IsActiveOn(m, day)) out.push_back(m);
  }
  return out;
}

std::vector<MethodShare> ActiveShares(const std::vector<MopfMethod>& methods, absl::CivilDay day) {
  std::vector<MethodShare> out;
  for (const MopfMethod& m : methods) {
    if (IsActiveOn(m, day)) out.push_back({m.method, m.share_percent});
  }
  return out;
}

absl::StatusOr<MopfMethod> EndMethod(const MopfMethod& method, absl::CivilDay end) {
  if (method.end.has_value()) {
    return RuleViolation(
        kRule, absl::StrCat("the ", PaymentMethodName(method.method), " already ended on ",
                            absl::FormatCivilTime(*method.end),
                            "; a method ends once and is never deleted"));
  }
  if (end < method.start) {
    return InvalidField(
        "end",
        absl::StrFormat("cannot end on %s, before its start %s", absl::FormatCivilTime(end),
                        absl::FormatCivilTime(method.start)),
        kRule);
  }
  MopfMethod out = method;
  out.end = end;
  return out;
}

bool NeedsHmrcRequest(DeoDesire desire, bool employer_known) {
  return desire != DeoDesire::kNone && !employer_known;
}

absl::CivilDay NextHmrcRequest(absl::CivilDay last) { return last + kHmrcRequestIntervalDays; }

}  // namespace cms::domain
