# The demo and the tests, on a fresh machine: each target builds its own
# virtualenv (.venv) from setup.cfg first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

NODRF_VENV ?= .venv-nodrf

.PHONY: demo test test-nodrf test-browser docs clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,test-drf]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_setup
	$(BIN)/python manage.py runserver $(HOST)

test: $(STAMP)
	$(BIN)/python -m pytest

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

docs: $(STAMP)
	$(BIN)/python -m sphinx -W --keep-going -n -b html docs docs/_build/html

clean:
	rm -rf $(VENV) $(NODRF_VENV) docs/_build db.sqlite3 *.egg-info
