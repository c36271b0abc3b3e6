#!/usr/bin/env python3
# ===- scripts/plot-bench.py - Speed against accuracy, from gelu-bench ---=== #
#
#   plot-bench.py results.json out.png [out.md]
#
# One panel per function (exact, tanh and sigmoid GELU, SiLU): time per
# element at the L1 size (4K floats, inputs normal with σ = 2) against the
# measured max ULP error over all inputs (log scales), gelu-jit's kernels
# against the anchors, and the Pareto front (no other point is both faster
# and more accurate; the bf16 rows, whose ULPs are bf16's, only in the
# tables). Points are numbered and named in each panel's legend; each
# number goes beside its point where it overlaps no number placed before
# (right, left, below, then further up or down), so that points at the same
# place (kernels of equal speed and error) keep legible numbers. With
# out.md, also the results as markdown tables, one per input distribution.
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


DPI = 110
LABEL_POINTS = 8  # font size of the numbers beside the points


def place_labels(fig, ax, points):
    """Numbers the points, each beside its point where it overlaps no
    number placed before (boxes estimated from the font size)."""
    fig.canvas.draw()  # fixes the axes' limits, so pixels are final
    px = DPI / 72.0
    height = LABEL_POINTS * px
    boxes = []
    for i, (ulp, t, _, _) in enumerate(points, 1):
        text = str(i)
        width = 0.62 * LABEL_POINTS * len(text) * px
        x, y = ax.transData.transform((ulp, t))
        w_pt = width / px
        candidates = [(4, 3), (-4 - w_pt, 3), (4, -3 - LABEL_POINTS),
                      (-4 - w_pt, -3 - LABEL_POINTS)]
        for k in range(1, 8):
            candidates += [(4, 3 + k * (LABEL_POINTS + 1)),
                           (4, -3 - (k + 1) * (LABEL_POINTS + 1))]
        for dx, dy in candidates:
            box = (x + dx * px, y + dy * px, x + dx * px + width,
                   y + dy * px + height)
            if all(box[2] <= b[0] or box[0] >= b[2] or box[3] <= b[1]
                   or box[1] >= b[3] for b in boxes):
                break
        boxes.append(box)
        ax.annotate(text, (ulp, t), fontsize=LABEL_POINTS, xytext=(dx, dy),
                    textcoords="offset points", va="bottom")


def draw_points(ax, points, not_drawn=()):
    """Draws (ulp, ns, name, ours) points on log scales, gelu-jit's red
    and the anchors' blue, each named in the legend by its number; then a
    legend entry for each name in not_drawn, and the Pareto front."""
    for i, (ulp, t, name, ours) in enumerate(points, 1):
        ax.scatter(ulp, t, marker="o" if ours else "s",
                   color="tab:red" if ours else "tab:blue", zorder=3,
                   label="%d  %s" % (i, name))
    for name in not_drawn:
        ax.scatter([], [], marker="x", color="gray", label="not drawn: " + name)
    front = pareto([(p[0], p[1]) for p in points])
    ax.plot([p[0] for p in front], [p[1] for p in front], "--",
            color="gray", label="Pareto front")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)


def size_name(n):
    return "%dM" % (n >> 20) if n >= 1 << 20 else "%dK" % (n >> 10)


DISTRIBUTIONS = [("normal_2", "normal, σ = 2"), ("normal_1", "normal, σ = 1"),
                 ("normal_3", "normal, σ = 3"),
                 ("uniform_8", "uniform on [−8, 8]")]
PLOTTED = "normal_2"


def timing(r, distribution, n):
    for s in r["sizes"]:
        if s.get("distribution") == distribution and s["n"] == n:
            return s
    return None


def markdown(data):
    """Per input distribution: ns/element and ratios per size, then max ULP
    by region."""
    out = []
    for distribution, label in DISTRIBUTIONS:
        sizes = sorted({s["n"] for r in data["results"] for s in r["sizes"]
                        if s.get("distribution") == distribution})
        if not sizes:
            continue
        out.append("### Inputs %s\n" % label)
        head = "| implementation | " + " | ".join(
            "%s ns/elem (× best anchor, × memcpy)" % size_name(n)
            for n in sizes)
        out.append(head + " | max ULP x ≥ 0 | [−3, 0) | x < −3 |")
        out.append("|---" * (len(sizes) + 4) + "|")
        for r in data["results"]:
            cells = []
            for n in sizes:
                s = timing(r, distribution, n)
                if not s:
                    cells.append("")
                    continue
                best = s.get("ratio_to_best_anchor")
                cells.append("%.3f (%s%.2f×)" % (
                    s["ns_per_element"],
                    "%.2f×, " % best if best is not None else "",
                    s["ratio_to_memcpy"]))
            ulp = r.get("max_ulp", {})
            regions = ["%.3g" % ulp[k] if k in ulp else "–"
                       for k in ("x_nonnegative", "x_in_minus3_0",
                                 "x_below_minus3")]
            name = r["name"] + (" [%s]" % r["expansion"]
                                if r.get("expansion") else "")
            out.append("| " + " | ".join([name] + cells + regions) + " |")
        out.append("")
    out.append("JIT compile: cold %.1f ms, cache hit %.2f µs." %
               (data["compile_cold_ms"], data["compile_cached_us"]))
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: plot-bench.py results.json out.png [out.md]")
    with open(sys.argv[1]) as f:
        data = json.load(f)
    if len(sys.argv) == 4:
        with open(sys.argv[3], "w") as f:
            f.write(markdown(data))
        print("wrote", sys.argv[3])
    families = [("exact", "exact GELU"), ("tanh", "tanh GELU"),
                ("sigmoid", "sigmoid GELU"), ("silu", "SiLU")]
    fig, axes = plt.subplots(2, 2, figsize=(16, 12))
    panels = []
    for ax, (family, title) in zip(axes.flat, families):
        points = []
        for r in data["results"]:
            # One point per kernel: leave out its threaded, non-streaming
            # and ahead-of-time twins.
            if r["family"] != family or r.get("threads", 1) > 1:
                continue
            if "no streaming" in r["name"] or "--emit=obj" in r["name"]:
                continue
            # bf16 rows: their ULPs are bf16's, not comparable here.
            if r.get("bytes_per_element", 8) != 8:
                continue
            at4k = timing(r, PLOTTED, 4096)
            if not at4k:
                continue
            ulp = max(r["max_ulp"]["overall"], 0.5)
            points.append((ulp, at4k["ns_per_element"], r["name"], r["ours"]))
        draw_points(ax, points)
        ax.set_xlabel("max ULP error, all f32 inputs (sampled)")
        ax.set_ylabel("ns / element at 4K floats (normal, σ = 2), one thread")
        ax.set_title(title + ": red = gelu-jit, blue = anchors")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
                  handletextpad=0.3, borderaxespad=0)
        panels.append((ax, points))
    fig.tight_layout()
    for ax, points in panels:
        place_labels(fig, ax, points)
    fig.savefig(sys.argv[2], dpi=DPI)
    print("wrote", sys.argv[2])


if __name__ == "__main__":
    main()
