# meetops: the two Quick start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test install install-test lint translations serve

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

lint: install-test
	$(BIN)/ruff check .

## Re-extract the strings, merge them into the Spanish catalog and compile it.
translations: install-test
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o meetops/translations/messages.pot .
	$(BIN)/pybabel -q update -i meetops/translations/messages.pot -d meetops/translations \
		--no-fuzzy-matching
	$(BIN)/pybabel -q compile -d meetops/translations
