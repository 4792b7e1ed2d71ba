"""The labels of the data's codes live in data/datapackage.json (Table Schema
``categories``), and deirezzor/labels.py reads them from there.

Every code that occurs in the data has a label that ``style.label`` gives; a
code the package does not know is humanised, never shown raw; a package whose
categories disagree with its enums, or label one code two ways, is refused
with one clear DataError naming the field.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import deirezzor
from deirezzor import data, labels, style
from deirezzor.data import DataError

DATA = Path(deirezzor.data_dir())
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def _coded_fields():
    """[(resource, field)] for every field with an enum of codes (time-zone
    names such as Asia/Damascus are shown as they are: no categories)."""
    return [(r["name"], f) for r in PACKAGE["resources"] for f in r["schema"]["fields"]
            if f.get("constraints", {}).get("enum")
            and not any("/" in str(v) for v in f["constraints"]["enum"])]


def test_every_coded_field_carries_categories_for_exactly_its_enum():
    fields = _coded_fields()
    assert len(fields) > 20, "no coded fields found: the test is broken"
    for res, f in fields:
        cats = f.get("categories")
        assert isinstance(cats, list), f"{res}.{f['name']}: no categories"
        assert [c["value"] for c in cats] == f["constraints"]["enum"], f"{res}.{f['name']}"
        for c in cats:
            assert set(c) == {"value", "label"}, (res, f["name"], c)
            assert c["label"].strip() and "_" not in c["label"] and c["label"][:1].isupper(), c


def test_every_code_that_occurs_in_the_data_has_its_label():
    tables = deirezzor.load_all()
    seen = 0
    for res, f in _coded_fields():
        wanted = {c["value"]: c["label"] for c in f["categories"]}
        for code in tables[res][f["name"]].dropna().unique():
            assert code in wanted, f"{res}.{f['name']}: {code!r} has no label in datapackage.json"
            assert style.label(code) == wanted[code] == labels.label(code), (res, f["name"], code)
            seen += 1
    assert seen > 50, f"only {seen} codes found in the data: the test is broken"


def test_labels_map_comes_from_the_package_plus_the_colour_keys():
    from_package = {c["value"]: c["label"] for _, f in _coded_fields() for c in f["categories"]}
    assert style.LABELS == {**labels.OTHER_LABELS, **from_package}
    assert set(style.COLORS) <= set(style.LABELS)
    style.LABELS["sohr"] = "changed"            # a copy: the map itself cannot be edited by accident
    assert style.label("sohr") == from_package["sohr"]


def test_an_unknown_code_is_humanised_and_other_values_kept():
    assert style.label("a_code_no_field_has") == "A code no field has"
    assert style.labels(["raid", "no_such_code", "T02", 7]) == [
        style.label("raid"), "No such code", "T02", 7]
    assert style.label("raid") != "raid"


def _package_copy(tmp_path, change):
    """A copy of datapackage.json (the CSVs are not read) changed by ``change``."""
    target = tmp_path / "data"
    target.mkdir()
    package = json.loads(json.dumps(PACKAGE))
    change(package)
    (target / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    return data._package(target)


def _field(package, resource, name):
    res = next(r for r in package["resources"] if r["name"] == resource)
    return next(f for f in res["schema"]["fields"] if f["name"] == name)


def test_a_category_missing_from_the_enum_is_refused(tmp_path):
    dropped = _field(PACKAGE, "events", "category")["categories"][-1]["value"]
    pkg = _package_copy(tmp_path, lambda p: _field(p, "events", "category")["categories"].pop())
    with pytest.raises(DataError, match=rf"column 'category'.*no category for \['{dropped}'\]"):
        labels._read_categories(pkg)


def test_one_code_labelled_two_ways_is_refused(tmp_path):
    def relabel(p):
        cats = _field(p, "statements", "side")["categories"]
        next(c for c in cats if c["value"] == "sohr")["label"] = "Another label"
    pkg = _package_copy(tmp_path, relabel)
    with pytest.raises(DataError, match=r"'sohr' labelled 'Another label'.*one label"):
        labels._read_categories(pkg)


def test_a_malformed_category_is_refused(tmp_path):
    pkg = _package_copy(tmp_path, lambda p: _field(p, "sources", "kind")["categories"].__setitem__(
        0, {"value": "encyclopedia", "label": ""}))
    with pytest.raises(DataError, match=r"column 'kind'.*\"value\": code, \"label\": text"):
        labels._read_categories(pkg)
