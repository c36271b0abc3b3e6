#!/usr/bin/env bash
#===- scripts/sanitize.sh - Sanitizer builds and bounded fuzzing ----------===#
#
# Part of scripts/test.sh (so of .ci/run). With clang-22:
#  1. build-asan: the libraries, gelu-opt, the unit tests and the libFuzzer
#     targets with AddressSanitizer + UndefinedBehaviorSanitizer (and
#     coverage for the fuzzers); runs every unit test, the C API's test
#     (a C program) and every lit test (those marked `UNSUPPORTED:
#     sanitizers`, and the unit tests that skip themselves with
#     GELU_SKIP_UNDER_SANITIZERS, run in the release build instead:
#     scripts/test.sh);
#  2. fuzzes each target for FUZZ_SECONDS (default 60) from fuzz/corpus/,
#     printing the executions per target;
#  3. build-tsan: the threaded unit tests' files with ThreadSanitizer
#     (gelu-threaded-unittests), built while the fuzzers run; runs the
#     threaded tests (kernel cache, thread pool, threaded runs, concurrent
#     compiles, the tuning cache).
# Any sanitizer report, fuzzer crash or failing test fails the script.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${GELU_JOBS:-2}
fuzz_seconds=${FUZZ_SECONDS:-60}
bash "$root/scripts/install-deps.sh" --sanitize

# -O1 keeps the sanitized builds fast to compile and still inlines enough
# for the tests to run quickly.
common=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang-22
        -DCMAKE_CXX_COMPILER=clang++-22 -DGELU_WERROR=ON
        "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG"
        "-DCMAKE_C_FLAGS_RELEASE=-O1 -DNDEBUG")

# The release build's fits (scripts/build.sh's build/, brought up to date
# here), not a fitting in each instrumented build: the same coefficients
# as the product. Without build/, each build fits its own.
fits=$root/build/include/gelu/Numerics/FittedPolynomials.inc
if [[ -f "$root/build/build.ninja" ]]; then
  cmake --build "$root/build" --target GeluFittedPolynomialsGen >/dev/null
  common+=("-DGELU_PREBUILT_FITS=$fits")
else
  common+=(-DGELU_PREBUILT_FITS=)
fi

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S "$root" -B "$root/build-asan" "${common[@]}" \
  "-DLLVM_USE_SANITIZER=Address;Undefined" -DLLVM_USE_SANITIZE_COVERAGE=ON \
  -DGELU_BUILD_FUZZERS=ON >/dev/null
cmake --build "$root/build-asan" -j "$jobs" --target gelu-opt gelu-jit-demo gelu-unittests \
  gelu-capi-test gelu-tune gelu-accuracy gelu-gpu-check gelu-fit \
  gelu-spec-fuzzer gelu-ir-fuzzer gelu-kernel-fuzzer
# Leaks are not checked: LLVM's and MLIR's process-lifetime singletons
# (and the JIT engines deliberately kept at exit) are reported as leaks.
# User poisoning is off: LLVM's allocators poison and unpoison their
# arenas in header code, which is instrumented here but not inside the
# uninstrumented libLLVM/libMLIR that share those arenas (a false
# use-after-poison in MLIR's attribute storage otherwise).
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:allow_user_poisoning=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export GELU_JIT_TUNING_CACHE=off

# Runs a GoogleTest binary as 4 × $jobs shards, $jobs at a time (the
# tests are independent: ctest runs each in a process of its own; with
# one shard a job, the slow tests gathered in one shard, which ran 40 %
# longer than the other), each shard's output printed whole once all have
# ended; fails when any shard does.
run_sharded() {
  local binary=$1 logs status=0 running=0 shard shards=$((4 * jobs))
  shift
  logs=$(mktemp -d)
  for ((shard = 0; shard < shards; ++shard)); do
    if ((running == jobs)); then
      wait -n || status=1
      running=$((running - 1))
    fi
    GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$shard \
      "$binary" "$@" >"$logs/$shard" 2>&1 &
    running=$((running + 1))
  done
  for ((; running > 0; running = running - 1)); do
    wait -n || status=1
  done
  for ((shard = 0; shard < shards; ++shard)); do
    cat "$logs/$shard"
  done
  rm -rf "$logs"
  return "$status"
}

run_sharded "$root/build-asan/bin/gelu-unittests" --gtest_brief=1
"$root/build-asan/bin/gelu-capi-test"
# --time-tests lists the slowest: what the sanitizers cost, for the time
# budget of scripts/test.sh.
/usr/lib/llvm-22/bin/lit -q --time-tests "$root/build-asan/test"

# The ThreadSanitizer build starts beside the fuzzers, which take one core
# (up to their three minutes of CI time saved, for fewer fuzzing runs on
# that core), and goes on with every core once
# they are done: ninja, stopped, keeps what it finished.
cmake -S "$root" -B "$root/build-tsan" "${common[@]}" \
  -DLLVM_USE_SANITIZER=Thread >/dev/null
ninja -C "$root/build-tsan" -j "$((jobs > 1 ? jobs - 1 : 1))" \
  gelu-threaded-unittests >/dev/null 2>&1 &
tsan_build=$!
trap 'kill "$tsan_build" 2>/dev/null || true' EXIT

echo "== libFuzzer, ${fuzz_seconds} s a target"
# One at a time: run at once, the three share two cores unevenly (the IR
# fuzzer got a sixth of its executions beside the kernel fuzzer's JIT).
for target in spec ir kernel; do
  fuzzer="$root/build-asan/bin/gelu-$target-fuzzer"
  corpus=$(mktemp -d)
  cp "$root/fuzz/corpus/$target/"* "$corpus/"
  log=$(mktemp)
  if ! "$fuzzer" -max_total_time="$fuzz_seconds" \
      -max_len=4096 -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$corpus/" "$corpus" >"$log" 2>&1; then
    tail -40 "$log"
    echo "gelu-$target-fuzzer found a failure; inputs in $corpus" >&2
    exit 1
  fi
  echo "gelu-$target-fuzzer: $(grep -m1 'stat::number_of_executed_units' "$log" |
    awk '{print $2}') executions in ${fuzz_seconds} s, no failure"
  rm -rf "$corpus" "$log"
done

echo "== ThreadSanitizer"
kill "$tsan_build" 2>/dev/null || true
wait "$tsan_build" 2>/dev/null || true
trap - EXIT
cmake --build "$root/build-tsan" -j "$jobs" --target gelu-threaded-unittests
# Interceptor calls from the uninstrumented LLVM/MLIR are not judged
# (ignore_noninstrumented_modules), nor races with a frame inside them
# (the suppressions file says why).
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$root/scripts/tsan-suppressions.txt"
"$root/build-tsan/bin/gelu-threaded-unittests" --gtest_brief=1 \
  --gtest_filter='KernelCache.*:ThreadPool.*:ThreadedRun.*:Compile.Concurrent*:TuningCache.*:Tuner.MeasuredChoiceIsTheFastestThatFits:TrainingKernelsTest.ThreadedRowsMatchOneThread'
echo "sanitizers and fuzzers: no report"
