#!/usr/bin/env bash
# Shared by backup.sh and restore.sh: which database, as libpq environment variables (PGHOST, PGPORT, PGUSER,
# PGPASSWORD, PGDATABASE), and the PostgreSQL client programs.
#   GRIDGOV_DB or ConnectionStrings__GridGov: an Npgsql connection string ("Host=…;Port=…;Database=…;Username=…;Password=…")
#   or a postgres:// URI. Otherwise run.sh's private cluster in .data/postgres (started for the command when it is down).

# pg_tool NAME: the server's own version of a client program when installed, else the one on PATH.
pg_tool() {
  if [ -x "$PG_BIN/$1" ]; then echo "$PG_BIN/$1"; else command -v "$1" || { log "$1 not found: install postgresql-client-15"; exit 1; }; fi
}

# Sets PG* from an Npgsql connection string (unknown keys, e.g. Pooling, are ignored).
use_npgsql_connection_string() {
  local part key value
  IFS=';' read -ra parts <<< "$1"
  for part in "${parts[@]}"; do
    [[ "$part" == *=* ]] || continue
    key=$(echo "${part%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')
    value=${part#*=}
    case "$key" in
      host|server) export PGHOST=$value ;;
      port) export PGPORT=$value ;;
      database|db) export PGDATABASE=$value ;;
      username|userid|user|uid) export PGUSER=$value ;;
      password|pwd) export PGPASSWORD=$value ;;
      sslmode) export PGSSLMODE=$(echo "$value" | tr '[:upper:]' '[:lower:]') ;;
    esac
  done
}

# Sets PG* from postgres://user:password@host:port/database (no query parameters).
use_uri() {
  local rest=${1#*://} auth hostport
  if [[ "$rest" == *@* ]]; then auth=${rest%%@*}; rest=${rest#*@}; fi
  if [ -n "${auth:-}" ]; then
    export PGUSER=${auth%%:*}
    if [[ "$auth" == *:* ]]; then export PGPASSWORD=${auth#*:}; fi
  fi
  hostport=${rest%%/*}
  rest=${rest#"$hostport"}; rest=${rest#/}; rest=${rest%%\?*}
  export PGHOST=${hostport%%:*}
  if [[ "$hostport" == *:* ]]; then export PGPORT=${hostport#*:}; fi
  if [ -n "$rest" ]; then export PGDATABASE=$rest; fi
}

# Chooses the database; when it is run.sh's cluster and that is down, starts it and stops it again on exit.
choose_database() {
  local connection=${GRIDGOV_DB:-${ConnectionStrings__GridGov:-}}
  if [ -n "$connection" ]; then
    case "$connection" in
      postgres://*|postgresql://*) use_uri "$connection" ;;
      *) use_npgsql_connection_string "$connection" ;;
    esac
    export PGDATABASE=${PGDATABASE:-gridgov}
    return
  fi
  local data_dir port=${GRIDGOV_PG_PORT:-55433}
  data_dir=$(private_cluster_dir "$ROOT")
  if [ ! -f "$data_dir/PG_VERSION" ]; then
    log "no database: set GRIDGOV_DB (or ConnectionStrings__GridGov), or run ./run.sh once to create .data/postgres"
    exit 1
  fi
  if ! as_pg_owner "$PG_BIN/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
    log "starting run.sh's PostgreSQL cluster in $data_dir for this command"
    start_cluster "$data_dir" "$port"
    trap 'stop_cluster "'"$data_dir"'"' EXIT
  fi
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=gridgov
}
