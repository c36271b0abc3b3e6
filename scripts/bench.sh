#!/usr/bin/env bash
#===- scripts/bench.sh - gelu-jit beside the anchors ----------------------===#
#
# Installs the anchors (Eigen, Sleef, oneDNN, Google Benchmark, matplotlib),
# builds bench/, runs it (one pinned thread, 4K / 256K / 64M floats; a few
# minutes), and writes docs/bench/results.{json,txt,md} and pareto.png.
# Extra arguments go to gelu-bench (e.g. --quick, --benchmark_filter=...).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --bench
bash "$root/scripts/build.sh"
# Configure again so that CMake finds the packages just installed.
cmake -S "$root" -B "$root/build" >/dev/null
cmake --build "$root/build" -j "${GELU_JOBS:-2}" --target gelu-bench
mkdir -p "$root/docs/bench"
"$root/build/bin/gelu-bench" --json="$root/docs/bench/results.json" "$@" |
  tee "$root/docs/bench/results.txt"
/usr/bin/python3 "$root/scripts/plot-bench.py" "$root/docs/bench/results.json" \
  "$root/docs/bench/pareto.png" "$root/docs/bench/results.md"
