'''Exercise checks: the convention every notebook follows, and ``check()``.

THE EXERCISE CONVENTION
=======================

Exercise ids are ``"N.k"``: N is the notebook number without leading zero
(notebook 02 → ``"2.1"``, ``"2.2"``, ...), k counts from 1 within the notebook.
The answer variable is ``answer_N_k``.  Each exercise is three cells, in order:

1. A markdown cell that starts with the exercise line, kind in parentheses::

       **Exercise 2.1** (guided) — How many minutes passed between ...?

   kind is one of: guided | practice | challenge | discussion.

2. The answer cell, tagged ``solution`` (cell metadata tags).  For a code
   exercise: the scaffold line the student fills in, then the model answer
   between nbgrader-compatible markers (the student edition removes the
   region, markers included, and keeps the scaffold)::

       answer_2_1 = ...  # your answer: a whole number of minutes
       ### BEGIN SOLUTION
       answer_2_1 = int((end - start).total_seconds() // 60)
       ### END SOLUTION

   For a discussion exercise: a *markdown* cell tagged ``solution``::

       *Write your answer here.*

       ### BEGIN SOLUTION
       Model points: ...
       ### END SOLUTION

3. (not for discussion exercises) The check cell, tagged ``check``, one line::

       check("2.1", answer_2_1)

   ``from deirezzor.checks import check`` belongs in the notebook's setup cell.

Cells tagged ``solution`` and ``check`` must not be needed by later cells: the
student edition runs top to bottom with every answer still ``...``.

WRITING THE CHECKS
==================

Checks live in ``deirezzor/exercises/nbNN.py`` (``nb02.py`` for notebook 02),
one module per notebook, written by the notebook's author.  ``check("2.1", …)``
imports ``nb02`` on first use; nothing else needs registering.  A check
function receives the student's answer and calls :func:`expect` once per thing
it checks, in order (or returns a list of :class:`Result`)::

    from deirezzor import load
    from deirezzor.checks import exercise, expect

    @exercise("2.1", checks="the answer is a whole number of minutes between "
                            "the first Russian call and the callback in data/events.csv")
    def _(answer):
        if not expect(isinstance(answer, int), "the answer is a whole number",
                      "Use int(...) around your calculation."):
            return                       # the remaining checks need a number
        expect(0 < answer < 24 * 60, "it is between 0 and 1440 minutes (one day)",
               "Did you subtract the later time from the earlier one?")
        ev = load("events").set_index("event_id")
        gap = ev.at["E12", "time_utc"] - ev.at["E11", "time_utc"]
        expect(answer == int(gap.total_seconds() // 60),
               "it equals the gap between events E11 and E12",
               "Both times are in the time_utc column; subtract them.")

Rules for the text (the output is what students read):

* ``what`` says what was checked, as a fact about the answer.  Never say the
  answer is "correct" or "right": a check only covers what it lists.  The
  word "correct" (any case, also inside "incorrect") is refused.
* ``hint`` is shown only when that check fails; it points at the method, it
  does not give the answer away.
* Output must be deterministic (nbval compares stored outputs): no times,
  no random numbers, no memory addresses, no unordered-set printing.
* An exception in a check function is reported as "could not check: …",
  never as a pass.  ``expect`` returns the condition, so guard later checks.

WHAT ``check()`` PRINTS
=======================

* answer is ``...`` or ``None``: ``Exercise 2.1: not answered yet.``
* otherwise one line per check, ✓ or ✗, the hint under each ✗, and a closing
  line such as ``All 3 checks passed (these checks cover only what is listed
  above).``
* It never raises (an unknown id aside), so Run All continues.
* A report in which everything passed goes to stdout.  Anything else (not
  answered, a check that did not pass, "could not check") goes to **stderr**:
  JupyterLab shows it on a red background, and nbgrader's autograder gives a
  check cell with stderr output 0 points.  So a blank answer scores 0, a wrong
  one scores 0, an error inside a check scores 0 and says "could not check",
  and only an answer that passes every listed check gets the cell's points.
* an unknown id raises ``LookupError`` naming the known ids (an authoring bug).

Shared first checks, so that the first failing line names the real mistake:
:func:`expect_whole` (a whole number; says "use int(...)" for 12.0),
:func:`expect_type` (a list where a tuple is wanted, a text, a dict …) and
:func:`describe_crash` (what to say when a student's function raises).

``registry()`` imports every ``deirezzor/exercises/nbNN.py`` and returns all
registered exercises by id (the tests use it).
'''
from __future__ import annotations

import importlib
import os
import pkgutil
import re
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterable

__all__ = ["check", "exercise", "expect", "Result", "Exercise", "registry", "run",
           "EXERCISE_LINE_RE", "answer_name", "module_for", "is_whole", "expect_whole",
           "expect_type", "describe_crash", "type_name", "first_failure", "is_number"]

ID_RE = re.compile(r"^(?P<nb>0|[1-9][0-9]?)\.(?P<k>[1-9][0-9]*)$")
# The first line of an exercise's markdown cell.
EXERCISE_LINE_RE = re.compile(
    r"^\*\*Exercise (?P<id>\d+\.\d+)\*\* \((?P<kind>guided|practice|challenge|discussion)\) — \S"
)
KINDS = ("guided", "practice", "challenge", "discussion")
_BANNED = re.compile("correct", re.IGNORECASE)
_EXERCISES_PACKAGE = "deirezzor.exercises"


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
            raise ValueError("house rule: a check's description or hint must say what was "
                             "checked, not pass judgement (see deirezzor/checks.py)")
        object.__setattr__(self, "passed", bool(self.passed))


@dataclass(frozen=True)
class Exercise:
    id: str
    checks: str                       # one line: what the check function looks at
    function: Callable[[Any], Any]
    module: str

    @property
    def notebook(self) -> int:
        return int(self.id.split(".")[0])


_REGISTRY: dict[str, Exercise] = {}
_collecting: list[list[Result]] = []   # stack of result lists of running checks
_module_mtimes: dict[str, float] = {}


def module_for(exercise_id: str) -> str:
    """'2.1' → 'deirezzor.exercises.nb02'."""
    return f"{_EXERCISES_PACKAGE}.nb{int(exercise_id.split('.')[0]):02d}"


def answer_name(exercise_id: str) -> str:
    """'2.1' → 'answer_2_1'."""
    return "answer_" + exercise_id.replace(".", "_")


def _sort_key(exercise_id: str) -> tuple[int, int]:
    n, k = exercise_id.split(".")
    return int(n), int(k)


def exercise(exercise_id: str, *, checks: str) -> Callable:
    """Register the decorated function as the check for ``exercise_id``.

    ``checks`` is one line saying what the function looks at; it is printed
    above the results.
    """
    if not isinstance(exercise_id, str) or not ID_RE.match(exercise_id):
        raise ValueError(f"exercise id {exercise_id!r} must look like '2.1' (notebook number, dot, count)")
    if not isinstance(checks, str) or not checks.strip() or "\n" in checks:
        raise ValueError(f"exercise {exercise_id}: checks= must be one non-empty line")
    if _BANNED.search(checks):
        raise ValueError(f"exercise {exercise_id}: house rule: checks= says what is checked, "
                         "not pass judgement (see deirezzor/checks.py)")

    def register(function: Callable) -> Callable:
        module = function.__module__
        expected = module_for(exercise_id)
        if module.startswith(_EXERCISES_PACKAGE + ".") and module != expected:
            raise ValueError(f"exercise {exercise_id} must be defined in "
                             f"{expected.replace('.', '/')}.py, not in {module.replace('.', '/')}.py")
        old = _REGISTRY.get(exercise_id)
        if (old is not None and old.module == module
                and old.function.__code__.co_firstlineno != function.__code__.co_firstlineno):
            raise ValueError(f"exercise {exercise_id} is registered twice in {module}")
        if old is not None and old.module != module:
            raise ValueError(f"exercise {exercise_id} is registered in both {old.module} and {module}")
        _REGISTRY[exercise_id] = Exercise(exercise_id, checks.strip(), function, module)
        return function

    return register


def is_whole(x) -> bool:
    """True for a whole number (int, numpy integer), False for bool, float and anything else.

    Shared by the exercise modules: "the answer is a whole number" is the most
    common first check.
    """
    import numbers
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


_TYPE_NAMES = {"int": "a whole number (int)", "float": "a decimal number (float)", "str": "a text (str)",
               "list": "a list", "tuple": "a tuple", "dict": "a dict", "bool": "True/False (bool)",
               "NoneType": "None", "function": "a function", "set": "a set"}


def type_name(x: Any) -> str:
    """'a list', 'a text (str)', 'a pandas DataFrame' … for messages."""
    t = type(x)
    if is_whole(x):
        return _TYPE_NAMES["int"]
    if t.__module__.startswith(("pandas", "numpy")):
        return f"a {t.__module__.split('.')[0]} {t.__name__}"
    return _TYPE_NAMES.get(t.__name__, f"a {t.__name__}")


def is_number(x: Any) -> bool:
    """A real number (int, float, numpy number), not a bool."""
    import numbers
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def expect_whole(answer: Any, unit: str = "", how: str = "", what: str | None = None) -> bool:
    """First check of a whole-number answer: the hint names what was given and what to do.

    ``unit`` ("minutes") goes into the line ("the answer is a whole number of
    minutes"); ``how`` is one sentence on the method, added where it helps;
    ``what`` replaces the whole line (for a part of an answer).
    """
    failed_what = what
    if what is None:
        what = f"the answer is a whole number of {unit}" if unit else "the answer is a whole number"
        failed_what = what + " (an int)"
    if is_whole(answer):
        return expect(True, what)
    how = f" {how}" if how else ""
    if isinstance(answer, bool):
        hint = f"You gave True or False. Give the number itself, not a comparison.{how}"
    elif is_number(answer) and float(answer).is_integer():
        hint = (f"You gave {answer!r}, a float. Wrap your calculation in int(...) so that "
                "it becomes a whole number.")
    elif is_number(answer):
        hint = f"You gave {answer!r}, which has a fractional part.{how}"
    elif isinstance(answer, str):
        hint = "You gave a text (in quotes). Give the number itself, without quotes."
    elif type(answer).__name__ in ("Series", "DataFrame"):
        hint = f"You gave {type_name(answer)}, one value per row.{how}"
    else:
        hint = f"You gave {type_name(answer)}.{how}"
    return expect(False, failed_what, hint)


def expect_type(answer: Any, kind: type | tuple, what: str) -> bool:
    """A type check whose hint says what was given instead ("a list, not a tuple")."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(answer, kinds) and not (bool not in kinds and isinstance(answer, bool)):
        return expect(True, what)
    wanted = " or ".join(_TYPE_NAMES.get(k.__name__, k.__name__) for k in kinds)
    return expect(False, what, f"You gave {type_name(answer)}; {wanted} is needed here.")


def describe_crash(err: BaseException, given: str) -> str:
    """A hint for a student's function that raised: which input, which error, what it usually means."""
    usual = {"IndexError": "a list or text was shorter than the code expected",
             "KeyError": "a key or column name that does not exist",
             "TypeError": "a value of the wrong type (for example a text where a number is needed)",
             "ValueError": "a value the operation cannot use",
             "AttributeError": "a method called on the wrong kind of value",
             "ZeroDivisionError": "a division by zero",
             "NameError": "a name that is not defined inside the function"}
    name = type(err).__name__
    meaning = usual.get(name)
    return (f"Your function raised {name} when it was given {given}"
            + (f": that usually means {meaning}." if meaning else "."))


def expect(condition: Any, what: str, hint: str = "") -> bool:
    """Record one check inside a check function; return whether it held.

    ``what``: what was checked ("the answer is a whole number").
    ``hint``: shown only if it did not hold.
    ``bool(condition)`` must be defined: a pandas ``NA`` raises, which is
    reported as "could not check", never as a pass.
    """
    if not _collecting:
        raise RuntimeError("expect() works only inside a check function registered with @exercise")
    result = Result(what, bool(condition), hint)
    _collecting[-1].append(result)
    return result.passed


def _import_exercises(module: str, reload: bool = False) -> bool:
    """Import (or reload if its file changed) one nbNN module; False if it does not exist."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name in (module, _EXERCISES_PACKAGE):
            return False
        raise
    path = getattr(mod, "__file__", None)
    if path:
        mtime = os.stat(path).st_mtime
        known = _module_mtimes.setdefault(module, mtime)
        if reload and mtime != known:   # author edited nbNN.py: pick up the new checks
            for key in [k for k, ex in _REGISTRY.items() if ex.module == module]:
                del _REGISTRY[key]
            importlib.reload(mod)
            _module_mtimes[module] = mtime
    return True


def registry() -> dict[str, Exercise]:
    """All registered exercises, by id in notebook order (imports every nbNN module)."""
    package = importlib.import_module(_EXERCISES_PACKAGE)
    for info in pkgutil.iter_modules(package.__path__):
        if re.fullmatch(r"nb\d\d", info.name):
            _import_exercises(f"{_EXERCISES_PACKAGE}.{info.name}")
    return {k: _REGISTRY[k] for k in sorted(_REGISTRY, key=_sort_key)}


def _lookup(exercise_id: Any) -> Exercise:
    if isinstance(exercise_id, str) and ID_RE.match(exercise_id):
        found = _import_exercises(module_for(exercise_id), reload=True)
        if exercise_id in _REGISTRY:
            return _REGISTRY[exercise_id]
        where = (f"{module_for(exercise_id).replace('.', '/')}.py"
                 + ("" if found else " (that file does not exist yet)"))
    else:
        where = "deirezzor/exercises/ (ids look like '2.1')"
    known = ", ".join(registry()) or "none"
    raise LookupError(f"No check is registered for exercise {exercise_id!r}; it would live in "
                      f"{where}. Known exercises: {known}.")


def _unanswered(answer: Any) -> str | None:
    if answer is ... or answer is None:
        return ""
    parts: Iterable[Any] = ()
    if isinstance(answer, (tuple, list)):
        parts = answer
    elif isinstance(answer, dict):
        parts = answer.values()
    if any(p is ... for p in parts):
        return " (part of the answer is still ...)"
    return None


def _describe_error(err: BaseException) -> str:
    text = f"{type(err).__name__}: {err}".strip()
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", text)     # keep output deterministic
    if _BANNED.search(text):
        text = type(err).__name__
    return text


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def run(exercise_id: str, answer: Any) -> tuple[list[Result], str | None]:
    """Run the check function; return (results, error text or None). No printing."""
    ex = _lookup(exercise_id)
    results: list[Result] = []
    error: str | None = None
    _collecting.append(results)
    try:
        returned = ex.function(answer)
    except Exception as err:  # noqa: BLE001 - any failure is "could not check"
        error = _describe_error(err)
        returned = None
    finally:
        _collecting.pop()
    if returned is not None and error is None:
        if isinstance(returned, (list, tuple)) and all(isinstance(r, Result) for r in returned):
            results.extend(returned)
        else:
            error = (f"the check function returned {type(returned).__name__}; "
                     "it should call expect() or return a list of Result")
    if not results and error is None:
        error = "the check function did not check anything"
    return results, error


def first_failure(exercise_id: str, answer: Any) -> Result | None:
    """The first check of ``exercise_id`` that ``answer`` does not pass (None if it passes all).

    For authors and the hint tests (tests/test_hints_nbNN.py): the first
    failing line is the one a student reads first, so it must name the
    actual mistake.  A check that could not run raises AssertionError.
    """
    results, error = run(exercise_id, answer)
    assert error is None, f"the check of {exercise_id} could not run on {answer!r}: {error}"
    return next((r for r in results if not r.passed), None)


def not_answered(exercise_id: str, detail: str = "") -> str:
    """The line check() prints (on stderr) for a blank answer."""
    return f"Exercise {exercise_id}: not answered yet{detail}."


# ------------------------------------------------------------------ spec'd exercises
# Exercises converted to specs (docs/writing-an-exercise.md) are checked from the key file
# that `make build` writes: public form checks and salted hashes of typical mistakes, never
# the key itself.  Their output goes to stdout only; the grade comes from nbgrader's hidden
# tests in the instructor notebooks.
KEYS_FILE = "exercises/keys.json"
_keys_cache: dict[str, Any] = {}


def keys() -> dict[str, Any]:
    """The key file the build wrote ({} if there is none)."""
    import json
    from pathlib import Path
    path = Path(__file__).with_name("exercises") / "keys.json"
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return {}
    if _keys_cache.get("mtime") != mtime:
        _keys_cache.update(mtime=mtime, data=json.loads(path.read_text(encoding="utf-8")))
    return _keys_cache["data"]


def self_check(exercise_id: str, answer: Any) -> tuple[list[Result], str | None]:
    """The results a spec'd exercise's self-check shows (no printing): form checks, then mistakes."""
    from . import shapes
    data = keys()
    entry = data["exercises"][exercise_id]
    spec, salt = entry["spec"], data["salt"]
    results = [Result(what, ok, hint) for what, ok, hint in shapes.form_checks(spec, answer)]
    if not all(r.passed for r in results):
        return results, None
    hint = None
    if spec["shape"] == "function":
        forms = shapes.output_forms(spec, answer)
        for m in entry.get("mistakes", []):
            i = m.get("input")
            if i is not None and forms[i] is not None and shapes.digest(salt, exercise_id, forms[i], f"in{i}") == m["h"]:
                hint = m["hint"]
                break
    else:
        form = shapes.normal_form(spec, answer)
        if form is None:
            return results, "the answer could not be read in the form the exercise asks for"
        for m in entry.get("mistakes", []):
            part = m.get("part")
            if part is not None:
                try:
                    one = shapes.part_form(answer[part])
                except Exception:  # noqa: BLE001 - no such part: not this mistake
                    one = None
                if one is not None and shapes.digest(salt, exercise_id, one, f"part{part}") == m["h"]:
                    hint = m["hint"]
                    break
            elif shapes.digest(salt, exercise_id, form) == m["h"]:
                hint = m["hint"]
                break
    results.append(Result("it is none of the typical mistakes this check knows", hint is None, hint or ""))
    return results, None


def _report_spec(exercise_id: str, answer: Any) -> str:
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
        lines.append(f"✓ {r.what}" if r.passed else f"✗ {r.what}")
        if not r.passed and r.hint:
            lines.append(f"    Hint: {r.hint}")
    failed = sum(not r.passed for r in results)
    if error is not None:
        lines.append(f"? could not check: {error}")
    elif failed:
        lines.append(f"✗ {failed} of {len(results)} check{_s(len(results))} did not pass: read the hint, "
                     "change your answer and run this cell again.")
    else:
        lines.append(f"✓ All {len(results)} checks passed. They cover the form of the answer and the "
                     "typical mistakes listed for it, not the answer itself: your instructor's tests "
                     "grade that.")
    return "\n".join(lines)


def _unknown(exercise_id: Any) -> str:
    from . import __version__
    return (f"Exercise {exercise_id}: this course package (deirezzor {__version__}) has no check for it, "
            "so nothing was checked. The notebook is probably newer than the package: run "
            "ready.check() in the first cell, it says what to install.")


def check(exercise_id: str, answer: Any) -> None:
    """Run the checks of one exercise on ``answer`` and print what they found.

    Spec'd exercises (see docs/writing-an-exercise.md) print on stdout only, warnings
    included, and never raise.  An unknown id prints a note and returns.  Exercises
    still on the old registry keep its behaviour (below) until they are converted.
    """
    import contextlib
    import warnings
    if isinstance(exercise_id, str) and exercise_id in keys().get("exercises", {}):
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(sys.stdout):
            warnings.simplefilter("always")
            text = _report_spec(exercise_id, answer)
        seen = []
        for w in caught:
            line = f"(a warning came up while checking: {w.category.__name__}: {w.message})"
            if line not in seen:
                seen.append(line)
        print("\n".join([text, *seen]), file=sys.stdout)
        return
    try:
        _lookup(exercise_id)
    except LookupError:
        print(_unknown(exercise_id), file=sys.stdout)
        return
    _check_registered(exercise_id, answer)


def _check_registered(exercise_id: str, answer: Any) -> None:
    ex = _lookup(exercise_id)
    missing = _unanswered(answer)
    if missing is not None:
        print(not_answered(ex.id, missing), file=sys.stderr)
        return
    results, error = run(ex.id, answer)
    lines = [f"Exercise {ex.id} checks: {ex.checks}"]
    for r in results:
        lines.append(f"✓ {r.what}" if r.passed else f"✗ {r.what}")
        if not r.passed and r.hint:
            lines.append(f"    Hint: {r.hint}")
    failed = sum(not r.passed for r in results)
    if error is not None:
        lines.append(f"? could not check: {error}")
        lines.append("Checking stopped early, so this answer is unchecked "
                     "(ask your instructor if this keeps happening).")
    elif failed:
        lines.append(f"{failed} of {len(results)} check{_s(len(results))} did not pass "
                     "(see the hints above).")
    elif len(results) == 1:
        lines.append("The 1 check passed (it covers only what is listed above).")
    else:
        lines.append(f"All {len(results)} checks passed "
                     "(these checks cover only what is listed above).")
    passed = error is None and not failed
    print("\n".join(lines), file=sys.stdout if passed else sys.stderr)
