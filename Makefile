# Two commands: `make run` starts the app on the demo database, `make test`
# runs the whole suite. Both bootstrap .venv on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/demo.db
PORT ?= 8501

.PHONY: run test test-fast lint format bench demo clean help

help:
	@echo "make run    - start the app on the demo database ($(DB))"
	@echo "make test   - run the whole test suite (what CI runs)"
	@echo "make test-fast - the inner loop: everything but tests marked slow or browser (< 2 min)"
	@echo "make lint   - ruff check, ruff format --check, mypy core"
	@echo "make bench  - matching accuracy and speed against Splink (CRM data, FEBRL, labelled sets)"
	@echo "make demo   - (re)create the demo database if it is missing"
	@echo "make clean  - remove .venv and the demo database"

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is required; this is " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# Benchmarks run Splink in a venv of their own, so that it never lands in
# the app's environment; the project itself runs from .venv.
BENCH_VENV := .venv-bench

$(BENCH_VENV)/.installed: requirements-bench.txt requirements-dev.txt requirements.txt
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

bench: $(VENV)/.installed $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python bench/run.py --sizes 15000,100000 --seeds 42,7 --febrl --project-only-sizes 1000000
	$(BENCH_VENV)/bin/python bench/labelled.py
	$(BENCH_VENV)/bin/python bench/check_latency.py --records 1000000
	$(BIN)/python bench/app_latency.py --records 1000000
	$(BIN)/python bench/kpis.py --records 1000000
	$(BIN)/python bench/concurrency.py --workers 8 --ops 200
	$(BIN)/python bench/concurrency.py --workers 8 --ops 200 --beside-match --bad-logins 8 --think-ms 80
	$(BIN)/python bench/backup.py --records 20000 --writers 4

demo: $(VENV)/.installed
	$(BIN)/python -m core demo --db $(DB)

run: demo
	STEWARD_DB=$(DB) $(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed-dev demo
	$(BIN)/python -m pytest

# The edit-test loop: leaves out crash and concurrency tests, browser walks,
# README walk-throughs and subprocess-heavy CLI tests (marked slow or browser).
test-fast: $(VENV)/.installed-dev demo
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check core tests
	$(BIN)/mypy core

format: $(VENV)/.installed-dev
	$(BIN)/ruff format core tests
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
