#!/usr/bin/env python3
# ===- scripts/plot-bench.py - Speed against accuracy, from gelu-bench ---=== #
#
#   plot-bench.py results.json out.png
#
# One panel per function (exact GELU, tanh GELU): time per element at the
# L1 size (4K floats) against the measured max ULP error over all inputs
# (log scales), gelu-jit's kernels against the anchors, and the Pareto front
# (no other point is both faster and more accurate).
#
# ===-------------------------------------------------------------------=== #
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def pareto(points):
    """The points no other point beats on both time and error."""
    front = []
    for p in sorted(points, key=lambda p: (p[0], p[1])):
        if not front or p[1] < front[-1][1]:
            front.append(p)
    return front


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot-bench.py results.json out.png")
    with open(sys.argv[1]) as f:
        data = json.load(f)
    families = [("exact", "exact GELU"), ("tanh", "tanh GELU")]
    fig, axes = plt.subplots(1, 2, figsize=(14, 6))
    for ax, (family, title) in zip(axes, families):
        points = []
        for r in data["results"]:
            # One point per kernel: leave out its threaded, non-streaming
            # and ahead-of-time twins.
            if r["family"] != family or r.get("threads", 1) > 1:
                continue
            if "no streaming" in r["name"] or "--emit=obj" in r["name"]:
                continue
            at4k = [s for s in r["sizes"] if s["n"] == 4096]
            if not at4k:
                continue
            ulp = max(r["max_ulp"]["all"], 0.5)
            t = at4k[0]["ns_per_element"]
            points.append((ulp, t, r["name"], r["ours"]))
        for ulp, t, name, ours in points:
            ax.scatter(ulp, t, marker="o" if ours else "s",
                       color="tab:red" if ours else "tab:blue", zorder=3)
            ax.annotate(name, (ulp, t), fontsize=7, xytext=(4, 3),
                        textcoords="offset points")
        front = pareto([(p[0], p[1]) for p in points])
        ax.plot([p[0] for p in front], [p[1] for p in front], "--",
                color="gray", label="Pareto front")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("max ULP error, all f32 inputs (sampled)")
        ax.set_ylabel("ns / element at 4K floats, one thread")
        ax.set_title(title + ": red = gelu-jit, blue = anchors")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)
    print("wrote", sys.argv[2])


if __name__ == "__main__":
    main()
