# The forum's two everyday commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app forum
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-pg test-browser install serve worker bench lint migrate seed clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

## Create the virtualenv, install, migrate, seed demo content into SQLite and serve on 127.0.0.1:5000.
run: seed
	$(FLASK) run --host $(HOST) --port $(PORT)

## Install and run the whole suite (on SQLite; browser tests run when Chromium is present).
test: install
	$(BIN)/python -m pytest

## The same suite against PostgreSQL.
test-pg: install
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest

lint: install
	$(BIN)/bandit -q -r forum -lll

clean:
	rm -rf $(VENV) instance *.egg-info
