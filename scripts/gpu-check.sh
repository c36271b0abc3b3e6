#!/usr/bin/env bash
#===- scripts/gpu-check.sh - GPU kernels on this machine's NVIDIA GPU -----===#
#
# For a machine with an NVIDIA GPU and its driver (CUDA's toolkit is not
# needed: the PTX is JIT-compiled by the driver). Configures and builds
# what it needs (gelu-gpu-check; installing packages only when cmake or
# LLVM 22 is missing), then for exact GELU f32, its rational form, exact
# GELU bf16 and the tanh GELU: runs each kernel on 2^28 elements, checks
# every 16th result against the long-double reference by region, and
# times it against a device-to-device copy of the same bytes. Prints one
# table (a few minutes, most of it the build). Extra arguments go to
# gelu-gpu-check (e.g. --elements 1048576, or spec files).
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
"$build/bin/gelu-gpu-check" "$@"
