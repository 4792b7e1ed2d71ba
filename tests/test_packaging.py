"""`pip install` of the repository gives a working package WITH its data.

Offline, as CI runs it: the wheel is built from a copy of this working tree
with the hatchling in the project environment (its PEP 517 hook, as `pip
wheel --no-build-isolation` calls it; tools/wheels.py), then installed with
`pip install --no-deps --no-index` into a FRESH venv that is
not this one.  Its third-party libraries (pandas, plotly, ...) come from this
environment's site-packages through a plain .pth file -- which lists paths
only, so the editable link of deirezzor that `make env` put there is NOT
carried over.  Then, from a folder outside the repository with
DEIREZZOR_DATA and PYTHONPATH unset:

* `import deirezzor; deirezzor.load("events")` works, and the package and its
  data come from the venv's site-packages (deirezzor/_data), not from the clone;
* a student notebook copied to that folder runs top to bottom (nbclient, in a
  kernel of that venv).

Controls: before the wheel is installed the import fails, and an installed
package whose data copy is removed fails with the loader's DataError.
"""
from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RELEASE = REPO / "notebooks"
sys.path.insert(0, str(REPO / "tools"))
import wheels  # noqa: E402


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # build from a copy of the tracked sources, so that a build never writes
    # into the working tree other people are using
    src = out / "src"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
        ".venv", ".git", "node_modules", "artifacts", "editions", "__pycache__", ".ipynb_checkpoints",
        "instructor", "notebooks", "tests"))
    whl = wheels.build_wheel(src, out)
    assert whl.name.startswith("deirezzor_2016-") and whl.suffix == ".whl"
    return whl


def test_wheel_carries_the_package_and_every_data_file_once(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data_files = sorted(p.name for p in (REPO / "data").iterdir() if p.is_file())
    assert sorted(n.split("/")[-1] for n in names if n.startswith("deirezzor/_data/")) == data_files
    assert "deirezzor/__init__.py" in names and "deirezzor/data.py" in names
    assert not [n for n in names if n.startswith(("data/", "tests/", "tools/", "notebooks/"))]
    meta = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    requires = sorted(l.split(":", 1)[1].strip() for l in meta.splitlines() if l.startswith("Requires-Dist:"))
    assert [r.split(">")[0].split("<")[0] for r in requires] == ["numpy", "pandas", "plotly", "tzdata"]


def test_data_is_not_duplicated_in_git():
    r = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip("not a git checkout")
    assert not [p for p in r.stdout.splitlines() if "/_data/" in p or p.startswith("deirezzor/_data")]


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("venv") / "x"
    venv.EnvBuilder(with_pip=False).create(d)
    py = d / "bin" / "python"
    purelib = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "zz_project_libraries.pth").write_text("\n".join(deps) + "\n")
    return d


def _env() -> dict:
    return {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "DEIREZZOR_DATA", "VIRTUAL_ENV") and not k.startswith("PYTEST_")}


PROBE = ("import deirezzor, json; ev = deirezzor.load('events'); "
         "print(json.dumps({'file': deirezzor.__file__, 'data': str(deirezzor.data_dir()), 'rows': len(ev)}))")


def test_pip_install_into_a_fresh_venv_then_load_and_run_a_notebook_elsewhere(wheel, fresh_venv, tmp_path):
    py = fresh_venv / "bin" / "python"
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    before = subprocess.run([str(py), "-c", PROBE], cwd=elsewhere, env=_env(), capture_output=True, text=True)
    assert before.returncode != 0 and "No module named 'deirezzor'" in before.stderr, before.stdout

    wheels.install_wheel(py, wheel)  # pip install --no-deps --no-index (uv where pip is absent)

    after = subprocess.run([str(py), "-c", PROBE], cwd=elsewhere, env=_env(), capture_output=True, text=True)
    assert after.returncode == 0, after.stderr
    got = json.loads(after.stdout)
    site_dir = Path(fresh_venv).resolve()
    assert Path(got["file"]).resolve().is_relative_to(site_dir), got
    assert Path(got["data"]).resolve().is_relative_to(site_dir) and got["data"].endswith("deirezzor/_data"), got
    assert got["rows"] > 0

    # a student notebook, copied to that folder, runs top to bottom in a kernel
    # of the fresh venv (nbclient, imported there through the .pth)
    nb_src = RELEASE / "00-start-here.ipynb"
    if not nb_src.exists():
        nb_src = sorted(RELEASE.glob("*.ipynb"))[0]
    nb = elsewhere / nb_src.name
    shutil.copy(nb_src, nb)
    runner = (
        "import sys, nbformat, jupyter_client.kernelspec as ks\n"
        "from nbclient import NotebookClient\n"
        "spec = ks.KernelSpecManager().get_kernel_spec('python3')\n"
        "assert spec.argv[0] in (sys.executable, 'python'), spec.argv\n"
        f"nb = nbformat.read({str(nb)!r}, as_version=4)\n"
        "NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': '.'}}).execute()\n"
        "errors = [o for c in nb.cells if c.cell_type == 'code' for o in c.outputs if o.output_type == 'error']\n"
        "print(len([c for c in nb.cells if c.cell_type == 'code']), 'cells', len(errors), 'errors')\n"
        "sys.exit(1 if errors else 0)\n")
    env = dict(_env(), PATH=f"{fresh_venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
               JUPYTER_PATH=str(fresh_venv / "share" / "jupyter"))
    run = subprocess.run([str(py), "-c", runner], cwd=elsewhere, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    assert run.stdout.strip().endswith("0 errors"), run.stdout

    # control: the same install without its data copy fails with the loader's clear error
    data = Path(got["data"])
    shutil.rmtree(data)
    broken = subprocess.run([str(py), "-c", PROBE], cwd=elsewhere, env=_env(), capture_output=True, text=True)
    assert broken.returncode != 0
    assert "DataError" in broken.stderr and "DEIREZZOR_DATA" in broken.stderr
    assert str(data / "datapackage.json") in broken.stderr


def test_loader_order_env_then_repo_then_packaged(tmp_path, monkeypatch):
    """DEIREZZOR_DATA wins; a clone's data/ comes before the packaged copy; the
    packaged copy is used when the package sits in site-packages (whose own
    data/ folder, if any, belongs to someone else)."""
    import deirezzor
    from deirezzor import data as dmod

    def pkg(d: Path) -> Path:
        d.mkdir(parents=True)
        shutil.copy(REPO / "data" / "datapackage.json", d / "datapackage.json")
        return d.resolve()

    monkeypatch.delenv("DEIREZZOR_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    clone, packaged, env = pkg(tmp_path / "clone" / "data"), pkg(tmp_path / "pk" / "_data"), pkg(tmp_path / "env")
    monkeypatch.setattr(dmod, "_PKG_ROOT", clone.parent)
    monkeypatch.setattr(dmod, "_PACKAGED", packaged)
    assert deirezzor.data_dir() == clone
    monkeypatch.setenv("DEIREZZOR_DATA", str(env))
    assert deirezzor.data_dir() == env
    monkeypatch.delenv("DEIREZZOR_DATA")
    stray = pkg(tmp_path / "site-packages" / "data")
    monkeypatch.setattr(dmod, "_PKG_ROOT", stray.parent)
    assert deirezzor.data_dir() == packaged
