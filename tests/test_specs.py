"""Every exercise spec, one generic test: the mistakes tables ARE the hint tests.

No kernel: the specs are read from the instructor notebooks, the key file is the one
`make build` wrote (deirezzor/exercises/keys.json), and the accepted answers are read
back from the hidden tests that the build wrote into the check cells.

* every mistake written as a literal answer gets exactly its own hint from the self-check,
  on the line "it is none of the typical mistakes" (so no form check hides it);
* every accepted answer written as a literal passes the self-check;
* the hint rule: no hint names an id, letter or value of an accepted answer, and no hint
  gives code that computes it;
* nothing in the package holds an accepted answer, and the hidden test cannot be passed by
  an object that claims to equal everything.
"""
from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build  # noqa: E402
import editions  # noqa: E402
import nav  # noqa: E402

from deirezzor import shapes  # noqa: E402
from deirezzor.checks import keys, self_check  # noqa: E402

SOURCE_FILES = nav.notebook_files(ROOT / "instructor")


def _specs():
    out = []
    for path in SOURCE_FILES:
        nb = nav.read_nb(path)
        cells = {ex.id: ex for ex in editions.find_exercises(nb)}
        for eid, spec in build.read_specs(nb, path.name).items():
            out.append(pytest.param(spec, nb.cells[cells[eid].check].source, id=eid))
    return out


SPECS = _specs()


def accepted_forms(spec: dict, check_source: str) -> dict[str, str]:
    """{normal form: feedback} of the exercise's accepted answers (instructor/accepted.json,
    written by `make build`; the hidden test holds their salted hashes)."""
    assert "### BEGIN HIDDEN TESTS" in check_source, "the check cell has no hidden test: run `make build`"
    accepted = json.loads((ROOT / "instructor" / "accepted.json").read_text(encoding="utf-8"))
    assert spec["exercise"] in accepted, "not in instructor/accepted.json: run `make build`"
    forms = accepted[spec["exercise"]]
    # the hidden test holds exactly these, hashed
    hashed = ast.literal_eval(re.search(r"^_accepted_ = (\{.*?^\})", check_source, re.M | re.S)[1])
    salt = keys()["salt"]
    assert {shapes.digest(salt, spec["exercise"], f, "grade") for f in forms} == set(hashed)
    return forms


def key_tokens(spec: dict, forms: dict[str, str]) -> set[str]:
    tokens: set[str] = set()
    for form in forms:
        tokens |= set(re.findall(r"'([^']+)'", form))
        if spec["shape"] in ("whole", "number"):
            tokens |= set(re.findall(r"-?\d+(?:\.\d+)?", form))
    return tokens - set((spec.get("fields") or {}))         # a record's key names are the form, not the answer


def as_answer(spec: dict, value):
    """A literal from YAML as a student would type it (YAML has no tuples)."""
    if spec["shape"] == "pairs" and isinstance(value, list):
        return [tuple(v) if isinstance(v, list) else v for v in value]
    return value


def test_there_are_specs():
    assert len(SPECS) >= 7


@pytest.mark.parametrize("spec,check_source", SPECS)
def test_the_key_file_is_in_step_with_the_spec(spec, check_source):
    entry = keys()["exercises"].get(spec["exercise"])
    assert entry is not None, "no key entry: run `make build`"
    assert entry["checks"] == " ".join(spec["checks"].split())
    hints = {m["hint"] for m in entry["mistakes"]}
    for mistake in spec.get("mistakes") or []:
        hint = " ".join(mistake["hint"].split())
        assert any(hint in h for h in hints), f"mistake not in the key file (run `make build`): {hint[:60]}"


@pytest.mark.parametrize("spec,check_source", SPECS)
def test_each_literal_mistake_gets_its_own_hint(spec, check_source):
    eid = spec["exercise"]
    for mistake in spec.get("mistakes") or []:
        if "answer" not in mistake or "part" in mistake:
            continue                    # `code:` mistakes are proven by the build (it hashes what they give)
        answer = as_answer(spec, mistake["answer"])
        results, error = self_check(eid, answer)
        assert error is None, (answer, error)
        failed = [r for r in results if not r.passed]
        assert failed, f"{eid}: the mistake {answer!r} passes the self-check"
        first = failed[0]
        assert first.what == "it is none of the typical mistakes this check knows", \
            f"{eid}: {answer!r} is caught earlier, by {first.what!r}: leave it out of the table"
        assert " ".join(mistake["hint"].split()) in first.hint


@pytest.mark.parametrize("spec,check_source", SPECS)
def test_literal_accepted_answers_pass_the_self_check(spec, check_source):
    for entry in spec.get("accept") or []:
        if "answer" in entry:
            results, error = self_check(spec["exercise"], as_answer(spec, entry["answer"]))
            assert error is None and all(r.passed for r in results), results


CODE = re.compile(r"answer_\d+_\d+\s*=|==|!=|\s[&|]\s|\.isin\(|\.sum\(|\bdef\b|\blambda\b|sorted\(\w+\[")


@pytest.mark.parametrize("spec,check_source", SPECS)
def test_hints_point_at_the_method_and_never_name_the_key(spec, check_source):
    forms = accepted_forms(spec, check_source)
    tokens = key_tokens(spec, forms)
    for mistake in spec.get("mistakes") or []:
        hint = mistake["hint"]
        for token in tokens:
            if len(token) == 1:
                pattern = rf"['\"]{re.escape(token)}['\"]|\b(?:sentence|letter)s? {re.escape(token)}\b"
            else:
                pattern = rf"(?<![\w.-]){re.escape(token)}(?![\w-])"
            assert not re.search(pattern, hint), f"{spec['exercise']}: the hint names {token!r}: {hint}"
        assert not CODE.search(hint), f"{spec['exercise']}: the hint gives code: {hint}"


@pytest.mark.parametrize("spec,check_source", SPECS)
def test_the_package_holds_no_accepted_answer(spec, check_source):
    forms = accepted_forms(spec, check_source)
    package = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "deirezzor").rglob("*")
                        if p.suffix in (".py", ".json"))
    for form in forms:
        if spec["shape"] in ("whole", "number"):
            continue                    # a bare number is in any code; the hash test covers these
        assert form not in package, f"{spec['exercise']}: the package holds an accepted answer"


class ClaimsToEqualEverything:
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0

    def __iter__(self):
        return iter([])


@pytest.mark.parametrize("spec,check_source", SPECS)
def test_the_hidden_test_refuses_a_fake_and_a_blank(spec, check_source):
    region = check_source[check_source.index(build.HIDDEN_BEGIN):]
    var = "answer_" + spec["exercise"].replace(".", "_")
    for fake in (ClaimsToEqualEverything(), ..., None, "x"):
        with pytest.raises(Exception):  # noqa: B017 - AssertionError, or the fake's own error
            exec(region, {var: fake})   # noqa: S102
