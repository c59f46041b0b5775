# Two commands get a newcomer going: `make run` and `make test`. `make help` lists all.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The public address every absolute link starts with (emails, feeds, sitemap,
# calendars); follows PORT unless set.
SITE_URL ?= http://127.0.0.1:$(PORT)
# Parallel test workers (pytest-xdist): one per core, at most 8; PYTEST_WORKERS=0
# runs in one process. Tests are handed out one at a time as workers finish
# (--maxschedchunk 1), not in runs of neighbours: the long tests, sorted first in
# their group (tests/conftest.py), then land on different workers.
PYTEST_WORKERS ?= auto --maxprocesses 8
PYTEST_XDIST = -n $(PYTEST_WORKERS) --maxschedchunk 1

.PHONY: help install run test lint format check coverage security deploy-check static web worker bench bench-load bench-mail bench-api bench-pledge clean axe vnu api-lint messages compilemessages lighthouse screenshots

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# uv (from PyPI, into the venv) installs the dependencies several times faster than
# pip, downloading and building in parallel; where it cannot be installed, pip does
# the same work. uv reads its own settings: UV_INDEX_URL and friends, not pip.conf.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (set PYTHON=python3.x)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv \
		|| echo "uv could not be installed: pip installs the dependencies (slower)"

# Both compile the installed modules to bytecode (pip does by default, uv when
# asked): every Python process then reads them compiled, even where
# PYTHONDONTWRITEBYTECODE stops Python from caching what it compiles itself. The
# test suite starts dozens of processes (its workers, the task workers and servers
# it drives), each of which would otherwise compile Django and Wagtail again.
pip_install = if [ -x $(BIN)/uv ] && $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python $(1); \
	then :; else $(BIN)/python -m pip install --quiet $(1); fi
# The project's own modules, compiled the same way before a test run (a second or
# so the first time; unchanged files are skipped).
PROJECT_PACKAGES := config network updates campaign cms api ops tests bench
compile_project = $(BIN)/python -m compileall -q -j 0 $(PROJECT_PACKAGES) >/dev/null

# Marker files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(call pip_install,-e .)
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@$(call pip_install,-e ".[test]")
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create .venv and install the site's dependencies

# bin/entrypoint is the same script the container image runs.
run: install ## Migrate, load UK areas, seed the demo, print the admin login, serve on http://127.0.0.1:8000 (PORT overrides)
	PYTHON=$(BIN)/python SITE_URL=$(SITE_URL) PORT=$(PORT) bin/entrypoint release --demo
	PYTHON=$(BIN)/python SITE_URL=$(SITE_URL) PORT=$(PORT) bin/entrypoint dev --skip-checks

# The site's languages besides English (docs/translating.md). locale/en_GB holds
# only rewordings of libraries' English and is edited by hand.
LOCALES := cy ur bn pa
MESSAGES_IGNORE := --ignore=.venv --ignore=.axe --ignore=.redocly --ignore=node_modules \
	--ignore=staticfiles --ignore=media --ignore=.test-media --ignore=tests --ignore=bench

messages: install ## Gather the strings marked for translation into locale/<language>/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete --add-location file $(MESSAGES_IGNORE)

# The compiled catalogues (.mo) are committed beside their .po, so a checkout (and
# the container image) reads them as they are; a test fails when one is stale.
compilemessages: install ## Compile the catalogues (.po -> .mo) the site reads
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=.axe --ignore=.redocly

# The browser tests need axe-core, the page quality test Lighthouse and the HTML
# test the Nu HTML Checker, all from npm: installed here when npm is present (once;
# later runs find them). Without npm those tests skip, and their message names the
# command that fixes it.
test: $(VENV)/.installed-test ## Run the tests (PostgreSQL if DATABASE_URL points at it, else SQLite)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory axe vnu lighthouse; fi
	@$(compile_project)
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# axe-core (the accessibility engine the browser tests run) from the npm registry,
# into a git-ignored folder. Reinstalled only when the version below changes.
AXE_VERSION ?= 4.14.1
AXE_DIR := .axe
$(AXE_DIR)/.installed-$(AXE_VERSION):
	@command -v npm >/dev/null || { echo "npm is needed for 'make axe' (apt-get install -y npm)"; exit 1; }
	npm install --silent --no-audit --no-fund --no-save --prefix $(AXE_DIR) axe-core@$(AXE_VERSION)
	@touch $@

axe: $(AXE_DIR)/.installed-$(AXE_VERSION) ## Install axe-core for the browser tests (needs npm)

# The Nu HTML Checker (the W3C's validator, run with Java) that
# tests/test_html_conformance.py runs over the main page types. From the npm
# registry, into a git-ignored folder, like axe-core.
VNU_VERSION ?= 26.9.27
VNU_DIR := .vnu
$(VNU_DIR)/.installed-$(VNU_VERSION):
	@command -v npm >/dev/null || { echo "npm is needed for 'make vnu' (apt-get install -y npm)"; exit 1; }
	npm install --silent --no-audit --no-fund --no-save --prefix $(VNU_DIR) vnu-jar@$(VNU_VERSION)
	@touch $@

vnu: $(VNU_DIR)/.installed-$(VNU_VERSION) ## Install the Nu HTML Checker for the HTML test (needs npm; runs with Java)

# Lighthouse scores the main pages in tests/e2e/test_page_quality.py (with Debian's
# Chromium). From the npm registry, into a git-ignored folder, like axe-core. 12.x is
# the last line that runs on Debian's Node 20.
LIGHTHOUSE_VERSION ?= 12.8.2
LIGHTHOUSE_DIR := .lighthouse
$(LIGHTHOUSE_DIR)/.installed-$(LIGHTHOUSE_VERSION):
	@command -v npm >/dev/null || { echo "npm is needed for 'make lighthouse' (apt-get install -y npm)"; exit 1; }
	npm install --silent --no-audit --no-fund --no-save --prefix $(LIGHTHOUSE_DIR) lighthouse@$(LIGHTHOUSE_VERSION)
	@touch $@

lighthouse: $(LIGHTHOUSE_DIR)/.installed-$(LIGHTHOUSE_VERSION) ## Install Lighthouse for the page quality tests (needs npm)

screenshots: $(VENV)/.installed-test ## Screenshots of the main pages at 390 and 1280 px into docs/screenshots/ (demo database, Debian's Chromium)
	$(BIN)/python bin/screenshots $(SCREENSHOTS_ARGS)

# Redocly CLI lints the partner API's OpenAPI document with its recommended rules.
# From the npm registry, into a git-ignored folder, like axe-core.
REDOCLY_VERSION ?= 2.77.0
REDOCLY_DIR := .redocly
$(REDOCLY_DIR)/.installed-$(REDOCLY_VERSION):
	@command -v npm >/dev/null || { echo "npm is needed for 'make api-lint' (apt-get install -y npm)"; exit 1; }
	npm install --silent --no-audit --no-fund --no-save --prefix $(REDOCLY_DIR) @redocly/cli@$(REDOCLY_VERSION)
	@touch $@

api-lint: $(VENV)/.installed $(REDOCLY_DIR)/.installed-$(REDOCLY_VERSION) ## Lint the partner API's OpenAPI document (redocly, recommended rules; needs npm)
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file $(REDOCLY_DIR)/openapi.yaml
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		$(REDOCLY_DIR)/node_modules/.bin/redocly lint --extends recommended $(REDOCLY_DIR)/openapi.yaml

lint: $(VENV)/.installed-test ## ruff check and format check; the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-test ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django's system checks and the missing-migrations check
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

static: install ## Collect static files as production does (hashed names, compressed)
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=collectstatic-only \
	DJANGO_ALLOWED_HOSTS=localhost SITE_URL=https://localhost \
		$(BIN)/python manage.py collectstatic --noinput --verbosity 0

coverage: $(VENV)/.installed-test ## Run the tests measuring coverage; fail when an app is below 90%
	$(BIN)/coverage erase
	@$(compile_project)
	$(BIN)/pytest $(PYTEST_XDIST) --cov --cov-report= $(PYTEST_ARGS)
	$(BIN)/python bin/coverage-by-app --fail-under 90

security: $(VENV)/.installed-test ## bandit on the project code: fail on any medium or high finding
	$(BIN)/bandit -q -r config network updates campaign cms api ops gunicorn.conf.py manage.py --severity-level medium

deploy-check: install ## Django's deployment checks on the production settings (throwaway secret)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=example.org SITE_URL=https://example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

web: install ## Serve with gunicorn and the production settings (needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, SITE_URL)
	PYTHON=$(BIN)/python bin/entrypoint web

worker: install ## Run the task worker (mailings, searches, imports)
	PYTHON=$(BIN)/python bin/entrypoint worker

bench: bench-load bench-mail bench-api bench-pledge ## Run the benchmarks in bench/ (they print ratios against a baseline)

bench-load: $(VENV)/.installed-test ## Load test: gunicorn + locust at 16/64/256 clients on PostgreSQL (see docs/performance.md)
	@$(call pip_install,-e ".[bench]")
	$(BIN)/python bench/load.py $(BENCH_ARGS)

bench-mail: $(VENV)/.installed-test ## Benchmark sending one update to 50,000 subscribers (BENCH_MAIL_N to change)
	$(BIN)/python bench/mail.py

bench-pledge: $(VENV)/.installed-test ## Pledge confirmations on PostgreSQL vs bare inserts, with exact counts checked (BENCH_PLEDGE_N, _WORKERS, _RATE)
	$(BIN)/python bench/pledge.py

bench-api: $(VENV)/.installed-test ## Partner API: endpoints vs a raw .values()+json.dumps baseline, 20,000 people (docs/performance.md)
	$(BIN)/python bench/api.py $(BENCH_API_ARGS)

clean: ## Remove the virtualenv, the SQLite database and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media .pytest_cache $(AXE_DIR) $(VNU_DIR) $(REDOCLY_DIR) $(LIGHTHOUSE_DIR)
