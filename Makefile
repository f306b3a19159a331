# The demo and the tests, on a fresh machine: each target builds its own
# virtualenv (.venv) from setup.cfg first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

MINIMAL_VENV ?= .venv-minimal

.PHONY: demo test test-minimal test-nodrf test-browser lint matrix docs clean bench bench-async

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,test-drf,test-async,lint]"
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

# The core must work without the optional extras: no Django REST framework,
# Django Ninja, Channels nor ASGI server installed; their tests are not collected.
$(MINIMAL_VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(MINIMAL_VENV)
	$(MINIMAL_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MINIMAL_VENV)/bin/python -m pip install --quiet -e ".[dev]"
	touch $@

test-minimal: $(MINIMAL_VENV)/.installed
	$(MINIMAL_VENV)/bin/python -m pytest

# The former name of test-minimal.
test-nodrf: test-minimal

# The benchmark of docs/performance.rst: prints medians and ratios with
# PASS/MISS, always exits 0. Not part of `make test` nor of CI.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run

# Requests per second of an async view with and without @jwt_required() under
# uvicorn (2 workers), loaded by wrk on loopback (docs/performance.rst).
bench-async: $(STAMP)
	@command -v wrk >/dev/null || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q wrk; }
	$(BIN)/python -m bench.asgi

docs: $(STAMP)
	$(BIN)/python -m sphinx -W --keep-going -n -b html docs docs/_build/html

clean:
	rm -rf $(VENV) $(MINIMAL_VENV) .venv-nodrf docs/_build db.sqlite3 *.egg-info
