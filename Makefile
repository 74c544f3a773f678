# Two commands: `make run` starts the app on the demo database, `make test`
# runs the whole suite. Both bootstrap .venv on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/demo.db
PORT ?= 8501

.PHONY: run test lint format bench demo clean help

help:
	@echo "make run    - start the app on the demo database ($(DB))"
	@echo "make test   - run the whole test suite"
	@echo "make lint   - ruff check, ruff format --check, mypy core"
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

demo: $(VENV)/.installed
	$(BIN)/python -m core demo --db $(DB)

run: demo
	STEWARD_DB=$(DB) $(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed-dev demo
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check core tests
	$(BIN)/mypy core

format: $(VENV)/.installed-dev
	$(BIN)/ruff format core tests
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
