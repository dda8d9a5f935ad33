#include "server/store/missed_payment_repo.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/base/errors.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

// Ids are numbers the server read; they are written inline.
std::string IdList(const std::vector<int64_t>& ids) { return absl::StrJoin(ids, ","); }

MissedPaymentEvent EventOf(const soci::row& r) {
  MissedPaymentEvent e;
  e.id = I64(r, "id");
  e.case_id = I64(r, "case_id");
  e.item_id = I64(r, "item_id");
  e.run_count = static_cast<int>(I64(r, "run_count"));
  e.event_date = DateOf(r, "event_date");
  e.outcome = Str(r, "outcome");
  return e;
}

constexpr char kEventCols[] = "id, case_id, item_id, run_count, event_date, outcome";

}  // namespace

absl::StatusOr<std::vector<OverdueItem>> LockOverdueItems(Tx& tx, const cms::v1::Date& cutoff,
                                                          int64_t after_case_id, int limit) {
  return GuardOr<std::vector<OverdueItem>>([&]() -> absl::StatusOr<std::vector<OverdueItem>> {
    DateBind before(cutoff);
    long long after = after_case_id;
    std::vector<OverdueItem> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << "SELECT id, case_id FROM schedule_items FORCE INDEX "
                                 "(ix_items_pending) WHERE status = 'PENDING' AND case_id > :a "
                                 "AND due_date < :c ORDER BY status, case_id, due_date LIMIT :l "
                                 "FOR UPDATE",
         soci::use(after), soci::use(before.text, before.ind), soci::use(limit));
    for (const soci::row& r : rows) out.push_back({I64(r, "id"), I64(r, "case_id")});
    return out;
  });
}

absl::StatusOr<int64_t> MarkItemsOverdue(Tx& tx, const std::vector<int64_t>& item_ids) {
  if (item_ids.empty()) return 0;
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    soci::statement st =
        (tx.session().prepare << absl::StrCat(
             "UPDATE schedule_items SET status = IF(paid_pence > 0, 'PARTIAL', 'MISSED') "
             "WHERE status = 'PENDING' AND id IN (",
             IdList(item_ids), ")"));
    st.execute(true);
    return st.get_affected_rows();
  });
}

absl::StatusOr<std::vector<ItemStanding>> ListItemStandings(Tx& tx,
                                                            const std::vector<int64_t>& case_ids) {
  return GuardOr<std::vector<ItemStanding>>([&]() -> absl::StatusOr<std::vector<ItemStanding>> {
    std::vector<ItemStanding> out;
    if (case_ids.empty()) return out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat(
             "SELECT case_id, id, due_date, status FROM schedule_items WHERE case_id IN (",
             IdList(case_ids), ") AND status <> 'SUPERSEDED' ORDER BY case_id, due_date, id"));
    for (const soci::row& r : rows) {
      out.push_back({I64(r, "case_id"), I64(r, "id"), DateOf(r, "due_date"), Str(r, "status")});
    }
    return out;
  });
}

absl::StatusOr<std::vector<MissedPaymentEvent>> InsertMissedPaymentEvents(
    Tx& tx, const std::vector<MissedPaymentEvent>& events, int64_t now_us) {
  return GuardOr<std::vector<MissedPaymentEvent>>(
      [&]() -> absl::StatusOr<std::vector<MissedPaymentEvent>> {
        std::vector<MissedPaymentEvent> out;
        if (events.empty()) return out;
        std::vector<std::string> rows;
        std::vector<int64_t> items;
        for (const MissedPaymentEvent& e : events) {
          rows.push_back(absl::StrCat("(", e.case_id, ",", e.item_id, ",", e.run_count, ",'",
                                      DateBind(e.event_date).text, "',", now_us, ")"));
          items.push_back(e.item_id);
        }
        tx.session() << absl::StrCat(
            "INSERT IGNORE INTO missed_payment_events (case_id, item_id, run_count, event_date, "
            "created_us) VALUES ",
            absl::StrJoin(rows, ","));
        soci::rowset<soci::row> stored =
            (tx.session().prepare << absl::StrCat("SELECT ", kEventCols,
                                                  " FROM missed_payment_events WHERE item_id IN (",
                                                  IdList(items), ") ORDER BY id"));
        for (const soci::row& r : stored) out.push_back(EventOf(r));
        return out;
      });
}

absl::StatusOr<MissedPaymentEvent> GetMissedPaymentEvent(Tx& tx, int64_t id, bool for_update) {
  return GuardOr<MissedPaymentEvent>([&]() -> absl::StatusOr<MissedPaymentEvent> {
    long long key = id;
    soci::row r;
    soci::statement st =
        (tx.session().prepare << absl::StrCat("SELECT ", kEventCols,
                                              " FROM missed_payment_events WHERE id = :id",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return NotFound("missed payment event", absl::StrCat(id));
    return EventOf(r);
  });
}

absl::Status SetMissedPaymentOutcome(Tx& tx, int64_t id, const std::string& outcome) {
  return Guard([&] {
    long long key = id;
    std::string text = outcome.substr(0, 200);
    tx.session() << "UPDATE missed_payment_events SET outcome = :o WHERE id = :id",
        soci::use(text), soci::use(key);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<MissedPaymentEvent>> ListMissedPaymentEvents(Tx& tx, int64_t case_id) {
  return GuardOr<std::vector<MissedPaymentEvent>>(
      [&]() -> absl::StatusOr<std::vector<MissedPaymentEvent>> {
        long long key = case_id;
        std::vector<MissedPaymentEvent> out;
        soci::rowset<soci::row> rows =
            (tx.session().prepare << absl::StrCat("SELECT ", kEventCols,
                                                  " FROM missed_payment_events WHERE case_id = :c "
                                                  "ORDER BY id"),
             soci::use(key));
        for (const soci::row& r : rows) out.push_back(EventOf(r));
        return out;
      });
}

}  // namespace cms::store
