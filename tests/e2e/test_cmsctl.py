"""cmsctl, the operators' CLI, against the session's server: the exact forms
the foundation issue promises, and a refusal's exit code and message.

`--output json` is the server's one JSON form (server/base/proto_json.h, issue
13): protobuf's canonical JSON with proto field names, enums by full name,
int64 as strings and fields at their default left out, so each document
parses back into the response message with json_format.Parse; a list is one
List...Response holding every page. Tables show enum short names."""

import json
import re
import time
import uuid

from google.protobuf import json_format

from cms_e2e import cmsctl


def parsed(run, message):
    """cmsctl's stdout read back into `message` (a fresh response message)."""
    assert run.returncode == 0, run.stderr
    assert run.stdout.endswith("\n") and run.stdout.count("\n") == 1, run.stdout
    return json_format.Parse(run.stdout, message)


def test_segments_list_json(cms_server):
    # S1.2, S1.3: every segment with its derived system name, country and service segment.
    from cms_client import bom_pb2, common_pb2

    run = cmsctl(cms_server, "segments", "list", "--output", "json")
    listed = parsed(run, bom_pb2.ListSegmentsResponse())
    assert len(listed.segments) >= 34 and not listed.next_page_token
    scr = next(s for s in listed.segments if s.system_name == "FS_NI_SCR_SCR_CORE")
    assert scr.country == common_pb2.COUNTRY_NI
    assert scr.service_segment == common_pb2.SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS
    segments = json.loads(run.stdout)["segments"]
    assert {"system_name": "FS_NI_SCR_SCR_CORE", "country": "COUNTRY_NI",
            "service_segment": "SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS",
            "id": str(scr.id)}.items() <= next(
                s for s in segments if s["system_name"] == "FS_NI_SCR_SCR_CORE").items()


def test_json_has_full_enum_names_and_the_table_short_ones(cms_server, cms):
    # Issue 13: one JSON dialect (the audit rows', the Python and Node
    # clients'): full enum names, int64 as strings; short names stay in tables.
    from cms_client import bom_pb2, common_pb2

    as_json = cmsctl(cms_server, "segments", "list", "--country", "ni", "--output", "json")
    listed = parsed(as_json, bom_pb2.ListSegmentsResponse())
    assert listed.segments and all(s.country == common_pb2.COUNTRY_NI for s in listed.segments)
    assert listed == cms.bom.ListSegments(bom_pb2.ListSegmentsRequest(
        country=common_pb2.COUNTRY_NI, page_size=1000))
    first = json.loads(as_json.stdout)["segments"][0]
    assert first["country"] == "COUNTRY_NI" and first["status"] == "LIFECYCLE_STATUS_ACTIVE"
    assert first["id"] == str(listed.segments[0].id)
    assert "NI" not in first.values() and "ACTIVE" not in first.values()

    table = cmsctl(cms_server, "segments", "list", "--country", "ni")
    assert table.returncode == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert header.split()[:3] == ["ID", "COUNTRY", "SERVICE_SEGMENT"]
    assert len(rows) == len(listed.segments)
    for row, segment in zip(rows, listed.segments):
        cells = row.split()
        assert cells[0] == str(segment.id) and cells[1] == "NI", row
        assert cells[2] == common_pb2.ServiceSegment.Name(segment.service_segment).removeprefix(
            "SERVICE_SEGMENT_"), row
        assert cells[-1] == "ACTIVE", row
    assert "COUNTRY_NI" not in table.stdout

    # One entity: the same dialect, and `key: value` lines with short names.
    got = cmsctl(cms_server, "segments", "get", str(listed.segments[0].id), "-o", "json")
    assert parsed(got, bom_pb2.Segment()) == listed.segments[0]
    shown = cmsctl(cms_server, "segments", "get", str(listed.segments[0].id))
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"^country: +NI$", shown.stdout, re.M), shown.stdout


def test_segments_create_json_then_clash(cms_server, cms):
    # S1.3: the system name is derived; the same name again is refused, exit code 1.
    from cms_client import admin_pb2

    code = "Ag" + uuid.uuid4().hex[:6]
    args = ["segments", "create", "--country", "GB", "--service-segment", "OPTIONS",
            "--description", "Options Agents", "--code", code, "--output", "json"]
    run = cmsctl(cms_server, *args)
    assert run.returncode == 0, run.stderr
    created = json.loads(run.stdout)
    assert created["system_name"] == f"FS_GB_OPPTS_OA_{code.upper()}"
    assert created["country"] == "COUNTRY_GB"
    assert created["service_segment"] == "SERVICE_SEGMENT_OPTIONS"
    # X13.2, issue 13: byte for byte what the audit row stores as the segment after.
    events = cms.admin.ListAuditEvents(admin_pb2.ListAuditEventsRequest(
        entity_type="segment", entity_id=created["id"])).events
    assert [e.after_json for e in events] == [run.stdout.rstrip("\n")], events

    again = cmsctl(cms_server, *args)
    assert again.returncode == 1
    assert "ALREADY_EXISTS" in again.stderr and "S1.3" in again.stderr, again.stderr


def test_caseworker_cannot_create_segments(cms_server):
    # S1.5: only service management changes the BOM.
    run = cmsctl(cms_server, "segments", "create", "--country", "GB", "--service-segment",
                 "OPTIONS", "--description", "Nope", "--code", "Nope", user="cw.gb.new_case.a1")
    assert run.returncode == 1
    assert "PERMISSION_DENIED" in run.stderr, run.stderr


def test_usage_error_exits_2(cms_server):
    run = cmsctl(cms_server, "segments", "create", "--country", "XX")
    assert run.returncode == 2


def test_compliance_writes_check_their_flags_then_read_the_etag(cms_server):
    # S5.8, S5.11, S5.12: a bad value is a usage error (exit 2) before any
    # call; a well-formed command reads the opportunity for its etag first,
    # so an unknown one is the server's NOT_FOUND (exit 1).
    cw = "cw.gb.maintenance.a1"
    outcome = ["compliance", "outcome", "999999999", "--reason", "PAYMENT_DEFAULT", "--utp",
               "NRP_UNLIKELY_TO_PAY", "--dp-rejected-reason", "Wilful refusal", "--note", "n"]
    run = cmsctl(cms_server, *outcome, "--action", "MAYBE", user=cw)
    assert run.returncode == 2 and "--action" in run.stderr, run.stderr
    run = cmsctl(cms_server, *outcome[:-2], "--action", "FAIL", user=cw)  # no --note
    assert run.returncode == 2 and "--note" in run.stderr, run.stderr
    run = cmsctl(cms_server, "compliance", "extend", "999999999", "--reason", "MISSED_PAYMENTS",
                 "--date", "2027-02-30", "--note", "n", user=cw)
    assert run.returncode == 2 and "--date" in run.stderr, run.stderr
    run = cmsctl(cms_server, "compliance", "end-early", "999999999", "--reason",
                 "CHANGE_TO_DIRECT_PAY", "--trigger", "x", "--note", "n", user=cw)
    assert run.returncode == 2 and "--trigger" in run.stderr, run.stderr
    for args in (outcome + ["--action", "FAIL"],
                 ["compliance", "extend", "999999999", "--reason", "MISSED_PAYMENTS", "--date",
                  "2027-02-28", "--note", "n"],
                 ["compliance", "end-early", "999999999", "--reason", "CHANGE_TO_DIRECT_PAY",
                  "--note", "n"]):
        run = cmsctl(cms_server, *args, user=cw)
        assert run.returncode == 1 and "NOT_FOUND" in run.stderr, (args, run.stderr)


def test_sr_types_list_json(cms_server):
    # SR5.1: the catalog as operators see it.
    from cms_client import service_request_pb2

    run = cmsctl(cms_server, "sr-types", "list", "--output", "json")
    parsed(run, service_request_pb2.ListSrTypesResponse())
    types = {t["code"]: t for t in json.loads(run.stdout)["types"]}
    assert types["ARREARS_REVIEW"]["process"] == "Arrears"
    assert types["DISCLOSURE"]["kind"] == "SR_KIND_FUNCTIONALLY_UNIQUE"
    assert types["DISCLOSURE"]["specialist_segment"] == "SERVICE_SEGMENT_DEDUCTION_ORDER_TEAM"


def test_orphans_check_and_recover(cms_server):
    # W4.5: no orphans on a healthy server; check exits 0, recover repairs none.
    # A count of 0 is a default: JSON leaves it out.
    from cms_client import work_pb2

    run = cmsctl(cms_server, "orphans", "check", "--output", "json")
    assert parsed(run, work_pb2.Orphans()).count == 0
    run = cmsctl(cms_server, "orphans", "recover", "--output", "json")
    assert parsed(run, work_pb2.Orphans()).count == 0
    run = cmsctl(cms_server, "orphans", "check", user="cw.gb.new_case.a1")
    assert run.returncode == 1 and "PERMISSION_DENIED" in run.stderr


def test_queues_stats(cms_server):
    # W4.3: service management reads every live segment's queue size and
    # ages; a segment manager their own segment's; a caseworker none.
    from cms_client import work_pb2

    every = parsed(cmsctl(cms_server, "queues", "stats", "--output", "json"), work_pb2.QueueStats())
    assert len(every.segments) > 10
    ids = [s.segment_id for s in every.segments]
    assert ids == sorted(ids)
    for s in every.segments:
        aged = (s.aged_under_7_days + s.aged_7_to_29_days + s.aged_30_to_89_days
                + s.aged_90_days_or_more)
        assert aged == s.queued, s
    own = parsed(cmsctl(cms_server, "queues", "stats", "--output", "json", user="sm.gb.new_case"),
                 work_pb2.QueueStats())
    assert len(own.segments) == 1
    table = cmsctl(cms_server, "queues", "stats", user="sm.gb.new_case")
    assert table.returncode == 0 and "QUEUED" in table.stdout, table.stderr
    refused = cmsctl(cms_server, "queues", "stats", user="cw.gb.new_case.a1")
    assert refused.returncode == 1 and "PERMISSION_DENIED" in refused.stderr


def test_teams_load(cms_server):
    # W4.4: a team leader reads each member's open SRs against the load
    # limit; the segment manager names the team; another team's leader and
    # caseworkers are refused.
    from cms_client import work_pb2

    own = parsed(cmsctl(cms_server, "teams", "load", "--output", "json", user="tl.gb.new_case.a"),
                 work_pb2.TeamLoad())
    assert own.team_id > 0 and own.load_limit > 0
    staff = [m.staff_id for m in own.members]
    assert "cw.gb.new_case.a1" in staff and "cw.gb.new_case.a2" in staff
    assert staff == sorted(staff)
    named = cmsctl(cms_server, "teams", "load", "--team", str(own.team_id), user="sm.gb.new_case")
    assert named.returncode == 0 and "OPEN_PRIORITY" in named.stdout, named.stderr
    other = cmsctl(cms_server, "teams", "load", "--team", str(own.team_id),
                   user="tl.gb.new_case.b")
    assert other.returncode == 1 and "PERMISSION_DENIED" in other.stderr
    refused = cmsctl(cms_server, "teams", "load", user="cw.gb.new_case.a1")
    assert refused.returncode == 1 and "PERMISSION_DENIED" in refused.stderr


def test_timers_stats_json(cms_server):
    # T8.2: operators read the durable timers' health; nothing is overdue on
    # a server whose sweeper is running.
    from cms_client import admin_pb2

    run = cmsctl(cms_server, "timers", "stats", "--output", "json")
    parsed(run, admin_pb2.TimerStats())
    stats = json.loads(run.stdout)
    assert int(stats.get("overdue", 0)) == 0, stats
    assert int(stats.get("failed", 0)) == 0, stats
    refused = cmsctl(cms_server, "timers", "stats", user="cw.gb.new_case.a1")
    assert refused.returncode == 1
    assert "PERMISSION_DENIED" in refused.stderr


def test_bom_change_request_approved_with_cmsctl(cms_server, cms):
    # S1.5, A6.1: a team leader asks for a new team through ApprovalService;
    # the operator finds it in `approvals inbox`, approves it with a comment,
    # and the team exists; deciding again is refused (exit 1, rule A6.1).
    import cms_client
    from cms_client import approval_pb2, bom_pb2, common_pb2

    segment = next(s for s in cms.bom.ListSegments(bom_pb2.ListSegmentsRequest(page_size=100))
                   .segments if s.country == common_pb2.COUNTRY_GB and s.code == "Core"
                   and s.service_segment == common_pb2.SERVICE_SEGMENT_NEW_CASE)
    name = "Team " + uuid.uuid4().hex[:6]
    tl = cms.as_user("tl.gb.new_case.a")
    asked = tl.approvals.SubmitForApproval(approval_pb2.SubmitForApprovalRequest(
        request_id=cms_client.new_request_id(), comment="winter workload",
        bom_change=bom_pb2.BomChange(create_team=bom_pb2.CreateTeamRequest(
            segment_id=segment.id, name=name))))
    assert asked.kind == approval_pb2.APPROVAL_KIND_BOM_CHANGE

    inbox = cmsctl(cms_server, "approvals", "inbox", "--output", "json")
    parsed(inbox, approval_pb2.ListApprovalInboxResponse())
    mine = [a for a in json.loads(inbox.stdout)["approvals"] if a["id"] == str(asked.id)]
    assert mine and mine[0]["step"] == "create_team", inbox.stdout
    assert mine[0]["bom_change"]["create_team"]["name"] == name
    assert mine[0]["bom_change"]["create_team"]["segment_id"] == str(segment.id)

    run = cmsctl(cms_server, "approvals", "approve", str(asked.id), "--comment", "agreed",
                 "--output", "json")
    decided = parsed(run, approval_pb2.Approval())
    assert decided.state == approval_pb2.APPROVAL_STATE_APPROVED
    assert decided.decided_by == "svc.manager"
    assert json.loads(run.stdout)["state"] == "APPROVAL_STATE_APPROVED"
    teams = cms.bom.ListTeams(bom_pb2.ListTeamsRequest(segment_id=segment.id)).teams
    assert name in [t.name for t in teams]

    listed = cmsctl(cms_server, "approvals", "list", "--state", "approved", "--output", "json")
    assert asked.id in [a.id for a in parsed(listed, approval_pb2.ListApprovalsResponse()).approvals]

    again = cmsctl(cms_server, "approvals", "reject", str(asked.id), "--comment", "no")
    assert again.returncode == 1
    assert "FAILED_PRECONDITION" in again.stderr and "A6.1" in again.stderr, again.stderr


def test_split_and_retire_run_as_operations_with_wait(cms_server, cms):
    # W4.6, S1.6 (issue 13): bulk moves are long-running operations; --wait
    # polls one with a progress bar on stderr and exits 0 when it succeeds.
    from cms_client import bom_pb2
    from cms_e2e import application, person

    cw = cms.as_user("cw.gb.new_case.a1")
    app = cw.casegroups.CreateApplication(application(person("ZE1 0AA"), person("SW1A 2AA")))
    home = app.casegroup.owning_segment_id
    code = "Ze" + uuid.uuid4().hex[:6]
    created = cmsctl(cms_server, "segments", "create", "--country", "GB", "--service-segment",
                     "NEW_CASE", "--description", "New Case Shetland", "--code", code,
                     "--output", "json")
    assert created.returncode == 0, created.stderr
    shetland = int(json.loads(created.stdout)["id"])

    split = cmsctl(cms_server, "segments", "split", str(home), "--target", str(shetland),
                   "--areas", "ZE", "--wait", "--timeout", "50", "--output", "json")
    assert split.returncode == 0, split.stderr
    parsed(split, bom_pb2.Operation())
    op = json.loads(split.stdout)
    assert op["state"] == "OPERATION_STATE_SUCCEEDED", op
    assert op["kind"] == "OPERATION_KIND_SPLIT_SEGMENT", op
    assert int(op["split_segment_response"]["moved_casegroups"]) >= 1, op
    assert "(100%)" in split.stderr, split.stderr
    assert cms.casegroups.GetCasegroup(
        cg_request(app.casegroup.id)).owning_segment_id == shetland

    retire = cmsctl(cms_server, "segments", "retire", str(shetland), "--target", str(home),
                    "--wait", "--output", "json")
    assert retire.returncode == 0, retire.stderr
    op = json.loads(retire.stdout)
    moved = int(op["moved_items"])
    assert op["state"] == "OPERATION_STATE_SUCCEEDED" and moved >= 1, op
    assert op["retired_segment"]["status"] == "LIFECYCLE_STATUS_RETIRED", op
    assert f"{moved}/{moved} (100%)" in retire.stderr, retire.stderr
    assert cms.casegroups.GetCasegroup(cg_request(app.casegroup.id)).owning_segment_id == home

    got = cmsctl(cms_server, "operations", "get", op["name"], "--output", "json")
    assert got.returncode == 0 and json.loads(got.stdout)["name"] == op["name"], got.stderr
    listed = cmsctl(cms_server, "operations", "list", "--state", "succeeded", "--output", "json")
    operations = parsed(listed, bom_pb2.ListOperationsResponse()).operations
    assert op["name"] in [o.name for o in operations]
    assert all(o.state == bom_pb2.OPERATION_STATE_SUCCEEDED for o in operations)
    cancel = cmsctl(cms_server, "operations", "cancel", op["name"])
    assert cancel.returncode == 1
    assert "FAILED_PRECONDITION" in cancel.stderr and "W4.6" in cancel.stderr, cancel.stderr
    # --timeout only bounds --wait.
    assert cmsctl(cms_server, "segments", "retire", str(shetland), "--timeout", "5").returncode == 2


def test_retire_wait_timeout_exits_4_and_the_operation_carries_on(cms_server, cms):
    # W4.6 (issue 13): --wait --timeout gives up waiting, not the work: exit
    # code 4, the operation as last seen on stdout, and the server finishes
    # it. A move of many casegroups cannot finish within the first poll.
    from cms_e2e import application, person

    cw = cms.as_user("cw.gb.new_case.a1")
    groups = [cw.casegroups.CreateApplication(application(person("KW15 1AA"),
                                                          person("SW1A 2AA"))).casegroup
              for _ in range(30)]
    home = groups[0].owning_segment_id
    code = "Ok" + uuid.uuid4().hex[:6]
    created = cmsctl(cms_server, "segments", "create", "--country", "GB", "--service-segment",
                     "NEW_CASE", "--description", "New Case Orkney", "--code", code,
                     "--output", "json")
    assert created.returncode == 0, created.stderr
    orkney = int(json.loads(created.stdout)["id"])
    split = cmsctl(cms_server, "segments", "split", str(home), "--target", str(orkney),
                   "--areas", "KW", "--wait", "--output", "json")
    assert split.returncode == 0, split.stderr

    retire = cmsctl(cms_server, "segments", "retire", str(orkney), "--target", str(home),
                    "--wait", "--timeout", "0.001", "--output", "json")
    assert retire.returncode == 4, (retire.returncode, retire.stdout, retire.stderr)
    op = json.loads(retire.stdout)
    assert op["state"] == "OPERATION_STATE_RUNNING", op
    assert op["kind"] == "OPERATION_KIND_RETIRE_SEGMENT", op
    assert "still running after" in retire.stderr and "carries on" in retire.stderr, retire.stderr
    assert op["name"] in retire.stderr, retire.stderr

    deadline = time.monotonic() + 60
    while True:
        got = cmsctl(cms_server, "operations", "get", op["name"], "--output", "json")
        assert got.returncode == 0, got.stderr
        now = json.loads(got.stdout)
        if now["state"] != "OPERATION_STATE_RUNNING" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert now["state"] == "OPERATION_STATE_SUCCEEDED", now
    assert int(now["moved_items"]) >= len(groups), now
    assert now["retired_segment"]["status"] == "LIFECYCLE_STATUS_RETIRED", now
    for g in groups:
        assert cms.casegroups.GetCasegroup(cg_request(g.id)).owning_segment_id == home


def cg_request(casegroup_id):
    from cms_client import casegroup_pb2
    return casegroup_pb2.GetCasegroupRequest(id=casegroup_id)
