#!/usr/bin/env bash
#===- check-sixteen-bit.sh - 16-bit kernels: no undefined symbol, plain cc -===#
#
# Usage: check-sixteen-bit.sh TARGET DTYPE CC RUNNER WORKDIR
# Emits the eight kernels (every op) of DTYPE (bf16, f16) for TARGET with
# gelu-opt --emit=obj, prints any symbol an object leaves undefined
# (llvm-nm -u: there must be none, so the objects link anywhere), links them
# into check_sixteen_bit.c with CC (no sanitizer or compiler runtime) and
# into a shared library (-z defs, -z text: PIC, nothing undefined), and
# runs it under RUNNER ("-": directly; "none": link only, for code this CPU
# cannot run).
#
#===------------------------------------------------------------------------===#
set -eu
target=$1 dtype=$2 cc=$3 runner=$4 work=$5
inputs=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
objects=()
for op in gelu silu relu gelu_backward geglu swiglu bias_gelu \
          bias_gelu_backward; do
  echo "{\"name\": \"k_$op\", \"op\": \"$op\", \"dtype\": \"$dtype\"," \
       "\"target\": \"$target\"}" > "$work/$op.json"
  gelu-opt --spec "$work/$op.json" --emit=obj -o "$work/$op.o"
  llvm-nm -u "$work/$op.o" | sed "s|^|UNDEFINED in $target $dtype $op: |"
  objects+=("$work/$op.o")
done
bf16=0
[[ $dtype == bf16 ]] && bf16=1
$cc -O1 -DBF16=$bf16 "$inputs/check_sixteen_bit.c" "${objects[@]}" -lm \
  -o "$work/check"
# Position-independent, nothing undefined: they also make a shared library.
$cc -shared -Wl,-z,defs -Wl,-z,text "${objects[@]}" -o "$work/libkernels.so"
echo "$target $dtype: linked"
case "$runner" in
none) ;;
-) "$work/check" ;;
*) $runner "$work/check" ;;
esac
