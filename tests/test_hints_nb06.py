"""Notebook 06's checks: the first failing line names the mistake a student made.

Each test feeds a typical wrong answer to deirezzor.checks.first_failure, which
returns the first check that did not pass: what it says was checked, and its hint.  Model
answers are rebuilt from the data, so the tests follow the data.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from deirezzor import load
from deirezzor.checks import first_failure
from deirezzor.exercises import nb06

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def statements():
    return load("statements")


# ---------------------------------------------------------------- 6.1
@pytest.fixture
def voices(statements):
    roles = statements.set_index("statement_id")["role"]
    return {q: nb06.voice_kind(roles[q]) for q in nb06.VOICE_ROWS}


def test_6_1_model_answer_passes(voices):
    assert first_failure("6.1", voices) is None


def test_6_1_uses_all_three_kinds(voices):
    assert set(voices.values()) == set(nb06.VOICES)


def test_6_1_the_old_count_is_refused():
    failed = first_failure("6.1", 33)
    assert "a dict" in failed.what and "You gave a whole number" in failed.hint


@pytest.mark.parametrize("kind, wrong", [("anonymous", "institutional"), ("document", "institutional"),
                                         ("institutional", "document")])
def test_6_1_misread_role(voices, statements, kind, wrong):
    row = next(q for q, v in voices.items() if v == kind)
    failed = first_failure("6.1", {**voices, row: wrong})
    role = statements.set_index("statement_id").at[row, "role"]
    assert f"is '{kind}'" in failed.what
    assert row in failed.hint and role in failed.hint


def test_6_1_shape_mistakes(voices):
    failed = first_failure("6.1", {k: v for k, v in voices.items() if k != "Q48"})
    assert "keys" in failed.what and "Q48 is missing" in failed.hint
    failed = first_failure("6.1", {**voices, "Q11": "official"})
    assert "every value" in failed.what and "'official'" in failed.hint


def test_6_1_case_and_spaces_are_forgiven(voices):
    assert first_failure("6.1", {k.lower(): f" {v.upper()} " for k, v in voices.items()}) is None


# ---------------------------------------------------------------- 6.2
def test_6_2_model_answer_passes():
    assert first_failure("6.2", nb06.own_statement_ids()) is None


def test_6_2_rule_means_what_it_says(statements):
    sources = load("sources").set_index("source_id")
    for sid in nb06.own_statement_ids():
        row = statements.set_index("statement_id").loc[sid]
        assert sources.at[row["source_id"], "kind"] == "official_statement"
        assert sources.at[row["source_id"], "perspective"] == row["side"]
        assert pd.isna(row["reported_via"])


def test_6_2_empty_reported_via_is_not_first_hand(statements):
    # the "one line" answer of the old exercise: every row without an outlet
    answer = sorted(statements.loc[statements["reported_via"].isna(), "statement_id"])
    failed = first_failure("6.2", answer)
    assert "official_statement" in failed.what
    assert "An empty reported_via is not first-hand" in failed.hint


def test_6_2_outlet_named(statements):
    via = statements.loc[statements["reported_via"].notna(), "statement_id"].iloc[0]
    failed = first_failure("6.2", sorted(nb06.own_statement_ids() + [via]))
    assert "reported_via" in failed.what and via in failed.hint


def test_6_2_one_missing():
    ids = nb06.own_statement_ids()
    failed = first_failure("6.2", ids[:-1])
    assert "every statement that meets" in failed.what and ids[-1] in failed.hint


@pytest.mark.parametrize("wrap, hint", [
    (pd.Series, "You gave a pandas Series. Turn it into a list with sorted(...)"),
    (set, "You gave a set"),
    (tuple, "You gave a tuple"),
])
def test_6_2_wrong_container(wrap, hint):
    failed = first_failure("6.2", wrap(nb06.own_statement_ids()))
    assert "a list" in failed.what and hint in failed.hint


def test_6_2_unsorted_and_counts():
    ids = nb06.own_statement_ids()
    if len(ids) > 1:
        failed = first_failure("6.2", ids[::-1])
        assert "sorted" in failed.what
    failed = first_failure("6.2", [len(ids)])
    assert "statement ids" in failed.what


def test_6_2_whole_table(statements):
    failed = first_failure("6.2", statements)
    assert "a list" in failed.what and "DataFrame" in failed.hint


# ---------------------------------------------------------------- 6.3
def good_attribution(row):
    who = row["speaker"] if row["speaker"] != "unnamed" else "an unnamed speaker"
    org = f", {row['organisation']}" if pd.notna(row["organisation"]) else ""
    when = f"{row['date'].day} {row['date']:%B %Y}" if row["date_precision"] == "day" else "date not known"
    via = f", as reported by {row['reported_via']}" if pd.notna(row["reported_via"]) else ""
    return f"According to {who} ({row['role']}{org}; {row['venue']}, {when}{via}): “{row['quote']}”"


def test_6_3_model_answer_passes():
    assert first_failure("6.3", good_attribution) is None


def test_6_3_crash_names_the_row_and_the_error():
    def crashes(row):
        return row["organization"]   # misspelt column
    failed = first_failure("6.3", crashes)
    assert "without an error" in failed.what
    assert "raised KeyError" in failed.hint and "Q01" in failed.hint and "organization" in failed.hint


def test_6_3_prints_instead_of_returning(capsys):
    def prints(row):
        print(good_attribution(row))
    failed = first_failure("6.3", prints)
    assert "returns a string" in failed.what and "prints the sentence instead of returning" in failed.hint


def test_6_3_result_instead_of_function(statements):
    failed = first_failure("6.3", good_attribution(statements.set_index("statement_id").loc["Q01"]))
    assert "a function" in failed.what and "without brackets" in failed.hint


def test_6_3_missing_values_printed():
    def shows_na(row):
        when = f"{row['date'].day} {row['date']:%B %Y}" if row["date_precision"] == "day" else "date unknown"
        return (f"{row['speaker']} ({row['role']}, {row['organisation']}; {row['venue']}, {when}, "
                f"as reported by {row['reported_via']}): “{row['quote']}”")
    failed = first_failure("6.3", shows_na)
    assert "never shows nan, <NA>, NaT or None" in failed.what and "pd.notna" in failed.hint


def test_6_3_missing_date_formatted_crashes_with_a_reason():
    def formats_every_date(row):
        return f"{row['speaker']}, {row['date']:%d %B %Y}: “{row['quote']}”"
    failed = first_failure("6.3", formats_every_date)
    assert "without an error" in failed.what and "NaTType" in failed.hint


# ---------------------------------------------------------------- 6.4
MODEL_6_4 = {"not_intended": ["Q04", "Q33"], "intended": ["Q14", "Q15", "Q16"]}


def test_6_4_model_answer_passes():
    assert nb06.cite_model() == MODEL_6_4
    assert first_failure("6.4", MODEL_6_4) is None


@pytest.mark.parametrize("extra", [{"intended": ["Q09", "Q14", "Q15", "Q16"]},
                                   {"intended": ["Q09", "Q11", "Q14", "Q15", "Q16"]}])
def test_6_4_rows_that_imply_are_accepted_either_way(extra):
    assert first_failure("6.4", {**MODEL_6_4, **extra}) is None


def test_6_4_readings_rest_on_the_words(statements):
    rows = statements.set_index("statement_id")
    assert rows.at["Q01", "quote"].startswith("if ")                   # a condition
    assert rows.at["Q21", "quote"] == "regretted"                       # regret alone
    assert "unintentional" in rows.at["Q04", "quote"]
    assert "good faith" in rows.at["Q33", "passage"] and "targeting ISIL" in rows.at["Q33", "passage"]
    assert "not a mistake" in rows.at["Q14", "quote"] and "in order to" in rows.at["Q16", "quote"]
    assert "was intended to" in rows.at["Q15", "quote"]
    assert rows.at["Q03", "quote"].startswith("coalition forces would not")   # a rule, like Q23
    assert rows.at["Q23", "quote"].startswith("The UK would not")
    # the labels put all eleven on the side the exercise says, so a label filter cannot give the answer
    assert set(rows.loc[nb06.NOT_INTENDED_ROWS, "claim"]) <= {"accident", "regret", "misidentification"}
    assert set(rows.loc[nb06.INTENDED_ROWS, "claim"]) == {"deliberate"}


def test_6_4_the_exercise_text_names_the_rows_the_check_uses():
    """The exercise lists the eleven rows, says they are taken from the labelled rows, not all of them."""
    nb = nbformat.read(ROOT / "instructor" / "06-competing-narratives.ipynb", as_version=4)
    text = next(c.source for c in nb.cells if c.get("id") == "exercise-6-4")
    for q in nb06.CITE_ROWS:
        assert f"`{q}`" in text, q
    assert "take these eleven" in text and "five statements on the first side" not in text
    # test 3 gives no example that decides a row
    assert "good faith" not in text and "Regret alone" not in text


@pytest.mark.parametrize("row", ["Q03", "Q23"])
def test_6_4_a_rule_is_not_about_this_raid(row):
    """Test 1 of the exercise: a general rule is left out, and the check agrees."""
    failed = first_failure("6.4", {**MODEL_6_4, "not_intended": sorted(MODEL_6_4["not_intended"] + [row])})
    assert "leaves out" in failed.what and row in failed.hint and "general rule" in failed.hint


def test_6_4_following_the_labels_is_named():
    failed = first_failure("6.4", {"not_intended": nb06.NOT_INTENDED_ROWS, "intended": nb06.INTENDED_ROWS})
    assert "leaves out" in failed.what
    assert "every statement the labels put on this side" in failed.hint and "Q01" in failed.hint


@pytest.mark.parametrize("row, hint", [("Q01", "a condition"), ("Q21", "says nothing about intent")])
def test_6_4_words_that_stop_short(row, hint):
    failed = first_failure("6.4", {**MODEL_6_4, "not_intended": sorted(MODEL_6_4["not_intended"] + [row])})
    assert "leaves out" in failed.what and row in failed.hint and hint in failed.hint


@pytest.mark.parametrize("side, row, hint", [("not_intended", "Q04", "unintentional"),
                                             ("not_intended", "Q33", "good faith"),
                                             ("intended", "Q15", "was intended to"),
                                             ("intended", "Q16", "in order to")])
def test_6_4_a_statement_that_says_it_is_missed(side, row, hint):
    failed = first_failure("6.4", {**MODEL_6_4, side: [q for q in MODEL_6_4[side] if q != row]})
    assert f"'{side}' holds" in failed.what and row in failed.hint and hint in failed.hint


def test_6_4_wrong_side():
    failed = first_failure("6.4", {"not_intended": ["Q04", "Q14", "Q33"], "intended": ["Q15", "Q16"]})
    assert "opposite" in failed.what and "Q14 is in the wrong list" in failed.hint


def test_6_4_whole_table_filter(statements):
    # the old exercise: every row with a not-intended or deliberate label
    answer = {"not_intended": sorted(statements.loc[statements["claim"].isin(
                  ["accident", "regret", "misidentification"]), "statement_id"]),
              "intended": sorted(statements.loc[statements["claim"] == "deliberate", "statement_id"])}
    failed = first_failure("6.4", answer)
    assert "one of the eleven" in failed.what and "filtered the claim column" in failed.hint


def test_6_4_shape_mistakes():
    failed = first_failure("6.4", ["Q04", "Q14", "Q15", "Q16", "Q33"])
    assert "a dict" in failed.what and "You gave a list" in failed.hint
    failed = first_failure("6.4", {"accident": ["Q04", "Q33"], "deliberate": ["Q14", "Q15", "Q16"]})
    assert "keys" in failed.what and "'accident'" in failed.hint
    failed = first_failure("6.4", {**MODEL_6_4, "intended": pd.Series(["Q14", "Q15", "Q16"])})
    assert "list of statement ids" in failed.what and "sorted(...)" in failed.hint
    failed = first_failure("6.4", {**MODEL_6_4, "intended": ["Q16", "Q14", "Q15"]})
    assert "sorted" in failed.what
    # spelling of keys and ids is forgiven
    assert first_failure("6.4", {"Not intended": ["q04", "q33"], "intended": ["Q14", "Q15", "Q16"]}) is None


# ---------------------------------------------------------------- 6.5
def test_6_5_model_answer_passes():
    assert first_failure("6.5", nb06.RECEPTION_ANSWER) is None
    for spelling in [nb06.RECEPTION_ANSWER.lower(), f" ({nb06.RECEPTION_ANSWER}) ", f"{nb06.RECEPTION_ANSWER}."]:
        assert first_failure("6.5", spelling) is None, spelling


def _quoted(sentence):
    """Every quotation in a sentence, in double or single, straight or typographic quotation marks."""
    return re.findall(r"[\"“”]([^\"“”]+)[\"“”]", sentence) + re.findall(r"(?<![A-Za-z])['‘]([^'‘’]+)['’](?![A-Za-z])",
                                                                        sentence)


def _squash(text):
    return " ".join(text.lower().replace("’", "'").strip(" .,;:").split())


def test_6_5_the_rewrites_say_what_the_check_says_of_them():
    """Against T27's own words: the answer is supported in every word, each other rewrite fails in one way."""
    passage = _squash(nb06.reception_passage())
    assert "very few" in passage and "coalition's member states" in passage and "largely" in passage
    assert "most" not in passage.split()
    choices = {k: v[0] for k, v in nb06.RECEPTION_CHOICES.items()}
    right = choices[nb06.RECEPTION_ANSWER]
    assert right.startswith("According to the encyclopedia article")
    assert _quoted(right) and all(_squash(q) in passage for q in _quoted(right))
    wrong = {k: v for k, v in choices.items() if k != nb06.RECEPTION_ANSWER}
    assert len(wrong) == 4
    kinds = {}
    for k, sentence in wrong.items():
        low = sentence.lower()
        misquoted = [q for q in _quoted(sentence) if _squash(q) not in passage]
        kinds[k] = ("misquotation" if misquoted else
                    "no attribution" if "according to" not in low and "article" not in low else
                    "most" if " most " in f" {low} " else
                    "own verdict" if "so the accusations were" in low else "none")
    assert sorted(kinds.values()) == ["misquotation", "most", "no attribution", "own verdict"], kinds
    # the misquotation is in single quotation marks, so a check that read only double ones would miss it
    assert any("'" in s and '"' not in s for k, s in wrong.items() if kinds[k] == "misquotation")


def test_6_5_the_notebook_prints_the_rewrites_the_check_grades():
    nb = nbformat.read(ROOT / "instructor" / "06-competing-narratives.ipynb", as_version=4)
    text = next(c.source for c in nb.cells if c.get("id") == "exercise-media")
    for letter, (sentence, _) in nb06.RECEPTION_CHOICES.items():
        assert f"**{letter}.** {sentence}" in text, letter
    assert "Western media dismissed the accusation as a conspiracy theory." in text


@pytest.mark.parametrize("letter", sorted(set(nb06.RECEPTION_CHOICES) - {nb06.RECEPTION_ANSWER}))
def test_6_5_each_wrong_rewrite_names_its_error_not_the_answer(letter):
    failed = first_failure("6.5", letter)
    assert "T27 supports" in failed.what
    assert failed.hint.startswith(f"{letter} ")
    others = set(nb06.RECEPTION_CHOICES) - {letter}
    assert not any(re.search(rf"\b{o}\b", failed.hint) for o in others), failed.hint


@pytest.mark.parametrize("letter, words", [("A", "own verdict"), ("B", "\"most\""), ("C", "plain fact"),
                                           ("E", "Single quotation marks")])
def test_6_5_the_hint_says_which_error(letter, words):
    assert words in first_failure("6.5", letter).hint


@pytest.mark.parametrize("answer, what, hint", [
    (["D"], "a text", "not [\"A\"]"),
    (4, "a text", "one letter as a text"),
    ({"A": "goes beyond the data"}, "a text", "a dict"),
    ("According to the article, very few outlets run from coalition states took them seriously.",
     "one letter", "You wrote a sentence"),
    ("C, D", "one letter", "exactly one letter"),
    ("F", "one letter", "not one of the five"),
])
def test_6_5_shape_mistakes(answer, what, hint):
    failed = first_failure("6.5", answer)
    assert what in failed.what and hint in failed.hint


# ---------------------------------------------------------------- the skills table (cell "skills")
def _skills_table():
    import ast
    nb = nbformat.read(ROOT / "instructor" / "06-competing-narratives.ipynb", as_version=4)
    tree = ast.parse(next(c.source for c in nb.cells if c.get("id") == "skills"))
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
              if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
              and node.targets[0].id in ("skills", "NOT_DISCUSSED")}
    return values["skills"], values["NOT_DISCUSSED"]


def _ids_met_in(slug):
    """Discrepancy ids a notebook names, in its cells or in the outputs a student reads."""
    nb = nbformat.read(ROOT / "instructor" / f"{slug}.ipynb", as_version=4)
    text = []
    for c in nb.cells:
        text.append(c.source)
        for out in c.get("outputs", []):
            text.append(out.get("text", "") if isinstance(out.get("text", ""), str) else "")
            for mime in ("text/plain", "text/markdown"):
                text.append(str(out.get("data", {}).get(mime, "")))
    return set(re.findall(r"\bD\d\d\b", "\n".join(text)))


def test_skills_table_lists_each_discrepancy_where_a_notebook_teaches_it():
    skills, not_discussed = _skills_table()
    listed = [d for _, _, ids in skills for d in ids]
    assert sorted(listed) == sorted(load("discrepancies")["discrepancy_id"]), "each discrepancy once"
    taught = ["01-siege-background", "02-raid-timeline", "03-casualty-estimates",
              "04-investigation-and-hotline", "05-diplomatic-fallout"]
    met_before_06 = set().union(*(_ids_met_in(s) for s in taught))
    for skill, slugs, ids in skills:
        met = set().union(*(_ids_met_in(s) for s in slugs))
        for d in ids:
            if d in not_discussed:
                assert d not in met_before_06, f"{d} is discussed in a notebook: list it there"
            else:
                assert d in met, f"{d} is listed under '{skill[:30]}', but none of {slugs} names it"
    assert set(not_discussed) == {d for d in listed if d not in met_before_06 and d != "D21"}
    row = {skill.split(":")[0]: ids for skill, _, ids in skills}
    assert {"D09", "D25", "D29"} <= set(row["Dates and durations"])
    assert {"D17", "D18"} <= set(row["Reading a report"]) and "D20" in row["Attribution"]
