#include "server/domain/sr_owner.h"

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"

namespace cms::domain {

bool NeedsSpecialistFacts(cms::v1::SrKind kind) {
  return kind == cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE;
}

absl::StatusOr<SrOwner> ChooseSrOwner(const SrOwnerFacts& f) {
  switch (f.kind) {
    case cms::v1::SR_KIND_CASE_OWNING:
      // The caseworker allocated the casegroup is responsible for all its
      // case-owning SRs, so a new one is theirs at once (W4.2).
      return SrOwner{f.casegroup_segment_id, f.casegroup_allocated_to, "W4.2"};
    case cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE:
      // By the person it is raised against, not the casegroup: a Welsh RP
      // on an NI casegroup is the GB specialist's (SR5.7). The live
      // segments come in id order, so the first match is the oldest.
      for (const cms::v1::Segment& s : f.live_segments) {
        if (s.country() == f.subject_country && s.service_segment() == f.specialist &&
            s.status() == cms::v1::LIFECYCLE_STATUS_ACTIVE) {
          return SrOwner{s.id(), "", "SR5.7"};
        }
      }
      return RuleViolation(
          "SR5.7", absl::StrCat("no live ", ShortName(f.subject_country), " ",
                                ShortName(f.specialist), " segment to work ", f.type_name, " SRs"));
    default:
      return InvalidField("kind", "CASE_OWNING or FUNCTIONALLY_UNIQUE");
  }
}

}  // namespace cms::domain
