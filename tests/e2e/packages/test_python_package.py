"""The Python client as a package (ctest python_package).

A fresh virtual environment in a temp folder outside the checkout, made as a
user would (`/usr/bin/python3 -m venv --system-site-packages`: Debian's
grpcio and protobuf), `pip install --no-build-isolation clients/python` into
it (Debian's setuptools builds it and generates the stubs; --no-index:
nothing may be downloaded), then a script run from another folder, with no
PYTHONPATH and no CMS_* settings but the server's address, imports cms_client
and calls every service of the session's real server. Finally the installed
stubs are removed, and the same import must fail: the package may not find
stubs anywhere but inside itself.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PACKAGE = REPO / "clients" / "python"
SYSTEM_PYTHON = "/usr/bin/python3"

SCRIPT = r'''
import importlib, json, sys
import cms_client
from cms_client import bom_pb2, casegroup_pb2

address, token, services = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
out = {"package": cms_client.__file__, "repo_root": str(cms_client.REPO_ROOT),
       "stub_files": {}, "stubs": {}, "calls": {}}
# Every generated module comes from cms_client._gen; every service has a stub.
for module, names in services.items():
    grpc_mod = importlib.import_module(f"cms_client._gen.{module}_pb2_grpc")
    msg_mod = importlib.import_module(f"cms_client._gen.{module}_pb2")
    out["stub_files"][module] = [msg_mod.__file__, grpc_mod.__file__]
    for name in names:
        out["stubs"][name] = hasattr(grpc_mod, f"{name}Stub")
# A request message built from the package's own classes.
req = casegroup_pb2.GetCasegroupRequest(id=987654321)
assert req.SerializeToString(), "empty request"

client = cms_client.connect(address, token, "svc.manager", timeout=20)
cw = client.as_user("cw.gb.new_case.a1")
tl = client.as_user("tl.gb.new_case.a")

def call(name, fn):
    try:
        fn()
        out["calls"][name] = "OK"
    except cms_client.CmsError as e:
        out["calls"][name] = e.code.name
        out.setdefault("fields", {})[name] = [v.field for v in e.field_violations]

segments = client.bom.ListSegments(bom_pb2.ListSegmentsRequest(page_size=200)).segments
out["segments"] = [s.system_name for s in segments]
out["serving"] = client.is_serving()
call("BomService", lambda: client.bom.ListSegments(bom_pb2.ListSegmentsRequest()))
call("CasegroupService", lambda: cw.casegroups.GetCasegroup(req))
call("ServiceRequestService", lambda: cw.service_requests.ListSrTypes(
    cms_client.service_request_pb2.ListSrTypesRequest()))
call("WorkService", lambda: cw.work.ListMyWork(cms_client.work_pb2.ListMyWorkRequest(page_size=5)))
call("LetterService", lambda: cw.letters.ListLetterTemplates(
    cms_client.letter_pb2.ListLetterTemplatesRequest()))
call("ApprovalService", lambda: tl.approvals.ListApprovalInbox(
    cms_client.approval_pb2.ListApprovalInboxRequest()))
call("PaymentService", lambda: cw.payments.GetArrears(
    cms_client.payment_pb2.GetArrearsRequest(case_id=987654321)))
call("ComplianceService", lambda: cw.compliance.ListComplianceOpportunities(
    cms_client.compliance_pb2.ListComplianceOpportunitiesRequest(page_size=5)))
call("ArrearsService", lambda: cw.arrears.ListArrearsActions(
    cms_client.arrears_pb2.ListArrearsActionsRequest(page_size=5)))
call("FoiService", lambda: cw.foi.ListFoiRequests(
    cms_client.foi_pb2.ListFoiRequestsRequest(page_size=5)))
call("MpService", lambda: cw.mp.ListMpEnquiries(
    cms_client.mp_pb2.ListMpEnquiriesRequest(page_size=5)))
call("GuidanceService", lambda: cw.guidance.ListGuidanceQueue(
    cms_client.guidance_pb2.ListGuidanceQueueRequest(page_size=5)))
call("AssuranceService", lambda: cw.assurance.ListAssuranceSamples(
    cms_client.assurance_pb2.ListAssuranceSamplesRequest(page_size=5)))
call("AdminService", lambda: client.admin.GetClock(cms_client.admin_pb2.GetClockRequest()))
client.close()
print(json.dumps(out))
'''


def _services():
    """{proto module: [service names]} from proto/cms/v1/*.proto."""
    out = {}
    for proto in sorted((REPO / "proto" / "cms" / "v1").glob("*.proto")):
        out[proto.stem] = re.findall(r"^service (\w+)", proto.read_text(), re.MULTILINE)
    return out


def _clean_env(**extra):
    """The environment a user outside the checkout would have: no PYTHONPATH,
    no CMS_* settings (CMS_PY_STUBS would point into the build), no virtualenv."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CMS_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def _run(cmd, cwd, env, timeout=300):
    run = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                         timeout=timeout, check=False)
    return run


def test_pip_installed_package_calls_every_service(cms_server, tmp_path):
    # X13.1 (the client names its user), X13.5 (errors decoded), through the installed package.
    assert not tmp_path.resolve().is_relative_to(REPO), "the venv must be outside the checkout"
    venv = tmp_path / "venv"
    env = _clean_env()
    made = _run([SYSTEM_PYTHON, "-m", "venv", "--system-site-packages", venv], tmp_path, env)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"

    pip = _run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index", PACKAGE],
               tmp_path, env)
    assert pip.returncode == 0, f"pip install failed:\n{pip.stdout}\n{pip.stderr}"
    assert not (PACKAGE / "build").exists() and not list(PACKAGE.glob("*.egg-info")), \
        "the package build wrote into the source tree"

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = elsewhere / "use_cms_client.py"
    script.write_text(SCRIPT)
    services = _services()
    assert sum(len(v) for v in services.values()) >= 8, services
    run = _run([python, script, cms_server.address, cms_server.token, json.dumps(services)],
               elsewhere, env, timeout=120)
    assert run.returncode == 0, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    out = json.loads(run.stdout)

    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     elsewhere, env).stdout.strip())
    assert Path(out["package"]).resolve().is_relative_to(site.resolve()), out["package"]
    assert out["repo_root"] == "None", "the installed package thinks it runs from a checkout"
    for module, files in out["stub_files"].items():
        for f in files:
            assert Path(f).resolve().is_relative_to((site / "cms_client" / "_gen").resolve()), (module, f)
    assert set(out["stub_files"]) == set(services)
    every_service = [s for names in services.values() for s in names]
    assert all(out["stubs"][s] for s in every_service), out["stubs"]
    # Every service answered over the wire (OK, or a refusal the server made).
    assert set(out["calls"]) == set(every_service), out["calls"]
    for name, code in out["calls"].items():
        assert code in ("OK", "INVALID_ARGUMENT", "NOT_FOUND", "PERMISSION_DENIED",
                        "FAILED_PRECONDITION"), (name, code)
    assert out["calls"]["BomService"] == "OK" and out["calls"]["AdminService"] == "OK", out["calls"]
    assert out["calls"]["CasegroupService"] == "NOT_FOUND", out["calls"]
    # A refusal's cms.v1.ErrorInfo is decoded (X13.5): an unknown case is a bad case_id.
    assert out["calls"]["PaymentService"] == "INVALID_ARGUMENT", out["calls"]
    assert out["fields"]["PaymentService"] == ["case_id"], out["fields"]
    assert out["serving"] is True
    assert any(s.startswith("FS_GB_") for s in out["segments"]), out["segments"]

    # Without its stubs the installed package must not import (nothing else may stand in).
    shutil.rmtree(site / "cms_client" / "_gen")
    # (CMS_PY_STUBS, which a checkout run reads, is ignored by an installed package.)
    broken = _run([python, "-c", "import cms_client"], elsewhere,
                  _clean_env(CMS_PY_STUBS=str(REPO / ".build" / "python")))
    assert broken.returncode != 0, broken.stdout
    assert "missing from the installed package" in broken.stderr, broken.stderr


def test_package_metadata_names_every_service():
    # The description lists every service of proto/cms/v1, as the Node package's does.
    text = (PACKAGE / "pyproject.toml").read_text()
    description = re.search(r'^description = "(.*)"$', text, re.MULTILINE).group(1)
    for names in _services().values():
        for name in names:
            assert name in description, name
