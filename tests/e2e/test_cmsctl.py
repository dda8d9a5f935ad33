"""cmsctl, the operators' CLI, against the session's server: the exact forms
the foundation issue promises, and a refusal's exit code and message."""

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CMSCTL = Path(os.environ.get("CMS_CMSCTL_BIN", REPO / ".build" / "clients" / "cpp" / "cmsctl"))


def cmsctl(cms_server, *args, user="svc.manager"):
    if not CMSCTL.is_file():
        pytest.fail(f"{CMSCTL} is missing: build it (tools/cms build)", pytrace=False)
    env = dict(os.environ)
    env.update(CMS_SERVER=cms_server.address, CMS_TOKEN=cms_server.token, CMS_USER=user)
    env.pop("CMS_DEV_FILE", None)
    return subprocess.run([str(CMSCTL), *args], env=env, capture_output=True, text=True,
                          timeout=60)


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
