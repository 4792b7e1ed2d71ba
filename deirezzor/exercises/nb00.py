"""Checks for instructor/00-start-here.ipynb (convention: deirezzor/checks.py).

Every check's first failing line names the mistake a student most likely made
(tests/test_hints_nb00.py feeds the typical wrong answers).
"""
from __future__ import annotations

import numbers
from collections.abc import Mapping

import pandas as pd

from deirezzor import load
from deirezzor.checks import exercise, expect, is_whole, type_name

ARTICLE_SOURCES = ("S01", "S02")     # the encyclopedia article and its extract
ARTICLE_VOICE = "Wikipedia article"  # according_to of the rows in which the article itself speaks
CEASEFIRE_START = "E006"
REASONS = {
    "clock_time_and_first_hand":
        "it gives a clock time, and it is a party to the truce announcing it itself (even if the "
        "announcement reaches us through that party's own state news agency)",
    "clock_time_only": "it gives a clock time, but someone else is summarising",
    "first_hand_only": "the party is speaking for itself, but it gives no clock time",
    "most_widely_read": "more people have read it than the others",
}




def _versions() -> list[str]:
    ev = load("events")
    return sorted(ev.loc[ev["version_of"] == CEASEFIRE_START, "event_id"].astype(str))


@exercise("0.1", checks="the answer is a sorted list of the event ids whose version_of is E006 "
                        "in data/events.csv")
def _(answer):
    if isinstance(answer, (pd.Series, pd.Index, tuple, set)):
        expect(False, "the answer is a list of event ids",
               f"You gave {type_name(answer)}. sorted(...) around it gives a list.")
        return
    if isinstance(answer, str):
        expect(False, "the answer is a list of event ids",
               "You gave one text. Put every id in a list, e.g. sorted(rows[\"event_id\"]).")
        return
    if not expect(isinstance(answer, list) and all(isinstance(a, str) for a in answer),
                  "the answer is a list of event ids",
                  "Give a list of texts such as 'E010', e.g. sorted(rows[\"event_id\"])."):
        return
    want = _versions()
    if not expect(CEASEFIRE_START not in answer, "it leaves out E006 itself",
                  "E006 is the event the others are versions of. Keep only rows whose version_of is E006."):
        return
    known = set(load("events")["event_id"])
    if not expect(set(answer) <= known, "every id is an event_id of the events table",
                  "Take the ids from the event_id column, not the row numbers."):
        return
    if not expect(set(answer) == set(want), "it holds every event whose version_of is E006, and no other",
                  "Compare the version_of column (not event_id) with \"E006\"."):
        return
    expect(answer == want, "the list is sorted", "Wrap it in sorted(...).")


def _second_hand() -> tuple[int, dict[str, int]]:
    ev = load("events")
    via_article = ev["source_id"].isin(ARTICLE_SOURCES)
    own = ev["according_to"] == ARTICLE_VOICE
    slips = {
        "all_article": int(via_article.sum()),
        "own_voice": int((via_article & own).sum()),
        "not_article": int((~via_article).sum()),
        "s01_only": int((ev["source_id"].eq("S01") & ~own).sum()),
        "not_own_any_source": int((~own).sum()),
    }
    return int((via_article & ~own).sum()), slips


@exercise("0.2", checks="the answer is a whole number: the rows of events read in the article (source S01 or S02) "
                        "in which someone other than the article speaks")
def _(answer):
    if isinstance(answer, bool) or not is_whole(answer):
        if isinstance(answer, numbers.Real) and not isinstance(answer, bool) and float(answer).is_integer():
            hint = f"You gave {answer!r}, a float. Wrap your count in int(...)."
        elif isinstance(answer, (pd.Series, pd.DataFrame)):
            hint = f"You gave {type_name(answer)}, one value per row. Count the Trues with int(mask.sum())."
        elif isinstance(answer, bool):
            hint = "You gave True or False. Count the Trues of your mask with int(mask.sum())."
        else:
            hint = f"You gave {type_name(answer)}. Count the Trues of your mask with int(mask.sum())."
        expect(False, "the answer is a whole number of rows (an int)", hint)
        return
    expect(True, "the answer is a whole number of rows")
    want, slips = _second_hand()
    if answer == want:
        expect(True, "it counts the rows from S01 or S02 whose according_to is not the article itself")
        return
    hints = [
        ("all_article", "You counted every row from the article, also those where the article itself "
                        f"speaks. Leave out the rows whose according_to is \"{ARTICLE_VOICE}\"."),
        ("own_voice", "Those are the rows in which the article itself speaks. The question asks for the "
                      "others: according_to is NOT the article (use != or ~)."),
        ("s01_only", "S02 is the same article (an extract of it). Use .isin([\"S01\", \"S02\"])."),
        ("not_own_any_source", "You counted rows from every source. Keep only those read in the article: "
                               "source_id S01 or S02."),
        ("not_article", "You counted the rows from other sources. Keep the rows whose source_id IS S01 or "
                        "S02."),
    ]
    matched = [hint for key, hint in hints if answer == slips[key]]
    if matched:
        # With this data two slips can give the same number: then name both.
        hint = matched[0] if len(matched) == 1 else (
            "Two slips give this number. " + " Or: ".join(matched))
        expect(False, "it counts the rows from S01 or S02 whose according_to is not the article itself", hint)
        return
    expect(False, "it counts the rows from S01 or S02 whose according_to is not the article itself",
           "Combine two masks with &: the source_id is S01 or S02, AND according_to is not "
           f"\"{ARTICLE_VOICE}\".")


def _best_rows() -> list[str]:
    """Rows among E006 and its versions with a clock time, in which a party speaks (not a summary)."""
    ev = load("events").set_index("event_id")
    rows = ev.loc[[CEASEFIRE_START] + _versions()]
    keep = rows["time_utc"].notna() & rows["side"].isin(["syrian_government", "russian_government",
                                                         "coalition_government"])
    return [str(i) for i in rows.index[keep]]


@exercise("0.3", checks="the answer is a dict with an event_id among E006 and its versions and a reason "
                        "from the list, consistent with that row's precision and speaker")
def _(answer):
    if not expect(isinstance(answer, Mapping), "the answer is a dict",
                  f"You gave {type_name(answer)}. Write {{\"event_id\": \"E0..\", \"reason\": \"...\"}}."):
        return
    if not expect(set(answer) == {"event_id", "reason"},
                  "it has exactly the keys \"event_id\" and \"reason\"",
                  "Use exactly these two keys: \"event_id\" and \"reason\"."):
        return
    eid, reason = answer["event_id"], answer["reason"]
    candidates = [CEASEFIRE_START] + _versions()
    if not expect(eid in candidates, "its event_id is E006 or one of its versions",
                  f"Pick one of the rows you found in 0.1, or E006 itself; you gave {eid!r}."):
        return
    if not expect(reason in REASONS, "its reason is one of the listed reasons",
                  "Copy one of the reasons from the list exactly, e.g. \"clock_time_only\"."):
        return
    ev = load("events").set_index("event_id")
    row = ev.loc[eid]
    has_clock = pd.notna(row["time_utc"])
    if not expect(has_clock, "the row you chose gives a clock time",
                  f"Look at the precision and time_utc columns: {eid} gives only the day. "
                  "A citation for WHEN should give a time."):
        return
    if not expect(eid in _best_rows(), "the row you chose is not a later summary",
                  f"{eid} gives a clock time, but look at according_to and side: who is speaking? "
                  "Is there a row in which a party to the truce announces it itself?"):
        return
    expect(reason == "clock_time_and_first_hand", "the reason fits the row you chose",
           "Your reason names only part of what this row offers. Look at both its precision and its "
           "according_to column, and pick the reason that covers both.")
