-- MP contact (AG11.4; issue 16): the typed resource (cms.v1.MpEnquiry)
-- kept whole in body_b64 (base64 of its serialized proto, as the FOI
-- request is); the columns beside it are the ones the government relations
-- queue filters on, and the input SR the SR-ended event finds it by.
CREATE TABLE mp_enquiries (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  country VARCHAR(4) NOT NULL,
  segment_id BIGINT NOT NULL,
  -- cms.v1.MpEnquiryKind short name.
  kind VARCHAR(30) NOT NULL,
  -- cms.v1.MpEnquiryState short name.
  state VARCHAR(12) NOT NULL,
  overdue TINYINT NOT NULL DEFAULT 0,
  response_due DATE NOT NULL,
  -- The MP Enquiry Input SR raised at validation (NULL until then).
  input_sr_id BIGINT NULL,
  version BIGINT NOT NULL,
  body_b64 MEDIUMTEXT NOT NULL,
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  KEY ix_mp_queue (state, country, id),
  KEY ix_mp_input_sr (input_sr_id),
  CONSTRAINT fk_mp_segment FOREIGN KEY (segment_id) REFERENCES segments (id),
  CONSTRAINT fk_mp_input_sr FOREIGN KEY (input_sr_id) REFERENCES service_requests (id)
) ENGINE=InnoDB;
