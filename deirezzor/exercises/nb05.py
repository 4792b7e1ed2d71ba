"""Checks for instructor/05-diplomatic-fallout.ipynb (convention: deirezzor/checks.py).

Every check's first failing line names the mistake a student most likely made
(tests/test_hints_nb05.py feeds the typical wrong answers).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from deirezzor import load
from deirezzor.checks import exercise, expect, type_name

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
# claim the data cannot test (D).  (table, id) pairs; the claim says "first" came before "second".
MOSUL_ORDER = {
    "A": (("events", "E037"), ("events", "E039")),   # Nasrallah's address before the PMF offensive
    "B": (("events", "E038"), ("events", "E037")),   # PMU planning before Nasrallah's address
    "C": (("figures", "F24"), ("events", "E037")),   # the diplomat's figure before Nasrallah's address
}


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
# The three clocks of exercise 5.2, in the order the exercise names them.
CLOCKS = ("America/New_York", "UTC", "Asia/Damascus")
CLOCK_NAMES = {"America/New_York": "New York", "UTC": "UTC", "Asia/Damascus": "Damascus"}


def meeting_day_after() -> tuple[str, dt.date]:
    """(zone, date): the one clock of CLOCKS on which the Security Council meeting (E018) fell on the
    calendar day after the day the raid began (E010), and the meeting's date on that clock."""
    raid, meeting = _event_time("E010"), _event_time("E018")
    found = [(zone, meeting.tz_convert(zone).date()) for zone in CLOCKS
             if (meeting.tz_convert(zone).date() - raid.tz_convert(zone).date()).days == 1]
    assert len(found) == 1, found   # the exercise says "exactly one"
    return found[0]


def _zone_name(value) -> str | None:
    """The IANA name in a text or a ZoneInfo, matched to CLOCKS without regard to case; else None."""
    key = getattr(value, "key", value)
    if not isinstance(key, str):
        return None
    return {z.lower(): z for z in CLOCKS}.get(key.strip().lower())


@exercise("5.2", checks="the answer is a tuple (zone, date): the one clock of three on which the Security "
                        "Council meeting (E018) fell on the day after the raid began (E010), and its date there")
def _(answer):
    if isinstance(answer, dt.datetime):
        hint = ("You gave a timestamp. This exercise asks for a decision: a tuple (zone, date) that names "
                "the clock and gives the meeting's date on it.")
    elif isinstance(answer, list):
        hint = "You gave a list. Write the two items as a tuple, in round brackets: (zone, date)."
    else:
        hint = f"You gave {type_name(answer)}. Give a tuple (zone, date), in round brackets."
    if not expect(isinstance(answer, tuple), "the answer is a tuple", hint):
        return
    if not expect(len(answer) == 2, "it has two items: the zone, then the date",
                  f"Your tuple has {len(answer)} item{'s' if len(answer) != 1 else ''}. "
                  "Give exactly two: (zone, date)."):
        return
    zone_given, day = answer
    zone = _zone_name(zone_given)
    if zone is None and _zone_name(day) is not None:
        hint = "The two items are swapped. Put the zone first, then the date: (zone, date)."
    elif isinstance(zone_given, str):
        hint = (f"{zone_given!r} is not one of the three clocks. Use one of the names in the exercise, "
                "spelled the same way: 'America/New_York', 'UTC' or 'Asia/Damascus'.")
    else:
        hint = (f"The first item is {type_name(zone_given)}. It should be the clock's name as a text, "
                "such as 'UTC'.")
    if not expect(zone is not None, "its first item names one of the three clocks", hint):
        return
    if isinstance(day, dt.datetime):
        if day.tzinfo is None or day.utcoffset() is None:
            hint = ("You gave a timestamp with no time zone (it is \"naive\"): its date belongs to no clock. "
                    'Build the meeting with tzinfo=ZoneInfo("America/New_York"), convert it with '
                    ".tz_convert(...), then take .date().")
        else:
            hint = "You gave a whole timestamp. The answer needs only its calendar date: add .date()."
    elif isinstance(day, str):
        hint = (f"You gave the text {day!r}. Give a datetime.date: take .date() of your converted "
                "timestamp, or write datetime.date(2016, 9, ...).")
    else:
        hint = (f"The second item is {type_name(day)}. Give a datetime.date: take .date() of your "
                "converted timestamp.")
    if not expect(isinstance(day, dt.date) and not isinstance(day, dt.datetime),
                  "its second item is a date (datetime.date)", hint):
        return
    right_zone, right_day = meeting_day_after()
    raid, meeting = _event_time("E010"), _event_time("E018")
    if zone != right_zone:
        # No times here: a hint that computed this clock would hand over the answer by elimination.
        hint = (f"On the clock you named ({CLOCK_NAMES[zone]}), the raid and the meeting fall on the same "
                f"date. Convert both instants with .tz_convert(zone) for each clock and compare their .date().")
        expect(False, "it names the clock on which the meeting fell on the day after the raid", hint)
        return
    expect(True, "it names the clock on which the meeting fell on the day after the raid")
    if day == right_day:
        expect(True, f"the date is the meeting's date on the {CLOCK_NAMES[zone]} clock")
        return
    as_given = meeting.tz_convert("America/New_York").date()
    if day == as_given:
        hint = (f"{day:%d %B} is the meeting's date in New York, where the time was given. On the "
                f"{CLOCK_NAMES[zone]} clock the same instant has another date. If you built 19:30 in UTC, in "
                'Damascus time or with no zone, build it with tzinfo=ZoneInfo("America/New_York"), then '
                f'.tz_convert("{zone}").date().')
    else:
        off = (day - right_day).days
        hint = (f"Your date is {abs(off)} day{'s' if abs(off) != 1 else ''} {'after' if off > 0 else 'before'} "
                f"the meeting's date on that clock. Convert the meeting's instant with .tz_convert(\"{zone}\") "
                "and take .date().")
    expect(False, f"the date is the meeting's date on the {CLOCK_NAMES[zone]} clock", hint)


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
    """What the rows allow for each claim of exercise 5.5: supported, contradicted or cannot tell."""
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


def mosul_repair() -> tuple[str, str, str]:
    """(letter, earlier, later): the one claim of 5.5 the rows contradict, and its two rows in date order."""
    wrong = [k for k, v in mosul_verdicts().items() if v == "contradicted"]
    assert len(wrong) == 1, wrong   # the exercise says "exactly one"
    (_, first), (_, second) = MOSUL_ORDER[wrong[0]]
    return wrong[0], second, first   # the claim put `first` before `second`; the dates say the reverse


def _row_date(table: str, row_id: str) -> str:
    key = {"events": "event_id", "figures": "figure_id"}[table]
    day = load(table).set_index(key).at[row_id, "date"]
    return "no date" if pd.isna(day) else f"{day:%d %b}"


@exercise("5.5", checks="the answer is a tuple (letter, earlier, later): the one claim about the Mosul "
                        "strand that the dated rows contradict, and its two rows in the order their dates give")
def _(answer):
    if isinstance(answer, dict):
        hint = ("You gave a dict. This exercise asks for one claim, not a verdict for each: a tuple "
                "(letter, earlier, later).")
    elif isinstance(answer, list):
        hint = "You gave a list. Write the three items as a tuple, in round brackets: (letter, earlier, later)."
    else:
        hint = f"You gave {type_name(answer)}. Give a tuple (letter, earlier, later), in round brackets."
    if not expect(isinstance(answer, tuple), "the answer is a tuple", hint):
        return
    if not expect(len(answer) == 3, "it has three items: a letter, then two row ids",
                  f"Your tuple has {len(answer)} item{'s' if len(answer) != 1 else ''}. Give three: "
                  "the claim's letter, then the two row ids it compares, earlier first."):
        return
    letter = answer[0].strip().upper() if isinstance(answer[0], str) else None
    if not expect(letter in ("A", "B", "C", "D"), "its first item is one of the letters A–D",
                  f"The first item is {answer[0]!r}. Give the claim's letter as a text, such as 'A'."):
        return
    right, earlier, later = mosul_repair()
    if letter != right:
        if letter == "D":
            hint = ("Claim D: the data holds no count of fighters who left Mosul, and F24 is a forecast "
                    "('will be redeployed') from an anonymous diplomat. That leaves D untested, not "
                    "contradicted.")
        else:
            (t1, i1), (t2, i2) = MOSUL_ORDER[letter]
            if mosul_verdicts()[letter] == "supported":
                hint = (f"Claim {letter}: {i1} ({_row_date(t1, i1)}) comes before {i2} ({_row_date(t2, i2)}), "
                        "just as the claim says. The dates support it.")
            else:
                hint = (f"Claim {letter}: {i1} has {_row_date(t1, i1)} and {i2} has {_row_date(t2, i2)}. A row "
                        "without a date cannot be put before or after another, so the claim is untested, "
                        "not contradicted.")
        expect(False, "it picks the claim the dated rows contradict", hint)
        return
    expect(True, "it picks the claim the dated rows contradict")
    rows = [str(x).strip().upper() for x in answer[1:]]
    if not expect(sorted(rows) == sorted([earlier, later]),
                  f"its other two items are the rows claim {right} compares",
                  f"You gave {rows[0]} and {rows[1]}. Claim {right} compares two rows of events: read its "
                  "row ids in the claim, and give those two."):
        return
    expect(rows == [earlier, later], "the two rows are in the order their dates give, earlier first",
           "That is the order the claim states. Give the order the dates show: compare the date column of "
           "the two rows, and put the earlier row first.")
