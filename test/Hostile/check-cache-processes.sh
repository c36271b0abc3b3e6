#!/usr/bin/env bash
#===- check-cache-processes.sh - Processes tuning into one cache ----------===#
#
# Usage: check-cache-processes.sh WORKDIR ROUNDS
# Each round starts four gelu-opt processes at once, each tuning its own
# spec into one new tuning cache, and prints "FAIL" unless the cache then
# holds all four entries and no temporary file; "OK" at the end.
#
#===------------------------------------------------------------------------===#
set -u
work=$1 rounds=$2
mkdir -p "$work"
for i in 1 2 3 4; do
  # One expansion's degrees: a tuning at a seventh of the catalog's cost.
  echo "{\"name\": \"k$i\", \"ranking\": \"cost_model\",
         \"expansion\": \"piecewise\",
         \"budget\": {\"max_abs\": 1e-$((i + 1))}}" > "$work/spec$i.json"
done
export GELU_JIT_TUNING_CACHE="$work/cache/tuning.json"
failed=0
for ((round = 1; round <= rounds; round++)); do
  rm -rf "$work/cache"
  for i in 1 2 3 4; do
    gelu-opt --spec "$work/spec$i.json" -o "$work/k$i.o" 2>"$work/err$i" &
  done
  wait
  entries=$(grep -c '"compiler"' "$GELU_JIT_TUNING_CACHE")
  leftovers=$(find "$work/cache" -name 'tuning.json.tmp-*' | wc -l)
  if [[ $entries -ne 4 || $leftovers -ne 0 ]] || [[ -s "$work/err1" ]]; then
    echo "FAIL round $round: $entries entries, $leftovers temporary files"
    cat "$work"/err*
    failed=1
  fi
done
[[ $failed -eq 0 ]] && echo OK
