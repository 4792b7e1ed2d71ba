"""Build the deirezzor wheel and install it into another environment, offline.

Used by tools/classroom.py (the Hub's user environment) and
tests/test_packaging.py.  The wheel is built with the hatchling of the running
environment (environment.yml's test set), by calling its PEP 517 hook: what
`pip wheel --no-build-isolation` does, without needing pip (environments made
by `uv venv` have none).  It is installed with --no-deps and no index, by pip
when the running environment has it, else by uv.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_wheel(src: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    code = "import sys; from hatchling.build import build_wheel; print(build_wheel(sys.argv[1]))"
    r = subprocess.run([sys.executable, "-c", code, str(out)], cwd=src, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"building the wheel failed:\n{r.stderr[-3000:]}")
    return out / r.stdout.strip().splitlines()[-1]


def _uv() -> str | None:
    for cand in (shutil.which("uv"), str(Path(sys.executable).parent / "uv"), str(ROOT / ".venv" / "bin" / "uv")):
        if cand and Path(cand).is_file():
            return cand
    return None


def install_wheel(python: Path, wheel: Path) -> None:
    """`pip install --no-deps` of ``wheel`` into the environment of ``python``."""
    if importlib.util.find_spec("pip") is not None:
        cmd = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
               "-q", str(wheel)]
    elif _uv():
        cmd = [_uv(), "pip", "install", "--python", str(python), "--no-deps", "--offline",
               "--compile-bytecode", "-q", str(wheel)]
    else:
        raise RuntimeError("neither pip nor uv is available to install the wheel")
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
