#!/usr/bin/env bash
# Install, initialise the embedded store (SQLite + DuckDB/Parquet under ./var), load the reference
# data, the Inner Mongolia plan and the key-unit sample population, and serve the platform at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then "${PYTHON:-python3}" -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e .

source scripts/ensure-frontend.sh
# reports (PDF through weasyprint) need Pango and a CJK font from the Debian packages
if [ -z "$(fc-list 2>/dev/null | grep -i 'Noto Sans CJK')" ] || [ -z "$(ldconfig -p 2>/dev/null | grep libpangoft2)" ]; then
  echo "run: installing fonts-noto-cjk and Pango from the Debian packages (for PDF reports)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
fi
.venv/bin/tanfeng init
# the key-unit sample population (示例数据, deterministic; loading again adds nothing), so that the first pages
# opened show units, meters and their readings
echo "run: loading the key-unit sample population (示例数据)"
.venv/bin/tanfeng units load-sample --units "${TANFENG_SAMPLE_UNITS:-200}" --days 1 --format json >/dev/null
exec .venv/bin/tanfeng serve --host "${TANFENG_HOST:-127.0.0.1}" --port "${TANFENG_PORT:-8000}"
