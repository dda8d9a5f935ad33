"""cmsctl, the operators' CLI, against the session's server: the exact forms
the foundation issue promises, and a refusal's exit code and message."""

import json
import time
import uuid

from cms_e2e import cmsctl


def test_segments_list_json(cms_server):
    # S1.2, S1.3: every segment with its derived system name, country and service segment.
    run = cmsctl(cms_server, "segments", "list", "--output", "json")
    assert run.returncode == 0, run.stderr
    segments = json.loads(run.stdout)
    assert isinstance(segments, list) and len(segments) >= 34
    for s in segments:
        assert {"system_name", "country", "service_segment"} <= s.keys(), s
    assert {"system_name": "FS_NI_SCR_SCR_CORE", "country": "NI",
            "service_segment": "SPECIAL_CLIENT_RECORDS"}.items() <= next(
                s for s in segments if s["system_name"] == "FS_NI_SCR_SCR_CORE").items()


def test_segments_create_json_then_clash(cms_server):
    # S1.3: the system name is derived; the same name again is refused, exit code 1.
    code = "Ag" + uuid.uuid4().hex[:6]
    args = ["segments", "create", "--country", "GB", "--service-segment", "OPTIONS",
            "--description", "Options Agents", "--code", code, "--output", "json"]
    run = cmsctl(cms_server, *args)
    assert run.returncode == 0, run.stderr
    created = json.loads(run.stdout)
    assert created["system_name"] == f"FS_GB_OPPTS_OA_{code.upper()}"
    assert created["country"] == "GB" and created["service_segment"] == "OPTIONS"

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


def test_sr_types_list_json(cms_server):
    # SR5.1: the catalog as operators see it.
    run = cmsctl(cms_server, "sr-types", "list", "--output", "json")
    assert run.returncode == 0, run.stderr
    types = {t["code"]: t for t in json.loads(run.stdout)}
    assert types["ARREARS_REVIEW"]["process"] == "Arrears"
    assert types["DISCLOSURE"]["kind"] == "FUNCTIONALLY_UNIQUE"
    assert types["DISCLOSURE"]["specialist_segment"] == "DEDUCTION_ORDER_TEAM"


def test_orphans_check_and_recover(cms_server):
    # W4.5: no orphans on a healthy server; check exits 0, recover repairs none.
    run = cmsctl(cms_server, "orphans", "check", "--output", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["count"] == 0
    run = cmsctl(cms_server, "orphans", "recover", "--output", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["count"] == 0
    run = cmsctl(cms_server, "orphans", "check", user="cw.gb.new_case.a1")
    assert run.returncode == 1 and "PERMISSION_DENIED" in run.stderr


def test_timers_stats_json(cms_server):
    # T8.2: operators read the durable timers' health; nothing is overdue on
    # a server whose sweeper is running.
    run = cmsctl(cms_server, "timers", "stats", "--output", "json")
    assert run.returncode == 0, run.stderr
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
    assert inbox.returncode == 0, inbox.stderr
    mine = [a for a in json.loads(inbox.stdout) if a["id"] == asked.id]
    assert mine and mine[0]["step"] == "create_team", inbox.stdout
    assert mine[0]["bom_change"]["create_team"]["name"] == name

    run = cmsctl(cms_server, "approvals", "approve", str(asked.id), "--comment", "agreed",
                 "--output", "json")
    assert run.returncode == 0, run.stderr
    decided = json.loads(run.stdout)
    assert decided["state"] == "APPROVED" and decided["decided_by"] == "svc.manager"
    teams = cms.bom.ListTeams(bom_pb2.ListTeamsRequest(segment_id=segment.id)).teams
    assert name in [t.name for t in teams]

    listed = cmsctl(cms_server, "approvals", "list", "--state", "approved", "--output", "json")
    assert listed.returncode == 0, listed.stderr
    assert asked.id in [a["id"] for a in json.loads(listed.stdout)]

    again = cmsctl(cms_server, "approvals", "reject", str(asked.id), "--comment", "no")
    assert again.returncode == 1
    assert "FAILED_PRECONDITION" in again.stderr and "A6.1" in again.stderr, again.stderr


def test_split_and_retire_run_as_operations_with_wait(cms_server, cms):
    # W4.6, S1.6 (issue 13): bulk moves are long-running operations; --wait
    # polls one with a progress bar on stderr and exits 0 when it succeeds.
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
    op = json.loads(split.stdout)
    assert op["state"] == "SUCCEEDED" and op["kind"] == "SPLIT_SEGMENT", op
    assert int(op["split_segment_response"]["moved_casegroups"]) >= 1, op
    assert "(100%)" in split.stderr, split.stderr
    assert cms.casegroups.GetCasegroup(
        cg_request(app.casegroup.id)).owning_segment_id == shetland

    retire = cmsctl(cms_server, "segments", "retire", str(shetland), "--target", str(home),
                    "--wait", "--output", "json")
    assert retire.returncode == 0, retire.stderr
    op = json.loads(retire.stdout)
    moved = int(op["moved_items"])
    assert op["state"] == "SUCCEEDED" and moved >= 1, op
    assert op["retired_segment"]["status"] == "RETIRED", op
    assert f"{moved}/{moved} (100%)" in retire.stderr, retire.stderr
    assert cms.casegroups.GetCasegroup(cg_request(app.casegroup.id)).owning_segment_id == home

    got = cmsctl(cms_server, "operations", "get", op["name"], "--output", "json")
    assert got.returncode == 0 and json.loads(got.stdout)["name"] == op["name"], got.stderr
    listed = cmsctl(cms_server, "operations", "list", "--state", "succeeded", "--output", "json")
    assert listed.returncode == 0, listed.stderr
    assert op["name"] in [o["name"] for o in json.loads(listed.stdout)]
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
    assert op["state"] == "RUNNING" and op["kind"] == "RETIRE_SEGMENT", op
    assert "still running after" in retire.stderr and "carries on" in retire.stderr, retire.stderr
    assert op["name"] in retire.stderr, retire.stderr

    deadline = time.monotonic() + 60
    while True:
        got = cmsctl(cms_server, "operations", "get", op["name"], "--output", "json")
        assert got.returncode == 0, got.stderr
        now = json.loads(got.stdout)
        if now["state"] != "RUNNING" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert now["state"] == "SUCCEEDED", now
    assert int(now["moved_items"]) >= len(groups), now
    assert now["retired_segment"]["status"] == "RETIRED", now
    for g in groups:
        assert cms.casegroups.GetCasegroup(cg_request(g.id)).owning_segment_id == home


def cg_request(casegroup_id):
    from cms_client import casegroup_pb2
    return casegroup_pb2.GetCasegroupRequest(id=casegroup_id)
