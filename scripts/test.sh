#!/usr/bin/env bash
# The whole test suite, from a fresh clone: virtual environment, dependencies, PostgreSQL,
# lint (ruff), types (mypy), architecture contracts (import-linter), then pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then "${PYTHON:-python3}" -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'

source scripts/ensure-postgres.sh
source scripts/ensure-chromium.sh
source scripts/ensure-frontend.sh

echo "test: ruff"
.venv/bin/ruff check src tests benchmarks scripts
echo "test: mypy"
.venv/bin/mypy
echo "test: import contracts"
.venv/bin/lint-imports
echo "test: pytest"
# pytest exits 5 when it collected no test: with set -e that fails the run, as it must.
.venv/bin/python -m pytest "$@"
