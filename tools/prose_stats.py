#!/usr/bin/env python3
"""How long the notebooks' sentences are: average words per sentence of the
Markdown prose in each notebook (called by ``tools/benchmark.py``; not a test).

    python tools/prose_stats.py                  # notebooks/*.ipynb
    python tools/prose_stats.py instructor/*.ipynb --longest 3

What counts as prose -- the Markdown cells, minus:

* fenced code blocks (```) and indented code; inline `code` counts as one word;
* tables (lines starting with ``|``) and headings (``#``);
* HTML tags and comments, and the targets of links and images (the link
  text stays);
* the navigation line ("← Previous: ... | Contents | Next: ... →").

Kept: paragraphs, list items and block quotes (the content notes are our own
prose).  Quotations from sources inside a sentence stay part of that sentence.

Sentences end at ``.``, ``!`` or ``?`` followed by a space or the end, and at
the end of every paragraph and list item (a list item without a full stop is
still one unit).  Full stops of common abbreviations (U.S., e.g., i.e., Sept.,
Maj. Gen., No.) and of decimals do not end a sentence.  A word is a token with
at least one letter or digit.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ABBREVIATIONS = ("U.S.", "U.K.", "U.N.", "e.g.", "i.e.", "etc.", "cf.", "vs.", "No.", "Dr.",
                 "Mr.", "Ms.", "Gen.", "Maj.", "Col.", "Lt.", "Capt.", "Sgt.", "Jan.", "Feb.",
                 "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "approx.", "p.", "pp.", "a.m.",
                 "p.m.", "St.")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<!--.*?-->|<[^>]+>", re.S)
_CODE = re.compile(r"`[^`]*`")
_WORD = re.compile(r"[A-Za-z0-9]")
_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def prose_units(markdown: str) -> list[str]:
    """Paragraphs and list items of one Markdown cell, as plain text."""
    units, current, in_fence = [], [], False

    def flush():
        if current:
            units.append(" ".join(current))
            current.clear()
    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            flush()
            continue
        if in_fence:
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith(("|", "#")) or line.startswith(("    ", "\t")):
            flush()
            continue
        if "Previous:" in stripped and "Contents" in stripped:
            flush()
            continue
        stripped = stripped.lstrip(">").strip()
        if _ITEM.match(stripped):
            flush()
            stripped = _ITEM.sub("", stripped)
        current.append(stripped)
    flush()
    out = []
    for u in units:
        u = _TAG.sub(" ", _LINK.sub(r"\1", u))
        u = _CODE.sub("code", u)
        u = re.sub(r"\*+|(?<!\w)_+|_+(?!\w)", "", u)  # emphasis marks
        if _WORD.search(u):
            out.append(u)
    return out


def sentences(unit: str) -> list[str]:
    protected = unit
    for abbr in ABBREVIATIONS:
        protected = protected.replace(abbr, abbr.replace(".", "\u2024"))
    protected = re.sub(r"(?<=\d)\.(?=\d)", "\u2024", protected)
    parts = [p.replace("\u2024", ".").strip() for p in _END.split(protected)]
    return [p for p in parts if _WORD.search(p)]


def words(sentence: str) -> int:
    return sum(1 for tok in sentence.split() if _WORD.search(tok))


def stats(nb_path: Path) -> dict:
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    sents = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for unit in prose_units(src):
            sents += sentences(unit)
    counts = [words(s) for s in sents]
    n = len(counts)
    return {
        "notebook": Path(nb_path).stem,
        "sentences": n,
        "words": sum(counts),
        "mean": sum(counts) / n if n else 0.0,
        "longest": max(counts, default=0),
        "over_25": sum(c > 25 for c in counts) / n if n else 0.0,
        "longest_sentences": sorted(sents, key=words, reverse=True),
    }


def table(paths) -> str:
    rows = [stats(p) for p in paths]
    lines = ["| notebook | sentences | words | words per sentence | longest | sentences > 25 words |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['notebook']} | {r['sentences']} | {r['words']} | {r['mean']:.1f} "
                     f"| {r['longest']} | {r['over_25']:.0%} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--longest", type=int, default=0, help="also print the N longest sentences")
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(table(paths))
    if args.longest:
        for p in paths:
            r = stats(p)
            print(f"\n{r['notebook']}:")
            for s in r["longest_sentences"][:args.longest]:
                print(f"  ({words(s)}) {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
