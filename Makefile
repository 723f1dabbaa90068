# Two commands do all the set-up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Material 9.8 prints an end-of-life banner on every build; the move is planned.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve edit site offline lint test check bench catalogs schemas clean

help:
	@echo "make serve   build and serve the example site on http://127.0.0.1:$(PORT)/"
	@echo "make edit    the editor on this checkout: http://127.0.0.1:$(PORT)/admin/ saves into missions/"
	@echo "make site    build the site into site/"
	@echo "make offline build, then copy the site to rihla-offline/ (and .zip) to open without a network"
	@echo "make lint    ruff and mypy (strict on the rihla package), as the tests run them"
	@echo "make test    lint, then run the whole test suite"
	@echo "make check   check the records in missions/"
	@echo "make schemas regenerate schemas/ (editor help) after changing the model"
	@echo "make bench   measure build time and memory against plain MkDocs"

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtual environment: install Python's venv module (Debian: apt-get install python3-venv)"; exit 1; }

$(VENV)/.installed: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . || $(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

# No PDF briefs while previewing: printing them takes seconds at every rebuild. --dirty: a saved
# record rebuilds only the pages it changes, in the default language (rihla/publish/preview.py;
# RIHLA_PREVIEW_LANGUAGES=all previews every language).
SERVE := mkdocs serve --strict --dirty
serve: $(VENV)/.installed
	RIHLA_PDF=$${RIHLA_PDF:-false} $(BIN)/$(SERVE) -a 127.0.0.1:$(PORT)

# The editor (Decap CMS) on this checkout: decap-server saves into missions/ (port EDITOR_PORT, as
# extra.rihla.editor.local_port in mkdocs.yml, which reads RIHLA_EDITOR_PORT), and the preview rebuilds at each save. Ctrl-C stops both.
EDITOR_PORT ?= 8081
edit: $(VENV)/.installed node_modules/.installed
	@echo "Editor: http://127.0.0.1:$(PORT)/admin/ (saves into missions/); site preview: http://127.0.0.1:$(PORT)/"
	@PORT=$(EDITOR_PORT) BIND_HOST=127.0.0.1 MODE=fs GIT_REPO_DIRECTORY="$(CURDIR)" node node_modules/decap-server/dist/index.js & \
	  server=$$!; trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	  RIHLA_EDITOR_PORT=$(EDITOR_PORT) RIHLA_PDF=$${RIHLA_PDF:-false} $(BIN)/$(SERVE) -a 127.0.0.1:$(PORT)

site: $(VENV)/.installed
	$(BIN)/mkdocs build --strict -d site

# A copy of site/ that opens from a folder without a network (rihla/export/offline.py).
offline: site
	$(BIN)/python -m rihla.export.offline site rihla-offline --zip

check: $(VENV)/.installed
	$(BIN)/rihla check

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

# The configuration of both is in pyproject.toml.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint $(VENV)/.installed-dev node_modules/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py --runs-large 1

# JSON Schemas of the record files, for editors; committed, and checked by the tests.
schemas: $(VENV)/.installed
	$(BIN)/rihla schemas

# Extract interface strings and merge them into each language's catalogue.
catalogs: $(VENV)/.installed node_modules/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k rihla_t -k rihla_t_in:2 --no-location --sort-output --ignore-dirs=".* _* node_modules site tests" -o rihla/locales/rihla.pot .
	for lang in fr nl en ar; do \
	  if [ -f rihla/locales/$$lang/LC_MESSAGES/rihla.po ]; then \
	    $(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -D rihla -l $$lang -i rihla/locales/rihla.pot -d rihla/locales; \
	  else \
	    $(BIN)/pybabel -q init -D rihla -l $$lang -i rihla/locales/rihla.pot -d rihla/locales; \
	  fi; \
	done
	# The editor's interface (Decap CMS): its English strings, translated where Decap ships no language.
	$(BIN)/python -m rihla.editor.locale
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -D editor -l ar -i rihla/locales/editor.pot -d rihla/locales

clean:
	rm -rf site rihla-offline rihla-offline.zip $(VENV) .pytest_cache
