#!/usr/bin/env bash
# Runs a command from this checkout inside a Debian trixie chroot (glibc 2.41, trixie's Node 20),
# where @btc-vision/uwebsockets.js 20.57 loads. On bookworm only uWS 20.30 loads, so this is how
# a bookworm machine (CI included) tests sluice against the other uWS build its users may run.
# Needs root, debootstrap (installed when missing) and deb.debian.org. The chroot is kept in
# $TRIXIE_ROOT (default /var/tmp/sluice-trixie) and reused; the checkout is bind-mounted at
# /sluice, so build on the host first (node_modules already holds both uWS packages).
#   bash scripts/trixie.sh node scripts/run-tests.js test/conformance
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/trixie.sh <command...>" >&2
  exit 2
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
root="${TRIXIE_ROOT:-/var/tmp/sluice-trixie}"

# what the suites run in the chroot need (CI installs the same on the host)
PKGS=(nodejs slowhttptest)

# A chroot that cannot be prepared (no root, no mount, no mirror) exits 3, told apart from a
# failing command (its own exit status).
fail_setup() {
  echo "trixie.sh: cannot prepare the trixie chroot in $root: $1" >&2
  exit 3
}
[ "$(id -u)" -eq 0 ] || fail_setup "needs root (debootstrap, mount, chroot)"

if [ ! -x "$root/usr/bin/node" ]; then
  if ! command -v debootstrap >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; } ||
      fail_setup "cannot install debootstrap"
  fi
  echo "trixie.sh: building a trixie chroot in $root (a few minutes, once)" >&2
  rm -rf "$root"
  debootstrap --variant=minbase --include="$(IFS=,; echo "${PKGS[*]}")" trixie "$root" \
    http://deb.debian.org/debian >/dev/null || fail_setup "debootstrap failed"
fi

mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" || true; done
}
trap cleanup EXIT
# mount <args...> <target>, once; unmounted again on exit
mount_once() {
  local target="${*: -1}"
  mountpoint -q "$target" && return 0
  mount "$@" || fail_setup "mount $* failed"
  mounted+=("$target")
}
mount_once -t proc proc "$root/proc"
mount_once --rbind /dev "$root/dev"
mkdir -p "$root/sluice"
mount_once --bind "$repo" "$root/sluice"
mkdir -p "$root/tmp" && chmod 1777 "$root/tmp"
# debootstrap writes no /etc/hosts: without it `localhost` does not resolve in the chroot
[ -s "$root/etc/hosts" ] || cp /etc/hosts "$root/etc/hosts"

if ! chroot "$root" dpkg -s "${PKGS[@]}" >/dev/null 2>&1; then
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  { chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PKGS[@]}" >/dev/null; } ||
    fail_setup "cannot install ${PKGS[*]} in it"
fi

chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root CI="${CI:-}" \
  bash -c 'cd /sluice && "$@"' trixie "$@"
