#include "server/app/request_values.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "server/base/errors.h"
#include "server/domain/money.h"
#include "server/domain/values.h"

namespace cms::app {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The seconds and nanos of a Timestamp or Duration, read by reflection (the
// request holds them as generic messages here).
std::pair<int64_t, int32_t> SecondsAndNanos(const Message& m) {
  const auto* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  return {r->GetInt64(m, d->FindFieldByName("seconds")),
          r->GetInt32(m, d->FindFieldByName("nanos"))};
}

void CheckMessage(const Message& m, const std::string& path, FieldErrors& errors);

void CheckValue(const Message& m, const FieldDescriptor* f, int index, const std::string& path,
                FieldErrors& errors) {
  const Reflection* r = m.GetReflection();
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT64 && absl::EndsWith(f->name(), "_pence")) {
    // Money (issue 17, defect 5): whatever the field means, no amount
    // beyond what one item may hold; its sign and zero are its use case's.
    const int64_t pence = index < 0 ? r->GetInt64(m, f) : r->GetRepeatedInt64(m, f, index);
    if (auto problem = domain::AmountProblem(pence, domain::AmountSign::kAny)) {
      errors.Add(path, *problem);
    }
    return;
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    if (f->type() == FieldDescriptor::TYPE_BYTES) return;
    std::string scratch;
    const std::string& s = index < 0 ? r->GetStringReference(m, f, &scratch)
                                     : r->GetRepeatedStringReference(m, f, index, &scratch);
    if (auto problem = domain::TextProblem(s)) errors.Add(path, *problem);
    return;
  }
  if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return;
  const Message& sub = index < 0 ? r->GetMessage(m, f) : r->GetRepeatedMessage(m, f, index);
  const std::string& type = f->message_type()->full_name();
  if (type == "google.protobuf.Timestamp") {
    const auto [seconds, nanos] = SecondsAndNanos(sub);
    if (auto problem = domain::TimestampProblem(seconds, nanos)) errors.Add(path, *problem);
  } else if (type == "google.protobuf.Duration") {
    const auto [seconds, nanos] = SecondsAndNanos(sub);
    if (auto problem = domain::DurationProblem(seconds, nanos)) errors.Add(path, *problem);
  } else {
    CheckMessage(sub, path, errors);
  }
}

void CheckMessage(const Message& m, const std::string& path, FieldErrors& errors) {
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);  // only the fields set
  for (const FieldDescriptor* f : fields) {
    const std::string name = path.empty() ? f->name() : absl::StrCat(path, ".", f->name());
    if (!f->is_repeated()) {
      CheckValue(m, f, -1, name, errors);
      continue;
    }
    const int n = m.GetReflection()->FieldSize(m, f);
    for (int i = 0; i < n; ++i) CheckValue(m, f, i, absl::StrCat(name, "[", i, "]"), errors);
  }
}

}  // namespace

absl::Status CheckRequestValues(const Message& request) {
  FieldErrors errors;
  CheckMessage(request, "", errors);
  return errors.ToStatus();
}

}  // namespace cms::app
