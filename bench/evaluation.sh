#!/usr/bin/env bash
# The whole street's monthly evaluation computed from the database (issue 12: "well under a second on the demo
# street"), against the database of ./run.sh (or ConnectionStrings__GridGov):
#   bench/evaluation.sh [--months 2026-11,2026-12] [--runs 7]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${ConnectionStrings__GridGov:=Host=127.0.0.1;Port=55433;Username=postgres;Database=gridgov}"
export ConnectionStrings__GridGov
dotnet build "$ROOT/bench/GridGov.Bench" -c Release -v quiet -nologo >/dev/null
cd "$ROOT/src/GridGov.Web"   # the app's settings (appsettings.json) as the app reads them
exec dotnet "$ROOT/bench/GridGov.Bench/bin/Release/net10.0/GridGov.Bench.dll" evaluation "$@"
