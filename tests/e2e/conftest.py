"""End-to-end harness: one real cms_server per test session, on port 0.

Needs:
  CMS_TEST_DB_URI  SOCI connect string of a MariaDB WITHOUT db= (tools/cms test
                   sets it; or `tools/mariadb start DIR` prints one). Required.
  CMS_SERVER_BIN   the server binary (default <repo>/.build/server/cms_server).
  cms_client       importable: ctest runs pytest in <build>/venv, where the
                   python_venv fixture (tools/pyvenv) pip-installed
                   clients/python, and sets CMS_E2E_INSTALLED_CLIENT=1 so a
                   cms_client imported from the checkout is refused. By hand:
                   `.build/venv/bin/python -m pytest tests/e2e`, or
                   `PYTHONPATH=clients/python /usr/bin/python3 -m pytest tests/e2e`.

The server gets a fresh database e2e_<pid>_<random> (--create_database), the
migrations, the demo BOM and the test clock. Tests share it, so each test
makes its own parties (unique NINOs) and never relies on another's data.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # cms_e2e

try:
    import cms_client  # noqa: E402
except ImportError as _e:
    raise ImportError(
        f"cms_client is not importable ({_e}): run the suite through `tools/cms test`, or with "
        "`.build/venv/bin/python -m pytest tests/e2e` (tools/pyvenv .build/venv makes it)") from _e

if os.environ.get("CMS_E2E_INSTALLED_CLIENT") == "1" and cms_client.REPO_ROOT is not None:
    raise ImportError(f"cms_client was imported from the checkout ({cms_client.__file__}), "
                      "not from the installed package this run is meant to test")

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 20
TOKEN = "e2e-token"
MANAGER = "svc.manager"


class ServerProcess:
    """The running server: address, token, log file and process."""

    def __init__(self, proc, address, token, log_path, db_name, tmp, tokens_path):
        self.proc = proc
        self.tokens_path = tokens_path
        self.address = address
        self.token = token
        self.log_path = log_path
        self.db_name = db_name
        self.tmp = tmp

    def log_tail(self, lines=60):
        return _tail(self.log_path, lines)


def _tail(path, lines=60):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError as e:
        return f"(no server log: {e})"
    return "\n".join(text.splitlines()[-lines:])


_server = None  # for the failure report hook


@pytest.fixture(scope="session")
def cms_server(tmp_path_factory):
    """Starts cms_server for the session; stops it with SIGTERM and checks exit 0."""
    global _server
    base_uri = os.environ.get("CMS_TEST_DB_URI", "").strip()
    if not base_uri:
        pytest.fail(
            "CMS_TEST_DB_URI is not set: give a SOCI connect string without db= "
            "(e.g. from `tools/mariadb start DIR`), or run the suite through `tools/cms test`",
            pytrace=False,
        )
    binary = Path(os.environ.get("CMS_SERVER_BIN") or REPO / ".build" / "server" / "cms_server")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"server binary {binary} missing: build first (tools/cms build)", pytrace=False)

    tmp = tmp_path_factory.mktemp("cms_server")
    db_name = f"e2e_{os.getpid()}_{secrets.token_hex(4)}"
    tokens = tmp / "tokens"
    tokens.write_text(f"{TOKEN} e2e\n")
    tokens.chmod(0o600)  # the server refuses a tokens file others may read
    port_file = tmp / "port"
    log_path = tmp / "server.log"
    cmd = [
        str(binary),
        "--db_uri", f"{base_uri} db={db_name}",
        "--create_database",
        "--migrate",
        "--seed_demo_bom",
        "--test_clock",
        "--listen", "127.0.0.1:0",
        "--port_file", str(port_file),
        "--tokens_file", str(tokens),
        # The harness names its users with x-cms-user, so its client is
        # trusted to; its scenarios make refused calls on purpose, all from
        # 127.0.0.1, so the refused-call limiter gets a large burst.
        "--trusted_clients", "e2e",
        "--refusal_burst", "100000",
    ]
    # CMS_* flags in our own environment must not leak into the server's.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp)

    def fail(why):
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        pytest.fail(f"{why}\ncommand: {' '.join(cmd)}\n--- server log ({log_path}) ---\n{_tail(log_path)}",
                    pytrace=False)

    deadline = time.monotonic() + START_TIMEOUT_S
    port = None
    while port is None:  # the server writes the port file once it serves
        if proc.poll() is not None:
            fail(f"cms_server exited with {proc.returncode} before serving")
        if time.monotonic() > deadline:
            fail(f"cms_server wrote no port file in {START_TIMEOUT_S} s")
        try:
            text = port_file.read_text().strip()
            port = int(text) if text else None
        except (OSError, ValueError):
            port = None
        if port is None:
            time.sleep(0.05)

    address = f"127.0.0.1:{port}"
    probe = cms_client.connect(address, TOKEN, MANAGER, timeout=5)
    try:
        while not probe.is_serving(timeout=2):
            if proc.poll() is not None:
                fail(f"cms_server exited with {proc.returncode} before its health check said SERVING")
            if time.monotonic() > deadline:
                fail(f"cms_server health check not SERVING within {START_TIMEOUT_S} s")
            time.sleep(0.1)
    finally:
        probe.close()

    _server = ServerProcess(proc, address, TOKEN, log_path, db_name, tmp, tokens)
    try:
        yield _server
    finally:
        _server = None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail(f"cms_server did not stop within {STOP_TIMEOUT_S} s of SIGTERM\n"
                        f"--- server log ({log_path}) ---\n{_tail(log_path)}", pytrace=False)
        _drop_database(base_uri, db_name)
        assert rc == 0, (f"cms_server exited with {rc} after SIGTERM\n"
                         f"--- server log ({log_path}) ---\n{_tail(log_path)}")


def _drop_database(base_uri, db_name):
    """Drops the session's database with the MariaDB client (best effort)."""
    opts = dict(part.split("=", 1) for part in base_uri.split() if "=" in part)
    cmd = ["mariadb", "--no-defaults", "-u", opts.get("user", "root")]
    if "unix_socket" in opts:
        cmd += ["--socket", opts["unix_socket"]]
    else:
        cmd += ["-h", opts.get("host", "127.0.0.1"), "-P", opts.get("port", "3306")]
    if opts.get("password"):
        cmd += [f"-p{opts['password']}"]
    subprocess.run(cmd + ["-e", f"DROP DATABASE IF EXISTS `{db_name}`"], capture_output=True,
                   timeout=30, check=False)


@pytest.fixture(scope="session")
def cms(cms_server):
    """A cms_client.Client on the session's server, acting as svc.manager."""
    client = cms_client.connect(cms_server.address, cms_server.token, MANAGER)
    client.server_process = cms_server
    try:
        yield client
    finally:
        client.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing test, attach the tail of the server log to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _server is not None:
        report.sections.append((f"cms_server log tail ({_server.log_path})", _server.log_tail()))
