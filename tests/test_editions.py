"""tools/editions.py (the student edition and nbgrader metadata from instructor/)
and the exercise convention (deirezzor/checks.py), on synthetic notebooks and
on the real ones."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "instructor"
RELEASE = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "tools"))

import editions  # noqa: E402
import nav  # noqa: E402

REAL = nav.notebook_files(SOURCE)
EDITIONS = [sys.executable, str(ROOT / "tools" / "editions.py")]


def md(source, *tags):
    return nbformat.v4.new_markdown_cell(source, metadata={"tags": list(tags)} if tags else {})


def code(source, *tags, output=None):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    if output is not None:
        cell.outputs = [nbformat.v4.new_output("stream", text=output)]
        cell.execution_count = 3
    return cell


def synthetic() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"custom": {"keep": True}})
    nb.cells = [
        md("# 09 · test", "header"),
        code("x = 40", output="ignored\n"),
        md("**Exercise 9.1** (guided) — What is x + 2?"),
        code("answer_9_1 = ...  # your answer: a number\n### BEGIN SOLUTION\nsecret_line = 1\n"
             "answer_9_1 = x + 2\n### END SOLUTION", "solution", output="sol out\n"),
        code('check("9.1", answer_9_1)', "check", output="✓ it equals 42\n"),
        md("**Exercise 9.2** (discussion) — Why?"),
        md("*Write your answer here.*\n\n### BEGIN SOLUTION\nModel point: because.\n### END SOLUTION",
           "solution"),
        md("## Key points"),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"          # fixed ids: identical input, identical editions
    return nb


def build(tmp_path, nb, name="09-test.ipynb"):
    src = tmp_path / "instructor"
    src.mkdir(exist_ok=True)
    nav.write_nb(nb, src / name)
    return subprocess.run(EDITIONS + ["--source", str(src), "--student", str(tmp_path / "notebooks"),
                                      "--refused", str(tmp_path / "editions/refused")],
                          capture_output=True, text=True)


# ------------------------------------------------------------ synthetic
def test_student_edition_removes_regions_and_blanks_the_checks(tmp_path):
    result = build(tmp_path, synthetic())
    assert result.returncode == 0, result.stderr
    student = nav.read_nb(tmp_path / "notebooks/09-test.ipynb")
    sources = [c.source for c in student.cells]
    assert sources[3] == "answer_9_1 = ...  # your answer: a number"
    assert sources[6] == "*Write your answer here.*"
    text = "\n".join(sources)
    assert "secret_line" not in text and "because" not in text and "SOLUTION" not in text
    assert student.cells[3].outputs == []
    # the check cell shows what check() prints for a blank answer: a neutral line on stdout
    assert [(o.name, o.text) for o in student.cells[4].outputs] == [
        ("stdout", "Exercise 9.1: not answered yet.\n")]
    assert student.cells[1].outputs and student.cells[1].outputs[0].text == "ignored\n"   # untouched
    assert [c.execution_count for c in student.cells if c.cell_type == "code"] == [1, 2, 3]
    assert student.metadata["custom"] == {"keep": True}
    assert student.cells[3].metadata["tags"] == ["solution"]
    assert all("nbgrader" not in c.metadata for c in student.cells)


def test_source_gets_nbgrader_metadata_from_its_tags(tmp_path):
    assert build(tmp_path, synthetic()).returncode == 0
    src = nav.read_nb(tmp_path / "instructor/09-test.ipynb")
    meta = [c.metadata.get("nbgrader") for c in src.cells]
    assert meta[3] == {"grade": False, "grade_id": "ex-9-1-answer", "locked": False,
                       "schema_version": 3, "solution": True, "task": False}
    assert meta[4] == {"grade": True, "grade_id": "ex-9-1-check", "locked": True, "points": 1,
                       "schema_version": 3, "solution": False, "task": False}
    assert meta[6]["grade"] and meta[6]["solution"] and meta[6]["points"] == 2
    assert meta[6]["grade_id"] == "ex-9-2-answer"
    assert [m for i, m in enumerate(meta) if i not in (3, 4, 6)] == [None] * 5
    assert "secret_line" in src.cells[3].source                     # the source keeps its answers
    # stale or hand-made metadata is replaced by what the tags say
    stale = synthetic()
    stale.cells[1].metadata["nbgrader"] = {"grade": True, "points": 9}
    assert editions.with_nbgrader(stale).cells[1].metadata.get("nbgrader") is None


def test_identical_content_is_not_rewritten(tmp_path):
    assert build(tmp_path, synthetic()).returncode == 0
    target = tmp_path / "notebooks/09-test.ipynb"
    os.utime(target, (1, 1))
    result = build(tmp_path, synthetic())
    assert result.returncode == 0 and target.stat().st_mtime == 1


def test_refuses_to_overwrite_an_edited_file_and_parks_the_new_one_elsewhere(tmp_path):
    assert build(tmp_path, synthetic()).returncode == 0
    target = tmp_path / "notebooks/09-test.ipynb"
    mine = target.read_text(encoding="utf-8").replace("answer_9_1 = ...", "answer_9_1 = 42")
    target.write_text(mine, encoding="utf-8")
    changed = synthetic()
    changed.cells[1].source = "x = 41"
    result = build(tmp_path, changed)
    assert result.returncode == 1
    parked = tmp_path / "editions/refused/09-test.ipynb"
    assert str(target) in result.stderr and str(parked) in result.stderr
    assert target.read_text(encoding="utf-8") == mine               # the person's work is intact
    assert nav.read_nb(parked).cells[1].source == "x = 41"
    assert sorted(p.name for p in (tmp_path / "notebooks").iterdir()) == ["09-test.ipynb"]  # nothing beside it


def test_a_file_not_written_by_the_tool_is_not_overwritten(tmp_path):
    target = tmp_path / "notebooks/09-test.ipynb"
    target.parent.mkdir(parents=True)
    target.write_text("someone's notes", encoding="utf-8")
    result = build(tmp_path, synthetic())
    assert result.returncode == 1 and target.read_text(encoding="utf-8") == "someone's notes"


def test_check_reports_what_is_out_of_step(tmp_path):
    assert build(tmp_path, synthetic()).returncode == 0
    check = EDITIONS + ["--check", "--source", str(tmp_path / "instructor"),
                        "--student", str(tmp_path / "notebooks")]
    assert subprocess.run(check, capture_output=True).returncode == 0
    changed = synthetic()
    changed.cells[1].source = "x = 41"
    nav.write_nb(editions.with_nbgrader(changed), tmp_path / "instructor/09-test.ipynb")
    result = subprocess.run(check, capture_output=True, text=True)
    assert result.returncode == 1 and "is not the student edition" in result.stderr


def test_the_committed_student_edition_and_metadata_are_in_step():
    problems = editions.out_of_step(SOURCE, RELEASE)
    assert problems == [], "\n".join(problems) + "\nrun `make student` and commit the result"


@pytest.mark.parametrize("source, problem", [
    ("a = ...\n### BEGIN SOLUTION\na = 1", "without"),
    ("a = ...\n### END SOLUTION\na = 1", "without a"),
    ("a = ...\n### BEGIN SOLUTION\n### BEGIN SOLUTION\na = 1\n### END SOLUTION", "nested"),
])
def test_malformed_region_is_an_error(tmp_path, source, problem):
    nb = synthetic()
    nb.cells[3].source = source
    result = build(tmp_path, nb)
    assert result.returncode == 2
    assert "09-test.ipynb, cell 3" in result.stderr and problem in result.stderr
    assert not (tmp_path / "notebooks/09-test.ipynb").exists()


def test_lint_finds_convention_breaks():
    nb = synthetic()
    assert editions.lint(nb, "09-test.ipynb", 9) == []
    del nb.cells[4]                                          # no check cell
    nb.cells[3].metadata["tags"] = []                        # region not tagged
    problems = "\n".join(editions.lint(nb, "09-test.ipynb", 9))
    assert "no cell tagged 'check'" in problems and "not tagged 'solution'" in problems
    assert editions.lint(synthetic(), "02-x.ipynb", 2)        # ids must match the notebook
    buried = synthetic()
    buried.cells[2].source = "## Heading\n\n" + buried.cells[2].source
    assert any("does not start with" in p for p in editions.lint(buried, "09-test.ipynb", 9))


# ------------------------------------------------------------ the real notebooks
def _exercise_ids(nb):
    return editions.find_exercises(nb)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_notebook_follows_the_convention(path):
    nb = nav.read_nb(path)
    assert editions.lint(nb, path.name, int(path.name[:2])) == []
    specs = editions.spec_ids(nb)
    for ex in _exercise_ids(nb):
        if ex.kind != "discussion":
            assert ex.id in specs, f"{path.name}: exercise {ex.id} has no spec cell"


def test_every_key_is_used():
    used = {ex.id for p in REAL for ex in _exercise_ids(nav.read_nb(p))}
    from deirezzor.checks import keys
    assert set(keys()["exercises"]) - used == set(), "key entries for exercises no notebook has"


def _text_of_outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out:
            parts.append(str(out["data"].get("text/plain", "")))
        elif out.get("output_type") == "error":
            parts.append(out.get("ename", "") + ": " + out.get("evalue", ""))
    return "".join(parts)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_solutions_pass_their_own_checks(path):
    nb = nav.read_nb(path)
    checks = [c for c in nb.cells if nav.has_tag(c, "check")]
    for cell in checks:
        text = _text_of_outputs(cell)
        assert text, f"{path.name}: check cell {cell.source!r} has no stored output (make outputs)"
        assert "✗" not in text and "not answered" not in text and "could not check" not in text, text
        assert re.search(r"checks? passed", text), text
        assert not re.search("correct", text, re.I)


@pytest.fixture(scope="module")
def student_dir():
    return RELEASE


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_student_edition_has_no_solution_lines(path, student_dir):
    nb = nav.read_nb(path)
    inside, outside = set(), set()
    for cell in nb.cells:
        out_lines, regions = editions.split_regions(cell.source)
        outside |= {line.strip() for line in out_lines}
        inside |= {line.strip() for region in regions for line in region}
    only_inside = {line for line in inside - outside if line}
    student_text = {line.strip() for c in nav.read_nb(student_dir / path.name).cells
                    for line in c.source.splitlines()}
    assert only_inside & student_text == set()
    assert "### BEGIN SOLUTION" not in student_text


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_student_edition_shows_every_check_as_not_answered(path, student_dir):
    """What a student sees before answering: each check's stored output is one
    neutral stdout line.  nbval runs the student edition (make test) and fails
    unless a fresh run prints exactly these outputs, stream by stream, so
    checking the stored ones here says the same without a kernel."""
    nb = nav.read_nb(student_dir / path.name)
    checks = [c for c in nb.cells if nav.has_tag(c, "check")]
    assert checks or not editions.find_exercises(nb), path.name
    for cell in checks:
        assert [o.get("name") for o in cell.outputs] == ["stdout"], cell.source   # neutral, not red
        assert re.fullmatch(r"Exercise \d+\.\d+: not answered yet\.\n", _text_of_outputs(cell)), cell.source
