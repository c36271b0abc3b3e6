#!/usr/bin/env bash
#===- check-lookups.sh - act.lookup lowered for a target, run from C ------===#
#
# Usage: check-lookups.sh TARGET CC RUNNER WORKDIR
# Writes one function per entry type (f32 with i32 indices, f64 with i64),
# lane count (a scalar, 2, 4, 5, 8, 12, 16) and table size (2 … 64) that
# loads the indices, looks them up with act.lookup and stores the entries;
# lowers it with act-lower-to-llvm for TARGET, compiles it with llc, links
# it into a C program (CC, static) that calls each function with indices in
# the table, past it, negative and at the ends of i32 (an i64 index with its
# high half set too), and checks every lane against table[index mod N]
# bit for bit; runs it (under RUNNER, e.g. qemu-aarch64; "-" for none).
# Prints "lookups PASSED" or the first wrong lane.
#
#===------------------------------------------------------------------------===#
set -eu
target=$1 cc=$2 runner=$3 work=$4
mkdir -p "$work"
lanes_list="0 2 4 5 8 12 16"
sizes="2 4 8 16 32 64"
entry() { # entry T K: sets $e to the K-th entry of a table of T, as MLIR
  # and C write it (f64: digits no f32 holds); no subshell, as it runs
  # thousands of times
  e="$(($2 * 3 - ($2 % 3 == 0 ? 200 : 0))).5"
  if [[ $1 == f64 ]]; then e+=123456789012; fi
}
{
  for type in f32 f64; do
    bits=${type#f}
    for lanes in $lanes_list; do
      for size in $sizes; do
        table=""
        for ((k = 0; k < size; ++k)); do
          entry $type $k
          table+="${table:+, }$e"
        done
        if ((lanes)); then
          it="vector<${lanes}xi$bits>" ft="vector<${lanes}x$type>"
        else
          it="i$bits" ft="$type"
        fi
        cat <<MLIR
func.func @lookup_${type}_${lanes}_${size}(%in: !llvm.ptr, %out: !llvm.ptr) {
  %i = llvm.load %in : !llvm.ptr -> $it
  %e = act.lookup %i [$table] : $it -> $ft
  llvm.store %e, %out : $ft, !llvm.ptr
  return
}
MLIR
      done
    done
  done
} > "$work/lookups.mlir"
gelu-opt "$work/lookups.mlir" -act-lower-to-llvm="target=$target" |
  mlir-translate --mlir-to-llvmir > "$work/lookups.ll"
llc -O2 -filetype=obj "$work/lookups.ll" -o "$work/lookups.o"
{
  echo '#include <stdint.h>'
  echo '#include <stdio.h>'
  echo '#include <string.h>'
  echo 'static int failed;'
  echo 'static int32_t indexOf(unsigned l, unsigned round) {'
  echo '  int32_t v[5] = {(int32_t)l, (int32_t)(l * 7 + 61), -1 - (int32_t)(l * 3),'
  echo '                  INT32_MIN + (int32_t)(l * 5), INT32_MAX - (int32_t)(l * 11)};'
  echo '  return v[round];'
  echo '}'
  echo 'static void check32(void (*f)(const int32_t *, float *), const char *name,'
  echo '                    unsigned lanes, unsigned size, const float *table) {'
  echo '  for (unsigned round = 0; round < 5; ++round) {'
  echo '    int32_t in[16] __attribute__((aligned(64)));'
  echo '    float out[16] __attribute__((aligned(64)));'
  echo '    for (unsigned l = 0; l < 16; ++l) in[l] = indexOf(l, round);'
  echo '    f(in, out);'
  echo '    for (unsigned l = 0; l < (lanes ? lanes : 1); ++l) {'
  echo '      float want = table[(uint32_t)in[l] & (size - 1)];'
  echo '      if (memcmp(&out[l], &want, 4) != 0 && !failed++)'
  echo '        printf("FAIL %s index %d: got %g, want %g\n", name, in[l],'
  echo '               out[l], want);'
  echo '    }'
  echo '  }'
  echo '}'
  echo 'static void check64(void (*f)(const int64_t *, double *), const char *name,'
  echo '                    unsigned lanes, unsigned size, const double *table) {'
  echo '  for (unsigned round = 0; round < 5; ++round) {'
  echo '    int64_t in[16] __attribute__((aligned(64)));'
  echo '    double out[16] __attribute__((aligned(64)));'
  echo '    for (unsigned l = 0; l < 16; ++l)'
  echo '      in[l] = (int64_t)(((uint64_t)(l * 2654435769u) << 32) | (uint32_t)indexOf(l, round));'
  echo '    f(in, out);'
  echo '    for (unsigned l = 0; l < (lanes ? lanes : 1); ++l) {'
  echo '      double want = table[(uint64_t)in[l] & (size - 1)];'
  echo '      if (memcmp(&out[l], &want, 8) != 0 && !failed++)'
  echo '        printf("FAIL %s index %lld: got %.17g, want %.17g\n", name,'
  echo '               (long long)in[l], out[l], want);'
  echo '    }'
  echo '  }'
  echo '}'
  for type in f32 f64; do
    bits=${type#f} ctype=float suffix=f
    [[ $type == f64 ]] && ctype=double suffix=
    for lanes in $lanes_list; do
      for size in $sizes; do
        echo "void lookup_${type}_${lanes}_${size}(const int${bits}_t *, $ctype *);"
        printf 'static const %s table_%s_%s_%s[] = {' "$ctype" "$type" "$lanes" "$size"
        for ((k = 0; k < size; ++k)); do
          entry $type $k
          printf '%s%s, ' "$e" "$suffix"
        done
        echo '};'
      done
    done
  done
  echo 'int main(void) {'
  for type in f32 f64; do
    for lanes in $lanes_list; do
      for size in $sizes; do
        name=lookup_${type}_${lanes}_${size}
        echo "  check${type#f}($name, \"$name\", $lanes, $size, table_${type}_${lanes}_${size});"
      done
    done
  done
  echo '  if (!failed) printf("lookups PASSED\n");'
  echo '  return failed != 0;'
  echo '}'
} > "$work/check_lookups.c"
$cc -static -O1 "$work/check_lookups.c" "$work/lookups.o" -o "$work/check"
if [[ "$runner" == - ]]; then
  "$work/check"
else
  $runner "$work/check"
fi
