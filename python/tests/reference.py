# ===- reference.py - float64 references and error measures for the tests --===#
#
# Part of gelu-jit.
#
# ===-----------------------------------------------------------------------===#
"""The functions in float64, written without cancellation (SciPy's erfc and
expit), and errors in units of the last place by region."""

import numpy as np
from scipy.special import erfc, expit

SQRT_2_OVER_PI = np.sqrt(2 / np.pi)


def gelu(x, approximate="none"):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        if approximate == "none":
            return 0.5 * x * erfc(-x / np.sqrt(2))
        if approximate == "tanh":  # x·σ(2u), 1 + tanh(u) = 2σ(2u)
            return x * expit(2 * SQRT_2_OVER_PI * (x + 0.044715 * x**3))
        return x * expit(1.702 * x)


def silu(x):
    x = np.asarray(x, dtype=np.float64)
    return x * expit(x)


def gelu_derivative(x, approximate="none"):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        if approximate == "none":
            return 0.5 * erfc(-x / np.sqrt(2)) + \
                x * np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi)
        if approximate == "tanh":
            y = 2 * SQRT_2_OVER_PI * (x + 0.044715 * x**3)
            dy = 2 * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
        else:
            y, dy = 1.702 * x, 1.702
        s = expit(y)
        return s * (1 + x * dy * (1 - s))


def ulp(value, mantissa_bits=23, min_exponent=-126):
    """The unit in the last place of a float of `mantissa_bits` at each
    |value| (subnormals: the smallest one)."""
    magnitude = np.abs(np.asarray(value, dtype=np.float64))
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log2(np.where(magnitude > 0, magnitude, 1)))
    exponent = np.maximum(exponent, min_exponent)
    return np.ldexp(1.0, (exponent - mantissa_bits).astype(np.int64))


def ulp_errors(got, want, mantissa_bits=23, min_exponent=-126):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    return np.abs(got - want) / ulp(want, mantissa_bits, min_exponent)


REGIONS = {
    "x >= 0": lambda x: x >= 0,
    "-3 <= x < 0": lambda x: (x >= -3) & (x < 0),
    "x < -3": lambda x: x < -3,
}


def by_region(x, errors):
    """Max error in each region and overall (finite inputs)."""
    x = np.asarray(x, dtype=np.float64)
    finite = np.isfinite(x)
    table = {name: float(np.max(errors[finite & where(x)], initial=0))
             for name, where in REGIONS.items()}
    table["overall"] = max(table.values())
    return table


def f32_sample(step=4099):
    """Every step-th f32 encoding that is finite (both signs, every
    magnitude) and a dense grid of [-20, 20]."""
    bits = np.arange(0, 2**32, step, dtype=np.uint64).astype(np.uint32)
    x = bits.view(np.float32)
    x = x[np.isfinite(x)]
    grid = np.linspace(-20, 20, 2**18, dtype=np.float32)
    return np.concatenate([x, grid])


def bf16_to_f64(bits):
    with np.errstate(invalid="ignore"):  # signalling NaN encodings
        return (np.asarray(bits, dtype=np.uint32) << 16).view(np.float32) \
            .astype(np.float64)


def bf16_correctly_rounded(bits, want):
    """Whether each bf16 result (bits) is a nearest bf16 to `want`: no
    neighbour of it is nearer (NaN results count where want is NaN)."""
    bits = np.asarray(bits, dtype=np.uint32)
    got = bf16_to_f64(bits)
    with np.errstate(invalid="ignore"):
        up = bf16_to_f64((bits + 1) & 0xFFFF)
        down = bf16_to_f64((bits - 1) & 0xFFFF)
        here = np.abs(got - want)
        ok = (here <= np.abs(up - want)) | np.isnan(up)
        ok &= (here <= np.abs(down - want)) | np.isnan(down)
        ok |= got == want
    nan = np.isnan(want)
    return np.where(nan, np.isnan(got), ok)
