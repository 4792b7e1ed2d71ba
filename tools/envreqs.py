#!/usr/bin/env python3
"""Turn environment.yml (the project's one dependency list) into pip requirements.

Standard library only: this runs before anything is installed.

    python3 tools/envreqs.py                 # requirements on stdout (every set)
    python3 tools/envreqs.py --out reqs.txt  # ... into a file
    python3 tools/envreqs.py --set student   # one set (repeat --set for more)
    python3 tools/envreqs.py --set student --format yml --out binder/environment.yml
                                             # a conda environment file of that set
    python3 tools/envreqs.py --set student --check binder/environment.yml
                                             # exit 1 if that file is out of step
    python3 tools/envreqs.py --python-spec   # prints python's spec, e.g. >=3.10
    python3 tools/envreqs.py --check-python  # exit 1 with a message if this
                                             # interpreter does not satisfy it

Only the subset of YAML that environment.yml uses is understood: a top-level
``dependencies:`` block whose items are ``- name spec`` strings, comments and
blank lines.  Anything else inside that block (a nested ``pip:`` section, a
mapping, a channel-qualified name) is an error, not silently skipped.

Every entry except python carries a trailing ``# set: NAME[, NAME]`` comment
naming the set(s) it belongs to (one of SETS); an entry without one, or with an
unknown set, is an error.  python belongs to every set.
"""
import argparse
import re
import sys
from pathlib import Path
from typing import List, Optional, Tuple

# No `from __future__ import annotations` and no 3.8+ syntax: this file must
# run on an old python3 far enough to tell the user it is too old.

ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = ROOT / "environment.yml"

# conda match spec subset used here: "name", "name >=a", "name >=a,<b"
_DEP_RE = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)"
    r"(?:\s*(?P<spec>(?:[<>=!~]=?\s*[0-9][0-9A-Za-z.*+-]*)"
    r"(?:\s*,\s*[<>=!~]=?\s*[0-9][0-9A-Za-z.*+-]*)*))?$"
)


SETS = ("student", "instructor", "test", "classroom")
_SET_RE = re.compile(r"#\s*set:\s*(?P<sets>[a-z, ]+?)\s*$")


class EnvFileError(ValueError):
    pass


def _strip_comment(line: str) -> str:
    # environment.yml has no quoted '#' characters; a comment starts at
    # a '#' at the line start or after whitespace.
    m = re.search(r"(^|\s)#", line)
    return line[: m.start()] if m else line


def parse_dependencies(text: str, source: str = "environment.yml") -> List[Tuple[str, str]]:
    """Return [(name, spec)] from the ``dependencies:`` block, spec without spaces."""
    return [(name, spec) for name, spec, _ in parse_marked(text, source)]


def parse_marked(text: str, source: str = "environment.yml") -> List[Tuple[str, str, Tuple[str, ...]]]:
    """Return [(name, spec, sets)]; python's sets are all of SETS."""
    deps: List[Tuple[str, str, Tuple[str, ...]]] = []
    in_deps = False
    found = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw).rstrip()
        if not line.strip():
            continue
        indented = line[0] in " \t"
        if not indented:
            in_deps = line.strip() == "dependencies:"
            found = found or in_deps
            continue
        if not in_deps:
            continue
        item = line.strip()
        if not item.startswith("- "):
            raise EnvFileError(f"{source}, line {lineno}: expected '- name spec', got {raw.strip()!r}")
        item = item[2:].strip().strip("'\"")
        m = _DEP_RE.match(item)
        if not m:
            raise EnvFileError(
                f"{source}, line {lineno}: cannot read dependency {item!r} "
                "(expected e.g. 'pandas >=2.2.2,<3'; nested pip: sections are not supported)"
            )
        spec = re.sub(r"\s+", "", m.group("spec") or "")
        name = m.group("name").lower()
        mark = _SET_RE.search(raw)
        if name == "python":
            sets = SETS
        elif not mark:
            raise EnvFileError(f"{source}, line {lineno}: {name} has no '# set: NAME' marker "
                               f"(one or more of {', '.join(SETS)})")
        else:
            sets = tuple(s.strip() for s in mark.group("sets").split(",") if s.strip())
            unknown = [s for s in sets if s not in SETS]
            if unknown or not sets:
                raise EnvFileError(f"{source}, line {lineno}: unknown set {', '.join(unknown) or '(none)'} "
                                   f"for {name} (known: {', '.join(SETS)})")
        deps.append((name, spec, sets))
    if not found:
        raise EnvFileError(f"{source}: no top-level 'dependencies:' block")
    return deps


def read_dependencies(path: Path = ENV_FILE) -> List[Tuple[str, str]]:
    return parse_dependencies(Path(path).read_text(encoding="utf-8"), source=str(path))


def read_marked(path: Path = ENV_FILE) -> List[Tuple[str, str, Tuple[str, ...]]]:
    return parse_marked(Path(path).read_text(encoding="utf-8"), source=str(path))


def _check_sets(sets) -> None:
    unknown = [s for s in sets or () if s not in SETS]
    if unknown:
        raise EnvFileError(f"unknown set {', '.join(unknown)} (known: {', '.join(SETS)})")


def requirements(path: Path = ENV_FILE, sets: Optional[List[str]] = None) -> List[str]:
    """pip requirement lines (python itself excluded), in file order; only the
    entries of ``sets`` if given, else every entry."""
    _check_sets(sets)
    return [f"{name}{spec}" for name, spec, in_sets in read_marked(path)
            if name != "python" and (not sets or set(sets) & set(in_sets))]


def conda_yml(path: Path = ENV_FILE, sets: Optional[List[str]] = None) -> str:
    """A conda environment file holding python and the entries of ``sets``."""
    _check_sets(sets)
    chosen = sorted(sets or SETS, key=SETS.index)
    lines = [
        "# GENERATED by tools/envreqs.py from environment.yml -- do not edit by hand:",
        f"#   python tools/envreqs.py {' '.join('--set ' + s for s in chosen)} --format yml --out <this file>",
        f"# Sets: {', '.join(chosen)}. tests/test_env.py checks that it is in step.",
        "name: deirezzor-2016-" + "-".join(chosen),
        "channels:",
        "  - conda-forge",
        "dependencies:",
    ]
    for name, spec, in_sets in read_marked(path):
        if name == "python" or set(chosen) & set(in_sets):
            lines.append(f"  - {name} {spec}".rstrip())
    return "\n".join(lines) + "\n"


def python_spec(path: Path = ENV_FILE) -> str:
    for name, spec in read_dependencies(path):
        if name == "python":
            return spec
    raise EnvFileError(f"{path}: no 'python' dependency")


def _version_tuple(v: str) -> Tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v)[:3])


def python_ok(spec: str, version: Optional[Tuple[int, ...]] = None) -> bool:
    """Check a simple spec like '>=3.10' or '>=3.10,<4' against a version tuple."""
    version = tuple(version or sys.version_info[:3])
    for clause in filter(None, spec.split(",")):
        m = re.match(r"^(>=|<=|==|!=|>|<)(.+)$", clause)
        if not m:
            raise EnvFileError(f"unsupported python spec clause {clause!r}")
        op, want = m.group(1), _version_tuple(m.group(2))
        have = version[: len(want)]
        ok = {
            ">=": have >= want, "<=": have <= want, "==": have == want,
            "!=": have != want, ">": have > want, "<": have < want,
        }[op]
        if not ok:
            return False
    return True


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--env", default=str(ENV_FILE), help="environment.yml to read")
    ap.add_argument("--out", help="write requirements to this file instead of stdout")
    ap.add_argument("--set", dest="sets", action="append", choices=SETS,
                    help="only this set (repeatable; default: every set)")
    ap.add_argument("--format", choices=("pip", "yml"), default="pip",
                    help="pip requirement lines (default) or a conda environment file")
    ap.add_argument("--check", metavar="FILE",
                    help="exit 1 if FILE differs from what would be written")
    ap.add_argument("--python-spec", action="store_true", help="print python's version spec")
    ap.add_argument("--check-python", action="store_true",
                    help="exit 1 if the running interpreter does not satisfy python's spec")
    args = ap.parse_args(argv)
    env = Path(args.env)
    try:
        if args.python_spec:
            print(python_spec(env))
            return 0
        if args.check_python:
            spec = python_spec(env)
            if not python_ok(spec):
                here = ".".join(map(str, sys.version_info[:3]))
                print(f"error: {sys.executable} is Python {here}, but this project needs "
                      f"python {spec} (see environment.yml). Install a newer Python and run "
                      f"e.g. `make env PYTHON=python3.11`.", file=sys.stderr)
                return 1
            return 0
        if args.format == "yml":
            text = conda_yml(env, args.sets)
        else:
            text = "".join(line + "\n" for line in requirements(env, args.sets))
        if args.check:
            have = Path(args.check).read_text(encoding="utf-8") if Path(args.check).exists() else ""
            if have != text:
                cmd = " ".join(["python tools/envreqs.py"] + [f"--set {s}" for s in args.sets or []]
                               + [f"--format {args.format}", f"--out {args.check}"])
                print(f"error: {args.check} is out of step with {env}; regenerate it: {cmd}",
                      file=sys.stderr)
                return 1
            print(f"{args.check} is in step with {env}")
            return 0
    except (OSError, EnvFileError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
