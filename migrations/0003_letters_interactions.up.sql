-- Letters and interactions (L12.1, L12.2): every call, letter and SMS with a
-- party of a case, append only. An issued letter is an outbound LETTER row
-- carrying its template code and the text exactly as rendered, so what was
-- sent can be read back after the template changes.
--
-- Listing is per person or per case, oldest first (keyset on id), so each
-- has its own index; a listing by both reads the person's range.

CREATE TABLE interactions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  person_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL,
  channel VARCHAR(8) NOT NULL,
  direction VARCHAR(8) NOT NULL,
  template_code VARCHAR(64) NULL,
  text TEXT NOT NULL,
  author VARCHAR(40) NOT NULL,
  service_request_id BIGINT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_interactions_person (person_id, id),
  KEY ix_interactions_case (case_id, id),
  CONSTRAINT fk_interactions_person FOREIGN KEY (person_id) REFERENCES persons (id),
  CONSTRAINT fk_interactions_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_interactions_sr FOREIGN KEY (service_request_id) REFERENCES service_requests (id)
) ENGINE=InnoDB;
