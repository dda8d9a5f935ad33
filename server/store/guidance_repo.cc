#include "server/store/guidance_repo.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/domain/guidance.h"
#include "server/domain/versions.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

using cms::v1::GuidanceAnswer;
using cms::v1::PrivateGuidanceRequest;

constexpr char kRequestCols[] =
    "id, country, segment_id, question, raised_by, raising_segment_id, raising_team_id, "
    "raising_team, state, closed_by, closed_us, version, created_us, updated_us";
enum RequestCol {
  kId,
  kCountry,
  kSegment,
  kQuestion,
  kRaisedBy,
  kRaisingSegment,
  kRaisingTeamId,
  kRaisingTeam,
  kState,
  kClosedBy,
  kClosedUs,
  kVersion,
  kCreatedUs,
  kUpdatedUs
};

PrivateGuidanceRequest RequestOf(const soci::row& r) {
  PrivateGuidanceRequest out;
  out.set_id(I64(r, kId));
  out.set_country(EnumCol<cms::v1::Country>(r, kCountry));
  out.set_answering_segment_id(I64(r, kSegment));
  out.set_question(Str(r, kQuestion));
  out.set_raised_by(Str(r, kRaisedBy));
  out.set_raising_segment_id(I64(r, kRaisingSegment));
  out.set_raising_team_id(I64(r, kRaisingTeamId));
  out.set_raising_team(Str(r, kRaisingTeam));
  out.set_state(EnumCol<cms::v1::PrivateGuidanceState>(r, kState));
  out.set_closed_by(Str(r, kClosedBy));
  if (!IsNull(r, kClosedUs)) SetTimestamp(I64(r, kClosedUs), out.mutable_close_time());
  out.set_etag(EtagOf(I64(r, kVersion)));
  SetTimestamp(I64(r, kCreatedUs), out.mutable_create_time());
  SetTimestamp(I64(r, kUpdatedUs), out.mutable_update_time());
  return out;
}

// Each answer with the id of the correction that replaced it, if any.
constexpr char kAnswerSelect[] =
    "SELECT a.id, a.service_request_id, a.private_request_id, a.supersedes_id, a.answer_text, "
    "a.correction_reason, a.answered_by, a.created_us, (SELECT s.id FROM guidance_answers s "
    "WHERE s.supersedes_id = a.id) AS superseded_by FROM guidance_answers a ";
enum AnswerCol {
  kAId,
  kASr,
  kAPrivate,
  kASupersedes,
  kAText,
  kAReason,
  kABy,
  kACreatedUs,
  kASupersededBy
};

GuidanceAnswer AnswerOf(const soci::row& r) {
  GuidanceAnswer a;
  a.set_id(I64(r, kAId));
  a.set_service_request_id(I64(r, kASr));
  a.set_private_request_id(I64(r, kAPrivate));
  a.set_supersedes_id(I64(r, kASupersedes));
  a.set_text(Str(r, kAText));
  a.set_correction_reason(Str(r, kAReason));
  a.set_answered_by(Str(r, kABy));
  SetTimestamp(I64(r, kACreatedUs), a.mutable_answer_time());
  a.set_superseded_by_id(I64(r, kASupersededBy));
  return a;
}

int64_t MicrosOf(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

}  // namespace

absl::StatusOr<PrivateGuidanceRequest> InsertPrivateGuidanceRequest(Tx& tx,
                                                                    PrivateGuidanceRequest r,
                                                                    int64_t now_us) {
  return GuardOr<PrivateGuidanceRequest>([&]() -> absl::StatusOr<PrivateGuidanceRequest> {
    std::string country = ShortName(r.country()), state = ShortName(r.state());
    long long segment = r.answering_segment_id(), raising_segment = r.raising_segment_id(),
              team = r.raising_team_id(), first = domain::kFirstVersion;
    tx.session() << "INSERT INTO private_guidance_requests (country, segment_id, question, "
                    "raised_by, raising_segment_id, raising_team_id, raising_team, state, "
                    "version, created_us, updated_us) VALUES (:c, :g, :q, :by, :rs, :rt, :label, "
                    ":s, :v, :now, :now2)",
        soci::use(country), soci::use(segment), soci::use(r.question()), soci::use(r.raised_by()),
        soci::use(raising_segment), soci::use(team), soci::use(r.raising_team()), soci::use(state),
        soci::use(first), soci::use(now_us), soci::use(now_us);
    r.set_id(LastInsertId(tx.session()));
    r.set_etag(EtagOf(first));
    SetTimestamp(now_us, r.mutable_create_time());
    SetTimestamp(now_us, r.mutable_update_time());
    return r;
  });
}

absl::StatusOr<PrivateGuidanceRequest> GetPrivateGuidanceRequest(Tx& tx, int64_t id,
                                                                 bool for_update) {
  return GuardOr<PrivateGuidanceRequest>([&]() -> absl::StatusOr<PrivateGuidanceRequest> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kRequestCols,
                                              " FROM private_guidance_requests WHERE id = :k",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key));
    for (const soci::row& r : rows) return RequestOf(r);
    return NotFound("private guidance request", absl::StrCat(id));
  });
}

absl::Status UpdatePrivateGuidanceRequest(Tx& tx, PrivateGuidanceRequest& r, int64_t now_us) {
  return Guard([&] {
    std::string state = ShortName(r.state());
    StrBind closed_by(r.closed_by());
    const int64_t closed = r.has_close_time() ? MicrosOf(r.close_time()) : 0;
    long long closed_us = closed;
    soci::indicator closed_ind = r.has_close_time() ? soci::i_ok : soci::i_null;
    long long id = r.id();
    tx.session() << "UPDATE private_guidance_requests SET state = :s, closed_by = :cb, "
                    "closed_us = :cu, version = version + 1, updated_us = :now WHERE id = :id",
        soci::use(state), soci::use(closed_by.value, closed_by.ind),
        soci::use(closed_us, closed_ind), soci::use(now_us), soci::use(id);
    r.set_etag(NextEtag(r.etag()));
    SetTimestamp(now_us, r.mutable_update_time());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<PrivateGuidanceRequest>> ListPrivateGuidanceRequests(
    Tx& tx, const PrivateGuidanceFilter& filter, int64_t after_id, int limit) {
  using Out = std::vector<PrivateGuidanceRequest>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    int all = filter.all ? 1 : 0;
    long long segment = filter.answering_segment_id, team = filter.raising_team_id;
    std::string me = filter.raised_by;
    std::string state =
        filter.state == cms::v1::PRIVATE_GUIDANCE_STATE_UNSPECIFIED ? "" : ShortName(filter.state);
    std::string country =
        filter.country == cms::v1::COUNTRY_UNSPECIFIED ? "" : ShortName(filter.country);
    long long after = after_id, lim = limit;
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT ", kRequestCols,
             " FROM private_guidance_requests WHERE id > :a AND (:all = 1 OR segment_id = :g "
             "OR raising_team_id = :t OR raised_by = :me) AND (:s = '' OR state = :s2) AND "
             "(:c = '' OR country = :c2) ORDER BY id LIMIT :l"),
         soci::use(after), soci::use(all), soci::use(segment), soci::use(team), soci::use(me),
         soci::use(state), soci::use(state), soci::use(country), soci::use(country),
         soci::use(lim));
    for (const soci::row& r : rows) out.push_back(RequestOf(r));
    return out;
  });
}

absl::StatusOr<GuidanceAnswer> InsertGuidanceAnswer(Tx& tx, GuidanceAnswer a, int64_t now_us) {
  return GuardOr<GuidanceAnswer>([&]() -> absl::StatusOr<GuidanceAnswer> {
    IdBind sr(a.service_request_id()), priv(a.private_request_id()), sup(a.supersedes_id());
    tx.session() << "INSERT INTO guidance_answers (service_request_id, private_request_id, "
                    "supersedes_id, answer_text, correction_reason, answered_by, created_us) "
                    "VALUES (:sr, :p, :sup, :t, :why, :by, :now)",
        soci::use(sr.value, sr.ind), soci::use(priv.value, priv.ind), soci::use(sup.value, sup.ind),
        soci::use(a.text()), soci::use(a.correction_reason()), soci::use(a.answered_by()),
        soci::use(now_us);
    a.set_id(LastInsertId(tx.session()));
    SetTimestamp(now_us, a.mutable_answer_time());
    a.clear_superseded_by_id();
    return a;
  });
}

absl::StatusOr<GuidanceAnswer> GetGuidanceAnswer(Tx& tx, int64_t id) {
  return GuardOr<GuidanceAnswer>([&]() -> absl::StatusOr<GuidanceAnswer> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(kAnswerSelect, "WHERE a.id = :k"), soci::use(key));
    for (const soci::row& r : rows) return AnswerOf(r);
    return NotFound("guidance answer", absl::StrCat(id));
  });
}

absl::StatusOr<std::vector<GuidanceAnswer>> ListSrGuidanceAnswers(Tx& tx,
                                                                  int64_t service_request_id) {
  using Out = std::vector<GuidanceAnswer>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    return ListRows<GuidanceAnswer>(
        tx.session(), absl::StrCat(kAnswerSelect, "WHERE a.service_request_id = :k ORDER BY a.id"),
        service_request_id, AnswerOf);
  });
}

absl::StatusOr<std::vector<GuidanceAnswer>> ListPrivateGuidanceAnswers(
    Tx& tx, const std::vector<int64_t>& private_request_ids) {
  using Out = std::vector<GuidanceAnswer>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    Out out;
    if (private_request_ids.empty()) return out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(kAnswerSelect, "WHERE a.private_request_id IN (",
                                              IdList(private_request_ids), ") ORDER BY a.id"));
    for (const soci::row& r : rows) out.push_back(AnswerOf(r));
    return out;
  });
}

absl::StatusOr<std::vector<GuidanceQueueRow>> ListGuidanceQueue(Tx& tx,
                                                                const GuidanceQueueFilter& filter,
                                                                const GuidanceQueueCursor& after,
                                                                int limit) {
  using Out = std::vector<GuidanceQueueRow>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long segment = filter.answering_segment_id, lim = limit;
    std::string country =
        filter.country == cms::v1::COUNTRY_UNSPECIFIED ? "" : ShortName(filter.country);
    long long cu = after.created_us, ci = after.id;
    int ck = after.kind;
    Out out;
    if (filter.kind != cms::v1::GUIDANCE_KIND_PRIVATE) {
      std::string type = domain::kGuidanceSrType, question = domain::kGuidanceQuestionField;
      std::string scr = ShortName(cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS);
      int rank = cms::v1::GUIDANCE_KIND_SERVICE_REQUEST;
      soci::rowset<soci::row> rows =
          (tx.session().prepare
               << "SELECT sr.id, sr.owning_segment_id, seg.country, sr.status, sr.allocated_to, "
                  "sr.priority, sr.created_by, sr.created_us, f.value FROM service_requests sr "
                  "JOIN segments seg ON seg.id = sr.owning_segment_id "
                  "JOIN casegroups g ON g.id = sr.casegroup_id "
                  "JOIN segments gs ON gs.id = g.segment_id "
                  "LEFT JOIN sr_fields f ON f.sr_id = sr.id AND f.name = :q "
                  "WHERE sr.type_code = :t AND sr.is_open = 1 AND (:g = 0 OR "
                  "sr.owning_segment_id = :g2) AND (:c = '' OR seg.country = :c2) AND "
                  "gs.service_segment <> :scr AND (sr.created_us > :cu OR (sr.created_us = :cu2 "
                  "AND (:r > :ck OR (:r2 = :ck2 AND sr.id > :ci)))) "
                  "ORDER BY sr.created_us, sr.id LIMIT :l",
           soci::use(question), soci::use(type), soci::use(segment), soci::use(segment),
           soci::use(country), soci::use(country), soci::use(scr), soci::use(cu), soci::use(cu),
           soci::use(rank), soci::use(ck), soci::use(rank), soci::use(ck), soci::use(ci),
           soci::use(lim));
      for (const soci::row& r : rows) {
        GuidanceQueueRow row;
        cms::v1::GuidanceQueueItem& item = row.item;
        item.set_kind(cms::v1::GUIDANCE_KIND_SERVICE_REQUEST);
        item.set_id(I64(r, 0));
        item.set_answering_segment_id(I64(r, 1));
        item.set_country(EnumCol<cms::v1::Country>(r, 2));
        item.set_sr_status(EnumCol<cms::v1::SrStatus>(r, 3));
        item.set_allocated_to(Str(r, 4));
        item.set_priority(Bool(r, 5));
        item.set_raised_by(Str(r, 6));
        row.created_us = I64(r, 7);
        item.set_question(Str(r, 8));
        SetTimestamp(row.created_us, item.mutable_raise_time());
        out.push_back(std::move(row));
      }
    }
    if (filter.kind != cms::v1::GUIDANCE_KIND_SERVICE_REQUEST) {
      std::string open = ShortName(cms::v1::PRIVATE_GUIDANCE_STATE_OPEN);
      int rank = cms::v1::GUIDANCE_KIND_PRIVATE;
      soci::rowset<soci::row> rows =
          (tx.session().prepare
               << "SELECT id, segment_id, country, question, raised_by, raising_team, state, "
                  "created_us FROM private_guidance_requests WHERE state = :s AND (:g = 0 OR "
                  "segment_id = :g2) AND (:c = '' OR country = :c2) AND (created_us > :cu OR "
                  "(created_us = :cu2 AND (:r > :ck OR (:r2 = :ck2 AND id > :ci)))) "
                  "ORDER BY created_us, id LIMIT :l",
           soci::use(open), soci::use(segment), soci::use(segment), soci::use(country),
           soci::use(country), soci::use(cu), soci::use(cu), soci::use(rank), soci::use(ck),
           soci::use(rank), soci::use(ck), soci::use(ci), soci::use(lim));
      for (const soci::row& r : rows) {
        GuidanceQueueRow row;
        cms::v1::GuidanceQueueItem& item = row.item;
        item.set_kind(cms::v1::GUIDANCE_KIND_PRIVATE);
        item.set_id(I64(r, 0));
        item.set_answering_segment_id(I64(r, 1));
        item.set_country(EnumCol<cms::v1::Country>(r, 2));
        item.set_question(Str(r, 3));
        item.set_raised_by(Str(r, 4));
        item.set_raising_team(Str(r, 5));
        item.set_private_state(EnumCol<cms::v1::PrivateGuidanceState>(r, 6));
        row.created_us = I64(r, 7);
        SetTimestamp(row.created_us, item.mutable_raise_time());
        out.push_back(std::move(row));
      }
    }
    auto key = [](const GuidanceQueueRow& r) {
      return std::make_tuple(r.created_us, static_cast<int>(r.item.kind()), r.item.id());
    };
    std::sort(out.begin(), out.end(), [&](const GuidanceQueueRow& a, const GuidanceQueueRow& b) {
      return key(a) < key(b);
    });
    if (static_cast<int>(out.size()) > limit) out.resize(limit);
    return out;
  });
}

}  // namespace cms::store
