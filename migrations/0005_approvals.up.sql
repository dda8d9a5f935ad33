-- A6.1–A6.2: one row per submission of an SR's step for team-leader
-- approval; the decision is recorded on it, so an SR's rows are the history
-- of its submissions and decisions.
CREATE TABLE approvals (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sr_id BIGINT NOT NULL,
  step VARCHAR(200) NOT NULL,
  state VARCHAR(12) NOT NULL,
  team_id BIGINT NOT NULL,
  submitted_by VARCHAR(40) NOT NULL,
  submit_comment VARCHAR(2000) NOT NULL,
  submit_us BIGINT NOT NULL,
  decided_by VARCHAR(40) NULL,
  decision_comment VARCHAR(2000) NOT NULL DEFAULT '',
  decide_us BIGINT NULL,
  -- A6.1 inbox: a team's pending approvals, oldest first
  KEY ix_approvals_inbox (team_id, state, id),
  KEY ix_approvals_sr (sr_id, id),
  CONSTRAINT fk_approvals_sr FOREIGN KEY (sr_id) REFERENCES service_requests (id),
  CONSTRAINT fk_approvals_team FOREIGN KEY (team_id) REFERENCES teams (id)
) ENGINE=InnoDB;
