"""Security of the real cms_server binary (X13.1): its flags refuse unsafe
set-ups before touching the database, SIGHUP rotates client tokens without a
restart, and operators read refused-call counters with cmsctl."""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

import cms_client
from cms_client import admin_pb2
from cms_e2e import cmsctl, raises_code
import grpc

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("CMS_SERVER_BIN") or REPO / ".build" / "server" / "cms_server")
TOKEN = "e2e-token"


def _run_server(tmp_path, *flags, tokens_mode=0o600):
    """Runs cms_server with an unreachable database; it must stop on its own."""
    tokens = tmp_path / "tokens"
    tokens.write_text(f"{TOKEN} e2e\n")
    tokens.chmod(tokens_mode)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    cmd = [str(BINARY), "--db_uri", "db=none host=127.0.0.1 port=1", "--tokens_file",
           str(tokens), *flags]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env), tokens


def test_plaintext_on_a_non_loopback_address_is_refused(tmp_path):
    # X13.1: the flag path of the transport policy; nothing is bound and the
    # database is never asked (it is unreachable here).
    run, _ = _run_server(tmp_path, "--listen", "0.0.0.0:0")
    assert run.returncode == 1, run.stderr
    assert "--allow_insecure_listen" in run.stderr and "0.0.0.0:0" in run.stderr, run.stderr
    run, _ = _run_server(tmp_path, "--listen", "127.0.0.1:0", "--tls_cert_file", "x.pem")
    assert run.returncode == 1 and "--tls_key_file" in run.stderr, run.stderr
    run, _ = _run_server(tmp_path, "--listen", "127.0.0.1:0", "--jwt_keys_file", "keys.pem")
    assert run.returncode == 1, run.stderr
    # Every log line is JSON.
    for line in run.stderr.splitlines():
        json.loads(line)


def test_a_tokens_file_others_may_read_is_refused(tmp_path):
    # X13.1: naming the file and its mode.
    run, tokens = _run_server(tmp_path, "--listen", "127.0.0.1:0", tokens_mode=0o644)
    assert run.returncode == 1
    assert str(tokens) in run.stderr and "0644" in run.stderr, run.stderr


def _clock(address, token):
    client = cms_client.connect(address, token, "svc.manager", timeout=10)
    try:
        return client.admin.GetClock(admin_pb2.GetClockRequest())
    finally:
        client.close()


def _wait_for_log(server, text, count, timeout_s=20):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if Path(server.log_path).read_text(errors="replace").count(text) >= count:
            return
        time.sleep(0.05)
    pytest.fail(f"no {count}x {text!r} in the server log:\n{server.log_tail()}")


def test_sighup_rotates_client_tokens(cms_server):
    # X13.1: add a new token, SIGHUP, use it; a bad file on reload keeps the
    # table in use; the original file is restored at the end.
    tokens = Path(cms_server.tokens_path)
    original = tokens.read_text()
    log = Path(cms_server.log_path)
    reloaded = log.read_text(errors="replace").count('"tokens reloaded"')
    failed = log.read_text(errors="replace").count('"tokens reload failed"')
    rotated = "rotated-e2e-token-0123456789"
    with raises_code(grpc.StatusCode.UNAUTHENTICATED):
        _clock(cms_server.address, rotated)
    try:
        tokens.write_text(original + f"{rotated} e2e\n")
        cms_server.proc.send_signal(signal.SIGHUP)
        _wait_for_log(cms_server, '"tokens reloaded"', reloaded + 1)
        assert _clock(cms_server.address, rotated).test_clock
        assert _clock(cms_server.address, TOKEN).test_clock

        tokens.chmod(0o644)  # now refused: the table in use stays
        cms_server.proc.send_signal(signal.SIGHUP)
        _wait_for_log(cms_server, '"tokens reload failed"', failed + 1)
        assert "0644" in log.read_text(errors="replace")
        assert _clock(cms_server.address, rotated).test_clock
    finally:
        tokens.write_text(original)
        tokens.chmod(0o600)
        cms_server.proc.send_signal(signal.SIGHUP)
        _wait_for_log(cms_server, '"tokens reloaded"', reloaded + 2)
    with raises_code(grpc.StatusCode.UNAUTHENTICATED):
        _clock(cms_server.address, rotated)


def test_security_stats_with_cmsctl(cms_server):
    # X13.1: a refused call is counted; operators read the counters.
    with raises_code(grpc.StatusCode.UNAUTHENTICATED):
        _clock(cms_server.address, "never-a-token-0000")
    run = cmsctl(cms_server, "security", "stats", "--output", "json")
    assert run.returncode == 0, run.stderr
    stats = json.loads(run.stdout)  # int64 counts are strings (proto JSON)
    counts = {r["code"]: int(r["count"]) for r in stats.get("refused", [])}
    assert counts.get("UNAUTHENTICATED", 0) >= 1, stats
    table = cmsctl(cms_server, "security", "stats")
    assert table.returncode == 0 and "refused UNAUTHENTICATED" in table.stdout, table.stdout
    refused = cmsctl(cms_server, "security", "stats", user="cw.gb.new_case.a1")
    assert refused.returncode == 1 and "PERMISSION_DENIED" in refused.stderr
