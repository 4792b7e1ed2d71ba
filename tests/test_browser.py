"""Every notebook runs in a real browser, the way a student runs it.

JupyterLab (token auth on, 127.0.0.1, a temporary copy of notebooks/) is
driven by Debian's Chromium through playwright: open the notebook, clear its
outputs, Run All, then check that

* every code cell ran and no output shows a traceback;
* as many plotly figures are drawn as there are cells tagged ``figure``, each
  with a title and marks (bars, lines, points, slices);
* every request the page made went to 127.0.0.1 (or data:/blob:) -- nothing
  from a CDN, no fonts or scripts from the internet.

A full-page screenshot of each notebook goes to artifacts/screenshots/.

Chromium missing: skipped locally (with the reason), a FAILURE under CI=true.
One module, one module-scoped server: ``--dist loadscope`` keeps it on one
xdist worker.
"""
from __future__ import annotations

import os

import pytest

from browser_helpers import (
    CHROMIUM, REPO, LabServer, chromium_available, launch_browser, notebook_paths, run_notebook,
)

SCREENSHOTS = REPO / "artifacts" / "screenshots"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
NOTEBOOKS = notebook_paths()


def _need_chromium():
    if chromium_available():
        return
    msg = (f"Chromium not found at {CHROMIUM}: the real-browser tests did NOT run. "
           "Install it with `apt-get install -y chromium` (Debian/Ubuntu) "
           "or set DEIREZZOR_CHROMIUM=/path/to/chromium.")
    if IN_CI:
        pytest.fail("CI=true: " + msg, pytrace=False)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def lab():
    _need_chromium()
    with LabServer() as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_browser(pw)
        yield b
        b.close()


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/*.ipynb found"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_browser(lab, browser, nb_path):
    res = run_notebook(browser, lab, nb_path, screenshot=SCREENSHOTS / f"{nb_path.stem}.png")

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
