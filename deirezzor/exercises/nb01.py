"""Checks for notebooks/01-siege-background.ipynb (convention: deirezzor/checks.py)."""
import numbers

import pandas as pd

from deirezzor import geo, load
from deirezzor.checks import exercise, expect, is_whole

RAID_DAY = pd.Timestamp("2016-09-17")




def _is_number(x):
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


@exercise("1.1", checks="the answer is a whole number: the events of data/events.csv dated before "
                        "17 September 2016, leaving out month-precision rows of September 2016")
def _(answer):
    if not expect(is_whole(answer), "the answer is a whole number",
                  "Counting gives a whole number; int(mask.sum()) is one."):
        return
    events = load("events")
    before = events["date"] < RAID_DAY
    unknown_day = (events["precision"] == "month") & (
        events["date"].dt.to_period("M") == RAID_DAY.to_period("M"))
    certain = int((before & ~unknown_day).sum())
    naive = int(before.sum())
    expect(0 <= answer <= len(events), "it is between 0 and the number of events",
           "You are counting rows of events.")
    if naive != certain:
        expect(answer != naive,
               "it leaves out the month-precision rows of September 2016 (their day 01 means nothing)",
               "Some rows dated 2016-09-01 have precision 'month': they may fall after the 17th. "
               "Remove them with & ~(...).")
    expect(answer == certain,
           "it equals the number of events certainly before the raid day",
           "Combine the two masks of the steps: before the raid day AND NOT (month precision in the raid month).")


@exercise("1.2", checks="the answer is the great-circle distance in km from the airport point to the "
                        "derived point strike_area_reported in data/places.csv, rounded to 1 decimal")
def _(answer):
    if not expect(_is_number(answer), "the answer is a number of km",
                  "geo.haversine_km(...) returns a float; wrap it in round(..., 1)."):
        return
    p = load("places").set_index("place_id")
    a, s, c = p.loc["deir_ez_zor_airport"], p.loc["strike_area_reported"], p.loc["deir_ez_zor_city"]
    km = geo.haversine_km(a["lat"], a["lon"], s["lat"], s["lon"])
    expect(0 < answer < 50, "it is a distance of a few km (between 0 and 50)",
           "Give kilometres; haversine_km takes lat1, lon1, lat2, lon2 in degrees.")
    if not expect(round(float(answer), 1) == float(answer) or abs(answer - round(km, 1)) < 1e-9,
                  "it is rounded to 1 decimal", "Use round(distance, 1)."):
        return
    from_city = round(geo.haversine_km(c["lat"], c["lon"], s["lat"], s["lon"]), 1)
    if from_city != round(km, 1):
        expect(abs(answer - from_city) > 1e-9,
               "it is measured from the airport, not from the city point",
               "The question asks for the distance from the airport (deir_ez_zor_airport).")
    expect(abs(answer - round(km, 1)) < 1e-9,
           "it equals the distance from the airport point to strike_area_reported",
           "Pass the airport's lat and lon first, then the derived point's lat and lon.")


def _reference_holder(positions, place_id, date):
    rows = positions[(positions["place_id"] == place_id) & (positions["date"] <= pd.Timestamp(date))]
    if rows.empty:
        return None
    return str(rows.sort_values(["date", "position_id"])["holder"].iloc[-1])


# (place, date, what the case is about): dates chosen around the reported changes.
_CASES = [
    ("point_1", "2016-09-16", "before any report"),
    ("point_1", "2016-09-17", "the day of the raid"),
    ("point_1", "2016-09-21", "on the day of a reported change (on or before includes the day)"),
    ("kroum_hill", "2016-09-17", "two reports on one day (table order)"),
    ("jabal_thardeh", "2016-09-17", "two reports on one day (table order)"),
    ("jabal_thardeh", "2016-09-30", "after a later change"),
    ("point_1", "2016-10-15", "after a month-precision report"),
    ("point_2", "2016-10-15", "after an 'attacked' report"),
    ("jabal_thardeh", "2017-12-31", "after the last report"),
    ("panorama_checkpoint", "2016-10-01", "a place with no reports"),
]


@exercise("1.3", checks="the answer is a function; for ten (place, date) pairs it returns the holder of the "
                        "last report in data/positions.csv on or before that date, or None")
def _(answer):
    if not expect(callable(answer), "the answer is a function",
                  "Assign the function itself: answer_1_3 = holder_on (no brackets)."):
        return
    positions = load("positions")
    for place_id, date, about in _CASES:
        want = _reference_holder(positions, place_id, date)
        try:
            got = answer(place_id, date)
        except Exception as exc:  # report it as a failed case, not as a crash
            got = f"an error ({type(exc).__name__})"
        expect(got == want,
               f"holder_on({place_id!r}, {date!r}) gives the holder of the last report ({about})",
               f"It returned {got!r}. Keep the reports for this place with date <= pd.Timestamp(date), "
               "sort by date then position_id, take the last holder; return None when none is left.")
