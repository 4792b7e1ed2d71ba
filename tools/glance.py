"""Write the "course at a glance" table in lessons.md from the series and the notebooks.

    python tools/glance.py          # rewrite the table between the GLANCE markers
    python tools/glance.py --check  # exit 1 if the table is out of date

Titles, minutes and datasets come from deirezzor/series.py; objectives from the
bullet list under "you will" in each notebook's header cell; exercises from the
``**Exercise N.k** (kind)`` cells.  Only the text between the markers changes.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from deirezzor.series import SERIES  # noqa: E402
from generated import sync  # noqa: E402

LESSONS = ROOT / "lessons.md"
RELEASE = ROOT / "notebooks"
BEGIN = re.compile(r"<!-- BEGIN GLANCE[^>]*-->\n")
END = "<!-- END GLANCE -->"
EXERCISE = re.compile(r"^\*\*Exercise (\d+\.\d+)\*\* \((guided|practice|challenge|discussion)\)", re.M)
KINDS = ("guided", "practice", "challenge", "discussion")


def _source(cell) -> str:
    s = cell["source"]
    return s if isinstance(s, str) else "".join(s)


def objectives(nb: dict) -> list[str]:
    """The bullets after the first line containing 'you will' in the header cell."""
    for cell in nb["cells"]:
        if "header" in cell.get("metadata", {}).get("tags", []):
            lines = _source(cell).splitlines()
            for i, line in enumerate(lines):
                if "you will" in line.lower() or "you can" in line.lower():
                    out = []
                    for nxt in lines[i + 1:]:
                        if nxt.startswith(("- ", "* ")):
                            out.append(nxt[2:].strip())
                        elif out and not nxt.strip():
                            break
                        elif out:
                            out[-1] += " " + nxt.strip()
                    return out
    return []


def exercises(nb: dict) -> Counter:
    found = Counter()
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for _, kind in EXERCISE.findall(_source(cell)):
                found[kind] += 1
    return found


def render() -> str:
    rows = ["| # | Notebook | By the end, students can … | Minutes (teach + practise) | Datasets | Exercises |",
            "|---|---|---|---|---|---|"]
    total_t = total_p = 0
    for e in SERIES:
        path = RELEASE / e.filename
        nb = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"cells": []}
        objs = "; ".join(o.rstrip(";.") for o in objectives(nb)) or "—"
        ex = exercises(nb)
        ex_text = ", ".join(f"{ex[k]} {k}" for k in KINDS if ex[k]) or "—"
        data = ", ".join(f"`{d}`" for d in e.datasets)
        rows.append(f"| {e.label} | [{e.title}](notebooks/{e.filename}) | {objs.replace('|', '/')} "
                    f"| {e.teach_minutes} + {e.practise_minutes} | {data} | {ex_text} |")
        total_t += e.teach_minutes
        total_p += e.practise_minutes
    rows.append(f"| | **Whole series** | | **{total_t} + {total_p}** | | |")
    return "\n".join(rows) + "\n"


def updated(text: str) -> str:
    m = BEGIN.search(text)
    end = text.find(END)
    if not m or end < m.end():
        raise SystemExit("lessons.md: GLANCE markers missing or out of order")
    return text[:m.end()] + render() + text[end:]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    new = updated(LESSONS.read_text(encoding="utf-8"))
    return sync(LESSONS, new, check=args.check, what="the glance table in lessons.md", remedy="make nav")


if __name__ == "__main__":
    sys.exit(main())
