# Shegong — the two commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE ?= shegong.settings.local

.PHONY: demo serve install assets test test-fast lint format bench messages clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.installed

## make demo: set up everything on SQLite, load regions and demo data, serve on :8000
demo: install assets
	$(BIN)/shegong migrate --noinput
	$(BIN)/shegong regions load
	$(BIN)/shegong demo
	@echo ""
	@$(BIN)/shegong demo_logins
	@echo ""
	@echo "平台地址 / Open: http://$(HOST):$(PORT)/"
	@$(MAKE) --no-print-directory serve

## make serve: the web server, with the background worker (deadline sweep, reminders) beside it
serve: install assets
	@$(BIN)/shegong schedule_tasks
	@mkdir -p var
	@echo "后台任务进程 / background worker: shegong db_worker (log: var/db_worker.log)"
	@$(BIN)/shegong db_worker --no-reload >var/db_worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/shegong runserver $(HOST):$(PORT)

## make test: the whole suite (SQLite; set DATABASE_URL=postgres://... for PostgreSQL)
test: install assets
	@bash scripts/ensure_browser.sh
	DJANGO_SETTINGS_MODULE=shegong.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix .

messages: install
	cd src/shegong && ../../$(BIN)/shegong makemessages -l en --no-obsolete && ../../$(BIN)/shegong compilemessages

bench: install
	$(BIN)/python -m bench.run all
