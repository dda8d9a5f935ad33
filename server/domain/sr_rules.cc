#include "server/domain/sr_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/domain/values.h"

namespace cms::domain {

using cms::v1::SrStatus;

std::vector<SrStatus> AllowedNextStatuses(SrStatus from) {
  switch (from) {
    case cms::v1::SR_STATUS_OPEN:
      return {cms::v1::SR_STATUS_IN_PROGRESS, cms::v1::SR_STATUS_CANCELLED};
    case cms::v1::SR_STATUS_IN_PROGRESS:
      return {cms::v1::SR_STATUS_WAIT, cms::v1::SR_STATUS_PENDING_APPROVAL,
              cms::v1::SR_STATUS_CLOSED, cms::v1::SR_STATUS_CANCELLED};
    case cms::v1::SR_STATUS_WAIT:
      return {cms::v1::SR_STATUS_IN_PROGRESS, cms::v1::SR_STATUS_PENDING_APPROVAL,
              cms::v1::SR_STATUS_CLOSED, cms::v1::SR_STATUS_CANCELLED};
    case cms::v1::SR_STATUS_PENDING_APPROVAL:
      return {cms::v1::SR_STATUS_IN_PROGRESS, cms::v1::SR_STATUS_WAIT, cms::v1::SR_STATUS_CLOSED,
              cms::v1::SR_STATUS_CANCELLED};
    default:
      return {};  // CLOSED and CANCELLED are final
  }
}

bool IsTerminal(SrStatus status) {
  return status == cms::v1::SR_STATUS_CLOSED || status == cms::v1::SR_STATUS_CANCELLED;
}

bool MayChangeSubStatusIn(const cms::v1::SrType& type, SrStatus status) {
  if (status != cms::v1::SR_STATUS_OPEN && status != cms::v1::SR_STATUS_IN_PROGRESS &&
      status != cms::v1::SR_STATUS_WAIT) {
    return false;  // final, or PENDING_APPROVAL's sub status is the approval step's
  }
  return std::any_of(type.sub_statuses().begin(), type.sub_statuses().end(),
                     [&](const cms::v1::SrSubStatus& s) { return s.status() == status; });
}

absl::Status CheckStatusMove(const cms::v1::SrType& type, const StatusMove& move) {
  const std::vector<SrStatus> allowed = AllowedNextStatuses(move.from);
  const bool stays = move.from == move.to && MayChangeSubStatusIn(type, move.from);
  if (stays && move.sub_status.empty()) {
    return InvalidField("sub_status",
                        absl::StrCat("staying ", ShortName(move.from),
                                     " changes the sub status only: name the new one"),
                        "SR5.2");
  }
  if (!stays && std::find(allowed.begin(), allowed.end(), move.to) == allowed.end()) {
    std::vector<std::string> names;
    for (SrStatus s : allowed) names.push_back(ShortName(s));
    return RuleViolation("SR5.2", absl::StrCat("an SR cannot move from ", ShortName(move.from),
                                               " to ", ShortName(move.to), "; allowed: ",
                                               names.empty() ? "none (the SR is final)"
                                                             : absl::StrJoin(names, ", ")));
  }
  FieldErrors errors;
  if (move.to == cms::v1::SR_STATUS_CLOSED) {
    const auto& codes = type.resolution_codes();
    if (move.resolution_code.empty() ||
        std::find(codes.begin(), codes.end(), move.resolution_code) == codes.end()) {
      errors.Add("resolution_code", absl::StrCat("closing a ", type.sub_area(),
                                                 " SR needs one of: ", absl::StrJoin(codes, ", ")));
    }
  } else if (!move.resolution_code.empty()) {
    errors.Add("resolution_code", "only a close carries a resolution code");
  }
  if (!move.sub_status.empty() && !IsTerminal(move.to)) {
    std::vector<std::string> names;
    bool ok = false;
    for (const auto& s : type.sub_statuses()) {
      if (s.status() != move.to) continue;
      names.push_back(s.name());
      ok |= s.name() == move.sub_status;
    }
    if (!ok) {
      errors.Add("sub_status",
                 absl::StrCat(ShortName(move.to), " allows ",
                              names.empty() ? "no sub status" : absl::StrJoin(names, ", "),
                              " for this type"));
    }
  }
  return errors.ToStatus("SR5.2");
}

std::string SubStatusAfter(const StatusMove& move) {
  if (move.to == cms::v1::SR_STATUS_CLOSED) return kSubStatusComplete;
  if (move.to == cms::v1::SR_STATUS_CANCELLED) return kSubStatusCancelled;
  return move.sub_status;
}

std::vector<std::string> MissingMandatoryFields(const cms::v1::SrType& type,
                                                const std::map<std::string, std::string>& fields) {
  std::vector<std::string> missing;
  for (const cms::v1::SrField& f : type.fields()) {
    if (!f.mandatory()) continue;
    auto it = fields.find(f.name());
    if (it == fields.end() || absl::StripAsciiWhitespace(it->second).empty()) {
      missing.push_back(f.name());
    }
  }
  return missing;
}

std::optional<std::string> SrFieldNameProblem(absl::string_view name) {
  if (name.empty()) return "required";
  if (name.size() > static_cast<size_t>(kMaxSrFieldNameChars)) {
    return absl::StrCat("at most ", kMaxSrFieldNameChars, " characters");
  }
  if (!absl::ascii_isalpha(static_cast<unsigned char>(name.front()))) {
    return "must start with a letter";
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == ' ') {
      if (i + 1 == name.size() || name[i + 1] == ' ') return "single spaces between words only";
      continue;
    }
    if (!absl::ascii_isalnum(c) &&
        absl::string_view("&'()/-").find(static_cast<char>(c)) == absl::string_view::npos) {
      return "letters, digits, spaces and & ' ( ) / - only";
    }
  }
  return std::nullopt;
}

const cms::v1::SrField* FindSrField(const cms::v1::SrType& type, absl::string_view name) {
  for (const cms::v1::SrField& f : type.fields()) {
    if (f.name() == name) return &f;
  }
  return nullptr;
}

std::vector<FieldError> SrFieldProblems(const cms::v1::SrType& type,
                                        const std::map<std::string, std::string>& fields) {
  std::vector<FieldError> problems;
  if (fields.size() > static_cast<size_t>(kMaxSrFields)) {
    problems.push_back(
        {"fields", absl::StrCat("at most ", kMaxSrFields, " fields; a ", type.sub_area(),
                                " SR declares ", type.fields_size())});
    return problems;
  }
  std::vector<std::string> declared;
  for (const cms::v1::SrField& f : type.fields()) declared.push_back(f.name());
  for (const auto& [name, value] : fields) {
    const std::string path = absl::StrCat("fields[", EchoInput(name, kMaxSrFieldNameChars), "]");
    if (FindSrField(type, name) == nullptr) {
      problems.push_back(
          {path, absl::StrCat("not a field of ", type.sub_area(), " SRs; ",
                              declared.empty()
                                  ? "the type declares none"
                                  : absl::StrCat("its fields: ", absl::StrJoin(declared, ", ")))});
      continue;
    }
    if (auto problem = FreeTextProblem(value, kMaxSrFieldValueChars)) {
      problems.push_back({path, *problem});
    }
  }
  return problems;
}

std::vector<cms::v1::Activity> GeneratePlan(const cms::v1::SrType& type, int after_seq) {
  std::vector<cms::v1::Activity> plan;
  int seq = after_seq;
  for (const auto& t : type.activity_plan()) {
    cms::v1::Activity a;
    a.set_seq(++seq);
    a.set_name(t.name());
    a.set_mandatory(t.mandatory());
    a.set_status(cms::v1::ACTIVITY_STATUS_OPEN);
    plan.push_back(std::move(a));
  }
  return plan;
}

absl::Status CheckActivityUpdate(const cms::v1::Activity& activity, cms::v1::ActivityStatus to) {
  if (to != cms::v1::ACTIVITY_STATUS_DONE && to != cms::v1::ACTIVITY_STATUS_NOT_REQUIRED) {
    return InvalidField("status", "DONE or NOT_REQUIRED", "SR5.3");
  }
  if (activity.status() != cms::v1::ACTIVITY_STATUS_OPEN) {
    return RuleViolation("SR5.3", absl::StrCat("activity \"", activity.name(), "\" is already ",
                                               ShortName(activity.status())));
  }
  if (to == cms::v1::ACTIVITY_STATUS_NOT_REQUIRED && activity.mandatory()) {
    return RuleViolation(
        "SR5.3", absl::StrCat("activity \"", activity.name(), "\" is mandatory: it must be done"));
  }
  return absl::OkStatus();
}

absl::Status CheckCanClose(const cms::v1::SrType& type,
                           const std::vector<cms::v1::Activity>& activities,
                           int64_t open_children) {
  std::vector<std::string> open;
  for (const auto& a : activities) {
    if (a.status() == cms::v1::ACTIVITY_STATUS_OPEN)
      open.push_back(absl::StrCat("\"", a.name(), "\""));
  }
  if (!open.empty()) {
    return RuleViolation("SR5.3", absl::StrCat("an SR cannot close with open activities: ",
                                               absl::StrJoin(open, ", ")));
  }
  if (type.children_close_first() && open_children > 0) {
    return RuleViolation("SR5.5", absl::StrCat("a ", type.sub_area(), " SR closes only after its ",
                                               open_children, " open child SR(s)"));
  }
  return absl::OkStatus();
}

int WaitDays(const cms::v1::SrType& type, int requested_days) {
  return requested_days > 0 ? requested_days : type.default_wait_days();
}

}  // namespace cms::domain
