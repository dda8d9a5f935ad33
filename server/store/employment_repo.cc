#include "server/store/employment_repo.h"

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

constexpr char kDesireCols[] = "id, casegroup_id, desire, set_by, set_us, ended_us";

DeoDesireRow DesireOf(const soci::row& r) {
  DeoDesireRow d;
  d.id = I64(r, "id");
  d.casegroup_id = I64(r, "casegroup_id");
  d.desire = EnumCol<cms::v1::DeoDesire>(r, "desire");
  d.set_by = Str(r, "set_by");
  d.set_us = I64(r, "set_us");
  d.ended = !IsNull(r, "ended_us");
  return d;
}

std::optional<DeoDesireRow> OneDesire(Tx& tx, const std::string& sql, long long key) {
  soci::rowset<soci::row> rows = (tx.session().prepare << sql, soci::use(key));
  for (const soci::row& r : rows) return DesireOf(r);
  return std::nullopt;
}

constexpr char kCalculationCols[] =
    "id, case_id, casegroup_id, sr_id, weekly_liability_pence, ndr_pence, net_earnings_pence, "
    "state, exception, max_ndr_pence, created_by, created_us, resolved_by, resolved_us";

cms::v1::Calculation CalculationOf(const soci::row& r) {
  cms::v1::Calculation c;
  c.set_id(I64(r, "id"));
  c.set_case_id(I64(r, "case_id"));
  c.set_casegroup_id(I64(r, "casegroup_id"));
  c.set_service_request_id(I64(r, "sr_id"));
  c.set_weekly_liability_pence(I64(r, "weekly_liability_pence"));
  c.set_ndr_pence(I64(r, "ndr_pence"));
  c.set_net_earnings_pence(I64(r, "net_earnings_pence"));
  c.set_state(EnumCol<cms::v1::CalculationState>(r, "state"));
  c.set_exception(Str(r, "exception"));
  c.set_max_ndr_pence(I64(r, "max_ndr_pence"));
  c.set_effective_ndr_pence(IsNull(r, "max_ndr_pence") ? c.ndr_pence() : c.max_ndr_pence());
  c.set_created_by(Str(r, "created_by"));
  SetTimestamp(I64(r, "created_us"), c.mutable_create_time());
  c.set_resolved_by(Str(r, "resolved_by"));
  if (!IsNull(r, "resolved_us")) SetTimestamp(I64(r, "resolved_us"), c.mutable_resolve_time());
  return c;
}

}  // namespace

// ---------------------------------------------------------------- desire

absl::StatusOr<std::optional<DeoDesireRow>> CurrentDeoDesire(Tx& tx, int64_t casegroup_id) {
  return GuardOr<std::optional<DeoDesireRow>>([&]() -> absl::StatusOr<std::optional<DeoDesireRow>> {
    return OneDesire(tx,
                     absl::StrCat("SELECT ", kDesireCols,
                                  " FROM deo_desires WHERE casegroup_id = :g AND ended_us IS "
                                  "NULL ORDER BY id DESC LIMIT 1"),
                     casegroup_id);
  });
}

absl::StatusOr<std::optional<DeoDesireRow>> GetDeoDesire(Tx& tx, int64_t id) {
  return GuardOr<std::optional<DeoDesireRow>>([&]() -> absl::StatusOr<std::optional<DeoDesireRow>> {
    return OneDesire(tx, absl::StrCat("SELECT ", kDesireCols, " FROM deo_desires WHERE id = :id"),
                     id);
  });
}

absl::StatusOr<int64_t> InsertDeoDesire(Tx& tx, int64_t casegroup_id, cms::v1::DeoDesire desire,
                                        const std::string& set_by, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long group = casegroup_id, now = now_us;
    std::string d = ShortName(desire);
    tx.session() << "INSERT INTO deo_desires (casegroup_id, desire, set_by, set_us) "
                    "VALUES (:g, :d, :by, :now)",
        soci::use(group), soci::use(d), soci::use(set_by), soci::use(now);
    return LastInsertId(tx.session());
  });
}

absl::Status UpdateDeoDesire(Tx& tx, int64_t id, cms::v1::DeoDesire desire,
                             const std::string& set_by, int64_t now_us) {
  return Guard([&] {
    long long key = id, now = now_us;
    std::string d = ShortName(desire);
    tx.session() << "UPDATE deo_desires SET desire = :d, set_by = :by, set_us = :now "
                    "WHERE id = :id",
        soci::use(d), soci::use(set_by), soci::use(now), soci::use(key);
    return absl::OkStatus();
  });
}

absl::Status EndDeoDesire(Tx& tx, int64_t id, const std::string& ended_by, int64_t now_us) {
  return Guard([&] {
    long long key = id, now = now_us;
    tx.session() << "UPDATE deo_desires SET ended_by = :by, ended_us = :now WHERE id = :id",
        soci::use(ended_by), soci::use(now), soci::use(key);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- employer

absl::StatusOr<std::optional<EmploymentRecord>> GetEmploymentRecord(Tx& tx, int64_t casegroup_id) {
  return GuardOr<std::optional<EmploymentRecord>>(
      [&]() -> absl::StatusOr<std::optional<EmploymentRecord>> {
        long long key = casegroup_id;
        soci::rowset<soci::row> rows =
            (tx.session().prepare << "SELECT employer_name, source, found_date, found_us, "
                                     "desire_id, review_sr_id FROM employments WHERE "
                                     "casegroup_id = :g",
             soci::use(key));
        for (const soci::row& r : rows) {
          EmploymentRecord e;
          e.employer_name = Str(r, "employer_name");
          e.source = Str(r, "source");
          e.found_date = DateOf(r, "found_date");
          e.found_us = I64(r, "found_us");
          e.desire_id = I64(r, "desire_id");
          e.review_sr_id = I64(r, "review_sr_id");
          return std::optional<EmploymentRecord>(std::move(e));
        }
        return std::optional<EmploymentRecord>();
      });
}

absl::Status InsertEmploymentRecord(Tx& tx, int64_t casegroup_id, const EmploymentRecord& e) {
  return Guard([&] {
    long long group = casegroup_id, found = e.found_us;
    DateBind day(e.found_date);
    IdBind desire(e.desire_id), sr(e.review_sr_id);
    tx.session() << "INSERT INTO employments (casegroup_id, employer_name, source, found_date, "
                    "found_us, desire_id, review_sr_id) VALUES (:g, :e, :s, :d, :f, :de, :sr)",
        soci::use(group), soci::use(e.employer_name), soci::use(e.source),
        soci::use(day.text, day.ind), soci::use(found), soci::use(desire.value, desire.ind),
        soci::use(sr.value, sr.ind);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- requests

absl::StatusOr<int64_t> InsertHmrcRequest(Tx& tx, int64_t casegroup_id, int64_t desire_id,
                                          const std::string& nino, const cms::v1::HmrcRequest& r) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long group = casegroup_id, desire = desire_id, period = r.period(),
              at = r.request_time().seconds() * 1000000 + r.request_time().nanos() / 1000;
    std::string answer = ShortName(r.answer());
    DateBind day(r.request_date());
    tx.session() << "INSERT INTO hmrc_requests (casegroup_id, desire_id, period, nino, answer, "
                    "employer_name, request_date, request_us) VALUES (:g, :d, :p, :n, :a, :e, "
                    ":day, :at)",
        soci::use(group), soci::use(desire), soci::use(period), soci::use(nino), soci::use(answer),
        soci::use(r.employer_name()), soci::use(day.text, day.ind), soci::use(at);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<std::vector<HmrcRequestRow>> ListHmrcRequests(Tx& tx, int64_t casegroup_id) {
  return GuardOr<std::vector<HmrcRequestRow>>([&]() -> absl::StatusOr<std::vector<HmrcRequestRow>> {
    long long key = casegroup_id;
    std::vector<HmrcRequestRow> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare
             << "SELECT id, desire_id, period, answer, employer_name, request_date, "
                "request_us FROM hmrc_requests WHERE casegroup_id = :g "
                "ORDER BY id",
         soci::use(key));
    for (const soci::row& r : rows) {
      cms::v1::HmrcRequest q;
      q.set_id(I64(r, "id"));
      q.set_period(I64(r, "period"));
      q.set_answer(EnumCol<cms::v1::HmrcAnswer>(r, "answer"));
      q.set_employer_name(Str(r, "employer_name"));
      *q.mutable_request_date() = DateOf(r, "request_date");
      SetTimestamp(I64(r, "request_us"), q.mutable_request_time());
      out.push_back({I64(r, "desire_id"), std::move(q)});
    }
    return out;
  });
}

// ---------------------------------------------------------------- calculations

absl::StatusOr<int64_t> InsertCalculation(Tx& tx, const cms::v1::Calculation& c, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long k = c.case_id(), g = c.casegroup_id(), sr = c.service_request_id(),
              weekly = c.weekly_liability_pence(), ndr = c.ndr_pence(),
              net = c.net_earnings_pence(), now = now_us;
    std::string state = ShortName(c.state());
    tx.session() << "INSERT INTO calculations (case_id, casegroup_id, sr_id, "
                    "weekly_liability_pence, ndr_pence, net_earnings_pence, state, exception, "
                    "created_by, created_us) VALUES (:k, :g, :sr, :w, :n, :e, :st, :ex, :by, "
                    ":now)",
        soci::use(k), soci::use(g), soci::use(sr), soci::use(weekly), soci::use(ndr),
        soci::use(net), soci::use(state), soci::use(c.exception()), soci::use(c.created_by()),
        soci::use(now);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<cms::v1::Calculation> GetCalculation(Tx& tx, int64_t id, bool for_update) {
  return GuardOr<cms::v1::Calculation>([&]() -> absl::StatusOr<cms::v1::Calculation> {
    long long key = id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kCalculationCols,
                                              " FROM calculations WHERE id = :id",
                                              for_update ? " FOR UPDATE" : ""),
         soci::use(key));
    for (const soci::row& r : rows) return CalculationOf(r);
    return NotFound("calculation", absl::StrCat(id));
  });
}

absl::Status ResolveCalculation(Tx& tx, int64_t id, int64_t max_ndr_pence,
                                const std::string& resolved_by, int64_t now_us) {
  return Guard([&] {
    long long key = id, max = max_ndr_pence, now = now_us;
    std::string state = ShortName(cms::v1::CALCULATION_STATE_COMPLETE);
    tx.session() << "UPDATE calculations SET state = :st, max_ndr_pence = :m, resolved_by = :by, "
                    "resolved_us = :now WHERE id = :id",
        soci::use(state), soci::use(max), soci::use(resolved_by), soci::use(now), soci::use(key);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<int64_t>> PendingCalculationOfSr(Tx& tx, int64_t sr_id) {
  return GuardOr<std::optional<int64_t>>([&]() -> absl::StatusOr<std::optional<int64_t>> {
    long long key = sr_id, id = 0;
    std::string state = ShortName(cms::v1::CALCULATION_STATE_PENDING_NDR);
    soci::indicator ind = soci::i_null;
    tx.session() << "SELECT id FROM calculations WHERE sr_id = :sr AND state = :st "
                    "ORDER BY id LIMIT 1",
        soci::use(key), soci::use(state), soci::into(id, ind);
    if (!tx.session().got_data() || ind == soci::i_null) return std::optional<int64_t>();
    return std::optional<int64_t>(id);
  });
}

}  // namespace cms::store
