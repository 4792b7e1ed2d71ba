"""Checks for notebooks/02-raid-timeline.ipynb (convention: deirezzor/checks.py)."""
from __future__ import annotations

import numbers
import re
from collections.abc import Mapping

import pandas as pd

from deirezzor import load
from deirezzor.checks import exercise, expect, is_whole

_LOCAL = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\b", re.IGNORECASE)
_UTC = re.compile(r"\((\d{2}):?(\d{2})\s*(?:Z|GMT)\)")


def _events() -> pd.DataFrame:
    return load("events").set_index("event_id")


def _raid_start() -> pd.Timestamp:
    return _events().at["E010", "time_utc"]


def _stated_offset_hours(text: str) -> float | None:
    """Offset implied by a text giving a local clock time and a UTC one side by side."""
    local, utc = _LOCAL.search(text), _UTC.search(text)
    if local is None or utc is None:
        return None
    hour = int(local[1]) % 12 + (12 if local[3].lower() == "p" else 0)
    diff = (hour * 60 + int(local[2] or 0) - int(utc[1]) * 60 - int(utc[2])) / 60
    return (diff + 12) % 24 - 12


def _disagreeing_ids() -> list[str]:
    ev = load("events").dropna(subset=["time_utc"])
    out = []
    for row in ev.itertuples():
        stated = _stated_offset_hours(row.time_as_given)
        if stated is None:
            continue
        db = row.time_utc.tz_convert(row.tz).utcoffset() / pd.Timedelta(hours=1)
        if stated != db:
            out.append(row.event_id)
    return sorted(out)




@exercise("2.1", checks="the answer is an 'HH:MM' text: the Damascus clock time of the "
                        "coalition's start time (events E010) by the tz database")
def _(answer):
    if not expect(isinstance(answer, str) and re.fullmatch(r"\d{2}:\d{2}", answer.strip()) is not None,
                  "the answer is a text of the form 'HH:MM' (24-hour clock)",
                  'Format a time with .strftime("%H:%M").'):
        return
    answer = answer.strip()
    local = _raid_start().tz_convert("Asia/Damascus")
    article = re.search(r"(\d{1,2}):(\d{2})\s*p\.m\.", _events().at["E010", "time_as_given"])
    article_hhmm = f"{int(article[1]) + 12:02d}:{article[2]}"
    expect(answer != article_hhmm,
           "it is not the local time printed in the article's wording (time_as_given)",
           "Do not copy the source's own conversion: convert the UTC instant with ZoneInfo(\"Asia/Damascus\").")
    expect(answer == local.strftime("%H:%M"),
           "it equals E010's time_utc converted to Asia/Damascus with the tz database",
           "Take time_utc of E010 and call .astimezone(ZoneInfo(\"Asia/Damascus\")) or .tz_convert(\"Asia/Damascus\").")


@exercise("2.2", checks="the answer is a sorted list of event ids: the rows whose time_as_given "
                        "pairs a local and a UTC clock time with an offset the tz database does not give")
def _(answer):
    if not expect(isinstance(answer, list) and all(isinstance(a, str) for a in answer),
                  "the answer is a list of event ids (texts such as 'E010')",
                  "Collect the event_id values in a list, e.g. with a list comprehension."):
        return
    expect(answer == sorted(answer), "the list is sorted", "Use sorted(...).")
    known = set(load("events")["event_id"])
    expect(set(answer) <= known, "every id is an event_id of the events table",
           "Use the event_id column, not the row numbers.")
    want = _disagreeing_ids()
    expect("E010" in answer, "it includes E010, the start of the strikes",
           "Compare stated_offset(...) with the offset of time_utc in the row's own tz.")
    expect("E006" not in answer and "E018" not in answer,
           "it leaves out E006 and E018, whose pairs agree with the tz database",
           "Compare in the row's own zone (the tz column): New York was not on Damascus time.")
    expect(sorted(set(answer)) == want,
           "it holds exactly the rows whose stated offset differs from the tz database's",
           "Skip rows where stated_offset(...) returns None; keep rows where it is not equal to the tz offset.")


@exercise("2.4", checks="the answer is a whole number of minutes from the coalition's first strike "
                        "(E010) to the answered call (E014) in data/events.csv")
def _(answer):
    if not expect(is_whole(answer), "the answer is a whole number",
                  "Divide a Timedelta by pd.Timedelta(minutes=1) and wrap it in int(...)."):
        return
    expect(0 < answer < 24 * 60, "it is between 0 and 1440 minutes (one day)",
           "Subtract the earlier time from the later one.")
    ev = _events()
    delay = int((ev.at["E014", "time_utc"] - ev.at["E013", "time_utc"]) / pd.Timedelta(minutes=1))
    expect(answer != delay, "it is not the gap between the two calls (E013 to E014)",
           "Start counting at the first strike, E010, not at the first call.")
    gap = int((ev.at["E014", "time_utc"] - ev.at["E010", "time_utc"]) / pd.Timedelta(minutes=1))
    expect(answer == gap, "it equals time_utc of E014 minus time_utc of E010",
           "Both times are in the time_utc column of events; subtract them.")


@exercise("2.5", checks="the answer maps each ceasefire event after the raid start to the hours "
                        "between E010 and it, each within 0.01 h")
def _(answer):
    if not expect(isinstance(answer, (Mapping, pd.Series)),
                  "the answer is a dict (or Series) from event_id to hours",
                  "Build a dict such as {event_id: hours, ...}."):
        return
    answer = dict(answer)
    ev = load("events")
    start = _raid_start()
    later = ev[(ev["category"] == "ceasefire") & (ev["time_utc"] > start)]
    want = {row.event_id: (row.time_utc - start) / pd.Timedelta(hours=1) for row in later.itertuples()}
    if not expect(set(answer) == set(want),
                  "its keys are the ceasefire events whose time_utc is after E010's",
                  "Filter events on category == 'ceasefire' and time_utc later than E010's time_utc."):
        return
    ok = all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in answer.values())
    if not expect(ok, "every value is a number of hours", "Divide each Timedelta by pd.Timedelta(hours=1)."):
        return
    expect(all(v > 0 for v in answer.values()), "every value is positive",
           "Subtract the raid start from the ceasefire end, not the other way round.")
    expect(all(abs(answer[k] - want[k]) < 0.01 for k in want),
           "each value is within 0.01 h of (time_utc − E010 time_utc) in hours",
           "Hours, not minutes: divide by pd.Timedelta(hours=1); and use time_utc, not the local time.")
