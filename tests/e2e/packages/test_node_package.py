"""The Node client as a package (ctest node_package).

`npm pack` of clients/node (its prepack copies proto/cms/v1 into the
package), `npm install <tarball>` into a temp folder outside the checkout
(dependencies from the npm cache or registry), then, from that folder, the
packaged example and a script that loads every service client and calls each
service of the session's real server. A proto missing from the tarball fails
the listing check and the load.
"""

import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
NODE_DIR = REPO / "clients" / "node"
PROTO_DIR = REPO / "proto" / "cms" / "v1"

SCRIPT = r"""
const cms = require('cms-client');
const services = JSON.parse(process.argv[2]);
(async () => {
  const { grpcObject } = cms.loadProtos();
  const out = { resolved: require.resolve('cms-client'), protoDir: cms.DEFAULT_PROTO_DIR,
                services: {}, wrapped: {}, calls: {} };
  const conn = cms.connect();
  for (const s of services) {
    const Ctor = grpcObject.cms.v1[s];
    out.services[s] = typeof Ctor === 'function';
    out.wrapped[s] = Object.values(conn).some((w) => w && Ctor && w.raw instanceof Ctor);
  }
  const cw = conn.asUser('cw.gb.new_case.a1');
  const tl = conn.asUser('tl.gb.new_case.a');
  const call = async (name, fn) => {
    try {
      await fn();
      out.calls[name] = 'OK';
    } catch (e) {
      if (!(e instanceof cms.CmsError)) throw e;
      out.calls[name] = e.codeName;
      out.fields = out.fields || {};
      out.fields[name] = ((e.info && e.info.field_violations) || []).map((v) => v.field);
    }
  };
  try {
    await call('BomService', () => conn.bom.listSegments({ page_size: 10 }));
    await call('CasegroupService', () => cw.casegroups.getCasegroup({ id: 987654321 }));
    await call('ServiceRequestService', () => cw.serviceRequests.listSrTypes({}));
    await call('WorkService', () => cw.work.listMyWork({ page_size: 5 }));
    await call('LetterService', () => cw.letters.listLetterTemplates({}));
    await call('ApprovalService', () => tl.approvals.listApprovalInbox({}));
    await call('PaymentService', () => cw.payments.getArrears({ case_id: 987654321 }));
    await call('ComplianceService', () => cw.compliance.listComplianceOpportunities({ page_size: 5 }));
    await call('ArrearsService', () => cw.arrears.listArrearsActions({ page_size: 5 }));
    await call('FoiService', () => cw.foi.listFoiRequests({ page_size: 5 }));
    await call('MpService', () => cw.mp.listMpEnquiries({ page_size: 5 }));
    await call('GuidanceService', () => cw.guidance.listGuidanceQueue({ page_size: 5 }));
    await call('AssuranceService', () => cw.assurance.listAssuranceSamples({ page_size: 5 }));
    await call('AdminService', () => conn.admin.getClock({}));
  } finally {
    conn.close();
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def _services():
    return [name for proto in sorted(PROTO_DIR.glob("*.proto"))
            for name in re.findall(r"^service (\w+)", proto.read_text(), re.MULTILINE)]


def _env(cms_server):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CMS_", "NODE_"))}
    env.update(CMS_SERVER=cms_server.address, CMS_TOKEN=cms_server.token, CMS_USER="svc.manager")
    return env


def _run(cmd, cwd, env=None, timeout=300):
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_packed_tarball_installs_and_calls_every_service(cms_server, tmp_path):
    # S1.3 (segments listed with their system names), X13.1, X13.5, from the installed tarball.
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.fail("node and npm are needed (tools/cms build installs them)", pytrace=False)
    assert not tmp_path.resolve().is_relative_to(REPO), "the install must be outside the checkout"

    packed = tmp_path / "pack"
    packed.mkdir()
    pack = _run([npm, "pack", "--pack-destination", packed, "--loglevel=error"], NODE_DIR)
    assert pack.returncode == 0, f"npm pack failed:\n{pack.stdout}\n{pack.stderr}"
    assert not (NODE_DIR / "proto").exists(), "postpack left the proto copy in clients/node"
    tarballs = list(packed.glob("cms-client-*.tgz"))
    assert len(tarballs) == 1, list(packed.iterdir())
    tarball = tarballs[0]

    # Every proto of proto/cms/v1 is in the tarball, byte for byte.
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
        for proto in sorted(PROTO_DIR.glob("*.proto")):
            member = f"package/proto/cms/v1/{proto.name}"
            assert member in names, f"{member} missing from {tarball.name}: {sorted(names)}"
            assert tar.extractfile(member).read() == proto.read_bytes(), member
        meta = json.load(tar.extractfile("package/package.json"))
    services = _services()
    assert len(services) >= 8, services
    for s in services:
        assert s in meta["description"], f"package.json description does not name {s}"

    app = tmp_path / "app"
    app.mkdir()
    (app / "package.json").write_text('{"name": "cms-package-check", "private": true}\n')
    install = _run([npm, "install", "--no-audit", "--no-fund", "--prefer-offline",
                    "--loglevel=error", tarball], app)
    assert install.returncode == 0, f"npm install failed:\n{install.stdout}\n{install.stderr}"
    installed = app / "node_modules" / "cms-client"
    assert (installed / "proto" / "cms" / "v1" / "common.proto").is_file()

    env = _env(cms_server)
    example = _run([node, installed / "examples" / "list_segments.js"], app, env, timeout=60)
    assert example.returncode == 0, f"stdout:\n{example.stdout}\nstderr:\n{example.stderr}"
    segments = json.loads(example.stdout)
    assert any(s["system_name"].startswith("FS_GB_") for s in segments), segments[:3]
    assert all(s["country"] in ("GB", "NI") for s in segments), segments[:3]

    (app / "check.js").write_text(SCRIPT)
    run = _run([node, "check.js", json.dumps(services)], app, env, timeout=60)
    assert run.returncode == 0, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    out = json.loads(run.stdout)
    assert Path(out["resolved"]).resolve().is_relative_to(installed.resolve()), out["resolved"]
    assert Path(out["protoDir"]).resolve() == (installed / "proto").resolve(), out["protoDir"]
    assert all(out["services"][s] for s in services), out["services"]
    assert all(out["wrapped"][s] for s in services), out["wrapped"]
    assert set(out["calls"]) == set(services), out["calls"]
    for name, code in out["calls"].items():
        assert code in ("OK", "INVALID_ARGUMENT", "NOT_FOUND", "PERMISSION_DENIED",
                        "FAILED_PRECONDITION"), (name, code)
    assert out["calls"]["BomService"] == "OK" and out["calls"]["AdminService"] == "OK", out["calls"]
    assert out["calls"]["CasegroupService"] == "NOT_FOUND", out["calls"]
    # A refusal's cms.v1.ErrorInfo is decoded (X13.5): an unknown case is a bad case_id.
    assert out["calls"]["PaymentService"] == "INVALID_ARGUMENT", out["calls"]
    assert out["fields"]["PaymentService"] == ["case_id"], out["fields"]
