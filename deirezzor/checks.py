'''The self-check a student runs under each exercise: ``check("2.1", answer_2_1)``.

How an exercise is written (prompt, model answer, check cell, spec) is in
docs/writing-an-exercise.md; ``make build`` (tools/build.py) turns the specs of
the instructor notebooks into ``deirezzor/exercises/keys.json``, which this
module reads.  The key file holds, per exercise, the public parameters of its
answer shape (deirezzor/shapes.py) and salted hashes of its typical mistakes
with their hints.  It holds no accepted answer.

WHAT ``check()`` PRINTS (stdout only)
====================================

* answer ``...`` or ``None``: ``Exercise 2.1: not answered yet.`` (neutral, plain);
* otherwise one line per thing checked, ✓ or ✗, the hint under the first ✗: the
  shape's form checks, then "it is none of the typical mistakes this check
  knows"; then a closing line.  It never says an answer is right: the grade
  comes from the hidden nbgrader test in the instructor notebook.
* every ✗ line (and only those) is wrapped in ANSI bold red (``FAILED_STYLE``),
  which JupyterLab, Notebook 7, nbconvert's HTML and GitHub draw in stdout:
  JupyterLab shows it as bold #b22b31, 6.4:1 on its light theme's white.  The
  hint under it stays plain.  A full pass has no ✗ and no colour: ✓ lines and
  a closing "✓ All N checks passed" line.
* warnings raised while checking are shown as a line on stdout; nothing is
  written to stderr; nothing raises.  An id the package does not know prints a
  note that says what to run (the notebook is newer than the package).
* output is deterministic (nbval compares it).
'''
from __future__ import annotations

import contextlib
import json
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["check", "self_check", "keys", "Result", "not_answered", "answer_name", "KINDS"]

KINDS = ("guided", "practice", "challenge", "discussion")
KEYS = Path(__file__).resolve().parent / "exercises" / "keys.json"
_BANNED = re.compile("correct", re.IGNORECASE)
# ANSI bold + red: JupyterLab (and nbconvert) draw bold red as their "intense" red, #b22b31
FAILED_STYLE, PLAIN_STYLE = "\x1b[1;31m", "\x1b[0m"
_cache: dict[str, Any] = {}


@dataclass(frozen=True)
class Result:
    """One thing a check looked at: what it checked, whether it held, the hint."""

    what: str
    passed: bool
    hint: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.what, str) or not self.what.strip():
            raise ValueError("a check result needs a non-empty description of what was checked")
        if _BANNED.search(self.what) or _BANNED.search(self.hint or ""):
            raise ValueError("house rule: a check's description or hint says what was checked, "
                             "not pass judgement")
        object.__setattr__(self, "passed", bool(self.passed))


def answer_name(exercise_id: str) -> str:
    """'2.1' → 'answer_2_1'."""
    return "answer_" + exercise_id.replace(".", "_")


def keys() -> dict[str, Any]:
    """The key file `make build` wrote ({"exercises": {}} if there is none)."""
    try:
        mtime = KEYS.stat().st_mtime
    except FileNotFoundError:
        return {"salt": "", "exercises": {}}
    if _cache.get("mtime") != mtime:
        _cache.update(mtime=mtime, data=json.loads(KEYS.read_text(encoding="utf-8")))
    return _cache["data"]


def not_answered(exercise_id: str, detail: str = "") -> str:
    """The line check() prints for a blank answer."""
    return f"Exercise {exercise_id}: not answered yet{detail}."


def _matches(salt: str, eid: str, mistake: dict, answer: Any, form: str | None,
             outputs: list[str | None] | None) -> bool:
    from . import shapes
    if "input" in mistake:
        got = outputs[mistake["input"]] if outputs else None
        return got is not None and shapes.digest(salt, eid, got, f"in{mistake['input']}") == mistake["h"]
    if "part" in mistake:
        try:
            one = shapes.part_form(answer[mistake["part"]])
        except Exception:  # noqa: BLE001 - no such part: not this mistake
            return False
        return one is not None and shapes.digest(salt, eid, one, f"part{mistake['part']}") == mistake["h"]
    return form is not None and shapes.digest(salt, eid, form) == mistake["h"]


def self_check(exercise_id: str, answer: Any) -> tuple[list[Result], str | None]:
    """(results, error text or None) for a non-blank answer; prints nothing."""
    from . import shapes
    data = keys()
    entry = data["exercises"][exercise_id]
    spec, salt = entry["spec"], data["salt"]
    results = [Result(what, ok, hint) for what, ok, hint in shapes.form_checks(spec, answer)]
    if not all(r.passed for r in results):
        return results, None
    outputs = shapes.output_forms(spec, answer) if spec["shape"] == "function" else None
    form = None if outputs is not None else shapes.normal_form(spec, answer)
    if outputs is None and form is None:
        return results, "the answer could not be read in the form the exercise asks for"
    hint = next((m["hint"] for m in entry.get("mistakes", [])
                 if _matches(salt, exercise_id, m, answer, form, outputs)), None)
    results.append(Result("it is none of the typical mistakes this check knows", hint is None, hint or ""))
    return results, None


def _unanswered(answer: Any) -> str | None:
    from .shapes import unanswered      # imported when a check runs, as everywhere here
    return unanswered(answer)


def _describe_error(err: BaseException) -> str:
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", f"{type(err).__name__}: {err}".strip())
    return type(err).__name__ if _BANNED.search(text) else text


def _failed(line: str) -> str:
    return f"{FAILED_STYLE}{line}{PLAIN_STYLE}"


def report(exercise_id: str, answer: Any) -> str:
    """The text check() prints."""
    entry = keys()["exercises"][exercise_id]
    missing = _unanswered(answer)
    if missing is not None:
        return not_answered(exercise_id, missing)
    try:
        results, error = self_check(exercise_id, answer)
    except Exception as err:  # noqa: BLE001 - a self-check never stops Run All
        results, error = [], _describe_error(err)
    lines = [f"Exercise {exercise_id} checks: {entry['checks']}"]
    for r in results:
        lines.append(f"✓ {r.what}" if r.passed else _failed(f"✗ {r.what}"))
        if not r.passed and r.hint:
            lines.append(f"    Hint: {r.hint}")
    failed = sum(not r.passed for r in results)
    n = len(results)
    if error is not None:
        lines.append(f"? could not check: {error} (ask your instructor if this keeps happening)")
    elif failed:
        lines.append(_failed(f"✗ {failed} of {n} check{'' if n == 1 else 's'} did not pass: read the hint, "
                             "change your answer and run this cell again."))
    else:
        lines.append(f"✓ All {n} checks passed. They cover the form of the answer and the typical "
                     "mistakes listed for it, not the answer itself: your instructor's tests grade that.")
    return "\n".join(lines)


def _unknown(exercise_id: Any) -> str:
    from . import __version__
    return (f"Exercise {exercise_id}: this course package (deirezzor {__version__}) has no check for it, "
            "so nothing was checked. The notebook is probably newer than the package: run "
            "ready.check() in the first cell, it says what to install.")


def check(exercise_id: str, answer: Any) -> None:
    """Print what the self-check of ``exercise_id`` finds in ``answer`` (stdout only; never raises)."""
    if not (isinstance(exercise_id, str) and exercise_id in keys().get("exercises", {})):
        print(_unknown(exercise_id), file=sys.stdout)
        return
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(sys.stdout):
        warnings.simplefilter("always")
        text = report(exercise_id, answer)
    seen: list[str] = []
    for w in caught:
        line = f"(a warning came up while checking: {w.category.__name__}: {w.message})"
        if line not in seen:
            seen.append(line)
    print("\n".join([text, *seen]), file=sys.stdout)
