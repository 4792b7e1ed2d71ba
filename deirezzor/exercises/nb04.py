"""Checks for instructor/04-investigation-and-hotline.ipynb (convention: deirezzor/checks.py).

Every check starts with the mistakes students make most (a list for a tuple, a
float for a whole number, counts for shares, unrounded values), so that the
first failing line names the real mistake.  tests/test_hints_nb04.py feeds
those answers in and asserts the first failing line.
"""
import numbers
import re

import pandas as pd

from deirezzor import geo, load
from deirezzor.checks import exercise, expect, expect_type, expect_whole, type_name

# ----------------------------------------------------------------------------- 4.1


def _release_window() -> tuple[int, int, int]:
    """(fewest, most, naive) days from the opening of the investigation to the release.

    The opening (E032) is dated only to its month; it cannot be before the raid
    (E010) nor after the month's last day.  naive = the stored date (the 1st of
    the month, a placeholder) subtracted as if it were a real day.
    """
    ev = load("events").set_index("event_id")
    opened, released, raid = ev.at["E032", "date"], ev.at["E040", "date"], ev.at["E010", "date"]
    if ev.at["E032", "precision"] == "month":
        earliest = max(opened, raid)
        latest = opened + pd.offsets.MonthEnd(0)
    else:                                  # a day-precise opening date: no window
        earliest = latest = opened
    return (released - latest).days, (released - earliest).days, (released - opened).days


@exercise("4.1", checks="the answer is a tuple (fewest, most) of whole days from the opening of the "
                        "investigation (E032, dated to the month) to the release (E040) in data/events.csv")
def _(answer):
    if not expect_type(answer, tuple, "the answer is a tuple (fewest, most)"):
        return
    if not expect(len(answer) == 2, "it has two values",
                  f"You gave {len(answer)} values; give exactly two: (fewest, most)."):
        return
    for part, value in zip(("fewest", "most"), answer):
        if isinstance(value, (pd.Timedelta, pd.Timestamp)):
            expect(False, f"{part} is a whole number of days",
                   f"You gave {type_name(value)} for {part}: take .days of a difference of two dates.")
            return
        if not expect_whole(value, what=f"{part} is a whole number of days (int)"):
            return
    fewest, most = answer
    want_fewest, want_most, naive = _release_window()
    expect(fewest <= most, "fewest is not larger than most", "Put the smaller number first: (fewest, most).")
    expect(naive not in (fewest, most),
           "neither value counts from the 1st of the month as if it were a real date",
           "E032's precision is 'month': the stored day (the 1st) is only a placeholder. "
           "The opening could be any day of that month that is not before the raid.")
    expect(most == want_most, "most counts from the earliest possible opening: the day of the raid",
           "The investigation cannot have opened before the raid (E010): count from the raid's date.")
    expect(fewest == want_fewest, "fewest counts from the latest possible opening: the month's last day",
           "The latest opening the month allows is its last day; pd.offsets.MonthEnd(0) added to a date "
           "gives the last day of its month.")


# ----------------------------------------------------------------------------- 4.2
REASONS_4_2 = ("quotes_the_report", "later_source", "more_precise", "larger_number")
_REASON_HINTS = {
    "later_source": "Being later does not bring a source closer to the report: ask which passage gives "
                    "the report's own words.",
    "more_precise": "A round number is not more reliable because it looks exact: ask which passage "
                    "gives the report's own words.",
    "larger_number": "A larger number is not more reliable: ask which passage gives the report's own words.",
}


def _quoting_figure() -> tuple[str, list[str]]:
    """The interviewed figure whose passage puts its wording in quotation marks, and all candidates."""
    fg = load("figures")
    rows = fg[fg["quantity"].eq("personnel_interviewed")]
    quoted = [r.figure_id for r in rows.itertuples()
              if re.search(r'"[^"]*' + re.escape(str(r.number_as_given)) + r'[^"]*"', str(r.passage))]
    return (quoted[0] if len(quoted) == 1 else ""), sorted(rows["figure_id"])


@exercise("4.2", checks="the answer is a dict with the figure_id to quote for the number interviewed "
                        "and one of the four reasons listed in the exercise, judged from the passages in data/figures.csv")
def _(answer):
    if not expect_type(answer, dict, 'the answer is a dict {"figure_id": ..., "reason": ...}'):
        return
    if not expect(set(answer) == {"figure_id", "reason"}, 'its keys are "figure_id" and "reason"',
                  f"You gave the keys {sorted(map(str, answer))}; use exactly these two."):
        return
    quoted, candidates = _quoting_figure()
    fid, reason = answer["figure_id"], answer["reason"]
    if not expect(fid in candidates, f"figure_id is one of the interviewed figures ({', '.join(candidates)})",
                  f"You gave {fid!r}. The two figures are the rows of figures whose quantity is "
                  "personnel_interviewed."):
        return
    if not expect(reason in REASONS_4_2, "reason is one of the four listed in the exercise",
                  f"You gave {reason!r}; copy one of: {', '.join(REASONS_4_2)}."):
        return
    expect(fid == quoted, "the figure chosen is the one whose passage quotes the report's words",
           f"Read the passage of {fid}: does it put the report's words in quotation marks, or is it "
           "a paraphrase in a research note?")
    expect(reason == "quotes_the_report", "the reason is about closeness to the report's own words",
           _REASON_HINTS.get(reason, "Say why this row is closer to the document."))


# ----------------------------------------------------------------------------- 4.3
VERDICTS_4_3 = ("confirmed", "possible", "excluded")
DERIVED = ("strike_area_reported", "location_told_to_russia")


def _point(place_id):
    places = load("places").set_index("place_id")
    return float(places.at[place_id, "lat"]), float(places.at[place_id, "lon"])


def _band_distances(place_id: str) -> list[float]:
    """Distances (km) from a point to every point of the report's band around the airport.

    The band: F22's low to high km from the airport (every 0.1 km), bearings 180-270
    (every whole degree), as in the exercise text.
    """
    f22 = load("figures").set_index("figure_id").loc["F22"]
    airport, target = _point("deir_ez_zor_airport"), _point(place_id)
    low, high = int(round(f22["low"] * 10)), int(round(f22["high"] * 10))
    return [geo.haversine_km(*geo.destination(*airport, b, km / 10), *target)
            for b in range(180, 271) for km in range(low, high + 1)]


def _verdict(distances: list[float], claimed: float) -> str:
    near = [round(d) == claimed for d in distances]
    return "confirmed" if all(near) else "possible" if any(near) else "excluded"


def _is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


@exercise("4.3", checks="the answer is a dict: the point the Russian side would have plotted, the range "
                        "(km, 1 decimal) of its distance to the report's band, and a verdict on F23")
def _(answer):
    if not expect_type(answer, dict, 'the answer is a dict {"plotted": ..., "range_km": ..., "verdict": ...}'):
        return
    if not expect(set(answer) == {"plotted", "range_km", "verdict"},
                  'its keys are "plotted", "range_km" and "verdict"',
                  f"You gave the keys {sorted(map(str, answer))}; use exactly these three."):
        return
    plotted, span, verdict = answer["plotted"], answer["range_km"], answer["verdict"]
    if plotted == "strike_area_reported":
        hint = ("strike_area_reported is the plan (9 km south of the city). The Russian side had only "
                "the words it heard: read the relative_location column.")
    else:
        hint = (f"You gave {plotted!r}. Choose one of the two derived points ({', '.join(DERIVED)}): "
                "the city and the airport are only reference points.")
    expect(plotted == "location_told_to_russia", "plotted is the point the operator's words describe", hint)
    if not expect_type(span, tuple, "range_km is a tuple (nearest, farthest)"):
        return
    if not expect(len(span) == 2 and all(_is_number(x) for x in span),
                  "range_km holds two numbers", "Give (nearest, farthest), two numbers of km."):
        return
    expect(all(float(x) == round(float(x), 1) for x in span), "both are rounded to 1 decimal",
           "Use round(value, 1) on each.")
    distances = _band_distances("location_told_to_russia")
    want = (round(min(distances), 1), round(max(distances), 1))
    expect(span[0] <= span[1], "nearest is not larger than farthest", "Put the smaller distance first.")
    expect(all(abs(float(g) - w) <= 0.1 + 1e-9 for g, w in zip(span, want)),
           "range_km spans the distances from the plotted point to the whole band",
           "Walk the band with geo.destination from the airport (every degree from 180 to 270, "
           "every 0.1 km from F22's low to its high) and measure each point's distance to the plotted point.")
    claimed = float(load("figures").set_index("figure_id").at["F23", "value_stated"])
    if not expect(verdict in VERDICTS_4_3, "verdict is \"confirmed\", \"possible\" or \"excluded\"",
                  f"You gave {verdict!r}; copy one of: {', '.join(VERDICTS_4_3)}."):
        return
    expect(verdict == _verdict(distances, claimed),
           "the verdict follows from the range: what it can and cannot exclude",
           "'confirmed' would need every point of the band to be about 9 km away, 'excluded' no point. "
           "Is 9 inside your range?")


# ----------------------------------------------------------------------------- 4.4
_GROUPS = {"procedural_finding": "procedure", "misidentification": "identification",
           "accident": "intent and legality"}


def _report_rows() -> pd.DataFrame:
    st = load("statements")
    return st[st["role"].str.contains("investigation", regex=False, na=False)]


@exercise("4.4", checks="the answer is a pandas Series indexed by the three group names, with each "
                        "group's share of the investigation's quoted findings in data/statements.csv, "
                        "rounded to 2 decimals")
def _(answer):
    if isinstance(answer, dict):
        expect(False, "the answer is a pandas Series",
               "You gave a dict; pd.Series(your_dict) turns it into a Series, or keep the result of "
               ".value_counts(...), which is one already.")
        return
    if not expect_type(answer, pd.Series, "the answer is a pandas Series"):
        return
    want_names = set(_GROUPS.values())
    names = set(map(str, answer.index))
    if names == set(_GROUPS):
        expect(False, "its index holds exactly the three group names",
               "The index still holds the claim codes: .map(...) them to the group names first.")
        return
    if not expect(names == want_names, "its index holds exactly the three group names",
                  'Map each claim code to "procedure", "identification" or "intent and legality".'):
        return
    if not expect(pd.api.types.is_numeric_dtype(answer), "its values are numbers",
                  f"The values are {answer.dtype}; they should be shares such as 0.25."):
        return
    values = [float(v) for v in answer]
    if not expect(all(0 <= v <= 1 for v in values), "each value is a share between 0 and 1",
                  f"These look like counts (they add up to {sum(values):g}): use "
                  ".value_counts(normalize=True), or divide the counts by the number of fragments."):
        return
    expect(all(abs(v * 100 - round(v * 100)) < 1e-6 for v in values), "each share is rounded to 2 decimals",
           "Add .round(2) at the end.")
    report = _report_rows()
    want = report["claim"].map(_GROUPS).value_counts(normalize=True).round(2)
    got = {str(k): float(v) for k, v in answer.items()}
    if not expect(abs(sum(values) - 1) <= 0.02, "the shares add up to 1 (within rounding)",
                  "Divide each count by the total number of fragments."):
        return
    expect(all(abs(got[g] - float(want[g])) <= 1e-6 for g in want_names),
           "each share equals that group's share of the statements whose role mentions the investigation",
           f"Count only the rows of statements whose role contains 'investigation' ({len(report)} rows).")
