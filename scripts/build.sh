#!/usr/bin/env bash
#===- scripts/build.sh - Install what is missing, configure and build -----===#
#
# Usage: scripts/build.sh [build-dir]   (default: build)
# Uses two jobs: the machines this project targets have 2 cores and 24 GiB.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}

bash "$root/scripts/install-deps.sh"
# Configured every time (a few seconds): what was skipped for a missing
# package (bench/ before `install-deps.sh --bench`, as after the quick
# start) is picked up once the package is there.
# GELU_WERROR=ON (scripts/test.sh sets it): any compiler warning fails;
# unset, the build directory keeps what it was configured with.
options=()
[[ -n "${GELU_WERROR:-}" ]] && options+=(-DGELU_WERROR="$GELU_WERROR")
if [[ -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" "${options[@]}" >/dev/null
else
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "${options[@]}"
fi
cmake --build "$build" -j "${GELU_JOBS:-2}"
