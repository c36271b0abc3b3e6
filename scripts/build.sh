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
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" -j "${GELU_JOBS:-2}"
