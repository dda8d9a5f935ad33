ALTER TABLE approvals DROP KEY ix_approvals_team;
