#!/usr/bin/env bash
# Shared helpers for run.sh and test.sh: system packages and a private PostgreSQL cluster.

PG_BIN=/usr/lib/postgresql/15/bin

log() { printf '\033[1;34m[gridgov]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs Debian packages that are missing (apt-get update runs once, only when something is missing).
ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (apt)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_postgis() {
  ensure_packages postgresql-15 postgresql-15-postgis-3
}

# Runs a command as the cluster's owner: initdb refuses root, so root uses the postgres account.
as_pg_owner() {
  # From /, which postgres can enter (the caller's folder may be root's home).
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# private_cluster_dir ROOT: where run.sh keeps its cluster for the checkout at ROOT: ROOT/.data/postgres, unless the
# cluster's owner cannot reach it (root's home folder is mode 700 on Debian, and root runs the cluster as postgres);
# then under /var/lib/gridgov, one folder per checkout. Needs the postgres account (ensure_postgis) when run as root.
private_cluster_dir() {
  local root=$1
  if [ "$(id -u)" -eq 0 ] && ! (cd / && runuser -u postgres -- test -x "$root"); then
    echo "/var/lib/gridgov/$(printf '%s' "$root" | sha256sum | cut -c1-12)/postgres"
  else
    echo "$root/.data/postgres"
  fi
}

# start_cluster DATA_DIR PORT: initialises the cluster on first use, then starts it on 127.0.0.1:PORT.
start_cluster() {
  local data_dir=$1 port=$2
  mkdir -p "$data_dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$data_dir"; fi
  chmod 700 "$data_dir"
  if [ ! -f "$data_dir/PG_VERSION" ]; then
    log "creating a private PostgreSQL cluster in $data_dir"
    as_pg_owner "$PG_BIN/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg_owner "$PG_BIN/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
    as_pg_owner "$PG_BIN/pg_ctl" -D "$data_dir" -w -l "$data_dir/server.log" \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $data_dir" start >/dev/null
  fi
}

stop_cluster() {
  local data_dir=$1
  as_pg_owner "$PG_BIN/pg_ctl" -D "$data_dir" -m fast stop >/dev/null 2>&1 || true
}

# ensure_docker: installs Debian's Docker engine when missing and starts it when it is not running; returns non-zero
# (and says why) where no engine can run, so the caller falls back to the local-binaries cluster.
ensure_docker() {
  if ! command -v dockerd >/dev/null 2>&1; then
    ensure_packages docker.io || return 1
  fi
  # Debian's engine (20.10) speaks API 1.41 at most; a newer client must be told.
  export DOCKER_API_VERSION=${DOCKER_API_VERSION:-1.41}
  if ! docker info >/dev/null 2>&1; then
    log "starting the Docker engine"
    as_root sh -c 'nohup dockerd >/var/log/gridgov-dockerd.log 2>&1 &'
    for _ in $(seq 1 30); do
      docker info >/dev/null 2>&1 && break
      sleep 1
    done
  fi
  if ! docker info >/dev/null 2>&1; then
    log "the Docker engine does not run here (see /var/log/gridgov-dockerd.log)"
    return 1
  fi
}
