#!/usr/bin/env bash
# Runs every test in the solution against real PostgreSQL + PostGIS (each test process starts its
# own throwaway cluster unless GRIDGOV_TEST_CONNECTION is set) and Debian's Chromium.
# Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
source "$ROOT/scripts/lib.sh"

ensure_postgis
ensure_packages chromium fonts-wqy-zenhei   # a Chinese font, so printed bulletins carry real ideographs (and the print test reads them)

# The tests' database: GRIDGOV_TEST_CONNECTION when set; else a PostGIS container per test process (Testcontainers);
# the local-binaries cluster only where no Docker engine can run (and for the outage tests, which stop their own).
if [ -n "${GRIDGOV_TEST_CONNECTION:-}" ]; then
  log "database provider: the server in GRIDGOV_TEST_CONNECTION"
elif [ "${GRIDGOV_TEST_DATABASE:-}" != "local" ] && ensure_docker \
    && { command -v debootstrap >/dev/null 2>&1 || ensure_packages debootstrap; } \
    && as_root env DOCKER_API_VERSION="$DOCKER_API_VERSION" "$ROOT/scripts/postgis-image/build.sh"; then
  export GRIDGOV_TEST_DATABASE=container
  export TESTCONTAINERS_RYUK_DISABLED=true          # its image cannot be pulled; each container is removed by its owner
  export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1     # test traffic stays on loopback
  # Containers of earlier runs whose test process has gone (a crash, a kill).
  for id in $(docker ps -aq --filter label=gridgov.test=true); do
    owner=$(docker inspect -f '{{index .Config.Labels "gridgov.test.owner"}}' "$id")
    if [ "${owner%%:*}" != "$(hostname)" ] || ! kill -0 "${owner##*:}" 2>/dev/null; then docker rm -f "$id" >/dev/null; fi
  done
  log "database provider: Testcontainers (${GRIDGOV_POSTGIS_IMAGE:-gridgov/postgis:15-3.3})"
else
  export GRIDGOV_TEST_DATABASE=local
  log "database provider: a throwaway cluster from the local PostgreSQL binaries (no Docker engine)"
fi

RESULTS="$ROOT/TestResults"
rm -rf "$RESULTS"
log "building"
if ! dotnet build "$ROOT/GridGov.sln" -c Release -v quiet -nologo; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
log "running tests"
# A test that hangs is stopped after 10 minutes of silence and named (the run fails instead of timing out CI).
dotnet test "$ROOT/GridGov.sln" -c Release --no-build --logger "trx" --results-directory "$RESULTS" \
  --blame-hang-timeout 10m --blame-hang-dump-type none "$@"
status=$?

# Sum the outcomes of every test assembly from the TRX files.
python3 - "$RESULTS" "$status" <<'PY'
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
if int(sys.argv[2]) != 0 and failed == 0:
    failed = 1  # a test process that crashed or hung leaves no failed count of its own
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
