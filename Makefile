# meetops: the two Quick start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test test-postgres install install-test lint translations serve

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
test: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## The whole suite again on PostgreSQL: MEETOPS_TEST_DATABASE_URL names a throwaway database
## (its public schema is emptied), e.g. postgresql+psycopg://postgres@127.0.0.1:5432/meetops_test.
## .ci/run creates one, runs this, and drops it.
test-postgres: install-test
	@case "$(MEETOPS_TEST_DATABASE_URL)" in postgresql*) ;; \
	  *) echo "set MEETOPS_TEST_DATABASE_URL=postgresql+psycopg://... (a throwaway database)" >&2; \
	     exit 2;; esac
	MEETOPS_TEST_DATABASE_URL="$(MEETOPS_TEST_DATABASE_URL)" $(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .

## Re-extract the strings, merge them into the Spanish catalog and compile it.
translations: install-test
	$(BIN)/pybabel extract -q -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--omit-header -o meetops/translations/messages.pot meetops templates
	$(BIN)/pybabel update -q -i meetops/translations/messages.pot -d meetops/translations \
		--no-fuzzy-matching --omit-header
	$(BIN)/pybabel compile -q -d meetops/translations
