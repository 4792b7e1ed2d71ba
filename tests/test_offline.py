"""The notebooks work offline, and nothing in them reaches for the network.

1. Under ``tools/offline.py`` (what .ci/run does: ``unshare -n`` with only
   loopback up, ``DEIREZZOR_OFFLINE=1``), a fresh kernel can NOT connect to
   public addresses, but CAN connect to 127.0.0.1 (the control).  Outside of
   it the same probe is run through tools/offline.py in a subprocess, so the
   mechanism is proven wherever the test runs; under CI=true the suite itself
   must be offline.
2. No stored notebook source or output refers to a CDN or a remote script,
   and plotly figures are stored as the ``application/vnd.plotly.v1+json``
   mimetype (drawn by JupyterLab's bundled plotly extension), never as HTML
   with plotly.js inlined or fetched.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import offline  # noqa: E402

RELEASE_FILES = sorted((REPO / "notebooks").glob("*.ipynb"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PLOTLY_MIME = "application/vnd.plotly.v1+json"

REMOTE_PATTERNS = {
    "plotly CDN": re.compile(r"cdn\.plot\.ly", re.I),
    "cdnjs": re.compile(r"cdnjs\.", re.I),
    "unpkg": re.compile(r"unpkg\.com", re.I),
    "jsdelivr": re.compile(r"jsdelivr", re.I),
    "Google fonts/APIs": re.compile(r"(fonts|ajax)\.googleapis\.com", re.I),
    "remote <script src>": re.compile(r"<script[^>]*\bsrc\s*=\s*[\"']?(https?:)?//", re.I),
    "remote stylesheet": re.compile(r"<link[^>]*\bhref\s*=\s*[\"']?(https?:)?//[^>]*stylesheet"
                                    r"|<link[^>]*stylesheet[^>]*\bhref\s*=\s*[\"']?(https?:)?//", re.I),
    "require.js config": re.compile(r"require(js)?\.config\s*\(", re.I),
    "inlined plotly.js": re.compile(r"Plotly\.newPlot|window\.PlotlyConfig|define\(\s*['\"]plotly", re.I),
}


def _assert_offline_probe(result: dict) -> None:
    assert result["local-control"] == "connected", (
        f"the probe could not even reach 127.0.0.1, so it proves nothing: {result}")
    reached = {k: v for k, v in result.items() if k != "local-control" and v == "connected"}
    assert not reached, f"a kernel reached the network while it should be offline: {reached}"


def test_kernel_is_offline():
    if offline.is_offline_env():
        # We are the offline run (.ci/run): probe right here.
        _assert_offline_probe(offline.kernel_probe())
        return
    if IN_CI:
        pytest.fail("CI=true but the tests are not running under tools/offline.py "
                    f"({offline.OFFLINE_ENV} is not 1): .ci/run must run them offline",
                    pytrace=False)
    if offline.unshare_command() is None:
        pytest.skip("unshare/ip not available: the offline mode was NOT proven here. Linux: "
                    "apt-get install util-linux iproute2 (macOS and Windows have no network namespaces)")
    r = subprocess.run(
        [sys.executable, str(REPO / "tools" / "offline.py"), "--",
         sys.executable, str(REPO / "tools" / "offline.py"), "--probe"],
        capture_output=True, text=True, timeout=120)
    if r.returncode != 0 and "unshare" in r.stderr:
        pytest.skip(f"no network namespace allowed here: {r.stderr.strip()[-300:]}")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["offline_env"] is True
    _assert_offline_probe(out["results"])


def test_probe_sees_an_open_network():
    """The control in the other direction: outside the namespace, on a machine
    with network, the same probe does connect -- so "failed" above means
    offline, not a broken probe.  Skipped when we are offline (or have no
    network at all)."""
    if offline.is_offline_env():
        pytest.skip("running offline: nothing to connect to")
    result = offline.kernel_probe()
    assert result["local-control"] == "connected"
    if not any(v == "connected" for k, v in result.items() if k != "local-control"):
        pytest.skip(f"this machine has no network anyway: {result}")


def test_there_are_notebooks():
    assert RELEASE_FILES, "no notebooks/*.ipynb"


@pytest.mark.parametrize("nb_path", RELEASE_FILES, ids=[p.stem for p in RELEASE_FILES])
def test_no_remote_resources(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    problems = []
    for i, cell in enumerate(nb["cells"]):
        texts = ["".join(cell.get("source", ""))]
        for out in cell.get("outputs", []):
            for mime, value in out.get("data", {}).items():
                if mime == PLOTLY_MIME:
                    continue  # checked below; its data/layout are plain numbers and text
                texts.append(value if isinstance(value, str) else json.dumps(value))
            texts.append("".join(out.get("text", "")))
        for text in texts:
            for what, pattern in REMOTE_PATTERNS.items():
                m = pattern.search(text)
                if m:
                    problems.append(f"cell {i}: {what}: ...{text[max(0, m.start()-40):m.end()+40]}...")
    assert not problems, f"{nb_path.name} refers to remote resources:\n" + "\n".join(problems)


@pytest.mark.parametrize("nb_path", RELEASE_FILES, ids=[p.stem for p in RELEASE_FILES])
def test_plotly_outputs_are_mimetype_only(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                fig = data[PLOTLY_MIME]
                assert isinstance(fig, dict) and "data" in fig and "layout" in fig, (
                    f"{nb_path.name} cell {i}: malformed plotly output")
                # beside the figure's JSON only its text line and its picture (a PNG made
                # by `make build` for previews and plain exports): never an HTML renderer
                extra = sorted(set(data) - {PLOTLY_MIME, "text/plain", "image/png"})
                assert not extra, (f"{nb_path.name} cell {i}: plotly output also stored as "
                                   f"{extra} (use the mimetype renderer, plus the build's PNG)")
                png = data.get("image/png", "")
                assert not png or "".join(png).startswith("iVBORw0KGgo"), (
                    f"{nb_path.name} cell {i}: image/png is not a base64 PNG")
            html = data.get("text/html", "")
            html = html if isinstance(html, str) else "".join(html)
            assert "plotly" not in html.lower() or "<script" not in html.lower(), (
                f"{nb_path.name} cell {i}: HTML output with a plotly script; figures must be "
                f"stored as {PLOTLY_MIME}")
        assert "@jupyter-widgets" not in json.dumps(nb.get("metadata", {})), (
            f"{nb_path.name}: stores widget state (would need widget JS from a CDN)")


def test_the_remote_patterns_catch_what_they_should():
    """The patterns above are themselves tested on typical offending text."""
    bad = {
        "plotly CDN": '<script src="https://cdn.plot.ly/plotly-2.35.2.min.js"></script>',
        "cdnjs": "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js",
        "unpkg": "https://unpkg.com/leaflet",
        "jsdelivr": "https://cdn.jsdelivr.net/npm/vega@5",
        "remote <script src>": "<script src='//example.org/x.js'></script>",
        "require.js config": "require.config({paths: {plotly: 'x'}})",
        "inlined plotly.js": "window.PlotlyConfig = {MathJaxConfig: 'local'};",
    }
    for what, text in bad.items():
        assert REMOTE_PATTERNS[what].search(text), what
    assert not any(p.search("data from https://www.un.org/press/en/2016/sc12522.doc.htm")
                   for p in REMOTE_PATTERNS.values()), "plain links to sources must stay allowed"
