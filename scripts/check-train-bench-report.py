#!/usr/bin/env python3
# ===- scripts/check-train-bench-report.py - What a training report holds -=== #
#
# Usage: check-train-bench-report.py REPORT.json
#
# The smoke run of gelu-train-bench (ctest gelu-train-bench-report) prints
# numbers no test looked at. Times are never asserted (these machines are
# noisy); what must hold whatever the load is: every group (gelu_backward
# in two forms, bias_gelu, bias_gelu_backward, geglu, swiglu) has our fused
# kernel first, at 1.00x, and an anchor; the bias and gated groups have
# their unfused parts; every row was timed at every size with a positive
# finite time, and its ratio is its time over the fused kernel's; the
# backward kernels' accurate defaults keep their documented accuracy
# (docs/accuracy.md: exact GELU' within 6 ULP, the tanh form's within 8,
# in every region), measured by the benchmark itself.
#
# ===---------------------------------------------------------------------=== #
import sys

from benchreport import check_ulps, finish, load, positive

GROUPS = ("gelu_backward (exact)", "gelu_backward (tanh)", "bias_gelu (exact)",
          "bias_gelu_backward (exact)", "geglu (exact)", "swiglu")
WITH_PARTS = GROUPS[2:]
ACCURATE_BOUND = {"gelu_backward (exact)": 6.0, "gelu_backward (tanh)": 8.0}


problems = []
report = load(sys.argv[1])
if not (isinstance(report.get("cols"), int) and report["cols"] > 0):
    problems.append(f"cols is {report.get('cols')!r}")
results = report.get("results", [])
sizes = {s["n"] for r in results for s in r.get("sizes", [])}
if not sizes:
    problems.append("no row was timed")
for group in GROUPS:
    rows = [r for r in results if r.get("group") == group]
    if not rows:
        problems.append(f"{group}: no rows")
        continue
    first = rows[0]
    if first.get("kind") != "fused" or not first.get("name", "").startswith(
            "gelu-jit"):
        problems.append(f"{group}: the first row is {first.get('name')!r}, "
                        "not our fused kernel")
    if not any(r.get("kind") == "anchor" for r in rows):
        problems.append(f"{group}: no anchor")
    if group in WITH_PARTS and not any(r.get("kind") == "parts" for r in rows):
        problems.append(f"{group}: no unfused parts")
    fused = {s["n"]: s.get("ns_per_element") for s in first.get("sizes", [])}
    for r in rows:
        timed = {s["n"] for s in r.get("sizes", [])}
        if timed != sizes:
            problems.append(f"{r['name']}: timed at {sorted(timed)}, "
                            f"not {sorted(sizes)}")
        for s in r.get("sizes", []):
            t, ratio = s.get("ns_per_element"), s.get("ratio_to_fused")
            if not positive(t):
                problems.append(f"{r['name']} at n = {s['n']}: time {t!r}")
            elif not (positive(ratio) and positive(fused.get(s["n"])) and
                      abs(ratio - t / fused[s["n"]]) <= 1e-9 * ratio):
                problems.append(f"{r['name']} at n = {s['n']}: ratio "
                                f"{ratio!r} is not its time over the fused "
                                "kernel's")
    bound = ACCURATE_BOUND.get(group)
    if bound is not None:
        check_ulps(problems, f"{group}: {first['name']}", first.get("max_ulp"),
                   bound)
finish(problems, f"training bench report holds: {len(results)} rows in "
       f"{len(GROUPS)} groups, sizes {sorted(sizes)}")
