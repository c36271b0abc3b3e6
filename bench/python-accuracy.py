#!/usr/bin/env python3
# ===- bench/python-accuracy.py - gelu_jit.torch and PyTorch against truth -===#
#
# Part of gelu-jit.
#
# ===-----------------------------------------------------------------------===#
"""The accuracy a PyTorch user gets: gelu_jit.torch's GELU (exact, tanh)
and SiLU, and PyTorch's torch.nn.functional.gelu / silu, against float64
references (SciPy's erfc and expit, python/tests/reference.py), max ULP by
region, in f32 (every 4099th f32 encoding and a 2^18-point grid of
[-20, 20]) and bf16 (every input; also the share correctly rounded), and
the gradient (f32, 2^20 points of [-20, 20]: |error| in ULPs of
max(|GELU'(x)|, 1/2), since GELU' crosses zero). Writes a markdown table.

Usage: python-accuracy.py OUT.md   (PYTHONPATH: the build's python/ and
python/tests)
"""

import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python",
                                "tests"))
import reference  # noqa: E402

from gelu_jit.torch import GELU, SiLU  # noqa: E402

F = torch.nn.functional


def bf16_bits_to_tensor(bits):
    return torch.from_numpy(bits.view(np.int16)).view(torch.bfloat16)


def tensor_bits(tensor):
    return tensor.view(torch.int16).numpy().view(np.uint16)


def regions(x, errors):
    table = reference.by_region(x, errors)
    return [table["x >= 0"], table["-3 <= x < 0"], table["x < -3"]]


def main():
    np.seterr(all="ignore")  # inf and NaN inputs are in the sample
    out = sys.argv[1]
    torch.set_num_threads(1)
    functions = [
        ("GELU (exact)", GELU(), lambda x: F.gelu(x),
         lambda x: reference.gelu(x)),
        ("GELU (tanh)", GELU("tanh"), lambda x: F.gelu(x, approximate="tanh"),
         lambda x: reference.gelu(x, "tanh")),
        ("SiLU", SiLU(), F.silu, reference.silu),
    ]
    lines = [
        "Max ULP against float64 truth (SciPy), by region of x; bf16: "
        "every input, and the share of results correctly rounded. "
        f"PyTorch {torch.__version__}, {time.strftime('%Y-%m-%d')}.", "",
        "| function | dtype | implementation | x ≥ 0 | [−3, 0) | x < −3 "
        "| correctly rounded |",
        "|---|---|---|---|---|---|---|"]
    x32 = reference.f32_sample()
    xt = torch.from_numpy(x32)
    bits = np.arange(65536, dtype=np.uint32).astype(np.uint16)
    xb = bf16_bits_to_tensor(bits)
    x16 = reference.bf16_to_f64(bits)
    for name, ours, theirs, truth in functions:
        want = truth(x32.astype(np.float64))
        for label, f in (("gelu_jit", ours), ("PyTorch", theirs)):
            with torch.no_grad():
                got = f(xt).double().numpy()
            e = regions(x32, reference.ulp_errors(got, want))
            lines.append(f"| {name} | f32 | {label} | " +
                         " | ".join(f"{v:.3g}" for v in e) + " | |")
        want16 = truth(x16)
        want16[bits == 0xFF80] = -0.0
        for label, f in (("gelu_jit", ours), ("PyTorch", theirs)):
            with torch.no_grad():
                got_bits = tensor_bits(f(xb))
            got = reference.bf16_to_f64(got_bits)
            e = regions(x16, reference.ulp_errors(got, want16, 7))
            rounded = reference.bf16_correctly_rounded(got_bits, want16)
            lines.append(f"| {name} | bf16 | {label} | " +
                         " | ".join(f"{v:.3g}" for v in e) +
                         f" | {100 * rounded.mean():.1f} % |")
    # Gradients: f32, against the float64 derivative.
    lines += ["", "The gradient, f32, 2^20 points of [−20, 20], dy = 1: max "
              "error in ULPs of max(|f'(x)|, 1/2) (GELU' crosses zero, where a "
              "relative error means nothing; 1/2 is GELU'(0)).", "",
              "| function | implementation | x ≥ 0 | [−3, 0) | x < −3 |",
              "|---|---|---|---|---|"]
    x = np.linspace(-20, 20, 2**20, dtype=np.float32)
    for name, ours, theirs, approximate in (
            ("GELU' (exact)", GELU(), lambda t: F.gelu(t), "none"),
            ("GELU' (tanh)", GELU("tanh"),
             lambda t: F.gelu(t, approximate="tanh"), "tanh")):
        want = reference.gelu_derivative(x.astype(np.float64), approximate)
        scale = np.maximum(np.abs(want), 0.5) * 2.0**-23
        for label, f in (("gelu_jit", ours), ("PyTorch", theirs)):
            xg = torch.from_numpy(x.copy()).requires_grad_()
            f(xg).backward(torch.ones_like(xg))
            errors = np.abs(xg.grad.double().numpy() - want) / scale
            e = regions(x, errors)
            lines.append(f"| {name} | {label} | " +
                         " | ".join(f"{v:.3g}" for v in e) + " |")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
