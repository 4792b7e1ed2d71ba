"""SERIES (deirezzor/series.py) and the navigation tools/nav.py writes from it."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "tools"))

import nav  # noqa: E402
from deirezzor.series import SERIES, contents_markdown, entry, header_lines, nav_markdown  # noqa: E402

NAV = [sys.executable, str(ROOT / "tools" / "nav.py")]


def run_nav(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(NAV + list(args), capture_output=True, text=True, cwd=ROOT)


def real_notebooks() -> list[Path]:
    return nav.notebook_files(RELEASE)


def test_nav_check_passes_on_the_repo():
    result = run_nav("--check")
    assert result.returncode == 0, result.stderr


def test_every_notebook_is_in_series():
    names = {p.name for p in real_notebooks()}
    listed = {e.filename for e in SERIES}
    assert names - listed == set(), "notebooks/ has files SERIES does not list"


def test_every_series_entry_has_a_notebook():
    names = {p.name for p in real_notebooks()}
    missing = sorted({e.filename for e in SERIES} - names)
    assert not missing, ("SERIES lists notebooks that do not exist; create them with "
                         "python tools/new_notebook.py SLUG: " + ", ".join(missing))


@pytest.mark.parametrize("path", real_notebooks(), ids=lambda p: p.stem)
def test_notebook_has_header_and_nav(path):
    cells = nav.read_nb(path).cells
    headers = [i for i, c in enumerate(cells) if nav.has_tag(c, "header")]
    assert len(headers) == 1
    h = headers[0]
    assert cells[h].cell_type == "markdown" and cells[h].source.startswith("# ")
    want = nav_markdown(path.stem)
    assert nav.has_tag(cells[h + 1], "nav") and cells[h + 1].source == want
    assert nav.has_tag(cells[-1], "nav") and cells[-1].source == want
    assert sum(nav.has_tag(c, "nav") for c in cells) == 2


def test_contents_cell_is_generated():
    cells = nav.read_nb(RELEASE / "00-start-here.ipynb").cells
    contents = [c for c in cells if nav.has_tag(c, "contents")]
    assert len(contents) == 1 and contents[0].source == contents_markdown()


def test_nav_markdown_ends():
    first, last = SERIES[0].slug, SERIES[-1].slug
    assert "Previous" not in nav_markdown(first) and "Next:" in nav_markdown(first)
    assert "Next" not in nav_markdown(last) and "Previous:" in nav_markdown(last)
    middle = nav_markdown(SERIES[2].slug)
    assert middle == (f"← Previous: [{SERIES[1].title}]({SERIES[1].filename}) | "
                      f"[Contents](00-start-here.ipynb) | Next: [{SERIES[3].title}]({SERIES[3].filename}) →")
    with pytest.raises(KeyError):
        entry("99-nothing")


@pytest.fixture
def copy_of_notebooks(tmp_path):
    target = tmp_path / "notebooks"
    target.mkdir()
    for p in real_notebooks():
        shutil.copy(p, target / p.name)
    return target


def test_drifted_copy_fails_then_is_repaired(copy_of_notebooks):
    path = copy_of_notebooks / "00-start-here.ipynb"
    original = path.read_text(encoding="utf-8")
    nb = nav.read_nb(path)
    [top] = [c for c in nb.cells[:3] if nav.has_tag(c, "nav")]
    top.source = "← an old link"
    nb.cells = [c for c in nb.cells if not nav.has_tag(c, "contents")]
    nav.write_nb(nb, path)

    result = run_nav("--check", "--notebooks", str(copy_of_notebooks))
    assert result.returncode == 1 and "00-start-here.ipynb" in result.stderr
    assert path.read_text(encoding="utf-8") != original          # --check wrote nothing

    assert run_nav("--notebooks", str(copy_of_notebooks)).returncode == 0
    assert run_nav("--check", "--notebooks", str(copy_of_notebooks)).returncode == 0
    repaired = nav.read_nb(path)
    assert [c.source for c in repaired.cells if not nav.has_tag(c, "contents")] == \
        [c.source for c in nav.read_nb(RELEASE / "00-start-here.ipynb").cells if not nav.has_tag(c, "contents")]


def test_missing_nav_cells_are_created_and_nothing_else_changes(tmp_path):
    nb = nbformat.v4.new_notebook()
    header = nbformat.v4.new_markdown_cell("# 03 · title", metadata={"tags": ["header"]})
    body = nbformat.v4.new_code_cell("x = 1  # ünïcode", metadata={"tags": ["keep"], "custom": {"a": 1}})
    body.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    stray = nbformat.v4.new_markdown_cell("old nav", metadata={"tags": ["nav"]})
    nb.cells = [header, body, stray, nbformat.v4.new_markdown_cell("## Key points")]
    new, notes = nav.apply_nav(nb, "03-casualty-estimates")
    titled = "# 03 · title\n\n" + "\n\n".join(header_lines("03-casualty-estimates"))   # nav adds Time/Data
    assert [c.source for c in new.cells] == [titled, nav_markdown("03-casualty-estimates"),
                                             "x = 1  # ünïcode", "## Key points",
                                             nav_markdown("03-casualty-estimates")]
    assert new.cells[2] == body
    assert any("out of place" in n for n in notes)
    again, _ = nav.apply_nav(new, "03-casualty-estimates")
    assert again == new                                            # idempotent
    path = tmp_path / "x.ipynb"
    nav.write_nb(new, path)
    text = path.read_text(encoding="utf-8")
    assert "ünïcode" in text and text.endswith("}\n") and '\n "cells": [\n  {' in text


def test_notebook_not_in_series_is_an_error(copy_of_notebooks):
    shutil.copy(copy_of_notebooks / "00-start-here.ipynb", copy_of_notebooks / "99-extra.ipynb")
    result = run_nav("--check", "--notebooks", str(copy_of_notebooks))
    assert result.returncode != 0 and "99-extra.ipynb" in result.stderr


def test_missing_header_is_an_error():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# untagged")])
    with pytest.raises(nav.NavError, match="header"):
        nav.apply_nav(nb, "02-raid-timeline")


def test_series_lists_exactly_the_datasets_each_notebook_loads():
    """The 'datasets used' line in a header comes from SERIES; it must match the code."""
    import re

    from deirezzor.series import SERIES

    for e in SERIES:
        nb = json.loads((ROOT / "instructor" / e.filename).read_text(encoding="utf-8"))   # the source, answers included
        code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        loaded = set(re.findall(r"load\(\s*[\"']([a-z_]+)[\"']", code))
        assert loaded == set(e.datasets), (
            f"{e.filename}: loads {sorted(loaded)} but SERIES lists {sorted(e.datasets)}")


@pytest.mark.parametrize("e", SERIES, ids=lambda e: e.slug)
def test_header_time_and_data_lines_follow_series(e):
    """The header's typed **Time:** and **Data:** lines say what SERIES says."""
    nb = nav.read_nb(ROOT / "instructor" / e.filename)
    header = next(c.source for c in nb.cells if nav.has_tag(c, "header"))
    lines = {ln.split("**")[1]: ln for ln in header.splitlines() if ln.startswith("**") and ln.count("**") >= 2}
    assert "Time:" in lines and "Data:" in lines, f"{e.filename}: header needs **Time:** and **Data:** lines"
    numbers = [int(n) for n in re.findall(r"\d+", lines["Time:"])]
    assert numbers[:2] == [e.teach_minutes, e.practise_minutes], (e.filename, lines["Time:"])
    assert re.findall(r"`([a-z_]+)`", lines["Data:"]) == list(e.datasets), (e.filename, lines["Data:"])


def test_nav_writes_the_header_time_and_data_lines():
    """make nav rewrites stale Time/Data lines and adds missing ones before the content note."""
    from deirezzor.series import header_lines

    slug = "03-casualty-estimates"
    want_time, want_data = header_lines(slug)
    stale = ("# 03 · Title\n\nWhat it is about.\n\n**In this notebook you will:**\n\n- a\n\n"
             "**Time:** about 99 minutes of worked material and 1 minute of exercises.\n\n"
             "**Data:** `events`.\n\n**Content note:** people died.")
    fixed = nav.header_with_lines(stale, slug)
    assert want_time in fixed and want_data in fixed and "99 minutes" not in fixed
    assert fixed.index(want_data) < fixed.index("**Content note:**")
    missing = stale.replace("**Time:** about 99 minutes of worked material and 1 minute of exercises.\n\n", "")
    missing = missing.replace("**Data:** `events`.\n\n", "")
    added = nav.header_with_lines(missing, slug)
    assert added.index(want_time) < added.index(want_data) < added.index("**Content note:**")
    assert "\n\n\n" not in added
    assert nav.header_with_lines(fixed, slug) == fixed   # already right: unchanged


def test_no_setup_cell_prints_time_or_data_again():
    """The header states time and data once; the setup cell must not print them a second time."""
    for e in SERIES:
        nb = nav.read_nb(ROOT / "instructor" / e.filename)
        for c in nb.cells:
            if nav.has_tag(c, "setup"):
                assert "about(" not in c.source, f"{e.filename}: the setup cell still calls about()"


# One rule sets an exercise's minutes and its nbgrader points (lessons.md "Timing").
MINUTES_BY_KIND = {"guided": 3, "practice": 5, "challenge": 10, "discussion": 10}


@pytest.mark.parametrize("e", SERIES, ids=lambda e: e.slug)
def test_practise_minutes_are_the_sum_over_the_exercises_kinds(e):
    """SERIES' exercise minutes follow from the kinds of the notebook's exercises, so a changed
    kind cannot leave the header, the contents table and lessons.md's timing behind."""
    nb = nav.read_nb(ROOT / "instructor" / e.filename)
    kinds = [m.group(1) for c in nb.cells if c.cell_type == "markdown"
             for m in [re.match(r"\*\*Exercise \d+\.\d+\*\* \((\w+)\)", c.source)] if m]
    assert kinds, f"{e.filename}: no '**Exercise N.M** (kind)' cells found: the check is broken"
    unknown = sorted(set(kinds) - set(MINUTES_BY_KIND))
    assert not unknown, f"{e.filename}: unknown exercise kinds {unknown}"
    assert e.practise_minutes == sum(MINUTES_BY_KIND[k] for k in kinds), (
        f"{e.filename}: SERIES says {e.practise_minutes} minutes of exercises, the kinds "
        f"{kinds} add up to {sum(MINUTES_BY_KIND[k] for k in kinds)}")
