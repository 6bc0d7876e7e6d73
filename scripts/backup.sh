#!/usr/bin/env bash
# Backs up the GridGov database: scripts/backup.sh [FILE]
# Writes a pg_dump custom-format archive (default: backups/gridgov-<UTC time>.dump). The database is GRIDGOV_DB or
# ConnectionStrings__GridGov (Npgsql connection string or postgres:// URI), else run.sh's private cluster in .data/.
# Restore with scripts/restore.sh FILE [DATABASE]. Evidence photos are files: back up their folder too (Evidence__Path).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/lib.sh"
source "$ROOT/scripts/db.sh"

file=${1:-$ROOT/backups/gridgov-$(date -u +%Y%m%d-%H%M%S).dump}
mkdir -p "$(dirname "$file")"
choose_database

# Written beside the target and renamed when complete, so a failed dump never leaves a truncated file under the name.
partial="$file.partial"
trap 'rm -f "$partial"' ERR
log "dumping database $PGDATABASE on $PGHOST:${PGPORT:-5432} to $file"
"$(pg_tool pg_dump)" --format=custom --compress=6 --file="$partial"
"$(pg_tool pg_restore)" --list "$partial" >/dev/null # readable archive
mv -f "$partial" "$file"
tables=$("$(pg_tool pg_restore)" --list "$file" | grep -c " TABLE DATA " || true)
log "backup done: $file ($(du -h "$file" | cut -f1), $tables tables)"
