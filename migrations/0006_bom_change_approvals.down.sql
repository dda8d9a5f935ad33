CREATE TABLE bom_change_requests (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  change_proto BLOB NOT NULL,
  reason VARCHAR(1000) NOT NULL,
  requested_by VARCHAR(40) NOT NULL,
  request_us BIGINT NOT NULL,
  status VARCHAR(10) NOT NULL,
  decided_by VARCHAR(40) NULL,
  decision_comment VARCHAR(1000) NULL,
  decision_us BIGINT NULL,
  version BIGINT NOT NULL,
  KEY ix_bcr_status (status, id)
) ENGINE=InnoDB;

INSERT INTO bom_change_requests (change_proto, reason, requested_by, request_us, status,
                                 decided_by, decision_comment, decision_us, version)
SELECT subject_proto, LEFT(submit_comment, 1000), submitted_by, submit_us, state, decided_by,
       NULLIF(LEFT(decision_comment, 1000), ''), decide_us,
       IF(state = 'PENDING', 1, 2)
FROM approvals WHERE kind = 'BOM_CHANGE' ORDER BY id;

DELETE FROM approvals WHERE kind = 'BOM_CHANGE';

ALTER TABLE approvals
  DROP KEY ix_approvals_kind_inbox,
  MODIFY sr_id BIGINT NOT NULL,
  MODIFY team_id BIGINT NOT NULL,
  DROP COLUMN subject_proto,
  DROP COLUMN kind;
