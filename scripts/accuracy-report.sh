#!/usr/bin/env bash
#===- scripts/accuracy-report.sh - Regenerate the accuracy table ----------===#
#
# Builds, then measures every default kernel with gelu-accuracy (every 256th
# f32 bit pattern, all 2^16 inputs of 16-bit kernels, worst cases confirmed
# with MPFR) and writes docs/generated/accuracy-table.md; then the GPU's
# hardware forms' bounds (every 64th f32 input: no kernel runs, their bits
# are a GPU's) into docs/generated/hardware-bounds.md.
# Pass --exhaustive to sweep all 2^32 f32 inputs (several minutes a kernel).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"
"$root/build/bin/gelu-accuracy" --all "$@" \
  --markdown "$root/docs/generated/accuracy-table.md"
echo "wrote docs/generated/accuracy-table.md"
"$root/build/bin/gelu-accuracy" --hardware-bounds --stride 64 \
  --markdown "$root/docs/generated/hardware-bounds.md"
echo "wrote docs/generated/hardware-bounds.md"
