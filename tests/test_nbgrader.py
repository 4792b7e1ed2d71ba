"""The real nbgrader, end to end, as lessons.md tells an instructor to use it.

A course folder in a temporary directory, set up exactly as lessons.md
("Grading with nbgrader") says: ``instructor/nbgrader_config.py`` copied in,
every notebook of ``instructor/`` under ``source/<name>/``, students added to
the gradebook, ``nbgrader generate_assignment`` for every notebook.  Then
three submissions of every notebook, made from the released student version:

* ``model``: every answer cell holds the model answer  → full autograded marks;
* ``blank``: the release as handed out                → 0;
* ``wrong``: model answers, except the first code exercise gets a wrong
  value                                                → less than full, more than 0.

``nbgrader autograde``, ``generate_feedback`` and ``export`` run for real (no
network needed); the scores come from nbgrader's own gradebook.  A fourth
case proves that a grading environment that cannot find the data stops with a
message instead of turning every answer into a silent zero.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "instructor"
sys.path.insert(0, str(ROOT / "tools"))

import editions  # noqa: E402
import nav  # noqa: E402

pytest.importorskip("nbgrader", reason="nbgrader is part of the instructor set (make env installs it)")

NAMES = [p.stem for p in nav.notebook_files(SOURCE)]
STUDENTS = ("model", "blank", "wrong")
# Tamper cases (issue 17), run on the three notebooks the issue tried them on (every notebook
# is graded by hidden tests the same way): each must leave the grade where it belongs --
# blank 0, right full.
SPECCED = [n for n in ("00-start-here", "03-casualty-estimates", "06-competing-narratives") if n in NAMES
           and editions.spec_ids(nbformat.read(SOURCE / f"{n}.ipynb", as_version=4))]
TAMPER = {
    "stderr_to_stdout": ("blank", "import sys; sys.stderr = sys.stdout"),
    "stderr_silenced": ("blank", "import os, sys; sys.stderr = open(os.devnull, 'w')"),
    "check_redefined": ("blank", "check = lambda *a, **k: None"),
    "from_package": ("blank", "try:\n    from deirezzor.exercises import nb00, nb03, nb06\n"
                              "    answer_0_1 = nb00.CEASEFIRE_START\n    answer_3_3 = nb03.choices_3_3()\n"
                              "    answer_6_5 = nb06.RECEPTION_ANSWER\n"
                              "except Exception as err:\n    print('nothing to read:', type(err).__name__)"),
    # an outside reviewer's tricks that read the accepted answers from the hidden test itself
    # (a rebound repr, or an answer function looking into its caller): the test holds hashes only
    "repr_reads_hidden_test": ("blank", "import sys\n"
                                        "def repr(x):\n"
                                        "    acc = sys._getframe(1).f_globals.get('_accepted_') or {'': ''}\n"
                                        "    return next(iter(acc))\n"
                                        "import builtins; builtins.repr = repr"),
    "warning_in_check": ("model", "import sys, warnings\nimport deirezzor.shapes as _shapes\n"
                                  "_form_checks = _shapes.form_checks\n"
                                  "def _noisy(*args):\n"
                                  "    warnings.warn('a library warning during the check', FutureWarning)\n"
                                  "    print('a library wrote this to stderr', file=sys.stderr)\n"
                                  "    return _form_checks(*args)\n"
                                  "_shapes.form_checks = _noisy"),
}
# Each tamper case on one of those notebooks, in turn (the hidden tests are written the same way
# in every notebook; trying each case on all three only repeated the same grading).
TAMPERED_IN = {t: SPECCED[i % len(SPECCED)] for i, t in enumerate(TAMPER)} if SPECCED else {}
# a right function that warns each time it is called (so also inside the hidden test)
NOISY_FUNCTION = ("\n{var} = (lambda f: lambda *a: (__import__('warnings').warn('a warning from pandas', "
                  "FutureWarning), f(*a))[1])({var})")
BIN = Path(sys.executable).parent


def nbgrader(course: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    environ = dict(os.environ, **(env or {}))
    # lessons.md runs nbgrader in the activated environment: its alembic must be on PATH
    environ["PATH"] = f"{BIN}{os.pathsep}{environ.get('PATH', '')}"
    result = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=environ,
                            capture_output=True, text=True, timeout=900)
    if check:
        assert result.returncode == 0, f"nbgrader {' '.join(args)}:\n{result.stdout}\n{result.stderr[-4000:]}"
    return result


def model_source(cell) -> str:
    """A source cell with its solution region's markers removed (the model answer in place)."""
    return "\n".join(line for line in cell.source.splitlines()
                     if line.strip() not in (editions.BEGIN, editions.END))


def submission(release: nbformat.NotebookNode, source: nbformat.NotebookNode, kind: str) -> nbformat.NotebookNode:
    if kind in TAMPER:
        base, line = TAMPER[kind]
        nb = submission(release, source, base)
        answers = [c for c in nb.cells if c.cell_type == "code"
                   and c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-answer")]
        if kind == "warning_in_check":          # a right function that warns when called
            for cell in answers:
                m = re.search(r"^(answer_\d+_\d+)\s*=\s*(\w+)\s*$", cell.source, re.M)
                if m and re.search(rf"^def {m[2]}\(", cell.source, re.M):
                    cell.source += NOISY_FUNCTION.format(var=m[1])
        answers[0].source += "\n" + line          # one line in the first answer cell
        return nb
    nb = nbformat.from_dict(release)
    if kind == "blank":
        return nb
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in source.cells}
    first_code = True
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if not gid.endswith("-answer"):
            continue
        cell.source = model_source(by_id[gid])
        if kind == "wrong" and cell.cell_type == "code" and first_code:
            var = re.search(r"^(answer_\d+_\d+)\s*=", cell.source, re.M)[1]
            cell.source += f"\n{var} = 'a deliberately wrong answer'"
        if cell.cell_type == "code":
            first_code = False
    return nb


def lessons_blocks() -> list[str]:
    """The ```bash blocks of lessons.md's section "With nbgrader", in order."""
    text = (ROOT / "lessons.md").read_text(encoding="utf-8")
    section = text[text.index("**With nbgrader"):]
    section = section[:section.index("\n## ")] if "\n## " in section else section
    return re.findall(r"```bash\n(.*?)```", section, re.S)


def run_block(block: str, cwd: Path) -> None:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")   # the activated env
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"lessons.md block failed:\n{block}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course, made by running lessons.md's own commands, word by word."""
    top = tmp_path_factory.mktemp("teacher")
    (top / "deirezzor-2016").symlink_to(ROOT, target_is_directory=True)    # "path to your clone"
    setup, grading = lessons_blocks()
    run_block(setup, top)
    course = top / "course"
    assert {p.name for p in (course / "release").iterdir()} == set(NAMES)
    # the whole class in one call, as lessons.md adds a class list (each nbgrader call costs ~3 s)
    roster = course / "tamper-and-plain-students.csv"
    roster.write_text("id\n" + "".join(f"{s}\n" for s in (*STUDENTS, *TAMPER)), encoding="utf-8")
    nbgrader(course, "db", "student", "import", roster.name)
    # collected "by hand": submitted/<student id>/<name>/<name>.ipynb, as lessons.md says
    for name in NAMES:
        release = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
        source = nbformat.read(SOURCE / f"{name}.ipynb", as_version=4)
        for student in (*STUDENTS, *(t for t in TAMPER if TAMPERED_IN[t] == name)):
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(submission(release, source, student), folder / f"{name}.ipynb")
    # the grading block, minus `nbgrader formgrader` (an interactive server)
    run_block("\n".join(line for line in grading.splitlines() if "formgrader" not in line), course)
    return course


def code_scores(course: Path) -> dict[tuple[str, str], tuple[float, float]]:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {(student, name): (nb.code_score, nb.max_code_score)
                for name in NAMES for student in STUDENTS
                for nb in [gb.find_submission_notebook(name, name, student)]}


def test_release_has_no_answers_and_runs_top_to_bottom(course):
    import execute  # tools/execute.py: a kernel of this Python; raises if any cell raises
    for name in NAMES:
        release = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
        text = "\n".join(c.source for c in release.cells)
        assert "BEGIN SOLUTION" not in text and "NotImplementedError" not in text
        # no exercise spec (mistakes, accepted answers) and no hidden test reaches a student
        assert not [c for c in release.cells if "spec" in c.metadata.get("tags", [])], name
        assert "mistakes:" not in text and "BEGIN HIDDEN TESTS" not in text and "_accepted_" not in text, name
    # Run All must not stop at the first blank exercise (the stub is a comment, not a raise)
    name = NAMES[-1]
    execute.execute(nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4),
                    course / "release" / name, timeout=300)


def test_grades(course):
    scores = code_scores(course)
    table = "\n".join(f"{s:6} {n:32} {got:4.0f} / {top:.0f}" for (s, n), (got, top) in sorted(scores.items()))
    print("\n" + table)
    for name in NAMES:
        got, top = scores[("model", name)]
        if top == 0:
            continue                    # no autograded exercise in this notebook
        assert got == top, f"model answers of {name}: {got}/{top}\n{table}"
        assert scores[("blank", name)][0] == 0, f"blank {name}\n{table}"
        wrong = scores[("wrong", name)][0]
        assert 0 <= wrong < top, f"wrong answers of {name}: {wrong}/{top}\n{table}"
    assert sum(top for _, top in scores.values()) > 0


def tamper_scores(course: Path) -> dict[tuple[str, str], tuple[float, float]]:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {(student, name): (nb.code_score, nb.max_code_score)
                for student, name in TAMPERED_IN.items()
                for nb in [gb.find_submission_notebook(name, name, student)]}


def test_tampering_leaves_the_grade_unchanged(course):
    """Issue 17: one line that used to fake a grade (or lose one) changes nothing now."""
    assert SPECCED, "no notebook has exercise specs yet"
    scores = tamper_scores(course)
    table = "\n".join(f"{s:18} {n:32} {got:4.0f} / {top:.0f}" for (s, n), (got, top) in sorted(scores.items()))
    print("\n" + table)
    for (student, name), (got, top) in scores.items():
        want = top if TAMPER[student][0] == "model" else 0
        assert got == want, f"{student} on {name}: {got}/{top}, expected {want}\n{table}"


def test_accepted_alternatives_get_full_marks(course, tmp_path):
    """The fair keys of issue 17 (0.3: E006 for its clock time, someone else summarising; 3.2: N - 1 for 'more than half of')."""
    import execute
    cases = {"00-start-here": ("answer_0_3", '{"event_id": "E006", "reason": "clock_time_only"}'),
             "03-casualty-estimates": ("answer_3_2", "lambda w, n: ('range', n // 2 + 1, n - 1) "
                                       "if w == 'more than half of' else bounds(w, n)")}
    for name, (var, value) in cases.items():
        if name not in SPECCED:
            continue
        nb = nbformat.read(course / "autograded" / "model" / name / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            if re.search(rf"^{var}\s*=", cell.source, re.M) and "answer" in cell.metadata.get(
                    "nbgrader", {}).get("grade_id", ""):
                cell.source += f"\n{var} = {value}"
        done = execute.execute(nb, tmp_path, timeout=300)        # raises if a hidden assert fails
        fed = [o for c in done.cells for o in c.get("outputs", []) if "Accepted." in o.get("text", "")]
        assert fed, f"{name}: the accepted alternative's feedback is not shown"


def test_feedback_and_export(course):
    for name in NAMES:
        source = nbformat.read(SOURCE / f"{name}.ipynb", as_version=4)
        figures = sum("application/vnd.plotly.v1+json" in out.get("data", {})
                      for c in source.cells for out in c.get("outputs", []))
        for student in STUDENTS:
            html = (course / "feedback" / student / name / f"{name}.html").read_text(encoding="utf-8")
            # every figure drawn from the page itself: plotly.js inlined once, one newPlot call a figure
            # (counted as our own "<script>Plotly.newPlot(": plotly.js 3.0 has the words in an error text)
            assert html.count("<script>Plotly.newPlot(") == figures, (name, student)
            assert html.count("window.__deirezzorDefine = window.define") == min(figures, 1)
            assert "cdn.plot.ly/plotly" not in html
            # nothing else from a CDN either (nbgrader's template loads MathJax from cdnjs unless
            # nbgrader_config.py puts deirezzor's templates first)
            # (the markup, not the text of inlined scripts: plotly.js 6 carries map-library
            # strings such as v.src="https://unpkg.com/..." that a page without maps never runs)
            markup = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", html, flags=re.S)
            assert "cdnjs" not in markup and not re.search(
                r"""<(?:script|img|link|iframe|source|video|audio|embed|object)\b[^>]*"""
                r"""\b(?:src|href|data)=["']https?:""", markup), (name, student)
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {(r["assignment"], r["student_id"]) for r in rows} >= {(n, s) for n in NAMES for s in STUDENTS}
    model = {r["assignment"]: float(r["raw_score"]) for r in rows if r["student_id"] == "model"}
    blank = {r["assignment"]: float(r["raw_score"]) for r in rows if r["student_id"] == "blank"}
    assert all(model[n] >= blank[n] for n in NAMES) and sum(model.values()) > sum(blank.values())


def hidden_secrets(name: str) -> set[str]:
    """What only the hidden tests hold: the salt they hash with and every hash they accept."""
    import json
    salt = json.loads((ROOT / "deirezzor" / "exercises" / "keys.json").read_text(encoding="utf-8"))["salt"]
    source = "\n".join(c.source for c in nbformat.read(SOURCE / f"{name}.ipynb", as_version=4).cells)
    regions = re.findall(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", source, re.S)
    return {salt, *(h for r in regions for h in re.findall(r"\b[0-9a-f]{32}\b", r))} if regions else set()


def test_feedback_shows_scores_but_not_the_hidden_tests(course):
    """generate_feedback, run as lessons.md says: each check cell's score is on the page, and
    none of its hidden test -- not in the cell, not in the traceback of a failed assert."""
    from nbgrader.api import Gradebook
    looked = 0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for name in NAMES:
            source = nbformat.read(SOURCE / f"{name}.ipynb", as_version=4)
            tests = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in source.cells
                     if "BEGIN HIDDEN TESTS" in c.source}
            secrets = hidden_secrets(name)
            assert bool(tests) == bool(secrets), name
            for student in ("model", "blank", "wrong"):
                html = (course / "feedback" / student / name / f"{name}.html").read_text(encoding="utf-8")
                for word in ("HIDDEN TESTS", "_accepted_", "_form_", *secrets):
                    assert word not in html, f"{student}/{name}: the feedback page shows {word!r}"
                # a ✗ line's colour (deirezzor.checks.FAILED_STYLE) has its CSS on the page
                assert re.search(r"\.ansi-red-intense-fg\s*\{", html) and re.search(r"\.ansi-bold\s*\{", html), name
                for gid, points in tests.items():
                    m = re.search(rf"Grade cell: <code>{re.escape(gid)}</code></span>\s*<span[^>]*>\s*"
                                  r"Score: ([\d.]+) / ([\d.]+)", html)
                    assert m, f"{student}/{name}: no score shown for {gid}"
                    got = gb.find_grade(gid, name, name, student).score
                    assert (float(m[1]), float(m[2])) == (got, float(points)), (student, name, gid, m[0])
                    if student == "model":
                        assert got == float(points), (name, gid)
                    if student == "blank":
                        assert got == 0, (name, gid)
                    looked += 1
    assert looked > 0


def test_feedback_pages_make_no_request_off_disk(course):
    """Each notebook's feedback page (student "wrong") opened in Chromium: every figure drawn,
    and every request it makes stays on disk (network requests are recorded, then aborted)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browser_helpers import CHROMIUM, chromium_available, launch_browser, open_from_disk
    from system_tools import missing
    if not chromium_available():
        missing(f"Chromium not found at {CHROMIUM}: the feedback pages were NOT opened in a browser. "
                "Install it with `apt-get install -y chromium` or set DEIREZZOR_CHROMIUM=/path/to/chromium.")
    from playwright.sync_api import sync_playwright
    remote, drawn = {}, {}
    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            for name in NAMES:
                remote[name], drawn[name] = open_from_disk(
                    page, course / "feedback" / "wrong" / name / f"{name}.html", settle_ms=300)
        finally:
            browser.close()
    assert not any(remote.values()), {n: u for n, u in remote.items() if u}
    assert sum(drawn.values()) > 0 and all(drawn[n] == sum(
        "application/vnd.plotly.v1+json" in out.get("data", {}) for c in nbformat.read(
            SOURCE / f"{n}.ipynb", as_version=4).cells for out in c.get("outputs", [])) for n in NAMES), drawn


def test_a_grading_environment_without_the_data_stops_loudly(course):
    name = NAMES[0]
    nbgrader(course, "db", "student", "add", "broken")
    folder = course / "submitted" / "broken" / name
    shutil.copytree(course / "submitted" / "model" / name, folder)
    result = nbgrader(course, "autograde", name, "--student", "broken",
                      env={"DEIREZZOR_DATA": str(course / "no-such-folder")}, check=False)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out[-3000:]
    assert "setup cell failed" in out and "DEIREZZOR_DATA" in out, out[-3000:]
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        try:
            nb = gb.find_submission_notebook(name, name, "broken")
        except MissingEntry:
            return                      # no grade recorded at all
        assert nb.code_score == 0 and not (course / "autograded" / "broken" / name / f"{name}.ipynb").exists(), \
            "a failed setup must not leave a graded notebook behind"
