"""Shared pytest configuration.

nbval compares the outputs stored in the notebooks with fresh ones.  Plotly's
figure JSON (``application/vnd.plotly.v1+json``) changes with every plotly
release (template details, defaults, uids), so it is excluded from that
comparison; every other output of the same cell -- printed text, tables,
the "What to see" Markdown -- is still compared strictly.

This file is self-contained on purpose: tests/test_env.py copies it
next to a throw-away notebook to prove that it does what it says.
"""
import os

PLOTLY_MIME = "application/vnd.plotly.v1+json"
# Tests that need a kernel, a browser, nbgrader, a Hub, a wheel build or a throw-away venv:
# `make test` runs them, `make check` (< 60 s, before every commit) deselects them with
# -m "not slow".  Whole modules, and single tests of otherwise quick modules.
import os as _os

# The JupyterLab accessibility audit (axe-core over every notebook's content and a
# keyboard-only run, about 15 minutes on 2 cores) is not part of `make test`:
# `make a11y` runs it (DEIREZZOR_A11Y=1).
collect_ignore = [] if _os.environ.get("DEIREZZOR_A11Y") == "1" else ["test_lab_a11y.py"]

SLOW_MODULES = {"test_nbgrader.py", "test_browser.py", "test_classroom.py", "test_answer_leaks.py",
                "test_offline.py", "test_packaging.py", "test_env.py", "test_html_edition.py",
                "test_accessibility.py", "test_frontends.py", "test_lab_a11y.py"}
SLOW_TESTS: set[str] = set()
# image/png: the figures' pictures, made by `make outputs` (tools/figure_images.py)
# and never by a kernel; nbval skips it already unless --nbdime, said here too.
NBVAL_SKIP_EXTRA = (PLOTLY_MIME, "image/png")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: needs a kernel, browser, nbgrader, Hub or venv (make test only)")


# The longest modules first: `make test` runs on two xdist workers (--dist loadscope, a
# module to a worker), so the one long chain (nbgrader: assign, autograde, feedback)
# starts at once and the rest fills the other worker, instead of it starting last.
LONGEST_FIRST = ("test_nbgrader.py", "test_classroom.py", "test_browser.py", "test_html_edition.py",
                 "test_frontends.py")


def pytest_collection_modifyitems(session, config, items):
    import pytest
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(os.path.basename(str(item.fspath)), len(rank)))   # stable
    for item in items:
        name = os.path.basename(str(item.fspath))
        if (name in SLOW_MODULES or name.endswith(".ipynb")
                or getattr(item, "originalname", item.name) in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
    try:
        from nbval.plugin import IPyNbFile
    except ImportError:  # nbval not installed: no notebooks collected
        return
    for item in items:
        nbfile = item.parent
        if isinstance(nbfile, IPyNbFile):
            missing = tuple(m for m in NBVAL_SKIP_EXTRA if m not in nbfile.skip_compare)
            if missing:
                nbfile.skip_compare = tuple(nbfile.skip_compare) + missing
