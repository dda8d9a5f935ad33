#!/usr/bin/env python3
"""Writes tests/fuzz/corpus/fuzz_request_values/: seed inputs for the target.

    .build/venv/bin/python tests/fuzz/make_seed_corpus.py   (needs cms_client)

Each seed is one byte choosing the request type (its index among every
cms.v1 method's input type, sorted by full name, as fuzz_request_values.cc
orders them) and a plausible request of that type, built by the gRPC
fuzzer's generator (tests/e2e/fuzz/message_gen.py, tame), with a fixed
seed so the files only change when the protos do. libFuzzer mutates from
there; the seeds only save it finding the shape of each message.
"""

import importlib
import pkgutil
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e" / "fuzz"))

import cms_client._gen as gen_package  # noqa: E402
from message_gen import Gen, Pool  # noqa: E402


def request_types():
    types = {}
    for info in pkgutil.iter_modules(gen_package.__path__):
        if info.name.endswith("_pb2"):
            module = importlib.import_module(f"{gen_package.__name__}.{info.name}")
            for service in module.DESCRIPTOR.services_by_name.values():
                for m in service.methods:
                    types[m.input_type.full_name] = m.input_type
    return [types[name] for name in sorted(types)]


def main():
    out = HERE / "corpus" / "fuzz_request_values"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("seed_*"):
        old.unlink()
    rng = random.Random(17)
    pool = Pool()
    for index, descriptor in enumerate(request_types()):
        if index > 255:
            break  # one byte chooses the type
        body = Gen(rng, pool, tame=True).message(descriptor).SerializeToString()
        name = f"seed_{index:03d}_{descriptor.name}"
        (out / name).write_bytes(bytes([index]) + body)
    print(f"wrote {len(list(out.glob('seed_*')))} seeds to {out}")


if __name__ == "__main__":
    main()
