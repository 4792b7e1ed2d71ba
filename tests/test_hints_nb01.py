"""Notebook 01's checks: each typical wrong answer gets a first failing line that names the slip."""
from __future__ import annotations

import pandas as pd
import pytest

from deirezzor import geo, load
from deirezzor.checks import first_failure, run

RAID_DAY = pd.Timestamp("2016-09-17")


def test_1_1_hints():
    events = load("events")
    before = events["date"] < RAID_DAY
    uncertain = (events["precision"] == "month") & (events["date"].dt.to_period("M") == RAID_DAY.to_period("M"))
    version = events["version_of"].notna()
    term = events["event_id"].isin(["E006a", "E006b"])
    right = sorted(events.loc[before & ~uncertain & ~version & ~term, "event_id"])
    assert all(r.passed for r in run("1.1", right)[0])
    # the data still has the three traps the exercise is about, each among the rows dated before the raid day
    assert (before & uncertain).any() and (before & version).any() and (before & term).any()
    assert "not how many" in first_failure("1.1", len(right)).hint
    assert "tuple" in first_failure("1.1", tuple(right)).hint
    assert "row numbers" in first_failure("1.1", [1, 2]).hint
    assert "sorted" in first_failure("1.1", right[::-1]).hint
    naive = sorted(events.loc[before, "event_id"])
    failure = first_failure("1.1", naive)
    assert "month-precision" in failure.what and "& ~(...)" in failure.hint
    with_versions = sorted(events.loc[before & ~uncertain & ~term, "event_id"])
    failure = first_failure("1.1", with_versions)
    assert "version_of" in failure.what and "notna()" in failure.hint
    assert "E006" not in failure.hint.replace(", ".join(sorted(set(with_versions) - set(right))), "")
    with_terms = sorted(events.loc[before & ~uncertain & ~version, "event_id"])
    failure = first_failure("1.1", with_terms)
    assert "terms of the agreement" in failure.what and "never did" in failure.hint
    late = sorted(right + [events.loc[~before, "event_id"].iloc[0]])
    assert "not dated before" in first_failure("1.1", late).hint
    failure = first_failure("1.1", right[1:])
    assert "every event" in failure.what and "left out 1 row" in failure.hint


def _km(a, b, swapped=False):
    p = load("places").set_index("place_id")
    if swapped:
        return geo.haversine_km(p.at[a, "lon"], p.at[a, "lat"], p.at[b, "lon"], p.at[b, "lat"])
    return geo.haversine_km(p.at[a, "lat"], p.at[a, "lon"], p.at[b, "lat"], p.at[b, "lon"])


def test_1_3_distance_hints():
    km = _km("deir_ez_zor_airport", "strike_area_reported")
    assert all(r.passed for r in run("1.3", round(km, 1))[0])
    # rounded to a whole number: the first failing line is about rounding, not about lat/lon
    failure = first_failure("1.3", round(km))
    assert "rounded to 1 decimal" in failure.what and "whole number" in failure.hint
    assert "more decimals" in first_failure("1.3", km + 0.0001 if round(km, 1) == km else km).hint
    assert "metres" in first_failure("1.3", round(km * 1000)).hint
    # both 9 km slips give 9.0: the hint names both, not only the city
    for a, b in (("deir_ez_zor_city", "strike_area_reported"), ("deir_ez_zor_airport", "location_told_to_russia")):
        hint = first_failure("1.3", round(_km(a, b), 1)).hint
        assert "stated 9 km" in hint and "from the city" in hint and "location_told_to_russia" in hint
    swapped = round(_km("deir_ez_zor_airport", "strike_area_reported", swapped=True), 1)
    assert swapped != round(km, 1)
    assert "latitude first" in first_failure("1.3", swapped).hint
    assert "tuple" in first_failure("1.3", (round(km, 1), 220)).hint
    assert "text" in first_failure("1.3", str(round(km, 1))).hint


positions = load("positions")


def holder(op="<=", take=-1, guard=True):
    def holder_on(place_id, date):
        day = pd.Timestamp(date)
        mask = positions["date"] <= day if op == "<=" else positions["date"] < day
        rows = positions[(positions["place_id"] == place_id) & mask]
        if guard and rows.empty:
            return None
        return str(rows.sort_values(["date", "position_id"])["holder"].iloc[take])
    return holder_on


def test_1_4_cases_name_only_what_they_test():
    """No case label promises a trap the data do not set (the 'attacked' case let a function that drops
    attacked rows pass)."""
    from deirezzor.exercises import nb01
    assert not any("attacked" in about for _, _, about, _ in nb01._CASES)


def test_1_4_model_passes():
    results, error = run("1.4", holder())
    assert error is None and all(r.passed for r in results)


@pytest.mark.parametrize("answer,what,in_hint", [
    ("holder_on", "a function", "no quotes, no brackets"),
    (holder(op="<"), "gives the holder", "<=, not <"),
    (holder(take=0), "gives the holder", "LAST report"),
    (holder(guard=False), "runs without an error", "raised IndexError"),
    (lambda place_id: None, "runs without an error", "two arguments"),
    (lambda place_id, date: positions["holder"], "one holder, not a table", ".iloc[-1]"),
])
def test_1_4_hints(answer, what, in_hint):
    failure = first_failure("1.4", answer)
    assert what in failure.what
    assert in_hint in failure.hint
    # hints point at the method: none spells out the whole algorithm
    assert "sort by date then position_id, take the last holder" not in failure.hint


def test_1_2_model_passes():
    for row in ("T23", "T24"):
        results, error = run("1.2", {"verdict": "needs_attribution", "row": row})
        assert error is None and all(r.passed for r in results), row


@pytest.mark.parametrize("answer,what,in_hint", [
    (("needs_attribution", "T24"), "dict", "tuple"),
    ({"verdict": "needs_attribution"}, "keys", "exactly these two keys"),
    ({"verdict": "true", "row": "T24"}, "listed texts", "Copy one of the three verdicts"),
    ({"verdict": "supported", "row": "E003"}, "attribution_id", "attributions table"),
    ({"verdict": "supported", "row": "T19"}, "December 2015", "something else"),
    ({"verdict": "supported", "row": "T23"}, "who asserts, who denies", "one side's word"),
    ({"verdict": "contradicted", "row": "T24"}, "who asserts, who denies", "A denial is a claim too"),
])
def test_1_2_hints(answer, what, in_hint):
    failure = first_failure("1.2", answer)
    assert what in failure.what
    assert in_hint in failure.hint
