-- Freedom of Information requests (AG11.3; issue 16): the typed resource
-- (cms.v1.FoiRequest) kept whole in body_b64 (base64 of its serialized
-- proto, as the arrears action is); the columns beside it are the ones the
-- FOI queue filters on.
CREATE TABLE foi_requests (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  country VARCHAR(4) NOT NULL,
  segment_id BIGINT NOT NULL,
  -- cms.v1.FoiState short name.
  state VARCHAR(10) NOT NULL,
  overdue TINYINT NOT NULL DEFAULT 0,
  response_due DATE NOT NULL,
  version BIGINT NOT NULL,
  body_b64 MEDIUMTEXT NOT NULL,
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  KEY ix_foi_queue (state, country, id),
  CONSTRAINT fk_foi_segment FOREIGN KEY (segment_id) REFERENCES segments (id)
) ENGINE=InnoDB;
