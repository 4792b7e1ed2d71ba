"""Checks for notebooks/04-investigation-and-hotline.ipynb (convention: deirezzor/checks.py)."""
import numbers

import pandas as pd

from deirezzor import geo, load
from deirezzor.checks import exercise, expect, is_whole


def _point(place_id):
    places = load("places").set_index("place_id")
    return float(places.at[place_id, "lat"]), float(places.at[place_id, "lon"])


def _is_number(x):
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


@exercise("4.1", checks="the answer is a distance in km, rounded to 1 decimal, equal to the "
                        "great-circle distance between the two derived points in data/places.csv")
def _(answer):
    if not expect(_is_number(answer), "the answer is a number",
                  "geo.haversine_km(...) returns a number; wrap it in round(..., 1)."):
        return
    expect(float(answer) == round(float(answer), 1), "it has at most 1 decimal",
           "Use round(value, 1).")
    expect(0 < answer < 20, "it is between 0 and 20 km",
           "Both points are within a few km of Deir ez-Zor; check that you passed lat, lon in that order.")
    d = geo.haversine_km(*_point("strike_area_reported"), *_point("location_told_to_russia"))
    expect(round(float(answer), 1) == round(d, 1),
           "it equals the haversine distance between strike_area_reported and location_told_to_russia",
           "Pass (lat, lon) of strike_area_reported, then (lat, lon) of location_told_to_russia.")


@exercise("4.2", checks="the answer is a pair (bearing, inside): the bearing in whole degrees from the "
                        "airport to strike_area_reported, and whether that point lies 3-6 km from the "
                        "airport at a bearing of 180-270 degrees")
def _(answer):
    if not expect(isinstance(answer, tuple) and len(answer) == 2, "the answer is a pair (a tuple of two values)",
                  "Write it as (bearing, inside), with round brackets."):
        return
    bearing, inside = answer
    ok = expect(is_whole(bearing),
                "the bearing is a whole number", "Use round(bearing) to get whole degrees.")
    airport, strike = _point("deir_ez_zor_airport"), _point("strike_area_reported")
    b = geo.initial_bearing_deg(*airport, *strike)
    d = geo.haversine_km(*airport, *strike)
    if ok and expect(0 <= bearing < 360, "the bearing is between 0 and 359 degrees",
                     "Bearings run clockwise from north, 0 to 360."):
        expect(bearing == round(b),
               "it equals the bearing from deir_ez_zor_airport to strike_area_reported",
               "The first point is where you stand (the airport), the second where you look (the strike area).")
    if expect(isinstance(inside, bool), "inside is True or False",
              "A comparison such as 3 <= d <= 6 gives True or False; bool(...) makes sure."):
        expect(inside == bool(3 <= d <= 6 and 180 <= b <= 270),
               "inside agrees with the distance (3-6 km) and bearing (180-270 degrees) tests",
               "Combine both range tests with and: the distance test and the bearing test.")


@exercise("4.3", checks="the answer is a whole number of minutes equal to the gap between "
                        "events E014 and E015 in data/events.csv")
def _(answer):
    if not expect(is_whole(answer),
                  "the answer is a whole number", "Use int(...) around your calculation."):
        return
    expect(0 <= answer < 24 * 60, "it is between 0 and 1440 minutes (one day)",
           "Subtract the earlier time (E014) from the later one (E015).")
    ev = load("events").set_index("event_id")
    gap = ev.at["E015", "time_utc"] - ev.at["E014", "time_utc"]
    expect(answer == int(gap.total_seconds() // 60),
           "it equals the number of minutes between E014 and E015",
           "Divide .total_seconds() by 60.")


_GROUPS = {"procedural_finding": "procedure", "misidentification": "identification",
           "accident": "intent and legality"}


@exercise("4.4", checks="the answer is a pandas Series indexed by the three group names, with each "
                        "group's share of the investigation's quoted findings in data/statements.csv, "
                        "rounded to 2 decimals")
def _(answer):
    if not expect(isinstance(answer, pd.Series), "the answer is a pandas Series",
                  ".value_counts(normalize=True) returns a Series."):
        return
    want_names = set(_GROUPS.values())
    if not expect(set(map(str, answer.index)) == want_names,
                  "its index holds exactly the three group names",
                  'Map each claim code to "procedure", "identification" or "intent and legality".'):
        return
    expect(abs(float(answer.sum()) - 1) <= 0.02, "the shares add up to 1 (within rounding)",
           "Use normalize=True, or divide the counts by the number of fragments.")
    st = load("statements")
    report = st[st["role"].str.contains("investigation", regex=False)]
    want = report["claim"].map(_GROUPS).value_counts(normalize=True)
    got = {str(k): float(v) for k, v in answer.items()}
    expect(all(abs(got[g] - float(want[g])) <= 0.005 + 1e-9 for g in want_names),
           "each share equals that group's share of the statements whose role mentions the investigation",
           "Select the rows of statements whose role contains 'investigation' before counting.")
