# The demo and the tests, on a fresh machine: each target builds its own
# virtualenv (.venv) from setup.cfg first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

NODRF_VENV ?= .venv-nodrf

.PHONY: demo test test-nodrf test-browser lint matrix docs clean bench bench-http wrk

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,test-drf,lint]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_setup
	$(BIN)/python manage.py runserver $(HOST)

# The whole suite, with coverage floors: 95% of the package, 100% of the
# verification pipeline, token, location and CSRF modules.
CORE_MODULES := django_jwt_ext/pipeline.py,django_jwt_ext/tokens.py,django_jwt_ext/locations.py,django_jwt_ext/csrf.py

test: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report= 
	$(BIN)/python -m coverage report --fail-under=95
	$(BIN)/python -m coverage report --include="$(CORE_MODULES)" --fail-under=100

lint: $(STAMP)
	$(BIN)/ruff check django_jwt_ext
	$(BIN)/ruff format --check django_jwt_ext
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# Django 4.2 / Python 3.10, Django 5.2 / Python 3.11, Django 6.1 / Python 3.13,
# each with a Django REST framework release that supports it (tox, in setup.cfg).
# pyenv provides the interpreters; their bin directories go on PATH for tox.
PYENV_PATH := $(shell for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(10|11|13)\.'); do printf '%s:' "$$(pyenv root)/versions/$$v/bin"; done)

matrix: $(STAMP)
	PATH="$(PYENV_PATH)$$PATH" $(BIN)/tox

# Needs Debian's chromium and chromium-driver (.ci/run installs them).
test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser tests/test_browser.py

# The core must work without Django REST framework installed.
$(NODRF_VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(NODRF_VENV)
	$(NODRF_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NODRF_VENV)/bin/python -m pip install --quiet -e ".[dev]"
	touch $@

test-nodrf: $(NODRF_VENV)/.installed
	$(NODRF_VENV)/bin/python -m pytest

# The benchmark of docs/performance.rst: interleaved comparisons repeated 3
# times, PASS/MISS per target, always exits 0 on figures (1 only when a
# measurement cannot run). On PostgreSQL when DATABASE_URL is set (it uses
# schemas of that database and drops them), SQLite otherwise. Not part of
# `make test` nor of CI. `make bench-http` runs the HTTP comparison alone.
BENCH_STAMP := $(VENV)/.installed-bench
BENCH_ARGS ?=

$(BENCH_STAMP): $(STAMP) setup.cfg
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $@

# wrk drives the HTTP comparison: Debian's package, installed when missing
# (without it the HTTP comparison says so and the rest still runs).
wrk:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; } \
		|| echo "wrk could not be installed: the HTTP comparison will be skipped"

bench: $(BENCH_STAMP) wrk
	$(BIN)/python -m bench.run $(BENCH_ARGS)

bench-http: $(BENCH_STAMP) wrk
	$(BIN)/python -m bench.run --only HTTP $(BENCH_ARGS)

docs: $(STAMP)
	$(BIN)/python -m sphinx -W --keep-going -n -b html docs docs/_build/html

clean:
	rm -rf $(VENV) $(NODRF_VENV) docs/_build db.sqlite3 *.egg-info
