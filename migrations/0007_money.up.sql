-- Money (SPEC §7): service type history, MOPF/MOPT, P2P schedules and their
-- items, payments, fees and charges, fee waivers and missed-payment events.
-- Amounts are whole pence; dates are business-clock days.

-- M7.1: a case's service type from a date. The first change of a case also
-- records the type it had before (from its application date). cases.
-- service_type is the type in effect today.
CREATE TABLE service_type_periods (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  service_type VARCHAR(16) NOT NULL,
  effective_from DATE NOT NULL,
  sr_id BIGINT NULL,
  set_by VARCHAR(40) NOT NULL,
  set_us BIGINT NOT NULL,
  KEY ix_stp_case (case_id, effective_from, id),
  CONSTRAINT fk_stp_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB;

-- M7.2: the paying parent's methods (per casegroup). A method ends
-- (end_date, the last day it applies); it is never deleted.
CREATE TABLE mopf_methods (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  casegroup_id BIGINT NOT NULL,
  method VARCHAR(8) NOT NULL,
  share_percent INT NOT NULL,
  enforced TINYINT NOT NULL,
  deo_subtype VARCHAR(16) NOT NULL,
  mandatory_deo TINYINT NOT NULL,
  employer VARCHAR(200) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NULL,
  sr_id BIGINT NOT NULL,
  ended_sr_id BIGINT NULL,
  created_by VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_mopf_casegroup (casegroup_id, id),
  CONSTRAINT fk_mopf_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id)
) ENGINE=InnoDB;

-- M7.2: the receiving parent's method of payment to (per case).
CREATE TABLE mopt_periods (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  method VARCHAR(16) NOT NULL,
  payee_reference VARCHAR(40) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NULL,
  sr_id BIGINT NOT NULL,
  ended_sr_id BIGINT NULL,
  created_by VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_mopt_case (case_id, id),
  CONSTRAINT fk_mopt_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB;

-- The version (etag) of a casegroup's MOPF ('MOPF', casegroup id) or a
-- case's MOPT ('MOPT', case id); its row lock serializes their changes.
CREATE TABLE money_versions (
  kind VARCHAR(8) NOT NULL,
  subject BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (kind, subject)
) ENGINE=InnoDB;

-- M7.5: P2P schedules. A revision supersedes the current schedule from the
-- new one's first collection date (superseded_from): its items before that
-- date stay owed, its later ones become SUPERSEDED (they no longer apply).
CREATE TABLE schedules (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  state VARCHAR(12) NOT NULL,
  frequency VARCHAR(12) NOT NULL,
  weekly_liability_pence BIGINT NOT NULL,
  first_collection DATE NOT NULL,
  next_review DATE NOT NULL,
  reason VARCHAR(200) NOT NULL,
  created_by VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  superseded_from DATE NULL,
  KEY ix_schedules_case (case_id, id),
  CONSTRAINT fk_schedules_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB;

-- Each item's standing (status, paid, flags) is written whenever a payment
-- or the daily missed-payment job (AR10.1) changes it.
CREATE TABLE schedule_items (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  schedule_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL,
  seq INT NOT NULL,
  due_date DATE NOT NULL,
  expected_pence BIGINT NOT NULL,
  expected_method VARCHAR(8) NOT NULL,
  status VARCHAR(12) NOT NULL,
  paid_pence BIGINT NOT NULL DEFAULT 0,
  on_time TINYINT NOT NULL DEFAULT 0,
  in_full TINYINT NOT NULL DEFAULT 0,
  agreed_method TINYINT NOT NULL DEFAULT 0,
  -- the business day the daily job found it MISSED or PARTIAL (AR10.1)
  missed_on DATE NULL,
  KEY ix_items_schedule (schedule_id, seq),
  -- also the daily job's (AR10.1) walk through the book, case range by
  -- case range: status is in no secondary index, so marking an item
  -- rewrites only its row
  KEY ix_items_case (case_id, due_date, id),
  CONSTRAINT fk_items_schedule FOREIGN KEY (schedule_id) REFERENCES schedules (id)
) ENGINE=InnoDB;

CREATE TABLE payments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  amount_pence BIGINT NOT NULL,
  received_date DATE NOT NULL,
  method VARCHAR(8) NOT NULL,
  pp_fee_pence BIGINT NOT NULL,
  rp_fee_pence BIGINT NOT NULL,
  recorded_by VARCHAR(40) NOT NULL,
  recorded_us BIGINT NOT NULL,
  KEY ix_payments_case (case_id, received_date, id),
  CONSTRAINT fk_payments_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB;

-- M7.7: collection fees (with their payment) and enforcement charges.
CREATE TABLE ledger_entries (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  kind VARCHAR(32) NOT NULL,
  amount_pence BIGINT NOT NULL,
  effective_date DATE NOT NULL,
  payment_id BIGINT NULL,
  created_by VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  KEY ix_ledger_case (case_id, effective_date, id),
  CONSTRAINT fk_ledger_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB;

-- M7.7: collection fees are not charged on days in [from_date, to_date).
CREATE TABLE fee_waivers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  from_date DATE NOT NULL,
  to_date DATE NULL,
  reason VARCHAR(200) NOT NULL,
  created_by VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  ended_by VARCHAR(40) NULL,
  ended_us BIGINT NULL,
  KEY ix_waivers_case (case_id, id),
  CONSTRAINT fk_waivers_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB;

-- AR10.1: one event per item the daily job found missed, with the case's
-- count of consecutive misses; the single hook of the arrears flow.
CREATE TABLE missed_payment_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  item_id BIGINT NOT NULL,
  run_count INT NOT NULL,
  event_date DATE NOT NULL,
  outcome VARCHAR(200) NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL,
  UNIQUE KEY uk_mpe_item (item_id),
  KEY ix_mpe_case (case_id, id)
) ENGINE=InnoDB;
