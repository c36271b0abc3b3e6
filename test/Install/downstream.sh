#!/usr/bin/env bash
#===- test/Install/downstream.sh - The installed package, used ------------===#
#
# Usage: downstream.sh BUILD_DIR SOURCE_DIR WORK_DIR MODE [PYTHON]
# Installs BUILD_DIR into WORK_DIR/prefix (cmake --install), then builds
# examples/downstream against it and runs it. MODE cmake: with
# find_package(GeluJIT); pkg-config: `c++ main.cpp $(pkg-config --cflags
# --libs gelu-jit)`; c: examples/c/gelu_c.c with `cc -lgelu-jit` (the C
# API); python: PYTHON imports gelu_jit from the prefix's site-packages and
# runs a kernel. Nothing from the build tree may be used: the include path,
# libraries and package come from the prefix alone.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
build=$1 source=$2 work=$3 mode=$4 python=${5:-/usr/bin/python3}
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
for f in bin/gelu-opt include/gelu/JIT/Jit.h include/gelu-c/gelu.h \
         include/gelu/Dialect/Act/IR/ActEnums.h.inc include/gelu/Version.h \
         lib/GeluActDialectPlugin.so lib/GeluActPassPlugin.so; do
  [[ -e "$prefix/$f" ]] || { echo "not installed: $f" >&2; exit 1; }
done
"$prefix/bin/gelu-opt" --version | head -1
# The installed plugins load into Debian's mlir-opt from the prefix alone.
# (Into a file, then grep: grep -q closing the pipe early would fail
# mlir-opt under pipefail.)
echo 'func.func @f(%x: f32) -> f32 { %y = act.gelu %x : f32
  return %y : f32 }' | /usr/lib/llvm-22/bin/mlir-opt \
  --load-dialect-plugin="$prefix/lib/GeluActDialectPlugin.so" \
  --load-pass-plugin="$prefix/lib/GeluActPassPlugin.so" \
  --pass-pipeline="builtin.module(convert-act-to-arith)" >"$work/plugins.mlir"
grep -q math.absf "$work/plugins.mlir"
example=$source/examples/downstream
case "$mode" in
cmake)
  cmake -S "$example" -B "$work/build" -G Ninja \
    -DCMAKE_PREFIX_PATH="$prefix" >"$work/configure.log"
  grep "gelu-jit" "$work/configure.log"
  cmake --build "$work/build" >"$work/build.log"
  "$work/build/gelu-downstream" ;;
pkg-config)
  pc=$(find "$prefix" -name gelu-jit.pc)
  export PKG_CONFIG_PATH=$(dirname "$pc")
  echo "pkg-config: gelu-jit $(pkg-config --modversion gelu-jit)"
  # shellcheck disable=SC2046
  c++ -std=c++17 -O1 "$example/main.cpp" $(pkg-config --cflags --libs gelu-jit) \
    -o "$work/gelu-downstream"
  "$work/gelu-downstream" ;;
c)
  cc -std=c11 -Wall -Werror "$source/examples/c/gelu_c.c" \
    -I"$prefix/include" -L"$prefix/lib" -lgelu-jit -Wl,-rpath,"$prefix/lib" \
    -o "$work/gelu_c"
  "$work/gelu_c" | tee "$work/out.txt"
  grep -q '^refused: .*overlap' "$work/out.txt"
  # Each "gelu(x) = y" printed, against erfc in double.
  "$python" -c '
import math, re, sys
values = re.findall(r"^gelu\((\S+)\) = (\S+)$", sys.stdin.read(), re.M)
good = 0
for x, y in values:
    x, y = float(x), float(y)
    want = 0.5 * x * math.erfc(-x / math.sqrt(2))
    good += abs(y - want) <= 4e-7 * abs(want) + 1e-45
if not values or good != len(values):
    sys.exit(f"downstream: {good} of {len(values)} values correct")
print(f"downstream: {good} values correct")' <"$work/out.txt" ;;
python)
  package=$(find "$prefix" -type d -name gelu_jit)
  [[ -n $package ]] || { echo "not installed: the gelu_jit package" >&2; exit 1; }
  cd "$work"
  PYTHONPATH=$(dirname "$package") "$python" -c '
import gelu_jit, numpy as np, os
assert gelu_jit.library_path().startswith(os.path.realpath(os.environ["PREFIX"])), gelu_jit.library_path()
print("gelu_jit", gelu_jit.version(), "from", gelu_jit.__file__)
x = np.linspace(-3, 3, 7, dtype=np.float32)
y = gelu_jit.compile(op="gelu")(x)
from math import erfc, sqrt
want = [0.5 * v * erfc(-v / sqrt(2)) for v in x.tolist()]
good = sum(abs(a - b) <= 4e-7 * abs(b) for a, b in zip(y.tolist(), want))
print(f"downstream: {good} values correct" if good == 7 else "wrong values")
' ;;
*) echo "downstream.sh: mode is cmake, pkg-config, c or python" >&2; exit 2 ;;
esac
