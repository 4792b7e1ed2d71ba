"""Write or check one generated file: the shared step of tools/codebook.py and tools/glance.py."""
from __future__ import annotations

import sys
from pathlib import Path


def sync(path: Path, text: str, *, check: bool, what: str, remedy: str) -> int:
    """Write `text` to `path` unless it is already there; with check=True only compare.

    Returns the exit status: 1 when checking finds the file out of date, else 0.
    """
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if current == text:
        print(f"{what} is up to date")
        return 0
    if check:
        print(f"{what} is out of date: run `{remedy}`", file=sys.stderr)
        return 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {what}")
    return 0
