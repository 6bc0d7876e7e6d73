#!/usr/bin/env bash
# The dashboard's first-visit and live-update times (issue 10), against a running GridGov with the demo street:
#   ./run.sh            (in one terminal, from the repository root)
#   bench/dashboard-live/run.sh [baseUrl] [runs]
# Needs Node.js with npm and Debian's Chromium (./test.sh installs it). Each run adds reports to the demo street.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/playwright-core ] || npm install --no-audit --no-fund --silent
exec node measure.mjs "${1:-http://127.0.0.1:5080}" "${2:-5}"
