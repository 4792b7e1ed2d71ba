# Deir ez-Zor 2016 teaching notebooks.
#   make lab    open the student notebooks in JupyterLab (installs .venv first)
#   make lab-instructor   the instructor's notebooks, with nbgrader (make notebook: Notebook 7)
#   make check  quick tests before every commit (< 60 s: no kernel, browser or Hub)
#   make build  after editing instructor/: run it, write hidden tests, keys, student edition
#   make test   run the tests and check the notebooks' stored outputs
#   make clean  remove .venv and caches
#   make bench ONLY=browser RUNS=3   time Run All in Chromium per notebook (median of 3, ~4 min)
# Needs only python3 >= 3.10 and make. Another interpreter: make env PYTHON=python3.12
# Dependencies: environment.yml (the one list) -> tools/envreqs.py -> pip requirements.

PYTHON ?= python3
VENV   ?= .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.stamp
REQS   := $(VENV)/requirements.txt

LAB_ARGS    ?=
PYTEST_ARGS ?=

# jupyter_server refuses to start as root unless told; only then is it told.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--ServerApp.allow_root=True)

.PHONY: env lab lab-instructor notebook test test-env check build clean help

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'

env: $(STAMP)

# The stamp makes a warm `make env` a no-op; it is rebuilt when the dependency
# list or the tools that read it change. Every set of environment.yml is
# installed, then the deirezzor package itself, editable and without
# dependencies (hatchling, the build backend, is in the test set, so this step
# needs no network). --compile-bytecode: uv writes no .pyc files by default,
# so every new kernel would compile pandas and plotly from source where the
# environment is read-only or PYTHONDONTWRITEBYTECODE is set (pip compiles).
$(STAMP): environment.yml tools/envreqs.py pyproject.toml tools/lab_settings.py
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: '$(PYTHON)' not found. Install Python >= 3.10 (or pass PYTHON=/path/to/python3)." >&2; exit 1; }
	@$(PYTHON) tools/envreqs.py --check-python
	@test -x $(VPY) || { echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@$(VPY) tools/envreqs.py --check-python
	$(VPY) tools/envreqs.py --out $(REQS)
	@if command -v uv >/dev/null 2>&1; then \
	    echo "installing with uv from PATH"; \
	    uv pip install --python $(VPY) --compile-bytecode -r $(REQS) && \
	    uv pip install --python $(VPY) --no-deps --no-build-isolation -e .; \
	elif $(VPY) -m pip install --quiet uv; then \
	    echo "installing with uv (bootstrapped into $(VENV))"; \
	    $(VENV)/bin/uv pip install --python $(VPY) --compile-bytecode -r $(REQS) && \
	    $(VENV)/bin/uv pip install --python $(VPY) --no-deps --no-build-isolation -e .; \
	else \
	    echo "uv unavailable; installing with pip"; \
	    $(VPY) -m pip install -r $(REQS) && \
	    $(VPY) -m pip install --no-deps --no-build-isolation -e .; \
	fi
	$(VPY) tools/lab_settings.py
	@touch $(STAMP)

# A student's JupyterLab: tools/jupyter-student on JUPYTER_CONFIG_PATH turns
# nbgrader's menus, panels and server extensions off (nothing is uninstalled).
# The instructor's, with nbgrader, opens instructor/: make lab-instructor.
# Notebook 7 (the classic-looking interface) for a student: make notebook.
STUDENT_CONFIG := JUPYTER_CONFIG_PATH="$(CURDIR)/tools/jupyter-student$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))"
SERVER_ARGS := --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" $(ALLOW_ROOT) \
	    --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --LabApp.news_url=None

lab: env
	$(STUDENT_CONFIG) $(VENV)/bin/jupyter lab $(SERVER_ARGS) \
	    --LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb $(LAB_ARGS)

lab-instructor: env
	$(VENV)/bin/jupyter lab $(SERVER_ARGS) \
	    --LabApp.default_url=/lab/tree/instructor/00-start-here.ipynb $(LAB_ARGS)

notebook: env
	$(STUDENT_CONFIG) $(VENV)/bin/jupyter notebook $(SERVER_ARGS) \
	    --JupyterNotebookApp.default_url=/notebooks/notebooks/00-start-here.ipynb $(LAB_ARGS)

# What the tests need that make can install by itself, beyond .venv: the
# Hub's proxy from npm (configurable-http-proxy, `make classroom-env`) when npm
# is on PATH. Without npm the classroom tests are skipped, saying what to
# install (tests/system_tools.py); under CI=true they fail instead.
test-env: env
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory classroom-env; \
	else echo "note: npm is not on PATH: the classroom tests will be skipped (install Node.js with npm)"; fi

# --dist loadscope keeps all cells of one notebook on one worker (plain -n
# would split them and break the notebook's state). -rs lists every skipped
# test with its reason (a missing Chromium, npm, font or unshare).
test: test-env
	$(VPY) -m pytest -n 2 --dist loadscope -rs --nbval --nbval-current-env tests $(wildcard instructor notebooks) $(PYTEST_ARGS)

# Before every commit: unit, data, spec and hint tests, the quotation test and
# editions --check; everything marked slow (tests/conftest.py) is left out.
check: env
	$(VPY) -m pytest -q -m "not slow" tests $(PYTEST_ARGS)
	$(VPY) tools/editions.py --check

# Everything derived from instructor/ (tools/build.py): executes the notebooks, captures
# the model answers, writes the hidden tests, deirezzor/exercises/keys.json, the student
# edition, navigation and lessons.md's table. Running it twice changes nothing.
build: env
	$(VPY) tools/build.py

clean:
	rm -rf $(VENV) .pytest_cache
	find . -path ./editions -prune -o -name __pycache__ -type d -prune -exec rm -rf {} + 
	find . -path ./editions -prune -o -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +

# ---------------------------------------------------------------------------
# Targets of the other tools (owned by their authors; add yours here).
# Each runs one script in the project environment.
# ---------------------------------------------------------------------------
.PHONY: student html nav codebook bench outputs versions classroom classroom-env publish-student link

# The student edition (notebooks/) and the nbgrader metadata (instructor/), from
# instructor/, the one source. Never overwrites a student file someone edited.
student: env
	$(VPY) tools/editions.py

# A read-only HTML edition of the whole series (student and instructor) that opens
# from disk with no network: editions/html/index.html.
html: env
	$(VPY) tools/html_edition.py

# Navigation cells and the contents table (from deirezzor/series.py), and the
# course-at-a-glance table in lessons.md.
nav: env
	$(VPY) tools/nav.py
	$(VPY) tools/glance.py

# data/README.md from data/datapackage.json.
codebook: env
	$(VPY) tools/codebook.py

# A class on a real local JupyterHub (tools/classroom.py -> artifacts/classroom.md):
# N simulated students log in, pull the student edition with nbgitpuller and
# run every notebook together. configurable-http-proxy comes from npm
# (package-lock.json) into node_modules/ via `make classroom-env`.
STUDENTS       ?= 3
CLASSROOM_ARGS ?=
NODE_STAMP     := node_modules/.package-lock.json

classroom-env: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: npm not found; install Node.js >= 18 with npm (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $(NODE_STAMP)

classroom: env classroom-env
	$(VPY) tools/classroom.py --students $(STUDENTS) $(CLASSROOM_ARGS)

# The branch `student` that nbgitpuller links point at: the committed student
# edition only (tools/publish_student.py). Then: git push origin student
publish-student: env
	$(VPY) tools/publish_student.py

# The nbgitpuller link for a Hub: make link HUB=https://hub.example.edu REPO=https://...git
BRANCH ?= student
link:
	@$(PYTHON) tools/nbgitpuller_link.py --hub "$(HUB)" --repo "$(REPO)" --branch "$(BRANCH)"

# Timings on this machine (set-up, kernels, nbval, memory, browser) ->
# artifacts/benchmark.md, then a class of 30 on a local JupyterHub ->
# artifacts/classroom.md. Not a test.
# ONLY=browser: just Run All in Chromium at 1366x768 (RUNS times per notebook,
# median; in-page timing with a per-figure breakdown) -> artifacts/benchmark.md.
RUNS ?= 3
bench: env
ifeq ($(ONLY),browser)
	$(VPY) tools/benchmark.py --browser-only --runs $(RUNS)
else
	$(VPY) tools/benchmark.py --runs $(RUNS)
	$(MAKE) classroom STUDENTS=30
endif

# The whole suite in two throw-away venvs: newest releases and lowest bounds
# of environment.yml (Python 3.10 if installed) -> artifacts/versions.md.
versions: env
	$(VPY) tools/check_versions.py

# Re-run the source notebooks in place to refresh their stored outputs (sources
# untouched), then rebuild the student edition from them.
outputs: env
	$(VPY) tools/execute.py
	$(VPY) tools/editions.py
