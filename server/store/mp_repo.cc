#include "server/store/mp_repo.h"

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

using cms::v1::MpEnquiry;

constexpr const char* kCols = kStoredCols;

MpEnquiry EnquiryOf(const soci::row& r) { return StoredOf<MpEnquiry>(r); }

// The body without what the row's own columns carry, nor what a read adds
// (the age, the input SR's notes).
std::string BodyOf(MpEnquiry e) {
  e.clear_age_days();
  e.clear_input_notes();
  return StoredBody(std::move(e));
}

absl::StatusOr<std::optional<MpEnquiry>> FirstOf(soci::rowset<soci::row>& rows) {
  for (const soci::row& r : rows) return std::optional<MpEnquiry>(EnquiryOf(r));
  return std::optional<MpEnquiry>();
}

}  // namespace

absl::StatusOr<MpEnquiry> InsertMpEnquiry(Tx& tx, MpEnquiry e, int64_t now_us) {
  return GuardOr<MpEnquiry>([&]() -> absl::StatusOr<MpEnquiry> {
    std::string country = ShortName(e.country()), kind = ShortName(e.kind()),
                state = ShortName(e.state());
    std::string body = BodyOf(e);
    DateBind due(e.response_due_date());
    IdBind input(e.input_service_request_id());
    long long segment = e.owning_segment_id(), first = domain::kFirstVersion;
    int overdue = e.overdue() ? 1 : 0;
    tx.session() << "INSERT INTO mp_enquiries (country, segment_id, kind, state, overdue, "
                    "response_due, input_sr_id, version, body_b64, created_us, updated_us) "
                    "VALUES (:c, :g, :k, :s, :o, :d, :i, :v, :b, :now, :now2)",
        soci::use(country), soci::use(segment), soci::use(kind), soci::use(state),
        soci::use(overdue), soci::use(due.text, due.ind), soci::use(input.value, input.ind),
        soci::use(first), soci::use(body), soci::use(now_us), soci::use(now_us);
    e.set_id(LastInsertId(tx.session()));
    e.set_etag(EtagOf(first));
    SetTimestamp(now_us, e.mutable_create_time());
    SetTimestamp(now_us, e.mutable_update_time());
    return e;
  });
}

absl::StatusOr<MpEnquiry> GetMpEnquiry(Tx& tx, int64_t id, bool for_update) {
  return GuardOr<MpEnquiry>([&]() -> absl::StatusOr<MpEnquiry> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kCols, " FROM mp_enquiries WHERE id = :k",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key));
    CMS_ASSIGN_OR_RETURN(std::optional<MpEnquiry> found, FirstOf(rows));
    if (!found) return NotFound("MP enquiry", absl::StrCat(id));
    return *std::move(found);
  });
}

absl::StatusOr<std::optional<MpEnquiry>> FindMpEnquiryByInputSr(Tx& tx, int64_t sr_id,
                                                                bool for_update) {
  return GuardOr<std::optional<MpEnquiry>>([&]() -> absl::StatusOr<std::optional<MpEnquiry>> {
    long long key = sr_id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kCols,
                                              " FROM mp_enquiries WHERE input_sr_id = :k",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key));
    return FirstOf(rows);
  });
}

absl::Status UpdateMpEnquiry(Tx& tx, MpEnquiry& e, int64_t now_us) {
  return Guard([&] {
    std::string state = ShortName(e.state());
    std::string body = BodyOf(e);
    IdBind input(e.input_service_request_id());
    long long id = e.id();
    int overdue = e.overdue() ? 1 : 0;
    tx.session() << "UPDATE mp_enquiries SET state = :s, overdue = :o, input_sr_id = :i, "
                    "version = version + 1, body_b64 = :b, updated_us = :now WHERE id = :id",
        soci::use(state), soci::use(overdue), soci::use(input.value, input.ind), soci::use(body),
        soci::use(now_us), soci::use(id);
    e.set_etag(NextEtag(e.etag()));
    SetTimestamp(now_us, e.mutable_update_time());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<MpEnquiry>> ListMpEnquiries(Tx& tx, const MpFilter& filter,
                                                       const PageRequest& page) {
  return GuardOr<std::vector<MpEnquiry>>([&]() -> absl::StatusOr<std::vector<MpEnquiry>> {
    std::string state =
        filter.state == cms::v1::MP_ENQUIRY_STATE_UNSPECIFIED ? "" : ShortName(filter.state);
    std::string kind =
        filter.kind == cms::v1::MP_ENQUIRY_KIND_UNSPECIFIED ? "" : ShortName(filter.kind);
    std::string country =
        filter.country == cms::v1::COUNTRY_UNSPECIFIED ? "" : ShortName(filter.country);
    int overdue = filter.overdue_only ? 1 : 0;
    long long after = page.after_id, limit = page.limit;
    std::vector<MpEnquiry> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kCols,
             " FROM mp_enquiries WHERE id > :a AND (:s = '' OR state = :s2) AND (:k = '' OR "
             "kind = :k2) AND (:c = '' OR country = :c2) AND (:o = 0 OR overdue = 1) ORDER BY "
             "id LIMIT :l"),
         soci::use(after), soci::use(state), soci::use(state), soci::use(kind), soci::use(kind),
         soci::use(country), soci::use(country), soci::use(overdue), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(EnquiryOf(r));
    return out;
  });
}

}  // namespace cms::store
