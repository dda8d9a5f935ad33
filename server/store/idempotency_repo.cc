#include "server/store/idempotency_repo.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/store/row_util.h"

namespace cms::store {

// Bytes are stored base64-encoded: SOCI's MySQL backend binds values as
// escaped text, and protobuf bytes are binary.

absl::StatusOr<std::optional<IdempotencyRecord>> FindIdempotencyKey(Tx& tx,
                                                                    const std::string& caller,
                                                                    const std::string& request_id) {
  using Out = std::optional<IdempotencyRecord>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    soci::row r;
    soci::statement st =
        (tx.session().prepare << "SELECT method, request_proto, response FROM "
                                 "idempotency_keys WHERE caller = :c AND request_id = :id",
         soci::use(caller), soci::use(request_id), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return Out();
    IdempotencyRecord rec;
    rec.method = Str(r, "method");
    absl::Base64Unescape(Str(r, "request_proto"), &rec.request_bytes);
    absl::Base64Unescape(Str(r, "response"), &rec.response_bytes);
    return Out(std::move(rec));
  });
}

absl::Status InsertIdempotencyKey(Tx& tx, const std::string& caller, const std::string& request_id,
                                  const std::string& method, const IdempotencyRecord& record,
                                  int64_t now_us) {
  return Guard([&] {
    tx.AtCommit(absl::StrCat(
        "INSERT INTO idempotency_keys (caller, request_id, method, request_proto, response, "
        "created_us) VALUES (",
        tx.Quote(caller), ", ", tx.Quote(request_id), ", ", tx.Quote(method), ", ",
        tx.Quote(absl::Base64Escape(record.request_bytes)), ", ",
        tx.Quote(absl::Base64Escape(record.response_bytes)), ", ", now_us, ")"));
    return absl::OkStatus();
  });
}

}  // namespace cms::store
