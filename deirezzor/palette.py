"""The palette, the contrast rules and the plotly template "deirezzor".

Part of the house style (read ``deirezzor/style.py`` first; notebooks use
these names through ``style``: ``style.COLORS``, ``style.darker`` ...).

* ``OKABE_ITO``, ``PALETTE``: the only colours (Okabe & Ito 2008);
  ``COLORS`` / ``color(side)``: one fixed colour per party or side.
* ``contrast``, ``darker``, ``text_on``, ``outline``: WCAG 2.1 contrast and
  the helpers that fix a mark or a text that falls short of it.
* ``template()`` / ``use()``: the house template, and the sizes it and the
  figure linter (``deirezzor/lint.py``) share.
"""
from __future__ import annotations

import re

import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["OKABE_ITO", "PALETTE", "COLORS", "FONT_FAMILY", "TEMPLATE_NAME", "LAPTOP_WIDTH",
           "DEFAULT_HEIGHT", "MAX_HEIGHT", "MARK_CONTRAST", "MARK_PALETTE", "TEXT_CONTRAST",
           "LARGE_TEXT_CONTRAST", "OUTLINE", "TEXT_COLORS", "contrast", "darker", "text_on",
           "outline", "template", "use", "color"]

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
    "sohr": OKABE_ITO["bluish_green"],
    "isil": OKABE_ITO["black"],
    "other": OKABE_ITO["sky_blue"],
}
_COLOR_ALIASES = {"coalition_government": "coalition"}


# ---------------------------------------------------------------------------
# Contrast (WCAG 2.1): what check() refuses and the helpers that fix it
# ---------------------------------------------------------------------------
# Success criterion 1.4.11 (non-text contrast): a mark -- a marker, a bar, a
# line -- needs 3:1 against the background it is drawn on, through its fill
# or through its outline.  1.4.3: text needs 4.5:1 (3:1 if large: 24 px, or
# 18.66 px bold).  Four Okabe-Ito colours fall short on white: orange 2.25:1,
# sky blue 2.31:1, yellow 1.32:1; reddish purple passes narrowly (3.06:1).
MARK_CONTRAST = 3.0
TEXT_CONTRAST = 4.5
LARGE_TEXT_CONTRAST = 3.0
OUTLINE = "#222222"          # the dark outline of a light fill (15.9:1 on white)
_NAMED_COLORS = {"black": "#000000", "white": "#FFFFFF", "gray": "#808080", "grey": "#808080",
                 "lightgray": "#D3D3D3", "lightgrey": "#D3D3D3", "darkgray": "#A9A9A9",
                 "darkgrey": "#A9A9A9", "dimgray": "#696969", "dimgrey": "#696969",
                 "silver": "#C0C0C0", "gainsboro": "#DCDCDC", "whitesmoke": "#F5F5F5",
                 "red": "#FF0000", "blue": "#0000FF", "green": "#008000", "orange": "#FFA500"}
_RGBA_RE = re.compile(r"^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$", re.I)
_HEX_RE = re.compile(r"^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$", re.I)


def _rgba(color) -> tuple[float, float, float, float] | None:
    """'#0072B2', '#07b', 'rgb(0,114,178)', 'rgba(0,114,178,0.3)', 'white'
    -> (r, g, b, alpha) with r, g, b in 0..255; None if not a colour string
    this module can read (then check() says so)."""
    if not isinstance(color, str):
        return None
    c = color.strip().lower()
    if c == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    c = _NAMED_COLORS.get(c, c)
    m = _HEX_RE.match(c)
    if m:
        h = m.group(1)
        if len(h) == 3:
            h = "".join(ch * 2 for ch in h)
        alpha = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), alpha)
    m = _RGBA_RE.match(c)
    if m:
        r, g, b = (float(x) for x in m.groups()[:3])
        return (r, g, b, float(m.group(4)) if m.group(4) is not None else 1.0)
    return None


def _luminance(rgb) -> float:
    def lin(v):
        v = v / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = rgb[:3]
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def _over(fg, bg, opacity: float = 1.0) -> tuple[float, float, float]:
    """``fg`` (r, g, b, alpha) painted with ``opacity`` over the opaque ``bg``."""
    a = fg[3] * opacity
    return tuple(f * a + b * (1 - a) for f, b in zip(fg[:3], bg[:3]))


def contrast(color: str, background: str = "#FFFFFF") -> float:
    """WCAG 2.1 contrast ratio of ``color`` (painted over ``background``, so
    that a translucent colour counts as what the eye sees) -- 1.0 to 21.0."""
    fg, bg = _rgba(color), _rgba(background)
    if fg is None or bg is None:
        raise ValueError(f"contrast(): cannot read the colour {color if fg is None else background!r} "
                         "(use '#RRGGBB' or 'rgb(r, g, b)')")
    bg3 = _over(bg, (255, 255, 255))
    hi, lo = sorted((_luminance(_over(fg, bg3)), _luminance(bg3)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _hex(rgb) -> str:
    return "#" + "".join(f"{max(0, min(255, round(v))):02X}" for v in rgb[:3])


def darker(color: str, ratio: float = TEXT_CONTRAST, background: str = "#FFFFFF") -> str:
    """The colour itself if it reaches ``ratio`` against ``background``, else
    the same hue darkened (r, g, b scaled down together) until it does:
    ``darker("#56B4E9")`` -> "#3B7CA1", sky blue for text (4.5:1 on white)."""
    rgba = _rgba(color)
    if rgba is None:
        raise ValueError(f"darker(): cannot read the colour {color!r}")
    for step in range(101):
        candidate = _hex(tuple(v * (1 - step / 100) for v in rgba[:3]))
        if contrast(candidate, background) >= ratio:
            return candidate
    return "#000000"


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (text inside a marker or a bar)."""
    return "#FFFFFF" if contrast("#FFFFFF", fill) >= contrast("#000000", fill) else "#000000"


def outline(color: str, width: float = 1, background: str = "#FFFFFF") -> dict:
    """The marker outline a fill of ``color`` needs: none (width 0) if the fill
    itself reaches 3:1 against ``background``, else a dark one (``OUTLINE``).
    ``go.Bar(marker=dict(color=c, line=style.outline(c)))``."""
    if contrast(color, background) >= MARK_CONTRAST:
        return dict(width=0)
    return dict(color=OUTLINE, width=width)


# Each Okabe-Ito colour for TEXT on white: itself, or its darker variant (4.5:1).
TEXT_COLORS = {name: darker(hex_) for name, hex_ in OKABE_ITO.items()}
# The template's colorway: PALETTE with orange, sky blue and yellow darkened to
# 3:1 on white, so that a trace left to the default colours passes check().
MARK_PALETTE = [darker(c, MARK_CONTRAST) for c in PALETTE]

FONT_FAMILY = "Inter, 'Helvetica Neue', Arial, sans-serif"
TEMPLATE_NAME = "deirezzor"

# Measured in JupyterLab 4.6 / Chromium at 1366x768 with the file browser
# open (tests/browser_helpers.py): a figure's width in a notebook, and the
# height of the visible notebook area (647 px; leave room for the cell edge).
LAPTOP_WIDTH = 930
DEFAULT_HEIGHT = 440
MAX_HEIGHT = 600
TITLE_SIZE = 17
SUBTITLE_SIZE = 13
LEGEND_SIZE = 12

_TEXT = "#222222"
_SUBTLE = "#555555"
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
        title=dict(font=dict(size=TITLE_SIZE), x=0.0, xanchor="left", xref="container",
                   y=1.0, yanchor="top", yref="container", pad=dict(l=10, t=12), automargin=True,
                   subtitle=dict(font=dict(size=SUBTITLE_SIZE, color=_SUBTLE))),
        height=DEFAULT_HEIGHT,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        colorway=list(MARK_PALETTE),
        xaxis=_axis(),
        yaxis=_axis(),
        legend=dict(bgcolor="rgba(255,255,255,0.85)", borderwidth=0, font=dict(size=LEGEND_SIZE),
                    orientation="h", x=0.0, xanchor="left", xref="container",
                    y=0.0, yanchor="bottom", yref="container"),
        shapedefaults=dict(layer="below", line=dict(width=0)),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=12)),
        margin=dict(l=60, r=20, t=50, b=40),
        hovermode="closest",
    ))


pio.templates[TEMPLATE_NAME] = template()


def use() -> None:
    """Make the house template (``TEMPLATE_NAME``) plotly's default for new figures.

    Returns nothing, so that a setup cell ending in ``style.use()`` shows no
    stray output to students."""
    pio.templates[TEMPLATE_NAME] = template()
    pio.templates.default = TEMPLATE_NAME


def color(value: str) -> str:
    """The party colour of a side/perspective code (``COLORS``; others: sky blue)."""
    value = _COLOR_ALIASES.get(value, value)
    return COLORS.get(value, COLORS["other"])
