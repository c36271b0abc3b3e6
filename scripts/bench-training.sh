#!/usr/bin/env bash
#===- scripts/bench-training.sh - Training kernels beside their anchors ---===#
#
# Installs the anchors (oneDNN, PyTorch), builds bench/, times PyTorch's CPU
# kernels (bench/torch-training.py, one thread) and then gelu-train-bench
# (gelu-jit's backward, bias+GELU and gated kernels beside their unfused
# parts and oneDNN; one pinned thread; 4K / 256K / 64M elements), and
# writes docs/bench/training.{json,txt,md} and the derivatives' speed
# against accuracy, docs/bench/training-pareto.png. Extra arguments go to both
# (--quick: the two small sizes).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --bench --torch
bash "$root/scripts/build.sh"
cmake -S "$root" -B "$root/build" >/dev/null
cmake --build "$root/build" -j "${GELU_JOBS:-2}" --target gelu-train-bench
mkdir -p "$root/docs/bench"
torch_json=$(mktemp)
/usr/bin/python3 "$root/bench/torch-training.py" "$torch_json" "$@"
"$root/build/bin/gelu-train-bench" --torch="$torch_json" \
  --json="$root/docs/bench/training.json" "$@" |
  tee "$root/docs/bench/training.txt"
rm -f "$torch_json"
/usr/bin/python3 "$root/scripts/training-table.py" \
  "$root/docs/bench/training.json" "$root/docs/bench/training.md"
/usr/bin/python3 "$root/scripts/plot-training.py" \
  "$root/docs/bench/training.json" "$root/docs/bench/training-pareto.png"
