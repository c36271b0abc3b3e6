#!/usr/bin/env bash
#===- scripts/rounding-exceptions.sh - The inputs f64 evaluation misrounds -===#
#
# Runs every correctly_rounded kernel on all 2^32 f32 inputs against MPFR
# (gelu-accuracy --exhaustive, ~15 min a kernel on 2 cores) and merges the
# inputs it misrounds, with their correctly rounded results, into
# lib/Numerics/RoundingExceptions.inc, the table the kernels consult for the
# lanes whose f64 value lies near a rounding boundary. Rebuild and run it
# again: it must then find none (exit 0).
#
# Usage: scripts/rounding-exceptions.sh [BUILD_DIR]
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
inc=$root/lib/Numerics/RoundingExceptions.inc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
found=0
for spec in '"op": "gelu"' '"op": "gelu", "approximate": "tanh"' \
  '"op": "gelu", "approximate": "sigmoid"' '"op": "silu"' \
  '"op": "gelu_backward"'; do
  echo "{$spec, \"expansion\": \"correctly_rounded\"}" > "$work/k.json"
  if ! "$build/bin/gelu-accuracy" --exhaustive \
    --rounding-exceptions="$work/new.inc" "$work/k.json"; then
    found=1
  fi
  cat "$work/new.inc" >> "$work/all.inc"
done
{
  grep -v '^GELU_ROUNDING_EXCEPTION' "$inc"
  { grep '^GELU_ROUNDING_EXCEPTION' "$inc" || true; cat "$work/all.inc"; } | sort -u
} > "$work/merged.inc"
mv "$work/merged.inc" "$inc"
if [[ $found == 1 ]]; then
  echo "rounding-exceptions: new exceptional inputs merged into $inc;" \
    "rebuild and run again to check that none is left"
  exit 1
fi
echo "rounding-exceptions: no input misrounded"
