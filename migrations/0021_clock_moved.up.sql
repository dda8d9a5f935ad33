-- T8.1: the business clock never goes back once it has been moved. Until
-- then a --test_clock scenario may set its start anywhere, before the
-- wall clock too; `moved` records that the first change has happened.
ALTER TABLE business_clock ADD COLUMN moved TINYINT NOT NULL DEFAULT 0;
UPDATE business_clock SET moved = 1 WHERE offset_us <> 0;
