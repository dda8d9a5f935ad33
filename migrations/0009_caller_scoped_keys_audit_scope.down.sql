ALTER TABLE audit_events
  DROP COLUMN person_id, DROP COLUMN sr_id, DROP COLUMN case_id, DROP COLUMN casegroup_id;

-- Request ids were global before: keep one row per id.
DELETE k FROM idempotency_keys k JOIN idempotency_keys o
  ON o.request_id = k.request_id AND o.caller < k.caller;
ALTER TABLE idempotency_keys
  DROP PRIMARY KEY,
  DROP COLUMN caller,
  ADD PRIMARY KEY (request_id);
