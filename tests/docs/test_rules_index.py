"""server/RULES.md stays true to the rulebook and to the tree (ctest rules_index).

- every rule id of the SPEC (`- **S1.3 Naming convention.**` lines of
  ../shared/SPEC.md, or $CMS_SPEC_FILE) has exactly one row, and no row names
  an id the SPEC does not have;
- every row has a status: done, partly, or not yet implemented;
- every file it says a rule is enforced in exists (under server/, or
  migrations/ at the root);
- every test file it cites exists under tests/, and every test name it gives
  is in that file.
"""

import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "server" / "RULES.md"
SPEC_CANDIDATES = [Path(os.environ["CMS_SPEC_FILE"])] if os.environ.get("CMS_SPEC_FILE") else []
SPEC_CANDIDATES += [REPO.parent / "shared" / "SPEC.md"]

ROW = re.compile(r"^\| ([A-Z]+\d+\.\d+) \| (.+?) \| (.+?) \| (.+?) \| (.+?) \|$")
FILE = re.compile(r"^[\w./-]+\.(?:cc|h|textproto|sql|py|js)$")


def _rows():
    rows = []
    for line in RULES.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            rows.append(m.groups())
    return rows


def _spec_ids():
    for spec in SPEC_CANDIDATES:
        if spec.is_file():
            text = spec.read_text(encoding="utf-8")
            return re.findall(r"^- \*\*([A-Z]+\d+\.\d+)\b", text, re.MULTILINE)
    return None


def test_one_row_per_spec_rule():
    ids = _spec_ids()
    if ids is None:
        pytest.skip(f"no SPEC.md at {', '.join(map(str, SPEC_CANDIDATES))}")
    assert len(ids) == len(set(ids)), "the SPEC repeats an id"
    rows = [r[0] for r in _rows()]
    assert sorted(rows) == sorted(set(rows)), f"ids with two rows: {sorted({r for r in rows if rows.count(r) > 1})}"
    assert set(rows) - set(ids) == set(), f"rows for ids the SPEC lacks: {sorted(set(rows) - set(ids))}"
    assert set(ids) - set(rows) == set(), f"SPEC ids without a row: {sorted(set(ids) - set(rows))}"
    assert rows == ids, "rows are not in the SPEC's order"


def test_every_row_has_a_status_and_real_files_and_tests():
    rows = _rows()
    assert len(rows) >= 80, f"only {len(rows)} rows parsed from {RULES}"
    problems = []
    for rule, _title, status, enforced, tests in rows:
        if not status.startswith(("done", "partly", "not yet implemented")):
            problems.append(f"{rule}: status {status!r}")
        if status.startswith(("done", "partly")) and (enforced == "—" or tests == "—"):
            problems.append(f"{rule}: {status.split(':')[0]} but no file or no test named")
        for token in re.findall(r"`([^`]+)`", enforced):
            if not FILE.match(token):
                continue
            path = REPO / token if token.startswith("migrations/") else REPO / "server" / token
            if not path.is_file():
                problems.append(f"{rule}: enforced in {token}: no such file")
        if tests == "—":
            continue
        for part in tests.split("; "):
            m = re.match(r"^`([^`]+)`(?:: (.+))?$", part.strip())
            if not m:
                problems.append(f"{rule}: cannot read the test citation {part!r}")
                continue
            path = REPO / "tests" / m.group(1)
            if not path.is_file():
                problems.append(f"{rule}: test file tests/{m.group(1)} does not exist")
                continue
            text = path.read_text(encoding="utf-8")
            for name in (m.group(2) or "").split(", "):
                name = name.strip()
                if name and not re.search(rf"\b{re.escape(name)}\b", text):
                    problems.append(f"{rule}: no test {name} in tests/{m.group(1)}")
    assert not problems, "\n".join(problems)
