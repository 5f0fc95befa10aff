# The forum's two everyday commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app forum
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-pg test-browser install serve worker bench lint migrate seed clean test-faults redis
.PHONY: api-contract

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

## Redis on 127.0.0.1:6379, which the suite's Redis paths need: started when it is not running
## (if redis-server is installed), else a clear error rather than tests quietly skipped.
REDIS_PING := $(BIN)/python -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_connect_timeout=1).ping()" 2>/dev/null
redis: install
	@$(REDIS_PING) || { \
	  command -v redis-server >/dev/null 2>&1 || { echo "*** Redis is not running on 127.0.0.1:6379 and redis-server is not installed (apt-get install -y redis-server): the tests need it. ***" >&2; exit 1; }; \
	  echo "Starting Redis on 127.0.0.1:6379 for the tests"; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null; \
	  for _ in 1 2 3 4 5 6 7 8 9 10; do $(REDIS_PING) && exit 0; sleep 0.5; done; \
	  echo "*** Redis did not start on 127.0.0.1:6379. ***" >&2; exit 1; }

## Install and run the whole suite (on SQLite; browser tests run when Chromium is present).
test: install redis
	@test -x /usr/bin/chromium || echo "*** Browser tests SKIPPED: /usr/bin/chromium not found (apt-get install -y chromium). ***"
	$(BIN)/python -m pytest

## The same suite against PostgreSQL (the browser tests, which drive the pages, run on SQLite in `make test`).
test-pg: install redis
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -m "not browser"

## Operations: production server, background worker and fault tests.
## Serve with gunicorn; settings from the environment (BIND, WEB_CONCURRENCY, GUNICORN_THREADS; see gunicorn.conf.py).
serve: install
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

## Run background jobs from Redis (needs REDIS_URL; without it jobs run inside the web process).
worker: install
	$(FLASK) worker

## Fault tests: worker killed, database connections cut, Redis stopped, double submit, full disk.
test-faults: install redis
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -m faults tests/faults

## Benchmark: seed a 300,000-post forum (once) and load-test it against bare Flask (a few minutes).
## BENCH_DB=postgresql+psycopg://postgres@127.0.0.1:5432/bench_forum make bench for PostgreSQL.
BENCH_DB ?= sqlite:////tmp/bench-forum.db
BENCH_ARGS ?= --duration 5
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python bench/seed.py --if-missing --database-url $(BENCH_DB)
	$(BIN)/python bench/run.py --database-url $(BENCH_DB) $(BENCH_ARGS)

lint: install
	$(BIN)/bandit -q -r forum -lll

## Fuzz the API against its OpenAPI document with schemathesis (with and without a token).
api-contract: install
	BIN=$(BIN) .ci/api-contract

clean:
	rm -rf $(VENV) instance *.egg-info

## Only the end-to-end tests in Chromium (skipped, with a message, when /usr/bin/chromium is absent).
test-browser: install
	@test -x /usr/bin/chromium || echo "*** Browser tests SKIPPED: /usr/bin/chromium not found (apt-get install -y chromium). ***"
	$(BIN)/python -m pytest -m browser -rs
