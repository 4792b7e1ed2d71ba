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
def _ids(statements, claims):
    return sorted(statements.loc[statements["claim"].isin(claims), "statement_id"])


@pytest.fixture
def model_6_4(statements):
    return {"deliberate": _ids(statements, ["deliberate", "deliberate_implied"]),
            "accident": _ids(statements, ["accident", "regret", "misidentification"])}


def test_6_4_model_answer_passes(model_6_4):
    assert first_failure("6.4", model_6_4) is None


def test_6_4_a_label_left_out(statements, model_6_4):
    # whichever of the two labels has rows, leaving it out is named
    for label in ("deliberate", "deliberate_implied"):
        rows = _ids(statements, [label])
        if not rows:
            continue
        other = "deliberate_implied" if label == "deliberate" else "deliberate"
        failed = first_failure("6.4", {**model_6_4, "deliberate": _ids(statements, [other])})
        assert "'deliberate' holds" in failed.what


def test_6_4_one_label_of_three(statements, model_6_4):
    failed = first_failure("6.4", {**model_6_4, "accident": _ids(statements, ["accident"])})
    assert "'accident' holds" in failed.what and "all three labels" in failed.hint


def test_6_4_series_instead_of_list(statements, model_6_4):
    as_series = pd.Series(model_6_4["deliberate"])
    failed = first_failure("6.4", {**model_6_4, "deliberate": as_series})
    assert "list of statement ids" in failed.what and "sorted(...)" in failed.hint


def test_6_4_wrong_keys(model_6_4):
    failed = first_failure("6.4", {"intended": model_6_4["deliberate"], "accident": model_6_4["accident"]})
    assert "keys" in failed.what and "'intended'" in failed.hint


# ---------------------------------------------------------------- 6.5
def test_6_5_model_answer_passes():
    assert first_failure("6.5", nb06.reception_verdicts()) is None


def test_6_5_verdicts_rest_on_the_rows():
    at = load("attributions").set_index("attribution_id")
    verdicts = nb06.reception_verdicts()
    assert "very few" in at.at["T27", "passage"] and verdicts["A"] == "goes beyond the data"
    assert at.at["T29", "stance"] == "denies" and verdicts["D"] == "supported"


@pytest.mark.parametrize("change, what, hint", [
    ({"A": "supported"}, "sentence A", "how many of them"),
    ({"C": "supported"}, "sentence C", "or its opposite"),
    ({"C": "goes beyond the data"}, "sentence C", "the opposite of the accusation"),
    ({"B": "contradicted"}, "sentence B", "T25"),
    ({"D": "goes beyond the data"}, "sentence D", "'denies'"),
    ({"B": "true"}, "every verdict", "'true'"),
])
def test_6_5_typical_mistakes(change, what, hint):
    failed = first_failure("6.5", {**nb06.reception_verdicts(), **change})
    assert what in failed.what and hint in failed.hint


def test_6_5_shape_and_spelling():
    assert "a dict" in first_failure("6.5", ["supported"] * 4).what
    failed = first_failure("6.5", {"A": "supported", "B": "supported"})
    assert "keys" in failed.what and "'A', 'B', 'C' and 'D'" in failed.hint
    answer = {k.lower(): v.upper().replace(" ", "_") for k, v in nb06.reception_verdicts().items()}
    assert first_failure("6.5", answer) is None
