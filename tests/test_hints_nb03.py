"""Notebook 03's checks: the first failing line names the student's actual mistake.

Each test feeds a typical wrong answer to deirezzor.checks.run and looks at the
first check that did not pass: what it says was checked, and its hint.  The
model answers are computed here from the data, as the notebook computes them,
so that a test fails if the data and the checks drift apart.
"""
from __future__ import annotations

import itertools
import math

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
    total = int(estimates.at["C07", "killed_stated"])
    return total - (total // 2 + 1)


def test_3_1_model_answer_passes(answer_3_1):
    assert first_failure("3.1", answer_3_1) is None


def test_3_1_float_is_told_to_use_int(answer_3_1):
    r = first_failure("3.1", float(answer_3_1))
    assert "whole number" in r.what and "int(...)" in r.hint


def test_3_1_text_is_told_to_compute_a_number(answer_3_1):
    r = first_failure("3.1", str(answer_3_1))
    assert "text" in r.hint and "number" in r.hint


def test_3_1_exactly_half_is_named(estimates):
    total = int(estimates.at["C07", "killed_stated"])
    r = first_failure("3.1", total - total // 2)
    assert "exactly half" in r.what


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
    return sorted(estimates.index[estimates["killed_high"].isna()])


def test_3_3_model_answer_passes(answer_3_3):
    assert first_failure("3.3", answer_3_3) is None


def test_3_3_a_tuple_is_told_to_use_sorted(answer_3_3):
    r = first_failure("3.3", tuple(answer_3_3))
    assert "list" in r.what and "tuple" in r.hint and "sorted(" in r.hint


def test_3_3_row_numbers_are_named(answer_3_3):
    r = first_failure("3.3", list(range(len(answer_3_3))))
    assert "not strings" in r.hint


def test_3_3_only_the_soldiers_rows_is_named(estimates, answer_3_3):
    soldiers = set(estimates.index[estimates["victims"].eq("syrian_soldiers")
                                   & estimates["scope"].isin(["coalition_strikes", "jabal_thardeh_by_coalition"])])
    r = first_failure("3.3", sorted(set(answer_3_3) & soldiers))
    assert "not limited to the soldiers" in r.what


def test_3_3_unsorted_is_named(answer_3_3):
    r = first_failure("3.3", list(reversed(answer_3_3)))
    assert r.what == "the list is sorted"


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
