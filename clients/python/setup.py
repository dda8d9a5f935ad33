"""setuptools hooks for cms-client (the metadata is in pyproject.toml).

build_py also writes the generated cms.v1 stubs into the built package as
cms_client/_gen (build_stubs.py), so the wheel, and the installed package,
carry them. The build's own files (build/, *.egg-info) go to a private temp
folder, never into the source tree: two builds from the same checkout (ctest
runs tests in parallel) cannot trip over each other, and the checkout stays
clean.
"""

import atexit
import os
import shutil
import sys
import tempfile

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build_stubs  # noqa: E402


class BuildPyWithStubs(build_py):
    """build_py, then the stubs into <build_lib>/cms_client/_gen."""

    def run(self):
        super().run()
        if self.dry_run:
            return
        out = os.path.join(self.build_lib, "cms_client", "_gen")
        try:
            written = build_stubs.generate(build_stubs.find_proto_dir(HERE), out)
        except build_stubs.StubError as e:
            sys.exit(str(e))
        self._stub_outputs = [str(p) for p in written]

    def get_outputs(self, include_bytecode=1):
        return super().get_outputs(include_bytecode) + getattr(self, "_stub_outputs", [])


_scratch = tempfile.mkdtemp(prefix="cms-client-build-")
atexit.register(shutil.rmtree, _scratch, True)

setup(
    cmdclass={"build_py": BuildPyWithStubs},
    options={
        "build": {"build_base": os.path.join(_scratch, "build")},
        "egg_info": {"egg_base": _scratch},
    },
)
