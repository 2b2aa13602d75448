# meetops: the two Quick start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test test-postgres browser install install-test lint translations serve benchmark

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

## Install, migrate the SQLite database, load the demo meeting, serve it on :5000.
demo: install
	$(BIN)/flask --app wsgi meetops demo

## Install everything the tests need and run lint and the whole test suite.
test: install-test browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## The suite again on PostgreSQL (the browser tests, which serve a SQLite file, run once in
## make test): MEETOPS_TEST_DATABASE_URL names a throwaway database
## (its public schema is emptied), e.g. postgresql+psycopg://postgres@127.0.0.1:5432/meetops_test.
## .ci/run creates one, runs this, and drops it.
test-postgres: install-test
	@case "$(MEETOPS_TEST_DATABASE_URL)" in postgresql*) ;; \
	  *) echo "set MEETOPS_TEST_DATABASE_URL=postgresql+psycopg://... (a throwaway database)" >&2; \
	     exit 2;; esac
	MEETOPS_TEST_DATABASE_URL="$(MEETOPS_TEST_DATABASE_URL)" $(BIN)/python -m pytest -m "not e2e"

## Debian's Chromium for the browser tests (tests/e2e): installed with apt when missing and we
## are root; otherwise the e2e tests skip with a message (under CI, with CI set, they must run).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Chromium (apt-get) for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif [ -n "$$CI" ]; then \
	  echo "Chromium is missing and CI needs it: run as root or apt-get install chromium" >&2; exit 1; \
	else \
	  echo "Chromium is not installed and this is not root: the browser tests (tests/e2e) will be"; \
	  echo "skipped. Install it with: sudo apt-get install chromium"; \
	fi

## The benchmark of docs/performance.md: two gunicorn instances over a throwaway PostgreSQL
## database (created and dropped on 127.0.0.1:5432), a few minutes; ARGS=--help for options.
benchmark: install-test
	$(BIN)/python benchmarks/run.py $(ARGS)

lint: install-test
	$(BIN)/ruff check .

## Re-extract the strings, merge them into the Spanish catalog and compile it.
translations: install-test
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o meetops/translations/messages.pot .
	$(BIN)/pybabel -q update -i meetops/translations/messages.pot -d meetops/translations \
		--no-fuzzy-matching
	$(BIN)/pybabel -q compile -d meetops/translations
