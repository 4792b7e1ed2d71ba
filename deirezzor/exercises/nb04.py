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
from deirezzor.checks import exercise, expect, expect_type, expect_whole, is_whole, type_name

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
# Six draft sentences about the investigation (their text is in the exercise cell of
# notebook 04).  A sentence can be printed as it stands when it says no more than the
# rows it rests on, credits the right source and puts only a source's exact words in
# quotation marks.  Which ones pass is worked out from the data below, so that a change
# in the rows changes the key.
LETTERS_4_4 = "ABCDEF"


def _report_rows() -> pd.DataFrame:
    """The quoted fragments of the summary: statements whose role mentions the investigation."""
    st = load("statements")
    return st[st["role"].str.contains("investigation", regex=False, na=False)]


B_QUOTE = "both target areas contained tunnels and defensive fighting positions"

_SENTENCE_HINTS = {
    "A": "Sentence A: read Q35 word for word. The investigators say what they did not find. "
         "Is that the same as showing that it did not happen?",
    "B": "Sentence B: find the fragment its quotation comes from and compare the two word for word. "
         "Then check whom the sentence credits.",
    "C": "Sentence C: read Q36 word for word. How sure is the report itself, and does it say how the "
         "Russian response was affected?",
    "D": "Sentence D has no quotation marks, which is right for a paraphrase. Compare it with Q37 and "
         "Q38: does it keep their meaning, and does each of its sentences say whose account it is?",
    "E": "Sentence E: whose account is the time 14:52Z? Look at the 'according to' column of the "
         "table in section 3.",
    "F": "Sentence F: which row in the collection says what the lessons were? Read E040a, its "
         "derivation, and the quoted fragments in report.",
}


def _printable_4_4() -> list[str]:
    """The letters of the sentences that can be printed as they stand, judged from the rows."""
    quotes = [str(q) for q in _report_rows()["quote"]]
    ev = load("events").set_index("event_id")
    e014 = ev.loc["E014"]
    ok = {
        # A: "showed that there was no misconduct" needs a fragment that says so, not "no evidence of"
        "A": any("misconduct" in q and "no evidence" not in q for q in quotes),
        # B: its quotation must be a fragment's exact words
        "B": any(B_QUOTE in q for q in quotes),
        # C: "slowed down" needs a fragment that says so without "may have"
        "C": any("Russian response" in q and "may have" not in q and "slow" in q for q in quotes),
        # D: a fair paraphrase of the operator's choice (Q37) and of the delay (Q38)
        "D": any("elected to wait" in q for q in quotes) and any("delay of 27 minutes" in q for q in quotes),
        # E: 14:52Z must be credited to the investigation in the events table
        "E": "investigation" in str(e014["according_to"]) and f"{e014['time_utc']:%H:%M}" == "14:52",
        # F: no row gives the content of the lessons (E040a only says that the summary lists them)
        "F": any("lesson" in q.lower() for q in quotes),
    }
    return [k for k in LETTERS_4_4 if ok[k]]


@exercise("4.4", checks="the answer is a sorted list of the letters (A-F) of the draft sentences that say no "
                        "more than their rows, credit the right source and quote exactly, judged from "
                        "data/statements.csv and data/events.csv")
def _(answer):
    if is_whole(answer) or isinstance(answer, float):
        expect(False, "the answer is a list of letters",
               f"You gave {answer!r}, a number: how many sentences. Give the letters themselves, "
               'in a list such as ["X", "Y"].')
        return
    if isinstance(answer, dict):
        expect(False, "the answer is a list of letters",
               "You gave a dict. This exercise needs no verdict for each sentence: list only the "
               "letters of the sentences that can be printed as they stand.")
        return
    if isinstance(answer, str):
        expect(False, "the answer is a list of letters",
               'You gave one text. Put each letter in its own quotes, inside square brackets: ["X", "Y"].')
        return
    if not expect_type(answer, list, "the answer is a list of letters"):
        return
    items = list(answer)
    odd = [x for x in items if not (isinstance(x, str) and x in LETTERS_4_4)]
    if odd:
        x = odd[0]
        if isinstance(x, str) and x.strip().upper() in LETTERS_4_4:
            hint = f"You gave {x!r}: write each letter as a capital, with nothing around it, such as \"A\"."
        elif isinstance(x, str) and re.fullmatch(r"[QETFCD]\d+[a-z]?", x.strip()):
            hint = (f"You gave {x!r}, the id of a row. Give the letters of the sentences (A to F), "
                    "not the rows they rest on.")
        else:
            hint = f"You gave {x!r}. Each item is the letter of one sentence: \"A\" to \"F\"."
        expect(False, "every item is one of the letters A to F", hint)
        return
    expect(True, "every item is one of the letters A to F")
    if not expect(len(set(items)) == len(items), "no letter appears twice", "Give each letter once."):
        return
    if not expect(items == sorted(items), "the letters are sorted", "Use sorted(...) on your list."):
        return
    want = _printable_4_4()
    extra = [x for x in items if x not in want]
    more = f" ({len(extra)} letters in your list do not pass; this is the first.)" if len(extra) > 1 else ""
    if not expect(not extra, "every sentence in the list can be printed as it stands",
                  _SENTENCE_HINTS[extra[0]] + more if extra else ""):
        return
    missing = [x for x in want if x not in items]
    more = f" ({len(missing)} letters are missing; this is the first.)" if len(missing) > 1 else ""
    expect(not missing, "no sentence that can be printed as it stands is missing",
           _SENTENCE_HINTS[missing[0]] + more if missing else "")
