-- Employment (M7.3) and calculations (M7.4).

-- M7.3: the paying parent's DEO desire flag, per casegroup. One row per
-- setting: set (MANDATORY or SELF_SELECTED) until ended (cleared to NONE).
-- A change between the two set values updates the row in place, so the
-- HMRC re-request series (a periodic timer whose subject is this row's id)
-- carries on; clearing ends the row and its series (a stale timer does
-- nothing); setting again starts a new row and a new series at period 0.
CREATE TABLE deo_desires (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  casegroup_id BIGINT NOT NULL,
  desire VARCHAR(16) NOT NULL,
  set_by VARCHAR(40) NOT NULL,
  set_us BIGINT NOT NULL,
  ended_by VARCHAR(40) NULL,
  ended_us BIGINT NULL,
  KEY ix_deo_desires_casegroup (casegroup_id, ended_us, id),
  CONSTRAINT fk_deo_desires_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id)
) ENGINE=InnoDB;

-- M7.3: the employer known for the casegroup's paying parent (found by
-- HMRC), and the SR raised to review it.
CREATE TABLE employments (
  casegroup_id BIGINT NOT NULL PRIMARY KEY,
  employer_name VARCHAR(200) NOT NULL,
  source VARCHAR(16) NOT NULL,
  found_date DATE NOT NULL,
  found_us BIGINT NOT NULL,
  desire_id BIGINT NULL,
  review_sr_id BIGINT NULL,
  CONSTRAINT fk_employments_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id),
  CONSTRAINT fk_employments_desire FOREIGN KEY (desire_id) REFERENCES deo_desires (id),
  CONSTRAINT fk_employments_sr FOREIGN KEY (review_sr_id) REFERENCES service_requests (id)
) ENGINE=InnoDB;

-- M7.3 / T8.3: every request made to HMRC and its answer; at most one per
-- (setting, period), whatever fires twice.
CREATE TABLE hmrc_requests (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  casegroup_id BIGINT NOT NULL,
  desire_id BIGINT NOT NULL,
  period BIGINT NOT NULL,
  nino VARCHAR(16) NOT NULL,
  answer VARCHAR(16) NOT NULL,
  employer_name VARCHAR(200) NOT NULL,
  request_date DATE NOT NULL,
  request_us BIGINT NOT NULL,
  UNIQUE KEY ux_hmrc_requests_period (desire_id, period),
  KEY ix_hmrc_requests_casegroup (casegroup_id, id),
  CONSTRAINT fk_hmrc_requests_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id),
  CONSTRAINT fk_hmrc_requests_desire FOREIGN KEY (desire_id) REFERENCES deo_desires (id)
) ENGINE=InnoDB;

-- M7.4: calculations recorded through Perform Calculation SRs. PENDING_NDR
-- ("Determine NDR" raised) until the caseworker enters the maximum NDR.
CREATE TABLE calculations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT NOT NULL,
  casegroup_id BIGINT NOT NULL,
  sr_id BIGINT NOT NULL,
  weekly_liability_pence BIGINT NOT NULL,
  ndr_pence BIGINT NOT NULL,
  net_earnings_pence BIGINT NOT NULL,
  state VARCHAR(16) NOT NULL,
  exception VARCHAR(40) NOT NULL,
  max_ndr_pence BIGINT NULL,
  created_by VARCHAR(40) NOT NULL,
  created_us BIGINT NOT NULL,
  resolved_by VARCHAR(40) NULL,
  resolved_us BIGINT NULL,
  KEY ix_calculations_sr (sr_id, state),
  KEY ix_calculations_case (case_id, id),
  CONSTRAINT fk_calculations_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_calculations_casegroup FOREIGN KEY (casegroup_id) REFERENCES casegroups (id),
  CONSTRAINT fk_calculations_sr FOREIGN KEY (sr_id) REFERENCES service_requests (id)
) ENGINE=InnoDB;
