"""Checks for instructor/02-raid-timeline.ipynb (convention: deirezzor/checks.py).

Every check's first failing line names the mistake a student most likely made
(tests/test_hints_nb02.py feeds the typical wrong answers).
"""
from __future__ import annotations

import numbers
import re
from collections.abc import Mapping

import pandas as pd

from deirezzor import load
from deirezzor.checks import exercise, expect, expect_whole, is_number, type_name

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


ANSWERED_CALL = "E014"   # exercise 2.1 converts this event's time_utc


@exercise("2.1", checks="the answer is an 'HH:MM' text: the Damascus clock time of the "
                        "second Russian call (event E014) by the tz database")
def _(answer):
    utc = _events().at[ANSWERED_CALL, "time_utc"]
    local = utc.tz_convert("Asia/Damascus")
    if hasattr(answer, "strftime"):
        expect(False, "the answer is a text of the form 'HH:MM' (24-hour clock)",
               'You gave a time object, not a text. Turn it into a text with .strftime("%H:%M").')
        return
    if not isinstance(answer, str):
        expect(False, "the answer is a text of the form 'HH:MM' (24-hour clock)",
               f'You gave {type_name(answer)}. Give a text in quotes, made with .strftime("%H:%M").')
        return
    text = answer.strip()
    if re.fullmatch(r"\d{2}:\d{2}:\d{2}", text):
        hint = 'You included seconds. Use .strftime("%H:%M"), hours and minutes only.'
    elif re.search(r"[ap]\.?m\.?", text, re.IGNORECASE):
        hint = 'Use the 24-hour clock without "a.m."/"p.m.": .strftime("%H:%M").'
    elif re.fullmatch(r"\d:\d{2}", text):
        hint = 'Give two digits for the hour, as .strftime("%H:%M") does.'
    else:
        hint = 'Format the converted time with .strftime("%H:%M"), e.g. "09:05".'
    if not expect(re.fullmatch(r"\d{2}:\d{2}", text) is not None,
                  "the answer is a text of the form 'HH:MM' (24-hour clock)", hint):
        return
    article = re.search(r"(\d{1,2}):(\d{2})\s*p\.m\.", _events().at[ANSWERED_CALL, "time_as_given"])
    article_hhmm = f"{int(article[1]) + 12:02d}:{article[2]}"
    if not expect(text != utc.strftime("%H:%M"),
                  "it is not the UTC time itself",
                  "That is the UTC time. Convert it to Damascus time with .tz_convert(\"Asia/Damascus\")."):
        return
    if not expect(text != article_hhmm,
                  "it is not the local time printed in the article's wording (time_as_given)",
                  "That is the article's own conversion, and also what a fixed +2 gives. Do not copy the "
                  "source or assume an offset: let .tz_convert(\"Asia/Damascus\") choose it for that date."):
        return
    if text[-2:] == local.strftime("%M") and text != local.strftime("%H:%M"):
        hint = ("Right event, wrong offset or zone: let .tz_convert(\"Asia/Damascus\") choose the offset "
                "(it knows which one applied on that date).")
    else:
        hint = (f"Start from {ANSWERED_CALL}'s time_utc (not another event) and convert it with "
                ".tz_convert(\"Asia/Damascus\").")
    expect(text == local.strftime("%H:%M"),
           f"it equals {ANSWERED_CALL}'s time_utc converted to Asia/Damascus with the tz database", hint)


@exercise("2.2", checks="the answer is a sorted list of event ids: the rows whose time_as_given "
                        "pairs a local and a UTC clock time with an offset the tz database does not give")
def _(answer):
    if isinstance(answer, (tuple, set, pd.Series, pd.Index)):
        expect(False, "the answer is a list of event ids (texts such as 'E010')",
               f"You gave {type_name(answer)}. sorted(...) turns it into a list.")
        return
    if not expect(isinstance(answer, list) and all(isinstance(a, str) for a in answer),
                  "the answer is a list of event ids (texts such as 'E010')",
                  "Collect the event_id values (texts) in a list, e.g. with a list comprehension; "
                  "not the row numbers."):
        return
    known = set(load("events")["event_id"])
    if not expect(set(answer) <= known, "every id is an event_id of the events table",
                  "Use the event_id column (texts such as 'E010'), not the row numbers."):
        return
    expect(answer == sorted(answer), "the list is sorted", "Wrap your list in sorted(...).")
    want = _disagreeing_ids()
    expect("E010" in answer, "it includes E010, the start of the strikes",
           "Look at E010's wording and the tz database's offset for it: does your comparison see the difference?")
    if "E006" in answer:
        hint = ("E006's pair (7 p.m. and 1600 GMT) implies +3, which is what the tz database gives for Damascus "
                "that day. Did you compare with a fixed offset instead of tz_offset(row)?")
    else:
        hint = ("E018 is a New York time: compare in the row's own zone (tz_offset uses the tz column), "
                "not with Damascus time.")
    expect("E006" not in answer and "E018" not in answer,
           "it leaves out E006 and E018, whose pairs agree with the tz database", hint)
    expect(sorted(set(answer)) == want,
           "it holds exactly the rows whose stated offset differs from the tz database's",
           "Some rows have no pair of times: what does stated_offset(...) return for them, and do you skip them?")


CALLS = ("E013", "E014")   # the two Russian hotline calls the article times
CALL_REASONS = {
    "answered_call": "it is the call that got through to the coalition",
    "first_call": "it is the first call Russia made",
    "investigation_timed_it": "the coalition's investigation gives this call's time",
}


@exercise("2.4", checks="the answer is a dict naming the Russian call after which the strikes were called "
                        "off, a reason from the list, and the whole minutes from the first strike (E010) "
                        "to that call")
def _(answer):
    if not expect(isinstance(answer, Mapping), "the answer is a dict",
                  f"You gave {type_name(answer)}. Write {{\"event_id\": \"E0..\", \"minutes\": ..., "
                  "\"reason\": \"...\"}."):
        return
    if not expect(set(answer) == {"event_id", "minutes", "reason"},
                  "it has exactly the keys \"event_id\", \"minutes\" and \"reason\"",
                  f"Your keys are {sorted(map(str, answer))}. Use exactly these three: "
                  "\"event_id\", \"minutes\" and \"reason\"."):
        return
    ev = _events()
    eid, reason, value = answer["event_id"], answer["reason"], answer["minutes"]
    if not expect(eid in CALLS, "its event_id is one of the two Russian calls (E013, E014)",
                  f"You gave {eid!r}. The article times two Russian calls to CENTCOM: E013 and E014 "
                  "(category \"hotline\"). Pick one of them."):
        return
    if not expect(reason in CALL_REASONS, "its reason is one of the listed reasons",
                  "Copy one of the reasons from the list exactly, e.g. \"first_call\"."):
        return
    if not expect(reason != "investigation_timed_it", "the reason does not credit the call's time to the "
                  "investigation",
                  "Look at according_to for E013 and E014: who gives these times? The article gives them, "
                  "the second as 'reportedly', and credits neither to the investigation, which gives a delay, "
                  "not clock times."):
        return
    if not expect(eid == "E014", "the call is the one after which the strikes were called off",
                  f"Read the descriptions of {CALLS[0]} and {CALLS[1]} again: what does each say happened "
                  "during or after that call?"):
        return
    expect(reason == "answered_call", "the reason fits the call you chose",
           "Being first is not why this call counts. What made the difference between the two calls?")
    gap_td = ev.at["E014", "time_utc"] - ev.at["E010", "time_utc"]
    gap = int(gap_td / pd.Timedelta(minutes=1))
    if not expect_whole(value, "minutes",
                         "Divide the Timedelta by pd.Timedelta(minutes=1) and wrap it in int(...)."):
        return
    if value == int(gap_td.total_seconds()):
        expect(False, "the minutes are minutes, not seconds",
               "You gave seconds. Divide by pd.Timedelta(minutes=1) instead.")
        return
    if not expect(value >= 0, "the minutes are not negative",
                  "You subtracted the later time from the earlier one: take the call minus E010."):
        return
    delay = int((ev.at["E014", "time_utc"] - ev.at["E013", "time_utc"]) / pd.Timedelta(minutes=1))
    if not expect(value != delay, "the minutes are not the gap between the two calls (E013 to E014)",
                  "That is the delay between the calls. Start counting at the first strike, E010."):
        return
    after = int((ev.at["E015", "time_utc"] - ev.at["E014", "time_utc"]) / pd.Timedelta(minutes=1))
    if not expect(value != after, "the minutes are not the time from the call to the end of the strikes",
                  "That runs from the call to the cease-fire (E015). Count from the first strike, E010, "
                  "to the call."):
        return
    if not expect(abs(value - gap) != 180, "the minutes do not mix Damascus time with UTC",
                  "Your number is 3 hours off: one of the two times is a Damascus wall-clock time. "
                  "Subtract the two time_utc values."):
        return
    expect(value == gap, "the minutes equal time_utc of the call minus time_utc of E010",
           "Both times are in the time_utc column of events; subtract E010's from the call's.")


_TOLERANCE_H = 0.05   # rounding to one decimal (the style of the example, 31.5) is fine


@exercise("2.5", checks="the answer maps each ceasefire event after the raid start to the hours "
                        "between E010 and it, each within 0.05 h (one decimal is enough)")
def _(answer):
    if isinstance(answer, (list, tuple)):
        expect(False, "the answer is a dict (or Series) from event_id to hours",
               f"You gave {type_name(answer)}. Build a dict {{event_id: hours, ...}} so that each "
               "number stays with its event.")
        return
    if not expect(isinstance(answer, (Mapping, pd.Series)),
                  "the answer is a dict (or Series) from event_id to hours",
                  "Build a dict such as {event_id: hours, ...}."):
        return
    answer = dict(answer)
    ev = load("events")
    start = _raid_start()
    later = ev[(ev["category"] == "ceasefire") & (ev["time_utc"] > start)]
    want = {row.event_id: (row.time_utc - start) / pd.Timedelta(hours=1) for row in later.itertuples()}
    missing, extra = sorted(set(want) - set(answer)), sorted(set(answer) - set(want))
    if extra and all(isinstance(k, numbers.Integral) for k in extra):
        hint = "Your keys are row numbers. Use the event_id values (texts such as 'E010') as keys."
    elif extra:
        hint = (f"Leave out {', '.join(map(str, extra))}: keep only ceasefire events whose time_utc "
                "is later than E010's.")
    else:
        hint = ("Some ceasefire events after the raid start are missing. Filter on category == "
                "'ceasefire' and time_utc > E010's time_utc.")
    if not expect(not missing and not extra,
                  "its keys are the ceasefire events whose time_utc is after E010's", hint):
        return
    values = answer.values()
    if any(isinstance(v, pd.Timedelta) for v in values):
        expect(False, "every value is a number of hours",
               "You gave Timedelta values. Divide each by pd.Timedelta(hours=1) to get hours as a number.")
        return
    if not expect(all(is_number(v) for v in values), "every value is a number of hours",
                  "Give numbers, not texts: divide each Timedelta by pd.Timedelta(hours=1)."):
        return
    if not expect(all(v > 0 for v in values), "every value is positive",
                  "Subtract the raid start from the ceasefire event (event minus E010), not the other way round."):
        return
    diffs = {k: float(answer[k]) - want[k] for k in want}

    def all_near(factor=1.0, shift=0.0, tol=_TOLERANCE_H):
        return all(abs(float(answer[k]) - (want[k] * factor + shift)) < tol for k in want)

    if all_near(60, tol=1):
        hint = "These are minutes. Divide by pd.Timedelta(hours=1) to get hours."
    elif all_near(1 / 24, tol=0.01):
        hint = "These are days. Divide by pd.Timedelta(hours=1) to get hours."
    elif all_near(shift=1) or all_near(shift=-1):
        hint = ("Every value is 1 hour off: did you use the article's own local time (its +2 wording) for "
                "one of the two ends? Subtract time_utc from time_utc.")
    elif all_near(shift=3) or all_near(shift=-3):
        hint = ("Every value is 3 hours off: you mixed a Damascus wall-clock time with a UTC time. "
                "Subtract time_utc from time_utc.")
    elif all(abs(d) < 0.5 for d in diffs.values()):
        hint = "You rounded to whole hours. Keep at least one decimal, e.g. round(hours, 1)."
    else:
        hint = "Subtract E010's time_utc from each event's time_utc and divide by pd.Timedelta(hours=1)."
    expect(all(abs(d) < _TOLERANCE_H for d in diffs.values()),
           "each value is within 0.05 h of (time_utc − E010 time_utc) in hours", hint)
