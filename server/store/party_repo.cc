#include "server/store/party_repo.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/domain/versions.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

using cms::v1::Address;
using cms::v1::Person;

constexpr char kPersonCols[] =
    "id, given_name, family_name, date_of_birth, nino, res_lines, res_postcode, res_non_uk, "
    "res_country, corr_lines, corr_postcode, corr_non_uk, corr_country, address_status, phone, "
    "email, nationally_sensitive, in_prison, on_benefit, employment_status, "
    "weekly_gross_income_pence, nil_assessed, version, created_us";

// Address lines are stored joined by newlines (lines never contain one:
// the app layer validates that).
struct AddressCols {
  explicit AddressCols(const Address& a)
      : lines(absl::StrJoin(a.lines(), "\n")),
        postcode(a.postcode()),
        non_uk(a.non_uk() ? 1 : 0),
        country(a.country_code()) {}
  std::string lines, postcode;
  int non_uk;
  std::string country;
};

void ReadAddress(const soci::row& r, const std::string& prefix, Address* a) {
  std::string lines = Str(r, prefix + "lines");
  if (!lines.empty()) {
    for (absl::string_view l : absl::StrSplit(lines, '\n')) a->add_lines(std::string(l));
  }
  a->set_postcode(Str(r, prefix + "postcode"));
  a->set_non_uk(Bool(r, prefix + "non_uk"));
  a->set_country_code(Str(r, prefix + "country"));
}

Person PersonOf(const soci::row& r) {
  Person p;
  p.set_id(I64(r, "id"));
  p.set_given_name(Str(r, "given_name"));
  p.set_family_name(Str(r, "family_name"));
  if (!IsNull(r, "date_of_birth")) *p.mutable_date_of_birth() = DateOf(r, "date_of_birth");
  p.set_nino(Str(r, "nino"));
  ReadAddress(r, "res_", p.mutable_residential_address());
  if (!Str(r, "corr_lines").empty() || !Str(r, "corr_postcode").empty()) {
    ReadAddress(r, "corr_", p.mutable_correspondence_address());
  }
  p.set_address_status(ParseEnum<cms::v1::AddressStatus>(Str(r, "address_status"))
                           .value_or(cms::v1::ADDRESS_STATUS_OK));
  p.set_phone(Str(r, "phone"));
  p.set_email(Str(r, "email"));
  p.set_nationally_sensitive(Bool(r, "nationally_sensitive"));
  p.set_in_prison(Bool(r, "in_prison"));
  p.set_on_benefit(Bool(r, "on_benefit"));
  p.set_employment_status(ParseEnum<cms::v1::EmploymentStatus>(Str(r, "employment_status"))
                              .value_or(cms::v1::EMPLOYMENT_STATUS_UNKNOWN));
  p.set_weekly_gross_income_pence(I64(r, "weekly_gross_income_pence"));
  p.set_nil_assessed(Bool(r, "nil_assessed"));
  p.set_etag(EtagOf(I64(r, "version")));
  SetTimestamp(I64(r, "created_us"), p.mutable_create_time());
  return p;
}

void LoadEmployers(Tx& tx, Person* p) {
  long long id = p->id();
  soci::rowset<soci::row> rows =
      (tx.session().prepare << "SELECT name, employer_reference FROM person_employers WHERE "
                               "person_id = :id ORDER BY seq",
       soci::use(id));
  for (const soci::row& r : rows) {
    auto* e = p->add_employers();
    e->set_name(Str(r, "name"));
    e->set_employer_reference(Str(r, "employer_reference"));
  }
}

void WriteEmployers(Tx& tx, const Person& p) {
  long long id = p.id();
  tx.session() << "DELETE FROM person_employers WHERE person_id = :id", soci::use(id);
  int seq = 0;
  for (const auto& e : p.employers()) {
    ++seq;
    tx.session() << "INSERT INTO person_employers (person_id, seq, name, employer_reference) "
                    "VALUES (:p, :s, :n, :r)",
        soci::use(id), soci::use(seq), soci::use(e.name()), soci::use(e.employer_reference());
  }
}

// Binds every mutable person column in kPersonWriteCols order.
struct PersonCols {
  explicit PersonCols(const Person& p)
      : dob(p.date_of_birth()),
        nino(p.nino()),
        res(p.residential_address()),
        corr(p.correspondence_address()),
        address_status(ShortName(p.address_status() == cms::v1::ADDRESS_STATUS_UNSPECIFIED
                                     ? cms::v1::ADDRESS_STATUS_OK
                                     : p.address_status())),
        sensitive(p.nationally_sensitive()),
        in_prison(p.in_prison()),
        on_benefit(p.on_benefit()),
        employment(ShortName(p.employment_status() == cms::v1::EMPLOYMENT_STATUS_UNSPECIFIED
                                 ? cms::v1::EMPLOYMENT_STATUS_UNKNOWN
                                 : p.employment_status())),
        income(p.weekly_gross_income_pence()),
        nil_assessed(p.nil_assessed()) {}
  DateBind dob;
  StrBind nino;
  AddressCols res, corr;
  std::string address_status;
  int sensitive, in_prison, on_benefit;
  std::string employment;
  long long income;
  int nil_assessed;
};

// Inserts `p` and its employers; with `match_by_nino` an existing NINO is
// matched instead (ON DUPLICATE KEY UPDATE). Must run inside Guard.
UpsertResult InsertOrMatch(Tx& tx, const Person& p, int64_t now_us, bool match_by_nino) {
  PersonCols c(p);
  long long now = now_us, first = domain::kFirstVersion;
  soci::statement st(tx.session());
  st.alloc();
  for (auto* text : {&p.given_name(), &p.family_name()}) st.exchange(soci::use(*text));
  st.exchange(soci::use(c.dob.text, c.dob.ind));
  st.exchange(soci::use(c.nino.value, c.nino.ind));
  for (AddressCols* a : {&c.res, &c.corr}) {
    st.exchange(soci::use(a->lines));
    st.exchange(soci::use(a->postcode));
    st.exchange(soci::use(a->non_uk));
    st.exchange(soci::use(a->country));
  }
  st.exchange(soci::use(c.address_status));
  st.exchange(soci::use(p.phone()));
  st.exchange(soci::use(p.email()));
  for (int* flag : {&c.sensitive, &c.in_prison, &c.on_benefit}) st.exchange(soci::use(*flag));
  st.exchange(soci::use(c.employment));
  st.exchange(soci::use(c.income));
  st.exchange(soci::use(c.nil_assessed));
  st.exchange(soci::use(first));
  st.exchange(soci::use(now));
  std::string sql =
      "INSERT INTO persons (given_name, family_name, date_of_birth, nino, res_lines, "
      "res_postcode, res_non_uk, res_country, corr_lines, corr_postcode, corr_non_uk, "
      "corr_country, address_status, phone, email, nationally_sensitive, in_prison, on_benefit, "
      "employment_status, weekly_gross_income_pence, nil_assessed, version, created_us) VALUES "
      "(:gn, :fn, :dob, :nino, :rl, :rp, :rn, :rc, :cl, :cp, :cn, :cc, :as, :ph, :em, :ns, :ip, "
      ":ob, :es, :inc, :nil, :v, :now)";
  if (match_by_nino) {
    // One statement either inserts the person or, when the NINO exists,
    // locks the existing row exclusively and returns its id. A plain INSERT
    // that fails on the duplicate would leave a shared lock behind, and
    // concurrent applications upgrading it to lock the PP deadlock.
    sql += " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), last_matched_us = :now2";
    st.exchange(soci::use(now));
  }
  st.prepare(sql);
  st.define_and_bind();
  st.execute(true);
  // MySQL counts 1 affected row for an insert and 2 for an update of the
  // existing row (which last_matched_us always changes).
  UpsertResult r{LastInsertId(tx.session()), st.get_affected_rows() == 1};
  if (r.created && !p.employers().empty()) {
    Person inserted = p;
    inserted.set_id(r.id);
    WriteEmployers(tx, inserted);
  }
  return r;
}

}  // namespace

absl::StatusOr<int64_t> InsertPerson(Tx& tx, const Person& p, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    return InsertOrMatch(tx, p, now_us, /*match_by_nino=*/false).id;
  });
}

absl::StatusOr<UpsertResult> UpsertPersonByNino(Tx& tx, const Person& p, int64_t now_us) {
  return GuardOr<UpsertResult>([&]() -> absl::StatusOr<UpsertResult> {
    return InsertOrMatch(tx, p, now_us, /*match_by_nino=*/true);
  });
}

absl::StatusOr<Person> GetPerson(Tx& tx, int64_t id, bool for_update) {
  return GuardOr<Person>([&]() -> absl::StatusOr<Person> {
    long long key = id;
    soci::row r;
    soci::statement st = (tx.session().prepare << absl::StrCat("SELECT ", kPersonCols,
                                                               " FROM persons WHERE id = :id",
                                                               for_update ? " FOR UPDATE" : ""),
                          soci::use(key), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return NotFound("person", absl::StrCat(id));
    Person p = PersonOf(r);
    LoadEmployers(tx, &p);
    return p;
  });
}

absl::StatusOr<WorkFacts> GetWorkFacts(Tx& tx, int64_t person_id) {
  return GuardOr<WorkFacts>([&]() -> absl::StatusOr<WorkFacts> {
    long long key = person_id;
    soci::row r;
    soci::statement st =
        (tx.session().prepare
             << "SELECT p.employment_status, (SELECT e.name FROM person_employers e WHERE "
                "e.person_id = p.id ORDER BY e.seq LIMIT 1) AS employer FROM persons p "
                "WHERE p.id = :id",
         soci::use(key), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return NotFound("person", absl::StrCat(person_id));
    WorkFacts out;
    out.employment_status = ParseEnum<cms::v1::EmploymentStatus>(Str(r, "employment_status"))
                                .value_or(cms::v1::EMPLOYMENT_STATUS_UNKNOWN);
    if (!IsNull(r, "employer")) out.first_employer = Str(r, "employer");
    return out;
  });
}

absl::StatusOr<std::vector<Person>> GetPersons(Tx& tx, const std::vector<int64_t>& ids) {
  std::vector<Person> out;
  for (int64_t id : ids) {
    auto p = GetPerson(tx, id);
    if (!p.ok()) return p.status();
    out.push_back(*std::move(p));
  }
  return out;
}

absl::Status UpdatePerson(Tx& tx, const Person& p) {
  return Guard([&] {
    PersonCols c(p);
    long long id = p.id();
    tx.session() << "UPDATE persons SET given_name = :gn, family_name = :fn, date_of_birth = "
                    ":dob, nino = :nino, res_lines = :rl, res_postcode = :rp, res_non_uk = :rn, "
                    "res_country = :rc, corr_lines = :cl, corr_postcode = :cp, corr_non_uk = :cn, "
                    "corr_country = :cc, address_status = :as, phone = :ph, email = :em, "
                    "nationally_sensitive = :ns, in_prison = :ip, on_benefit = :ob, "
                    "employment_status = :es, weekly_gross_income_pence = :inc, nil_assessed = "
                    ":nil, version = version + 1 WHERE id = :id",
        soci::use(p.given_name()), soci::use(p.family_name()), soci::use(c.dob.text, c.dob.ind),
        soci::use(c.nino.value, c.nino.ind), soci::use(c.res.lines), soci::use(c.res.postcode),
        soci::use(c.res.non_uk), soci::use(c.res.country), soci::use(c.corr.lines),
        soci::use(c.corr.postcode), soci::use(c.corr.non_uk), soci::use(c.corr.country),
        soci::use(c.address_status), soci::use(p.phone()), soci::use(p.email()),
        soci::use(c.sensitive), soci::use(c.in_prison), soci::use(c.on_benefit),
        soci::use(c.employment), soci::use(c.income), soci::use(c.nil_assessed), soci::use(id);
    WriteEmployers(tx, p);
    return absl::OkStatus();
  });
}

}  // namespace cms::store
