"""What the tests need from the machine beyond Python packages, in one place.

Each ``need_*`` function returns quietly when the tool is there.  When it is
missing, the test is SKIPPED outside CI, with a reason that names what is
missing and how to install it (``make test`` runs pytest with ``-rs``, so the
reasons are listed at the end), and FAILS under ``CI=true``: CI must never
pass by skipping what it was meant to prove.

| tool | tests | Debian / Ubuntu | macOS | Windows |
| --- | --- | --- | --- | --- |
| Chromium | test_browser, test_html_edition | apt-get install chromium | install Chromium, set DEIREZZOR_CHROMIUM | set DEIREZZOR_CHROMIUM |
| fonts (DejaVu, Liberation) | test_browser's font set-ups | apt-get install fonts-dejavu-core fonts-liberation | - (skipped: the set-ups are Linux fontconfig) | - |
| npm (configurable-http-proxy) | test_classroom | apt-get install nodejs npm | brew install node | install Node.js |
| unshare + ip (network namespace) | test_offline | apt-get install util-linux iproute2 | - (Linux only) | - |
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REPO = Path(__file__).resolve().parent.parent


def missing(msg: str) -> None:
    """Skip (outside CI) or fail (CI=true) with ``msg``."""
    if IN_CI:
        pytest.fail("CI=true, and a tool the tests need is missing: " + msg, pytrace=False)
    pytest.skip(msg)


def need_proxy() -> Path:
    """configurable-http-proxy from node_modules/ (package-lock.json), for the Hub."""
    chp = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
    if chp.exists():
        return chp
    if shutil.which("npm") is None:
        missing("the classroom tests did NOT run: npm is not on PATH, so configurable-http-proxy "
                "(the JupyterHub proxy) cannot be installed. Install Node.js with npm "
                "(Debian/Ubuntu: apt-get install nodejs npm; macOS: brew install node), then run make test again.")
    missing(f"the classroom tests did NOT run: {chp.relative_to(REPO)} is missing; "
            "run `make classroom-env` (npm ci), which `make test` does when npm is on PATH.")
    return chp
