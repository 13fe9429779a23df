#!/usr/bin/env bash
# Install, initialise the embedded store (SQLite + DuckDB/Parquet under ./var), load the reference
# data and the Inner Mongolia plan, and serve the platform at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then "${PYTHON:-python3}" -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e .

.venv/bin/tanfeng init
exec .venv/bin/tanfeng serve --host "${TANFENG_HOST:-127.0.0.1}" --port "${TANFENG_PORT:-8000}"
