#!/usr/bin/env python3
# ===- bench/python-modules.py - gelu_jit.torch beside PyTorch's own --------===#
#
# Part of gelu-jit.
#
# ===-----------------------------------------------------------------------===#
"""Times gelu_jit.torch's GELU (exact and tanh) and SiLU modules against
torch.nn.GELU / SiLU (the modules they replace), forward (no_grad) and
forward + backward,
at 4K, 256K and 16M elements, f32 and bf16, one thread (torch and ours),
in one process with the two interleaved round by round (each side's fastest
round kept). The Python call overhead is part of every time; it is also
measured alone: a call on one element (the kernel, the module, torch).

Usage: python-modules.py OUT.json OUT.md [--quick]   (--quick: 4K and 256K,
fewer rounds; the ctest smoke run uses it)
Run by scripts/bench-python.sh; PYTHONPATH must hold the build's python/.
"""

import json
import os
import platform
import sys
import time

import torch

import gelu_jit
from gelu_jit.torch import GELU, SiLU

F = torch.nn.functional


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def per_call(function, seconds):
    """Seconds per call of the fastest of a few repetitions filling
    `seconds`."""
    function()  # warm: compiles, allocates
    start = time.perf_counter()
    function()
    once = max(time.perf_counter() - start, 1e-7)
    reps = max(1, int(seconds / once))
    start = time.perf_counter()
    for _ in range(reps):
        function()
    return (time.perf_counter() - start) / reps


def race(ours, theirs, rounds, seconds):
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for side, function in enumerate((ours, theirs)):
            best[side] = min(best[side], per_call(function, seconds))
    return best


def forward_pair(module, reference, x):
    def ours():
        with torch.no_grad():
            module(x)

    def theirs():
        with torch.no_grad():
            reference(x)
    return ours, theirs


def backward_pair(module, reference, x, dy):
    xg = x.clone().requires_grad_()

    def run(function):
        def step():
            xg.grad = None
            function(xg).backward(dy)
        return step
    return run(module), run(reference)


def main():
    out_json, out_md = sys.argv[1], sys.argv[2]
    quick = "--quick" in sys.argv[3:]
    torch.set_num_threads(1)
    sizes = [4096, 262144] if quick else [4096, 262144, 16 * 1024 * 1024]
    rounds, seconds = (3, 0.005) if quick else (7, 0.03)
    load = os.getloadavg()
    cases = [
        ("gelu", "none", GELU(), torch.nn.GELU()),
        ("gelu", "tanh", GELU("tanh"), torch.nn.GELU(approximate="tanh")),
        ("silu", "", SiLU(), torch.nn.SiLU()),
    ]
    rows = []
    generator = torch.Generator().manual_seed(0)
    for dtype, name in ((torch.float32, "f32"), (torch.bfloat16, "bf16")):
        for size in sizes:
            x = torch.randn(size, generator=generator).to(dtype)
            dy = torch.randn(size, generator=generator).to(dtype)
            for op, approximate, module, reference in cases:
                for direction, pair in (
                        ("forward", forward_pair(module, reference, x)),
                        ("forward+backward",
                         backward_pair(module, reference, x, dy))):
                    ours, theirs = race(*pair, rounds, seconds)
                    rows.append({
                        "op": op, "approximate": approximate, "dtype": name,
                        "elements": size, "pass": direction,
                        "gelu_jit_us": ours * 1e6, "torch_us": theirs * 1e6,
                        "ratio": ours / theirs})
                    print(f"{op:4} {approximate:4} {name:4} {size:9d} "
                          f"{direction:16} gelu_jit {ours * 1e6:10.2f} us  "
                          f"torch {theirs * 1e6:10.2f} us  "
                          f"x{ours / theirs:5.2f}", flush=True)
    # The overhead of a call, alone: one element.
    one, out = torch.ones(1), torch.empty(1)
    kernel = gelu_jit.compile(op="gelu")
    module = GELU()
    ours, theirs = forward_pair(module, torch.nn.GELU(), one)
    ours_step, theirs_step = backward_pair(module, torch.nn.GELU(), one,
                                           torch.ones(1))
    silu_step, torch_silu_step = backward_pair(SiLU(), torch.nn.SiLU(), one,
                                               torch.ones(1))
    calls = {
        "gelu_jit kernel(x, out=out)": lambda: kernel(one, out=out),
        "gelu_jit kernel(x)": lambda: kernel(one),
        "gelu_jit.torch.GELU()(x), no_grad": ours,
        "torch.nn.GELU()(x), no_grad": theirs,
        "torch.nn.functional.gelu(x)": lambda: F.gelu(one),
        "gelu_jit.torch.GELU(), forward+backward": ours_step,
        "torch.nn.GELU(), forward+backward": theirs_step,
        "gelu_jit.torch.SiLU(), forward+backward": silu_step,
        "torch.nn.SiLU(), forward+backward": torch_silu_step,
    }
    overhead = {key: 1e6 * min(per_call(call, 0.05) for _ in range(3))
                for key, call in calls.items()}
    for key, value in overhead.items():
        print(f"one element: {key:28} {value:6.2f} us")
    result = {
        "cpu": cpu_model(), "load_before": load, "load_after": os.getloadavg(),
        "torch": torch.__version__, "gelu_jit": gelu_jit.version(),
        "threads": 1, "date": time.strftime("%Y-%m-%d %H:%M UTC",
                                            time.gmtime()),
        "malloc": {key: os.environ[key] for key in (
            "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
            if key in os.environ},
        "rows": rows, "overhead_us": overhead}
    with open(out_json, "w") as f:
        json.dump(result, f, indent=1)
    with open(out_md, "w") as f:
        f.write(markdown(result))
    times = [row[key] for row in rows for key in ("gelu_jit_us", "torch_us")]
    times += list(overhead.values())
    if len(rows) != 2 * len(sizes) * len(cases) * 2 or \
            not all(0 < t < float("inf") for t in times):
        print("python-modules: a row is missing or a time is not positive "
              "and finite", file=sys.stderr)
        return 1
    print(f"python-modules: {len(rows)} rows written to {out_json}")
    return 0


def markdown(result):
    lines = [
        f"gelu_jit.torch beside PyTorch {result['torch']}'s own kernels: "
        f"{result['cpu']}, one thread, {result['date']}, load average "
        f"{result['load_before'][0]:.2f} before and "
        f"{result['load_after'][0]:.2f} after; glibc malloc settings "
        f"{result['malloc'] or 'the defaults'} (scripts/bench-python.sh says "
        "why). Microseconds a call (the fastest round; the Python call is "
        "part of it), and gelu-jit's time as a multiple of PyTorch's (below "
        "1: faster).", "",
        "| op | dtype | elements | pass | gelu_jit µs | PyTorch µs | × PyTorch |",
        "|---|---|---|---|---|---|---|"]
    for row in result["rows"]:
        op = row["op"] + (f" ({row['approximate']})" if row["approximate"]
                          else "")
        lines.append(
            f"| {op} | {row['dtype']} | {row['elements']} | {row['pass']} | "
            f"{row['gelu_jit_us']:.2f} | {row['torch_us']:.2f} | "
            f"{row['ratio']:.2f} |")
    lines += ["", "A call on one element (the cost of the call itself):", "",
              "| call | µs |", "|---|---|"]
    for key, value in result["overhead_us"].items():
        lines.append(f"| `{key}` | {value:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
