-- Arrears: consider action (AR10.1-AR10.14; issue 15): one arrears action
-- per case that ever had an Arrears Review SR or an arrears contact. The
-- typed resource (cms.v1.ArrearsAction) is kept whole in body_b64 (base64 of
-- its serialized proto, as the compliance opportunity is); the columns
-- beside it are the ones queries filter, order or join on.
CREATE TABLE arrears_actions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  casegroup_id BIGINT NOT NULL,
  -- cms.v1.ArrearsState and cms.v1.ArrearsRung short names.
  state VARCHAR(20) NOT NULL,
  rung VARCHAR(20) NOT NULL,
  -- AR10.13: while 1, the daily missed-payment job raises no event for
  -- the case (it still marks the items, which are the money's truth).
  monitor_disabled TINYINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  body_b64 MEDIUMTEXT NOT NULL,
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  UNIQUE KEY uk_arrears_case (case_id),
  KEY ix_arrears_state (state, id),
  KEY ix_arrears_casegroup (casegroup_id),
  CONSTRAINT fk_arrears_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_arrears_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id)
) ENGINE=InnoDB;

-- The action's own history (cms.v1.ArrearsEvent), append-only.
CREATE TABLE arrears_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  arrears_action_id BIGINT NOT NULL,
  kind VARCHAR(40) NOT NULL,
  state VARCHAR(20) NOT NULL,
  rung VARCHAR(20) NOT NULL,
  detail VARCHAR(2000) NOT NULL,
  service_request_id BIGINT NOT NULL,
  actor VARCHAR(64) NOT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_arrears_events (arrears_action_id, id),
  CONSTRAINT fk_arrears_events_action FOREIGN KEY (arrears_action_id)
    REFERENCES arrears_actions (id)
) ENGINE=InnoDB;
