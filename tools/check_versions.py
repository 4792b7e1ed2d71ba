#!/usr/bin/env python3
"""Do the notebooks and tests pass at both ends of environment.yml's bounds?
(``make versions``)

    python tools/check_versions.py                 # newest and lowest
    python tools/check_versions.py --only lowest   # just one
    python tools/check_versions.py -k "not browser" # extra pytest args after --
    python tools/check_versions.py --only lowest --tests tests/test_classroom.py
                                                   # only these tests, no notebooks

Builds two throw-away virtual environments from the requirements that
tools/envreqs.py derives from environment.yml, with uv:

* ``newest``: ``uv pip install --resolution highest`` -- the newest releases
  the bounds allow, on the newest Python found (3.13, 3.12, ... or this one);
* ``lowest``: ``uv pip install --resolution lowest-direct`` -- every direct
  dependency at its lower bound (their own dependencies as new as allowed),
  on Python 3.10, the lowest the project supports, if it is installed
  (``--lowest-python``; pyenv's 3.10 is found automatically).

In each it installs the ``deirezzor`` package editable, without dependencies
(as ``make env`` does), and runs
the same command as ``make test`` (unit tests, browser tests and nbval over
the notebooks; offline through tools/offline.py when run as root, as in CI),
then prints the resolved versions of the key packages and
PASS/FAIL.  A summary table also goes to artifacts/versions.md, each pytest log to
artifacts/versions-<name>.log.  Exit status
1 if any environment fails.  uv's cache makes a rerun take seconds to install.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import envreqs  # noqa: E402
import offline  # noqa: E402

KEY_PACKAGES = ["jupyterlab", "jupyter_server", "ipykernel", "pandas", "numpy", "plotly",
                "nbval", "nbclient", "nbformat", "pytest", "pytest-xdist", "playwright",
                "psutil", "tzdata"]
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


def find_uv() -> str:
    for cand in (shutil.which("uv"), str(Path(sys.prefix) / "bin" / "uv"),
                 str(ROOT / ".venv" / "bin" / "uv")):
        if cand and Path(cand).is_file():
            return cand
    raise SystemExit("error: uv not found (run `make env` first, it bootstraps uv into .venv)")


def find_python(minor_versions: list[str]) -> str:
    """The first interpreter found for the given 3.x versions (PATH, then pyenv)."""
    for v in minor_versions:
        for d in sorted(PYENV.glob(f"{v}.*"), reverse=True):
            if (d / "bin" / "python").is_file():
                return str(d / "bin" / "python")
        exe = shutil.which(f"python{v}")
        if exe and "/shims/" not in exe:  # a pyenv shim may not run outside its version
            return exe
    return sys.executable


def run(cmd, **kw) -> subprocess.CompletedProcess:
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.run([str(c) for c in cmd], **kw)


def versions_in(py: Path) -> dict:
    code = ("import importlib.metadata as m, json, platform; d={'python': platform.python_version()}\n"
            f"for n in {KEY_PACKAGES!r}:\n"
            "    try: d[n]=m.version(n)\n"
            "    except m.PackageNotFoundError: d[n]='-'\n"
            "print(json.dumps(d))")
    r = subprocess.run([str(py), "-c", code], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def check(name: str, python: str, resolution: str, reqs: Path, uv: str, pytest_args: list[str],
          workdir: Path, targets: list[str] | None = None) -> dict:
    venv = workdir / name
    t0 = time.perf_counter()
    result = {"name": name, "resolution": resolution, "interpreter": python}
    # --seed: pip in the environment, as `python -m venv` gives (tests install a built wheel with it)
    r = run([uv, "venv", "--quiet", "--seed", "--python", python, venv])
    py = venv / "bin" / "python"
    if r.returncode == 0:
        r = run([uv, "pip", "install", "--quiet", "--python", py, "--resolution", resolution,
                 "-r", reqs])
    if r.returncode != 0:
        result.update(status="FAIL (install)", install_s=time.perf_counter() - t0, versions={})
        return result
    # as `make env`: the package itself, editable, no dependencies (hatchling,
    # the build backend, is in environment.yml's test set: no network needed)
    run([uv, "pip", "install", "--quiet", "--python", py, "--no-deps", "--no-build-isolation",
         "-e", ROOT], check=True, stdout=subprocess.DEVNULL)
    # as `make env`: the environment's JupyterLab/nbconvert/kernel settings
    run([py, ROOT / "tools" / "lab_settings.py"], check=True, stdout=subprocess.DEVNULL)
    result["install_s"] = time.perf_counter() - t0
    result["versions"] = versions_in(py)
    print(f"[{name}] resolved: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()),
          flush=True)
    t1 = time.perf_counter()
    # the same folders as `make test`: the source (model answers) and the student edition
    notebooks = [str(ROOT / d) for d in ("instructor", "notebooks") if (ROOT / d).is_dir()]
    targets = [str(ROOT / t) for t in targets] if targets else [str(ROOT / "tests"), *notebooks]
    cmd = [py, "-m", "pytest", "-n", "2", "--dist", "loadscope", "--nbval", "--nbval-current-env",
           "-p", "no:cacheprovider", "-q", *targets, *pytest_args]
    if os.geteuid() == 0 and offline.unshare_command():
        cmd = [sys.executable, ROOT / "tools" / "offline.py", "--", *cmd]  # as in CI: no network
        result["offline"] = True
    r = run(cmd, cwd=ROOT, capture_output=True, text=True)
    result["test_s"] = time.perf_counter() - t1
    log = ROOT / "artifacts" / f"versions-{name}.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(r.stdout + r.stderr, encoding="utf-8")
    result["log"] = str(log.relative_to(ROOT))
    tail = (r.stdout + r.stderr).strip().splitlines()
    result["summary"] = tail[-1] if tail else ""
    if r.returncode != 0:
        failed = [ln for ln in tail if ln.startswith(("FAILED", "ERROR"))]
        result["failed"] = failed
        print("\n".join(tail[-60:]))
    result["status"] = "PASS" if r.returncode == 0 else "FAIL"
    print(f"[{name}] {result['status']}: {result['summary']} (full log: {result['log']})", flush=True)
    return result


def table(results: list[dict]) -> str:
    names = [r["name"] for r in results]
    lines = ["| package | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    for pkg in ["python"] + KEY_PACKAGES:
        lines.append(f"| {pkg} | " + " | ".join(r.get("versions", {}).get(pkg, "?") for r in results) + " |")
    lines.append("| install (s) | " + " | ".join(f"{r.get('install_s', 0):.0f}" for r in results) + " |")
    lines.append("| tests (s) | " + " | ".join(f"{r.get('test_s', 0):.0f}" for r in results) + " |")
    lines.append("| **result** | " + " | ".join(f"**{r['status']}** {r.get('summary', '')}"
                                               for r in results) + " |")
    return "\n".join(lines)


def ensure_node_modules() -> None:
    """The classroom tests need the proxy from package-lock.json (`make classroom-env`);
    a fresh clone has none, so install it first, as `make classroom-env` would."""
    if (ROOT / "node_modules" / ".bin" / "configurable-http-proxy").exists():
        return
    if shutil.which("npm") is None:
        raise SystemExit("error: node_modules/ is missing and npm is not installed; install Node.js >= 18 "
                         "with npm (Debian: apt-get install nodejs npm), or run `make classroom-env`")
    run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["newest", "lowest"], action="append")
    ap.add_argument("--newest-python", help="interpreter for the newest set")
    ap.add_argument("--lowest-python", help="interpreter for the lowest set (default: 3.10)")
    ap.add_argument("--keep", action="store_true", help="keep the environments (path printed)")
    ap.add_argument("--tests", nargs="+", metavar="PATH",
                    help="run only these pytest targets (relative to the repository), not the whole "
                         "suite and notebooks; e.g. --tests tests/test_classroom.py")
    ap.add_argument("pytest_args", nargs=argparse.REMAINDER, help="-- extra pytest arguments")
    args = ap.parse_args(argv)
    uv = find_uv()
    ensure_node_modules()
    extra = args.pytest_args[1:] if args.pytest_args[:1] == ["--"] else args.pytest_args
    plans = {
        "newest": (args.newest_python or find_python(["3.13", "3.12", "3.11"]), "highest"),
        "lowest": (args.lowest_python or find_python(["3.10"]), "lowest-direct"),
    }
    workdir = Path(tempfile.mkdtemp(prefix="deirezzor-versions-"))
    reqs = workdir / "requirements.txt"
    reqs.write_text("\n".join(envreqs.requirements()) + "\n", encoding="utf-8")
    results = []
    try:
        for name in args.only or ["newest", "lowest"]:
            python, resolution = plans[name]
            results.append(check(name, python, resolution, reqs, uv, extra, workdir, args.tests))
    finally:
        if args.keep:
            print(f"environments kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    md = table(results)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ROOT / "artifacts" / "versions.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(f"# Version check, {stamp}\n\n{md}\n", encoding="utf-8")
    print("\n" + md + f"\n\n(written to {out.relative_to(ROOT)})")
    return 0 if all(r["status"] == "PASS" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
