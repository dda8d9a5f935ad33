-- Durable timers (T8.2) and periodic jobs (T8.3).
--
-- One row per future effect. Every replica's sweeper claims due PENDING
-- rows with SELECT ... FOR UPDATE SKIP LOCKED in (state, due_us, id) order
-- (ix_timers_sweep), runs the action and marks the row FIRED in the same
-- transaction, so an effect happens once across replicas and crashes.
-- dedupe_key is unique: scheduling the same (kind, subject, version or
-- period) twice is a no-op (INSERT IGNORE).
--
-- due_us, fired_us and the backoff are business-clock instants (T8.1).
CREATE TABLE timers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(40) NOT NULL,
  subject BIGINT NOT NULL,
  due_us BIGINT NOT NULL,
  payload VARCHAR(1000) NOT NULL,
  dedupe_key VARCHAR(200) NOT NULL,
  -- PENDING, FIRED, or FAILED (gave up after the attempt limit)
  state VARCHAR(8) NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  last_error VARCHAR(1000) NULL,
  created_us BIGINT NOT NULL,
  fired_us BIGINT NULL,
  UNIQUE KEY uk_timers_dedupe (dedupe_key),
  KEY ix_timers_sweep (state, due_us, id)
) ENGINE=InnoDB;

-- SR5.3 alarms: a Prompt activity whose due date has passed carries a
-- "reminder due" marker until it is done (set by the ACTIVITY_ALARM timer).
ALTER TABLE sr_activities ADD COLUMN reminder_due TINYINT NOT NULL DEFAULT 0;
