# rnnviz: the two commands a newcomer needs are `make lab` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Keep TensorFlow's C++ start-up chatter out of every output.
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.PHONY: lab test test-fast lint notebooks bench gallery clean venv

venv: $(STAMP)

# (Re)build the environment when it is missing or a requirements file is newer than it.
$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "rnnviz needs Python 3.11, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

## Open JupyterLab on the first lesson.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/01_sequences_as_tensors.ipynb

## Lint, unit and parity tests, notebooks (nbval), browser suite.
test: $(STAMP) lint
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

## Unit tests only, no notebooks or browser (quick loop while developing).
test-fast: $(STAMP) lint
	$(BIN)/python -m pytest tests -m "not browser"

lint: $(STAMP)
	$(BIN)/ruff check rnnviz tests benchmarks notebooks
	$(BIN)/ruff format --check rnnviz tests benchmarks

## Re-save every notebook's outputs from a fresh kernel.
notebooks: $(STAMP)
	$(BIN)/python tools/save_notebooks.py notebooks

## Measure latency, memory and run times (figures go in the README).
bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## Render every picture to gallery/ to look at.
gallery: $(STAMP)
	$(BIN)/python benchmarks/gallery.py gallery

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis gallery benchmarks/out
