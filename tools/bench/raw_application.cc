#include "tools/bench/raw_application.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "soci/soci.h"
#include "tools/bench/load.h"

namespace cms::bench {
namespace {

long long InsertPerson(soci::session& sql, const std::string& nino, const std::string& postcode,
                       long long now) {
  sql << "INSERT INTO persons (given_name, family_name, date_of_birth, nino, res_lines, "
         "res_postcode, res_non_uk, res_country, corr_lines, corr_postcode, corr_non_uk, "
         "corr_country, address_status, phone, email, nationally_sensitive, in_prison, "
         "on_benefit, employment_status, weekly_gross_income_pence, nil_assessed, version, "
         "created_us) VALUES ('Bench', 'Parent', NULL, :n, '1 Bench Street', :p, 0, 'GB', '', "
         "'', 0, '', 'OK', '', '', 0, 0, 0, 'UNKNOWN', 0, 0, 1, :now) ON DUPLICATE KEY UPDATE "
         "id = LAST_INSERT_ID(id), last_matched_us = :now2",
      soci::use(nino), soci::use(postcode), soci::use(now), soci::use(now);
  long long id = 0;
  sql.get_last_insert_id("", id);
  return id;
}

}  // namespace

// The statements, in order, that the server issues for a CreateApplication
// with two new persons (auth lookup, then one transaction): see
// auth/authenticator.cc, app/commands.cc and app/casegroups.cc.
std::string RawApplication(soci::session& sql, int64_t seq, int64_t segment_id,
                           int64_t arrears_segment_id) {
  try {
    const long long now = absl::ToUnixMicros(absl::Now());
    const std::string request_id = absl::StrCat("raw-", seq);
    const std::string pp_nino = absl::StrFormat("AA%06dA", ScatteredDigits(seq));
    const std::string rp_nino = absl::StrFormat("AB%06dB", ScatteredDigits(seq));
    long long seg = segment_id;
    (void)arrears_segment_id;
    soci::row staff;
    sql << "SELECT staff_id, name, role, team_id, segment_id, active, version FROM staff WHERE "
           "staff_id = 'cw.gb.new_case.a1'",
        soci::into(staff);
    sql << "START TRANSACTION";
    long long rp = InsertPerson(sql, rp_nino, "SW1A 2AA", now);
    long long pp = InsertPerson(sql, pp_nino, "SW1A 1AA", now);
    soci::rowset<soci::row> live =
        (sql.prepare << "SELECT id, country, service_segment, description, code, system_name, "
                        "status, version, created_us FROM segments WHERE country = 'GB' AND "
                        "status = 'ACTIVE' ORDER BY id");
    for (auto it = live.begin(); it != live.end(); ++it) {
    }
    long long group = 0, kase = 0;
    sql << "INSERT INTO casegroups (pp_person_id, segment_id, country, routing_rule, version, "
           "created_us) VALUES (:pp, :s, 'GB', 'R3.2.5', 1, :now)",
        soci::use(pp), soci::use(seg), soci::use(now);
    sql.get_last_insert_id("", group);
    sql << "INSERT INTO casegroup_moves (casegroup_id, from_segment_id, to_segment_id, rule_id, "
           "trigger_desc, actor, move_us) VALUES (:g, NULL, :s, 'R3.2.5', 'CreateApplication', "
           "'bench', :now)",
        soci::use(group), soci::use(seg), soci::use(now);
    sql << "INSERT INTO cases (casegroup_id, pp_person_id, rp_person_id, scheme, lifecycle_stage, "
           "service_type, pp_requested_service_type, rp_requested_service_type, "
           "annual_review_date, application_date, version, created_us) VALUES (:g, :pp, :rp, "
           "'2012', 'APPLICATION', 'DIRECT_PAY', 'DIRECT_PAY', 'DIRECT_PAY', '2027-11-22', "
           "'2026-11-22', 1, :now)",
        soci::use(group), soci::use(pp), soci::use(rp), soci::use(now);
    sql.get_last_insert_id("", kase);
    sql << "INSERT INTO case_children (case_id, seq, given_name, family_name, date_of_birth) "
           "VALUES (:c, 1, 'Kid', 'Bench', NULL)",
        soci::use(kase);
    // Four audit rows (two persons, casegroup, case) of realistic size.
    const std::string after(600, 'x');
    sql << "INSERT INTO audit_events (event_us, actor, client, rpc, entity_type, entity_id, "
           "before_json, after_json) VALUES (:t1, 'bench', 'bench', 'CreateApplication', "
           "'person', :p1, '', :a1), (:t2, 'bench', 'bench', 'CreateApplication', 'person', :p2, "
           "'', :a2), (:t3, 'bench', 'bench', 'CreateApplication', 'casegroup', :g, '', :a3), "
           "(:t4, 'bench', 'bench', 'CreateApplication', 'case', :c, '', :a4)",
        soci::use(now), soci::use(pp), soci::use(after), soci::use(now), soci::use(rp),
        soci::use(after), soci::use(now), soci::use(group), soci::use(after), soci::use(now),
        soci::use(kase), soci::use(after);
    const std::string blob(400, 'y');
    sql << "INSERT INTO idempotency_keys (request_id, method, request_proto, response, "
           "created_us) VALUES (:r, 'CreateApplication', :q, :b, :now)",
        soci::use(request_id), soci::use(blob), soci::use(blob), soci::use(now);
    sql << "COMMIT";
    return "";
  } catch (const std::exception& e) {
    try {
      sql << "ROLLBACK";
    } catch (...) {
    }
    return e.what();
  }
}

}  // namespace cms::bench
