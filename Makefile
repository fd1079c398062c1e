# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint schemathesis-long hang-long durability-long hostile-long bench clean install chromium

$(STAMP): pyproject.toml $(wildcard adapters/*/pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]' $(foreach a,$(wildcard adapters/*/pyproject.toml),-e $(dir $(a)))
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(BIN)/tmf-gateway serve

# The browser tests (tests/browser) drive Chromium from the system packages; none is downloaded.
test: $(STAMP) chromium
	$(BIN)/ruff check src tests bench adapters
	$(BIN)/python -m pytest

# A larger, unseeded Schemathesis budget than the suite's bounded one.
schemathesis-long: $(STAMP)
	TMF_GATEWAY_ST_EXAMPLES=500 TMF_GATEWAY_ST_SEED= $(BIN)/python -m pytest tests/e2e -k schemathesis -p no:randomly

# The legacy system hanging for a full minute instead of the suite's 12 s (docs/adapters.md).
hang-long: $(STAMP)
	TMF_GATEWAY_HANG_SECONDS=60 $(BIN)/python -m pytest adapters/legacy-rest/tests/test_legacy_rest_hang.py -p no:randomly

# SIGKILL after 30 s of load instead of the suite's 3 s (tests/durability).
durability-long: $(STAMP)
	TMF_GATEWAY_DURABILITY_SECONDS=30 $(BIN)/python -m pytest tests/durability -p no:randomly

# The hostile-input suite with a larger, unseeded generated budget than the suite's (tests/hostile).
hostile-long: $(STAMP)
	TMF_GATEWAY_HOSTILE_EXAMPLES=3000 TMF_GATEWAY_HOSTILE_SEEDED=0 $(BIN)/python -m pytest tests/hostile -p no:randomly

# Load benchmarks (loopback only); wrk comes from the system packages.
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py

chromium:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench adapters

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
