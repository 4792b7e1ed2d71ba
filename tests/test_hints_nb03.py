"""Notebook 03's checks: the first failing line names the student's actual mistake.

Each test feeds a typical wrong answer to deirezzor.checks.run and looks at the
first check that did not pass: what it says was checked, and its hint.  The
model answers are computed here from the data, as the notebook computes them,
so that a test fails if the data and the checks drift apart.
"""
from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest

from deirezzor import load
from deirezzor.checks import first_failure, run


def text(result) -> str:
    return f"{result.what} | {result.hint}"


@pytest.fixture(scope="module")
def estimates():
    return load("casualty_estimates").set_index("estimate_id")


# ----------------------------------------------------------------------------- 3.1
@pytest.fixture(scope="module")
def answer_3_1(estimates):
    """The sentences C10 supports, decided here from its columns as the exercise asks."""
    c10 = estimates.loc["C10"]
    assert c10["killed_qualifier"] == "could only confirm" and c10["killed_reading"] == "lower_bound"
    assert c10["date_reported"].month != 9          # D says September
    return ["B", "C"]                               # A: a minimum as a total; D: the wrong month


def test_3_1_model_answer_passes(answer_3_1):
    assert first_failure("3.1", answer_3_1) is None


def test_3_1_a_text_of_letters_is_told_to_make_a_list():
    r = first_failure("3.1", "BC")
    assert "list of letters" in r.what and "text" in r.hint and "inside a list" in r.hint


def test_3_1_a_tuple_is_told_to_use_sorted(answer_3_1):
    r = first_failure("3.1", tuple(answer_3_1))
    assert "tuple" in r.hint and "sorted(" in r.hint


def test_3_1_lower_case_letters_are_named(answer_3_1):
    r = first_failure("3.1", [a.lower() for a in answer_3_1])
    assert "capital letters" in r.what and "capitals" in r.hint


def test_3_1_unsorted_is_named(answer_3_1):
    r = first_failure("3.1", list(reversed(answer_3_1)))
    assert r.what == "the list is sorted"


def test_3_1_a_minimum_read_as_the_total_is_named(answer_3_1):
    r = first_failure("3.1", sorted(answer_3_1 + ["A"]))
    assert r.what == "sentence A is judged right" and "killed_qualifier" in r.hint and "reported_by" in r.hint
    assert "confirmed minimum" not in r.hint       # the hint points to the place, not the verdict


def test_3_1_the_wrong_month_is_named(answer_3_1):
    r = first_failure("3.1", sorted(answer_3_1 + ["D"]))
    assert r.what == "sentence D is judged right" and "date_reported" in r.hint
    assert "September" not in r.hint and "November" not in r.hint   # no verdict in the hint


def test_3_1_a_faithful_rewording_left_out_is_named():
    """The typical slip: only the sentence that copies the words is kept; 'at least 15' is refused."""
    r = first_failure("3.1", ["B"])
    assert r.what == "sentence C is judged right" and "reword" in r.hint


def test_3_1_only_the_first_misjudged_sentence_is_reported():
    results, error = run("3.1", [])
    assert error is None
    assert [x.what for x in results if not x.passed] == ["sentence B is judged right"]


# ----------------------------------------------------------------------------- 3.2
def bounds(wording, n):
    if wording == "none":
        return ("point", n, n)
    if wording in ("at least", "could only confirm"):
        return ("lower_bound", n, None)
    if wording == "over":
        return ("lower_bound", n + 1, None)
    if wording in ("about", "around"):
        return ("approximate", None, None)
    if wording == "more than half of":
        return ("range", n // 2 + 1, n)
    raise ValueError(wording)


def test_3_2_model_answer_passes():
    assert first_failure("3.2", bounds) is None


def test_3_2_a_list_instead_of_a_tuple_says_return_a_tuple():
    r = first_failure("3.2", lambda w, n: list(bounds(w, n)))
    assert "tuple" in r.what
    assert "returned a list" in r.hint and "return a tuple" in r.hint


def test_3_2_the_old_two_value_answer_says_return_three():
    r = first_failure("3.2", lambda w, n: bounds(w, n)[1:])
    assert "tuple (reading, low, high)" in r.what and "return three" in r.hint


def test_3_2_a_crash_names_the_error_and_the_input():
    def crashes(wording, n):
        return ("point", n, n) if wording == "none" else (wording.split()[7], n, n)

    r = first_failure("3.2", crashes)
    assert "without raising an error" in r.what
    assert "raised IndexError" in r.hint and "wording 'at least'" in r.hint
    assert "usually means" in r.hint
    assert "returned" not in r.hint          # not "It returned 'an error (IndexError)'"


def test_3_2_a_missing_wording_is_reported_as_a_crash_on_that_wording():
    def no_confirm(wording, n):
        if wording == "could only confirm":
            raise ValueError(f"no reading rule for {wording!r}")
        return bounds(wording, n)

    r = first_failure("3.2", no_confirm)
    assert "raised ValueError" in r.hint and "'could only confirm'" in r.hint


def test_3_2_wrong_reading_rule_names_the_rule():
    r = first_failure("3.2", lambda w, n: ("exactly", n, n) if w == "none" else bounds(w, n))
    assert "'none'" in r.what and "'point'" in r.hint


def test_3_2_a_bound_for_about_is_named():
    r = first_failure("3.2", lambda w, n: ("approximate", n - 10, n + 10) if w == "about" else bounds(w, n))
    assert "'about'" in r.what and "guess" in r.hint


def test_3_2_the_function_called_is_named():
    r = first_failure("3.2", bounds(("none"), 5))
    assert r.what == "the answer is a function" and "without brackets" in r.hint


# ----------------------------------------------------------------------------- 3.3
@pytest.fixture(scope="module")
def answer_3_3(estimates):
    """From the columns: SOHR's last figure (no dates; the article's order) and the late-September
    Syrian figure whose scope is the strikes."""
    sohr = estimates[estimates["reported_by"].str.startswith("Syrian Observatory")
                     & estimates["scope"].eq("coalition_strikes")]
    assert sohr["date_reported"].isna().all(), "SOHR's figures are undated in the article"
    last = [i for i in sohr.index if sohr.at[i, "timing_relative_to"] in sohr.index
            and i not in set(sohr["timing_relative_to"].dropna())]
    late = estimates[estimates["side"].eq("syrian_government") & estimates["timing_as_given"].eq("In late September")]
    strikes = list(late.index[late["scope"].eq("coalition_strikes")])
    assert len(last) == 1 and len(strikes) == 1 and len(late) == 2
    return [(last[0], "latest"), (strikes[0], "scope")]


def test_3_3_model_answer_passes(answer_3_3):
    assert first_failure("3.3", answer_3_3) is None


def test_3_3_one_tuple_is_told_there_are_two_purposes(answer_3_3):
    r = first_failure("3.3", answer_3_3[0])
    assert "list of two tuples" in r.what and "one tuple" in r.hint and "two purposes" in r.hint


def test_3_3_lists_for_tuples_are_named(answer_3_3):
    r = first_failure("3.3", [list(a) for a in answer_3_3])
    assert "list of two tuples" in r.what and "write it as a tuple" in r.hint


def test_3_3_a_dict_is_named(answer_3_3):
    r = first_failure("3.3", {1: answer_3_3[0], 2: answer_3_3[1]})
    assert "You gave a dict" in r.hint


def test_3_3_a_reason_not_in_the_list_is_named(answer_3_3):
    r = first_failure("3.3", [(answer_3_3[0][0], "most recent"), answer_3_3[1]])
    assert "each reason is one of" in r.what and "'most recent'" in r.hint


def test_3_3_highest_is_not_a_reason(answer_3_3):
    r = first_failure("3.3", [(answer_3_3[0][0], "highest"), answer_3_3[1]])
    assert r.what == "purpose 1: the reason is the one that picks that row" and "does not ask for the largest" in r.hint


def test_3_3_dated_is_refused_because_no_sohr_row_has_a_date(answer_3_3):
    r = first_failure("3.3", [(answer_3_3[0][0], "dated"), answer_3_3[1]])
    assert "None of SOHR's figures has a date" in r.hint


def test_3_3_exact_is_our_reading(answer_3_3):
    r = first_failure("3.3", [(answer_3_3[0][0], "exact"), answer_3_3[1]])
    assert "reading rule" in r.hint


def test_3_3_sohr_first_figure_is_told_a_later_one_exists(estimates, answer_3_3):
    first = estimates.at[answer_3_3[0][0], "timing_relative_to"]
    r = first_failure("3.3", [(first, "latest"), answer_3_3[1]])
    assert r.what.startswith("purpose 1: it is SOHR's revised figure") and f"timing_relative_to is {first}" in r.hint


def test_3_3_the_wider_scope_is_named(estimates, answer_3_3):
    late = estimates.index[estimates["timing_as_given"].eq("In late September").fillna(False)]
    wider = [i for i in late if i != answer_3_3[1][0]][0]
    r = first_failure("3.3", [answer_3_3[0], (wider, "scope")])
    assert r.what == "purpose 2: the row counts the same thing as SOHR's figures" and "Jabal Thardeh" in r.hint


def test_3_3_the_november_figure_is_named(answer_3_3):
    r = first_failure("3.3", [answer_3_3[0], ("C11", "latest")])
    assert "late September" in r.what and "November" in r.hint


def test_3_3_a_row_outside_sohr_for_purpose_1_is_named(answer_3_3):
    r = first_failure("3.3", [answer_3_3[1], answer_3_3[0]])      # the two purposes swapped
    assert r.what == "purpose 1: the row is one of SOHR's figures for the strikes"


# ----------------------------------------------------------------------------- 3.4
@pytest.fixture(scope="module")
def strikes(estimates):
    return estimates[estimates["victims"].eq("syrian_soldiers") & estimates["scope"].eq("coalition_strikes")]


@pytest.fixture(scope="module")
def answer_3_4(strikes):
    by_rule = sorted(strikes.index[strikes["killed_qualifier"].eq("none") & strikes["killed_reading"].eq("point")])
    low = strikes["killed_low"].astype(float)
    for size in range(len(by_rule) + 1):
        for chosen in itertools.combinations(by_rule, size):
            high = strikes["killed_high"].astype(float).fillna(math.inf)
            high[list(chosen)] = math.inf
            if low.max() <= high.min():
                return sorted(chosen)
    raise AssertionError("no re-reading makes the strikes ranges share a number")


def test_3_4_model_answer_passes(answer_3_4):
    assert first_failure("3.4", answer_3_4) is None


def test_3_4_a_worded_row_is_refused(strikes, answer_3_4):
    worded = sorted(strikes.index[strikes["killed_qualifier"].ne("none")])[0]
    r = first_failure("3.4", sorted(answer_3_4 + [worded]))
    assert "bare number" in r.what and worded in r.hint and "source's own words" in r.hint


def test_3_4_too_many_rows_is_named(strikes, answer_3_4):
    by_rule = sorted(strikes.index[strikes["killed_qualifier"].eq("none") & strikes["killed_reading"].eq("point")])
    extra = sorted(set(by_rule) - set(answer_3_4))
    assert extra, "the data has no bare number outside the smallest set"
    r = first_failure("3.4", sorted(answer_3_4 + extra[:1]))
    assert "smaller set" in r.what


def test_3_4_too_few_rows_is_named(answer_3_4):
    r = first_failure("3.4", answer_3_4[:-1])
    assert "one number lies inside every strikes range" in r.what


def test_3_4_a_tuple_is_named(answer_3_4):
    r = first_failure("3.4", tuple(answer_3_4))
    assert "tuple" in r.hint and "sorted(" in r.hint


# ----------------------------------------------------------------------------- data the exercises read
def test_a_contrastive_while_and_a_citing_report_do_not_date_a_figure(estimates):
    """Review 2: the article's 'while' (C05) means 'whereas', so it places nothing in time; NPR's
    report of 30 November cites the Syrian 62 (C11), so 30 November is not the date of the figure."""
    c05, c11 = estimates.loc["C05"], estimates.loc["C11"]
    assert c05["timing_as_given"] is pd.NA or pd.isna(c05["timing_as_given"])
    assert pd.isna(c05["timing_relative_to"]) and "contrastive" in c05["derivation"]
    assert estimates.at["C06", "timing_relative_to"] == "C05"          # the article's order
    assert pd.isna(c11["date_reported"]) and c11["date_precision"] == "unknown"
    assert "cited by NPR on 30 Nov 2016" in c11["derivation"]
    assert estimates.at["C10", "date_reported"] == pd.Timestamp("2016-11-29")   # the summary's release
