#!/usr/bin/env bash
#===- test/Install/downstream.sh - The installed package, used ------------===#
#
# Usage: downstream.sh BUILD_DIR SOURCE_DIR WORK_DIR MODE
# Installs BUILD_DIR into WORK_DIR/prefix (cmake --install), then builds
# examples/downstream against it and runs it. MODE cmake: with
# find_package(GeluJIT); pkg-config: `c++ main.cpp $(pkg-config --cflags
# --libs gelu-jit)`. Nothing from the build tree may be used: the include
# path and libraries come from the prefix alone.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
build=$1 source=$2 work=$3 mode=$4
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
for f in bin/gelu-opt include/gelu/JIT/Jit.h \
         include/gelu/Dialect/Act/IR/ActEnums.h.inc include/gelu/Version.h; do
  [[ -e "$prefix/$f" ]] || { echo "not installed: $f" >&2; exit 1; }
done
"$prefix/bin/gelu-opt" --version | head -1
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
*) echo "downstream.sh: mode is cmake or pkg-config" >&2; exit 2 ;;
esac
