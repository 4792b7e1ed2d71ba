#!/usr/bin/env python3
"""Make `import deirezzor` work in the running interpreter, offline.

Writes ``deirezzor_2016.pth`` -- one line, the repository root -- into this
interpreter's site-packages (``sysconfig.get_paths()["purelib"]``).  Python's
``site`` module adds that directory to ``sys.path`` at start-up, so the package
is importable from any working directory, with no build backend, no network
and no copy of the code (edits to deirezzor/ take effect at once).

Idempotent: running it twice changes nothing.  Used by `make env` and by
postBuild (Binder/repo2docker).  Standard library only.

    python tools/link_package.py            # link
    python tools/link_package.py --remove   # unlink
"""
import argparse
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PTH_NAME = "deirezzor_2016.pth"


def pth_path() -> Path:
    return Path(sysconfig.get_paths()["purelib"]) / PTH_NAME


def link(root: Path = ROOT) -> str:
    if not (root / "deirezzor" / "__init__.py").is_file():
        raise SystemExit(f"error: {root} does not contain deirezzor/__init__.py")
    target = pth_path()
    wanted = f"{root}\n"
    if target.is_file() and target.read_text(encoding="utf-8") == wanted:
        return f"already linked: {target} -> {root}"
    target.parent.mkdir(parents=True, exist_ok=True)
    existed = target.exists()
    target.write_text(wanted, encoding="utf-8")
    return f"{'updated' if existed else 'wrote'} {target} -> {root}"


def unlink() -> str:
    target = pth_path()
    if target.exists():
        target.unlink()
        return f"removed {target}"
    return f"nothing to remove: {target} does not exist"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--remove", action="store_true", help="remove the link")
    args = ap.parse_args(argv)
    print(unlink() if args.remove else link())
    return 0


if __name__ == "__main__":
    sys.exit(main())
