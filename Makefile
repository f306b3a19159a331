# The demo and the tests, on a fresh machine: each target builds its own
# virtualenv (.venv) from setup.cfg first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

MINIMAL_VENV ?= .venv-minimal

.PHONY: demo test test-minimal test-nodrf test-browser test-tutorial dist lint matrix docs clean bench bench-http bench-async wrk flask3-venv fuzz messages compilemessages

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,test-drf,test-async,lint]"
	touch $(STAMP)

# HOST is runserver's [address:]port; its address joins ALLOWED_HOSTS
# (DEMO_HOST), and ALLOWED_HOSTS=a,b adds names, e.g. for HOST=0.0.0.0:8000.
ALLOWED_HOSTS ?=

demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_setup --host "$(HOST)"
	DEMO_HOST="$(HOST)" DJANGO_ALLOWED_HOSTS="$(ALLOWED_HOSTS)" $(BIN)/python manage.py runserver "$(HOST)"

# flask-jwt-extended 3.25.1, the seed era, for tests/test_interop_flask3.py:
# it needs Flask < 2 and PyJWT < 2, so it gets its own virtualenv on pyenv's
# newest Python 3.9 (FLASK3_PYTHON=/path/to/python3.9 picks another), built
# from the pinned tests/interop/flask3-requirements.txt. The test suite needs
# it: under CI (CI set) the interop tests fail when it is missing.
FLASK3_VENV ?= .venv-flask3
FLASK3_STAMP := $(FLASK3_VENV)/.installed
FLASK3_REQUIREMENTS := tests/interop/flask3-requirements.txt
FLASK3_PYTHON ?= $(shell v=$$(pyenv versions --bare 2>/dev/null | grep -E '^3\.9\.[0-9]+$$' | sort -t. -k3 -n | tail -1); [ -n "$$v" ] && echo "$$(pyenv root)/versions/$$v/bin/python")

$(FLASK3_STAMP): $(FLASK3_REQUIREMENTS)
	@test -n "$(FLASK3_PYTHON)" || { echo "flask3-venv needs Python 3.9: pyenv install 3.9, or set FLASK3_PYTHON" >&2; exit 1; }
	rm -rf $(FLASK3_VENV)
	$(FLASK3_PYTHON) -m venv $(FLASK3_VENV)
	$(FLASK3_VENV)/bin/python -m pip install --quiet -r $(FLASK3_REQUIREMENTS)
	$(FLASK3_VENV)/bin/python -m pip check
	$(FLASK3_VENV)/bin/python -c "import flask_jwt_extended as f; assert f.__version__ == '3.25.1', f.__version__"
	touch $@

flask3-venv: $(FLASK3_STAMP)

# The whole suite, with coverage floors: 95% of the package, 100% of the
# verification pipeline, token, location and CSRF modules.
CORE_MODULES := django_jwt_ext/pipeline.py,django_jwt_ext/tokens.py,django_jwt_ext/locations.py,django_jwt_ext/csrf.py

test: $(STAMP) $(FLASK3_STAMP)
	$(BIN)/python -m pytest --cov --cov-report= 
	$(BIN)/python -m coverage report --fail-under=95
	$(BIN)/python -m coverage report --include="$(CORE_MODULES)" --fail-under=100

lint: $(STAMP)
	$(BIN)/ruff check django_jwt_ext
	$(BIN)/ruff format --check django_jwt_ext
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# Claims signed with the server's key, hostile values of every JSON type, through a
# protected view, the refresh endpoint and logout on every revocation backend:
# 3,400 examples per backend (10,200 in all) must give no response >= 500.
FUZZ_EXAMPLES ?= 3400

fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz_claims.py

# Django 4.2 / Python 3.10, Django 5.2 / Python 3.11, Django 6.0 / Python 3.12,
# Django 6.1 / Python 3.13, each with a Django REST framework release that
# supports it (tox, in setup.cfg). Every Django and Python version that
# setup.cfg's classifiers name is in it (tests/test_support_policy.py).
# pyenv provides the interpreters; their bin directories go on PATH for tox.
PYENV_PATH := $(shell for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(10|11|12|13)\.'); do printf '%s:' "$$(pyenv root)/versions/$$v/bin"; done)

matrix: $(STAMP) $(FLASK3_STAMP)
	PATH="$(PYENV_PATH)$$PATH" $(BIN)/tox

# Needs Debian's chromium and chromium-driver (.ci/run installs them). The demo
# page and the admin's changelists at 1280x900; screenshots in
# test-artifacts/screenshots/ (SCREENSHOT_DIR=dir puts them elsewhere).
test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser --liveserver 127.0.0.1 tests/test_browser.py tests/test_browser_admin.py

# The core must work without the optional extras: no Django REST framework,
# Django Ninja, Channels nor ASGI server installed; their tests are not collected.
$(MINIMAL_VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(MINIMAL_VENV)
	$(MINIMAL_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MINIMAL_VENV)/bin/python -m pip install --quiet -e ".[dev]"
	touch $@

test-minimal: $(MINIMAL_VENV)/.installed $(FLASK3_STAMP)
	$(MINIMAL_VENV)/bin/python -m pytest

# The former name of test-minimal.
test-nodrf: test-minimal

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

# The source distribution and the wheel (built from the sdist, as pip would),
# checked by twine: `pip install dist/django_jwt_ext-<version>-py3-none-any.whl`.
DIST_STAMP := $(VENV)/.installed-dist

$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dist]"
	touch $@

dist: $(DIST_STAMP)
	rm -rf dist build
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

# The packaging smoke test and the tutorial: the built wheel (not the
# checkout) in a clean virtualenv, a new project from `django-admin
# startproject`, every command and code block of docs/tutorial.rst, against a
# real `runserver`. Needs the network to PyPI for the wheel's dependencies.
test-tutorial: dist
	$(BIN)/python -m pytest -m wheel tests/test_packaging.py tests/test_tutorial.py

# Requests per second of an async view with and without @jwt_required() under
# uvicorn (2 workers), loaded by wrk on loopback (docs/performance.rst).
bench-async: $(STAMP)
	@command -v wrk >/dev/null || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q wrk; }
	$(BIN)/python -m bench.asgi

# The translation catalogues of django_jwt_ext/locale (GNU gettext needed):
# `make messages` after a marked message changed, then translate what each
# django.po lacks; `make compilemessages` after editing a django.po. English
# is the message id and needs no catalogue.
LANGUAGES ?= de es fr ja pt_BR zh_Hans

messages: $(STAMP)
	cd django_jwt_ext && $(abspath $(BIN))/django-admin makemessages --add-location=file $(addprefix -l ,$(LANGUAGES))

compilemessages: $(STAMP)
	cd django_jwt_ext && $(abspath $(BIN))/django-admin compilemessages

docs: $(STAMP)
	$(BIN)/python -m sphinx -W --keep-going -n -b html docs docs/_build/html

clean:
	rm -rf $(VENV) $(MINIMAL_VENV) .venv-nodrf $(FLASK3_VENV) docs/_build db.sqlite3 *.egg-info dist build test-artifacts
