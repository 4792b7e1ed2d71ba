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
                 "pro_government_outlet", "independent_monitor", "isil", "other"):
        assert style.COLORS[side].upper() in OKABE_ITO_HEX, side
    assert len(set(style.COLORS.values())) == len(style.COLORS)


def test_template_is_registered_small_and_offline():
    t = pio.templates[style.TEMPLATE_NAME]
    layout = t.layout
    assert layout.font.family == "Inter, 'Helvetica Neue', Arial, sans-serif"
    assert layout.paper_bgcolor.upper() in ("#FFFFFF", "WHITE")
    assert [c.upper() for c in layout.colorway] == [c.upper() for c in style.PALETTE]
    text = json.dumps(t.to_plotly_json())
    assert not re.search(r"https?:|//|www\.|url\(", text), "template refers to the network"
    # not built on plotly's default template: no trace-type defaults, and small
    assert not t.to_plotly_json().get("data")
    assert len(text) < 3000


def test_use_sets_default_template():
    old = pio.templates.default
    try:
        assert style.use() == "deirezzor"
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
    assert shown[0][1] == style.mimebundle(fig)
    assert shown[0][1][style.PLOTLY_MIME]["layout"]["meta"] == {"description": "Two bars."}
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
    fig.add_trace(go.Scatter(x=[1], y=[2], yaxis="y2"))
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
    plotly mimetype alone, followed by the "What to see" Markdown."""
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
    assert list(fig_data) == [style.PLOTLY_MIME] and fig_meta == {}
    assert fig_data[style.PLOTLY_MIME]["layout"]["title"]["text"] == "Two bars"
    assert md_data["text/markdown"] == "**What to see:** Two bars."


def test_show_outside_ipython_prints_the_description(capsys):
    style.show(good_figure(), "Two bars.")
    assert capsys.readouterr().out.strip() == "**What to see:** Two bars."
