#!/usr/bin/env python3
"""Re-execute notebooks in place so their stored outputs are fresh (``make outputs``).

    python tools/execute.py                                   # every notebook in instructor/
    python tools/execute.py instructor/02-raid-timeline.ipynb # just these

Runs each notebook top to bottom with nbclient in a kernel of *this* Python
(the one running the tool, i.e. the project's .venv), with the notebook's own
folder as working directory, then replaces only outputs and execution counts:

* sources and cell metadata are never changed;
* execution counts are renumbered 1, 2, 3, ... over the executed code cells;
* consecutive outputs of one stream are joined (their split into messages
  varies from run to run);
* timing metadata (``metadata.execution``) and widget state are not stored;
* every plotly figure also gets a static picture (``image/png`` with an
  ``alt`` text, tools/figure_images.py: plotly.js in Chromium), for GitHub's
  preview, nbviewer, nbconvert and Colab; ``--no-images`` leaves them out;
* ``metadata.language_info`` is what the kernel reports, Python version
  included. JupyterLab writes the kernel's language_info into the notebook
  when the kernel starts and marks the notebook modified (●) unless it is
  deep-equal to what is stored, so a stored copy without the version made
  every untouched notebook ask "Save changes?" on close. The version is that
  of the environment the outputs were made in (`make env`); a kernel of
  another Python version still shows ● (it really differs).

If a cell raises, the notebook is not written (the error is shown, exit 1).
If the file changed on disk while it ran (you saved in JupyterLab meanwhile),
it is not written either: run again.  Save your work in JupyterLab first:
the tool reads the file, not the open editor.
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nav import ROOT, SOURCE, dumps_nb, notebook_files, read_nb  # noqa: E402

import nbformat  # noqa: E402
from jupyter_client.kernelspec import KernelSpec  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402

LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


class CurrentPythonKernelManager(AsyncKernelManager):
    """A kernel of sys.executable, whatever kernelspecs the machine has installed."""

    @property
    def kernel_spec(self):
        if self._kernel_spec is None:
            self._kernel_spec = KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name="Python 3 (ipykernel)", language="python", name="python3",
                metadata={"debugger": True},
            )
        return self._kernel_spec


def execute(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Execute a copy of ``nb`` with working directory ``cwd``; return it normalised."""
    client = NotebookClient(
        nbformat.from_dict(nb), timeout=timeout, kernel_name="python3",
        kernel_manager_class=CurrentPythonKernelManager,
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False, store_widget_state=False, allow_errors=False,
    )
    done = client.execute()
    return normalise(done)


def coalesce_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same stream: a print can reach the client
    split into several messages, and the split differs from run to run."""
    merged: list = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] = merged[-1]["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.outputs = coalesce_streams(cell.outputs)
        if cell.execution_count is None and not cell.outputs:
            continue
        count += 1
        cell.execution_count = count
        for out in cell.outputs:
            if out.get("output_type") == "execute_result":
                out["execution_count"] = count
    nb.metadata.pop("widgets", None)
    reported = nb.metadata.get("language_info") or {}
    nb.metadata["language_info"] = dict(LANGUAGE_INFO, version=reported.get("version") or platform.python_version())
    nb.metadata.setdefault("kernelspec", dict(KERNELSPEC))
    return nb


def merge_outputs(original: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The original notebook with only outputs/execution counts taken from ``executed``."""
    merged = nbformat.from_dict(original)
    assert len(merged.cells) == len(executed.cells)
    for mine, ran in zip(merged.cells, executed.cells):
        assert mine.source == ran.source and mine.cell_type == ran.cell_type
        mine.metadata.pop("execution", None)
        if mine.cell_type == "code":
            mine.outputs = ran.outputs
            mine.execution_count = ran.execution_count
    merged.metadata.pop("widgets", None)
    merged.metadata["language_info"] = executed.metadata["language_info"]
    merged.metadata.setdefault("kernelspec", dict(KERNELSPEC))
    return merged


def add_figure_images(nb: nbformat.NotebookNode, renderer) -> int:
    """Every stored plotly figure also gets a static picture (image/png, with
    its alt text), made here in the instructor's build and never in a
    student's kernel: see tools/figure_images.py."""
    from figure_images import add_images
    return add_images(nb, renderer)


def run_one(path: Path, timeout: int, renderer=None) -> bool:
    path = path.resolve()
    before = path.read_text(encoding="utf-8")
    original = read_nb(path)
    started = time.monotonic()
    try:
        executed = execute(original, path.parent, timeout)
    except CellExecutionError as err:
        print(f"FAILED {path.name}: a cell raised; the file was not changed\n{err}", file=sys.stderr)
        return False
    if path.read_text(encoding="utf-8") != before:
        print(f"SKIPPED {path.name}: the file changed on disk while it ran; run again", file=sys.stderr)
        return False
    merged = merge_outputs(original, executed)
    if renderer is not None:
        add_figure_images(merged, renderer)
    text = dumps_nb(merged)
    changed = text != before
    if changed:
        path.write_text(text, encoding="utf-8")
    print(f"{'updated' if changed else 'unchanged'} {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
          f" ({time.monotonic() - started:.1f} s)")
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all in instructor/, the source)")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    ap.add_argument("--no-images", action="store_true",
                    help="store no static pictures of the figures (they need Chromium)")
    args = ap.parse_args(argv)
    paths = args.paths or notebook_files(SOURCE)
    missing = [p for p in paths if not p.exists()]
    if missing:
        print("error: no such notebook: " + ", ".join(map(str, missing)), file=sys.stderr)
        return 2
    if args.no_images:
        ok = [run_one(p, args.timeout) for p in paths]
    else:
        from figure_images import Renderer
        with Renderer() as renderer:
            ok = [run_one(p, args.timeout, renderer) for p in paths]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
