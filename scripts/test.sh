#!/usr/bin/env bash
#===- scripts/test.sh - Every test, from nothing --------------------------===#
#
# Installs what is missing (the bench anchors too, so that bench/ is built
# and its smoke run is among the tests), builds, and runs the tests through
# ctest (lit, GoogleTest, the bench smoke run, the Python and install
# tests; of lit's and GoogleTest's, those the sanitized build skips); then
# the sanitizer builds, which run the other lit and unit tests, and the
# bounded fuzzing (scripts/sanitize.sh; GELU_SANITIZE=0 skips them for a
# quick local run, and ctest then runs every test).
# Exits non-zero when any test fails or any sanitizer or fuzzer reports.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --bench --python
# Warnings are errors here (and in the sanitizer builds): CI fails on one.
export GELU_WERROR=ON
bash "$root/scripts/build.sh"
jobs=${GELU_JOBS:-2}
if [[ "${GELU_SANITIZE:-1}" != 0 ]]; then
  # Each lit and unit test runs once: under the sanitizers
  # (scripts/sanitize.sh), and here, in the release build, only the lit
  # tests that say `UNSUPPORTED: sanitizers` and the unit tests that call
  # GELU_SKIP_UNDER_SANITIZERS (matrices over one code path, or too slow
  # there). lit reads LIT_FILTER, a regular expression on the tests' names.
  filter=$(cd "$root/test" && grep -rlE '^(#|//) UNSUPPORTED: .*sanitizers' \
    --include='*.test' --include='*.mlir' . | sed 's|^\./||' | sort |
    paste -sd'|')
  export LIT_FILTER="^GELU :: (${filter:-none})$"
  # Suite.Name of each TEST whose body calls the macro (the last TEST line
  # above the call), as ctest names them (with a parameterised test's
  # prefix and suffix).
  units=$(cd "$root/unittests" &&
    awk '/^TEST(_F|_P)?\(/ { split($0, t, /[(, )]+/); test = t[2] "\\." t[3] }
         /GELU_SKIP_UNDER_SANITIZERS\(\);/ { print test }' ./*.cpp |
    sort -u | paste -sd'|')
  (cd "$root/build" && ctest --output-on-failure -j "$jobs" -LE unit)
  unset LIT_FILTER
  if [[ -n "$units" ]]; then
    (cd "$root/build" && ctest --output-on-failure --no-tests=error \
      -j "$jobs" -L unit -R "^([^/]*/)?(${units})(/.*)?$")
  fi
else
  (cd "$root/build" && ctest --output-on-failure -j "$jobs")
fi
if [[ "${GELU_SANITIZE:-1}" != 0 ]]; then
  bash "$root/scripts/sanitize.sh"
fi
