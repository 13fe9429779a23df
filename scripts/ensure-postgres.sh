# Sourced by scripts/test.sh: makes sure a PostgreSQL server is reachable for the store tests and
# exports TANFENG_TEST_POSTGRES_URL. In order: the server already named by the variable (default:
# 127.0.0.1:5432, database "test", trust auth); the machine's own cluster, started if it is down;
# a throwaway cluster (initdb + pg_ctl in a temporary folder, trust auth), installing PostgreSQL
# from the Debian packages first when no server binaries are present. The throwaway cluster is
# stopped and removed when the test run ends.

_pg_url="${TANFENG_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"

_pg_ok() {
  .venv/bin/python - "$1" <<'PY' >/dev/null 2>&1
import sys, psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
psycopg.connect(url, connect_timeout=3).close()
PY
}

if ! _pg_ok "$_pg_url"; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "test: starting the machine's PostgreSQL cluster"
    for _v in $(ls /etc/postgresql); do pg_ctlcluster --skip-systemctl-redirect "$_v" main start >/dev/null 2>&1 || true; done
    sleep 1
    # the machine's cluster may lack the "test" database
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- createdb test >/dev/null 2>&1 || true; fi
  fi
fi

if ! _pg_ok "$_pg_url"; then
  _initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$_initdb" ]; then
    echo "test: PostgreSQL not installed; installing it from the Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null
    _initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  fi
  _bin=$(dirname "$_initdb")
  _pgdir=$(mktemp -d -t tanfeng-pg-XXXXXX)
  _port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  _as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home "$_pgdir" postgres
    chown postgres "$_pgdir"
    _as=(runuser -u postgres --)
  fi
  echo "test: starting a throwaway PostgreSQL cluster on 127.0.0.1:$_port"
  "${_as[@]}" "$_bin/initdb" -D "$_pgdir/data" -U postgres -A trust -E UTF8 >/dev/null
  "${_as[@]}" "$_bin/pg_ctl" -D "$_pgdir/data" -l "$_pgdir/log" -w \
      -o "-p $_port -k $_pgdir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  "${_as[@]}" "$_bin/createdb" -h 127.0.0.1 -p "$_port" -U postgres test
  _pg_url="postgresql+psycopg://postgres@127.0.0.1:$_port/test"
  trap '"${_as[@]}" "$_bin/pg_ctl" -D "$_pgdir/data" -m fast stop >/dev/null 2>&1; rm -rf "$_pgdir"' EXIT
fi

_pg_ok "$_pg_url" || { echo "test: no PostgreSQL server could be reached or started" >&2; exit 1; }
export TANFENG_TEST_POSTGRES_URL="$_pg_url"
echo "test: PostgreSQL ready"
