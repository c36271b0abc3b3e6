#!/usr/bin/env python3
#===- scripts/training-table.py - docs/bench/training.md from the JSON ----===#
#
# Usage: training-table.py training.json training.md
# One table per group: ns/element at each size and, in brackets, the time
# as a multiple of gelu-jit's fused kernel (its default expansion), the
# first row of the group; then the backward kernels' errors.
#
#===------------------------------------------------------------------------===#
import json
import sys

data = json.load(open(sys.argv[1]))
results = data["results"]
sizes = sorted({s["n"] for r in results for s in r["sizes"]})


def size_name(n):
    return f"{n >> 20}M" if n >= 1 << 20 else f"{n >> 10}K"


out = []
groups = []
for r in results:
    if r["group"] not in groups:
        groups.append(r["group"])
torch = data.get("torch", "")
out.append(f"ns/element, one thread; [×]: time / gelu-jit's fused kernel "
           f"(first row). PyTorch {torch}, oneDNN 2.6.\n")
for group in groups:
    out.append(f"\n**{group}**\n")
    out.append("| implementation | " +
               " | ".join(size_name(n) for n in sizes) + " |")
    out.append("|---|" + "---|" * len(sizes))
    for r in results:
        if r["group"] != group:
            continue
        cells = []
        by_n = {s["n"]: s for s in r["sizes"]}
        for n in sizes:
            s = by_n.get(n)
            cells.append(f"{s['ns_per_element']:.3f} [{s['ratio_to_fused']:.2f}×]"
                         if s else "")
        out.append(f"| {r['name']} ({r['kind']}) | " + " | ".join(cells) + " |")
out.append("\n**Backward kernels' max ULP error** (dy = 1, counted against "
           "max(|f'|, gate); every 4096th f32 and a grid of [−20, 20])\n")
out.append("| implementation | x ≥ 0 | [−3, 0) | x < −3 | overall |")
out.append("|---|---|---|---|---|")
for r in results:
    if "max_ulp" in r:
        u = r["max_ulp"]
        cells = [("NaN/inf" if v >= 1e38 else f"{v:.3g}")
                 for v in (u["x_nonnegative"], u["x_in_minus3_0"], u["x_below_minus3"], u["overall"])]
        out.append(f"| {r['name']} — {r['group']} | " + " | ".join(cells) + " |")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print(f"wrote {sys.argv[2]}")
