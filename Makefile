# rnnviz: the two commands a newcomer needs are `make lab` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# JupyterLab defaults that come with the lessons (jupyter/README.md): widget state is saved with a
# notebook, so a lesson a learner ran and saved shows its explorers again when reopened.
LAB_SETTINGS := lab/settings/overrides.d/rnnviz.json
LAB_SETTINGS_INSTALLED := $(VENV)/share/jupyter/$(LAB_SETTINGS)
# Keep TensorFlow's C++ start-up chatter out of every output.
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
# Kernels must keep matplotlib's inline backend: MPLBACKEND=Agg (for unit tests) would stop
# notebooks from showing their figures, so every command that starts kernels runs without it.
NOTEBOOK_ENV := env -u MPLBACKEND

.PHONY: lab test test-fast lint notebooks nbval browser bench gallery clean venv

venv: $(STAMP) $(LAB_SETTINGS_INSTALLED)

# (Re)build the environment when it is missing or a requirements file is newer than it.
$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "rnnviz needs Python 3.11, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# The `python3` kernel that JupyterLab, nbclient and nbval start is this environment's python.
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	@touch $@

$(LAB_SETTINGS_INSTALLED): jupyter/$(LAB_SETTINGS) $(STAMP)
	install -D -m 644 $< $@

## Open JupyterLab on the first lesson.
# JupyterLab refuses to run as root (containers, some classroom machines) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: venv
	$(NOTEBOOK_ENV) $(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/01_sequences_as_tensors.ipynb

NBVAL := $(NOTEBOOK_ENV) $(BIN)/python -m pytest -p no:cacheprovider --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg

## Lint, unit and parity tests, browser suite, then every notebook's saved outputs (nbval).
test: venv lint
	$(BIN)/python -m pytest tests
	@if compgen -G "notebooks/*.ipynb" >/dev/null; then \
		echo "$(NBVAL) notebooks"; $(NBVAL) notebooks; \
	else echo "no notebooks yet: nbval has nothing to check"; fi

## The saved outputs of some notebooks only, e.g. `make nbval NB=notebooks/03_outputs_and_states.ipynb`.
nbval: $(STAMP)
	$(NBVAL) $(or $(NB),notebooks)

## Unit tests only, no notebooks or browser (quick loop while developing).
test-fast: $(STAMP) lint
	$(BIN)/python -m pytest tests -m "not browser"

## The browser suite only (JupyterLab in headless Chromium).
browser: venv
	$(BIN)/python -m pytest tests/browser

lint: $(STAMP)
	$(BIN)/ruff check rnnviz tests benchmarks tools notebooks
	$(BIN)/ruff format --check rnnviz tests benchmarks tools

## Re-save notebooks' outputs from fresh kernels: all, or some with `make notebooks NB="03 05"`.
notebooks: $(STAMP)
	$(NOTEBOOK_ENV) $(BIN)/python tools/save_notebooks.py notebooks $(NB)

## Measure latency, memory and run times (figures go in the README).
bench: venv
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(NOTEBOOK_ENV) $(BIN)/python $$script || exit 1; done

## Render every picture to gallery/ to look at.
gallery: $(STAMP)
	$(BIN)/python benchmarks/gallery.py gallery

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis gallery benchmarks/out
