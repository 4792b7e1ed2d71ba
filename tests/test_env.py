"""The environment: one dependency list with its sets, declared imports,
pyproject.toml and binder/ in step with it, and the nbval configuration in
conftest.py."""
import ast
import importlib.metadata as md
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml  # pyyaml, pulled in by jupyterlab: an independent parser of environment.yml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import envreqs  # noqa: E402

ENV_YML = REPO / "environment.yml"


def yml_deps() -> dict:
    """{name: SpecifierSet} from environment.yml, read with pyyaml."""
    doc = yaml.safe_load(ENV_YML.read_text(encoding="utf-8"))
    assert doc["channels"] == ["conda-forge"]
    deps = {}
    for item in doc["dependencies"]:
        assert isinstance(item, str), f"unexpected entry (pip: section?) {item!r}"
        name, _, spec = item.partition(" ")
        deps[canonicalize_name(name)] = SpecifierSet(spec.replace(" ", ""))
    return deps


def test_derived_requirements_equal_environment_yml():
    deps = yml_deps()
    derived = {}
    for line in envreqs.requirements(ENV_YML):
        req = Requirement(line)
        derived[canonicalize_name(req.name)] = req.specifier
    expected = {k: v for k, v in deps.items() if k != "python"}
    assert derived == expected
    assert SpecifierSet(envreqs.python_spec(ENV_YML)) == deps["python"]


def test_envreqs_cli_writes_the_same(tmp_path):
    out = tmp_path / "reqs.txt"
    r = subprocess.run([sys.executable, str(REPO / "tools" / "envreqs.py"), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert out.read_text().splitlines() == envreqs.requirements(ENV_YML)
    r = subprocess.run([sys.executable, str(REPO / "tools" / "envreqs.py"), "--python-spec"],
                       capture_output=True, text=True)
    assert SpecifierSet(r.stdout.strip()) == yml_deps()["python"]


def test_envreqs_rejects_what_it_cannot_read(tmp_path):
    bad = tmp_path / "environment.yml"
    bad.write_text("dependencies:\n  - pandas >=2,<3  # set: student\n  - pip:\n    - foo\n")
    with pytest.raises(envreqs.EnvFileError, match="line 3"):
        envreqs.read_dependencies(bad)


def test_python_version_check():
    assert envreqs.python_ok(">=3.10", (3, 10, 0))
    assert envreqs.python_ok(">=3.10", (3, 13, 1))
    assert not envreqs.python_ok(">=3.10", (3, 9, 18))
    assert not envreqs.python_ok(">=3.10,<3.12", (3, 12, 0))
    assert envreqs.python_ok(envreqs.python_spec(ENV_YML))  # the interpreter running us


def test_every_dependency_has_lower_and_upper_bound():
    for name, spec in yml_deps().items():
        ops = {s.operator for s in spec}
        assert ops & {">=", ">", "~=", "=="}, f"{name}: no lower bound"
        if name != "python":  # the interpreter: only a floor
            assert ops & {"<", "<=", "~=", "=="}, f"{name}: no upper bound"


def test_non_obvious_pins_have_comments():
    text = ENV_YML.read_text(encoding="utf-8")
    for name in ("ipykernel", "pandas", "tzdata", "playwright", "psutil"):
        block = text[: text.index(f"- {name} ")]
        last_lines = block.rstrip().splitlines()[-1]
        assert last_lines.strip().startswith("#"), f"{name} has no comment above it"


def test_no_repo_install_in_environment_yml():
    text = ENV_YML.read_text(encoding="utf-8")
    assert "pip:" not in text.replace("no pip:", "") and "-e ." not in text.replace("`-e .`", "")


def test_installed_versions_satisfy_ranges():
    problems = []
    for name, spec in yml_deps().items():
        if name == "python":
            have = ".".join(map(str, sys.version_info[:3]))
        else:
            try:
                have = md.version(name)
            except md.PackageNotFoundError:
                problems.append(f"{name} is not installed")
                continue
        if not spec.contains(have, prereleases=True):
            problems.append(f"{name} {have} does not satisfy {spec}")
    assert not problems, problems


# --------------------------------------------------------------------------
# Every import is stdlib, first-party or declared
# --------------------------------------------------------------------------
def _imports_of(source: str, where: str) -> set:
    tree = ast.parse(source, filename=where)
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            mods.add(node.module.split(".")[0])
    return mods


def _notebook_code(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    lines = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        # IPython magics and shell escapes are not Python
        lines += ["pass" if l.lstrip().startswith(("%", "!")) else l for l in src.splitlines()]
    return "\n".join(lines)


def all_imports() -> dict:
    found = {}
    files = [p for d in ("deirezzor", "tools", "tests") for p in (REPO / d).rglob("*.py")]
    for p in files:
        for m in _imports_of(p.read_text(encoding="utf-8"), str(p)):
            found.setdefault(m, []).append(str(p.relative_to(REPO)))
    for p in sorted((REPO / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in p.parts:
            continue
        for m in _imports_of(_notebook_code(p), str(p)):
            found.setdefault(m, []).append(str(p.relative_to(REPO)))
    return found


def _closure(names) -> set:
    """The declared distributions and everything they require, as installed."""
    seen, todo = set(), [canonicalize_name(n) for n in names]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        try:
            reqs = md.requires(n) or []
        except md.PackageNotFoundError:
            continue
        for r in reqs:
            req = Requirement(r)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


def _import_to_dists() -> dict:
    """{top-level import name: [distribution names]} for what is installed.

    Like importlib.metadata.packages_distributions(), but also infers the names
    from RECORD where top_level.txt is absent (Python 3.10 reads only
    top_level.txt, which wheels built by modern backends no longer ship)."""
    out: dict = {}
    for dist in md.distributions():
        name = dist.metadata["Name"]
        tops = set((dist.read_text("top_level.txt") or "").split())
        if not tops:
            for f in dist.files or []:
                if f.suffix not in (".py", ".so", ".pyd") or f.parts[0] in ("..", "__pycache__"):
                    continue
                top = f.parts[0] if len(f.parts) > 1 else f.name.split(".")[0]
                if not top.endswith((".dist-info", ".data")):
                    tops.add(top)
        for top in tops:
            out.setdefault(top, []).append(name)
    return out


# Imports allowed without their own line in environment.yml, because a declared
# dependency always brings them: {import name: the declared dependency}.
# Adding one here is a deliberate decision; the test checks the claim.
TRANSITIVE_OK = {
    "IPython": "ipykernel",
    "jupyter_client": "nbclient",
    "jupyter_core": "jupyterlab",
    "traitlets": "nbclient",
    "yaml": "jupyterlab",       # pyyaml, via jupyter-events
    "packaging": "jupyterlab",
    "numpy": "pandas",
    "httpx": "jupyterlab",      # tools/classroom.py: the simulated students' HTTP client
    "tornado": "jupyterhub",    # tools/classroom.py: the kernel websocket client
    "nbconvert": "jupyterlab",  # deirezzor/export.py (an nbconvert preprocessor), tools/html_edition.py
}


def test_every_import_is_stdlib_first_party_or_declared():
    first_party = {"deirezzor", "tools", "conftest"}
    first_party |= {p.stem for d in ("tools", "tests") for p in (REPO / d).glob("*.py")}
    declared = {n for n in yml_deps() if n != "python"}
    import_to_dists = _import_to_dists()
    problems = []
    for mod, users in sorted(all_imports().items()):
        if mod in sys.stdlib_module_names or mod in first_party:
            continue
        dists = {canonicalize_name(d) for d in import_to_dists.get(mod, [])}
        if dists & declared:
            continue
        parent = TRANSITIVE_OK.get(mod)
        if parent and dists & _closure([parent]):
            continue
        problems.append(f"{mod!r} (used in {', '.join(sorted(set(users)))}) is not declared "
                        f"in environment.yml (distribution: {sorted(dists) or 'not installed'})")
    assert not problems, "\n".join(problems)


def test_transitive_allowances_are_true():
    import_to_dists = _import_to_dists()
    for mod, parent in TRANSITIVE_OK.items():
        assert canonicalize_name(parent) in yml_deps(), parent
        dists = {canonicalize_name(d) for d in import_to_dists.get(mod, [])}
        assert dists & _closure([parent]), f"{mod} no longer comes with {parent}"


# --------------------------------------------------------------------------
# Sets, pyproject.toml and binder/ (the student set), postBuild
# --------------------------------------------------------------------------
# nbformat is in the student set for its lower bound (the server reads notebooks
# with it; environment.yml says why), and in the test set for the tests.
STUDENT_SET = {"jupyterlab", "ipykernel", "pandas", "numpy", "plotly", "tzdata", "nbgitpuller", "nbformat"}
TEST_TOOLS = {"pytest", "pytest-xdist", "nbval", "nbclient", "playwright", "psutil",
              "hatchling", "frictionless"}


def _names(lines) -> set:
    return {canonicalize_name(Requirement(l).name) for l in lines}


def test_every_entry_is_marked_with_a_known_set(tmp_path):
    marked = envreqs.read_marked(ENV_YML)
    assert {canonicalize_name(n) for n, _, _ in marked} == set(yml_deps())
    for name, _, sets in marked:
        assert sets and set(sets) <= set(envreqs.SETS), name
    # the default is every set, and the sets together are everything
    every = _names(envreqs.requirements(ENV_YML))
    assert every == set(yml_deps()) - {"python"}
    assert set().union(*(_names(envreqs.requirements(ENV_YML, [s])) for s in envreqs.SETS)) == every
    # an unmarked entry is an error, not silently put in every set
    bad = tmp_path / "environment.yml"
    bad.write_text("dependencies:\n  - python >=3.10\n  - pandas >=2,<3\n")
    with pytest.raises(envreqs.EnvFileError, match="no '# set: NAME' marker"):
        envreqs.read_marked(bad)
    bad.write_text("dependencies:\n  - pandas >=2,<3  # set: students\n")
    with pytest.raises(envreqs.EnvFileError, match="unknown set students"):
        envreqs.read_marked(bad)


def test_student_set_is_what_a_student_needs_and_no_test_tool():
    student = _names(envreqs.requirements(ENV_YML, ["student"]))
    assert student == STUDENT_SET
    assert not student & TEST_TOOLS
    assert "nbgrader" in _names(envreqs.requirements(ENV_YML, ["instructor"]))
    assert {"jupyterhub", "nbgitpuller"} <= _names(envreqs.requirements(ENV_YML, ["classroom"]))


def test_envreqs_cli_prints_one_set():
    r = subprocess.run([sys.executable, str(REPO / "tools" / "envreqs.py"), "--set", "student"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == envreqs.requirements(ENV_YML, ["student"])
    r = subprocess.run([sys.executable, str(REPO / "tools" / "envreqs.py"), "--set", "pupil"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_binder_environment_is_the_student_set_and_in_step(tmp_path):
    binder = REPO / "binder" / "environment.yml"
    doc = yaml.safe_load(binder.read_text(encoding="utf-8"))
    names = {canonicalize_name(d.split()[0]) for d in doc["dependencies"]}
    assert names == STUDENT_SET | {"python"}
    for item in doc["dependencies"]:  # the same bounds as environment.yml
        name, _, spec = item.partition(" ")
        assert SpecifierSet(spec.replace(" ", "")) == yml_deps()[canonicalize_name(name)], item
    cmd = [sys.executable, str(REPO / "tools" / "envreqs.py"), "--set", "student", "--format", "yml"]
    r = subprocess.run(cmd + ["--check", str(binder)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # a stale copy fails the same check, and says how to regenerate it
    stale = tmp_path / "environment.yml"
    stale.write_text(binder.read_text().replace("plotly >=6.1,<8", "plotly >=5,<8"))
    r = subprocess.run(cmd + ["--check", str(stale)], capture_output=True, text=True)
    assert r.returncode == 1 and "out of step" in r.stderr and "--format yml" in r.stderr


def _pyproject() -> dict:
    import importlib
    try:  # Python 3.11+; on 3.10 pytest brings tomli (make versions' lowest set)
        toml = importlib.import_module("tomllib")
    except ModuleNotFoundError:
        toml = importlib.import_module("tomli")
    return toml.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_pyproject_dependencies_match_environment_yml():
    project = _pyproject()["project"]
    declared = {canonicalize_name(Requirement(r).name): Requirement(r).specifier
                for r in project["dependencies"]}
    env = yml_deps()
    student = _names(envreqs.requirements(ENV_YML, ["student"]))
    for name, spec in declared.items():
        assert name in student, f"pyproject.toml: {name} is not in environment.yml's student set"
        assert spec == env[name], f"pyproject.toml: {name}{spec} but environment.yml says {env[name]}"
    # what the package imports (third-party) is declared, and tzdata for zoneinfo
    third = set()
    import_to_dists = _import_to_dists()
    # deirezzor/export.py is a plug-in for nbconvert: only nbconvert (which
    # comes with JupyterLab) imports it, so nbconvert is not a run-time need
    plugins = {REPO / "deirezzor" / "export.py"}
    for p in set((REPO / "deirezzor").rglob("*.py")) - plugins:
        for mod in _imports_of(p.read_text(encoding="utf-8"), str(p)):
            if mod not in sys.stdlib_module_names and mod != "deirezzor":
                third |= {canonicalize_name(d) for d in import_to_dists.get(mod, [mod])}
    # IPython: imported only inside a running notebook, whose kernel brings it
    third -= {"ipython"}
    assert third <= set(declared), f"deirezzor imports {sorted(third - set(declared))} undeclared"
    assert "tzdata" in declared
    assert SpecifierSet(project["requires-python"]).contains(
        str(min(SpecifierSet(envreqs.python_spec(ENV_YML)), key=str).version))


def test_no_link_package_left():
    assert not (REPO / "tools" / "link_package.py").exists()
    for rel in ("Makefile", "binder/postBuild", "README.md", "lessons.md", "tools/check_versions.py"):
        assert "link_package" not in (REPO / rel).read_text(encoding="utf-8"), rel
    # repo2docker uses binder/ when it exists and then ignores the root's files
    assert not (REPO / "postBuild").exists()


def test_postbuild_installs_the_package_without_dependencies():
    pb = REPO / "binder" / "postBuild"
    assert os.access(pb, os.X_OK)
    text = pb.read_text()
    assert "set -euo pipefail" in text and "tools/lab_settings.py" in text
    install = [l for l in text.splitlines() if "pip install" in l and not l.lstrip().startswith("#")]
    assert len(install) == 1 and "--no-deps" in install[0] and " -e " not in install[0], install


def test_make_env_installs_the_package_editable_without_deps():
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    assert text.count("--no-deps --no-build-isolation -e .") == 3  # uv from PATH, bootstrapped uv, pip
    # make env really did it: the package is installed, and it is this clone's
    dist = md.distribution("deirezzor-2016")
    assert dist.version == _pyproject()["project"]["version"]
    import deirezzor
    assert Path(deirezzor.__file__).resolve().is_relative_to(REPO)


def test_lab_settings_turn_off_the_news_prompt_and_keep_other_overrides(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    overrides = env_dir / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True)
    overrides.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    for _ in range(2):  # idempotent
        r = subprocess.run([str(py), str(REPO / "tools" / "lab_settings.py")], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    assert "already set" in r.stdout
    data = json.loads(overrides.read_text())
    assert data["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert data["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}


# --------------------------------------------------------------------------
# conftest.py: nbval ignores plotly's figure JSON, compares everything else
# --------------------------------------------------------------------------
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def _run_nbval(nb_dir: Path, with_conftest: bool):
    if with_conftest:
        shutil.copy(REPO / "tests" / "conftest.py", nb_dir / "conftest.py")
    ini = nb_dir / "pytest.ini"
    ini.write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-c", str(ini),
         "--rootdir", str(nb_dir), "--nbval", "--nbval-current-env", "-q", str(nb_dir / "fig.ipynb")],
        cwd=nb_dir, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def executed_notebook(tmp_path_factory):
    """A two-cell notebook with a plotly figure and printed text, executed for real."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("import plotly.graph_objects as go\nprint('ready')"),
        nbformat.v4.new_code_cell(
            "fig = go.Figure(go.Bar(x=['a', 'b'], y=[1, 2]))\n"
            "fig.show('plotly_mimetype')\n"
            "print('total', 1 + 2)"),
    ]
    d = tmp_path_factory.mktemp("nb")
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(d)}}).execute()
    kinds = [o for o in nb.cells[1].outputs]
    assert any(PLOTLY_MIME in o.get("data", {}) for o in kinds), kinds
    assert any(o.get("name") == "stdout" and "total 3" in o["text"] for o in kinds), kinds
    return nb


def _write_variant(nb, d: Path, change_plot: bool, change_text: bool) -> Path:
    import copy

    import nbformat
    nb = copy.deepcopy(nb)
    for out in nb.cells[1].outputs:
        if change_plot and PLOTLY_MIME in out.get("data", {}):
            fig = out["data"][PLOTLY_MIME]
            fig["data"][0]["y"] = [10, 20]                  # different figure...
            fig["layout"]["template"] = {"layout": {"font": {"size": 99}}}  # ...and template
            fig["config"] = {"plotlyServerURL": "https://example.invalid"}
        if change_text and out.get("name") == "stdout":
            out["text"] = out["text"].replace("total 3", "total 4")
    d.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, d / "fig.ipynb")
    return d


def test_nbval_ignores_plotly_json_but_compares_text(executed_notebook, tmp_path):
    # identical outputs: pass
    same = _run_nbval(_write_variant(executed_notebook, tmp_path / "same", False, False), True)
    assert same.returncode == 0, same.stdout + same.stderr
    # different plotly JSON, same text: pass with our conftest...
    plot = _run_nbval(_write_variant(executed_notebook, tmp_path / "plot", True, False), True)
    assert plot.returncode == 0, plot.stdout + plot.stderr
    assert re.search(r"\b2 passed\b", plot.stdout), plot.stdout
    # ...and fail without it (so it is the conftest that makes the difference)
    bare = _run_nbval(_write_variant(executed_notebook, tmp_path / "bare", True, False), False)
    assert bare.returncode == 1, bare.stdout + bare.stderr
    # different text, same plotly JSON: fail, even with our conftest
    text = _run_nbval(_write_variant(executed_notebook, tmp_path / "text", False, True), True)
    assert text.returncode == 1, text.stdout + text.stderr
    assert "total 4" in text.stdout and "1 failed" in text.stdout
