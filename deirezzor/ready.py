"""The first thing every notebook runs: is this kernel ready for the series?

    from deirezzor import ready
    ready.check()

Checks, in a fresh kernel, that the libraries the notebooks use can be
imported and that the data folder can be found, and stops with ONE message
that says what is missing and what to do — instead of a ModuleNotFoundError
or a DataError in the middle of a lesson and twenty NameErrors after it.
Standard library only until the checks pass.
"""
from __future__ import annotations

import importlib.util

__all__ = ["check", "SetupError", "LIBRARIES"]

# import name -> what to install (the student set of environment.yml)
LIBRARIES = {"pandas": "pandas", "plotly": "plotly", "IPython": "ipykernel"}


class SetupError(RuntimeError):
    """This kernel cannot run the notebooks; the message says what to do."""


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(".")[:3] if x.isdigit())


def check(needs: str | None = None) -> None:
    """``needs``: the course package version the notebook was built with (`make build` writes it)."""
    if needs is not None:
        from . import __version__
        if _version(__version__) < _version(needs):
            raise SetupError(
                f"This notebook was made for the course package deirezzor {needs}, but this kernel has "
                f"{__version__}, whose checks do not know its exercises. On your own computer: in the "
                "repository folder run `git pull` and then `make env`, and restart the kernel. On a "
                "JupyterHub or Binder: ask your instructor to run `pip install --upgrade` of the course "
                "package in the image (lessons.md, 'Setting up a class').")
        if _version(__version__) > _version(needs):
            print(f"Note: the course package (deirezzor {__version__}) is newer than this notebook "
                  f"(made for {needs}). Fetch the newest notebooks (your instructor's link, or `git pull`) "
                  "so that the checks and the exercises match.")
    missing = [pkg for mod, pkg in LIBRARIES.items() if importlib.util.find_spec(mod) is None]
    if missing:
        raise SetupError(
            f"This kernel cannot run the notebooks: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not installed in it. "
            "On your own computer run `make env` in the repository folder and choose the kernel of "
            ".venv; on a JupyterHub or Binder ask your instructor to install the course package "
            "(lessons.md, 'Setting up a class'), which brings these libraries with it.")
    try:
        from zoneinfo import ZoneInfo
        ZoneInfo("Asia/Damascus")
    except Exception:  # noqa: BLE001 - any failure means no time-zone data
        raise SetupError("This kernel has no time-zone database, so Damascus time cannot be computed: "
                         "install the package tzdata (`pip install tzdata`), then restart the kernel.") from None
    from .data import DataError, data_dir
    try:
        data_dir()
    except DataError as err:
        raise SetupError(f"The course data cannot be found. {err} Reinstall the course package, or set "
                         "the environment variable DEIREZZOR_DATA to the folder that holds "
                         "datapackage.json, then restart the kernel.") from None
