#!/usr/bin/env python3
"""Build the student and instructor editions of the notebooks (``make student``).

    python tools/editions.py           # write editions/student/ and editions/instructor/
    python tools/editions.py --lint    # only check regions and exercise structure

Reads notebooks/*.ipynb (the solution notebooks: the single source) and writes

* ``editions/student/NN-*.ipynb``: in every cell with a solution region
  (``### BEGIN SOLUTION`` … ``### END SOLUTION``, code or markdown) the region
  is removed, markers included; the scaffold above it and anything below it
  stay.  Outputs and execution counts of solution cells (tag ``solution`` or a
  region) and check cells (tag ``check``) are cleared: they came from the
  model answers.  Everything else, metadata included, is kept.
* ``editions/instructor/NN-*.ipynb``: the notebooks as they are, with a banner
  cell "Instructor edition — contains solutions" on top.

Nothing else is copied: the editions use the installed ``deirezzor`` package,
which finds the data in the repository.

It never overwrites a person's work.  ``editions/.manifest.json`` records the
sha256 of every file this tool wrote.  A target whose content is not what the
tool wrote last (edited since, or not ours) is left alone; the new version is
written next to it as ``NAME.new.ipynb`` and the tool exits 1 naming both.
Move your edited copy elsewhere (or delete it) and run again.  There is no
--force.  A target whose content would not change is not rewritten.

A malformed region (BEGIN without END, END first, nested BEGIN) stops the tool
with exit 2, naming the notebook and the cell index, before anything is written.

``--lint`` also checks the exercise convention of deirezzor/checks.py: every
``**Exercise N.k** (kind) — …`` cell is followed by a cell tagged
``solution`` holding a region, and (except discussion exercises) a cell tagged
``check`` calling ``check("N.k", answer_N_k)``, with ids matching the notebook
number.  Registered checks are verified by the tests (tests/test_editions.py).
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nav import NOTEBOOKS, ROOT, dumps_nb, has_tag, notebook_files, read_nb  # noqa: E402

import nbformat  # noqa: E402

EDITIONS = ROOT / "editions"
MANIFEST = ".manifest.json"
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
BANNER_ID = "edition-banner"
BANNER = ("**Instructor edition — contains solutions.** The model answers are in the "
          "cells tagged `solution`. Students get the student edition "
          "(`make student` writes both to `editions/`).")
EXERCISE_RE = re.compile(
    r"^\*\*Exercise (?P<id>\d+\.\d+)\*\* \((?P<kind>guided|practice|challenge|discussion)\) — ")


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


def student_edition(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        region = has_region(cell.source)
        if region:
            cell.source = strip_regions(cell.source, _where(name, i))
        if cell.cell_type == "code" and (region or has_tag(cell, "solution") or has_tag(cell, "check")):
            cell.outputs = []
            cell.execution_count = None
    return nb


def instructor_edition(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    for i, cell in enumerate(nb.cells):
        if has_region(cell.source):
            split_regions(cell.source, _where(name, i))      # validate only
    nb = copy.deepcopy(nb)
    banner = nbformat.v4.new_markdown_cell(BANNER, metadata={"tags": ["edition-banner"]})
    banner["id"] = BANNER_ID
    nb.cells.insert(0, banner)
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
                              nb.cells[ex.check].source.strip()):
            problems.append(f"{here}: the check cell should be exactly check(\"{ex.id}\", {var})")
        elif ex.solution is not None and ex.check < ex.solution:
            problems.append(f"{here}: the check cell comes before the solution cell")
    return problems


# ------------------------------------------------------------------ writing
def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Writer:
    """Writes files under ``out`` without ever overwriting a file it did not write."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.manifest_path = self.out / MANIFEST
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
                alt_rel = rel[: -len(".ipynb")] + ".new.ipynb"
                alt = self.out / alt_rel
                if alt.exists() and alt.read_text(encoding="utf-8") != text and not self._ours(alt_rel, alt):
                    self.refused.append(f"{path} was changed since this tool wrote it, and so was "
                                        f"{alt}: wrote neither; move them aside and run again")
                    return
                self._put(alt_rel, alt, text)
                self.refused.append(f"{path} was changed since this tool wrote it (or was not written "
                                    f"by it), so it was left alone; the new version is in {alt}")
                return
        self._put(rel, path, text)

    def _put(self, rel: str, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (path.exists() and path.read_text(encoding="utf-8") == text):
            path.write_text(text, encoding="utf-8")
            self.written.append(str(path))
        self.manifest[rel] = sha256(text)

    def save_manifest(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.manifest_path.write_text(json.dumps(dict(sorted(self.manifest.items())), indent=1) + "\n",
                                      encoding="utf-8")


def build(notebooks: Path = NOTEBOOKS, out: Path = EDITIONS, quiet: bool = False) -> int:
    files = notebook_files(notebooks)
    planned: list[tuple[str, str]] = []
    try:
        for path in files:
            nb = read_nb(path)
            planned.append((f"student/{path.name}", dumps_nb(student_edition(nb, path.name))))
            planned.append((f"instructor/{path.name}", dumps_nb(instructor_edition(nb, path.name))))
    except RegionError as err:
        print(f"error: malformed solution region in notebooks/{err}; nothing was written", file=sys.stderr)
        return 2
    writer = Writer(out)
    for rel, text in planned:
        writer.write(rel, text)
    writer.save_manifest()
    if not quiet:
        for w in writer.written:
            print(f"wrote {w}")
        print(f"{len(files)} notebooks → {out}/student and {out}/instructor "
              f"({len(writer.written)} files written, the rest unchanged)")
    for r in writer.refused:
        print(f"REFUSED: {r}", file=sys.stderr)
    return 1 if writer.refused else 0


def lint_all(notebooks: Path = NOTEBOOKS) -> int:
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
    ap.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="folder of solution notebooks")
    ap.add_argument("--out", type=Path, default=EDITIONS, help="output folder (default editions/)")
    args = ap.parse_args(argv)
    if args.lint:
        return lint_all(args.notebooks)
    return build(args.notebooks, args.out)


if __name__ == "__main__":
    sys.exit(main())
