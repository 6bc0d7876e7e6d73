#!/usr/bin/env bash
# The pages and endpoints of issue 15's goals under load, side by side with the reference figures of the same run:
# wrk (Debian's package) with N connections for D seconds per scenario, against a running app (e.g. on the city data set).
# Each signed-in scenario signs in afresh through the sign-in form just before it runs, as a browser holds a cookie it
# was just given: a cookie older than Security:SessionCheckSeconds (60 s) that is never replaced (wrk keeps sending the
# same one) would have the security stamp checked and the principal rebuilt on every request, which no browser causes.
#   bench/http.sh [--base http://127.0.0.1:5080] [--user dispatcher1] [--connections 50] [--duration 10] [--out FILE]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/sign-in.sh"
BASE=http://127.0.0.1:5080 USER_NAME=dispatcher1 PASSWORD=${GRIDGOV_DEMO_PASSWORD:-GridGov@2026} CONNECTIONS=50 DURATION=10 OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base) BASE=$2; shift 2 ;;
    --user) USER_NAME=$2; shift 2 ;;
    --password) PASSWORD=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install -y wrk" >&2; exit 1; }
JAR=$(mktemp)
trap 'rm -f "$JAR"' EXIT

# run NAME PATH signed-in|anonymous GOAL: prints a table row; GOAL is "ratio+p95:100", "p95:150" or "-" (a reference).
REFERENCE_RPS=""
run() {
  local name=$1 path=$2 who=$3 goal=$4 cookie="" line
  if [ "$who" = signed-in ]; then sign_in "$JAR"; cookie=$(cookie_header "$JAR"); fi
  line=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s "$ROOT/bench/wrk-report.lua" ${cookie:+-H "Cookie: $cookie"} "$BASE$path" | grep '^RESULT')
  read -r _ requests rps p50 p95 p99 bad timeouts socket <<<"$line"
  [ -z "$REFERENCE_RPS" ] && REFERENCE_RPS=$rps
  local ratio verdict="reference"
  ratio=$(awk -v a="$rps" -v b="$REFERENCE_RPS" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  case "$goal" in
    ratio+p95:*) verdict=$(awk -v a="$rps" -v b="$REFERENCE_RPS" -v p="$p95" -v g="${goal#ratio+p95:}" -v e="$((bad + timeouts + socket))" \
                   'BEGIN { print (a / b >= 0.25 && p <= g && e == 0) ? "met" : "not met" }') ; goal="≥ 25% and p95 ≤ ${goal#ratio+p95:} ms" ;;
    p95:*) verdict=$(awk -v p="$p95" -v g="${goal#p95:}" -v e="$((bad + timeouts + socket))" 'BEGIN { print (p <= g && e == 0) ? "met" : "not met" }') ; goal="p95 ≤ ${goal#p95:} ms" ;;
  esac
  echo "| $name | \`$path\` | $rps | $ratio | $p50 | $p95 | $p99 | $bad / $timeouts / $socket | $goal | $verdict |"
}

sign_in "$JAR"
first_case=$(curl -s -b "$JAR" "$BASE/cases" | grep -o 'href="/cases/[0-9]*"' | head -1 | grep -o '[0-9]*' || true)
{
  echo "# HTTP scenarios, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "\`bench/http.sh --base $BASE --user $USER_NAME --connections $CONNECTIONS --duration $DURATION\` on $(nproc) cores,"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg). Ratio: the scenario's requests per second against the sign-in page's in this run."
  echo "Errors: answers other than 2xx/3xx / timeouts (5 s) / socket errors."
  echo
  echo "| scenario | path | req/s | ratio | p50 ms | p95 ms | p99 ms | errors | goal | |"
  echo "|---|---|---:|---:|---:|---:|---:|---|---|---|"
  run "sign-in page (reference)" /account/login anonymous -
  run "health probe, plain text (reference)" /health anonymous -
  run "home: map and the street's figures" / signed-in "ratio+p95:100"
  run "dashboard, first visit" /dashboard signed-in "ratio+p95:100"
  run "case list, first page" /cases signed-in "ratio+p95:100"
  run "case list, filtered (dispatched, supervised)" "/cases?state=Dispatched&supervised=true" signed-in "ratio+p95:100"
  [ -n "$first_case" ] && run "case detail" "/cases/$first_case" signed-in "ratio+p95:100"
  run "inbox" /inbox signed-in "ratio+p95:100"
  run "resident list" /ledgers/residents signed-in "p95:150"
  run "resident search by name" "/ledgers/residents?q=%E7%8E%8B" signed-in "p95:150"
  run "grid map GeoJSON" /api/grids/directory.geojson signed-in "p95:150"
} | tee ${OUT:+"$OUT"}
