-- Foundation schema: business clock, idempotency, audit, BOM, parties,
-- cases, casegroups and their movement history.
-- Instants are BIGINT microseconds since the Unix epoch (UTC, exact); civil
-- dates are DATE; enums are their short API names ("GB", "MAINTENANCE").

CREATE TABLE business_clock (
  id TINYINT NOT NULL PRIMARY KEY,
  -- business now = real now + offset_us; only changed in --test_clock mode.
  offset_us BIGINT NOT NULL
) ENGINE=InnoDB;
INSERT INTO business_clock (id, offset_us) VALUES (1, 0);

-- X13.4: one row per command request id; replays return `response`.
CREATE TABLE idempotency_keys (
  request_id VARCHAR(128) NOT NULL PRIMARY KEY,
  method VARCHAR(100) NOT NULL,
  request_proto MEDIUMBLOB NOT NULL,
  response MEDIUMBLOB NOT NULL,
  created_us BIGINT NOT NULL
) ENGINE=InnoDB;

-- X13.2: append-only.
CREATE TABLE audit_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_us BIGINT NOT NULL,
  actor VARCHAR(40) NOT NULL,
  client VARCHAR(64) NOT NULL,
  rpc VARCHAR(100) NOT NULL,
  entity_type VARCHAR(40) NOT NULL,
  entity_id VARCHAR(64) NOT NULL,
  before_json MEDIUMTEXT NOT NULL,
  after_json MEDIUMTEXT NOT NULL,
  KEY ix_audit_entity (entity_type, entity_id, id),
  KEY ix_audit_actor (actor, id),
  KEY ix_audit_type_time (entity_type, event_us, id)
) ENGINE=InnoDB;

CREATE TABLE segments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  country VARCHAR(4) NOT NULL,
  service_segment VARCHAR(40) NOT NULL,
  description VARCHAR(100) NOT NULL,
  code VARCHAR(20) NOT NULL,
  system_name VARCHAR(100) NOT NULL,
  status VARCHAR(10) NOT NULL,
  version BIGINT NOT NULL,
  created_us BIGINT NOT NULL,
  UNIQUE KEY uk_segments_system_name (system_name),
  KEY ix_segments_route (country, service_segment, status, id)
) ENGINE=InnoDB;

CREATE TABLE teams (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  segment_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  status VARCHAR(10) NOT NULL,
  version BIGINT NOT NULL,
  created_us BIGINT NOT NULL,
  UNIQUE KEY uk_teams_segment_name (segment_id, name),
  CONSTRAINT fk_teams_segment FOREIGN KEY (segment_id) REFERENCES segments (id)
) ENGINE=InnoDB;

CREATE TABLE staff (
  staff_id VARCHAR(40) NOT NULL PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  role VARCHAR(24) NOT NULL,
  team_id BIGINT NULL,
  segment_id BIGINT NULL,
  active TINYINT NOT NULL,
  version BIGINT NOT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_staff_team (team_id),
  KEY ix_staff_segment (segment_id),
  CONSTRAINT fk_staff_team FOREIGN KEY (team_id) REFERENCES teams (id),
  CONSTRAINT fk_staff_segment FOREIGN KEY (segment_id) REFERENCES segments (id)
) ENGINE=InnoDB;

-- S1.5: `change_proto` is a serialized cms.v1.BomChange.
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

-- C2.1
CREATE TABLE persons (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  given_name VARCHAR(100) NOT NULL,
  family_name VARCHAR(100) NOT NULL,
  date_of_birth DATE NULL,
  nino CHAR(9) NULL,
  res_lines VARCHAR(600) NOT NULL,
  res_postcode VARCHAR(8) NOT NULL,
  res_non_uk TINYINT NOT NULL,
  res_country CHAR(2) NOT NULL,
  corr_lines VARCHAR(600) NOT NULL,
  corr_postcode VARCHAR(8) NOT NULL,
  corr_non_uk TINYINT NOT NULL,
  corr_country CHAR(2) NOT NULL,
  address_status VARCHAR(8) NOT NULL,
  phone VARCHAR(40) NOT NULL,
  email VARCHAR(254) NOT NULL,
  nationally_sensitive TINYINT NOT NULL,
  in_prison TINYINT NOT NULL,
  on_benefit TINYINT NOT NULL,
  employment_status VARCHAR(16) NOT NULL,
  weekly_gross_income_pence BIGINT NOT NULL,
  nil_assessed TINYINT NOT NULL,
  version BIGINT NOT NULL,
  created_us BIGINT NOT NULL,
  -- When an application last matched this person by NINO (C2.1).
  last_matched_us BIGINT NULL,
  UNIQUE KEY uk_persons_nino (nino)
) ENGINE=InnoDB;

CREATE TABLE person_employers (
  person_id BIGINT NOT NULL,
  seq INT NOT NULL,
  name VARCHAR(200) NOT NULL,
  employer_reference VARCHAR(64) NOT NULL,
  PRIMARY KEY (person_id, seq),
  CONSTRAINT fk_employers_person FOREIGN KEY (person_id) REFERENCES persons (id)
) ENGINE=InnoDB;

-- C2.3: the unique key on pp_person_id is what keeps "one casegroup per PP"
-- true under concurrent applications.
CREATE TABLE casegroups (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  pp_person_id BIGINT NOT NULL,
  segment_id BIGINT NOT NULL,
  allocated_to VARCHAR(40) NULL,
  country VARCHAR(4) NOT NULL,
  routing_rule VARCHAR(16) NOT NULL,
  version BIGINT NOT NULL,
  created_us BIGINT NOT NULL,
  UNIQUE KEY uk_casegroups_pp (pp_person_id),
  KEY ix_casegroups_segment (segment_id, allocated_to, id),
  CONSTRAINT fk_casegroups_pp FOREIGN KEY (pp_person_id) REFERENCES persons (id),
  CONSTRAINT fk_casegroups_segment FOREIGN KEY (segment_id) REFERENCES segments (id),
  CONSTRAINT fk_casegroups_staff FOREIGN KEY (allocated_to) REFERENCES staff (staff_id)
) ENGINE=InnoDB;

-- C2.2
CREATE TABLE cases (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  casegroup_id BIGINT NOT NULL,
  pp_person_id BIGINT NOT NULL,
  rp_person_id BIGINT NOT NULL,
  scheme VARCHAR(8) NOT NULL,
  lifecycle_stage VARCHAR(16) NOT NULL,
  service_type VARCHAR(16) NOT NULL,
  pp_requested_service_type VARCHAR(16) NOT NULL,
  rp_requested_service_type VARCHAR(16) NOT NULL,
  annual_review_date DATE NOT NULL,
  application_date DATE NOT NULL,
  version BIGINT NOT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_cases_casegroup (casegroup_id, id),
  KEY ix_cases_pp (pp_person_id),
  KEY ix_cases_rp (rp_person_id),
  CONSTRAINT fk_cases_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id),
  CONSTRAINT fk_cases_pp FOREIGN KEY (pp_person_id) REFERENCES persons (id),
  CONSTRAINT fk_cases_rp FOREIGN KEY (rp_person_id) REFERENCES persons (id)
) ENGINE=InnoDB;

CREATE TABLE case_children (
  case_id BIGINT NOT NULL,
  seq INT NOT NULL,
  given_name VARCHAR(100) NOT NULL,
  family_name VARCHAR(100) NOT NULL,
  date_of_birth DATE NULL,
  PRIMARY KEY (case_id, seq),
  CONSTRAINT fk_children_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB;

-- C2.2 legacy CSA link; absent when the case has none.
CREATE TABLE case_legacy_links (
  case_id BIGINT NOT NULL PRIMARY KEY,
  legacy_system VARCHAR(8) NOT NULL,
  legacy_case_reference VARCHAR(64) NOT NULL,
  method_of_collection VARCHAR(16) NOT NULL,
  deo_kind VARCHAR(16) NOT NULL,
  active_enforcement_actions VARCHAR(200) NOT NULL,
  t_date DATE NULL,
  order_for_sale TINYINT NOT NULL,
  committal TINYINT NOT NULL,
  sisted TINYINT NOT NULL,
  driving_disqualification TINYINT NOT NULL,
  CONSTRAINT fk_legacy_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB;

-- R3.5
CREATE TABLE casegroup_moves (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  casegroup_id BIGINT NOT NULL,
  from_segment_id BIGINT NULL,
  to_segment_id BIGINT NOT NULL,
  rule_id VARCHAR(16) NOT NULL,
  trigger_desc VARCHAR(200) NOT NULL,
  actor VARCHAR(40) NOT NULL,
  move_us BIGINT NOT NULL,
  KEY ix_moves_casegroup (casegroup_id, id),
  CONSTRAINT fk_moves_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id)
) ENGINE=InnoDB;
