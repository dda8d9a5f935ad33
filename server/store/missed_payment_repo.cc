#include "server/store/missed_payment_repo.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/base/errors.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

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

absl::StatusOr<int64_t> MaxScheduledCaseId(Tx& tx) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long max = 0;
    soci::indicator ind = soci::i_null;
    tx.session() << "SELECT MAX(case_id) FROM schedule_items", soci::into(max, ind);
    return ind == soci::i_null ? 0 : max;
  });
}

absl::StatusOr<int64_t> MarkOverdueItems(Tx& tx, int64_t first_case, int64_t last_case,
                                         const cms::v1::Date& cutoff, const cms::v1::Date& day) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long first = first_case, last = last_case;
    DateBind before(cutoff), on(day);
    soci::statement st =
        (tx.session().prepare << "UPDATE schedule_items FORCE INDEX (ix_items_case) SET status = "
                                 "IF(paid_pence > 0, 'PARTIAL', 'MISSED'), missed_on = :d WHERE "
                                 "case_id BETWEEN :f AND :l AND due_date < :c AND status = "
                                 "'PENDING'",
         soci::use(on.text, on.ind), soci::use(first), soci::use(last),
         soci::use(before.text, before.ind));
    st.execute(true);
    return st.get_affected_rows();
  });
}

absl::StatusOr<std::vector<ItemStanding>> ListItemStandings(Tx& tx, int64_t first_case,
                                                            int64_t last_case) {
  return GuardOr<std::vector<ItemStanding>>([&]() -> absl::StatusOr<std::vector<ItemStanding>> {
    std::vector<ItemStanding> out;
    long long first = first_case, last = last_case;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << "SELECT case_id, id, due_date, status, missed_on FROM "
                                 "schedule_items WHERE case_id BETWEEN :f AND :l AND status NOT "
                                 "IN ('SUPERSEDED', 'HELD') ORDER BY case_id, due_date, id",
         soci::use(first), soci::use(last));
    for (const soci::row& r : rows) {
      out.push_back({I64(r, "case_id"), I64(r, "id"), DateOf(r, "due_date"), Str(r, "status"),
                     DateOf(r, "missed_on")});
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
    soci::statement st = (tx.session().prepare << absl::StrCat(
                              "SELECT ", kEventCols, " FROM missed_payment_events WHERE id = :id",
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
    tx.session() << "UPDATE missed_payment_events SET outcome = :o WHERE id = :id", soci::use(text),
        soci::use(key);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<MissedPaymentEvent>> ListMissedPaymentEvents(Tx& tx, int64_t case_id,
                                                                        const PageRequest& page) {
  return GuardOr<std::vector<MissedPaymentEvent>>(
      [&]() -> absl::StatusOr<std::vector<MissedPaymentEvent>> {
        long long key = case_id, after = page.after_id;
        int limit = page.limit;
        std::vector<MissedPaymentEvent> out;
        soci::rowset<soci::row> rows =
            (tx.session().prepare << absl::StrCat("SELECT ", kEventCols,
                                                  " FROM missed_payment_events WHERE case_id = :c "
                                                  "AND id > :a ORDER BY id LIMIT :l"),
             soci::use(key), soci::use(after), soci::use(limit));
        for (const soci::row& r : rows) out.push_back(EventOf(r));
        return out;
      });
}

}  // namespace cms::store
