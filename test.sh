#!/usr/bin/env bash
# Runs every test in the solution against real PostgreSQL + PostGIS (each test process starts its
# own throwaway cluster unless GRIDGOV_TEST_CONNECTION is set) and Debian's Chromium.
# Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
source "$ROOT/scripts/lib.sh"

ensure_postgis
ensure_packages chromium

RESULTS="$ROOT/TestResults"
rm -rf "$RESULTS"
log "building"
if ! dotnet build "$ROOT/GridGov.sln" -c Release -v quiet -nologo; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
log "running tests"
dotnet test "$ROOT/GridGov.sln" -c Release --no-build --logger "trx" --results-directory "$RESULTS" "$@"
status=$?

# Sum the outcomes of every test assembly from the TRX files.
python3 - "$RESULTS" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
