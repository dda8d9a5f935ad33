// Repository for the BOM: segments, teams, staff and BOM change requests
// (S1.1–S1.6). Every function runs inside the caller's transaction; *ForUpdate
// variants lock the row (SELECT … FOR UPDATE) for read-modify-write.
// Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/bom.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// ---- segments
absl::StatusOr<int64_t> InsertSegment(Tx& tx, const cms::v1::Segment& s, int64_t now_us);
absl::StatusOr<cms::v1::Segment> GetSegment(Tx& tx, int64_t id, bool for_update = false);
// Writes description, code, system_name and status; bumps the version.
absl::Status UpdateSegment(Tx& tx, const cms::v1::Segment& s);
struct SegmentFilter {
  bool include_retired = false;
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;
  cms::v1::ServiceSegment service_segment = cms::v1::SERVICE_SEGMENT_UNSPECIFIED;
};
absl::StatusOr<std::vector<cms::v1::Segment>> ListSegments(Tx& tx, const SegmentFilter& f,
                                                           const PageRequest& page);
// Every ACTIVE segment of a country, oldest first (one query for routing).
absl::StatusOr<std::vector<cms::v1::Segment>> ListLiveSegments(Tx& tx, cms::v1::Country country);
absl::StatusOr<int64_t> CountSegments(Tx& tx);

// ---- teams
absl::StatusOr<int64_t> InsertTeam(Tx& tx, const cms::v1::Team& t, int64_t now_us);
absl::StatusOr<cms::v1::Team> GetTeam(Tx& tx, int64_t id, bool for_update = false);
absl::Status UpdateTeam(Tx& tx, const cms::v1::Team& t);
absl::StatusOr<std::vector<cms::v1::Team>> ListTeams(Tx& tx, int64_t segment_id,
                                                     bool include_retired, const PageRequest& page);

// ---- staff
absl::Status InsertStaff(Tx& tx, const cms::v1::StaffMember& m, int64_t now_us);
absl::StatusOr<cms::v1::StaffMember> GetStaff(Tx& tx, const std::string& staff_id,
                                              bool for_update = false);
absl::Status UpdateStaff(Tx& tx, const cms::v1::StaffMember& m);
// A staff member with their segment's kind and country (UNSPECIFIED when
// they have no segment), in one statement: what a call's actor needs, so
// the scope checks of FOI, MP, Q&A and A&G cost no round trip of their own.
// Both are fixed when a segment is made (UpdateSegment changes neither).
struct StaffWithSegment {
  cms::v1::StaffMember staff;
  cms::v1::Country segment_country = cms::v1::COUNTRY_UNSPECIFIED;
  cms::v1::ServiceSegment service_segment = cms::v1::SERVICE_SEGMENT_UNSPECIFIED;
};
absl::StatusOr<StaffWithSegment> GetStaffWithSegment(Tx& tx, const std::string& staff_id);
struct StaffFilter {
  int64_t team_id = 0;
  int64_t segment_id = 0;
  bool include_inactive = false;
};
// Keyset-paged by staff_id (after_staff_id exclusive).
absl::StatusOr<std::vector<cms::v1::StaffMember>> ListStaff(Tx& tx, const StaffFilter& f,
                                                            const std::string& after_staff_id,
                                                            int limit);

// What still hangs off a segment or team (S1.6).
struct Dependents {
  int64_t casegroups = 0;
  int64_t open_service_requests = 0;
  int64_t active_teams = 0;
  int64_t active_staff = 0;
};
absl::StatusOr<Dependents> SegmentDependents(Tx& tx, int64_t segment_id);
absl::StatusOr<int64_t> ActiveStaffInTeam(Tx& tx, int64_t team_id);

}  // namespace cms::store
