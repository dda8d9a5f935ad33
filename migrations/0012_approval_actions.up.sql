-- A6.3: an approval may carry what approving does (cms.v1.ApprovalAction,
-- base64 of the proto) and, once decided, what was done.
ALTER TABLE approvals
  ADD COLUMN action_proto BLOB NULL AFTER subject_proto,
  ADD COLUMN action_result VARCHAR(2000) NOT NULL DEFAULT '' AFTER decide_us;

-- S5.5: a Segment 5 waiver covers enforcement charges as well as
-- collection fees.
ALTER TABLE fee_waivers
  ADD COLUMN covers_enforcement_charges TINYINT NOT NULL DEFAULT 0 AFTER to_date;

-- S5.17, AR10.10: the legacy case's transitional legal status, bailiff
-- activity, and CSA debt still to migrate.
ALTER TABLE case_legacy_links
  ADD COLUMN transitional_legal_case TINYINT NOT NULL DEFAULT 0,
  ADD COLUMN bailiff_activity TINYINT NOT NULL DEFAULT 0,
  ADD COLUMN csa_debt_to_migrate_pence BIGINT NOT NULL DEFAULT 0;
