# vaora — two commands: `make run` and `make test`. Nothing else is needed on a fresh Debian
# machine with python3 >= 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup lint format bench bench-ingest bench-import bench-trace bench-oversight bench-cards bench-notices bench-mixed clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "vaora needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP)
	@VAORA_DEBUG=1 $(BIN)/vaora compile_translations

run: setup
	@VAORA_DEBUG=$${VAORA_DEBUG:-1} HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) scripts/run.sh

test: setup
	@BIN=$(BIN) scripts/test.sh

bench: setup bench-ingest bench-import bench-trace bench-oversight bench-cards bench-notices bench-mixed
	$(BIN)/python bench/venues.py

# PostgreSQL as a small province server would run it (2 GB of the 24 GB for shared buffers);
# the tests' throwaway clusters keep the defaults.
PG_BENCH_OPTIONS ?= -c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB \
	-c max_wal_size=4GB
# Published PostgreSQL figures are durable: the throwaway cluster turns fsync off for the tests;
# every PostgreSQL benchmark below runs durable and records the settings it read back (SHOW).
PG_DURABLE ?= -c fsync=on -c full_page_writes=on -c synchronous_commit=on

# A 1,000,000-row paper register imported end to end, on SQLite and on a throwaway PostgreSQL.
bench-import: setup
	$(BIN)/python bench/paper_import.py
	PG_OPTIONS="$(PG_BENCH_OPTIONS) $(PG_DURABLE)" BIN=$(BIN) scripts/with-postgres.sh $(BIN)/python bench/paper_import.py

# The check-in write path under wrk, on SQLite and on a throwaway PostgreSQL.
bench-ingest: setup
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/ingest.py
	PG_OPTIONS="$(PG_BENCH_OPTIONS) $(PG_DURABLE)" BIN=$(BIN) scripts/with-postgres.sh $(BIN)/python bench/ingest.py

# Tracing on 10,000,000 demo visits (generated once per database; SQLite's is kept in var/bench).
bench-trace: setup
	$(BIN)/python bench/trace.py
	PG_OPTIONS="$(PG_BENCH_OPTIONS) $(PG_DURABLE)" BIN=$(BIN) scripts/with-postgres.sh $(BIN)/python bench/trace.py

# Oversight pages for a whole province, on the tracing benchmark's 10,000,000 visits.
bench-oversight: setup
	$(BIN)/python bench/oversight.py
	PG_OPTIONS="$(PG_BENCH_OPTIONS) $(PG_DURABLE)" BIN=$(BIN) scripts/with-postgres.sh $(BIN)/python bench/oversight.py

# Identity cards at the gate in Chromium: 50 by camera, 50 by USB scanner, 50 offline.
# PostgreSQL durable: fsync, full-page writes and synchronous commit on (recorded in the JSON).
bench-cards: setup
	$(BIN)/python bench/cards.py
	PG_OPTIONS="$(PG_BENCH_OPTIONS) $(PG_DURABLE)" BIN=$(BIN) scripts/with-postgres.sh $(BIN)/python bench/cards.py

# 50,000 exposure notices: accepted by the request, written and sent by a real `vaora worker`
# to a local HTTP gateway at VAORA_SMS_RATE, through a gateway outage. PostgreSQL durable.
bench-notices: setup
	$(BIN)/python bench/notices.py
	PG_OPTIONS="$(PG_BENCH_OPTIONS) $(PG_DURABLE)" BIN=$(BIN) scripts/with-postgres.sh $(BIN)/python bench/notices.py

# Check-ins at 1,500/s from wrk into two server processes while an official loads oversight
# pages and a health official traces F1+F2, on 10,000,000 visits. PostgreSQL durable.
bench-mixed: setup
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	PG_OPTIONS="$(PG_BENCH_OPTIONS) $(PG_DURABLE)" BIN=$(BIN) scripts/with-postgres.sh $(BIN)/python bench/mixed.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/test_* .pytest_cache .ruff_cache
