#!/usr/bin/env bash
# Builds the container image from the Dockerfile and smoke-tests it as an operator would:
# starts it on an empty volume, waits for readiness, signs in as the configured operator,
# checks it runs as non-root, restarts it on the same volume (data and secret kept), and stops
# it with SIGTERM within 10 s. Prints the image size. Exits non-zero on the first failed check.
#
# Docker or Podman: with a Docker engine it uses docker; otherwise podman/buildah (installed with
# apt-get when missing and run as root). Where no container registry is reachable, the Node base
# image is built locally (debootstrap + the official Node binary from the npm registry).
#
#   test/container/build-and-smoke.sh            # build tresen:smoke and test it
#   TAG=tresen:1.0 KEEP=1 test/container/build-and-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

TAG=${TAG:-tresen:smoke}
NODE_VERSION=24.18.1
NODE_IMAGE=${NODE_IMAGE:-}
NAME="tresen-smoke-$$"
VOLUME="tresen-smoke-$$"
WORK=$(mktemp -d)
OPERATOR_EMAIL=ops@smoke.test
OPERATOR_PASSWORD='smoke test passphrase 1'

say() { printf '\n== %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

if docker info >/dev/null 2>&1; then
  ENGINE=docker
else
  ENGINE=podman
  if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null; then
    [ "$(id -u)" = 0 ] || fail "podman and debootstrap are missing; install them (apt-get install podman buildah runc debootstrap)"
    say "installing podman, buildah, runc, debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap uidmap slirp4netns fuse-overlayfs >/dev/null
  fi
  # runc with lowered limits: crun fails on cgroup v1 hosts, runc fails to set the default rlimits here.
  printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n' > "$WORK/containers.conf"
  export CONTAINERS_CONF="$WORK/containers.conf"
fi

cleanup() {
  if [ -z "${KEEP:-}" ]; then
    $ENGINE rm -f "$NAME" >/dev/null 2>&1 || true
    $ENGINE volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The Debian mirror apt uses on this host (deb822 or one-line sources).
mirror() {
  local uri
  uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# A stand-in for node:<version>-slim where no registry serves it: Debian bookworm (minbase) with this
# host's Node, npm and Node's C++ headers (node-gyp builds better-sqlite3 against them: the headers
# of other versions come only from nodejs.org), and the user "node" (uid 1000) the Dockerfile uses.
build_local_node_image() {
  local version image rootfs="$WORK/rootfs" node_bin headers npm_dir
  version=$(node -v | tr -d v)
  image="localhost/node:${version}-bookworm-local"
  if $ENGINE image exists "$image" 2>/dev/null; then NODE_IMAGE=$image; return; fi
  node_bin=$(readlink -f "$(command -v node)")
  headers="$(npm config get nodedir 2>/dev/null || echo /usr)/include/node"
  [ -f "$headers/node_version.h" ] || headers="$(dirname "$(dirname "$node_bin")")/include/node"
  [ -f "$headers/node_version.h" ] || fail "Node's headers for $version were not found (npm config get nodedir)"
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  say "building the Node $version base image locally ($image)"
  debootstrap --variant=minbase --include=ca-certificates,libstdc++6 bookworm "$rootfs" "$(mirror)" >/dev/null
  install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/include" "$rootfs/usr/local/lib/node_modules"
  cp -r "$headers" "$rootfs/usr/local/include/node"
  cp -r "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  echo 'node:x:1000:1000::/home/node:/bin/sh' >> "$rootfs/etc/passwd"
  echo 'node:x:1000:' >> "$rootfs/etc/group"
  mkdir -p "$rootfs/home/node" && chown 1000:1000 "$rootfs/home/node"
  rm -rf "$rootfs/var/cache/apt/archives"/*.deb "$rootfs/var/lib/apt/lists"/*
  # The stand-in trusts what this host trusts (here a TLS-inspecting proxy's CA), so npm ci in the build reaches the registry.
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  tar -C "$rootfs" -c . | $ENGINE import --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' --change 'ENV npm_config_nodedir=/usr/local' \
    --change 'CMD ["node"]' - "$image" >/dev/null
  NODE_IMAGE=$image
}

if [ -z "$NODE_IMAGE" ]; then
  if $ENGINE pull -q "docker.io/library/node:${NODE_VERSION}-slim" >/dev/null 2>&1; then
    NODE_IMAGE="docker.io/library/node:${NODE_VERSION}-slim"
  else
    build_local_node_image
  fi
fi

say "building $TAG from the Dockerfile (base $NODE_IMAGE)"
started=$(date +%s)
$ENGINE build --network host $([ "$ENGINE" = podman ] && echo --format docker) --build-arg "NODE_IMAGE=$NODE_IMAGE" -t "$TAG" . >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; fail "the image did not build"; }
echo "built in $(( $(date +%s) - started )) s"

PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
BASE="http://127.0.0.1:$PORT"

wait_ready() {
  local deadline=$(( $(date +%s) + 90 ))
  until curl -fs -o /dev/null "$BASE/readyz"; do
    [ "$(date +%s)" -lt "$deadline" ] || { $ENGINE logs "$NAME" | tail -30; fail "/readyz did not answer 200 within 90 s"; }
    $ENGINE container inspect -f '{{.State.Running}}' "$NAME" | grep -q true || { $ENGINE logs "$NAME" | tail -30; fail "the container exited"; }
    sleep 0.5
  done
}

sign_in() {
  local status
  status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Origin: $BASE" --data-urlencode "email=$OPERATOR_EMAIL" --data-urlencode "password=$OPERATOR_PASSWORD" "$BASE/login")
  [ "$status" = 303 ] || fail "signing in as the operator answered $status, not 303"
}

say "starting on an empty volume"
$ENGINE volume create "$VOLUME" >/dev/null
$ENGINE run -d --name "$NAME" -p "127.0.0.1:$PORT:3000" -v "$VOLUME:/data" \
  -e TRESEN_ADMIN_EMAIL="$OPERATOR_EMAIL" -e TRESEN_ADMIN_PASSWORD="$OPERATOR_PASSWORD" "$TAG" >/dev/null
started=$(date +%s%N)
wait_ready
echo "ready after $(( ($(date +%s%N) - started) / 1000000 )) ms"
curl -fsS "$BASE/healthz" >/dev/null || fail "/healthz"
sign_in
curl -fsS -o /dev/null "$BASE/t/demo/login" || fail "the demo tenant's sign-in page"
uid=$($ENGINE exec "$NAME" id -u)
[ "$uid" != 0 ] || fail "the server runs as root"
echo "runs as uid $uid; operator signs in; demo tenant answers"
if [ "$ENGINE" = podman ]; then
  $ENGINE healthcheck run "$NAME" 2>/dev/null || fail "the image's HEALTHCHECK (readiness) fails on a ready server"
else
  [ -n "$($ENGINE inspect -f '{{.Config.Healthcheck.Test}}' "$NAME")" ] || fail "the image has no HEALTHCHECK"
fi
echo "the image's health check passes"
secret_before=$($ENGINE exec "$NAME" cat /data/secret)

say "stopping with SIGTERM"
started=$(date +%s%N)
$ENGINE stop -t 10 "$NAME" >/dev/null
stop_ms=$(( ($(date +%s%N) - started) / 1000000 ))
code=$($ENGINE container inspect -f '{{.State.ExitCode}}' "$NAME")
[ "$stop_ms" -lt 10000 ] || fail "stopping took $stop_ms ms (SIGKILL after 10 s?)"
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
echo "stopped in $stop_ms ms, exit code $code"

say "restarting on the same volume"
$ENGINE start "$NAME" >/dev/null
wait_ready
sign_in
[ "$($ENGINE exec "$NAME" cat /data/secret)" = "$secret_before" ] || fail "the secret changed across the restart"
$ENGINE logs "$NAME" 2>&1 | grep -c 'listening on' | grep -qx 2 || fail "expected two starts in the log"
echo "data and secret kept; operator signs in again"
$ENGINE stop -t 10 "$NAME" >/dev/null

size=$($ENGINE image inspect -f '{{.Size}}' "$TAG")
say "image $TAG: $(( size / 1024 / 1024 )) MB; all checks passed"
