"""Checks for notebooks/06-competing-narratives.ipynb (convention: deirezzor/checks.py)."""
import math
import re

import pandas as pd

from deirezzor import load
from deirezzor.checks import exercise, expect, is_whole




@exercise("6.1", checks="the answer is a whole number: the rows of data/statements whose speaker is 'unnamed'")
def _(answer):
    if not expect(is_whole(answer), "the answer is a whole number",
                  "Counting gives a whole number; .sum() of True/False values is one (wrap it in int(...))."):
        return
    statements = load("statements")
    expect(0 <= answer <= len(statements),
           "it is between 0 and the number of statements",
           "You are counting rows of statements: not negative, not more than the table has.")
    expect(answer == int((statements["speaker"] == "unnamed").sum()),
           "it equals the number of statements whose speaker is 'unnamed'",
           'Compare the speaker column with "unnamed" (lower case) and sum the result.')


@exercise("6.2", checks="the answer is a Series: for each side in data/statements, the share of its "
                        "statements with reported_via filled in")
def _(answer):
    if not expect(isinstance(answer, pd.Series), "the answer is a pandas Series",
                  "groupby(...)[...].mean() or .groupby(...).mean() on a Series gives a Series."):
        return
    statements = load("statements")
    expected = statements["reported_via"].notna().groupby(statements["side"]).mean()
    if not expect(set(map(str, answer.index)) == set(expected.index),
                  "its index holds each side in the statements table, once",
                  "Group by the side column, so that every side appears, including those with a share of 0."):
        return
    values = pd.to_numeric(answer, errors="coerce").astype(float)
    if not expect(bool(values.between(0, 1).all()), "every value is a share between 0 and 1",
                  "A share is a count divided by the side's number of statements; .mean() of True/False gives it."):
        return
    got = values.rename(index=str)
    expect(all(math.isclose(got[s], float(expected[s]), abs_tol=1e-9) for s in expected.index),
           "each value equals the share of that side's statements with reported_via filled in",
           "Use .notna() on reported_via (an empty cell is missing), then the mean per side.")


_BAD = re.compile(r"\bnan\b|<NA>|\bNaT\b|\bNone\b")
_ROWS = ["Q01", "Q05", "Q14", "Q31", "Q47"]


@exercise("6.3", checks="the answer is a function; called on rows Q01, Q05, Q14, Q31 and Q47 of data/statements "
                        "it returns sentences with speaker, role, organisation, venue, date, quote and outlet")
def _(answer):
    if not expect(callable(answer), "the answer is a function",
                  "Assign the function itself, without brackets: answer_6_3 = attribution"):
        return
    rows = load("statements").set_index("statement_id")
    out = {}
    for sid in _ROWS:
        try:
            out[sid] = answer(rows.loc[sid])
        except Exception as err:  # reported as a failed check, with the reason
            out[sid] = err
    if not expect(all(isinstance(v, str) for v in out.values()),
                  "it returns a string for each of the rows tried",
                  "Return the sentence (not print it). Errors: " + "; ".join(
                      f"{k}: {type(v).__name__}: {v}" for k, v in out.items() if isinstance(v, Exception))
                  if any(isinstance(v, Exception) for v in out.values()) else
                  "Return the sentence with return, do not print it."):
        return
    named = [s for s in _ROWS if rows.at[s, "speaker"] != "unnamed"]
    unnamed = [s for s in _ROWS if rows.at[s, "speaker"] == "unnamed"]
    expect(all(rows.at[s, "speaker"] in out[s] for s in named)
           and all("unnamed" in out[s].lower() for s in unnamed),
           "it gives the speaker's name, or the word 'unnamed' for an unnamed speaker",
           "Test row['speaker'] == 'unnamed' and choose the wording.")
    expect(all(rows.at[s, "role"] in out[s] and rows.at[s, "venue"] in out[s] for s in _ROWS),
           "it gives the role and the venue as they appear in the table",
           "Put row['role'] and row['venue'] into the sentence unchanged.")
    expect(all(rows.at[s, "organisation"] in out[s] for s in _ROWS if pd.notna(rows.at[s, "organisation"])),
           "it gives the organisation when there is one",
           "Include row['organisation'] when pd.notna(...) says it is filled in.")
    day_rows = [s for s in _ROWS if rows.at[s, "date_precision"] == "day"]
    expect(all(f"{rows.at[s, 'date'].day} {rows.at[s, 'date']:%B %Y}" in out[s] for s in day_rows),
           "for a date known to the day it gives it as e.g. '17 September 2016'",
           "Format the date with f\"{d.day} {d:%B %Y}\" when date_precision is 'day'.")
    expect(all(rows.at[s, "quote"] in out[s] for s in _ROWS),
           "it contains the quote exactly as in the table",
           "Copy row['quote'] unchanged between quotation marks; do not shorten or tidy it.")
    expect(all(rows.at[s, "reported_via"] in out[s] for s in _ROWS if pd.notna(rows.at[s, "reported_via"])),
           "it names the outlet when reported_via is filled in",
           "Add e.g. 'as reported by ' + row['reported_via'] when pd.notna(row['reported_via']).")
    expect(not any(_BAD.search(out[s]) for s in _ROWS),
           "it never shows nan, <NA>, NaT or None",
           "A missing cell prints as <NA> or NaT: test it with pd.notna(...) before using it.")


@exercise("6.4", checks="the answer is a dict: the statement_ids labelled deliberate/deliberate_implied, and "
                        "those labelled accident/regret/misidentification, in data/statements")
def _(answer):
    if not expect(isinstance(answer, dict) and set(answer) == {"deliberate", "accident"},
                  "the answer is a dictionary with the keys 'deliberate' and 'accident'",
                  'Build {"deliberate": [...], "accident": [...]} with a sorted list of statement ids in each.'):
        return
    if not expect(all(isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v)
                      for v in answer.values()),
                  "each value is a list of statement ids (strings such as 'Q09')",
                  "sorted(...) of the statement_id column gives a list of strings."):
        return
    statements = load("statements")

    def ids(claims):
        return sorted(statements.loc[statements["claim"].isin(claims), "statement_id"])

    expect(all(list(v) == sorted(v) and len(set(v)) == len(v) for v in answer.values()),
           "each list is sorted and names each statement once",
           "Use sorted(...) on the selected statement_id values.")
    expect(set(answer["deliberate"]) == set(ids(["deliberate", "deliberate_implied"])),
           "'deliberate' holds the statements labelled deliberate or deliberate_implied",
           "Select both claim labels with .isin([...]) and take the statement_id column.")
    expect(set(answer["accident"]) == set(ids(["accident", "regret", "misidentification"])),
           "'accident' holds the statements labelled accident, regret or misidentification",
           "Select the three claim labels with .isin([...]) and take the statement_id column.")
