"""The series outside JupyterLab, with the real tools that run here.

* nbconvert's classic template (what nbviewer uses), WITHOUT the project's
  preprocessor (deirezzor.export.PlotlyFigures): an <img> with an alt text
  for every figure, from the picture the build stores beside it.  An
  image-only renderer (GitHub's preview) shows the same picture.
* Notebook 7 (``jupyter notebook``) in Debian's Chromium: open the student
  notebooks that together hold every kind of trace, Run All, every figure
  drawn by plotly.
* A student's server (``make lab``: tools/jupyter-student on
  JUPYTER_CONFIG_PATH) has no nbgrader, neither its JupyterLab extension nor
  its server extensions; the instructor's (``make lab-instructor``) has both.
"""
from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

import browser_helpers as bh

REPO = Path(__file__).resolve().parent.parent
RELEASE_FILES = bh.notebook_paths()
STUDENT_CONFIG = REPO / "tools" / "jupyter-student"
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def _figures(nb_path: Path) -> list[dict]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [o for c in nb["cells"] for o in c.get("outputs", []) if PLOTLY_MIME in o.get("data", {})]


# --- nbconvert's classic template, no project preprocessor -------------------
@pytest.mark.parametrize("nb_path", RELEASE_FILES, ids=[p.stem for p in RELEASE_FILES])
def test_nbconvert_classic_shows_an_image_for_every_figure(nb_path):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    # A bare exporter reads no config files: the environment's
    # jupyter_nbconvert_config.json (which adds PlotlyFigures) is not used.
    exporter = HTMLExporter(config=Config(), template_name="classic")
    assert not any("PlotlyFigures" in str(p) for p in exporter.preprocessors)
    body, _ = exporter.from_filename(str(nb_path))
    figures = _figures(nb_path)
    imgs = re.findall(r"<img\s[^>]*>", body)
    pngs = [i for i in imgs if 'src="data:image/png;base64,' in i]
    assert len(pngs) == len(figures) == bh.figure_cell_count(nb_path)
    for img, out in zip(pngs, figures):
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt, f"{nb_path.name}: an <img> without alt text"
        assert html.unescape(alt.group(1)) == out["metadata"]["image/png"]["alt"]
        assert alt.group(1).startswith("Figure: ")


def test_image_only_renderer_sees_a_picture_per_figure():
    """What a renderer that knows only images and text (GitHub's preview,
    which cannot run here) can show: for each figure output, its richest
    output among image/png and text/plain is the picture."""
    for nb_path in RELEASE_FILES:
        for out in _figures(nb_path):
            assert {"image/png", "text/plain"} <= set(out["data"]), nb_path.name


# --- a student's server has no nbgrader ------------------------------------------
def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""


def _page_config(server: bh.LabServer, path: str) -> dict:
    status, body = _get(server.url(path))
    assert status == 200, f"{path}: HTTP {status}"
    m = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S)
    assert m, "no page config in the page"
    return json.loads(m.group(1))


def _nbgrader_state(server: bh.LabServer, page: str) -> tuple[bool, bool]:
    """(nbgrader's lab extension enabled, its formgrader server extension answering)."""
    cfg = _page_config(server, page)
    installed = any(e["name"] == "@jupyter/nbgrader" for e in cfg.get("federated_extensions", []))
    disabled = cfg.get("disabledExtensions", {})
    disabled = set(disabled) if isinstance(disabled, list) else {k for k, v in disabled.items() if v}
    lab_ext = installed and "@jupyter/nbgrader" not in disabled
    status, _ = _get(server.url("formgrader"))
    return lab_ext, status != 404


@pytest.fixture(scope="module")
def servers():
    """``servers(app, student)``: a server of ``app`` ("jupyterlab" or "notebook"),
    a student's (``make lab``) or the instructor's, started once for the module
    and shared by its tests (each start costs seconds)."""
    import contextlib
    started = {}
    with contextlib.ExitStack() as stack:
        def get(app: str, student: bool) -> bh.LabServer:
            if (app, student) not in started:
                started[app, student] = stack.enter_context(
                    bh.LabServer(app=app, config_path=STUDENT_CONFIG if student else None))
            return started[app, student]
        yield get


@pytest.mark.parametrize("app,page", [("jupyterlab", "lab"), ("notebook", "tree")])
def test_student_server_has_no_nbgrader_and_the_instructor_server_has(servers, app, page):
    student = servers(app, True)
    assert _nbgrader_state(student, page) == (False, False)
    # the figures still draw: the plotly extension is not touched
    cfg = _page_config(student, page)
    assert any(e["name"] == "jupyterlab-plotly" for e in cfg["federated_extensions"])
    assert _nbgrader_state(servers(app, False), page) == (True, True)


# --- Notebook 7 in the real browser --------------------------------------------------
JS_NB7_DONE = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
  if (!prompts.length) return false;
  if ([...document.querySelectorAll('.jp-OutputArea-output')].some(o => o.textContent.includes('Traceback')))
    return 'error';
  return prompts.every(p => /\\[\\d+\\]/.test(p.textContent)) ? 'done' : false;
}"""


@pytest.fixture(scope="module")
def browser():
    """One Chromium for every browser test of this file (playwright's sync API
    allows one running instance per thread)."""
    if not bh.chromium_available():
        from system_tools import missing
        missing(f"Chromium not found at {bh.CHROMIUM}: Notebook 7 and the student/instructor front ends were "
                "NOT tried in a browser. Install it with `apt-get install -y chromium` or set DEIREZZOR_CHROMIUM.")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = bh.launch_browser(p)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def notebook7(browser, servers):
    return servers("notebook", True), browser


def _covering(paths: list[Path]) -> list[Path]:
    """The fewest notebooks whose figures, together, hold every kind of trace in
    the series (a type, and a scatter's mode): Notebook 7 draws them with the
    same plotly extension as JupyterLab, which test_browser runs every notebook
    in, so one Run All of each kind is what this front end needs."""
    def kinds(p):
        return {(t.get("type", "scatter"), t.get("mode", "") if t.get("type", "scatter") == "scatter" else "")
                for out in _figures(p) for t in out["data"][PLOTLY_MIME]["data"]}
    left, chosen = set().union(*map(kinds, paths)), []
    while left:
        best = max(paths, key=lambda p: (len(kinds(p) & left), -paths.index(p)))
        chosen.append(best)
        left -= kinds(best)
    return sorted(chosen)


NOTEBOOK7_FILES = _covering(RELEASE_FILES)


def _kernel_idle(server: bh.LabServer) -> bool:
    try:
        kernels = server.api("kernels") or []
    except urllib.error.HTTPError:  # a 500 while the previous notebook's kernel shuts down
        return False
    return bool(kernels) and all(k.get("execution_state") == "idle" for k in kernels)


def test_the_notebook7_notebooks_hold_every_kind_of_trace():
    assert NOTEBOOK7_FILES and set(NOTEBOOK7_FILES) <= set(RELEASE_FILES)
    every = {(t.get("type", "scatter"), t.get("mode", "")) for p in RELEASE_FILES for out in _figures(p)
             for t in out["data"][PLOTLY_MIME]["data"]}
    covered = {(t.get("type", "scatter"), t.get("mode", "")) for p in NOTEBOOK7_FILES for out in _figures(p)
               for t in out["data"][PLOTLY_MIME]["data"]}
    assert {k if k[0] == "scatter" else (k[0], "") for k in every} <= {
        k if k[0] == "scatter" else (k[0], "") for k in covered}


@pytest.mark.parametrize("nb_path", NOTEBOOK7_FILES, ids=[p.stem for p in NOTEBOOK7_FILES])
def test_notebook7_run_all_draws_every_figure(notebook7, nb_path):
    import time

    server, browser = notebook7
    expected = bh.figure_cell_count(nb_path)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(server.url(f"notebooks/{quote(nb_path.name)}"), wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
        deadline = time.monotonic() + 60
        while not _kernel_idle(server):
            assert time.monotonic() < deadline, "the kernel never became idle"
            time.sleep(0.2)
        # no stored output: the server's copy has none (bh.without_outputs)
        assert page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length") == 0
        assert not page.locator(".lm-MenuBar-item:has-text('Nbgrader')").count()
        page.click(".lm-MenuBar-item:has-text('Run')")
        page.click("li.lm-Menu-item[data-command='runmenu:run-all']")
        state = page.wait_for_function(JS_NB7_DONE, timeout=120_000, polling=100).json_value()
        errors = page.evaluate(bh.JS_ERRORS, bh.SEL_ERRORS)
        assert state == "done" and not errors, errors
        if expected:
            page.wait_for_function(bh.JS_FIGURES_DRAWN, arg=expected, timeout=30_000, polling=100)
        figures = page.evaluate(bh.JS_FIGURE_INFO, bh.SEL_MARKS)
        assert len(figures) == expected
        assert all(f["marks"] > 0 and f["title"] for f in figures), figures
        remote = [u for u in requests if not bh.is_local_url(u)]
        assert not remote, remote
    finally:
        context.close()
        try:
            server.shutdown_kernels()
        except urllib.error.HTTPError:  # the server's own problems show up elsewhere
            pass


# --- JupyterLab in the real browser: no instructor tooling for a student; -----
# --- what a screen reader reaches of each figure ---------------------------------
JS_NBGRADER_UI = """() => ({
  menu: [...document.querySelectorAll('.lm-MenuBar-item')].some(e => /nbgrader/i.test(e.textContent)),
  panels: [...document.querySelectorAll('.lm-TabBar-tab')]
    .map(t => (t.getAttribute('title') || '') + ' ' + t.textContent + ' ' + (t.dataset.id || ''))
    .filter(t => /assignment|nbgrader|formgrader|course/i.test(t)),
})"""


def _lab_ui(server: bh.LabServer, browser, nb_name: str) -> dict:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        bh.open_in_lab(page, server, nb_name)
        return page.evaluate(JS_NBGRADER_UI)
    finally:
        context.close()
        server.shutdown_kernels()


def test_student_jupyterlab_shows_no_nbgrader_menu_or_panel(browser, servers):
    name = RELEASE_FILES[0].name
    seen = _lab_ui(servers("jupyterlab", True), browser, name)
    assert seen == {"menu": False, "panels": []}, seen
    seen = _lab_ui(servers("jupyterlab", False), browser, name)   # make lab-instructor: the check can fail
    assert seen["menu"] and seen["panels"], seen


def test_makefile_gives_students_the_student_config():
    import subprocess
    dry = lambda target: subprocess.run(["make", "-n", "-o", "env", target], cwd=REPO,  # noqa: E731
                                        capture_output=True, text=True, check=True).stdout
    assert f"JUPYTER_CONFIG_PATH=\"{STUDENT_CONFIG}" in dry("lab")
    assert f"JUPYTER_CONFIG_PATH=\"{STUDENT_CONFIG}" in dry("notebook")
    assert "jupyter-student" not in dry("lab-instructor")


def _ax_names(page) -> list[str]:
    cdp = page.context.new_cdp_session(page)
    tree = cdp.send("Accessibility.getFullAXTree")
    return [n["name"]["value"] for n in tree["nodes"]
            if not n.get("ignored") and isinstance(n.get("name", {}).get("value"), str) and n["name"]["value"]]


@pytest.mark.parametrize("nb_path", [p for p in RELEASE_FILES if bh.figure_cell_count(p) >= 2][:1],
                         ids=lambda p: p.stem)
def test_screen_reader_reaches_each_figures_title_and_description(browser, servers, nb_path):
    """After Run All in JupyterLab, for every figure the accessibility tree
    (what a screen reader reads, from Chromium itself) holds its title (the
    SVG's text) and its "What to see" description (the output right after
    it).  The figure element itself gets no accessible name: jupyterlab-plotly
    builds it and takes none from the kernel."""
    figs = _figures(nb_path)
    lab = servers("jupyterlab", True)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        bh.open_in_lab(page, lab, nb_path.name)
        bh._menu(page, "Run", "runmenu:run-all")
        assert page.wait_for_function(bh.JS_RUN_STATE, timeout=120_000, polling=100).json_value() == "done"
        page.wait_for_function(bh.JS_FIGURES_DRAWN, arg=len(figs), timeout=30_000, polling=100)
        # each description is the output right after its figure, in the same cell
        order = page.evaluate("""() => [...document.querySelectorAll('.jp-RenderedPlotly')].map(f => {
          const next = f.closest('.jp-OutputArea-child').nextElementSibling;
          return next ? next.textContent.trim().slice(0, 14) : ''; })""")
        assert len(order) == len(figs) and all(o.startswith("What to see") for o in order), order
        names = _ax_names(page)
    finally:
        context.close()
        lab.shutdown_kernels()
    text = "\n".join(names)
    for out in figs:
        fig = out["data"][PLOTLY_MIME]
        title = re.sub(r"<[^>]+>", " ", fig["layout"]["title"]["text"]).strip()
        desc = fig["layout"]["meta"]["description"]
        assert title in text, f"title not in the accessibility tree: {title!r}"
        assert desc[:60] in text, f"description not in the accessibility tree: {desc[:60]!r}"


# --- Colab: the first code cell installs the package from the repository ------------
def _setup_source(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if "setup" in c.get("metadata", {}).get("tags", [])]
    return "".join(cell["source"])


def _run_setup_head(source: str, monkeypatch, colab: bool) -> list:
    """Run the setup cell's try/except (up to ready.check) with deirezzor not
    importable; a fake IPython records the %pip line and then 'installs' it."""
    import sys
    import types
    head = source.split("ready.check(")[0]
    calls = []
    monkeypatch.setitem(sys.modules, "deirezzor", None)   # import deirezzor -> ModuleNotFoundError
    if colab:
        monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)

    class Shell:
        def run_line_magic(self, name, line):
            calls.append((name, line))
            monkeypatch.delitem(sys.modules, "deirezzor")   # "installed": importable again
    exec(compile(head, "setup", "exec"), {"get_ipython": lambda: Shell()})
    return calls


def test_setup_cell_installs_the_package_in_colab_only(monkeypatch):
    sources = {p.name: _setup_source(p) for p in RELEASE_FILES}
    assert len(set(s.split("ready.check(")[0] for s in sources.values())) == 1, "setup cells differ"
    source = next(iter(sources.values()))
    with monkeypatch.context() as m:
        with pytest.raises(ModuleNotFoundError, match="README"):
            _run_setup_head(source, m, colab=False)
    with monkeypatch.context() as m:
        calls = _run_setup_head(source, m, colab=True)
    assert len(calls) == 1 and calls[0][0] == "pip"
    assert re.fullmatch(r'install --quiet "deirezzor-2016 @ git\+https://\S+"', calls[0][1]), calls


@pytest.mark.parametrize("nb_path", sorted((REPO / "instructor").glob("*.ipynb")) + RELEASE_FILES,
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_notebook_stays_under_200_kb(nb_path):
    """Pictures included (tools/figure_images.py gives a notebook fewer colours
    before it would pass 190 KB)."""
    assert nb_path.stat().st_size <= 200_000, f"{nb_path.name}: {nb_path.stat().st_size / 1000:.1f} KB"
