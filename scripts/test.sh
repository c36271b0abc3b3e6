#!/usr/bin/env bash
#===- scripts/test.sh - Every test, from nothing --------------------------===#
#
# Installs what is missing, builds, and runs every test (lit and GoogleTest)
# through ctest. Exits non-zero when any test fails.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j "${GELU_JOBS:-2}"
