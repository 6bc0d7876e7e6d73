#!/usr/bin/env bash
# The ledger import at scale (issue 14: "100,000 rows in under a minute"): generated XLSX files of households and then
# N residents, N units and N components (default 100,000 each) imported by admin1 through LedgerImportService (upload,
# dry run, import, and the residents' and components' files once more), against the database of ./run.sh (or
# ConnectionStrings__GridGov) with the demo street:
#   bench/ledger-import.sh [--rows 100000]
# Each run adds its rows to that database.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${ConnectionStrings__GridGov:=Host=127.0.0.1;Port=55433;Username=postgres;Database=gridgov}"
export ConnectionStrings__GridGov
dotnet build "$ROOT/bench/GridGov.Bench" -c Release -v quiet -nologo >/dev/null
cd "$ROOT/src/GridGov.Web"   # the app's settings (appsettings.json) as the app reads them
exec dotnet "$ROOT/bench/GridGov.Bench/bin/Release/net10.0/GridGov.Bench.dll" ledger-import "$@"
