#!/usr/bin/env bash
# Print the benchmark figures (never asserted by the tests). Extra arguments go to every script.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then "${PYTHON:-python3}" -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
for script in benchmarks/bench_*.py; do
  echo "== $script"
  .venv/bin/python "$script" "$@"
done
