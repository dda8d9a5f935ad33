// Protos kept in text columns, the one codec: base64 of the serialized
// message (SOCI's text protocol is not binary-safe). And the procedures'
// records (MP enquiries, FOI requests, arrears actions, compliance
// opportunities), each kept as its body beside its row's own columns: id,
// version (its etag), and when it was created and last updated; the body
// leaves out what those columns carry. Internal to store/.
#pragma once

#include <string>

#include "absl/strings/escaping.h"
#include "google/protobuf/message.h"
#include "server/base/etag.h"
#include "server/store/row_util.h"
#include "soci/soci.h"

namespace cms::store {

inline std::string EncodeProto(const google::protobuf::Message& m) {
  return absl::Base64Escape(m.SerializeAsString());
}

// False, leaving `m` as it was, when `text` is not base64 of a message.
inline bool DecodeProto(const std::string& text, google::protobuf::Message* m) {
  std::string bytes;
  return absl::Base64Unescape(text, &bytes) && m->ParseFromString(bytes);
}

// The columns StoredOf reads, in its order (select them as they are, or
// prefixed by the table's alias).
inline constexpr char kStoredCols[] = "id, version, body_b64, created_us, updated_us";

// The resource of a row whose first columns are kStoredCols'.
template <typename M>
M StoredOf(const soci::row& r) {
  enum Col { kId, kVersion, kBody, kCreatedUs, kUpdatedUs };
  M out;
  DecodeProto(Str(r, kBody), &out);
  out.set_id(I64(r, kId));
  out.set_etag(EtagOf(I64(r, kVersion)));
  SetTimestamp(I64(r, kCreatedUs), out.mutable_create_time());
  SetTimestamp(I64(r, kUpdatedUs), out.mutable_update_time());
  return out;
}

// The body_b64 to write for `m`: without its id, etag and times (the row's
// columns). A resource with fields a read adds clears them first.
template <typename M>
std::string StoredBody(M m) {
  m.clear_id();
  m.clear_etag();
  m.clear_create_time();
  m.clear_update_time();
  return EncodeProto(m);
}

}  // namespace cms::store
