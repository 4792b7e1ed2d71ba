"""The house style for figures and tables, in one place.

Read this before you make a figure or a table for a notebook.

    import plotly.graph_objects as go          # never plotly.express
    from deirezzor import style
    style.use()                                # the house template for new figures

    fig = go.Figure(go.Bar(x=style.labels(df["side"]), y=df["killed_low"],
                           marker_color=[style.color(s) for s in df["side"]]))
    style.title(fig, "Killed in the strikes, by who reported it",
                subtitle="Lower bounds; a missing bar = no number stated")
    fig.update_layout(xaxis_title="Reported by", yaxis_title="Soldiers killed (at least)")
    style.show(fig, "Estimates differ by a factor of two.")   # never fig.show()

    style.table(df, columns=["source_id", "side", "killed_qualifier", "killed_low"])

Showing
    ``show(fig, description)`` publishes the figure as the plotly mimetype
    (drawn offline by JupyterLab's plotly extension, Notebook 7 and VS Code)
    with a text/plain line (``figure_text``: title, subtitle, description),
    then a "What to see" line.  In Google Colab, which does not draw that
    mimetype, it publishes plotly's HTML instead.  The static picture that
    previews (GitHub, nbviewer) show is added by ``make outputs``
    (tools/figure_images.py), never here.  It does not use ``fig.show()``:
    plotly's renderers import nbformat and jsonschema (about 2 s per
    kernel).  It REFUSES (ValueError) a figure that ``check(fig)`` finds
    fault with; the message says what to change.

Sizes (measured in JupyterLab 4.6 with the file browser open)
    At 1366x768 a figure in a notebook is ``LAPTOP_WIDTH`` = 930 px wide and
    the visible notebook area is 647 px tall; at 1920x1080, 1488 x 959 px.
    The template sets ``DEFAULT_HEIGHT`` (440 px); a figure may be at most
    ``MAX_HEIGHT`` (600 px) tall and at most ``LAPTOP_WIDTH`` wide, so that it
    fits on a laptop screen whole, legend included.

Titles
    The title starts at the figure's left edge (``xref="container"``).  Keep
    it under ~70 characters; put the rest in a subtitle:
    ``style.title(fig, "Short title", subtitle="what the marks mean")``.
    ``check`` estimates a title's width as characters x font size x 0.6
    (wider than real text) and refuses titles wider than the figure.

Labels for people
    Never show a code from the data (``coalition_government``,
    ``time_conversion``) or its lower-case spelling ("russian government").
    ``label(value)`` gives the label of any coded value or column name: a
    code's label is in data/datapackage.json (the ``categories`` of the
    field that holds it), a column's in ``COLUMN_LABELS``;
    ``labels(values)`` maps a list or Series.  ``check`` refuses a figure with
    a snake_case word (``a_b``) in any visible text: title, subtitle, axis and
    legend titles, trace names, trace text, category values on an axis, tick
    texts, annotations -- or with a code spelled with spaces.

Legends
    Horizontal, below the plot (template default).  Every entry must be
    visible and explained: ``check`` refuses more than ``MAX_LEGEND_ENTRIES``
    entries, a horizontal legend estimated to need more than
    ``MAX_LEGEND_ROWS`` rows, or a vertical legend that would squeeze the plot.
    Explain open symbols and dashed lines with a legend entry of their own:
    ``style.legend_entry(fig, "open circle: a round clock time", symbol="circle-open")``.

Bands and maps
    Highlight bands go BENEATH the marks: ``style.band(fig, x0, x1, "27-minute delay")``
    (``layer="below"``; the template also makes new shapes default to
    below).  ``check`` refuses a filled shape drawn above the marks.
    ``style.map_axes(fig, lon=(38.5, 41.5), lat=(34.0, 36.5))`` fixes a map's
    ranges to the extent of its outlines (the plot shrinks to keep the aspect
    ratio instead of widening past the outlines) and titles its axes.

Tables
    ``style.table(df, columns=[...])`` shows the columns that matter (at most
    ``MAX_TABLE_COLUMNS``) with headers for people (``COLUMN_LABELS``), coded
    values labelled, missing values as "not stated" (``missing=`` to change),
    times as "2016-09-17 14:00 UTC", and a note under the table that spells
    out every abbreviation it shows (``ABBREVIATIONS``: SAA = Syrian Arab
    Army, ...) plus your own ``note=``.

Colours
    Only the Okabe & Ito (2008) palette, distinguishable for the common forms
    of colour-blindness.  Each party or side has one fixed colour
    (``COLORS``, ``color(side)``), the same in every notebook.

Contrast (WCAG 2.1)
    Every mark reaches 3:1 (``MARK_CONTRAST``) against the plot background
    through its fill or its outline; every text 4.5:1 (``TEXT_CONTRAST``;
    3:1 from 24 px, or 18.66 px bold).  On white, orange (2.25:1), sky blue
    (2.31:1) and yellow (1.32:1) fall short, reddish purple passes narrowly
    (3.06:1).  ``check`` refuses what fails and says which fix fits:
    ``marker=dict(color=c, line=style.outline(c))`` (a dark outline where the
    fill is too light), ``style.darker(c, style.MARK_CONTRAST)`` for a line
    or an open symbol, ``style.darker(c)`` / ``TEXT_COLORS`` for text in a
    party colour, ``style.text_on(fill)`` for text on a mark.  The template's
    colorway is ``MARK_PALETTE`` (the palette darkened to 3:1), so traces
    left to the default colours pass.

Where each part lives (every name above is used through ``style``)
    deirezzor/palette.py   colours, contrast, the template, ``use``
    deirezzor/labels.py    ``label``, ``labels``, ``humanize``, ``COLUMN_LABELS``,
                           ``ABBREVIATIONS`` (codes' labels: data/datapackage.json)
    deirezzor/lint.py      ``check`` and its helpers
    deirezzor/tables.py    ``table``, ``Table``
    deirezzor/style.py     this page; ``title``, ``band``, ``legend_entry``,
                           ``map_axes``, ``show``, ``figure_text``, ``mimebundle``

The plotly template "deirezzor" is defined in palette.py in full -- it is *not* built
on plotly's default template -- so the figure JSON stored in the notebooks
carries only this small template and stays stable across plotly releases.  It
references no fonts, images or scripts on the network.
"""
from __future__ import annotations

import math
import re

import plotly.graph_objects as go
import plotly.io as pio

from . import labels as _labels
from .labels import ABBREVIATIONS, COLUMN_LABELS, humanize, label, labels
from .lint import MAX_LEGEND_ENTRIES, MAX_LEGEND_ROWS, _as_dict, _get, _TAG, _text, check
from .palette import (COLORS, DEFAULT_HEIGHT, FONT_FAMILY, LAPTOP_WIDTH, LARGE_TEXT_CONTRAST,
                      MARK_CONTRAST, MARK_PALETTE, MAX_HEIGHT, OKABE_ITO, OUTLINE, PALETTE,
                      TEMPLATE_NAME, TEXT_COLORS, TEXT_CONTRAST, _SUBTLE, color, contrast, darker,
                      outline, template, text_on, use)
from .tables import MAX_TABLE_COLUMNS, MISSING, Table, table

__all__ = ["OKABE_ITO", "PALETTE", "COLORS", "FONT_FAMILY", "TEMPLATE_NAME", "PLOTLY_MIME",
           "LAPTOP_WIDTH", "DEFAULT_HEIGHT", "MAX_HEIGHT", "MAX_LEGEND_ENTRIES",
           "MAX_LEGEND_ROWS", "MAX_TABLE_COLUMNS", "LABELS", "COLUMN_LABELS", "ABBREVIATIONS",
           "MISSING", "template", "use", "show", "check", "mimebundle", "label", "labels",
           "humanize", "color", "title", "band", "legend_entry", "map_axes", "table", "Table",
           "MARK_CONTRAST", "MARK_PALETTE", "TEXT_CONTRAST", "LARGE_TEXT_CONTRAST", "OUTLINE", "TEXT_COLORS",
           "contrast", "darker", "text_on", "outline", "figure_text"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def __getattr__(name: str):
    # style.LABELS: the codes' labels, read from the data package when first used
    if name == "LABELS":
        return _labels.code_labels()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------------
# Figure helpers
# ---------------------------------------------------------------------------
def title(fig: go.Figure, text: str, subtitle: str | None = None) -> go.Figure:
    """Set the title (short: it must fit a laptop) and an optional subtitle."""
    fig.update_layout(title_text=text)
    if subtitle:
        fig.update_layout(title_subtitle_text=subtitle)
    return fig


def band(fig: go.Figure, x0, x1, text: str | None = None, color: str = OKABE_ITO["yellow"],
         opacity: float = 0.35, **kwargs) -> go.Figure:
    """A highlight band from x0 to x1 BENEATH the marks, with an optional label
    at its top left (inside the plot)."""
    extra = {}
    if text:
        extra = dict(annotation_text=text, annotation_position="top left",
                     annotation_font_size=12)
    fig.add_vrect(x0=x0, x1=x1, fillcolor=color, opacity=opacity, layer="below",
                  line_width=0, **extra, **kwargs)
    return fig


def legend_entry(fig: go.Figure, name: str, symbol: str | None = None, dash: str | None = None,
                 color: str = _SUBTLE, **kwargs) -> go.Figure:
    """A legend entry that explains a symbol or a line style (it draws nothing):
    ``legend_entry(fig, "open circle: a round clock time", symbol="circle-open")``,
    ``legend_entry(fig, "dotted: position reported, not confirmed", dash="dot")``."""
    if symbol is None and dash is None:
        raise ValueError("legend_entry needs a symbol= or a dash= to explain")
    # a light colour is darkened (a line, an open symbol) or outlined (a
    # filled symbol) to reach MARK_CONTRAST, as check() asks of every mark
    if dash is not None:
        trace = go.Scatter(x=[None], y=[None], mode="lines", name=name,
                           line=dict(color=darker(color, MARK_CONTRAST), dash=dash, width=2), **kwargs)
    else:
        is_open = symbol.endswith("-open") or "-open-" in symbol
        fill = darker(color, MARK_CONTRAST) if is_open else color
        edge = fill if contrast(fill) >= MARK_CONTRAST else OUTLINE
        trace = go.Scatter(x=[None], y=[None], mode="markers", name=name,
                           marker=dict(color=fill, symbol=symbol, size=10,
                                       line=dict(color=edge, width=2)), **kwargs)
    fig.add_trace(trace)
    return fig


def map_axes(fig: go.Figure, lon: tuple, lat: tuple) -> go.Figure:
    """Lon/lat axes that stay within the outlines: the ranges are exactly
    ``lon`` and ``lat`` (the extent the outlines were clipped to), one degree
    of latitude is drawn 1/cos(latitude) times as long as one of longitude, and
    the plot area shrinks (``constrain="domain"``) rather than widening the
    ranges past the outlines."""
    (x0, x1), (y0, y1) = lon, lat
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"map_axes needs lon=(west, east) and lat=(south, north), got {lon}, {lat}")
    ratio = 1 / math.cos(math.radians((y0 + y1) / 2))
    fig.update_xaxes(range=[x0, x1], constrain="domain", title_text="Longitude (°E)",
                     showgrid=False)
    fig.update_yaxes(range=[y0, y1], constrain="domain", scaleanchor="x", scaleratio=ratio,
                     title_text="Latitude (°N)", showgrid=False)
    return fig


# ---------------------------------------------------------------------------
# show()
# ---------------------------------------------------------------------------
def show(fig: go.Figure, description: str) -> None:
    """Display ``fig`` with a one- or two-sentence "What to see" below it.

    Refuses (ValueError) a figure that ``check`` finds fault with, or one
    without a description.  Stores the description in
    ``fig.layout.meta["description"]``, publishes the figure as the plotly
    mimetype bundle (``mimebundle``; drawn offline by JupyterLab's plotly
    extension) -- never through ``fig.show()`` and plotly's renderers, which
    cost about 2 s of imports -- then shows the description as Markdown
    starting with "**What to see:** ".  Outside a running IPython only the
    description is printed.  The figure's bundle also holds ``figure_text``
    as text/plain; in Google Colab it is plotly's HTML instead of the
    mimetype (``_bundle``).  Returns None.
    """
    if not isinstance(fig, go.Figure):
        raise TypeError(f"show() needs a plotly Figure, got {type(fig).__name__}")
    problems = check(fig)
    if not (isinstance(description, str) and description.strip()):
        problems.append("lacks a description (what the reader should see)")
    if problems:
        raise ValueError("figure not shown: it " + "; it ".join(problems))
    _legend_refs(fig)
    if fig.layout.height is None:
        # JupyterLab's plotly extension ignores a template's height (it draws
        # 360 px); the figure itself must carry it.
        tmpl = fig.layout.template
        fig.layout.height = (tmpl.layout.height if tmpl is not None else None) or DEFAULT_HEIGHT
    meta = fig.layout.meta
    meta = dict(meta) if isinstance(meta, dict) else {}
    meta["description"] = description.strip()
    fig.layout.meta = meta
    text = "**What to see:** " + description.strip()
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # plain Python without IPython
        print(text)
        return
    if get_ipython() is None:  # IPython installed, but not running: nothing to draw on
        print(text)
        return
    display(_bundle(fig), raw=True)
    display(Markdown(text))


def figure_text(fig) -> str:
    """One line for readers and front ends that cannot see the figure:
    "Figure: <title> (<subtitle>). What to see: <description>" (plotly's
    ``<br>`` and other tags dropped).  The ``text/plain`` of every figure
    ``show`` publishes, and the ``alt`` of its stored picture."""
    d = _as_dict(fig)
    lay = d.get("layout", {})
    clean = lambda t: re.sub(r"\s+", " ", _TAG.sub(" ", t or "")).strip()  # noqa: E731
    title_text = clean(_text(lay.get("title"))) or "untitled"
    sub = clean(_text(_get(lay, "title", "subtitle")))
    meta = lay.get("meta")
    desc = clean(meta.get("description") if isinstance(meta, dict) and isinstance(meta.get("description"), str)
                 else "")
    out = f"Figure: {title_text}" + (f" ({sub})" if sub else "") + "."
    return out + (f" What to see: {desc}" if desc else "")


def _bundle(fig: go.Figure) -> dict:
    """What ``show`` publishes: the plotly mimetype (JupyterLab, Notebook 7,
    VS Code) and ``figure_text`` as text/plain -- or, in Google Colab, which
    does not draw the plotly mimetype, the HTML that plotly's own "colab"
    renderer makes (plotly.js from plotly's CDN: Colab is online).  The
    static picture for previews is added by the instructor's build
    (tools/execute.py), never here."""
    import sys

    if "google.colab" in sys.modules:
        html_text = pio.to_html(fig, include_plotlyjs="cdn", include_mathjax="cdn", full_html=True,
                                default_width="100%", default_height=fig.layout.height or DEFAULT_HEIGHT,
                                validate=False)
        return {"text/html": html_text, "text/plain": figure_text(fig)}
    bundle = mimebundle(fig)
    bundle["text/plain"] = figure_text(fig)
    return bundle


def _legend_refs(fig: go.Figure) -> None:
    """The template puts the legend on the container (below the plot, where
    plotly makes room for it).  A legend position given in the figure itself
    without a reference means plotly's default, the plot area ("paper"):
    keep that meaning, or y=-0.3 would land outside the figure."""
    leg = fig.layout.legend
    if leg.x is not None and leg.xref is None:
        leg.xref = "paper"
    if leg.y is not None and leg.yref is None:
        leg.yref = "paper"


def mimebundle(fig: go.Figure) -> dict:
    """The figure as JupyterLab's plotly extension draws it: ``{PLOTLY_MIME: figure JSON}``.

    The same JSON as plotly's ``plotly_mimetype`` renderer stores (the
    figure's ``to_dict()``, encoded by ``plotly.io.to_json`` and decoded
    again), but built here so that showing a figure does not import plotly's
    renderer machinery (plotly.io._renderers -> nbformat -> jsonschema, about
    2 s on a fresh kernel).  No ``config`` key: the renderer adds none either.
    """
    import json

    from plotly.io import to_json  # plotly.io._json only, not the renderers
    return {PLOTLY_MIME: json.loads(to_json(fig.to_dict(), validate=False, remove_uids=False))}
