#!/usr/bin/env python3
# ===- scripts/check-bench-report.py - What a bench report must hold ----=== #
#
# Usage: check-bench-report.py REPORT.json
#
# The smoke run of gelu-bench (ctest gelu-bench-report) prints numbers no
# test looked at. Times are never asserted (these machines are noisy); what
# must hold whatever the load is: every implementation was timed at every
# size and input distribution with a positive finite time and bandwidth;
# the compile latencies are positive; our accurate forms (piecewise_tail
# at its own degree, the default of every function, and the closed forms
# it replaced: erfc for exact GELU, sigmoid for tanh and sigmoid GELU and
# SiLU) keep their documented accuracy, 4 ULP in every region, and our
# kernels tuned for a max_ulp budget keep it, both measured by the
# benchmark itself; every function has anchors beside ours.
#
# ===---------------------------------------------------------------------=== #
import sys

from benchreport import check_ulps, finish, load, positive

problems = []
report = load(sys.argv[1])
for key in ("compile_cold_ms", "compile_cached_us"):
    value = report.get(key)
    if not positive(value):
        problems.append(f"{key} is {value!r}, not a positive time")
results = report.get("results", [])
ours = [r for r in results if r.get("ours")]
anchors = [r for r in results if not r.get("ours")]
if not ours or not anchors:
    problems.append(f"{len(ours)} of our kernels and {len(anchors)} anchors")
def timings(r):
    return {(s.get("distribution"), s["n"]) for s in r.get("sizes", [])}


sizes = set().union(*(timings(r) for r in results)) if results else set()
if len({d for d, _ in sizes}) < 3:
    problems.append(f"inputs of {len({d for d, _ in sizes})} distributions, "
                    "not at least 3")
for family in ("exact", "tanh", "sigmoid", "silu"):
    for side, rows in (("ours", ours), ("anchors", anchors)):
        if not any(r.get("family") == family for r in rows):
            problems.append(f"no {side} for the {family} family")
for r in results:
    timed = timings(r)
    if timed != sizes:
        problems.append(f"{r['name']}: timed at {sorted(timed)}, not {sorted(sizes)}")
    for s in r.get("sizes", []):
        for key in ("ns_per_element", "gb_per_s"):
            v = s.get(key)
            if not positive(v):
                problems.append(f"{r['name']} at n = {s['n']}: {key} is {v!r}")
    accurate_default = (r.get("expansion") == "piecewise_tail" and
                        "degree" not in r) or (
        r.get("family"), r.get("expansion")) in (
        ("exact", "erfc"), ("tanh", "sigmoid"), ("sigmoid", "sigmoid"),
        ("silu", "sigmoid"))
    if r.get("ours") and "max_ulp_budget" in r:
        check_ulps(problems, r["name"], r.get("max_ulp"), r["max_ulp_budget"])
    elif r.get("ours") and accurate_default:
        check_ulps(problems, r["name"], r.get("max_ulp"), 4.0)
finish(problems, f"bench report holds: {len(ours)} of ours, "
       f"{len(anchors)} anchors, {len(sizes)} (distribution, size) pairs")
