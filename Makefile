# The README's two commands are `make demo` and `make test`; everything else here serves them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/trialcds: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	PIP_CONSTRAINT=constraints.txt $(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/trialcds

demo: install
	$(BIN)/trialcds demo

lint: install
	$(BIN)/ruff check cds tests bench
	$(BIN)/ruff format --check cds tests bench
	$(BIN)/mypy --strict cds

system-packages:
	bash scripts/install-system-packages.sh

test: install system-packages lint
	$(BIN)/pytest
	$(BIN)/trialcds cql-tests ../shared/cql-tests --out docs/cql-conformance.md --baseline docs/cql-conformance-baseline.txt

.PHONY: install system-packages demo lint test
