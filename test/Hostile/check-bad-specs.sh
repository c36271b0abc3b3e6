#!/usr/bin/env bash
#===- check-bad-specs.sh - Run the hostile spec battery --------------------===#
#
# Usage: check-bad-specs.sh TABLE WORKDIR
# For each "FRAGMENT ||| SPEC" line of TABLE: writes SPEC to a file, runs
# gelu-opt --spec on it, and prints "OK <line>" when it exits non-zero,
# its message contains FRAGMENT and no output file was left; otherwise
# "FAIL <line>: why". Exits non-zero if any line failed.
#
#===------------------------------------------------------------------------===#
set -u
table=$1 work=$2
mkdir -p "$work"
failed=0 line=0
while IFS= read -r entry; do
  line=$((line + 1))
  [[ -z "$entry" || "$entry" == \#* ]] && continue
  fragment=${entry%% ||| *}
  spec=${entry#* ||| }
  [[ "$entry" == *" ||| " ]] && spec=""
  printf '%s' "$spec" > "$work/spec.json"
  rm -f "$work/out.o"
  message=$(gelu-opt --spec "$work/spec.json" -o "$work/out.o" 2>&1)
  status=$?
  if [[ $status -eq 0 ]]; then
    echo "FAIL $line: accepted: $spec"; failed=1
  elif [[ $status -ge 128 ]]; then
    echo "FAIL $line: crashed (status $status): $spec"; failed=1
  elif [[ "$message" != *"$fragment"* ]]; then
    echo "FAIL $line: message '$message' lacks '$fragment'"; failed=1
  elif [[ -e "$work/out.o" ]]; then
    echo "FAIL $line: left an output file"; failed=1
  elif [[ "$message" != "gelu-opt: error: "* ]]; then
    echo "FAIL $line: not one error line: '$message'"; failed=1
  else
    echo "OK $line"
  fi
done < "$table"
exit $failed
