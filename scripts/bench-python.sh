#!/usr/bin/env bash
#===- scripts/bench-python.sh - gelu_jit.torch beside PyTorch ------------===#
#
# Installs PyTorch, builds, and times the gelu_jit.torch modules against
# torch.nn.GELU / SiLU (bench/python-modules.py: forward and forward +
# backward, 4K / 256K / 16M elements, f32 and bf16, one thread, the
# Python call included), writing docs/bench/python.{json,md}. Extra
# arguments go to the benchmark (--quick: the two small sizes).
#
# glibc keeps freed memory in the process (MALLOC_MMAP_THRESHOLD_,
# MALLOC_TRIM_THRESHOLD_): by default it hands large blocks back to the
# system and maps them anew, and on a VM whose freed pages go back to the
# host (free page reporting, as on the machine docs/bench.md was measured
# on) touching a fresh page then costs ~16 us: 264 ms for a 64 MiB tensor,
# 30x the GELU that fills it, for PyTorch's kernels and ours alike. A
# training process that reuses its tensors does not pay that per call; this
# benchmark measures the kernels and the calls, not the VM's page faults.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --python
bash "$root/scripts/build.sh"
mkdir -p "$root/docs/bench"
MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 \
PYTHONPATH="$root/build/python" GELU_JIT_TUNING_CACHE=off \
  taskset -c 0 /usr/bin/python3 "$root/bench/python-modules.py" \
  "$root/docs/bench/python.json" "$root/docs/bench/python.md" "$@"
