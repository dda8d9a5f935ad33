#include "server/store/mopf_repo.h"

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/domain/versions.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

using cms::v1::MopfMethod;
using cms::v1::MoptPeriod;
using cms::v1::ServiceTypePeriod;

constexpr char kMopfCols[] =
    "id, method, share_percent, enforced, deo_subtype, mandatory_deo, employer, start_date, "
    "end_date, sr_id, ended_sr_id";

MopfMethod MopfOf(const soci::row& r) {
  MopfMethod m;
  m.set_id(I64(r, "id"));
  m.set_method(EnumCol<cms::v1::PaymentMethod>(r, "method"));
  m.set_share_percent(static_cast<int32_t>(I64(r, "share_percent")));
  m.set_enforced(Bool(r, "enforced"));
  m.set_deo_subtype(EnumCol<cms::v1::DeoSubtype>(r, "deo_subtype"));
  m.set_mandatory_deo_tick(Bool(r, "mandatory_deo"));
  m.set_employer(Str(r, "employer"));
  *m.mutable_start_date() = DateOf(r, "start_date");
  if (!IsNull(r, "end_date")) *m.mutable_end_date() = DateOf(r, "end_date");
  m.set_service_request_id(I64(r, "sr_id"));
  m.set_ended_by_service_request_id(I64(r, "ended_sr_id"));
  return m;
}

constexpr char kMoptCols[] = "id, method, payee_reference, start_date, end_date, sr_id";

MoptPeriod MoptOf(const soci::row& r) {
  MoptPeriod p;
  p.set_id(I64(r, "id"));
  p.set_method(EnumCol<cms::v1::MoptMethod>(r, "method"));
  p.set_payee_reference(Str(r, "payee_reference"));
  *p.mutable_start_date() = DateOf(r, "start_date");
  if (!IsNull(r, "end_date")) *p.mutable_end_date() = DateOf(r, "end_date");
  p.set_service_request_id(I64(r, "sr_id"));
  return p;
}

absl::Status EndRow(Tx& tx, const char* table, int64_t id, const cms::v1::Date& end_date,
                    int64_t ended_sr_id) {
  return Guard([&] {
    DateBind end(end_date);
    IdBind sr(ended_sr_id);
    long long key = id;
    tx.session() << absl::StrCat("UPDATE ", table,
                                 " SET end_date = :e, ended_sr_id = :sr WHERE id = :id"),
        soci::use(end.text, end.ind), soci::use(sr.value, sr.ind), soci::use(key);
    return absl::OkStatus();
  });
}

}  // namespace

// ---------------------------------------------------------------- versions

absl::StatusOr<int64_t> LockMoneyVersion(Tx& tx, const std::string& kind, int64_t subject) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long key = subject, version = 0, never_set = domain::kNeverSetVersion;
    tx.session() << "INSERT IGNORE INTO money_versions (kind, subject, version) "
                    "VALUES (:k, :s, :v)",
        soci::use(kind), soci::use(key), soci::use(never_set);
    tx.session() << "SELECT version FROM money_versions WHERE kind = :k AND subject = :s "
                    "FOR UPDATE",
        soci::use(kind), soci::use(key), soci::into(version);
    return version;
  });
}

absl::StatusOr<int64_t> ReadMoneyVersion(Tx& tx, const std::string& kind, int64_t subject) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long key = subject, version = 0;
    soci::indicator ind = soci::i_null;
    tx.session() << "SELECT version FROM money_versions WHERE kind = :k AND subject = :s",
        soci::use(kind), soci::use(key), soci::into(version, ind);
    return tx.session().got_data() ? version : domain::kNeverSetVersion;
  });
}

absl::Status BumpMoneyVersion(Tx& tx, const std::string& kind, int64_t subject) {
  return Guard([&] {
    long long key = subject;
    tx.session() << "UPDATE money_versions SET version = version + 1 WHERE kind = :k AND "
                    "subject = :s",
        soci::use(kind), soci::use(key);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- M7.1

absl::StatusOr<std::vector<ServiceTypePeriod>> ListServiceTypePeriods(Tx& tx, int64_t case_id) {
  return GuardOr<std::vector<ServiceTypePeriod>>(
      [&]() -> absl::StatusOr<std::vector<ServiceTypePeriod>> {
        return ListRows<ServiceTypePeriod>(
            tx.session(),
            "SELECT service_type, effective_from, sr_id, set_by, set_us FROM "
            "service_type_periods WHERE case_id = :c ORDER BY effective_from, id",
            case_id, [](const soci::row& r) {
              ServiceTypePeriod p;
              p.set_service_type(EnumCol<cms::v1::ServiceType>(r, "service_type"));
              *p.mutable_effective_from() = DateOf(r, "effective_from");
              p.set_service_request_id(I64(r, "sr_id"));
              p.set_set_by(Str(r, "set_by"));
              SetTimestamp(I64(r, "set_us"), p.mutable_set_time());
              return p;
            });
      });
}

absl::Status InsertServiceTypePeriod(Tx& tx, int64_t case_id, const ServiceTypePeriod& p,
                                     int64_t now_us) {
  return Guard([&] {
    long long kase = case_id;
    std::string type = ShortName(p.service_type());
    DateBind from(p.effective_from());
    IdBind sr(p.service_request_id());
    tx.session() << "INSERT INTO service_type_periods (case_id, service_type, effective_from, "
                    "sr_id, set_by, set_us) VALUES (:c, :t, :f, :sr, :by, :now)",
        soci::use(kase), soci::use(type), soci::use(from.text, from.ind),
        soci::use(sr.value, sr.ind), soci::use(p.set_by()), soci::use(now_us);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> SetCaseServiceType(Tx& tx, int64_t case_id, cms::v1::ServiceType type) {
  return GuardOr<bool>([&]() -> absl::StatusOr<bool> {
    long long kase = case_id;
    std::string t = ShortName(type);
    soci::statement st = (tx.session().prepare << "UPDATE cases SET service_type = :t, version = "
                                                  "version + 1 WHERE id = :c AND service_type "
                                                  "<> :t2",
                          soci::use(t), soci::use(kase), soci::use(t));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

// ---------------------------------------------------------------- MOPF

absl::StatusOr<std::vector<MopfMethod>> ListMopfMethods(Tx& tx, int64_t casegroup_id) {
  return GuardOr<std::vector<MopfMethod>>([&]() -> absl::StatusOr<std::vector<MopfMethod>> {
    return ListRows<MopfMethod>(tx.session(),
                                absl::StrCat("SELECT ", kMopfCols,
                                             " FROM mopf_methods WHERE casegroup_id = :g "
                                             "ORDER BY id"),
                                casegroup_id, MopfOf);
  });
}

absl::StatusOr<int64_t> InsertMopfMethod(Tx& tx, int64_t casegroup_id, const MopfMethod& m,
                                         const std::string& created_by, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long group = casegroup_id, sr = m.service_request_id();
    int share = m.share_percent(), enforced = m.enforced() ? 1 : 0,
        mandatory = m.mandatory_deo_tick() ? 1 : 0;
    std::string method = ShortName(m.method()), subtype = ShortName(m.deo_subtype());
    DateBind start(m.start_date());
    tx.session() << "INSERT INTO mopf_methods (casegroup_id, method, share_percent, enforced, "
                    "deo_subtype, mandatory_deo, employer, start_date, sr_id, created_by, "
                    "created_us) VALUES (:g, :m, :s, :e, :st, :md, :emp, :sd, :sr, :by, :now)",
        soci::use(group), soci::use(method), soci::use(share), soci::use(enforced),
        soci::use(subtype), soci::use(mandatory), soci::use(m.employer()),
        soci::use(start.text, start.ind), soci::use(sr), soci::use(created_by), soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::Status EndMopfMethod(Tx& tx, int64_t method_id, const cms::v1::Date& end_date,
                           int64_t ended_sr_id) {
  return EndRow(tx, "mopf_methods", method_id, end_date, ended_sr_id);
}

// ---------------------------------------------------------------- MOPT

absl::StatusOr<std::vector<MoptPeriod>> ListMoptPeriods(Tx& tx, int64_t case_id) {
  return GuardOr<std::vector<MoptPeriod>>([&]() -> absl::StatusOr<std::vector<MoptPeriod>> {
    return ListRows<MoptPeriod>(
        tx.session(),
        absl::StrCat("SELECT ", kMoptCols, " FROM mopt_periods WHERE case_id = :c ORDER BY id"),
        case_id, MoptOf);
  });
}

absl::StatusOr<int64_t> InsertMoptPeriod(Tx& tx, int64_t case_id, const MoptPeriod& p,
                                         const std::string& created_by, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long kase = case_id, sr = p.service_request_id();
    std::string method = ShortName(p.method());
    DateBind start(p.start_date());
    tx.session() << "INSERT INTO mopt_periods (case_id, method, payee_reference, start_date, "
                    "sr_id, created_by, created_us) VALUES (:c, :m, :ref, :sd, :sr, :by, :now)",
        soci::use(kase), soci::use(method), soci::use(p.payee_reference()),
        soci::use(start.text, start.ind), soci::use(sr), soci::use(created_by), soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::Status EndMoptPeriod(Tx& tx, int64_t period_id, const cms::v1::Date& end_date,
                           int64_t ended_sr_id) {
  return EndRow(tx, "mopt_periods", period_id, end_date, ended_sr_id);
}

}  // namespace cms::store
