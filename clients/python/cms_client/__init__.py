"""cms_client: a thin Python client for the CMS gRPC server.

    import cms_client
    client = cms_client.connect()              # CMS_SERVER / CMS_TOKEN / CMS_USER or .cms/dev.env
    segs = client.bom.ListSegments(cms_client.bom_pb2.ListSegmentsRequest())
    cw = client.as_user("cw.gb.new_case.a1")   # same channel, another staff member
    st = cw.payments.GetStatement(cms_client.payment_pb2.GetStatementRequest(case_id=1))  # M7.6

Every call made through `client.bom`, `client.casegroups`,
`client.service_requests`, `client.work`, `client.letters`, `client.approvals`,
`client.payments`, `client.compliance`, `client.arrears`, `client.foi`, `client.mp`,
`client.guidance`, `client.admin` and `client.health` carries the `authorization: Bearer <token>` and
`client.payments`, `client.compliance`, `client.arrears`, `client.foi`, `client.assurance`, `client.admin` and `client.health` carries the `authorization: Bearer <token>` and
`x-cms-user: <staff id>` metadata, and a failed call raises `CmsError`
(a `grpc.RpcError`) with `.code`, `.message` and `.info` (the `cms.v1.ErrorInfo`
status detail, or None).

The generated stubs are the subpackage cms_client._gen: inside the installed
package (`pip install clients/python` generates them), or, when this is the
source checkout on PYTHONPATH, the build's <build>/python/cms_client/_gen
($CMS_PY_STUBS names <build>/python; default <repo>/.build/python), which is
then made part of this package. Nothing is put on sys.path.
Thread-safety: a Client (and every stub it hands out) may be shared by threads,
as gRPC channels and stubs may.
"""

import collections
import os
import uuid
from pathlib import Path

import grpc

_PACKAGE_DIR = Path(__file__).resolve().parent
# Run from the source checkout (clients/python on PYTHONPATH): <repo>;
# installed (site-packages): None.
REPO_ROOT = (_PACKAGE_DIR.parents[2]
             if len(_PACKAGE_DIR.parents) > 2
             and (_PACKAGE_DIR.parent / "pyproject.toml").is_file()
             and (_PACKAGE_DIR.parents[2] / "proto").is_dir() else None)
if not (_PACKAGE_DIR / "_gen").is_dir() and REPO_ROOT is not None:
    # The checkout has no generated code: its _gen is the build's.
    STUBS_DIR = Path(os.environ.get("CMS_PY_STUBS") or REPO_ROOT / ".build" / "python")
    __path__.append(str(STUBS_DIR / "cms_client"))  # noqa: F821 (the package's own __path__)
else:
    STUBS_DIR = _PACKAGE_DIR.parent

try:
    from ._gen import admin_pb2, admin_pb2_grpc  # noqa: E402
    from ._gen import approval_pb2, approval_pb2_grpc  # noqa: E402
    from ._gen import arrears_pb2, arrears_pb2_grpc  # noqa: E402
    from ._gen import bom_pb2, bom_pb2_grpc  # noqa: E402
    from ._gen import casegroup_pb2, casegroup_pb2_grpc  # noqa: E402
    from ._gen import catalog_pb2  # noqa: E402
    from ._gen import common_pb2  # noqa: E402
    from ._gen import compliance_pb2, compliance_pb2_grpc  # noqa: E402
    from ._gen import foi_pb2, foi_pb2_grpc  # noqa: E402
    from ._gen import guidance_pb2, guidance_pb2_grpc  # noqa: E402
    from ._gen import assurance_pb2, assurance_pb2_grpc  # noqa: E402
    from ._gen import letter_pb2, letter_pb2_grpc  # noqa: E402
    from ._gen import mp_pb2, mp_pb2_grpc  # noqa: E402
    from ._gen import payment_pb2, payment_pb2_grpc  # noqa: E402
    from ._gen import service_request_pb2, service_request_pb2_grpc  # noqa: E402
    from ._gen import work_pb2, work_pb2_grpc  # noqa: E402
except ImportError as _e:  # pragma: no cover - depends on the build
    if REPO_ROOT is None:
        raise ImportError(
            f"cms_client: the generated stubs (cms_client._gen) are missing from the installed "
            f"package at {_PACKAGE_DIR} ({_e}); reinstall it: pip install --no-build-isolation "
            "<repo>/clients/python") from _e
    raise ImportError(
        f"cms_client: generated Python stubs not found in {STUBS_DIR}/cms_client/_gen ({_e}); "
        "build the project (tools/cms build) or point CMS_PY_STUBS at <build>/python"
    ) from _e

from google.protobuf import duration_pb2  # noqa: E402

from . import _health as health_pb2  # noqa: E402

HealthCheckRequest = health_pb2.HealthCheckRequest
HealthCheckResponse = health_pb2.HealthCheckResponse

DEFAULT_SERVER = "127.0.0.1:50051"
DEFAULT_TIMEOUT = 30.0  # seconds, per call, unless the caller passes timeout=
STATUS_DETAILS_KEY = "grpc-status-details-bin"

__all__ = [
    "Client",
    "CmsError",
    "connect",
    "error_info",
    "error_info_from_status",
    "new_request_id",
    "date",
    "duration",
    "admin_pb2",
    "approval_pb2",
    "bom_pb2",
    "casegroup_pb2",
    "catalog_pb2",
    "common_pb2",
    "compliance_pb2",
    "arrears_pb2",
    "foi_pb2",
    "mp_pb2",
    "guidance_pb2",
    "assurance_pb2",
    "letter_pb2",
    "payment_pb2",
    "service_request_pb2",
    "work_pb2",
    "health_pb2",
    "admin_pb2_grpc",
    "approval_pb2_grpc",
    "bom_pb2_grpc",
    "casegroup_pb2_grpc",
    "compliance_pb2_grpc",
    "arrears_pb2_grpc",
    "foi_pb2_grpc",
    "mp_pb2_grpc",
    "guidance_pb2_grpc",
    "assurance_pb2_grpc",
    "letter_pb2_grpc",
    "payment_pb2_grpc",
    "service_request_pb2_grpc",
    "work_pb2_grpc",
    "HealthCheckRequest",
    "HealthCheckResponse",
    "REPO_ROOT",
    "dev_env_file",
]


# --------------------------------------------------------------------------
# Errors


_GOOGLE_RPC_TYPES = None


def _google_rpc_types():
    """(ErrorInfo, BadRequest) classes of google.rpc, built once in a private pool.

    Debian ships no googleapis-common-protos for Python; the two messages are
    declared here (official names and field numbers) in a descriptor pool of
    their own, so they never clash with a googleapis package the caller may
    have installed.
    """
    global _GOOGLE_RPC_TYPES
    if _GOOGLE_RPC_TYPES is None:
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

        F = descriptor_pb2.FieldDescriptorProto
        f = descriptor_pb2.FileDescriptorProto(name="google/rpc/error_details.proto",
                                               package="google.rpc", syntax="proto3")
        info = f.message_type.add(name="ErrorInfo")
        info.field.add(name="reason", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        info.field.add(name="domain", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        entry = info.nested_type.add(name="MetadataEntry")
        entry.options.map_entry = True
        entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        entry.field.add(name="value", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        info.field.add(name="metadata", number=3, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED,
                       type_name=".google.rpc.ErrorInfo.MetadataEntry")
        bad = f.message_type.add(name="BadRequest")
        violation = bad.nested_type.add(name="FieldViolation")
        violation.field.add(name="field", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        violation.field.add(name="description", number=2, type=F.TYPE_STRING,
                            label=F.LABEL_OPTIONAL)
        bad.field.add(name="field_violations", number=1, type=F.TYPE_MESSAGE,
                      label=F.LABEL_REPEATED, type_name=".google.rpc.BadRequest.FieldViolation")
        pool = descriptor_pool.DescriptorPool()
        pool.Add(f)
        factory = message_factory.MessageFactory(pool)
        _GOOGLE_RPC_TYPES = tuple(
            factory.GetPrototype(pool.FindMessageTypeByName(n))
            for n in ("google.rpc.ErrorInfo", "google.rpc.BadRequest"))
    return _GOOGLE_RPC_TYPES


def _type_name(any_):
    return any_.type_url.rsplit("/", 1)[-1]


def error_info_from_status(status):
    """The cms.v1.ErrorInfo of a decoded google.rpc.Status (as RpcStatus), or None.

    The server sends cms.v1.ErrorInfo beside AIP-193's google.rpc.ErrorInfo
    and google.rpc.BadRequest; when only the google.rpc ones are there (a
    proxy, another server), one is assembled from them: reason,
    metadata["rule_id"], and each field violation.
    """
    assembled = None
    for any_ in status.details:
        name = _type_name(any_)
        if name == "cms.v1.ErrorInfo":
            return common_pb2.ErrorInfo.FromString(any_.value)
        if name in ("google.rpc.ErrorInfo", "google.rpc.BadRequest"):
            google_info, bad_request = _google_rpc_types()
            assembled = assembled or common_pb2.ErrorInfo()
            if name == "google.rpc.ErrorInfo":
                g = google_info.FromString(any_.value)
                assembled.reason = g.reason
                assembled.rule_id = g.metadata.get("rule_id", "")
            else:
                for v in bad_request.FromString(any_.value).field_violations:
                    assembled.field_violations.add(field=v.field, description=v.description)
    return assembled


def error_info(rpc_error):
    """The cms.v1.ErrorInfo the server attached to a failed call, or None.

    Decodes the `grpc-status-details-bin` trailer (a google.rpc.Status, read
    as the wire-identical cms.v1.RpcStatus) and takes the detail that is a
    cms.v1.ErrorInfo, else one assembled from the google.rpc details (see
    error_info_from_status). Accepts a grpc.RpcError (as raised by plain
    stubs) or a CmsError.
    """
    if isinstance(rpc_error, CmsError):
        return rpc_error.info
    trailing = getattr(rpc_error, "trailing_metadata", None)
    if not callable(trailing):
        return None
    try:
        metadata = trailing() or ()
    except Exception:  # a call that never reached the server
        return None
    for key, value in metadata:
        if key != STATUS_DETAILS_KEY:
            continue
        if isinstance(value, str):
            value = value.encode("latin-1")
        try:
            return error_info_from_status(common_pb2.RpcStatus.FromString(value))
        except Exception:
            return None
    return None


class CmsError(grpc.RpcError):
    """A failed call: `.code` (grpc.StatusCode), `.message`, `.info` (ErrorInfo or None).

    `.rpc_error` is the original grpc.RpcError; `.method` the full method name.
    """

    def __init__(self, code, message, info=None, rpc_error=None, method=""):
        self.code = code
        self.message = message
        self.info = info
        self.rpc_error = rpc_error
        self.method = method
        super().__init__(str(self))

    @classmethod
    def from_rpc_error(cls, err, method=""):
        code = err.code() if callable(getattr(err, "code", None)) else grpc.StatusCode.UNKNOWN
        details = err.details() if callable(getattr(err, "details", None)) else str(err)
        return cls(code, details or "", error_info(err), err, method)

    # Shortcuts into the ErrorInfo.
    @property
    def rule_id(self):
        return self.info.rule_id if self.info is not None else ""

    @property
    def reason(self):
        return self.info.reason if self.info is not None else ""

    @property
    def field_violations(self):
        return list(self.info.field_violations) if self.info is not None else []

    # The grpc.Call accessors, for code written against plain gRPC errors.
    def details(self):
        return self.message

    def trailing_metadata(self):
        if self.rpc_error is not None and callable(getattr(self.rpc_error, "trailing_metadata", None)):
            return self.rpc_error.trailing_metadata()
        return None

    def __str__(self):
        name = getattr(self.code, "name", str(self.code))
        s = f"{name}: {self.message}"
        if self.method:
            s = f"{self.method}: {s}"
        if self.info is not None:
            extra = []
            if self.info.rule_id:
                extra.append(f"rule {self.info.rule_id}")
            if self.info.reason:
                extra.append(f"reason {self.info.reason}")
            for v in self.info.field_violations:
                extra.append(f"{v.field}: {v.description}")
            if extra:
                s += " [" + "; ".join(extra) + "]"
        return s

    def __repr__(self):
        return f"CmsError({self})"


# --------------------------------------------------------------------------
# Metadata and stubs


class _CallDetails(
    collections.namedtuple(
        "_CallDetails",
        ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression"),
    ),
    grpc.ClientCallDetails,
):
    pass


class _AuthInterceptor(
    grpc.UnaryUnaryClientInterceptor,
    grpc.UnaryStreamClientInterceptor,
    grpc.StreamUnaryClientInterceptor,
    grpc.StreamStreamClientInterceptor,
):
    """Adds `authorization` and `x-cms-user` to every call (caller-given values win)."""

    def __init__(self, token, user):
        self._headers = (("authorization", f"Bearer {token}"), ("x-cms-user", user))

    def _details(self, d):
        metadata = list(d.metadata or ())
        present = {k.lower() for k, _ in metadata}
        metadata.extend(h for h in self._headers if h[0] not in present)
        return _CallDetails(
            d.method,
            d.timeout,
            metadata,
            getattr(d, "credentials", None),
            getattr(d, "wait_for_ready", None),
            getattr(d, "compression", None),
        )

    def intercept_unary_unary(self, continuation, client_call_details, request):
        return continuation(self._details(client_call_details), request)

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return continuation(self._details(client_call_details), request)

    def intercept_stream_unary(self, continuation, client_call_details, request_iterator):
        return continuation(self._details(client_call_details), request_iterator)

    def intercept_stream_stream(self, continuation, client_call_details, request_iterator):
        return continuation(self._details(client_call_details), request_iterator)


class _Method:
    """One stub method: same call signature; raises CmsError instead of grpc.RpcError."""

    def __init__(self, multicallable, name, default_timeout):
        self._m = multicallable
        self._name = name
        self._timeout = default_timeout
        self._streaming = isinstance(
            multicallable, (grpc.UnaryStreamMultiCallable, grpc.StreamStreamMultiCallable)
        )

    def _kw(self, kwargs):
        if kwargs.get("timeout") is None and self._timeout is not None:
            kwargs["timeout"] = self._timeout
        return kwargs

    def __call__(self, request, **kwargs):
        if self._streaming:  # long-lived streams (Health/Watch) get no default deadline
            return self._stream(request, kwargs)
        try:
            return self._m(request, **self._kw(kwargs))
        except grpc.RpcError as e:
            raise CmsError.from_rpc_error(e, self._name) from None

    def _stream(self, request, kwargs):
        try:
            yield from self._m(request, **kwargs)
        except grpc.RpcError as e:
            raise CmsError.from_rpc_error(e, self._name) from None

    def with_call(self, request, **kwargs):
        """(response, call), as the plain multicallable's with_call."""
        try:
            return self._m.with_call(request, **self._kw(kwargs))
        except grpc.RpcError as e:
            raise CmsError.from_rpc_error(e, self._name) from None

    def future(self, request, **kwargs):
        """The plain gRPC future (its errors are grpc.RpcError; see error_info)."""
        return self._m.future(request, **self._kw(kwargs))

    def __repr__(self):
        return f"<cms_client method {self._name}>"


class _Stub:
    """Wraps a generated stub: every method raises CmsError on failure."""

    def __init__(self, stub, service, default_timeout):
        self._stub = stub
        self._service = service
        for name, value in vars(stub).items():
            if callable(value) and not name.startswith("_"):
                setattr(self, name, _Method(value, f"{service}/{name}", default_timeout))

    def __repr__(self):
        return f"<cms_client stub {self._service}>"


# --------------------------------------------------------------------------
# Client


def dev_env_file():
    """The .cms/dev.env that connect() reads, or None.

    $CMS_DEV_FILE, else .cms/dev.env in the current directory or its nearest
    parent that has one (as cmsctl), else the source checkout's own.
    """
    if os.environ.get("CMS_DEV_FILE"):
        return Path(os.environ["CMS_DEV_FILE"])
    here = Path.cwd()
    for d in (here, *here.parents):
        if (d / ".cms" / "dev.env").is_file():
            return d / ".cms" / "dev.env"
    if REPO_ROOT is not None and (REPO_ROOT / ".cms" / "dev.env").is_file():
        return REPO_ROOT / ".cms" / "dev.env"
    return None


def _read_dev_env(path=None):
    path = path or dev_env_file()
    values = {}
    if path is None:
        return values
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#") or "=" not in line:
                    continue
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip().strip('"').strip("'")
    except OSError:
        pass
    return values


class Client:
    """A connection to the server acting as one staff member.

    Use `connect()` to make one; `as_user()` gives another staff member's view
    over the same channel. Close the client made by connect() (or use it as a
    context manager) to close the channel.
    """

    def __init__(self, server, token, user, *, channel=None, timeout=DEFAULT_TIMEOUT):
        if not token:
            raise ValueError("cms_client: no token (pass token=, set CMS_TOKEN, or run tools/cms up)")
        if not user:
            raise ValueError("cms_client: no staff id (pass user=, set CMS_USER, or run tools/cms up)")
        self.server = server
        self.token = token
        self.user = user
        self.timeout = timeout
        self._owns_channel = channel is None
        self.raw_channel = channel if channel is not None else grpc.insecure_channel(server)
        # Any stub built on this channel carries the metadata.
        self.channel = grpc.intercept_channel(self.raw_channel, _AuthInterceptor(token, user))
        self._stubs = {}

    def as_user(self, staff_id):
        """A Client sharing this channel that acts as `staff_id`."""
        return Client(self.server, self.token, staff_id, channel=self.raw_channel, timeout=self.timeout)

    def _stub(self, key, factory, service):
        stub = self._stubs.get(key)
        if stub is None:
            stub = self._stubs[key] = _Stub(factory(self.channel), service, self.timeout)
        return stub

    @property
    def bom(self):
        """cms.v1.BomService."""
        return self._stub("bom", bom_pb2_grpc.BomServiceStub, "cms.v1.BomService")

    @property
    def casegroups(self):
        """cms.v1.CasegroupService."""
        return self._stub("casegroups", casegroup_pb2_grpc.CasegroupServiceStub, "cms.v1.CasegroupService")

    @property
    def service_requests(self):
        """cms.v1.ServiceRequestService."""
        return self._stub("service_requests", service_request_pb2_grpc.ServiceRequestServiceStub,
                          "cms.v1.ServiceRequestService")

    @property
    def work(self):
        """cms.v1.WorkService."""
        return self._stub("work", work_pb2_grpc.WorkServiceStub, "cms.v1.WorkService")

    @property
    def letters(self):
        """cms.v1.LetterService."""
        return self._stub("letters", letter_pb2_grpc.LetterServiceStub, "cms.v1.LetterService")

    @property
    def approvals(self):
        """cms.v1.ApprovalService."""
        return self._stub("approvals", approval_pb2_grpc.ApprovalServiceStub,
                          "cms.v1.ApprovalService")

    @property
    def payments(self):
        """cms.v1.PaymentService: service type, MOPF/MOPT, schedules, payments, arrears,
        statement, fees (M7.*). Amounts are whole pence."""
        return self._stub("payments", payment_pb2_grpc.PaymentServiceStub,
                          "cms.v1.PaymentService")

    @property
    def compliance(self):
        """cms.v1.ComplianceService: the Segment 5 compliance opportunity (S5.*)."""
        return self._stub("compliance", compliance_pb2_grpc.ComplianceServiceStub,
                          "cms.v1.ComplianceService")

    @property
    def arrears(self):
        """cms.v1.ArrearsService: arrears, consider action (AR10.*)."""
        return self._stub("arrears", arrears_pb2_grpc.ArrearsServiceStub,
                          "cms.v1.ArrearsService")

    @property
    def foi(self):
        """cms.v1.FoiService: Freedom of Information requests (AG11.3)."""
        return self._stub("foi", foi_pb2_grpc.FoiServiceStub, "cms.v1.FoiService")

    @property
    def mp(self):
        """cms.v1.MpService: MP contact, the government relations team's enquiries (AG11.4)."""
        return self._stub("mp", mp_pb2_grpc.MpServiceStub, "cms.v1.MpService")

    @property
    def guidance(self):
        """cms.v1.GuidanceService: Advice and Guidance requests, the A&G SR's
        answer and the special client records' private requests (AG11.1)."""
        return self._stub("guidance", guidance_pb2_grpc.GuidanceServiceStub,
                          "cms.v1.GuidanceService")

    @property
    def assurance(self):
        """cms.v1.AssuranceService: Q&A sampling, checks, feedback, corrective
        actions and coaching (AG11.2)."""
        return self._stub("assurance", assurance_pb2_grpc.AssuranceServiceStub,
                          "cms.v1.AssuranceService")

    @property
    def admin(self):
        """cms.v1.AdminService."""
        return self._stub("admin", admin_pb2_grpc.AdminServiceStub, "cms.v1.AdminService")

    @property
    def health(self):
        """grpc.health.v1.Health (Check, Watch)."""
        return self._stub("health", health_pb2.HealthStub, "grpc.health.v1.Health")

    def is_serving(self, service="", timeout=5.0):
        """True when Health/Check answers SERVING."""
        try:
            resp = self.health.Check(HealthCheckRequest(service=service), timeout=timeout)
        except grpc.RpcError:
            return False
        return resp.status == health_pb2.SERVING

    def close(self):
        """Closes the channel if this client opened it (as_user clients share it)."""
        if self._owns_channel:
            self.raw_channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return f"<cms_client.Client {self.server} as {self.user}>"


def connect(server=None, token=None, user=None, *, timeout=DEFAULT_TIMEOUT):
    """A Client over an insecure channel.

    Each of server/token/user comes from the argument, else the environment
    (CMS_SERVER, CMS_TOKEN, CMS_USER), else .cms/dev.env (written by
    `tools/cms up`; see dev_env_file()); the server defaults to
    127.0.0.1:50051. `timeout` is the default per-call deadline in seconds (None for none).
    """
    dev = None

    def pick(value, key):
        nonlocal dev
        if value:
            return value
        if os.environ.get(key):
            return os.environ[key]
        if dev is None:
            dev = _read_dev_env()
        return dev.get(key) or None

    return Client(
        pick(server, "CMS_SERVER") or DEFAULT_SERVER,
        pick(token, "CMS_TOKEN"),
        pick(user, "CMS_USER"),
        timeout=timeout,
    )


# --------------------------------------------------------------------------
# Small helpers


def new_request_id():
    """A fresh request_id for a create or command (X13.4)."""
    return str(uuid.uuid4())


def date(y, m, d):
    """A cms.v1.Date."""
    return common_pb2.Date(year=y, month=m, day=d)


def duration(days=0, hours=0, minutes=0, seconds=0):
    """A google.protobuf.Duration (e.g. for AdvanceClock)."""
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    whole = int(total)
    return duration_pb2.Duration(seconds=whole, nanos=int(round((total - whole) * 1e9)))
