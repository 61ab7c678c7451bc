# newscrawl: `make crawl` archives the Sarawak outlets, `make test` runs the whole suite, `make demo` shows the
# whole job offline against the bundled replica. Each target creates .venv and installs on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=
ARCHIVE ?= archive/newscrawl.sqlite3
PORT ?= 8001

.PHONY: crawl crawl-distributed test demo browse bench eval clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "newscrawl needs $(PYTHON) (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# make can only exit 0 or 2 (2 is also "bad argument"): a failed crawl says its own status on the last line;
# cron should run bin/crawl, which exits with it (docs/operations.md).
crawl: $(STAMP)
	@$(BIN)/scrapy crawl sarawak $(ARGS); status=$$?; if [ $$status -ne 0 ]; then \
	  echo "make: crawl exited with status $$status (docs/operations.md; bin/crawl exits with it)" >&2; exit $$status; fi

# make crawl-distributed WORKERS=4 ARCHIVE_URL=postgresql+psycopg://... REDIS_URL=redis://...: seed the run, then
# N workers on this machine (docs/distributed.md); exits with the first non-zero status.
WORKERS ?= 2
REDIS_URL ?= redis://127.0.0.1:6379/0
crawl-distributed: $(STAMP)
	@test -n "$(ARCHIVE_URL)" || { echo "make: crawl-distributed needs ARCHIVE_URL=postgresql+psycopg://..." >&2; exit 2; }
	@export NEWSCRAWL_DISTRIBUTED=1 NEWSCRAWL_ARCHIVE_URL='$(ARCHIVE_URL)' NEWSCRAWL_REDIS_URL='$(REDIS_URL)'; \
	$(BIN)/scrapy seed sarawak $(ARGS) || exit $$?; pids=; \
	for i in $$(seq $(WORKERS)); do $(BIN)/scrapy crawl sarawak $(ARGS) & pids="$$pids $$!"; done; \
	status=0; for p in $$pids; do wait $$p || { s=$$?; [ $$status -ne 0 ] || status=$$s; }; done; \
	if [ $$status -ne 0 ]; then echo "make: a worker exited with status $$status" >&2; fi; exit $$status

# ruff first (imports sorted, pyflakes, every noqa meant: [tool.ruff] in pyproject.toml), then every test;
# `make test ARGS='-m "not slow"'` is the quick loop (docs/testing.md)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q $(ARGS)

eval: $(STAMP)
	$(BIN)/python eval/gate.py --check

demo: $(STAMP)
	$(BIN)/python -m tests.replica.demo

# make browse [ARCHIVE=path/to/archive.sqlite3] [PORT=8001]: the archive in Datasette
browse: $(STAMP)
	$(BIN)/python -c 'import datasette, datasette_dashboards' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[browse]'
	$(BIN)/newscrawl browse --archive 'sqlite:///$(ARCHIVE)' --port $(PORT)

bench: $(STAMP)
	$(BIN)/python bench/crawl.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
