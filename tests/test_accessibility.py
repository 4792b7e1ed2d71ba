"""Every figure stored in the notebooks is readable by everyone.

For each ``application/vnd.plotly.v1+json`` output of each notebook:

* it has a title and a title on every cartesian axis its traces use
  (the same rule as ``deirezzor.style.check``, applied to the stored JSON);
* it has a description (``layout.meta.description``, set by ``style.show``),
  and that description is also shown as text -- the "What to see" line -- in
  an output of the same cell, for readers who cannot see the figure;
* every colour its traces use (marker, marker outline, line, fill, and the
  colorway they fall back on) is one of the Okabe-Ito colours in
  ``deirezzor.style.OKABE_ITO``, one of them darkened by ``style.darker`` to
  reach the contrast rules, or a NEUTRAL (below); shapes and annotations
  likewise;
* every mark reaches 3:1 and every text 4.5:1 (``style.check``, applied to the
  stored JSON above);
* it carries a static picture (image/png, with an ``alt`` text naming its
  title and description) and a text/plain line, for the front ends that do
  not draw plotly's mimetype (tools/figure_images.py, tools/execute.py);
* cells tagged ``figure`` and cells with a plotly output are the same cells.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from deirezzor import style

REPO = Path(__file__).resolve().parent.parent
RELEASE_FILES = sorted((REPO / "notebooks").glob("*.ipynb"))
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WHAT_TO_SEE = "**What to see:** "

OKABE_ITO = {v.upper() for v in style.OKABE_ITO.values()}
# ... and their variants darkened to reach the contrast rules (style.darker:
# 3:1 for marks, 4.5:1 for text), the same hue.
DARKER = {style.darker(v, r).upper() for v in style.OKABE_ITO.values()
          for r in (style.MARK_CONTRAST, style.TEXT_CONTRAST)}
# Neutrals allowed besides the palette, for outlines, grid lines, annotations
# and text: black, white and greys, i.e. exactly the colours with R = G = B.
# (Achromatic colours carry no hue, so they cannot be confused by anyone.)
NAMED = {
    "black": "#000000", "white": "#FFFFFF", "gray": "#808080", "grey": "#808080",
    "lightgray": "#D3D3D3", "lightgrey": "#D3D3D3", "darkgray": "#A9A9A9",
    "darkgrey": "#A9A9A9", "dimgray": "#696969", "dimgrey": "#696969",
    "silver": "#C0C0C0", "gainsboro": "#DCDCDC", "whitesmoke": "#F5F5F5",
}
_RGB = re.compile(r"^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$", re.I)
_HEX = re.compile(r"^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$", re.I)


def to_hex(color: str) -> str | None:
    """'#0072b2', '#07b', 'rgb(0,114,178)', 'rgba(0,114,178,0.3)', 'grey' -> '#0072B2'
    (alpha dropped: a translucent palette colour is still that colour).  None if unknown."""
    c = color.strip().lower()
    if c in NAMED:
        return NAMED[c]
    if c == "transparent":
        return "transparent"
    m = _HEX.match(c)
    if m:
        h = m.group(1)
        if len(h) == 3:
            h = "".join(ch * 2 for ch in h)
        return "#" + h[:6].upper()
    m = _RGB.match(c)
    if m:
        r, g, b = (round(float(x)) for x in m.groups()[:3])
        return f"#{r:02X}{g:02X}{b:02X}"
    return None


def allowed(color: str) -> bool:
    h = to_hex(color)
    if h is None:
        return False
    if h == "transparent" or h in OKABE_ITO or h in DARKER:
        return True
    return h[1:3] == h[3:5] == h[5:7]  # a neutral: R = G = B


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            if isinstance(v, str):
                yield v


def _get(d, *path):
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def colours_used(fig: dict) -> list[tuple[str, str]]:
    """[(where, colour)] for every colour string the figure's traces, colorway,
    shapes and annotations use."""
    found = []
    for i, tr in enumerate(fig.get("data", [])):
        for path in (("marker", "color"), ("marker", "line", "color"), ("line", "color"),
                     ("fillcolor",), ("textfont", "color")):
            for c in _strings(_get(tr, *path)):
                found.append((f"data[{i}].{'.'.join(path)}", c))
    layout = fig.get("layout", {})
    for where, cw in (("layout.colorway", layout.get("colorway")),
                      ("layout.template.layout.colorway", _get(layout, "template", "layout", "colorway"))):
        for c in _strings(cw):
            found.append((where, c))
    for i, sh in enumerate(layout.get("shapes", []) or []):
        for path in (("line", "color"), ("fillcolor",)):
            for c in _strings(_get(sh, *path)):
                found.append((f"layout.shapes[{i}].{'.'.join(path)}", c))
    for i, an in enumerate(layout.get("annotations", []) or []):
        for path in (("font", "color"), ("arrowcolor",), ("bgcolor",), ("bordercolor",)):
            for c in _strings(_get(an, *path)):
                found.append((f"layout.annotations[{i}].{'.'.join(path)}", c))
    return found


def _text_of(outputs) -> str:
    parts = []
    for out in outputs:
        parts.append("".join(out.get("text", "")))
        for mime in ("text/markdown", "text/plain"):
            v = out.get("data", {}).get(mime)
            if v:
                parts.append(v if isinstance(v, str) else "".join(v))
    return "\n".join(parts)


def figures(nb_path: Path):
    """[(cell index, tags, figure JSON, text of the cell's other outputs)]"""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        for out in cell.get("outputs", []):
            fig = out.get("data", {}).get(PLOTLY_MIME)
            if fig is not None:
                yield i, cell.get("metadata", {}).get("tags", []), fig, _text_of(cell["outputs"])


def test_there_are_notebooks():
    assert RELEASE_FILES


@pytest.mark.parametrize("nb_path", RELEASE_FILES, ids=[p.stem for p in RELEASE_FILES])
def test_figures_have_titles_axis_titles_and_description(nb_path):
    problems = []
    for i, _tags, fig, text in figures(nb_path):
        missing = style.check(fig)  # the stored JSON, as it is
        problems += [f"cell {i}: {m}" for m in missing]
        desc = _get(fig, "layout", "meta", "description")
        if not (isinstance(desc, str) and desc.strip()):
            problems.append(f"cell {i}: no layout.meta.description (show it with style.show)")
        elif WHAT_TO_SEE + desc.strip() not in text:
            problems.append(f"cell {i}: the description is not shown as a 'What to see' text "
                            f"in the same cell: {desc[:80]!r}")
    assert not problems, f"{nb_path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("nb_path", RELEASE_FILES, ids=[p.stem for p in RELEASE_FILES])
def test_figure_colours_are_okabe_ito_or_neutral(nb_path):
    bad = [f"cell {i}: {where} = {c!r}"
           for i, _t, fig, _x in figures(nb_path)
           for where, c in colours_used(fig) if not allowed(c)]
    assert not bad, (f"{nb_path.name}: colours outside the Okabe-Ito palette "
                     "(deirezzor.style.OKABE_ITO) and the neutrals (R=G=B):\n" + "\n".join(bad))


@pytest.mark.parametrize("nb_path", RELEASE_FILES, ids=[p.stem for p in RELEASE_FILES])
def test_figure_tags_match_figure_outputs(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    problems = []
    for i, cell in enumerate(nb["cells"]):
        tagged = "figure" in cell.get("metadata", {}).get("tags", [])
        has_fig = any(PLOTLY_MIME in o.get("data", {}) for o in cell.get("outputs", []))
        if tagged and not has_fig:
            problems.append(f"cell {i} is tagged 'figure' but has no plotly output")
        if has_fig and not tagged:
            problems.append(f"cell {i} shows a plotly figure but is not tagged 'figure'")
    assert not problems, f"{nb_path.name}:\n" + "\n".join(problems)


def test_colour_rules_themselves():
    assert allowed("#0072b2") and allowed("rgba(0, 114, 178, 0.4)") and allowed("#E69F00")
    assert allowed(style.darker("#56B4E9", 3.0)) and not allowed("#4B9DCC")
    assert allowed("grey") and allowed("#555555") and allowed("black") and allowed("#fff")
    assert not allowed("red") and not allowed("#1f77b4") and not allowed("rgb(255,0,0)")
    assert not allowed("hsl(0, 100%, 50%)")  # unknown notation: reported, not guessed
    assert set(style.PALETTE) <= {c for c in style.OKABE_ITO.values()}
    fig = {"data": [{"type": "bar", "marker": {"color": ["#0072B2", "#ff0000"]}}], "layout": {}}
    assert [c for _, c in colours_used(fig) if not allowed(c)] == ["#ff0000"]


@pytest.mark.parametrize("nb_path", RELEASE_FILES, ids=[p.stem for p in RELEASE_FILES])
def test_figures_carry_a_picture_and_a_text(nb_path):
    """GitHub's preview, nbviewer, nbconvert and Colab (before it runs) do not
    draw plotly's mimetype: each figure output also holds a PNG of itself,
    with an alt text, and a text/plain line naming the figure."""
    import base64
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    problems, n = [], 0
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            fig = out.get("data", {}).get(PLOTLY_MIME)
            if fig is None:
                continue
            n += 1
            data = out["data"]
            title = style._text(_get(fig, "layout", "title")) or ""
            desc = _get(fig, "layout", "meta", "description") or ""
            png = data.get("image/png")
            if not png:
                problems.append(f"cell {i}: no image/png (re-run `make outputs`)")
            else:
                raw = base64.b64decode(png)
                width, height = int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")
                want = (fig["layout"].get("width") or style.LAPTOP_WIDTH, fig["layout"].get("height"))
                if raw[:8] != b"\x89PNG\r\n\x1a\n" or (width, height) != want:
                    problems.append(f"cell {i}: the PNG is not a {want[0]}x{want[1]} PNG (got {width}x{height})")
                alt = _get(out, "metadata", "image/png", "alt") or ""
                if not (title.split("<br>")[0] in alt and desc.strip() in alt):
                    problems.append(f"cell {i}: the picture's alt text lacks the title or the description")
            plain = data.get("text/plain")
            plain = "".join(plain) if isinstance(plain, list) else plain
            if plain != style.figure_text(fig):
                problems.append(f"cell {i}: text/plain is {plain!r}, not style.figure_text(fig)")
    assert n == sum(1 for c in nb["cells"] if "figure" in c.get("metadata", {}).get("tags", []))
    assert not problems, f"{nb_path.name}:\n" + "\n".join(problems)
