-- X13.4 / X13.1: a request id belongs to its caller (client application and
-- staff member). Somebody else's id is a new request, never a replay of the
-- first caller's response. Keys recorded before this migration have no
-- caller and so replay for nobody.
ALTER TABLE idempotency_keys
  DROP PRIMARY KEY,
  ADD COLUMN caller VARCHAR(200) NOT NULL DEFAULT '' FIRST,
  ADD PRIMARY KEY (caller, request_id);

-- X13.1 / X13.2: the scope whose visibility decides who may read an audit
-- row: the casegroup, case, SR or person the change belongs to (none for
-- the BOM and the server's own rows). Rows written before this migration
-- are given the scope their `after` names, as Command::Audit derives it.
ALTER TABLE audit_events
  ADD COLUMN casegroup_id BIGINT NULL,
  ADD COLUMN case_id BIGINT NULL,
  ADD COLUMN sr_id BIGINT NULL,
  ADD COLUMN person_id BIGINT NULL;

UPDATE audit_events SET casegroup_id = CAST(entity_id AS UNSIGNED)
  WHERE entity_type = 'casegroup';
UPDATE audit_events SET person_id = CAST(entity_id AS UNSIGNED) WHERE entity_type = 'person';
UPDATE audit_events
  SET casegroup_id = CAST(JSON_VALUE(after_json, '$.casegroup_id') AS UNSIGNED)
  WHERE casegroup_id IS NULL AND JSON_VALUE(after_json, '$.casegroup_id') IS NOT NULL;
UPDATE audit_events
  SET case_id = CAST(JSON_VALUE(after_json, '$.case_id') AS UNSIGNED)
  WHERE casegroup_id IS NULL AND JSON_VALUE(after_json, '$.case_id') IS NOT NULL;
UPDATE audit_events
  SET sr_id = CAST(JSON_VALUE(after_json, '$.service_request_id') AS UNSIGNED)
  WHERE casegroup_id IS NULL AND case_id IS NULL
    AND JSON_VALUE(after_json, '$.service_request_id') IS NOT NULL;
UPDATE audit_events
  SET person_id = CAST(JSON_VALUE(after_json, '$.person_id') AS UNSIGNED)
  WHERE casegroup_id IS NULL AND case_id IS NULL AND sr_id IS NULL
    AND JSON_VALUE(after_json, '$.person_id') IS NOT NULL;
UPDATE audit_events SET
    sr_id = IF(JSON_VALUE(after_json, '$.subject') = 'NOTE_SUBJECT_SERVICE_REQUEST',
               CAST(JSON_VALUE(after_json, '$.subject_id') AS UNSIGNED), NULL),
    case_id = IF(JSON_VALUE(after_json, '$.subject') = 'NOTE_SUBJECT_CASE',
                 CAST(JSON_VALUE(after_json, '$.subject_id') AS UNSIGNED), NULL),
    person_id = IF(JSON_VALUE(after_json, '$.subject') = 'NOTE_SUBJECT_PERSON',
                   CAST(JSON_VALUE(after_json, '$.subject_id') AS UNSIGNED), NULL)
  WHERE entity_type = 'note';
