"""A class on a real JupyterHub (tools/classroom.py), and what hands the
notebooks out: the `student` branch (tools/publish_student.py) and the
nbgitpuller link (tools/nbgitpuller_link.py).

The classroom test starts a real JupyterHub with configurable-http-proxy from
node_modules/ (`make classroom-env`, run by .ci/run before the offline tests),
three simulated students log in through the Hub's form, pull the student
edition with nbgitpuller from a local git remote and run every notebook
through the proxy; student 1 then edits a notebook and pulls again after the
instructor published a change.  A second run is interrupted with SIGINT and
must leave no process behind.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import nbgitpuller_link  # noqa: E402
from system_tools import need_proxy  # noqa: E402
import publish_student  # noqa: E402

FINAL = re.compile(r"^classroom: (\d+) students, (\d+) ran every notebook, (\d+) failed, "
                   r"last figure after ([\d.]+) s, peak memory (\d+) MB$")
RELEASE_NAMES = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb"))


def _need_proxy():
    need_proxy()


def _leftovers(tmp: str, since: float) -> list:
    """Processes that belong to a classroom run: they name its folder, or are a
    configurable-http-proxy started after ``since``."""
    found = []
    for p in psutil.process_iter(["pid", "cmdline", "create_time"]):
        try:
            cmd = " ".join(p.info["cmdline"] or [])
            if (tmp and tmp in cmd) or ("configurable-http-proxy" in cmd and p.info["create_time"] >= since):
                found.append(f"{p.pid}: {cmd[:150]}")
        except psutil.Error:
            continue
    return found


def _tmp_of(out: str) -> str:
    m = re.search(r"set-up in (\S+)", out)
    assert m, out[-2000:]
    return m.group(1)


# --------------------------------------------------------------------------
# The class: 3 students, every notebook, re-pull after an edit
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    _need_proxy()
    out_md = tmp_path_factory.mktemp("classroom") / "classroom.md"
    since = time.time()
    r = subprocess.run([sys.executable, str(REPO / "tools" / "classroom.py"), "--students", "3",
                        "--repull-check", "--out", str(out_md)],
                       cwd=REPO, capture_output=True, text=True, timeout=900)
    return r, out_md, since


def test_three_students_run_every_notebook(classroom):
    r, out_md, _ = classroom
    lines = r.stdout.strip().splitlines()
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    m = FINAL.match(lines[-1])
    assert m, lines[-1]
    n, complete, failed, last_fig, peak = m.groups()
    assert (int(n), int(complete), int(failed)) == (3, 3, 0)
    assert float(last_fig) > 0 and int(peak) > 0
    assert sum(bool(FINAL.match(l)) for l in lines) == 1  # exactly one such line

    data = json.loads(out_md.with_suffix(".json").read_text())
    rows = {row["notebook"]: row for row in data["notebooks"]}
    assert set(RELEASE_NAMES) <= set(rows) and "floor-import-pandas" in rows
    for name in RELEASE_NAMES:
        assert (rows[name]["ran"], rows[name]["of"]) == (3, 3), rows[name]
    for s, rec in data["per_student"].items():
        assert rec["error"] == "" and rec["ready_s"] > 0, (s, rec)
        for res in rec["results"]:
            assert not res["error"] and res["cells"] > 0 and res["run_s"] > 0, (s, res)
    # figures really came back through the proxy: every notebook with cells
    # tagged `figure` showed at least that many plotly outputs to each student
    for name in RELEASE_NAMES:
        nb = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
        tagged = sum("figure" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])
        for rec in data["per_student"].values():
            res = next(x for x in rec["results"] if x["notebook"] == name)
            assert res["figures"] >= tagged, (name, res)
    assert data["peak_rss_mb"] > 0 and data["peak_pss_mb"] > 0
    md = out_md.read_text()
    assert "| notebook |" in md and "student03" in md and md.strip().endswith(lines[-1])


def test_a_student_who_edits_and_pulls_again_keeps_the_edit(classroom):
    r, out_md, _ = classroom
    repull = json.loads(out_md.with_suffix(".json").read_text())["repull"]
    assert repull == {"edit_kept": True, "update_arrived": True, "new_file_arrived": True}, repull


def test_the_class_leaves_nothing_running(classroom):
    r, _, since = classroom
    tmp = _tmp_of(r.stdout)
    assert not Path(tmp).exists(), f"{tmp} was not removed"
    assert not _leftovers(tmp, since)


def test_interrupted_class_stops_everything():
    _need_proxy()
    since = time.time()
    p = subprocess.Popen([sys.executable, str(REPO / "tools" / "classroom.py"), "--students", "1",
                          "--only", "00", "--out", os.devnull], cwd=REPO, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    seen = []
    try:
        for line in p.stdout:  # interrupt while the student's server is being spawned
            seen.append(line)
            if "students arrive" in line:
                break
        assert any("students arrive" in l for l in seen), "".join(seen)
        time.sleep(3)
        p.send_signal(signal.SIGINT)
        rest, _ = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
    out = "".join(seen) + rest
    assert p.returncode == 130, out[-3000:]
    tmp = _tmp_of(out)
    assert not Path(tmp).exists()
    assert not _leftovers(tmp, since), out[-2000:]


# --------------------------------------------------------------------------
# The student branch and the link
# --------------------------------------------------------------------------
def _git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_student_files_hold_no_answers_and_nothing_for_instructors():
    files = publish_student.files_in_worktree(REPO)
    assert {n for n in files if n.endswith(".ipynb")} == {f"notebooks/{n}.ipynb" for n in RELEASE_NAMES}
    assert not [n for n in files if n.startswith(("instructor/", "tests/", "tools/", "deirezzor/"))]
    assert "README.md" in files and "LICENSE" in files
    with pytest.raises(publish_student.PublishError, match="BEGIN SOLUTION"):
        publish_student.check_no_answers({"notebooks/x.ipynb": b'{"source": "### BEGIN SOLUTION"}'})


def test_commit_files_writes_a_branch_without_touching_the_checkout(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    _git("init", "-q", "-b", "main", cwd=work)
    (work / "a.txt").write_text("one\n")
    _git("add", "a.txt", cwd=work)
    _git("-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "-m", "one", cwd=work)
    (work / "a.txt").write_text("local edit, staged\n")
    _git("add", "a.txt", cwd=work)
    (work / "b.txt").write_text("untracked\n")
    before = (_git("status", "--porcelain", cwd=work), _git("rev-parse", "HEAD", cwd=work),
              _git("symbolic-ref", "HEAD", cwd=work))
    git_dir = work / ".git"
    first = publish_student.commit_files(git_dir, "student", {"notebooks/x.ipynb": b"{}\n"}, "first")
    assert first and publish_student.commit_files(git_dir, "student", {"notebooks/x.ipynb": b"{}\n"}, "same") is None
    second = publish_student.commit_files(git_dir, "student", {"notebooks/x.ipynb": b"{ }\n"}, "second")
    assert _git("rev-parse", "student^", cwd=work).strip() == first  # on top: nbgitpuller can merge it
    assert _git("ls-tree", "-r", "--name-only", second, cwd=work).split() == ["notebooks/x.ipynb"]
    after = (_git("status", "--porcelain", cwd=work), _git("rev-parse", "HEAD", cwd=work),
             _git("symbolic-ref", "HEAD", cwd=work))
    assert after == before


def test_nbgitpuller_link_opens_the_start_notebook_of_the_student_branch():
    url = nbgitpuller_link.link("https://hub.example.edu/", "https://github.com/OWNER/deirezzor-2016", "student")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert q == {"repo": "https://github.com/OWNER/deirezzor-2016", "branch": "student",
                 "urlpath": "lab/tree/deirezzor-2016/notebooks/00-start-here.ipynb"}
    assert (REPO / "notebooks" / "00-start-here.ipynb").exists()
    with pytest.raises(ValueError):
        nbgitpuller_link.link("hub.example.edu", "https://github.com/OWNER/deirezzor-2016")
    r = subprocess.run(["make", "-s", "link", "HUB=https://hub.example.edu",
                        "REPO=https://github.com/OWNER/deirezzor-2016"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == url, r.stderr


def test_lessons_give_the_link_the_tool_prints():
    text = (REPO / "lessons.md").read_text(encoding="utf-8")
    hub, repo = "https://HUB.EXAMPLE.EDU", "https://github.com/OWNER/deirezzor-2016"
    assert nbgitpuller_link.link(hub, repo, "student") in text
    for step in ("make publish-student", "git push origin student", "sudo -E pip install",
                 "/opt/tljh/user", "repo2docker", "binder/"):
        assert step in text, step
    # the Hub settings lessons.md gives are the ones the classroom's Hub runs with
    import classroom
    assert "c.Spawner.http_timeout = 300" in text and "c.Spawner.http_timeout = 300" in classroom.TIMEOUTS
    for key, value in classroom.SERVER_ENV.items():
        if key == "OPENBLAS_NUM_THREADS":
            assert f'"{key}": "{value}"' in text and f"{key}: \"{value}\"" in text
    assert classroom.nbgitpuller_link.link is nbgitpuller_link.link  # students click the documented link
    assert '{"KernelManager": {"transport": "ipc"}}' in text
    assert '"KernelManager": {"transport": "ipc"}' in (REPO / "tools" / "classroom.py").read_text()
    import lab_settings  # the kernel preload the classroom's user environment gets from it
    assert f"exec_lines.append({lab_settings.PRELOAD!r})".replace("'", '"') in text
