#!/usr/bin/env python3
"""A read-only HTML edition of the whole series (``make html``).

    python tools/html_edition.py            # -> editions/html/
    python tools/html_edition.py --out DIR

Writes, from the notebooks as stored (nothing is executed):

* ``DIR/index.html``: links to both editions;
* ``DIR/student/NN-*.html`` from notebooks/ (blank exercises) and
  ``DIR/instructor/NN-*.html`` from instructor/ (model answers);
* ``DIR/plotly.min.js``: one copy of plotly.js, read from the plotly package.

Every page opens from disk with no network: figures are drawn by
deirezzor.export.PlotlyFigures with that one plotly.js, the template
``deirezzor`` loads nothing from a CDN, and the links between notebooks
("← Previous | Contents | Next →") point at the .html pages.

Accessible (axe-core 4: no serious or critical violation, tests/test_html_edition.py with tests/axe_audit.py):
the template's code colours and prompts pass 4.5:1, each figure is a
<figure> named by its description, pandas' empty header cells (the corner
above the index) become plain cells, and the index page has a <main>.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nav import RELEASE, ROOT, SOURCE, notebook_files, read_nb  # noqa: E402

from nbconvert import HTMLExporter  # noqa: E402
from nbconvert.preprocessors import Preprocessor  # noqa: E402
from traitlets.config import Config  # noqa: E402

from deirezzor.export import TEMPLATE_NAME, TEMPLATES, PlotlyFigures, plotly_js  # noqa: E402
from deirezzor.series import SERIES  # noqa: E402

OUT = ROOT / "editions" / "html"
_SLUGS = "|".join(re.escape(e.slug) for e in SERIES)
_LINK = re.compile(r"(?P<open>\]\(|href=\")(?P<slug>" + _SLUGS + r")\.ipynb(?P<anchor>#[^)\"]*)?")


def pages(text: str) -> str:
    """Links to a notebook of the series point at its page: 02-raid-timeline.ipynb -> .html."""
    return _LINK.sub(lambda m: f"{m['open']}{m['slug']}.html{m['anchor'] or ''}", text)


class LinksToPages(Preprocessor):
    """Notebook links in markdown cells and in Markdown/HTML outputs point at the pages."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = pages(cell.source)
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            for mime in ("text/markdown", "text/html"):
                if isinstance(data.get(mime), str):
                    data[mime] = pages(data[mime])
        return cell, resources


_EMPTY_TH = re.compile(r"<th(\s[^>]*)?>\s*</th>")


def no_empty_headers(text: str) -> str:
    """pandas writes an empty <th> above the index (and beside a named index): a
    header cell with no text, which a screen reader announces as nothing.  It
    heads nothing, so it becomes a plain cell."""
    return _EMPTY_TH.sub(lambda m: f"<td{m[1] or ''}></td>", text)


class EmptyHeaderCells(Preprocessor):
    """Empty table header cells in HTML outputs become <td> (see no_empty_headers)."""

    def preprocess_cell(self, cell, resources, index):
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            if isinstance(data.get("text/html"), str):
                data["text/html"] = no_empty_headers(data["text/html"])
        return cell, resources


def exporter() -> HTMLExporter:
    c = Config()
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.PlotlyFigures.library_src = "../plotly.min.js"
    ex = HTMLExporter(config=c)
    ex.register_preprocessor(LinksToPages(config=c), enabled=True)
    ex.register_preprocessor(EmptyHeaderCells(config=c), enabled=True)
    ex.register_preprocessor(PlotlyFigures(config=c), enabled=True)
    return ex


def write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def build(out: Path = OUT) -> int:
    ex = exporter()
    written = 0
    written += write_if_changed(out / "plotly.min.js", plotly_js())
    rows = []
    for edition, folder in (("student", RELEASE), ("instructor", SOURCE)):
        for path in notebook_files(folder):
            body, _ = ex.from_notebook_node(read_nb(path), resources={"metadata": {"name": path.stem}})
            written += write_if_changed(out / edition / f"{path.stem}.html", body)
        rows.append((edition, [p.stem for p in notebook_files(folder)]))
    items = []
    for edition, stems in rows:
        what = ("blank exercises, as students get them" if edition == "student"
                else "with the model answers: for instructors")
        links = "".join(f'<li><a href="{edition}/{s}.html">{html.escape(s)}</a></li>' for s in stems)
        items.append(f"<h2>{edition.title()} edition</h2><p>{what}</p><ol start=\"0\">{links}</ol>")
    index = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<title>Deir ez-Zor 2016 — teaching notebooks (read-only)</title></head><body><main>"
             "<h1>Deir ez-Zor, 17 September 2016 — teaching notebooks</h1>"
             "<p>A read-only copy: the figures can be explored, but nothing can be run. "
             "To work the exercises, open the notebooks in JupyterLab (see the README).</p>"
             + "".join(items) + "</main></body></html>\n")
    written += write_if_changed(out / "index.html", index)
    print(f"HTML edition in {out}/ ({written} files written, the rest unchanged); open {out / 'index.html'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help="output folder (default editions/html)")
    args = ap.parse_args(argv)
    return build(args.out)


if __name__ == "__main__":
    sys.exit(main())
