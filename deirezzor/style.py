"""The house figure style, in one place.

    from deirezzor import style
    style.use()                                   # our plotly template by default
    fig = px.bar(df, x="source", y="killed", color="side",
                 color_discrete_map=style.COLORS, title="...")
    style.show(fig, "Estimates differ by a factor of two.")

Colours come only from the Okabe & Ito (2008) palette, which stays
distinguishable for the common forms of colour-blindness.  Each party or side
has one fixed colour (``COLORS``) so that it looks the same in every notebook.

The plotly template "deirezzor" is defined here in full -- it is *not* built
on plotly's default template -- so the figure JSON stored in the notebooks
carries only this small template and stays stable across plotly releases.  It
references no fonts, images or scripts on the network.
"""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["OKABE_ITO", "PALETTE", "COLORS", "FONT_FAMILY", "TEMPLATE_NAME", "template",
           "use", "show", "check", "mimebundle", "PLOTLY_MIME"]

# Okabe, M. & Ito, K. (2008) "Color Universal Design", the eight colours.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Order used for traces without an assigned colour: strong colours first,
# yellow (weak on white) and black (reads as "text") last.
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                  "reddish_purple", "sky_blue", "yellow", "black")]

# One colour per party / kind of source, the same in every notebook.
COLORS = {
    "coalition": OKABE_ITO["blue"],
    "russian_government": OKABE_ITO["vermillion"],
    "syrian_government": OKABE_ITO["reddish_purple"],
    "pro_government_outlet": OKABE_ITO["orange"],
    "independent_monitor": OKABE_ITO["bluish_green"],
    "isil": OKABE_ITO["black"],
    "other": OKABE_ITO["sky_blue"],
}

FONT_FAMILY = "Inter, 'Helvetica Neue', Arial, sans-serif"
TEMPLATE_NAME = "deirezzor"
PLOTLY_MIME = "application/vnd.plotly.v1+json"

_TEXT = "#222222"
_GRID = "#E6E6E6"
_LINE = "#555555"


def _axis() -> dict:
    return dict(
        showgrid=True, gridcolor=_GRID, gridwidth=1,
        zeroline=False,
        showline=True, linecolor=_LINE, linewidth=1,
        ticks="outside", tickcolor=_LINE, ticklen=4,
        title=dict(font=dict(size=13), standoff=8),
        automargin=True,
    )


def template() -> go.layout.Template:
    """A fresh copy of the house template (registered as "deirezzor")."""
    return go.layout.Template(layout=dict(
        font=dict(family=FONT_FAMILY, size=13, color=_TEXT),
        title=dict(font=dict(size=17), x=0.0, xanchor="left", xref="paper"),
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        colorway=list(PALETTE),
        xaxis=_axis(),
        yaxis=_axis(),
        legend=dict(bgcolor="rgba(255,255,255,0.85)", borderwidth=0, font=dict(size=12)),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=12)),
        margin=dict(l=60, r=20, t=60, b=50),
        hovermode="closest",
    ))


pio.templates[TEMPLATE_NAME] = template()


def use() -> str:
    """Make the house template plotly's default for new figures; returns its name."""
    pio.templates[TEMPLATE_NAME] = template()
    pio.templates.default = TEMPLATE_NAME
    return TEMPLATE_NAME


def _axes_in_use(fig: go.Figure) -> list[str]:
    """Layout names ('xaxis', 'yaxis2', ...) of the cartesian axes that traces use."""
    names: list[str] = []
    for trace in fig.data:
        for letter in ("x", "y"):
            if f"{letter}axis" not in trace:  # not a cartesian trace (pie, map, ...)
                continue
            ref = trace[f"{letter}axis"] or letter
            name = f"{letter}axis{ref[1:]}"
            if name not in names:
                names.append(name)
    return names


def check(fig: go.Figure) -> list[str]:
    """What ``show`` would refuse: a list of missing things (empty = fine)."""
    missing: list[str] = []
    title = fig.layout.title.text
    if not (isinstance(title, str) and title.strip()):
        missing.append("a figure title (layout.title.text)")
    for name in _axes_in_use(fig):
        axis = fig.layout[name]
        text = axis.title.text
        if isinstance(text, str) and text.strip():
            continue
        # An inner axis of shared subplots (make_subplots(shared_xaxes=True))
        # matches a titled axis and hides its tick labels: it needs no title.
        if axis.matches and axis.showticklabels is False:
            other = fig.layout[f"{name[0]}axis{axis.matches[1:]}"]
            if isinstance(other.title.text, str) and other.title.text.strip():
                continue
        missing.append(f"a title on {name} ({name}.title.text)")
    return missing


def show(fig: go.Figure, description: str) -> None:
    """Display ``fig`` with a one- or two-sentence "What to see" below it.

    Refuses (ValueError) a figure without a title, without a title on any
    x/y axis that its traces use, or without a description.  Stores the
    description in ``fig.layout.meta["description"]``, publishes the figure
    as the plotly mimetype bundle (``mimebundle``; drawn offline by
    JupyterLab's plotly extension) -- never through ``fig.show()`` and
    plotly's renderers, which cost about 2 s of imports -- then shows the
    description as Markdown starting with "**What to see:** ".  Outside a
    running IPython only the description is printed.  Returns None.
    """
    if not isinstance(fig, go.Figure):
        raise TypeError(f"show() needs a plotly Figure, got {type(fig).__name__}")
    missing = check(fig)
    if not (isinstance(description, str) and description.strip()):
        missing.append("a description (what the reader should see)")
    if missing:
        raise ValueError("figure not shown, it lacks " + "; ".join(missing))
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
    display(mimebundle(fig), raw=True)
    display(Markdown(text))


def mimebundle(fig: go.Figure) -> dict:
    """The figure as JupyterLab's plotly extension draws it: ``{PLOTLY_MIME: figure JSON}``.

    Byte for byte what plotly's ``plotly_mimetype`` renderer stores (the
    figure's ``to_dict()``, encoded by ``plotly.io.to_json`` and decoded
    again), but built here so that showing a figure does not import plotly's
    renderer machinery (plotly.io._renderers -> nbformat -> jsonschema, about
    2 s on a fresh kernel).  No ``config`` key: the renderer adds none either.
    """
    import json

    from plotly.io import to_json  # plotly.io._json only, not the renderers
    return {PLOTLY_MIME: json.loads(to_json(fig.to_dict(), validate=False, remove_uids=False))}
