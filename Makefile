# fullrecord — make help lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL the tests use when it is there (in CI it must be).
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/fullrecord)
TEST_DATA_DIR := $(CURDIR)/var/test
PYTEST_ARGS ?=
# Each half of `make test` leaves out what is not about the database and runs in the
# other: the browser journeys (about the pages) and the tests of the servers in front of
# the application in the SQLite half, the embedded mode `make run` serves; the
# object-store tests in the PostgreSQL half, the scale-out mode.
SQLITE_MARKS ?= not s3
POSTGRES_MARKS ?= not browser and not serving

.PHONY: help install run dev worker demo nginx-deps s3-deps scale-demo test test-sqlite test-postgres lint format check bench browser-deps messages screenshots clean

help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install what is missing

messages: $(STAMP) ## compile the translations (needs gettext's msgfmt)
	cd src/fullrecord && ../../$(BIN)/fullrecord compilemessages --ignore '.venv/*' -v0

run: install ## migrate, load the demo bureau on first start, serve on http://127.0.0.1:8000 with gunicorn + worker + scheduler
	$(BIN)/fullrecord migrate --no-input -v0
	$(BIN)/fullrecord demo --if-empty
	$(BIN)/fullrecord demo --accounts
	@echo "Serving on http://$(HOST):$(PORT)/ (gunicorn) with a background worker and the scheduler (Ctrl-C stops all three)"
	$(BIN)/fullrecord serve --bind $(HOST):$(PORT)

dev: install ## as run, but with Django's development server (reloads on code changes; not for production)
	$(BIN)/fullrecord migrate --no-input -v0
	$(BIN)/fullrecord demo --if-empty
	$(BIN)/fullrecord demo --accounts
	@echo "Development server on http://$(HOST):$(PORT)/ with a background worker (Ctrl-C stops both)"
	@mkdir -p var
	bin/keep-running var/worker.log $(BIN)/fullrecord worker & bin/keep-running var/scheduler.log $(BIN)/fullrecord scheduler & \
	  trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; $(BIN)/fullrecord runserver $(HOST):$(PORT)

worker: install ## run a background worker and the periodic-job scheduler, restarted if they exit (logs in var/)
	$(BIN)/fullrecord migrate --no-input -v0
	@mkdir -p var
	bin/keep-running var/scheduler.log $(BIN)/fullrecord scheduler & trap 'kill $$!' EXIT; \
	  bin/keep-running /dev/stdout $(BIN)/fullrecord worker

browser-deps: ## install Debian's Chromium and CJK fonts for the browser tests when missing
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'cjk'; then \
	  echo "Installing chromium and fonts-noto-cjk from Debian"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	fi

nginx-deps: ## install Debian's nginx (nginx-light) for the tests behind nginx when missing
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  echo "Installing nginx-light from Debian"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light; \
	fi

s3-deps: ## install Debian's Ceph (radosgw, ceph-mon, ceph-osd) for the S3 tests and the scale-out demo when missing
	@if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null; then \
	  echo "Installing radosgw ceph-mon ceph-osd from Debian"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends radosgw ceph-mon ceph-osd \
	  || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends radosgw ceph-mon ceph-osd; }; \
	fi

scale-demo: install s3-deps ## the scale-out mode on loopback: PostgreSQL, a Ceph RGW with Object Lock, 2 web processes, 2 workers, the scheduler (Ctrl-C stops all)
	$(BIN)/python bin/scale-demo

lint: install ## ruff lint and format check
	$(BIN)/ruff check src bench tools
	$(BIN)/ruff format --check src bench tools

format: install ## ruff format and autofix
	$(BIN)/ruff format src bench tools
	$(BIN)/ruff check --fix src bench tools

check: install ## Django system checks and missing migrations
	FULLRECORD_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/fullrecord check --fail-level WARNING
	FULLRECORD_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/fullrecord makemigrations --check --dry-run

test-sqlite: install browser-deps nginx-deps s3-deps ## the suite on SQLite
	env -u DATABASE_URL $(BIN)/pytest -n 2 -m "$(SQLITE_MARKS)" $(PYTEST_ARGS)

test-postgres: install browser-deps nginx-deps s3-deps ## the suite on PostgreSQL (TEST_DATABASE_URL)
	@if ! $(BIN)/python bin/pg-reachable "$(TEST_DATABASE_URL)"; then \
	  if [ "$$CI" = "true" ]; then echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL): CI needs it." >&2; exit 1; \
	  else echo "PostgreSQL not reachable; skipping the PostgreSQL run (CI would fail here)."; exit 0; fi; \
	fi
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -n 2 -m "$(POSTGRES_MARKS)" $(PYTEST_ARGS)

test: lint check test-sqlite test-postgres ## everything CI runs: lint, checks, SQLite and PostgreSQL suites

screenshots: install browser-deps ## every role's pages at desktop and phone size, as PNGs in var/screenshots/
	rm -rf var/screenshots && mkdir -p var/screenshots
	env -u DATABASE_URL FULLRECORD_SCREENSHOTS=$(CURDIR)/var/screenshots $(BIN)/pytest -q -m browser -n 2 \
	  src/fullrecord/core/tests/browser/test_role_tour.py \
	  src/fullrecord/cases/tests/test_changes_and_the_todo_queue_in_the_browser.py
	@echo "Screenshots in var/screenshots/ ($$(ls var/screenshots | wc -l) pictures)"

bench: install ## the benchmarks under bench/ (prints name: value lines)
	@for b in bench/bench_*.py; do echo "# $$b"; $(BIN)/python $$b || exit 1; done

clean: ## remove the test data directories (keeps var/ data and .venv)
	rm -rf var/test var/test-pg
