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
NY = pd.Timestamp(2016, 9, 17, 19, 30, tzinfo=ZoneInfo("America/New_York"))   # 7:30 p.m. EDT, as given
DAMASCUS = NY.tz_convert("Asia/Damascus")


def test_5_2_model_answer_passes():
    assert first_failure("5.2", ("Asia/Damascus", DAMASCUS.date())) is None
    assert first_failure("5.2", nb05.meeting_day_after()) is None


def test_5_2_exactly_one_clock_puts_the_meeting_on_the_next_day():
    ev = load("events").set_index("event_id")
    raid, meeting = ev.at["E010", "time_utc"], ev.at["E018", "time_utc"]
    assert meeting == NY   # the stored instant is the time as given
    gaps = {z: (meeting.tz_convert(z).date() - raid.tz_convert(z).date()).days for z in nb05.CLOCKS}
    assert sorted(gaps.values()) == [0, 0, 1]
    assert nb05.meeting_day_after()[0] == max(gaps, key=gaps.get)


def test_5_2_a_zoneinfo_and_any_case_are_accepted():
    assert first_failure("5.2", (ZoneInfo("Asia/Damascus"), DAMASCUS.date())) is None
    assert first_failure("5.2", ("asia/damascus", DAMASCUS.date())) is None


@pytest.mark.parametrize("answer, what, hint", [
    (DAMASCUS, "a tuple", "You gave a timestamp. This exercise asks for a decision"),
    (["Asia/Damascus", DAMASCUS.date()], "a tuple", "You gave a list"),
    ("Asia/Damascus", "a tuple", "You gave a text"),
    (("Asia/Damascus", DAMASCUS.date(), True), "two items", "3 items"),
    ((DAMASCUS.date(), "Asia/Damascus"), "names one of the three clocks", "swapped"),
    (("Damascus", DAMASCUS.date()), "names one of the three clocks", "'Damascus' is not one of the three"),
    (("EEST", DAMASCUS.date()), "names one of the three clocks", "'EEST' is not one of the three"),
    # string instead of date; the whole timestamp; a naive timestamp
    (("Asia/Damascus", "2016-09-18"), "datetime.date", "You gave the text '2016-09-18'"),
    (("Asia/Damascus", DAMASCUS), "datetime.date", "add .date()"),
    (("Asia/Damascus", pd.Timestamp(2016, 9, 18, 2, 30)), "datetime.date", "naive"),
    # wrong zone: on these clocks raid and meeting share a day
    (("America/New_York", NY.date()), "day after the raid", "(New York), the raid and the meeting fall on the same date"),
    (("UTC", NY.tz_convert("UTC").date()), "day after the raid", "(UTC), the raid and the meeting fall on the same date"),
    # local time given for UTC: 19:30 built as UTC (or as Damascus time) gives 17 September in Damascus
    (("Asia/Damascus", pd.Timestamp(2016, 9, 17, 19, 30, tz="UTC").tz_convert("Asia/Damascus").date()),
     "date on the Damascus clock", "If you built 19:30 in UTC"),
    (("Asia/Damascus", pd.Timestamp(2016, 9, 17, 19, 30, tz="Asia/Damascus").date()),
     "date on the Damascus clock", 'tzinfo=ZoneInfo("America/New_York")'),
    (("Asia/Damascus", DAMASCUS.date() + pd.Timedelta(days=1)), "date on the Damascus clock", "1 day after"),
])
def test_5_2_typical_mistakes(answer, what, hint):
    failed = first_failure("5.2", answer)
    assert what in failed.what and hint in failed.hint


@pytest.mark.parametrize("zone", ["America/New_York", "UTC"])
def test_5_2_wrong_clock_hint_gives_no_times(zone):
    """A hint that printed the wrong clock's times would give the right clock away by elimination."""
    import re
    failed = first_failure("5.2", (zone, DAMASCUS.date()))
    assert "same date" in failed.hint
    assert not re.search(r"\d{1,2}:\d\d", failed.hint), failed.hint


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
    assert first_failure("5.5", nb05.mosul_repair()) is None
    assert first_failure("5.5", ("b", "e037", "e038")) is None   # case is forgiven


def test_5_5_the_contradicted_claim_follows_the_dates():
    ev = load("events").set_index("event_id")
    verdicts = nb05.mosul_verdicts()
    assert list(verdicts.values()).count("contradicted") == 1
    assert (verdicts["A"] == "supported") == (ev.at["E037", "date"] < ev.at["E039", "date"])
    assert (verdicts["B"] == "contradicted") == (ev.at["E038", "date"] > ev.at["E037", "date"])
    assert verdicts["C"] == verdicts["D"] == "cannot tell"
    letter, earlier, later = nb05.mosul_repair()
    assert letter == "B" and ev.at[earlier, "date"] < ev.at[later, "date"]


@pytest.mark.parametrize("answer, what, hint", [
    ({"A": "supported", "B": "contradicted", "C": "cannot tell", "D": "cannot tell"}, "a tuple",
     "not a verdict for each"),
    (["B", "E037", "E038"], "a tuple", "You gave a list"),
    ("B", "a tuple", "You gave a text"),
    (("B", "E037"), "three items", "2 items"),
    ((2, "E037", "E038"), "letters A–D", "The first item is 2"),
    (("A", "E037", "E039"), "claim the dated rows contradict", "The dates support it"),
    (("C", "E037", "F24"), "claim the dated rows contradict", "F24 has no date"),
    (("D", "F24", "E039"), "claim the dated rows contradict", "forecast"),
    (("B", "E037", "E039"), "rows claim B compares", "You gave E037 and E039"),
    (("B", "E038", "E037"), "order their dates give", "the order the claim states"),
])
def test_5_5_typical_mistakes(answer, what, hint):
    failed = first_failure("5.5", answer)
    assert what in failed.what and hint in failed.hint
