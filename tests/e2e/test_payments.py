"""Money end to end (issue 5): a caseworker sets up a 50/50 DEO + DD MOPF
through an Amend Existing MOPF SR (M7.2), generates a monthly P2P schedule
(M7.5), pays four months, one of them late, lets two more months pass unpaid
on the business clock, and reads the statement and arrears (M7.6) through
the Python client and through `cmsctl payments`. And a refusal: MOPF shares
that do not total 100.

The session's server is shared and its clock only moves forward, so every
date here is computed from AdminService.GetClock, never written down.
"""

import datetime
import json

import grpc
from google.protobuf import json_format

import cms_client
from cms_client import casegroup_pb2 as cg, payment_pb2 as pay
from business_day import (advance_to as _advance_to, date_msg as _date, day_of as _day,
                          mopf_sr as _mopf_sr, owner_staff as _owner_staff,
                          to_london_midday as _to_london_midday, today as _today)
from cms_e2e import application, cmsctl, person, raises_code

CASEWORKER = "cw.gb.new_case.a1"
WEEKLY_PENCE = 5000  # £50 a week: £216.67 a month (x 52 / 12), split 10834 + 10833
MONTHLY_PENCE = 21667
LATE_MONTH = 2  # 1-based: paid three days after its due date
LATE_BY_DAYS = 3


# ---------------------------------------------------------------- the clock


# ---------------------------------------------------------------- set-up


def _deo(share, employer="Acme Ltd"):
    return pay.MopfMethod(method=pay.PAYMENT_METHOD_DEO, share_percent=share,
                          deo_subtype=pay.DEO_SUBTYPE_SELF_SELECTED, employer=employer)


def _dd(share):
    return pay.MopfMethod(method=pay.PAYMENT_METHOD_DD, share_percent=share)


def _by_month(items):
    """The schedule's items grouped by due date, oldest first: [(date, [items])]."""
    months = {}
    for item in items:
        months.setdefault(_day(item.due_date), []).append(item)
    return sorted(months.items())


# ---------------------------------------------------------------- the journey


def test_mopf_schedule_payments_statement_and_arrears(cms, cms_server):
    # M7.2, M7.5, M7.6, M7.7
    cw = cms.as_user(CASEWORKER)
    _to_london_midday(cms)
    today = _today(cms)
    app = cw.casegroups.CreateApplication(application(person("B1 1BB"), person("B2 4QA")))
    # The RP asked for collect and pay: every collection carries the PP's fee.
    assert app.case.service_type == cms_client.casegroup_pb2.SERVICE_TYPE_COLLECT_AND_PAY

    sr = _mopf_sr(cw, app)
    mopf = cw.payments.SetMopf(pay.SetMopfRequest(
        request_id=cms_client.new_request_id(), casegroup_id=app.casegroup.id,
        service_request_id=sr.id, start_date=_date(today), methods=[_deo(50), _dd(50)]))
    assert sorted((m.method, m.share_percent) for m in mopf.active) == [
        (pay.PAYMENT_METHOD_DEO, 50), (pay.PAYMENT_METHOD_DD, 50)]
    assert all(m.service_request_id == sr.id for m in mopf.active)

    first = today + datetime.timedelta(days=7)
    schedule = cw.payments.GenerateSchedule(pay.GenerateScheduleRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id,
        weekly_liability_pence=WEEKLY_PENCE, frequency=pay.FREQUENCY_MONTHLY,
        first_collection_date=_date(first)))
    assert schedule.state == pay.SCHEDULE_STATE_CURRENT and schedule.reason == "initial"
    # Issuing the P2P schedule ends the new-case stage: the case is P2P_ISSUED
    # and its casegroup moves to Maintenance, whose caseworker works it now
    # (R3.2 rule 5, R3.3).
    case = cms.casegroups.GetCase(cg.GetCaseRequest(id=app.case.id))
    assert case.lifecycle_stage == cg.LIFECYCLE_STAGE_P2P_ISSUED
    group = cms.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=app.casegroup.id))
    assert "_MAINT" in group.owning_segment_system_name, group.owning_segment_system_name
    assert group.routing_rule == "R3.2.6"
    cw = cms.as_user("cw.gb.maintenance.a1")
    months = _by_month(schedule.items)
    # Monthly from a week from now up to the annual review a year from today.
    assert len(months) == 12, [d for d, _ in months]
    assert months[0][0] == first
    for _, items in months:
        assert sorted(i.expected_method for i in items) == [pay.PAYMENT_METHOD_DEO,
                                                            pay.PAYMENT_METHOD_DD]
        assert sum(i.expected_pence for i in items) == MONTHLY_PENCE
        assert all(i.status == pay.ITEM_STATUS_PENDING for i in items)

    # Months 1-4 paid in full by the agreed methods; month 2 late.
    fees = 0
    for n, (due, items) in enumerate(months[:4], start=1):
        received = due + datetime.timedelta(days=LATE_BY_DAYS if n == LATE_MONTH else 0)
        _advance_to(cms, received)
        # Paid late, month 2 was missed first (tolerance 0): COLLECTIONS
        # owns the casegroup then, and takes the payment (AR10.1).
        cw = cms.as_user(_owner_staff(cms, app.casegroup.id)[0])
        for item in items:
            p = cw.payments.RecordPayment(pay.RecordPaymentRequest(
                request_id=cms_client.new_request_id(), case_id=app.case.id,
                amount_pence=item.expected_pence, received_date=_date(received),
                method=item.expected_method))
            # M7.7: 20% on top for the PP, 4% off for the RP, rounded half up.
            assert p.pp_fee_pence == (item.expected_pence * 20 + 50) // 100, p
            assert p.rp_fee_pence == (item.expected_pence * 4 + 50) // 100, p
            fees += p.pp_fee_pence

    # Months 5 and 6 fall due unpaid: the day after month 6's due date.
    _advance_to(cms, months[5][0] + datetime.timedelta(days=1))
    unpaid_due = sum(i.expected_pence for _, items in months[4:6] for i in items)
    assert unpaid_due == 2 * MONTHLY_PENCE
    # The first miss sends the casegroup to COLLECTIONS (AR10.1), after which
    # the new-case caseworker has no need to read it (X13.1); service
    # management reads it from here on.
    reader = cms

    current = reader.payments.GetSchedule(pay.GetScheduleRequest(case_id=app.case.id))
    standing = _by_month(current.items)
    for n, (due, items) in enumerate(standing, start=1):
        for i in items:
            if n <= 4:
                assert i.status == pay.ITEM_STATUS_PAID, (n, i)
                assert i.in_full and i.agreed_method and i.paid_pence == i.expected_pence, (n, i)
                assert i.on_time == (n != LATE_MONTH), (n, i)
            elif n <= 6:
                assert i.status == pay.ITEM_STATUS_MISSED and i.paid_pence == 0, (n, i)
            else:
                assert i.status == pay.ITEM_STATUS_PENDING, (n, i)

    arrears = reader.payments.GetArrears(pay.GetArrearsRequest(case_id=app.case.id))
    assert arrears.balance_pence == unpaid_due
    assert (arrears.missed_items, arrears.partial_items) == (4, 0)
    group = reader.payments.GetArrears(pay.GetArrearsRequest(casegroup_id=app.casegroup.id))
    assert group.casegroup_id == app.casegroup.id and group.balance_pence == unpaid_due

    # The statement: six months due, eight payments, the PP's collection
    # fees; the running balance adds up line by line to arrears + fees.
    st = reader.payments.GetStatement(pay.GetStatementRequest(case_id=app.case.id))
    assert _day(st.as_of) == _today(cms)
    balance, last_date = 0, None
    for line in st.lines:
        balance += line.debit_pence - line.credit_pence
        assert line.balance_pence == balance, line
        assert last_date is None or _day(line.date) >= last_date, line
        last_date = _day(line.date)
    kinds = {k: [ln for ln in st.lines if ln.kind == k]
             for k in (pay.STATEMENT_LINE_KIND_DUE, pay.STATEMENT_LINE_KIND_PAYMENT,
                       pay.STATEMENT_LINE_KIND_CHARGE)}
    assert len(kinds[pay.STATEMENT_LINE_KIND_DUE]) == 12
    assert sum(ln.debit_pence for ln in kinds[pay.STATEMENT_LINE_KIND_DUE]) == 6 * MONTHLY_PENCE
    assert len(kinds[pay.STATEMENT_LINE_KIND_PAYMENT]) == 8
    assert sum(ln.credit_pence for ln in kinds[pay.STATEMENT_LINE_KIND_PAYMENT]) == 4 * MONTHLY_PENCE
    assert sum(ln.debit_pence for ln in kinds[pay.STATEMENT_LINE_KIND_CHARGE]) == fees
    late_due = months[LATE_MONTH - 1][0] + datetime.timedelta(days=LATE_BY_DAYS)
    assert {_day(ln.date) for ln in kinds[pay.STATEMENT_LINE_KIND_PAYMENT]} >= {late_due}
    assert st.arrears_pence == unpaid_due
    assert st.balance_pence == balance == unpaid_due + fees

    # The same through cmsctl: JSON is the server's one form (issue 13: the
    # message as the proto has it, in pence; enums by full name, int64 as
    # strings), so it reads back into the Statement; tables in pounds.
    run = cmsctl(cms_server, "payments", "statement", str(app.case.id), "--output", "json",
                 user="svc.manager")
    assert run.returncode == 0, run.stderr
    assert json_format.Parse(run.stdout, pay.Statement()) == st
    doc = json.loads(run.stdout)
    assert doc["case_id"] == str(app.case.id)
    assert (doc["balance_pence"], doc["arrears_pence"]) == (str(st.balance_pence), str(unpaid_due))
    assert [(ln["date"], ln["kind"]) for ln in doc["lines"]] == [
        ({"year": ln.date.year, "month": ln.date.month, "day": ln.date.day},
         pay.StatementLineKind.Name(ln.kind)) for ln in st.lines]

    run = cmsctl(cms_server, "payments", "statement", str(app.case.id), user="svc.manager")
    assert run.returncode == 0, run.stderr
    text = run.stdout.splitlines()
    assert text[-2:] == [f"balance: {st.balance_pence / 100:.2f}",
                         f"arrears: {unpaid_due / 100:.2f}"], run.stdout
    assert any(row.split()[:2] == [late_due.isoformat(), "PAYMENT"] for row in text), run.stdout

    run = cmsctl(cms_server, "payments", "schedule", str(app.case.id), user="svc.manager")
    assert run.returncode == 0, run.stderr
    assert "weekly_liability:      50.00" in run.stdout, run.stdout
    late_rows = [row.split() for row in run.stdout.splitlines()
                 if row.split()[1:2] == [months[LATE_MONTH - 1][0].isoformat()]]
    # SEQ DUE_DATE EXPECTED METHOD STATUS PAID ON_TIME IN_FULL AGREED_METHOD
    assert sorted(r[2] for r in late_rows) == ["108.33", "108.34"], run.stdout
    assert all(r[4:] == ["PAID", r[2], "false", "true", "true"] for r in late_rows), run.stdout
    run = cmsctl(cms_server, "payments", "schedule", str(app.case.id), "--output", "json",
                 user="svc.manager")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["weekly_liability_pence"] == str(WEEKLY_PENCE)
    shown = json_format.Parse(run.stdout, pay.Schedule())
    assert shown.weekly_liability_pence == WEEKLY_PENCE and len(shown.items) == 24
    assert [i.on_time for i in shown.items[:8]] == [
        n != LATE_MONTH for n in (1, 1, 2, 2, 3, 3, 4, 4)]

    run = cmsctl(cms_server, "payments", "arrears", "--casegroup", str(app.casegroup.id),
                 "--output", "json", user="svc.manager")
    assert run.returncode == 0, run.stderr
    shown = json_format.Parse(run.stdout, pay.Arrears())
    assert (shown.casegroup_id, shown.balance_pence, shown.missed_items) == (
        app.casegroup.id, unpaid_due, 4)
    assert json.loads(run.stdout)["casegroup_id"] == str(app.casegroup.id)
    run = cmsctl(cms_server, "payments", "arrears", "--case", str(app.case.id), user="svc.manager")
    assert run.returncode == 0, run.stderr
    assert f"balance:       {unpaid_due / 100:.2f}" in run.stdout, run.stdout


# ---------------------------------------------------------------- refusals


def test_mopf_shares_must_total_100(cms, cms_server):
    # M7.2, X13.5: refused with the bad field named; nothing is set up.
    cw = cms.as_user(CASEWORKER)
    app = cw.casegroups.CreateApplication(application(person("B3 2AA"), person("B4 6AA")))
    sr = _mopf_sr(cw, app)
    with raises_code(grpc.StatusCode.INVALID_ARGUMENT) as e:
        cw.payments.SetMopf(pay.SetMopfRequest(
            request_id=cms_client.new_request_id(), casegroup_id=app.casegroup.id,
            service_request_id=sr.id, start_date=_date(_today(cms)),
            methods=[_deo(60), _dd(30)]))
    assert e.value.rule_id == "M7.2", str(e.value)
    assert "methods" in [v.field for v in e.value.field_violations], str(e.value)
    mopf = cw.payments.GetMopf(pay.GetMopfRequest(casegroup_id=app.casegroup.id))
    assert len(mopf.active) == 0 and len(mopf.history) == 0

    # Without a schedule there is nothing to show (exit 1); no subject is a usage error.
    run = cmsctl(cms_server, "payments", "schedule", str(app.case.id), user=CASEWORKER)
    assert run.returncode == 1 and "NOT_FOUND" in run.stderr, run.stderr
    run = cmsctl(cms_server, "payments", "arrears", user=CASEWORKER)
    assert run.returncode == 2 and "needs one of --case or --casegroup" in run.stderr, run.stderr
