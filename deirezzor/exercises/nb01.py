"""Checks for instructor/01-siege-background.ipynb (convention: deirezzor/checks.py).

Every check's first failing line names the mistake a student most likely made
(tests/test_hints_nb01.py feeds the typical wrong answers).
"""
from __future__ import annotations

import numbers

import pandas as pd

from deirezzor import geo, load
from deirezzor.checks import exercise, expect, expect_whole, is_number, type_name

RAID_DAY = pd.Timestamp("2016-09-17")


TERMS = ("E006a", "E006b")   # terms of the ceasefire agreement: they never took effect


def _happened_before(events):
    """Masks of the rows 1.1 leaves out, and the ids it keeps (sorted)."""
    before = events["date"] < RAID_DAY
    unknown_day = (events["precision"] == "month") & (
        events["date"].dt.to_period("M") == RAID_DAY.to_period("M"))
    version = events["version_of"].notna()
    term = events["event_id"].isin(TERMS)
    keep = before & ~unknown_day & ~version & ~term
    return before, unknown_day, version, term, sorted(events.loc[keep, "event_id"])


@exercise("1.1", checks="the answer is a sorted list of event ids: what happened certainly before "
                        "17 September 2016, without month-precision rows of September 2016, other sources' "
                        "versions (version_of) or the terms of the agreement")
def _(answer):
    if isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        expect(False, "the answer is a list of event ids (texts such as 'E001')",
               "You gave a number. The question asks which events, not how many: give their event ids.")
        return
    if isinstance(answer, (tuple, set, pd.Series, pd.Index)):
        expect(False, "the answer is a list of event ids (texts such as 'E001')",
               f"You gave {type_name(answer)}. Turn it into a list with sorted(...).")
        return
    if not expect(isinstance(answer, list) and all(isinstance(a, str) for a in answer),
                  "the answer is a list of event ids (texts such as 'E001')",
                  "Give event ids (texts such as 'E001'), not row numbers: take the event_id column of the rows you keep."):
        return
    events = load("events")
    if not expect(set(answer) <= set(events["event_id"]), "every id is an event_id of the events table",
                  "Use the event_id values (texts such as 'E001'), not row numbers."):
        return
    if not expect(answer == sorted(answer), "the list is sorted", "Wrap your list in sorted(...)."):
        return
    before, unknown_day, version, term, want = _happened_before(events)
    chosen = set(answer)
    late = sorted(chosen - set(events.loc[before, "event_id"]))
    if not expect(not late, "every id is dated before the raid day",
                  f"{', '.join(late)} {'is' if len(late) == 1 else 'are'} not dated before 17 September 2016. "
                  "Keep rows with events[\"date\"] < raid_day."):
        return
    month = sorted(chosen & set(events.loc[unknown_day, "event_id"]))
    if not expect(not month, "it leaves out the month-precision rows of September 2016 (their day 01 means nothing)",
                  f"{', '.join(month)}: precision 'month' in the raid month, so the day may be after the 17th. "
                  "Remove such rows with & ~(...)."):
        return
    versions = sorted(chosen & set(events.loc[version, "event_id"]))
    if not expect(not versions, "it leaves out other sources' versions of an event (version_of is filled)",
                  f"{', '.join(versions)} {'is' if len(versions) == 1 else 'are'} another source's version of an "
                  "event that has its own row: remove rows where events[\"version_of\"].notna()."):
        return
    terms = sorted(chosen & set(events.loc[term, "event_id"]))
    if not expect(not terms, "it leaves out the terms of the agreement (E006a, E006b)",
                  "A term of an agreement says what would have happened; these never did. Remove them with "
                  "~events[\"event_id\"].isin([\"E006a\", \"E006b\"])."):
        return
    missing = sorted(set(want) - chosen)
    expect(not missing, "it holds every event that happened certainly before the raid day",
           f"You left out {len(missing)} row{'s' if len(missing) != 1 else ''} dated before the raid day that "
           "passes all three tests. Combine the masks with & and ~, and keep everything else.")


VERDICTS = {
    "supported": "the collection supports the sentence as written",
    "needs_attribution": "it is one party's claim, written as if it were a fact",
    "contradicted": "the collection contradicts it",
}
ACCUSATION_ROWS = ("T23", "T24")   # the Syrian government's accusation and the U.S. rejection


@exercise("1.2", checks="the answer is a dict with a verdict from the list and the id of a row of "
                        "data/attributions.csv that shows why")
def _(answer):
    from collections.abc import Mapping
    if not expect(isinstance(answer, Mapping), "the answer is a dict",
                  f"You gave {type_name(answer)}. Write {{\"verdict\": \"...\", \"row\": \"T..\"}}."):
        return
    if not expect(set(answer) == {"verdict", "row"},
                  "the answer is a dict with the keys \"verdict\" and \"row\"",
                  "Use exactly these two keys: \"verdict\" and \"row\"."):
        return
    verdict, row = answer["verdict"], answer["row"]
    if not expect(verdict in VERDICTS, "its verdict is one of the listed texts",
                  "Copy one of the three verdicts exactly, e.g. \"supported\"."):
        return
    attributions = load("attributions").set_index("attribution_id")
    if not expect(isinstance(row, str) and row in attributions.index,
                  "its row is an attribution_id of the attributions table",
                  "Give the id of the row (a text such as \"T19\"), from the attributions table."):
        return
    if not expect(row in ACCUSATION_ROWS, "the row is about the accusation of December 2015",
                  f"{row} is about something else. Look at the two rows printed in the background section."):
        return
    stances = attributions.loc[list(ACCUSATION_ROWS), "stance"]
    disputed = set(stances) >= {"asserts", "denies"}
    if verdict == "supported":
        hint = ("Look at the claimant and stance columns: who asserts the deaths, and who denies them? "
                "A sentence that states one side's claim as fact needs more than one side's word.")
    elif verdict == "contradicted":
        hint = ("A denial is a claim too. The collection records the accusation and its rejection, "
                "and nothing that settles which is true.")
    else:
        hint = ""
    expect(verdict == ("needs_attribution" if disputed else "supported"),
           "the verdict fits what the rows record (who asserts, who denies)", hint)


def _km(p, a: str, b: str, swapped: bool = False) -> float:
    if swapped:   # lon passed where lat belongs: a typical slip
        return geo.haversine_km(p.at[a, "lon"], p.at[a, "lat"], p.at[b, "lon"], p.at[b, "lat"])
    return geo.haversine_km(p.at[a, "lat"], p.at[a, "lon"], p.at[b, "lat"], p.at[b, "lon"])


@exercise("1.3", checks="the answer is the great-circle distance in km from the airport point to the "
                        "derived point strike_area_reported in data/places.csv, rounded to 1 decimal")
def _(answer):
    if isinstance(answer, (tuple, list)):
        expect(False, "the answer is a number of km",
               f"You gave {type_name(answer)}. Give only the distance; print the bearing separately.")
        return
    if not expect(is_number(answer), "the answer is a number of km",
                  f"You gave {type_name(answer)}. geo.haversine_km(...) returns a number; wrap it in round(..., 1)."):
        return
    p = load("places").set_index("place_id")
    km = _km(p, "deir_ez_zor_airport", "strike_area_reported")
    want = round(km, 1)
    x = float(answer)
    if abs(x - want) < 1e-9:
        expect(True, "it is rounded to 1 decimal")
        expect(True, "it equals the distance from the airport point to strike_area_reported")
        return
    if abs(x - km) < 0.05:
        expect(False, "it is rounded to 1 decimal",
               "Your distance has more decimals than one. Use round(distance, 1).")
        return
    if x.is_integer() and abs(x - km) < 1:
        expect(False, "it is rounded to 1 decimal",
               "You rounded to a whole number of km. Use round(distance, 1): one decimal.")
        return
    if abs(x * 1000 - km * 1000) < 1 or abs(x - km * 1000) < 100:
        expect(False, "it is a number of kilometres",
               "That looks like metres. geo.haversine_km already gives kilometres.")
        return
    from_city = _km(p, "deir_ez_zor_city", "strike_area_reported")
    told = _km(p, "deir_ez_zor_airport", "location_told_to_russia")
    if abs(x - round(from_city, 1)) < 0.051 or abs(x - round(told, 1)) < 0.051:
        expect(False, "it is measured from the airport to strike_area_reported",
               f"{x:.1f} km is the stated 9 km of one of the derived points. Check that you measured from the "
               "airport (deir_ez_zor_airport) to strike_area_reported, not from the city or to "
               "location_told_to_russia.")
        return
    swapped = _km(p, "deir_ez_zor_airport", "strike_area_reported", swapped=True)
    if abs(x - round(swapped, 1)) < 0.051:
        expect(False, "it uses latitude and longitude in the right order",
               "haversine_km takes lat1, lon1, lat2, lon2: latitude first, then longitude.")
        return
    expect(False, "it equals the distance from the airport point to strike_area_reported",
           "Take lat and lon from the rows deir_ez_zor_airport and strike_area_reported of places.")


def _reference_holder(positions, place_id, date, *, strict=False, last=True):
    """The model answer; strict=True and last=False give the two commonest slips."""
    day = pd.Timestamp(date)
    mask = positions["date"] < day if strict else positions["date"] <= day
    rows = positions[(positions["place_id"] == place_id) & mask]
    if rows.empty:
        return None
    return str(rows.sort_values(["date", "position_id"])["holder"].iloc[-1 if last else 0])


_SLIPS = {
    "strict": ("'On or before' includes the day itself: compare the dates with <=, not <.",
               dict(strict=True)),
    "first": ("Take the LAST report on or before the date (.iloc[-1] after sorting), not the first.",
              dict(last=False)),
}


# (place, date, what the case is about, a hint that points at the method for that case)
_CASES = [
    ("point_1", "2016-09-16", "before any report",
     "When no report is dated on or before the date, return None."),
    ("point_1", "2016-09-17", "the day of the raid",
     "Keep the reports of this place dated on or before the date, and take the holder of the last one."),
    ("point_1", "2016-09-21", "on the day of a reported change",
     "'On or before' includes the day itself: compare with <=, not <."),
    ("kroum_hill", "2016-09-17", "two reports on one day (table order)",
     "When two reports share a date, the later row wins: sort by date, then by position_id."),
    ("jabal_thardeh", "2016-09-17", "two reports on one day (table order)",
     "When two reports share a date, the later row wins: sort by date, then by position_id."),
    ("jabal_thardeh", "2016-09-30", "after a later change",
     "Take the LAST report on or before the date (.iloc[-1]), not the first."),
    ("point_1", "2016-10-15", "after a month-precision report",
     "Compare with the stored date column as it is; a month-precision report counts from the 1st."),
    ("point_2", "2016-10-15", "after a later report on Point 2",
     "Return the holder column of the last report, whatever its change column says."),
    ("jabal_thardeh", "2017-12-31", "after the last report",
     "After the last report, the holder is still that of the last report."),
    ("panorama_checkpoint", "2016-10-01", "a place with no reports",
     "A place with no reports has an empty selection: return None before taking a row from it."),
]


@exercise("1.4", checks="the answer is a function; for ten (place, date) pairs it returns the holder of the "
                        "last report in data/positions.csv on or before that date, or None")
def _(answer):
    if not expect(callable(answer), "the answer is a function",
                  f"You gave {type_name(answer)}. Assign the function itself: answer_1_4 = holder_on "
                  "(no quotes, no brackets)."):
        return
    positions = load("positions")
    got_all, crashed = [], None
    for place_id, date, _, _ in _CASES:
        try:
            got_all.append(answer(place_id, date))
        except Exception as exc:  # the student's function crashed: reported below, case by case
            got_all.append(exc)
            crashed = crashed or exc
    if (isinstance(crashed, TypeError) and "argument" in str(crashed)
            and all(isinstance(g, TypeError) for g in got_all)):
        expect(False, "holder_on(place_id, date) runs without an error",
               f"Your function raised TypeError ({crashed}). It must take two arguments, "
               "place_id and date (a text such as '2016-09-20').")
        return
    # Which common slip does the function make on every case? Its hint then names that slip.
    slip = None
    for name, (_, kwargs) in _SLIPS.items():
        variant = [_reference_holder(positions, pl, d, **kwargs) for pl, d, _, _ in _CASES]
        if all(isinstance(g, (str, type(None))) and g == v for g, v in zip(got_all, variant)):
            slip = name
            break
    for (place_id, date, about, method), got in zip(_CASES, got_all):
        want = _reference_holder(positions, place_id, date)
        call = f"holder_on({place_id!r}, {date!r})"
        if isinstance(got, Exception):
            expect(False, f"{call} runs without an error ({about})",
                   f"Your function raised {type(got).__name__} for this case. {method}")
            continue
        if isinstance(got, (pd.Series, pd.DataFrame)):
            expect(False, f"{call} returns one holder, not a table ({about})",
                   "Your function returned a whole column or table. Take one value with .iloc[-1].")
            continue
        expect(got == want,
               f"{call} gives the holder of the last report ({about})",
               f"It returned {got!r}. {_SLIPS[slip][0] if slip else method}")
