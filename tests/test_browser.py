"""Every notebook runs in a real browser, the way a student runs it, and
every figure reads on a laptop.

JupyterLab (token auth on, 127.0.0.1, a temporary copy of notebooks/) is
driven by Debian's Chromium through playwright, headless.  Each notebook is
opened with JupyterLab's file browser OPEN in a 1366x768 window (the
commonest school-laptop screen), run and measured, then the window is resized
to 1920x1080 and everything is measured again; both in two fonts (FONT_SETUPS:
Liberation Sans, Arial's widths, and DejaVu Sans, the wide font of a fresh
Linux; one Run All serves both, see ``runs``).  Then:

* the notebook's tab is not marked modified once its kernel is idle (before
  anything runs): opening a notebook must not ask "Save changes?" on close;
* Run All: every code cell ran and no output shows a traceback;
* as many plotly figures are drawn as there are cells tagged ``figure``, each
  with a title and marks (bars, lines, points, slices);
* measured in the page with element bounding boxes (browser_helpers.JS_LAYOUT),
  for every figure:
  - its title (and subtitle) lies inside the figure: not clipped;
  - the figure is no wider than its output area and no taller than the
    visible notebook area;
  - every legend entry lies inside the figure and inside the legend's visible
    box (an entry reachable only by scrolling the legend counts as hidden);
  - every data label or annotation (text on points or bars, annotation
    texts) lies inside the figure (text on points: inside the plot area,
    where plotly clips it), and no two of them overlap;
  - no visible text contains a snake_case identifier (``a_b``);
* every request the page made went to 127.0.0.1 (or data:/blob:).

With DEIREZZOR_SCREENSHOTS=1, a full-page screenshot of each notebook at
each size goes to artifacts/screenshots/NN-name-1366x768-liberation.png (and
-1920x1080, and -DejaVuSans for the second font).

Chromium or a font set-up missing: skipped locally (with the reason and the
install command), a FAILURE under CI=true (tests/system_tools.py).
One module, one module-scoped server: ``--dist loadscope`` keeps it on one
xdist worker.
"""
from __future__ import annotations

import json
import os

import pytest

from browser_helpers import (
    CHROMIUM, DESKTOP, FONT_SETUPS, LAPTOP, REPO, LabServer, chromium_available,
    figure_cell_count, font_setup_missing, launch_browser, notebook_paths, run_notebook,
)
from system_tools import missing

SCREENSHOTS = REPO / "artifacts" / "screenshots"
# Pictures to look at, not checks: DEIREZZOR_SCREENSHOTS=1 writes them (~5 s a notebook).
SCREENSHOTS_WANTED = os.environ.get("DEIREZZOR_SCREENSHOTS") == "1"
RELEASE_FILES = notebook_paths()
SIZES = {"laptop": LAPTOP, "desktop": DESKTOP}
FONTS = list(FONT_SETUPS)       # the wide fallback (DejaVu Sans) and Arial's widths (Liberation Sans)
CASES = [(p, size, font) for p in RELEASE_FILES for size in SIZES for font in FONTS]
IDS = [f"{p.stem}-{size}-{font}" for p, size, font in CASES]


def _need_chromium():
    if not chromium_available():
        missing(f"Chromium not found at {CHROMIUM}: the real-browser tests did NOT run. "
                "Install it with `apt-get install -y chromium` (Debian/Ubuntu) "
                "or set DEIREZZOR_CHROMIUM=/path/to/chromium.")


@pytest.fixture(scope="module")
def lab():
    _need_chromium()
    with LabServer() as server:
        yield server


def _need_fonts(font):
    why = font_setup_missing(font)
    if why is not None:
        missing(f"the figures were NOT checked in the '{font}' font set-up: {why}")


@pytest.fixture(scope="module")
def browsers(lab):
    """One Chromium per font set-up, started when first needed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        started = {}

        def get(font):
            _need_fonts(font)
            if font not in started:
                started[font] = launch_browser(pw, fonts=font)
            return started[font]
        yield get
        for b in started.values():
            b.close()


@pytest.fixture(scope="module")
def browser(browsers):
    return browsers(FONTS[0])


@pytest.fixture(scope="module")
def runs(lab, browsers):
    """Each notebook is run once, in the Liberation set-up (a Chromium that has
    Liberation Sans and DejaVu Sans only), at the laptop size; the window is
    then resized to the desktop size and looked at again (a student resizing
    the window).  Then every figure's font family is set to DejaVu Sans and
    both sizes are looked at once more: plotly lays each figure out anew, and
    draws and measures exactly what the DejaVu-only Chromium of a fresh Linux
    draws (test_refont_draws_what_a_dejavu_only_browser_draws).  The tests of
    a notebook share that one run.  Without fonts-liberation the run is made in
    the DejaVu set-up and the Liberation cases are skipped."""
    cache = {}

    def get(nb_path, size, font):
        if nb_path not in cache:
            base = "liberation" if font_setup_missing("liberation") is None else "dejavu"
            w, h = LAPTOP
            shot = SCREENSHOTS / f"{nb_path.stem}-{w}x{h}-{base}.png" if SCREENSHOTS_WANTED else None
            refont = [FONT_SETUPS["dejavu"][1]] if base != "dejavu" else []
            cache[nb_path] = base, run_notebook(browsers(base), lab, nb_path, viewport=LAPTOP,
                                                also_at=[DESKTOP], refont=refont, screenshot=shot)
        base, res = cache[nb_path]
        if font != base:
            _need_fonts(font)
            res = res.refonted[FONT_SETUPS[font][1]]
        return res if SIZES[size] == LAPTOP else res.also[SIZES[size]]
    return get


def test_there_are_notebooks():
    assert RELEASE_FILES, "no notebooks/*.ipynb found"


@pytest.mark.parametrize("nb_path,size,font", CASES, ids=IDS)
def test_notebook_runs_in_browser(runs, nb_path, size, font):
    res = runs(nb_path, size, font)

    assert not res.errors, f"{res.name}: error output after Run All:\n" + "\n---\n".join(
        e[-1500:] for e in res.errors)
    assert res.state == "done" and res.unexecuted == 0, (
        f"{res.name}: {res.unexecuted} code cell(s) have no execution count after Run All")

    drawn = len(res.figures)
    assert drawn == res.expected_figures, (
        f"{res.name}: {drawn} plotly figure(s) drawn, but {res.expected_figures} cell(s) "
        "are tagged 'figure'")
    for i, fig in enumerate(res.figures, 1):
        assert fig["title"].strip(), f"{res.name}: figure {i} has no visible title"
        assert fig["marks"] > 0, f"{res.name}: figure {i} ({fig['title']!r}) shows no marks"

    assert res.requests, "no request was recorded: the recorder is broken"
    remote = sorted(set(res.remote_requests))
    assert not remote, f"{res.name}: the page asked for non-local URLs: {remote}"


@pytest.mark.parametrize("nb_path,size,font", CASES, ids=IDS)
def test_figures_read_at_this_size(runs, nb_path, size, font):
    res = runs(nb_path, size, font)
    assert len(res.layout) == res.expected_figures, (
        f"{res.name}: measured {len(res.layout)} figure(s), expected {res.expected_figures}")
    if res.expected_figures:
        # the set-up really took: the figures were drawn in that font, not another one
        assert res.font == FONT_SETUPS[font][1], (
            f"{res.name}: figures drawn in {res.font!r}, but the '{font}' set-up should give "
            f"{FONT_SETUPS[font][1]!r} (tests/browser_helpers.py fontconfig_file)")
    problems = res.layout_problems
    w, h = res.viewport
    assert not problems, (f"{res.name} at {w}x{h} in {res.font or font}, with the file browser open:\n"
                          + "\n".join(problems))


@pytest.mark.parametrize("nb_path", RELEASE_FILES, ids=[p.stem for p in RELEASE_FILES])
def test_notebook_not_modified_on_open(runs, nb_path):
    import platform
    stored_version = json.loads(nb_path.read_text(encoding="utf-8"))["metadata"].get(
        "language_info", {}).get("version")
    if stored_version != platform.python_version():
        # JupyterLab rightly marks the notebook modified: the kernel's language_info differs
        # from the stored one (make versions runs other Pythons; see the README's known limits).
        pytest.skip(f"outputs stored with Python {stored_version}, this kernel is "
                    f"{platform.python_version()}: a real difference, so the mark is expected")
    res = runs(nb_path, "laptop", FONTS[0])
    assert res.dirty_on_open is not None, "no notebook tab found: the check is broken"
    if res.dirty_on_open:
        import platform
        stored = json.loads(nb_path.read_text(encoding="utf-8"))["metadata"].get("language_info", {})
        pytest.fail(
            f"{res.name} is marked modified as soon as its kernel is idle. JupyterLab writes the "
            "kernel's language_info into the notebook and marks it modified unless the stored one "
            f"is equal: stored version {stored.get('version')!r}, this kernel "
            f"{platform.python_version()!r} (tools/execute.py decides what is stored).")


def test_refont_draws_what_a_dejavu_only_browser_draws(lab, browsers, runs):
    """The one-run scheme of ``runs`` rests on this: the figures of a notebook,
    set to DejaVu Sans after a run in the Liberation set-up, are drawn at the
    same places and widths, text by text, as in a Chromium that has DejaVu only
    (a fresh Linux) running the notebook itself -- and not as in Liberation."""
    if font_setup_missing("liberation") is not None:
        _need_fonts("liberation")
    nb_path = max(RELEASE_FILES, key=figure_cell_count)
    natural = run_notebook(browsers("dejavu"), lab, nb_path, viewport=LAPTOP)
    assert natural.font == FONT_SETUPS["dejavu"][1], natural.font
    refonted = runs(nb_path, "laptop", "dejavu")
    liberation = runs(nb_path, "laptop", "liberation")
    assert len(natural.text_boxes) > 20, f"{nb_path.stem}: too few texts to compare"

    def apart(a, b, tol=0.5):     # sub-pixel rounding aside (positions are relative to each figure)
        return any(abs(u - v) > tol for u, v in zip(a, b))
    assert sum(apart(a, b) for a, b in zip(liberation.text_boxes, natural.text_boxes)) > len(natural.text_boxes) // 2, \
        "the two fonts draw alike: the comparison proves nothing"
    differ = [(i, a, b) for i, (a, b) in enumerate(zip(refonted.text_boxes, natural.text_boxes)) if apart(a, b)]
    assert len(refonted.text_boxes) == len(natural.text_boxes) and not differ, (
        f"{nb_path.stem}: {len(differ)} of {len(natural.text_boxes)} texts are drawn elsewhere after the "
        f"font swap than in the DejaVu-only browser, e.g. {differ[:5]}")


# A notebook of figures that break each rule, published as raw plotly JSON
# (so style.check cannot refuse them): the in-page measurement must find every
# problem, or the checks above prove nothing.
_BAD = {
    "clipped": {"layout": {"title": {"text": "A title far too long for any laptop figure " * 5},
                           "height": 300}},
    "tall": {"layout": {"title": {"text": "Tall"}, "height": 900}},
    "legend": {"data": [{"type": "scatter", "x": [1], "y": [1], "name": "Entry one"},
                        {"type": "scatter", "x": [2], "y": [2], "name": "Entry two"}],
               "layout": {"title": {"text": "Legend"}, "height": 300,
                          "legend": {"x": 1.3}, "margin": {"autoexpand": False}}},
    "overlap": {"data": [{"type": "scatter", "mode": "markers+text", "x": ["a", "a"], "y": [1, 1],
                          "text": ["T02", "T03"], "textposition": "top center"}],
                "layout": {"title": {"text": "Overlap"}, "height": 300}},
    "plotclip": {"data": [{"type": "scatter", "mode": "markers+text", "x": [0, 10], "y": [0, 1],
                           "text": ["", "A long label on the last point, cut off"],
                           "textposition": "middle right"}],
                 "layout": {"title": {"text": "Plot clip"}, "height": 300,
                            "xaxis": {"range": [0, 10.5]}}},
    "snake": {"data": [{"type": "bar", "x": ["coalition_government", "b"], "y": [1, 2]}],
              "layout": {"title": {"text": "Snake"}, "height": 300}},
    "onmarker": {"data": [{"type": "scatter", "mode": "markers", "x": [14, 16], "y": [1, 1],
                           "marker": {"symbol": "diamond", "size": 14}},
                          {"type": "scatter", "mode": "text", "x": [15], "y": [1],
                           "text": ["a label drawn across both diamonds"], "textposition": "middle center"}],
                 "layout": {"title": {"text": "On a marker"}, "height": 300, "showlegend": False,
                            "xaxis": {"range": [0, 30]}}},
    "ytitle": {"data": [{"type": "scatter", "x": [1, 2], "y": [1, 2]}],
               "layout": {"title": {"text": "Axis title", "x": 0, "xanchor": "left",
                                    "subtitle": {"text": "A subtitle that begins at the figure's left edge"}},
                          "height": 260, "margin": {"t": 70},
                          "yaxis": {"title": {"text": "A y-axis title far longer than the plot area is tall"}}}},
    "ticks": {"data": [{"type": "bar", "x": ["Russian and Syrian governments", "Russian government",
                                              "Several parties", "Syrian government"] * 2, "y": [1] * 8}],
              "layout": {"title": {"text": "Ticks"}, "height": 300, "width": 360,
                         "xaxis": {"tickangle": 0}}},
}
_EXPECTED = {"clipped": "title clipped", "tall": "px tall, the visible notebook area", "legend": "legend entry outside",
             "overlap": "labels overlap", "plotclip": "cut off by the plot area",
             "snake": "raw identifier", "onmarker": "label over a marker",
             "ytitle": "axis title over the", "ticks": "tick labels overlap"}


@pytest.mark.parametrize("font", FONTS)
def test_layout_checks_catch_bad_figures(lab, browsers, tmp_path, font):
    browser = browsers(font)
    import nbformat

    cells = [nbformat.v4.new_code_cell(
        "from IPython.display import display\n"
        f"display({{'application/vnd.plotly.v1+json': {fig!r}}}, raw=True)",
        metadata={"tags": ["figure"]}) for fig in _BAD.values()]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})
    path = tmp_path / "zz-bad-figures.ipynb"
    nbformat.write(nb, str(path))
    (lab.root / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    try:
        res = run_notebook(browser, lab, path, viewport=LAPTOP)
    finally:
        (lab.root / path.name).unlink()
    assert res.state == "done" and len(res.layout) == len(_BAD), (res.state, res.errors)
    # the set-up's own Chromium resolves the house font list to that set-up's font
    assert res.font == FONT_SETUPS[font][1], (font, res.font)
    for (name, want), fig in zip(_EXPECTED.items(), res.layout):
        assert any(want in p for p in fig["problems"]), (
            f"the '{name}' figure breaks a rule the page check did not see: {fig['problems']}")
    assert all(p.startswith("title clipped") for p in res.layout[0]["problems"])
