#!/usr/bin/env bash
# Restores a GridGov backup into a fresh database: scripts/restore.sh FILE [DATABASE] [--force]
# DATABASE (default: the one of GRIDGOV_DB / ConnectionStrings__GridGov, else gridgov in run.sh's cluster) is created
# on the same server. A database that already holds tables is left alone unless --force is given, which drops it
# first (stop the app before). The role needs CREATEDB, and PostGIS must be installed on the server.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/lib.sh"
source "$ROOT/scripts/db.sh"

force=false
args=()
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    -*) log "unknown option $arg"; exit 2 ;;
    *) args+=("$arg") ;;
  esac
done
if [ ${#args[@]} -lt 1 ] || [ ${#args[@]} -gt 2 ]; then
  log "usage: scripts/restore.sh FILE [DATABASE] [--force]"
  exit 2
fi
file=${args[0]}
if [ ! -f "$file" ]; then
  log "no backup file $file"
  exit 2
fi
choose_database
target=${args[1]:-$PGDATABASE}
if [[ ! "$target" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
  log "database name '$target': letters, digits and underscores only"
  exit 2
fi
"$(pg_tool pg_restore)" --list "$file" >/dev/null

psql_admin() { "$(pg_tool psql)" --dbname=postgres -v ON_ERROR_STOP=1 -qtAX "$@"; }
exists=$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$target'")
if [ "$exists" = "1" ]; then
  # Tables of its own: an extension's (PostGIS's spatial_ref_sys) do not count.
  tables=$("$(pg_tool psql)" --dbname="$target" -qtAX -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')")
  if [ "$tables" != "0" ]; then
    if [ "$force" != true ]; then
      log "database $target already holds $tables tables: not overwritten (add --force to drop and replace it)"
      exit 3
    fi
    log "dropping database $target (--force)"
    psql_admin -c "DROP DATABASE \"$target\" WITH (FORCE)"
    exists=""
  fi
fi
if [ "$exists" != "1" ]; then
  psql_admin -c "CREATE DATABASE \"$target\" ENCODING 'UTF8' TEMPLATE template0"
fi

log "restoring $file into database $target on $PGHOST:${PGPORT:-5432}"
# One transaction: a failed restore leaves the new database empty. Owners and grants of the source server are not carried over.
"$(pg_tool pg_restore)" --dbname="$target" --no-owner --no-acl --exit-on-error --single-transaction "$file"
"$(pg_tool psql)" --dbname="$target" -qtAX -c "ANALYZE" >/dev/null
tables=$("$(pg_tool psql)" --dbname="$target" -qtAX -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
log "restore done: database $target ($tables tables)"
