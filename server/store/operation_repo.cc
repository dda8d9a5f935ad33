#include "server/store/operation_repo.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "server/base/errors.h"
#include "server/store/row_util.h"
#include "server/store/stored_body.h"

namespace cms::store {
namespace {

constexpr char kCols[] =
    "id, kind, state, moved_items, total_items, request_b64, result_b64, error_code, "
    "error_message, error_rule, created_by, cancelled_by, created_us, updated_us";
enum Col {
  kId,
  kKind,
  kState,
  kMoved,
  kTotal,
  kRequest,
  kResult,
  kErrorCode,
  kErrorMessage,
  kErrorRule,
  kCreatedBy,
  kCancelledBy,
  kCreatedUs,
  kUpdatedUs
};

cms::v1::Operation OperationOf(const soci::row& r) {
  cms::v1::Operation op;
  op.set_name(OperationName(I64(r, kId)));
  op.set_kind(EnumCol<cms::v1::OperationKind>(r, kKind));
  op.set_state(EnumCol<cms::v1::OperationState>(r, kState));
  op.set_done(op.state() != cms::v1::OPERATION_STATE_RUNNING);
  op.set_moved_items(I64(r, kMoved));
  op.set_total_items(I64(r, kTotal));
  const std::string request = Str(r, kRequest);
  const std::string result = Str(r, kResult);
  if (op.kind() == cms::v1::OPERATION_KIND_RETIRE_SEGMENT) {
    DecodeProto(request, op.mutable_retire_segment_request());
    if (!result.empty()) DecodeProto(result, op.mutable_retired_segment());
  } else {
    DecodeProto(request, op.mutable_split_segment_request());
    if (!result.empty()) DecodeProto(result, op.mutable_split_segment_response());
  }
  if (!IsNull(r, kErrorCode)) {
    cms::v1::OperationError* e = op.mutable_error();
    e->set_code(static_cast<int32_t>(I64(r, kErrorCode)));
    e->set_message(Str(r, kErrorMessage));
    e->set_rule_id(Str(r, kErrorRule));
  }
  op.set_created_by(Str(r, kCreatedBy));
  op.set_cancelled_by(Str(r, kCancelledBy));
  SetTimestamp(I64(r, kCreatedUs), op.mutable_create_time());
  SetTimestamp(I64(r, kUpdatedUs), op.mutable_update_time());
  return op;
}

std::string RequestB64(const cms::v1::Operation& op) {
  return op.has_retire_segment_request() ? EncodeProto(op.retire_segment_request())
                                         : EncodeProto(op.split_segment_request());
}

// Empty (NULL) until the operation has a result.
std::string ResultB64(const cms::v1::Operation& op) {
  if (op.has_retired_segment()) return EncodeProto(op.retired_segment());
  if (op.has_split_segment_response()) return EncodeProto(op.split_segment_response());
  return "";
}

}  // namespace

std::string OperationName(int64_t id) { return absl::StrCat("operations/", id); }

int64_t OperationIdOf(const std::string& name) {
  absl::string_view rest = name;
  int64_t id = 0;
  if (!absl::ConsumePrefix(&rest, "operations/") || !absl::SimpleAtoi(rest, &id) || id <= 0) {
    return 0;
  }
  return id;
}

absl::StatusOr<int64_t> InsertOperation(Tx& tx, const cms::v1::Operation& op,
                                        const OperationSubject& subject, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    std::string kind = ShortName(op.kind()), state = ShortName(op.state());
    std::string request = RequestB64(op);
    long long from = subject.segment_id, to = subject.target_segment_id;
    long long moved = op.moved_items(), total = op.total_items();
    tx.session() << "INSERT INTO operations (kind, state, segment_id, target_segment_id, "
                    "moved_items, total_items, request_b64, created_by, created_us, updated_us) "
                    "VALUES (:k, :s, :f, :t, :m, :n, :r, :by, :now, :now2)",
        soci::use(kind), soci::use(state), soci::use(from), soci::use(to), soci::use(moved),
        soci::use(total), soci::use(request), soci::use(op.created_by()), soci::use(now_us),
        soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<cms::v1::Operation> GetOperation(Tx& tx, int64_t id, bool for_update) {
  return GuardOr<cms::v1::Operation>([&]() -> absl::StatusOr<cms::v1::Operation> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kCols, " FROM operations WHERE id = :id",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key));
    for (const soci::row& r : rows) return OperationOf(r);
    return NotFound("operation", OperationName(id));
  });
}

absl::Status UpdateOperation(Tx& tx, int64_t id, const cms::v1::Operation& op, int64_t now_us) {
  return Guard([&] {
    std::string state = ShortName(op.state());
    long long key = id, moved = op.moved_items(), total = op.total_items();
    StrBind result(ResultB64(op));
    soci::indicator error_ind = op.has_error() ? soci::i_ok : soci::i_null;
    int error_code = op.error().code();
    std::string error_message = op.error().message().substr(0, 1000);
    StrBind error_rule(op.error().rule_id());
    StrBind cancelled_by(op.cancelled_by());
    tx.session() << "UPDATE operations SET state = :s, moved_items = :m, total_items = :n, "
                    "result_b64 = :r, error_code = :ec, error_message = :em, error_rule = :er, "
                    "cancelled_by = :cb, updated_us = :now WHERE id = :id",
        soci::use(state), soci::use(moved), soci::use(total), soci::use(result.value, result.ind),
        soci::use(error_code, error_ind), soci::use(error_message, error_ind),
        soci::use(error_rule.value, error_rule.ind),
        soci::use(cancelled_by.value, cancelled_by.ind), soci::use(now_us), soci::use(key);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<cms::v1::Operation>> ListOperations(Tx& tx,
                                                               cms::v1::OperationState state,
                                                               int64_t before_id, int limit) {
  return GuardOr<std::vector<cms::v1::Operation>>(
      [&]() -> absl::StatusOr<std::vector<cms::v1::Operation>> {
        std::string state_name =
            state == cms::v1::OPERATION_STATE_UNSPECIFIED ? "" : ShortName(state);
        long long before = before_id == 0 ? INT64_MAX : before_id;
        std::vector<cms::v1::Operation> out;
        soci::rowset<soci::row> rows =
            (tx.session().prepare << absl::StrCat("SELECT ", kCols,
                                                  " FROM operations WHERE id < :b AND (:s = '' OR "
                                                  "state = :s2) ORDER BY id DESC LIMIT :l"),
             soci::use(before), soci::use(state_name), soci::use(state_name), soci::use(limit));
        for (const soci::row& r : rows) out.push_back(OperationOf(r));
        return out;
      });
}

absl::StatusOr<int64_t> CountSegmentWork(Tx& tx, int64_t from_segment,
                                         const std::string& pp_postcode_regex) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long from = from_segment, groups = 0, fu = 0;
    if (pp_postcode_regex.empty()) {
      tx.session() << "SELECT COUNT(*) FROM casegroups WHERE segment_id = :f", soci::use(from),
          soci::into(groups);
      tx.session() << "SELECT COUNT(*) FROM service_requests WHERE owning_segment_id = :f AND "
                      "is_open = 1 AND kind = 'FUNCTIONALLY_UNIQUE'",
          soci::use(from), soci::into(fu);
    } else {
      tx.session() << "SELECT COUNT(*) FROM casegroups g JOIN persons p ON p.id = "
                      "g.pp_person_id WHERE g.segment_id = :f AND p.res_postcode REGEXP :re",
          soci::use(from), soci::use(pp_postcode_regex), soci::into(groups);
    }
    return static_cast<int64_t>(groups + fu);
  });
}

}  // namespace cms::store
