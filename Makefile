# councilbook: `make help` lists the targets (described in Danish, for the secretariat). Every target installs
# what it needs.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PARAMS ?= parameters
DATA ?= data/sample
# Where `make fetch` writes the figures from jobindsats.dk's API (give it as DATA= to the other targets).
FETCHED ?= data/jobindsats
TABLE ?=
PYTEST_ARGS ?=
SITE ?=
RUNS ?= 3
# The day the book, the status, the packs and the calendar are made as of (--as-of; empty: today).
AS_OF ?=
AS_OF_ARG := $(if $(AS_OF),--as-of $(AS_OF))
# Debian packages the PDF and the tests need (faketime: the portal's browser test runs its server on a meeting's day).
DEBIAN_PACKAGES := chromium chromium-driver poppler-utils fonts-dejavu-core libreoffice-calc-nogui libreoffice-writer-nogui faketime

.PHONY: help install system-deps sample validate book html publish contract-status packs portal calendar tables fetch lint test test-fast bench clean lock

help: ## Vis make-kommandoerne
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  else echo "Pythons venv-modul mangler: sudo apt-get install python3-venv" >&2; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.lock
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## Lav .venv, og installér de fastlåste afhængigheder
	@echo "Installeret i $(VENV)"

system-deps: ## Installér Chromium (med driver), poppler og LibreOffice Calc og Writer (som root), eller sig, hvad der mangler
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v libreoffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	[ -e /usr/lib/libreoffice/program/libswlo.so ] || missing="$$missing libreoffice-writer-nogui"; \
	command -v faketime >/dev/null 2>&1 || missing="$$missing faketime"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installerer Debian-pakkerne:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES); \
	  else \
	    echo "Disse Debian-pakker mangler:$$missing. Installér dem med:" >&2; \
	    echo "  sudo apt-get install -y $(DEBIAN_PACKAGES)" >&2; exit 1; \
	  fi; \
	fi

sample: $(STAMP) ## Lav eksempeldata igen (det samme hver gang)
	$(BIN)/councilbook sample

validate: $(STAMP) ## Kontrollér parametre og data (PARAMS=, DATA= for andre)
	$(BIN)/councilbook validate --params $(PARAMS) --data $(DATA)

book: $(STAMP) system-deps ## Byg bogen (HTML i _build/html, PDF i _build/pdf; AS_OF= for en anden dag)
	$(BIN)/councilbook build --params $(PARAMS) --data $(DATA) $(AS_OF_ARG)

html: $(STAMP) ## Byg kun bogen i HTML (ingen PDF)
	$(BIN)/councilbook build --no-pdf --params $(PARAMS) --data $(DATA) $(AS_OF_ARG)

publish: $(STAMP) system-deps ## Byg bogen, og læg den i webmappen SITE= (skiftes ind hel; urørt, hvis bygningen fejler)
	@if [ -z "$(SITE)" ]; then echo "Angiv webmappen: make publish SITE=/sti/til/mappen" >&2; exit 2; fi
	$(BIN)/councilbook publish --to "$(SITE)" --params $(PARAMS) --data $(DATA) $(AS_OF_ARG)

contract-status: $(STAMP) ## Status på målene til det næste møde (councilbook status)
	$(BIN)/councilbook status --params $(PARAMS) --data $(DATA) $(AS_OF_ARG)

packs: $(STAMP) system-deps ## Mødepakker til alle møder, hvis pakke skal sendes nu eller skulle være sendt (packs/<dato>/)
	$(BIN)/councilbook pack --due --params $(PARAMS) --data $(DATA) $(AS_OF_ARG)

portal: $(STAMP) ## Medlemsportalen på eksempelrådet: demo-medlemmer, pakkerne i packs/, et link til at logge ind; kører på http://127.0.0.1:8000/
	$(BIN)/councilbook portal demo --params $(PARAMS)
	$(BIN)/councilbook portal serve --params $(PARAMS)

calendar: $(STAMP) ## De kommende frister: pakker, møder, referater, indsigelser, evalueringer, rapporter
	$(BIN)/councilbook calendar --params $(PARAMS) $(AS_OF_ARG)

tables: $(STAMP) ## Tabellerne på jobindsats.dk (API version 3; TABLE=y25i01 for én tabels mål og opdelinger)
	$(BIN)/councilbook tables $(TABLE)

fetch: $(STAMP) ## Hent nøgletallene fra jobindsats.dk's API (version 3) til FETCHED= (nøglen i JOBINDSATS_API_KEY)
	$(BIN)/councilbook fetch --params $(PARAMS) --data $(FETCHED)

lint: $(STAMP) ## Kontrollér stil (ruff), typer (mypy) og lagene (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src
	$(BIN)/lint-imports

# Two workers; a test is sent to whichever is free, the longest first (tests/conftest.py orders them), and a
# module's other tests together (their module fixtures are made once).
PYTEST_WORKERS := -n 2 --dist loadgroup --no-loadscope-reorder

test: $(STAMP) system-deps lint ## Kør lint og derefter testene
	$(BIN)/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-fast: $(STAMP) ## Kør de hurtige tests: ingen bog bygges, ingen PDF trykkes, ingen rapport køres (få minutter)
	$(BIN)/pytest $(PYTEST_WORKERS) -m "not book and not slow" $(PYTEST_ARGS)

bench: $(STAMP) system-deps ## Mål bygningstider på eksemplet, mod almindelig Jupyter Book og i landsskala (RUNS=3)
	$(BIN)/python benchmarks/bench.py --runs $(RUNS)

.PHONY: bench-portal
bench-portal: $(STAMP) system-deps ## Belastningsprøve af medlemsportalen: 50 medlemmer logger ind og henter en pakke på 30 sider samtidig (median og 95-percentil)
	$(BIN)/python benchmarks/portal_load.py

.PHONY: bench-quick
bench-quick: $(STAMP) system-deps ## Hurtig måling af målene i benchmarks/README.md: én kørsel af hver (under 10 minutter), med maskinens belastning
	$(BIN)/python benchmarks/bench.py --quick

lock: ## Find afhængighederne igen, og skriv requirements.lock (kræver pakkeregistret)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --disable-pip-version-check -q -e '.[test]'
	.venv-lock/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf .venv-lock

clean: ## Slet det byggede og de genbrugte rapporter (_build, book/generated, packs)
	rm -rf _build book/generated packs
