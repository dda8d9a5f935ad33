ALTER TABLE arrears_actions DROP KEY ix_arrears_rdo_due, DROP COLUMN rdo_next_due;
