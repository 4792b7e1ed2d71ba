#!/usr/bin/env python3
"""Measure what a class would wait for, on this machine (``make bench``).

    python tools/benchmark.py               # everything; table on stdout + artifacts/benchmark.md
    python tools/benchmark.py --no-setup    # skip the fresh-clone `make env` timings
    python tools/benchmark.py --no-browser  # skip the Chromium timings

Not a test: numbers depend on the machine and on what else runs on it.  It
measures

* set-up: a fresh ``git clone`` of this repository (its committed state) into
  a temporary folder, ``make env`` there with no .venv (cold; whether uv's
  package cache was already filled is reported), then ``make env`` again (warm);
* per notebook, executed with nbclient in a fresh kernel of this Python:
  kernel start, the import floor (pandas + plotly + deirezzor in that kernel),
  the notebook's own cells beyond that (total and slowest cell), the peak RSS
  of the kernel process (psutil, polled every 20 ms), the file size;
* the nbval suite over notebooks/, serial and with ``-n 2 --dist loadscope``,
  against its floor = sum over notebooks of (kernel start + imports);
* in Chromium (tests/browser_helpers.py, the browser test's own code): the
  time from Run All to every figure drawn.

Targets (from the project's issue): cells < 1 s beyond imports, nbval
<= 1.5 x floor, notebooks < 200 KB, kernel peak RSS < 300 MB.
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

# The floor: what every notebook's kernel must load before its first figure.
# plotly imports its renderers (plotly.io._renderers, ~1.5 s here) lazily on
# the first fig.show(); that is part of the floor, so it is loaded here too.
IMPORTS = ("import pandas, plotly, plotly.graph_objects, plotly.express, plotly.io, deirezzor, "
           "deirezzor.style\nplotly.io.renderers.default")
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


def measure_notebook(path: Path) -> dict:
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    row = {"notebook": path.stem, "size_kb": path.stat().st_size / 1024}
    t0 = time.perf_counter()
    with client.setup_kernel():
        row["kernel_s"] = time.perf_counter() - t0
        pid = client.km.provisioner.process.pid
        with PeakRSS(pid) as mem:
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
        row["cells_s"] = sum(t for t, _ in times)
        row["slowest_cell_s"], row["slowest_cell"] = max(times, default=(0.0, -1))
        row["rss_mb"] = mem.peak / 2**20
    return row


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
        cold, rc1, last1 = timed(["make", "env"], cwd=clone)
        warm, rc2, _ = timed(["make", "env"], cwd=clone)
        if rc1 or rc2:
            raise RuntimeError(f"make env failed in the clone: {last1}")
        return {"cold_s": cold, "warm_s": warm, "uv_cache": cache}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure_nbval() -> dict:
    # tests/conftest.py holds the nbval setting (ignore plotly JSON); pass it
    # explicitly since only notebooks/ is collected here.
    base = [sys.executable, "-m", "pytest", "-q", "--nbval", "--nbval-current-env",
            "-p", "no:cacheprovider", "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
            "--confcutdir", str(ROOT), "-p", "conftest", "notebooks"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    serial = timed(base + ["-p", "no:xdist"], env=env)
    parallel = timed(base + ["-n", "2", "--dist", "loadscope"], env=env)
    return {"serial_s": serial[0], "serial_ok": serial[1] == 0, "serial_summary": serial[2],
            "parallel_s": parallel[0], "parallel_ok": parallel[1] == 0,
            "parallel_summary": parallel[2]}


def measure_browser(paths) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    with bh.LabServer() as lab, sync_playwright() as pw:
        browser = bh.launch_browser(pw)
        try:
            for p in paths:
                res = bh.run_notebook(browser, lab, p)
                ok = res.state == "done" and not res.errors and len(res.figures) == res.expected_figures
                out[p.stem] = (res.drawn_s, ok, len(res.figures))
        finally:
            browser.close()
    return out


def flag(ok: bool) -> str:
    return "" if ok else " ✗"


def report(rows, setup, nbval, browser, when: str) -> str:
    cpu = os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"Measured {when} on {platform.node() or 'this machine'}: {cpu} cores, "
             f"{psutil.virtual_memory().total / 2**30:.1f} GB RAM, "
             f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
             f"load average {load:.1f} at the end. ✗ = misses its target.", ""]
    lines += ["| notebook | size KB (<200) | kernel start s | imports s (floor) | cells s beyond imports (<1) "
              "| slowest cell s | kernel peak RSS MB (<300) | browser Run All → figures drawn s |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        b = browser.get(r["notebook"]) if browser else None
        bcell = "–" if b is None else f"{b[0]:.1f} ({b[2]} fig){flag(b[1])}"
        lines.append(
            f"| {r['notebook']} | {r['size_kb']:.0f}{flag(r['size_kb'] < TARGET_KB)} "
            f"| {r['kernel_s']:.2f} | {r['imports_s']:.2f} "
            f"| {r['cells_s']:.2f}{flag(r['cells_s'] < TARGET_CELLS_S)} | {r['slowest_cell_s']:.2f} (cell {r['slowest_cell']}) "
            f"| {r['rss_mb']:.0f}{flag(r['rss_mb'] < TARGET_RSS_MB)} | {bcell} |")
    floor = sum(r["kernel_s"] + r["imports_s"] for r in rows)
    lines.append("")
    lines += ["| whole-suite measure | value |", "| --- | --- |"]
    if nbval:
        for key, label in (("serial", "nbval, serial (`-p no:xdist`)"),
                           ("parallel", "nbval, `-n 2 --dist loadscope`")):
            s = nbval[f"{key}_s"]
            ratio = s / floor if floor else float("nan")
            ok = nbval[f"{key}_ok"]
            lines.append(f"| {label} | {s:.1f} s = {ratio:.2f} × floor{flag(ratio <= TARGET_RATIO)}"
                         f"{'' if ok else ' (FAILED: ' + nbval[key + '_summary'] + ')'} |")
        lines.append(f"| floor = Σ (kernel start + imports) | {floor:.1f} s |")
    if setup:
        lines.append(f"| set-up cold: fresh clone, `make env` (uv cache {setup['uv_cache']}) "
                     f"| {setup['cold_s']:.1f} s |")
        lines.append(f"| set-up warm: `make env` again | {setup['warm_s']:.2f} s |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-setup", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--no-nbval", action="store_true")
    args = ap.parse_args(argv)
    paths = bh.notebook_paths()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    setup = None if args.no_setup else measure_setup()
    # Notebooks run in a temporary copy (with data found via the .pth link),
    # so nothing in the repository changes.
    tmp = Path(tempfile.mkdtemp(prefix="deirezzor-bench-nb-"))
    try:
        for p in paths:
            shutil.copy2(p, tmp / p.name)
        rows = [measure_notebook(tmp / p.name) for p in paths]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    nbval = None if args.no_nbval else measure_nbval()
    browser = None
    if not args.no_browser:
        if bh.chromium_available():
            browser = measure_browser(paths)
        else:
            print(f"note: no Chromium at {bh.CHROMIUM}: browser timings skipped", file=sys.stderr)
    text = report(rows, setup, nbval, browser, when)
    out = ROOT / "artifacts" / "benchmark.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("# Benchmark\n\n" + text + "\n", encoding="utf-8")
    print(text)
    print(f"\n(written to {out.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
