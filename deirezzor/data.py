"""Schema-driven loader for the project's Frictionless Data Package.

The package lives in ``data/datapackage.json``: every table (a *resource*) is a
CSV file with a schema that says, for each column, its type, what it means and
which values are allowed.  This module reads each CSV with the standard
``csv`` module, checks **every cell** against that schema, checks primary and
foreign keys, and only then builds a pandas DataFrame.  Nothing is silently
dropped or coerced: the first problem raises :class:`DataError`, whose message
names the file, the row and line, the column, the value and what was expected.

    >>> from deirezzor import load
    >>> strikes = load("casualty_estimates")        # doctest: +SKIP

Types and the pandas dtypes they become:

=========  =====================================  ===========================
type       text in the CSV                        dtype
=========  =====================================  ===========================
string     anything                               ``string``
integer    ``42``, ``-3``                         ``Int64``
number     ``3.5``, ``-0.25``, ``1e3``            ``Float64``
boolean    ``true`` / ``false``                   ``boolean``
date       ``2016-09-17``                         ``datetime64[ns]``
datetime   ``2016-09-17T13:55:00Z`` (UTC only)    ``datetime64[ns, UTC]``
=========  =====================================  ===========================

An empty cell is a missing value (``<NA>``/``NaT``), allowed only where the
field is not ``required``.  For every datetime column whose name ends in
``_utc`` a column ``<stem>_damascus`` is added right after it, converted with
the IANA time-zone database to Asia/Damascus local time (UTC+3 in September
2016).
"""
from __future__ import annotations

import copy
import csv
import datetime as _dt
import io
import json
import math
import os
import re
from pathlib import Path
from typing import Any, Callable

__all__ = ["DataError", "load", "load_all", "datasets", "schema", "describe", "data_dir"]

PACKAGE_FILE = "datapackage.json"
ENV_VAR = "DEIREZZOR_DATA"
LOCAL_TZ = "Asia/Damascus"
LOCAL_SUFFIX = "_damascus"

_PKG_ROOT = Path(__file__).resolve().parent.parent  # the repository root (in a clone)
# The copy of data/ that a built wheel carries (pyproject.toml: force-include).
_PACKAGED = Path(__file__).resolve().parent / "_data"


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------
class DataError(ValueError):
    """A data file does not match its schema (or cannot be found).

    Attributes (``None`` where they do not apply):
      file     -- path of the offending file, relative to the repository when possible
      row      -- 1-based data row (the header is not a data row)
      line     -- 1-based line number in the file
      column   -- column (field) name
      value    -- the offending text, exactly as in the file
      expected -- what was expected instead
    """

    def __init__(self, file=None, row=None, line=None, column=None, value=None,
                 expected=None, *, got=None, note=None):
        self.file, self.row, self.line, self.column = file, row, line, column
        self.value, self.expected = value, expected
        where = [str(file) if file is not None else "data"]
        if row is not None and line is not None:
            where.append(f"row {row} (line {line})")
        elif row is not None:
            where.append(f"row {row}")
        elif line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        if got is None:
            got = "an empty cell" if value == "" else (repr(value) if value is not None else None)
        msg = ", ".join(where) + ":"
        if got is not None:
            msg += f" got {got}"
        if expected is not None:
            msg += ("," if got is not None else "") + f" expected {expected}"
        if note:
            msg += f" ({note})"
        super().__init__(msg)


def _display(path: Path) -> str:
    """Path relative to the repository when inside it, else absolute."""
    path = Path(path)
    try:
        return path.resolve().relative_to(_PKG_ROOT).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------
# Finding the data
# --------------------------------------------------------------------------
def data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """Return the directory holding ``datapackage.json``.

    Looked for, in order: the ``data_dir`` argument (a directory or the
    datapackage.json itself); the environment variable ``DEIREZZOR_DATA``;
    the repository's ``data/`` when the package runs from a clone (also an
    editable install); the copy inside an installed package
    (``deirezzor/_data``, put there when the wheel is built); ``data/`` in
    the current directory or any parent of it.  An explicit argument or the
    environment variable is used alone: if it is wrong that is an error, not a
    reason to fall back.
    """
    looked: list[str] = []

    def ok(candidate: Path) -> Path | None:
        candidate = Path(candidate).expanduser()
        if candidate.name == PACKAGE_FILE and candidate.is_file():
            return candidate.parent.resolve()
        looked.append(str(candidate / PACKAGE_FILE))
        if (candidate / PACKAGE_FILE).is_file():
            return candidate.resolve()
        return None

    if data_dir is not None:
        found = ok(Path(data_dir))
        if found:
            return found
        raise DataError(file=str(Path(data_dir) / PACKAGE_FILE), got="no such file",
                        expected="the data_dir argument to point at a folder holding datapackage.json")
    env = os.environ.get(ENV_VAR)
    if env:
        found = ok(Path(env))
        if found:
            return found
        raise DataError(file=str(Path(env) / PACKAGE_FILE), got="no such file",
                        expected=f"the environment variable {ENV_VAR}={env!r} to point at a folder "
                                 "holding datapackage.json")
    # In site-packages the package's parent is shared with every other
    # distribution: a stray site-packages/data/ there is not ours.
    if _PKG_ROOT.name not in ("site-packages", "dist-packages"):
        found = ok(_PKG_ROOT / "data")
        if found:
            return found
    found = ok(_PACKAGED)
    if found:
        return found
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        found = ok(folder / "data")
        if found:
            return found
    raise DataError(file=PACKAGE_FILE, got="no data package",
                    expected="data/datapackage.json; looked in: " + "; ".join(looked)
                             + f" (set {ENV_VAR} or pass data_dir=...)")


def _stamp(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return (str(path), None, None)
    return (str(path), st.st_mtime_ns, st.st_size)


# --------------------------------------------------------------------------
# Cell parsers: text -> python value, or raise _Bad(expected)
# --------------------------------------------------------------------------
class _Bad(Exception):
    def __init__(self, expected: str):
        self.expected = expected


_INT_RE = re.compile(r"[+-]?[0-9]+")
_NUM_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")

EXPECTED = {
    "string": "text",
    "integer": "an integer like 42",
    "number": "a number like 3.5 (decimal point '.', no thousands separators)",
    "boolean": "true or false (lower case)",
    "date": "a date like 2016-09-17 (YYYY-MM-DD)",
    "datetime": "a UTC datetime like 2016-09-17T13:55:00Z",
}


def _p_string(s: str) -> str:
    return s


def _p_integer(s: str) -> int:
    if not _INT_RE.fullmatch(s):
        raise _Bad(EXPECTED["integer"])
    v = int(s)
    if not -(2**63) <= v < 2**63:
        raise _Bad("an integer within the 64-bit range")
    return v


def _p_number(s: str) -> float:
    if not _NUM_RE.fullmatch(s):
        raise _Bad(EXPECTED["number"])
    v = float(s)
    if math.isinf(v):
        raise _Bad("a finite number")
    return v


def _p_boolean(s: str) -> bool:
    if s == "true":
        return True
    if s == "false":
        return False
    raise _Bad(EXPECTED["boolean"])


def _p_date(s: str) -> _dt.date:
    if not _DATE_RE.fullmatch(s):
        raise _Bad(EXPECTED["date"])
    try:
        return _dt.date.fromisoformat(s)
    except ValueError:
        raise _Bad("a real calendar date like 2016-09-17 (YYYY-MM-DD)") from None


def _p_datetime(s: str) -> _dt.datetime:
    if not _DATETIME_RE.fullmatch(s):
        raise _Bad(EXPECTED["datetime"])
    try:
        return _dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.timezone.utc)
    except ValueError:
        raise _Bad("a real UTC date and time like 2016-09-17T13:55:00Z") from None


PARSERS: dict[str, Callable[[str], Any]] = {
    "string": _p_string, "integer": _p_integer, "number": _p_number,
    "boolean": _p_boolean, "date": _p_date, "datetime": _p_datetime,
}
SUPPORTED_CONSTRAINTS = {"required", "unique", "enum", "minimum", "maximum",
                         "pattern", "minLength", "maxLength"}


# --------------------------------------------------------------------------
# The package (datapackage.json)
# --------------------------------------------------------------------------
class _Field:
    __slots__ = ("name", "type", "parse", "required", "unique", "enum", "minimum",
                 "maximum", "pattern", "min_length", "max_length", "raw")

    def __init__(self, raw: dict, where: str, resource: str):
        def bad(expected, got=None):
            return DataError(file=where, column=raw.get("name"), got=got,
                             expected=expected, note=f"resource {resource!r}")

        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
            raise DataError(file=where, got=repr(raw), expected="a field with a non-empty 'name'",
                            note=f"resource {resource!r}")
        self.raw = raw
        self.name = raw["name"]
        self.type = raw.get("type", "string")
        if self.type not in PARSERS:
            raise bad("a field type among " + ", ".join(PARSERS), got=f"type {self.type!r}")
        self.parse = PARSERS[self.type]
        cons = raw.get("constraints") or {}
        unknown = set(cons) - SUPPORTED_CONSTRAINTS
        if unknown:
            raise bad("constraints among " + ", ".join(sorted(SUPPORTED_CONSTRAINTS)),
                      got="unsupported constraint(s) " + ", ".join(sorted(unknown)))
        self.required = bool(cons.get("required", False))
        self.unique = bool(cons.get("unique", False))

        def typed(v, what):
            if isinstance(v, str) and self.type != "string":
                try:
                    return self.parse(v)
                except _Bad as e:
                    raise bad(f"the {what} to be {e.expected}", got=repr(v)) from None
            if self.type == "boolean" and not isinstance(v, bool):
                raise bad(f"the {what} to be true or false", got=repr(v))
            return v

        self.enum = None
        if "enum" in cons:
            if not isinstance(cons["enum"], list) or not cons["enum"]:
                raise bad("'enum' to be a non-empty list", got=repr(cons["enum"]))
            self.enum = [typed(v, "enum values") for v in cons["enum"]]
        for key in ("minimum", "maximum"):
            v = cons.get(key)
            if v is not None and self.type in ("string", "boolean"):
                raise bad(f"no {key} on a {self.type} field", got=f"{key} {v!r}")
            setattr(self, key, None if v is None else typed(v, key))
        self.pattern = None
        if "pattern" in cons:
            try:
                self.pattern = re.compile(cons["pattern"])
            except (re.error, TypeError) as e:
                raise bad("a valid regular expression in 'pattern'", got=f"{cons['pattern']!r} ({e})") from None
        self.min_length = cons.get("minLength")
        self.max_length = cons.get("maxLength")


def _as_list(v) -> list[str]:
    return [v] if isinstance(v, str) else list(v or [])


class _Resource:
    def __init__(self, raw: dict, index: int, pkg_file: Path, directory: Path):
        where = _display(pkg_file)
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise DataError(file=where, got=f"resources[{index}] without a name",
                            expected="every resource to have a 'name'")
        self.name = raw["name"]
        if not isinstance(raw.get("path"), str) or not raw["path"]:
            raise DataError(file=where, got=f"resource {self.name!r} without a 'path'",
                            expected="a path to a CSV file, relative to the data folder")
        self.path = (directory / raw["path"]).resolve()
        self.display = _display(self.path)
        sch = raw.get("schema")
        if not isinstance(sch, dict) or not isinstance(sch.get("fields"), list) or not sch["fields"]:
            raise DataError(file=where, got=f"resource {self.name!r} without schema.fields",
                            expected="a 'schema' with a non-empty 'fields' list")
        self.raw_fields = sch["fields"]
        self.fields = [_Field(f, where, self.name) for f in sch["fields"]]
        self.names = [f.name for f in self.fields]
        dupes = {n for n in self.names if self.names.count(n) > 1}
        if dupes:
            raise DataError(file=where, got="duplicate field name(s) " + ", ".join(sorted(dupes)),
                            expected="unique field names", note=f"resource {self.name!r}")
        missing = sch.get("missingValues", [""])
        if missing != [""]:
            raise DataError(file=where, got=f"missingValues {missing!r}",
                            expected='missingValues [""] (an empty cell is the only missing value)',
                            note=f"resource {self.name!r}")
        self.primary_key = _as_list(sch.get("primaryKey"))
        for k in self.primary_key:
            if k not in self.names:
                raise DataError(file=where, got=f"primaryKey field {k!r}",
                                expected="a field of the resource: " + ", ".join(self.names),
                                note=f"resource {self.name!r}")
        self.foreign_keys = []
        for fk in sch.get("foreignKeys", []) or []:
            ref = fk.get("reference") or {}
            local, remote = _as_list(fk.get("fields")), _as_list(ref.get("fields"))
            target = ref.get("resource", "")
            if not local or len(local) != len(remote) or any(k not in self.names for k in local):
                raise DataError(file=where, got=f"foreignKey {fk!r}",
                                expected="'fields' naming fields of the resource and as many "
                                         "reference 'fields'", note=f"resource {self.name!r}")
            self.foreign_keys.append((local, target or self.name, remote))
        for f in self.fields:
            if f.type == "datetime" and f.name.endswith("_utc"):
                derived = f.name[:-4] + LOCAL_SUFFIX
                if derived in self.names:
                    raise DataError(file=where, column=derived, got="a field of that name",
                                    expected=f"no field {derived!r}: it is derived from {f.name!r}",
                                    note=f"resource {self.name!r}")


class _Package:
    def __init__(self, directory: Path):
        self.dir = directory
        self.file = directory / PACKAGE_FILE
        where = _display(self.file)
        try:
            meta = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataError(file=where, got="no such file", expected="a datapackage.json") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            line = getattr(e, "lineno", None)
            raise DataError(file=where, line=line, got=f"invalid JSON ({e})",
                            expected="a JSON data package") from None
        if not isinstance(meta, dict) or not isinstance(meta.get("resources"), list) or not meta["resources"]:
            raise DataError(file=where, got="no 'resources' list", expected="a non-empty 'resources' list")
        self.meta = meta
        self.resources: dict[str, _Resource] = {}
        for i, raw in enumerate(meta["resources"]):
            res = _Resource(raw, i, self.file, directory)
            if res.name in self.resources:
                raise DataError(file=where, got=f"resource name {res.name!r} twice",
                                expected="unique resource names")
            self.resources[res.name] = res
        for res in self.resources.values():
            for local, target, remote in res.foreign_keys:
                if target not in self.resources:
                    raise DataError(file=where, column=",".join(local),
                                    got=f"a foreign key to unknown resource {target!r}",
                                    expected="a resource among " + ", ".join(self.resources),
                                    note=f"resource {res.name!r}")
                tnames = self.resources[target].names
                for k in remote:
                    if k not in tnames:
                        raise DataError(file=where, column=",".join(local),
                                        got=f"a foreign key to unknown field {target}.{k}",
                                        expected="a field among " + ", ".join(tnames),
                                        note=f"resource {res.name!r}")

    def get(self, name: str) -> _Resource:
        if name not in self.resources:
            raise DataError(file=_display(self.file), got=f"unknown dataset {name!r}",
                            expected="one of: " + ", ".join(self.resources))
        return self.resources[name]


# --------------------------------------------------------------------------
# Reading and validating one table
# --------------------------------------------------------------------------
class _Table:
    """Validated cells of one resource: python values, None for missing."""

    __slots__ = ("columns", "lines", "nrows")

    def __init__(self, columns: dict[str, list], lines: list[int]):
        self.columns, self.lines, self.nrows = columns, lines, len(lines)


def _header_error(res: _Resource, header: list[str]) -> DataError | None:
    want = res.names
    if header == want:
        return None
    f = res.display
    hint = " (the file starts with a byte-order mark; save it as UTF-8 without BOM)" \
        if header and header[0].startswith("\ufeff") else ""
    for i in range(max(len(header), len(want))):
        got = header[i] if i < len(header) else None
        exp = want[i] if i < len(want) else None
        if got == exp:
            continue
        if got is None:
            return DataError(file=f, line=1, column=exp, got=f"no column {exp!r}",
                             expected="the header " + ",".join(want), note="missing column")
        if exp is None:
            return DataError(file=f, line=1, column=got, got=f"unexpected column {got!r}",
                             expected="the header " + ",".join(want) + hint)
        if got in want and exp in header:
            return DataError(file=f, line=1, column=got,
                             got=f"column {got!r} at position {i + 1} where {exp!r} belongs",
                             expected="the columns in the schema's order: " + ",".join(want))
        if exp not in header:
            return DataError(file=f, line=1, column=exp,
                             got=f"column {got!r} at position {i + 1}, and no column {exp!r}",
                             expected="the header " + ",".join(want) + hint, note="missing column")
        return DataError(file=f, line=1, column=got, got=f"unexpected column {got!r}",
                         expected="the header " + ",".join(want) + hint)
    return None  # pragma: no cover


def _read_table(res: _Resource) -> _Table:
    f = res.display
    try:
        raw = res.path.read_bytes()
    except FileNotFoundError:
        raise DataError(file=f, got="no such file",
                        expected=f"the CSV file of resource {res.name!r}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(file=f, line=line, got=f"bytes that are not UTF-8 ({raw[e.start:e.start + 4]!r})",
                        expected="UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(file=f, line=1, got="an empty file",
                        expected="a header row: " + ",".join(res.names)) from None
    except csv.Error as e:
        raise DataError(file=f, line=1, got=f"unreadable CSV ({e})", expected="a header row") from None
    err = _header_error(res, header)
    if err:
        raise err

    fields = res.fields
    ncols = len(fields)
    cols: list[list] = [[] for _ in fields]
    lines: list[int] = []
    seen_unique: list[dict | None] = [{} if fl.unique else None
                                      for fl in fields]
    prev_end = reader.line_num
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise DataError(file=f, row=row + 1, line=prev_end + 1, got=f"unreadable CSV ({e})",
                            expected="well-formed CSV (quotes closed, no stray quotes)") from None
        row += 1
        line = prev_end + 1
        prev_end = reader.line_num
        if len(cells) != ncols:
            if not cells:
                got = "an empty line"
            else:
                got = f"{len(cells)} cells"
            note = (f"the first column without a cell is {res.names[len(cells)]!r}"
                    if 0 < len(cells) < ncols else None)
            raise DataError(file=f, row=row, line=line, got=got, note=note,
                            expected=f"{ncols} cells, one per column: " + ",".join(res.names))
        lines.append(line)
        for j, (fl, s) in enumerate(zip(fields, cells)):
            if s == "":
                if fl.required or fl.name in res.primary_key:
                    raise DataError(file=f, row=row, line=line, column=fl.name, value=s,
                                    expected="a value (the column is required)" + (
                                        "" if fl.type == "string" else ": " + EXPECTED[fl.type]))
                cols[j].append(None)
                continue
            try:
                v = fl.parse(s)
            except _Bad as e:
                raise DataError(file=f, row=row, line=line, column=fl.name, value=s,
                                expected=e.expected) from None
            if fl.enum is not None and v not in fl.enum:
                raise DataError(file=f, row=row, line=line, column=fl.name, value=s,
                                expected="one of: " + ", ".join(_fmt(x) for x in fl.enum))
            if fl.minimum is not None and v < fl.minimum:
                raise DataError(file=f, row=row, line=line, column=fl.name, value=s,
                                expected=f"a value >= {_fmt(fl.minimum)}")
            if fl.maximum is not None and v > fl.maximum:
                raise DataError(file=f, row=row, line=line, column=fl.name, value=s,
                                expected=f"a value <= {_fmt(fl.maximum)}")
            if fl.pattern is not None and not fl.pattern.fullmatch(s):
                raise DataError(file=f, row=row, line=line, column=fl.name, value=s,
                                expected=f"text matching the pattern {fl.pattern.pattern!r} (whole value)")
            if fl.min_length is not None and len(s) < fl.min_length:
                raise DataError(file=f, row=row, line=line, column=fl.name, value=s,
                                expected=f"at least {fl.min_length} characters")
            if fl.max_length is not None and len(s) > fl.max_length:
                raise DataError(file=f, row=row, line=line, column=fl.name, value=s,
                                expected=f"at most {fl.max_length} characters")
            seen = seen_unique[j]
            if seen is not None:
                if v in seen:
                    r0, l0 = seen[v]
                    raise DataError(file=f, row=row, line=line, column=fl.name, value=s,
                                    expected=f"a unique value, but row {r0} (line {l0}) has it already")
                seen[v] = (row, line)
            cols[j].append(v)

    table = _Table({fl.name: c for fl, c in zip(fields, cols)}, lines)
    if res.primary_key:
        keyed: dict[tuple, int] = {}
        kcols = [table.columns[k] for k in res.primary_key]
        for i, key in enumerate(zip(*kcols)):
            if key in keyed:
                i0 = keyed[key]
                raise DataError(file=f, row=i + 1, line=lines[i], column=",".join(res.primary_key),
                                got=_fmt_key(key),
                                expected=f"a unique primary key, but row {i0 + 1} (line {lines[i0]}) "
                                         "has the same key")
            keyed[key] = i
    return table


def _fmt(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, _dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    return str(v)


def _fmt_key(key: tuple) -> str:
    return repr(_fmt(key[0])) if len(key) == 1 else "(" + ", ".join(repr(_fmt(k)) for k in key) + ")"


# --------------------------------------------------------------------------
# Caches
# --------------------------------------------------------------------------
_PACKAGES: dict[Path, tuple[tuple, _Package]] = {}
_TABLES: dict[tuple, _Table] = {}
_FRAMES: dict[tuple, Any] = {}


def _package(directory: Path) -> _Package:
    stamp = _stamp(directory / PACKAGE_FILE)
    hit = _PACKAGES.get(directory)
    if hit and hit[0] == stamp:
        return hit[1]
    pkg = _Package(directory)
    _PACKAGES[directory] = (stamp, pkg)
    return pkg


def _table(pkg: _Package, res: _Resource) -> _Table:
    key = (_stamp(pkg.file), _stamp(res.path), res.name)
    t = _TABLES.get(key)
    if t is None:
        t = _read_table(res)
        _TABLES[key] = t
    return t


def clear_cache() -> None:
    """Forget every parsed table (the next load reads the files again)."""
    _PACKAGES.clear()
    _TABLES.clear()
    _FRAMES.clear()


def _check_foreign_keys(pkg: _Package, res: _Resource, table: _Table) -> None:
    for local, target, remote in res.foreign_keys:
        tres = pkg.resources[target]
        ttable = table if tres is res else _table(pkg, tres)
        allowed = set(zip(*(ttable.columns[k] for k in remote)))
        lcols = [table.columns[k] for k in local]
        for i, key in enumerate(zip(*lcols)):
            if any(v is None for v in key):
                continue  # a missing value refers to nothing, which is allowed
            if key not in allowed:
                value = _fmt(key[0]) if len(key) == 1 else None
                raise DataError(file=res.display, row=i + 1, line=table.lines[i],
                                column=",".join(local), value=value,
                                got=None if value is not None else _fmt_key(key),
                                expected=f"a value of {target}.{','.join(remote)} "
                                         f"(in {tres.display}), which has no such entry")


# --------------------------------------------------------------------------
# DataFrames
# --------------------------------------------------------------------------
def _frame(res: _Resource, table: _Table):
    import pandas as pd
    from zoneinfo import ZoneInfo

    data: dict[str, Any] = {}
    n = table.nrows
    for fl in res.fields:
        vals = table.columns[fl.name]
        if fl.type == "string":
            col = pd.array(vals, dtype="string")
        elif fl.type == "integer":
            col = pd.array(vals, dtype="Int64")
        elif fl.type == "number":
            col = pd.array(vals, dtype="Float64")
        elif fl.type == "boolean":
            col = pd.array(vals, dtype="boolean")
        elif fl.type == "date":
            col = pd.to_datetime(pd.Series([None if v is None else v.isoformat() for v in vals],
                                           dtype=object), format="%Y-%m-%d")
            col = col.astype("datetime64[ns]").array if n else pd.array([], dtype="datetime64[ns]")
        else:  # datetime, UTC
            col = pd.to_datetime(pd.Series([None if v is None else v.strftime("%Y-%m-%dT%H:%M:%SZ")
                                            for v in vals], dtype=object),
                                 format="%Y-%m-%dT%H:%M:%SZ", utc=True)
            col = col.astype("datetime64[ns, UTC]").array if n \
                else pd.array([], dtype="datetime64[ns, UTC]")
        data[fl.name] = col
        if fl.type == "datetime" and fl.name.endswith("_utc"):
            data[fl.name[:-4] + LOCAL_SUFFIX] = pd.Series(col).dt.tz_convert(ZoneInfo(LOCAL_TZ)).array
    return pd.DataFrame(data, index=pd.RangeIndex(n))


def _loaded(pkg: _Package, name: str):
    res = pkg.get(name)
    deps = sorted({t for _, t, _ in res.foreign_keys if t != name})
    key = (str(pkg.dir), name, _stamp(pkg.file), _stamp(res.path),
           tuple(_stamp(pkg.resources[t].path) for t in deps))
    df = _FRAMES.get(key)
    if df is None:
        table = _table(pkg, res)
        _check_foreign_keys(pkg, res, table)
        df = _frame(res, table)
        _FRAMES[key] = df
    return df


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------
def datasets(data_dir: str | os.PathLike | None = None) -> list[str]:
    """Names of the tables in the data package, in package order."""
    return list(_package(_find(data_dir)).resources)


def schema(name: str, data_dir: str | os.PathLike | None = None) -> list[dict]:
    """The schema's field list of table ``name`` (a copy: name, type, description, constraints)."""
    return copy.deepcopy(_package(_find(data_dir)).get(name).raw_fields)


def describe(name: str, data_dir: str | os.PathLike | None = None):
    """A small codebook of table ``name``: one row per column, with its
    name, type, description and whether it is required."""
    import pandas as pd

    res = _package(_find(data_dir)).get(name)
    rows = [{
        "name": f.name,
        "type": f.type,
        "description": f.raw.get("description", ""),
        "required": f.required or f.name in res.primary_key,
    } for f in res.fields]
    df = pd.DataFrame(rows, columns=["name", "type", "description", "required"])
    return df.astype({"name": "string", "type": "string", "description": "string",
                      "required": "boolean"})


def load(name: str, data_dir: str | os.PathLike | None = None):
    """Load table ``name`` as a validated pandas DataFrame.

    Every cell is checked against the schema in datapackage.json, and foreign
    keys against the tables they refer to; any problem raises DataError.  The
    result is a fresh copy: changing it does not affect later loads.
    """
    return _loaded(_package(_find(data_dir)), name).copy(deep=True)


def load_all(data_dir: str | os.PathLike | None = None) -> dict:
    """Load every table: ``{name: DataFrame}``, in package order."""
    pkg = _package(_find(data_dir))
    return {name: _loaded(pkg, name).copy(deep=True) for name in pkg.resources}


_find = data_dir  # the public name is shadowed by the parameters above
