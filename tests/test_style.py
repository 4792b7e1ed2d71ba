"""deirezzor.style: the palette, the template and show()'s refusals."""
import json
import re

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from deirezzor import style

# Okabe & Ito (2008), "Color Universal Design" -- typed in here independently.
OKABE_ITO_HEX = {"#000000", "#E69F00", "#56B4E9", "#009E73",
                 "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


@pytest.fixture
def shown(monkeypatch):
    """Capture what show() displays, as if it ran in a kernel; fig.show() must not be used."""
    calls = []

    def no_fig_show(self, *a, **k):
        raise AssertionError("style.show used fig.show() (plotly's renderers)")
    monkeypatch.setattr(go.Figure, "show", no_fig_show)
    import IPython
    import IPython.display as ipd
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(ipd, "display",
                        lambda obj, **k: calls.append(("figure" if k.get("raw") else "display", obj)))
    return calls


def good_figure():
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]),
                     layout=dict(title="Estimates", xaxis_title="source", yaxis_title="killed"))


def test_palette_is_okabe_ito():
    assert {c.upper() for c in style.PALETTE} == OKABE_ITO_HEX
    assert len(style.PALETTE) == len(set(style.PALETTE)) == 8


def test_party_colours_are_okabe_ito_and_distinct():
    for side in ("coalition", "russian_government", "syrian_government",
                 "pro_government_outlet", "sohr", "isil", "other"):
        assert style.COLORS[side].upper() in OKABE_ITO_HEX, side
    assert len(set(style.COLORS.values())) == len(style.COLORS)


def test_template_is_registered_small_and_offline():
    t = pio.templates[style.TEMPLATE_NAME]
    layout = t.layout
    assert layout.font.family == "Inter, 'Helvetica Neue', Arial, sans-serif"
    assert layout.paper_bgcolor.upper() in ("#FFFFFF", "WHITE")
    # the palette, its light colours darkened to 3:1 on white (style.MARK_PALETTE)
    assert [c.upper() for c in layout.colorway] == [style.darker(c, 3.0).upper() for c in style.PALETTE]
    assert all(style.contrast(c) >= 3.0 for c in layout.colorway)
    text = json.dumps(t.to_plotly_json())
    assert not re.search(r"https?:|//|www\.|url\(", text), "template refers to the network"
    # not built on plotly's default template: no trace-type defaults, and small
    assert not t.to_plotly_json().get("data")
    assert len(text) < 3000


def test_use_sets_default_template():
    old = pio.templates.default
    try:
        assert style.use() is None            # a setup cell ending in style.use() shows nothing
        assert pio.templates.default == style.TEMPLATE_NAME == "deirezzor"
        assert pio.templates.default == "deirezzor"
        fig = go.Figure(go.Scatter(x=[1], y=[1]))
        assert fig.layout.template.layout.font.family == style.FONT_FAMILY
    finally:
        pio.templates.default = old


def test_show_displays_figure_then_what_to_see(shown):
    fig = good_figure()
    assert style.show(fig, "Two bars.") is None
    assert fig.layout.meta == {"description": "Two bars."}
    assert [kind for kind, _ in shown] == ["figure", "display"]
    assert shown[0][1] == dict(style.mimebundle(fig), **{"text/plain": "Figure: Estimates. What to see: Two bars."})
    assert shown[0][1][style.PLOTLY_MIME]["layout"]["meta"] == {"description": "Two bars."}
    assert "image/png" not in shown[0][1]  # a student's kernel never draws the picture
    md = shown[1][1]
    assert type(md).__name__ == "Markdown"
    assert md.data.startswith("**What to see:** ") and md.data.endswith("Two bars.")


def _no_title(f): f.layout.title.text = None
def _empty_title(f): f.layout.title.text = ""
def _no_xaxis_title(f): f.layout.xaxis.title.text = None
def _blank_yaxis_title(f): f.layout.yaxis.title.text = "   "


@pytest.mark.parametrize("breakage,missing", [
    (_no_title, "figure title"),
    (_empty_title, "figure title"),
    (_no_xaxis_title, "xaxis"),
    (_blank_yaxis_title, "yaxis"),
])
def test_show_refuses_missing_titles(shown, breakage, missing):
    fig = good_figure()
    breakage(fig)
    with pytest.raises(ValueError, match=missing):
        style.show(fig, "Something.")
    assert shown == []


def test_show_refuses_untitled_second_axis(shown):
    fig = good_figure()
    fig.add_trace(go.Scatter(x=[1], y=[2], yaxis="y2", marker_color=style.OKABE_ITO["blue"]))
    fig.update_layout(yaxis2=dict(overlaying="y", side="right"))
    with pytest.raises(ValueError, match="yaxis2"):
        style.show(fig, "Something.")
    fig.update_layout(yaxis2_title="share")
    style.show(fig, "Something.")


def test_show_refuses_missing_description(shown):
    with pytest.raises(ValueError, match="description"):
        style.show(good_figure(), "  ")
    assert shown == []


def test_non_cartesian_figure_needs_only_a_title(shown):
    fig = go.Figure(go.Pie(labels=["a", "b"], values=[1, 2]))
    with pytest.raises(ValueError, match="figure title"):
        style.show(fig, "Shares.")
    fig.update_layout(title="Shares")
    style.show(fig, "Shares.")
    assert len(shown) == 2


def test_style_module_does_not_fetch(monkeypatch):
    import socket

    def no_network(*a, **k):
        raise AssertionError("network access attempted")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    import importlib
    importlib.reload(style)
    style.use()


def test_mimebundle_is_what_plotlys_renderer_stores():
    """Same JSON as the plotly_mimetype renderer (what the notebooks stored
    before show() stopped using it): dates, numpy arrays, NaN, pandas values."""
    import numpy as np
    import pandas as pd

    style.use()
    fig = go.Figure(layout=dict(title="T", xaxis_title="when", yaxis_title="n"))
    fig.add_trace(go.Scatter(x=pd.to_datetime(["2016-09-17 13:55", "2016-09-17 14:56"]),
                             y=np.array([1.5, np.nan]), name="a", text=["x", None]))
    fig.add_trace(go.Bar(x=pd.Series(["a", "b"]), y=np.array([3, 4], dtype="int64")))
    fig.add_vrect(x0="2016-09-17 14:00", x1="2016-09-17 14:27", layer="below")
    fig.update_layout(meta={"description": "d"})
    expected = pio.renderers["plotly_mimetype"].to_mimebundle(fig.to_dict())
    # plotly 6.x's renderer also stores a `config` ({"plotlyServerURL": "https://plot.ly"}, a link
    # target, nothing is fetched); plotly 7 stores none. show() never adds one, so the stored outputs
    # are the same on every plotly version environment.yml allows.
    assert set(expected[style.PLOTLY_MIME]) - {"config"} == set(style.mimebundle(fig)[style.PLOTLY_MIME])
    expected[style.PLOTLY_MIME].pop("config", None)
    assert style.mimebundle(fig) == expected
    assert json.dumps(style.mimebundle(fig), sort_keys=True) == json.dumps(expected, sort_keys=True)


# What show() must not pull into a kernel: plotly's renderer machinery (and
# through it nbformat -> jsonschema, ~2 s) and plotly.express.  (narwhals is
# not listed: plotly.graph_objects itself imports it since plotly 6.)
HEAVY = ("plotly.io._renderers", "plotly.io._base_renderers", "nbformat", "jsonschema",
         "plotly.express")

_PROBE = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.displaypub import CapturingDisplayPublisher
shell = InteractiveShell.instance()
shell.display_pub = CapturingDisplayPublisher()
before = set(sys.modules)
import plotly.graph_objects as go
from deirezzor import style
style.use()
fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]),
                layout=dict(title="Two bars", xaxis_title="Group", yaxis_title="Count"))
style.show(fig, "Two bars.")
print(json.dumps({"new": sorted(set(sys.modules) - before),
                  "outputs": [[o["data"], o["metadata"]] for o in shell.display_pub.outputs]}))
"""


def test_show_imports_no_renderer_machinery():
    """In a fresh interpreter with a live IPython shell: import style, show a
    figure; none of HEAVY may be imported, and the figure is published as the
    plotly mimetype and its one-line text (no picture: the build adds that),
    followed by the "What to see" Markdown."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout.strip().splitlines()[-1])
    heavy = [m for m in got["new"] if m.split(".")[0] in {"nbformat", "jsonschema"}
             or any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert not heavy, f"import deirezzor.style + show() imported {heavy}"
    assert "plotly.graph_objects" in got["new"], "probe broken: nothing was imported"
    (fig_data, fig_meta), (md_data, _) = got["outputs"]
    assert list(fig_data) == [style.PLOTLY_MIME, "text/plain"] and fig_meta == {}
    assert fig_data["text/plain"] == "Figure: Two bars. What to see: Two bars."
    assert fig_data[style.PLOTLY_MIME]["layout"]["title"]["text"] == "Two bars"
    assert md_data["text/markdown"] == "**What to see:** Two bars."


def test_show_outside_ipython_prints_the_description(capsys):
    style.show(good_figure(), "Two bars.")
    assert capsys.readouterr().out.strip() == "**What to see:** Two bars."


# ---------------------------------------------------------------------------
# The house style for laptops: each refusal of check() can fire, and the
# well-made version of the same figure passes.
# ---------------------------------------------------------------------------
def problems(fig):
    return "\n".join(style.check(fig))


def test_good_figure_has_no_problems():
    assert style.check(good_figure()) == []


def test_refuses_figure_taller_than_a_laptop_screen():
    fig = good_figure()
    fig.update_layout(height=style.MAX_HEIGHT + 1)
    assert f"at most {style.MAX_HEIGHT} px" in problems(fig)
    fig.update_layout(height=style.MAX_HEIGHT)
    assert problems(fig) == ""


def test_refuses_figure_wider_than_a_laptop_notebook():
    fig = good_figure()
    fig.update_layout(width=1200)
    assert "px wide" in problems(fig)


def test_show_gives_the_figure_its_height(shown):
    style.use()
    fig = good_figure()
    style.show(fig, "Two bars.")
    assert fig.layout.height == style.DEFAULT_HEIGHT
    assert shown[0][1][style.PLOTLY_MIME]["layout"]["height"] == style.DEFAULT_HEIGHT


@pytest.mark.parametrize("where,breakage", [
    ("title", lambda f: f.update_layout(title_text="Killed by coalition_government")),
    ("subtitle", lambda f: f.update_layout(title_subtitle_text="per time_utc")),
    ("xaxis title", lambda f: f.update_layout(xaxis_title="date_reported")),
    ("legend title", lambda f: f.update_layout(legend_title_text="news_media_coalition_country")),
    ("trace 1 name", lambda f: f.add_trace(go.Scatter(x=["a"], y=[1], name="deliberate_implied"))),
    ("trace 0 x value", lambda f: f.data[0].update(x=["ground_fighting", "b"])),
    ("trace 1 text", lambda f: f.add_trace(go.Scatter(x=["a"], y=[1], mode="markers+text",
                                                      text=["time_conversion"], showlegend=False))),
    ("annotation 0", lambda f: f.add_annotation(text="see <b>russian_government</b>", x=0, y=1)),
    ("yaxis ticktext", lambda f: f.update_yaxes(tickvals=[1], ticktext=["coalition_strikes"])),
])
def test_refuses_raw_codes_in_visible_text(where, breakage):
    fig = good_figure()
    breakage(fig)
    assert f"shows a code in the {where}" in problems(fig)


def test_codes_in_hover_text_are_allowed_and_labels_pass():
    style.use()          # the house template's colours (the test must not depend on an earlier one)
    fig = good_figure()
    fig.data[0].update(hovertext=["coalition_government", "x"])
    fig.add_trace(go.Scatter(x=["a"], y=[1], mode="markers", text=["time_utc"],
                             name=style.label("coalition_government")))
    assert problems(fig) == ""
    fig.data[0].update(text=["russian_government", "y"])  # bar text is shown ...
    assert "trace 0 text" in problems(fig)
    fig.data[0].update(textposition="none")  # ... unless turned off
    assert problems(fig) == ""


def test_refuses_codes_spelled_with_spaces():
    fig = good_figure()
    fig.add_trace(go.Scatter(x=["a"], y=[1], name="russian government"))
    fig.add_trace(go.Scatter(x=["b"], y=[2], name="Coalition government"))
    text = problems(fig)
    assert "'russian government'" in text and "'Russian government'" in text
    assert "'Coalition government'" in text
    fig.data[1].name, fig.data[2].name = style.labels(["russian_government", "coalition_government"])
    assert problems(fig) == ""


def test_refuses_bands_over_the_marks():
    style.use()
    fig = good_figure()
    fig.add_vrect(x0=0, x1=1, fillcolor=style.OKABE_ITO["yellow"], layer="above")
    assert "over the marks" in problems(fig)
    fig = good_figure()
    style.band(fig, 0, 1, "A band")
    assert problems(fig) == "" and fig.layout.shapes[0].layer == "below"
    # the house template makes new shapes go beneath the marks by default
    fig = go.Figure(good_figure())
    fig.update_layout(template=style.template())
    fig.add_shape(type="rect", x0=0, x1=1, y0=0, y1=1, fillcolor="#F0E442")
    assert problems(fig) == ""
    # an unfilled line above the marks is fine
    fig = good_figure()
    fig.add_hline(y=1, line_color="#555555", layer="above")
    assert problems(fig) == ""


def test_refuses_titles_wider_than_a_laptop_figure():
    fig = good_figure()
    long = "Aircraft said to have taken part, by claimant, with the number in each dot and why"
    fig.update_layout(title_text=long + ", as each side put it at the time")
    assert "title too wide" in problems(fig)
    style.title(fig, "Aircraft said to have taken part, by claimant",
                subtitle="The number in each dot is how many; ? = not stated")
    assert problems(fig) == ""
    fig.update_layout(title_subtitle_text=long * 2)
    assert "subtitle too wide" in problems(fig)
    # a <br> splits a title into lines, each measured on its own
    fig.update_layout(title_subtitle_text=None, title_text=long[:60] + "<br>" + long[:60])
    assert problems(fig) == ""


def test_refuses_legends_that_do_not_fit():
    style.use()

    def with_entries(n, name="Entry {}"):
        fig = good_figure()
        fig.update_layout(template=style.template())
        for i in range(n):
            fig.add_trace(go.Scatter(x=["a"], y=[i], name=name.format(i)))
        return fig
    assert problems(with_entries(7)) == ""  # 8 with the bars
    assert "legend entries" in problems(with_entries(8))
    long = "A rather long legend entry name, number {}"
    assert "rows" in problems(with_entries(7, long))
    fig = with_entries(5, long)
    fig.update_layout(legend_orientation="v")
    assert "vertical legend wider" in problems(fig)
    fig = with_entries(6)
    fig.update_layout(legend_orientation="v", height=250)
    assert "taller than the plot" in problems(fig)


def test_legend_entry_explains_symbols_and_dashes():
    fig = good_figure()
    style.legend_entry(fig, "Open circle: a round clock time", symbol="circle-open")
    style.legend_entry(fig, "Dotted: reported, not confirmed", dash="dot")
    assert fig.data[1].marker.symbol == "circle-open" and fig.data[2].line.dash == "dot"
    assert list(fig.data[1].x) == [None]  # draws nothing
    with pytest.raises(ValueError, match="symbol= or a dash="):
        style.legend_entry(fig, "Nothing")


def test_map_axes_keep_ranges_within_the_outlines():
    fig = go.Figure(go.Scatter(x=[39, 40], y=[35, 35.5]))
    style.map_axes(fig, lon=(38.5, 41.5), lat=(34.0, 36.5))
    assert tuple(fig.layout.xaxis.range) == (38.5, 41.5)
    assert tuple(fig.layout.yaxis.range) == (34.0, 36.5)
    assert fig.layout.xaxis.constrain == fig.layout.yaxis.constrain == "domain"
    assert fig.layout.yaxis.scaleanchor == "x" and 1.2 < fig.layout.yaxis.scaleratio < 1.25
    with pytest.raises(ValueError, match="west, east"):
        style.map_axes(fig, lon=(41.5, 38.5), lat=(34.0, 36.5))


# ---------------------------------------------------------------------------
# One label map for people, and tables
# ---------------------------------------------------------------------------
def _enum_values():
    from pathlib import Path
    dp = json.loads((Path(__file__).resolve().parent.parent / "data" / "datapackage.json")
                    .read_text(encoding="utf-8"))
    values, fields = set(), set()
    for res in dp["resources"]:
        for f in res["schema"]["fields"]:
            fields.add(f["name"])
            values.update(v for v in f.get("constraints", {}).get("enum", []) if isinstance(v, str))
    return values, fields


def test_every_code_in_the_data_has_a_label():
    values, _ = _enum_values()
    codes = {v for v in values if "/" not in v}  # tz names are shown as they are
    assert len(codes) > 50, "datapackage.json enums not found: the test is broken"
    missing = sorted(codes - set(style.LABELS))
    assert not missing, f"give these codes a category with a label in data/datapackage.json: {missing}"
    for code in codes:
        text = style.label(code)
        assert "_" not in text and text[:1].isupper(), (code, text)


def test_every_column_gets_a_header_without_underscores():
    _, fields = _enum_values()
    for name in fields:
        header = style.COLUMN_LABELS.get(name) or style.humanize(name)
        assert "_" not in header and header[:1].isupper(), (name, header)


def test_label():
    assert style.label("coalition_government") == "Coalition governments"
    assert style.label("russian_government") == "Russian government"
    assert style.label("time_utc") == "Time (UTC)"
    assert style.label("some_new_code") == "Some new code"  # never shown raw
    assert style.label("T02") == "T02" and style.label(62) == 62
    assert style.labels(["deliberate_implied", "x"]) == ["Deliberate (implied)", "x"]


def test_table_for_students():
    import pandas as pd

    df = pd.DataFrame({
        "estimate_id": ["C01", "C02", "C03"],
        "side": ["russian_government", "coalition_government", "sohr"],
        "reported_by": ["Russian Defence Ministry", "CENTCOM", "SOHR, citing the SAA"],
        "killed_low": [62.0, None, 90.0],
        "time_utc": pd.to_datetime(["2016-09-17T14:00Z", None, "2016-09-18T09:30Z"]),
        "passage": ["a", "b", "c"],
    })
    t = style.table(df, columns=["estimate_id", "side", "reported_by", "killed_low", "time_utc"],
                    note="A note.")
    assert list(t.frame.columns) == ["Estimate", "Side", "Reported by", "Killed, at least",
                                     "Time (UTC)"]
    assert list(t.frame["Side"]) == ["Russian government", "Coalition governments",
                                     "Syrian Observatory for Human Rights (SOHR)"]
    assert list(t.frame["Killed, at least"]) == [62, "not stated", 90]
    assert list(t.frame["Time (UTC)"]) == ["2016-09-17 14:00 UTC", "not stated",
                                           "2016-09-18 09:30 UTC"]
    assert t.note == ("CENTCOM = U.S. Central Command; SAA = Syrian Arab Army; "
                      "SOHR = Syrian Observatory for Human Rights; UTC = Coordinated Universal Time. "
                      "A note.")
    text, page = repr(t), t._repr_html_()
    assert "NaN" not in text and "NaT" not in text and "<NA>" not in text
    assert text.endswith(t.note) and "SAA = Syrian Arab Army" in page and "<table" in page
    assert repr(style.table(df, columns=["side"])) == repr(style.table(df, columns=["side"]))
    # free text is never relabelled, abbreviations only as whole words
    plain = style.table(pd.DataFrame({"quote": ["open", "SAAB jets"]}))
    assert list(plain.frame["Quote"]) == ["open", "SAAB jets"] and plain.note == ""
    assert style.table(df, columns=["side"], missing="unknown").frame.shape == (3, 1)


def test_table_refuses_wide_or_unknown_columns():
    import pandas as pd

    wide = pd.DataFrame({f"c{i}": [i] for i in range(style.MAX_TABLE_COLUMNS + 1)})
    with pytest.raises(ValueError, match="too wide"):
        style.table(wide)
    style.table(wide, columns=list(wide.columns)[:style.MAX_TABLE_COLUMNS])
    with pytest.raises(KeyError, match="no column"):
        style.table(wide, columns=["c0", "nope"])


def test_legend_positions_given_by_a_notebook_keep_their_paper_meaning(shown):
    style.use()
    fig = good_figure()
    fig.add_trace(go.Scatter(x=["a"], y=[1], name="Other"))
    fig.update_layout(legend=dict(orientation="h", y=-0.3))
    style.show(fig, "Two.")
    assert fig.layout.legend.yref == "paper" and fig.layout.legend.xref is None
    fig = good_figure()
    style.show(fig, "One.")  # template position: on the container, below the plot
    assert fig.layout.legend.yref is None
    assert fig.layout.template.layout.legend.yref == "container"


def test_table_aligns_text_left_and_numbers_right():
    import pandas as pd
    from deirezzor import style
    html = style.table(pd.DataFrame({"statement_id": ["Q01", "Q02"], "quote": ["a long quotation", "b"],
                                     "killed_low": [62, None]}))._repr_html_()
    cells = re.findall(r"<t[dh] style='text-align:(\w+)'>", html)
    assert cells[:3] == ["left", "left", "right"]          # headers follow their column
    assert cells[3:6] == ["left", "left", "right"] and cells[6:9] == ["left", "left", "right"]  # "not stated" too


# --- contrast (WCAG 2.1): marks 3:1 through fill or outline, text 4.5:1 -------
def test_contrast_ratios_match_wcag():
    # reference values of the WCAG 2.1 formula, worked by hand for these pairs
    assert style.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert style.contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert style.contrast("#777777") == pytest.approx(4.48, abs=0.01)
    # the four Okabe-Ito colours the issue names, on white
    assert style.contrast("#E69F00") == pytest.approx(2.25, abs=0.01)
    assert style.contrast("#56B4E9") == pytest.approx(2.31, abs=0.01)
    assert style.contrast("#F0E442") == pytest.approx(1.32, abs=0.01)
    assert style.contrast("#CC79A7") == pytest.approx(3.06, abs=0.01)
    # translucent: what the eye sees over the background
    assert style.contrast("rgba(0,0,0,0.5)") < style.contrast("#000000")
    with pytest.raises(ValueError, match="cannot read"):
        style.contrast("hsl(0, 100%, 50%)")


def test_darker_keeps_the_hue_and_reaches_the_ratio():
    for c in style.OKABE_ITO.values():
        for ratio in (3.0, 4.5):
            d = style.darker(c, ratio)
            assert style.contrast(d) >= ratio
            if style.contrast(c) >= ratio:
                assert d == c  # already enough: unchanged
    assert style.TEXT_COLORS["sky_blue"] == style.darker("#56B4E9")
    assert all(style.contrast(c) >= 4.5 for c in style.TEXT_COLORS.values())
    assert style.text_on("#D55E00") == "#000000" and style.text_on("#0072B2") == "#FFFFFF"
    assert style.outline("#0072B2") == {"width": 0}
    assert style.outline("#E69F00")["color"] == style.OUTLINE


def _scatter_fig(**trace):
    return go.Figure(go.Scatter(x=[1, 2], y=[1, 2], **trace),
                     layout=dict(title="T", xaxis_title="x", yaxis_title="y"))


@pytest.mark.parametrize("trace,problem", [
    (dict(mode="markers", marker=dict(color="#56B4E9")), "no outline reaching 3:1"),
    (dict(mode="markers", marker=dict(color="#E69F00", line=dict(width=2, color="#E69F00"))), "no outline"),
    (dict(mode="markers", marker=dict(color="#56B4E9", symbol="circle-open")), "open markers"),
    (dict(mode="lines", line=dict(color="#F0E442")), "as a line"),
    (dict(mode="markers", marker=dict(color="#0072B2", opacity=0.3)), "no outline"),
    (dict(mode="markers+text", text=["a", "b"], textposition="middle center",
          marker=dict(color="#D55E00", size=20), textfont=dict(color="white")), "text needs 4.5:1"),
    (dict(mode="markers+text", text=["a", "b"], textposition="top center",
          marker=dict(color="#0072B2"), textfont=dict(color="#888888")), "text needs 4.5:1"),
    (dict(mode="markers", marker=dict(color="chartreuse")), "cannot be checked"),
])
def test_check_refuses_low_contrast_marks_and_text(shown, trace, problem):
    fig = _scatter_fig(**trace)
    assert any(problem in p for p in style.check(fig)), style.check(fig)
    with pytest.raises(ValueError, match="figure not shown"):
        style.show(fig, "Something.")


@pytest.mark.parametrize("trace", [
    dict(mode="markers", marker=dict(color="#56B4E9", line=style.outline("#56B4E9"))),   # dark outline
    dict(mode="markers", marker=dict(color="#56B4E9", line=dict(width=1))),   # plotly's default outline #444
    dict(mode="markers", marker=dict(color=style.darker("#56B4E9", 3.0), symbol="circle-open")),
    dict(mode="lines", line=dict(color=style.darker("#F0E442", 3.0))),
    dict(mode="markers", marker=dict(color="#E69F00", opacity=0)),   # not drawn
    dict(mode="markers+text", text=["a", "b"], textposition="middle center",
         marker=dict(color="#D55E00", size=20), textfont=dict(color=style.text_on("#D55E00"))),
    dict(mode="markers+text", text=["a", "b"], textposition="top center",
         marker=dict(color="#0072B2"), textfont=dict(color=style.TEXT_COLORS["sky_blue"])),
])
def test_check_accepts_marks_and_text_that_reach_the_ratios(trace):
    assert style.check(_scatter_fig(**trace)) == []


def test_check_refuses_light_text_in_the_layout():
    fig = good_figure()
    fig.add_annotation(x="a", y=1, text="note", font=dict(color="#AAAAAA"))
    assert any("annotation 0" in p for p in style.check(fig))
    fig = good_figure()
    fig.update_layout(title_subtitle_text="sub", title_subtitle_font_color="#999999")
    assert any("the subtitle" in p for p in style.check(fig))
    fig = good_figure()
    fig.update_yaxes(tickfont_color="#B0B0B0")
    assert any("tick labels of yaxis" in p for p in style.check(fig))
    # large text needs only 3:1: #949494 is 3.03:1 on white
    fig = good_figure()
    fig.add_annotation(x="a", y=1, text="big", font=dict(color="#949494", size=24))
    assert style.check(fig) == []


def test_legend_entries_reach_the_ratio():
    fig = good_figure()
    style.legend_entry(fig, "open: approximate", symbol="circle-open", color=style.OKABE_ITO["sky_blue"])
    style.legend_entry(fig, "filled", symbol="circle", color=style.OKABE_ITO["orange"])
    style.legend_entry(fig, "dashed", dash="dash", color=style.OKABE_ITO["yellow"])
    assert style.check(fig) == []


def test_figure_text_names_title_subtitle_and_description():
    fig = good_figure()
    style.title(fig, "Killed<br>by side", subtitle="lower bounds")
    fig.layout.meta = {"description": "Two bars."}
    assert style.figure_text(fig) == "Figure: Killed by side (lower bounds). What to see: Two bars."


def test_show_in_colab_publishes_html(shown, monkeypatch):
    """Colab does not draw the plotly mimetype: there show() publishes plotly's
    HTML (what plotly's own 'colab' renderer makes), detected the way plotly
    detects it (google.colab imported)."""
    import sys
    import types
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    style.show(good_figure(), "Two bars.")
    bundle = shown[0][1]
    assert style.PLOTLY_MIME not in bundle
    assert set(bundle) == {"text/html", "text/plain"}
    assert "Plotly.newPlot" in bundle["text/html"] and "cdn.plot.ly" in bundle["text/html"]
    assert bundle["text/plain"] == "Figure: Estimates. What to see: Two bars."
    assert shown[1][1].data == "**What to see:** Two bars."
