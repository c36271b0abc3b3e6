#!/usr/bin/env python3
# ===- scripts/plot-training.py - The derivatives' speed against accuracy -=== #
#
#   plot-training.py training.json out.png
#
# One panel per gelu_backward form that gelu-train-bench measures (exact and
# tanh GELU'): time per element at 4K elements (x uniform in [−6, 6]) against
# the max ULP error measured on its sample (log scales), gelu-jit's kernels
# (red) against oneDNN (blue), and the Pareto front, drawn, numbered and
# placed by scripts/plot-bench.py's functions. A row whose error is not
# finite (oneDNN's gelu_tanh backward returns NaN or inf for some inputs) or
# was not measured (PyTorch) is named in the legend and not drawn.
#
# ===-------------------------------------------------------------------=== #
import importlib.util
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "plot_bench", os.path.join(os.path.dirname(__file__), "plot-bench.py"))
plot_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plot_bench)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot-training.py training.json out.png")
    with open(sys.argv[1]) as f:
        data = json.load(f)
    groups = [g for g in dict.fromkeys(r["group"] for r in data["results"])
              if g.startswith("gelu_backward")]
    fig, axes = plt.subplots(1, len(groups), figsize=(8 * len(groups), 6),
                             squeeze=False)
    panels = []
    for ax, group in zip(axes.flat, groups):
        points, left_out = [], []
        for r in data["results"]:
            if r["group"] != group:
                continue
            at4k = [s for s in r["sizes"] if s["n"] == 4096]
            ulp = r.get("max_ulp", {}).get("overall")
            if not at4k:
                continue
            if ulp is None or not math.isfinite(ulp) or ulp >= 1e30:
                left_out.append(r["name"] + (" (error not measured)"
                                             if ulp is None else
                                             " (NaN/inf results)"))
                continue
            points.append((max(ulp, 0.5), at4k[0]["ns_per_element"],
                           r["name"], r["kind"] != "anchor"))
        plot_bench.draw_points(ax, points, left_out)
        ax.set_xlabel("max ULP error (dy = 1), sampled")
        ax.set_ylabel("ns / element at 4K (x uniform in [−6, 6]), one thread")
        ax.set_title(group + ": red = gelu-jit, blue = oneDNN")
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.12), fontsize=7,
                  handletextpad=0.3, borderaxespad=0)
        panels.append((ax, points))
    fig.tight_layout()
    for ax, points in panels:
        plot_bench.place_labels(fig, ax, points)
    fig.savefig(sys.argv[2], dpi=plot_bench.DPI, bbox_inches="tight")
    print("wrote", sys.argv[2])


if __name__ == "__main__":
    main()
