#include "server/store/foi_repo.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/status_macros.h"
#include "server/domain/versions.h"
#include "server/store/row_util.h"
#include "server/store/stored_body.h"

namespace cms::store {
namespace {

using cms::v1::FoiRequest;

constexpr const char* kCols = kStoredCols;

FoiRequest RequestOf(const soci::row& r) { return StoredOf<FoiRequest>(r); }

// The body without what the row's own columns carry, nor the age (a read's).
std::string BodyOf(FoiRequest r) {
  r.clear_age_days();
  return StoredBody(std::move(r));
}

}  // namespace

absl::StatusOr<FoiRequest> InsertFoiRequest(Tx& tx, FoiRequest r, int64_t now_us) {
  return GuardOr<FoiRequest>([&]() -> absl::StatusOr<FoiRequest> {
    std::string country = ShortName(r.country()), state = ShortName(r.state());
    std::string body = BodyOf(r);
    DateBind due(r.response_due_date());
    long long segment = r.owning_segment_id(), first = domain::kFirstVersion;
    int overdue = r.overdue() ? 1 : 0;
    tx.session() << "INSERT INTO foi_requests (country, segment_id, state, overdue, "
                    "response_due, version, body_b64, created_us, updated_us) VALUES (:c, :g, "
                    ":s, :o, :d, :v, :b, :now, :now2)",
        soci::use(country), soci::use(segment), soci::use(state), soci::use(overdue),
        soci::use(due.text, due.ind), soci::use(first), soci::use(body), soci::use(now_us),
        soci::use(now_us);
    r.set_id(LastInsertId(tx.session()));
    r.set_etag(EtagOf(first));
    SetTimestamp(now_us, r.mutable_create_time());
    SetTimestamp(now_us, r.mutable_update_time());
    return r;
  });
}

absl::StatusOr<FoiRequest> GetFoiRequest(Tx& tx, int64_t id, bool for_update) {
  return GuardOr<FoiRequest>([&]() -> absl::StatusOr<FoiRequest> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kCols, " FROM foi_requests WHERE id = :k",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key));
    for (const soci::row& r : rows) return RequestOf(r);
    return NotFound("FOI request", absl::StrCat(id));
  });
}

absl::Status UpdateFoiRequest(Tx& tx, FoiRequest& r, int64_t now_us) {
  return Guard([&] {
    std::string state = ShortName(r.state());
    std::string body = BodyOf(r);
    long long id = r.id();
    int overdue = r.overdue() ? 1 : 0;
    tx.session() << "UPDATE foi_requests SET state = :s, overdue = :o, version = version + 1, "
                    "body_b64 = :b, updated_us = :now WHERE id = :id",
        soci::use(state), soci::use(overdue), soci::use(body), soci::use(now_us), soci::use(id);
    r.set_etag(NextEtag(r.etag()));
    SetTimestamp(now_us, r.mutable_update_time());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<FoiRequest>> ListFoiRequests(Tx& tx, const FoiFilter& filter,
                                                        const PageRequest& page) {
  return GuardOr<std::vector<FoiRequest>>([&]() -> absl::StatusOr<std::vector<FoiRequest>> {
    std::string state =
        filter.state == cms::v1::FOI_STATE_UNSPECIFIED ? "" : ShortName(filter.state);
    std::string country =
        filter.country == cms::v1::COUNTRY_UNSPECIFIED ? "" : ShortName(filter.country);
    int overdue = filter.overdue_only ? 1 : 0;
    long long after = page.after_id, limit = page.limit;
    std::vector<FoiRequest> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kCols,
             " FROM foi_requests WHERE id > :a AND (:s = '' OR state = :s2) AND (:c = '' OR "
             "country = :c2) AND (:o = 0 OR overdue = 1) ORDER BY id LIMIT :l"),
         soci::use(after), soci::use(state), soci::use(state), soci::use(country),
         soci::use(country), soci::use(overdue), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(RequestOf(r));
    return out;
  });
}

}  // namespace cms::store
