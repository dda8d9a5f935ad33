"""Builders and assertions shared by the e2e scenarios (not a test module)."""

import contextlib
import os
import random
import string
import subprocess
from pathlib import Path

import pytest

import cms_client
from cms_client import casegroup_pb2 as cg

# Valid first-two-letter prefixes (C2.1: not D F I Q U V first, not D F I O Q U V
# second, not BG GB KN NK NT TN ZZ).
_NINO_PREFIXES = ("AB", "CE", "JK", "HP", "WL", "SN", "PR", "EH", "MA", "TC")
_used_ninos = set()

REPO = Path(__file__).resolve().parents[2]
CMSCTL = Path(os.environ.get("CMS_CMSCTL_BIN", REPO / ".build" / "clients" / "cpp" / "cmsctl"))


def nino():
    """A valid NINO not yet used in this session (the database is shared)."""
    while True:
        n = (random.choice(_NINO_PREFIXES) + "".join(random.choices(string.digits, k=6))
             + random.choice("ABCD"))
        if n not in _used_ninos:
            _used_ninos.add(n)
            return n


def address(postcode, *lines):
    return cg.Address(lines=list(lines or ("1 Test Street",)), postcode=postcode)


def person(postcode="SW1A 1AA", *, sensitive=False, nino_value=None, given="Pat", family=None):
    return cg.Person(
        given_name=given,
        family_name=family or "E2e" + "".join(random.choices(string.ascii_lowercase, k=6)),
        date_of_birth=cms_client.date(1985, 6, 15),
        nino=nino_value if nino_value is not None else nino(),
        residential_address=address(postcode),
        nationally_sensitive=sensitive,
    )


def application(pp, rp, *, request_id=None, child="Sam"):
    """A CreateApplicationRequest with two new parties and one child."""
    return cg.CreateApplicationRequest(
        request_id=request_id or cms_client.new_request_id(),
        paying_parent=cg.PartyRef(new_person=pp),
        receiving_parent=cg.PartyRef(new_person=rp),
        children=[cg.QualifyingChild(given_name=child, family_name=rp.family_name,
                                     date_of_birth=cms_client.date(2015, 1, 20))],
        pp_requested_service_type=cg.SERVICE_TYPE_DIRECT_PAY,
        rp_requested_service_type=cg.SERVICE_TYPE_COLLECT_AND_PAY,
    )


@contextlib.contextmanager
def raises_code(code):
    """Expects a CmsError with `code`; yields the pytest ExceptionInfo."""
    with pytest.raises(cms_client.CmsError) as excinfo:
        yield excinfo
    assert excinfo.value.code == code, str(excinfo.value)


def cmsctl(cms_server, *args, user="svc.manager"):
    """Runs cmsctl against the session's server as `user`; the CompletedProcess."""
    if not CMSCTL.is_file():
        pytest.fail(f"{CMSCTL} is missing: build it (tools/cms build)", pytrace=False)
    env = dict(os.environ)
    env.update(CMS_SERVER=cms_server.address, CMS_TOKEN=cms_server.token, CMS_USER=user)
    env.pop("CMS_DEV_FILE", None)
    return subprocess.run([str(CMSCTL), *args], env=env, capture_output=True, text=True,
                          timeout=60)
