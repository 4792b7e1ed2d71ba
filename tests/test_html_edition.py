"""`make html`: the read-only HTML edition opens from disk in Chromium with no
network, draws every figure, its navigation links lead to its own pages, and
axe-core finds no serious or critical violation on any page (tests/axe_audit.py;
built once for all of these). Also: a plain `jupyter nbconvert --to html` in
this environment shows figures."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

import axe_audit  # noqa: E402
import html_edition  # noqa: E402
import nav  # noqa: E402
from browser_helpers import chromium_available, launch_browser, open_from_disk  # noqa: E402

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def figures_in(path: Path) -> int:
    nb = nav.read_nb(path)
    return sum(PLOTLY_MIME in out.get("data", {}) for c in nb.cells for out in c.get("outputs", []))


def test_links_to_notebooks_become_links_to_pages():
    assert html_edition.pages("[Next](02-raid-timeline.ipynb) →") == "[Next](02-raid-timeline.html) →"
    assert html_edition.pages('<a href="00-start-here.ipynb#s1">') == '<a href="00-start-here.html#s1">'
    assert html_edition.pages("[x](other.ipynb)") == "[x](other.ipynb)"       # not one of ours


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    assert html_edition.build(out) == 0
    return out


def test_every_page_is_written_without_remote_references(edition):
    for folder, edition_name in ((nav.RELEASE, "student"), (nav.SOURCE, "instructor")):
        for nb in nav.notebook_files(folder):
            page = (edition / edition_name / f"{nb.stem}.html").read_text(encoding="utf-8")
            assert page.count("<script>Plotly.newPlot(") == figures_in(nb), nb
            assert 'src="https://' not in page and 'href="https://cdn' not in page and "require.min.js" not in page
            assert ".ipynb\"" not in page and ".ipynb)" not in page, f"{nb.name}: a link still points at a notebook"
    assert (edition / "plotly.min.js").stat().st_size > 1_000_000


@pytest.mark.skipif(not chromium_available() and os.environ.get("CI") != "true",
                    reason="Chromium not found (apt-get install chromium, or set DEIREZZOR_CHROMIUM); required under CI=true")
def test_pages_draw_their_figures_offline_in_chromium(edition):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            for edition_name, folder in (("student", nav.RELEASE), ("instructor", nav.SOURCE)):
                for nb in nav.notebook_files(folder):
                    page.goto((edition / edition_name / f"{nb.stem}.html").as_uri())
                    want = figures_in(nb)
                    # plotly.js is 4.6 MB of script: on a loaded 2-core machine parsing it takes a while
                    page.wait_for_function(
                        "[...document.querySelectorAll('.deirezzor-figure')]"
                        ".every(d => d.querySelector('.main-svg g.trace'))", timeout=180_000)
                    drawn = page.evaluate("""() => [...document.querySelectorAll('.deirezzor-figure')]
                        .filter(d => d.querySelector('.main-svg g.trace') && d.getBoundingClientRect().height > 100).length""")
                    assert drawn == want, f"{edition_name}/{nb.stem}: {drawn} of {want} figures drawn"
            # the navigation leads from page to page
            page.goto((edition / "student" / "00-start-here.html").as_uri())
            page.locator('a[href="01-siege-background.html"]').first.click()   # "Next: …"
            page.wait_for_load_state()
            assert page.url.endswith("/student/01-siege-background.html")
            assert page.locator(".deirezzor-figure").count() == figures_in(nav.RELEASE / "01-siege-background.ipynb")
            remote = [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))]
            assert remote == [], remote[:5]
        finally:
            browser.close()


def test_plain_nbconvert_in_this_environment_shows_figures(tmp_path):
    """`jupyter nbconvert --to html` with the environment's own config (make env writes it)."""
    nb = nav.RELEASE / "02-raid-timeline.ipynb"
    result = subprocess.run([str(Path(sys.executable).parent / "jupyter"), "nbconvert", "--to", "html",
                             "--output-dir", str(tmp_path), str(nb)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    page = (tmp_path / "02-raid-timeline.html").read_text(encoding="utf-8")
    assert page.count("<script>Plotly.newPlot(") == figures_in(nb), (
        "no figures in a plain nbconvert export: is HTMLExporter.preprocessors set in "
        f"{Path(sys.prefix) / 'etc/jupyter/jupyter_nbconvert_config.json'} (tools/lab_settings.py)?")


# ----------------------------------------------------------------- no requests off disk
def page_requests(path: Path) -> tuple[list[str], int]:
    """Every URL off disk a page asks for while it opens and draws its figures in Chromium
    (recorded, then aborted), and how many figures it drew."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            return open_from_disk(browser.new_page(viewport={"width": 1366, "height": 768}), path)
        finally:
            browser.close()


def nbconvert(nb: Path, out: Path, *args: str) -> Path:
    result = subprocess.run([str(Path(sys.executable).parent / "jupyter"), "nbconvert", "--to", "html",
                             "--output-dir", str(out), *args, str(nb)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return out / f"{nb.stem}.html"


needs_chromium = pytest.mark.skipif(
    not chromium_available() and os.environ.get("CI") != "true",
    reason="Chromium not found (apt-get install chromium, or set DEIREZZOR_CHROMIUM); required under CI=true")


@needs_chromium
def test_plain_nbconvert_page_makes_no_request_off_disk(tmp_path):
    """`jupyter nbconvert --to html` as a student or instructor types it, in this environment:
    the page opens from disk, draws its figure and asks the network for nothing (no require.js,
    no MathJax: deirezzor.export.PlotlyFigures points their URLs at an empty data: script)."""
    nb = nav.RELEASE / "00-start-here.ipynb"
    remote, drawn = page_requests(nbconvert(nb, tmp_path))
    assert remote == [], f"the exported page asked the network for {remote}"
    assert drawn == figures_in(nb) > 0


@needs_chromium
def test_the_request_check_sees_a_page_that_asks_the_cdn(tmp_path):
    """Control: nbconvert's classic template WITHOUT the project's preprocessor (what nbviewer
    uses) asks cdnjs for its scripts, and the same check reports them."""
    page = nbconvert(nav.RELEASE / "00-start-here.ipynb", tmp_path, "--template", "classic",
                     "--HTMLExporter.preprocessors=[]")
    remote, drawn = page_requests(page)
    assert any("require" in u for u in remote) and any("mathjax" in u.lower() for u in remote), remote
    assert drawn == 0


def test_no_notebook_needs_mathjax():
    """MathJax is left out of exports because nothing would use it: no notebook of either
    edition has LaTeX math. If one ever does, PlotlyFigures keeps MathJax for that page
    (and nbgrader's feedback, deirezzor/templates/base/mathjax.html.j2, would need it)."""
    import nbformat
    from deirezzor.export import needs_mathjax
    for folder in (nav.SOURCE, nav.RELEASE):
        for path in nav.notebook_files(folder):
            assert not needs_mathjax(nbformat.read(path, as_version=4)), f"{path.name} has LaTeX math"
    # the check finds math where it is
    with_math = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(r"The area is $\pi r^2$.")])
    assert needs_mathjax(with_math)
    in_output = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data={"text/latex": r"\begin{align}x\end{align}"})])])
    assert needs_mathjax(in_output)
    assert not needs_mathjax(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("17 Sep 2016")]))


# ---------------------------------------------------------------- readable code colours
def _luminance(rgb) -> float:
    c = [v / 255 for v in rgb]
    c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def css_colour(value: str, variables: dict) -> tuple:
    import re
    value = value.strip()
    while (m := re.fullmatch(r"var\((--[\w-]+)\)", value)):
        value = variables[m[1]].strip()
    named = {"blue": "#0000ff", "white": "#ffffff", "black": "#000000"}
    value = named.get(value, value)
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        value = "#" + "".join(ch * 2 for ch in value[1:])
    if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))
    if (m := re.fullmatch(r"rgb\((\d+),\s*(\d+),\s*(\d+)\)", value)):
        return tuple(int(g) for g in m.groups())
    raise ValueError(f"cannot read the colour {value!r}")


def test_code_colours_of_the_edition_pass_4_5_to_1_on_the_code_background():
    """Every syntax colour of the light theme, after the template's overrides, reaches 4.5:1
    (WCAG 2.1 AA) on the code cells' background -- also the tokens no notebook uses today."""
    import re
    from nbconvert.exporters.templateexporter import TemplateExporter
    from deirezzor.export import TEMPLATES
    static = next(Path(d) / "lab" / "static" for d in TemplateExporter().template_paths
                  if (Path(d) / "lab" / "static" / "theme-light.css").exists())
    variables = {}
    for css in ("index.css", "theme-light.css"):      # the page's order: the theme's values win
        variables.update(re.findall(r"(--[\w-]+):\s*([^;]+);", (static / css).read_text(encoding="utf-8")))
    ours = (TEMPLATES / "deirezzor" / "index.html.j2").read_text(encoding="utf-8")
    overrides = dict(re.findall(r"(--[\w-]+):\s*([^;]+);", ours))
    assert overrides, "the template sets no colour"
    variables.update(overrides)
    background = css_colour(variables["--jp-cell-editor-background"], variables)
    tokens = [k for k in variables if re.fullmatch(r"--jp-mirror-editor-[\w-]+-color", k)]
    assert len(tokens) > 15, tokens
    low = {k: round(contrast(css_colour(variables[k], variables), background), 2) for k in tokens}
    low = {k: v for k, v in low.items() if v < 4.5}
    assert not low, f"code colours below 4.5:1 on {variables['--jp-cell-editor-background']}: {low}"
    assert float(variables["--jp-cell-prompt-not-active-opacity"]) == 1
    assert contrast(css_colour(variables["--jp-cell-prompt-not-active-font-color"], variables),
                    (255, 255, 255)) >= 4.5


def test_empty_header_cells_become_plain_cells():
    assert html_edition.no_empty_headers('<tr><th></th><th>rows</th></tr>') == '<tr><td></td><th>rows</th></tr>'
    assert html_edition.no_empty_headers('<th class="x"> </th><th>a</th>') == '<td class="x"></td><th>a</th>'


def test_the_preprocessor_keeps_what_a_notebook_from_elsewhere_needs():
    """PlotlyFigures is set for every HTML export of the environment: a notebook with math keeps
    MathJax, one whose outputs run scripts keeps require.js and jQuery; ours keep neither."""
    import nbformat
    from deirezzor.export import NO_SCRIPT, PlotlyFigures
    v4 = nbformat.v4

    def urls(nb):
        _, res = PlotlyFigures().preprocess(nb, {"require_js_url": "https://cdn/require.js",
                                                 "jquery_url": "https://cdn/jquery.js",
                                                 "mathjax_url": "https://cdn/mathjax.js"})
        return res["require_js_url"], res["jquery_url"], res["mathjax_url"]

    ours = nbformat.read(nav.RELEASE / "00-start-here.ipynb", as_version=4)
    assert urls(ours) == (NO_SCRIPT, NO_SCRIPT, NO_SCRIPT)
    math = v4.new_notebook(cells=[v4.new_markdown_cell("$$x^2$$")])
    assert urls(math) == (NO_SCRIPT, NO_SCRIPT, "https://cdn/mathjax.js")
    scripted = v4.new_notebook(cells=[v4.new_code_cell("x", outputs=[v4.new_output(
        "display_data", data={"text/html": "<div id=a></div><script>require(['x'], f)</script>"})])])
    assert urls(scripted) == ("https://cdn/require.js", "https://cdn/jquery.js", NO_SCRIPT)


# --- axe-core over every page (tests/axe_audit.py) ------------------------------------
def _need_axe():
    reason = axe_audit._missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; required under CI=true")
        pytest.skip(f"{reason}; required under CI=true")


def test_no_serious_or_critical_axe_violation_on_any_page(edition):
    _need_axe()
    found, remote, audited = axe_audit.audit(edition)
    pages = axe_audit.pages(edition)
    assert audited == len(pages), f"axe ran on {audited} of {len(pages)} pages"
    assert remote == [], f"the pages asked the network for {remote[:5]}"
    assert len(pages) == 1 + 2 * len(html_edition.notebook_files(html_edition.RELEASE))
    bad = [f for f in found if f["impact"] in axe_audit.FAILING]
    assert not bad, (f"{len(bad)} serious/critical axe-core violations (all: {axe_audit.counts(found)}):\n"
                     + "\n".join(f"{f['impact']} {f['id']} {f['page']} {f['target']}: "
                                 f"{f['summary'].splitlines()[-1].strip()}" for f in bad[:40]))


def test_axe_finds_a_violation_we_plant(tmp_path):
    """The check can fail: a page with grey-on-white text and an unnamed button is reported."""
    _need_axe()
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<p style="color:#b0b0b0;background:#fff">faint text</p><button></button></main></body></html>',
        encoding="utf-8")
    found, _, _ = axe_audit.audit(tmp_path)
    assert {"color-contrast", "button-name"} <= {f["id"] for f in found if f["impact"] in axe_audit.FAILING}, found
