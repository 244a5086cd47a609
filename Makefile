# Centra: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# What make starts is a local run (settings refuse to guess it): unless set otherwise.
export CENTRA_ENV ?= development
# The address invitations, emails and the handout's QR code point at: the server
# `make run` starts, unless SITE_URL is set. A server listening on every interface
# (0.0.0.0) is reached through the machine's first network address.
SITE_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),$(shell hostname -I 2>/dev/null | cut -d' ' -f1),$(HOST))
RUN_SITE_URL := $(or $(SITE_URL),http://$(or $(SITE_HOST),127.0.0.1):$(PORT))
# System libraries WeasyPrint needs, by the Debian package that ships them.
# What makemessages must not read (tests/i18n/catalogs.py ignores the same folders).
MESSAGES_IGNORE := .venv venv node_modules staticfiles media tests bench
WEASYPRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 fonts-dejavu-core

.PHONY: run test lint format bench install check-system clean messages drawings docs safety-report cluster-test

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
	@echo "Centra is starting on $(RUN_SITE_URL)/ with its background worker  (Ctrl-C stops both)"
	@export DEBUG=$${DEBUG:-1} SITE_URL=$(RUN_SITE_URL); \
	$(BIN)/python manage.py run_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n auto
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

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

# Centra on several hosts (network namespaces: needs root), one app host and one worker
# killed mid-run: see docs/deployment.md. Uses PostgreSQL and Redis on 127.0.0.1.
cluster-test: install
	$(BIN)/python tools/cluster_test.py

# The documentation as a browsable site in site/ (open site/index.html).
docs: install
	$(BIN)/mkdocs build

# Each hazard of docs/safety/hazard-log.md with its controls and the result of their tests.
safety-report: install
	$(BIN)/python -m pytest -q -m hazard -p tests.safety.report

# The exercise drawings in static/exercises/drawings/, from the poses in tools/drawings.py.
drawings: | $(BIN)/python
	$(BIN)/python tools/drawings.py

# After changing user-facing text: update the catalogs, translate what is new or fuzzy in
# locale/*/LC_MESSAGES/django.po, then run this again to compile the .mo files (committed).
messages: install
	$(BIN)/python manage.py makemessages --all --no-obsolete --no-location $(foreach d,$(MESSAGES_IGNORE),--ignore=$(d))
	$(BIN)/python manage.py compilemessages $(foreach d,$(MESSAGES_IGNORE),--ignore=$(d))

clean:
	rm -rf $(VENV) staticfiles site .pytest_cache .ruff_cache
