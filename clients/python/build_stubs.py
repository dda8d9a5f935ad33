#!/usr/bin/python3
"""Generates the cms.v1 Python stubs as the subpackage cms_client._gen.

Used at package build time by setup.py (`pip install clients/python`: the
stubs go into the wheel, inside cms_client) and by the CMake build
(<build>/python/cms_client/_gen, which a source checkout run with
PYTHONPATH=clients/python imports). Generated code is never committed.

It runs Debian's `protoc` with `grpc_python_plugin` (protobuf-compiler,
protobuf-compiler-grpc: the same generators the C++ build uses; Debian's
python3-grpc-tools is far older than its grpcio) over proto/cms/v1/*.proto,
then makes the imports between the generated modules relative
(`from cms.v1 import common_pb2 as ...` -> `from . import common_pb2 as ...`)
and names each module's message classes after the module it is
(`__name__`), so the stubs live inside cms_client and need no top-level
`cms` package on sys.path. The descriptors keep their proto names
(cms/v1/*.proto, package cms.v1), which is what the server and reflection see.

    build_stubs.py --out DIR [--proto-dir DIR] [--protoc PATH] [--plugin PATH]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROTO_SUBDIR = Path("cms") / "v1"

_IMPORT = re.compile(r"^from cms\.v1 import (\w+) as (\w+)$", re.MULTILINE)
_MODULE_NAME = re.compile(r"(_builder\.BuildTopDescriptorsAndMessages\(DESCRIPTOR, )'cms\.v1\.\w+'")

_INIT = '''"""Generated gRPC/protobuf stubs of cms.v1 (build_stubs.py; do not edit).

Built from {count} proto files: {names}.
"""
'''


class StubError(RuntimeError):
    """The stubs could not be generated (no protos, no protoc, protoc failed)."""


def find_proto_dir(package_dir):
    """The proto include dir holding cms/v1/*.proto for a package source dir.

    $CMS_PROTO_DIR, else <package_dir>/proto (a copy shipped beside the
    package), else <package_dir>/../../proto (clients/python in the checkout).
    """
    package_dir = Path(package_dir).resolve()
    candidates = []
    if os.environ.get("CMS_PROTO_DIR"):
        candidates.append(Path(os.environ["CMS_PROTO_DIR"]))
    candidates += [package_dir / "proto", package_dir.parent.parent / "proto"]
    for c in candidates:
        if any((c / PROTO_SUBDIR).glob("*.proto")):
            return c.resolve()
    raise StubError("cms-client: no cms/v1/*.proto found in "
                    + ", ".join(str(c) for c in candidates)
                    + " (set CMS_PROTO_DIR to the repository's proto/ folder)")


def _tool(explicit, env, name):
    path = explicit or os.environ.get(env) or shutil.which(name) or f"/usr/bin/{name}"
    if not os.access(path, os.X_OK):
        raise StubError(f"cms-client: {name} not found (install Debian's "
                        f"{'protobuf-compiler' if name == 'protoc' else 'protobuf-compiler-grpc'}"
                        f", or set {env})")
    return path


def rewrite(text):
    """One generated module's source, with imports made package-relative."""
    text = _IMPORT.sub(r"from . import \1 as \2", text)
    text = _MODULE_NAME.sub(r"\1__name__", text)
    if re.search(r"^(from|import) cms\b", text, re.MULTILINE):
        raise StubError("cms-client: a generated module still imports the top-level cms package")
    return text


def _write_atomically(path, text):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def generate(proto_dir, out_dir, protoc=None, plugin=None):
    """Writes out_dir/{__init__,<name>_pb2,<name>_pb2_grpc}.py; returns their paths."""
    proto_dir = Path(proto_dir).resolve()
    out_dir = Path(out_dir)
    protos = sorted((proto_dir / PROTO_SUBDIR).glob("*.proto"))
    if not protos:
        raise StubError(f"cms-client: no .proto files in {proto_dir / PROTO_SUBDIR}")
    protoc = _tool(protoc, "CMS_PROTOC", "protoc")
    plugin = _tool(plugin, "CMS_GRPC_PYTHON_PLUGIN", "grpc_python_plugin")
    with tempfile.TemporaryDirectory(prefix="cms-stubs-") as tmp:
        cmd = [protoc, f"-I{proto_dir}", f"--python_out={tmp}", f"--grpc_out={tmp}",
               f"--plugin=protoc-gen-grpc={plugin}"] + [str(p) for p in protos]
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            raise StubError(f"cms-client: protoc failed ({run.returncode}):\n{run.stderr}")
        generated = sorted((Path(tmp) / PROTO_SUBDIR).glob("*.py"))
        expected = {f"{p.stem}{suffix}.py" for p in protos for suffix in ("_pb2", "_pb2_grpc")}
        missing = expected - {g.name for g in generated}
        if missing:
            raise StubError(f"cms-client: protoc did not write {sorted(missing)}")
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for g in generated:
            target = out_dir / g.name
            _write_atomically(target, rewrite(g.read_text(encoding="utf-8")))
            written.append(target)
    init = out_dir / "__init__.py"
    _write_atomically(init, _INIT.format(count=len(protos),
                                         names=", ".join(f"cms/v1/{p.name}" for p in protos)))
    written.append(init)
    # Stubs of a proto since removed would otherwise linger and still import.
    keep = {w.name for w in written}
    for stale in out_dir.glob("*.py"):
        if stale.name not in keep:
            stale.unlink()
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="the _gen package directory to write")
    ap.add_argument("--proto-dir", help="include dir holding cms/v1/*.proto "
                    "(default: $CMS_PROTO_DIR, else the repository's proto/)")
    ap.add_argument("--protoc")
    ap.add_argument("--plugin", help="grpc_python_plugin")
    args = ap.parse_args(argv)
    try:
        proto_dir = args.proto_dir or find_proto_dir(Path(__file__).resolve().parent)
        generate(proto_dir, args.out, args.protoc, args.plugin)
    except StubError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
