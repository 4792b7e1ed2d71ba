"""The figure linter: ``check(fig)`` lists what ``style.show`` refuses.

Part of the house style (read ``deirezzor/style.py`` first; notebooks and
tests call it as ``style.check``).  Each problem says what to change:
missing titles, a figure too big for a laptop, a title too wide, a code from
the data in visible text, a filled shape over the marks, a legend that does
not fit, and too little contrast (WCAG 2.1, ``_contrast_problems``).  It
reads a plotly Figure or its dict, so the tests run it on the figure JSON
stored in the notebooks too.
"""
from __future__ import annotations

import re

import plotly.graph_objects as go

from .labels import _SNAKE, _codes
from .palette import (LARGE_TEXT_CONTRAST, LAPTOP_WIDTH, LEGEND_SIZE, MARK_CONTRAST, MAX_HEIGHT,
                      PALETTE, SUBTITLE_SIZE, TEXT_CONTRAST, TITLE_SIZE, _hex, _over, _rgba,
                      contrast)

__all__ = ["check", "MAX_LEGEND_ENTRIES", "MAX_LEGEND_ROWS"]

CHAR_EM = 0.6          # conservative width of one character, in font sizes
MAX_LEGEND_ENTRIES = 8
MAX_LEGEND_ROWS = 3
_PLOTLY_FONT_COLOR = "#444444"   # plotly.js's own defaults, when nothing says otherwise
_PLOTLY_PLOT_BG = "#E5ECF6"

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
_SPELLED: list = [None, {}]  # [the code labels read, {"russian government": its label, ...}]


def _spelled_codes() -> dict[str, str]:
    """Each code with an underscore, spelled with spaces -> its label."""
    codes = _codes()
    if _SPELLED[0] is not codes:
        _SPELLED[:] = [codes, {k.replace("_", " "): v for k, v in codes.items() if "_" in k}]
    return _SPELLED[1]


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
    spelled_codes = _spelled_codes()
    for where, text in _visible_texts(d):
        if (where, text) in seen:
            continue
        seen.add((where, text))
        codes = sorted(set(_SNAKE.findall(_TAG.sub("", text))))
        spelled = text.strip().lower()
        if codes:
            problems.append(f"shows a code in the {where}: {', '.join(codes)} "
                            "(use style.label / style.labels)")
        elif spelled in spelled_codes and text.strip() != spelled_codes[spelled]:
            problems.append(f"shows a code spelled with spaces in the {where}: {text.strip()!r} "
                            f"(style.label gives {spelled_codes[spelled]!r})")

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
