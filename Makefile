# ouentai: the one entry point. `make run` sets everything up and serves the app; `make test` runs it all.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PY := .venv/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mails (the demo set-up's too) point at the address served, unless set (scripts/serve.sh).
LINK_HOST := $(if $(filter 0.0.0.0 :: [::],$(HOST)),127.0.0.1,$(HOST))
export OUENTAI_PUBLIC_BASE_URL ?= http://$(LINK_HOST):$(PORT)

.PHONY: run serve setup venv translations test lint fmt typecheck checks pytest test-postgres bench messages clean

$(UV):
	python3.11 -m venv .tools && .tools/bin/pip install --quiet "uv==0.13.*"

venv: $(UV)
	$(UV) sync --locked --python 3.11 --quiet

# English catalogue compiled with polib (no GNU gettext needed).
translations: venv
	$(PY) scripts/compile_messages.py

setup: venv translations
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py demo_data

## make run: venv from the lock file, migrations, Japanese demo data, then the web server and the task worker.
run: setup serve

serve:
	@echo "ouentai: http://$(HOST):$(PORT)/  (console: http://$(HOST):$(PORT)/console/ ; Ctrl-C stops both processes)"
	@bash scripts/serve.sh $(HOST) $(PORT)

## make test: lint, types, Django checks, migrations check, the whole suite (on SQLite unless DATABASE_URL is set).
test: venv checks pytest

checks: lint typecheck translations
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_deploy.py
	$(PY) scripts/check_messages.py

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

fmt:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

typecheck:
	.venv/bin/mypy .

pytest: translations
	mkdir -p var
	$(PY) -m pytest $(PYTEST_ARGS)

## make test-postgres: the suite against PostgreSQL (DATABASE_URL, default the local server).
test-postgres: venv translations
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ouentai} $(PY) -m pytest $(PYTEST_ARGS)

## make bench: throughput ratios under gunicorn, company import/export/search and case search at scale, recommendation quality and cost, on PostgreSQL (not a test; prints numbers).
bench: venv
	$(PY) bench/run.py
	$(PY) bench/community.py
	$(PY) bench/events.py --requests 400 --concurrency 50 --seats 50 --rounds 3
	$(PY) bench/cases.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ouentai_bench_recommend} $(PY) bench/recommend.py

## make messages: refresh the English catalogue after changing texts (then translate the new entries).
messages:
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=.tools --ignore=var --ignore=bench --ignore=tests --ignore=node_modules --no-obsolete --no-location

clean:
	rm -rf .venv .tools var
