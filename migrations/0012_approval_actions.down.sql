ALTER TABLE case_legacy_links
  DROP COLUMN csa_debt_to_migrate_pence,
  DROP COLUMN bailiff_activity,
  DROP COLUMN transitional_legal_case;
ALTER TABLE fee_waivers DROP COLUMN covers_enforcement_charges;
ALTER TABLE approvals DROP COLUMN action_result, DROP COLUMN action_proto;
