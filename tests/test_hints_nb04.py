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
# The six draft sentences are in the exercise cell; the key follows from the rows.
MODEL_4_4 = ["B", "D"]


def test_4_4_the_key_follows_from_the_rows():
    st = load("statements")
    report = st[st["role"].str.contains("investigation", regex=False, na=False)].set_index("statement_id")
    ev = load("events").set_index("event_id")
    # A overstates Q35; B quotes Q39 exactly; C drops Q36's "may have"; D rests on Q37 and Q38
    assert "no evidence of misconduct" in report.at["Q35", "quote"]
    assert "both target areas contained tunnels and defensive fighting positions" in report.at["Q39", "quote"]
    assert report.at["Q36", "quote"].startswith("may have affected the Russian response")
    assert "elected to wait" in report.at["Q37", "quote"] and "delay of 27 minutes" in report.at["Q38", "quote"]
    # E: 14:52Z is not the investigation's time; F: the lessons are not given
    assert "investigation" not in ev.at["E014", "according_to"] and f"{ev.at['E014', 'time_utc']:%H:%M}" == "14:52"
    assert "does not list the lessons" in ev.at["E040a", "derivation"]
    from deirezzor.exercises import nb04
    assert nb04._printable_4_4() == MODEL_4_4


def test_4_4_model_answer_passes():
    assert first_failure("4.4", MODEL_4_4) is None


def test_4_4_a_count_is_told_to_give_the_letters():
    r = first_failure("4.4", len(MODEL_4_4))
    assert "list of letters" in r.what and "how many" in r.hint and "letters themselves" in r.hint


def test_4_4_a_tuple_is_told_a_list_is_needed():
    r = first_failure("4.4", tuple(MODEL_4_4))
    assert "list" in r.what and "You gave a tuple" in r.hint


def test_4_4_one_text_is_told_to_split_the_letters():
    r = first_failure("4.4", ", ".join(MODEL_4_4))
    assert "list of letters" in r.what and "one text" in r.hint and "square brackets" in r.hint


def test_4_4_a_verdict_dict_is_told_only_letters_are_needed():
    r = first_failure("4.4", {k: "supported" for k in "ABCDEF"})
    assert "list of letters" in r.what and "You gave a dict" in r.hint and "no verdict" in r.hint


def test_4_4_statement_ids_are_told_to_give_letters():
    r = first_failure("4.4", ["Q37", "Q39"])
    assert "letters A to F" in r.what and "'Q37', the id of a row" in r.hint


def test_4_4_lower_case_letters_are_told_to_use_capitals():
    r = first_failure("4.4", [x.lower() for x in MODEL_4_4])
    assert "letters A to F" in r.what and "capital" in r.hint


def test_4_4_unsorted_letters_are_named():
    r = first_failure("4.4", sorted(MODEL_4_4, reverse=True))
    assert "sorted" in r.what and "sorted(" in r.hint


def test_4_4_a_repeated_letter_is_named():
    r = first_failure("4.4", MODEL_4_4 + MODEL_4_4[-1:])
    assert "twice" in r.what


@pytest.mark.parametrize("letter,clue", [("A", "Q35"), ("C", "Q36"), ("E", "according to"), ("F", "E040a")])
def test_4_4_an_overstated_or_miscredited_sentence_is_named(letter, clue):
    r = first_failure("4.4", sorted(MODEL_4_4 + [letter]))
    assert "can be printed as it stands" in r.what and r.hint.startswith(f"Sentence {letter}") and clue in r.hint


def test_4_4_several_wrong_letters_say_how_many():
    r = first_failure("4.4", list("ABCDEF"))
    assert r.hint.startswith("Sentence A") and "4 letters in your list do not pass" in r.hint


@pytest.mark.parametrize("letter,clue", [("B", "word for word"), ("D", "Q37 and Q38")])
def test_4_4_a_printable_sentence_left_out_is_named(letter, clue):
    r = first_failure("4.4", [x for x in MODEL_4_4 if x != letter])
    assert "is missing" in r.what and r.hint.startswith(f"Sentence {letter}") and clue in r.hint


def test_4_4_an_empty_list_names_the_first_missing_sentence():
    r = first_failure("4.4", [])
    assert "is missing" in r.what and "2 letters are missing" in r.hint
