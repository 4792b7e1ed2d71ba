"""Check the data's passages against the text of their source, by hand.

    python tools/verify_passages.py PATH/TO/SEED.txt             # rows citing S01
    python tools/verify_passages.py PATH/TO/EXTRACT.txt --source S02

Every row of data/*.csv whose source_id is the one given must have a
``passage`` that appears word for word in the file: the source's exact words.
A row's verbatim columns (``quote``, ``time_as_given``, ``number_as_given``)
are checked too when they contain the row's passage, since
tests/test_quotations.py accepts them as the source's words.

Compared after normalising whitespace, curly and straight quotes, and "…" and
"..."; an ellipsis in a passage stands for elided words (the pieces must appear
in order); footnote markers such as "[8]" in the file are ignored; the case of
the first letter is free.  A passage may also sit in the file with a different
first letter's case.  Exit status 1 if any passage is not found.

Not run by the tests: the tests never read the seed (it lives outside the
project). Run it after changing a passage.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERBATIM_COLUMNS = ("quote", "time_as_given", "number_as_given")


def normal(text: str) -> str:
    for curly, plain in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("\u00a0", " "), ("…", "...")):
        text = text.replace(curly, plain)
    text = text.replace('""', '"')
    return re.sub(r"\s+", " ", text).strip()


def found(words: str, source: str) -> bool:
    parts = [p.strip(" .,;:") for p in normal(words).split("...") if p.strip(" .,;:")]
    if not parts:
        return True
    for first in {parts[0], parts[0][:1].swapcase() + parts[0][1:]}:
        pos = source.find(first)
        while pos >= 0:
            end = pos + len(first)
            for part in parts[1:]:
                end = source.find(part, end)
                if end < 0:
                    break
                end += len(part)
            else:
                return True
            pos = source.find(first, pos + 1)
    return False


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("text", type=Path, help="the source's text (e.g. the seed article)")
    ap.add_argument("--source", default="S01", help="the source_id whose rows to check (default S01)")
    args = ap.parse_args(argv)
    if not args.text.is_file():
        print(f"error: no file {args.text}", file=sys.stderr)
        return 2
    source = normal(re.sub(r"\[\d+\]", "", args.text.read_text(encoding="utf-8")))
    checked, missing = 0, []
    for path in sorted((ROOT / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row.get("source_id") != args.source:
                    continue
                rid = next(iter(row.values()))
                passage = row.get("passage") or ""
                words = [("passage", passage)] + [
                    (col, row[col]) for col in VERBATIM_COLUMNS
                    if row.get(col) and passage and normal(passage).strip(" .,;:") in normal(row[col])]
                for col, text in words:
                    checked += 1
                    if not found(text, source):
                        missing.append(f"{path.name} {rid} {col}: {text!r}")
    if checked == 0:
        print(f"error: no row cites {args.source}", file=sys.stderr)
        return 2
    for m in missing:
        print("NOT FOUND", m)
    print(f"{checked} passages and verbatim columns of {args.source} rows checked against {args.text.name}: "
          f"{checked - len(missing)} found, {len(missing)} not found")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
