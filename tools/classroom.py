#!/usr/bin/env python3
"""A class of N simulated students on a REAL local JupyterHub (``make classroom STUDENTS=N``).

    python tools/classroom.py --students 30
    python tools/classroom.py --students 3 --repull-check     # what the test runs
    python tools/classroom.py --students 30 --keep-kernels    # students never close a notebook

What it starts, all on 127.0.0.1, all stopped at the end (also on Ctrl-C,
SIGTERM or a failure: finally blocks, atexit, process groups, and every
process the Hub ever started is remembered and ended):

* **the student edition as a git remote**: a bare repository
  ``<tmp>/remote/deirezzor-2016`` whose branch ``student`` holds what ``make
  publish-student`` would publish (tools/publish_student.py; here from the
  working tree, so uncommitted notebooks are tested too);
* **the user environment**, as on The Littlest JupyterHub (/opt/tljh/user):
  a fresh venv into which the deirezzor WHEEL (built from this repository,
  data inside) is pip-installed with --no-deps; its other libraries come from
  the project's .venv through a plain .pth (paths only: the editable link of
  the clone does not come along).  Server extensions: jupyterlab and
  nbgitpuller only;
* **JupyterHub** (PyPI) with **configurable-http-proxy** (npm, from
  package-lock.json: ``make classroom-env``), ``DummyAuthenticator`` with a
  password, ``SimpleLocalProcessSpawner`` with one home per user under the
  temporary folder.

Then N students, concurrently, each with its own cookie jar:

1. open the nbgitpuller link (tools/nbgitpuller_link.py) -> the Hub's login
   form -> POST username, password and _xsrf -> back to the link -> "server
   not running" page -> its Launch button (/hub/spawn) -> spawn-pending (its
   progress event stream, as the page's script reads it) -> the server's
   nbgitpuller page; then the pull itself (the event stream
   ``/user/NAME/git-pull/api`` that page opens) clones the branch into
   ``~/deirezzor-2016``.  *login -> ready* is the time until the server
   answered and the pull finished.
2. notebook by notebook in lesson order, all on the same notebook at the
   same time: open it (POST /api/sessions: a kernel starts; wait for
   kernel_info), wait for the whole class (a barrier), then Run All: every
   code cell executed in order over the kernel websocket, each waited for
   until the kernel is idle, stopping at the first error as JupyterLab does
   (cells tagged ``raises-exception`` may raise).  *Run All -> last figure*
   is the time to the last output carrying application/vnd.plotly.v1+json
   (or to the last cell's end in a notebook without figures).  Then the
   student closes the notebook (DELETE the session: its kernel stops) unless
   --keep-kernels.
3. the floor: the same class running a notebook that only imports pandas.

The user environment is set up as lessons.md says for a Hub, including
tools/lab_settings.py, whose kernel preload makes every kernel import pandas
and plotly while it starts (so "open" includes them and Run All does not);
--no-preload measures a plain Hub.

Memory: every 0.25 s the resident set size (RSS) of every single-user server
and kernel is summed (psutil); every 2 s also PSS (shared pages divided among
the processes that share them, from /proc/PID/smaps_rollup), which is what
the machine really gives the class.  The Hub and the proxy are not counted.

--repull-check (the test's "bad input" case): after the run, student 1 edits
a notebook (PUT /api/contents), the instructor publishes a new commit that
changes another notebook, student 1 pulls again through the same link, and
the script checks that the edit is still there AND the instructor's change
arrived (nbgitpuller merges with -Xours: the student's side wins).

Logs: the Hub's and one per student's single-user server (jupyterhub.log,
student01.log, ...) go to a folder beside the report, artifacts/classroom-logs/
by default (--logs), emptied at the start of a run and kept after it.  When a
student's step fails, the last lines of that student's server log are printed.

Writes artifacts/classroom.md (tables) and artifacts/classroom.json, and ends
with exactly one line:
``classroom: N students, K ran every notebook, F failed, last figure after X s, peak memory Y MB``
Exit status 0 only when every student ran every notebook (and the re-pull
check, if asked, held).
"""
from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import os
import re
import secrets
import shutil
import signal
import site
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbgitpuller_link  # noqa: E402
import publish_student  # noqa: E402
import servers  # noqa: E402
import wheels  # noqa: E402

PLOTLY_MIME = "application/vnd.plotly.v1+json"
BRANCH = "student"
REPO_NAME = "deirezzor-2016"
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
FLOOR_NAME = "floor-import-pandas.ipynb"
ARTIFACTS = ROOT / "artifacts"
# What every kernel and server gets (Spawner.environment): one BLAS thread
# per kernel. OpenBLAS otherwise starts a thread (and a buffer) per core in
# each of the N kernels, for nothing: these notebooks do no linear algebra.
SERVER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --------------------------------------------------------------------------
# Set-up: remote, user environment, Hub
# --------------------------------------------------------------------------
def git(*args, cwd=None, env=None) -> str:
    r = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


def make_remote(tmp: Path) -> Path:
    """A bare repository holding the student edition on branch ``student``."""
    remote = tmp / "remote" / REPO_NAME
    remote.mkdir(parents=True)
    git("init", "-q", "--bare", str(remote))
    git("symbolic-ref", "HEAD", f"refs/heads/{BRANCH}", env=dict(os.environ, GIT_DIR=str(remote)))
    files = publish_student.files_in_worktree(ROOT)
    publish_student.commit_files(remote, BRANCH, files, "Student edition (make classroom)")
    return remote


def make_user_env(tmp: Path, preload: bool = True, lean_server: bool = True) -> Path:
    """The Hub's user environment: a venv with the deirezzor wheel installed,
    then tools/lab_settings.py run in it (as binder/postBuild does): no news
    prompt, figures in HTML exports and, unless ``preload`` is False, kernels
    that import pandas and plotly while they start (exec_lines in the
    environment's etc/ipython/ipython_kernel_config.py).

    ``lean_server`` (lessons.md, "Sizing a Hub": `pip uninstall
    rfc3987-syntax` in the user environment): without that package each
    Jupyter server is about 15 MB and 1.5 CPU s lighter, because jsonschema,
    imported by every server through jupyter_events, builds its IRI grammar
    at import time; jupyter_events then no longer checks the "iri" format of
    its own event records.  The libraries here are the project's .venv, seen
    through a .pth, so the package cannot be uninstalled for this run alone:
    a second .pth hides it from the import system instead (the same effect
    for every process of the environment)."""
    env_dir = tmp / "userenv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env_dir)
    py = env_dir / "bin" / "python"
    purelib = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    libs = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "zz_project_libraries.pth").write_text("\n".join(libs) + "\n")
    if lean_server:
        (purelib / "zz_without_rfc3987_syntax.pth").write_text(
            "import sys; sys.modules.setdefault('rfc3987_syntax', None)\n")
    # the step lessons.md gives for The Littlest JupyterHub, minus the network:
    # pip install of the package (a wheel, data inside) into the user environment
    wheels.install_wheel(py, wheels.build_wheel(ROOT, tmp / "wheel"))
    cfg = env_dir / "etc" / "jupyter"
    cfg.mkdir(parents=True)
    (cfg / "jupyter_server_config.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {"jupyterlab": True, "nbgitpuller": True}},
         # Kernels talk to their server over Unix sockets, not TCP ports: with
         # TCP, 30 servers starting kernels at once on one machine raced for the
         # same free ports, and a server then read another student's kernel
         # ("Invalid Signature", kernel_info timeouts, closed websockets).
         "KernelManager": {"transport": "ipc"}}, indent=1))
    lab = Path(sys.prefix) / "share" / "jupyter" / "lab"
    if lab.is_dir():  # JupyterLab's static files, for a real browser
        (env_dir / "share" / "jupyter").mkdir(parents=True, exist_ok=True)
        (env_dir / "share" / "jupyter" / "lab").symlink_to(lab)
    subprocess.run([str(py), str(ROOT / "tools" / "lab_settings.py")], check=True, capture_output=True)
    kernel_cfg = env_dir / "etc" / "ipython" / "ipython_kernel_config.py"
    if not preload:
        kernel_cfg.unlink(missing_ok=True)
    elif "exec_lines" not in (kernel_cfg.read_text() if kernel_cfg.exists() else ""):
        raise RuntimeError(f"tools/lab_settings.py wrote no kernel preload into {kernel_cfg}")
    return env_dir


# A class that logs in at once on 2 cores: 30 servers start together and the
# last answers after a minute or more, past JupyterHub's default http_timeout
# of 30 s (the student gets "failed to start"). --default-timeouts shows it.
TIMEOUTS = """c.Spawner.http_timeout = 300
c.Spawner.start_timeout = 300
"""

HUB_CONFIG = """\
# Written by tools/classroom.py for one run; deleted with its folder.
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.JupyterHub.db_url = "sqlite:///{tmp}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{tmp}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{tmp}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.ConfigurableHTTPProxy.command = ["{chp}"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.auth_token = "{proxy_token}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = "{password}"
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = "{tmp}/homes/{{username}}"
# each student's server writes its log to a file of its own (NAME.log in the
# run's log folder, kept after the run); exec: the shell becomes the server
c.Spawner.cmd = ["/bin/sh", "-c", 'exec "$@" >>"$CLASSROOM_SERVER_LOGS/$JUPYTERHUB_USER.log" 2>&1', "sh",
                 "{userpy}", "-m", "jupyterhub.singleuser"]
c.Spawner.args = {args}
c.Spawner.environment = {environment}
# ipc sockets live beside the connection file; a short runtime folder keeps
# their paths under the 107-character limit of Unix socket names
c.Spawner.environment["CLASSROOM_SERVER_LOGS"] = {logs!r}
c.Spawner.environment["JUPYTER_RUNTIME_DIR"] = lambda spawner: "{tmp}/r/" + spawner.user.name
c.Spawner.default_url = "/lab"
{timeouts}c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.log_level = "WARN"
"""


@dataclass
class Hub:
    tmp: Path
    user_env: Path
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    port: int = field(default_factory=servers.free_port)
    proc: subprocess.Popen | None = None
    tracker: servers.ProcessTracker | None = None
    default_timeouts: bool = False
    logs: Path | None = None    # the Hub's log and one log per single-user server (default: tmp/logs)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if not CHP.exists():
            raise SystemExit(f"error: {CHP.relative_to(ROOT)} is missing: run `make classroom-env` "
                             "(npm ci installs configurable-http-proxy from package-lock.json)")
        (self.tmp / "homes").mkdir()
        if self.logs is None:
            self.logs = self.tmp / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
        cfg = self.tmp / "jupyterhub_config.py"
        cfg.write_text(HUB_CONFIG.format(
            port=self.port, hub_port=servers.free_port(), proxy_api_port=servers.free_port(),
            tmp=self.tmp, chp=CHP, proxy_token=secrets.token_hex(16), password=self.password,
            userpy=self.user_env / "bin" / "python", args=args, environment=SERVER_ENV,
            timeouts="" if self.default_timeouts else TIMEOUTS, logs=str(self.logs)))
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        env.pop("JUPYTERHUB_API_TOKEN", None)
        self.log_path = self.logs / "jupyterhub.log"
        self.proc = servers.start([sys.executable, "-m", "jupyterhub", "-f", cfg], self.log_path,
                                  env=env, cwd=self.tmp)
        self.tracker = servers.ProcessTracker([self.proc.pid])
        servers.wait_http(f"{self.url}/hub/health", self.proc, 120, self.log_path,
                          ok=lambda s: s == 200, what="JupyterHub")

    def server_log(self, user: str) -> Path | None:
        return self.logs / f"{user}.log" if self.logs else None

    def server_log_tail(self, user: str, lines: int = 40) -> str:
        """The last ``lines`` lines of ``user``'s single-user server log."""
        path = self.server_log(user)
        text = servers.tail(path, 200_000).rstrip().splitlines()[-lines:] if path else []
        return "\n".join(text) if text else f"(no server log at {path})"

    def report_failure(self, user: str, step: str, error: str) -> None:
        """A student's step failed: say so, with the tail of that student's
        server log (the first few failures of a run; later ones name the file)."""
        self.failures_shown = getattr(self, "failures_shown", 0) + 1
        log(f"{user}: {step} failed: {error}")
        if self.failures_shown <= 3:
            print(f"--- last lines of {self.server_log(user)} ---\n{self.server_log_tail(user)}\n--- end ---",
                  flush=True)
        else:
            log(f"(server log: {self.server_log(user)})")

    def stop(self) -> int:
        """Stop the Hub (it stops the servers and the proxy), then end anything
        it started that is still alive.  Returns how many had to be ended."""
        if self.proc is None:
            return 0
        if self.tracker:
            self.tracker.poll()
        servers.stop(self.proc, timeout=30, sig=signal.SIGTERM)
        left = self.tracker.kill_all() if self.tracker else 0
        self.proc = None
        return left


# --------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------
class MemoryPoller(threading.Thread):
    """Sums RSS (every 0.25 s) and PSS (every 2 s) of the students' servers
    and kernels; keeps the peak per phase."""

    def __init__(self, tracker: servers.ProcessTracker, hub_pid: int):
        super().__init__(daemon=True)
        self.tracker = tracker
        self.hub_pid = hub_pid
        self.phase = "start"
        self.step = ""          # "open", "run" or "close" within a notebook: CPU is kept per step
        self.cpu: dict[tuple, dict] = {}   # (phase, step) -> {kind: CPU seconds used in it}
        self._cpu_last: dict = {}          # process key -> (kind, cumulative CPU seconds)
        self._cpu_start: dict = {}
        self.peak_rss: dict[str, float] = {}
        self.peak_pss: dict[str, float] = {}
        self.peak_kernels: dict[str, int] = {}
        self.split: dict[str, dict] = {}   # at the RSS peak: MB and count of servers and kernels
        self._stop = threading.Event()
        self._kind: dict = {}

    def kind(self, p) -> str:
        """server, kernel, proxy or other.  Only kernel and proxy are cached: a
        process seen between fork and exec still shows its parent's command
        line (a kernel would pass for a server), so the rest is re-read."""
        key = (p.pid, p.create_time())
        if key in self._kind:
            return self._kind[key]
        cmd = " ".join(p.cmdline())
        kind = ("kernel" if "ipykernel" in cmd else "proxy" if "configurable-http-proxy" in cmd
                else "server" if "jupyterhub.singleuser" in cmd else "other")
        if kind in ("kernel", "proxy"):
            self._kind[key] = kind
        return kind

    def _account_cpu(self, procs) -> None:
        """CPU seconds by kind (hub, proxy, servers, kernels) used in each step."""
        import psutil
        try:
            hub = psutil.Process(self.hub_pid)
            procs = [hub, *procs]
        except psutil.Error:
            pass
        for p in procs:
            try:
                key = (p.pid, p.create_time())
                kind = "hub" if p.pid == self.hub_pid else self.kind(p)
                c = p.cpu_times()
                self._cpu_last[key] = (kind, c.user + c.system + c.children_user + c.children_system)
            except psutil.Error:
                continue
        totals: dict[str, float] = {}
        for kind, sec in self._cpu_last.values():
            totals[kind] = totals.get(kind, 0.0) + sec
        at = (self.phase, self.step)
        start = self._cpu_start.setdefault(at, totals)
        self.cpu[at] = {k: v - start.get(k, 0.0) for k, v in totals.items()}

    @staticmethod
    def pss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def run(self) -> None:
        import psutil
        i = 0
        while not self._stop.is_set():
            rss = pss = kernels = 0
            by = {"server": [0, 0], "kernel": [0, 0]}
            with_pss = i % 8 == 0
            procs = self.tracker.poll()
            self._account_cpu(procs)
            for p in procs:
                try:
                    k = self.kind(p)
                    if k not in by:
                        continue
                    r = p.memory_info().rss
                    rss += r
                    by[k][0] += r
                    by[k][1] += 1
                    kernels += k == "kernel"
                    if with_pss:
                        pss += self.pss(p.pid)
                except psutil.Error:
                    continue
            ph = self.phase
            if rss / 2**20 > self.peak_rss.get(ph, 0):
                self.split[ph] = {f"{k}_{w}": (v[0] / 2**20 if w == "mb" else v[1])
                                  for k, v in by.items() for w in ("mb", "n")}
            self.peak_rss[ph] = max(self.peak_rss.get(ph, 0), rss / 2**20)
            self.peak_kernels[ph] = max(self.peak_kernels.get(ph, 0), kernels)
            if with_pss:
                self.peak_pss[ph] = max(self.peak_pss.get(ph, 0), pss / 2**20)
            i += 1
            self._stop.wait(0.25)

    def stop(self) -> None:
        self._stop.set()


# --------------------------------------------------------------------------
# A student
# --------------------------------------------------------------------------
@dataclass
class Result:
    notebook: str
    open_s: float | None = None       # POST session -> kernel_info_reply
    run_s: float | None = None        # Run All -> last cell done
    figure_s: float | None = None     # Run All -> last plotly output (None: no figure)
    figures: int = 0
    cells: int = 0
    error: str = ""

    @property
    def last_s(self) -> float | None:
        return self.figure_s if self.figure_s is not None else self.run_s


class Student:
    def __init__(self, name: str, hub: Hub, repo_url: str, cell_timeout: float, arrival_timeout: float = 900):
        import httpx
        self.name = name
        self.arrival_timeout = arrival_timeout
        self.hub = hub
        self.repo_url = repo_url
        self.cell_timeout = cell_timeout
        self.client = httpx.AsyncClient(base_url=hub.url, follow_redirects=True,
                                        timeout=httpx.Timeout(600.0, connect=60.0))
        self.prefix = f"/user/{name}"
        self.ready_s: float | None = None
        self.pull_s: float | None = None
        self.results: list[Result] = []
        self.error = ""

    @property
    def link(self) -> str:
        return nbgitpuller_link.link(self.hub.url, self.repo_url, BRANCH)

    def _xsrf(self) -> str:
        # the single-user server's _xsrf cookie (path /user/NAME/)
        for c in self.client.cookies.jar:
            if c.name == "_xsrf" and c.path.startswith(self.prefix):
                return c.value
        return ""

    async def arrive(self) -> None:
        """Click the link, log in, launch the server, pull the notebooks."""
        t0 = time.perf_counter()
        r = await self.client.get(self.link)                      # -> the login form
        form = re.search(r'<form[^>]*action="([^"]+)"', r.text)
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', r.text)
        if not (form and xsrf):
            raise RuntimeError(f"no login form at {r.url} (HTTP {r.status_code})")
        action = form.group(1).replace("&amp;", "&")
        r = await self.client.post(action, data={"username": self.name, "password": self.hub.password,
                                                 "_xsrf": xsrf.group(1)})
        if "/hub/login" in r.url.path:
            raise RuntimeError(f"login refused (HTTP {r.status_code})")
        deadline = time.monotonic() + self.arrival_timeout
        while time.monotonic() < deadline:
            if r.status_code >= 500:                              # the spawn failed: the Hub says so
                text = re.sub(r"<[^>]+>", " ", r.text)
                msg = re.search(r"has failed\.(.*?)Would you like", text, re.S)
                why = re.sub(r"\s+", " ", msg.group(1) if msg else "").strip()[:300]
                raise RuntimeError(f"server failed to start (HTTP {r.status_code}): "
                                   + (why or "the Hub gave up on it (its log says why; Spawner.http_timeout?)"))
            if r.status_code == 424:                              # "server not running": Launch
                spawn = re.search(r'href="([^"]*/hub/spawn/[^"]*)"', r.text)
                if not spawn:
                    raise RuntimeError("no launch button on the not-running page")
                r = await self.client.get(spawn.group(1).replace("&amp;", "&"))
                continue
            if r.url.path.startswith(f"{self.prefix}/git-pull") and r.status_code == 200:
                break                                             # nbgitpuller's page, served by the server
            if "/hub/spawn-pending/" not in r.url.path and r.status_code >= 400:
                raise RuntimeError(f"HTTP {r.status_code} at {r.url}: {r.text[:300]}")
            nxt = parse_qs(urlsplit(str(r.url)).query).get("next", [None])[0]
            progress = re.search(r'new EventSource\("([^"]+)"\)', r.text)
            if "/hub/spawn-pending/" in r.url.path and progress:
                # as the pending page's script does: follow the spawn's progress stream
                await self.wait_for_spawn(progress.group(1).replace("&amp;", "&"))
            else:
                await asyncio.sleep(0.5)
            r = await self.client.get(nxt or self.link)
        else:
            raise RuntimeError(f"the server was not ready after {self.arrival_timeout:.0f} s")
        self.ready_s = time.perf_counter() - t0
        await self.pull()
        self.pull_s = time.perf_counter() - t0

    async def wait_for_spawn(self, url: str) -> None:
        """Read the Hub's spawn progress event stream until ready or failed."""
        async with self.client.stream("GET", url, timeout=None) as r:
            if r.status_code != 200:
                await asyncio.sleep(0.5)
                return
            async for line in r.aiter_lines():
                if not line.startswith("data: "):
                    continue
                evt = json.loads(line[6:])
                if evt.get("failed"):
                    raise RuntimeError(f"server failed to start: {evt.get('message', evt)}"[:400])
                if evt.get("ready"):
                    return

    async def pull(self) -> None:
        """What nbgitpuller's page does: read its event stream to the end."""
        q = urlencode({"repo": self.repo_url, "branch": BRANCH, "targetpath": REPO_NAME})
        phases, last = [], {}
        async with self.client.stream("GET", f"{self.prefix}/git-pull/api?{q}") as r:
            if r.status_code != 200:
                raise RuntimeError(f"git-pull api: HTTP {r.status_code}")
            async for line in r.aiter_lines():
                if line.startswith("data: "):
                    last = json.loads(line[6:])
                    phases.append(last.get("phase"))
        if "finished" not in phases:
            raise RuntimeError(f"nbgitpuller: {last.get('message') or last}")

    async def api(self, method: str, path: str, body=None):
        r = await self.client.request(method, f"{self.prefix}/api/{path}", json=body,
                                      headers={"X-XSRFToken": self._xsrf()})
        if r.status_code >= 400:
            raise RuntimeError(f"{method} /api/{path}: HTTP {r.status_code} {r.text[:200]}")
        return r.json() if r.content else None

    # -- one notebook
    async def open(self, rel: str) -> dict:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        t0 = time.perf_counter()
        s = await self.api("POST", "sessions", {"path": rel, "name": Path(rel).name, "type": "notebook",
                                                "kernel": {"name": "python3"}})
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies.jar
                            if c.path in ("/", "/hub/") or c.path.startswith(self.prefix))
        ws_url = (f"ws://127.0.0.1:{self.hub.port}{self.prefix}/api/kernels/{s['kernel']['id']}/channels"
                  f"?session_id={secrets.token_hex(8)}")
        ws = await websocket_connect(HTTPRequest(ws_url, headers={"Cookie": cookies},
                                                 connect_timeout=120, request_timeout=120),
                                     max_message_size=64 * 2**20)
        kernel = {"session": s, "ws": ws, "queue": {}, "open_s": 0.0}
        reply = await self._request(kernel, "kernel_info_request", {}, "shell", timeout=300)
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel_info: {reply['content']}")
        kernel["open_s"] = time.perf_counter() - t0
        return kernel

    async def _send(self, kernel, msg_type: str, content: dict, channel: str) -> str:
        msg_id = secrets.token_hex(12)
        await kernel["ws"].write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": self.name,
                       "session": kernel["session"]["id"], "date": datetime.now(timezone.utc).isoformat(),
                       "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    async def _request(self, kernel, msg_type, content, channel, timeout):
        msg_id = await self._send(kernel, msg_type, content, channel)
        deadline = time.monotonic() + timeout
        while True:
            raw = await asyncio.wait_for(kernel["ws"].read_message(), max(0.1, deadline - time.monotonic()))
            if raw is None:
                raise RuntimeError("kernel websocket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") == msg_id and msg.get("channel") == "shell":
                return msg

    async def run_all(self, kernel, nb: dict, res: Result) -> None:
        """Run every code cell in order; wait for each until the kernel is idle."""
        t0 = time.perf_counter()
        ws = kernel["ws"]
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            res.cells += 1
            msg_id = await self._send(kernel, "execute_request", {
                "code": src, "silent": False, "store_history": True, "user_expressions": {},
                "allow_stdin": False, "stop_on_error": True}, "shell")
            idle = replied = False
            status, err = "ok", ""
            deadline = time.monotonic() + self.cell_timeout
            while not (idle and replied):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"cell {res.cells} did not finish in {self.cell_timeout:.0f}s")
                raw = await asyncio.wait_for(ws.read_message(), left)
                if raw is None:
                    raise RuntimeError("kernel websocket closed (kernel died?)")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind in ("display_data", "execute_result", "update_display_data"):
                    if PLOTLY_MIME in msg["content"].get("data", {}):
                        res.figures += 1
                        res.figure_s = time.perf_counter() - t0
                elif kind == "error":
                    err = f"{msg['content']['ename']}: {msg['content']['evalue']}"[:300]
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
                elif kind == "execute_reply" and msg.get("channel") == "shell":
                    replied = True
                    status = msg["content"]["status"]
            if status != "ok" and "raises-exception" not in cell.get("metadata", {}).get("tags", []):
                raise RuntimeError(f"cell {res.cells} raised {err or status}")
        res.run_s = time.perf_counter() - t0

    async def close(self, kernel) -> None:
        try:
            kernel["ws"].close()
        finally:
            await self.api("DELETE", f"sessions/{kernel['session']['id']}")

    async def aclose(self) -> None:
        await self.client.aclose()


# --------------------------------------------------------------------------
# The class
# --------------------------------------------------------------------------
res_wall: dict[str, float] = {}   # notebook -> Run All wall time of the whole class


def floor_notebook() -> dict:
    return {"cells": [{"cell_type": "code", "id": "floor", "execution_count": None, "metadata": {}, "outputs": [],
                       "source": "import pandas as pd\nprint(pd.__version__)"}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


async def lesson(students: list[Student], rel: str, nb: dict, poller: MemoryPoller, keep: bool,
                 active: list[Student]) -> None:
    """One notebook, the whole class at once: open, barrier, Run All, close."""
    name = Path(rel).stem
    res = {s.name: Result(name) for s in students}
    for s in students:
        s.results.append(res[s.name])
        if s not in active:
            res[s.name].error = "not reached (failed before)"
    kernels: dict = {}
    poller.phase = name

    async def open_one(s):
        try:
            kernels[s.name] = await s.open(rel)
            res[s.name].open_s = kernels[s.name]["open_s"]
        except Exception as e:  # noqa: BLE001 -- recorded per student
            res[s.name].error = f"open: {e}"
            s.hub.report_failure(s.name, f"opening {rel}", res[s.name].error)

    async def run_one(s):
        if s.name not in kernels:
            return
        try:
            await s.run_all(kernels[s.name], nb, res[s.name])
        except Exception as e:  # noqa: BLE001
            res[s.name].error = f"run: {type(e).__name__}: {e}"
            s.hub.report_failure(s.name, f"Run All of {rel}", res[s.name].error)

    poller.step = "open"
    await asyncio.gather(*(open_one(s) for s in active))         # everyone opens the notebook...
    poller.step = "run"
    t = time.perf_counter()
    await asyncio.gather(*(run_one(s) for s in active))          # ...and presses Run All together
    wall = time.perf_counter() - t
    res_wall[name] = wall
    poller.step = "close"
    if not keep:
        await asyncio.gather(*(s.close(k) for s in active if (k := kernels.get(s.name))),
                             return_exceptions=True)
    else:
        for k in kernels.values():
            k["ws"].close()
    ok = sum(1 for s in active if not res[s.name].error)
    cpu = poller.cpu.get((name, "run"), {})
    log(f"{name}: {ok}/{len(active)} ran it, class done after {wall:.1f} s, "
        f"peak RSS {poller.peak_rss.get(name, 0):.0f} MB, Run All CPU s: "
        + ", ".join(f"{k} {v:.1f}" for k, v in sorted(cpu.items())))


async def repull_check(s: Student, remote: Path) -> dict:
    """Student edits notebook A; the instructor publishes a change to B; the
    student pulls again.  The edit must survive and the change must arrive."""
    nbs = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb"))
    a, b = f"{REPO_NAME}/notebooks/{nbs[0].name}", f"{REPO_NAME}/notebooks/{nbs[-1].name}"
    mark_student = f"student edit {secrets.token_hex(4)}"
    mark_teacher = f"instructor update {secrets.token_hex(4)}"
    model = await s.api("GET", f"contents/{a}?content=1")
    model["content"]["cells"].append({"cell_type": "markdown", "metadata": {}, "source": mark_student})
    await s.api("PUT", f"contents/{a}", {"type": "notebook", "format": "json", "content": model["content"]})
    files = publish_student.files_in_worktree(ROOT)
    key = f"notebooks/{nbs[-1].name}"
    nb_b = json.loads(files[key])
    nb_b["cells"].append({"cell_type": "markdown", "metadata": {}, "source": mark_teacher})
    files[key] = (json.dumps(nb_b, indent=1, ensure_ascii=False) + "\n").encode()
    files["notebooks/new-handout.md"] = f"{mark_teacher}\n".encode()
    publish_student.commit_files(remote, BRANCH, files, "instructor update")
    r = await s.client.get(s.link)          # the same link again: the page, then its pull
    if r.status_code != 200:
        raise RuntimeError(f"re-pull page: HTTP {r.status_code}")
    await s.pull()
    got_a = json.dumps(await s.api("GET", f"contents/{a}?content=1"))
    got_b = json.dumps(await s.api("GET", f"contents/{b}?content=1"))
    new = await s.api("GET", f"contents/{REPO_NAME}/notebooks/new-handout.md?content=1")
    out = {"edit_kept": mark_student in got_a, "update_arrived": mark_teacher in got_b,
           "new_file_arrived": mark_teacher in new.get("content", "")}
    log(f"re-pull check ({s.name}): {out}")
    if not all(out.values()):
        s.hub.report_failure(s.name, "re-pull check", str(out))
    return out


def sizing(n: int, lesson_rows: list, poller: MemoryPoller, peak_rss: float, peak_pss: float) -> list[str]:
    """A sizing table for 30, 100 and 300 students from this run's measurements:
    CPU seconds a student uses for Run All of the heaviest notebook and for
    arriving (server start, pull), and memory a student at the peak."""
    import math
    # open (kernel start, with the preloaded imports) + Run All: what a class
    # that opens a notebook and runs it together asks of the CPU
    runs = [(sum(r["cpu_open"].values()) + sum(r["cpu_run"].values())) / max(r["ran"], 1)
            for r in lesson_rows if r["ran"]]
    if not runs:
        return []
    cpu_run = max(runs)
    cpu_arrive = sum(poller.cpu.get(("arrival", ""), {}).values()) / max(n, 1)
    rss, pss = peak_rss / max(n, 1), peak_pss / max(n, 1)
    out = [
        "Sizing from this run (linear in the number of students; Hub and proxy included in CPU, not in "
        f"memory): a student opening and running the heaviest notebook costs {cpu_run:.2f} CPU s "
        f"(kernel start included), arriving "
        f"(server start + pull) {cpu_arrive:.2f} CPU s; memory a student at the peak {pss:.0f} MB PSS "
        f"({rss:.0f} MB RSS, which counts shared libraries once per process).",
        "",
        "| students | memory, PSS (RSS) | cores for open + Run All ≤ 45 s, the whole class at once "
        "| cores, a third at once | everyone logging in at once: last server ready after |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for k in (30, 100, 300):
        cores_all = max(1, math.ceil(k * cpu_run / 45))
        cores_third = max(1, math.ceil(k / 3 * cpu_run / 45))
        out.append(f"| {k} | {k * pss / 1024:.1f} GB ({k * rss / 1024:.1f} GB) | {cores_all} | {cores_third} | "
                   f"{k * cpu_arrive / cores_all:.0f} s on {cores_all} cores |")
    return out


def fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def report(n: int, students: list[Student], poller: MemoryPoller, names: list[str], repull: dict | None,
           started: str, setup_s: float, keep: bool, default_timeouts: bool = False, preload: bool = False,
           lean_server: bool = True):
    import psutil
    lessons = [n_ for n_ in names if n_ != Path(FLOOR_NAME).stem]
    complete = [s for s in students if not s.error and len(s.results) == len(names)
                and all(not r.error for r in s.results)]
    failed = n - len(complete)
    per_nb = []
    for nm in names:
        rs = [r for s in students for r in s.results if r.notebook == nm]
        good = [r for r in rs if not r.error]
        lasts = [r.last_s for r in good if r.last_s is not None]
        opens = [r.open_s for r in good if r.open_s is not None]
        totals = [r.open_s + r.last_s for r in good if r.open_s is not None and r.last_s is not None]
        per_nb.append({
            "notebook": nm, "ran": len(good), "of": len(rs),
            "figures": max((r.figures for r in good), default=0),
            "open_median": statistics.median(opens) if opens else None, "open_max": max(opens, default=None),
            "last_median": statistics.median(lasts) if lasts else None, "last_max": max(lasts, default=None),
            "total_max": max(totals, default=None),
            "peak_rss": poller.peak_rss.get(nm), "peak_pss": poller.peak_pss.get(nm),
            "kernels": poller.peak_kernels.get(nm), "split": poller.split.get(nm, {}),
            "cpu_run": poller.cpu.get((nm, "run"), {}), "cpu_open": poller.cpu.get((nm, "open"), {}),
            "class_wall_s": res_wall.get(nm),
        })
    lesson_rows = [r for r in per_nb if r["notebook"] in lessons]
    floor = next((r for r in per_nb if r["notebook"] == Path(FLOOR_NAME).stem), None)
    slowest = max(lesson_rows, key=lambda r: r["last_max"] or 0, default=None)
    last_fig = slowest["last_max"] if slowest else None
    peak_rss = max(poller.peak_rss.values(), default=0.0)
    peak_pss = max(poller.peak_pss.values(), default=0.0)
    lesson_peak = max((r["peak_rss"] or 0 for r in lesson_rows), default=0)
    readies = [s.ready_s for s in students if s.ready_s is not None]
    pulls = [s.pull_s for s in students if s.pull_s is not None]
    mem = psutil.virtual_memory().total / 2**30
    lines = [
        f"# Classroom: {n} simulated students on one JupyterHub",
        "",
        f"Run {started}, `make classroom STUDENTS={n}` (tools/classroom.py). Machine: "
        f"{os.cpu_count()} cores, {mem:.1f} GB RAM, Python {sys.version.split()[0]}. "
        f"Set-up (remote, user env, Hub) {setup_s:.1f} s. "
        + ("Students KEEP every kernel open (--keep-kernels)." if keep else
           "Each student closes a notebook (its kernel stops) before opening the next.")
        + (" JupyterHub's default spawn timeouts (http_timeout 30 s)." if default_timeouts else
           " Spawner.http_timeout = start_timeout = 300 s.")
        + (" Kernels import pandas and plotly while they start (tools/lab_settings.py, as in lessons.md)."
           if preload else " Kernels import nothing before Run All (--no-preload).")
        + (" Servers without rfc3987-syntax (as in lessons.md)." if lean_server
           else " Servers WITH rfc3987-syntax (--with-rfc3987-syntax)."),
        "",
        f"Arrival (link → login → server ready → pull done), all {n} at once: ready median "
        f"{fmt(statistics.median(readies) if readies else None)} s, last {fmt(max(readies, default=None))} s; "
        f"pull done last {fmt(max(pulls, default=None))} s; CPU for arrival "
        + ", ".join(f"{k_} {v / max(n, 1):.2f}" for k_, v in sorted(poller.cpu.get(("arrival", ""), {}).items()))
        + " s a student.",
        "",
        "| notebook | ran | figures | open → kernel ready s (median / last) | Run All → last figure s (median / last) "
        "| peak RSS MB (servers + kernels) | of which servers / kernels MB (count) | peak PSS MB "
        "| Run All CPU s a student: kernel / server / Hub + proxy |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in per_nb:
        sp, cr, k = r["split"], r["cpu_run"], max(r["ran"], 1)
        lines.append(f"| {r['notebook']} | {r['ran']}/{r['of']} | {r['figures']} | {fmt(r['open_median'])} / "
                     f"{fmt(r['open_max'])} | {fmt(r['last_median'])} / {fmt(r['last_max'])} | "
                     f"{r['peak_rss'] or 0:.0f} | {sp.get('server_mb', 0):.0f} ({sp.get('server_n', 0)}) / "
                     f"{sp.get('kernel_mb', 0):.0f} ({sp.get('kernel_n', 0)}) | {r['peak_pss'] or 0:.0f} | "
                     f"{cr.get('kernel', 0) / k:.2f} / {cr.get('server', 0) / k:.2f} / "
                     f"{(cr.get('hub', 0) + cr.get('proxy', 0)) / k:.2f} |")
    ratio_t = (last_fig / floor["last_max"]) if (floor and floor["last_max"] and last_fig) else None
    ratio_m = (lesson_peak / floor["peak_rss"]) if (floor and floor["peak_rss"]) else None
    slow_total = max((r["total_max"] or 0 for r in lesson_rows), default=0)
    ratio_o = (slow_total / floor["total_max"]) if (floor and floor["total_max"]) else None
    lines += ["", f"Floor (`{FLOOR_NAME}`: only `import pandas`): Run All → last figure of the slowest "
              f"notebook {fmt(ratio_t)}× the floor's Run All; open + Run All {fmt(ratio_o)}× the floor's "
              f"({fmt(slow_total)} s vs {fmt(floor['total_max'] if floor else None)} s, last student); "
              f"lesson peak RSS {fmt(ratio_m)}× the floor's.",
              f"Peak for the whole class: RSS {peak_rss:.0f} MB ({peak_rss / max(n, 1):.0f} MB a student), "
              f"PSS {peak_pss:.0f} MB ({peak_pss / max(n, 1):.0f} MB a student)."]
    lines += ["", *sizing(n, lesson_rows, poller, peak_rss, peak_pss)]
    if repull is not None:
        lines += ["", f"Re-pull after an edit (student 1): edit kept {repull.get('edit_kept')}, instructor's "
                  f"change arrived {repull.get('update_arrived')}, new file arrived {repull.get('new_file_arrived')}."]
    lines += ["", "Per student (login → ready s; Run All → last figure s per notebook; ✗ = failed):", "",
              "| student | ready | " + " | ".join(names) + " |", "| --- | ---: |" + " ---: |" * len(names)]
    for s in students:
        cells = [("✗" if r.error else fmt(r.last_s)) for r in s.results]
        cells += ["✗"] * (len(names) - len(cells))
        lines.append(f"| {s.name} | {fmt(s.ready_s)} | " + " | ".join(cells) + " |")
    errors = [f"- {s.name}: {s.error}" for s in students if s.error]
    errors += [f"- {s.name} / {r.notebook}: {r.error}" for s in students for r in s.results if r.error]
    if errors:
        lines += ["", "Failures:", "", *errors[:60]]
    final = (f"classroom: {n} students, {len(complete)} ran every notebook, {failed} failed, "
             f"last figure after {fmt(last_fig)} s, peak memory {peak_rss:.0f} MB")
    data = {"students": n, "complete": len(complete), "failed": failed, "last_figure_s": last_fig,
            "slowest_notebook": slowest["notebook"] if slowest else None, "peak_rss_mb": peak_rss,
            "peak_pss_mb": peak_pss, "floor": floor, "notebooks": per_nb, "repull": repull,
            "keep_kernels": keep, "ready_s": readies, "started": started,
            "cpu": {f"{ph}|{st}": v for (ph, st), v in poller.cpu.items()},
            "per_student": {s.name: {"ready_s": s.ready_s, "error": s.error,
                                     "results": [r.__dict__ for r in s.results]} for s in students}}
    md = "\n".join(lines) + "\n\n" + final + "\n"
    ok = failed == 0 and (repull is None or all(repull.values()))
    return md, json.dumps(data, indent=1, default=str), ok, final


async def run_class(args, hub: Hub, remote: Path, poller: MemoryPoller) -> tuple[list[Student], list[str], dict | None]:
    repo_url = remote.as_uri()
    students = [Student(f"student{i:02d}", hub, repo_url, args.cell_timeout, args.arrival_timeout)
                for i in range(1, args.students + 1)]
    try:
        poller.phase = "arrival"

        async def arrive(s):
            try:
                await s.arrive()
            except Exception as e:  # noqa: BLE001
                s.error = f"arrival: {type(e).__name__}: {e}"
                hub.report_failure(s.name, "arrival", s.error)
        await asyncio.gather(*(arrive(s) for s in students))
        ok = [s for s in students if not s.error]
        log(f"arrival: {len(ok)}/{len(students)} logged in, server ready, notebooks pulled "
            f"(last ready after {max((s.ready_s or 0) for s in students):.1f} s)")
        notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
        if args.only:
            notebooks = [p for p in notebooks if any(p.name.startswith(o) for o in args.only)]
        names = []
        for p in notebooks:
            nb = json.loads(p.read_text(encoding="utf-8"))
            active = [s for s in students if not s.error]
            await lesson(students, f"{REPO_NAME}/notebooks/{p.name}", nb, poller, args.keep_kernels, active)
            names.append(p.stem)
        # the floor: the same class, a notebook that only imports pandas
        floor = floor_notebook()
        active = [s for s in students if not s.error]
        saved = await asyncio.gather(*(s.api("PUT", f"contents/{FLOOR_NAME}",
                                             {"type": "notebook", "format": "json", "content": floor})
                                       for s in active), return_exceptions=True)
        for s, got in zip(active, saved):
            if isinstance(got, BaseException):   # the student cannot save a notebook: a failure
                s.error = f"saving {FLOOR_NAME}: {type(got).__name__}: {got}"
                hub.report_failure(s.name, f"saving {FLOOR_NAME}", s.error)
        active = [s for s in active if not s.error]
        await lesson(students, FLOOR_NAME, floor, poller, args.keep_kernels, active)
        names.append(Path(FLOOR_NAME).stem)
        poller.phase = "end"
        repull = None
        if args.repull_check and not students[0].error:
            try:
                repull = await repull_check(students[0], remote)
            except Exception as e:  # noqa: BLE001
                repull = {"edit_kept": False, "update_arrived": False, "new_file_arrived": False,
                          "error": f"{type(e).__name__}: {e}",
                          "server_log": str(hub.server_log(students[0].name)),
                          "server_log_tail": hub.server_log_tail(students[0].name, 25)}
                hub.report_failure(students[0].name, "re-pull check", repull["error"])
        return students, names, repull
    finally:
        await asyncio.gather(*(s.aclose() for s in students), return_exceptions=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=int(os.environ.get("STUDENTS", 3)))
    ap.add_argument("--keep-kernels", action="store_true",
                    help="students never close a notebook (every kernel stays up)")
    ap.add_argument("--repull-check", action="store_true",
                    help="student 1 edits, the instructor publishes, student 1 pulls again")
    ap.add_argument("--only", nargs="*", help="only notebooks whose names start with these (e.g. 00 03)")
    ap.add_argument("--cell-timeout", type=float, default=300.0)
    ap.add_argument("--arrival-timeout", type=float, default=900.0,
                    help="seconds a student waits for their server and the pull")
    ap.add_argument("--no-preload", action="store_true",
                    help="kernels do NOT import pandas and plotly while they start (a plain Hub)")
    ap.add_argument("--with-rfc3987-syntax", action="store_true",
                    help="keep rfc3987-syntax in the user environment (lessons.md removes it: "
                         "about 15 MB and 1.5 CPU s more per server)")
    ap.add_argument("--default-timeouts", action="store_true",
                    help="keep JupyterHub's default spawn timeouts (http_timeout 30 s)")
    ap.add_argument("--out", type=Path, default=ARTIFACTS / "classroom.md")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder (homes, database)")
    ap.add_argument("--logs", type=Path,
                    help="folder for the Hub's log and one log per student's server, emptied first "
                         "(default: beside --out, e.g. artifacts/classroom-logs/; with --out /dev/null "
                         "the temporary folder, removed at the end)")
    args = ap.parse_args(argv)
    if args.students < 1:
        ap.error("--students must be at least 1")
    logs = args.logs
    if logs is None and str(args.out) != os.devnull:
        logs = args.out.parent / f"{args.out.stem}-logs"
    if logs is not None:
        if logs.is_dir():  # only this tool's logs of an earlier run
            for old in [*logs.glob("student*.log"), logs / "jupyterhub.log"]:
                old.unlink(missing_ok=True)
        logs.mkdir(parents=True, exist_ok=True)
        logs = logs.resolve()
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    tmp = Path(tempfile.mkdtemp(prefix="deirezzor-classroom-"))
    hub = Hub(tmp=tmp, user_env=tmp / "userenv", default_timeouts=args.default_timeouts, logs=logs)
    poller = None
    stopped = {"done": False}

    def cleanup():
        if stopped["done"]:
            return
        stopped["done"] = True
        if poller:
            poller.stop()
        left = hub.stop()
        if left:
            log(f"ended {left} process(es) the Hub had left behind")
        if args.keep_tmp:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    atexit.register(cleanup)

    def on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    # SIGINT too, explicitly: a command started in the background by a script
    # (`cmd &` without job control, e.g. `make versions &`) inherits SIGINT
    # *ignored*, and Python then installs no handler, so Ctrl-C or `kill -INT`
    # would not stop the class (tests/test_classroom.py sends SIGINT).
    signal.signal(signal.SIGINT, on_signal)
    try:
        t0 = time.perf_counter()
        log(f"set-up in {tmp}")
        remote = make_remote(tmp)
        make_user_env(tmp, preload=not args.no_preload, lean_server=not args.with_rfc3987_syntax)
        hub.start()
        setup_s = time.perf_counter() - t0
        log(f"JupyterHub up at {hub.url} after {setup_s:.1f} s; logs in {hub.logs}")
        log(f"{args.students} students arrive")
        poller = MemoryPoller(hub.tracker, hub.proc.pid)
        poller.start()
        students, names, repull = asyncio.run(run_class(args, hub, remote, poller))
        poller.stop()
        md, js, ok, final = report(args.students, students, poller, names, repull, started, setup_s,
                                   args.keep_kernels, args.default_timeouts, not args.no_preload,
                                   not args.with_rfc3987_syntax)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(md, encoding="utf-8")
        args.out.with_suffix(".json").write_text(js, encoding="utf-8")
        print("\n" + md.rsplit("\n\n", 1)[0] + f"\n\n(written to {args.out})\n")
    except KeyboardInterrupt as e:
        log(f"interrupted ({e}); stopping everything")
        cleanup()
        return 130
    finally:
        cleanup()
    print(final, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
