"""axe-core 4 over every page of the HTML edition (`make html`), for
tests/test_html_edition.py (which builds the edition once for its tests and
this audit): no serious or critical accessibility violation.

axe-core comes from npm (package-lock.json; `make classroom-env` runs `npm ci`
into node_modules/). It is injected from disk into each page through
playwright in Debian's Chromium, at 1366x768, offline (every request the page
makes must stay on disk), after its figures are drawn. The test lists every
serious and critical violation it finds: rule, impact, page, element and
axe's summary of what fails.

Skipped outside CI when node_modules/axe-core or Chromium is missing (the
reason is given); under CI=true a missing tool is a failure.

    python tests/axe_audit.py [DIR]    # counts by impact and rule, per page
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

import html_edition  # noqa: E402
from browser_helpers import chromium_available, launch_browser  # noqa: E402

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 1366, "height": 768}
FAILING = ("serious", "critical")
ON_DISK = ("file://", "data:", "blob:", "about:")

# Every figure drawn (plotly.js is 4.6 MB of script: parsing it takes a while on
# a loaded machine), so that axe sees the page a reader sees.
JS_DRAWN = ("[...document.querySelectorAll('.deirezzor-figure')]"
            ".every(d => d.querySelector('.main-svg'))")
# WCAG 2.0/2.1 A and AA plus axe's best practices (landmarks, empty headers).
JS_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact,
                              summary: n.failureSummary}))}));
}"""


def pages(edition: Path) -> list[Path]:
    return [edition / "index.html", *sorted(edition.glob("student/*.html")),
            *sorted(edition.glob("instructor/*.html"))]


def audit(edition: Path) -> tuple[list[dict], list[str], int]:
    """Every violation node on every page ({page, id, impact, help, target,
    summary}), every URL the pages asked for that is not on disk, and how many
    pages axe ran on."""
    from playwright.sync_api import sync_playwright
    found, remote, audited = [], [], 0
    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(ON_DISK) else None)
            for path in pages(edition):
                page.goto(path.as_uri())
                page.wait_for_function(JS_DRAWN, timeout=180_000)
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(JS_AXE)
                audited += 1
                for v in violations:
                    for n in v["nodes"]:
                        found.append({"page": str(path.relative_to(edition)), "id": v["id"],
                                      "impact": n["impact"] or v["impact"], "help": v["help"],
                                      "target": n["target"], "summary": n["summary"]})
        finally:
            browser.close()
    return found, remote, audited


def counts(found: list[dict]) -> str:
    by_impact = Counter(f["impact"] for f in found)
    by_rule = Counter((f["impact"], f["id"]) for f in found)
    lines = [", ".join(f"{k}: {by_impact[k]}" for k in ("critical", "serious", "moderate", "minor"))]
    lines += [f"  {impact:9} {rule}: {n}" for (impact, rule), n in sorted(by_rule.items())]
    return "\n".join(lines)


def _missing() -> str | None:
    if not AXE.is_file():
        return (f"the accessibility audit did NOT run: {AXE.relative_to(ROOT)} is missing; `make test` installs "
                "it with npm ci when npm is on PATH (Debian/Ubuntu: apt-get install nodejs npm)")
    if not chromium_available():
        return ("the accessibility audit did NOT run: Chromium not found "
                "(apt-get install chromium, or set DEIREZZOR_CHROMIUM)")
    return None


if __name__ == "__main__":
    where = Path(sys.argv[1]) if len(sys.argv) > 1 else html_edition.OUT
    found, remote, _ = audit(where)
    print(counts(found))
    per_page = Counter((f["page"], f["impact"]) for f in found)
    for (pg, impact), n in sorted(per_page.items()):
        print(f"{pg:45} {impact:9} {n}")
    if remote:
        print("requests off disk:", remote)
