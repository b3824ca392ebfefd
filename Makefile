# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROFILE ?= hung-yen
PORT ?= 8000
PYTEST_WORKERS ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: crash crash-pg fuzz fuzz-long static demo test test-slow lint types imports checks pytest venv assets system-deps openapi openapi-check clean screenshots screenshots-overview

$(BIN)/.installed: pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[dev]'
	@touch $@

venv: $(BIN)/.installed

# Front-end packages pinned in package.json + lockfile, copied into a git-ignored static folder.
ioc/web/static/vendor/.installed: package.json package-lock.json scripts/vendor-assets
	npm ci --ignore-scripts --no-audit --no-fund
	bash scripts/vendor-assets
	@touch $@

assets: ioc/web/static/vendor/.installed

system-deps:
	bash scripts/system-deps

demo: venv assets
	bash scripts/demo --profile $(PROFILE) --port $(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: venv
	$(BIN)/mypy .

imports: venv
	$(BIN)/lint-imports

checks: venv
	$(BIN)/python manage.py check --settings=config.settings_test --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings_test
	$(MAKE) openapi-check

openapi: venv
	$(BIN)/python manage.py spectacular --settings=config.settings_test --file docs/api/openapi.yaml --validate

openapi-check: venv
	@tmp=$$(mktemp); $(BIN)/python manage.py spectacular --settings=config.settings_test --file $$tmp --validate --fail-on-warn \
	  && diff -u docs/api/openapi.yaml $$tmp > /dev/null \
	  || { echo "docs/api/openapi.yaml is out of date: run 'make openapi'"; diff -u docs/api/openapi.yaml $$tmp | head -40; rm -f $$tmp; exit 1; }; rm -f $$tmp

pytest: venv assets
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not slow and not fuzz and not crash" --durations=25 $(PYTEST_ARGS)

static: lint types imports checks

# The whole check; each stage prints its duration against the CI budget (foundation issue).
test: venv assets
	@scripts/stage "static checks" 360 $(MAKE) --no-print-directory static
	@scripts/stage "suite on SQLite" 900 $(MAKE) --no-print-directory pytest

# schemathesis against our own OpenAPI schema (CI stage "fuzzing"): derandomised, IOC_FUZZ_EXAMPLES cases per
# operation and caller (anonymous, its persona, its token); fuzz-long runs ten times as many.
fuzz: venv
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m fuzz $(PYTEST_ARGS)

# The real processes SIGKILLed under the load mix (issue 16; CI stage "crash safety"): bench/load/crash.py on SQLite,
# its counts printed. `make crash-pg`: the same harness on a temporary PostgreSQL cluster and Redis, scaled out
# (two web servers, two Huey consumers); CRASH_ARGS passes options (e.g. CRASH_ARGS="--seconds 120").
crash: venv
	$(BIN)/pytest -n 0 -s -m "crash and not slow" $(PYTEST_ARGS)

crash-pg: venv
	bash bench/load/crash-pg $(CRASH_ARGS)

fuzz-long: venv
	IOC_FUZZ_EXAMPLES=$${IOC_FUZZ_EXAMPLES:-200} $(BIN)/pytest -n $(PYTEST_WORKERS) -m fuzz $(PYTEST_ARGS)

test-slow: venv assets
	$(BIN)/pytest -m slow $(PYTEST_ARGS)

# The operations-room overview of each demo profile (issue 20), drawn in Debian's chromium from a database of its own
# (var/screenshots/<profile>/) and written to docs/screenshots/<profile>-overview.png. Not part of `make test`;
# `make screenshots-overview PROFILES="--profile hung-yen"` for one profile, SCREENSHOT_ARGS=--reuse to skip reloading.
screenshots-overview: venv assets
	$(BIN)/python bench/overview_screenshots.py $(PROFILES) $(SCREENSHOT_ARGS)

# Every page as every persona at phone and desk size, for reviewers (issue 19): the crawl's pages, personas and
# fixture world, written to docs/screenshots/<persona>/<page>-<viewport>.png. Not part of `make test`.
screenshots: venv assets screenshots-overview
	mkdir -p docs/screenshots && find docs/screenshots -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
	IOC_CRAWL_SCREENSHOTS=docs/screenshots $(BIN)/pytest -n 0 -q -p no:cacheprovider -m browser ioc/web/tests/test_crawl.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules ioc/web/static/vendor staticfiles
