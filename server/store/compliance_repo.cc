#include "server/store/compliance_repo.h"

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

using cms::v1::ComplianceOpportunity;

constexpr const char* kCols = kStoredCols;

ComplianceOpportunity OpportunityOf(const soci::row& r) {
  return StoredOf<ComplianceOpportunity>(r);
}

// The body without what the row's own columns carry.
std::string BodyOf(ComplianceOpportunity opp) { return StoredBody(std::move(opp)); }

absl::StatusOr<std::optional<ComplianceOpportunity>> SelectOne(Tx& tx, absl::string_view where,
                                                               long long key, bool for_update) {
  return GuardOr<std::optional<ComplianceOpportunity>>(
      [&]() -> absl::StatusOr<std::optional<ComplianceOpportunity>> {
        soci::rowset<soci::row> rows =
            (tx.session().prepare << absl::StrCat("SELECT ", kCols,
                                                  " FROM compliance_opportunities WHERE ", where,
                                                  for_update ? " FOR UPDATE" : ""),
             soci::use(key));
        for (const soci::row& r : rows)
          return std::optional<ComplianceOpportunity>(OpportunityOf(r));
        return std::optional<ComplianceOpportunity>();
      });
}

}  // namespace

absl::StatusOr<ComplianceOpportunity> InsertComplianceOpportunity(Tx& tx, ComplianceOpportunity opp,
                                                                  int64_t now_us) {
  return GuardOr<ComplianceOpportunity>([&]() -> absl::StatusOr<ComplianceOpportunity> {
    std::string state = ShortName(opp.state()), eligibility = ShortName(opp.eligibility());
    std::string body = BodyOf(opp);
    DateBind end(opp.end_date());
    long long case_id = opp.case_id(), casegroup_id = opp.casegroup_id(),
              first = domain::kFirstVersion;
    tx.session() << "INSERT INTO compliance_opportunities (case_id, casegroup_id, state, "
                    "eligibility, end_date, version, body_b64, created_us, updated_us) VALUES "
                    "(:c, :g, :s, :e, :d, :v, :b, :now, :now2)",
        soci::use(case_id), soci::use(casegroup_id), soci::use(state), soci::use(eligibility),
        soci::use(end.text, end.ind), soci::use(first), soci::use(body), soci::use(now_us),
        soci::use(now_us);
    opp.set_id(LastInsertId(tx.session()));
    opp.set_etag(EtagOf(first));
    SetTimestamp(now_us, opp.mutable_create_time());
    SetTimestamp(now_us, opp.mutable_update_time());
    return opp;
  });
}

absl::StatusOr<ComplianceOpportunity> GetComplianceOpportunity(Tx& tx, int64_t id,
                                                               bool for_update) {
  CMS_ASSIGN_OR_RETURN(auto found, SelectOne(tx, "id = :k", id, for_update));
  if (!found) return NotFound("compliance opportunity", absl::StrCat(id));
  return *std::move(found);
}

absl::StatusOr<std::optional<ComplianceOpportunity>> FindComplianceOpportunityByCase(
    Tx& tx, int64_t case_id, bool for_update) {
  return SelectOne(tx, "case_id = :k", case_id, for_update);
}

absl::Status UpdateComplianceOpportunity(Tx& tx, ComplianceOpportunity& opp, int64_t now_us) {
  return Guard([&] {
    std::string state = ShortName(opp.state()), eligibility = ShortName(opp.eligibility());
    std::string body = BodyOf(opp);
    DateBind end(opp.end_date());
    long long id = opp.id();
    tx.session() << "UPDATE compliance_opportunities SET state = :s, eligibility = :e, end_date = "
                    ":d, version = version + 1, body_b64 = :b, updated_us = :now WHERE id = :id",
        soci::use(state), soci::use(eligibility), soci::use(end.text, end.ind), soci::use(body),
        soci::use(now_us), soci::use(id);
    opp.set_etag(NextEtag(opp.etag()));
    SetTimestamp(now_us, opp.mutable_update_time());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ComplianceOpportunity>> ListComplianceOpportunities(
    Tx& tx, const ComplianceFilter& filter, const PageRequest& page) {
  return GuardOr<std::vector<ComplianceOpportunity>>(
      [&]() -> absl::StatusOr<std::vector<ComplianceOpportunity>> {
        std::string state =
            filter.state == cms::v1::COMPLIANCE_STATE_UNSPECIFIED ? "" : ShortName(filter.state);
        long long segment = filter.owning_segment_id, after = page.after_id, limit = page.limit;
        DateBind from(filter.end_from), to(filter.end_to);
        int has_from = from.ind == soci::i_ok, has_to = to.ind == soci::i_ok;
        std::vector<ComplianceOpportunity> out;
        soci::rowset<soci::row> rows =
            (tx.session().prepare
                 << "SELECT o.id, o.version, o.body_b64, o.created_us, o.updated_us FROM "
                    "compliance_opportunities o JOIN casegroups g ON g.id = o.casegroup_id WHERE "
                    "o.id > :a AND (:s = '' OR o.state = :s2) AND (:g = 0 OR g.segment_id = :g2) "
                    "AND (:hf = 0 OR o.end_date >= :f) AND (:ht = 0 OR o.end_date <= :t) ORDER BY "
                    "o.id LIMIT :l",
             soci::use(after), soci::use(state), soci::use(state), soci::use(segment),
             soci::use(segment), soci::use(has_from), soci::use(from.text), soci::use(has_to),
             soci::use(to.text), soci::use(limit));
        for (const soci::row& r : rows) out.push_back(OpportunityOf(r));
        return out;
      });
}

absl::Status InsertComplianceEvent(Tx& tx, const cms::v1::ComplianceEvent& e, int64_t now_us) {
  return Guard([&] {
    std::string kind = ShortName(e.kind()), from = ShortName(e.from_state()),
                to = ShortName(e.to_state()), eligibility = ShortName(e.eligibility());
    std::string detail = e.detail().substr(0, 2000);
    long long opp = e.opportunity_id(), sr = e.service_request_id();
    tx.session() << "INSERT INTO compliance_events (opportunity_id, kind, from_state, to_state, "
                    "eligibility, detail, service_request_id, actor, created_us) VALUES (:o, :k, "
                    ":f, :t, :e, :d, :sr, :a, :now)",
        soci::use(opp), soci::use(kind), soci::use(from), soci::use(to), soci::use(eligibility),
        soci::use(detail), soci::use(sr), soci::use(e.actor()), soci::use(now_us);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<cms::v1::ComplianceEvent>> ListComplianceEvents(
    Tx& tx, int64_t opportunity_id, const PageRequest& page) {
  return GuardOr<std::vector<cms::v1::ComplianceEvent>>(
      [&]() -> absl::StatusOr<std::vector<cms::v1::ComplianceEvent>> {
        long long opp = opportunity_id, after = page.after_id, limit = page.limit;
        std::vector<cms::v1::ComplianceEvent> out;
        soci::rowset<soci::row> rows =
            (tx.session().prepare
                 << "SELECT id, kind, from_state, to_state, eligibility, detail, "
                    "service_request_id, actor, created_us FROM compliance_events WHERE "
                    "opportunity_id = :o AND id > :a ORDER BY id LIMIT :l",
             soci::use(opp), soci::use(after), soci::use(limit));
        for (const soci::row& r : rows) {
          cms::v1::ComplianceEvent e;
          e.set_id(I64(r, 0));
          e.set_opportunity_id(opportunity_id);
          e.set_kind(EnumCol<cms::v1::ComplianceEventKind>(r, 1));
          e.set_from_state(EnumCol<cms::v1::ComplianceState>(r, 2));
          e.set_to_state(EnumCol<cms::v1::ComplianceState>(r, 3));
          e.set_eligibility(EnumCol<cms::v1::PpEligibility>(r, 4));
          e.set_detail(Str(r, 5));
          e.set_service_request_id(I64(r, 6));
          e.set_actor(Str(r, 7));
          SetTimestamp(I64(r, 8), e.mutable_event_time());
          out.push_back(std::move(e));
        }
        return out;
      });
}

}  // namespace cms::store
