#!/usr/bin/env bash
#===- check-bad-caches.sh - Run the hostile tuning-cache battery -----------===#
#
# Usage: check-bad-caches.sh TABLE WORKDIR
# For each line of TABLE (a cache file's content, "\n" for newlines): runs
# a tuned gelu-opt compile with it as the tuning cache, and prints "OK
# <line>" when the compile succeeds, warns "is corrupt", reports "rebuilt"
# and a second compile hits the rewritten cache; otherwise "FAIL <line>".
#
#===------------------------------------------------------------------------===#
set -u
table=$1 work=$2
mkdir -p "$work"
# One candidate (an expansion and its degree) on bf16's 2^16 inputs: a
# tuning and a cache entry at a small part of a whole catalog's cost
# (fifteen of them, one a hostile file, under the sanitizers too).
echo '{"name": "k", "dtype": "bf16", "ranking": "cost_model",
       "expansion": "piecewise", "degree": 2,
       "budget": {"max_abs": 1e-1}}' > "$work/spec.json"
failed=0 line=0
while IFS= read -r entry || [[ -n "$entry" ]]; do
  line=$((line + 1))
  [[ "$entry" == \#* ]] && continue
  printf '%b' "$entry" > "$work/cache.json"
  export GELU_JIT_TUNING_CACHE="$work/cache.json"
  message=$(gelu-opt --spec "$work/spec.json" --report="$work/r.json" \
    -o "$work/out.o" 2>&1)
  status=$?
  if [[ $status -ne 0 ]]; then
    echo "FAIL $line: status $status: $message"; failed=1; continue
  fi
  if [[ "$message" != *"is corrupt"* ]] ||
     ! grep -q '"status": "rebuilt"' "$work/r.json"; then
    echo "FAIL $line: no corruption reported: '$message'"; failed=1; continue
  fi
  gelu-opt --spec "$work/spec.json" --report="$work/r.json" -o "$work/out.o"
  if ! grep -q '"status": "hit"' "$work/r.json"; then
    echo "FAIL $line: the rewritten cache does not hit"; failed=1; continue
  fi
  echo "OK $line"
done < "$table"
exit $failed
