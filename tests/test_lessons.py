"""lessons.md, the instructor guide, must agree with the data.

Each notebook's section ends with a hidden FACTS block: one line per figure the
section quotes, ``phrase | python expression``.  This test checks that every
phrase appears in the visible text of its section and that the numbers in the
phrase equal the expression, evaluated on the real data (rounded to the
decimals the phrase shows).  It also checks every calendar date and every
Zulu time the guide names against the data, and the generated glance table.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from deirezzor import geo, load

ROOT = Path(__file__).resolve().parent.parent
LESSONS = (ROOT / "lessons.md").read_text(encoding="utf-8")
SECTION = re.compile(r"^### (\d\d) · ", re.M)
FACTS = re.compile(r"<!-- FACTS:[^\n]*\n(.*?)-->", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
# A number not glued to a letter or hyphen (so "F-16", "E022" and "Q41" are not numbers).
NUMBER = re.compile(r"(?<![\w\-])\d+(?:,\d{3})*(?:\.\d+)?(?![\w\-])")
MONTHS = "January February March April May June July August September October November December".split()
DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")


def sections() -> dict[str, str]:
    starts = [(m.group(1), m.start()) for m in SECTION.finditer(LESSONS)]
    out = {}
    for i, (number, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(LESSONS)
        out[number] = LESSONS[start:end]
    return out


def facts() -> list[tuple[str, str, str]]:
    found = []
    for number, text in sections().items():
        block = FACTS.search(text)
        assert block, f"lessons.md section {number} has no FACTS block"
        for line in block.group(1).splitlines():
            if line.strip():
                phrase, expr = line.split(" | ", 1)
                found.append((number, phrase.strip(), expr.strip()))
    return found


def model_form(exercise_id: str):
    """The model answer's normal form, as `make build` captured it from the solution cell
    (the key is written once, there) into instructor/accepted.json, read back as a Python value."""
    import ast
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    accepted = json.loads((root / "instructor" / "accepted.json").read_text(encoding="utf-8"))
    if exercise_id not in accepted:
        raise KeyError(exercise_id)
    return ast.literal_eval(next(iter(accepted[exercise_id])))   # the model answer comes first


@pytest.fixture(scope="module")
def namespace():
    return {"model_form": model_form,
        "load": load, "pd": pd, "geo": geo, "re": re, "json": json, "ZoneInfo": ZoneInfo,
        "ev": load("events").set_index("event_id"),
        "fg": load("figures").set_index("figure_id"),
        "ce": load("casualty_estimates").set_index("estimate_id"),
        "st": load("statements"),
        "pl": load("places").set_index("place_id"),
        "ac": load("aircraft").set_index("claim_id"),
        "att": load("attributions"),
    }


def _flatten(value) -> list:
    if isinstance(value, (list, tuple)):
        return [v for item in value for v in _flatten(item)]
    return [value]


def test_every_notebook_has_a_section():
    from deirezzor.series import SERIES
    assert sorted(sections()) == [e.label for e in SERIES]


FACT_LIST = facts()


@pytest.mark.parametrize("number,phrase,expr", FACT_LIST, ids=[f"{n}:{p[:40]}" for n, p, _ in FACT_LIST])
def test_quoted_figure_matches_the_data(namespace, number, phrase, expr):
    visible = COMMENT.sub("", sections()[number])
    assert phrase in visible, f"section {number} does not contain the phrase {phrase!r}"
    value = eval(expr, dict(namespace))  # expressions are ours, in lessons.md
    if type(value).__name__ in ("bool", "bool_"):  # Python or numpy truth value
        assert value, f"section {number}: {phrase!r} — the data says otherwise ({expr})"
        return
    if isinstance(value, str):
        assert value == phrase, f"section {number}: the guide says {phrase!r}, the data gives {value!r}"
        return
    quoted = NUMBER.findall(phrase)
    computed = _flatten(value)
    assert len(quoted) == len(computed), f"{phrase!r}: numbers {quoted} vs computed {computed}"
    for text, number_value in zip(quoted, computed):
        decimals = len(text.split(".")[1]) if "." in text else 0
        as_number = float(text.replace(",", ""))
        assert round(float(number_value), decimals) == as_number, (
            f"section {number}: the guide says {text} in {phrase!r}; the data gives {number_value}")


def _data_dates() -> set[str]:
    dates = set()
    for table, cols in {"events": ["date"], "statements": ["date"], "sources": ["date_published"],
                        "positions": ["date"], "casualty_estimates": ["date_reported"],
                        "attributions": ["date"], "figures": ["date"]}.items():
        frame = load(table)
        for col in cols:
            dates |= {f"{d.day} {MONTHS[d.month - 1]} {d.year}" for d in frame[col].dropna()}
    ev = load("events")
    for col in ("time_utc", "time_damascus"):
        dates |= {f"{d.day} {MONTHS[d.month - 1]} {d.year}" for d in ev[col].dropna()}
    return dates


def test_every_date_in_the_guide_is_in_the_data():
    known = _data_dates()
    fact_phrases = " ".join(p for _, p, _ in FACT_LIST)
    for match in DATE.finditer(COMMENT.sub("", LESSONS)):
        date = f"{int(match.group(1))} {match.group(2)} {match.group(3)}"
        assert date in known or match.group(0) in fact_phrases, f"lessons.md names {date}, which no data row has"


def test_every_zulu_time_in_the_guide_is_in_the_data():
    times = {t.strftime("%H:%MZ") for t in load("events")["time_utc"].dropna()}
    for t in re.findall(r"\b\d{2}:\d{2}Z\b", COMMENT.sub("", LESSONS)):
        assert t in times, f"lessons.md names {t}, which no event has"


def test_the_glance_table_is_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "glance.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
