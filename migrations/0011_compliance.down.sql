ALTER TABLE interactions DROP COLUMN returned_us;
DROP TABLE compliance_events;
DROP TABLE compliance_opportunities;
