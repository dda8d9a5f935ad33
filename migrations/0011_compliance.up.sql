-- The Segment 5 compliance opportunity (S5.1-S5.18; issue 14): one row per
-- case with a legacy CSA link that was ever assessed. The typed resource
-- (cms.v1.ComplianceOpportunity) is kept whole in body_b64 (base64 of its
-- serialized proto, as operations keep their requests); the columns beside
-- it are the ones queries filter, order or join on.
CREATE TABLE compliance_opportunities (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  casegroup_id BIGINT NOT NULL,
  -- cms.v1.ComplianceState short name: ASSESSING, OFFERED, ACCEPTED, ...
  state VARCHAR(20) NOT NULL,
  eligibility VARCHAR(30) NOT NULL,
  -- The trial's (current) end date, once accepted and started.
  end_date DATE NULL,
  version BIGINT NOT NULL,
  body_b64 MEDIUMTEXT NOT NULL,
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  UNIQUE KEY uk_compliance_case (case_id),
  KEY ix_compliance_state (state, id),
  KEY ix_compliance_end (end_date, id),
  KEY ix_compliance_casegroup (casegroup_id),
  CONSTRAINT fk_compliance_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_compliance_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id)
) ENGINE=InnoDB;

-- The opportunity's own history (cms.v1.ComplianceEvent), append-only.
CREATE TABLE compliance_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  opportunity_id BIGINT NOT NULL,
  kind VARCHAR(40) NOT NULL,
  from_state VARCHAR(20) NOT NULL,
  to_state VARCHAR(20) NOT NULL,
  eligibility VARCHAR(30) NOT NULL,
  detail VARCHAR(2000) NOT NULL,
  service_request_id BIGINT NOT NULL,
  actor VARCHAR(64) NOT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_compliance_events (opportunity_id, id),
  CONSTRAINT fk_compliance_events_opp FOREIGN KEY (opportunity_id)
    REFERENCES compliance_opportunities (id)
) ENGINE=InnoDB;

-- L12.1, S5.4: an issued letter that came back undelivered (DLO).
ALTER TABLE interactions ADD COLUMN returned_us BIGINT NULL;
