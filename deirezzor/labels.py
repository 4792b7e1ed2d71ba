"""Labels for people: of the data's codes, of column names, of abbreviations.

A code from the data ("coalition_government", "time_conversion") is never
shown to a reader; ``label(code)`` gives its label ("Coalition
governments").  Those labels live in the data package, not here:
data/datapackage.json gives each field that holds codes a Table Schema
``categories`` list, ``[{"value": code, "label": text}, ...]``, naming the
same codes as the field's ``enum`` constraint.  They are read from the
package ``deirezzor.data`` finds (the clone's data/, or the copy inside an
installed package) the first time a label is asked for, and again when
datapackage.json changes.  A code has one label wherever it occurs.

What is not a code of a data field stays in this module: ``COLUMN_LABELS``
(table headers), ``ABBREVIATIONS`` (spelled out under tables) and
``OTHER_LABELS`` (the keys of ``palette.COLORS`` that no field holds).
"""
from __future__ import annotations

import re

from . import data as _data
from .data import DataError

__all__ = ["LABELS", "COLUMN_LABELS", "ABBREVIATIONS", "OTHER_LABELS", "code_labels",
           "humanize", "label", "labels"]

# Labels of values that are not codes of a data field: the keys of
# palette.COLORS that no field holds.
OTHER_LABELS: dict[str, str] = {
    "coalition": "Coalition",
    "other": "Other",
}

# Column names -> table headers.  Columns not listed get a humanised name
# ("date_reported" -> "Date reported"), never the raw one.
COLUMN_LABELS: dict[str, str] = {
    "source_id": "Source", "event_id": "Event", "place_id": "Place", "estimate_id": "Estimate",
    "claim_id": "Claim", "position_id": "Position", "statement_id": "Statement",
    "figure_id": "Figure", "discrepancy_id": "Discrepancy", "attribution_id": "Attribution",
    "coord_source_id": "Coordinate source",
    "perspective": "Perspective", "side": "Side", "kind": "Kind",
    "date_published": "Published", "date_reported": "Reported on",
    "date_precision": "Date precision", "precision": "Precision",
    "time_utc": "Time (UTC)", "end_time_utc": "End (UTC)",
    "time_damascus": "Time (Damascus)", "end_time_damascus": "End (Damascus)",
    "tz": "Time zone", "time_as_given": "Time as given",
    "according_to": "According to", "version_of": "Version of",
    "lat": "Latitude (°N)", "lon": "Longitude (°E)", "coord_precision": "Coordinate precision",
    "number_as_given": "Number as given",
    "killed_stated": "Killed (stated)", "killed_low": "Killed, at least",
    "killed_high": "Killed, at most", "killed_qualifier": "Wording",
    "killed_reading": "Read as", "wounded_stated": "Wounded (stated)",
    "wounded_low": "Wounded, at least", "wounded_high": "Wounded, at most",
    "wounded_qualifier": "Wording (wounded)", "wounded_reading": "Wounded read as",
    "claimed_by": "Claimed by", "aircraft_type": "Aircraft type",
    "operator_country": "Operator country", "count_stated": "Number stated",
    "when_in_day": "When in the day", "reported_via": "Reported via",
    "value_stated": "Value stated", "low_exclusive": "Low excluded",
    "high_exclusive": "High excluded", "within_one_source": "Within one source",
    "version_a": "Version A", "version_b": "Version B", "refs": "Rows",
    "computed_check": "Computed check", "to_resolve": "To resolve",
    "name_variants": "Other names", "relative_location": "Relative location",
}

# Abbreviations that appear in the data; table() explains those it shows.
ABBREVIATIONS: dict[str, str] = {
    "AEW&C": "airborne early warning and control",
    "CAOC": "Combined Air Operations Center",
    "CENTCOM": "U.S. Central Command",
    "EDT": "Eastern Daylight Time (UTC−4)",
    "GMT": "Greenwich Mean Time (= UTC)",
    "ISIL": "Islamic State of Iraq and the Levant (also ISIS)",
    "ISIS": "Islamic State of Iraq and Syria (also ISIL)",
    "PMF": "Popular Mobilization Forces (Iraq)",
    "PMU": "Popular Mobilization Units (Iraq)",
    "RAAF": "Royal Australian Air Force",
    "SAA": "Syrian Arab Army",
    "SANA": "Syrian Arab News Agency (state)",
    "SARC": "Syrian Arab Red Crescent",
    "SOHR": "Syrian Observatory for Human Rights",
    "UN": "United Nations",
    "UTC": "Coordinated Universal Time",
}

_SNAKE = re.compile(r"\b[A-Za-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

# The datapackage.json read first, its size and time, and its {code: label}:
# read again when that file changes (one os.stat a call, not a new search).
_CACHE: list = [None, None, {}]


def _codes() -> dict[str, str]:
    """{code: label} from the ``categories`` of every field of the data
    package, then ``OTHER_LABELS`` for codes no field holds (not a copy)."""
    file, stamp, codes = _CACHE
    if file is not None and _data._stamp(file) == stamp:
        return codes
    directory = _data._find(None)
    pkg = _data._package(directory)
    _CACHE[:] = [pkg.file, _data._stamp(pkg.file), _read_categories(pkg)]
    return _CACHE[2]


def _read_categories(pkg) -> dict[str, str]:
    where = _data._display(pkg.file)
    out: dict[str, str] = {}
    found_in: dict[str, str] = {}
    for res in pkg.resources.values():
        for field in res.fields:
            cats = field.raw.get("categories")
            if cats is None:
                continue
            name = f"{res.name}.{field.name}"
            ok = isinstance(cats, list) and cats and all(
                isinstance(c, dict) and isinstance(c.get("value"), str)
                and isinstance(c.get("label"), str) and c["label"].strip() for c in cats)
            if not ok:
                raise DataError(file=where, column=field.name, got=f"categories {cats!r}"[:200],
                                expected='categories as [{"value": code, "label": text}, ...], '
                                         "every label a non-empty string",
                                note=f"resource {res.name!r}")
            values = [c["value"] for c in cats]
            if field.enum is not None and sorted(values) != sorted(field.enum):
                extra = sorted(set(values) - set(field.enum))
                lacking = sorted(set(field.enum) - set(values))
                problem = (f"categories for {extra}, which the enum lacks" if extra
                           else f"no category for {lacking}" if lacking else "a category twice")
                raise DataError(file=where, column=field.name, got=problem,
                                expected="one category per value of the field's enum constraint",
                                note=f"resource {res.name!r}")
            for c in cats:
                code, text = c["value"], c["label"]
                if code in out and out[code] != text:
                    raise DataError(file=where, column=field.name,
                                    got=f"the code {code!r} labelled {text!r}",
                                    expected=f"the label it has in {found_in[code]}, {out[code]!r} "
                                             "(a code has one label wherever it occurs)",
                                    note=f"resource {res.name!r}")
                out[code] = text
                found_in.setdefault(code, name)
    for code, text in OTHER_LABELS.items():
        out.setdefault(code, text)
    return out


def code_labels() -> dict[str, str]:
    """A copy of {code: label} for every code of the data (from datapackage.json)
    and ``OTHER_LABELS``.  Also available as ``LABELS``."""
    return dict(_codes())


def __getattr__(name: str):
    # LABELS is read from the data package when first used, not on import:
    # importing the house style needs no data.
    if name == "LABELS":
        return code_labels()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def humanize(name: str) -> str:
    """'date_reported' -> 'Date reported' (for names no map lists)."""
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _label(value, codes: dict):
    if not isinstance(value, str):
        return value
    if value in codes:
        return codes[value]
    if value in COLUMN_LABELS:
        return COLUMN_LABELS[value]
    if _SNAKE.fullmatch(value):
        return humanize(value)
    return value


def label(value):
    """The label for people of a coded value or column name.

    ``label("coalition_government")`` -> "Coalition governments";
    ``label("time_utc")`` -> "Time (UTC)".  A value neither the data
    package's categories nor the maps here list is returned unchanged,
    unless it looks like a code (has an underscore): then it is humanised.
    Non-strings (numbers, dates, NA) come back unchanged.
    """
    if not isinstance(value, str):
        return value
    return _label(value, _codes())


def labels(values) -> list:
    """``[label(v) for v in values]`` (a list, a Series, an Index ...)."""
    codes = _codes()
    return [_label(v, codes) for v in values]
