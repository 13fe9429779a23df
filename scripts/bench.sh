#!/usr/bin/env bash
# Print the benchmark figures (never asserted by the tests). Extra arguments go to every script.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then "${PYTHON:-python3}" -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
# what the benchmarks start (the server, the report renderer, the page benchmark in Chromium) needs the
# same set-up as the tests: PostgreSQL for the PostgreSQL figures, Chromium and the CJK fonts, the npm assets
source scripts/ensure-postgres.sh
source scripts/ensure-chromium.sh
source scripts/ensure-frontend.sh
export TANFENG_BENCH_POSTGRES_URL="${TANFENG_BENCH_POSTGRES_URL:-$TANFENG_TEST_POSTGRES_URL}"
for script in benchmarks/bench_*.py; do
  echo "== $script"
  .venv/bin/python "$script" "$@"
done
