"""deirezzor.data: the schema-driven loader.

Most tests write tiny synthetic data packages into tmp_path (never the
project's data); the last section checks the real data/ package.
"""
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

import deirezzor
from deirezzor import DataError, data as dmod

REPO = Path(__file__).resolve().parent.parent
REAL_PACKAGE = REPO / "data" / "datapackage.json"


# --------------------------------------------------------------------------
# A tiny synthetic package
# --------------------------------------------------------------------------
def F(name, type_="string", description="", **constraints):
    f = {"name": name, "type": type_, "description": description or f"the {name}"}
    if constraints:
        f["constraints"] = constraints
    return f


SOURCES_FIELDS = [
    F("source_id", "string", required=True, pattern=r"S[0-9]{2}"),
    F("publisher", "string", required=True),
    F("kind", "string", enum=["government", "monitor", "media"]),
]
EVENTS_FIELDS = [
    F("event_id", "integer", required=True, minimum=1),
    F("time_utc", "datetime", required=True),
    F("day", "date", minimum="2016-09-01", maximum="2016-09-30"),
    F("killed", "number", minimum=0, maximum=1000),
    F("confirmed", "boolean"),
    F("code", "string", unique=True),
    F("source_id", "string", required=True),
]
SOURCES_CSV = "source_id,publisher,kind\nS01,Ministry,government\nS02,\"Monitor, the\",monitor\nS03,Paper,\n"
EVENTS_CSV = (
    "event_id,time_utc,day,killed,confirmed,code,source_id\n"
    "1,2016-09-17T13:55:00Z,2016-09-17,62,true,A,S01\n"
    "2,2016-09-17T14:40:00Z,2016-09-17,,false,B,S02\n"
    "3,2016-09-17T21:00:00Z,,90.5,,,S01\n"
)


def write_package(root: Path, sources_csv=SOURCES_CSV, events_csv=EVENTS_CSV,
                  sources_fields=None, events_fields=None, extra=None, fks=None):
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    resources = [
        {"name": "sources", "path": "sources.csv",
         "schema": {"fields": sources_fields or SOURCES_FIELDS, "missingValues": [""],
                    "primaryKey": "source_id"}},
        {"name": "events", "path": "events.csv",
         "schema": {"fields": events_fields or EVENTS_FIELDS, "missingValues": [""],
                    "primaryKey": ["event_id"],
                    "foreignKeys": fks if fks is not None else [
                        {"fields": "source_id",
                         "reference": {"resource": "sources", "fields": "source_id"}}]}},
    ]
    resources += extra or []
    (data / "datapackage.json").write_text(
        json.dumps({"name": "test", "resources": resources}, indent=1), encoding="utf-8")
    (data / "sources.csv").write_text(sources_csv, encoding="utf-8", newline="")
    (data / "events.csv").write_text(events_csv, encoding="utf-8", newline="")
    return data


@pytest.fixture
def pkg(tmp_path):
    dmod.clear_cache()
    return write_package(tmp_path)


def events_with(row, header=None):
    head = header or "event_id,time_utc,day,killed,confirmed,code,source_id"
    return head + "\n" + "1,2016-09-17T13:55:00Z,2016-09-17,62,true,A,S01\n" + row + "\n"


def load_error(tmp_path, name="events", **kw) -> DataError:
    dmod.clear_cache()
    data = write_package(tmp_path, **kw)
    with pytest.raises(DataError) as info:
        deirezzor.load(name, data_dir=data)
    return info.value


def assert_names(err, data, file="events.csv", row=None, line=None, column=None, value=None,
                 expected_part=None):
    msg = str(err)
    path = str(data / file)
    assert err.file == path and msg.startswith(path), msg
    if row is not None:
        assert (err.row, err.line) == (row, line), msg
        assert f"row {row} (line {line})" in msg
    if column is not None:
        assert err.column == column and repr(column) in msg, msg
    if value is not None:
        assert err.value == value, msg
        assert (repr(value) if value != "" else "an empty cell") in msg
    if expected_part is not None:
        assert expected_part in err.expected and "expected " + err.expected in msg, msg
    assert isinstance(err, ValueError)


# --------------------------------------------------------------------------
# Happy path: dtypes, values, derived local time
# --------------------------------------------------------------------------
def test_dtypes_and_values(pkg):
    ev = deirezzor.load("events", data_dir=pkg)
    assert list(ev.columns) == ["event_id", "time_utc", "time_damascus", "day", "killed",
                                "confirmed", "code", "source_id"]
    assert str(ev["event_id"].dtype) == "Int64"
    assert str(ev["killed"].dtype) == "Float64"
    assert str(ev["confirmed"].dtype) == "boolean"
    assert str(ev["code"].dtype) == "string"
    assert str(ev["day"].dtype) == "datetime64[ns]"
    assert str(ev["time_utc"].dtype) == "datetime64[ns, UTC]"
    assert ev["event_id"].tolist() == [1, 2, 3]
    assert ev["killed"].isna().tolist() == [False, True, False]
    assert ev["killed"][2] == 90.5
    assert ev["confirmed"].isna().tolist() == [False, False, True]
    assert bool(ev["confirmed"][0]) is True and bool(ev["confirmed"][1]) is False
    assert pd.isna(ev["day"][2]) and ev["day"][0] == pd.Timestamp("2016-09-17")
    assert pd.isna(ev["code"][2])
    src = deirezzor.load("sources", data_dir=pkg)
    assert src["publisher"].tolist() == ["Ministry", "Monitor, the", "Paper"]
    assert pd.isna(src["kind"][2])


def test_damascus_time_matches_zoneinfo(pkg):
    ev = deirezzor.load("events", data_dir=pkg)
    tz = ZoneInfo("Asia/Damascus")
    for text, local in zip(["2016-09-17T13:55:00Z", "2016-09-17T14:40:00Z", "2016-09-17T21:00:00Z"],
                           ev["time_damascus"]):
        utc = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
        want = utc.astimezone(tz)
        assert local.to_pydatetime() == want
        assert local.utcoffset() == want.utcoffset() == dt.timedelta(hours=3)  # EEST in 2016
        assert local.tz_convert("UTC") == pd.Timestamp(text)
    assert str(ev["time_damascus"].dt.tz) == "Asia/Damascus"


def test_damascus_winter_offset(tmp_path):
    dmod.clear_cache()
    data = write_package(tmp_path, events_fields=[
        F("event_id", "integer"), F("time_utc", "datetime"), F("day", "date"),
        F("killed", "number"), F("confirmed", "boolean"), F("code", "string"),
        F("source_id", "string")],
        events_csv="event_id,time_utc,day,killed,confirmed,code,source_id\n"
                   "1,2016-01-10T10:00:00Z,,,,,S01\n")
    ev = deirezzor.load("events", data_dir=data)
    want = dt.datetime(2016, 1, 10, 10, tzinfo=dt.timezone.utc).astimezone(ZoneInfo("Asia/Damascus"))
    assert ev["time_damascus"][0].utcoffset() == want.utcoffset()


def test_datasets_schema_describe(pkg):
    assert deirezzor.datasets(data_dir=pkg) == ["sources", "events"]
    fields = deirezzor.schema("events", data_dir=pkg)
    assert [f["name"] for f in fields] == [f["name"] for f in EVENTS_FIELDS]
    fields[0]["name"] = "mutated"
    assert deirezzor.schema("events", data_dir=pkg)[0]["name"] == "event_id"
    d = deirezzor.describe("events", data_dir=pkg)
    assert list(d.columns) == ["name", "type", "description", "required"]
    assert d["name"].tolist() == [f["name"] for f in EVENTS_FIELDS]
    assert d["type"].tolist() == [f["type"] for f in EVENTS_FIELDS]
    assert d["description"].tolist() == [f["description"] for f in EVENTS_FIELDS]
    assert d["required"].tolist() == [bool(f.get("constraints", {}).get("required")) for f in EVENTS_FIELDS]


def test_load_all(pkg):
    tables = deirezzor.load_all(data_dir=pkg)
    assert list(tables) == ["sources", "events"]
    assert len(tables["events"]) == 3 and len(tables["sources"]) == 3


def test_returned_frames_are_copies(pkg):
    a = deirezzor.load("events", data_dir=pkg)
    a.loc[0, "killed"] = -5
    a["extra"] = 1
    a.drop(index=1, inplace=True)
    b = deirezzor.load("events", data_dir=pkg)
    assert b["killed"][0] == 62 and "extra" not in b and len(b) == 3
    c = deirezzor.load_all(data_dir=pkg)["events"]
    c.iloc[0, 0] = 99
    assert deirezzor.load("events", data_dir=pkg)["event_id"][0] == 1


def test_cache_sees_edited_files(pkg):
    assert len(deirezzor.load("events", data_dir=pkg)) == 3
    p = pkg / "events.csv"
    p.write_text(EVENTS_CSV + "4,2016-09-18T00:00:00Z,,,,,S02\n", encoding="utf-8")
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert len(deirezzor.load("events", data_dir=pkg)) == 4


def test_quoted_multiline_cell_keeps_line_numbers(tmp_path):
    # a quoted cell spanning two lines: the next record starts on line 4
    err = load_error(tmp_path, name="sources",
                     sources_csv='source_id,publisher,kind\nS01,"two\nlines",media\nS02,X,bogus\n')
    assert_names(err, tmp_path / "data", "sources.csv", row=2, line=4, column="kind", value="bogus")


# --------------------------------------------------------------------------
# Errors: file structure
# --------------------------------------------------------------------------
def test_empty_file(tmp_path):
    err = load_error(tmp_path, events_csv="")
    assert_names(err, tmp_path / "data", expected_part="a header row")
    assert err.line == 1 and "empty file" in str(err)


def test_missing_column(tmp_path):
    head = "event_id,time_utc,day,killed,confirmed,code"
    err = load_error(tmp_path, events_csv=head + "\n1,2016-09-17T13:55:00Z,,,,\n")
    assert_names(err, tmp_path / "data", column="source_id", expected_part="the header")
    assert err.line == 1 and "no column 'source_id'" in str(err)


def test_missing_column_in_the_middle(tmp_path):
    head = "event_id,time_utc,day,confirmed,code,source_id"
    err = load_error(tmp_path, events_csv=head + "\n")
    assert_names(err, tmp_path / "data", column="killed")
    assert "missing column" in str(err)


def test_unexpected_column(tmp_path):
    head = "event_id,time_utc,day,killed,confirmed,code,source_id,comment"
    err = load_error(tmp_path, events_csv=head + "\n")
    assert_names(err, tmp_path / "data", column="comment")
    assert "unexpected column 'comment'" in str(err)


def test_renamed_column(tmp_path):
    head = "event_id,time_utc,date,killed,confirmed,code,source_id"
    err = load_error(tmp_path, events_csv=head + "\n")
    assert err.column in ("day", "date") and "'date'" in str(err) and "'day'" in str(err)


def test_column_order_differs(tmp_path):
    head = "event_id,day,time_utc,killed,confirmed,code,source_id"
    err = load_error(tmp_path, events_csv=head + "\n")
    assert_names(err, tmp_path / "data", column="day", expected_part="schema's order")
    assert "position 2" in str(err)


def test_ragged_row_too_few(tmp_path):
    err = load_error(tmp_path, events_csv=events_with("2,2016-09-17T14:40:00Z,,,"))
    assert_names(err, tmp_path / "data", row=2, line=3, expected_part="7 cells")
    assert "got 5 cells" in str(err)


def test_ragged_row_too_many(tmp_path):
    err = load_error(tmp_path, events_csv=events_with("2,2016-09-17T14:40:00Z,,,,,S01,extra"))
    assert_names(err, tmp_path / "data", row=2, line=3, expected_part="7 cells")
    assert "got 8 cells" in str(err)


def test_blank_line_is_not_skipped(tmp_path):
    err = load_error(tmp_path, events_csv=events_with(""))
    assert_names(err, tmp_path / "data", row=2, line=3)
    assert "empty line" in str(err)


def test_not_utf8(tmp_path):
    dmod.clear_cache()
    data = write_package(tmp_path)
    (data / "events.csv").write_bytes(EVENTS_CSV.replace("A,S01", "\xe9,S01").encode("latin-1"))
    with pytest.raises(DataError) as info:
        deirezzor.load("events", data_dir=data)
    assert info.value.line == 2 and "UTF-8" in str(info.value)


def test_missing_csv_file(tmp_path):
    dmod.clear_cache()
    data = write_package(tmp_path)
    (data / "events.csv").unlink()
    with pytest.raises(DataError, match="no such file") as info:
        deirezzor.load("events", data_dir=data)
    assert info.value.file == str(data / "events.csv")


# --------------------------------------------------------------------------
# Errors: types (one per type)
# --------------------------------------------------------------------------
@pytest.mark.parametrize("column,row,value,expected_part", [
    ("event_id", "x2,2016-09-17T14:40:00Z,,,,,S01", "x2", "an integer"),
    ("event_id", "2.0,2016-09-17T14:40:00Z,,,,,S01", "2.0", "an integer"),
    ("time_utc", "2,2016-09-17 13:55,,,,,S01", "2016-09-17 13:55", "a UTC datetime like 2016-09-17T13:55:00Z"),
    ("time_utc", "2,2016-09-17T13:55:00+03:00,,,,,S01", "2016-09-17T13:55:00+03:00", "UTC datetime"),
    ("time_utc", "2,2016-09-17T25:55:00Z,,,,,S01", "2016-09-17T25:55:00Z", "UTC"),
    ("day", "2,2016-09-17T14:40:00Z,17/09/2016,,,,S01", "17/09/2016", "YYYY-MM-DD"),
    ("day", "2,2016-09-17T14:40:00Z,2016-09-31,,,,S01", "2016-09-31", "calendar date"),
    ("killed", "2,2016-09-17T14:40:00Z,,1;5,,,S01", "1;5", "a number"),
    ("killed", "2,2016-09-17T14:40:00Z,,\"1,000\",,,S01", "1,000", "a number"),
    ("killed", "2,2016-09-17T14:40:00Z,,nan,,,S01", "nan", "a number"),
    ("killed", "2,2016-09-17T14:40:00Z,, 5,,,S01", " 5", "a number"),
    ("confirmed", "2,2016-09-17T14:40:00Z,,,True,,S01", "True", "true or false"),
    ("confirmed", "2,2016-09-17T14:40:00Z,,,1,,S01", "1", "true or false"),
])
def test_bad_type(tmp_path, column, row, value, expected_part):
    err = load_error(tmp_path, events_csv=events_with(row))
    assert_names(err, tmp_path / "data", row=2, line=3, column=column, value=value,
                 expected_part=expected_part)


# --------------------------------------------------------------------------
# Errors: constraints (one per kind)
# --------------------------------------------------------------------------
@pytest.mark.parametrize("column,row,value,expected_part", [
    ("source_id", "2,2016-09-17T14:40:00Z,,,,,", "", "required"),
    ("time_utc", "2,,,,,,S01", "", "required"),
    ("event_id", "0,2016-09-17T14:40:00Z,,,,,S01", "0", ">= 1"),
    ("killed", "2,2016-09-17T14:40:00Z,,-1,,,S01", "-1", ">= 0"),
    ("killed", "2,2016-09-17T14:40:00Z,,1000.5,,,S01", "1000.5", "<= 1000"),
    ("day", "2,2016-09-17T14:40:00Z,2016-10-01,,,,S01", "2016-10-01", "<= 2016-09-30"),
    ("day", "2,2016-09-17T14:40:00Z,2016-08-31,,,,S01", "2016-08-31", ">= 2016-09-01"),
])
def test_constraint_violation(tmp_path, column, row, value, expected_part):
    err = load_error(tmp_path, events_csv=events_with(row))
    assert_names(err, tmp_path / "data", row=2, line=3, column=column, value=value,
                 expected_part=expected_part)


def test_enum_violation(tmp_path):
    err = load_error(tmp_path, name="sources", sources_csv=SOURCES_CSV + "S04,X,blog\n")
    assert_names(err, tmp_path / "data", "sources.csv", row=4, line=5, column="kind", value="blog",
                 expected_part="one of: government, monitor, media")


def test_pattern_is_a_full_match(tmp_path):
    err = load_error(tmp_path, name="sources", sources_csv=SOURCES_CSV + "S041,X,media\n")
    assert_names(err, tmp_path / "data", "sources.csv", row=4, line=5, column="source_id",
                 value="S041", expected_part="pattern")


def test_unique_violation_names_both_rows(tmp_path):
    err = load_error(tmp_path, events_csv=EVENTS_CSV + "4,2016-09-17T22:00:00Z,,,,B,S01\n")
    assert_names(err, tmp_path / "data", row=4, line=5, column="code", value="B",
                 expected_part="unique")
    assert "row 2 (line 3)" in str(err)


def test_duplicate_primary_key_names_both_rows(tmp_path):
    err = load_error(tmp_path, events_csv=EVENTS_CSV + "2,2016-09-17T22:00:00Z,,,,,S01\n")
    assert_names(err, tmp_path / "data", row=4, line=5, column="event_id")
    assert "row 2 (line 3)" in str(err) and "'2'" in str(err) and "primary key" in str(err)


def test_duplicate_composite_primary_key(tmp_path):
    fields = [F("a", "integer"), F("b", "string")]
    extra = [{"name": "pairs", "path": "pairs.csv",
              "schema": {"fields": fields, "primaryKey": ["a", "b"], "missingValues": [""]}}]
    dmod.clear_cache()
    data = write_package(tmp_path, extra=extra)
    (data / "pairs.csv").write_text("a,b\n1,x\n1,y\n1,x\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        deirezzor.load("pairs", data_dir=data)
    err = info.value
    assert (err.row, err.line, err.column) == (3, 4, "a,b")
    assert "row 1 (line 2)" in str(err) and "('1', 'x')" in str(err)


def test_primary_key_cell_may_not_be_empty(tmp_path):
    err = load_error(tmp_path, name="sources", sources_fields=[
        F("source_id", "string"), F("publisher", "string"), F("kind", "string")],
        sources_csv=SOURCES_CSV + ",X,media\n")
    assert_names(err, tmp_path / "data", "sources.csv", row=4, line=5, column="source_id", value="")


def test_foreign_key_not_found(tmp_path):
    err = load_error(tmp_path, events_csv=EVENTS_CSV + "4,2016-09-17T22:00:00Z,,,,,S09\n")
    assert_names(err, tmp_path / "data", row=4, line=5, column="source_id", value="S09")
    assert "sources.source_id" in str(err) and "sources.csv" in str(err)


def test_self_referencing_foreign_key(tmp_path):
    fields = [F("id", "integer", required=True), F("parent_id", "integer")]
    extra = [{"name": "tree", "path": "tree.csv",
              "schema": {"fields": fields, "primaryKey": "id", "missingValues": [""],
                         "foreignKeys": [{"fields": "parent_id",
                                          "reference": {"resource": "", "fields": "id"}}]}}]
    dmod.clear_cache()
    data = write_package(tmp_path, extra=extra)
    (data / "tree.csv").write_text("id,parent_id\n1,\n2,1\n", encoding="utf-8")
    assert deirezzor.load("tree", data_dir=data)["parent_id"].isna().tolist() == [True, False]
    (data / "tree.csv").write_text("id,parent_id\n1,\n2,1\n3,7\n", encoding="utf-8")
    dmod.clear_cache()
    with pytest.raises(DataError) as info:
        deirezzor.load("tree", data_dir=data)
    assert (info.value.row, info.value.column, info.value.value) == (3, "parent_id", "7")
    assert "tree.id" in str(info.value)


# --------------------------------------------------------------------------
# Errors: the package
# --------------------------------------------------------------------------
def test_unknown_dataset_lists_valid_names(pkg):
    with pytest.raises(DataError) as info:
        deirezzor.load("casualties", data_dir=pkg)
    msg = str(info.value)
    assert "'casualties'" in msg and "sources, events" in msg
    assert info.value.file == str(pkg / "datapackage.json")


def test_missing_datapackage_lists_where_it_looked(tmp_path, monkeypatch):
    with pytest.raises(DataError) as info:
        deirezzor.load("events", data_dir=tmp_path)
    assert str(tmp_path / "datapackage.json") in str(info.value)
    monkeypatch.setenv("DEIREZZOR_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(DataError, match="DEIREZZOR_DATA") as info:
        deirezzor.load("events")
    assert str(tmp_path / "nowhere" / "datapackage.json") in str(info.value)


def test_discovery_failure_lists_all_places(tmp_path, monkeypatch):
    monkeypatch.delenv("DEIREZZOR_DATA", raising=False)
    monkeypatch.setattr(dmod, "_PKG_ROOT", tmp_path / "no-repo")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError) as info:
        deirezzor.data_dir()
    msg = str(info.value)
    assert str(tmp_path / "no-repo" / "data" / "datapackage.json") in msg
    assert str(tmp_path / "data" / "datapackage.json") in msg
    assert "/data/datapackage.json" in msg


def test_unknown_type_in_schema(tmp_path):
    fields = [dict(f) for f in EVENTS_FIELDS]
    fields[3] = F("killed", "float")
    err = load_error(tmp_path, events_fields=fields)
    assert err.file == str(tmp_path / "data" / "datapackage.json")
    assert "'float'" in str(err) and err.column == "killed"


def test_unsupported_constraint_in_schema(tmp_path):
    fields = [dict(f) for f in EVENTS_FIELDS]
    fields[6] = F("code", "string", exclusiveMinimum=3)
    err = load_error(tmp_path, events_fields=fields)
    assert "exclusiveMinimum" in str(err)


def test_foreign_key_to_unknown_resource(tmp_path):
    err = load_error(tmp_path, fks=[{"fields": "source_id",
                                      "reference": {"resource": "publishers", "fields": "id"}}])
    assert "'publishers'" in str(err) and "sources, events" in str(err)


def test_invalid_json(tmp_path):
    dmod.clear_cache()
    data = write_package(tmp_path)
    (data / "datapackage.json").write_text('{"resources": [\n', encoding="utf-8")
    with pytest.raises(DataError, match="invalid JSON"):
        deirezzor.datasets(data_dir=data)


# --------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------
def test_explicit_dir_and_file_and_env(pkg, monkeypatch):
    assert deirezzor.data_dir(pkg) == pkg.resolve()
    assert deirezzor.data_dir(pkg / "datapackage.json") == pkg.resolve()
    monkeypatch.setenv("DEIREZZOR_DATA", str(pkg))
    assert deirezzor.data_dir() == pkg.resolve()
    assert deirezzor.datasets() == ["sources", "events"]


def test_discovery_walks_up_from_cwd(pkg, monkeypatch):
    monkeypatch.delenv("DEIREZZOR_DATA", raising=False)
    monkeypatch.setattr(dmod, "_PKG_ROOT", pkg.parent / "no-repo")
    deep = pkg.parent / "notebooks" / "sub"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert deirezzor.data_dir() == pkg.resolve()
    assert len(deirezzor.load("events")) == 3


def test_discovery_from_another_cwd_in_a_subprocess(pkg, tmp_path):
    """A fresh interpreter, started elsewhere, finds the package via the env var
    or, without it, the repository's own data/ (if there is one)."""
    code = "import deirezzor; print(deirezzor.data_dir()); print(deirezzor.datasets())"
    env = {**os.environ, "DEIREZZOR_DATA": str(pkg), "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], cwd="/", env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == [str(pkg.resolve()), "['sources', 'events']"]


def test_import_is_light():
    code = ("import sys, deirezzor; "
            "print(sorted(m for m in ('pandas', 'plotly', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_api():
    for name in ("load", "load_all", "datasets", "schema", "describe", "DataError",
                 "data_dir", "__version__"):
        assert name in deirezzor.__all__ and hasattr(deirezzor, name)
    assert issubclass(DataError, ValueError)


# --------------------------------------------------------------------------
# The real data package (data/ in this repository)
# --------------------------------------------------------------------------
needs_real_data = pytest.mark.skipif(
    not REAL_PACKAGE.exists(),
    reason="data/datapackage.json is not in the repository yet (these tests run once it is)")


@needs_real_data
def test_real_data_loads_from_repo_and_notebooks_dir(monkeypatch):
    monkeypatch.delenv("DEIREZZOR_DATA", raising=False)
    dmod.clear_cache()
    for cwd in (REPO, REPO / "notebooks", Path("/")):
        if cwd.is_dir():
            monkeypatch.chdir(cwd)
            assert deirezzor.data_dir() == (REPO / "data").resolve()
    tables = deirezzor.load_all()
    assert list(tables) == deirezzor.datasets() and len(tables) >= 1
    for name, df in tables.items():
        assert len(df) > 0, name


@needs_real_data
def test_real_data_every_table_has_resolving_source_ids():
    tables = deirezzor.load_all()
    sources_table = next((n for n in tables if n in ("sources", "source")), None)
    assert sources_table is not None, f"no sources table among {list(tables)}"
    known = set(tables[sources_table]["source_id"].dropna())
    assert known
    pkg = json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        name = res["name"]
        assert "source_id" in tables[name].columns, f"{name} has no source_id column"
        ids = set(tables[name]["source_id"].dropna())
        assert ids <= known, f"{name}: unknown source_id {sorted(ids - known)[:5]}"
        if name != sources_table:
            fks = res["schema"].get("foreignKeys", [])
            assert any(fk["fields"] in ("source_id", ["source_id"])
                       and fk["reference"]["resource"] == sources_table for fk in fks), \
                f"{name}: source_id is not declared as a foreign key to {sources_table}"


@needs_real_data
def test_real_data_fk_mechanism_catches_a_broken_source_id(tmp_path):
    """Copy the real package, break one source_id, and expect a DataError."""
    import shutil
    copy = tmp_path / "data"
    shutil.copytree(REPO / "data", copy)
    pkg = json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))
    res = next(r for r in pkg["resources"] if r["schema"].get("foreignKeys"))
    path = copy / res["path"]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    import csv
    header = next(csv.reader([lines[0]]))
    col = header.index("source_id")
    row = next(csv.reader([lines[1]]))
    row[col] = "NO-SUCH-SOURCE-ZZZ"
    import io
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    lines[1] = buf.getvalue()
    path.write_text("".join(lines), encoding="utf-8", newline="")
    dmod.clear_cache()
    with pytest.raises(DataError) as info:
        deirezzor.load(res["name"], data_dir=copy)
    assert info.value.column == "source_id" and (info.value.row, info.value.line) == (1, 2)
