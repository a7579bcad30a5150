# Huoban — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/huoban
PYTEST_ARGS ?=
export HUOBAN_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test lint typecheck migrations-check test-sqlite test-postgres browser-deps install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make demo: create the virtualenv, install, migrate, load demo data, serve on 127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/huoban demo --port 8000

## make test: lint, type-check, migrations check, the suite on SQLite and (when reachable) PostgreSQL
test: $(STAMP) browser-deps lint typecheck migrations-check test-sqlite test-postgres

# The browser tests drive Debian's Chromium (Playwright never downloads one). Installed here when
# missing and we are root; otherwise they skip, unless HUOBAN_REQUIRE_BROWSER=1 (CI).
CHROMIUM ?= /usr/bin/chromium
browser-deps:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "== installing Debian's chromium for the browser tests =="; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "== $(CHROMIUM) missing and not root: browser tests will skip (apt-get install chromium) =="; \
	fi

# Each lane: the suite in parallel without the browser tests, then the browser tests (marker
# "browser") in one process: one live server, one Chromium. Exit 5 = PYTEST_ARGS selected none.
BROWSER_PYTEST = $(BIN)/pytest -p no:xdist -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src/huoban

migrations-check: $(STAMP)
	HUOBAN_DATA_DIR=$$(mktemp -d) $(BIN)/huoban manage makemigrations --check --dry-run

test-sqlite: $(STAMP) browser-deps
	@echo "== test suite on SQLite =="
	HUOBAN_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)
	@echo "== browser tests on SQLite =="
	HUOBAN_DATA_DIR=$$(mktemp -d) $(BROWSER_PYTEST)

# The PostgreSQL lane runs when a server answers at PG_URL; HUOBAN_REQUIRE_PG=1 (CI) makes a
# missing server an error instead of a skip.
test-postgres: $(STAMP) browser-deps
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== test suite on PostgreSQL =="; \
		HUOBAN_DATA_DIR=$$(mktemp -d) DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS) && \
		echo "== browser tests on PostgreSQL ==" && \
		{ HUOBAN_DATA_DIR=$$(mktemp -d) DATABASE_URL=$(PG_URL) $(BROWSER_PYTEST); }; \
	elif [ "$$HUOBAN_REQUIRE_PG" = "1" ]; then \
		echo "PostgreSQL is required (HUOBAN_REQUIRE_PG=1) but $(PG_URL) does not answer"; exit 1; \
	else \
		echo "== PostgreSQL not reachable at $(PG_URL): lane skipped (CI requires it) =="; \
	fi

## make bench: the benchmarks under bench/. They print figures (medians, ratios); nothing in them
## asserts a time. BENCH_SCALE and BENCH_RUNS tune bench/pages.py; DATABASE_URL picks PostgreSQL.
BENCH_SCALE ?= 100
BENCH_RUNS ?= 7
## The scale benchmarks (issue #5) use `huoban bench-data --scale BENCH_N` (N=1: 10,000 partners,
## 1,000,000 customers, 300,000 projects, 1,000,000 payments), generated once into var/bench/.
BENCH_N ?= 1
BENCH_SCALE_RUNS ?= 3
## bench-registration and bench-portal talk HTTP to `huoban serve` on a fresh copy of that data
## with its ledger (generated once into var/bench/n<N>-ledger/); DATABASE_URL picks PostgreSQL.
.PHONY: bench bench-pages bench-settlement bench-registration bench-portal bench-console bench-matching
bench: bench-pages bench-settlement bench-registration bench-portal bench-console bench-matching

bench-pages: $(STAMP)
	$(BIN)/python bench/pages.py --scale $(BENCH_SCALE) --runs $(BENCH_RUNS)

bench-settlement: $(STAMP)
	$(BIN)/python bench/settlement.py --scale $(BENCH_N) --runs $(BENCH_SCALE_RUNS)

bench-registration: $(STAMP)
	$(BIN)/python bench/registration.py --scale $(BENCH_N) --runs $(BENCH_SCALE_RUNS)

bench-portal: $(STAMP)
	$(BIN)/python bench/portal.py --scale $(BENCH_N) --runs $(BENCH_SCALE_RUNS)

bench-console: $(STAMP)
	$(BIN)/python bench/console.py --scale $(BENCH_N)

## bench-matching: customer matching on 2,774 listed companies' real names (issue #13); with
## BENCH_N= (empty) the registry holds only them, otherwise they join the bench-data set.
bench-matching: $(STAMP)
	$(BIN)/python bench/matching.py $(if $(BENCH_N),--scale $(BENCH_N))

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
