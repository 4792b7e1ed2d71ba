"""Shared helpers: a private JupyterLab server and a headless Chromium that
runs a notebook the way a student does (open it, Run All, look at it).

Used by tests/test_browser.py and tools/benchmark.py (one copy of the logic).

* ``LabServer``: JupyterLab on 127.0.0.1, a free port, token auth ON with a
  random token, update checks and news off, root_dir = a temporary COPY of the
  notebooks (running cells never touches the repository's files), and its own
  settings/workspaces folders (nothing read from or written to ~/.jupyter).
* ``launch_browser``: Debian's /usr/bin/chromium driven by the ``playwright``
  package (``playwright install`` is never used: it would download a browser).
* ``run_notebook``: open a notebook (the copy has its stored outputs removed),
  wait for its kernel, Run All, wait until every code cell has an execution count and the
  kernel is idle, then collect what the page shows and every URL it asked for.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parent.parent
RELEASE = REPO / "notebooks"   # the release: what students open
CHROMIUM = Path(os.environ.get("DEIREZZOR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}

# JupyterLab 4 attaches off-screen cells lazily by default; the checks count
# figures in the DOM, so every cell is attached ("none" = no windowing) --
# which is also what the project's environment gives students
# (tools/lab_settings.py writes it into JupyterLab's overrides.json).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}

# Selectors, in one place.
SEL_FIGURE = ".js-plotly-plot"
SEL_MARKS = (".scatterlayer .trace path, .barlayer .trace path, .pielayer .slice path, "
             ".boxlayer .trace path, .geolayer .trace path, .heatmaplayer image")
SEL_ERRORS = ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
              '.jp-RenderedText')
# Run All has finished when the kernel is idle and every code cell has an
# execution count -- or, if a cell raised, when the kernel is idle with a
# traceback on the page (JupyterLab stops running the cells after an error).
JS_RUN_STATE = """() => {
  const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
  if (!ind || ind.dataset.status !== 'idle') return false;
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
  if (prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent))) return 'done';
  if ([...document.querySelectorAll('.jp-OutputArea-output')].some(o => o.textContent.includes('Traceback')))
    return 'error';
  return false;
}"""
JS_UNEXECUTED = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
  .filter(p => !/\\[\\d+\\]/.test(p.textContent)).length"""
# The toolbar's execution indicator says "idle" before the kernel has even
# connected; the status bar's "Python 3 (ipykernel) | Idle" is the real thing.
JS_KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-Widget *')]
  .some(e => e.children.length === 0 && /\\|\\s*Idle\\s*$/.test(e.textContent))"""
JS_FIGURES_DRAWN = """(n) => {
  const figs = [...document.querySelectorAll('.js-plotly-plot')].filter(f => !f.dataset.stored);
  return figs.length >= n && figs.every(f => f.querySelector('.main-svg') && f.querySelector('.gtitle'));
}"""
JS_FIGURE_INFO = """(sel) => [...document.querySelectorAll('.js-plotly-plot')].map(f => ({
  marks: f.querySelectorAll(sel).length,
  title: (f.querySelector('.gtitle') || {}).textContent || '',
  stored: !!f.dataset.stored,
}))"""
# Layout measured in the page, per figure, with element bounding boxes
# (viewport coordinates).  Tolerance 1 px for rounding.
# Every font family a figure names (its layout, template and traces) set to one
# family; the next redraw (a window resize) lays the figure out again in it.  A
# Chromium that has the family draws and measures exactly what a machine with
# only that family would (tests/test_browser.py compares the two).
JS_REFONT = """(family) => { let n = 0;
  const walk = (o) => { if (!o || typeof o !== 'object') return;
    for (const k of Object.keys(o)) {
      if (k === 'family' && typeof o[k] === 'string') { o[k] = family; n++; } else walk(o[k]); } };
  document.querySelectorAll('.js-plotly-plot').forEach(gd => { walk(gd.layout); walk(gd.data); });
  return n; }"""

# Where every text of every figure is drawn, relative to its figure (so that scrolling, e.g. for a
# screenshot, changes nothing), and how wide: [x, y, width] (0.1 px).
JS_TEXT_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(f => {
  const o = (f.querySelector('.main-svg') || f).getBoundingClientRect();
  return [...f.querySelectorAll('text')].map(t => { const r = t.getBoundingClientRect();
    return [r.x - o.x, r.y - o.y, r.width].map(v => Math.round(v * 10) / 10); }); })"""

JS_LAYOUT = r"""() => {
  const R = e => { const b = e.getBoundingClientRect();
                   return {x: b.left, y: b.top, r: b.right, b: b.bottom, w: b.width, h: b.height}; };
  const inside = (a, o, tol = 1) => a.x >= o.x - tol && a.r <= o.r + tol && a.y >= o.y - tol && a.b <= o.b + tol;
  const overlap = (a, b, tol = 1) => Math.min(a.r, b.r) - Math.max(a.x, b.x) > tol
                                  && Math.min(a.b, b.b) - Math.max(a.y, b.y) > tol;
  const visible = e => { const b = e.getBoundingClientRect(); const cs = getComputedStyle(e);
                         return b.width > 0 && b.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none'
                                && cs.opacity !== '0' && (e.textContent || '').trim() !== ''; };
  const visible0 = e => { const b = e.getBoundingClientRect(); const cs = getComputedStyle(e);
                          return b.width > 0 && b.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none'
                                 && cs.opacity !== '0'; };
  const SNAKE = /\b[A-Za-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;
  const outer = document.querySelector('.jp-WindowedPanel-outer') || document.querySelector('.jp-Notebook');
  const area = R(outer);
  return [...document.querySelectorAll('.js-plotly-plot')].map((f, i) => {
    const svg = f.querySelector('.main-svg');
    const box = R(svg || f);
    const out = f.closest('.jp-OutputArea-output') || f.parentElement;
    const outBox = R(out);
    const res = {index: i + 1, width: Math.round(box.w), height: Math.round(box.h),
                 area_height: Math.round(outer ? outer.clientHeight : 0),
                 area_width: Math.round(outBox.w), title: '', problems: []};
    // 1. title (and subtitle) inside the figure
    for (const t of f.querySelectorAll('.gtitle, .gtitle-subtitle')) {
      if (!visible(t)) continue;
      if (t.classList.contains('gtitle')) res.title = t.textContent;
      const tb = R(t);
      if (!inside(tb, box)) res.problems.push(`title clipped: "${t.textContent.slice(0, 60)}" spans x ${Math.round(tb.x - box.x)}..${Math.round(tb.r - box.x)}, y ${Math.round(tb.y - box.y)}..${Math.round(tb.b - box.y)} px in a figure ${Math.round(box.w)} x ${Math.round(box.h)} px`);
    }
    // 2. figure fits its output area (no horizontal overflow) and the visible notebook area
    if (box.w > outBox.w + 1) res.problems.push(`figure ${Math.round(box.w)} px wide in an output area ${Math.round(outBox.w)} px wide`);
    if (outer && box.h > outer.clientHeight + 1) res.problems.push(`figure ${Math.round(box.h)} px tall, the visible notebook area is ${outer.clientHeight} px`);
    // 3. every legend entry inside the figure and inside the legend's visible (unscrolled) box
    const legend = f.querySelector('.legend');
    if (legend) {
      const bg = legend.querySelector('.bg');
      const lb = bg ? R(bg) : box;
      for (const e of legend.querySelectorAll('.traces')) {
        const eb = R(e.querySelector('.legendtext') || e);
        const name = e.textContent.trim().slice(0, 50);
        if (!inside(eb, box)) res.problems.push(`legend entry outside the figure: "${name}"`);
        else if (!inside(eb, lb, 2)) res.problems.push(`legend entry not visible without scrolling the legend: "${name}"`);
      }
    }
    // 4. data labels / annotations inside the figure, no two overlapping
    const labels = [...f.querySelectorAll('.textpoint text, .bartext, .annotation-text-g text, .annotation .annotation-text')]
      .filter(visible);
    const seen = new Set();
    const uniq = labels.filter(e => { if (seen.has(e)) return false; seen.add(e); return true; });
    const boxes = uniq.map(e => ({e, b: R(e), t: e.textContent.trim()}));
    for (const {b, t} of boxes)
      if (!inside(b, box)) res.problems.push(`label cut off at the figure's edge: "${t.slice(0, 40)}"`);
    // text on points is clipped at the plot area (plotly's cliponaxis): a
    // label of a clipped trace must lie inside the plot area it is drawn on
    const areas = [...f.querySelectorAll('.draglayer .nsewdrag')].map(R);
    for (const {e, b, t} of boxes) {
      if (!e.closest('.textpoint') || !e.closest('[clip-path]')) continue;
      const area = areas.find(a => overlap(b, a, 0));
      if (area && !inside(b, area, 2)) res.problems.push(`label cut off by the plot area: "${t.slice(0, 40)}"`);
    }
    for (let a = 0; a < boxes.length; a++)
      for (let b = a + 1; b < boxes.length; b++)
        if (overlap(boxes[a].b, boxes[b].b))
          res.problems.push(`labels overlap: "${boxes[a].t.slice(0, 40)}" and "${boxes[b].t.slice(0, 40)}"`);
    // 5. a data label over a marker of another trace (a diamond, a tick, an arrow)
    const marks = [...f.querySelectorAll('.scatterlayer .trace .points path')].filter(visible0)
      .map(e => ({trace: e.closest('.trace'), b: R(e)})).filter(m => m.b.w > 0 && m.b.h > 0);
    for (const {e, b, t} of boxes) {
      const trace = e.closest('.trace');
      const hit = marks.find(m => m.trace !== trace && overlap(b, m.b, 2));
      if (hit) res.problems.push(`label over a marker: "${t.slice(0, 40)}"`);
    }
    // 6. axis titles clear of the title, the subtitle, the legend, the tick labels and the data labels
    const texts = sel => [...f.querySelectorAll(sel)].filter(visible).map(e => ({b: R(e), t: e.textContent.trim()}));
    const legendBg = f.querySelector('.legend .bg');
    const others = [
      ...texts('.gtitle').map(x => ({...x, what: 'the title'})),
      ...texts('.gtitle-subtitle').map(x => ({...x, what: 'the subtitle'})),
      ...(legendBg ? [{b: R(legendBg), t: 'legend', what: 'the legend'}] : []),
      ...texts('.xtick text, .ytick text, .x2tick text, .y2tick text').map(x => ({...x, what: 'a tick label'})),
      ...boxes.map(x => ({b: x.b, t: x.t, what: 'a data label'})),
    ];
    for (const a of texts('.g-xtitle text, .g-ytitle text, .g-x2title text, .g-y2title text')) {
      for (const o of others)
        if (overlap(a.b, o.b, 1)) res.problems.push(`axis title over ${o.what}: "${a.t.slice(0, 40)}" and "${o.t.slice(0, 40)}"`);
      if (!inside(a.b, box)) res.problems.push(`axis title cut off at the figure's edge: "${a.t.slice(0, 40)}"`);
    }
    // 8. the tick labels of one axis clear of each other (slanted ones are left out: their
    //    bounding boxes overlap where the glyphs do not)
    const ticks = {};
    for (const t of f.querySelectorAll('.xtick text, .ytick text, .x2tick text, .y2tick text')) {
      if (!visible(t) || /rotate\((?!0\))/.test(t.getAttribute('transform') || '')) continue;
      const axis = t.parentElement.getAttribute('class') || '';
      (ticks[axis] = ticks[axis] || []).push({b: R(t), t: t.textContent.trim()});
    }
    for (const list of Object.values(ticks))
      for (let a = 0; a < list.length; a++)
        for (let b = a + 1; b < list.length; b++)
          if (overlap(list[a].b, list[b].b, 1))
            res.problems.push(`tick labels overlap: "${list[a].t.slice(0, 30)}" and "${list[b].t.slice(0, 30)}"`);
    // 7. no visible text is a snake_case identifier
    for (const t of f.querySelectorAll('svg text')) {
      if (t.closest('.hoverlayer') || !visible(t)) continue;
      const m = (t.textContent || '').match(SNAKE);
      if (m) res.problems.push(`raw identifier in visible text: ${[...new Set(m)].join(', ')} (in "${t.textContent.slice(0, 60)}")`);
    }
    res.labels = boxes.length;
    return res;
  });
}"""
# --- Timeline of Run All, measured in the page (the benchmark; tests don't use it).
# Installed before JupyterLab loads: logs every kernel message the page sends
# or receives over the kernel's WebSocket (type, the kernel's own header date,
# the page's clock) and the moment "Run All Cells" is pressed in the menu.
JS_TIMELINE_INIT = r"""(() => {
  const log = window.__deirezzorWS = [];
  const dec = new TextDecoder();
  const parse = (data) => {  // JupyterLab 4 speaks v1.kernel.websocket.jupyter.org (binary) or JSON
    try {
      if (typeof data === 'string') { const m = JSON.parse(data);
        return Object.assign(m, {plotly: JSON.stringify(m.content || {}).includes('application/vnd.plotly.v1+json')}); }
      if (ArrayBuffer.isView(data)) data = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      if (!(data instanceof ArrayBuffer)) return null;
      const dv = new DataView(data);
      const n = Number(dv.getBigUint64(0, true));
      const offs = [];
      for (let i = 0; i < n; i++) offs.push(Number(dv.getBigUint64(8 * (i + 1), true)));
      offs.push(data.byteLength);
      const part = i => dec.decode(new Uint8Array(data, offs[i], offs[i + 1] - offs[i]));
      const header = JSON.parse(part(1));
      const t = header.msg_type;
      return {header, parent_header: JSON.parse(part(2)), size: data.byteLength,
              content: t === 'status' ? JSON.parse(part(4)) : {},
              plotly: (t === 'display_data' || t === 'execute_result') && part(4).includes('application/vnd.plotly.v1+json')};
    } catch (e) { return null; }
  };
  const Orig = window.WebSocket;
  class Logged extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', ev => {
        const t = performance.now(), m = parse(ev.data);
        if (!m || !m.header) return;
        log.push({dir: 'in', t, type: m.header.msg_type, kdate: Date.parse(m.header.date),
                  parent: (m.parent_header || {}).msg_id, state: (m.content || {}).execution_state, plotly: !!m.plotly,
                  size: m.size || ev.data.length || ev.data.byteLength || 0});
      });
    }
    send(data) {
      const m = parse(data);
      if (m && m.header) log.push({dir: 'out', t: performance.now(), type: m.header.msg_type, id: m.header.msg_id});
      return super.send(data);
    }
  }
  window.WebSocket = Logged;
  document.addEventListener('pointerdown', ev => {
    if (ev.target.closest && ev.target.closest("li.lm-Menu-item[data-command='runmenu:run-all']"))
      log.push({dir: 'click', t: performance.now(), now: Date.now()});
  }, true);
})();"""
# Installed just before Run All: when each cell gets its execution count, and
# when each figure this run draws appears (.main-svg and title), is painted
# (the next animation frame) and how often plotly draws it again
# (plotly_afterplot: the extension's redraw, resize; its toImage clone is a
# separate, off-screen div and not counted).
JS_TIMELINE_OBSERVE = r"""() => {
  const log = window.__deirezzorObs = [];
  const rec = (kind, i) => log.push({kind, i, t: performance.now()});
  const figs = new Map(), prompts = new Map();
  const scan = () => {
    document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt').forEach((p, i) => {
      const m = /\[(\d+)\]/.exec(p.textContent);
      if (m && prompts.get(i) !== m[1]) { prompts.set(i, m[1]); rec('exec', i); } });
    document.querySelectorAll('.jp-Notebook .jp-RenderedPlotly').forEach(f => {
      if (f.dataset.stored) return;
      if (!figs.has(f)) { figs.set(f, figs.size); rec('fig-output', figs.get(f)); }
      const i = figs.get(f);
      if (!f.__drawn && f.querySelector('.main-svg') && f.querySelector('.gtitle')) {
        f.__drawn = 1; rec('fig-drawn', i); requestAnimationFrame(() => rec('fig-painted', i)); }
      if (!f.__hooked && typeof f.emit === 'function') {
        f.__hooked = 1; const emit = f.emit;
        f.emit = function (name, ...a) { if (name === 'plotly_afterplot') rec('fig-plot', i); return emit.call(this, name, ...a); }; }
    });
  };
  new MutationObserver(scan).observe(document.querySelector('.jp-Notebook'),
                                     {subtree: true, childList: true, characterData: true});
}"""


def _timeline(ws: list, obs: list) -> dict:
    """Run All, in seconds from pressing "Run All Cells" (the page's clock;
    the kernel's own timestamps are on the same machine's clock)."""
    click = next((e for e in ws if e["dir"] == "click"), None)
    if click is None:
        return {}
    t0, epoch0 = click["t"], click["now"]
    s = lambda t: round((t - t0) / 1000, 3)  # noqa: E731
    k = lambda d: round((d - epoch0) / 1000, 3)  # noqa: E731
    incoming = [e for e in ws if e["dir"] == "in"]
    requests = [e for e in ws if e["dir"] == "out" and e["type"] == "execute_request"]
    ids = {e["id"] for e in requests}
    replies = [e for e in incoming if e["type"] == "execute_reply" and e["parent"] in ids]
    busy = [e for e in incoming if e["type"] == "status" and e["state"] == "busy" and e["parent"] in ids]
    idle = [e for e in incoming if e["type"] == "status" and e["state"] == "idle" and e["parent"] in ids]
    execs = [e for e in obs if e["kind"] == "exec"]
    figs = {}
    for e in obs:
        if e["kind"].startswith("fig-"):
            f = figs.setdefault(e["i"], {"plots": 0})
            if e["kind"] == "fig-plot":
                f["plots"] += 1
            else:
                f.setdefault(e["kind"][4:], s(e["t"]))
    shown = [e for e in incoming if e.get("plotly") and e["parent"] in ids]  # figure bundles, in order
    # every cell has its count and the kernel said idle after the last one
    cells_done = max([s(execs[-1]["t"])] if execs else [0.0])
    if idle and replies and idle[-1]["t"] >= replies[-1]["t"]:
        cells_done = max(cells_done, s(idle[-1]["t"]))
    painted = [f.get("painted", f.get("drawn")) for f in figs.values()]
    return {
        "requests_sent_s": s(requests[-1]["t"]) if requests else None,
        "kernel_first_busy_s": k(busy[0]["kdate"]) if busy else None,
        "kernel_last_reply_s": k(replies[-1]["kdate"]) if replies else None,
        "page_last_reply_s": s(replies[-1]["t"]) if replies else None,
        "cells_done_s": cells_done,
        "last_figure_s": max(painted) if painted and None not in painted else None,
        "figures": [dict(figs[i], **({"kernel_sent": k(m["kdate"]), "page_got": s(m["t"]),
                                      "kb": round(m["size"] / 1024)} if m else {}))
                    for i, m in zip(sorted(figs), shown + [None] * len(figs))],
    }


JS_TAB_DIRTY = """() => { const t = document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current');
  return t ? t.classList.contains('jp-mod-dirty') : null; }"""
JS_ERRORS = """(sel) => [...document.querySelectorAll(sel)]
  .map(e => e.textContent).filter(t => t.includes('Traceback'))"""


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def notebook_paths() -> list[Path]:
    return sorted(RELEASE.glob("*.ipynb"))


def figure_cell_count(nb_path: Path) -> int:
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    return sum(1 for c in nb["cells"] if "figure" in c.get("metadata", {}).get("tags", []))


def without_outputs(nb_path: Path) -> str:
    """The notebook's JSON with outputs and execution counts removed: what is
    counted after Run All was then produced by that run, not stored."""
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and (parts.hostname or "") in LOCAL_HOSTS


class LabServer:
    """``with LabServer() as lab: lab.url("lab/tree/x.ipynb")``"""

    def __init__(self, notebooks: Path = RELEASE, python: str = sys.executable,
                 timeout: float = 60.0, keep_outputs: bool = False, env: dict | None = None,
                 app: str = "jupyterlab", config_path: Path | None = None):
        """``app``: "jupyterlab" or "notebook" (Notebook 7), started the same
        way.  ``config_path``: a folder put first on JUPYTER_CONFIG_PATH (the
        student set-up of ``make lab``: tools/jupyter-student)."""
        if app not in ("jupyterlab", "notebook"):
            raise ValueError(f"LabServer(app=...): 'jupyterlab' or 'notebook', not {app!r}")
        self.app = app
        self.config_path = Path(config_path).resolve() if config_path else None
        self.python = python
        self.timeout = timeout
        self.extra_env = dict(env or {})
        self.token = secrets.token_hex(24)
        self.port = free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="deirezzor-lab-"))
        self.root = self.tmp / "notebooks"
        self.root.mkdir()
        for nb in sorted(Path(notebooks).glob("*.ipynb")):
            if keep_outputs:  # as a student opens it (the benchmark)
                shutil.copyfile(nb, self.root / nb.name)
            else:  # what is counted after Run All was produced by that run
                (self.root / nb.name).write_text(without_outputs(nb), encoding="utf-8")
        self.log_path = self.tmp / "lab.log"
        self.proc: subprocess.Popen | None = None

    # -- life cycle
    def start(self) -> "LabServer":
        settings = self.tmp / "settings"
        for rel, value in LAB_SETTINGS.items():
            p = settings / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps(value), encoding="utf-8")
        env = dict(os.environ,
                   JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.tmp / "workspaces"),
                   JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
                   PYTHONDONTWRITEBYTECODE="1", **self.extra_env)
        if self.config_path:
            env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
                [str(self.config_path)] + ([env["JUPYTER_CONFIG_PATH"]] if env.get("JUPYTER_CONFIG_PATH") else []))
        cmd = [self.python, "-m", self.app, "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.news_url=None"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--ServerApp.allow_root=True")
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     env=env, cwd=self.tmp)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{self.log()}")
            try:
                self.api("status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise TimeoutError(f"JupyterLab did not answer /api/status in {self.timeout}s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "LabServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- helpers
    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(self.url(f"api/{path}"), method=method)
        with urllib.request.urlopen(req, timeout=5) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        for s in self.api("sessions") or []:
            self.api(f"sessions/{s['id']}", method="DELETE")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


# Font set-ups.  The house font list, "Inter, 'Helvetica Neue', Arial,
# sans-serif", resolves to a different font on each machine: Arial (Windows),
# Helvetica Neue (macOS), Liberation Sans (Linux with fonts-liberation: Arial's
# widths) or DejaVu Sans (a fresh Linux: noticeably wider).  The layout checks
# run under the two Linux ones, each in a Chromium that sees only the fonts of
# its set-up (a fontconfig file of our own, FONTCONFIG_FILE), so a figure that
# only fits in the narrower fonts fails here and not on a student's laptop.
# name -> (font folders, the family Chromium must end up using, Debian package)
FONT_SETUPS = {
    "dejavu": (["/usr/share/fonts/truetype/dejavu"], "DejaVu Sans", "fonts-dejavu-core"),
    "liberation": (["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/dejavu"],
                   "Liberation Sans", "fonts-liberation"),
}


def font_setup_missing(name: str) -> str | None:
    """Why the font set-up ``name`` cannot be made on this machine, or None."""
    folders, family, package = FONT_SETUPS[name]
    for folder in folders:
        if not any(Path(folder).glob("*.ttf")):
            return (f"no fonts in {folder}: the '{name}' font set-up ({family}) needs the Debian "
                    f"package {package} (`apt-get install -y {package}`)")
    return None


def fontconfig_file(name: str, folder: Path) -> Path:
    """A fontconfig configuration that knows only the fonts of set-up ``name``
    (plus the system's rules, e.g. Arial -> Liberation Sans, which Chromium
    accepts as metric-compatible), written into ``folder``."""
    folders, _family, _package = FONT_SETUPS[name]
    folder.mkdir(parents=True, exist_ok=True)
    dirs = "\n".join(f"  <dir>{f}</dir>" for f in folders)
    conf = folder / f"fonts-{name}.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"{dirs}\n  <cachedir>{folder / ('cache-' + name)}</cachedir>\n"
        '  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n</fontconfig>\n',
        encoding="utf-8")
    return conf


def launch_browser(playwright, fonts: str | None = None):
    """Debian's Chromium, headless.  ``fonts``: a key of FONT_SETUPS -- the
    browser then sees only those fonts; None: the machine's own fonts."""
    env = None
    if fonts is not None:
        conf = fontconfig_file(fonts, Path(tempfile.gettempdir()) / f"deirezzor-fonts-{os.getpid()}")
        env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)


# The family Chromium really used to draw a figure's title (CSS.getPlatformFontsForNode).
def used_font(page, selector: str = ".js-plotly-plot .gtitle") -> str:
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            return ""
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return max(fonts, key=lambda f: f["glyphCount"])["familyName"] if fonts else ""
    finally:
        cdp.detach()


@dataclass
class RunResult:
    name: str
    expected_figures: int
    figures: list = field(default_factory=list)     # [{marks, title}]
    errors: list = field(default_factory=list)      # texts of error outputs
    requests: list = field(default_factory=list)    # every URL requested
    state: str = ""          # "done" or "error" (a cell raised)
    unexecuted: int = -1     # code cells without an execution count after the run
    open_s: float = 0.0      # goto -> kernel idle
    run_s: float = 0.0       # Run All -> all cells executed, kernel idle
    drawn_s: float = 0.0     # opening the Run menu -> all figures drawn (playwright polls every 50 ms)
    screenshot: Path | None = None
    viewport: tuple = (0, 0)
    dirty_on_open: bool | None = None   # the tab's "modified" mark once the kernel is idle
    layout: list = field(default_factory=list)  # JS_LAYOUT per figure
    load: float = float("nan")          # 1-minute load average when Run All started
    timeline: dict = field(default_factory=dict)  # run_notebook(timeline=True): _timeline()
    cpu: dict = field(default_factory=dict)       # run_notebook(cpu=f): f() after minus before Run All
    font: str = ""           # the font family the first figure's title was drawn in
    also: dict = field(default_factory=dict)      # run_notebook(also_at=...): (w, h) -> RunResult
    refonted: dict = field(default_factory=dict)  # run_notebook(refont=...): family -> RunResult
    text_boxes: list = field(default_factory=list)  # JS_TEXT_BOXES

    @property
    def run_all_s(self) -> float | None:
        """Pressing "Run All Cells" -> every cell ran (kernel idle) and the last
        figure this run draws is painted, timed in the page (``timeline=True``)."""
        t = self.timeline
        if not t or t.get("cells_done_s") is None:
            return None
        if self.expected_figures and t.get("last_figure_s") is None:
            return None
        return max(t["cells_done_s"], t.get("last_figure_s") or 0.0)

    @property
    def layout_problems(self) -> list:
        return [f"figure {f['index']} ({f['title'][:50]!r}): {p}" for f in self.layout for p in f["problems"]]

    @property
    def remote_requests(self) -> list:
        return [u for u in self.requests if not is_local_url(u)]


LAPTOP = (1366, 768)      # the commonest school-laptop screen
DESKTOP = (1920, 1080)


def open_in_lab(page, lab: LabServer, name: str, timeout_ms: int = 60_000) -> None:
    """Open notebook ``name`` of the server's copy in JupyterLab in a fresh
    workspace (``?reset``: not the previous notebook's tabs) and wait until its
    cells are shown and its kernel is idle."""
    page.goto(lab.url(f"lab/tree/{quote(name)}?reset"), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=timeout_ms)
    page.wait_for_function(JS_KERNEL_IDLE, timeout=timeout_ms, polling=50)


def run_notebook(browser, lab: LabServer, nb_path: Path, screenshot: Path | None = None,
                 timeout_ms: int = 60_000, viewport: tuple = LAPTOP,
                 file_browser: bool = True, timeline: bool = False, cpu=None,
                 settle_ms: int = 0, also_at: tuple = (), refont: tuple = ()) -> RunResult:
    """Open ``nb_path`` (by name, in the server's copy) in a window of
    ``viewport`` (width, height) CSS px, with JupyterLab's file browser open
    (as a student has it) unless ``file_browser=False``; note whether the tab
    is marked modified once the kernel is idle; Run All; wait for every
    figure; measure the layout (JS_LAYOUT) and inspect.

    ``timeline=True`` (the benchmark): log the kernel's messages and the
    figures' drawing in the page (``RunResult.timeline``, ``run_all_s``).
    ``cpu``: a function returning CPU seconds per process; its difference over
    Run All (+ ``settle_ms``, to include the drawing that follows) goes to
    ``RunResult.cpu``.

    ``also_at``: more window sizes to look at after the run, in the same page
    (the window is resized, as a student resizes it, and plotly redraws every
    figure at the new width): ``RunResult.also[(w, h)]`` is a RunResult with
    that size's figures, layout, font and screenshots (the run's other fields
    copied).  One run then serves every size.

    ``refont``: font families to look in after that: every figure's font
    family is set to one of them and the window is resized through
    ``viewport`` and ``also_at`` again, plotly laying each figure out anew:
    ``RunResult.refonted[family]`` is a RunResult at ``viewport`` whose
    ``.also`` holds the other sizes.  One Run All then serves every font."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    nb_path = Path(nb_path)
    res = RunResult(nb_path.name, figure_cell_count(nb_path), viewport=tuple(viewport))
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    if timeline:
        context.add_init_script(script=JS_TIMELINE_INIT)
    page = context.new_page()
    page.on("request", lambda r: res.requests.append(r.url))
    page.on("websocket", lambda ws: res.requests.append(ws.url))
    try:
        t0 = time.perf_counter()
        open_in_lab(page, lab, nb_path.name, timeout_ms=timeout_ms)
        res.open_s = time.perf_counter() - t0
        # The kernel's language_info reaches the notebook model with the idle
        # status; give JupyterLab a moment to mark the tab, then look.
        page.wait_for_timeout(500)
        res.dirty_on_open = page.evaluate(JS_TAB_DIRTY)
        side = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if file_browser and not side.count():
            page.click(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='filebrowser']")
        elif not file_browser and side.count():
            side.first.click()  # clicking the open sidebar tab collapses it
        # Stored figures (a LabServer with keep_outputs): wait until they are
        # drawn, as a student would see them, and mark them, so that only
        # figures drawn by this Run All count below.
        if page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length"):
            try:
                page.wait_for_function(JS_FIGURES_DRAWN, arg=res.expected_figures,
                                       timeout=timeout_ms, polling=100)
            except PlaywrightTimeout:
                pass
            page.evaluate("() => document.querySelectorAll('.js-plotly-plot')"
                          ".forEach(f => { f.dataset.stored = '1'; })")
        if timeline:
            page.evaluate(JS_TIMELINE_OBSERVE)
        res.load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        cpu0 = cpu() if cpu else None
        t1 = time.perf_counter()
        _menu(page, "Run", "runmenu:run-all")
        res.state = page.wait_for_function(JS_RUN_STATE, timeout=timeout_ms, polling=50).json_value()
        res.run_s = time.perf_counter() - t1
        res.unexecuted = page.evaluate(JS_UNEXECUTED)
        if res.expected_figures and res.state == "done":
            try:
                page.wait_for_function(JS_FIGURES_DRAWN, arg=res.expected_figures,
                                       timeout=15_000, polling=50)
            except PlaywrightTimeout:
                pass  # the caller's assertions say what is missing
        res.drawn_s = time.perf_counter() - t1
        if settle_ms:
            page.wait_for_timeout(settle_ms)
        if cpu:
            cpu1 = cpu()
            res.cpu = {k: round(cpu1.get(k, 0.0) - cpu0.get(k, 0.0), 3) for k in cpu1}
        if timeline:
            res.timeline = _timeline(page.evaluate("() => window.__deirezzorWS || []"),
                                     page.evaluate("() => window.__deirezzorObs || []"))
        res.figures = page.evaluate(JS_FIGURE_INFO, SEL_MARKS)
        res.errors = page.evaluate(JS_ERRORS, SEL_ERRORS)
        res.layout = page.evaluate(JS_LAYOUT)
        res.text_boxes = page.evaluate(JS_TEXT_BOXES)
        if res.layout:
            res.font = used_font(page)
        if screenshot is not None:
            # Pictures are for people to look at, not part of the checks: a
            # slow machine that cannot take one in time does not fail the run.
            try:
                _figure_screenshots(page, Path(screenshot))
                _full_screenshot(page, Path(screenshot))
                res.screenshot = Path(screenshot)
            except PlaywrightTimeout as err:
                print(f"note: no screenshot of {res.name} at {viewport}: {str(err).splitlines()[0]}",
                      file=sys.stderr)
        for size in also_at:
            res.also[tuple(size)] = _look_again(page, res, tuple(size), screenshot)
        sizes = [tuple(viewport), *(tuple(s) for s in also_at)]
        for family in refont:
            swapped = page.evaluate(JS_REFONT, family)
            assert swapped, f"{res.name}: no font family found in the figures to set to {family}"
            shot = None
            if screenshot is not None:
                shot = Path(screenshot).with_name(Path(screenshot).stem + "-" + family.replace(" ", "")
                                                  + Path(screenshot).suffix)
            now = page.viewport_size
            if (now["width"], now["height"]) == sizes[0]:     # a resize is what makes plotly redraw
                page.set_viewport_size({"width": sizes[0][0] - 200, "height": sizes[0][1]})
                page.wait_for_timeout(400)
            first = _look_again(page, res, sizes[0], shot)
            for size in sizes[1:]:
                first.also[size] = _look_again(page, res, size, shot)
            res.refonted[family] = first
    finally:
        context.close()
        try:
            lab.shutdown_kernels()
        except Exception:  # the server's own problems show up elsewhere
            pass
    return res


def _look_again(page, res: RunResult, size: tuple, screenshot: Path | None) -> RunResult:
    """The same page at another window size: wait until plotly has redrawn
    every figure at its new width, then measure and take the pictures."""
    import copy
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    widths = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot .main-svg')].map(s => s.getBoundingClientRect().width)")
    page.set_viewport_size({"width": size[0], "height": size[1]})
    if widths:
        try:
            page.wait_for_function(
                """(old) => { const now = [...document.querySelectorAll('.js-plotly-plot .main-svg')]
                                .map(s => s.getBoundingClientRect().width);
                              return now.length === old.length && now.some((w, i) => Math.abs(w - old[i]) > 2); }""",
                arg=widths, timeout=10_000, polling=100)
        except PlaywrightTimeout:
            pass  # same width at both sizes (a figure with a fixed width): nothing to wait for
        page.wait_for_timeout(400)  # plotly's resize is debounced; let the last redraw settle
    other = copy.copy(res)
    other.viewport, other.also, other.refonted = size, {}, {}
    other.figures = page.evaluate(JS_FIGURE_INFO, SEL_MARKS)
    other.layout = page.evaluate(JS_LAYOUT)
    other.text_boxes = page.evaluate(JS_TEXT_BOXES)
    other.font = used_font(page) if other.layout else ""
    if screenshot is not None:
        shot = Path(screenshot)
        shot = shot.with_name(shot.name.replace(f"{res.viewport[0]}x{res.viewport[1]}", f"{size[0]}x{size[1]}"))
        try:
            _figure_screenshots(page, shot)
            _full_screenshot(page, shot)
            other.screenshot = shot
        except PlaywrightTimeout as err:
            print(f"note: no screenshot of {res.name} at {size}: {str(err).splitlines()[0]}", file=sys.stderr)
    return other


def _menu(page, label: str, command: str) -> None:
    page.click(f".lm-MenuBar-item:has-text('{label}')")
    page.click(f"li.lm-Menu-item[data-command='{command}']")


def _figure_screenshots(page, path: Path) -> list[Path]:
    """What a student sees: for each figure, the window (file browser and
    all) with the figure's top at the top of the notebook area, saved
    beside ``path`` as <stem>-fig<N>.png."""
    shots = []
    n = page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length")
    for i in range(n):
        page.evaluate("""(i) => { const f = document.querySelectorAll('.js-plotly-plot')[i];
          const s = document.querySelector('.jp-WindowedPanel-outer');
          if (s) s.scrollTop += f.getBoundingClientRect().top - s.getBoundingClientRect().top - 8; }""", i)
        page.wait_for_timeout(150)
        p = path.with_name(f"{path.stem}-fig{i + 1}.png")
        p.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(p))
        shots.append(p)
    return shots


def _full_screenshot(page, path: Path, max_height: int = 12000) -> Path:
    """The notebook scrolls inside JupyterLab's panel, not the page, so make the
    viewport as tall as the notebook before taking the picture.  Capped at
    ``max_height`` px: a longer notebook's end is cut off in the picture.
    (Scrolling the panel for further parts gave blank pictures in headless
    Chromium 156, so there are none.)"""
    height = page.evaluate("""() => {
      const s = document.querySelector('.jp-WindowedPanel-outer') || document.querySelector('.jp-Notebook');
      if (s) s.scrollTop = 0;
      return s ? s.scrollHeight : 900; }""")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(int(height) + 400, max_height)})
    page.wait_for_timeout(300)  # plotly resizes to the new layout
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, timeout=90_000)
    return path


# --- A page from disk (an HTML export, a feedback page), offline -----------------
ON_DISK = ("file://", "data:", "blob:", "about:")
JS_EXPORT_FIGURES_DRAWN = ("[...document.querySelectorAll('.deirezzor-figure')]"
                           ".every(d => d.querySelector('.main-svg g.trace'))")
JS_EXPORT_FIGURES_COUNT = ("[...document.querySelectorAll('.deirezzor-figure')]"
                           ".filter(d => d.querySelector('.main-svg g.trace')).length")


def open_from_disk(page, path: Path, settle_ms: int = 500, timeout_ms: int = 180_000) -> tuple[list[str], int]:
    """Open the file ``path`` in ``page`` and wait until every figure of the export
    (deirezzor.export.PlotlyFigures) is drawn, then ``settle_ms`` for a script that loads
    another one late.  Every request that leaves the disk is recorded, then aborted.
    Returns (those URLs, how many figures were drawn).  plotly.js is 4.6 MB of script:
    on a loaded 2-core machine parsing it takes a while, hence the long timeout."""
    seen: list[str] = []

    def off_disk(url: str) -> bool:
        return not url.startswith(ON_DISK)

    def record(request) -> None:
        seen.append(request.url)

    def abort(route) -> None:
        route.abort()

    page.on("request", record)
    page.route(off_disk, abort)
    try:
        page.goto(Path(path).as_uri(), wait_until="load")
        page.wait_for_function(JS_EXPORT_FIGURES_DRAWN, timeout=timeout_ms)
        page.wait_for_timeout(settle_ms)
        drawn = page.evaluate(JS_EXPORT_FIGURES_COUNT)
    finally:
        page.unroute(off_disk, abort)
        page.remove_listener("request", record)
    return [u for u in seen if off_disk(u)], drawn
