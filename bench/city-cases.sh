#!/usr/bin/env bash
# Years of cases for a seeded street (issue 15: "≥ 2,000,000 cases spread over three years with their full history"),
# copied in the database from the month of cases the seed drove through the workflow (CityCasesLoader.cs), against
# ConnectionStrings__GridGov (required). For the city set, seed first:
#   createdb gridgov_city && (cd src/GridGov.Web && ConnectionStrings__GridGov=... dotnet run -c Release -- seed --scale 80)
#   ConnectionStrings__GridGov=... bench/city-cases.sh [--count 2000000] [--weeks 156] [--current-copies 16]
# One transaction; refuses a database it has already loaded.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${ConnectionStrings__GridGov:-}" ]; then
  echo "Set ConnectionStrings__GridGov to the seeded database to load (never the demo street of ./run.sh by default)." >&2
  exit 2
fi
dotnet build "$ROOT/bench/GridGov.Bench" -c Release -v quiet -nologo >/dev/null
exec dotnet "$ROOT/bench/GridGov.Bench/bin/Release/net10.0/GridGov.Bench.dll" city-cases "$@"
