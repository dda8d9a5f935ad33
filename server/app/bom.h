// Use cases of the business operating model (S1.1–S1.6): segments, teams,
// staff, applying approved change requests and "the BOM as of T". Role checks happen at the
// RPC boundary (auth/); these functions enforce the business rules.
// Thread-safe.
#pragma once

#include "cms/v1/bom.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"

namespace cms::app {

class BomApp {
 public:
  // `bulk_move_batch`: casegroups moved per transaction when a retiring
  // segment's work moves to its target (W4.6).
  explicit BomApp(Commands& commands, int bulk_move_batch = 500)
      : commands_(commands), bulk_move_batch_(bulk_move_batch) {}

  absl::Status ListSegments(const cms::v1::ListSegmentsRequest& req,
                            cms::v1::ListSegmentsResponse* out);
  absl::Status GetSegment(const cms::v1::GetSegmentRequest& req, cms::v1::Segment* out);
  absl::Status CreateSegment(const Actor& actor, const cms::v1::CreateSegmentRequest& req,
                             cms::v1::Segment* out);
  absl::Status RenameSegment(const Actor& actor, const cms::v1::RenameSegmentRequest& req,
                             cms::v1::Segment* out);
  absl::Status RetireSegment(const Actor& actor, const cms::v1::RetireSegmentRequest& req,
                             cms::v1::Segment* out);

  absl::Status SplitSegment(const Actor& actor, const cms::v1::SplitSegmentRequest& req,
                            cms::v1::SplitSegmentResponse* out);

  absl::Status ListTeams(const cms::v1::ListTeamsRequest& req, cms::v1::ListTeamsResponse* out);
  absl::Status CreateTeam(const Actor& actor, const cms::v1::CreateTeamRequest& req,
                          cms::v1::Team* out);
  absl::Status RetireTeam(const Actor& actor, const cms::v1::RetireTeamRequest& req,
                          cms::v1::Team* out);

  absl::Status ListStaff(const cms::v1::ListStaffRequest& req, cms::v1::ListStaffResponse* out);
  absl::Status GetStaffMember(const cms::v1::GetStaffMemberRequest& req,
                              cms::v1::StaffMember* out);
  absl::Status AddStaffMember(const Actor& actor, const cms::v1::AddStaffMemberRequest& req,
                              cms::v1::StaffMember* out);
  absl::Status MoveStaffMember(const Actor& actor, const cms::v1::MoveStaffMemberRequest& req,
                               cms::v1::StaffMember* out);
  absl::Status DeactivateStaffMember(const Actor& actor,
                                     const cms::v1::DeactivateStaffMemberRequest& req,
                                     cms::v1::StaffMember* out);

  absl::Status GetBomAsOf(const cms::v1::GetBomAsOfRequest& req, cms::v1::Bom* out);

  // S1.5: applies an approved BOM change inside the approver's running
  // command, exactly as the matching direct RPC would (ApprovalApp calls it).
  absl::Status ApplyChange(Command& c, const cms::v1::BomChange& change);

 private:
  // The changes themselves, inside a running command; shared by the direct
  // RPCs and by an approved change request.
  absl::Status DoCreateSegment(Command& c, const cms::v1::CreateSegmentRequest& req,
                               cms::v1::Segment* out);
  absl::Status DoRenameSegment(Command& c, const cms::v1::RenameSegmentRequest& req,
                               cms::v1::Segment* out);
  absl::Status DoRetireSegment(Command& c, const cms::v1::RetireSegmentRequest& req,
                               cms::v1::Segment* out);
  absl::Status DoCreateTeam(Command& c, const cms::v1::CreateTeamRequest& req,
                            cms::v1::Team* out);
  absl::Status DoRetireTeam(Command& c, const cms::v1::RetireTeamRequest& req,
                            cms::v1::Team* out);
  absl::Status DoAddStaffMember(Command& c, const cms::v1::AddStaffMemberRequest& req,
                                cms::v1::StaffMember* out);
  absl::Status DoMoveStaffMember(Command& c, const cms::v1::MoveStaffMemberRequest& req,
                                 cms::v1::StaffMember* out);
  absl::Status DoDeactivateStaffMember(Command& c,
                                       const cms::v1::DeactivateStaffMemberRequest& req,
                                       cms::v1::StaffMember* out);

  Commands& commands_;
  const int bulk_move_batch_;
};

}  // namespace cms::app
