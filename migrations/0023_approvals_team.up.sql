-- A6.2: a team's approval history, newest first (ListApprovals team_id),
-- whatever their state; ix_approvals_inbox serves one state at a time.
ALTER TABLE approvals ADD KEY ix_approvals_team (team_id, id);
