"""Write JupyterLab defaults for this environment: no news prompt, no update check.

    python tools/lab_settings.py

Classrooms often have no internet, and a pop-up asking students whether to
fetch Jupyter news distracts from the lesson, so the environment's
``share/jupyter/lab/settings/overrides.json`` turns both off. A student can
still switch them on in Settings. Run by `make env` and by Binder's postBuild.
Existing overrides are kept; only these two keys are set.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

PLUGIN = "@jupyterlab/apputils-extension:notification"
SETTINGS = {"fetchNews": "false", "checkForUpdates": False}


def main() -> int:
    path = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if data.get(PLUGIN, {}) | SETTINGS == data.get(PLUGIN, {}):
        print(f"{path}: already set")
        return 0
    data.setdefault(PLUGIN, {}).update(SETTINGS)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"{path}: news prompt and update check off")
    return 0


if __name__ == "__main__":
    sys.exit(main())
