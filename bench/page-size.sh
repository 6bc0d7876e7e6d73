#!/usr/bin/env bash
# A page as a browser's first request gets it (issue 15): signs in through the sign-in form, then GETs each path three
# times and prints its status, bytes, time, and how many of its characters are the Blazor state carried from the
# prerender into the circuit (<!--Blazor-Server-Component-State:...-->). Against a running app:
#   bench/page-size.sh [--base http://127.0.0.1:5080] [--user dispatcher1] [--password GridGov@2026] /cases /ledgers/residents
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/sign-in.sh"
BASE=http://127.0.0.1:5080 USER_NAME=dispatcher1 PASSWORD=${GRIDGOV_DEMO_PASSWORD:-GridGov@2026} PATHS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --base) BASE=$2; shift 2 ;;
    --user) USER_NAME=$2; shift 2 ;;
    --password) PASSWORD=$2; shift 2 ;;
    *) PATHS+=("$1"); shift ;;
  esac
done
[ ${#PATHS[@]} -gt 0 ] || PATHS=(/cases)
JAR=$(mktemp) PAGE=$(mktemp)
trap 'rm -f "$JAR" "$PAGE"' EXIT
sign_in "$JAR"
echo "| path | status | bytes | persisted state chars | seconds (3 requests) |"
echo "|---|---:|---:|---:|---|"
for path in "${PATHS[@]}"; do
  times=()
  for _ in 1 2 3; do
    line=$(curl -s -b "$JAR" -o "$PAGE" -w '%{http_code} %{size_download} %{time_total}' "$BASE$path")
    times+=("${line##* }")
  done
  read -r code bytes _ <<<"$line"
  state=$(grep -o 'Blazor-Server-Component-State:[A-Za-z0-9+/=]*' "$PAGE" | awk '{ n += length($0) - length("Blazor-Server-Component-State:") } END { print n + 0 }')
  echo "| $path | $code | $bytes | $state | ${times[*]} |"
done
