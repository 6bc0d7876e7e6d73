#!/usr/bin/env bash
# Runs GridGov with the demo street. With ConnectionStrings__GridGov set, uses that database;
# otherwise installs PostgreSQL 15 + PostGIS when missing and keeps a private cluster in .data/ (under /var/lib/gridgov
# when root runs a checkout the postgres account cannot reach, e.g. in root's home folder).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
source "$ROOT/scripts/lib.sh"

PORT=${GRIDGOV_PORT:-5080}
PG_PORT=${GRIDGOV_PG_PORT:-55433}

if [ -z "${ConnectionStrings__GridGov:-}" ]; then
  ensure_postgis
  DATA_DIR=$(private_cluster_dir "$ROOT")
  start_cluster "$DATA_DIR" "$PG_PORT"
  trap 'log "stopping the private PostgreSQL cluster"; stop_cluster "$DATA_DIR"' EXIT
  if ! psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'gridgov'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE gridgov" >/dev/null
  fi
  export ConnectionStrings__GridGov="Host=127.0.0.1;Port=$PG_PORT;Database=gridgov;Username=postgres"
fi

# Data-protection keys (sign-in cookies, form tokens) in a folder every app node shares, so any node serves any request.
export DataProtection__KeysPath=${DataProtection__KeysPath:-$ROOT/.data/keys}
# The staff API's token signing key: made once per checkout and kept beside the data-protection keys (the app refuses the
# demo key of appsettings.json in Production, which is what run.sh runs).
if [ -z "${Api__SigningKey:-}" ]; then
  mkdir -p "$ROOT/.data"
  [ -s "$ROOT/.data/api-signing-key" ] || (umask 077 && head -c 48 /dev/urandom | base64 -w0 > "$ROOT/.data/api-signing-key")
  export Api__SigningKey=$(cat "$ROOT/.data/api-signing-key")
fi
export Demo__Seed=true
export Demo__Password=${GRIDGOV_DEMO_PASSWORD:-GridGov@2026}
log "building (first run restores NuGet and npm packages)"
dotnet build "$ROOT/src/GridGov.Web" -c Release -v quiet -nologo
log "starting GridGov on http://127.0.0.1:$PORT (migrations and demo street load on first start)"
cd "$ROOT/src/GridGov.Web"
dotnet run -c Release --no-build --no-launch-profile -- serve --urls="http://127.0.0.1:$PORT"
