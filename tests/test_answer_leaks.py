"""No student edition shows an exercise's answer before the exercise asks for it.

The model answer of every code exercise is computed by running the notebook
(the instructor's copy) with one extra line after each solution cell that
prints the answer.  Then the student edition is searched, in everything a
student sees above the exercise (markdown and stored outputs), for that value:
a number of two or more digits, a decimal, a clock time, a text, or a whole
list.  Single digits and booleans are too common to search for.
"""
from __future__ import annotations

import ast
import copy
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import editions  # noqa: E402
import nav  # noqa: E402

SOURCE = ROOT / "instructor"    # the source, with model answers
RELEASE = ROOT / "notebooks"    # the release: what students open (generated, committed)
REAL = sorted(SOURCE.glob("[0-9][0-9]-*.ipynb"))
MARK = "@@ANSWER@@"


def _visible(cell) -> str:
    parts = [cell.source] if cell.cell_type == "markdown" else []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        for mime in ("text/plain", "text/markdown"):
            value = out.get("data", {}).get(mime)
            if value:
                parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def needles(text_repr: str) -> list[str]:
    """Strings whose presence would reveal the answer whose repr is given."""
    clock = re.findall(r"\b\d{2}:\d{2}(?=:\d{2})", text_repr)
    if clock:  # a timestamp: its wall-clock time is the answer
        return clock
    try:
        value = ast.literal_eval(text_repr)
    except (ValueError, SyntaxError):
        return []  # a function, a Series, a DataFrame ...: nothing simple to search for
    return _needles(value)


def _needles(value) -> list[str]:
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int):
        return [str(value)] if abs(value) >= 10 else []
    if isinstance(value, float):
        return sorted({f"{value:.1f}", f"{value:.2f}"}) if value != int(value) else _needles(int(value))
    if isinstance(value, str):
        return [value] if len(value.strip()) >= 3 else []
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return [", ".join(value), ", ".join(repr(v) for v in value)]  # the whole list, not its items
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in _needles(v)]
    return []


def _found(needle: str, text: str) -> bool:
    if re.fullmatch(r"[\d.]+", needle):  # a number: not as part of a longer number
        return re.search(rf"(?<![\d.]){re.escape(needle)}(?!\d|\.\d)", text) is not None
    return needle in text


@pytest.fixture(scope="module")
def student_dir():
    """The committed student edition (tests/test_editions.py proves it is in step)."""
    return RELEASE


def model_answers(path: Path, workdir: Path) -> dict[str, str]:
    """{exercise id: repr of the model answer} for the notebook's code exercises."""
    import execute  # tools/execute.py: a kernel of this Python

    nb = nav.read_nb(path)
    probe = copy.deepcopy(nb)
    for ex in reversed(editions.find_exercises(nb)):
        if ex.solution is None or nb.cells[ex.solution].cell_type != "code":
            continue
        name = "answer_" + ex.id.replace(".", "_")
        probe.cells.insert(ex.solution + 1, nbformat.v4.new_code_cell(f"print({MARK!r}, {ex.id!r}, repr({name}))"))
    done = execute.execute(probe, workdir, timeout=300)
    answers = {}
    for cell in done.cells:
        # A print can reach us split into several stream messages: join them first.
        text = "".join(out.get("text", "") for out in cell.get("outputs", [])
                       if out.get("output_type") == "stream")
        for ex_id, value in re.findall(rf"^{MARK} (\S+) (.*)$", text, re.M):
            answers[ex_id] = value  # the repr of the answer
    return answers


def leaks(path: Path, student_path: Path, workdir: Path) -> list[str]:
    answers = model_answers(path, workdir)
    nb = nav.read_nb(path)
    code_exercises = [e for e in editions.find_exercises(nb)
                      if e.solution is not None and nb.cells[e.solution].cell_type == "code"]
    assert set(answers) == {e.id for e in code_exercises}, "every code exercise's answer was computed"
    student = nav.read_nb(student_path)
    found = []
    for ex in editions.find_exercises(student):
        if ex.id not in answers:
            continue
        above = "\n".join(_visible(c) for c in student.cells[:ex.index])
        for needle in needles(answers[ex.id]):
            if _found(needle, above):
                found.append(f"Exercise {ex.id}: its answer {needle!r} already shows above it")
    return found


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_no_student_edition_shows_an_answer_before_its_exercise(path, student_dir, tmp_path):
    workdir = tmp_path / "notebooks"
    workdir.mkdir()
    found = leaks(path, student_dir / path.name, workdir)
    assert not found, f"{path.name}:\n" + "\n".join(found)


def test_a_leak_is_found(tmp_path):
    """A synthetic notebook that prints its own answer above the exercise."""
    def md(text):
        return nbformat.v4.new_markdown_cell(text)
    nb = nbformat.v4.new_notebook(cells=[
        md("The answered call came 57 minutes after the first strike."),
        md("**Exercise 9.1** (guided) — How many minutes after the first strike was the call answered?"),
        nbformat.v4.new_code_cell("answer_9_1 = ...\n### BEGIN SOLUTION\nanswer_9_1 = 57\n### END SOLUTION",
                                  metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("print(answer_9_1 is ...)", metadata={"tags": ["check"]}),
    ])
    src = tmp_path / "src"
    src.mkdir()
    nbformat.write(nb, src / "09-test.ipynb")
    out = tmp_path / "student"
    assert editions.build(src, out, tmp_path / "refused", quiet=True) == 0
    work = tmp_path / "work"
    work.mkdir()
    assert leaks(src / "09-test.ipynb", out / "09-test.ipynb", work) == [
        "Exercise 9.1: its answer '57' already shows above it"]


@pytest.mark.parametrize("answer,expected", [
    ("57", ["57"]), ("4", []), ("True", []), ("6.3", ["6.3", "6.30"]), ("'16:55'", ["16:55"]),
    ("['C01', 'C04']", ["C01, C04", "'C01', 'C04'"]), ("(220, True)", ["220"]),
    ("Timestamp('2016-09-18 02:30:00+0300', tz='Asia/Damascus')", ["02:30"]),
    ("<function f at 0x7f>", []),
])
def test_needles(answer, expected):
    assert needles(answer) == expected


def test_a_number_inside_a_longer_number_is_not_a_leak():
    assert _found("27", "a delay of 27 minutes")
    assert not _found("27", "2027 and 127 and 27.5")
