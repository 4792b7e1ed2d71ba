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
    """Capture what show() displays instead of opening a renderer."""
    calls = []
    monkeypatch.setattr(go.Figure, "show", lambda self, *a, **k: calls.append(("figure", self)))
    import IPython.display as ipd
    monkeypatch.setattr(ipd, "display", lambda obj, **k: calls.append(("display", obj)))
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
    assert shown[0][1] is fig
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
