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
    ``label(value)`` gives the label of any coded value or column name, from
    one map (``LABELS`` for values, ``COLUMN_LABELS`` for columns);
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

The plotly template "deirezzor" is defined here in full -- it is *not* built
on plotly's default template -- so the figure JSON stored in the notebooks
carries only this small template and stays stable across plotly releases.  It
references no fonts, images or scripts on the network.
"""
from __future__ import annotations

import html
import math
import re

import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["OKABE_ITO", "PALETTE", "COLORS", "FONT_FAMILY", "TEMPLATE_NAME", "PLOTLY_MIME",
           "LAPTOP_WIDTH", "DEFAULT_HEIGHT", "MAX_HEIGHT", "MAX_LEGEND_ENTRIES",
           "MAX_LEGEND_ROWS", "MAX_TABLE_COLUMNS", "LABELS", "COLUMN_LABELS", "ABBREVIATIONS",
           "MISSING", "template", "use", "show", "check", "mimebundle", "label", "labels",
           "humanize", "color", "title", "band", "legend_entry", "map_axes", "table", "Table",
           "MARK_CONTRAST", "MARK_PALETTE", "TEXT_CONTRAST", "LARGE_TEXT_CONTRAST", "OUTLINE", "TEXT_COLORS",
           "contrast", "darker", "text_on", "outline", "figure_text"]

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
_PLOTLY_FONT_COLOR = "#444444"   # plotly.js's own defaults, when nothing says otherwise
_PLOTLY_PLOT_BG = "#E5ECF6"
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
PLOTLY_MIME = "application/vnd.plotly.v1+json"

# Measured in JupyterLab 4.6 / Chromium at 1366x768 with the file browser
# open (tests/browser_helpers.py): a figure's width in a notebook, and the
# height of the visible notebook area (647 px; leave room for the cell edge).
LAPTOP_WIDTH = 930
DEFAULT_HEIGHT = 440
MAX_HEIGHT = 600
TITLE_SIZE = 17
SUBTITLE_SIZE = 13
LEGEND_SIZE = 12
CHAR_EM = 0.6          # conservative width of one character, in font sizes
MAX_LEGEND_ENTRIES = 8
MAX_LEGEND_ROWS = 3
MAX_TABLE_COLUMNS = 7

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
# ---------------------------------------------------------------------------
# Labels for people: one map for every coded value and column in data/.
# ---------------------------------------------------------------------------
LABELS: dict[str, str] = {
    # who: sources.perspective and every side column
    "anti_intervention_outlet": "Anti-intervention outlet",
    "coalition_government": "Coalition governments",
    "encyclopedia": "Encyclopedia",
    "hezbollah": "Hezbollah",
    "iraqi_pmu": "Iraqi PMU",
    "news_media_coalition_country": "News media in coalition countries",
    "news_media_other": "Other news media",
    "pro_government_outlet": "Pro-government outlet",
    "russian_and_syrian_governments": "Russian and Syrian governments",
    "russian_government": "Russian government",
    "several_parties": "Several parties",
    "sohr": "Syrian Observatory for Human Rights (SOHR)",
    "state_media_china": "Chinese state media",
    "state_media_russia": "Russian state media",
    "syrian_government": "Syrian government",
    "think_tank": "Think tank",
    "unclear": "Unclear",
    "united_nations": "United Nations",
    "unknown": "Unknown",
    "us_and_russian_governments": "U.S. and Russian governments",
    # the keys of COLORS that are not data codes
    "coalition": "Coalition",
    "other": "Other",
    # sources.kind
    "investigation_report": "Investigation report",
    "monitor": "Monitor",
    "news_report": "News report",
    "official_statement": "Official statement",
    "un_document": "UN document",
    # events.category
    "aftermath": "Aftermath",
    "background": "Background",
    "ceasefire": "Ceasefire",
    "diplomacy": "Diplomacy",
    "ground_fighting": "Ground fighting",
    "hotline": "Hotline",
    "investigation": "Investigation",
    "mosul": "Mosul",
    "raid": "Air raid",
    # precision of times and dates
    "minute": "To the minute",
    "approximate_time": "Approximate time",
    "time_range": "Time range",
    "day": "Day",
    "approximate_day": "Approximate day",
    "month": "Month",
    "year": "Year",
    # casualty_estimates.scope and victims
    "coalition_strikes": "The coalition strikes of 17 Sept",
    "jabal_thardeh_by_coalition": "Killed by the coalition at Jabal Thardeh",
    "ground_fighting_17_sep": "Ground fighting after the strikes, 17 Sept",
    "aid_convoy_19_sep": "Aid convoy attack, 19 Sept",
    "camp_attack_dec_2015": "Camp attack, Dec 2015",
    "syrian_soldiers": "Syrian soldiers",
    "syrian_pilot": "Syrian pilot",
    "isil_fighters": "ISIL fighters",
    "aid_workers_and_civilians": "Aid workers and civilians",
    # reading rules (casualty_estimates.*_reading, figures.reading)
    "point": "Bare number, read as stated",
    "lower_bound": "Lower bound",
    "upper_bound": "Upper bound",
    "range": "Range",
    "approximate": "Approximate",
    # positions
    "held": "Held",
    "captured": "Captured",
    "recaptured": "Recaptured",
    "attacked": "Attacked",
    "syrian_army": "Syrian Army",
    "isil": "ISIL",
    # places.coord_precision
    "published": "Published coordinate",
    "derived": "Derived from stated distances",
    "none": "No coordinate found",
    # statements.claim
    "accident": "Accident",
    "account_of_events": "Account of events",
    "admission": "Admission",
    "analysis": "Analysis",
    "ceasefire_blame": "Blame for the ceasefire's end",
    "convoy_attribution": "Who attacked the aid convoy",
    "counterfactual_aleppo": "Aleppo: what the ceasefire might have changed",
    "deliberate": "Deliberate",
    "deliberate_implied": "Deliberate (implied)",
    "misidentification": "Misidentification",
    "mosul_corridor_fear": "Fear of a Mosul corridor",
    "participation_confirmed": "Participation confirmed",
    "prior_notification": "Prior notification",
    "procedural_finding": "Procedural finding",
    "regret": "Regret",
    "rejection_of_accusation": "Rejection of an accusation",
    "warning": "Warning",
    # attributions.stance
    "asserts": "Asserts",
    "suggests": "Suggests (hedged)",
    "denies": "Denies",
    # discrepancies.kind and status
    "attribution": "Attribution",
    "chronology": "Chronology",
    "coordinates": "Coordinates",
    "count": "Count",
    "direction": "Direction",
    "figure": "Figure",
    "internal": "Within one source",
    "naming": "Naming",
    "qualifier": "Qualifier",
    "time": "Time",
    "target": "What was struck",
    "time_conversion": "Time conversion",
    "wording": "Wording",
    "open": "Open",
    "explained": "Explained",
}

# Column names -> table headers.  Columns not listed get a humanised name
# ("date_reported" -> "Date reported"), never the raw one.
COLUMN_LABELS: dict[str, str] = {
    "source_id": "Source", "event_id": "Event", "place_id": "Place", "estimate_id": "Estimate",
    "claim_id": "Claim", "position_id": "Position", "statement_id": "Statement",
    "figure_id": "Figure", "discrepancy_id": "Discrepancy", "attribution_id": "Attribution",
    "coord_source_id": "Coordinate source",
    "perspective": "Perspective", "side": "Side", "kind": "Kind",
    "date_published": "Published", "date_reported": "Reported on",
    "date_precision": "Date precision", "precision": "Precision",
    "time_utc": "Time (UTC)", "end_time_utc": "End (UTC)",
    "time_damascus": "Time (Damascus)", "end_time_damascus": "End (Damascus)",
    "tz": "Time zone", "time_as_given": "Time as given",
    "according_to": "According to", "version_of": "Version of",
    "lat": "Latitude (°N)", "lon": "Longitude (°E)", "coord_precision": "Coordinate precision",
    "number_as_given": "Number as given",
    "killed_stated": "Killed (stated)", "killed_low": "Killed, at least",
    "killed_high": "Killed, at most", "killed_qualifier": "Wording",
    "killed_reading": "Read as", "wounded_stated": "Wounded (stated)",
    "wounded_low": "Wounded, at least", "wounded_high": "Wounded, at most",
    "wounded_qualifier": "Wording (wounded)", "wounded_reading": "Wounded read as",
    "claimed_by": "Claimed by", "aircraft_type": "Aircraft type",
    "operator_country": "Operator country", "count_stated": "Number stated",
    "when_in_day": "When in the day", "reported_via": "Reported via",
    "value_stated": "Value stated", "low_exclusive": "Low excluded",
    "high_exclusive": "High excluded", "within_one_source": "Within one source",
    "version_a": "Version A", "version_b": "Version B", "refs": "Rows",
    "computed_check": "Computed check", "to_resolve": "To resolve",
    "name_variants": "Other names", "relative_location": "Relative location",
}

# Abbreviations that appear in the data; table() explains those it shows.
ABBREVIATIONS: dict[str, str] = {
    "AEW&C": "airborne early warning and control",
    "CAOC": "Combined Air Operations Center",
    "CENTCOM": "U.S. Central Command",
    "EDT": "Eastern Daylight Time (UTC−4)",
    "GMT": "Greenwich Mean Time (= UTC)",
    "ISIL": "Islamic State of Iraq and the Levant (also ISIS)",
    "ISIS": "Islamic State of Iraq and Syria (also ISIL)",
    "PMF": "Popular Mobilization Forces (Iraq)",
    "PMU": "Popular Mobilization Units (Iraq)",
    "RAAF": "Royal Australian Air Force",
    "SAA": "Syrian Arab Army",
    "SANA": "Syrian Arab News Agency (state)",
    "SARC": "Syrian Arab Red Crescent",
    "SOHR": "Syrian Observatory for Human Rights",
    "UN": "United Nations",
    "UTC": "Coordinated Universal Time",
}

MISSING = "not stated"
_SNAKE = re.compile(r"\b[A-Za-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def humanize(name: str) -> str:
    """'date_reported' -> 'Date reported' (for names no map lists)."""
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def label(value):
    """The label for people of a coded value or column name.

    ``label("coalition_government")`` -> "Coalition governments";
    ``label("time_utc")`` -> "Time (UTC)".  A value the maps do not list is
    returned unchanged, unless it looks like a code (has an underscore): then
    it is humanised.  Non-strings (numbers, dates, NA) come back unchanged.
    """
    if not isinstance(value, str):
        return value
    if value in LABELS:
        return LABELS[value]
    if value in COLUMN_LABELS:
        return COLUMN_LABELS[value]
    if _SNAKE.fullmatch(value):
        return humanize(value)
    return value


def labels(values) -> list:
    """``[label(v) for v in values]`` (a list, a Series, an Index ...)."""
    return [label(v) for v in values]


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
# check(): what show() refuses
# ---------------------------------------------------------------------------
# Trace types drawn on cartesian x/y axes (the ones that need axis titles).
_CARTESIAN = {"scatter", "scattergl", "bar", "box", "violin", "histogram", "histogram2d",
              "histogram2dcontour", "heatmap", "contour", "image", "ohlc", "candlestick",
              "waterfall", "funnel"}


def _get(d, *path):
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def _text(value):
    """A title-like value: plotly accepts "text" or {"text": "text"}."""
    if isinstance(value, dict):
        value = value.get("text")
    return value if isinstance(value, str) else None


def _as_dict(fig) -> dict:
    if isinstance(fig, dict):
        return fig
    if isinstance(fig, go.Figure):
        return fig.to_dict()
    raise TypeError(f"check() needs a plotly Figure or its dict, got {type(fig).__name__}")


def _axes_in_use(fig) -> list[str]:
    """Layout names ('xaxis', 'yaxis2', ...) of the cartesian axes that traces use."""
    names: list[str] = []
    for trace in _as_dict(fig).get("data", []):
        if trace.get("type", "scatter") not in _CARTESIAN:  # pie, table, maps ...
            continue
        for letter in ("x", "y"):
            ref = trace.get(f"{letter}axis") or letter
            name = f"{letter}axis{ref[1:]}"
            if name not in names:
                names.append(name)
    return names


_TAG = re.compile(r"<[^>]+>")
_SPELLED_CODES = {k.replace("_", " "): v for k, v in LABELS.items() if "_" in k}


def _lines(text) -> list[str]:
    """Visible lines of a plotly text (``<br>`` breaks, other tags dropped)."""
    if not isinstance(text, str):
        return []
    return [_TAG.sub("", part) for part in re.split(r"<br\s*/?>", text, flags=re.I)]


def _text_px(text, size: float) -> float:
    return max((len(line) for line in _lines(text)), default=0) * size * CHAR_EM


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if value is None or isinstance(value, dict):  # typed arrays ({dtype, bdata}) hold numbers
        return []
    try:
        return [v for v in value if isinstance(v, str)]
    except TypeError:
        return []


def _resolved(d: dict, *path):
    """A layout value, or the template's, or None."""
    value = _get(d, "layout", *path)
    return value if value is not None else _get(d, "layout", "template", "layout", *path)


def _visible_texts(d: dict) -> list[tuple[str, str]]:
    """[(where, text)] for the texts a reader sees without hovering."""
    out: list[tuple[str, str]] = []
    lay = d.get("layout", {})
    out += [("title", _text(lay.get("title"))), ("subtitle", _text(_get(lay, "title", "subtitle"))),
            ("legend title", _text(_get(lay, "legend", "title")))]
    axes = [k for k in lay if re.fullmatch(r"[xy]axis\d*", k)]
    for name in axes + [a for a in _axes_in_use(d) if a not in axes]:
        ax = lay.get(name) or {}
        out.append((f"{name} title", _text(ax.get("title"))))
        out += [(f"{name} ticktext", t) for t in _strings(ax.get("ticktext"))]
    for i, an in enumerate(lay.get("annotations") or ()):
        out.append((f"annotation {i}", an.get("text")))
    for i, tr in enumerate(d.get("data", [])):
        where = f"trace {i}"
        kind = tr.get("type", "scatter")
        if tr.get("showlegend") is not False:
            out.append((f"{where} name", tr.get("name")))
        for attr in ("text", "texttemplate"):
            if attr not in tr:
                continue
            if kind.startswith("scatter"):  # text is drawn only in a "text" mode
                if "text" not in (tr.get("mode") or ""):
                    continue
            elif tr.get("textposition") == "none":  # bars: drawn unless turned off
                continue
            out += [(f"{where} {attr}", t) for t in _strings(tr[attr])]
        out += [(f"{where} labels", t) for t in _strings(tr.get("labels"))]
        if kind in _CARTESIAN:
            for letter in ("x", "y"):
                out += [(f"{where} {letter} value", t) for t in _strings(tr.get(letter))]
        if kind == "table":
            out += [(f"{where} header", t) for t in _strings(_get(tr, "header", "values"))]
    return [(w, t) for w, t in out if isinstance(t, str) and t.strip()]


def _legend_entries(d: dict) -> list[str]:
    names, pie = [], False
    for tr in d.get("data", []):
        if tr.get("type") == "pie":
            pie = True
            names += [str(v) for v in _strings(tr.get("labels"))]
            continue
        if tr.get("visible") is False or tr.get("showlegend") is False:
            continue
        names.append(tr.get("name") or "")
    shown = _get(d, "layout", "showlegend")
    if shown is False or (shown is None and len(names) < 2 and not pie):
        return []
    return names


def _as_list(value, n: int | None = None) -> list:
    """A scalar or an array attribute as a list (typed arrays and Nones dropped)."""
    if value is None or isinstance(value, dict):
        return []
    if isinstance(value, (str, int, float)):
        return [value]
    try:
        return list(value)
    except TypeError:
        return [value]


def _font_color(d: dict, *paths) -> str:
    """The first colour set along ``paths`` (layout first, then the template),
    else the figure's font colour, else plotly's."""
    for path in paths + (("font", "color"),):
        c = _resolved(d, *path)
        if isinstance(c, str):
            return c
    return _PLOTLY_FONT_COLOR


def _font_size(d: dict, *paths, default: float = 12) -> float:
    for path in paths + (("font", "size"),):
        v = _resolved(d, *path)
        if isinstance(v, (int, float)):
            return v
    return default


def _text_needs(size: float, weight=None) -> float:
    bold = weight in ("bold", "bolder") or (isinstance(weight, (int, float)) and weight >= 700)
    large = size >= 24 or (bold and size >= 18.66)
    return LARGE_TEXT_CONTRAST if large else TEXT_CONTRAST


def _contrast_problems(d: dict) -> list[str]:
    """Marks (markers, bars, lines, line shapes) reach MARK_CONTRAST against the
    plot background through their fill or their outline; texts reach
    TEXT_CONTRAST (LARGE_TEXT_CONTRAST when large) against what they are drawn on."""
    problems: list[str] = []
    lay = d.get("layout", {})
    plot_bg = _resolved(d, "plot_bgcolor") or _PLOTLY_PLOT_BG
    paper_bg = _resolved(d, "paper_bgcolor") or "#FFFFFF"
    for bg in (plot_bg, paper_bg):
        if _rgba(bg) is None:
            return [f"has a background colour {bg!r} that cannot be checked for contrast "
                    "(use '#RRGGBB')"]
    colorway = _resolved(d, "colorway") or PALETTE
    unreadable: set = set()

    def ratio(color, background, opacity=1.0):
        fg = _rgba(color)
        if fg is None:
            unreadable.add(str(color))
            return None
        painted = _over(fg, _over(_rgba(background), (255, 255, 255)), opacity)
        return contrast(_hex(painted), background)

    def text(where, color, size, background, weight=None):
        need = _text_needs(size, weight)
        r = ratio(color, background)
        if r is not None and r < need:
            problems.append(f"has {where} in {color} at {r:.2f}:1 against {background}: text needs "
                            f"{need:g}:1 (use a darker colour, e.g. style.darker({color!r}), or "
                            "style.text_on(fill) for text on a mark)")

    for i, tr in enumerate(d.get("data", [])):
        if tr.get("visible") is False:
            continue
        kind = tr.get("type", "scatter")
        name = tr.get("name")
        where = f"trace {i}" + (f" ({_TAG.sub('', name)[:40]!r})" if isinstance(name, str) and name else "")
        opacity = tr.get("opacity") if isinstance(tr.get("opacity"), (int, float)) else 1.0
        default = colorway[i % len(colorway)] if colorway else "#1F77B4"
        marker = tr.get("marker") or {}
        trace_line = (tr.get("line") or {}).get("color")
        trace_line = trace_line if isinstance(trace_line, str) else None
        # plotly: a scatter's markers take its line colour, and its line its
        # marker colour, when only one is given
        fills = [c for c in _as_list(marker.get("color")) if isinstance(c, str)] or (
            [] if marker.get("color") is not None else [trace_line or default])
        m_opacity = [o for o in _as_list(marker.get("opacity")) if isinstance(o, (int, float))] or [1.0]
        m_line = marker.get("line") or {}
        widths = [w for w in _as_list(m_line.get("width")) if isinstance(w, (int, float))]
        line_colors = [c for c in _as_list(m_line.get("color")) if isinstance(c, str)]
        if widths and not line_colors and m_line.get("color") is None:
            # plotly's default outline: the trace's line colour if it differs
            # from the fill, else its default line colour
            line_colors = [trace_line if trace_line and trace_line not in fills else _PLOTLY_FONT_COLOR]
        outlined = bool(widths) and min(widths) > 0 and bool(line_colors)
        outline_ok = outlined and all((ratio(c, plot_bg, opacity) or 0) >= MARK_CONTRAST
                                      for c in line_colors)

        if kind.startswith("scatter"):
            n = max(len(_as_list(tr.get("x"))), len(_as_list(tr.get("y"))))
            mode = tr.get("mode") or ("lines+markers" if n < 20 else "lines")
        else:
            mode = ""
        has_markers = "markers" in mode or kind in ("bar", "histogram", "box", "waterfall", "funnel")
        if has_markers:
            symbols = [s for s in _as_list(marker.get("symbol")) if isinstance(s, str)]
            open_marker = any(s.endswith("-open") or "-open-" in s for s in symbols)
            if symbols and all(s.startswith("line-") for s in symbols):
                # line symbols (line-ns, line-ew ...) are drawn with the outline only
                for c in dict.fromkeys(line_colors or fills):
                    r = ratio(c, plot_bg, opacity)
                    if r is not None and r < MARK_CONTRAST:
                        problems.append(f"draws {where} as line symbols in {c} at {r:.2f}:1 against "
                                        f"{plot_bg}: they need {MARK_CONTRAST:g}:1 (use "
                                        f"style.darker({c!r}, style.MARK_CONTRAST))")
                fills = []
            for fill in dict.fromkeys(fills):
                for mo in dict.fromkeys(m_opacity):
                    if opacity * mo == 0:  # not drawn (e.g. a trace that fixes the axis order)
                        continue
                    r = ratio(fill, plot_bg, opacity * mo)
                    if r is None or r >= MARK_CONTRAST:
                        continue
                    if open_marker:
                        problems.append(f"draws {where} as open markers in {fill} at {r:.2f}:1 "
                                        f"against {plot_bg}: an open marker's edge is its colour and "
                                        f"needs {MARK_CONTRAST:g}:1 (use style.darker({fill!r}, "
                                        "style.MARK_CONTRAST))")
                    elif not outline_ok:
                        problems.append(f"fills {where} with {fill} at {r:.2f}:1 against {plot_bg} "
                                        f"and no outline reaching {MARK_CONTRAST:g}:1: give it a dark "
                                        f"outline (marker_line=style.outline({fill!r})) or a darker fill")
        if "lines" in mode:
            line = tr.get("line") or {}
            width = line.get("width")
            if not (isinstance(width, (int, float)) and width == 0):
                color = line.get("color") or (fills[0] if len(fills) == 1 else default)
                r = ratio(color, plot_bg, opacity)
                if r is not None and r < MARK_CONTRAST:
                    problems.append(f"draws {where} as a line in {color} at {r:.2f}:1 against "
                                    f"{plot_bg}: a line needs {MARK_CONTRAST:g}:1 (use "
                                    f"style.darker({color!r}, style.MARK_CONTRAST))")
        # text on the marks
        has_text = ("text" in mode) if kind.startswith("scatter") else (
            kind in ("bar", "histogram", "waterfall", "funnel") and "text" in tr
            and tr.get("textposition") != "none")
        if has_text:
            font = tr.get("textfont") or {}
            size = next((s for s in _as_list(font.get("size")) if isinstance(s, (int, float))),
                        _font_size(d))
            position = " ".join(str(p) for p in _as_list(tr.get("textposition")))
            colors = [c for c in _as_list(font.get("color")) if isinstance(c, str)]
            if kind.startswith("scatter"):
                on_mark = "markers" in mode and "middle center" in (position or "middle center") \
                    and position.strip() in ("", "middle center")
            else:
                on_mark = position in ("inside", "auto", "")
                if on_mark and not colors:
                    colors = [c for c in _as_list((tr.get("insidetextfont") or {}).get("color"))
                              if isinstance(c, str)]
                    if not colors:  # plotly picks black or white for the bar itself
                        continue
            colors = colors or [_font_color(d)]
            for c in dict.fromkeys(colors):
                for bg in (dict.fromkeys(fills) if on_mark and fills else [plot_bg]):
                    text(f"the text of {where}", c, size,
                         _hex(_over(_rgba(bg) or (255, 255, 255, 1), _rgba(plot_bg))) if on_mark else bg,
                         font.get("weight"))

    # shapes drawn as lines are marks too (bands are backgrounds: not checked)
    for i, shape in enumerate(lay.get("shapes") or ()):
        if shape.get("type") != "line":
            continue
        line = shape.get("line") or {}
        if isinstance(line.get("width"), (int, float)) and line["width"] == 0:
            continue
        color = line.get("color") or _PLOTLY_FONT_COLOR
        op = shape.get("opacity") if isinstance(shape.get("opacity"), (int, float)) else 1.0
        r = ratio(color, plot_bg, op)
        if r is not None and r < MARK_CONTRAST:
            problems.append(f"draws line shape {i} in {color} at {r:.2f}:1 against {plot_bg}: "
                            f"a line needs {MARK_CONTRAST:g}:1")

    # the figure's own texts, on the paper (and, for annotations, the plot)
    base_size = _font_size(d, default=12)
    text("the title", _font_color(d, ("title", "font", "color")),
         _font_size(d, ("title", "font", "size"), default=17), paper_bg,
         _resolved(d, "title", "font", "weight"))
    if _text(_get(lay, "title", "subtitle")):
        text("the subtitle", _font_color(d, ("title", "subtitle", "font", "color")),
             _font_size(d, ("title", "subtitle", "font", "size"), default=base_size), paper_bg)
    if _legend_entries(d):
        text("the legend", _font_color(d, ("legend", "font", "color")),
             _font_size(d, ("legend", "font", "size"), default=base_size), paper_bg)
    axes = [k for k in lay if re.fullmatch(r"[xy]axis\d*", k)]
    for name in axes + [a for a in _axes_in_use(d) if a not in axes]:
        if (_get(lay, name, "visible") is False):
            continue
        text(f"the tick labels of {name}",
             _font_color(d, (name, "tickfont", "color"), (name, "color")),
             _font_size(d, (name, "tickfont", "size"), default=base_size), paper_bg)
        if _text(_get(lay, name, "title")):
            text(f"the title of {name}",
                 _font_color(d, (name, "title", "font", "color"), (name, "color")),
                 _font_size(d, (name, "title", "font", "size"), default=base_size), paper_bg)
    for i, an in enumerate(lay.get("annotations") or ()):
        if not (isinstance(an.get("text"), str) and an["text"].strip()) or an.get("visible") is False:
            continue
        font = an.get("font") or {}
        color = font.get("color") or _font_color(d, ("annotationdefaults", "font", "color"))
        size = font.get("size") if isinstance(font.get("size"), (int, float)) else base_size
        bg = an.get("bgcolor")
        backgrounds = [_hex(_over(_rgba(bg), _rgba(plot_bg)))] if _rgba(bg) and _rgba(bg)[3] >= 0.5 \
            else list(dict.fromkeys([plot_bg, paper_bg]))
        for b in backgrounds:
            text(f"annotation {i}", color, size, b, font.get("weight"))
    for c in sorted(unreadable):
        problems.append(f"uses the colour {c!r}, which cannot be checked for contrast "
                        "(use '#RRGGBB' or 'rgb(r, g, b)')")
    return list(dict.fromkeys(problems))


def check(fig) -> list[str]:
    """What ``show`` refuses: a list of problems, each saying what to change
    (empty = fine).  ``fig`` is a plotly Figure or its dict (``to_dict()``,
    or the JSON stored in a notebook).  Titles: the figure's and every x/y
    axis its traces use; size: at most MAX_HEIGHT tall and LAPTOP_WIDTH wide;
    title and subtitle no wider than the figure; no snake_case code (or code
    spelled with spaces) in visible text; filled shapes beneath the marks; a
    legend that fits; contrast (WCAG 2.1): every mark 3:1 against the plot
    background through its fill or its outline, every text 4.5:1 (3:1 if
    large) against what it is drawn on (``_contrast_problems``)."""
    d = _as_dict(fig)
    lay = d.get("layout", {})
    problems: list[str] = []
    title_text = _text(lay.get("title"))
    if not (title_text and title_text.strip()):
        problems.append("lacks a figure title (layout.title.text)")
    for name in _axes_in_use(d):
        axis = lay.get(name) or {}
        text = _text(axis.get("title"))
        if text and text.strip():
            continue
        # An inner axis of shared subplots (make_subplots(shared_xaxes=True))
        # matches a titled axis and hides its tick labels: it needs no title.
        if axis.get("matches") and axis.get("showticklabels") is False:
            other = lay.get(f"{name[0]}axis{axis['matches'][1:]}") or {}
            if (_text(other.get("title")) or "").strip():
                continue
        problems.append(f"lacks a title on {name} ({name}.title.text)")

    height = _resolved(d, "height") or 450
    if height > MAX_HEIGHT:
        problems.append(f"is {height} px tall: at most {MAX_HEIGHT} px fits a laptop screen "
                        "(layout.height)")
    width = lay.get("width")
    if width is not None and width > LAPTOP_WIDTH:
        problems.append(f"is {width} px wide: at most {LAPTOP_WIDTH} px fits a laptop screen "
                        "(leave layout.width unset)")
    width = min(width or LAPTOP_WIDTH, LAPTOP_WIDTH)

    # Titles that fit: with xref="container" the title may use the figure's
    # width; with xref="paper" it starts at the plot area, which long tick
    # labels push right, so allow only two thirds of it.
    xref = _resolved(d, "title", "xref") or "container"
    room = width - 20 if xref == "container" else width * 2 / 3
    for what, text, size in (
            ("title", title_text, _resolved(d, "title", "font", "size") or TITLE_SIZE),
            ("subtitle", _text(_get(lay, "title", "subtitle")),
             _resolved(d, "title", "subtitle", "font", "size") or SUBTITLE_SIZE)):
        need = _text_px(text, size)
        if need > room:
            chars = int(room / (size * CHAR_EM))
            problems.append(f"has a {what} too wide for a laptop (~{need:.0f} px for {room:.0f} px): "
                            f"at most {chars} characters a line; shorten it, or move words to "
                            "the subtitle (style.title(fig, text, subtitle=...))")

    seen: set = set()
    for where, text in _visible_texts(d):
        if (where, text) in seen:
            continue
        seen.add((where, text))
        codes = sorted(set(_SNAKE.findall(_TAG.sub("", text))))
        spelled = text.strip().lower()
        if codes:
            problems.append(f"shows a code in the {where}: {', '.join(codes)} "
                            "(use style.label / style.labels)")
        elif spelled in _SPELLED_CODES and text.strip() != _SPELLED_CODES[spelled]:
            problems.append(f"shows a code spelled with spaces in the {where}: {text.strip()!r} "
                            f"(style.label gives {_SPELLED_CODES[spelled]!r})")

    default_layer = _get(lay, "template", "layout", "shapedefaults", "layer") or "above"
    for i, shape in enumerate(lay.get("shapes") or ()):
        fill = shape.get("fillcolor")
        filled = shape.get("type", "rect") in ("rect", "circle", "path") \
            and fill not in (None, "", "transparent")
        if filled and (shape.get("layer") or default_layer) != "below":
            problems.append(f"draws filled shape {i} over the marks: put it beneath them "
                            "(layer='below', or style.band)")

    entries = _legend_entries(d)
    if entries:
        size = _resolved(d, "legend", "font", "size") or LEGEND_SIZE
        widths = [len(_TAG.sub("", n)) * size * CHAR_EM + 40 for n in entries]
        orientation = _resolved(d, "legend", "orientation") or "v"
        if len(entries) > MAX_LEGEND_ENTRIES:
            problems.append(f"has {len(entries)} legend entries: at most {MAX_LEGEND_ENTRIES} can "
                            "all be seen; group them, or label the marks directly")
        elif orientation == "h":
            rows, used = 1, 0.0
            for w in widths:
                if used and used + w > width - 20:
                    rows, used = rows + 1, 0.0
                used += w
            if rows > MAX_LEGEND_ROWS:
                problems.append(f"has a legend that needs ~{rows} rows on a laptop: at most "
                                f"{MAX_LEGEND_ROWS}; shorten the names or use fewer entries")
        else:
            plot_h = height - 100
            if len(entries) * size * 1.9 > plot_h:
                problems.append(f"has a vertical legend of {len(entries)} entries taller than the "
                                "plot: some would be hidden; use orientation='h' (the template's)")
            if max(widths) > width * 0.3:
                problems.append("has a vertical legend wider than 30% of a laptop figure, which "
                                "squeezes the plot: use orientation='h' (the template's)")
    problems += _contrast_problems(d)
    return problems


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


# ---------------------------------------------------------------------------
# Tables for people
# ---------------------------------------------------------------------------
class Table:
    """What ``table()`` returns: shown as an HTML table with a note under it in
    JupyterLab, as aligned text elsewhere.  ``.frame`` is the DataFrame shown."""

    def __init__(self, frame, note: str = ""):
        self.frame = frame
        self.note = note

    def _repr_html_(self) -> str:
        # Text reads from a straight left edge, numbers line up on the right
        # (JupyterLab right-aligns every cell of a plain DataFrame).
        import numbers
        import re

        number = re.compile(r"[-+]?[\d,]*\.?\d+( ?%)?")

        def align(col) -> str:
            shown = [v for v in self.frame[col] if not (isinstance(v, str) and v == MISSING)]
            numeric = bool(shown) and all(
                (isinstance(v, numbers.Number) and not isinstance(v, bool))
                or (isinstance(v, str) and number.fullmatch(v.strip())) for v in shown)
            return "right" if numeric else "left"

        aligns = [align(c) for c in self.frame.columns]
        head = "".join(f'<th style="text-align: {a}">{html.escape(str(c))}</th>'
                       for c, a in zip(self.frame.columns, aligns))
        rows = "".join("<tr>" + "".join(f'<td style="text-align: {a}">{html.escape(str(v))}</td>'
                                        for v, a in zip(row, aligns)) + "</tr>"
                       for row in self.frame.itertuples(index=False, name=None))
        out = f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        if self.note:
            out += f'\n<p style="font-size: 0.9em; margin-top: 0.3em">{html.escape(self.note)}</p>'
        return out

    def __repr__(self) -> str:
        out = self.frame.to_string(index=False)
        return out + ("\n" + self.note if self.note else "")


def _is_coded(values) -> bool:
    """A column of codes: every value a known code or a snake_case word."""
    strings = [v for v in values if isinstance(v, str)]
    return bool(strings) and len(strings) == len(values) and all(
        v in LABELS or _SNAKE.fullmatch(v) for v in strings)


def _format_datetimes(col):
    if col.dt.tz is not None:
        fmt = "%Y-%m-%d %H:%M %Z"
    else:
        fmt = "%Y-%m-%d %H:%M"
    valid = col.dropna()
    if len(valid) and (valid.dt.hour == 0).all() and (valid.dt.minute == 0).all() and col.dt.tz is None:
        fmt = "%Y-%m-%d"
    return col.dt.strftime(fmt)


def table(df, columns=None, *, headers: dict | None = None, missing: str = MISSING,
          note: str | None = None, max_columns: int = MAX_TABLE_COLUMNS) -> Table:
    """A DataFrame shown for students.

    * ``columns``: the columns that matter, in order (default: all; more than
      ``max_columns`` is refused -- a wide table wraps every row on a laptop);
    * headers from ``COLUMN_LABELS`` (else humanised), overridden by ``headers``;
    * columns of codes labelled with ``label`` ("coalition_government" ->
      "Coalition governments");
    * missing values (NaN, NaT, <NA>, None) shown as ``missing`` ("not stated");
    * times as "2016-09-17 14:00 UTC", whole floats as integers;
    * a note under the table: every abbreviation it shows spelled out
      (``ABBREVIATIONS``), then ``note``.
    """
    import pandas as pd

    if columns is None:
        columns = list(df.columns)
    else:
        columns = list(columns)
        unknown = [c for c in columns if c not in df.columns]
        if unknown:
            raise KeyError(f"table(): no column(s) {unknown}; the table has {list(df.columns)}")
    if len(columns) > max_columns:
        raise ValueError(f"table(): {len(columns)} columns are too wide for a laptop (at most "
                         f"{max_columns}); pass columns=[...] with the ones that matter")
    out = pd.DataFrame(index=range(len(df)))
    for c in columns:
        col = df[c].reset_index(drop=True)
        if isinstance(col.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(col):
            shown = _format_datetimes(col)
        elif pd.api.types.is_float_dtype(col) and col.dropna().apply(float.is_integer).all():
            shown = col.astype("Int64")
        elif pd.api.types.is_bool_dtype(col):
            shown = col.map({True: "yes", False: "no"})
        elif _is_coded(list(col.dropna())):
            shown = col.map(label, na_action="ignore")
        else:
            shown = col
        shown = shown.astype(object).where(shown.notna(), missing)
        header = (headers or {}).get(c) or COLUMN_LABELS.get(c) or humanize(c)
        if header in out.columns:
            raise ValueError(f"table(): two columns would both be headed {header!r}; "
                             "give one another header with headers={...}")
        out[header] = shown.values
    text = " ".join([*map(str, out.columns)] + [str(v) for v in out.to_numpy().ravel()])
    found = [f"{a} = {ABBREVIATIONS[a]}" for a in ABBREVIATIONS
             if re.search(rf"(?<![\w&/]){re.escape(a)}(?![\w&])", text)]
    parts = []
    if found:
        parts.append("; ".join(found) + ".")
    if note:
        parts.append(note.strip())
    return Table(out, " ".join(parts))
