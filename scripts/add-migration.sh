#!/usr/bin/env bash
# Scaffold an EF Core migration for GridGovDbContext without restoring Microsoft.EntityFrameworkCore.Design
# through NuGet (see docs/decisions/0002-migrations-without-design-package.md).
#
#   scripts/add-migration.sh <Name> [--verbose]      add migration <Name>
#   scripts/add-migration.sh --remove [--force]      remove the last migration (--force: don't ask the database)
#   scripts/add-migration.sh --list                  list the migrations compiled into Infrastructure
#
# The first run downloads the Design package (same version as Microsoft.EntityFrameworkCore in
# Directory.Packages.props) from the configured NuGet feed, checks its signature and unpacks the
# assembly into .tools/ef-design/<version>/ (gitignored). Later runs reuse it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL_DIR="$ROOT/tools/GridGov.MigrationTool"
PROJECT_DIR="$ROOT/src/GridGov.Infrastructure"
OUTPUT_DIR="Persistence/Migrations"

TMP_DIR=""
trap '[[ -z "$TMP_DIR" ]] || rm -rf "$TMP_DIR"' EXIT
die() { echo "add-migration: error: $*" >&2; exit 1; }
usage() { sed -n '5,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

case "${1:-}" in
  "" | -h | --help) usage ;;
  --remove) shift; ARGS=(remove "$@") ;;
  --list) shift; ARGS=(list "$@") ;;
  -*) echo "add-migration: error: unknown option '$1'" >&2; usage ;;
  *)
    [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] \
      || die "'$1' is not a valid migration name: use letters, digits and '_' (e.g. AddMeterReadings)"
    NAME="$1"; shift; ARGS=(add "$NAME" "$@") ;;
esac

command -v dotnet >/dev/null || die "dotnet SDK not found on PATH"
command -v python3 >/dev/null || die "python3 not found on PATH (used to download and unzip the Design package)"
[[ -d "$PROJECT_DIR" ]] || die "$PROJECT_DIR not found"

EF_VERSION="$(sed -n 's/.*<PackageVersion Include="Microsoft\.EntityFrameworkCore" Version="\([^"]*\)".*/\1/p' "$ROOT/Directory.Packages.props")"
[[ -n "$EF_VERSION" ]] || die "no Microsoft.EntityFrameworkCore version in Directory.Packages.props"

DESIGN_DIR="$ROOT/.tools/ef-design/$EF_VERSION"
DESIGN_DLL="$DESIGN_DIR/lib/net10.0/Microsoft.EntityFrameworkCore.Design.dll"

fetch_design_package() {
  local id=microsoft.entityframeworkcore.design
  local nupkg_name="$id.$EF_VERSION.nupkg"
  TMP_DIR="$(mktemp -d "$ROOT/.tools/.ef-design.XXXXXX")"
  local tmp="$TMP_DIR"

  # Reuse NuGet's own cache when an earlier restore attempt already put the package there.
  local global_packages cached
  global_packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')"
  cached="${global_packages%/}/$id/$EF_VERSION/$nupkg_name"
  if [[ -f "$cached" ]]; then
    echo "Using $cached"
    cp "$cached" "$tmp/$nupkg_name"
  else
    # First enabled v3 feed from the NuGet configuration (override with EF_DESIGN_NUGET_SOURCE).
    local source="${EF_DESIGN_NUGET_SOURCE:-$(cd "$ROOT" && dotnet nuget list source --format short | awk '$1 ~ /^E/ && $2 ~ /index\.json$/ { print $2; exit }')}"
    [[ -n "$source" ]] || die "no enabled NuGet v3 feed configured (set EF_DESIGN_NUGET_SOURCE to a .../v3/index.json URL)"
    echo "Downloading Microsoft.EntityFrameworkCore.Design $EF_VERSION from $source"
    python3 - "$source" "$id" "$EF_VERSION" "$tmp/$nupkg_name" <<'PY' || die "download failed (see above)"
import json, sys, urllib.request
source, pkg, version, dest = sys.argv[1:]
with urllib.request.urlopen(source, timeout=60) as r:
    resources = json.load(r)["resources"]
base = next((r["@id"] for r in resources if r["@type"].startswith("PackageBaseAddress/3.0.0")), None)
if base is None:
    sys.exit(f"feed {source} has no PackageBaseAddress resource")
url = f"{base.rstrip('/')}/{pkg}/{version}/{pkg}.{version}.nupkg"
try:
    with urllib.request.urlopen(url, timeout=300) as r, open(dest, "wb") as f:
        f.write(r.read())
except Exception as e:
    sys.exit(f"GET {url}: {e}")
PY
  fi

  local verify_log="$tmp/verify.log"
  if ! dotnet nuget verify --all -v n "$tmp/$nupkg_name" >"$verify_log" 2>&1 \
     || ! grep -q "Successfully verified package" "$verify_log" \
     || ! grep -q "Subject Name: CN=Microsoft Corporation," "$verify_log"; then
    cat "$verify_log" >&2
    die "signature check of $nupkg_name failed; nothing was installed"
  fi

  python3 - "$tmp/$nupkg_name" "$tmp/pkg" <<'PY' || die "could not unpack the Design package"
import sys, zipfile
src, dest = sys.argv[1:]
with zipfile.ZipFile(src) as z:
    z.extractall(dest, [n for n in z.namelist() if n.startswith("lib/net10.0/") or n.endswith(".nuspec")])
PY
  [[ -f "$tmp/pkg/lib/net10.0/Microsoft.EntityFrameworkCore.Design.dll" ]] \
    || die "the package has no lib/net10.0/Microsoft.EntityFrameworkCore.Design.dll"
  rm -rf "$DESIGN_DIR"
  mv "$tmp/pkg" "$DESIGN_DIR"
}

if [[ ! -f "$DESIGN_DLL" ]]; then
  mkdir -p "$ROOT/.tools/ef-design"
  fetch_design_package
fi

echo "Building the migration tool..."
build_log="$(dotnet build "$TOOL_DIR" -nologo -v q -clp:NoSummary "-p:EfDesignVersion=$EF_VERSION" 2>&1)" \
  || { echo "$build_log" >&2; die "building tools/GridGov.MigrationTool failed (errors above)"; }

cd "$ROOT"
dotnet "$TOOL_DIR/bin/Debug/net10.0/GridGov.MigrationTool.dll" "${ARGS[@]}" \
  --project-dir "$PROJECT_DIR" --output-dir "$OUTPUT_DIR" --root-namespace GridGov.Infrastructure

if [[ "${ARGS[0]}" == add ]]; then
  echo "Checking that GridGov.Infrastructure still compiles with the new migration..."
  build_log="$(dotnet build "$PROJECT_DIR" -nologo -v q -clp:NoSummary 2>&1)" \
    || { echo "$build_log" >&2; die "the new migration does not compile (errors above); undo it with: scripts/add-migration.sh --remove --force"; }
  echo "Done. Review and commit the files under src/GridGov.Infrastructure/$OUTPUT_DIR."
fi
