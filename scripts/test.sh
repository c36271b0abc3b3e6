#!/usr/bin/env bash
#===- scripts/test.sh - Every test, from nothing --------------------------===#
#
# Installs what is missing (the bench anchors too, so that bench/ is built
# and its smoke run is among the tests), builds, and runs every test (lit,
# GoogleTest and the bench smoke run) through ctest; then the sanitizer
# builds and the bounded fuzzing (scripts/sanitize.sh; GELU_SANITIZE=0
# skips them for a quick local run, and ctest then runs every lit test).
# Exits non-zero when any test fails or any sanitizer or fuzzer reports.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --bench --python
# Warnings are errors here (and in the sanitizer builds): CI fails on one.
export GELU_WERROR=ON
bash "$root/scripts/build.sh"
if [[ "${GELU_SANITIZE:-1}" != 0 ]]; then
  # Each lit test runs once: under the sanitizers (scripts/sanitize.sh),
  # and here, in the release build, only those that say `UNSUPPORTED:
  # sanitizers` (matrices over one code path, or too slow there). lit
  # reads LIT_FILTER, a regular expression on the tests' names.
  filter=$(cd "$root/test" && grep -rlE '^(#|//) UNSUPPORTED: .*sanitizers' \
    --include='*.test' --include='*.mlir' . | sed 's|^\./||' | sort |
    paste -sd'|')
  export LIT_FILTER="^GELU :: (${filter:-none})$"
fi
(cd "$root/build" && ctest --output-on-failure -j "${GELU_JOBS:-2}")
unset LIT_FILTER
if [[ "${GELU_SANITIZE:-1}" != 0 ]]; then
  bash "$root/scripts/sanitize.sh"
fi
