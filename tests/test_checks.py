"""check(): what a student sees under an exercise (deirezzor/checks.py), on the real key file.

Stable structure, not prose: which stream, which marks (✓/✗), whether a hint is shown.
"""
from __future__ import annotations

import re
import sys
import warnings

import pytest

from deirezzor import checks
from deirezzor.checks import Result, check, keys

EIDS = sorted(keys()["exercises"], key=lambda i: tuple(map(int, i.split("."))))


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def styled(capsys, *args) -> str:
    """What check() prints, ANSI codes and all."""
    check(*args)
    captured = capsys.readouterr()
    assert captured.err == "", captured            # nothing, ever, on stderr
    return captured.out


def out(capsys, *args) -> str:
    """What check() prints, as the student reads it (the ✗ lines' colour codes removed)."""
    return ANSI.sub("", styled(capsys, *args))


def test_there_is_a_key_file():
    assert len(EIDS) >= 20 and keys()["salt"]


@pytest.mark.parametrize("eid", EIDS)
@pytest.mark.parametrize("blank", [..., None])
def test_blank_is_neutral(capsys, eid, blank):
    assert out(capsys, eid, blank) == f"Exercise {eid}: not answered yet.\n"


@pytest.mark.parametrize("eid", EIDS)
def test_weird_answers_never_raise(capsys, eid):
    """The self-check knows no key, so a plausible value may pass it; nonsense never does."""
    for weird in (0, 3.5, "x", [], [1, 2], {}, (1,), object(), lambda *a: 1 / 0, True):
        text = out(capsys, eid, weird)
        assert text.startswith(f"Exercise {eid} checks: ")
        assert not re.search("correct", text, re.I)
        assert text == out(capsys, eid, weird)      # deterministic
    text = out(capsys, eid, object())
    assert "✗" in text or "could not check" in text, text


def test_a_typical_mistake_names_its_hint(capsys):
    text = out(capsys, "3.1", ["A", "B", "C"])
    lines = text.splitlines()
    assert lines[-3] == "✗ it is none of the typical mistakes this check knows"
    assert lines[-2].startswith("    Hint: ") and lines[-1].startswith("✗ 1 of ")


def test_a_form_problem_stops_at_its_first_line(capsys):
    text = out(capsys, "3.1", ("B", "C"))
    assert text.splitlines()[1:3] == ["✗ the answer is a list of letters",
                                      "    Hint: You gave a tuple; wrap it in sorted(...), which gives a list."]


def test_only_the_cross_lines_are_bold_red(capsys):
    """A ✗ line is wrapped in ANSI bold red and ends plain; nothing else is styled:
    not the hint, not a ✓ line, not "not answered yet", not a full pass."""
    text = styled(capsys, "3.1", ["A", "B", "C"])        # a typical mistake
    crosses = [line for line in text.splitlines() if "✗" in line]
    assert len(crosses) == 2, text
    for line in crosses:
        assert line.startswith(checks.FAILED_STYLE + "✗ ") and line.endswith(checks.PLAIN_STYLE), repr(line)
        assert checks.FAILED_STYLE == "\x1b[1;31m" and checks.PLAIN_STYLE == "\x1b[0m"
    assert not any(ANSI.search(line) for line in text.splitlines() if "✗" not in line), repr(text)
    form = styled(capsys, "3.1", ("B", "C"))              # a form problem: its ✗ line too
    assert form.splitlines()[1] == checks.FAILED_STYLE + "✗ the answer is a list of letters" + checks.PLAIN_STYLE
    for calm in (styled(capsys, "3.1", ...),
                 styled(capsys, "0.3", {"event_id": "E006", "reason": "clock_time_only"})):
        assert not ANSI.search(calm), repr(calm)


def test_a_pass_looks_like_one_and_does_not_claim_the_answer(capsys):
    text = out(capsys, "0.3", {"event_id": "E006", "reason": "clock_time_only"})   # an accepted answer
    assert "✗" not in text and text.splitlines()[-1].startswith("✓ All ")
    assert "grade" in text.splitlines()[-1]


def test_an_uncheckable_reason_earns_a_hint_with_any_row(capsys):
    """0.3: "most_widely_read" cannot be checked against the data (issue 19), so it is a slip, not an answer."""
    for row in ("E006", "E008"):
        text = out(capsys, "0.3", {"event_id": row, "reason": "most_widely_read"})
        assert "✗" in text and "    Hint: " in text, text


def test_warnings_and_stderr_during_a_check_go_to_stdout(capsys, monkeypatch):
    from deirezzor import shapes
    real = shapes.form_checks

    def noisy(*args):
        warnings.warn("a library warning", FutureWarning)
        print("a library wrote this", file=sys.stderr)
        return real(*args)
    monkeypatch.setattr(shapes, "form_checks", noisy)
    text = out(capsys, "0.1", ["E001"])
    assert "a library wrote this" in text and "FutureWarning: a library warning" in text


def test_an_unknown_id_never_stops_run_all(capsys):
    for unknown in ("9.99", "two point one", 2.1):
        text = out(capsys, unknown, 1)
        assert "has no check for it" in text and "ready.check()" in text


def test_a_function_answer_that_raises_is_named(capsys):
    def crashes(wording, n):
        raise IndexError("boom")
    text = out(capsys, "3.2", crashes)
    assert "✗ it runs on every input without raising an error" in text and "IndexError" in text


def test_results_refuse_judging_words():
    with pytest.raises(ValueError):
        Result("the answer is incorrect", False)


def test_no_key_computing_code_is_left_in_the_package():
    import deirezzor.exercises as pkg
    from pathlib import Path
    assert sorted(p.name for p in Path(pkg.__file__).parent.iterdir() if p.suffix == ".py") == ["__init__.py"]
    assert not hasattr(checks, "registry")
