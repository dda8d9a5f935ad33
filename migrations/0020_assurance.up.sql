-- Q&A assurance (AG11.2; issue 16).
--
-- business_decisions: one row per business decision where it is made
-- (app/decisions.h: approvals decided, SRs closed with their resolution,
-- Segment 5 compliance and arrears decisions of a member of staff,
-- calculations), append-only. Ids and classifications only: no names,
-- addresses, notes or audit JSON, so Q&A sampling reads no personal data.
-- segment_id is the segment that owned the work when the decision was
-- made; team_id the team of the member of staff who made it.
CREATE TABLE business_decisions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  -- cms.v1.BusinessDecisionType short name.
  decision_type VARCHAR(24) NOT NULL,
  -- What was decided, e.g. 'approval' and its id.
  entity_type VARCHAR(40) NOT NULL,
  entity_id BIGINT NOT NULL,
  sr_id BIGINT NULL,
  sr_type VARCHAR(64) NULL,
  case_id BIGINT NULL,
  casegroup_id BIGINT NOT NULL,
  segment_id BIGINT NOT NULL,
  team_id BIGINT NULL,
  actor VARCHAR(40) NOT NULL,
  decided_us BIGINT NOT NULL,
  -- The period scan, and the targeted ones.
  KEY ix_decisions_period (decided_us, id),
  KEY ix_decisions_case (case_id, decided_us),
  KEY ix_decisions_casegroup (casegroup_id, decided_us),
  KEY ix_decisions_segment (segment_id, decided_us),
  KEY ix_decisions_team (team_id, decided_us),
  KEY ix_decisions_entity (entity_type, entity_id)
) ENGINE=InnoDB;

-- The period scans of the other two kinds: SRs created, activities
-- completed in [start, end).
ALTER TABLE service_requests ADD KEY ix_sr_created (created_us, id);
ALTER TABLE sr_activities ADD KEY ix_activity_completed (complete_us, id);

-- A drawn sample: its inputs (cms.v1.AssuranceSample without its items,
-- base64 of the serialized proto) beside the columns lists filter on.
CREATE TABLE assurance_samples (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  country VARCHAR(4) NOT NULL,
  segment_id BIGINT NOT NULL,
  drawn_by VARCHAR(40) NOT NULL,
  item_count INT NOT NULL,
  body_b64 MEDIUMTEXT NOT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_samples_country (country, id),
  CONSTRAINT fk_samples_segment FOREIGN KEY (segment_id) REFERENCES segments (id)
) ENGINE=InnoDB;

-- Its items: snapshots of ids and classifications, never changed.
CREATE TABLE assurance_sample_items (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sample_id BIGINT NOT NULL,
  -- cms.v1.AssuranceItemKind short name.
  kind VARCHAR(16) NOT NULL,
  item_id BIGINT NOT NULL,
  caseworker VARCHAR(40) NOT NULL,
  segment_id BIGINT NOT NULL,
  team_id BIGINT NULL,
  case_id BIGINT NULL,
  casegroup_id BIGINT NOT NULL,
  sr_id BIGINT NULL,
  sr_type VARCHAR(64) NULL,
  decision_type VARCHAR(24) NULL,
  decision_entity_type VARCHAR(40) NULL,
  decision_entity_id BIGINT NULL,
  occurred_us BIGINT NOT NULL,
  -- H(seed, kind, id): 60 bits.
  hash BIGINT NOT NULL,
  UNIQUE KEY uk_sample_item (sample_id, kind, item_id),
  KEY ix_sample_items_caseworker (caseworker, id),
  CONSTRAINT fk_sample_items_sample FOREIGN KEY (sample_id) REFERENCES assurance_samples (id)
) ENGINE=InnoDB;

-- Checks, immutable: a correction is a new row naming the check it
-- supersedes (at most one each, so an item's checks are one chain; its
-- current check is the one nothing corrects). The check itself
-- (cms.v1.AssuranceCheck: results and comment) is kept whole in body_b64.
CREATE TABLE assurance_checks (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sample_item_id BIGINT NOT NULL,
  sample_id BIGINT NOT NULL,
  country VARCHAR(4) NOT NULL,
  caseworker VARCHAR(40) NOT NULL,
  team_id BIGINT NULL,
  -- cms.v1.AssuranceResult short name.
  outcome VARCHAR(16) NOT NULL,
  corrects_check_id BIGINT NULL,
  checked_by VARCHAR(40) NOT NULL,
  body_b64 MEDIUMTEXT NOT NULL,
  checked_us BIGINT NOT NULL,
  UNIQUE KEY uk_checks_corrects (corrects_check_id),
  KEY ix_checks_item (sample_item_id, id),
  KEY ix_checks_sample (sample_id, id),
  KEY ix_checks_caseworker (caseworker, checked_us),
  CONSTRAINT fk_checks_item FOREIGN KEY (sample_item_id) REFERENCES assurance_sample_items (id),
  CONSTRAINT fk_checks_corrects FOREIGN KEY (corrects_check_id) REFERENCES assurance_checks (id)
) ENGINE=InnoDB;

-- Feedback to the caseworker, immutable (corrections as for checks).
CREATE TABLE assurance_feedback (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  check_id BIGINT NOT NULL,
  sample_item_id BIGINT NOT NULL,
  country VARCHAR(4) NOT NULL,
  caseworker VARCHAR(40) NOT NULL,
  casegroup_id BIGINT NOT NULL,
  text VARCHAR(4000) NOT NULL,
  corrects_feedback_id BIGINT NULL,
  given_by VARCHAR(40) NOT NULL,
  given_us BIGINT NOT NULL,
  UNIQUE KEY uk_feedback_corrects (corrects_feedback_id),
  KEY ix_feedback_check (check_id, id),
  KEY ix_feedback_caseworker (caseworker, id),
  CONSTRAINT fk_feedback_check FOREIGN KEY (check_id) REFERENCES assurance_checks (id),
  CONSTRAINT fk_feedback_corrects FOREIGN KEY (corrects_feedback_id)
    REFERENCES assurance_feedback (id)
) ENGINE=InnoDB;

-- Corrective actions: set on a check, assigned, due, done once.
CREATE TABLE corrective_actions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  check_id BIGINT NOT NULL,
  sample_item_id BIGINT NOT NULL,
  country VARCHAR(4) NOT NULL,
  caseworker VARCHAR(40) NOT NULL,
  team_id BIGINT NULL,
  casegroup_id BIGINT NOT NULL,
  description VARCHAR(2000) NOT NULL,
  assigned_to VARCHAR(40) NOT NULL,
  due_date DATE NOT NULL,
  -- cms.v1.CorrectiveActionState short name.
  state VARCHAR(8) NOT NULL,
  set_by VARCHAR(40) NOT NULL,
  completed_by VARCHAR(40) NULL,
  completion_note VARCHAR(2000) NULL,
  completed_us BIGINT NULL,
  version BIGINT NOT NULL,
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  KEY ix_actions_assignee (assigned_to, state, id),
  KEY ix_actions_caseworker (caseworker, state, id),
  KEY ix_actions_check (check_id, id),
  KEY ix_actions_due (state, due_date, id),
  CONSTRAINT fk_actions_check FOREIGN KEY (check_id) REFERENCES assurance_checks (id)
) ENGINE=InnoDB;
