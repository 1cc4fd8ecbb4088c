# The two commands the README opens with are `make run` and `make test`.
# Every target installs what it needs first (scripts/bootstrap.sh is idempotent).
# `make run` serves the relay with its embedded demo configuration (SQLite in ./data).
.PHONY: bootstrap peers run test lint test-python test-pyodide test-browser test-qa-example \
	dist test-unit test-integration test-e2e bench clean

PY := .venv/bin/python
# The environment may forbid bytecode caches (PYTHONDONTWRITEBYTECODE); the tests allow them, so
# pytest's assertion rewriting and every relay and CLI process the tests start compile the
# project's modules once rather than each time (collecting the tests: 12 s without, 5 s with).
PYTEST := PYTHONDONTWRITEBYTECODE= $(PY) -m pytest

bootstrap:
	@scripts/bootstrap.sh

# The real peers the tests and benchmarks start: Kannel, PostgreSQL, wrk, Chromium (Debian packages).
peers:
	@scripts/install-debian-packages.sh

run: bootstrap
	@$(PY) -m smsrelay serve

lint: bootstrap
	$(PY) -m ruff check .
	$(PY) -m ruff format --check widget/py widget/testing/py server tests bench scripts examples
	$(PY) -m mypy
	npx tsc -p tests/types/tsconfig.json
	node scripts/check-widget-budget.mjs

# On two workers (pytest-xdist; each starts its own peers on free ports), then the load and
# latency tests (marked `alone`) by themselves, as they measure what another test would skew.
test-python: bootstrap peers
	$(PYTEST) -n 2 --dist worksteal -m "not alone"
	$(PYTEST) -m alone

test-pyodide: bootstrap
	scripts/test-pyodide.sh $(PYTEST_ARGS)

# The panel in Debian's Chromium through Playwright, against a real relay.
test-browser: bootstrap peers
	npx playwright test $(PLAYWRIGHT_ARGS)

# What the project releases, in dist/: the three wheels and the npm tarball (README: For QA teams).
dist: bootstrap
	scripts/build-dist.sh dist

# The release as a QA team gets it: dist/ installed into clean environments, then the example
# suite examples/qa-pytest from its own virtual environment (QA_ARGS="-k strict" narrows it).
test-qa-example: bootstrap peers
	scripts/test-qa-example.sh $(QA_ARGS)

test: lint test-python test-pyodide test-browser test-qa-example

# The tests by speed (README: Tests): tests/conftest.py marks each by its folder.
# In-process, no peer: seconds. PYTEST_ARGS="-k segmenter" narrows any of the three.
test-unit: bootstrap
	$(PYTEST) -m unit $(PYTEST_ARGS)

# Against the real peers: SQLite, PostgreSQL, Kannel, the SMSC simulator, the Twilio fake.
test-integration: bootstrap peers
	$(PYTEST) -m integration $(PYTEST_ARGS)

# The relay as a process under faults, then the panel in Chromium.
test-e2e: bootstrap peers
	$(PYTEST) -m e2e $(PYTEST_ARGS)
	npx playwright test $(PLAYWRIGHT_ARGS)

bench: bootstrap peers
	scripts/bench.sh $(BENCH_ARGS)

clean:
	rm -rf .cache/pyodide-wheels .cache/pyodide-build bench/results
