// Who owns a service request (W4.2, SR5.7): the segment whose queue it waits
// in and whose staff work it (domain/access.h WorksSr), and the caseworker
// it starts with. Decided when an SR is raised, and again when orphaned work
// is recovered from a retired segment (W4.5). The app layer gathers the
// facts (the casegroup, the subject's region, the country's live segments);
// this decides. Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - A functionally unique SR starts unallocated, in the specialist
//   segment's queue: its caseworker is one of theirs, not the casegroup's.
// - Several live specialist segments of the type in one country (a split):
//   the oldest (lowest id) takes it, as routing picks the oldest (R3.2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/common.pb.h"
#include "cms/v1/service_request.pb.h"

namespace cms::domain {

struct SrOwnerFacts {
  cms::v1::SrKind kind = cms::v1::SR_KIND_UNSPECIFIED;
  // The casegroup the SR is raised on: its owning segment and caseworker.
  int64_t casegroup_segment_id = 0;
  std::string casegroup_allocated_to;
  // Functionally unique SRs only (NeedsSpecialistFacts): the type's
  // specialist service segment and name, the country of the person the SR
  // is raised against (C2.4, from their postcode), and the live segments
  // (the app gathers that country's; others are passed over).
  cms::v1::ServiceSegment specialist = cms::v1::SERVICE_SEGMENT_UNSPECIFIED;
  std::string type_name;
  cms::v1::Country subject_country = cms::v1::COUNTRY_UNSPECIFIED;
  std::vector<cms::v1::Segment> live_segments;
};

struct SrOwner {
  int64_t segment_id = 0;
  std::string allocated_to;  // empty: it waits in the segment's queue
  std::string rule_id;       // "W4.2" or "SR5.7": the rule that decided
};

// Whether the answer depends on the specialist facts, so the app looks up
// the subject and the live segments only then.
bool NeedsSpecialistFacts(cms::v1::SrKind kind);

// W4.2: a case-owning SR follows its casegroup: the casegroup's segment and
// caseworker. SR5.7: a functionally unique SR goes to the live segment of
// its type's specialist service segment in the subject's country, not the
// casegroup's; FAILED_PRECONDITION (SR5.7) naming what is missing when the
// country has none. An unknown kind is INVALID_ARGUMENT naming `kind`.
absl::StatusOr<SrOwner> ChooseSrOwner(const SrOwnerFacts& facts);

}  // namespace cms::domain
