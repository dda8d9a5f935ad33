#include "tools/bench/raw_compliance.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cms/v1/admin.pb.h"
#include "cms/v1/compliance.pb.h"
#include "google/protobuf/util/time_util.h"
#include "server/base/enum_names.h"
#include "server/domain/compliance_outcome.h"
#include "server/store/audit_repo.h"
#include "server/store/compliance_repo.h"
#include "server/store/row_util.h"
#include "server/store/timer_repo.h"
#include "soci/soci.h"

namespace cms::bench {
namespace {

// The kinds a server with every production kind registered claims.
const std::vector<std::string>& Kinds() {
  static const auto* kinds =
      new std::vector<std::string>{"ACTIVITY_ALARM",          "BULK_MOVE",
                                   "HMRC_EMPLOYMENT_REQUEST", "MISSED_PAYMENT_EVENT",
                                   "MISSED_PAYMENT_JOB",      "S5_OFFER_RESPONSE",
                                   "S5_SCHEDULED_END",        "SERVICE_TYPE_EFFECTIVE",
                                   "SR_WAIT_EXPIRY"};
  return *kinds;
}

// Audit values of the server's lengths (measured: opportunity before ~2.5 kB
// and after ~5.3 kB of JSON, the SR's after ~0.85 kB).
std::string Filler(const std::string& seed, size_t length) {
  std::string out = "{\"b\":\"";
  while (out.size() + seed.size() + 2 < length) out += seed;
  out.resize(length - 2, 'x');
  return out + "\"}";
}

absl::CivilDay DayOf(const cms::v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

}  // namespace

absl::Status RawCompliance::FireBatch(store::Tx& tx, int batch, int* claimed) const {
  soci::session& sql = tx.session();
  try {
    long long offset = 0;
    sql << "SELECT offset_us FROM business_clock WHERE id = 1", soci::into(offset);
    auto due = store::ClaimDueTimers(tx, Kinds(), now_us_, batch);
    if (!due.ok()) return due.status();
    *claimed = static_cast<int>(due->size());
    std::vector<int64_t> ids;
    std::vector<cms::v1::AuditEvent> audit;
    for (const store::DueTimer& t : *due) {
      auto locked = store::GetComplianceOpportunity(tx, t.subject, /*for_update=*/true);
      if (!locked.ok()) return locked.status();
      cms::v1::ComplianceOpportunity opp = *std::move(locked);
      const std::string before_body = opp.SerializeAsString();
      // The trial period's items, one range of ix_items_case.
      std::vector<cms::v1::ScheduleItem> items;
      {
        long long c = opp.case_id();
        std::string from = absl::FormatCivilTime(DayOf(opp.start_date())),
                    to = absl::FormatCivilTime(DayOf(opp.end_date()));
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT id, seq, due_date, expected_pence, expected_method, status, "
                            "paid_pence, on_time, in_full, agreed_method FROM schedule_items "
                            "WHERE case_id = :c AND due_date >= :f AND due_date < :t AND status "
                            "<> 'SUPERSEDED' ORDER BY due_date, id",
             soci::use(c), soci::use(from), soci::use(to));
        for (const soci::row& r : rows) {
          using store::Bool, store::EnumCol, store::I64;
          cms::v1::ScheduleItem i;
          i.set_id(I64(r, "id"));
          i.set_sequence(static_cast<int32_t>(I64(r, "seq")));
          *i.mutable_due_date() = store::DateOf(r, "due_date");
          i.set_expected_pence(I64(r, "expected_pence"));
          i.set_expected_method(EnumCol<cms::v1::PaymentMethod>(r, "expected_method"));
          i.set_status(EnumCol<cms::v1::ItemStatus>(r, "status"));
          i.set_paid_pence(I64(r, "paid_pence"));
          i.set_on_time(Bool(r, "on_time"));
          i.set_in_full(Bool(r, "in_full"));
          i.set_agreed_method(Bool(r, "agreed_method"));
          items.push_back(std::move(i));
        }
      }
      cms::v1::ProposedOutcome proposal =
          domain::ProposeOutcome(items, DayOf(opp.start_date()), DayOf(opp.end_date()));
      *proposal.mutable_propose_time() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(now_us_);
      // RaiseByRule: the casegroup locked (routing), SR5.10, the SR and its
      // fields.
      long long g = opp.casegroup_id(), kase = opp.case_id(), person = opp.paying_parent_id();
      long long segment = 0;
      std::string allocated;
      soci::indicator allocated_ind = soci::i_null;
      {
        long long gid = 0, pp = 0, version = 0, created = 0;
        std::string country, rule, system_name, case_ids;
        soci::indicator ind1, ind2;
        sql << "SELECT g.id, g.pp_person_id, g.segment_id, g.allocated_to, g.country, "
               "g.routing_rule, g.version, g.created_us, (SELECT s.system_name FROM segments s "
               "WHERE s.id = g.segment_id) AS system_name, (SELECT GROUP_CONCAT(c.id ORDER BY "
               "c.id) FROM cases c WHERE c.casegroup_id = g.id) AS case_ids FROM casegroups g "
               "WHERE g.id = :g FOR UPDATE",
            soci::use(g), soci::into(gid), soci::into(pp), soci::into(segment),
            soci::into(allocated, allocated_ind), soci::into(country), soci::into(rule),
            soci::into(version), soci::into(created), soci::into(system_name, ind1),
            soci::into(case_ids, ind2);
      }
      {
        long long open = 0;
        soci::indicator ind = soci::i_null;
        sql << "SELECT MAX(id) FROM service_requests WHERE case_id = :c AND type_code = "
               "'COMPLIANCE_OPPORTUNITY_OUTCOME' AND status NOT IN ('CLOSED', 'CANCELLED')",
            soci::use(kase), soci::into(open, ind);
      }
      const std::string description = absl::StrCat(
          "The Segment 5 compliance opportunity ended on ", t.payload,
          ": record the Compliance Action and Reason and the Unlikely to Pay check. Proposed: ",
          proposal.explanation(), " (S5.7, S5.8)");
      long long now = now_us_;
      sql << "INSERT INTO service_requests (type_code, kind, casegroup_id, case_id, "
             "subject_person_id, status, sub_status, resolution_code, source, created_by_rule, "
             "priority, owning_segment_id, allocated_to, parent_id, description, wake_date, "
             "plan_generated, created_by, created_us, updated_us, version) VALUES "
             "('COMPLIANCE_OPPORTUNITY_OUTCOME', 'CASE_OWNING', :g, :c, :p, 'OPEN', '', '', "
             "'INTERNAL_SYSTEM', 'S5.7', 1, :s, :a, NULL, :d, NULL, 0, 'system', :n1, :n2, 1)",
          soci::use(g), soci::use(kase), soci::use(person), soci::use(segment),
          soci::use(allocated, allocated_ind), soci::use(description), soci::use(now),
          soci::use(now);
      long long sr = 0;
      sql << "SELECT LAST_INSERT_ID()", soci::into(sr);
      sql << "INSERT INTO sr_fields (sr_id, name, value) VALUES (:s, 'Action', 'End of Seg 5')",
          soci::use(sr);
      // The opportunity saved, and its history.
      const cms::v1::ComplianceState from = opp.state();
      opp.set_outcome_service_request_id(sr);
      *opp.mutable_proposal() = proposal;
      opp.set_state(cms::v1::COMPLIANCE_STATE_OUTCOME_DUE);
      if (absl::Status s = store::UpdateComplianceOpportunity(tx, opp, now_us_); !s.ok()) return s;
      cms::v1::ComplianceEvent e;
      e.set_opportunity_id(opp.id());
      e.set_kind(cms::v1::COMPLIANCE_EVENT_KIND_OUTCOME_SR_RAISED);
      e.set_from_state(from);
      e.set_to_state(opp.state());
      e.set_eligibility(opp.eligibility());
      e.set_detail(absl::StrCat("trial ended ", t.payload, ": Compliance Opportunity Outcome SR ",
                                sr, " raised (S5.7); proposed ", ShortName(proposal.action()),
                                " / ", ShortName(proposal.reason()), ": ", proposal.explanation()));
      e.set_service_request_id(sr);
      e.set_actor("system");
      if (absl::Status s = store::InsertComplianceEvent(tx, e, now_us_); !s.ok()) return s;
      ids.push_back(t.id);
      for (int k = 0; k < 2; ++k) {
        cms::v1::AuditEvent& a = audit.emplace_back();
        a.set_actor("system");
        a.set_client("cms_server");
        a.set_rpc("FireTimers");
        a.set_casegroup_id(g);
        if (k == 0) {
          a.set_entity_type("service_request");
          a.set_entity_id(absl::StrCat(sr));
          a.set_after_json(Filler(description, 845));
        } else {
          a.set_entity_type("compliance_opportunity");
          a.set_entity_id(absl::StrCat(opp.id()));
          a.set_before_json(Filler(absl::StrCat(opp.id(), before_body.size()), 2490));
          a.set_after_json(Filler(proposal.explanation(), 5320));
        }
      }
    }
    if (absl::Status s = store::MarkTimersFired(tx, ids, now_us_); !s.ok()) return s;
    return store::InsertAuditEvents(tx, audit, now_us_);
  } catch (const soci::soci_error& e) {
    return absl::InternalError(e.what());
  }
}

}  // namespace cms::bench
