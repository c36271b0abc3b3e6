#!/usr/bin/env python3
#===- bench/torch-training.py - PyTorch's CPU kernels for gelu-train-bench -===#
#
# Times PyTorch's gelu_backward, bias add + gelu, the bias+GELU backward as
# autograd runs it (add, gelu_backward, sum over rows), and the gated forms,
# on one thread at gelu-train-bench's sizes ([n/1024, 1024] f32), and writes
# {"torch": version, "results": [{"group", "name", "sizes": {n: ns/elem}}]}
# for gelu-train-bench --torch. Usage: torch-training.py OUT.json [--quick]
#
#===------------------------------------------------------------------------===#
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
out_path = sys.argv[1]
quick = "--quick" in sys.argv[2:]
sizes = [4096, 262144] + ([] if quick else [64 << 20])
cols = 1024
gen = torch.Generator().manual_seed(42)


def ns_per_element(fn, n, rounds):
    fn()  # warm up
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    budget = 2e-3 if quick else (0.3 if n > (1 << 22) else 0.02)
    repeats = max(1, int(budget / max(once, 1e-9)))
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            fn()
        samples.append((time.perf_counter() - start) * 1e9 / (repeats * n))
    samples.sort()
    return samples[len(samples) // 2]


results = {}
for n in sizes:
    rows = n // cols
    x = torch.rand(rows, cols, generator=gen) * 12 - 6
    y = torch.rand(rows, cols, generator=gen) * 2 - 1
    bias = torch.rand(cols, generator=gen) * 2 - 1
    cases = {
        ("gelu_backward (exact)", "PyTorch 1.13 aten::gelu_backward"):
            lambda: torch.ops.aten.gelu_backward(y, x),
        ("gelu_backward (tanh)", "PyTorch 1.13 aten::gelu_backward tanh"):
            lambda: torch.ops.aten.gelu_backward(y, x, approximate="tanh"),
        ("bias_gelu (exact)", "PyTorch 1.13 gelu(x + bias)"):
            lambda: F.gelu(x + bias),
        ("bias_gelu_backward (exact)",
         "PyTorch 1.13 add, gelu_backward, sum(0)"):
            lambda: torch.ops.aten.gelu_backward(y, x + bias).sum(0),
        ("geglu (exact)", "PyTorch 1.13 gelu(a) * b"):
            lambda: F.gelu(x) * y,
        ("swiglu", "PyTorch 1.13 silu(a) * b"):
            lambda: F.silu(x) * y,
    }
    with torch.no_grad():
        for key, fn in cases.items():
            results.setdefault(key, {})[str(n)] = ns_per_element(
                fn, n, 3 if quick else 7)

with open(out_path, "w") as f:
    json.dump({"torch": torch.__version__,
               "results": [{"group": g, "name": name, "sizes": s}
                           for (g, name), s in results.items()]}, f, indent=1)
print(f"wrote {out_path} (PyTorch {torch.__version__}, one thread)")
