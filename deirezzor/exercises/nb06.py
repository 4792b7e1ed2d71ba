"""Checks for instructor/06-competing-narratives.ipynb (convention: deirezzor/checks.py).

Every check's first failing line names the mistake a student most likely made
(tests/test_hints_nb06.py feeds the typical wrong answers).
"""
import re

import pandas as pd

from deirezzor import load
from deirezzor.checks import describe_crash, exercise, expect, expect_verdicts, type_name


# Exercise 6.1: unnamed speakers to sort into three kinds of voice (the notebook's section 2).
VOICE_ROWS = ["Q05", "Q11", "Q21", "Q31", "Q33", "Q48"]
VOICES = ("anonymous", "institutional", "document")


def voice_kind(role: str) -> str:
    """The kind of unnamed voice a role describes: a person who asked not to be named, a report or
    summary speaking for the body that wrote it, or an organisation's own statement."""
    text = role.lower()
    if "anonymous" in text:
        return "anonymous"
    if any(w in text for w in ("investigation", "summary", "report", "board of inquiry")):
        return "document"
    return "institutional"


@exercise("6.1", checks="the answer is a dict giving each of Q05, Q11, Q21, Q31, Q33 and Q48 one kind of "
                        "voice: 'anonymous', 'institutional' or 'document', as its role describes it")
def _(answer):
    if not expect(isinstance(answer, dict), "the answer is a dict",
                  f"You gave {type_name(answer)}. Build a dict like {{'Q05': 'anonymous', 'Q11': ..., ...}}."):
        return
    keys = sorted(str(k).strip().upper() for k in answer)
    missing = [q for q in VOICE_ROWS if q not in keys]
    extra = [k for k in keys if k not in VOICE_ROWS]
    if not expect(not missing and not extra, "its keys are the six statement ids Q05, Q11, Q21, Q31, Q33 and Q48",
                  ((f"{missing[0]} is missing. " if missing else f"{extra[0]} is not one of the six rows. ")
                   + "Give one entry for each of the six statements, keyed by its id.")
                  if missing or extra else ""):
        return
    given = {str(k).strip().upper(): v for k, v in answer.items()}
    odd = [q for q in VOICE_ROWS if not (isinstance(given[q], str) and given[q].strip().lower() in VOICES)]
    if not expect(not odd, "every value is 'anonymous', 'institutional' or 'document'",
                  (f"{odd[0]} has {given[odd[0]]!r}. Use one of the three texts 'anonymous', "
                   "'institutional' or 'document'.") if odd else ""):
        return
    statements = load("statements").set_index("statement_id")
    said = {q: given[q].strip().lower() for q in VOICE_ROWS}
    for kind, question in [
        ("anonymous", "a person who asked not to be named"),
        ("document", "a report or summary that speaks for the body that wrote it"),
        ("institutional", "an organisation's own statement, with no person named"),
    ]:
        rows = [q for q in VOICE_ROWS if voice_kind(statements.at[q, "role"]) == kind]
        wrong = [q for q in rows if said[q] != kind]
        hint = ""
        if wrong:
            q = wrong[0]
            hint = (f"{q}: read its role, '{statements.at[q, 'role']}'. Is the voice a person who asked "
                    "not to be named, an organisation speaking, or a report?")
        expect(not wrong, f"every row whose role describes {question} is '{kind}'", hint)


# Exercise 6.2: a statement is "from its own side's statement" when the cited document is an
# official statement published from the speaker's own side and no outlet stands in between.
def own_statement_ids() -> list[str]:
    statements = load("statements")
    sources = load("sources")[["source_id", "kind", "perspective"]]
    both = statements.merge(sources, on="source_id", how="left")
    mask = ((both["kind"] == "official_statement") & (both["perspective"] == both["side"])
            & both["reported_via"].isna())
    return sorted(both.loc[mask, "statement_id"])


@exercise("6.2", checks="the answer is the sorted list of statement_ids whose cited source is an official "
                        "statement from the speaker's own side, with no outlet named in reported_via")
def _(answer):
    if isinstance(answer, (pd.Series, pd.Index, set, tuple)):
        hint = f"You gave {type_name(answer)}. Turn it into a list with sorted(...)."
    elif isinstance(answer, pd.DataFrame):
        hint = "You gave a whole table (a DataFrame). Take its statement_id column and use sorted(...)."
    else:
        hint = f"You gave {type_name(answer)}. The answer is a list of statement ids, e.g. ['Q01', ...]."
    if not expect(isinstance(answer, list), "the answer is a list", hint):
        return
    if not expect(all(isinstance(x, str) for x in answer), "it holds statement ids (texts such as 'Q01')",
                  "Put the statement_id values in the list, not row numbers or whole rows."):
        return
    ids = [x.strip().upper() for x in answer]
    if not expect(ids == sorted(set(ids)), "it is sorted and names each statement once",
                  "Use sorted(...) on the selected statement_id values (after dropping duplicates)."):
        return
    statements = load("statements").set_index("statement_id")
    unknown = [i for i in ids if i not in statements.index]
    if not expect(not unknown, "every id is a statement_id of the statements table",
                  f"{unknown[0]} is not a statement_id." if unknown else ""):
        return
    sources = load("sources").set_index("source_id")
    via = [i for i in ids if pd.notna(statements.at[i, "reported_via"])]
    expect(not via, "no statement in it names an outlet in reported_via",
           (f"{via[0]} reached its source through {statements.at[via[0], 'reported_via']}: an outlet "
            "stands between the speaker and the document. Keep only rows where reported_via is empty.")
           if via else "")
    kinds = [i for i in ids if sources.at[statements.at[i, "source_id"], "kind"] != "official_statement"]
    if kinds:
        sid = statements.at[kinds[0], "source_id"]
        hint = (f"{kinds[0]} rests on {sid}, {sources.at[sid, 'publisher']}, whose kind is "
                f"'{sources.at[sid, 'kind']}'. An empty reported_via is not first-hand: join the sources "
                "table and keep only official statements.")
    else:
        hint = ""
    expect(not kinds, "every statement in it rests on a source of kind 'official_statement'", hint)
    other = [i for i in ids if i not in kinds
             and sources.at[statements.at[i, "source_id"], "perspective"] != statements.at[i, "side"]]
    expect(not other, "every statement in it comes from a source of the speaker's own side (perspective = side)",
           (f"{other[0]}: its source's perspective is not the speaker's side. Compare perspective "
            "with side.") if other else "")
    expected = own_statement_ids()
    missed = [i for i in expected if i not in ids]
    expect(not missed, "it includes every statement that meets all three conditions",
           (f"You left out {missed[0]}: its source is an official statement from the speaker's own "
            "side, and no outlet is named.") if missed else "")


def _message(err: BaseException) -> str:
    """'KeyError: 'organization'' for a hint (no addresses, no judging words)."""
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", f"{type(err).__name__}: {err}")
    return type(err).__name__ if re.search("correct", text, re.IGNORECASE) else text


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
    crashed = [s for s in _ROWS if isinstance(out[s], Exception)]
    if not expect(not crashed, "it runs without an error on each of the rows tried",
                  (describe_crash(out[crashed[0]], f"row {crashed[0]} of statements").rstrip(".")
                   + f" ({_message(out[crashed[0]])}). Try "
                   f"attribution(by_id.loc['{crashed[0]}']) yourself to see where it stops.") if crashed else ""):
        return
    if all(v is None for v in out.values()):
        hint = "Your function returns None: it prints the sentence instead of returning it. Use return."
    else:
        bad = [s for s in _ROWS if not isinstance(out[s], str)]
        hint = (f"For {bad[0]} it returned {type_name(out[bad[0]])}. Return one sentence as a text (str)."
                if bad else "")
    if not expect(all(isinstance(v, str) for v in out.values()),
                  "it returns a string for each of the rows tried", hint):
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
    if not expect(isinstance(answer, dict), "the answer is a dict",
                  f"You gave {type_name(answer)}. Build {{\"deliberate\": [...], \"accident\": [...]}}."):
        return
    if not expect(set(answer) == {"deliberate", "accident"},
                  "its keys are 'deliberate' and 'accident'",
                  f"You used the keys {sorted(map(str, answer))}. Use exactly \"deliberate\" and \"accident\"."):
        return
    odd = [k for k, v in answer.items()
           if not (isinstance(v, list) and all(isinstance(x, str) for x in v))]
    if odd:
        v = answer[odd[0]]
        hint = (f"The value of {odd[0]!r} is {type_name(v)}. "
                + ("Turn it into a list with sorted(...)." if isinstance(v, (pd.Series, pd.Index, set, tuple))
                   else "Give a list of statement ids, e.g. ['Q09', ...]."))
    else:
        hint = ""
    if not expect(not odd, "each value is a list of statement ids (texts such as 'Q09')", hint):
        return
    statements = load("statements")

    def ids(claims):
        return sorted(statements.loc[statements["claim"].isin(claims), "statement_id"])

    expect(all(list(v) == sorted(v) and len(set(v)) == len(v) for v in answer.values()),
           "each list is sorted and names each statement once",
           "Use sorted(...) on the selected statement_id values.")
    got = set(answer["deliberate"])
    if got == set(ids(["deliberate"])):
        hint = "Your list has only the claim 'deliberate'. Add the rows labelled 'deliberate_implied' too."
    elif got == set(ids(["deliberate_implied"])):
        hint = "Your list has only the claim 'deliberate_implied'. Add the rows labelled 'deliberate' too."
    else:
        hint = "Select both claim labels with .isin([...]) and take the statement_id column."
    expect(got == set(ids(["deliberate", "deliberate_implied"])),
           "'deliberate' holds the statements labelled deliberate or deliberate_implied", hint)
    got = set(answer["accident"])
    want = set(ids(["accident", "regret", "misidentification"]))
    if got < want:
        hint = ("Some rows are missing: select all three labels, 'accident', 'regret' and "
                "'misidentification', with .isin([...]).")
    else:
        hint = "Select the three claim labels with .isin([...]) and take the statement_id column."
    expect(got == want, "'accident' holds the statements labelled accident, regret or misidentification", hint)


# Exercise 6.5: sentences about how the accusations were received, each to be judged against the
# reception rows (T25–T30, T06).  The verdicts rest on these rows; the check re-reads them so that a
# change in the data cannot leave a stale verdict unnoticed.
RECEPTION_VERDICTS = ("supported", "contradicted", "goes beyond the data")


def reception_verdicts() -> dict[str, str]:
    at = load("attributions").set_index("attribution_id")
    out = {}
    # A. "Western media dismissed the accusation as conspiracy theories."  T27 speaks of outlets run from
    # the coalition's member states, and of "very few" taking it seriously: the sentence widens both.
    out["A"] = "goes beyond the data" if "very few" in at.at["T27", "passage"] else "supported"
    # B. "Pro-government Syrian outlets circulated the accusation widely."  T25 asserts exactly that.
    out["B"] = "supported" if at.at["T25", "stance"] == "asserts" else "goes beyond the data"
    # C. "Analysts in the U.S. and the U.K. backed the Russian and Syrian accusation."  T06 gives the
    # opposite reading: an attempt to ASSIST government forces, not to strike them.
    out["C"] = "contradicted" if "assist" in at.at["T06", "cause"] else "goes beyond the data"
    # D. "The U.S. and its allies rejected the accusation that the coalition acted as ISIL's air force."
    out["D"] = "supported" if at.at["T29", "stance"] == "denies" else "goes beyond the data"
    return out


def _reception_word(text) -> str | None:
    if not isinstance(text, str):
        return None
    t = " ".join(text.strip().lower().replace("_", " ").split())
    t = {"goes beyond": "goes beyond the data", "beyond the data": "goes beyond the data"}.get(t, t)
    return t if t in RECEPTION_VERDICTS else None


_RECEPTION_HINTS = {
    ("A", "supported"): "A: read T27's words again. Who are the outlets (which countries?), and how many of them "
                        "took the accusation seriously? Does 'Western media dismissed it' say the same?",
    ("A", "contradicted"): "A: T27 does describe coalition-country outlets largely treating the accusations as "
                           "conspiracy theories, so the sentence is not the opposite of the data. Is it wider?",
    ("B", "contradicted"): "B: T25 says pro-government Syrian outlets circulated the accusation widely.",
    ("B", "goes beyond the data"): "B: compare the sentence with T25's words: they say the same thing.",
    ("C", "supported"): "C: T06 reads the strikes as an attempt to assist government forces. Is that the "
                        "accusation of Russia and Syria, or its opposite?",
    ("C", "goes beyond the data"): "C: T06 does say something about this: it reads the strikes as help for "
                                   "government forces, the opposite of the accusation.",
    ("D", "contradicted"): "D: T29 is the U.S. and its allies rejecting the 'ISIL's airforce' accusation.",
    ("D", "goes beyond the data"): "D: compare the sentence with T29: its stance is 'denies', and its claimant is "
                                   "the U.S. and its allies.",
}


@exercise("6.5", checks="the answer is a dict giving sentences A–D about the reception one verdict each "
                        "('supported', 'contradicted' or 'goes beyond the data'), as rows T25–T30 and T06 allow")
def _(answer):
    said = expect_verdicts(answer, RECEPTION_VERDICTS, _reception_word, noun="sentence")
    if said is None:
        return
    expected = reception_verdicts()
    rows = {"A": "T27", "B": "T25", "C": "T06", "D": "T29"}
    for letter in "ABCD":
        ok = said[letter] == expected[letter]
        expect(ok, f"sentence {letter} gets the verdict row {rows[letter]} allows",
               "" if ok else _RECEPTION_HINTS.get((letter, said[letter]),
                                                   f"{letter}: read row {rows[letter]} again."))
