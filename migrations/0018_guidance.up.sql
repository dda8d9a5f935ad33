-- Advice and Guidance (AG11.1; issue 16): the special client records
-- team's private requests to A&G, and the answers A&G give, to an A&G SR or
-- to a private request.
--
-- A private request has no casegroup, case, person or SR column: by design
-- it cannot hold one. Its raising team is kept as A&G see it (the label)
-- and by id (who may read the answer).
CREATE TABLE private_guidance_requests (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  country VARCHAR(4) NOT NULL,
  -- the A&G segment of `country` that answers it
  segment_id BIGINT NOT NULL,
  question TEXT NOT NULL,
  raised_by VARCHAR(40) NOT NULL,
  raising_segment_id BIGINT NOT NULL,
  raising_team_id BIGINT NOT NULL,
  raising_team VARCHAR(250) NOT NULL,
  -- cms.v1.PrivateGuidanceState short name: OPEN, ANSWERED, CLOSED.
  state VARCHAR(10) NOT NULL,
  closed_by VARCHAR(40) NULL,
  closed_us BIGINT NULL,
  version BIGINT NOT NULL,
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  -- A&G's queue and list (oldest first), the raiser's and their team's.
  KEY ix_private_guidance_queue (segment_id, state, created_us, id),
  KEY ix_private_guidance_raiser (raised_by, id),
  KEY ix_private_guidance_team (raising_team_id, id),
  CONSTRAINT fk_private_guidance_segment FOREIGN KEY (segment_id) REFERENCES segments (id),
  CONSTRAINT fk_private_guidance_raising_segment FOREIGN KEY (raising_segment_id)
    REFERENCES segments (id),
  CONSTRAINT fk_private_guidance_team FOREIGN KEY (raising_team_id) REFERENCES teams (id),
  CONSTRAINT fk_private_guidance_raiser FOREIGN KEY (raised_by) REFERENCES staff (staff_id)
) ENGINE=InnoDB;

-- Answers are immutable rows: a correction is a new row naming the one it
-- supersedes (at most one correction per answer: uk_guidance_supersedes),
-- so the history is every row of a subject in id order.
CREATE TABLE guidance_answers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  -- What it answers: an A&G SR or a private request, exactly one.
  service_request_id BIGINT NULL,
  private_request_id BIGINT NULL,
  supersedes_id BIGINT NULL,
  answer_text TEXT NOT NULL,
  correction_reason VARCHAR(2000) NOT NULL,
  answered_by VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  UNIQUE KEY uk_guidance_supersedes (supersedes_id),
  KEY ix_guidance_sr (service_request_id, id),
  KEY ix_guidance_private (private_request_id, id),
  CONSTRAINT ck_guidance_one_subject
    CHECK ((service_request_id IS NULL) <> (private_request_id IS NULL)),
  CONSTRAINT fk_guidance_sr FOREIGN KEY (service_request_id) REFERENCES service_requests (id),
  CONSTRAINT fk_guidance_private FOREIGN KEY (private_request_id)
    REFERENCES private_guidance_requests (id),
  CONSTRAINT fk_guidance_supersedes FOREIGN KEY (supersedes_id) REFERENCES guidance_answers (id),
  CONSTRAINT fk_guidance_staff FOREIGN KEY (answered_by) REFERENCES staff (staff_id)
) ENGINE=InnoDB;
