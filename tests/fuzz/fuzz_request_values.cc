// libFuzzer target (issue 17): bytes -> one cms.v1 request -> what every
// call's request goes through before its use case. The first byte picks
// the request type (every method's input type in the linked cms.v1 files,
// sorted by full name, found from the descriptors: no hand list), the rest
// is parsed as that message as gRPC would; a request that parses is walked
// by app::CheckRequestValues (timestamps, durations, NUL, money bounds), and
// through the request-shaped helpers of base/: paging (ParsePage, the filter
// fingerprint), update masks (ResolveUpdateMask / ApplyUpdateMask against
// the request's resource) and the one JSON form (ProtoToJson). Nothing may
// crash, leak or hit undefined behaviour (ASan, UBSan), whatever the bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "server/app/request_values.h"
#include "server/base/field_mask.h"
#include "server/base/paging.h"
#include "server/base/proto_json.h"

namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The input type of every method of every cms.v1 service, by full name.
const std::vector<const Descriptor*>& RequestTypes() {
  static const auto* types = [] {
    auto* out = new std::vector<const Descriptor*>;
    std::vector<std::string> files;
    DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
    std::vector<std::string> names;
    for (const std::string& name : files) {
      if (!absl::StartsWith(name, "cms/v1/")) continue;
      const auto* file = DescriptorPool::generated_pool()->FindFileByName(name);
      for (int s = 0; file != nullptr && s < file->service_count(); ++s) {
        for (int m = 0; m < file->service(s)->method_count(); ++m) {
          names.push_back(file->service(s)->method(m)->input_type()->full_name());
        }
      }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (const std::string& n : names) {
      out->push_back(DescriptorPool::generated_pool()->FindMessageTypeByName(n));
    }
    if (out->size() < 100) __builtin_trap();  // cms_proto not linked whole
    return out;
  }();
  return *types;
}

// The message field an update mask applies to (UpdatePersonRequest.person),
// or null when the request holds none besides the mask.
const FieldDescriptor* ResourceField(const Descriptor& request) {
  for (int i = 0; i < request.field_count(); ++i) {
    const FieldDescriptor* f = request.field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_repeated() &&
        f->message_type()->full_name() != "google.protobuf.FieldMask") {
      return f;
    }
  }
  return nullptr;
}

void ExerciseUpdateMask(const Message& request) {
  const Descriptor& d = *request.GetDescriptor();
  const FieldDescriptor* mask_field = d.FindFieldByName("update_mask");
  const FieldDescriptor* resource = ResourceField(d);
  if (mask_field == nullptr || resource == nullptr ||
      mask_field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    return;
  }
  const auto& mask = static_cast<const google::protobuf::FieldMask&>(
      request.GetReflection()->GetMessage(request, mask_field));
  const Descriptor& resource_type = *resource->message_type();
  // Every other top-level field mutable, as the widest use case allows.
  std::vector<absl::string_view> mutable_paths;
  for (int i = 0; i < resource_type.field_count(); ++i) {
    if (resource_type.field(i)->name() != "id") {
      mutable_paths.push_back(resource_type.field(i)->name());
    }
  }
  auto paths = cms::ResolveUpdateMask(mask, resource_type, mutable_paths);
  if (!paths.ok()) return;
  const Message& patch = request.GetReflection()->GetMessage(request, resource);
  std::unique_ptr<Message> target(patch.New());
  cms::ApplyUpdateMask(*paths, patch, target.get());
  for (const std::string& p : *paths) (void)cms::MaskTouches(*paths, p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& types = RequestTypes();
  if (size == 0) return 0;
  const Descriptor* type = types[data[0] % types.size()];
  std::unique_ptr<Message> request(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
  // As gRPC reads a request: a message that does not parse never reaches
  // the server's code (api/malformed_requests.cc answers it).
  if (!request->ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;

  (void)cms::app::CheckRequestValues(*request);
  if (type->FindFieldByName("page_token") != nullptr &&
      type->FindFieldByName("page_size") != nullptr) {
    auto page = cms::ParsePage(*request);
    if (page.ok()) (void)page->NextToken(12345);
    (void)cms::ParsePage(*request, /*id_cursor=*/false);
  }
  (void)cms::FilterFingerprint(*request);
  ExerciseUpdateMask(*request);
  std::string json;
  (void)cms::ProtoToJson(*request, &json);
  return 0;
}
