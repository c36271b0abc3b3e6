#!/usr/bin/env bash
#===- scripts/fresh-machine-check.sh - Both README commands, from nothing -===#
#
# Builds a minimal Debian 12 root with mmdebstrap (variant minbase: no
# compiler, no CMake, no Python), copies a clean clone of this repository's
# HEAD into it, and runs the README's two commands inside it (chroot, as
# root), in order:
#   bash scripts/quickstart.sh
#   bash scripts/test.sh
# It reports each command's exit status and time, and keeps each command's
# log. This is what CI cannot prove: CI machines may already hold packages
# that a new machine lacks.
#
# Not part of CI: it downloads a few hundred MB and builds for a long time
# (~1 h on two cores). Needs root, mmdebstrap (installed if missing) and
# access to the Debian mirror.
#
# Usage: scripts/fresh-machine-check.sh [--keep] [--only quickstart|test]
#   --keep        leave the root in place (its path is printed)
#   --only NAME   run only one of the two commands
# Environment: GELU_DEBIAN_MIRROR (default http://deb.debian.org),
#   GELU_FRESH_DIR (where the root is made; default a new folder in
#   /var/tmp), GELU_SANITIZE is passed through to test.sh.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
keep=0
only=""
while (($#)); do
  case "$1" in
  --keep) keep=1 ;;
  --only)
    only=${2:-}
    [[ "$only" == quickstart || "$only" == test ]] || {
      echo "fresh-machine-check: --only takes 'quickstart' or 'test'" >&2
      exit 2
    }
    shift ;;
  *)
    echo "fresh-machine-check: unknown option '$1' (--keep, --only NAME)" >&2
    exit 2 ;;
  esac
  shift
done

if [[ $(id -u) -ne 0 ]]; then
  echo "fresh-machine-check: needs root (mmdebstrap, chroot, mounts)" >&2
  exit 1
fi
if ! command -v mmdebstrap >/dev/null; then
  echo "fresh-machine-check: installing mmdebstrap" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    mmdebstrap >&2
fi

mirror=${GELU_DEBIAN_MIRROR:-http://deb.debian.org}
fresh=${GELU_FRESH_DIR:-$(mktemp -d /var/tmp/gelu-fresh.XXXXXX)}
logs=$fresh.logs
mkdir -p "$logs"
mounted=()
cleanup() {
  local m
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    m=${mounted[i]}
    umount -l "$m" 2>/dev/null || true
  done
  if grep -q " $fresh/" /proc/mounts; then
    echo "fresh-machine-check: something is still mounted under $fresh; not removing it" >&2
  elif ((keep == 0)); then
    rm -rf --one-file-system "$fresh"
  else
    echo "fresh-machine-check: the root is kept at $fresh" >&2
  fi
}
trap cleanup EXIT

echo "fresh-machine-check: making a minimal Debian 12 root in $fresh" >&2
start=$(date +%s)
mmdebstrap --variant=minbase --mode=root bookworm "$fresh" \
  "deb $mirror/debian bookworm main" \
  "deb $mirror/debian bookworm-updates main" \
  "deb $mirror/debian-security bookworm-security main" \
  >"$logs/mmdebstrap.log" 2>&1 || {
  echo "fresh-machine-check: mmdebstrap failed; see $logs/mmdebstrap.log" >&2
  tail -20 "$logs/mmdebstrap.log" >&2
  exit 1
}
echo "fresh-machine-check: root made in $(($(date +%s) - start)) s" >&2

# A clean clone of HEAD, as a user would have it (no build folder, nothing
# ignored or uncommitted).
commit=$(git -C "$root" rev-parse HEAD)
git clone -q --no-local "$root" "$fresh/root/gelu-jit"
git -C "$fresh/root/gelu-jit" checkout -q "$commit"

cp /etc/resolv.conf "$fresh/etc/resolv.conf"
for m in proc sys dev dev/pts; do
  mkdir -p "$fresh/$m"
  case "$m" in
  proc) mount -t proc proc "$fresh/proc" ;;
  *) mount --rbind "/$m" "$fresh/$m" && mount --make-rslave "$fresh/$m" ;;
  esac
  mounted+=("$fresh/$m")
done
mkdir -p "$fresh/dev/shm"

commands=()
[[ -z "$only" || "$only" == quickstart ]] && commands+=(quickstart)
[[ -z "$only" || "$only" == test ]] && commands+=(test)
status=0
summary=()
for name in "${commands[@]}"; do
  echo "fresh-machine-check: bash scripts/$name.sh (log: $logs/$name.log)" >&2
  start=$(date +%s)
  rc=0
  chroot "$fresh" /usr/bin/env -i HOME=/root TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    ${GELU_SANITIZE:+GELU_SANITIZE=$GELU_SANITIZE} \
    /bin/bash -c "cd /root/gelu-jit && bash scripts/$name.sh" \
    >"$logs/$name.log" 2>&1 || rc=$?
  seconds=$(($(date +%s) - start))
  summary+=("bash scripts/$name.sh: exit $rc in $((seconds / 60)) min $((seconds % 60)) s")
  ((rc == 0)) || status=1
  # The lines a reader wants: ctest's summary, a failure, the quick start's
  # error table.
  grep -E "tests passed|tests failed|The following tests FAILED|^\s+[0-9]+ - |overall|Testing Time|Failed Tests|error:" \
    "$logs/$name.log" | tail -15 >&2 || true
done

echo >&2
echo "fresh-machine-check: Debian $(cat "$fresh/etc/debian_version") minbase root, commit ${commit:0:7}" >&2
for line in "${summary[@]}"; do
  echo "fresh-machine-check: $line" >&2
done
echo "fresh-machine-check: logs in $logs" >&2
exit $status
