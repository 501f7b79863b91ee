# Probability for Deep Learning: set up, open, test and regenerate the course.
#   make lab      set up .venv if needed and open the student labs in JupyterLab (the student's view)
#   make instructor  JupyterLab at the course root with nbgrader's formgrader and instructor panels
#   make test     set up .venv if needed and run every test
#   make release  regenerate labs/ from solutions/ with nbgrader
#   make lint     ruff on helpers, tests and notebooks
#   make grade    autograde submitted/ in parallel (LAB=01_distributions for one lab, FORCE=1 to regrade all)
#   make feedback feedback HTML for students, without hidden tests (LAB=... for one lab)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LABS   := $(notdir $(wildcard solutions/[0-9][0-9]_*))
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PORT   ?= 8888
LAB    ?=
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# nbgrader starts helper programs (alembic) by name: the venv's bin must come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)
# What `make lab` serves and `make instructor` opens (the tests point them at a throwaway copy of the course),
# and more options for jupyter lab (e.g. JUPYTER_ARGS=--no-browser).
LABS_DIR   ?= labs
COURSE_DIR ?= .
JUPYTER_ARGS ?=
# The student's view: jupyter/student/ is the Jupyter config folder of that session only (nbgrader's instructor
# plugins and JupyterLab's news and update check off; Binder's `start` uses the same folder). JupyterLab's own
# settings and workspaces stay where they usually are.
STUDENT_ENV := JUPYTER_CONFIG_DIR=$(abspath jupyter/student) \
	JUPYTERLAB_SETTINGS_DIR=$(or $(JUPYTERLAB_SETTINGS_DIR),$(HOME)/.jupyter/lab/user-settings) \
	JUPYTERLAB_WORKSPACES_DIR=$(or $(JUPYTERLAB_WORKSPACES_DIR),$(HOME)/.jupyter/lab/workspaces)
NO_NEWS := --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

.PHONY: setup lab instructor test release lint grade feedback clean

setup: $(STAMP)

# The venv is (re)built when missing or broken, and reinstalled when pyproject.toml (the dependency
# list) changes; otherwise every target reuses it as it is.
$(STAMP): pyproject.toml
	@if ! $(BIN)/python -c "import sys" >/dev/null 2>&1; then \
		echo "creating $(VENV) with $(PYTHON)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV) || exit 1; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable .
	@touch $@

lab: $(STAMP)
	$(STUDENT_ENV) $(abspath $(BIN))/jupyter lab --notebook-dir=$(LABS_DIR) --port=$(PORT) $(ROOT_FLAG) $(JUPYTER_ARGS)

# The instructor's view: the course root (nbgrader_config.py, solutions, gradebook), the Nbgrader menu's Formgrader.
instructor: $(STAMP)
	cd $(COURSE_DIR) && $(abspath $(BIN))/jupyter lab --notebook-dir=. --port=$(PORT) $(ROOT_FLAG) $(NO_NEWS) \
		$(JUPYTER_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

release: $(STAMP)
	@for lab in $(LABS); do \
		$(BIN)/nbgrader generate_assignment "$$lab" --force --log-level=WARN || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check helpers grading tests benchmarks solutions labs

grade: $(STAMP)
	$(BIN)/python -m grading grade $(LAB) --workers $(WORKERS) $(if $(FORCE),--force,)

feedback: $(STAMP)
	$(BIN)/python -m grading feedback $(LAB)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
