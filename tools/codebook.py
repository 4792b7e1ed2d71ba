"""Write data/README.md, the human-readable codebook, from data/datapackage.json.

    python tools/codebook.py          # rewrite data/README.md
    python tools/codebook.py --check  # exit 1 if data/README.md is out of date

The schema is the single source; the codebook is generated from it, and
tests/test_data.py fails when the two drift apart.  The conventions section
at the top lives in this script (INTRO); the tables come from the schema.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated import sync  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "data" / "datapackage.json"
CODEBOOK = ROOT / "data" / "README.md"

INTRO = """# The data: a codebook

Every table is a CSV file in this folder, described field by field in
`datapackage.json` (a [Frictionless Data Package](https://specs.frictionlessdata.io/data-package/)).
Load any of them with its types checked against that schema:

```python
from deirezzor import load
events = load("events")          # tz-aware UTC times, plus local Damascus time
```

## Conventions

- **Every row cites.** `source_id` is a key into `sources.csv`; `passage` is the
  short passage of that source the row rests on, word for word, as a stored
  copy of the page gives it and in the page's own language. No passage is a
  summary of a page: a row whose page could not be found was dropped. Every
  source has a URL.
- **Times are UTC.** Clock times are stored as `YYYY-MM-DDTHH:MM:SSZ`. Local
  times given by a source are converted with the IANA tz database, never with a
  source's own conversion; the loader adds Damascus time (`*_damascus`). The
  source's own wording is kept in `time_as_given`.
- **Uncertainty is a column.** `precision` says how exact a date or time is;
  for month precision the day is `01` and means nothing. Numbers carry
  `*_stated` (as given), `*_low` and `*_high` (the bounds the wording implies;
  empty where it sets none).
- **Wording and reading are kept apart.** `*qualifier` holds only the words
  the source put on a number (`at least`, `over`, `about`…), or `none` for a
  bare number; `*reading` is the rule this project applies to those words
  (`point`, `lower_bound`, `upper_bound`, `range`, `approximate`), and it is
  the reading that sets low and high. No source said "exactly": a bare number
  read as itself is `none` + `point`.
- **Counts and durations are bounded differently.** People, strikes and other
  counts are whole numbers, so "over 80" is stored as low 81. Time, distance
  and shares are continuous: "less than 48 hours" is stored as high 48 with
  `high_exclusive` true, never rounded down to 47.
- **Sides are coded by written rules.** `sources.perspective` and every
  `side` column use one list of codes; the rules for choosing a code (the
  author of the text, joint claims, state media, outlets the sources
  describe as having a line on the war, where other media are run) are in
  the description of [`perspective`](#sources), applied to every row.
- **Codes carry their labels.** A field that holds codes lists each one with
  the label a reader sees, as Table Schema `categories`
  (`{"value": code, "label": text}`) beside its `enum`; the notebooks show the
  label (`style.label`), never the code. A code has the same label in every
  field.
- **Disagreement is data.** Where sources disagree, every version is kept.
  Every disagreement the project has found is a row of `discrepancies.csv`;
  a careful reader may find more, and each one found is added as a row.
- **No invented points.** Points 1–3 and Kroum hill have no published
  coordinates, so they have none here. Two points are *derived* from distances
  the sources state, and say so.

The package validates with the reference implementation,
`frictionless validate data/datapackage.json` (frictionless-py);
`tests/test_frictionless.py` runs it on every test run.

Licence: CC BY-SA 4.0 (the seed article is CC BY-SA; quotations keep their
attribution). Map outlines: Natural Earth, public domain.

"""

BEGIN = "<!-- BEGIN GENERATED FROM datapackage.json: edit the schema, then run `make codebook` -->"
END = "<!-- END GENERATED -->"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        shown = {x.get("value"): x.get("label") for x in field.get("categories", []) if isinstance(x, dict)}
        parts.append("one of: " + ", ".join(f"`{v}` ({shown[v]})" if shown.get(v) else f"`{v}`"
                                            for v in c["enum"]))
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    if "maximum" in c:
        parts.append(f"≤ {c['maximum']}")
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`")
    return "; ".join(parts)


def _keys(v) -> str:
    return ", ".join(f"`{k}`" for k in ([v] if isinstance(v, str) else v))


def render(package: dict) -> str:
    out = [INTRO, BEGIN, ""]
    out.append("## Tables\n")
    out.append("| table | what it holds |")
    out.append("|---|---|")
    for r in package["resources"]:
        out.append(f"| [`{r['name']}`](#{r['name'].replace('_', '-')}) | {_cell(r['description'])} |")
    out.append("")
    for r in package["resources"]:
        s = r["schema"]
        out.append(f"## {r['name']}\n")
        out.append(f"`{r['path']}` — {r['description']}\n")
        out.append(f"Primary key: {_keys(s['primaryKey'])}.")
        for fk in s.get("foreignKeys", []):
            target = fk["reference"]["resource"] or r["name"]
            out.append(f"Foreign key: {_keys(fk['fields'])} → `{target}`.{_keys(fk['reference']['fields'])}.")
        out.append("")
        out.append("| column | type | meaning | constraints |")
        out.append("|---|---|---|---|")
        for f in s["fields"]:
            out.append(f"| `{f['name']}` | {f['type']} | {_cell(f.get('description', ''))} | {_cell(_constraints(f))} |")
        out.append("")
    out.append(END)
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if data/README.md is out of date")
    args = ap.parse_args(argv)
    text = render(json.loads(PACKAGE.read_text(encoding="utf-8")))
    return sync(CODEBOOK, text, check=args.check, what="data/README.md", remedy="make codebook")


if __name__ == "__main__":
    sys.exit(main())
