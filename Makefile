# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint format bench bench-churn bench-edge reliability

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install lint
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(PY) -m pytest

# The tests without browsers, servers and load (markers in pyproject.toml): a quick check while working.
test-fast: install
	$(PY) -m pytest -m "not slow"

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Load (wrk, 60 s, 64 connections) and a PostgreSQL restart against gunicorn with production settings.
reliability: install
	$(PY) bench/reliability.py

# Reader-page benchmark (docs/performance.md): N generated articles, gunicorn, wrk. Needs wrk (apt-get install -y wrk).
# POSTGRES=postgres://user:password@host:5432/throwaway_db runs it on PostgreSQL (that database is dropped and created).
N ?= 2000
bench: install
	$(PY) bench/run.py --articles $(N) $(if $(POSTGRES),--postgres $(POSTGRES))
	$(PY) bench/churn.py --articles $(N) $(if $(POSTGRES),--postgres $(POSTGRES))

# Page-cache hit ratio and req/s for long-tail readers (Zipf over 2,000 articles), without and with a publish every 10 s.
bench-churn: install
	$(PY) bench/churn.py --articles $(N) $(if $(POSTGRES),--postgres $(POSTGRES))

# An article through Varnish → nginx → gunicorn against nginx serving it as a file (wrk -t2 -c32 -d15s).
# Needs nginx, varnish and wrk (apt-get install -y nginx varnish wrk).
bench-edge: install
	$(PY) bench/edge_chain.py
