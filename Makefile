# councilbook: `make help` lists the targets. Every target installs what it needs.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PARAMS ?= parameters
DATA ?= data/sample
PYTEST_ARGS ?=
SITE ?=
RUNS ?= 3
# Debian packages the PDF and the tests need.
DEBIAN_PACKAGES := chromium chromium-driver poppler-utils fonts-dejavu-core libreoffice-calc-nogui libreoffice-writer-nogui

.PHONY: help install system-deps sample validate book html publish contract-status packs calendar lint test bench clean lock

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  else echo "Python's venv module is missing: sudo apt-get install python3-venv" >&2; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.lock
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies
	@echo "Installed into $(VENV)"

system-deps: ## Install Chromium (and its driver), poppler and LibreOffice Calc and Writer (as root), or say what to install
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v libreoffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	[ -e /usr/lib/libreoffice/program/libswlo.so ] || missing="$$missing libreoffice-writer-nogui"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES); \
	  else \
	    echo "Missing Debian packages:$$missing. Install them with:" >&2; \
	    echo "  sudo apt-get install -y $(DEBIAN_PACKAGES)" >&2; exit 1; \
	  fi; \
	fi

sample: $(STAMP) ## Regenerate the bundled sample data (deterministic)
	$(BIN)/councilbook sample

validate: $(STAMP) ## Check parameters and data (PARAMS=, DATA= to override)
	$(BIN)/councilbook validate --params $(PARAMS) --data $(DATA)

book: $(STAMP) system-deps ## Build the book (HTML in _build/html, PDF in _build/pdf)
	$(BIN)/councilbook build --params $(PARAMS) --data $(DATA)

html: $(STAMP) ## Build the HTML book only (no PDF)
	$(BIN)/councilbook build --no-pdf --params $(PARAMS) --data $(DATA)

publish: $(STAMP) system-deps ## Build the book and copy it to the web folder SITE= (swapped in whole; untouched if the build fails)
	@if [ -z "$(SITE)" ]; then echo "Give the web folder: make publish SITE=/path/to/folder" >&2; exit 2; fi
	$(BIN)/councilbook publish --to "$(SITE)" --params $(PARAMS) --data $(DATA)

contract-status: $(STAMP) ## Status on the goals for the next meeting (councilbook status)
	$(BIN)/councilbook status --params $(PARAMS) --data $(DATA)

packs: $(STAMP) system-deps ## Members' packs for every meeting whose pack is due or past (packs/<date>/)
	$(BIN)/councilbook pack --due --params $(PARAMS) --data $(DATA)

calendar: $(STAMP) ## The coming deadlines: packs, meetings, minutes, objections, evaluations, reports published
	$(BIN)/councilbook calendar --params $(PARAMS)

lint: $(STAMP) ## Check style (ruff), types (mypy) and the stages' layering (import-linter)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src
	$(BIN)/lint-imports

test: $(STAMP) system-deps lint ## Lint, then run the test suite
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

bench: $(STAMP) system-deps ## Measure build times on the sample, against plain Jupyter Book, and at national scale (RUNS=3)
	$(BIN)/python benchmarks/bench.py --runs $(RUNS)

lock: ## Re-resolve the dependencies and rewrite requirements.lock (needs the registry)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --disable-pip-version-check -q -e '.[test]'
	.venv-lock/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf .venv-lock

clean: ## Remove generated output and the build cache (_build, book/generated, packs)
	rm -rf _build book/generated packs
