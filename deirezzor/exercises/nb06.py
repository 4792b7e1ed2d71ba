"""Checks for instructor/06-competing-narratives.ipynb (convention: deirezzor/checks.py).

Every check's first failing line names the mistake a student most likely made
(tests/test_hints_nb06.py feeds the typical wrong answers).
"""
import re

import pandas as pd

from deirezzor import load
from deirezzor.checks import describe_crash, exercise, expect, type_name


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


# Exercise 6.4: the label is not the words.  Eleven of the statements that the claim labels put on one side
# (accident/regret, or deliberate); the labels put more rows on each side (Q20, Q34, Q35; Q10, Q50), and the
# exercise names these eleven.  Which of them SAY, in their own quoted words read in the article's sentence
# (passage), that the strikes on Syrian soldiers were (not) intended?  Three tests: about this raid (not a
# general rule); as something that happened (not "if"); about intent, not only the outcome.
NOT_INTENDED_ROWS = ["Q01", "Q03", "Q04", "Q21", "Q23", "Q33"]   # labelled regret / accident
INTENDED_ROWS = ["Q09", "Q11", "Q14", "Q15", "Q16"]              # labelled deliberate
CITE_ROWS = NOT_INTENDED_ROWS + INTENDED_ROWS
CITE_KEYS = ("not_intended", "intended")
_CITE_NAMES = (", ".join(NOT_INTENDED_ROWS) + " (labelled accident or regret) and " + ", ".join(INTENDED_ROWS)
               + " (labelled deliberate)")

# Why each row can or cannot carry its sentence.  "either": the words imply more than they say, and a
# careful writer can defend either choice; the check accepts both and the answer key explains.
CITE_READING = {
    "Q01": ("out", "Q01 says \"if we mistakenly struck\": a condition, not a statement that it happened. "
                   "Cook admits neither the strike on Syrian soldiers nor a mistake."),
    "Q03": ("out", "Q03 says coalition forces \"would not intentionally strike a known Syrian military unit\": "
                   "a general rule about what they do, not a statement about this raid (test 1)."),
    "Q21": ("out", "Q21's word is \"regretted\", that the bombings hit anti-ISIL forces. Regret says the "
                   "result was unwelcome; it says nothing about intent."),
    "Q23": ("out", "Q23 says \"The UK would not intentionally target Syrian military units\": a general rule "
                   "about what the UK does, not a statement about this raid (test 1)."),
    "Q04": ("in", "Q04: read its whole quote. The regret it relays is for the \"unintentional\" loss of life "
                  "of Syrian forces: that is a claim about intent, about this raid."),
    "Q33": ("in", "Q33: read its passage. The report says the attacks were conducted \"in good faith\" that "
                  "they were targeting ISIL militants: a claim about what the crews believed."),
    "Q14": ("in", "Q14 says the attack \"was not a mistake\": a claim of intent, about this raid."),
    "Q15": ("in", "Q15 says the airstrike \"was intended to disrupt the ceasefire process\": a claim of "
                  "purpose, about this raid."),
    "Q16": ("in", "Q16 says the airstrike was conducted \"in order to\" derail the joint group: a claim of "
                  "purpose, about this raid."),
    "Q09": ("either", "a conclusion drawn from the attack (\"the White House is defending the Islamic State\"): "
                      "it implies intent without saying the strikes were intended"),
    "Q11": ("either", "the strikes as \"conclusive evidence\" that the U.S. supported ISIL: it implies intent "
                      "without saying the strikes were intended"),
}


def cite_model() -> dict[str, list[str]]:
    """The model answer: the rows read 'in', each on the side its label puts it (the 'either' rows left out)."""
    return {"not_intended": [q for q in NOT_INTENDED_ROWS if CITE_READING[q][0] == "in"],
            "intended": [q for q in INTENDED_ROWS if CITE_READING[q][0] == "in"]}


def _key(k) -> str:
    return str(k).strip().lower().replace(" ", "_").replace("-", "_")


@exercise("6.4", checks="the answer is a dict of two sorted lists, 'not_intended' and 'intended', holding those "
                        "of Q01, Q03, Q04, Q21, Q23, Q33, Q09, Q11, Q14, Q15 and Q16 whose own words say the "
                        "strikes were (not) intended, about this raid, as something that happened")
def _(answer):
    if not expect(isinstance(answer, dict), "the answer is a dict",
                  f"You gave {type_name(answer)}. Build {{\"not_intended\": [...], \"intended\": [...]}}."):
        return
    keys = {_key(k): k for k in answer}
    if not expect(set(keys) == set(CITE_KEYS), "its keys are 'not_intended' and 'intended'",
                  f"You used the keys {sorted(map(str, answer))}. Use exactly \"not_intended\" and \"intended\"."):
        return
    lists = {k: answer[keys[k]] for k in CITE_KEYS}
    odd = [k for k, v in lists.items() if not (isinstance(v, list) and all(isinstance(x, str) for x in v))]
    if odd:
        v = lists[odd[0]]
        hint = (f"The value of {odd[0]!r} is {type_name(v)}. "
                + ("Turn it into a list with sorted(...)." if isinstance(v, (pd.Series, pd.Index, set, tuple))
                   else "Give a list of statement ids, e.g. ['Q01', ...], or [] for none."))
    else:
        hint = ""
    if not expect(not odd, "each value is a list of statement ids (texts such as 'Q01')", hint):
        return
    got = {k: [x.strip().upper() for x in v] for k, v in lists.items()}
    if not expect(all(v == sorted(set(v)) for v in got.values()), "each list is sorted and names each statement once",
                  "Use sorted(...) on each list, and name each statement once."):
        return
    stray = [q for v in got.values() for q in v if q not in CITE_ROWS]
    if stray:
        hint = (f"{stray[0]} is not one of the eleven statements of the exercise. "
                + ("It looks as if you filtered the claim column of the whole table; the exercise names "
                   "eleven of those rows. " if len(stray) > 2 else "")
                + f"Choose only among {_CITE_NAMES}.")
    else:
        hint = ""
    if not expect(not stray, "every id is one of the eleven statements of the exercise", hint):
        return
    wrong_side = ([q for q in got["not_intended"] if q in INTENDED_ROWS]
                  + [q for q in got["intended"] if q in NOT_INTENDED_ROWS])
    expect(not wrong_side, "no statement is on the side opposite to what it says",
           (f"{wrong_side[0]} is in the wrong list: does its speaker say the strikes were intended, or not? "
            "Read its quote again.") if wrong_side else "")
    chosen = set(got["not_intended"]) | set(got["intended"])
    outs = [q for q in CITE_ROWS if CITE_READING[q][0] == "out" and q in chosen]
    if outs and set(NOT_INTENDED_ROWS) <= chosen:
        hint = ("You kept every statement the labels put on this side. A label is a sorting aid, not the "
                "words: " + CITE_READING[outs[0]][1])
    elif outs:
        hint = CITE_READING[outs[0]][1] + " Leave it out."
    else:
        hint = ""
    expect(not outs, "it leaves out the statements whose words stop short of saying it (a rule, a condition, "
                     "regret alone)",
           hint)
    for side, rows in (("not_intended", NOT_INTENDED_ROWS), ("intended", INTENDED_ROWS)):
        need = [q for q in rows if CITE_READING[q][0] == "in"]
        missed = [q for q in need if q not in got[side]]
        expect(not missed, f"'{side}' holds every statement whose own words say so ({len(need)} of them)",
               CITE_READING[missed[0]][1] if missed else "")
    either = [q for q in CITE_ROWS if CITE_READING[q][0] == "either"]
    expect(True, f"{', '.join(either[:-1])} and {either[-1]} were accepted in or out: each implies more than "
                 "its words say, so be ready to defend your choice")


# Exercise 6.5: which rewrite does T27 support?  T27: "very few media outlets run from the coalition's member
# states took the accusations seriously, largely considering them to be conspiracy theories".  The student's
# sentence: "Western media dismissed the accusation as a conspiracy theory."  Five rewrites, four of them with
# one of the typical errors; the answer is one letter, as a text.  (A free rewrite graded by keywords passed
# the very errors it was about; the student's own rewrite stays, unchecked, for discussion in class.)
RECEPTION_ROW = "T27"
RECEPTION_CHOICES = {
    "A": ("According to the article, very few media outlets run from the coalition's member states took the "
          "accusations seriously, so the accusations were conspiracy theories.",
          "A ends with the writer's own verdict: \"so the accusations were conspiracy theories\". T27 describes "
          "how the outlets received the accusations; it does not say what the accusations were. Look for the "
          "sentence that leaves that description with the article."),
    "B": ("According to the article, most media outlets run from the coalition's member states considered the "
          "accusations to be \"conspiracy theories\".",
          "B says \"most\" outlets considered them conspiracy theories. T27 gives no such count: it says "
          "\"very few\" took the accusations seriously. Look for the sentence that keeps the row's own words "
          "for how many."),
    "C": ("Very few media outlets run from the coalition's member states took the accusations seriously, "
          "largely considering them to be conspiracy theories.",
          "C states the reception as a plain fact. T27 is the encyclopedia article's description, not a "
          "measured fact. Look for the sentence that says whose description it is."),
    "D": ("According to the encyclopedia article, very few media outlets run from the coalition's member states "
          "took the accusations seriously, \"largely considering them to be conspiracy theories\".",
          ""),
    "E": ("According to the article, very few media outlets run from the coalition's member states took the "
          "accusations seriously, 'largely dismissing them as conspiracy theories'.",
          "E puts words in quotation marks that are not T27's: the row never says \"dismissing them as\". "
          "Single quotation marks are quotation marks too. Compare each quotation with T27's words."),
}
RECEPTION_ANSWER = "D"


def reception_passage() -> str:
    return load("attributions").set_index("attribution_id").at[RECEPTION_ROW, "passage"]


@exercise("6.5", checks="the answer is one letter (a text), A to E: the one rewrite that T27 supports in every "
                        "word (whose outlets, how many, whose description, quotations word for word)")
def _(answer):
    if isinstance(answer, (list, tuple, set)) and len(answer) == 1 and all(isinstance(x, str) for x in answer):
        hint = f"You gave {type_name(answer)}. Give the letter itself as a text: \"A\", not [\"A\"]."
    else:
        hint = f"You gave {type_name(answer)}. Give one letter as a text, between quotation marks: \"A\"."
    if not expect(isinstance(answer, str), "the answer is a text (str)", hint):
        return
    letter = answer.strip().strip(".()[]\"' ").upper()
    letters = sorted(RECEPTION_CHOICES)
    if len(letter.split()) > 3:
        hint = ("You wrote a sentence. This exercise asks you to choose among the five: give only the letter "
                "of the one T27 supports. Your own rewrite is the discussion question below the check.")
    elif len(re.findall(r"[A-Z]", letter)) > 1:
        hint = "Give exactly one letter: exactly one of the five rewrites is supported by T27 in every word."
    else:
        hint = f"{answer!r} is not one of the five rewrites. Choose one of {', '.join(letters)}."
    if not expect(letter in RECEPTION_CHOICES, "it is one letter, A to E", hint):
        return
    expect(letter == RECEPTION_ANSWER,
           "it names the one rewrite that T27 supports in every word (whose outlets, how many, whose "
           "description, quotations word for word)",
           RECEPTION_CHOICES[letter][1])
