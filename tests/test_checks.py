"""deirezzor.checks: what check() prints for each path (see its docstring)."""
from __future__ import annotations

import re

import pytest

from deirezzor import checks
from deirezzor.checks import Result, check, exercise, expect, registry

# Exercise ids 9.x belong to no notebook (there is no nb09.py): test-only.


@exercise("9.1", checks="the answer is the whole number 42")
def _ex_9_1(answer):
    if not expect(isinstance(answer, int), "the answer is a whole number", "Use int(...)."):
        return
    expect(answer > 0, "it is positive", "Count upwards from zero.")
    expect(answer == 42, "it equals 42", "Add six sevens.")


@exercise("9.2", checks="a check that breaks halfway")
def _ex_9_2(answer):
    expect(True, "the first thing holds", "")
    return 1 / 0


@exercise("9.3", checks="a check that returns results")
def _ex_9_3(answer):
    return [Result("the answer is a string", isinstance(answer, str), "Put it in quotes.")]


@exercise("9.4", checks="a check that looks at nothing")
def _ex_9_4(answer):
    pass


@exercise("9.5", checks="a check that raises before anything")
def _ex_9_5(answer):
    raise KeyError("E99")


def out(capsys, *args) -> str:
    """Everything check() printed. A report where all passed is on stdout; anything
    else is on stderr (nbgrader scores stderr as 0), never on both."""
    check(*args)
    captured = capsys.readouterr()
    assert not (captured.out and captured.err), captured
    passed = bool(captured.out)
    assert passed == ("passed (" in captured.out + captured.err and "did not pass" not in captured.err), captured
    return captured.out + captured.err


def test_only_a_full_pass_goes_to_stdout(capsys):
    check("9.1", 42)
    captured = capsys.readouterr()
    assert captured.err == "" and "passed" in captured.out
    for answer in (..., 41, "x"):
        check("9.1", answer)
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err


@pytest.mark.parametrize("answer", [..., None])
def test_not_answered(capsys, answer):
    assert out(capsys, "9.1", answer) == "Exercise 9.1: not answered yet.\n"


def test_partly_answered(capsys):
    assert "not answered yet" in out(capsys, "9.3", (1, ...))


def test_pass_lists_each_check_and_never_says_correct(capsys):
    text = out(capsys, "9.1", 42)
    assert text.splitlines() == [
        "Exercise 9.1 checks: the answer is the whole number 42",
        "✓ the answer is a whole number",
        "✓ it is positive",
        "✓ it equals 42",
        "All 3 checks passed (these checks cover only what is listed above).",
    ]
    assert "✗" not in text


def test_fail_shows_hint(capsys):
    text = out(capsys, "9.1", 41)
    assert "✗ it equals 42\n    Hint: Add six sevens." in text
    assert "✓ it is positive" in text
    assert "1 of 3 checks did not pass" in text
    assert "passed (" not in text
    assert "Count upwards" not in text          # hints only on failures


def test_guarded_check_stops(capsys):
    text = out(capsys, "9.1", "42")
    assert "✗ the answer is a whole number\n    Hint: Use int(...)." in text
    assert "1 of 1 check did not pass" in text


@pytest.mark.parametrize("eid, expected", [
    ("9.2", "? could not check: ZeroDivisionError: division by zero"),
    ("9.5", "? could not check: KeyError: 'E99'"),
    ("9.4", "? could not check: the check function did not check anything"),
])
def test_exception_is_not_a_pass(capsys, eid, expected):
    text = out(capsys, eid, 1)
    assert expected in text
    assert "checks passed" not in text and "check passed" not in text
    assert "unchecked" in text


def test_returned_results(capsys):
    assert "The 1 check passed (it covers only what is listed above)." in out(capsys, "9.3", "x")
    assert "✗ the answer is a string\n    Hint: Put it in quotes." in out(capsys, "9.3", 3)


def test_pandas_na_is_not_a_pass(capsys):
    pd = pytest.importorskip("pandas")
    text = out(capsys, "9.1", pd.NA)
    assert "could not check" in text or "✗" in text
    assert "passed (" not in text


def test_output_never_says_correct(capsys):
    texts = [out(capsys, e, a) for e in ("9.1", "9.2", "9.3", "9.4", "9.5")
             for a in (..., None, 42, 41, "42", 3.5, [1, 2])]
    for text in texts:
        assert not re.search("correct", text, re.I), text


def test_banned_word_refused(capsys):
    with pytest.raises(ValueError):
        exercise("9.9", checks="the answer is correct")
    with pytest.raises(ValueError):
        Result("the answer is incorrect", False)


def test_an_unknown_id_never_stops_run_all(capsys):
    """A notebook newer than the package: a note on stdout that says what to run, no exception."""
    for unknown in ("9.99", "two point one"):
        check(unknown, 1)
        captured = capsys.readouterr()
        assert captured.err == "" and "has no check for it" in captured.out and "ready.check()" in captured.out


def test_expect_outside_a_check():
    with pytest.raises(RuntimeError):
        expect(True, "something")


def test_bad_ids_refused():
    for bad in ("2", "02.1", "2.0", "2.1.1", 2.1):
        with pytest.raises(ValueError):
            exercise(bad, checks="x")


def test_registry_lists_test_and_notebook_exercises():
    reg = registry()
    assert {"9.1", "9.2"} <= set(reg)
    ids = list(reg)
    assert ids == sorted(ids, key=lambda i: tuple(map(int, i.split("."))))
    for ex in reg.values():
        if ex.module.startswith("deirezzor.exercises."):
            assert ex.module == checks.module_for(ex.id)


def test_output_is_deterministic(capsys):
    assert out(capsys, "9.1", 41) == out(capsys, "9.1", 41)
