#!/usr/bin/env python3
"""`make build`: everything that is derived from the instructor notebooks, in one order.

    python tools/build.py                 # all notebooks
    python tools/build.py --check         # write nothing; exit 1 if anything is out of step
    python tools/build.py instructor/03-casualty-estimates.ipynb   # just these (then the rest of the steps)

1. **Execute** each instructor notebook (a kernel of this Python, as tools/execute.py) with
   the hidden tests of its check cells left out, and, right after each solution cell whose
   exercise has a spec (a raw cell tagged ``spec``), a capture cell that prints the normal
   form of the model answer, of each accepted alternative and of each listed mistake
   (deirezzor.shapes.capture).  The stored outputs are refreshed as by `make outputs`,
   each figure with its picture (tools/figure_images.py; ``--no-images`` leaves them out).
2. **Hidden tests**: the check cell of every spec'd exercise gets a ``### BEGIN HIDDEN TESTS``
   region that compares the answer's normal form (builtins only) with the LITERAL normal forms
   captured in step 1.  nbgrader cuts the region from the release and grades with it.
3. **Key file** ``deirezzor/exercises/keys.json``: each spec'd exercise's public form
   parameters and salted hashes of its mistakes with their hints; no accepted answer.
4. **Version**: the setup cell's ``ready.check(needs="X")`` names this package's version.
5. The nbgrader metadata and the student edition (tools/editions.py; it never overwrites a
   student's edited file), the navigation (tools/nav.py) and lessons.md's table (tools/glance.py).

Running it twice changes nothing (the salt is kept in the key file).
"""
from __future__ import annotations

import argparse
import ast
import json
import re
import secrets
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nav import ROOT, SOURCE, dumps_nb, notebook_files, read_nb  # noqa: E402

import nbformat  # noqa: E402
import yaml  # noqa: E402  (comes with nbgrader, the instructor set)

import editions  # noqa: E402

sys.path.insert(0, str(ROOT))
from deirezzor import __version__  # noqa: E402
from deirezzor import shapes  # noqa: E402

KEYS = ROOT / "deirezzor" / "exercises" / "keys.json"
# The accepted answers in plain text, for the instructor and the tests (never in the package,
# never in a release: the hidden tests hold only their hashes).
ACCEPTED = ROOT / "instructor" / "accepted.json"
HIDDEN_BEGIN, HIDDEN_END = editions.HIDDEN_BEGIN, editions.HIDDEN_END
PUBLIC = ("shape", "table", "column", "letters", "choices", "keys", "pattern", "form", "form_hint", "size", "items", "reasons", "count", "fields", "arity", "inputs",
          "returns", "unit", "digits", "normal")
SPEC_KEYS = set(PUBLIC) | {"exercise", "checks", "accept", "mistakes"}
NEEDS_RE = re.compile(r'ready\.check\((needs="[^"]*")?\)')


class SpecError(Exception):
    pass


# ------------------------------------------------------------------ specs
def has_tag(cell, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])


def read_specs(nb: nbformat.NotebookNode, name: str) -> dict[str, dict]:
    """{exercise id: spec} from the notebook's cells tagged ``spec`` (YAML)."""
    exercises = {ex.id: ex for ex in editions.find_exercises(nb)}
    specs: dict[str, dict] = {}
    for i, cell in enumerate(nb.cells):
        if not has_tag(cell, "spec"):
            continue
        where = f"{name}, cell {i}"
        try:
            spec = yaml.safe_load(cell.source)
        except yaml.YAMLError as err:
            raise SpecError(f"{where}: the spec is not valid YAML: {err}") from None
        if not isinstance(spec, dict) or "exercise" not in spec:
            raise SpecError(f"{where}: a spec starts with `exercise: \"N.k\"`")
        spec["exercise"] = eid = str(spec["exercise"])
        unknown = set(spec) - SPEC_KEYS
        if unknown:
            raise SpecError(f"{where}: unknown spec keys {sorted(unknown)}; known: {sorted(SPEC_KEYS)}")
        if eid not in exercises:
            raise SpecError(f"{where}: no **Exercise {eid}** in this notebook")
        if exercises[eid].kind == "discussion":
            raise SpecError(f"{where}: exercise {eid} is a discussion exercise, graded by hand: no spec")
        if spec.get("shape") not in shapes.SHAPES:
            raise SpecError(f"{where}: shape must be one of {', '.join(shapes.SHAPES)}")
        if not isinstance(spec.get("checks"), str) or not spec["checks"].strip():
            raise SpecError(f"{where}: `checks:` is one line saying what the self-check looks at")
        for part in ("accept", "mistakes"):
            for entry in spec.get(part) or []:
                given = [k for k in ("answer", "code", "others") if k in entry]
                if not isinstance(entry, dict) or len(given) != 1 or ("others" in entry and (
                        part != "mistakes" or spec["shape"] != "record" or "part" not in entry)):
                    raise SpecError(f"{where}: each {part} entry has one of `answer:` or `code:` "
                                    "(or, for a part of a record's mistakes, `others: true`)")
                text = "feedback" if part == "accept" else "hint"
                if not isinstance(entry.get(text), str) or not entry[text].strip():
                    raise SpecError(f"{where}: each {part} entry needs `{text}:`")
        if eid in specs:
            raise SpecError(f"{where}: a second spec for exercise {eid}")
        specs[eid] = spec
    return specs


def capture_cell(spec: dict) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(
        f"import deirezzor.shapes as _shapes_\n_shapes_.capture({spec['exercise']!r}, {spec!r}, globals())")


without_hidden = editions.without_hidden


# ------------------------------------------------------------------ execution and capture
def run_notebook(path: Path, specs: dict[str, dict], timeout: int = 600) -> tuple[nbformat.NotebookNode, dict]:
    """(the notebook with fresh outputs, {exercise id: captured forms})."""
    import execute
    original = read_nb(path)
    ex_cells = {ex.id: ex for ex in editions.find_exercises(original)}
    after = {ex_cells[eid].solution: spec for eid, spec in specs.items()}
    runnable = nbformat.from_dict(original)
    cells, origin = [], []
    for i, cell in enumerate(runnable.cells):
        cell = nbformat.from_dict(cell)
        if has_tag(cell, "check"):
            cell.source = without_hidden(cell.source)
        cells.append(cell)
        origin.append(i)
        if i in after:
            cells.append(capture_cell(after[i]))
            origin.append(None)
    runnable.cells = cells
    executed = execute.execute(runnable, path.parent, timeout)
    captured: dict = {}
    kept = []
    for cell, i in zip(executed.cells, origin):
        if i is None:
            text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
            for line in text.splitlines():
                if line.startswith(shapes.CAPTURE_MARK):
                    captured.update(json.loads(line[len(shapes.CAPTURE_MARK):]))
            continue
        cell.source = original.cells[i].source
        kept.append(cell)
    executed.cells = kept
    execute.normalise(executed)
    return execute.merge_outputs(original, executed), captured


# ------------------------------------------------------------------ writing
def accepted_forms(spec: dict, forms: dict) -> dict[str, str]:
    """{normal form: feedback} of every accepted answer: the model's first, with no feedback."""
    accepted = {forms["model"]: ""}
    for entry, form in zip(spec.get("accept") or [], forms["accept"]):
        accepted.setdefault(form, " ".join(entry["feedback"].split()))
    return accepted


def hidden_test(spec: dict, forms: dict, salt: str) -> str:
    """The hidden-test region of one check cell, builtins only.  It holds the accepted
    answers as salted hashes, not as text: the hidden test runs in the student's kernel,
    where an answer (a function, say) could read the accepted text from the cell's
    namespace or source.  Their text is in instructor/accepted.json."""
    eid = spec["exercise"]
    var = "answer_" + eid.replace(".", "_")
    accepted = accepted_forms(spec, forms)
    expr = shapes.expression(dict(spec, inputs=forms.get("inputs")))
    lines = [HIDDEN_BEGIN,
             "# Written by `make build` from the model answer and the spec: do not edit by hand.",
             "# The accepted answers, hashed (their text: instructor/accepted.json).",
             "_accepted_ = {"]
    lines += [f"    {shapes.digest(salt, eid, form, 'grade')!r}: {feedback!r}," for form, feedback in accepted.items()]
    lines.append("}")
    call = f"(lambda a: {expr})({var})"
    if spec["shape"] in ("function", "custom"):
        lines += ["with __import__('warnings').catch_warnings():",
                  "    __import__('warnings').simplefilter('ignore')",
                  f"    _form_ = {call}"]
    else:
        lines.append(f"_form_ = {call}")
    lines += [f"_form_ = __import__('hashlib').sha256('\\x1f'.join(({salt!r}, {eid!r}, 'grade', str(_form_)))"
              ".encode('utf-8')).hexdigest()[:32]",
              f"assert _form_ in _accepted_, 'Exercise {eid}: the answer is not one of the accepted answers'",
              "if _accepted_[_form_]:",
              "    print(_accepted_[_form_])",
              HIDDEN_END]
    return "\n".join(lines)


def key_entry(spec: dict, forms: dict, salt: str) -> dict:
    eid = spec["exercise"]
    public = {k: spec[k] for k in PUBLIC if k in spec}
    if forms.get("inputs") is not None:
        public["inputs"] = forms["inputs"]
    accepted = {forms["model"], *forms["accept"]}
    mistakes = []
    for entry, form in zip(spec.get("mistakes") or [], forms["mistakes"]):
        hint = " ".join(entry["hint"].split())
        if spec["shape"] == "function":
            model = forms["model_outputs"]
            differs = [i for i, (got, want) in enumerate(zip(form, model)) if got is not None and got != want]
            if not differs:
                raise SpecError(f"exercise {eid}: the mistake with hint {hint[:40]!r}... gives the model's outputs")
            mistakes += [{"input": i, "h": shapes.digest(salt, eid, form[i], f"in{i}"), "hint": hint}
                         for i in differs]
        elif entry.get("others"):
            part = entry["part"]
            right = {dict(ast.literal_eval(f)).get(str(part)) for f in accepted}
            for value in spec["fields"][part]:
                if str(value) not in right:
                    mistakes.append({"part": part, "h": shapes.digest(salt, eid, shapes.part_form(value),
                                                                      f"part{part}"), "hint": hint})
        elif "part" in entry:
            if spec["shape"] == "record" and form in {
                    shapes.part_form(dict(ast.literal_eval(f)).get(str(entry["part"]))) for f in accepted}:
                raise SpecError(f"exercise {eid}: a part mistake is part of an accepted answer ({hint[:40]!r}...)")
            mistakes.append({"part": entry["part"],
                             "h": shapes.digest(salt, eid, form, f"part{entry['part']}"), "hint": hint})
        else:
            if form is None:
                raise SpecError(f"exercise {eid}: the mistake with hint {hint[:40]!r}... has no normal form "
                                "(the form checks catch it already: leave it out)")
            if form in accepted:
                raise SpecError(f"exercise {eid}: a listed mistake is an accepted answer ({hint[:40]!r}...)")
            mistakes.append({"h": shapes.digest(salt, eid, form), "hint": hint})
    merged: list[dict] = []                     # two slips that give one answer: name both
    for m in mistakes:
        same = next((x for x in merged if x["h"] == m["h"] and x.get("input") == m.get("input")
                     and x.get("part") == m.get("part")), None)
        if same is None:
            merged.append(dict(m))
        elif m["hint"] not in same["hint"]:
            same["hint"] = f"Two slips give this answer. {same['hint']} Or: {m['hint']}"
    no_elimination(spec, merged)
    return {"checks": " ".join(spec["checks"].split()), "spec": public, "mistakes": merged}


def no_elimination(spec: dict, mistakes: list[dict]) -> None:
    """A self-check is an oracle when its hints cover every wrong answer of a small answer
    space: a student tries each, and the one left without a hint is the key.  So at least
    two answers of a choice, and two values of each field of a record, must stay unhinted
    (the key and one more): the hidden test, not trial and error, then decides."""
    eid = spec["exercise"]
    if spec["shape"] == "choice":
        hinted = {m["h"] for m in mistakes if "part" not in m and "input" not in m}
        if len(spec["choices"]) - len(hinted) < 2:
            raise SpecError(f"exercise {eid}: the mistakes table gives a hint for every wrong choice but one, "
                            "so trying each choice finds the key; leave at least one wrong choice without a hint")
    if spec["shape"] == "record":
        for part, values in (spec.get("fields") or {}).items():
            hinted = {m["h"] for m in mistakes if str(m.get("part")) == str(part)}
            if len(values) - len(hinted) < 2:
                raise SpecError(f"exercise {eid}: field {part}: every wrong value but one has a hint, so trying "
                                "each value finds the key; hint at most the typical slip (no `others: true` "
                                "where that leaves one value)")


def with_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if has_tag(cell, "setup") and cell.cell_type == "code":
            cell.source = NEEDS_RE.sub(f'ready.check(needs="{__version__}")', cell.source)
    return nb


def build_notebook(path: Path, salt: str, renderer=None) -> tuple[str, dict, dict]:
    """(new notebook text, {id: key entry}, {id: {accepted form: feedback}}) for one
    instructor notebook; with a
    ``renderer`` (tools/figure_images.py) every figure also gets its picture."""
    nb = read_nb(path)
    specs = read_specs(nb, path.name)
    executed, captured = run_notebook(path, specs)
    entries, accepted = {}, {}
    ex_cells = {ex.id: ex for ex in editions.find_exercises(executed)}
    for eid, spec in specs.items():
        forms = captured.get(eid)
        if not forms or forms.get("model") is None:
            raise SpecError(f"{path.name}: exercise {eid}: the model answer has no normal form for shape "
                            f"{spec['shape']!r} (is it the right shape?)")
        for form, entry in zip(forms["accept"], spec.get("accept") or []):
            if form is None:
                raise SpecError(f"{path.name}: exercise {eid}: an accepted answer has no normal form")
        check = executed.cells[ex_cells[eid].check]
        check.source = without_hidden(check.source) + "\n" + hidden_test(spec, forms, salt)
        entries[eid] = key_entry(spec, forms, salt)
        accepted[eid] = accepted_forms(spec, forms)
    built = with_version(executed)
    if renderer is not None:
        import execute
        execute.add_figure_images(built, renderer)
    return dumps_nb(built), entries, accepted


def load_keys() -> dict:
    try:
        return json.loads(KEYS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"salt": secrets.token_hex(16), "exercises": {}}


def dumps_keys(data: dict) -> str:
    data = {"package_version": __version__, "salt": data["salt"], "kinds": data.get("kinds", {}),
            "exercises": dict(sorted(data["exercises"].items(),
                                     key=lambda kv: tuple(int(x) for x in kv[0].split("."))))}
    return json.dumps(data, indent=1, sort_keys=False, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, help="instructor notebooks (default: all)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything is out of step")
    ap.add_argument("--no-images", action="store_true",
                    help="store no static pictures of the figures (they need Chromium)")
    args = ap.parse_args(argv)
    if args.no_images:
        return _main(args, None)
    from figure_images import Renderer
    with Renderer() as renderer:
        return _main(args, renderer)


def _main(args, renderer) -> int:
    paths = [p.resolve() for p in args.paths] or notebook_files(SOURCE)
    keys = load_keys()
    accepted = json.loads(ACCEPTED.read_text(encoding="utf-8")) if ACCEPTED.exists() else {}
    stale = []
    # the kinds of every notebook's exercises (deirezzor/series.py computes the minutes from them);
    # written first, so that the notebooks that print minutes run with them
    kinds = {p.name[:2]: [ex.kind for ex in editions.find_exercises(read_nb(p))] for p in notebook_files(SOURCE)}
    if kinds != keys.get("kinds"):
        # the minutes change: the contents notebook (00) prints them, so it runs too
        first = notebook_files(SOURCE)[0].resolve()
        paths = paths if first in paths else [first, *paths]
    keys["kinds"] = kinds
    if dumps_keys(keys) != (KEYS.read_text(encoding="utf-8") if KEYS.exists() else "") and not args.check:
        KEYS.write_text(dumps_keys(keys), encoding="utf-8")
    try:
        for path in paths:
            for attempt in (1, 2):
                before = path.read_text(encoding="utf-8")
                text, entries, accepted_here = build_notebook(path, keys["salt"], renderer)
                prefix = f"{path.name.split('-')[0].lstrip('0') or '0'}."
                old = {k: v for k, v in keys["exercises"].items() if k.startswith(prefix)}
                keys["exercises"] = {k: v for k, v in keys["exercises"].items() if not k.startswith(prefix)}
                keys["exercises"].update(entries)
                if old != entries and not args.check:
                    # the self-checks that ran used the old key file: write it and run once more
                    KEYS.write_text(dumps_keys(keys), encoding="utf-8")
                    if attempt == 1:
                        continue
                break
            accepted = {k: v for k, v in accepted.items() if not k.startswith(prefix)}
            accepted.update(accepted_here)
            if text != before:
                stale.append(str(path.relative_to(ROOT)))
                if not args.check:
                    if path.read_text(encoding="utf-8") != before:
                        print(f"SKIPPED {path.name}: it changed on disk while it ran; run again", file=sys.stderr)
                        return 1
                    path.write_text(text, encoding="utf-8")
            print(f"{'stale' if args.check and text != before else 'built'} {path.name}: "
                  f"{len(entries)} exercise(s) with a spec")
    except SpecError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    text = json.dumps(dict(sorted(accepted.items(), key=lambda kv: tuple(int(x) for x in kv[0].split(".")))),
                      indent=1, ensure_ascii=False) + "\n"
    if not ACCEPTED.exists() or ACCEPTED.read_text(encoding="utf-8") != text:
        stale.append(str(ACCEPTED.relative_to(ROOT)))
        if not args.check:
            ACCEPTED.write_text(text, encoding="utf-8")
    text = dumps_keys(keys)
    if not KEYS.exists() or KEYS.read_text(encoding="utf-8") != text:
        stale.append(str(KEYS.relative_to(ROOT)))
        if not args.check:
            KEYS.write_text(text, encoding="utf-8")
    if args.check:
        for s in stale:
            print(f"out of step: {s}", file=sys.stderr)
        rc = subprocess.call([sys.executable, str(ROOT / "tools" / "editions.py"), "--check"])
        return 1 if stale or rc else 0
    rc = 0
    for tool in ("nav.py", "glance.py", "editions.py"):   # navigation first: the student edition copies it
        rc = rc or subprocess.call([sys.executable, str(ROOT / "tools" / tool)])
    return rc


if __name__ == "__main__":
    sys.exit(main())
