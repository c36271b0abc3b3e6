#!/usr/bin/env bash
#===- check-expansions.sh - Every expansion's object, run and checked -----===#
#
# Usage: check-expansions.sh TARGET CC RUNNER WORKDIR
# For each line of expansion-cases.txt: emits the kernel for TARGET with
# gelu-opt --emit=obj, links it into check_kernel.c with CC (static), runs
# it (under RUNNER, e.g. qemu-aarch64; "-" for none), and prints
# "CASE name: PASSED" or the failures. Exits non-zero if any case failed.
#
#===------------------------------------------------------------------------===#
set -u
target=$1 cc=$2 runner=$3 work=$4
inputs=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
failed=0
while read -r name op approximate expansion degree reference maxabs maxulptail; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  json="{\"name\": \"k_$name\", \"target\": \"$target\", \"op\": \"$op\","
  json+=" \"approximate\": \"$approximate\", \"expansion\": \"$expansion\""
  [[ "$degree" != - ]] && json+=", \"degree\": $degree"
  echo "$json}" > "$work/$name.json"
  if ! gelu-opt --spec "$work/$name.json" --emit=obj -o "$work/$name.o" ||
     ! $cc -static -O1 -DKERNEL="k_$name" -DREFERENCE="$reference" \
         -DMAX_ABS="$maxabs" -DMAX_ULP_TAIL="$maxulptail" "$inputs/check_kernel.c" "$work/$name.o" -lm \
         -o "$work/$name"; then
    echo "CASE $name: FAIL (build)"
    failed=1
    continue
  fi
  if [[ "$runner" == - ]]; then
    output=$("$work/$name" 2>&1)
  else
    output=$($runner "$work/$name" 2>&1)
  fi
  if [[ $? -eq 0 ]]; then
    echo "CASE $name: PASSED ($(grep 'max abs error' <<<"$output"); $(grep 'max ULP error' <<<"$output"))"
  else
    echo "CASE $name: FAIL"
    grep FAIL <<<"$output" | head -5
    failed=1
  fi
done < "$inputs/expansion-cases.txt"
exit $failed
