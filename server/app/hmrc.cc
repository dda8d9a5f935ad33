#include "server/app/hmrc.h"

#include "absl/strings/ascii.h"

namespace cms::app {
namespace {

std::string EmployerKey(absl::string_view name) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(name));
}

}  // namespace

HmrcEmployment FakeHmrcGateway::Lookup(absl::string_view nino) {
  absl::MutexLock lock(&mu_);
  ++lookups_[std::string(nino)];
  auto it = answers_.find(nino);
  if (it == answers_.end()) return {};
  if (it->second.kind == cms::v1::HMRC_ANSWER_EMPLOYER &&
      sensitive_.count(EmployerKey(it->second.employer_name)) > 0) {
    return {};  // HMRC never returns a sensitive employer
  }
  return it->second;
}

void FakeHmrcGateway::SetAnswer(absl::string_view nino, HmrcEmployment answer) {
  if (answer.kind != cms::v1::HMRC_ANSWER_EMPLOYER) answer.employer_name.clear();
  absl::MutexLock lock(&mu_);
  answers_[std::string(nino)] = std::move(answer);
}

void FakeHmrcGateway::SetSensitive(absl::string_view employer_name, bool sensitive) {
  absl::MutexLock lock(&mu_);
  if (sensitive) {
    sensitive_.insert(EmployerKey(employer_name));
  } else {
    sensitive_.erase(EmployerKey(employer_name));
  }
}

int64_t FakeHmrcGateway::Lookups(absl::string_view nino) const {
  absl::MutexLock lock(&mu_);
  auto it = lookups_.find(nino);
  return it == lookups_.end() ? 0 : it->second;
}

}  // namespace cms::app
