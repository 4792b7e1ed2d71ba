#!/usr/bin/env python3
"""Measure what a class would wait for, on this machine (``make bench``).

    python tools/benchmark.py               # everything; table on stdout + artifacts/benchmark.md
    python tools/benchmark.py --no-setup    # skip the fresh-clone `make env` timings
    python tools/benchmark.py --no-browser  # skip the Chromium timings
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
  1366x768 with the file browser open: Run All -> the last figure drawn, in a
  kernel that has started but imported nothing yet;
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


def measure_browser(paths, folder: Path, env: dict | None = None) -> dict:
    """Run All in JupyterLab at 1366x768 with the file browser open, as a
    student: the time from Run All to the last figure drawn (the kernel is
    already started; its imports are inside this time)."""
    from playwright.sync_api import sync_playwright

    out = {}
    # keep_outputs: the notebook opens as a student gets it, with its stored
    # figures drawn (so plotly.js is loaded before Run All); only the figures
    # this Run All draws again are counted.
    with bh.LabServer(notebooks=folder, keep_outputs=True, env=env) as lab, sync_playwright() as pw:
        browser = bh.launch_browser(pw)
        try:
            for p in paths:
                res = bh.run_notebook(browser, lab, p, viewport=bh.LAPTOP)
                fresh = [f for f in res.figures if not f.get("stored")]
                ok = res.state == "done" and not res.errors and len(fresh) >= res.expected_figures
                out[p.stem] = {"drawn_s": res.drawn_s, "ok": ok, "figures": res.expected_figures,
                               "load": res.load, "open_s": res.open_s}
        finally:
            browser.close()
    return out


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
        if b is None:
            bcell = "–"
        else:
            bcell = (f"{b['drawn_s']:.1f} @ {b['load']:.1f} ({b['figures']} fig)"
                     f"{flag(b['ok'] and b['drawn_s'] <= TARGET_BROWSER_S)}")
        kernel = r["imports_s"] + r["cells_s"]
        lines.append(
            f"| {r['notebook']} | {r['size_kb']:.0f}{flag(r['size_kb'] < TARGET_KB)} "
            f"| {r['kernel_s']:.2f} | {r['imports_s']:.2f} | {r['cells_s']:.2f} "
            f"| {kernel:.2f} @ {r['load']:.1f}{flag(kernel <= TARGET_KERNEL_S)} "
            f"| {r['kernel_cpu_s']:.2f} "
            f"| {r['slowest_cell_s']:.2f} (cell {r['slowest_cell']}) "
            f"| {r['rss_mb']:.0f}{flag(r['rss_mb'] < TARGET_RSS_MB)} | {bcell} |")
    if not rows and browser:
        lines = lines[:2] + ["| notebook | browser 1366×768: open → kernel idle s | Run All → last figure s "
                             f"(≤{TARGET_BROWSER_S}) |", "| --- | ---: | ---: |"]
        for name, b in browser.items():
            lines.append(f"| {name} | {b['open_s']:.1f} | {b['drawn_s']:.1f} @ {b['load']:.1f} "
                         f"({b['figures']} fig){flag(b['ok'] and b['drawn_s'] <= TARGET_BROWSER_S)} |")
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
    ap.add_argument("--no-preload", action="store_true",
                    help="kernel timings without the environment's start-up imports (exec_lines)")
    ap.add_argument("--preload", action="store_true",
                    help=f"browser: kernels import {PRELOAD!r} while they start (a trial)")
    ap.add_argument("--notebooks", type=Path, default=bh.NOTEBOOKS,
                    help="folder of notebooks to measure (default notebooks/, the student edition)")
    ap.add_argument("--deirezzor", type=Path, default=None,
                    help="folder holding ANOTHER copy of the deirezzor package for the kernels "
                         "(e.g. an old commit's, from `git archive`), for before/after numbers")
    ap.add_argument("--out", type=Path, default=ROOT / "artifacts" / "benchmark.md")
    args = ap.parse_args(argv)
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
            browser = measure_browser(paths, args.notebooks, env)
        else:
            print(f"note: no Chromium at {bh.CHROMIUM}: browser timings skipped", file=sys.stderr)
    prose = prose_table(paths)
    text = report(rows, setup, nbval, browser, when, prose)
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# Benchmark\n\n" + text + "\n", encoding="utf-8")
    print(text)
    print(f"\n(written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
