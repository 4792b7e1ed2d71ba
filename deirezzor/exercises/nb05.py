"""Checks for instructor/05-diplomatic-fallout.ipynb (convention: deirezzor/checks.py).

Every check's first failing line names the mistake a student most likely made
(tests/test_hints_nb05.py feeds the typical wrong answers).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from deirezzor import load
from deirezzor.checks import exercise, expect, expect_verdicts, type_name

# The notebook's own choice (section 5): two wordings of one outcome get one label.
SAME_EFFECT = {
    "the failure of the cessation of hostilities": "the end of the September ceasefire",
    "the breakdown of the ceasefire": "the end of the September ceasefire",
}
# Also the notebook's choice (section 5, cell code40): it is about what followed the raid, so it sets
# aside background rows and the claims about why the strikes hit Syrian soldiers (notebook 06's subject).
SET_ASIDE = ["T19", "T20", "T21", "T22", "T23", "T24"]
ABOUT_THE_STRIKES = ["the strikes on Syrian soldiers", "the strikes near Syrian government positions",
                     "the hits on Syrian troops", "help for the Syrian government",
                     "the ISIL attack seven minutes after the strikes"]

# Exercise 5.1: the four rows that give the end of the ceasefire.
END_ROWS = ["E022", "E023", "E024", "E025"]
ORDER_KEYS = ("before", "after", "cannot_tell")
# Exercise 5.5: the claims about the Mosul strand, each a comparison of two dated rows or a
# claim the data cannot test.  (table, id) pairs; "first" is said to come before "second".
MOSUL_ORDER = {
    "A": (("events", "E037"), ("events", "E039")),   # Nasrallah's address before the PMF offensive
    "B": (("events", "E038"), ("events", "E037")),   # PMU planning before Nasrallah's address
    "C": (("figures", "F24"), ("events", "E037")),   # the diplomat's figure before Nasrallah's address
}
VERDICTS = ("supported", "contradicted", "cannot tell")


def _events() -> pd.DataFrame:
    return load("events").set_index("event_id")


def _event_time(event_id):
    return _events().at[event_id, "time_utc"]


def _ids(value) -> list | None:
    """The ids in a list/tuple/set of strings, or None if it is not one."""
    if isinstance(value, (list, tuple, set)) and all(isinstance(x, str) for x in value):
        return [x.strip().upper() for x in value]
    return None


# ------------------------------------------------------------------ 5.1
def published_vs_end() -> dict[str, str]:
    """For each row of END_ROWS: 'before', 'after' or 'cannot_tell', from the dates alone.

    The source's date_published (known to the day, or missing) is compared with the day of the
    end the row gives.  Same day, or no publication date: the dates cannot order them.
    """
    ev = _events()
    published = load("sources").set_index("source_id")["date_published"]
    out = {}
    for eid in END_ROWS:
        pub = published.get(ev.at[eid, "source_id"])
        day = ev.at[eid, "date"]
        if pd.isna(pub) or pd.isna(day) or pub.normalize() == day.normalize():
            out[eid] = "cannot_tell"
        else:
            out[eid] = "before" if pub < day else "after"
    return out


@exercise("5.1", checks="the answer is a dict that sorts rows E022–E025 into 'before', 'after' and "
                        "'cannot_tell' by comparing each source's publication date with the end it gives")
def _(answer):
    if not expect(isinstance(answer, dict), "the answer is a dict",
                  f"You gave {type_name(answer)}. Build a dict like "
                  "{'before': [...], 'after': [...], 'cannot_tell': [...]}."):
        return
    keys = sorted(map(str, answer))
    if not expect(set(keys) == set(ORDER_KEYS), "its keys are 'before', 'after' and 'cannot_tell'",
                  f"You used the keys {keys}. Use exactly 'before', 'after' and 'cannot_tell' "
                  "(an empty list is fine for a key with no rows)."):
        return
    lists = {k: _ids(answer[k]) for k in ORDER_KEYS}
    bad = [k for k, v in lists.items() if v is None]
    if not expect(not bad, "each value is a list of event ids (texts such as 'E022')",
                  (f"The value of {bad[0]!r} is {type_name(answer[bad[0]])}. "
                   "Put the ids in a list, even a single one: ['E0..'].") if bad else ""):
        return
    placed = [i for v in lists.values() for i in v]
    missing = [i for i in END_ROWS if i not in placed]
    extra = sorted({i for i in placed if i not in END_ROWS})
    twice = sorted({i for i in placed if placed.count(i) > 1})
    problem = (f"{', '.join(missing)} is not in any list" if missing else
               f"{', '.join(extra)} is not one of the four rows E022–E025" if extra else
               f"{', '.join(twice)} is in more than one list" if twice else "")
    if not expect(not problem, "each of E022, E023, E024 and E025 is in exactly one list",
                  f"{problem}. Put every row in one list, once."):
        return
    where = {i: k for k, v in lists.items() for i in v}
    expected = published_vs_end()
    published = load("sources").set_index("source_id")["date_published"]
    ev = _events()
    dated = [i for i in END_ROWS if expected[i] != "cannot_tell"]
    wrong = [i for i in dated if where[i] != expected[i]]
    if wrong:
        i = wrong[0]
        pub, day = published[ev.at[i, "source_id"]], ev.at[i, "date"]
        if where[i] == "cannot_tell":
            hint = (f"{i}: its source ({ev.at[i, 'source_id']}) gives a publication date on another day "
                    f"than the end it reports, so the two dates can be ordered. Compare them.")
        else:
            hint = (f"{i}: compare the day its source was published ({pub:%d %b}) with the day of the "
                    f"end it gives ({day:%d %b}). Which comes first?")
    else:
        hint = ""
    expect(not wrong, "rows whose source is dated to another day than the end are under 'before' or "
                      "'after', by comparing the two days", hint)
    undated = [i for i in END_ROWS if pd.isna(published.get(ev.at[i, "source_id"]))]
    miss = [i for i in undated if where[i] != "cannot_tell"]
    expect(not miss, "a row whose source has no publication date is under 'cannot_tell'",
           (f"{miss[0]} rests on {ev.at[miss[0], 'source_id']}, which has no publication date "
            "(the table shows 'not stated'). Without a date you cannot say when it was written.") if miss else "")
    same = [i for i in END_ROWS if i not in undated and expected[i] == "cannot_tell"]
    miss = [i for i in same if where[i] != "cannot_tell"]
    expect(not miss, "a row published on the same day as the end it gives is under 'cannot_tell'",
           (f"{miss[0]}: its source was published on the day of the end it gives, and both dates are "
            "known only to the day. The dates alone cannot say which came first.") if miss else "")


# ------------------------------------------------------------------ 5.2
@exercise("5.2", checks="the answer is a tz-aware timestamp in Damascus time: the instant "
                        "of the Security Council meeting, event E018")
def _(answer):
    if isinstance(answer, str):
        hint = ("You gave a text. Build a timestamp with pd.Timestamp(2016, 9, 17, 19, 30, "
                "tzinfo=ZoneInfo(...)), then convert it.")
    else:
        hint = (f"You gave {type_name(answer)}. Build the instant with pd.Timestamp(..., "
                "tzinfo=ZoneInfo(...)) or datetime(...).")
    if not expect(isinstance(answer, dt.datetime), "the answer is a timestamp (datetime)", hint):
        return
    if not expect(answer.tzinfo is not None and answer.utcoffset() is not None,
                  "it carries a time zone",
                  'Your timestamp has no time zone (it is "naive"). Pass tzinfo=ZoneInfo("America/New_York") '
                  "when you build it, then convert with .tz_convert(\"Asia/Damascus\")."):
        return
    meeting = _event_time("E018")
    local = pd.Timestamp(answer)
    if local.tz_convert("UTC") != meeting:
        off = (local.tz_convert("UTC") - meeting) / pd.Timedelta(hours=1)
        if local.tz_localize(None) == pd.Timestamp(2016, 9, 17, 19, 30):
            hint = ("Your clock reads 19:30 but in the wrong zone: 19:30 is New York time. Build it with "
                    'tzinfo=ZoneInfo("America/New_York"), then .tz_convert("Asia/Damascus").')
        else:
            hint = (f"Your instant is {off:+g} h from the meeting. Start from 7:30 p.m. (19:30) on "
                    "17 September in America/New_York and convert; do not add hours by hand.")
        expect(False, "it is the same instant as the stored time_utc of E018", hint)
        return
    expect(True, "it is the same instant as the stored time_utc of E018")
    expect(str(local.tz) == "Asia/Damascus",
           "it is expressed in the Asia/Damascus zone",
           f"It is the right instant, but on the {local.tz} clock. Convert it with "
           '.tz_convert("Asia/Damascus").')


# ------------------------------------------------------------------ 5.3
def _attributions_grouped() -> pd.DataFrame:
    at = load("attributions")
    at = at[~at["attribution_id"].isin(SET_ASIDE) & ~at["effect"].isin(ABOUT_THE_STRIKES)].copy()
    at["effect_grouped"] = at["effect"].replace(SAME_EFFECT)
    return at


def _expected_pivot():
    at = _attributions_grouped()
    several = at[at.groupby("effect_grouped")["side"].transform("nunique") > 1]
    return several.groupby(["effect_grouped", "side"])["cause"].apply(list)


@exercise("5.3", checks="the answer is a table: effects with claims from more than one side "
                        "(rows) by side (columns), each cell holding that side's causes")
def _(answer):
    if isinstance(answer, pd.Series):
        hint = ("You gave a pandas Series (a groupby result has one column). Use pivot_table(index=..., "
                "columns=\"side\", values=\"cause\", aggfunc=\"; \".join) to get one column per side.")
    else:
        hint = f"You gave {type_name(answer)}. pivot_table(...) returns a DataFrame."
    if not expect(isinstance(answer, pd.DataFrame), "the answer is a DataFrame", hint):
        return
    at = _attributions_grouped()
    expected = _expected_pivot()
    effects = sorted(set(expected.index.get_level_values(0)))
    rows = sorted(str(i) for i in answer.index)
    raw = at.copy()
    raw_several = sorted(set(raw[raw.groupby("effect")["side"].transform("nunique") > 1]["effect"]))
    if rows == sorted(set(at["effect_grouped"])):
        hint = ("Your table has a row for every effect, also those claimed by only one side. Keep the "
                "effects whose side.nunique() is above 1 before you pivot.")
    elif rows == raw_several or set(rows) & set(SAME_EFFECT):
        hint = ("Your rows use the effect column. Use effect_grouped, where the two wordings of the "
                "ceasefire's end are one label.")
    elif len(rows) == len(effects) and set(rows) != set(effects):
        hint = "Use effect_grouped as the index (rows) and side as the columns."
    else:
        hint = "Keep only effects whose side.nunique() is above 1, and use effect_grouped as the index."
    if not expect(rows == effects,
                  "its rows are exactly the effects (effect_grouped) with claims from more than one side",
                  hint):
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
           'Some cells lose causes. Use values="cause" and aggfunc="; ".join so that several causes are kept.')
    empty = sum(int(pd.isna(table.at[e, s]) or str(table.at[e, s]).strip() == "")
                for e in effects for s in sides if (e, s) not in expected.index)
    expect(empty == sum(1 for e in effects for s in sides if (e, s) not in expected.index),
           "cells where a side makes no claim about an effect are empty",
           "Do not fill missing cells (no fillna); pivot_table leaves them empty (NaN).")


# ------------------------------------------------------------------ 5.5
def _span(table: str, row_id: str):
    """(earliest, latest) day bounds of a dated row, or None if the row has no usable date."""
    key = {"events": "event_id", "figures": "figure_id"}[table]
    row = load(table).set_index(key).loc[row_id]
    precision = row["precision"] if table == "events" else row["date_precision"]
    day = row["date"]
    if pd.isna(day) or precision not in ("day", "minute", "approximate_time", "time_range", "month"):
        return None
    if precision == "month":
        first = day.replace(day=1)
        return first, first + pd.DateOffset(months=1)
    return day.normalize(), day.normalize() + pd.Timedelta(days=1)


def mosul_verdicts() -> dict[str, str]:
    """The verdict the data supports for each claim of exercise 5.5."""
    out = {}
    for letter, (first, second) in MOSUL_ORDER.items():
        a, b = _span(*first), _span(*second)
        if a is None or b is None:
            out[letter] = "cannot tell"
        elif a[1] <= b[0]:
            out[letter] = "supported"
        elif b[1] <= a[0]:
            out[letter] = "contradicted"
        else:
            out[letter] = "cannot tell"
    # D: "more than 9,000 fighters moved": F24 is a forecast ("will be redeployed") by an
    # anonymous diplomat; the data holds no count of fighters who left Mosul.
    out["D"] = "cannot tell"
    return out


def _verdict(text) -> str | None:
    if not isinstance(text, str):
        return None
    t = " ".join(text.strip().lower().replace("_", " ").replace("'", "").split())
    t = {"cant tell": "cannot tell", "can not tell": "cannot tell"}.get(t, t)
    return t if t in VERDICTS else None


@exercise("5.5", checks="the answer is a dict giving claims A–D of the Mosul strand one verdict each "
                        "('supported', 'contradicted' or 'cannot tell'), as the dated rows allow")
def _(answer):
    said = expect_verdicts(answer, VERDICTS, _verdict, noun="claim")
    if said is None:
        return
    expected = mosul_verdicts()
    ev = _events()
    for letter in "AB":
        (t1, i1), (t2, i2) = MOSUL_ORDER[letter]
        ok = said[letter] == expected[letter]
        hint = ""
        if not ok:
            if said[letter] == "cannot tell":
                hint = (f"Claim {letter}: both {i1} and {i2} are dated to the day, so their order is "
                        "known. Compare the date column of the two rows.")
            else:
                hint = (f"Claim {letter}: look again at the dates of {i1} ({ev.at[i1, 'date']:%d %b}) and "
                        f"{i2} ({ev.at[i2, 'date']:%d %b}). Which came first?")
        expect(ok, f"claim {letter} (rows {i1} and {i2}) gets the verdict their dates allow", hint)
    f24 = load("figures").set_index("figure_id").loc["F24"]
    if pd.isna(f24["date"]):
        why = "F24 has no date: the article does not say when the diplomat spoke."
    else:
        why = (f"F24 is dated only to the {f24['date_precision']}, which overlaps the day of {MOSUL_ORDER['C'][1][1]}.")
    if said["C"] != expected["C"]:
        hint = (f"Claim C: {why} A row whose date is missing or too coarse cannot be put before or "
                "after another.") if expected["C"] == "cannot tell" else \
            "Claim C: compare the date of F24 with the date of E037."
    else:
        hint = ""
    expect(said["C"] == expected["C"], "claim C (F24 against E037) gets the verdict their dates allow", hint)
    if said["D"] == "supported":
        hint = ("Claim D: F24 says fighters 'will be redeployed': a forecast, relayed from an anonymous "
                "diplomat. The data holds no count of fighters who actually left Mosul.")
    elif said["D"] == "contradicted":
        hint = ("Claim D: nothing in the data counts the fighters who left Mosul, so nothing shows that "
                "they did not move either.")
    else:
        hint = ""
    expect(said["D"] == expected["D"],
           "claim D (a forecast by an anonymous source) gets a verdict the data can back", hint)
