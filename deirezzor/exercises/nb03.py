"""Checks for instructor/03-casualty-estimates.ipynb (convention: deirezzor/checks.py).

The data keeps two things apart: the words a source put on its number
(``killed_qualifier``: "at least", "over" …, or ``none`` for a bare number) and
the reading rule the data applies to them (``killed_reading``: point,
lower_bound, range, approximate …), which sets ``killed_low``/``killed_high``.
The checks work from those columns, never from typed answers.
tests/test_hints_nb03.py feeds typical wrong answers in and asserts the first
failing line.
"""
import itertools
import math
import numbers
import re

import pandas as pd

from deirezzor import load
from deirezzor.checks import describe_crash, exercise, expect, expect_whole, type_name

SOLDIER_SCOPES = ("coalition_strikes", "jabal_thardeh_by_coalition")


def _soldiers() -> pd.DataFrame:
    est = load("casualty_estimates")
    return est[est["victims"].eq("syrian_soldiers") & est["scope"].isin(SOLDIER_SCOPES)]


def _strikes() -> pd.DataFrame:
    est = load("casualty_estimates")
    return est[est["victims"].eq("syrian_soldiers") & est["scope"].eq("coalition_strikes")].set_index("estimate_id")


def _id_list(answer) -> bool:
    return isinstance(answer, list) and all(isinstance(a, str) for a in answer)


def _expect_id_list(answer) -> bool:
    """First check of an answer that is a list of estimate ids; the hint names what was given."""
    if isinstance(answer, (tuple, set)) and all(isinstance(a, str) for a in answer):
        return expect(False, "the answer is a list of strings",
                      f"You gave {type_name(answer)}; wrap it in sorted(...), which gives a list.")
    if isinstance(answer, pd.Series):
        return expect(False, "the answer is a list of strings",
                      "You gave a pandas Series; sorted(your_series) turns its values into a list.")
    if isinstance(answer, list) and not all(isinstance(a, str) for a in answer):
        return expect(False, "the answer is a list of strings",
                      "Some items are not strings: give the ids as written in estimate_id, e.g. \"C01\", "
                      "not row numbers.")
    return expect(_id_list(answer), "the answer is a list of strings",
                  f'You gave {type_name(answer)}; give the ids in a list, e.g. ["C98", "C99"].')


def _missing(x) -> bool:
    """None, pandas NA or NaN: a bound that is not set."""
    if x is None or x is pd.NA:
        return True
    return isinstance(x, float) and math.isnan(x)


def _same_bound(got, want) -> bool:
    if _missing(want):
        return _missing(got)
    if _missing(got) or isinstance(got, bool):
        return False
    return isinstance(got, numbers.Real) and got == int(want)


# ----------------------------------------------------------------------------- 3.1
@exercise("3.1", checks="the answer is C07's killed_stated minus the smallest whole number above "
                        "half of it, from data/casualty_estimates")
def _(answer):
    if not expect_whole(answer, "people"):
        return
    est = load("casualty_estimates").set_index("estimate_id")
    total = int(est.at["C07", "killed_stated"])
    in_strikes = total // 2 + 1
    expect(answer != total - total // 2, "it does not count exactly half as 'more than half'",
           "'More than half' excludes exactly half: the strikes account for at least total // 2 + 1.")
    expect(0 <= answer <= total / 2, "it is not more than half of C07's total",
           "More than half died in the strikes, so fewer than half can have died elsewhere.")
    expect(answer == total - in_strikes, "it equals the total minus the smallest number 'more than half' allows",
           "Find the smallest whole number above half of the total, then subtract it from the total.")
    expect(total - answer == int(est.at["C08", "killed_low"]),
           "total minus your answer equals the lower bound the data stores for C08",
           "C08's killed_low is read from the same sentence; compare with it.")


# ----------------------------------------------------------------------------- 3.2
def _whole_of(row, est) -> int | None:
    """For 'more than half of': the total it refers to, named in the row's derivation (C08 → C07)."""
    found = re.search(r"\b(C\d\d)\b", str(row["derivation"]))
    if not found or found.group(1) not in est.index:
        return None
    return int(est.at[found.group(1), "killed_stated"])


def bound_cases() -> list[tuple]:
    """(estimate_id, 'killed'/'wounded', wording, n, reading, low, high) for every figure with one number.

    Bare ranges (reading 'range' without a stated number, such as 60–90) are left out:
    they give two numbers, not one.
    """
    est = load("casualty_estimates").set_index("estimate_id")
    cases = []
    for prefix in ("killed", "wounded"):
        for eid, row in est.sort_index().iterrows():
            wording, reading = row[f"{prefix}_qualifier"], row[f"{prefix}_reading"]
            if pd.isna(wording) or pd.isna(reading):
                continue
            if pd.notna(row[f"{prefix}_stated"]):
                n = int(row[f"{prefix}_stated"])
            elif wording == "more than half of":
                n = _whole_of(row, est)
            else:
                n = None
            if n is None:
                continue
            cases.append((eid, prefix, wording, n, reading, row[f"{prefix}_low"], row[f"{prefix}_high"]))
    return cases


_BOUND_HINTS = {
    "none": "A bare number carries no word; the data's rule reads it as a single point (low = high = n).",
    "at least": "'At least' sets a floor and no ceiling; use None for a bound the wording does not set.",
    "over": "People are counted in whole numbers: what is the smallest whole number over n?",
    "could only confirm": "A confirmed minimum is a floor, not an estimate of the total: no ceiling.",
    "about": "The data sets no bounds for 'about': any margin would be our guess, not the source's.",
    "around": "The data sets no bounds for 'around': any margin would be our guess, not the source's.",
    "more than half of": "'More than half' excludes exactly half, and counts are whole numbers; "
                         "the most it allows is all n.",
}


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@exercise("3.2", checks="bounds(wording, n) returns the (reading, low, high) stored in data/casualty_estimates "
                        "for every killed and wounded figure that has a wording and one number")
def _(answer):
    if not expect(callable(answer), "the answer is a function",
                  f"You gave {type_name(answer)}. Assign the function itself, without brackets: "
                  "answer_3_2 = bounds."):
        return
    cases = bound_cases()
    results, crash = [], None
    for case in cases:
        eid, prefix, wording, n = case[:4]
        try:
            results.append((case, answer(wording, n)))
        except Exception as err:  # noqa: BLE001 - the student's function may raise anything
            crash = crash or (err, f"the wording {wording!r} and n={n} ({eid}, {prefix})")
            results.append((case, err))
    if not expect(crash is None, "bounds runs on every wording in the table without raising an error",
                  (describe_crash(*crash) + " Make sure your function handles every wording listed in the "
                   "exercise and returns for each.") if crash else ""):
        return
    wrong_type = [(c, got) for c, got in results if not isinstance(got, tuple)]
    if wrong_type:
        (eid, prefix, wording, n, *_), got = wrong_type[0]
        what = "a list" if isinstance(got, list) else type_name(got)
        expect(False, "bounds returns a tuple (reading, low, high)",
               f"bounds({wording!r}, {n}) returned {what} ({_show(got)}): return a tuple, "
               "e.g. return (reading, low, high).")
        return
    wrong_len = [(c, got) for c, got in results if len(got) != 3]
    if wrong_len:
        (eid, prefix, wording, n, *_), got = wrong_len[0]
        expect(False, "bounds returns a tuple (reading, low, high)",
               f"bounds({wording!r}, {n}) returned {len(got)} values ({_show(got)}): return three, "
               "the reading rule first, then the lowest and the highest number.")
        return
    expect(True, "bounds returns a tuple (reading, low, high)")
    by_wording: dict[str, list] = {}
    for case, got in results:
        by_wording.setdefault(case[2], []).append((case, got))
    for wording in sorted(by_wording):
        items = by_wording[wording]
        bad_reading = [c[0] + " " + c[1] for c, got in items if got[0] != c[4]]
        bad_bounds = [c[0] + " " + c[1] for c, got in items
                      if not (_same_bound(got[1], c[5]) and _same_bound(got[2], c[6]))]
        count = (f"each of the {len(items)} figures" if len(items) > 1 else "the one figure")
        what = f"bounds({wording!r}, n) gives the stored reading, low and high for {count} worded that way"
        if bad_reading:
            want = items[0][0][4]
            hint = (f"Differs for: {', '.join(bad_reading)}: the reading rule the data applies to "
                    f"{wording!r} is {want!r}. " + _BOUND_HINTS.get(wording, ""))
        elif bad_bounds:
            hint = f"Differs for: {', '.join(bad_bounds)}. " + _BOUND_HINTS.get(
                wording, "Return None for a bound the wording does not set.")
        else:
            hint = ""
        expect(not bad_reading and not bad_bounds, what, hint)


# ----------------------------------------------------------------------------- 3.3
@exercise("3.3", checks="the answer lists, sorted, the estimates in the whole of data/casualty_estimates "
                        "(all victims, all scopes) whose killed_high is empty")
def _(answer):
    if not _expect_id_list(answer):
        return
    est = load("casualty_estimates")
    open_ended = sorted(est.loc[est["killed_high"].isna(), "estimate_id"])
    soldiers_only = sorted(set(open_ended) & set(_soldiers()["estimate_id"]))
    expect(set(answer) <= set(est["estimate_id"]),
           "every id is an estimate_id of the casualty_estimates table",
           "Use the estimate_id column, not the row numbers.")
    expect(len(set(answer)) == len(answer), "no id appears twice",
           "Each estimate should be listed once.")
    expect(list(answer) == sorted(answer), "the list is sorted", "Wrap the ids in sorted(...).")
    expect(sorted(set(answer)) != soldiers_only,
           "it is not limited to the soldiers rows shown in the chart",
           "Work on estimates (the whole table), not on soldiers.")
    expect(set(answer) == set(open_ended),
           "it holds exactly the rows whose killed_high is empty",
           "Use killed_high.isna(); killed_low being empty is a different question, and a row with no bounds "
           "at all has no upper bound either.")


# ----------------------------------------------------------------------------- 3.4
def _read_by_rule(strikes: pd.DataFrame) -> list[str]:
    """Rows whose exactness is the data's rule, not the source's words: a bare number read as a point."""
    return sorted(strikes.index[strikes["killed_qualifier"].eq("none") & strikes["killed_reading"].eq("point")])


def _share_a_number(strikes: pd.DataFrame, reread: set[str]) -> bool:
    low = strikes["killed_low"].astype(float)
    high = strikes["killed_high"].astype(float).fillna(math.inf)
    high = high.where(~high.index.isin(sorted(reread)), math.inf)   # re-read as "at least n"
    return bool(low.max() <= high.min())


def smallest_rereadings(strikes: pd.DataFrame) -> list[list[str]]:
    """Every smallest set of point-read bare numbers whose re-reading as 'at least n' makes all rows share a number."""
    candidates = _read_by_rule(strikes)
    for size in range(len(candidates) + 1):
        found = [sorted(s) for s in itertools.combinations(candidates, size)
                 if _share_a_number(strikes, set(s))]
        if found:
            return found
    return []


@exercise("3.4", checks="the answer is a sorted list of bare-number strikes estimates, as few as possible, "
                        "whose re-reading as 'at least n' lets every strikes range in data/casualty_estimates "
                        "share a number")
def _(answer):
    if not _expect_id_list(answer):
        return
    strikes = _strikes()
    if not expect(set(answer) <= set(strikes.index),
                  "every id is an estimate of soldiers killed in the strikes",
                  "Use only the rows of strikes (scope coalition_strikes, section 5)."):
        return
    expect(len(set(answer)) == len(answer), "no id appears twice", "List each estimate once.")
    expect(list(answer) == sorted(answer), "the list is sorted", "Wrap the ids in sorted(...).")
    by_rule = set(_read_by_rule(strikes))
    worded = sorted(set(answer) - by_rule)
    if not expect(not worded, "every id is a bare number that the data reads as a point",
                  f"{', '.join(worded)}: the bounds of these rows come from the source's own words "
                  "(killed_qualifier is not 'none', or the reading is not 'point'). "
                  "You may re-read only the data's rule, not what a source said."):
        return
    ok = _share_a_number(strikes, set(answer))
    if not expect(ok, "after re-reading them as 'at least n', one number lies inside every strikes range",
                  "Some ranges still share no number. Compare the highest killed_low with the lowest "
                  "upper bound after your re-reading: which rows set that upper bound?"):
        return
    smallest = smallest_rereadings(strikes)
    expect(smallest and len(answer) == len(smallest[0]), "no smaller set of re-readings would do",
           "A smaller set also works: try leaving each row out in turn and test again.")
