#!/usr/bin/env python3
"""The student edition and the nbgrader metadata, from the one source (``make student``).

    python tools/editions.py           # write notebooks/ (student edition) and instructor/ metadata
    python tools/editions.py --check   # change nothing; exit 1 if either is out of step
    python tools/editions.py --lint    # only check regions and the exercise convention

The single source is ``instructor/NN-*.ipynb``: the notebooks with model answers
(solution regions ``### BEGIN SOLUTION`` … ``### END SOLUTION``, cells tagged
``solution`` and ``check``; see deirezzor/checks.py).  From it this tool makes:

* **nbgrader metadata in the source** (written into ``instructor/`` in place):
  every cell tagged ``solution`` or ``check`` gets ``metadata.nbgrader``
  (schema_version 3) derived from the tags and the exercise line, so one
  convention drives both: code answer cells are solution cells
  (``ex-2-1-answer``); check cells are locked autograder cells
  (``ex-2-1-check``, points by kind: guided 1, practice 2, challenge 3);
  discussion answers are manually graded solution cells (``ex-2-3-answer``,
  2 points); the setup cell is locked (``setup``).  Any other nbgrader
  metadata is removed: the tags are the truth.  The instructor notebooks are
  therefore valid nbgrader source notebooks as shipped.
* **the student edition** ``notebooks/NN-*.ipynb`` (what ``make lab`` opens and
  what students pull): every solution region removed, markers included (the
  scaffold above it stays); outputs of solution cells cleared; each check cell
  gets the output ``check()`` really prints for a blank answer ("not answered
  yet", on stderr); nbgrader metadata removed; every other cell and output as
  in the source.  nbval re-runs the student edition in ``make test``, so its
  stored outputs are proven, and a test fails when it is out of step.

It never overwrites a person's work.  ``instructor/student-edition.manifest.json``
records the sha256 of every student file this tool wrote.  A student file whose
content is not what the tool wrote last (someone worked in it) is left alone;
the new version goes to ``editions/refused/NAME`` (outside the folder students
are given) and the tool exits 1, naming both.  There is no --force.  A file
whose content would not change is not rewritten.

A malformed region (BEGIN without END, END first, nested BEGIN) stops the tool
with exit 2, naming the notebook and the cell index, before anything is written.

``--lint`` also checks the exercise convention of deirezzor/checks.py: every
``**Exercise N.k** (kind) — …`` cell is followed by a cell tagged
``solution`` holding a region, and (except discussion exercises) a cell tagged
``check`` calling ``check("N.k", answer_N_k)``, with ids matching the notebook
number.
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nav import RELEASE, ROOT, SOURCE, dumps_nb, has_tag, notebook_files, read_nb  # noqa: E402

import nbformat  # noqa: E402

REFUSED = ROOT / "editions" / "refused"
MANIFEST = "student-edition.manifest.json"
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
EXERCISE_RE = re.compile(
    r"^\*\*Exercise (?P<id>\d+\.\d+)\*\* \((?P<kind>guided|practice|challenge|discussion)\) — ")
# nbgrader points per exercise kind (check cells; discussion answers are graded by hand).
POINTS = {"guided": 1, "practice": 2, "challenge": 3, "discussion": 2}


class RegionError(Exception):
    pass


# ------------------------------------------------------------------ regions
def split_regions(source: str, where: str = "") -> tuple[list[str], list[list[str]]]:
    """Return (lines outside regions, [lines inside each region]) of a cell's source.

    Marker lines count as neither.  Raises RegionError if malformed.
    """
    outside: list[str] = []
    regions: list[list[str]] = []
    current: list[str] | None = None
    for n, line in enumerate(source.splitlines(), 1):
        marker = line.strip()
        if marker == BEGIN:
            if current is not None:
                raise RegionError(f"{where}: nested {BEGIN} at line {n}")
            current = []
        elif marker == END:
            if current is None:
                raise RegionError(f"{where}: {END} without a {BEGIN} before it, at line {n}")
            regions.append(current)
            current = None
        elif current is not None:
            current.append(line)
        else:
            outside.append(line)
    if current is not None:
        raise RegionError(f"{where}: {BEGIN} without {END}")
    return outside, regions


def has_region(source: str) -> bool:
    return any(line.strip() in (BEGIN, END) for line in source.splitlines())


def strip_regions(source: str, where: str = "") -> str:
    outside, _ = split_regions(source, where)
    while outside and not outside[-1].strip():
        outside.pop()
    return "\n".join(outside)


def _where(name: str, index: int) -> str:
    return f"{name}, cell {index}"


def blank_check_outputs(exercise_id: str) -> list:
    """What check() prints for a blank answer (``...``): a neutral line on stdout."""
    from deirezzor.checks import not_answered
    return [nbformat.v4.new_output("stream", name="stdout", text=not_answered(exercise_id) + "\n")]


HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SPEC_ID = re.compile(r'^exercise:\s*["\']?(?P<id>\d+\.\d+)["\']?\s*$', re.M)


def without_hidden(source: str) -> str:
    """A check cell's source without its hidden-test region (what students see)."""
    out, inside = [], False
    for line in source.splitlines():
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        elif line.strip() == HIDDEN_END:
            inside = False
        elif not inside:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


def spec_ids(nb: nbformat.NotebookNode) -> set[str]:
    """Ids of the exercises that have a spec cell (tagged ``spec``)."""
    return {m["id"] for c in nb.cells if has_tag(c, "spec") for m in [SPEC_ID.search(c.source)] if m}


CHECK_CALL = re.compile(r'^check\("(?P<id>\d+\.\d+)", (?P<var>answer_\d+_\d+)\)$')


def student_edition(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """What students open: no solution regions, blank checks, no nbgrader metadata."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not has_tag(c, "spec")]     # specs never reach students
    count = 0
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("nbgrader", None)
        region = has_region(cell.source)
        if region:
            cell.source = strip_regions(cell.source, _where(name, i))
        if cell.cell_type != "code":
            continue
        if region or has_tag(cell, "solution"):
            cell.outputs = []
        elif has_tag(cell, "check"):
            cell.source = without_hidden(cell.source)
            m = CHECK_CALL.match(cell.source.strip())
            cell.outputs = blank_check_outputs(m["id"]) if m else []
        count += 1                      # as if run top to bottom in a fresh kernel
        cell.execution_count = count
        for out in cell.outputs:
            if out.get("output_type") == "execute_result":
                out["execution_count"] = count
    return nb


def with_nbgrader(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """The source notebook with metadata.nbgrader derived from the tags (see the module doc)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    for ex in find_exercises(nb):
        slug = "ex-" + ex.id.replace(".", "-")
        if ex.solution is not None:
            meta = {"grade": ex.kind == "discussion", "grade_id": f"{slug}-answer", "locked": False,
                    "schema_version": 3, "solution": True, "task": False}
            if ex.kind == "discussion":
                meta["points"] = POINTS["discussion"]
            nb.cells[ex.solution].metadata["nbgrader"] = meta
        if ex.check is not None and ex.kind != "discussion":
            nb.cells[ex.check].metadata["nbgrader"] = {
                "grade": True, "grade_id": f"{slug}-check", "locked": True, "points": POINTS[ex.kind],
                "schema_version": 3, "solution": False, "task": False}
    for cell in nb.cells:
        if has_tag(cell, "setup") and cell.cell_type == "code":
            cell.metadata["nbgrader"] = {"grade": False, "grade_id": "setup", "locked": True,
                                         "schema_version": 3, "solution": False, "task": False}
    return nb


# ------------------------------------------------------------------ exercises
@dataclass
class ExerciseCells:
    id: str
    kind: str
    index: int                      # the exercise markdown cell
    solution: int | None = None
    check: int | None = None


def find_exercises(nb: nbformat.NotebookNode) -> list[ExerciseCells]:
    """Exercises in a notebook, each with the solution/check cells that follow it
    (up to the next exercise or heading cell)."""
    found: list[ExerciseCells] = []
    current: ExerciseCells | None = None
    for i, cell in enumerate(nb.cells):
        m = EXERCISE_RE.match(cell.source) if cell.cell_type == "markdown" else None
        if m:
            current = ExerciseCells(m["id"], m["kind"], i)
            found.append(current)
            continue
        if current is None:
            continue
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#") and not has_tag(cell, "solution"):
            current = None
        elif has_tag(cell, "solution") and current.solution is None:
            current.solution = i
        elif has_tag(cell, "check") and current.check is None:
            current.check = i
    return found


def lint(nb: nbformat.NotebookNode, name: str, number: int | None = None) -> list[str]:
    """Problems with regions and the exercise convention (empty list: none)."""
    problems: list[str] = []
    for i, cell in enumerate(nb.cells):
        if has_region(cell.source):
            try:
                _, regions = split_regions(cell.source, _where(name, i))
            except RegionError as err:
                problems.append(str(err))
                continue
            if not has_tag(cell, "solution"):
                problems.append(f"{_where(name, i)}: has a solution region but is not tagged 'solution'")
            if cell.cell_type == "code" and not strip_regions(cell.source).strip():
                problems.append(f"{_where(name, i)}: no scaffold line above the region "
                                "(e.g. `answer_2_1 = ...  # your answer: ...`)")
        elif has_tag(cell, "solution"):
            problems.append(f"{_where(name, i)}: tagged 'solution' but has no {BEGIN}/{END} region")
    for i, cell in enumerate(nb.cells):
        if (cell.cell_type == "markdown" and re.search(r"\*\*Exercise \d", cell.source)
                and not EXERCISE_RE.match(cell.source) and not has_tag(cell, "solution")):
            problems.append(f"{_where(name, i)}: mentions **Exercise but does not start with "
                            "'**Exercise N.k** (kind) — ' (put the exercise in a cell of its own)")
    seen: set[str] = set()
    for ex in find_exercises(nb):
        here = f"{name}, exercise {ex.id} (cell {ex.index})"
        if ex.id in seen:
            problems.append(f"{here}: the id is used twice")
        seen.add(ex.id)
        if number is not None and int(ex.id.split(".")[0]) != number:
            problems.append(f"{here}: ids in notebook {number:02d} must start with '{number}.'")
        var = "answer_" + ex.id.replace(".", "_")
        if ex.solution is None:
            problems.append(f"{here}: no cell tagged 'solution' after it")
        else:
            sol = nb.cells[ex.solution]
            want = "markdown" if ex.kind == "discussion" else "code"
            if sol.cell_type != want:
                problems.append(f"{here}: the solution cell should be a {want} cell")
            elif want == "code" and not re.search(rf"^{var}\s*=", strip_regions(sol.source), re.M):
                problems.append(f"{here}: the scaffold above the region should assign {var} = ...")
        if ex.kind == "discussion":
            continue
        if ex.check is None:
            problems.append(f"{here}: no cell tagged 'check' after it")
        elif not re.fullmatch(rf'check\("{re.escape(ex.id)}", {var}\)',
                              without_hidden(nb.cells[ex.check].source).strip()):
            problems.append(f"{here}: the check cell should be exactly check(\"{ex.id}\", {var})")
        elif ex.solution is not None and ex.check < ex.solution:
            problems.append(f"{here}: the check cell comes before the solution cell")
    return problems


# ------------------------------------------------------------------ writing
def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Writer:
    """Writes files into ``out`` without ever overwriting a file it did not write.

    A refused file's new version goes to ``refused`` (never beside the person's file)."""

    def __init__(self, out: Path, manifest_path: Path, refused: Path = REFUSED):
        self.out = Path(out)
        self.manifest_path = Path(manifest_path)
        self.refused_dir = Path(refused)
        try:
            self.manifest: dict[str, str] = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.manifest = {}
        self.refused: list[str] = []
        self.written: list[str] = []

    def _ours(self, rel: str, path: Path) -> bool:
        return self.manifest.get(rel) == sha256(path.read_text(encoding="utf-8"))

    def write(self, rel: str, text: str) -> None:
        path = self.out / rel
        if path.exists():
            current = path.read_text(encoding="utf-8")
            if current == text:
                self.manifest[rel] = sha256(text)
                return
            if not self._ours(rel, path):
                alt = self.refused_dir / rel
                alt.parent.mkdir(parents=True, exist_ok=True)
                alt.write_text(text, encoding="utf-8")
                self.refused.append(f"{path} was changed since this tool wrote it (or was not written "
                                    f"by it), so it was left alone. The new version is in {alt}")
                return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.written.append(str(path))
        self.manifest[rel] = sha256(text)

    def save_manifest(self) -> None:
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(dict(sorted(self.manifest.items())), indent=1) + "\n"
        if not (self.manifest_path.exists() and self.manifest_path.read_text(encoding="utf-8") == text):
            self.manifest_path.write_text(text, encoding="utf-8")


def plan(source: Path = SOURCE) -> list[tuple[Path, str, str, str]]:
    """[(source path, source text with nbgrader metadata, student file name, student text)]."""
    planned = []
    for path in notebook_files(source):
        nb = with_nbgrader(read_nb(path), path.name)
        planned.append((path, dumps_nb(nb), path.name, dumps_nb(student_edition(nb, path.name))))
    return planned


def out_of_step(source: Path = SOURCE, student: Path = RELEASE) -> list[str]:
    """Why the source metadata or the student edition is stale (empty list: in step)."""
    problems = []
    manifest_path = source / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    for path, source_text, name, student_text in plan(source):
        if path.read_text(encoding="utf-8") != source_text:
            problems.append(f"{path}: its nbgrader metadata does not follow its tags")
        target = student / name
        if not target.exists():
            problems.append(f"{target} is missing")
        elif target.read_text(encoding="utf-8") != student_text:
            problems.append(f"{target} is not the student edition of {path}")
        elif manifest.get(name) != sha256(student_text):
            problems.append(f"{manifest_path} does not record {name} as written by the tool")
    extra = {p.name for p in notebook_files(student)} - {p.name for p in notebook_files(source)}
    problems += [f"{student / n} has no source in {source}" for n in sorted(extra)]
    return problems


def build(source: Path = SOURCE, student: Path = RELEASE, refused: Path = REFUSED,
          quiet: bool = False) -> int:
    try:
        planned = plan(source)
    except RegionError as err:
        print(f"error: malformed solution region in {source.name}/{err}; nothing was written", file=sys.stderr)
        return 2
    writer = Writer(student, source / MANIFEST, refused)
    for path, source_text, name, student_text in planned:
        if path.read_text(encoding="utf-8") != source_text:
            path.write_text(source_text, encoding="utf-8")
            if not quiet:
                print(f"nbgrader metadata updated: {path}")
        writer.write(name, student_text)
    writer.save_manifest()
    if not quiet:
        for w in writer.written:
            print(f"wrote {w}")
        print(f"{len(planned)} notebooks: {source.name}/ → student edition in {student}/ "
              f"({len(writer.written)} written, the rest unchanged)")
    for r in writer.refused:
        print(f"REFUSED: {r}", file=sys.stderr)
    return 1 if writer.refused else 0


def lint_all(notebooks: Path = SOURCE) -> int:
    problems: list[str] = []
    for path in notebook_files(notebooks):
        m = re.match(r"(\d\d)-", path.name)
        problems += lint(read_nb(path), path.name, int(m[1]) if m else None)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if not problems:
        print("solution regions and exercise cells look fine")
    return 2 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lint", action="store_true", help="only check regions and exercise cells; write nothing")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything is out of step")
    ap.add_argument("--source", type=Path, default=SOURCE, help="folder of source notebooks (instructor/)")
    ap.add_argument("--student", type=Path, default=RELEASE, help="student edition folder (notebooks/)")
    ap.add_argument("--refused", type=Path, default=REFUSED, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.lint:
        return lint_all(args.source)
    if args.check:
        problems = out_of_step(args.source, args.student)
        for p in problems:
            print(f"out of step: {p}", file=sys.stderr)
        if problems:
            print("run `make student` and commit the result", file=sys.stderr)
        return 1 if problems else 0
    return build(args.source, args.student, args.refused)


if __name__ == "__main__":
    sys.exit(main())
