#!/usr/bin/env bash
# Installs and starts what the tests need on a Debian machine, and only what
# is missing: Chromium for the browser tests, PostgreSQL 15 with PostGIS 3
# for the store tests, QGIS (PyQGIS) and GDAL for the GIS client tests. Run as root on a fresh machine (CI does); on a
# developer's machine it only checks, and says what to install.
set -euo pipefail

url=${WIJKKAART_TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s postgresql-15-postgis-3 >/dev/null 2>&1 || missing+=(postgresql-15-postgis-3)
for pkg in python3-qgis qgis-providers gdal-bin; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing Debian packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL: start every cluster that is down (Debian creates 15/main on
# install; containers have no systemd to start it).
if command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters --no-header | while read -r version cluster _port status _rest; do
    if [ "$status" != "online" ]; then
      if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: PostgreSQL $version/$cluster is $status; start it: sudo pg_ctlcluster $version $cluster start" >&2
        exit 1
      fi
      echo "install-deps: starting PostgreSQL $version/$cluster" >&2
      pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
    fi
  done
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done

# The tests connect as postgres over TCP. A fresh Debian cluster asks a
# password there, which postgres does not have yet: give it the one in the URL.
if ! psql "$url" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || [ -n "${WIJKKAART_TEST_DATABASE_URL:-}" ]; then
    echo "install-deps: cannot connect to $url; set WIJKKAART_TEST_DATABASE_URL to a role that may create databases" >&2
    exit 1
  fi
  echo "install-deps: setting the password of PostgreSQL role postgres for local test connections" >&2
  su postgres -c "psql -qc \"ALTER ROLE postgres PASSWORD 'postgres'\""
fi
psql "$url" -qAtc "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'" | grep -q 1 || {
  echo "install-deps: PostGIS is not available in the PostgreSQL at $url" >&2
  exit 1
}
