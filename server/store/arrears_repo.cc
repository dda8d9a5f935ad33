#include "server/store/arrears_repo.h"

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

using cms::v1::ArrearsAction;

constexpr const char* kCols = kStoredCols;

ArrearsAction ActionOf(const soci::row& r) { return StoredOf<ArrearsAction>(r); }

// The body without what the row's own columns carry.
std::string BodyOf(ArrearsAction action) { return StoredBody(std::move(action)); }

// The rdo_next_due column: the day the nightly check next looks at the
// action's deduction order (an RDO's next payment, or an LSDO watched for
// its lump sum); unset for none.
const cms::v1::Date& NextCheckOf(const ArrearsAction& a) {
  const cms::v1::Disclosure& d = a.disclosure();
  return d.has_rdo_next_due_date() ? d.rdo_next_due_date() : d.lsdo_watch_date();
}

absl::StatusOr<std::optional<ArrearsAction>> SelectOne(Tx& tx, absl::string_view where,
                                                       long long key, bool for_update) {
  return GuardOr<std::optional<ArrearsAction>>(
      [&]() -> absl::StatusOr<std::optional<ArrearsAction>> {
        soci::rowset<soci::row> rows =
            (tx.session().prepare << absl::StrCat("SELECT ", kCols, " FROM arrears_actions WHERE ",
                                                  where, for_update ? " FOR UPDATE" : ""),
             soci::use(key));
        for (const soci::row& r : rows) return std::optional<ArrearsAction>(ActionOf(r));
        return std::optional<ArrearsAction>();
      });
}

}  // namespace

absl::StatusOr<ArrearsAction> InsertArrearsAction(Tx& tx, ArrearsAction action, int64_t now_us) {
  return GuardOr<ArrearsAction>([&]() -> absl::StatusOr<ArrearsAction> {
    std::string state = ShortName(action.state()), rung = ShortName(action.rung());
    std::string body = BodyOf(action);
    long long case_id = action.case_id(), casegroup_id = action.casegroup_id(),
              first = domain::kFirstVersion;
    int disabled = action.monitor().disabled() ? 1 : 0;
    DateBind rdo_due(NextCheckOf(action));
    tx.session() << "INSERT INTO arrears_actions (case_id, casegroup_id, state, rung, "
                    "monitor_disabled, rdo_next_due, version, body_b64, created_us, updated_us) "
                    "VALUES (:c, :g, :s, :r, :m, :d, :v, :b, :now, :now2)",
        soci::use(case_id), soci::use(casegroup_id), soci::use(state), soci::use(rung),
        soci::use(disabled), soci::use(rdo_due.text, rdo_due.ind), soci::use(first),
        soci::use(body), soci::use(now_us), soci::use(now_us);
    action.set_id(LastInsertId(tx.session()));
    action.set_etag(EtagOf(first));
    SetTimestamp(now_us, action.mutable_create_time());
    SetTimestamp(now_us, action.mutable_update_time());
    return action;
  });
}

absl::StatusOr<ArrearsAction> GetArrearsAction(Tx& tx, int64_t id, bool for_update) {
  CMS_ASSIGN_OR_RETURN(auto found, SelectOne(tx, "id = :k", id, for_update));
  if (!found) return NotFound("arrears action", absl::StrCat(id));
  return *std::move(found);
}

absl::StatusOr<std::optional<ArrearsAction>> FindArrearsActionByCase(Tx& tx, int64_t case_id,
                                                                     bool for_update) {
  return SelectOne(tx, "case_id = :k", case_id, for_update);
}

absl::Status UpdateArrearsAction(Tx& tx, ArrearsAction& action, int64_t now_us) {
  return Guard([&] {
    std::string state = ShortName(action.state()), rung = ShortName(action.rung());
    std::string body = BodyOf(action);
    long long id = action.id();
    int disabled = action.monitor().disabled() ? 1 : 0;
    DateBind rdo_due(NextCheckOf(action));
    tx.session() << "UPDATE arrears_actions SET state = :s, rung = :r, monitor_disabled = :m, "
                    "rdo_next_due = :d, version = version + 1, body_b64 = :b, updated_us = :now "
                    "WHERE id = :id",
        soci::use(state), soci::use(rung), soci::use(disabled),
        soci::use(rdo_due.text, rdo_due.ind), soci::use(body), soci::use(now_us), soci::use(id);
    action.set_etag(NextEtag(action.etag()));
    SetTimestamp(now_us, action.mutable_update_time());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ArrearsAction>> ListArrearsActions(Tx& tx, const ArrearsFilter& filter,
                                                              const PageRequest& page) {
  return GuardOr<std::vector<ArrearsAction>>([&]() -> absl::StatusOr<std::vector<ArrearsAction>> {
    std::string state =
        filter.state == cms::v1::ARREARS_STATE_UNSPECIFIED ? "" : ShortName(filter.state);
    std::string rung =
        filter.rung == cms::v1::ARREARS_RUNG_UNSPECIFIED ? "" : ShortName(filter.rung);
    long long segment = filter.owning_segment_id, after = page.after_id, limit = page.limit;
    std::vector<ArrearsAction> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare
             << "SELECT a.id, a.version, a.body_b64, a.created_us, a.updated_us FROM "
                "arrears_actions a JOIN casegroups g ON g.id = a.casegroup_id WHERE a.id > :a "
                "AND (:s = '' OR a.state = :s2) AND (:r = '' OR a.rung = :r2) AND (:g = 0 OR "
                "g.segment_id = :g2) ORDER BY a.id LIMIT :l",
         soci::use(after), soci::use(state), soci::use(state), soci::use(rung), soci::use(rung),
         soci::use(segment), soci::use(segment), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(ActionOf(r));
    return out;
  });
}

absl::StatusOr<std::vector<int64_t>> ListRdoChecksDue(Tx& tx, absl::CivilDay due_by) {
  return GuardOr<std::vector<int64_t>>([&]() -> absl::StatusOr<std::vector<int64_t>> {
    std::string day = absl::FormatCivilTime(due_by);
    std::vector<int64_t> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << "SELECT id FROM arrears_actions WHERE rdo_next_due <= :d "
                                 "ORDER BY id",
         soci::use(day));
    for (const soci::row& r : rows) out.push_back(I64(r, 0));
    return out;
  });
}

absl::StatusOr<std::vector<ArrearsAction>> LockArrearsActions(Tx& tx,
                                                              const std::vector<int64_t>& ids) {
  if (ids.empty()) return std::vector<ArrearsAction>();
  return GuardOr<std::vector<ArrearsAction>>([&]() -> absl::StatusOr<std::vector<ArrearsAction>> {
    std::vector<ArrearsAction> out;
    soci::rowset<soci::row> rows = tx.session().prepare << absl::StrCat(
                                       "SELECT ", kCols, " FROM arrears_actions WHERE id IN (",
                                       IdList(ids), ") ORDER BY id FOR UPDATE");
    for (const soci::row& r : rows) out.push_back(ActionOf(r));
    return out;
  });
}

absl::StatusOr<std::vector<int64_t>> CasesWithMonitorDisabled(Tx& tx, int64_t first_case,
                                                              int64_t last_case) {
  return GuardOr<std::vector<int64_t>>([&]() -> absl::StatusOr<std::vector<int64_t>> {
    long long first = first_case, last = last_case;
    std::vector<int64_t> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << "SELECT case_id FROM arrears_actions WHERE case_id BETWEEN :f "
                                 "AND :l AND monitor_disabled = 1",
         soci::use(first), soci::use(last));
    for (const soci::row& r : rows) out.push_back(I64(r, 0));
    return out;
  });
}

absl::Status InsertArrearsEvent(Tx& tx, const cms::v1::ArrearsEvent& e, int64_t now_us) {
  return Guard([&] {
    std::string kind = ShortName(e.kind()), state = ShortName(e.state()),
                rung = ShortName(e.rung());
    std::string detail = e.detail().substr(0, 2000);
    long long action = e.arrears_action_id(), sr = e.service_request_id();
    tx.session() << "INSERT INTO arrears_events (arrears_action_id, kind, state, rung, detail, "
                    "service_request_id, actor, created_us) VALUES (:a, :k, :s, :r, :d, :sr, "
                    ":actor, :now)",
        soci::use(action), soci::use(kind), soci::use(state), soci::use(rung), soci::use(detail),
        soci::use(sr), soci::use(e.actor()), soci::use(now_us);
    return absl::OkStatus();
  });
}

absl::Status UpdateArrearsActions(Tx& tx, std::vector<ArrearsAction>& actions, int64_t now_us) {
  if (actions.empty()) return absl::OkStatus();
  return Guard([&] {
    // Every row exists and is locked by this transaction: the insert is
    // always the duplicate-key update, one statement for the batch.
    std::string sql =
        "INSERT INTO arrears_actions (id, case_id, casegroup_id, state, rung, monitor_disabled, "
        "rdo_next_due, version, body_b64, created_us, updated_us) VALUES ";
    for (size_t i = 0; i < actions.size(); ++i) {
      const ArrearsAction& a = actions[i];
      const cms::v1::Date& due = NextCheckOf(a);
      absl::StrAppend(
          &sql, i == 0 ? "(" : ", (", a.id(), ", ", a.case_id(), ", ", a.casegroup_id(), ", ",
          tx.Quote(ShortName(a.state())), ", ", tx.Quote(ShortName(a.rung())), ", ",
          a.monitor().disabled() ? 1 : 0, ", ",
          due.year() == 0
              ? std::string("NULL")
              : tx.Quote(absl::FormatCivilTime(absl::CivilDay(due.year(), due.month(), due.day()))),
          ", 1, ", tx.Quote(BodyOf(a)), ", 0, ", now_us, ")");
    }
    sql +=
        " ON DUPLICATE KEY UPDATE state = VALUES(state), rung = VALUES(rung), monitor_disabled "
        "= VALUES(monitor_disabled), rdo_next_due = VALUES(rdo_next_due), version = version + "
        "1, body_b64 = VALUES(body_b64), updated_us = VALUES(updated_us)";
    tx.session() << sql;
    for (ArrearsAction& a : actions) {
      a.set_etag(NextEtag(a.etag()));
      SetTimestamp(now_us, a.mutable_update_time());
    }
    return absl::OkStatus();
  });
}

absl::Status InsertArrearsEvents(Tx& tx, const std::vector<cms::v1::ArrearsEvent>& events,
                                 int64_t now_us) {
  if (events.empty()) return absl::OkStatus();
  return Guard([&] {
    std::string sql =
        "INSERT INTO arrears_events (arrears_action_id, kind, state, rung, detail, "
        "service_request_id, actor, created_us) VALUES ";
    for (size_t i = 0; i < events.size(); ++i) {
      const cms::v1::ArrearsEvent& e = events[i];
      absl::StrAppend(&sql, i == 0 ? "(" : ", (", e.arrears_action_id(), ", ",
                      tx.Quote(ShortName(e.kind())), ", ", tx.Quote(ShortName(e.state())), ", ",
                      tx.Quote(ShortName(e.rung())), ", ", tx.Quote(e.detail().substr(0, 2000)),
                      ", ", e.service_request_id(), ", ", tx.Quote(e.actor()), ", ", now_us, ")");
    }
    tx.session() << sql;
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<cms::v1::ArrearsEvent>> ListArrearsEvents(Tx& tx, int64_t action_id,
                                                                     const PageRequest& page) {
  return GuardOr<std::vector<cms::v1::ArrearsEvent>>(
      [&]() -> absl::StatusOr<std::vector<cms::v1::ArrearsEvent>> {
        long long action = action_id, after = page.after_id, limit = page.limit;
        std::vector<cms::v1::ArrearsEvent> out;
        soci::rowset<soci::row> rows =
            (tx.session().prepare << "SELECT id, kind, state, rung, detail, service_request_id, "
                                     "actor, created_us FROM arrears_events WHERE "
                                     "arrears_action_id = :a AND id > :after ORDER BY id LIMIT :l",
             soci::use(action), soci::use(after), soci::use(limit));
        for (const soci::row& r : rows) {
          cms::v1::ArrearsEvent e;
          e.set_id(I64(r, 0));
          e.set_arrears_action_id(action_id);
          e.set_kind(EnumCol<cms::v1::ArrearsEventKind>(r, 1));
          e.set_state(EnumCol<cms::v1::ArrearsState>(r, 2));
          e.set_rung(EnumCol<cms::v1::ArrearsRung>(r, 3));
          e.set_detail(Str(r, 4));
          e.set_service_request_id(I64(r, 5));
          e.set_actor(Str(r, 6));
          SetTimestamp(I64(r, 7), e.mutable_event_time());
          out.push_back(std::move(e));
        }
        return out;
      });
}

}  // namespace cms::store
