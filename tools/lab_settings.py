"""Write JupyterLab defaults for this environment: no news prompt, no update check,
no notebook windowing (Run All draws faster), and figures in HTML exports.

    python tools/lab_settings.py

Classrooms often have no internet, and a pop-up asking students whether to
fetch Jupyter news distracts from the lesson, so the environment's
``share/jupyter/lab/settings/overrides.json`` turns both off. A student can
still switch them on in Settings. Run by `make env` and by Binder's postBuild.
Existing overrides are kept; only these keys are set.

It also adds deirezzor.export.PlotlyFigures to ``HTMLExporter.preprocessors``
in the environment's ``etc/jupyter/jupyter_nbconvert_config.json``, so that
`jupyter nbconvert --to html` shows every figure, offline, with plotly.js from the plotly
package on disk. Other nbconvert settings in that file are kept.

And it writes ``etc/ipython/ipython_kernel_config.py`` in the environment: a
kernel of this environment imports pandas, plotly.graph_objects and
deirezzor.style while it starts (exec_lines), that is while the student reads
the notebook's header, instead of in the first cell after Run All. The
imports are the largest part of Run All (about 0.8 s of kernel time); nothing
else changes, and a notebook still imports what it uses itself. Only kernels
of this environment are affected. A line already in that file is kept.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

PLUGIN = "@jupyterlab/apputils-extension:notification"
SETTINGS = {"fetchNews": "false", "checkForUpdates": False}
# Every cell attached and laid out (no windowing).  JupyterLab's default,
# "contentVisibility", made Run All slower here: 02 took 6.9 s instead of 5.7 s
# (median of 3, load 10) and 20% more CPU in the page, because the cells it
# skips are laid out anyway each time a figure or an output measures itself.
# It is also what tests/test_browser.py and `make bench` run with.
NOTEBOOK_PLUGIN = "@jupyterlab/notebook-extension:tracker"
NOTEBOOK_SETTINGS = {"windowingMode": "none"}


EXPORT_PREPROCESSOR = "deirezzor.export.PlotlyFigures"


def nbconvert_config() -> str:
    path = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_nbconvert_config.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    pre = data.setdefault("HTMLExporter", {}).setdefault("preprocessors", [])
    if EXPORT_PREPROCESSOR in pre:
        return f"{path}: already set"
    pre.append(EXPORT_PREPROCESSOR)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return f"{path}: HTML exports draw the figures"


PRELOAD = "import pandas, plotly.graph_objects, deirezzor.style"


def kernel_preload() -> str:
    path = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if PRELOAD in text:
        return f"{path}: already set"
    line = f"c.InteractiveShellApp.exec_lines.append({PRELOAD!r})  # written by tools/lab_settings.py\n"
    if "c = get_config()" not in text:
        text = "c = get_config()  # noqa: F821\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + line, encoding="utf-8")
    return f"{path}: kernels import pandas and plotly while they start"


def main() -> int:
    print(nbconvert_config())
    print(kernel_preload())
    path = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    wanted = ((PLUGIN, SETTINGS), (NOTEBOOK_PLUGIN, NOTEBOOK_SETTINGS))
    if all(data.get(k, {}) | v == data.get(k, {}) for k, v in wanted):
        print(f"{path}: already set")
        return 0
    for k, v in wanted:
        data.setdefault(k, {}).update(v)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"{path}: news prompt and update check off, notebook windowing off")
    return 0


if __name__ == "__main__":
    sys.exit(main())
