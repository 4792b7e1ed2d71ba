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
  its require.js and MathJax script tags, which would be fetched from a CDN.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode

PLOTLY_MIME = "application/vnd.plotly.v1+json"
TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "deirezzor"

__all__ = ["PlotlyFigures", "PLOTLY_MIME", "TEMPLATES", "TEMPLATE_NAME", "plotly_js", "figure_html"]


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
    """Give every stored plotly figure an HTML rendering (plotly.js inlined once per page)."""

    library_src = Unicode("", help="Load plotly.js from this path (relative to the page) instead of "
                                    "inlining it; make html ships one copy beside the pages.").tag(config=True)

    def preprocess(self, nb, resources):
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
