ALTER TABLE sr_activities DROP COLUMN reminder_due;
DROP TABLE timers;
