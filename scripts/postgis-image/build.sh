#!/usr/bin/env bash
# Makes the PostGIS image the tests' Testcontainers use (GRIDGOV_POSTGIS_IMAGE, default gridgov/postgis:15-3.3):
# reuses it when present, else pulls the official postgis/postgis:15-3.3 and tags it, else (no registry reachable,
# as on the build machines) builds an equivalent from Debian's packages with debootstrap (about 100 s, once).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
IMAGE=${GRIDGOV_POSTGIS_IMAGE:-gridgov/postgis:15-3.3}
MIRROR=${GRIDGOV_DEBIAN_MIRROR:-http://deb.debian.org/debian}
log() { printf '\033[1;34m[gridgov]\033[0m %s\n' "$*" >&2; }

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi
if timeout 60 docker pull -q postgis/postgis:15-3.3 >/dev/null 2>&1; then
  docker tag postgis/postgis:15-3.3 "$IMAGE"
  log "using the official postgis/postgis:15-3.3 as $IMAGE"
  exit 0
fi
log "building $IMAGE from Debian packages (debootstrap, once)"
ROOTFS=$(mktemp -d /var/tmp/gridgov-postgis-rootfs.XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT
debootstrap --variant=minbase --include=postgresql-15,postgresql-15-postgis-3,locales-all bookworm "$ROOTFS" "$MIRROR" >/dev/null
install -m 0755 "$HERE/entrypoint.sh" "$ROOTFS/usr/local/bin/gridgov-postgres"
# Debian's package starts a cluster of its own; the entry point makes the one the container runs.
rm -rf "$ROOTFS/var/lib/postgresql/15" "$ROOTFS/etc/postgresql/15"
rm -rf "$ROOTFS/var/cache/apt/archives"/*.deb "$ROOTFS/var/lib/apt/lists"/*
tar -C "$ROOTFS" -c . | docker import \
  --change 'ENTRYPOINT ["/usr/local/bin/gridgov-postgres"]' \
  --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'EXPOSE 5432' \
  - "$IMAGE" >/dev/null
log "built $IMAGE"
