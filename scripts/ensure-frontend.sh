# Sourced by scripts/test.sh and the run scripts (it may also be run on its own with bash).
# Installs the front-end assets (ECharts, the ECharts 4 province maps with the Inner Mongolia
# league boundaries) from package-lock.json into node_modules/ with `npm ci`, when node_modules is
# missing or older than the lock. Installs node and npm from the Debian packages when npm is absent.
# Nothing is fetched at run time: the web app and the report renderer read node_modules/ only.

_tf_frontend_fail() {
  echo "ensure-frontend: $1" >&2
  return 1 2>/dev/null || exit 1
}

_tf_frontend_main() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [ ! -f "$root/package-lock.json" ]; then
    _tf_frontend_fail "no package-lock.json in $root; the front-end assets cannot be installed"
    return 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "ensure-frontend: npm is missing; installing nodejs and npm from the Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq >/dev/null && apt-get install -y -qq nodejs npm >/dev/null; }; then
      _tf_frontend_fail "could not install nodejs and npm (apt-get failed); install them and run 'npm ci' in $root"
      return 1
    fi
  fi
  local stamp="$root/node_modules/.package-lock.json"
  if [ ! -d "$root/node_modules" ] || [ ! -f "$stamp" ] || [ "$root/package-lock.json" -nt "$stamp" ]; then
    echo "ensure-frontend: npm ci (front-end assets from package-lock.json)"
    if ! (cd "$root" && npm ci --no-audit --no-fund --loglevel=error); then
      _tf_frontend_fail "'npm ci --no-audit --no-fund' failed in $root; see the npm output above"
      return 1
    fi
  fi
  if [ ! -f "$root/node_modules/echarts/dist/echarts.min.js" ] \
    || [ ! -f "$root/node_modules/echarts-maps-v4/map/json/province/neimenggu.json" ]; then
    _tf_frontend_fail "node_modules is incomplete (echarts or the league map is missing); delete $root/node_modules and run this script again"
    return 1
  fi
  echo "ensure-frontend: front-end assets ready (node_modules)"
}

_tf_frontend_main || { return 1 2>/dev/null || exit 1; }
unset -f _tf_frontend_main _tf_frontend_fail
