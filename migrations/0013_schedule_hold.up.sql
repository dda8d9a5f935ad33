-- S5.14: a mixed master case's new schedule is held for manual allocation
-- review. The schedule is written in state HELD_FOR_ALLOCATION_REVIEW (the
-- column widens to hold the name) with its items HELD: the missed-payment
-- job marks only PENDING items, and allocation, arrears and the statement
-- read only items that are neither SUPERSEDED nor HELD, so nothing of a
-- held schedule is collected or monitored until ReleaseSchedule makes its
-- items PENDING. The columns keep why it was held, the Manual Allocation
-- Review SR raised for it, and who released it, when and why.
ALTER TABLE schedules
  MODIFY COLUMN state VARCHAR(32) NOT NULL,
  ADD COLUMN hold_reason VARCHAR(2000) NULL,
  ADD COLUMN review_sr_id BIGINT NULL,
  ADD COLUMN released_by VARCHAR(40) NULL,
  ADD COLUMN released_us BIGINT NULL,
  ADD COLUMN release_note VARCHAR(1000) NULL;
