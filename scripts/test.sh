#!/usr/bin/env bash
#===- scripts/test.sh - Every test, from nothing --------------------------===#
#
# Installs what is missing (the bench anchors too, so that bench/ is built
# and its smoke run is among the tests), builds, and runs every test (lit,
# GoogleTest and the bench smoke run) through ctest. Exits non-zero when
# any test fails.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --bench
bash "$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j "${GELU_JOBS:-2}"
