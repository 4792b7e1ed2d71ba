"""Notebook 05's checks: the first failing line names the mistake a student made.

Each test feeds a typical wrong answer to deirezzor.checks.first_failure, which
returns the first check that did not pass: what it says was checked, and its hint.  The
model answers are rebuilt from the data here, so a data change that moves an
answer moves the test with it.
"""
from __future__ import annotations

import pandas as pd
import pytest
from zoneinfo import ZoneInfo

from deirezzor import load
from deirezzor.checks import first_failure
from deirezzor.exercises import nb05



# ---------------------------------------------------------------- 5.1
@pytest.fixture
def order_5_1():
    expected = nb05.published_vs_end()
    return {k: sorted(i for i, v in expected.items() if v == k) for k in nb05.ORDER_KEYS}


def test_5_1_model_answer_passes(order_5_1):
    assert first_failure("5.1", order_5_1) is None


def test_5_1_the_model_answer_sorts_rows_by_what_the_dates_allow(order_5_1):
    # the undated encyclopedia row can never be ordered, whatever the data says about the others
    assert "E024" in order_5_1["cannot_tell"]
    assert set(sum(order_5_1.values(), [])) == set(nb05.END_ROWS)


@pytest.mark.parametrize("answer, what, hint", [
    (["E022"], "a dict", "You gave a list"),
    ({"before": ["E022"], "after": ["E023"], "unknown": ["E024", "E025"]}, "keys", "'unknown'"),
    ({"before": "E022", "after": ["E023"], "cannot_tell": ["E024", "E025"]}, "list of event ids", "a text"),
    ({"before": ["E022"], "after": ["E023"], "cannot_tell": ["E024"]}, "exactly one list", "E025 is not in any list"),
])
def test_5_1_shape_mistakes(answer, what, hint):
    failed = first_failure("5.1", answer)
    assert what in failed.what and hint in failed.hint


def test_5_1_undated_source_put_in_order(order_5_1):
    answer = {k: list(v) for k, v in order_5_1.items()}
    answer["cannot_tell"].remove("E024")
    answer["after"].append("E024")
    failed = first_failure("5.1", answer)
    assert "no publication date" in failed.what
    assert "E024" in failed.hint and "S01" in failed.hint


def test_5_1_same_day_put_in_order(order_5_1):
    answer = {k: list(v) for k, v in order_5_1.items()}
    answer["cannot_tell"].remove("E025")
    answer["before"].append("E025")
    failed = first_failure("5.1", answer)
    assert "same day" in failed.what and "E025" in failed.hint


def test_5_1_swapped_before_and_after(order_5_1):
    answer = dict(order_5_1, before=order_5_1["after"], after=order_5_1["before"])
    failed = first_failure("5.1", answer)
    assert "'before' or 'after'" in failed.what
    assert "Which comes first?" in failed.hint


def test_5_1_dated_rows_called_unknowable(order_5_1):
    answer = {"before": [], "after": [], "cannot_tell": list(nb05.END_ROWS)}
    failed = first_failure("5.1", answer)
    assert "'before' or 'after'" in failed.what and "can be ordered" in failed.hint


# ---------------------------------------------------------------- 5.2
NY = pd.Timestamp(2016, 9, 17, 19, 30, tzinfo=ZoneInfo("America/New_York"))


def test_5_2_model_answer_passes():
    assert first_failure("5.2", NY.tz_convert("Asia/Damascus")) is None


@pytest.mark.parametrize("answer, what, hint", [
    ("2016-09-18 02:30", "timestamp", "You gave a text"),
    (2.5, "timestamp", "a decimal number"),
    (pd.Timestamp(2016, 9, 18, 2, 30), "time zone", "naive"),
    (NY, "Asia/Damascus zone", "right instant, but on the America/New_York clock"),
    (NY.tz_convert("UTC"), "Asia/Damascus zone", "UTC clock"),
    (pd.Timestamp(2016, 9, 17, 19, 30, tzinfo=ZoneInfo("Asia/Damascus")), "same instant",
     "19:30 is New York time"),
    (pd.Timestamp(2016, 9, 18, 1, 30, tzinfo=ZoneInfo("Asia/Damascus")), "same instant", "-1 h"),
])
def test_5_2_typical_mistakes(answer, what, hint):
    failed = first_failure("5.2", answer)
    assert what in failed.what and hint in failed.hint


# ---------------------------------------------------------------- 5.3
def _attributions():
    return nb05._attributions_grouped()


def test_5_3_model_answer_passes():
    at = _attributions()
    several = at[at.groupby("effect_grouped")["side"].transform("nunique") > 1]
    table = several.pivot_table(index="effect_grouped", columns="side", values="cause", aggfunc="; ".join)
    assert first_failure("5.3", table) is None


def test_5_3_series_instead_of_table():
    at = _attributions()
    failed = first_failure("5.3", at.groupby(["effect_grouped", "side"])["cause"].first())
    assert "DataFrame" in failed.what and "You gave a pandas Series" in failed.hint


def test_5_3_not_filtered():
    at = _attributions()
    table = at.pivot_table(index="effect_grouped", columns="side", values="cause", aggfunc="; ".join)
    failed = first_failure("5.3", table)
    assert "more than one side" in failed.what and "also those claimed by only one side" in failed.hint


def test_5_3_raw_effect_column():
    at = _attributions()
    several = at[at.groupby("effect")["side"].transform("nunique") > 1]
    table = several.pivot_table(index="effect", columns="side", values="cause", aggfunc="; ".join)
    failed = first_failure("5.3", table)
    assert "effect_grouped" in failed.hint


def test_5_3_causes_cut_short():
    at = _attributions()
    several = at[at.groupby("effect_grouped")["side"].transform("nunique") > 1]
    table = several.pivot_table(index="effect_grouped", columns="side", values="cause",
                                aggfunc=lambda s: s.iloc[0][:12])
    failed = first_failure("5.3", table)
    assert "every cause" in failed.what and '"; ".join' in failed.hint


def test_5_3_empty_cells_filled():
    at = _attributions()
    several = at[at.groupby("effect_grouped")["side"].transform("nunique") > 1]
    table = several.pivot_table(index="effect_grouped", columns="side", values="cause",
                                aggfunc="; ".join).fillna("none")
    failed = first_failure("5.3", table)
    assert "empty" in failed.what and "fillna" in failed.hint


# ---------------------------------------------------------------- 5.5
def test_5_5_model_answer_passes():
    assert first_failure("5.5", nb05.mosul_verdicts()) is None


def test_5_5_verdicts_follow_the_dates():
    ev = load("events").set_index("event_id")
    verdicts = nb05.mosul_verdicts()
    assert (verdicts["A"] == "supported") == (ev.at["E037", "date"] < ev.at["E039", "date"])
    assert (verdicts["B"] == "contradicted") == (ev.at["E038", "date"] > ev.at["E037", "date"])
    assert verdicts["D"] == "cannot tell"


@pytest.mark.parametrize("change, what, hint", [
    ({"A": "yes"}, "every verdict", "'yes'"),
    ({"B": "supported"}, "claim B", "Which came first?"),
    ({"A": "cannot tell"}, "claim A", "dated to the day"),
    ({"C": "supported"}, "claim C", "F24"),
    ({"D": "supported"}, "claim D", "forecast"),
    ({"D": "contradicted"}, "claim D", "did not move either"),
])
def test_5_5_typical_mistakes(change, what, hint):
    failed = first_failure("5.5", {**nb05.mosul_verdicts(), **change})
    assert what in failed.what and hint in failed.hint


def test_5_5_shape_mistakes():
    assert "a dict" in first_failure("5.5", ["supported"] * 4).what
    failed = first_failure("5.5", {"A": "supported", "B": "contradicted", "C": "cannot tell"})
    assert "keys" in failed.what and "'D'" in failed.hint


def test_5_5_spelling_of_cannot_tell_is_forgiven():
    answer = {k: v.replace("cannot tell", "Cannot_Tell") for k, v in nb05.mosul_verdicts().items()}
    assert first_failure("5.5", answer) is None
