# Two commands do all the set-up: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PRIC_HOME ?= $(CURDIR)/data
export DAGSTER_HOME ?= $(PRIC_HOME)/dagster
DEMO_LANDING ?= $(PRIC_HOME)/landing
DEMO_SCALE ?= 4000
# Real public reference files (ROME, FAP, bassins BMO, tension) the demo copies into its landing zone when present.
REALDATA ?= $(wildcard $(CURDIR)/../shared/realdata)
DBT_MANIFEST := dbt/target/manifest.json
DBT_FILES := $(shell find dbt/models dbt/macros dbt/seeds -type f 2>/dev/null) dbt/dbt_project.yml dbt/profiles.yml

.PHONY: install demo test test-engines bench ui manifest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The PostgreSQL and Spark adapters (extra `engines`), for `make test-engines` and `pric run --target`.
$(VENV)/.engines-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,engines]'
	touch $@

# The dbt manifest is built here, ahead of time, so that nothing parses the dbt project when Dagster imports it.
$(DBT_MANIFEST): $(VENV)/.installed $(DBT_FILES)
	$(BIN)/pric prepare

manifest: $(DBT_MANIFEST)

demo: $(DBT_MANIFEST)
	$(BIN)/pric generate --out $(DEMO_LANDING) --region 44 --years 2018-2022 --scale $(DEMO_SCALE) --seed 44 \
		$(if $(REALDATA),--references $(REALDATA))
	$(BIN)/pric run --landing $(DEMO_LANDING) --home $(PRIC_HOME)
	$(BIN)/pric indicators --home $(PRIC_HOME) --level region --breakdown ensemble --period-type year
	@echo
	@echo "Warehouse (DuckDB):   $(PRIC_HOME)/warehouse.duckdb"
	@echo "Funder extracts:      $(PRIC_HOME)/exports/<funder>/<run date>/"
	@echo "BI snapshot:          $(PRIC_HOME)/serving/warehouse.duckdb (open read-only; see docs/delivery.md)"
	@echo "Quality report:       $(PRIC_HOME)/quality/gx/uncommitted/data_docs/local_site/index.html"
	@echo "All indicators:       $(BIN)/pric indicators --home $(PRIC_HOME) --format csv"
	@echo "Dagster UI:           make ui   (then open http://127.0.0.1:3000)"

# TEST_WORKERS processes (pytest-xdist): a pipeline run is mostly one busy core (dbt, Dagster), so two processes
# use CI's two cores; the tests sharing one pipeline run stay in one process (tests/conftest.py).
TEST_WORKERS ?= 2
test: $(DBT_MANIFEST)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The demo landing zone built on DuckDB, PostgreSQL (a server started and stopped by scripts/postgres) and Spark
# (local mode; a headless Java 17 from Debian when none is installed), indicator tables compared row for row.
# ENGINES_SCALE entries a year (default: the demo's); PRIC_ENGINES_DIR keeps the builds (default: a temp folder).
test-engines: $(DBT_MANIFEST) $(VENV)/.engines-installed
	@command -v java >/dev/null 2>&1 || scripts/java
	PRIC_ENGINE_TESTS=1 ENGINES_SCALE=$${ENGINES_SCALE:-$(DEMO_SCALE)} $(BIN)/python -m pytest tests/engines -s -v

# National-scale benchmark (issue 8): BENCH_SCALE entries a year (default 1 000 000) over 13 régions; full build,
# one added month, a full refresh compared with it, the pandas script; prints a table and writes JSON under
# $(PRIC_HOME)/bench/. BENCH_SCALE=50000 for a quick run; BENCH_SKIP_PANDAS=1, BENCH_SKIP_FULL_REFRESH=1 skip steps;
# the pandas script is stopped at BENCH_PANDAS_LIMIT_RATIO (default 10) times the full build (0: no limit).
bench: $(DBT_MANIFEST)
	$(BIN)/python -m benchmarks.run $(if $(BENCH_SCALE),--scale $(BENCH_SCALE))

ui: $(DBT_MANIFEST)
	mkdir -p $(DAGSTER_HOME)
	PRIC_LANDING=$(DEMO_LANDING) $(BIN)/dagster dev -m dagster_project.definitions

clean:
	rm -rf $(VENV) dbt/target dbt/logs dbt/dbt_packages data
