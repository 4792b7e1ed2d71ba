"""Notebook 00's checks: each typical wrong answer gets a first failing line that names the slip."""
from __future__ import annotations

import pandas as pd
import pytest

from deirezzor import load
from deirezzor.checks import first_failure, run


def model(exercise_id):
    events = load("events")
    if exercise_id == "0.1":
        return sorted(events.loc[events["version_of"] == "E006", "event_id"])
    if exercise_id == "0.2":
        return int((events["source_id"].isin(["S01", "S02"])
                    & (events["according_to"] != "Wikipedia article")).sum())
    raise KeyError(exercise_id)


def test_model_answers_pass():
    for ex in ("0.1", "0.2"):
        results, error = run(ex, model(ex))
        assert error is None and results and all(r.passed for r in results), ex
    results, _ = run("0.3", {"event_id": "E008", "reason": "clock_time_and_first_hand"})
    assert all(r.passed for r in results)


@pytest.mark.parametrize("make,in_hint", [
    (lambda ids: tuple(ids), "tuple"),
    (lambda ids: pd.Series(ids), "pandas Series"),
    (lambda ids: ids[0], "one text"),
    (lambda ids: ["E006"] + ids, "E006 is the event the others are versions of"),
    (lambda ids: list(reversed(ids)), "sorted"),
    (lambda ids: ids[:1], "version_of"),
])
def test_0_1_hints(make, in_hint):
    ids = model("0.1")
    assert len(ids) >= 2   # the wrong answers below need two or more versions
    assert in_hint in first_failure("0.1", make(ids)).hint


def test_0_2_hints():
    events = load("events")
    in_article = events["source_id"].isin(["S01", "S02"])
    own = events["according_to"] == "Wikipedia article"
    right = model("0.2")
    assert "int(...)" in first_failure("0.2", float(right)).hint
    cases = [
        (int(in_article.sum()), "also those where the article itself speaks"),
        (int((in_article & own).sum()), "NOT the article"),
        (int((~own).sum()), "Keep only those read in the article"),
    ]
    for answer, in_hint in cases:
        assert answer != right   # the data still tells these slips apart
        assert in_hint in first_failure("0.2", answer).hint, answer
    assert "one value per row" in first_failure("0.2", in_article & ~own).hint


@pytest.mark.parametrize("answer,what,in_hint", [
    (("E008", "clock_time_and_first_hand"), "dict", "tuple"),
    ({"id": "E008", "why": "x"}, "keys", "exactly these two keys"),
    ({"event_id": "E010", "reason": "clock_time_only"}, "E006 or one of its versions", "E010"),
    ({"event_id": "E008", "reason": "because"}, "listed reasons", "Copy one of the reasons"),
    ({"event_id": "E007", "reason": "first_hand_only"}, "clock time", "gives only the day"),
    ({"event_id": "E006", "reason": "clock_time_only"}, "not a later summary", "who is speaking"),
    ({"event_id": "E008", "reason": "clock_time_only"}, "reason fits", "covers both"),
])
def test_0_3_hints(answer, what, in_hint):
    failure = first_failure("0.3", answer)
    assert what in failure.what
    assert in_hint in failure.hint


def test_0_3_lines_are_distinct():
    """Each listed check of 0.3 is printed once: no line repeats on a passing answer."""
    results, error = run("0.3", {"event_id": "E008", "reason": "clock_time_and_first_hand"})
    assert error is None, error
    whats = [r.what for r in results]
    assert len(whats) == len(set(whats)), whats


def test_0_2_counts_rows_not_events():
    """0.2 counts rows (a row can be a version of another row's event): its lines say rows."""
    right = model("0.2")
    assert "whole number of rows" in first_failure("0.2", float(right)).what
    results, error = run("0.2", right)
    assert error is None and all("rows" in r.what for r in results), [r.what for r in results]
