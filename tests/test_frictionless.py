"""The data package checked by the reference implementation, frictionless-py,
beside the project's own loader (tests/test_loader.py, tests/test_data.py).

frictionless reads data/datapackage.json from disk only (no URL is fetched:
the profiles are named, not linked), so this runs offline. A validator that
always answers "valid" would pass the first test, so the others break copies
of the package on purpose and require the validator to name what was broken.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from frictionless import validate

import deirezzor

DATA = Path(deirezzor.data_dir())
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def _problems(report) -> str:
    rows = report.flatten(["type", "rowNumber", "fieldName", "note"])
    return "\n".join(f"{t} row={r} field={f}: {n}" for t, r, f, n in rows[:20])


def test_the_package_is_valid_by_the_reference_validator():
    report = validate(str(DATA / "datapackage.json"))
    assert report.valid, "frictionless validate data/datapackage.json:\n" + _problems(report)
    # every table was read and checked, not only the descriptor
    assert {task.name for task in report.tasks} == {r["name"] for r in PACKAGE["resources"]}
    assert all(task.stats["rows"] > 0 for task in report.tasks)


def test_every_resource_declares_the_tabular_profile():
    assert PACKAGE["profile"] == "tabular-data-package"
    assert [r["name"] for r in PACKAGE["resources"] if r.get("profile") != "tabular-data-resource"] == []


def _copy(tmp_path: Path) -> Path:
    """A copy of data/ without the 2,300-row outlines table (it only slows the validator down)."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "outlines"]
    (target / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    (target / "outlines.csv").unlink()
    return target


def _edit(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_a_resource_without_the_tabular_profile_is_reported(tmp_path):
    """The error issue 11 found: a tabular-data-package whose resources do not declare the profile."""
    target = _copy(tmp_path)
    package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    del package["resources"][1]["profile"]
    (target / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    report = validate(str(target / "datapackage.json"))
    assert not report.valid
    assert "tabular-data-resource" in _problems(report)


def test_broken_rows_are_reported_with_their_row_and_field(tmp_path):
    target = _copy(tmp_path)

    def unknown_source(rows):          # events, data row 3: a source that does not exist
        rows[3][rows[0].index("source_id")] = "X99"

    def duplicate_key(rows):           # statements: data row 2 repeated as row 3
        rows.insert(3, list(rows[2]))

    def impossible_date(rows):         # figures, data row 1: 31 September
        rows[1][rows[0].index("date")] = "2016-09-31"

    _edit(target / "events.csv", unknown_source)
    _edit(target / "statements.csv", duplicate_key)
    _edit(target / "figures.csv", impossible_date)
    report = validate(str(target / "datapackage.json"))
    assert not report.valid
    found = {(t, r, f) for t, r, f in report.flatten(["type", "rowNumber", "fieldName"])}
    # frictionless counts the header as row 1, so data row n is row n + 1
    assert ("foreign-key", 4, None) in found, _problems(report)
    assert ("primary-key", 4, None) in found, _problems(report)
    assert ("type-error", 2, "date") in found, _problems(report)
    broken = {task.name for task in report.tasks if not task.valid}
    assert broken == {"events", "statements", "figures"}
