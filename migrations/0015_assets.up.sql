-- Assets (AR10.14; issue 15): what is known of a paying parent's assets
-- (vehicles, property, bank accounts, including accounts used for CSA
-- direct debits, and others), found by the caseworker, the receiving
-- parent, the Deduction Order Team or the credit reference agency check.
-- Recorded per person (the procedure's contact-level Assets tab), under the
-- casegroup whose case they were found through, whose visibility a row
-- follows (X13.1). They are the facts the disclosure, LO and charging
-- order steps read. A row is never deleted: an account closed or a vehicle
-- sold is ended (state CLOSED, with the reason), so the history stays.
CREATE TABLE person_assets (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  person_id BIGINT NOT NULL,
  casegroup_id BIGINT NOT NULL,
  -- The case it was recorded through: its arrears action's history.
  case_id BIGINT NOT NULL,
  -- cms.v1.AssetType, cms.v1.BankAccountType (bank accounts only; '' for
  -- the others) and cms.v1.AssetSource short names.
  type VARCHAR(20) NOT NULL,
  account_type VARCHAR(20) NOT NULL,
  description VARCHAR(500) NOT NULL,
  -- Sort code and account number (masked: the account number's last 4
  -- digits only), a registration, a title number.
  reference VARCHAR(100) NOT NULL,
  source VARCHAR(32) NOT NULL,
  -- A bank account at an address the PP has left (the procedure's "search
  -- any previous addresses for active bank accounts").
  previous_address TINYINT NOT NULL DEFAULT 0,
  used_for_csa_direct_debit TINYINT NOT NULL DEFAULT 0,
  -- cms.v1.AssetState short name: ACTIVE, or CLOSED once ended.
  state VARCHAR(10) NOT NULL,
  end_reason VARCHAR(500) NOT NULL DEFAULT '',
  recorded_by VARCHAR(64) NOT NULL,
  ended_by VARCHAR(64) NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  ended_us BIGINT NULL,
  version BIGINT NOT NULL,
  KEY ix_person_assets_person (person_id, state, id),
  KEY ix_person_assets_casegroup (casegroup_id, id),
  CONSTRAINT fk_person_assets_person FOREIGN KEY (person_id) REFERENCES persons (id),
  CONSTRAINT fk_person_assets_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id),
  CONSTRAINT fk_person_assets_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB;
