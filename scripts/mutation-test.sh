#!/usr/bin/env bash
#===- scripts/mutation-test.sh - How many plausible bugs the tests catch --===#
#
# Usage: scripts/mutation-test.sh [--list] [--only NAME[,NAME...]]
#                                 [--tests 'CTEST ARGS']
#
# Each mutant below is a small, plausible bug in the critical code (the
# masked tail, the buffer-overlap check, the expansions' correction terms
# and sign handling, the tuner's margin and choice, the spec's unknown-field
# check, the tuning-cache key, the fusion's use check, the streaming fence,
# the bf16 rounding, the 16-bit budget's rounding distance, the fused sum's
# rounding, the check for ops left after lowering). One at a time:
# applied to the source (an exact text that must occur once), built, the
# test suite run against it (ctest, stopping at the first failure), and
# reverted. A mutant is killed when a test fails, survives when every test
# passes; one that does not build counts as neither. Prints a table, the
# score (killed / built) and the survivors; exits 1 if any survived.
#
# Not part of CI: a survivor runs the whole suite (~4 min on 2 cores), a
# killed mutant until its first failing test; but ctest starts lit first
# (its longest test) and waits for it, so a faster run is two passes: the
# unit tests (--tests "--stop-on-failure -j2 -E 'lit|readme|downstream'"),
# then lit alone for their survivors (--only A,B --tests "-R '^lit$'").
# The tree is restored after each mutant and on interrupt.
#
#===------------------------------------------------------------------------===#
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec python3 - "$root" "$@" <<'PYTHON'
import os
import subprocess
import sys
import time

root = sys.argv[1]
args = sys.argv[2:]

# name, file, exact original text, mutated text, the bug it stands for.
MUTANTS = [
    ("tail-one-too-long", "lib/Codegen/KernelBuilder.cpp",
     "emitPartial(b, l, full, arith::SubIOp::create(b, l, n, full));",
     "emitPartial(b, l, full, arith::AddIOp::create(b, l, arith::SubIOp::create(b, l, n, full), constant(1)));",
     "the cached path's masked tail covers one element too many"),
    ("overlap-end-short", "lib/JIT/KernelCalls.cpp",
     "if (aBegin >= bBegin + b.bytes || bBegin >= aBegin + a.bytes)",
     "if (aBegin + 4 >= bBegin + b.bytes || bBegin + 4 >= aBegin + a.bytes)",
     "the overlap check takes each range's end one f32 short"),
    ("erfc-no-refinement", "lib/Conversion/Expansions/Expansions.cpp",
     "{erfcLogCoefficients(), /*refine=*/true,",
     "{erfcLogCoefficients(), /*refine=*/false,",
     "the accurate erfc form without its residual corrections"),
    ("rational-sign-dropped", "lib/Conversion/Expansions/Expansions.cpp",
     "  double limit = rationalLimit(function, degree, estimateReciprocal);\n"
     "  y = eb.select(eb.lessThan(eb.constant(limit), x), x, y);\n"
     "  return withSignOf(eb, x, underflowBelow(eb, x, limit, y));",
     "  double limit = rationalLimit(function, degree, estimateReciprocal);\n"
     "  y = eb.select(eb.lessThan(eb.constant(limit), x), x, y);\n"
     "  return underflowBelow(eb, x, limit, y);",
     "the rational form no longer copies x's sign onto its result"),
    ("bf16-round-half-up", "lib/Conversion/ActToArith/ActToArith.cpp",
     "arith::AddIOp::create(b, loc, intConstant(0x7fff), lowestKept));",
     "arith::AddIOp::create(b, loc, intConstant(0x8000), intConstant(0)));",
     "bf16 rounds half up instead of to even"),
    ("streaming-no-fence", "lib/Codegen/KernelBuilder.cpp",
     "        if (x86)\n          LLVM::CallIntrinsicOp::create(",
     "        if (false)\n          LLVM::CallIntrinsicOp::create(",
     "no sfence after streaming stores (a seq_cst fence instead)"),
    ("tuner-no-margin", "lib/JIT/Measurement.cpp",
     "return dtype == DType::F32 ? kSampledBudgetMargin : 1.0;",
     "return 1.0;",
     "sampled f32 errors held to the bound itself, not 0.8 of it"),
    ("tuner-picks-slowest", "lib/JIT/Tuner.cpp",
     "            ? faster(c, w)",
     "            ? faster(w, c)",
     "the fastest objective keeps the slowest fitting candidate"),
    ("spec-unknown-fields", "lib/Spec/Spec.cpp",
     "    if (llvm::is_contained(known, key))\n      continue;",
     "    if (true)\n      continue;",
     "unknown spec fields are accepted"),
    ("cache-key-cpu-name-only", "lib/JIT/TuningCache.cpp",
     'return cpuName.str() + "/" + llvm::utohexstr(llvm::xxh3_64bits(list));',
     "return cpuName.str();",
     "the tuning-cache key tells CPUs apart by name only"),
    ("fusion-despite-uses", "lib/Transforms/FuseBiasGelu.cpp",
     "if (!add->hasOneUse())",
     "if (false)",
     "bias+GELU fused although the add has another use"),
    ("rounding-distance", "lib/Numerics/Reference.cpp",
     "return static_cast<double>(std::min(fraction, 1 - fraction) * ulp);",
     "return static_cast<double>(fraction * ulp);",
     "16-bit budgets measure the rounding distance to the lower neighbour"),
    ("fused-sum-not-rounded", "lib/Conversion/ActToArith/ActToArith.cpp",
     "            x = emitRoundTrip(rewriter, loc, eb.add(x, operands[facts.bias]),\n"
     "                              type);",
     "            x = true ? eb.add(x, operands[facts.bias])\n"
     "                     : emitRoundTrip(rewriter, loc, x, type);",
     "bias_gelu keeps the sum in f32 instead of rounding it as arith.addf"),
    ("leftover-ops-accepted", "lib/Codegen/Pipelines.cpp",
     "  pm.addPass(createCheckLLVMDialect());",
     "  if (false)\n    pm.addPass(createCheckLLVMDialect());",
     "act-lower-to-llvm exits 0 with ops it did not convert"),
    ("nan-error-dropped", "lib/Numerics/ErrorMaxima.cpp",
     "e.abs = std::isnan(diff) ? HUGE_VAL : static_cast<double>(diff);",
     "e.abs = std::isnan(diff) ? 0.0 : static_cast<double>(diff);",
     "a NaN result counts as no absolute error"),
]

names = [m[0] for m in MUTANTS]
only = None
tests = "--stop-on-failure -j2"
i = 0
while i < len(args):
    if args[i] == "--list":
        for m in MUTANTS:
            print(f"{m[0]:26} {m[1]}: {m[4]}")
        sys.exit(0)
    if args[i] == "--only":
        only = args[i + 1].split(",")
        unknown = [n for n in only if n not in names]
        if unknown:
            sys.exit(f"mutation-test: unknown mutants {unknown}; --list shows them")
        i += 2
        continue
    if args[i] == "--tests":
        tests = args[i + 1]
        i += 2
        continue
    sys.exit(f"mutation-test: unknown argument {args[i]!r}")

build = os.path.join(root, "build")
subprocess.run(["bash", os.path.join(root, "scripts/build.sh")], check=True,
               stdout=subprocess.DEVNULL)


def sh(command, log):
    with open(log, "w") as f:
        return subprocess.run(command, shell=True, cwd=root, stdout=f,
                              stderr=subprocess.STDOUT).returncode


def first_failure(log):
    with open(log) as f:
        for line in f:
            if ("***Failed" in line or "(Failed)" in line or
                    "***Exception" in line or "(Subprocess aborted)" in line):
                return line.split(":", 1)[-1].strip()[:60]
    return ""


results = []
logs = os.path.join(build, "mutation-logs")
os.makedirs(logs, exist_ok=True)
for name, path, old, new, what in MUTANTS:
    if only and name not in only:
        continue
    full = os.path.join(root, path)
    with open(full) as f:
        original = f.read()
    count = original.count(old)
    if count != 1:
        results.append((name, "stale", f"the text occurs {count} times in {path}"))
        print(f"{name}: STALE (the text occurs {count} times in {path})")
        continue
    start = time.time()
    try:
        with open(full, "w") as f:
            f.write(original.replace(old, new))
        log = os.path.join(logs, name + ".log")
        if sh(f"ninja -C {build} -j2", log) != 0:
            results.append((name, "not built", what))
        elif sh(f"ctest --test-dir {build} {tests}", log) != 0:
            results.append((name, "killed", first_failure(log) or what))
        else:
            results.append((name, "SURVIVED", what))
    finally:
        with open(full, "w") as f:
            f.write(original)
    print(f"{name}: {results[-1][1]} ({time.time() - start:.0f} s)", flush=True)
sh(f"ninja -C {build} -j2", os.path.join(logs, "restore.log"))

print("\n| mutant | result | detail |\n|---|---|---|")
for name, result, detail in results:
    print(f"| {name} | {result} | {detail} |")
built = [r for r in results if r[1] in ("killed", "SURVIVED")]
killed = [r for r in built if r[1] == "killed"]
if built:
    print(f"\nmutation score: {len(killed)}/{len(built)} killed "
          f"({100 * len(killed) / len(built):.0f} %)")
survivors = [r[0] for r in built if r[1] == "SURVIVED"]
if survivors:
    print("survivors: " + ", ".join(survivors))
sys.exit(1 if survivors else 0)
PYTHON
