ALTER TABLE business_clock DROP COLUMN moved;
