# Integritas — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INTEGRITAS := $(BIN)/integritas
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python 3.12+ interpreter: $(PYTHON) if given, else the first one found.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  p=$$(command -v $$c 2>/dev/null) || continue; \
	  $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { echo $$p; break; }; \
	done)

.PHONY: help run setup test lint typecheck unit e2e bench messages lock static clean check-python screenshots

help:
	@echo "make run    set up (venv, dependencies, .env, database, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make setup  everything 'make run' does except serving"
	@echo "make test   ruff, import layers, mypy, migrations check and the whole test suite"
	@echo "make bench  speed measurements (benchmarks/)"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Integritas needs Python 3.12 or newer and none was found."; \
	  echo "Install it, or point to one: make run PYTHON=/path/to/python3.12"; exit 1; fi

$(VENV)/.created: | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.base-installed: requirements/base.txt pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . || $(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# NL Design System CSS, served as our own static files (no CDN).
static: node_modules/.package-lock.json
	mkdir -p src/integritas/static/vendor/utrecht src/integritas/static/vendor/voorbeeld
	@# Copied only when changed: a test run on the other core may be serving these files.
	cmp -s node_modules/@utrecht/component-library-css/dist/index.css src/integritas/static/vendor/utrecht/index.css \
	  || cp node_modules/@utrecht/component-library-css/dist/index.css src/integritas/static/vendor/utrecht/index.css
	cmp -s node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css src/integritas/static/vendor/voorbeeld/theme.css \
	  || cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css src/integritas/static/vendor/voorbeeld/theme.css
	@# The altcha widget of the Meldpunt's proof of work (ADR 0006): the build without
	@# inline workers or styles (strict CSP), its PBKDF2 worker and its Dutch texts.
	mkdir -p src/integritas/static/vendor/altcha
	for f in external/altcha.js external/altcha.css workers/pbkdf2.js i18n/nl.js; do \
	  cmp -s node_modules/altcha/dist/$$f src/integritas/static/vendor/altcha/$$(basename $$f) \
	    || cp node_modules/altcha/dist/$$f src/integritas/static/vendor/altcha/$$(basename $$f); \
	done

.env: | $(VENV)/.base-installed
	$(PY) -m integritas.conf.write_env .env

setup: $(VENV)/.dev-installed static .env
	$(INTEGRITAS) migrate --no-input
	$(INTEGRITAS) seed_demo

# The task worker (notification e-mails; tasks carry ids only) runs beside the server
# and stops with it.
run: setup
	$(INTEGRITAS) demo_logins
	$(INTEGRITAS) db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(INTEGRITAS) runserver $(HOST):$(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports --no-cache
	$(PY) scripts/requirements_table.py --check

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy src

unit: $(VENV)/.dev-installed static
	DJANGO_SETTINGS_MODULE=integritas.conf.test $(INTEGRITAS) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck unit

e2e: $(VENV)/.dev-installed static
	INTEGRITAS_REQUIRE_BROWSER=1 $(BIN)/pytest -m e2e $(PYTEST_ARGS)

# BENCH_SCALE=national for 350 organisations and ten million audit events (long: see
# docs/performance.md);
# BENCH_DATABASE_URL=postgres://... runs every benchmark there as well.
BENCH_SCALE ?= small
bench: $(VENV)/.dev-installed static
	@status=0; \
	for url in "" $(if $(BENCH_DATABASE_URL),"$(BENCH_DATABASE_URL)"); do \
		db=$${url:+--database-url $$url}; \
		$(PY) benchmarks/run.py --scale $(BENCH_SCALE) $$db || status=1; \
		$(PY) benchmarks/cases.py $$db || status=1; \
		$(PY) benchmarks/home.py $$db || status=1; \
		$(PY) benchmarks/employees.py $$db || status=1; \
		$(PY) benchmarks/hr_api.py $$db || status=1; \
		if [ -n "$(BENCH_DOMAINS)" ]; then \
			for b in obligations registers signals risks counsel; do \
				$(PY) benchmarks/$$b.py $$db || status=1; \
			done; \
		fi; \
	done; exit $$status

# Pictures of the main pages per role for the README (docs/screenshots/): a throwaway
# database with the demo, Debian's chromium. Run by hand; `make test` never rewrites them.
screenshots: $(VENV)/.dev-installed static
	$(PY) scripts/screenshots.py

# The catalogues from the sources: Jinja2 templates read by Jinja2's parser, no fuzzy guesses,
# nothing rewritten when no string changed (core/management/commands/makemessages.py).
# Translate every new entry of locale/en (tests/core/test_i18n.py refuses an empty one).
messages: $(VENV)/.dev-installed
	cd src/integritas && ../../$(INTEGRITAS) makemessages -l nl -l en --no-obsolete --add-location file --ignore 'static/*'
	cd src/integritas && ../../$(INTEGRITAS) compilemessages

lock: $(VENV)/.created
	$(PY) -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements/base.txt requirements/base.in
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements/dev.txt requirements/dev.in

clean:
	rm -rf $(VENV) node_modules staticfiles src/integritas/static/vendor
