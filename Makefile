# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Set up, load the demo newsroom and serve it at http://127.0.0.1:8000 (admin at /admin/).
# The demo is the reference publication; override the name in your environment.
run: export NEWSROOM_PUBLICATION_NAME ?= New Defence Order. Strategy
# Emails and webhooks go out from the dev server itself, after commit (no worker to start).
run: export NEWSROOM_TASKS ?= immediate
run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# Set up and run the checks and the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: install check
	$(BIN)/pytest -n auto

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/
