"""Randomized gRPC fuzzer over every cms.v1 method (issue 17, "drills that stay").

ctest `grpc_fuzz` runs this file alone, so it has a server and a database of
its own (tests/e2e/conftest.py's cms_server fixture): it moves the test clock
and fills tables with whatever the server accepts, which the e2e scenarios
must never see.

Every method of every service in the installed cms_client's descriptors (no
hand list) is called with requests built from its request descriptor
(message_gen.py), as several demo staff and an unknown one, many calls in
flight, each with a deadline. Fails on: the server process dying; a call
past its deadline (the server answers in milliseconds; a hang is a bug);
INTERNAL or UNKNOWN; UNAVAILABLE (the transport broke); a non-OK status with
an empty message or without the cms.v1.ErrorInfo detail (X13.5). At the end
the server must still answer its health check.

Environment (each optional):
  CMS_FUZZ_SEED      the seed (printed; default: random)
  CMS_FUZZ_CALLS     calls to make (default 20000)
  CMS_FUZZ_SECONDS   wall-clock budget for the calls (default 50): stops early
                     on a slow machine, printing how many were made
  CMS_FUZZ_WORKERS   calls in flight (default 8)
  CMS_FUZZ_DEADLINE  seconds each call may take (default 15)
Reproduce a failure: each failing call is printed with its method, user and
request bytes (hex); CMS_FUZZ_SEED=<seed> CMS_FUZZ_WORKERS=1 replays the same
request stream (the ids it picks depend on what the server answered).
"""

import collections
import concurrent.futures
import importlib
import os
import pkgutil
import random
import threading
import time

import grpc

import cms_client
import cms_client._gen as gen_package
from cms_client import common_pb2
from cms_e2e import application, person
from message_gen import Gen, Pool

USERS = (  # (staff id, weight): every role of the demo BOM, and nobody
    ("svc.manager", 28), ("tl.gb.new_case.a", 16), ("cw.gb.new_case.a1", 20),
    ("cw.ni.maintenance.a1", 6), ("sm.gb.new_case", 6), ("qa.auditor", 12),
    ("no.such.person", 10), ("", 2))
BAD_CODES = (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.UNAVAILABLE,
             grpc.StatusCode.DEADLINE_EXCEEDED)
RAW_SHARE = 0.12   # of calls sent as hand-made wire bytes
TAME_SHARE = 0.4   # of the others built of plausible values (message_gen.Gen tame)
EXAMPLES = 8      # failing calls kept per kind of failure


def _env_int(name, default):
    return int(os.environ.get(name) or default)


def discover_methods():
    """(path, request descriptor, response class) of every cms.v1 method."""
    methods = []
    for info in pkgutil.iter_modules(gen_package.__path__):
        if not info.name.endswith("_pb2"):
            continue
        module = importlib.import_module(f"{gen_package.__name__}.{info.name}")
        for service in module.DESCRIPTOR.services_by_name.values():
            for m in service.methods:
                methods.append((f"/{service.full_name}/{m.name}", m.input_type,
                                m.output_type._concrete_class))
    return sorted(methods, key=lambda m: m[0])


class Fuzzer:
    def __init__(self, server, seed, deadline):
        self.server = server
        self.seed = seed
        self.deadline = deadline
        self.channel = grpc.insecure_channel(server.address, options=[
            ("grpc.max_receive_message_length", 64 << 20)])
        self.methods = discover_methods()
        self.callables = {path: self.channel.unary_unary(path) for path, _, _ in self.methods}
        self.pool = Pool()
        self.lock = threading.Lock()
        self.codes = collections.Counter()
        self.by_method = collections.defaultdict(collections.Counter)
        self.failures = collections.defaultdict(list)
        self.calls = 0
        # (method, user) pairs the role matrix refused: a tame call is made
        # by someone else, so it reaches the use case.
        self.denied = set()

    def metadata(self, user):
        md = [("authorization", f"Bearer {self.server.token}")]
        if user:
            md.append(("x-cms-user", user))
        return md

    def call(self, path, payload, user, response_class):
        """Sends bytes; returns (code, message, ErrorInfo or None, response or None)."""
        try:
            answer = self.callables[path](payload, timeout=self.deadline,
                                          metadata=self.metadata(user))
            return grpc.StatusCode.OK, "", None, response_class.FromString(answer)
        except grpc.RpcError as e:
            return e.code(), e.details() or "", cms_client.error_info(e), None

    def seed_rows(self):
        """Real rows to aim at: the demo BOM, lists, and a few applications."""
        manager = cms_client.connect(self.server.address, self.server.token, "svc.manager")
        try:
            for i, (cw, pp, rp) in enumerate((("cw.gb.new_case.a1", "LS1 1UR", "LS2 7EY"),
                                              ("cw.gb.new_case.a2", "EH1 1YZ", "G1 1AA"),
                                              ("cw.ni.new_case.a1", "BT1 5GS", "CF10 1AA"))):
                app = manager.as_user(cw).casegroups.CreateApplication(
                    application(person(pp), person(rp)))
                self.pool.harvest(app)
        finally:
            manager.close()
        for path, request, response_class in self.methods:
            if path.rsplit("/", 1)[1].startswith(("List", "Get")):
                for user in ("svc.manager", "tl.gb.new_case.a", "qa.auditor"):
                    _, _, _, resp = self.call(path, b"", user, response_class)
                    if resp is not None:
                        self.pool.harvest(resp)

    def one(self, index):
        rng = random.Random(self.seed * 1_000_003 + index)
        path, request, response_class = rng.choice(self.methods)
        user = rng.choices([u for u, _ in USERS], weights=[w for _, w in USERS])[0]
        gen = Gen(rng, self.pool)
        if rng.random() < RAW_SHARE:
            payload, kind = gen.raw(request), "raw"
        elif rng.random() < TAME_SHARE:
            gen.tame = True
            payload, kind = gen.message(request).SerializeToString(), "tame"
            allowed = [u for u, _ in USERS[:6] if (path, u) not in self.denied]
            user = rng.choice(allowed) if allowed else user
        else:
            payload, kind = gen.message(request).SerializeToString(), "message"
        started = time.monotonic()
        code, message, info, resp = self.call(path, payload, user, response_class)
        took = time.monotonic() - started
        with self.lock:
            self.calls += 1
            self.codes[code.name] += 1
            self.by_method[path][code.name] += 1
            if resp is not None:
                self.pool.harvest(resp)
            if code == grpc.StatusCode.PERMISSION_DENIED and info is not None \
                    and info.rule_id == "S1.4":
                self.denied.add((path, user))
            why = None
            if code in BAD_CODES:
                why = code.name
            elif code != grpc.StatusCode.OK and not message:
                why = "empty message"
            elif code != grpc.StatusCode.OK and info is None:
                why = "no ErrorInfo"
            if why is not None:
                self.failures[why].append(
                    f"#{index} {path} as {user or '(none)'} ({kind}, {len(payload)} bytes, "
                    f"{took:.2f} s): {code.name} {message[:200]!r}\n    request hex: "
                    f"{payload[:600].hex()}{'...' if len(payload) > 600 else ''}")

    def run(self, calls, seconds, workers):
        stop_at = time.monotonic() + seconds
        counter = iter(range(calls))
        counter_lock = threading.Lock()

        def worker():
            while time.monotonic() < stop_at and self.server.proc.poll() is None:
                with counter_lock:
                    index = next(counter, None)
                if index is None:
                    return
                self.one(index)

        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            for f in [pool.submit(worker) for _ in range(workers)]:
                f.result()


def test_grpc_fuzz_every_method(cms_server, capsys):
    seed = _env_int("CMS_FUZZ_SEED", random.SystemRandom().randrange(1 << 31))
    calls = _env_int("CMS_FUZZ_CALLS", 20000)
    seconds = float(os.environ.get("CMS_FUZZ_SECONDS") or 50)
    workers = _env_int("CMS_FUZZ_WORKERS", 8)
    fuzzer = Fuzzer(cms_server, seed, float(os.environ.get("CMS_FUZZ_DEADLINE") or 15))
    assert len(fuzzer.methods) > 100, f"only {len(fuzzer.methods)} methods discovered"
    fuzzer.seed_rows()
    started = time.monotonic()
    fuzzer.run(calls, seconds, workers)
    took = time.monotonic() - started

    alive = cms_server.proc.poll() is None
    serving = False
    if alive:
        probe = cms_client.connect(cms_server.address, cms_server.token, "svc.manager")
        try:
            serving = probe.is_serving(timeout=10)
        finally:
            probe.close()
    untried = [p for p, _, _ in fuzzer.methods if p not in fuzzer.by_method]
    summary = (f"grpc_fuzz: seed {seed}: {fuzzer.calls} calls over {len(fuzzer.methods)} methods "
               f"in {took:.1f} s ({fuzzer.calls / max(took, 1e-9):.0f}/s, {workers} in flight); "
               f"codes {dict(fuzzer.codes.most_common())}; "
               f"{len(fuzzer.by_method)} methods tried, "
               f"{sum(1 for c in fuzzer.by_method.values() if c['OK'])} answered OK at least once")
    with capsys.disabled():
        print(f"\n{summary}")
    problems = []
    if not alive:
        problems.append(f"cms_server died (exit {cms_server.proc.returncode})")
    elif not serving:
        problems.append("cms_server no longer answers its health check")
    for why, examples in sorted(fuzzer.failures.items()):
        problems.append(f"{len(examples)} calls: {why}; first {min(EXAMPLES, len(examples))}:\n  "
                        + "\n  ".join(examples[:EXAMPLES]))
    assert not problems, (f"{summary}\nreproduce with CMS_FUZZ_SEED={seed}\n" + "\n".join(problems)
                          + f"\nuntried methods: {untried}")
