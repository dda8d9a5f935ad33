-- Long-running bulk moves (W4.6, S1.6; issue 13): one row per
-- StartRetireSegment / StartSplitSegment. The BULK_MOVE timer (T8.2) moves
-- one batch per firing and updates moved_items in the same transaction, so
-- the row is always as far as the committed work. request_b64 and
-- result_b64 are base64 of the cms.v1 request and result messages.
CREATE TABLE operations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  -- RETIRE_SEGMENT or SPLIT_SEGMENT
  kind VARCHAR(20) NOT NULL,
  -- RUNNING, SUCCEEDED, FAILED or CANCELLED
  state VARCHAR(10) NOT NULL,
  segment_id BIGINT NOT NULL,
  target_segment_id BIGINT NOT NULL,
  moved_items BIGINT NOT NULL DEFAULT 0,
  total_items BIGINT NOT NULL DEFAULT 0,
  request_b64 TEXT NOT NULL,
  result_b64 TEXT NULL,
  error_code INT NULL,
  error_message VARCHAR(1000) NULL,
  error_rule VARCHAR(20) NULL,
  created_by VARCHAR(64) NOT NULL,
  cancelled_by VARCHAR(64) NULL,
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  KEY ix_operations_state (state, id)
) ENGINE=InnoDB;
