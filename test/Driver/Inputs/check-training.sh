#!/usr/bin/env bash
#===- check-training.sh - The training kernels' objects, run from C -------===#
#
# Usage: check-training.sh TARGET CC RUNNER WORKDIR FORM [DTYPE]
# Emits gelu_backward, bias_gelu, bias_gelu_backward, geglu and swiglu for
# TARGET, the GELU form FORM (none, tanh, sigmoid) and DTYPE (f32, the
# default, or f64) with gelu-opt
# --emit=obj, links them into check_training.c with CC (static) and runs it
# (under RUNNER, e.g. qemu-aarch64; "-" for none).
#
#===------------------------------------------------------------------------===#
set -eu
target=$1 cc=$2 runner=$3 work=$4 form=$5 dtype=${6:-f32}
declare -A reals=([f32]=float [f64]=double)
inputs=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
declare -A forms=([none]=0 [tanh]=1 [sigmoid]=2)
objects=()
for pair in backward:gelu_backward bias:bias_gelu \
            bias_backward:bias_gelu_backward geglu:geglu swiglu:swiglu; do
  name=${pair%%:*} op=${pair#*:}
  approximate=$form
  [[ $op == swiglu ]] && approximate=none
  echo "{\"name\": \"k_$name\", \"op\": \"$op\", \"target\": \"$target\"," \
       "\"approximate\": \"$approximate\", \"dtype\": \"$dtype\"}" \
    > "$work/$name.json"
  gelu-opt --spec "$work/$name.json" --emit=obj -o "$work/$name.o"
  objects+=("$work/$name.o")
done
$cc -static -O1 -DFORM="${forms[$form]}" -DREAL="${reals[$dtype]}" \
  "$inputs/check_training.c" \
  "${objects[@]}" -lm -o "$work/check"
if [[ "$runner" == - ]]; then
  "$work/check"
else
  $runner "$work/check"
fi
