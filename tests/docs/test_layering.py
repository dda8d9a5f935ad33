"""The server's layers include only what server/README.md says they may (ctest layering).

Data flows one way: api -> app -> domain, app -> store (../shared/DESIGN.md).
Each directory under server/ is one layer; a file's `#include "server/<dir>/..."`
lines must name only the layers its row allows. Also:

- no two files of one layer include each other's headers (app/payments and
  app/missed_payments once did): a cycle means one unit is two;
- "only the owning segment works an SR" (SR5.7) is stated once, in
  domain/access.cc: no other file compares a caller's segment with an owner.
"""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SERVER = REPO / "server"

# Layer -> the layers it may include (itself always). Keep in step with the
# "may include" column of server/README.md.
ALLOWED = {
    "base": set(),
    "domain": {"base"},
    "store": {"base", "domain"},
    "catalog": {"base", "domain"},
    "app": {"base", "domain", "store", "catalog"},
    "jobs": {"base", "domain", "store", "catalog", "app"},
    "auth": {"base", "domain", "app"},
    "api": {"base", "app", "auth", "jobs"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"server/([a-z_]+)/([^"]+)"', re.MULTILINE)


def _sources(layer):
    return sorted(p for p in (SERVER / layer).iterdir() if p.suffix in (".h", ".cc"))


def test_every_layer_is_listed():
    dirs = {p.name for p in SERVER.iterdir() if p.is_dir()}
    assert dirs == set(ALLOWED), f"layers without a rule, or rules without a layer: {dirs ^ set(ALLOWED)}"


def test_each_layer_includes_only_what_it_may():
    bad = []
    for layer, allowed in ALLOWED.items():
        for path in _sources(layer):
            for target, header in INCLUDE.findall(path.read_text(encoding="utf-8")):
                if target != layer and target not in allowed:
                    bad.append(f"server/{layer}/{path.name} includes server/{target}/{header}")
    assert not bad, "layering broken (server/README.md, 'may include'):\n" + "\n".join(bad)


def test_no_two_files_of_a_layer_include_each_other():
    cycles = []
    for layer in ALLOWED:
        includes = {}  # unit (file name without extension) -> units of this layer it includes
        for path in _sources(layer):
            unit = path.stem
            for target, header in INCLUDE.findall(path.read_text(encoding="utf-8")):
                other = Path(header).stem
                if target == layer and other != unit:
                    includes.setdefault(unit, set()).add(other)
        for a, targets in includes.items():
            for b in targets:
                if a < b and a in includes.get(b, set()):
                    cycles.append(f"server/{layer}/{a} <-> server/{layer}/{b}")
    assert not cycles, "units that include each other:\n" + "\n".join(cycles)


# A caller's segment (an Actor's or a Viewer's) compared with an owning
# segment in one statement.
OWNER_CHECK = re.compile(
    r"\b(?:actor|viewer|v)\.segment_id\b[^;{}]*owning_segment_id"
    r"|owning_segment_id[^;{}]*\b(?:actor|viewer|v)\.segment_id\b")
OWNER_CHECK_HOME = SERVER / "domain" / "access.cc"


def test_only_domain_access_decides_who_works_what():
    found = []
    for path in sorted(SERVER.rglob("*")):
        if path.suffix not in (".h", ".cc") or path == OWNER_CHECK_HOME:
            continue
        text = path.read_text(encoding="utf-8")
        for m in OWNER_CHECK.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found.append(f"{path.relative_to(REPO)}:{line}: {m.group(0)[:80]}")
    assert not found, ("SR5.7 / X13.1 re-implemented outside domain/access.cc "
                       "(ask domain::WorksSr / the access matrix instead):\n" + "\n".join(found))
