# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SERVICES := plans sessions oversight reporting
PACKAGES := lib/eventlog $(addprefix services/,$(SERVICES)) gateway
export EVENTLOG_VAR_DIR ?= $(CURDIR)/var

.PHONY: install run migrate test lint format bench bench-quick demo proof clean

$(BIN)/.installed: requirements-dev.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(foreach p,$(PACKAGES),-e $(p)) -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python -m eventlog.migrate $(SERVICES) gateway

run: migrate
	$(BIN)/python ops/launch.py

# Three pytest processes side by side (each test has its own vhost and databases), then
# the tests that stop or cut the shared broker or database, alone. See ops/run_tests.py.
test: install
	$(BIN)/python ops/run_tests.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy lib/eventlog/eventlog services/plans/plans/domain services/sessions/sessions/domain \
		services/oversight/oversight/domain

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/run.py

bench-quick: install
	$(BIN)/python bench/run.py --quick

# Load a realistic synthetic province through the public API of a running system.
demo: install
	$(BIN)/python ops/demo.py --gateway http://127.0.0.1:$${GATEWAY_PORT:-8000}

# The fault suite (broker stopped and cut, services killed, PostgreSQL restarted, poison and
# duplicated messages, tampered logs) and the hostile tests, one after another in one
# pytest process, then the ledger's totals per fault (from artifacts/faults.json). It stops
# the shared broker and restarts PostgreSQL: run it when nothing else is testing.
proof: install
	rm -f artifacts/faults.json
	status=0; \
	$(BIN)/python -m pytest -q -rxXs tests/faults $(wildcard tests/hostile) || status=$$?; \
	$(BIN)/python -m tests.faults.report || [ $$status -ne 0 ] || status=1; \
	exit $$status

clean:
	rm -rf var
