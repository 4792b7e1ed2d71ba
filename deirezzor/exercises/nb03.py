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
from deirezzor.checks import describe_crash, exercise, expect, type_name

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
SENTENCES_3_1 = "ABCD"


def supported_3_1() -> list[str]:
    """The sentences about C10 that the row supports, decided from its columns (see the exercise text).

    A: "The coalition's investigation found that 15 soldiers were killed." (the figure as a total)
    B: "According to NPR, the coalition's investigators could only confirm 15 deaths." (the source's words)
    C: "According to NPR, the investigators confirmed that at least 15 soldiers were killed in the strikes."
       (the reading rule: a confirmed number is a lower bound)
    D: "In September 2016, according to NPR, the coalition's investigators could only confirm 15 deaths."
    """
    c10 = load("casualty_estimates").set_index("estimate_id").loc["C10"]
    ok = []
    if c10["killed_reading"] == "point":
        ok.append("A")
    if c10["killed_qualifier"] == "could only confirm" and "NPR" in c10["reported_by"]:
        ok.append("B")
    if c10["killed_reading"] == "lower_bound" and c10["scope"] == "coalition_strikes":
        ok.append("C")
    if c10["date_precision"] in ("day", "month") and c10["date_reported"].strftime("%Y-%m") == "2016-09":
        ok.append("D")
    return ok


_WHY_3_1 = {
    "A": "Look at A again: compare its verb ('found that 15 ... were killed') with C10's killed_qualifier "
         "and killed_reading, and whom it credits with C10's reported_by.",
    "B": "Look at B again: compare its words with C10's number_as_given, and its 'according to' with "
         "C10's reported_by.",
    "C": "Look at C again: what does the rules table read from 'could only confirm n'? A sentence can "
         "reword a source and still be supported, if it says no more than the source.",
    "D": "Look at D again: compare its date with C10's date_reported (the When reported column of "
         "section 1's table).",
}


@exercise("3.1", checks="the answer lists, sorted, the letters of the sentences that row C10 of "
                        "data/casualty_estimates supports (its wording, reading rule, date and attribution)")
def _(answer):
    if isinstance(answer, str) and answer.strip():
        expect(False, "the answer is a list of letters",
               f'You gave the text {answer!r}. Put each letter in its own quotes, inside a list: ["X", "Y"].')
        return
    if not expect(isinstance(answer, list) and all(isinstance(a, str) for a in answer),
                  "the answer is a list of letters",
                  f"You gave {type_name(answer)}; " + ("wrap it in sorted(...), which gives a list."
                                                        if isinstance(answer, (tuple, set)) else
                                                        'give the letters in a list, e.g. ["X", "Y"].')):
        return
    odd = [a for a in answer if a not in SENTENCES_3_1]
    if not expect(not odd, "every item is one of the capital letters A, B, C, D",
                  f"{odd[0]!r} is not one of them. Use the sentence letters, in capitals, e.g. \"B\"." if odd else ""):
        return
    expect(len(set(answer)) == len(answer), "no letter appears twice", "List each sentence once.")
    expect(list(answer) == sorted(answer), "the list is sorted", "Wrap the letters in sorted(...).")
    want = supported_3_1()
    for letter in SENTENCES_3_1:      # stop at the first sentence judged wrongly: one hint at a time
        if not expect((letter in answer) == (letter in want), f"sentence {letter} is judged right",
                      _WHY_3_1[letter]):
            return


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
REASONS_3_3 = ("latest", "highest", "exact", "dated", "scope")


def choices_3_3() -> list[tuple[str, str]]:
    """The model answer, from the columns: [(SOHR's last figure, why), (the Syrian figure for the strikes, why)].

    1. Among SOHR's figures for the strikes, the last is the one whose timing words count from another
       SOHR figure and from which no other SOHR figure counts (none of them has a date).
    2. Among the Syrian government's figures reported 'In late September', the one whose scope is the strikes.
    """
    est = load("casualty_estimates").set_index("estimate_id")
    sohr = est[est["reported_by"].str.startswith("Syrian Observatory") & est["scope"].eq("coalition_strikes")]
    ref = sohr["timing_relative_to"]
    last = [i for i in sohr.index if ref[i] in sohr.index and ref[i] != i and i not in set(ref.dropna())]
    syrian = _late_september_syrian(est)
    strikes = list(syrian.index[syrian["scope"].eq("coalition_strikes")])
    assert len(last) == 1 and len(strikes) == 1, (last, strikes)
    return [(last[0], "latest"), (strikes[0], "scope")]


def _late_september_syrian(est: pd.DataFrame) -> pd.DataFrame:
    return est[est["side"].eq("syrian_government") & est["timing_as_given"].eq("In late September")]


def _reason_hint_3_3(part: int, row: str, reason: str, est: pd.DataFrame) -> str:
    if part == 1:
        return {
            "highest": "It may be the largest, but the purpose does not ask for the largest number: a revised "
                       "count can also be lower (SOHR's wounded fell). What makes it SOHR's revised figure?",
            "exact": "A bare number is exact only by our reading rule (section 2), not by SOHR's words, and "
                     "the purpose does not ask for a bare number. What makes it SOHR's revised figure?",
            "dated": "None of SOHR's figures has a date: date_reported is empty for all of them. "
                     "Which column places one after the others?",
            "scope": "All of SOHR's rows cover the strikes, so scope cannot pick one of them.",
        }.get(reason, "")
    return {
        "exact": f"{row} is not a bare number read as a point (its killed_reading is "
                 f"{est.at[row, 'killed_reading']!r}), and precision is not why it is the right row.",
        "latest": "Both late-September rows come from one sentence, so neither is later.",
        "dated": "Both late-September rows carry the same date precision, so the date cannot pick one.",
        "highest": "The right row is not chosen for its size: compare what each row counts (Covers, scope) "
                   "with what SOHR's figures count.",
    }.get(reason, "")


@exercise("3.3", checks="the answer is a list of two (estimate_id, reason) tuples: SOHR's revised figure and the "
                        "Syrian government's late-September figure comparable with SOHR's, each with the reason "
                        "the purpose turns on, decided from the columns of data/casualty_estimates")
def _(answer):
    shape = 'a list of two tuples, one per purpose, e.g. [("C98", "exact"), ("C99", "dated")]'
    if isinstance(answer, tuple) and len(answer) == 2 and all(isinstance(a, str) for a in answer):
        problem = f"You gave one tuple. There are two purposes: give {shape}."
    elif not isinstance(answer, list):
        problem = f"You gave {type_name(answer)}; give {shape}."
    elif len(answer) != 2:
        problem = (f"Your list has {len(answer)} item(s); give one (estimate_id, reason) tuple per purpose, "
                   "two in all, in the order of the purposes.")
    elif any(isinstance(a, list) for a in answer):
        problem = "Each item is a list; write it as a tuple, with round brackets: (\"C98\", \"exact\")."
    elif not all(isinstance(a, tuple) and len(a) == 2 and all(isinstance(x, str) for x in a) for a in answer):
        problem = "Each item must be a tuple of two texts, (estimate_id, reason), e.g. (\"C98\", \"exact\")."
    else:
        problem = ""
    if not expect(not problem, "the answer is a list of two tuples (estimate_id, reason)", problem):
        return
    est = load("casualty_estimates").set_index("estimate_id")
    unknown = [r for r, _ in answer if r not in est.index]
    if not expect(not unknown, "each tuple starts with an estimate_id of the table",
                  f"{unknown[0]!r} is not an estimate_id; write ids as in the table, e.g. \"C01\"." if unknown else ""):
        return
    odd = [why for _, why in answer if why not in REASONS_3_3]
    words = ", ".join(f"'{r}'" for r in REASONS_3_3)
    if not expect(not odd, f"each reason is one of {words}",
                  f"{odd[0]!r} is not one of them: pick the reason from the list, as written." if odd else ""):
        return
    (row1, why1), (row2, why2) = answer
    (want1, reason1), (want2, reason2) = choices_3_3()
    sohr = est.index[est["reported_by"].str.startswith("Syrian Observatory") & est["scope"].eq("coalition_strikes")]
    if not expect(row1 in sohr, "purpose 1: the row is one of SOHR's figures for the strikes",
                  f"{row1} is not a figure of the Syrian Observatory for Human Rights (SOHR) for the strikes. "
                  "The first tuple answers purpose 1; look at reported_by and scope."):
        return
    later = est.index[est["timing_relative_to"].eq(row1)].intersection(sohr)
    expect(row1 == want1, "purpose 1: it is SOHR's revised figure",
           f"The article places another SOHR figure after {row1}: look for a row whose timing_relative_to is "
           f"{row1}." if len(later) else
           f"{row1} is in the article's lead, which gives no time for it. Read timing_as_given and "
           "timing_relative_to of SOHR's rows: which one does the article place after the others?")
    expect(why1 == reason1, "purpose 1: the reason is the one that picks that row",
           _reason_hint_3_3(1, row1, why1, est))
    syrian = _late_september_syrian(est)
    if not expect(row2 in syrian.index,
                  "purpose 2: the row is a Syrian government figure reported in late September",
                  f"{row2} is not one: look for side 'syrian_government' and timing_as_given "
                  "'In late September'." + (" C11 is the figure NPR cited in November, not Al-Masdar's "
                                            "report." if row2 == "C11" else "")):
        return
    expect(row2 == want2, "purpose 2: the row counts the same thing as SOHR's figures",
           f"{row2} counts soldiers killed at Jabal Thardeh by the coalition (scope "
           f"{est.at[row2, 'scope']!r}), not only in the strikes that SOHR's figures count. Which row of "
           "the same report counts what SOHR's rows count?")
    expect(why2 == reason2, "purpose 2: the reason is the one that picks that row",
           _reason_hint_3_3(2, row2, why2, est))


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
