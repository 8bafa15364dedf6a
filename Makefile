# Set-up and the two commands of the README:
#   make serve   install everything, then run the app with demo data
#   make test    install everything (Debian packages too, when run as root), then lint and test

VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup serve test lint debian bench

$(BIN)/crm $(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed

dashboard/static/vendor/.installed: package.json package-lock.json scripts/vendor-assets.js
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed dashboard/static/vendor/.installed

serve: setup
	$(BIN)/crm serve --demo

# Debian packages the tests use: chromium for the browser tests (never a browser download), dovecot
# (a real IMAP server for mail sync) and pgbouncer (connection pooling tests). Installed when run as root.
DEBIAN_PACKAGES = chromium:/usr/bin/chromium dovecot-imapd:/usr/sbin/dovecot pgbouncer:/usr/sbin/pgbouncer

debian:
	@missing=""; for pair in $(DEBIAN_PACKAGES); do \
	  [ -x "$${pair#*:}" ] || missing="$$missing $${pair%%:*}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else echo "the tests need Debian packages:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; fi

lint: setup
	$(BIN)/ruff check .

test: setup debian lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/load_large.py
