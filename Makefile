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

clean:
	rm -rf var
