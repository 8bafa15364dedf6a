# Set-up and the two commands of the README:
#   make serve   install everything, then run the app with demo data
#   make test    install everything (Chromium too, when run as root), then lint and test

VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup serve test lint chromium bench

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

# Debian's chromium for the browser tests (never a browser download)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

lint: setup
	$(BIN)/ruff check .

test: setup chromium lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/load_large.py
