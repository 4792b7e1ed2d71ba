#!/usr/bin/env python3
"""Print the nbgitpuller link that hands the student edition to a class.

    python tools/nbgitpuller_link.py --hub https://hub.example.edu \\
        --repo https://github.com/OWNER/deirezzor-2016 --branch student
    make link HUB=https://hub.example.edu REPO=https://github.com/OWNER/deirezzor-2016

Clicking the link logs the student in to the Hub, starts their server, pulls
(clones, or later merges into) the branch into ~/<repo name>/, and opens
notebooks/00-start-here.ipynb in JupyterLab.  The same function builds the
links that ``make classroom`` clicks for its simulated students.
"""
from __future__ import annotations

import argparse
import sys
from urllib.parse import urlencode

START = "notebooks/00-start-here.ipynb"


def target_dir(repo: str) -> str:
    """The folder nbgitpuller clones into: the last part of the repo URL."""
    return repo.rstrip("/").split("/")[-1]


def link(hub: str, repo: str, branch: str = "student", notebook: str = START, app: str = "lab") -> str:
    if not hub.startswith(("http://", "https://")):
        raise ValueError(f"--hub must be the Hub's http(s) address, got {hub!r}")
    if not repo or "://" not in repo:
        raise ValueError(f"--repo must be a git URL (https://..., file://...), got {repo!r}")
    path = f"{target_dir(repo)}/{notebook}"
    urlpath = f"lab/tree/{path}" if app == "lab" else f"tree/{path}"
    query = urlencode({"repo": repo, "branch": branch, "urlpath": urlpath})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hub", required=True, help="the Hub's address, e.g. https://hub.example.edu")
    ap.add_argument("--repo", required=True, help="the repository's git URL (where the branch is pushed)")
    ap.add_argument("--branch", default="student", help="branch written by make publish-student")
    ap.add_argument("--notebook", default=START, help="the notebook to open")
    args = ap.parse_args(argv)
    try:
        print(link(args.hub, args.repo, args.branch, args.notebook))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
