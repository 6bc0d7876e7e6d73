#!/usr/bin/env bash
# The app's CPU time and the wall time per request, over N sequential requests after a warm-up, read from
# /proc/<pid>/stat of the process serving the port. Steadier than requests per second on a shared, noisy host: compare
# two builds by running this against each in turn (issue 15). Against a running app on this machine:
#   bench/cpu-per-request.sh [--base http://127.0.0.1:5080] [--user dispatcher1] [--requests 150] [--warmup 60] /cases /ledgers/residents
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/sign-in.sh"
BASE=http://127.0.0.1:5080 USER_NAME=dispatcher1 PASSWORD=${GRIDGOV_DEMO_PASSWORD:-GridGov@2026} REQUESTS=150 WARMUP=60 PATHS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --base) BASE=$2; shift 2 ;;
    --user) USER_NAME=$2; shift 2 ;;
    --password) PASSWORD=$2; shift 2 ;;
    --requests) REQUESTS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    *) PATHS+=("$1"); shift ;;
  esac
done
[ ${#PATHS[@]} -gt 0 ] || PATHS=(/cases)
port=${BASE##*:}; port=${port%%/*}
pid=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$pid" ] || { echo "no process listens on port $port (run as the app's user or root)" >&2; exit 1; }
JAR=$(mktemp)
trap 'rm -f "$JAR"' EXIT
sign_in "$JAR"
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
echo "| path | requests | app CPU ms / request | wall ms / request |"
echo "|---|---:|---:|---:|"
for path in "${PATHS[@]}"; do
  for _ in $(seq "$WARMUP"); do curl -s -o /dev/null -b "$JAR" "$BASE$path"; done
  t0=$(ticks); w0=$(date +%s%N)
  for _ in $(seq "$REQUESTS"); do curl -s -o /dev/null -b "$JAR" "$BASE$path"; done
  t1=$(ticks); w1=$(date +%s%N)
  awk -v t="$((t1 - t0))" -v hz="$hz" -v w="$((w1 - w0))" -v n="$REQUESTS" -v p="$path" \
    'BEGIN { printf "| %s | %d | %.1f | %.1f |\n", p, n, 1000 * t / hz / n, w / 1e6 / n }'
done
