# Two commands on a fresh machine with Python 3.11+:
#   make demo   install, migrate, load the demo, serve it on http://127.0.0.1:8000
#   make test   install and run the test suite (SQLite, no services needed)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
DEMO_PASSWORD ?= demo12345
# Development settings for the commands below; a real deployment sets its own env.
DEV_ENV := DEBUG=1

.PHONY: demo test lint install messages migrate run clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# compilemessages needs GNU gettext (msgfmt); without it polib compiles the catalogs.
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore='.venv' --ignore='node_modules' -v 0; \
	else \
		$(BIN)/python scripts/compile_messages.py; \
	fi

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

demo: messages migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo --password $(DEMO_PASSWORD)
	@echo "Open http://$(HOST)/ (volunteers) and http://$(HOST)/admin/ (organizers)."
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST)

run: messages migrate
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST)

test: messages
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
	find locale -name '*.mo' -delete
