"""The one list of the notebooks in the series, and the navigation built from it.

Everything that names, orders, links or times the notebooks reads ``SERIES``:
``tools/nav.py`` (the navigation cells and the contents table in
00-start-here), ``tools/new_notebook.py`` (new skeletons), the tests, and the
"time needed" lines of the notebook headers.

To change a notebook's title, summary, teaching minutes or datasets, edit its
entry here and run ``make build``.  The exercise minutes are not stored: they
follow from the exercise kinds (MINUTES_BY_KIND), which `make build` records.

    >>> from deirezzor.series import SERIES, entry, nav_markdown
    >>> entry("02-raid-timeline").title
    'The raid, minute by minute'
    >>> nav_markdown("00-start-here")  # first notebook: no "Previous"
    '[Contents](00-start-here.ipynb) | Next: [The siege of Deir ez-Zor, 2014–2017](01-siege-background.ipynb) →'

Standard library only (the tools import it before anything else).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Entry", "SERIES", "CONTENTS_FILE", "entry", "nav_markdown",
    "contents_markdown", "total_minutes", "header_lines",
]


@dataclass(frozen=True)
class Entry:
    """One notebook of the series."""

    number: int
    slug: str                 # file name without .ipynb, starts with the 2-digit number
    title: str
    summary: str              # one line, shown in the contents table
    teach_minutes: int        # reading and running the worked material
    datasets: tuple[str, ...]  # tables in data/ the notebook loads

    @property
    def practise_minutes(self) -> int:
        """Doing the exercises: the sum over the notebook's exercise kinds (MINUTES_BY_KIND),
        as `make build` found them in the instructor notebook (deirezzor/exercises/keys.json)."""
        return sum(MINUTES_BY_KIND[k] for k in exercise_kinds().get(self.label, []))

    @property
    def filename(self) -> str:
        return f"{self.slug}.ipynb"

    @property
    def minutes(self) -> int:
        return self.teach_minutes + self.practise_minutes

    @property
    def label(self) -> str:
        """'02' for notebook 2."""
        return f"{self.number:02d}"


# Minutes an exercise of each kind is counted at (lessons.md, "Timing"); its points are in
# tools/editions.py.
MINUTES_BY_KIND = {"guided": 3, "practice": 5, "challenge": 10, "discussion": 10}
_kinds_cache: dict[str, object] = {}


def exercise_kinds() -> dict[str, list[str]]:
    """{"00": ["guided", "practice", ...], ...}: the kinds of each notebook's exercises, in order,
    from the key file `make build` writes (standard library only)."""
    import json
    from pathlib import Path
    path = Path(__file__).resolve().parent / "exercises" / "keys.json"
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return {}
    if _kinds_cache.get("mtime") != mtime:
        _kinds_cache.update(mtime=mtime, data=json.loads(path.read_text(encoding="utf-8")).get("kinds", {}))
    return _kinds_cache["data"]  # type: ignore[return-value]


SERIES: tuple[Entry, ...] = (
    Entry(0, "00-start-here", "Start here",
          "What the series covers, how the notebooks and their checks work, "
          "and a first look at the data.",
          10, ("events",)),
    Entry(1, "01-siege-background", "The siege of Deir ez-Zor, 2014–2017",
          "Who held what around the city and the airport before the raid, "
          "and how we know.",
          30, ("events", "places", "outlines", "positions", "discrepancies", "attributions", "figures", "sources")),
    Entry(2, "02-raid-timeline", "The raid, minute by minute",
          "Rebuilding the timeline of 17 September 2016 from sources that "
          "give times in different clocks and precisions.",
          40, ("events", "figures", "discrepancies", "aircraft", "statements")),
    Entry(3, "03-casualty-estimates", "Counting the dead: the estimates compared",
          "Why the reported numbers of dead differ, and how to compare "
          "estimates honestly.",
          35, ("casualty_estimates", "discrepancies", "sources", "figures")),
    Entry(4, "04-investigation-and-hotline", "The investigation and the hotline",
          "What the coalition investigation found about the targeting and "
          "the call on the deconfliction line.",
          35, ("statements", "events", "places", "figures", "casualty_estimates", "discrepancies", "attributions", "sources")),
    Entry(5, "05-diplomatic-fallout", "The diplomatic fallout",
          "The ceasefire, the Security Council meeting and what governments "
          "said afterwards.",
          30, ("events", "attributions", "statements", "casualty_estimates", "discrepancies", "figures", "places", "sources")),
    Entry(6, "06-competing-narratives", "Competing narratives",
          "Setting the accounts side by side: where they agree, where they "
          "conflict, and what evidence would settle it.",
          35, ("statements", "attributions", "discrepancies", "casualty_estimates", "events", "sources", "figures")),
)

CONTENTS_FILE = SERIES[0].filename


def _validate(series: tuple[Entry, ...]) -> None:
    seen: set[str] = set()
    for i, e in enumerate(series):
        if e.number != i:
            raise ValueError(f"SERIES[{i}] ({e.slug}) has number {e.number}; numbers must run 0, 1, 2, ...")
        if not re.fullmatch(rf"{e.label}-[a-z0-9]+(-[a-z0-9]+)*", e.slug):
            raise ValueError(f"slug {e.slug!r} must be '{e.label}-' followed by lower-case words joined by '-'")
        if e.slug in seen:
            raise ValueError(f"slug {e.slug!r} appears twice in SERIES")
        seen.add(e.slug)
        if "\n" in e.summary or "|" in e.summary or "|" in e.title:
            raise ValueError(f"{e.slug}: title and summary must be one line without '|'")
        if e.teach_minutes < 0 or e.practise_minutes < 0:
            raise ValueError(f"{e.slug}: minutes must not be negative")


_validate(SERIES)


def entry(slug: str) -> Entry:
    """The entry for a slug ('02-raid-timeline'), a file name or a path to it."""
    name = re.sub(r"\.ipynb$", "", str(slug).replace("\\", "/").rsplit("/", 1)[-1])
    for e in SERIES:
        if e.slug == name:
            return e
    known = ", ".join(e.slug for e in SERIES)
    raise KeyError(f"{slug!r} is not in deirezzor/series.py SERIES (known: {known})")


def nav_markdown(slug: str) -> str:
    """'← Previous: [title](file) | [Contents](00-start-here.ipynb) | Next: [title](file) →'

    The first notebook has no "Previous" part, the last no "Next" part.
    """
    e = entry(slug)
    parts = []
    if e.number > 0:
        prev = SERIES[e.number - 1]
        parts.append(f"← Previous: [{prev.title}]({prev.filename})")
    parts.append(f"[Contents]({CONTENTS_FILE})")
    if e.number < len(SERIES) - 1:
        nxt = SERIES[e.number + 1]
        parts.append(f"Next: [{nxt.title}]({nxt.filename}) →")
    return " | ".join(parts)


def total_minutes() -> tuple[int, int]:
    """(teaching minutes, practice minutes) summed over the whole series."""
    return (sum(e.teach_minutes for e in SERIES), sum(e.practise_minutes for e in SERIES))


def contents_markdown() -> str:
    """The contents table of the series (written into 00-start-here by tools/nav.py)."""
    teach, practise = total_minutes()
    lines = [
        "## Contents",
        "",
        "| # | Notebook | What it is about | Minutes (teaching + exercises) |",
        "|---|---|---|---|",
    ]
    for e in SERIES:
        lines.append(f"| {e.label} | [{e.title}]({e.filename}) | {e.summary} | "
                     f"{e.teach_minutes} + {e.practise_minutes} |")
    lines.append(f"| | **Whole series** | | **{teach} + {practise}** |")
    return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def header_lines(slug: str) -> tuple[str, str]:
    """The header's **Time:** and **Data:** lines, computed from SERIES.

    tools/nav.py writes them into each notebook's header cell (and ``python
    tools/nav.py --check`` fails when they drift), so the notebook never types a number of
    its own and students read them once, at the top.

    >>> header_lines("03-casualty-estimates")[0]
    '**Time:** about 35 minutes of worked material and 38 minutes of exercises.'
    """
    e = entry(slug)
    data = ", ".join(f"`{d}`" for d in e.datasets) or "none"
    return (f"**Time:** about {_plural(e.teach_minutes, 'minute')} of worked material "
            f"and {_plural(e.practise_minutes, 'minute')} of exercises.",
            f"**Data:** {data}.")
