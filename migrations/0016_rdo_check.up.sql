-- The nightly RDO compliance check (AR10.6; issue 15): the next scheduled
-- RDO payment of each case's action that the check will judge
-- (cms.v1.Disclosure.rdo_next_due_date; NULL when there is none), so the
-- check reads the due ones from an index instead of every action's body.
ALTER TABLE arrears_actions
  ADD COLUMN rdo_next_due DATE NULL,
  ADD KEY ix_arrears_rdo_due (rdo_next_due, id);
