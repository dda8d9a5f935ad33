-- Service requests (SR5.*): the SR, its type-specific fields, related SRs,
-- its activity plan, and append-only notes on SRs, cases and persons.

CREATE TABLE service_requests (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  type_code VARCHAR(64) NOT NULL,
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
  created_by VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  version BIGINT NOT NULL,
  KEY ix_sr_casegroup (casegroup_id, id),
  KEY ix_sr_case_type (case_id, type_code, status),
  KEY ix_sr_parent (parent_id, status),
  KEY ix_sr_queue (owning_segment_id, allocated_to, status, priority, created_us),
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
