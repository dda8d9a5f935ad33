-- S1.5 / A6.3: a BOM change request is an approval like any other. An
-- approval's subject is an SR's step (sr_id, decided by a TL of team_id) or
-- a BOM change (subject_proto: a serialized cms.v1.BomChange, decided by
-- SERVICE_MANAGEMENT). The old bom_change_requests rows move across, ids
-- renumbered, their history kept.
ALTER TABLE approvals
  ADD COLUMN kind VARCHAR(12) NOT NULL DEFAULT 'SR_STEP' AFTER id,
  ADD COLUMN subject_proto BLOB NULL AFTER step,
  MODIFY sr_id BIGINT NULL,
  MODIFY team_id BIGINT NULL,
  ADD KEY ix_approvals_kind_inbox (kind, state, id);

INSERT INTO approvals (kind, sr_id, step, subject_proto, state, team_id, submitted_by,
                       submit_comment, submit_us, decided_by, decision_comment, decide_us)
SELECT 'BOM_CHANGE', NULL, 'BOM change', change_proto, status, NULL, requested_by,
       reason, request_us, decided_by, COALESCE(decision_comment, ''), decision_us
FROM bom_change_requests ORDER BY id;

DROP TABLE bom_change_requests;
