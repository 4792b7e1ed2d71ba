"""Shared pytest configuration.

nbval compares the outputs stored in the notebooks with fresh ones.  Plotly's
figure JSON (``application/vnd.plotly.v1+json``) changes with every plotly
release (template details, defaults, uids), so it is excluded from that
comparison; every other output of the same cell -- printed text, tables,
the "What to see" Markdown -- is still compared strictly.

This file is self-contained on purpose: tests/test_env.py copies it
next to a throw-away notebook to prove that it does what it says.
"""
PLOTLY_MIME = "application/vnd.plotly.v1+json"
# image/png: the figures' pictures, made by `make outputs` (tools/figure_images.py)
# and never by a kernel; nbval skips it already unless --nbdime, said here too.
NBVAL_SKIP_EXTRA = (PLOTLY_MIME, "image/png")


def pytest_collection_modifyitems(session, config, items):
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
