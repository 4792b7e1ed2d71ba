#!/usr/bin/env python3
"""Create a new notebook of the series from the house template.

    python tools/new_notebook.py 02-raid-timeline

The slug must be in deirezzor/series.py SERIES (add it there first).  Writes

* ``instructor/SLUG.ipynb`` (the source; ``make build`` derives the student
  edition in ``notebooks/``) with: the header cell (tag ``header``), the top
  navigation (tag ``nav``), the setup cell (tag ``setup``), two numbered
  section stubs, one complete exercise (exercise cell, ``solution`` cell,
  ``check`` cell and its ``spec`` cell) that already runs, the key points (tag
  ``key-points``) and the bottom navigation.

It refuses to overwrite an existing notebook.  Then: replace the TODOs and
run ``make build``.  Tag every cell that shows a figure ``figure``.  How to
write an exercise: docs/writing-an-exercise.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nav import ROOT, SOURCE, apply_nav, dumps_nb  # noqa: E402

import nbformat  # noqa: E402

from deirezzor.series import entry  # noqa: E402

from execute import KERNELSPEC, LANGUAGE_INFO  # noqa: E402  (one definition, in execute.py)


def _md(source: str, cell_id: str, *tags: str):
    cell = nbformat.v4.new_markdown_cell(source, metadata={"tags": list(tags)} if tags else {})
    cell["id"] = cell_id
    return cell


def _code(source: str, cell_id: str, *tags: str):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    cell["id"] = cell_id
    return cell


def _raw(source: str, cell_id: str, *tags: str):
    cell = nbformat.v4.new_raw_cell(source, metadata={"tags": list(tags)} if tags else {})
    cell["id"] = cell_id
    return cell


def skeleton(slug: str) -> nbformat.NotebookNode:
    e = entry(slug)
    n = e.number
    ex = f"{n}.1"
    var = f"answer_{n}_1"
    first_data = e.datasets[0] if e.datasets else "sources"
    cells = [
        _md(f"# {e.label} · {e.title}\n\n"
            f"{e.summary}\n\n"
            "**In this notebook you will:**\n\n"
            "- TODO: what the student will be able to do afterwards (2–4 bullets)\n\n"
            "> **Content note:** TODO (keep if this notebook discusses the people killed; "
            "say so plainly, otherwise delete this line).\n",
            "header", "header"),
        _code("try:\n"
              "    from deirezzor import ready  # the course package; if it is missing, the message says what to do\n"
              "except ModuleNotFoundError:\n"
              "    import sys\n"
              "    if \"google.colab\" not in sys.modules:\n"
              "        raise ModuleNotFoundError(\"The course package 'deirezzor' is not installed in this kernel. See the \"\n"
              "                                  \"README ('Start') or ask your instructor (lessons.md, 'Setting up a class').\") from None\n"
              "    # Google Colab only: install the course package, with its data, from the repository (about a minute).\n"
              "    COURSE_REPO = \"https://github.com/OWNER/deirezzor-2016\"  # PLACEHOLDER: the repository's public address\n"
              "    get_ipython().run_line_magic(\"pip\", f'install --quiet \"deirezzor-2016 @ git+{COURSE_REPO}\"')\n"
              "    from deirezzor import ready\n"
              "ready.check(needs=\"0.0.0\")  # the libraries and the data folder: one clear message if something is missing\n"
              "\n"
              "from deirezzor import load, style\n"
              "from deirezzor.checks import check\n"
              "\n"
              "style.use()",
              "setup", "setup"),
        _md("## 1. TODO first section\n\n"
            "TODO: the question this section answers, and why it matters.", "section-1"),
        _code(f'{first_data} = load("{first_data}")\n'
              f"{first_data}.head()", "section-1-code"),
        _md(f"**Exercise {ex}** (guided) — How many rows does the `{first_data}` table have?\n\n"
            "TODO: replace with a real exercise (docs/writing-an-exercise.md).",
            "exercise-1"),
        _code(f"{var} = ...  # your answer: a whole number\n"
              "### BEGIN SOLUTION\n"
              f"{var} = len({first_data})\n"
              "### END SOLUTION", "exercise-1-solution", "solution"),
        _code(f'check("{ex}", {var})', "exercise-1-check", "check"),
        _raw(f'exercise: "{ex}"\nshape: whole\nunit: rows\n'
             "checks: the answer's form (a whole number of rows) and the typical slips of this exercise\n"
             "mistakes:\n"
             f"  - code: len({first_data}) - 1\n"
             "    hint: TODO a typical slip and the hint it earns (the method, never the answer)",
             "exercise-1-spec", "spec"),
        _md("## 2. TODO second section\n\nTODO", "section-2"),
        _md("## Key points\n\n- TODO: one line per thing to remember", "key-points", "key-points"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": dict(KERNELSPEC),
                                                         "language_info": dict(LANGUAGE_INFO)})
    nb, _ = apply_nav(nb, e.slug)
    return nb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("slug", help="e.g. 02-raid-timeline (must be in deirezzor/series.py SERIES)")
    args = ap.parse_args(argv)
    try:
        e = entry(args.slug)
    except KeyError as err:
        print(f"error: {err.args[0]}", file=sys.stderr)
        return 2
    path = SOURCE / e.filename
    if path.exists():
        print(f"error: {path.relative_to(ROOT)} exists; refusing to overwrite it", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_nb(skeleton(e.slug)), encoding="utf-8")
    print(f"created {path.relative_to(ROOT)}")
    print("next: edit the TODOs, then make build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
