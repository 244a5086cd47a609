# Centra: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# System libraries WeasyPrint needs, by the Debian package that ships them.
WEASYPRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 fonts-dejavu-core

.PHONY: run test lint format bench install check-system clean drawings

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed check-system

check-system:
	@missing=""; \
	for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0 libfontconfig.so.1; do \
	  ldconfig -p 2>/dev/null | grep -q "$$lib" || missing="$$missing $$lib"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "WeasyPrint (PDF handouts) needs system libraries that are missing:$$missing"; \
	  echo "Install them with:  sudo apt-get install -y $(WEASYPRINT_DEBS)"; \
	  exit 1; \
	fi

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo "Centra is starting on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@for script in bench/bench_*.py; do \
	  echo "== $$script"; \
	  $(BIN)/python $$script || exit 1; \
	done

# The exercise drawings in static/exercises/drawings/, from the poses in tools/drawings.py.
drawings: | $(BIN)/python
	$(BIN)/python tools/drawings.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
