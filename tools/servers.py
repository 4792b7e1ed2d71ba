"""Start, wait for and stop local server processes: one way, shared.

Used by tools/classroom.py (JupyterHub, its proxy, the students' servers) and
reusable by tests/browser_helpers.py (JupyterLab).  Standard library, plus
psutil for ``ProcessTracker`` (imported only there).

    port = free_port()
    proc = start([...], log_path)            # own process group (session)
    wait_http(f"http://127.0.0.1:{port}/hub/health", proc, 60, log_path)
    ...
    stop(proc)                                # SIGTERM to the group, then SIGKILL

``start`` puts each server in a new session, so ``stop`` can signal the
server and everything it started (kernels, a proxy) with one killpg.
``ProcessTracker`` remembers every descendant it has seen, so processes that
moved into sessions of their own (a JupyterHub spawns each user's server so)
are still stopped at the end, even after their parent died.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterable, Optional


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Optional[Path], chars: int = 4000) -> str:
    try:
        return Path(path).read_text(errors="replace")[-chars:] if path else ""
    except OSError:
        return ""


def start(cmd: list, log_path: Path, env: Optional[dict] = None, cwd: Optional[Path] = None
          ) -> subprocess.Popen:
    """Start ``cmd`` in its own session, stdout+stderr to ``log_path``."""
    log = open(log_path, "wb")
    try:
        return subprocess.Popen([str(c) for c in cmd], stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True)
    finally:
        log.close()  # the child holds its own descriptor


def wait_http(url: str, proc: Optional[subprocess.Popen], timeout: float, log_path: Optional[Path] = None,
              ok: Callable[[int], bool] = lambda status: status < 500, what: str = "server") -> None:
    """Poll ``url`` until it answers with a status ``ok`` accepts (any answer
    below 500 by default); fail early, with the log's tail, if ``proc`` exits."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode}:\n{tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except (urllib.error.URLError, ConnectionError, OSError) as e:
            last = str(e)
            time.sleep(0.2)
            continue
        if ok(status):
            return
        last = f"HTTP {status}"
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not answer {url} in {timeout:.0f}s ({last}):\n{tail(log_path)}")


def stop(proc: Optional[subprocess.Popen], timeout: float = 15.0, sig: int = signal.SIGTERM) -> None:
    """Signal the process group of ``proc`` (started by ``start``), wait, then
    SIGKILL what is left.  Safe to call twice."""
    if proc is None:
        return
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        pgid = None
    if proc.poll() is None:
        _signal_group(pgid, proc, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    # whatever is left in the group (children that outlived the leader)
    _signal_group(pgid, proc, signal.SIGKILL)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def _signal_group(pgid, proc, sig) -> None:
    try:
        if pgid is not None and pgid != os.getpgid(0):
            os.killpg(pgid, sig)
        elif proc.poll() is None:
            proc.send_signal(sig)
    except (ProcessLookupError, PermissionError):
        pass


class ProcessTracker:
    """Every descendant of some root processes, remembered once seen.

    ``poll()`` returns the live descendants (psutil.Process objects) and adds
    them to the set that ``kill_all()`` ends.  A PID is matched together with
    its start time, so a reused PID is never signalled."""

    def __init__(self, roots: Iterable[int] = ()):
        import psutil
        self._psutil = psutil
        self.roots = set(roots)
        self.seen: dict = {}  # (pid, create_time) -> Process

    def add_root(self, pid: int) -> None:
        self.roots.add(pid)

    def poll(self) -> list:
        psutil = self._psutil
        live = []
        for pid in list(self.roots):
            try:
                root = psutil.Process(pid)
                kids = root.children(recursive=True)
            except psutil.Error:
                continue
            for p in kids:
                try:
                    key = (p.pid, p.create_time())
                except psutil.Error:
                    continue
                self.seen.setdefault(key, p)
                live.append(p)
        return live

    def kill_all(self, timeout: float = 10.0) -> int:
        """SIGTERM every remembered process still alive, then SIGKILL; returns
        how many were still alive."""
        psutil = self._psutil
        self.poll()
        alive = []
        for (pid, created), p in self.seen.items():
            try:
                if p.is_running() and p.create_time() == created:
                    alive.append(p)
            except psutil.Error:
                pass
        for p in alive:
            try:
                p.terminate()
            except psutil.Error:
                pass
        _, still = psutil.wait_procs(alive, timeout=timeout)
        for p in still:
            try:
                p.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(still, timeout=5)
        return len(alive)
