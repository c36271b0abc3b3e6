# ===- scripts/benchreport.py - What both bench-report checks share ------=== #
#
# Imported by check-bench-report.py and check-train-bench-report.py (their
# own folder is on Python's path when they run).
#
# ===---------------------------------------------------------------------=== #
import json
import math
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def positive(v):
    """A positive finite number (a NaN, inf, 0 or non-number is not)."""
    return isinstance(v, (int, float)) and math.isfinite(v) and v > 0


def check_ulps(problems, name, ulps, bound):
    """Every region's max ULP within `bound` (a NaN fails too), and some
    measured."""
    if not ulps:
        problems.append(f"{name}: no accuracy measured")
    for region, u in (ulps or {}).items():
        if not (u <= bound):
            problems.append(f"{name}: {u} ULP on {region}, over {bound:g}")


def finish(problems, summary):
    """Prints every problem and exits 1, or prints the summary."""
    for p in problems:
        print("FAIL: " + p)
    if problems:
        sys.exit(1)
    print(summary)
