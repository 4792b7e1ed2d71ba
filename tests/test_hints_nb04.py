"""Notebook 04's checks: the first failing line names the student's actual mistake.

Each test feeds a typical wrong answer to deirezzor.checks.run and looks at the
first check that did not pass.  Model answers are computed here from the data,
as the notebook computes them.
"""
from __future__ import annotations

import pandas as pd
import pytest

from deirezzor import geo, load
from deirezzor.checks import first_failure, run


@pytest.fixture(scope="module")
def ev():
    return load("events").set_index("event_id")


@pytest.fixture(scope="module")
def fg():
    return load("figures").set_index("figure_id")


# ----------------------------------------------------------------------------- 4.1
@pytest.fixture(scope="module")
def answer_4_1(ev):
    opened, released, raid = ev.at["E032", "date"], ev.at["E040", "date"], ev.at["E010", "date"]
    assert ev.at["E032", "precision"] == "month"
    return ((released - (opened + pd.offsets.MonthEnd(0))).days, (released - max(opened, raid)).days)


def test_4_1_model_answer_passes(answer_4_1):
    assert first_failure("4.1", answer_4_1) is None


def test_4_1_a_list_is_told_a_tuple_is_needed(answer_4_1):
    r = first_failure("4.1", list(answer_4_1))
    assert "tuple" in r.what and "You gave a list" in r.hint


def test_4_1_floats_are_told_to_use_int(answer_4_1):
    r = first_failure("4.1", (float(answer_4_1[0]), answer_4_1[1]))
    assert "whole number" in r.what and "int(...)" in r.hint


def test_4_1_timedeltas_are_told_to_take_days(answer_4_1):
    r = first_failure("4.1", (pd.Timedelta(days=answer_4_1[0]), answer_4_1[1]))
    assert ".days" in r.hint


def test_4_1_counting_from_the_placeholder_day_is_named(ev, answer_4_1):
    naive = (ev.at["E040", "date"] - ev.at["E032", "date"]).days
    r = first_failure("4.1", (answer_4_1[0], naive))
    assert "1st of the month" in r.what and "precision" in r.hint


def test_4_1_the_wrong_end_of_the_month_is_named(answer_4_1):
    r = first_failure("4.1", (answer_4_1[0] + 1, answer_4_1[1]))
    assert "last day" in r.what


def test_4_1_one_number_is_refused():
    r = first_failure("4.1", 70)
    assert "tuple" in r.what and "whole number (int)" in r.hint


# ----------------------------------------------------------------------------- 4.2
@pytest.fixture(scope="module")
def quoted_figure(fg):
    rows = fg[fg["quantity"].eq("personnel_interviewed")]
    quoted = [fid for fid, r in rows.iterrows() if f'"{r["number_as_given"]}"' in r["passage"]]
    assert len(quoted) == 1
    return quoted[0], sorted(set(rows.index) - {quoted[0]})[0]


def test_4_2_model_answer_passes(quoted_figure):
    assert first_failure("4.2", {"figure_id": quoted_figure[0], "reason": "quotes_the_report"}) is None


def test_4_2_the_paraphrase_is_named(quoted_figure):
    r = first_failure("4.2", {"figure_id": quoted_figure[1], "reason": "later_source"})
    assert "quotes the report's words" in r.what and "paraphrase" in r.hint


def test_4_2_a_wrong_reason_is_named(quoted_figure):
    r = first_failure("4.2", {"figure_id": quoted_figure[0], "reason": "more_precise"})
    assert "reason" in r.what and "own words" in r.hint


def test_4_2_a_bare_id_is_told_a_dict_is_needed(quoted_figure):
    r = first_failure("4.2", quoted_figure[0])
    assert "dict" in r.what and "text" in r.hint


def test_4_2_a_misspelt_reason_lists_the_choices(quoted_figure):
    r = first_failure("4.2", {"figure_id": quoted_figure[0], "reason": "quotes the report"})
    assert "quotes_the_report" in r.hint


# ----------------------------------------------------------------------------- 4.3
@pytest.fixture(scope="module")
def answer_4_3(fg):
    pl = load("places").set_index("place_id")
    airport = (pl.at["deir_ez_zor_airport", "lat"], pl.at["deir_ez_zor_airport", "lon"])
    told = (pl.at["location_told_to_russia", "lat"], pl.at["location_told_to_russia", "lon"])
    tenths = range(int(fg.at["F22", "low"] * 10), int(fg.at["F22", "high"] * 10) + 1)
    d = [geo.haversine_km(*geo.destination(*airport, b, t / 10), *told) for b in range(180, 271) for t in tenths]
    near = [round(x) == fg.at["F23", "value_stated"] for x in d]
    verdict = "confirmed" if all(near) else "possible" if any(near) else "excluded"
    return {"plotted": "location_told_to_russia", "range_km": (round(min(d), 1), round(max(d), 1)),
            "verdict": verdict}


def test_4_3_model_answer_passes(answer_4_3):
    assert first_failure("4.3", answer_4_3) is None


def test_4_3_the_plan_instead_of_the_words_is_named(answer_4_3):
    r = first_failure("4.3", {**answer_4_3, "plotted": "strike_area_reported"})
    assert "operator's words" in r.what and "the plan" in r.hint


def test_4_3_a_list_for_the_range_is_told_a_tuple_is_needed(answer_4_3):
    r = first_failure("4.3", {**answer_4_3, "range_km": list(answer_4_3["range_km"])})
    assert "tuple" in r.what and "You gave a list" in r.hint


def test_4_3_unrounded_distances_are_named(answer_4_3):
    low, high = answer_4_3["range_km"]
    r = first_failure("4.3", {**answer_4_3, "range_km": (low + 0.04, high)})
    assert "1 decimal" in r.what and "round(" in r.hint


def test_4_3_a_wrong_verdict_is_named(answer_4_3):
    other = next(v for v in ("confirmed", "possible", "excluded") if v != answer_4_3["verdict"])
    r = first_failure("4.3", {**answer_4_3, "verdict": other})
    assert "verdict follows from the range" in r.what


def test_4_3_missing_keys_are_named(answer_4_3):
    r = first_failure("4.3", {"plotted": answer_4_3["plotted"]})
    assert "keys" in r.what and "three" in r.hint


# ----------------------------------------------------------------------------- 4.4
GROUPS = {"procedural_finding": "procedure", "misidentification": "identification",
          "accident": "intent and legality"}


@pytest.fixture(scope="module")
def report():
    st = load("statements")
    return st[st["role"].str.contains("investigation", regex=False, na=False)]


def test_4_4_model_answer_passes(report):
    answer = report["claim"].map(GROUPS).value_counts(normalize=True).round(2)
    assert first_failure("4.4", answer) is None


def test_4_4_counts_are_named_as_counts(report):
    r = first_failure("4.4", report["claim"].map(GROUPS).value_counts())
    assert "share" in r.what and "counts" in r.hint and "normalize=True" in r.hint


def test_4_4_unrounded_shares_are_refused(report):
    shares = report["claim"].map(GROUPS).value_counts(normalize=True)
    shares = shares + pd.Series([0.003, -0.003, 0.0], index=shares.index)   # as if computed from other rows
    r = first_failure("4.4", shares)
    assert "2 decimals" in r.what and ".round(2)" in r.hint


def test_4_4_claim_codes_as_index_are_named(report):
    r = first_failure("4.4", report["claim"].value_counts(normalize=True).round(2))
    assert "group names" in r.what and ".map(" in r.hint


def test_4_4_a_dict_is_told_a_series_is_needed(report):
    r = first_failure("4.4", dict(report["claim"].map(GROUPS).value_counts(normalize=True).round(2)))
    assert "Series" in r.what and "dict" in r.hint


def test_4_4_rows_of_the_wrong_selection_are_named(report):
    st = load("statements")
    wrong = st[st["claim"].isin(GROUPS)]["claim"].map(GROUPS).value_counts(normalize=True).round(2)
    right = report["claim"].map(GROUPS).value_counts(normalize=True).round(2)
    assert not wrong.sort_index().equals(right.sort_index()), "the data no longer tells the two selections apart"
    r = first_failure("4.4", wrong)
    assert "statements whose role mentions the investigation" in r.what and "'investigation'" in r.hint
