// Use cases of the business operating model (S1.1–S1.6): segments, teams,
// staff, applying approved change requests and "the BOM as of T". Role checks happen at the
// RPC boundary (auth/); these functions enforce the business rules.
// Thread-safe.
#pragma once

#include "cms/v1/bom.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/store/timer_repo.h"

namespace cms::app {

// W4.6: the timer kind that moves one batch of a long-running retire or
// split (subject the operation id, payload the batch number) and re-arms
// itself until the work has moved; registered in api/server.cc.
inline constexpr char kBulkMoveTimer[] = "BULK_MOVE";

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

  // W4.6, S1.6 as long-running operations (issue 13): validate now, refusing
  // exactly as RetireSegment / SplitSegment would before anything moves, then
  // create the operation and its first BULK_MOVE timer in one transaction
  // and return it RUNNING. Idempotent on request_id: a retry returns the
  // same operation as it is now.
  absl::Status StartRetireSegment(const Actor& actor, const cms::v1::StartRetireSegmentRequest& req,
                                  cms::v1::Operation* out);
  absl::Status StartSplitSegment(const Actor& actor, const cms::v1::StartSplitSegmentRequest& req,
                                 cms::v1::Operation* out);
  absl::Status GetOperation(const cms::v1::GetOperationRequest& req, cms::v1::Operation* out);
  absl::Status ListOperations(const cms::v1::ListOperationsRequest& req,
                              cms::v1::ListOperationsResponse* out);
  absl::Status CancelOperation(const Actor& actor, const cms::v1::CancelOperationRequest& req,
                               cms::v1::Operation* out);
  // The BULK_MOVE timer's action, inside the sweep transaction: locks the
  // operation, and if it is still RUNNING moves one batch (audited, X13.2),
  // adds it to the progress and arms the next firing; once nothing is left
  // it retires the segment (or records the split's result) and SUCCEEDS, or
  // FAILS with the rule that refused. A stale firing does nothing.
  absl::Status RunBulkMoveBatch(Command& c, const store::DueTimer& timer);
  // The BULK_MOVE timer's give-up action (jobs/timer_registry.h): the
  // sweeper gave up on a firing after `attempts` failures, so no batch will
  // run again; a still RUNNING operation FAILS with the last error (W4.6,
  // domain/operations.h), audited. What moved stays moved.
  absl::Status FailBulkMove(Command& c, const store::DueTimer& timer,
                            const absl::Status& last_error, int attempts);

  absl::Status ListTeams(const cms::v1::ListTeamsRequest& req, cms::v1::ListTeamsResponse* out);
  absl::Status CreateTeam(const Actor& actor, const cms::v1::CreateTeamRequest& req,
                          cms::v1::Team* out);
  absl::Status RetireTeam(const Actor& actor, const cms::v1::RetireTeamRequest& req,
                          cms::v1::Team* out);

  absl::Status ListStaff(const cms::v1::ListStaffRequest& req, cms::v1::ListStaffResponse* out);
  absl::Status GetStaffMember(const cms::v1::GetStaffMemberRequest& req, cms::v1::StaffMember* out);
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
  absl::Status DoCreateTeam(Command& c, const cms::v1::CreateTeamRequest& req, cms::v1::Team* out);
  absl::Status DoRetireTeam(Command& c, const cms::v1::RetireTeamRequest& req, cms::v1::Team* out);
  absl::Status DoAddStaffMember(Command& c, const cms::v1::AddStaffMemberRequest& req,
                                cms::v1::StaffMember* out);
  absl::Status DoMoveStaffMember(Command& c, const cms::v1::MoveStaffMemberRequest& req,
                                 cms::v1::StaffMember* out);
  absl::Status DoDeactivateStaffMember(Command& c, const cms::v1::DeactivateStaffMemberRequest& req,
                                       cms::v1::StaffMember* out);

  // The validation both RetireSegment forms share; `from` is the segment.
  absl::Status CheckRetireRequest(store::Tx& tx, const cms::v1::RetireSegmentRequest& req,
                                  bool check_etag);
  // Creates a RUNNING operation for `op`'s request and arms its first batch.
  absl::Status StartOperation(Command& c, cms::v1::Operation op, int64_t from, int64_t to,
                              const std::string& regex, cms::v1::Operation* out);

  Commands& commands_;
  const int bulk_move_batch_;
};

}  // namespace cms::app
