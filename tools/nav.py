#!/usr/bin/env python3
"""Write the navigation of every notebook from deirezzor/series.py SERIES.

    python tools/nav.py            # (make nav) rewrite what has drifted
    python tools/nav.py --check    # exit 1 listing notebooks whose navigation drifted

For each instructor/NN-*.ipynb (the source) listed in SERIES it makes sure that

* the cell tagged ``header`` (the notebook's title cell; required) is directly
  followed by a markdown cell tagged ``nav``;
* the very last cell is a markdown cell tagged ``nav``;
* both contain ``nav_markdown(slug)``: "← Previous | Contents | Next →";
* in 00-start-here, the markdown cell tagged ``contents`` holds the contents
  table built from SERIES (inserted after the top nav cell if missing);
* the header cell's ``**Time:**`` and ``**Data:**`` lines are the ones
  ``header_lines(slug)`` computes from SERIES (they replace lines that start
  so, or go before the content note / at the end of the header if missing).
  They are the only place a notebook states its time and data: the setup
  cell prints nothing of the kind.

Cells are found by their metadata tags, not by position.  A ``nav`` cell
anywhere else is generated content out of place: it is removed (and reported).
Existing nav cells keep their ids and metadata; new ones get the ids
``nav-top``/``nav-bottom``/``contents``.  Nothing else in a notebook is touched;
a notebook whose navigation is already right is not rewritten at all.

Also errors (exit 2) for a notebook in instructor/ that is not in SERIES, or one
without a ``header`` cell.  Notebooks listed in SERIES but not yet created are
reported and skipped (create them with ``python tools/new_notebook.py SLUG``).

The module also holds the notebook I/O used by the other tools: read with
nbformat, write exactly as Jupyter does (indent=1, ensure_ascii=False,
trailing newline).
"""
from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The single source: the notebooks with model answers and nbgrader metadata.
SOURCE = ROOT / "instructor"
# The release: what students open, the student edition generated from SOURCE (make build).
RELEASE = ROOT / "notebooks"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from deirezzor.series import CONTENTS_FILE, SERIES, contents_markdown, entry, header_lines, nav_markdown  # noqa: E402

NB_VERSION = 4


# ---------------------------------------------------------------- notebook I/O
def read_nb(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=NB_VERSION)


def dumps_nb(nb: nbformat.NotebookNode) -> str:
    """The text Jupyter would save: nbformat.writes (indent=1, sorted keys,
    ensure_ascii=False) plus a trailing newline."""
    text = nbformat.writes(nb, version=NB_VERSION)
    return text if text.endswith("\n") else text + "\n"


def write_nb(nb: nbformat.NotebookNode, path: Path) -> bool:
    """Write if the text differs from what is on disk; return whether it wrote."""
    text = dumps_nb(nb)
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def has_tag(cell, tag: str) -> bool:
    return tag in tags(cell)


def notebook_files(folder: Path = SOURCE) -> list[Path]:
    """NN-*.ipynb in a folder (default: the source), sorted (checkpoints are in a hidden folder, so not included)."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


# ---------------------------------------------------------------- navigation
class NavError(Exception):
    pass


def _md_cell(source: str, tag: str, cell_id: str, taken: set[str]) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source, metadata={"tags": [tag]})
    new_id, n = cell_id, 1
    while new_id in taken:
        n += 1
        new_id = f"{cell_id}-{n}"
    cell["id"] = new_id
    taken.add(new_id)
    return cell


def _set_source(cell, source: str) -> None:
    cell["source"] = source


def header_with_lines(source: str, slug: str) -> str:
    """The header text with its **Time:**/**Data:** lines as SERIES says."""
    want = header_lines(slug)
    lines = source.split("\n")
    starts = ("**Time:**", "**Data:**")
    found = [i for i, ln in enumerate(lines) if ln.startswith(starts)]
    if found:
        keep = [ln for ln in lines if not ln.startswith(starts)]
        at = found[0] - sum(1 for i in found if i < found[0])
        new = keep[:at] + [want[0], "", want[1]] + keep[at:]
        # one blank line between the two, none doubled around them
        text = "\n".join(new)
    else:
        note = next((i for i, ln in enumerate(lines) if "Content note" in ln), None)
        if note is None:
            text = source.rstrip("\n") + f"\n\n{want[0]}\n\n{want[1]}"
        else:
            text = "\n".join(lines[:note] + [want[0], "", want[1], ""] + lines[note:])
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + ("\n" if source.endswith("\n") else "")


def apply_nav(nb: nbformat.NotebookNode, slug: str, filename: str = "") -> tuple[nbformat.NotebookNode, list[str]]:
    """Return (a new notebook with the navigation right, notes about what moved)."""
    nb = copy.deepcopy(nb)
    name = filename or f"{slug}.ipynb"
    notes: list[str] = []
    text = nav_markdown(slug)
    cells = nb.cells
    headers = [i for i, c in enumerate(cells) if has_tag(c, "header")]
    if not headers:
        raise NavError(f"{name}: no cell tagged 'header' (tag the title cell 'header')")
    if len(headers) > 1:
        raise NavError(f"{name}: {len(headers)} cells tagged 'header' (cells {headers}); keep one")

    nav_idx = [i for i, c in enumerate(cells) if has_tag(c, "nav")]
    h = headers[0]
    header_text = header_with_lines(cells[h].source, slug)
    if cells[h].source != header_text:
        _set_source(cells[h], header_text)
    top = h + 1 if (h + 1) in nav_idx else None
    last = len(cells) - 1
    bottom = last if (last in nav_idx and last != top) else None
    for i in nav_idx:
        if i not in (top, bottom):
            notes.append(f"{name}: removed a 'nav' cell out of place (cell {i})")
    spare = [cells[i] for i in nav_idx if i not in (top, bottom)]
    top_cell = cells[top] if top is not None else None
    bottom_cell = cells[bottom] if bottom is not None else None
    rest = [c for i, c in enumerate(cells) if i not in nav_idx]
    taken = {c.get("id") for c in rest if c.get("id")}
    taken |= {c.get("id") for c in (top_cell, bottom_cell) if c is not None and c.get("id")}

    def reuse(cell, cell_id):
        if cell is None and spare:
            cell = spare.pop(0)
        if cell is None:
            return _md_cell(text, "nav", cell_id, taken)
        if cell.cell_type != "markdown":
            notes.append(f"{name}: a 'nav' cell was {cell.cell_type}; replaced by markdown")
            return _md_cell(text, "nav", cell_id, taken)
        if cell.source != text:
            _set_source(cell, text)
        return cell

    top_cell = reuse(top_cell, "nav-top")
    bottom_cell = reuse(bottom_cell, "nav-bottom")
    h_rest = next(i for i, c in enumerate(rest) if has_tag(c, "header"))
    cells[:] = rest[: h_rest + 1] + [top_cell] + rest[h_rest + 1:] + [bottom_cell]

    if name == CONTENTS_FILE:
        want = contents_markdown()
        found = [i for i, c in enumerate(cells) if has_tag(c, "contents")]
        if len(found) > 1:
            raise NavError(f"{name}: {len(found)} cells tagged 'contents'; keep one")
        if found:
            c = cells[found[0]]
            if c.cell_type != "markdown":
                raise NavError(f"{name}: the cell tagged 'contents' must be markdown")
            if c.source != want:
                _set_source(c, want)
        else:
            pos = next(i for i, c in enumerate(cells) if has_tag(c, "nav")) + 1
            cells.insert(pos, _md_cell(want, "contents", "contents", {c.get("id") for c in cells}))
            notes.append(f"{name}: added the contents cell")
    return nb, notes


def run(check: bool, folder: Path = SOURCE) -> int:
    folder = Path(folder)
    files = {p.name: p for p in notebook_files(folder)}
    errors: list[str] = []
    drifted: list[str] = []
    for name in files:
        try:
            entry(name)
        except KeyError:
            errors.append(f"{folder.name}/{name} is not in SERIES (deirezzor/series.py): "
                          "add an entry there, or move the file out of that folder")
    for e in SERIES:
        path = files.get(e.filename)
        if path is None:
            print(f"note: {folder.name}/{e.filename} does not exist yet "
                  f"(python tools/new_notebook.py {e.slug})", file=sys.stderr)
            continue
        old = read_nb(path)
        try:
            new, notes = apply_nav(old, e.slug, e.filename)
        except NavError as err:
            errors.append(str(err))
            continue
        same = dumps_nb(new) == path.read_text(encoding="utf-8")
        if not same:
            # Compare the parsed notebooks too, so that a file that merely is not
            # in Jupyter's own formatting does not count as drifted navigation.
            same = new == old
        if same:
            continue
        drifted.append(e.filename)
        if not check:
            write_nb(new, path)
            for n in notes:
                print(n)
            print(f"updated navigation: {folder.name}/{e.filename}")
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    if check and drifted:
        print("navigation out of date (run `make nav` / python tools/nav.py): "
              + ", ".join(f"{folder.name}/{d}" for d in drifted), file=sys.stderr)
        return 1
    if errors:
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="change nothing; exit 1 listing notebooks whose navigation drifted")
    ap.add_argument("--notebooks", type=Path, default=SOURCE, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    return run(args.check, args.notebooks)


if __name__ == "__main__":
    sys.exit(main())
