"""The Node.js client example against the session's server."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE_DIR = REPO / "clients" / "node"
EXAMPLE = NODE_DIR / "examples" / "list_segments.js"


def test_node_example_lists_segments(cms_server):
    # S1.1 / S1.3: every segment is listed with its derived system name, from the Node client.
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: install nodejs (tools/cms build does)", pytrace=False)
    if not EXAMPLE.is_file():
        pytest.fail(f"{EXAMPLE} is missing", pytrace=False)
    if not (NODE_DIR / "node_modules").is_dir():
        pytest.fail(f"{NODE_DIR}/node_modules is missing: run `npm ci` in {NODE_DIR}", pytrace=False)

    env = dict(os.environ)
    env.update(CMS_SERVER=cms_server.address, CMS_TOKEN=cms_server.token, CMS_USER="svc.manager")
    run = subprocess.run([node, str(EXAMPLE)], cwd=NODE_DIR, env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, f"exit {run.returncode}\nstdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    try:
        segments = json.loads(run.stdout)
    except ValueError as e:
        pytest.fail(f"stdout is not JSON ({e}):\n{run.stdout[:2000]}\nstderr:\n{run.stderr}")
    assert isinstance(segments, list) and segments, run.stdout[:2000]
    for s in segments:
        assert isinstance(s, dict) and s.get("system_name"), s
    # The demo BOM has one segment per (country, service segment).
    assert any(s["system_name"].startswith("FS_GB_") for s in segments)
    assert any(s["system_name"].startswith("FS_NI_") for s in segments)


def test_node_client_reaches_the_work_and_letter_services(cms_server):
    # W4.3, L12.1, T8.2: the Node client's newer services answer over the wire.
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules").is_dir():
        pytest.fail("node and clients/node/node_modules are needed (tools/cms build)", pytrace=False)
    script = """
const { connect } = require('./index.js');
(async () => {
  const cms = connect();
  try {
    const cw = cms.asUser('cw.gb.new_case.a1');
    const work = await cw.work.listMyWork({ page_size: 5 });
    const templates = await cw.letters.listLetterTemplates({});
    const timers = await cms.admin.getTimerStats({});
    console.log(JSON.stringify({ items: work.items.length,
                                 templates: templates.templates.map((t) => t.code),
                                 overdue: timers.overdue }));
  } finally {
    cms.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
"""
    env = dict(os.environ)
    env.update(CMS_SERVER=cms_server.address, CMS_TOKEN=cms_server.token, CMS_USER="svc.manager")
    run = subprocess.run([node, "-e", script], cwd=NODE_DIR, env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    out = json.loads(run.stdout)
    assert isinstance(out["items"], int)
    assert "CMSL6031" in out["templates"] and "CMSL0136" in out["templates"], out
    assert int(out["overdue"]) == 0, out
