-- Service requests (SR5.*) and work allocation (W4.*): the SR, its
-- type-specific fields, related SRs, its activity plan, and append-only
-- notes on SRs, cases and persons.
--
-- Queues and views read only open SRs in (priority, oldest) order, so two
-- generated columns make that an index range: is_open, and queue_rank
-- (0 for priority SRs, 1 otherwise).

CREATE TABLE service_requests (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  type_code VARCHAR(64) NOT NULL,
  kind VARCHAR(24) NOT NULL,
  casegroup_id BIGINT NOT NULL,
  case_id BIGINT NULL,
  subject_person_id BIGINT NULL,
  status VARCHAR(20) NOT NULL,
  sub_status VARCHAR(100) NOT NULL,
  resolution_code VARCHAR(100) NOT NULL,
  source VARCHAR(20) NOT NULL,
  created_by_rule VARCHAR(32) NOT NULL,
  priority TINYINT NOT NULL,
  owning_segment_id BIGINT NOT NULL,
  allocated_to VARCHAR(40) NULL,
  parent_id BIGINT NULL,
  description VARCHAR(2000) NOT NULL,
  wake_date DATE NULL,
  plan_generated TINYINT NOT NULL,
  -- R3.4: a routing change made through this SR re-routes its casegroup
  -- when the SR closes.
  reroute_on_close TINYINT NOT NULL DEFAULT 0,
  is_open TINYINT AS (status NOT IN ('CLOSED', 'CANCELLED')) PERSISTENT,
  queue_rank TINYINT AS (1 - priority) PERSISTENT,
  created_by VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  version BIGINT NOT NULL,
  KEY ix_sr_casegroup (casegroup_id, id),
  KEY ix_sr_case_type (case_id, type_code, status),
  KEY ix_sr_parent (parent_id, status),
  -- W4.3 segment queue (allocated_to IS NULL) and segment views
  KEY ix_sr_queue (owning_segment_id, allocated_to, is_open, queue_rank, created_us, id),
  -- W4.3 my work, and a team's work member by member
  KEY ix_sr_allocated (allocated_to, is_open, queue_rank, created_us, id),
  CONSTRAINT fk_sr_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id),
  CONSTRAINT fk_sr_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_sr_person FOREIGN KEY (subject_person_id) REFERENCES persons (id),
  CONSTRAINT fk_sr_segment FOREIGN KEY (owning_segment_id) REFERENCES segments (id),
  CONSTRAINT fk_sr_staff FOREIGN KEY (allocated_to) REFERENCES staff (staff_id),
  CONSTRAINT fk_sr_parent FOREIGN KEY (parent_id) REFERENCES service_requests (id)
) ENGINE=InnoDB;

CREATE TABLE sr_fields (
  sr_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  value VARCHAR(2000) NOT NULL,
  PRIMARY KEY (sr_id, name),
  CONSTRAINT fk_sr_fields_sr FOREIGN KEY (sr_id) REFERENCES service_requests (id)
) ENGINE=InnoDB;

CREATE TABLE sr_related (
  sr_id BIGINT NOT NULL,
  related_id BIGINT NOT NULL,
  PRIMARY KEY (sr_id, related_id),
  CONSTRAINT fk_sr_related_sr FOREIGN KEY (sr_id) REFERENCES service_requests (id),
  CONSTRAINT fk_sr_related_other FOREIGN KEY (related_id) REFERENCES service_requests (id)
) ENGINE=InnoDB;

CREATE TABLE sr_activities (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sr_id BIGINT NOT NULL,
  seq INT NOT NULL,
  name VARCHAR(200) NOT NULL,
  mandatory TINYINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  manual TINYINT NOT NULL,
  due_date DATE NULL,
  alarm TINYINT NOT NULL,
  completed_by VARCHAR(40) NULL,
  complete_us BIGINT NULL,
  UNIQUE KEY uk_activity_seq (sr_id, seq),
  CONSTRAINT fk_activity_sr FOREIGN KEY (sr_id) REFERENCES service_requests (id)
) ENGINE=InnoDB;

-- SR5.6: append-only; subject is SERVICE_REQUEST, CASE or PERSON.
CREATE TABLE notes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  subject VARCHAR(20) NOT NULL,
  subject_id BIGINT NOT NULL,
  text VARCHAR(4000) NOT NULL,
  author VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_notes_subject (subject, subject_id, id)
) ENGINE=InnoDB;
