# Jixiao: `make run` serves the demo, `make test` runs every check. Both install into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export JIXIAO_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint unit e2e bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

run: $(VENV)/.installed
	@# PDF reports need a Chinese font: install Noto CJK where we can (root with apt-get), else say so.
	@if command -v fc-list >/dev/null 2>&1 && [ -n "$$(fc-list :lang=zh family 2>/dev/null)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "  Installing a Chinese font for PDF reports (fonts-noto-cjk) ..."; \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk >/dev/null 2>&1; }; } || \
	  echo "  Could not install fonts-noto-cjk: PDF reports need a Chinese font (apt-get install fonts-noto-cjk)."; \
	else echo "  PDF reports need a Chinese font, and none is installed: sudo apt-get install fonts-noto-cjk (PDF 报告需要中文字体)."; fi
	$(BIN)/jixiao migrate --noinput -v 0
	$(BIN)/jixiao demo --if-empty
	@echo ""
	@echo "  Jixiao 绩效 is at http://127.0.0.1:$(PORT)/  (data in $(JIXIAO_DATA_DIR))"
	@echo "  Demo logins, password jixiao-demo: admin leader deputy member hr hrsup cs_head cs_agent mkt_director mkt_manager prd_head finance auditor"
	@echo ""
	@# One background worker (closing scoring, …) beside the web server; Ctrl-C stops both.
	$(BIN)/jixiao db_worker --no-reload --no-startup-delay -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/granian --interface wsgi --host 127.0.0.1 --port $(PORT) --workers 2 --blocking-threads 1 jixiao.wsgi:application

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy jixiao bench
	$(BIN)/lint-imports
	$(BIN)/djlint jixiao --lint

test: lint
	$(BIN)/python -m pytest

# Every benchmark in bench/ (each prints its figures beside a baseline from the same run).
# BENCH_SCALE=0.1 make bench runs them smaller (a tenth of the rows, a shorter load).
bench: $(VENV)/.dev
	@set -e; for b in $(sort $(basename $(notdir $(filter-out bench/__init__.py bench/web.py,$(wildcard bench/*.py))))); do \
	  echo "== bench/$$b.py"; $(BIN)/python -m bench.$$b; echo; done

# Recompile the translation catalogues after editing a .po file (needs GNU gettext).
messages: $(VENV)/.dev
	cd jixiao && ../$(BIN)/jixiao makemessages -l en --no-obsolete && ../$(BIN)/jixiao compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
