-- A schedule still held was never in force: it becomes SUPERSEDED from its
-- own first collection (as a revision replaced before it applied), its items
-- SUPERSEDED, so the narrower column holds every state again.
UPDATE schedule_items i JOIN schedules s ON s.id = i.schedule_id
  SET i.status = 'SUPERSEDED'
  WHERE s.state = 'HELD_FOR_ALLOCATION_REVIEW' AND i.status = 'HELD';
UPDATE schedules SET state = 'SUPERSEDED', superseded_from = first_collection
  WHERE state = 'HELD_FOR_ALLOCATION_REVIEW';
ALTER TABLE schedules
  DROP COLUMN release_note,
  DROP COLUMN released_us,
  DROP COLUMN released_by,
  DROP COLUMN review_sr_id,
  DROP COLUMN hold_reason,
  MODIFY COLUMN state VARCHAR(12) NOT NULL;
