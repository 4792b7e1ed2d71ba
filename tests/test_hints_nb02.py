"""Notebook 02's checks: each typical wrong answer gets a first failing line that names the slip."""
from __future__ import annotations

import pandas as pd
import pytest

from deirezzor import load
from deirezzor.checks import first_failure, run

ev = load("events").set_index("event_id")
START = ev.at["E010", "time_utc"]


def test_2_1_hints():
    call = ev.at["E014", "time_utc"]
    local = call.tz_convert("Asia/Damascus")
    assert all(r.passed for r in run("2.1", local.strftime("%H:%M"))[0])
    assert "UTC time" in first_failure("2.1", call.strftime("%H:%M")).hint
    assert "not another event" in first_failure("2.1", START.tz_convert("Asia/Damascus").strftime("%H:%M")).hint
    assert "own conversion" in first_failure("2.1", (local - pd.Timedelta(hours=1)).strftime("%H:%M")).hint
    assert "fixed +2" in first_failure("2.1", (local - pd.Timedelta(hours=1)).strftime("%H:%M")).hint
    # E014 with a wrong offset or zone: the student did start from E014, so the hint says so
    for zone in ("Europe/Moscow", "America/New_York", "Europe/London"):
        wrong = call.tz_convert(zone).strftime("%H:%M")
        if wrong not in (local.strftime("%H:%M"), call.strftime("%H:%M")):
            assert "Right event, wrong offset" in first_failure("2.1", wrong).hint, zone
    assert "Right event, wrong offset" in first_failure("2.1", (local + pd.Timedelta(hours=1)).strftime("%H:%M")).hint
    assert "seconds" in first_failure("2.1", local.strftime("%H:%M:%S")).hint
    assert "24-hour" in first_failure("2.1", local.strftime("%I:%M p.m.")).hint
    assert "strftime" in first_failure("2.1", local).hint
    assert "text in quotes" in first_failure("2.1", 1655).hint


def test_2_2_hints():
    results, _ = run("2.2", ["E010"])
    assert results[0].passed
    assert "tuple" in first_failure("2.2", ("E010",)).hint
    assert "row numbers" in first_failure("2.2", [10, 13]).hint or "texts" in first_failure("2.2", [10, 13]).hint
    assert "row numbers" in first_failure("2.2", ["10"]).hint
    assert "fixed offset" in first_failure("2.2", ["E006", "E010"]).hint
    assert "New York" not in first_failure("2.2", ["E006", "E010"]).hint
    assert "own zone" in first_failure("2.2", ["E010", "E018"]).hint


def minutes(a, b):
    return (ev.at[b, "time_utc"] - ev.at[a, "time_utc"]) / pd.Timedelta(minutes=1)


def call(minutes_value, event_id="E014", reason="answered_call"):
    return {"event_id": event_id, "minutes": minutes_value, "reason": reason}


def test_2_4_model_passes():
    results, error = run("2.4", call(int(minutes("E010", "E014"))))
    assert error is None and results and all(r.passed for r in results)


@pytest.mark.parametrize("answer,in_hint", [
    # a bare number (the old form of the exercise) or a tuple instead of the dict
    (int(minutes("E010", "E014")), "Write {"),
    (("E014", int(minutes("E010", "E014")), "answered_call"), "tuple"),
    ({"event_id": "E014", "minutes": int(minutes("E010", "E014"))}, "exactly these three"),
    (call(int(minutes("E010", "E014")), event_id="E010"), "Pick one of them"),
    (call(int(minutes("E010", "E014")), reason="it got through"), "Copy one of the reasons"),
    (call(int(minutes("E010", "E014")), reason="investigation_timed_it"), "'reportedly'"),
    (call(int(minutes("E010", "E013")), event_id="E013", reason="first_call"), "Read the descriptions"),
    (call(int(minutes("E010", "E014")), reason="first_call"), "Being first is not why"),
    (call(float(int(minutes("E010", "E014")))), "int(...)"),
    (call(int(minutes("E013", "E014"))), "delay between the calls"),
    (call(int(minutes("E014", "E015"))), "to the cease-fire"),
    (call(int(minutes("E010", "E014")) + 180), "3 hours off"),
    (call(-int(minutes("E010", "E014"))), "call minus E010"),
    (call(int(minutes("E010", "E014") * 60)), "seconds"),
    (call(minutes("E010", "E014") + 0.5), "fractional part"),
    (call(str(int(minutes("E010", "E014")))), "without quotes"),
    (call(ev.at["E014", "time_utc"] - ev.at["E010", "time_utc"]), "Timedelta"),
])
def test_2_4_hints(answer, in_hint):
    assert in_hint in first_failure("2.4", answer).hint


def test_2_4_no_hint_names_the_call_and_its_reason_together():
    """The decision stays the student's: no first failing line gives the right call with why it counts."""
    for eid in ("E013", "E014"):
        for reason in ("first_call", "answered_call", "investigation_timed_it"):
            failure = first_failure("2.4", call(int(minutes("E010", eid)), event_id=eid, reason=reason))
            if failure is not None:
                assert not ("E014" in failure.hint and "answered" in failure.hint), (eid, reason, failure.hint)


def hours():
    events = load("events")
    later = events[(events["category"] == "ceasefire") & (events["time_utc"] > START)]
    return {r.event_id: (r.time_utc - START) / pd.Timedelta(hours=1) for r in later.itertuples()}


def test_2_5_accepts_one_decimal():
    """The exercise's own example (31.5) has one decimal: that style passes."""
    for answer in (hours(), {k: round(v, 1) for k, v in hours().items()},
                   {k: round(v, 2) for k, v in hours().items()}):
        results, error = run("2.5", answer)
        assert error is None and all(r.passed for r in results), answer


@pytest.mark.parametrize("change,in_hint", [
    (lambda h: {k: round(v) for k, v in h.items()}, "whole hours"),
    (lambda h: {k: v * 60 for k, v in h.items()}, "minutes"),
    (lambda h: {k: v / 24 for k, v in h.items()}, "days"),
    (lambda h: {k: v + 3 for k, v in h.items()}, "Damascus wall-clock"),
    (lambda h: {k: v + 1 for k, v in h.items()}, "1 hour off"),
    (lambda h: {k: v - 1 for k, v in h.items()}, "+2 wording"),
    (lambda h: {k: -v for k, v in h.items()}, "not the other way round"),
    (lambda h: list(h.values()), "list"),
    (lambda h: {k: pd.Timedelta(hours=v) for k, v in h.items()}, "Timedelta"),
    (lambda h: {k: str(v) for k, v in h.items()}, "not texts"),
    (lambda h: {**h, "E006": 1.0}, "Leave out E006"),
    (lambda h: dict(list(h.items())[1:]), "missing"),
    (lambda h: dict(enumerate(h.values())), "row numbers"),
])
def test_2_5_hints(change, in_hint):
    answer = change(hours())
    failure = first_failure("2.5", answer)
    assert in_hint in failure.hint, (failure.what, failure.hint)
    if in_hint == "whole hours":
        assert "minutes" not in failure.hint
