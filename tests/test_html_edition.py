"""`make html`: the read-only HTML edition opens from disk in Chromium with no
network, draws every figure, and its navigation links lead to its own pages.
Also: a plain `jupyter nbconvert --to html` in this environment shows figures."""
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

import html_edition  # noqa: E402
import nav  # noqa: E402
from browser_helpers import chromium_available, launch_browser  # noqa: E402

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
    for folder, edition_name in ((nav.STUDENT, "student"), (nav.SOURCE, "instructor")):
        for nb in nav.notebook_files(folder):
            page = (edition / edition_name / f"{nb.stem}.html").read_text(encoding="utf-8")
            assert page.count("<script>Plotly.newPlot(") == figures_in(nb), nb
            assert 'src="https://' not in page and 'href="https://cdn' not in page and "require.min.js" not in page
            assert ".ipynb\"" not in page and ".ipynb)" not in page, f"{nb.name}: a link still points at a notebook"
    assert (edition / "plotly.min.js").stat().st_size > 1_000_000


@pytest.mark.skipif(not chromium_available() and os.environ.get("CI") != "true",
                    reason="needs /usr/bin/chromium (apt-get install chromium); required under CI=true")
def test_pages_draw_their_figures_offline_in_chromium(edition):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            for edition_name, folder in (("student", nav.STUDENT), ("instructor", nav.SOURCE)):
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
            assert page.locator(".deirezzor-figure").count() == figures_in(nav.STUDENT / "01-siege-background.ipynb")
            remote = [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))]
            assert remote == [], remote[:5]
        finally:
            browser.close()


def test_plain_nbconvert_in_this_environment_shows_figures(tmp_path):
    """`jupyter nbconvert --to html` with the environment's own config (make env writes it)."""
    nb = nav.STUDENT / "02-raid-timeline.ipynb"
    result = subprocess.run([str(Path(sys.executable).parent / "jupyter"), "nbconvert", "--to", "html",
                             "--output-dir", str(tmp_path), str(nb)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    page = (tmp_path / "02-raid-timeline.html").read_text(encoding="utf-8")
    assert page.count("<script>Plotly.newPlot(") == figures_in(nb), (
        "no figures in a plain nbconvert export: is HTMLExporter.preprocessors set in "
        f"{Path(sys.prefix) / 'etc/jupyter/jupyter_nbconvert_config.json'} (tools/lab_settings.py)?")
