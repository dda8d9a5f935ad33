-- The nightly RDO compliance check (AR10.6; issue 15): the day the check
-- next looks at each case's deduction order (cms.v1.Disclosure's
-- rdo_next_due_date, an RDO's next scheduled payment to judge, or its
-- lsdo_watch_date, an LSDO awaiting its lump sum; NULL when there is none),
-- so the check reads the due ones from an index instead of every action's
-- body.
ALTER TABLE arrears_actions
  ADD COLUMN rdo_next_due DATE NULL,
  ADD KEY ix_arrears_rdo_due (rdo_next_due, id);
