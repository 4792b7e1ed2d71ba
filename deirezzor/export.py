"""HTML exports that show every figure, offline.

The notebooks store each figure once, as plotly's JSON bundle
(``application/vnd.plotly.v1+json``), which JupyterLab draws with its plotly
extension.  nbconvert's HTML exporter does not know that mimetype, so an
export showed no figure at all.  :class:`PlotlyFigures` is an nbconvert
preprocessor that adds, at export time, an HTML rendering beside each figure:
a ``<div>`` and a ``Plotly.newPlot`` call with the stored JSON.  plotly.js is
read from the plotly package on disk and inlined ONCE per page (before the
first figure), so the page needs no network and no CDN.  The notebook files
are not changed: they keep one copy of each figure.

Used by

* ``jupyter nbconvert --to html`` in the project environment (``make env``
  writes ``HTMLExporter.preprocessors`` into the environment's
  ``etc/jupyter/jupyter_nbconvert_config.json``);
* nbgrader's feedback (``instructor/nbgrader_config.py`` sets the same);
* ``make html`` (``tools/html_edition.py``), which also uses the template
  ``deirezzor`` shipped in this package: nbconvert's ``lab`` template without
  its require.js and MathJax script tags, which would be fetched from a CDN,
  and with colours that pass WCAG 2.1 AA.

No requests off disk.  nbconvert's ``lab`` and ``classic`` templates load
require.js, jQuery (classic), Mermaid (classic) and MathJax from cdnjs.  None
of them is needed by a page this preprocessor draws: plotly.js is inlined and
hides ``define`` while it loads, the notebooks have no widgets, no scripts in
their outputs and no Mermaid diagrams, and MathJax is only needed by LaTeX math, which no notebook of the
series uses (tests/test_html_edition.py checks that).  So the preprocessor
points those URLs at an empty ``data:`` script: the tags stay, but load
nothing.  The preprocessor is set for every export of the environment, so a
notebook from elsewhere that does have math (``needs_mathjax``), Mermaid,
widgets or outputs with scripts (which may call require.js or jQuery) keeps
the URLs it needs.

nbgrader's feedback template calls MathJax's macro without a URL, so the
preprocessor cannot reach it; ``instructor/nbgrader_config.py`` puts
``TEMPLATES`` first among the template folders, and its
``base/mathjax.html.j2`` loads MathJax only when it is given a URL.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

PLOTLY_MIME = "application/vnd.plotly.v1+json"
TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "deirezzor"

__all__ = ["PlotlyFigures", "PLOTLY_MIME", "TEMPLATES", "TEMPLATE_NAME", "NO_SCRIPT", "plotly_js",
           "figure_html", "needs_mathjax", "feedback_template_dirs"]

# A script that loads nothing and does nothing (an ES module for Mermaid's `import`).
NO_SCRIPT = "data:text/javascript,"
NO_MODULE = "data:text/javascript,export%20default%20%7Binitialize()%20%7B%7D%7D"

# What nbconvert's markdown renderer hands to MathJax: $...$, $$...$$, \(...\), \[...\],
# \begin{...}.  A dollar amount in prose ("$5 and $6") also matches: MathJax is
# then kept, which costs a request but loses nothing.
_MATH = re.compile(r"\$[^$\n]+\$|\$\$|\\\(|\\\[|\\begin\{")
_MATH_MIMES = ("text/markdown", "text/latex", "text/html")


def needs_mathjax(nb) -> bool:
    """Whether anything in the notebook would be typeset by MathJax: LaTeX
    math in a markdown cell, or a LaTeX/Markdown/HTML output."""
    for cell in nb.cells:
        texts = [cell.source] if cell.cell_type == "markdown" else []
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            texts += ["".join(data[m]) if isinstance(data[m], list) else str(data[m])
                      for m in _MATH_MIMES if m in data]
        if any(_MATH.search(t) for t in texts):
            return True
    return False


def _has_scripts(nb) -> bool:
    """Widgets, or an output that runs a script of its own (it may use require.js or jQuery)."""
    if "widgets" in nb.metadata:
        return True
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            page = data.get("text/html", "")
            if "application/javascript" in data or "<script" in ("".join(page) if isinstance(page, list) else page):
                return True
    return False


def _has_mermaid(nb) -> bool:
    return any(c.cell_type == "markdown" and "```mermaid" in c.source for c in nb.cells)


def feedback_template_dirs() -> list[str]:
    """``HTMLExporter.extra_template_basedirs`` for nbgrader: this package's
    templates first (``base/mathjax.html.j2``), then nbgrader's own, where its
    ``feedback`` and ``formgrade`` templates live (nbgrader adds that folder
    only when the setting is not given)."""
    import nbgrader
    return [str(TEMPLATES), str(Path(nbgrader.__file__).resolve().parent / "server_extensions"
                                / "formgrader" / "templates")]


def plotly_js() -> str:
    """plotly.min.js from the installed plotly package (no network)."""
    from plotly.offline import get_plotlyjs
    return get_plotlyjs()


def _script_json(value) -> str:
    # JSON inside <script>: "</" would end the script element early.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def figure_html(figure: dict, div_id: str, with_library: bool, library_src: str = "") -> str:
    """The HTML that draws one stored figure; plotly.js first if ``with_library``
    (inlined, or loaded from ``library_src``, a path relative to the page)."""
    layout = figure.get("layout", {})
    height = layout.get("height") or 450
    parts = []
    if with_library:
        # plotly.min.js registers itself with require.js when a page has it (nbconvert's
        # classic and lab templates load require.js) and then sets no window.Plotly: hide
        # define while it loads.
        parts.append("<script>window.__deirezzorDefine = window.define; window.define = undefined;</script>")
        if library_src:
            parts.append(f'<script src="{html.escape(library_src, quote=True)}"></script>')
        else:
            parts.append(f"<script type=\"text/javascript\">{plotly_js()}</script>")
        parts.append("<script>window.define = window.__deirezzorDefine;</script>")
    label = (layout.get("meta") or {}).get("description") or ""
    # The description names the figure: a <figure> element (role "figure"), not role="img",
    # whose children are presentational: plotly's mode bar holds focusable buttons
    # (axe-core: nested-interactive).
    parts.append(f'<figure class="deirezzor-figure-box" aria-label="{html.escape(str(label), quote=True)}" '
                 'style="margin: 0">')
    parts.append(f'<div id="{div_id}" class="plotly-graph-div deirezzor-figure" '
                 f'style="height:{int(height)}px; width:100%;"></div>')
    parts.append("</figure>")
    config = {"responsive": True, "displaylogo": False}
    parts.append(f"<script>Plotly.newPlot({json.dumps(div_id)}, {_script_json(figure.get('data', []))}, "
                 f"{_script_json(layout)}, {_script_json(config)});</script>")
    return "\n".join(parts)


class PlotlyFigures(Preprocessor):
    """Give every stored plotly figure an HTML rendering (plotly.js inlined once per page),
    and let the page load nothing it does not need from a CDN."""

    library_src = Unicode("", help="Load plotly.js from this path (relative to the page) instead of "
                                    "inlining it; make html ships one copy beside the pages.").tag(config=True)
    offline = Bool(True, help="Point the template's require.js, jQuery, Mermaid and (without LaTeX "
                              "math) MathJax URLs at an empty script.").tag(config=True)

    def preprocess(self, nb, resources):
        if self.offline and resources is not None:
            if not _has_scripts(nb):
                resources["require_js_url"] = NO_SCRIPT
                resources["jquery_url"] = NO_SCRIPT
            if not needs_mathjax(nb):
                resources["mathjax_url"] = NO_SCRIPT
            if not _has_mermaid(nb):
                resources["mermaid_js_url"] = NO_MODULE
                resources["mermaid_layout_elk_js_url"] = ""
        count = 0
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                data = out.get("data") or {}
                if PLOTLY_MIME not in data or "text/html" in data:
                    continue
                figure = data[PLOTLY_MIME]
                if isinstance(figure, str):
                    figure = json.loads(figure)
                count += 1
                data["text/html"] = figure_html(figure, f"deirezzor-figure-{count}", with_library=count == 1,
                                                library_src=self.library_src)
        return nb, resources
