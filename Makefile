# windown: `make run` sets up and starts the app with demo data; `make test` sets up and tests.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# email links follow ADDR unless SITE_URL is set (scripts/serve_dev.py says how)
RUN_SITE_URL = $(or $(SITE_URL),$(shell python3 scripts/serve_dev.py --site-url $(ADDR)))
# bandit over the application code (tests and migrations excluded); findings are justified
# inline with `# nosec BXXX # reason`
BANDIT_ARGS := -q -r windown inventory compliance notices destruction dashboard scripts -x '*/tests/*,*/migrations/*'
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
	poppler-utils gettext libnss3-tools
DEB_TEST_PACKAGES := chromium age

.PHONY: run test lint format system-deps system-test-deps messages migrate demo worker bench clean \
	audit lock

run: system-deps $(VENV)/.runtime messages
	@mkdir -p var
	DEBUG=true $(BIN)/python manage.py migrate --no-input -v0
	DEBUG=true $(BIN)/python manage.py init_signing_ca
	DEBUG=true SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py load_demo
	@echo
	@echo "Demo archive custodian identity (DEMO ONLY; a real custodian keeps theirs offline):"
	@echo "  var/demo/archive-custodian.key  ->  python manage.py decrypt_archive ID --identity var/demo/archive-custodian.key -o out.csv"
	@echo "windown is starting at http://$(ADDR)/  (Ctrl-C stops the web server and the worker)"
	@echo "Emails are written to var/mail/; the Celery broker keeps its queue in var/broker/."
	@SITE_URL=$(RUN_SITE_URL) $(BIN)/python scripts/serve_dev.py $(ADDR)

test: system-deps system-test-deps $(VENV)/.dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@# (bandit warns "nosec encountered … but no failed test" for each part of a justified
	@# multi-part f-string: noise, filtered; its findings and exit status pass through)
	set -o pipefail; $(BIN)/bandit $(BANDIT_ARGS) 2>&1 | { grep -v "nosec encountered" || true; }
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

format: $(VENV)/.dev
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

# The virtualenv, from pinned requirements; re-installed when a requirements file changes.
# Runtime packages come from requirements.lock, each checked against its SHA-256.
$(VENV)/.runtime: requirements.txt requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

# Debian packages for PDFs (pango, harfbuzz subsetting, CJK fonts), poppler and gettext:
# installed when missing and we are root, otherwise named so an administrator can install them.
system-deps:
	@./.ci/debian-packages $(DEB_PACKAGES)

system-test-deps:
	@./.ci/debian-packages $(DEB_TEST_PACKAGES)

messages: $(VENV)/.runtime
	@DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: $(VENV)/.runtime
	DEBUG=true $(BIN)/python manage.py migrate

demo: $(VENV)/.runtime
	DEBUG=true $(BIN)/python manage.py load_demo

bench: $(VENV)/.dev
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script; done

# Known vulnerabilities of the pinned dependencies (pip-audit), where a database is reachable.
audit: $(VENV)/.dev
	@./.ci/audit $(BIN) requirements.lock

# requirements.lock: every runtime dependency, pinned with its hash (see README, Supply chain).
lock: $(VENV)/.runtime
	$(BIN)/python .ci/lock $(BIN)/pip requirements.txt requirements.lock

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache
