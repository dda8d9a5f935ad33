#include "server/store/schedule_repo.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

using cms::v1::FeeWaiver;
using cms::v1::LedgerEntry;
using cms::v1::Payment;
using cms::v1::Schedule;
using cms::v1::ScheduleItem;

// Items per multi-row INSERT: one round trip for a year of weekly items.
constexpr size_t kItemsPerInsert = 500;

constexpr char kScheduleCols[] =
    "id, case_id, state, frequency, weekly_liability_pence, first_collection, next_review, "
    "reason, created_by, created_us, superseded_from, hold_reason, review_sr_id, released_by, "
    "released_us, release_note";

Schedule ScheduleOf(const soci::row& r) {
  Schedule s;
  s.set_id(I64(r, "id"));
  s.set_case_id(I64(r, "case_id"));
  s.set_state(EnumCol<cms::v1::ScheduleState>(r, "state"));
  s.set_frequency(EnumCol<cms::v1::Frequency>(r, "frequency"));
  s.set_weekly_liability_pence(I64(r, "weekly_liability_pence"));
  *s.mutable_first_collection_date() = DateOf(r, "first_collection");
  *s.mutable_next_annual_review() = DateOf(r, "next_review");
  s.set_reason(Str(r, "reason"));
  s.set_created_by(Str(r, "created_by"));
  SetTimestamp(I64(r, "created_us"), s.mutable_create_time());
  if (!IsNull(r, "superseded_from")) *s.mutable_superseded_from() = DateOf(r, "superseded_from");
  if (!IsNull(r, "hold_reason")) s.set_hold_reason(Str(r, "hold_reason"));
  if (!IsNull(r, "review_sr_id")) s.set_review_service_request_id(I64(r, "review_sr_id"));
  if (!IsNull(r, "released_by")) s.set_released_by(Str(r, "released_by"));
  if (!IsNull(r, "released_us")) SetTimestamp(I64(r, "released_us"), s.mutable_release_time());
  if (!IsNull(r, "release_note")) s.set_release_note(Str(r, "release_note"));
  return s;
}

constexpr char kItemCols[] =
    "id, seq, due_date, expected_pence, expected_method, status, paid_pence, on_time, in_full, "
    "agreed_method";

ScheduleItem ItemOf(const soci::row& r) {
  ScheduleItem i;
  i.set_id(I64(r, "id"));
  i.set_sequence(static_cast<int32_t>(I64(r, "seq")));
  *i.mutable_due_date() = DateOf(r, "due_date");
  i.set_expected_pence(I64(r, "expected_pence"));
  i.set_expected_method(EnumCol<cms::v1::PaymentMethod>(r, "expected_method"));
  i.set_status(EnumCol<cms::v1::ItemStatus>(r, "status"));
  i.set_paid_pence(I64(r, "paid_pence"));
  i.set_on_time(Bool(r, "on_time"));
  i.set_in_full(Bool(r, "in_full"));
  i.set_agreed_method(Bool(r, "agreed_method"));
  return i;
}

std::string DateText(const cms::v1::Date& d) { return DateBind(d).text; }

std::vector<ScheduleItem> ItemsOf(Tx& tx, int64_t schedule_id) {
  return ListRows<ScheduleItem>(
      tx.session(),
      absl::StrCat("SELECT ", kItemCols,
                   " FROM schedule_items WHERE schedule_id = :s ORDER BY seq"),
      schedule_id, ItemOf);
}

}  // namespace

// ---------------------------------------------------------------- schedules

absl::StatusOr<int64_t> InsertSchedule(Tx& tx, const Schedule& s, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long kase = s.case_id(), weekly = s.weekly_liability_pence();
    // S5.14: a held schedule's items are HELD (owed by nobody) until it is
    // released; otherwise the schedule is the case's CURRENT one.
    const bool held = s.state() == cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW;
    std::string state = ShortName(held ? cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW
                                       : cms::v1::SCHEDULE_STATE_CURRENT),
                frequency = ShortName(s.frequency());
    const std::string item_status =
        ShortName(held ? cms::v1::ITEM_STATUS_HELD : cms::v1::ITEM_STATUS_PENDING);
    soci::indicator hold_ind = held ? soci::i_ok : soci::i_null;
    DateBind first(s.first_collection_date()), review(s.next_annual_review());
    tx.session() << "INSERT INTO schedules (case_id, state, frequency, weekly_liability_pence, "
                    "first_collection, next_review, reason, created_by, created_us, hold_reason) "
                    "VALUES (:c, :st, :f, :w, :fc, :nr, :r, :by, :now, :hr)",
        soci::use(kase), soci::use(state), soci::use(frequency), soci::use(weekly),
        soci::use(first.text, first.ind), soci::use(review.text, review.ind), soci::use(s.reason()),
        soci::use(s.created_by()), soci::use(now_us), soci::use(s.hold_reason(), hold_ind);
    const long long id = LastInsertId(tx.session());
    // Values are numbers, dates and enum names the server formats itself,
    // so they are written inline; nothing here comes from a caller as text.
    for (size_t begin = 0; begin < static_cast<size_t>(s.items_size()); begin += kItemsPerInsert) {
      std::vector<std::string> rows;
      for (size_t i = begin; i < std::min<size_t>(s.items_size(), begin + kItemsPerInsert); ++i) {
        const ScheduleItem& item = s.items(static_cast<int>(i));
        rows.push_back(absl::StrCat("(", id, ",", kase, ",", item.sequence(), ",'",
                                    DateText(item.due_date()), "',", item.expected_pence(), ",'",
                                    ShortName(item.expected_method()), "','", item_status, "')"));
      }
      tx.session() << absl::StrCat(
          "INSERT INTO schedule_items (schedule_id, case_id, seq, due_date, expected_pence, "
          "expected_method, status) VALUES ",
          absl::StrJoin(rows, ","));
    }
    return id;
  });
}

namespace {

// The case's newest schedule in `state` with its items, if any.
std::optional<Schedule> NewestInState(Tx& tx, int64_t case_id, cms::v1::ScheduleState state,
                                      bool for_update) {
  long long kase = case_id;
  std::string name = ShortName(state);
  soci::row r;
  soci::statement st =
      (tx.session().prepare << absl::StrCat("SELECT ", kScheduleCols,
                                            " FROM schedules WHERE case_id = :c AND state = :s "
                                            "ORDER BY id DESC LIMIT 1",
                                            for_update ? " FOR UPDATE" : ""),
       soci::use(kase), soci::use(name), soci::into(r));
  st.execute(true);
  if (!st.got_data()) return std::nullopt;
  Schedule s = ScheduleOf(r);
  for (ScheduleItem& i : ItemsOf(tx, s.id())) *s.add_items() = std::move(i);
  return s;
}

}  // namespace

absl::StatusOr<std::optional<Schedule>> GetCurrentSchedule(Tx& tx, int64_t case_id,
                                                           bool for_update) {
  return GuardOr<std::optional<Schedule>>([&]() -> absl::StatusOr<std::optional<Schedule>> {
    return NewestInState(tx, case_id, cms::v1::SCHEDULE_STATE_CURRENT, for_update);
  });
}

absl::StatusOr<std::optional<Schedule>> FindHeldSchedule(Tx& tx, int64_t case_id, bool for_update) {
  return GuardOr<std::optional<Schedule>>([&]() -> absl::StatusOr<std::optional<Schedule>> {
    return NewestInState(tx, case_id, cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW,
                         for_update);
  });
}

absl::StatusOr<Schedule> GetSchedule(Tx& tx, int64_t schedule_id, bool for_update) {
  return GuardOr<Schedule>([&]() -> absl::StatusOr<Schedule> {
    long long id = schedule_id;
    soci::row r;
    soci::statement st = (tx.session().prepare << absl::StrCat("SELECT ", kScheduleCols,
                                                               " FROM schedules WHERE id = :id",
                                                               for_update ? " FOR UPDATE" : ""),
                          soci::use(id), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return NotFound("schedule", absl::StrCat(schedule_id));
    Schedule s = ScheduleOf(r);
    for (ScheduleItem& i : ItemsOf(tx, s.id())) *s.add_items() = std::move(i);
    return s;
  });
}

absl::Status SetScheduleReviewSr(Tx& tx, int64_t schedule_id, int64_t sr_id) {
  return Guard([&] {
    long long id = schedule_id, sr = sr_id;
    tx.session() << "UPDATE schedules SET review_sr_id = :sr WHERE id = :id", soci::use(sr),
        soci::use(id);
    return absl::OkStatus();
  });
}

absl::Status ReleaseHeldSchedule(Tx& tx, int64_t schedule_id, const std::string& released_by,
                                 const std::string& note, int64_t now_us) {
  return Guard([&] {
    long long id = schedule_id;
    tx.session() << "UPDATE schedules SET state = 'CURRENT', released_by = :by, released_us = "
                    ":now, release_note = :n WHERE id = :id AND state = "
                    "'HELD_FOR_ALLOCATION_REVIEW'",
        soci::use(released_by), soci::use(now_us), soci::use(note), soci::use(id);
    tx.session() << "UPDATE schedule_items SET status = 'PENDING' WHERE schedule_id = :id AND "
                    "status = 'HELD'",
        soci::use(id);
    return absl::OkStatus();
  });
}

absl::Status SupersedeHeldSchedule(Tx& tx, int64_t schedule_id) {
  return Guard([&] {
    long long id = schedule_id;
    tx.session() << "UPDATE schedules SET state = 'SUPERSEDED', superseded_from = "
                    "first_collection WHERE id = :id AND state = 'HELD_FOR_ALLOCATION_REVIEW'",
        soci::use(id);
    tx.session() << "UPDATE schedule_items SET status = 'SUPERSEDED' WHERE schedule_id = :id AND "
                    "status = 'HELD'",
        soci::use(id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Schedule>> ListSchedules(Tx& tx, int64_t case_id,
                                                    const PageRequest& page) {
  return GuardOr<std::vector<Schedule>>([&]() -> absl::StatusOr<std::vector<Schedule>> {
    long long kase = case_id, after = page.after_id;
    int limit = page.limit;
    std::vector<Schedule> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kScheduleCols,
                                              " FROM schedules WHERE case_id = :c AND id > :a "
                                              "ORDER BY id LIMIT :l"),
         soci::use(kase), soci::use(after), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(ScheduleOf(r));
    return out;
  });
}

absl::Status SupersedeSchedule(Tx& tx, int64_t schedule_id, const cms::v1::Date& from) {
  return Guard([&] {
    long long id = schedule_id;
    DateBind at(from);
    tx.session()
        << "UPDATE schedules SET state = 'SUPERSEDED', superseded_from = :f WHERE id = :id",
        soci::use(at.text, at.ind), soci::use(id);
    tx.session() << "UPDATE schedule_items SET status = 'SUPERSEDED' WHERE schedule_id = :id AND "
                    "due_date >= :f AND status = 'PENDING'",
        soci::use(id), soci::use(at.text, at.ind);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ScheduleItem>> ListOwedItems(Tx& tx, int64_t case_id) {
  return GuardOr<std::vector<ScheduleItem>>([&]() -> absl::StatusOr<std::vector<ScheduleItem>> {
    return ListRows<ScheduleItem>(tx.session(),
                                  absl::StrCat("SELECT ", kItemCols,
                                               " FROM schedule_items WHERE case_id = :c AND "
                                               "status NOT IN ('SUPERSEDED', 'HELD') ORDER BY "
                                               "due_date, id"),
                                  case_id, ItemOf);
  });
}

absl::StatusOr<std::vector<ScheduleItem>> ListOwedItemsDue(Tx& tx, int64_t case_id,
                                                           const cms::v1::Date& from,
                                                           const cms::v1::Date& to) {
  return GuardOr<std::vector<ScheduleItem>>([&]() -> absl::StatusOr<std::vector<ScheduleItem>> {
    long long kase = case_id;
    std::string first = DateText(from), end = DateText(to);
    std::vector<ScheduleItem> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kItemCols,
                                              " FROM schedule_items WHERE case_id = :c AND "
                                              "due_date >= :f AND due_date < :t AND status <> "
                                              "'SUPERSEDED' ORDER BY due_date, id"),
         soci::use(kase), soci::use(first), soci::use(end));
    for (const soci::row& r : rows) out.push_back(ItemOf(r));
    return out;
  });
}

absl::Status UpdateItemStanding(Tx& tx, const std::vector<ScheduleItem>& items) {
  return Guard([&] {
    for (const ScheduleItem& i : items) {
      long long id = i.id(), paid = i.paid_pence();
      int on_time = i.on_time(), in_full = i.in_full(), agreed = i.agreed_method();
      std::string status = ShortName(i.status());
      tx.session() << "UPDATE schedule_items SET status = :s, paid_pence = :p, on_time = :o, "
                      "in_full = :f, agreed_method = :a WHERE id = :id",
          soci::use(status), soci::use(paid), soci::use(on_time), soci::use(in_full),
          soci::use(agreed), soci::use(id);
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- payments

absl::StatusOr<int64_t> InsertPayment(Tx& tx, const Payment& p, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long kase = p.case_id(), amount = p.amount_pence(), pp_fee = p.pp_fee_pence(),
              rp_fee = p.rp_fee_pence();
    std::string method = ShortName(p.method());
    DateBind received(p.received_date());
    tx.session() << "INSERT INTO payments (case_id, amount_pence, received_date, method, "
                    "pp_fee_pence, rp_fee_pence, recorded_by, recorded_us) VALUES (:c, :a, :d, "
                    ":m, :pf, :rf, :by, :now)",
        soci::use(kase), soci::use(amount), soci::use(received.text, received.ind),
        soci::use(method), soci::use(pp_fee), soci::use(rp_fee), soci::use(p.recorded_by()),
        soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<std::vector<Payment>> ListPayments(Tx& tx, int64_t case_id) {
  return GuardOr<std::vector<Payment>>([&]() -> absl::StatusOr<std::vector<Payment>> {
    return ListRows<Payment>(
        tx.session(),
        "SELECT id, case_id, amount_pence, received_date, method, pp_fee_pence, rp_fee_pence, "
        "recorded_by, recorded_us FROM payments WHERE case_id = :c ORDER BY received_date, id",
        case_id, [](const soci::row& r) {
          Payment p;
          p.set_id(I64(r, "id"));
          p.set_case_id(I64(r, "case_id"));
          p.set_amount_pence(I64(r, "amount_pence"));
          *p.mutable_received_date() = DateOf(r, "received_date");
          p.set_method(EnumCol<cms::v1::PaymentMethod>(r, "method"));
          p.set_pp_fee_pence(I64(r, "pp_fee_pence"));
          p.set_rp_fee_pence(I64(r, "rp_fee_pence"));
          p.set_recorded_by(Str(r, "recorded_by"));
          SetTimestamp(I64(r, "recorded_us"), p.mutable_record_time());
          return p;
        });
  });
}

absl::StatusOr<std::vector<PaymentReceipt>> ListReceiptsByMethod(
    Tx& tx, const std::vector<int64_t>& case_ids, cms::v1::PaymentMethod method,
    absl::CivilDay from) {
  if (case_ids.empty()) return std::vector<PaymentReceipt>();
  return GuardOr<std::vector<PaymentReceipt>>([&]() -> absl::StatusOr<std::vector<PaymentReceipt>> {
    std::string m = ShortName(method), day = absl::FormatCivilTime(from);
    std::vector<PaymentReceipt> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT case_id, received_date, amount_pence FROM "
                                              "payments WHERE case_id IN (",
                                              IdList(case_ids),
                                              ") AND received_date >= :d AND method = :m "
                                              "ORDER BY case_id, received_date, id"),
         soci::use(day), soci::use(m));
    for (const soci::row& r : rows) {
      const cms::v1::Date d = DateOf(r, "received_date");
      out.push_back({I64(r, "case_id"), absl::CivilDay(d.year(), d.month(), d.day()),
                     I64(r, "amount_pence")});
    }
    return out;
  });
}

// ---------------------------------------------------------------- ledger

absl::StatusOr<int64_t> InsertLedgerEntry(Tx& tx, const LedgerEntry& e, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long kase = e.case_id(), amount = e.amount_pence();
    std::string kind = ShortName(e.kind());
    DateBind effective(e.effective_date());
    IdBind payment(e.payment_id());
    tx.session() << "INSERT INTO ledger_entries (case_id, kind, amount_pence, effective_date, "
                    "payment_id, created_by, created_us) VALUES (:c, :k, :a, :d, :p, :by, :now)",
        soci::use(kase), soci::use(kind), soci::use(amount),
        soci::use(effective.text, effective.ind), soci::use(payment.value, payment.ind),
        soci::use(e.created_by()), soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<std::vector<LedgerEntry>> ListLedgerEntries(Tx& tx, int64_t case_id) {
  return GuardOr<std::vector<LedgerEntry>>([&]() -> absl::StatusOr<std::vector<LedgerEntry>> {
    return ListRows<LedgerEntry>(
        tx.session(),
        "SELECT id, case_id, kind, amount_pence, effective_date, payment_id, created_by FROM "
        "ledger_entries WHERE case_id = :c ORDER BY effective_date, id",
        case_id, [](const soci::row& r) {
          LedgerEntry e;
          e.set_id(I64(r, "id"));
          e.set_case_id(I64(r, "case_id"));
          e.set_kind(EnumCol<cms::v1::ChargeKind>(r, "kind"));
          e.set_amount_pence(I64(r, "amount_pence"));
          *e.mutable_effective_date() = DateOf(r, "effective_date");
          e.set_payment_id(I64(r, "payment_id"));
          e.set_created_by(Str(r, "created_by"));
          return e;
        });
  });
}

// ---------------------------------------------------------------- fee waivers

absl::StatusOr<int64_t> InsertFeeWaiver(Tx& tx, const FeeWaiver& w, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long kase = w.case_id();
    DateBind from(w.from_date()), to(w.to_date());
    int charges = w.covers_enforcement_charges();
    tx.session() << "INSERT INTO fee_waivers (case_id, from_date, to_date, "
                    "covers_enforcement_charges, reason, created_by, created_us) "
                    "VALUES (:c, :f, :t, :ch, :r, :by, :now)",
        soci::use(kase), soci::use(from.text, from.ind), soci::use(to.text, to.ind),
        soci::use(charges), soci::use(w.reason()), soci::use(w.created_by()), soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<std::vector<FeeWaiver>> ListFeeWaivers(Tx& tx, int64_t case_id) {
  return GuardOr<std::vector<FeeWaiver>>([&]() -> absl::StatusOr<std::vector<FeeWaiver>> {
    return ListRows<FeeWaiver>(
        tx.session(),
        "SELECT id, case_id, from_date, to_date, covers_enforcement_charges, reason, created_by, "
        "ended_by FROM fee_waivers "
        "WHERE case_id = :c ORDER BY id",
        case_id, [](const soci::row& r) {
          FeeWaiver w;
          w.set_id(I64(r, "id"));
          w.set_case_id(I64(r, "case_id"));
          *w.mutable_from_date() = DateOf(r, "from_date");
          if (!IsNull(r, "to_date")) *w.mutable_to_date() = DateOf(r, "to_date");
          w.set_covers_enforcement_charges(Bool(r, "covers_enforcement_charges"));
          w.set_reason(Str(r, "reason"));
          w.set_created_by(Str(r, "created_by"));
          w.set_ended_by(Str(r, "ended_by"));
          return w;
        });
  });
}

absl::Status EndFeeWaiver(Tx& tx, int64_t waiver_id, const cms::v1::Date& to_date,
                          const std::string& ended_by, int64_t now_us) {
  return Guard([&] {
    long long id = waiver_id;
    DateBind to(to_date);
    tx.session() << "UPDATE fee_waivers SET to_date = :t, ended_by = :by, ended_us = :now WHERE "
                    "id = :id",
        soci::use(to.text, to.ind), soci::use(ended_by), soci::use(now_us), soci::use(id);
    return absl::OkStatus();
  });
}

}  // namespace cms::store
