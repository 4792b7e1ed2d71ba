"""Checks for notebooks/05-diplomatic-fallout.ipynb (convention: deirezzor/checks.py)."""
import datetime as dt
import numbers

import pandas as pd

from deirezzor import load
from deirezzor.checks import exercise, expect

# The notebook's own choice (section 5): two wordings of one outcome get one label.
SAME_EFFECT = {
    "the failure of the cessation of hostilities": "the end of the September ceasefire",
    "the breakdown of the ceasefire": "the end of the September ceasefire",
}
# Also the notebook's choice (section 5): T19–T21 explain why the heights mattered before the
# raid (notebook 01), not the raid or its consequences, so section 5 sets them aside.
BACKGROUND = ["T19", "T20", "T21"]


def _event_time(event_id):
    ev = load("events").set_index("event_id")
    return ev.at[event_id, "time_utc"]


@exercise("5.1", checks="the answer is a number of hours: the gap between the two versions "
                        "of the ceasefire's end, events E022 and E024")
def _(answer):
    if not expect(isinstance(answer, numbers.Real) and not isinstance(answer, bool),
                  "the answer is a number",
                  "Divide .total_seconds() of the difference by 3600 to get hours as a float."):
        return
    hours = (_event_time("E024") - _event_time("E022")).total_seconds() / 3600
    if not expect(answer > 0, "it is positive",
                  "Subtract the earlier end (E022) from the later one (E024)."):
        return
    expect(answer < 48, "it is under 48 hours",
           "Are you counting hours (divide seconds by 3600), not minutes or seconds?")
    expect(abs(answer - hours) < 0.01,
           "it equals the gap between the time_utc of E022 and E024, within 0.01 h",
           "Use the time_utc column of both rows and keep the minutes: a float, not rounded.")


@exercise("5.2", checks="the answer is a tz-aware timestamp in Damascus time: the instant "
                        "of the Security Council meeting, event E018")
def _(answer):
    if not expect(isinstance(answer, dt.datetime), "the answer is a timestamp (datetime)",
                  "Build it with pd.Timestamp(..., tzinfo=ZoneInfo(...)) or datetime(...)."):
        return
    if not expect(answer.tzinfo is not None and answer.utcoffset() is not None,
                  "it carries a time zone",
                  'A naive time has no zone: pass tzinfo=ZoneInfo("America/New_York") when you build it.'):
        return
    meeting = _event_time("E018")
    same = pd.Timestamp(answer).tz_convert("UTC") == meeting
    expect(same, "it is the same instant as the stored time_utc of E018",
           "Start from 7:30 p.m. (19:30) on 17 September in America/New_York; check the hour.")
    local = pd.Timestamp(answer)
    expect(str(local.tz) == "Asia/Damascus",
           "it is expressed in the Asia/Damascus zone",
           'Convert the New York time with .tz_convert("Asia/Damascus") (or .astimezone(ZoneInfo(...))).')
    expect(local.tz_convert("Asia/Damascus").date() == meeting.tz_convert("Asia/Damascus").date(),
           "its Damascus calendar date is the one the stored row gives",
           "The date changes when you cross midnight: look at the day, not only the hour.")


def _expected_pivot():
    at = load("attributions")
    at = at[~at["attribution_id"].isin(BACKGROUND)].copy()
    at["effect_grouped"] = at["effect"].replace(SAME_EFFECT)
    several = at[at.groupby("effect_grouped")["side"].transform("nunique") > 1]
    return several.groupby(["effect_grouped", "side"])["cause"].apply(list)


@exercise("5.3", checks="the answer is a table: effects with claims from more than one side "
                        "(rows) by side (columns), each cell holding that side's causes")
def _(answer):
    if not expect(isinstance(answer, pd.DataFrame), "the answer is a DataFrame",
                  "pivot_table(...) returns a DataFrame."):
        return
    expected = _expected_pivot()
    effects = sorted(set(expected.index.get_level_values(0)))
    rows = sorted(str(i) for i in answer.index)
    if not expect(rows == effects,
                  "its rows are exactly the effects (effect_grouped) with claims from more than one side",
                  "Keep only effects whose side.nunique() is above 1, and use effect_grouped as the index."):
        return
    sides = sorted(set(expected.index.get_level_values(1)))
    if not expect(set(sides) <= {str(c) for c in answer.columns},
                  "it has a column for every side that makes a claim about those effects",
                  "Use side as the columns of the pivot."):
        return
    table = answer.copy()
    table.index = table.index.astype(str)
    table.columns = [str(c) for c in table.columns]
    filled = all(
        pd.notna(table.at[effect, side]) and all(c in str(table.at[effect, side]) for c in causes)
        for (effect, side), causes in expected.items()
    )
    expect(filled, "each (effect, side) cell with claims holds every cause that side gives",
           'Use values="cause" and aggfunc="; ".join so that several causes are kept.')
    empty = sum(int(pd.isna(table.at[e, s]) or str(table.at[e, s]).strip() == "")
                for e in effects for s in sides if (e, s) not in expected.index)
    expect(empty == sum(1 for e in effects for s in sides if (e, s) not in expected.index),
           "cells where a side makes no claim about an effect are empty",
           "Do not fill missing cells; pivot_table leaves them as NaN.")
