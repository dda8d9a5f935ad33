#include "server/store/decision_repo.h"

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"

namespace cms::store {
namespace {

std::string IdOrNull(int64_t id) { return id == 0 ? "NULL" : absl::StrCat(id); }

}  // namespace

absl::Status InsertBusinessDecision(Tx& tx, const BusinessDecisionRow& d) {
  return Guard([&] {
    std::string sql = absl::StrCat(
        "INSERT INTO business_decisions (decision_type, entity_type, entity_id, sr_id, sr_type, "
        "case_id, casegroup_id, segment_id, team_id, actor, decided_us) ");
    const std::string head =
        absl::StrCat(tx.Quote(ShortName(d.type)), ", ", tx.Quote(d.entity_type), ", ", d.entity_id,
                     ", ", IdOrNull(d.sr_id), ", ");
    const std::string tail =
        absl::StrCat(", ", IdOrNull(d.team_id), ", ", tx.Quote(d.actor), ", ", d.decided_us);
    if (d.segment_id != 0 && (d.sr_id == 0 || !d.sr_type.empty())) {
      // Everything known: no read.
      absl::StrAppend(&sql, "VALUES (", head, d.sr_type.empty() ? "NULL" : tx.Quote(d.sr_type),
                      ", ", IdOrNull(d.case_id), ", ", d.casegroup_id, ", ", d.segment_id, tail,
                      ")");
    } else {
      const std::string sr_type =
          !d.sr_type.empty() ? tx.Quote(d.sr_type)
          : d.sr_id != 0
              ? absl::StrCat("(SELECT type_code FROM service_requests WHERE id = ", d.sr_id, ")")
              : std::string("NULL");
      const std::string segment =
          d.segment_id != 0 ? absl::StrCat(d.segment_id) : std::string("g.segment_id");
      absl::StrAppend(&sql, "SELECT ", head, sr_type, ", ", IdOrNull(d.case_id), ", g.id, ",
                      segment, tail, " FROM casegroups g WHERE g.id = ", d.casegroup_id);
    }
    tx.AtCommit(std::move(sql));
    return absl::OkStatus();
  });
}

}  // namespace cms::store
