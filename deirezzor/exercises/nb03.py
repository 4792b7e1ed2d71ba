"""Checks for notebooks/03-casualty-estimates.ipynb (convention: deirezzor/checks.py)."""
import math
import numbers

import pandas as pd

from deirezzor import load
from deirezzor.checks import exercise, expect, is_whole

SOLDIER_SCOPES = ("coalition_strikes", "jabal_thardeh_by_coalition")




def _soldiers() -> pd.DataFrame:
    est = load("casualty_estimates")
    return est[est["victims"].eq("syrian_soldiers") & est["scope"].isin(SOLDIER_SCOPES)]


def _id_list(answer) -> bool:
    return (isinstance(answer, (list, tuple))
            and all(isinstance(a, str) for a in answer))


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


@exercise("3.1", checks="the answer is C07's killed_stated minus the smallest whole number above "
                        "half of it, from data/casualty_estimates")
def _(answer):
    if not expect(is_whole(answer), "the answer is a whole number",
                  "People are counted in whole numbers; wrap your calculation in int(...)."):
        return
    est = load("casualty_estimates").set_index("estimate_id")
    total = int(est.at["C07", "killed_stated"])
    in_strikes = total // 2 + 1
    expect(0 <= answer < total / 2, "it is less than half of C07's total",
           "More than half died in the strikes, so fewer than half can have died elsewhere.")
    expect(answer != total - total // 2, "it does not count exactly half as 'more than half'",
           "'More than half' excludes exactly half: the strikes account for at least total // 2 + 1.")
    expect(answer == total - in_strikes, "it equals the total minus the smallest number 'more than half' allows",
           "Find the smallest whole number above half of the total, then subtract it from the total.")
    expect(total - answer == int(est.at["C08", "killed_low"]),
           "total minus your answer equals the lower bound the data stores for C08",
           "C08's killed_low is read from the same sentence; compare with it.")


def _bound_cases():
    """(estimate_id, column prefix, qualifier, n, low, high) for every figure with one number."""
    est = load("casualty_estimates")
    cases = []
    for prefix in ("killed", "wounded"):
        for _, row in est.sort_values("estimate_id").iterrows():
            q = row[f"{prefix}_qualifier"]
            if pd.isna(q) or q == "range":
                continue
            if q.startswith("more than half of"):
                n = int(q.rsplit(" ", 1)[1])
            elif pd.isna(row[f"{prefix}_stated"]):
                continue
            else:
                n = int(row[f"{prefix}_stated"])
            cases.append((row["estimate_id"], prefix, q, n, row[f"{prefix}_low"], row[f"{prefix}_high"]))
    return cases


_BOUND_HINTS = {
    "exactly": "An exact figure allows only itself, as both the lowest and the highest number.",
    "at least": "'At least' sets a floor and no ceiling; return None for a bound the wording does not set.",
    "over": "People are counted in whole numbers: what is the smallest whole number over n?",
    "about": "The data sets no bounds for 'about': any margin would be our guess, not the source's.",
    "around": "The data sets no bounds for 'around': any margin would be our guess, not the source's.",
}
_HALF_HINT = ("'More than half' excludes exactly half, and counts are whole numbers; "
              "the most it allows is all n.")


@exercise("3.2", checks="bounds(qualifier, n) returns the (low, high) stored in data/casualty_estimates "
                        "for every killed and wounded figure with a qualifier and one number")
def _(answer):
    if not expect(callable(answer), "the answer is a function",
                  "Assign the function itself, without brackets: answer_3_2 = bounds."):
        return
    by_qualifier: dict[str, list] = {}
    for case in _bound_cases():
        by_qualifier.setdefault(case[2], []).append(case)
    for q in sorted(by_qualifier):
        cases = by_qualifier[q]
        failed = []
        for eid, prefix, _, n, low, high in cases:
            try:
                got = answer(q, n)
                ok = (isinstance(got, tuple) and len(got) == 2
                      and _same_bound(got[0], low) and _same_bound(got[1], high))
            except Exception:  # noqa: BLE001 - a raising function fails this case only
                ok = False
            if not ok:
                failed.append(f"{eid} {prefix}")
        hint = _HALF_HINT if q.startswith("more than half of") else _BOUND_HINTS.get(
            q, "Return a tuple (low, high), with None for a bound that is not set.")
        if failed:
            hint = f"Differs for: {', '.join(failed)}. " + hint
        expect(not failed,
               (f"bounds({q!r}, n) gives the stored (low, high) for each of the {len(cases)} figures "
                "worded that way" if len(cases) > 1 else
                f"bounds({q!r}, n) gives the stored (low, high) for the one figure worded that way"),
               hint)


@exercise("3.3", checks="the answer lists, sorted, the estimates in the whole of data/casualty_estimates "
                        "(all victims, all scopes) whose killed_high is empty")
def _(answer):
    if not expect(_id_list(answer), "the answer is a list of strings",
                  'Give estimate ids as strings in a list, e.g. ["C98", "C99"]; sorted(...) gives a list.'):
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


@exercise("3.4", checks="the answer is a sorted list of strikes estimates whose ranges share a number, "
                        "as many as any such set in data/casualty_estimates")
def _(answer):
    if not expect(_id_list(answer), "the answer is a list of strings",
                  'Give estimate ids as strings in a list, e.g. ["C98", "C99"].'):
        return
    est = load("casualty_estimates")
    strikes = est[est["victims"].eq("syrian_soldiers") & est["scope"].eq("coalition_strikes")]
    strikes = strikes.set_index("estimate_id")
    low = strikes["killed_low"].astype(float)
    high = strikes["killed_high"].astype(float).fillna(math.inf)
    if not expect(set(answer) <= set(strikes.index),
                  "every id is an estimate of soldiers killed in the strikes",
                  "Use only the rows with scope coalition_strikes (the strikes table of section 5)."):
        return
    expect(len(set(answer)) == len(answer), "no id appears twice", "List each estimate once.")
    expect(list(answer) == sorted(answer), "the list is sorted", "Wrap the ids in sorted(...).")
    ids = sorted(set(answer))
    share = bool(ids) and low[ids].max() <= high[ids].min()
    expect(share, "one number lies inside every range in the set",
           "Compare the highest killed_low of your set with its lowest upper bound "
           "(an empty killed_high means no upper bound).")
    candidates = sorted(set(low.dropna().astype(int)))      # a common point can be taken at a lower bound
    largest = max(int(((low <= k) & (high >= k)).sum()) for k in candidates)
    expect(len(ids) == largest, "no compatible set of strikes estimates is larger",
           "Count, for each whole number k, how many ranges contain it; the largest count is the size to reach.")
