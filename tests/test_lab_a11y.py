"""Accessibility of the student notebooks in JupyterLab, in the real browser
(Debian's Chromium through playwright), with the student set-up of
``make lab`` (tools/jupyter-student on JUPYTER_CONFIG_PATH).

1. axe-core (from npm: node_modules/axe-core, injected from disk) after Run
   All, at 1366x768, over each student notebook.  Every violation is
   classified by where its element sits: OUR content (rendered markdown,
   outputs, figures) or JupyterLab's own chrome (toolbar, cell prompts,
   CodeMirror editors, menus, side bars, status bar).  Our content must have
   0 serious and 0 critical violations; the chrome's counts are printed
   (``pytest -s``), not asserted: they are JupyterLab's, not ours.
2. Keyboard only (no mouse event at all): open a notebook, Escape (command
   mode), Shift+Enter once per cell -> every code cell has an execution count;
   K to the top, J down to each exercise's answer cell, Enter (edit mode: the
   cell's editor has the focus), Escape; at the first exercise type an answer
   line, Shift+Enter twice (the answer, then its check) -> the check's output
   changes.

Skipped outside CI when Chromium or node_modules/axe-core is missing (the
reason says how to install it); under CI=true a missing tool is a failure.

    python tests/test_lab_a11y.py     # the axe counts, per notebook
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_helpers as bh  # noqa: E402
from system_tools import missing  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
STUDENT_CONFIG = REPO / "tools" / "jupyter-student"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
RELEASE_FILES = bh.notebook_paths()
KEYBOARD_NOTEBOOKS = [p for p in RELEASE_FILES if p.name.startswith(("00-", "03-"))]
IMPACTS = ("critical", "serious", "moderate", "minor")
FAILING = ("critical", "serious")

# Our content: what the notebooks put on the page.  Everything else is
# JupyterLab's.  The input prompt ("[3]:") and the editor belong to JupyterLab
# even inside a cell.
OURS = ".jp-RenderedMarkdown, .jp-OutputArea-output, .jp-RenderedPlotly, .js-plotly-plot"
# axe runs on the notebook's content only: every rendered markdown cell and
# every output area.
JS_AXE = """async ([ours, scope]) => {
  const context = scope === 'content'
    ? {include: [...document.querySelectorAll('.jp-Notebook .jp-RenderedMarkdown, .jp-Notebook .jp-Cell-outputArea')]
         .map(e => e)}
    : document;
  // JupyterLab's shell is absolutely positioned, so <body> is 0 px tall with
  // overflow hidden: axe then takes every element for clipped, and its visual
  // rules (color-contrast) test no text at all.  Give <html> and <body> the
  // window's height while axe runs (nothing moves on screen), then restore.
  const h = [document.documentElement.style.height, document.body.style.height];
  document.documentElement.style.height = '100%';
  document.body.style.height = '100%';
  let r, contrast = 0;
  const swept = [];
  try {
    r = await axe.run(context, {resultTypes: ['violations'], elementRef: true});
    if (scope === 'content') {
      // color-contrast tests only what is in the window: scroll the notebook
      // a window at a time and test each (every text of ours, at 1366x768).
      const outer = document.querySelector('.jp-WindowedPanel-outer');
      const tested = new Set(), seen = new Set();
      for (const v of r.violations) for (const n of v.nodes) seen.add(n.element);
      const frame = () => new Promise(res => requestAnimationFrame(() => requestAnimationFrame(res)));
      for (let top = 0; ; top += Math.max(200, outer.clientHeight - 100)) {
        outer.scrollTop = top;
        await frame();
        const c = await axe.run(context, {runOnly: ['color-contrast'], elementRef: true});
        for (const v of [...c.passes, ...c.violations]) for (const n of v.nodes) tested.add(n.element);
        for (const v of c.violations) for (const n of v.nodes)
          if (!seen.has(n.element)) { seen.add(n.element); swept.push({v, n}); }
        if (top + outer.clientHeight >= outer.scrollHeight) break;
      }
      contrast = tested.size;  // how many texts of ours axe really tested for contrast
    }
  } finally { [document.documentElement.style.height, document.body.style.height] = h; }
  const where = (el) => {
    if (!el) return 'unknown';
    if (el.closest(ours)) return 'ours';
    if (el.closest('.jp-collapseHeadingButton')) return 'chrome: heading collapser';
    if (el.closest('.jp-InputPrompt, .jp-OutputPrompt, .jp-InputArea-prompt, .jp-OutputArea-prompt')) return 'chrome: cell prompt';
    if (el.closest('.cm-editor, .jp-InputArea-editor')) return 'chrome: CodeMirror editor';
    if (el.closest('.jp-Toolbar, .jp-NotebookPanel-toolbar')) return 'chrome: toolbar';
    if (el.closest('.lm-MenuBar, .lm-Menu, #jp-top-panel, #jp-menu-panel')) return 'chrome: menus';
    if (el.closest('.jp-SideBar, #jp-left-stack, #jp-right-stack, .jp-FileBrowser')) return 'chrome: side bars';
    if (el.closest('.jp-StatusBar-Widget, #jp-bottom-panel, .jp-StatusBar')) return 'chrome: status bar';
    if (el.closest('.lm-TabBar, .lm-DockPanel-tabBar')) return 'chrome: tab bar';
    if (el.closest('.jp-Notebook')) return 'chrome: notebook frame';
    return 'chrome: other';
  };
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  const cellOf = (el) => { const c = el && el.closest('.jp-Cell'); return c ? cells.indexOf(c) : null; };
  const out = [];
  for (const {v, n} of [...r.violations.flatMap(v => v.nodes.map(n => ({v, n}))), ...swept])
      out.push({id: v.id, impact: n.impact || v.impact, help: v.help, where: where(n.element), cell: cellOf(n.element),
                target: n.target.join(' '), summary: (n.failureSummary || '').split('\\n').slice(-1)[0].trim(),
                html: (n.html || '').slice(0, 160)});
  return {nodes: out, contrast};
}"""


def _need_tools() -> None:
    if not bh.chromium_available():
        missing(f"Chromium not found at {bh.CHROMIUM}: the JupyterLab accessibility checks did NOT run. "
                "Install it with `apt-get install -y chromium` or set DEIREZZOR_CHROMIUM.")
    if not AXE.is_file():
        missing(f"{AXE.relative_to(REPO)} is missing: the axe-core audit in JupyterLab did NOT run; "
                "`make classroom-env` (npm ci) installs it (Debian/Ubuntu: apt-get install nodejs npm).")


@pytest.fixture(scope="module")
def lab():
    _need_tools()
    from playwright.sync_api import sync_playwright
    with bh.LabServer(config_path=STUDENT_CONFIG) as server, sync_playwright() as p:
        browser = bh.launch_browser(p)
        try:
            yield server, browser
        finally:
            browser.close()


def _open(browser, server: bh.LabServer, name: str):
    context = browser.new_context(viewport={"width": bh.LAPTOP[0], "height": bh.LAPTOP[1]})
    page = context.new_page()
    bh.open_in_lab(page, server, name, timeout_ms=90_000)
    return context, page


def audit(browser, server: bh.LabServer, nb_path: Path) -> dict:
    """Run All, then axe over the content and over the whole page: {scope: [violation nodes]}."""
    context, page = _open(browser, server, nb_path.name)
    try:
        bh._menu(page, "Run", "runmenu:run-all")
        state = page.wait_for_function(bh.JS_RUN_STATE, timeout=180_000, polling=100).json_value()
        assert state == "done", f"{nb_path.name}: Run All stopped on an error: {page.evaluate(bh.JS_ERRORS, bh.SEL_ERRORS)}"
        expected = bh.figure_cell_count(nb_path)
        if expected:
            page.wait_for_function(bh.JS_FIGURES_DRAWN, arg=expected, timeout=60_000, polling=100)
        page.add_script_tag(path=str(AXE))
        scoped = page.evaluate("() => document.querySelectorAll("
                               "'.jp-Notebook .jp-RenderedMarkdown, .jp-Notebook .jp-Cell-outputArea').length")
        content = page.evaluate(JS_AXE, [OURS, "content"])
        return {"scoped": scoped, "content": content["nodes"], "contrast_tested": content["contrast"],
                "page": page.evaluate(JS_AXE, [OURS, "page"])["nodes"],
                "figures": expected}
    finally:
        context.close()
        server.shutdown_kernels()


def counts(nodes: list[dict]) -> str:
    c = Counter(n["impact"] for n in nodes)
    return " ".join(f"{k} {c[k]}" for k in IMPACTS)


def by_rule(nodes: list[dict]) -> str:
    c = Counter((n["where"], n["impact"], n["id"]) for n in nodes)
    return "\n".join(f"    {w:28} {i:9} {r}: {k}" for (w, i, r), k in sorted(c.items()))


@pytest.mark.parametrize("nb_path", RELEASE_FILES, ids=[p.stem for p in RELEASE_FILES])
def test_axe_no_serious_or_critical_violation_in_our_content(lab, nb_path):
    server, browser = lab
    found = audit(browser, server, nb_path)
    content, whole = found["content"], found["page"]
    ours = [n for n in whole if n["where"] == "ours"]
    chrome = [n for n in whole if n["where"] != "ours"]
    print(f"\n{nb_path.stem}: our content (axe on the cells; {found['contrast_tested']} texts tested for contrast): "
          f"{counts(content)}; "
          f"whole page, ours: {counts(ours)}; JupyterLab's chrome: {counts(chrome)}")
    print(by_rule(whole))
    for n in content:
        print(f"    ours: cell {n['cell']}: {n['impact']} {n['id']}: {n['summary']} | {n['html'][:80]}")
    # axe looked at our content: the markdown cells and the outputs were there
    assert found["scoped"] >= len(_cells(nb_path)) // 2, found["scoped"]
    # ... and tested the colour contrast of its texts (see JS_AXE: <body>'s height)
    assert found["contrast_tested"] >= found["scoped"], found["contrast_tested"]
    bad = [n for n in content + ours if n["impact"] in FAILING]
    assert not bad, "\n".join(f"{n['impact']} {n['id']} {n['target']}: {n['summary']} | {n['html']}"
                              for n in bad[:30])


def test_axe_in_lab_finds_a_violation_we_plant(lab, tmp_path):
    """The audit can fail: a markdown cell with a link without text, and
    an output with grey-on-white text and an unnamed button, are serious or
    critical violations counted as ours.  (JupyterLab's sanitizer strips
    inline styles from an untrusted notebook's markdown, so the faint text
    is planted in an output, which is trusted once run; and it gives an
    <img> without alt text the alt "Image", so that cannot be planted.)"""
    server, browser = lab
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "id": "a",
         "source": 'A link without text: <a href="planted.html"></a>'},
        {"cell_type": "code", "metadata": {}, "id": "b", "execution_count": None, "outputs": [],
         "source": 'from IPython.display import HTML\nHTML("<p style=\'color:#b0b0b0\'>faint text</p><button></button>")'}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}
    name = "zz-planted.ipynb"
    (server.root / name).write_text(json.dumps(nb), encoding="utf-8")
    found = audit(browser, server, server.root / name)
    ours = {n["id"] for n in found["content"] if n["impact"] in FAILING and n["where"] == "ours"}
    assert {"link-name", "color-contrast", "button-name"} <= ours, found["content"]


# --- keyboard only ------------------------------------------------------------------
JS_ACTIVE = """() => { const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  const i = cells.findIndex(c => c.classList.contains('jp-mod-active'));
  const a = document.activeElement;
  return {index: i, editing: i >= 0 && !!a && !!a.closest('.cm-editor') && cells[i].contains(a),
          mode: document.querySelector('.jp-Notebook').classList.contains('jp-mod-editMode') ? 'edit' : document.querySelector('.jp-Notebook').classList.contains('jp-mod-commandMode') ? 'command' : '',
          focus_in_notebook: !!a && !!a.closest('.jp-Notebook')}; }"""
JS_PROMPTS = """(n) => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].slice(0, n).map(c =>
  c.classList.contains('jp-CodeCell') ? (c.querySelector('.jp-InputArea-prompt') || {}).textContent || '' : null)"""
JS_OUTPUT = """(i) => { const c = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
  const o = c && c.querySelector('.jp-OutputArea'); return o ? o.textContent.trim() : ''; }"""


def _cells(nb_path: Path) -> list[dict]:
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


def _solutions(cells: list[dict]) -> list[int]:
    return [i for i, c in enumerate(cells) if "solution" in c.get("metadata", {}).get("tags", [])]


def _go_to(page, index: int, n: int) -> dict:
    """From anywhere, K to the first cell (n presses), then J down to ``index``."""
    for _ in range(n):
        page.keyboard.press("k")
    for _ in range(index):
        page.keyboard.press("j")
    return page.evaluate(JS_ACTIVE)


@pytest.mark.parametrize("nb_path", KEYBOARD_NOTEBOOKS, ids=[p.stem for p in KEYBOARD_NOTEBOOKS])
def test_keyboard_only_runs_every_cell_and_reaches_every_exercise(lab, nb_path):
    server, browser = lab
    cells = _cells(nb_path)
    n = len(cells)
    solutions = _solutions(cells)
    code_solutions = [i for i in solutions if cells[i]["cell_type"] == "code"]
    assert code_solutions, f"{nb_path.name}: no exercise answer cell to reach"
    context, page = _open(browser, server, nb_path.name)
    try:
        page.keyboard.press("Escape")
        state = page.evaluate(JS_ACTIVE)
        assert state["focus_in_notebook"] and state["mode"] == "command", \
            f"after opening and Escape the keyboard is not in the notebook: {state}"
        assert state["index"] == 0, state
        # 1. Shift+Enter once per cell runs them all, top to bottom
        for _ in range(n):
            page.keyboard.press("Shift+Enter")
        page.wait_for_function(
            """(n) => { const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
              const p = [...document.querySelectorAll('.jp-Notebook .jp-Cell')].slice(0, n)
                .filter(c => c.classList.contains('jp-CodeCell')).map(c => c.querySelector('.jp-InputArea-prompt').textContent);
              return ind && ind.dataset.status === 'idle' && p.every(t => /\\[\\d+\\]/.test(t)); }""",
            arg=n, timeout=180_000, polling=200)
        prompts = page.evaluate(JS_PROMPTS, n)
        unrun = [i for i, p in enumerate(prompts) if p is not None and "[" not in p or (p or "").strip() == "[ ]:"]
        assert not unrun, f"code cells without an execution count after {n} x Shift+Enter: {unrun}"
        assert not page.evaluate(bh.JS_ERRORS, bh.SEL_ERRORS)
        # 2. every exercise's answer cell is reachable with J and editable with Enter
        page.keyboard.press("Escape")
        reached = []
        for i in solutions:
            where = _go_to(page, i, n + 1)
            page.keyboard.press("Enter")
            page.wait_for_timeout(150)
            now = page.evaluate(JS_ACTIVE)
            reached.append((i, where["index"], now["editing"]))
            page.keyboard.press("Escape")
        assert all(idx == i and editing for i, idx, editing in reached), \
            f"(answer cell, cell reached with J, editor has focus after Enter): {reached}"
        # 3. answer the first exercise with the keyboard: its check's output changes
        first = code_solutions[0]
        check = first + 1
        assert "check" in cells[check]["metadata"].get("tags", []), "the cell after the answer is not its check"
        before = page.evaluate(JS_OUTPUT, check)
        assert before, "the check cell had no output after running every cell"
        var = "".join(cells[first]["source"]).split("=")[0].strip()
        _go_to(page, first, n + 1)
        page.keyboard.press("Enter")
        page.keyboard.press("Control+a")
        page.keyboard.type(f'{var} = ["typed with the keyboard"]')
        page.keyboard.press("Shift+Enter")   # runs the answer, selects the check
        page.keyboard.press("Shift+Enter")   # runs the check
        page.wait_for_function(f"() => ({JS_OUTPUT})({check}) !== {json.dumps(before)}", timeout=60_000, polling=200)
        after = page.evaluate(JS_OUTPUT, check)
        print(f"\n{nb_path.stem}: {n} cells run with Shift+Enter; answer cells reached {[r[0] for r in reached]}; "
              f"check {cells[check]['source'][:1]} before: {before[:80]!r} after: {after[:80]!r}")
        assert after and after != before
    finally:
        context.close()
        server.shutdown_kernels()


if __name__ == "__main__":
    _need_tools()
    from playwright.sync_api import sync_playwright
    with bh.LabServer(config_path=STUDENT_CONFIG) as server, sync_playwright() as p:
        browser = bh.launch_browser(p)
        try:
            for nb_path in RELEASE_FILES[:int(sys.argv[1])] if len(sys.argv) > 1 else RELEASE_FILES:
                found = audit(browser, server, nb_path)
                whole = found["page"]
                print(f"{nb_path.stem}: content {counts(found['content'])} ({found['contrast_tested']} contrast tests); "
                      f"page ours {counts([n for n in whole if n['where'] == 'ours'])}; "
                      f"chrome {counts([n for n in whole if n['where'] != 'ours'])}")
                print(by_rule(whole))
                for n in found["content"] if len(sys.argv) < 3 else found["page"]:
                    print("   ", n["impact"], n["id"], f"cell {n['cell']}", n["where"], "|", n["summary"], "|", n["html"])
        finally:
            browser.close()
