#!/usr/bin/env python3
"""Measure what a class would wait for, on this machine (``make bench``).

    python tools/benchmark.py               # everything; table on stdout + artifacts/benchmark.md
    python tools/benchmark.py --no-setup    # skip the fresh-clone `make env` timings
    python tools/benchmark.py --no-browser  # skip the Chromium timings
    python tools/benchmark.py --browser-only --runs 3   # only Run All in Chromium, median of 3
        (`make bench ONLY=browser RUNS=3`: about 4 minutes on a quiet machine)
    python tools/benchmark.py --no-setup --no-nbval --deirezzor /tmp/old   # "before" numbers
        (/tmp/old holds an older deirezzor package, e.g. `git archive <commit> deirezzor | tar -x -C /tmp/old`)

Not a test: numbers depend on the machine and on what else runs on it, so
the 1-minute load average is printed beside every timing (``@ load``).  It
measures

* set-up: a fresh ``git clone`` of this repository (its committed state) into
  a temporary folder, ``make env`` there with no .venv (cold; whether uv's
  package cache was already filled is reported), then ``make env`` again (warm);
* per notebook, executed with nbclient in a fresh kernel of this Python:
  kernel start, the imports the notebooks use (pandas, plotly.graph_objects,
  deirezzor and its modules), the notebook's own cells after that (total and
  slowest cell), the peak RSS of the kernel process (psutil, polled every
  20 ms), the file size;
* the nbval suite over notebooks/, serial and with ``-n 2 --dist loadscope``,
  against its floor = sum over notebooks of (kernel start + imports);
* in Chromium (tests/browser_helpers.py, the browser test's own code), at
  1366x768 with the file browser open, ``--runs`` times per notebook:
  pressing Run All Cells -> every cell ran and the last figure is painted,
  timed in the page (median; see ``measure_browser``), with the kernel's and
  the page's side of it per figure and the CPU seconds of page and kernel;
* the prose: words per sentence in each notebook (tools/prose_stats.py).

Targets (from the project's issues): kernel side imports + cells <= 1.5 s;
browser Run All -> last figure <= 2 s on a quiet machine; cells < 1 s beyond
imports; nbval <= 1.5 x floor; notebooks < 200 KB; kernel peak RSS < 300 MB.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import browser_helpers as bh  # noqa: E402

import nbformat  # noqa: E402
import psutil  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

# The floor: what every notebook's kernel must load before its own code runs,
# i.e. what the notebooks import.  Since style.show() publishes the plotly
# bundle itself, plotly's renderers (and nbformat, jsonschema) are no longer
# loaded at all; plotly.express is never used.  Anything a cell still
# imports lazily is counted in "cells".
IMPORTS = ("import pandas, plotly.graph_objects, plotly.subplots, deirezzor, deirezzor.style, "
           "deirezzor.checks, deirezzor.series, deirezzor.geo")
TARGET_KERNEL_S = 1.5    # imports + cells
TARGET_BROWSER_S = 2.0   # Run All -> last figure drawn, 1366x768
TARGET_CELLS_S = 1.0
TARGET_RATIO = 1.5
TARGET_KB = 200
TARGET_RSS_MB = 300


class PeakRSS:
    """Poll a process (and its children) for its peak resident memory."""

    def __init__(self, pid: int, every: float = 0.02):
        self.proc = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                rss = self.proc.memory_info().rss
                rss += sum(c.memory_info().rss for c in self.proc.children(recursive=True))
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            self._stop.wait(self.every)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def measure_notebook(path: Path, preload: bool = True) -> dict:
    nb = nbformat.read(str(path), as_version=4)
    # preload=False: the kernel skips the environment's exec_lines (make env
    # makes kernels import pandas/plotly while they start), so that the
    # imports are measured as imports, not as part of the kernel start.
    extra = [] if preload else ["--InteractiveShellApp.exec_lines=[]"]
    client = NotebookClient(nb, timeout=300, kernel_name="python3", extra_arguments=extra,
                            resources={"metadata": {"path": str(path.parent)}})
    row = {"notebook": path.stem, "size_kb": path.stat().st_size / 1024, "load": load1()}
    t0 = time.perf_counter()
    with client.setup_kernel():
        row["kernel_s"] = time.perf_counter() - t0
        pid = client.km.provisioner.process.pid
        kernel = psutil.Process(pid)
        with PeakRSS(pid) as mem:
            cpu0 = sum(kernel.cpu_times()[:2])
            t1 = time.perf_counter()
            client.execute_cell(nbformat.v4.new_code_cell(IMPORTS), 0)
            row["imports_s"] = time.perf_counter() - t1
            times = []
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t = time.perf_counter()
                client.execute_cell(cell, i)
                times.append((time.perf_counter() - t, i))
            # CPU seconds (user + system) the kernel spent on imports + cells:
            # less sensitive than wall time to other jobs on the machine.
            row["kernel_cpu_s"] = sum(kernel.cpu_times()[:2]) - cpu0
        row["cells_s"] = sum(t for t, _ in times)
        row["slowest_cell_s"], row["slowest_cell"] = max(times, default=(0.0, -1))
        row["rss_mb"] = mem.peak / 2**20
    row["load_end"] = load1()
    return row


def load1() -> float:
    """The 1-minute load average (NaN where the OS has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def timed(cmd, cwd=ROOT, env=None) -> tuple[float, int, str]:
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip().splitlines()
    return time.perf_counter() - t, r.returncode, (out[-1] if out else "")


def uv_cache_state() -> str:
    uv = shutil.which("uv") or str(ROOT / ".venv" / "bin" / "uv")
    try:
        d = subprocess.run([uv, "cache", "dir"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown (no uv)"
    p = Path(d)
    return "warm" if p.is_dir() and any(p.glob("wheels-*/*")) else "cold"


def measure_setup() -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="deirezzor-bench-"))
    try:
        clone = tmp / "repo"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        cache = uv_cache_state()
        load = load1()
        cold, rc1, last1 = timed(["make", "env"], cwd=clone)
        warm, rc2, _ = timed(["make", "env"], cwd=clone)
        if rc1 or rc2:
            raise RuntimeError(f"make env failed in the clone: {last1}")
        return {"cold_s": cold, "warm_s": warm, "uv_cache": cache, "load": load}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure_nbval() -> dict:
    # tests/conftest.py holds the nbval setting (ignore plotly JSON); pass it
    # explicitly since only notebooks/ is collected here.
    base = [sys.executable, "-m", "pytest", "-q", "--nbval", "--nbval-current-env",
            "-p", "no:cacheprovider", "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
            "--confcutdir", str(ROOT), "-p", "conftest", "notebooks"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    serial_load = load1()
    serial = timed(base + ["-p", "no:xdist"], env=env)
    parallel_load = load1()
    parallel = timed(base + ["-n", "2", "--dist", "loadscope"], env=env)
    return {"serial_load": serial_load, "parallel_load": parallel_load, "serial_s": serial[0], "serial_ok": serial[1] == 0, "serial_summary": serial[2],
            "parallel_s": parallel[0], "parallel_ok": parallel[1] == 0,
            "parallel_summary": parallel[2]}


PRELOAD = "import pandas, plotly.graph_objects, deirezzor.style"


def preload_env(tmp: Path) -> dict:
    """An IPYTHONDIR whose kernels import ``PRELOAD`` while they start (what
    ``c.InteractiveShellApp.exec_lines`` in a project kernel config would do):
    the kernel is ready later, Run All starts with the imports done."""
    cfg = tmp / "profile_default" / "ipython_kernel_config.py"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(f"c.InteractiveShellApp.exec_lines = [{PRELOAD!r}]\n", encoding="utf-8")
    return {"IPYTHONDIR": str(tmp)}


def cpu_seconds() -> dict:
    """CPU seconds (user + system) so far of this process's children, by kind:
    the notebook's kernel, the Jupyter server, Chromium's renderer (the page)
    and Chromium's other processes."""
    out: dict = {}
    for c in psutil.Process().children(recursive=True):
        try:
            cmd = " ".join(c.cmdline())
            t = c.cpu_times()
        except psutil.Error:
            continue
        kind = ("kernel" if "ipykernel" in cmd else "server" if "jupyterlab" in cmd else
                "page" if "--type=renderer" in cmd else "chromium" if "chrom" in cmd else "other")
        out[kind] = out.get(kind, 0.0) + t.user + t.system
    return out


def measure_browser(paths, folder: Path, env: dict | None = None, runs: int = 3) -> dict:
    """Run All in JupyterLab at 1366x768 with the file browser open, as a
    student: ``runs`` times per notebook (interleaved: every notebook once,
    then again), each in a fresh page and kernel.  Per run:

    * ``run_all_s``, timed IN THE PAGE: from pressing "Run All Cells" in the
      menu to the moment every code cell has its execution count (kernel
      idle) and the last figure this run draws is painted (the animation
      frame after its SVG and title appeared);
    * ``drawn_s``, the older measure (playwright's clock): from clicking the
      "Run" menu open until its polling (every 50 ms) saw the same state;
    * the kernel's own timestamps (last execute_reply) and when the page got
      that reply; per figure: sent by the kernel, received by the page, drawn,
      painted, and how often plotly drew it (its extension draws each figure
      again after the first time);
    * CPU seconds of the page (Chromium's renderer), the kernel and the server
      during Run All.
    """
    from playwright.sync_api import sync_playwright

    out: dict = {p.stem: [] for p in paths}
    # keep_outputs: the notebook opens as a student gets it, with its stored
    # figures drawn (so plotly.js is loaded before Run All, and Run All first
    # clears them); only the figures this Run All draws again are counted.
    with bh.LabServer(notebooks=folder, keep_outputs=True, env=env) as lab, sync_playwright() as pw:
        browser = bh.launch_browser(pw)
        try:
            for _ in range(runs):
                for p in paths:
                    res = bh.run_notebook(browser, lab, p, viewport=bh.LAPTOP, timeline=True,
                                          cpu=cpu_seconds)
                    fresh = [f for f in res.figures if not f.get("stored")]
                    ok = (res.state == "done" and not res.errors and len(fresh) >= res.expected_figures
                          and res.run_all_s is not None)
                    out[p.stem].append({"run_all_s": res.run_all_s, "drawn_s": res.drawn_s, "ok": ok,
                                        "figures": res.expected_figures, "load": res.load,
                                        "open_s": res.open_s, "timeline": res.timeline, "cpu": res.cpu})
        finally:
            browser.close()
    return out


def _median_run(runs: list) -> dict:
    """The run whose in-page time is the median (the lower one of an even count)."""
    done = sorted((r for r in runs if r["run_all_s"] is not None), key=lambda r: r["run_all_s"])
    return done[(len(done) - 1) // 2] if done else runs[0]


def browser_table(browser: dict) -> str:
    runs_n = max(len(v) for v in browser.values())
    lines = [f"Browser, 1366×768, file browser open, {runs_n} run(s) per notebook (interleaved), "
             "each run `s @ load`. **Run All** = pressing *Run All Cells* → every cell ran and the last "
             "figure is painted, timed in the page; *menu→seen* = the older measure (clicking the Run "
             "menu open → playwright's 50 ms polling saw it), which adds 0.2–0.5 s. Kernel/page: the "
             "kernel's last execute_reply (its own clock) and when the page got it. CPU s during Run All "
             "(median run).", "",
             f"| notebook | figs | Run All s, median (≤{TARGET_BROWSER_S}) | runs | menu→seen s, median "
             "| kernel done → page got it s | CPU s: page / kernel / server |",
             "| --- | ---: | ---: | --- | ---: | ---: | ---: |"]
    details = []
    for name, runs in browser.items():
        times = [r["run_all_s"] for r in runs if r["run_all_s"] is not None]
        med = statistics.median(times) if times else float("nan")
        ok = all(r["ok"] for r in runs) and times and med <= TARGET_BROWSER_S
        each = ", ".join((f"{r['run_all_s']:.2f}" if r["run_all_s"] is not None else "–")
                         + f" @ {r['load']:.1f}" for r in runs)
        m = _median_run(runs)
        tl, cpu = m["timeline"], m["cpu"]
        lines.append(
            f"| {name} | {m['figures']} | {med:.2f}{flag(bool(ok))} | {each} "
            f"| {statistics.median(r['drawn_s'] for r in runs):.2f} "
            f"| {_f(tl.get('kernel_last_reply_s'))} → {_f(tl.get('page_last_reply_s'))} "
            f"| {cpu.get('page', 0):.2f} / {cpu.get('kernel', 0):.2f} / {cpu.get('server', 0):.2f} |")
        for i, f in enumerate(tl.get("figures", []), 1):
            details.append(f"| {name} | {i} | {f.get('kb', '–')} | {_f(f.get('kernel_sent'))} "
                           f"| {_f(f.get('page_got'))} | {_f(f.get('drawn'))} | {_f(f.get('painted'))} "
                           f"| {f.get('plots', 0)} |")
    if details:
        lines += ["", "Per figure (median run), seconds after pressing Run All: the kernel sent the "
                  "figure, the page received it, its SVG appeared, it was painted; *plots* = how often "
                  "plotly drew it during the run (the extension's redraw after the first; a resize "
                  "to the output's width unless the figure has a width).", "",
                  "| notebook | figure | KB | kernel sent | page got | drawn | painted | plots |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"] + details
    return "\n".join(lines)


def _f(x) -> str:
    return "–" if x is None else f"{x:.2f}"


def prose_table(paths) -> str:
    sys.path.insert(0, str(ROOT / "tools"))
    import prose_stats

    return ("Prose (tools/prose_stats.py: Markdown cells without code, tables, headings and "
            "navigation; see its docstring):\n\n" + prose_stats.table(paths))


def flag(ok: bool) -> str:
    return "" if ok else " ✗"


def report(rows, setup, nbval, browser, when: str, prose=None) -> str:
    cpu = os.cpu_count()
    lines = [f"Measured {when} on {platform.node() or 'this machine'}: {cpu} cores, "
             f"{psutil.virtual_memory().total / 2**30:.1f} GB RAM, "
             f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
             f"load average {load1():.1f} at the end. `@ n` = the 1-minute load average when that "
             "measurement started. ✗ = misses its target.", ""]
    lines += ["| notebook | size KB (<200) | kernel start s | imports s | cells s "
              f"| imports + cells s (≤{TARGET_KERNEL_S}) | same, kernel CPU s | slowest cell s | kernel peak RSS MB (<300) "
              f"| browser 1366×768: Run All → last figure s (≤{TARGET_BROWSER_S}) |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        b = browser.get(r["notebook"]) if browser else None
        times = [x["run_all_s"] for x in b if x["run_all_s"] is not None] if b else []
        if not times:
            bcell = "–"
        else:
            med = statistics.median(times)
            bcell = (f"{med:.2f} (median of {len(times)}, @ {statistics.median(x['load'] for x in b):.1f})"
                     f"{flag(all(x['ok'] for x in b) and med <= TARGET_BROWSER_S)}")
        kernel = r["imports_s"] + r["cells_s"]
        lines.append(
            f"| {r['notebook']} | {r['size_kb']:.0f}{flag(r['size_kb'] < TARGET_KB)} "
            f"| {r['kernel_s']:.2f} | {r['imports_s']:.2f} | {r['cells_s']:.2f} "
            f"| {kernel:.2f} @ {r['load']:.1f}{flag(kernel <= TARGET_KERNEL_S)} "
            f"| {r['kernel_cpu_s']:.2f} "
            f"| {r['slowest_cell_s']:.2f} (cell {r['slowest_cell']}) "
            f"| {r['rss_mb']:.0f}{flag(r['rss_mb'] < TARGET_RSS_MB)} | {bcell} |")
    if not rows:
        lines = lines[:2]
    if browser:
        lines += ["", browser_table(browser)]
    floor = sum(r["kernel_s"] + r["imports_s"] for r in rows)
    lines.append("")
    if nbval or setup:
        lines += ["| whole-suite measure | value |", "| --- | --- |"]
    if nbval:
        for key, label in (("serial", "nbval, serial (`-p no:xdist`)"),
                           ("parallel", "nbval, `-n 2 --dist loadscope`")):
            s = nbval[f"{key}_s"]
            ratio = s / floor if floor else float("nan")
            ok = nbval[f"{key}_ok"]
            lines.append(f"| {label} | {s:.1f} s @ {nbval[key + '_load']:.1f} = {ratio:.2f} × floor"
                         f"{flag(ratio <= TARGET_RATIO)}"
                         f"{'' if ok else ' (FAILED: ' + nbval[key + '_summary'] + ')'} |")
        lines.append(f"| floor = Σ (kernel start + imports) | {floor:.1f} s |")
    if setup:
        lines.append(f"| set-up cold: fresh clone, `make env` (uv cache {setup['uv_cache']}) "
                     f"| {setup['cold_s']:.1f} s @ {setup['load']:.1f} |")
        lines.append(f"| set-up warm: `make env` again | {setup['warm_s']:.2f} s |")
    if prose:
        lines += ["", prose]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-setup", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--no-nbval", action="store_true")
    ap.add_argument("--no-kernel", action="store_true", help="skip the per-notebook kernel timings")
    ap.add_argument("--browser-only", action="store_true",
                    help="only the browser timings (= --no-setup --no-nbval --no-kernel; `make bench ONLY=browser`)")
    ap.add_argument("--runs", type=int, default=3,
                    help="browser: Run All this many times per notebook, report the median (default 3)")
    ap.add_argument("--no-preload", action="store_true",
                    help="kernel timings without the environment's start-up imports (exec_lines)")
    ap.add_argument("--preload", action="store_true",
                    help=f"browser: kernels import {PRELOAD!r} while they start (a trial)")
    ap.add_argument("--notebooks", type=Path, default=bh.RELEASE,
                    help="folder of notebooks to measure (default notebooks/, the student edition)")
    ap.add_argument("--deirezzor", type=Path, default=None,
                    help="folder holding ANOTHER copy of the deirezzor package for the kernels "
                         "(e.g. an old commit's, from `git archive`), for before/after numbers")
    ap.add_argument("--out", type=Path, default=ROOT / "artifacts" / "benchmark.md")
    args = ap.parse_args(argv)
    if args.browser_only:
        args.no_setup = args.no_nbval = args.no_kernel = True
    paths = sorted(args.notebooks.glob("*.ipynb"))
    if not paths:
        ap.error(f"no notebooks in {args.notebooks}")
    if args.deirezzor:
        # kernels inherit this environment; PYTHONPATH comes before the .pth link
        os.environ["PYTHONPATH"] = str(args.deirezzor.resolve())
        os.environ.setdefault("DEIREZZOR_DATA", str(ROOT / "data"))
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    setup = None if args.no_setup else measure_setup()
    # Notebooks run in a temporary copy (with data found via the .pth link),
    # so nothing in the repository changes.
    tmp = Path(tempfile.mkdtemp(prefix="deirezzor-bench-nb-"))
    try:
        for p in paths:
            shutil.copy2(p, tmp / p.name)
        rows = [] if args.no_kernel else [measure_notebook(tmp / p.name, not args.no_preload)
                                          for p in paths]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    nbval = None if args.no_nbval else measure_nbval()
    browser = None
    if not args.no_browser:
        if bh.chromium_available():
            env = preload_env(Path(tempfile.mkdtemp(prefix="deirezzor-ipy-"))) if args.preload else None
            browser = measure_browser(paths, args.notebooks, env, runs=max(1, args.runs))
        else:
            print(f"note: no Chromium at {bh.CHROMIUM}: browser timings skipped", file=sys.stderr)
    prose = None if args.browser_only else prose_table(paths)
    text = report(rows, setup, nbval, browser, when, prose)
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# Benchmark\n\n" + text + "\n", encoding="utf-8")
    print(text)
    print(f"\n(written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
