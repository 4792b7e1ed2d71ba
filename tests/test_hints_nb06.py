"""Notebook 06's checks: the first failing line names the mistake a student made.

Each test feeds a typical wrong answer to deirezzor.checks.first_failure, which
returns the first check that did not pass: what it says was checked, and its hint.  Model
answers are rebuilt from the data, so the tests follow the data.
"""
from __future__ import annotations

import pandas as pd
import pytest

from deirezzor import load
from deirezzor.checks import first_failure
from deirezzor.exercises import nb06



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
MODEL_6_4 = {"not_intended": ["Q04", "Q33"], "intended": ["Q14", "Q16"]}


def test_6_4_model_answer_passes():
    assert nb06.cite_model() == MODEL_6_4
    assert first_failure("6.4", MODEL_6_4) is None


@pytest.mark.parametrize("extra", [{"not_intended": ["Q03", "Q04", "Q33"]},
                                   {"intended": ["Q09", "Q11", "Q14", "Q16"]}])
def test_6_4_rows_that_imply_are_accepted_either_way(extra):
    assert first_failure("6.4", {**MODEL_6_4, **extra}) is None


def test_6_4_readings_rest_on_the_words(statements):
    rows = statements.set_index("statement_id")
    assert rows.at["Q01", "quote"].startswith("if ")                   # a condition
    assert rows.at["Q21", "quote"] == "regretted"                       # regret alone
    assert "unintentional" in rows.at["Q04", "quote"]
    assert "good faith" in rows.at["Q33", "passage"] and "targeting ISIL" in rows.at["Q33", "passage"]
    assert "not a mistake" in rows.at["Q14", "quote"] and "in order to" in rows.at["Q16", "quote"]
    # the labels put all nine on the side the exercise says, so a label filter cannot give the answer
    assert set(rows.loc[nb06.NOT_INTENDED_ROWS, "claim"]) <= {"accident", "regret", "misidentification"}
    assert set(rows.loc[nb06.INTENDED_ROWS, "claim"]) == {"deliberate"}


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
                                             ("intended", "Q16", "in order to")])
def test_6_4_a_statement_that_says_it_is_missed(side, row, hint):
    failed = first_failure("6.4", {**MODEL_6_4, side: [q for q in MODEL_6_4[side] if q != row]})
    assert f"'{side}' holds" in failed.what and row in failed.hint and hint in failed.hint


def test_6_4_wrong_side():
    failed = first_failure("6.4", {"not_intended": ["Q04", "Q14", "Q33"], "intended": ["Q16"]})
    assert "opposite" in failed.what and "Q14 is in the wrong list" in failed.hint


def test_6_4_whole_table_filter(statements):
    # the old exercise: every row with a not-intended or deliberate label
    answer = {"not_intended": sorted(statements.loc[statements["claim"].isin(
                  ["accident", "regret", "misidentification"]), "statement_id"]),
              "intended": sorted(statements.loc[statements["claim"] == "deliberate", "statement_id"])}
    failed = first_failure("6.4", answer)
    assert "one of the nine" in failed.what and "filtered the claim column" in failed.hint


def test_6_4_shape_mistakes():
    failed = first_failure("6.4", ["Q04", "Q14", "Q16", "Q33"])
    assert "a dict" in failed.what and "You gave a list" in failed.hint
    failed = first_failure("6.4", {"accident": ["Q04", "Q33"], "deliberate": ["Q14", "Q16"]})
    assert "keys" in failed.what and "'accident'" in failed.hint
    failed = first_failure("6.4", {**MODEL_6_4, "intended": pd.Series(["Q14", "Q16"])})
    assert "list of statement ids" in failed.what and "sorted(...)" in failed.hint
    failed = first_failure("6.4", {**MODEL_6_4, "intended": ["Q16", "Q14"]})
    assert "sorted" in failed.what
    # spelling of keys and ids is forgiven
    assert first_failure("6.4", {"Not intended": ["q04", "q33"], "intended": ["Q14", "Q16"]}) is None


# ---------------------------------------------------------------- 6.5
MODEL_6_5 = ("According to the encyclopedia article, very few media outlets run from the coalition's member "
             "states took the accusations seriously, \"largely considering them to be conspiracy theories\".")


def test_6_5_model_answer_passes():
    assert first_failure("6.5", MODEL_6_5) is None


def test_6_5_other_careful_sentences_pass():
    for sentence in [
        "The article says that most outlets run from coalition countries largely treated the accusations as "
        "conspiracy theories, and very few took them seriously.",
        "According to Wikipedia, very few media outlets run from the coalition's member states took the "
        "accusations seriously.",
    ]:
        assert first_failure("6.5", sentence) is None, sentence


def test_6_5_the_row_still_says_what_the_check_assumes():
    passage = nb06.reception_passage()
    assert "very few" in passage and "coalition's member states" in passage and "largely" in passage


@pytest.mark.parametrize("sentence, what, hint", [
    # the student's own sentence, unchanged: its first fault is the group
    ("Western media dismissed the accusation as a conspiracy theory.", "whose outlets", "\"Western\" is not"),
    ("Media in coalition countries: conspiracy theories.", "whole sentence", "full sentence"),
    ("According to the article, Western media dismissed the accusation as a conspiracy theory, very few "
     "taking it seriously.", "whose outlets", "\"Western\" is not the group"),
    ("According to the article, media outlets run from the coalition's member states dismissed the "
     "accusation as a conspiracy theory.", "how many", "does not speak of all"),
    ("Very few media outlets run from the coalition's member states took the accusations seriously, "
     "largely considering them to be conspiracy theories.", "whose description", "Attribute it"),
    ("According to the article, very few outlets run from the coalition's member states took it seriously: "
     "they called it \"a conspiracy theory\".", "word for word", "A paraphrase never goes in quotation marks"),
])
def test_6_5_typical_mistakes(sentence, what, hint):
    failed = first_failure("6.5", sentence)
    assert what in failed.what and hint in failed.hint


def test_6_5_shape_mistakes():
    failed = first_failure("6.5", ["According to the article, very few outlets ..."])
    assert "a text" in failed.what and "one text" in failed.hint
    failed = first_failure("6.5", {"A": "goes beyond the data"})
    assert "a text" in failed.what and "a dict" in failed.hint
