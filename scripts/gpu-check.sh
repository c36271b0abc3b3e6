#!/usr/bin/env bash
#===- scripts/gpu-check.sh - GPU kernels on this machine's NVIDIA GPU -----===#
#
# For a machine with an NVIDIA GPU and its driver (CUDA's toolkit is not
# needed: the PTX is JIT-compiled by the driver). Configures and builds
# what it needs (gelu-gpu-check; installing packages only when cmake or
# LLVM 22 is missing), then runs every op with a GPU kernel in f32, f16 and
# bf16 (and the f32 ones at a max_abs 1e-3 budget) on 2^26 elements: each
# result against the CPU kernel of the same spec, every 16th against the
# long-double reference by region, and the time against a device-to-device
# copy. Prints one table and writes it to docs/generated/gpu-check.md and
# .json (GELU_GPU_CHECK_OUT: another folder). Exits 1 without a GPU (saying
# why), 2 when a device result is more than 0.5 ULP above the CPU kernel's
# error in a region. Extra arguments go to gelu-gpu-check (e.g.
# --elements 1048576, or spec files).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${GELU_BUILD:-$root/build}
if ! command -v cmake >/dev/null || [[ ! -d /usr/lib/llvm-22/lib/cmake/mlir ]]; then
  bash "$root/scripts/install-deps.sh"
fi
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" -j "${GELU_JOBS:-$(nproc)}" --target gelu-gpu-check
out=${GELU_GPU_CHECK_OUT:-$root/docs/generated}
mkdir -p "$out"
"$build/bin/gelu-gpu-check" --json "$out/gpu-check.json" \
  --markdown "$out/gpu-check.md" "$@"
