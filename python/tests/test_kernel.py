# ===- test_kernel.py - gelu_jit.compile and Kernel on NumPy arrays ---------===#
#
# Part of gelu-jit.
#
# ===-----------------------------------------------------------------------===#
"""Kernels from Python: compiled from a spec, called on NumPy arrays,
measured against float64 references by region, and every misuse refused
with the documented exception and nothing written."""

import json
import os
import sys
import threading

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))
import reference  # noqa: E402

import gelu_jit  # noqa: E402


@pytest.fixture(scope="module")
def gelu():
    return gelu_jit.compile({"op": "gelu"})


def test_import_names_the_library():
    assert gelu_jit.version() == gelu_jit.__version__
    assert os.path.exists(gelu_jit.library_path())


def test_compile_from_a_dict_a_string_and_keywords(gelu):
    assert gelu.op == "gelu" and gelu.abi == "unary" and gelu.dtype == "f32"
    assert gelu.spec["name"] == "gelu_f32" and gelu.threads == 1
    from_string = gelu_jit.compile('{"op": "gelu", "approximate": "tanh"}')
    assert from_string.spec["approximate"] == "tanh"
    from_keywords = gelu_jit.compile(op="silu", dtype="bf16", threads=2)
    assert (from_keywords.op, from_keywords.dtype) == ("silu", "bf16")
    assert from_keywords.threads == 2
    assert "gelu_f32" in repr(gelu) and gelu.entry


def test_the_cache_is_shared_and_can_be_bypassed():
    a = gelu_jit.compile(op="relu")
    b = gelu_jit.compile(op="relu")
    c = gelu_jit.compile(op="relu", cache=False)
    assert a.entry == b.entry != c.entry


def test_report_is_a_dict(gelu):
    report = gelu.report
    assert report["chosen"]["op"] == "gelu"
    assert report["error"]["overall"]["max_ulp"] < 4


def test_a_budget_is_tuned_and_reported():
    kernel = gelu_jit.compile(op="gelu", budget={"max_abs": 1e-3})
    assert kernel.report["tuned"] is True
    assert "expansion" in kernel.spec and "budget" not in kernel.spec
    x = np.linspace(-8, 8, 10001, dtype=np.float32)
    assert np.max(np.abs(kernel(x) - reference.gelu(x))) <= 1e-3


@pytest.mark.parametrize("spec, function, bound", [
    ({"op": "gelu"}, lambda x: reference.gelu(x), 4),
    ({"op": "gelu", "approximate": "tanh"},
     lambda x: reference.gelu(x, "tanh"), 4),
    ({"op": "gelu", "approximate": "sigmoid"},
     lambda x: reference.gelu(x, "sigmoid"), 4),
    ({"op": "silu"}, reference.silu, 4),
])
def test_f32_against_float64_by_region(spec, function, bound):
    kernel = gelu_jit.compile(spec)
    x = reference.f32_sample()
    errors = reference.ulp_errors(kernel(x), function(x),
                                  min_exponent=-149 + 23)
    table = reference.by_region(x, errors)
    assert table["overall"] <= bound, table


def test_special_values_keep_the_sign(gelu):
    x = np.array([-0.0, -2.0**-149, -1e-30, -20, -np.inf, np.inf, np.nan],
                 dtype=np.float32)
    y = gelu(x)
    assert np.all(np.signbit(y[:5]))
    assert y[5] == np.inf and np.isnan(y[6])


def test_out_and_in_place(gelu):
    x = np.linspace(-4, 4, 1000, dtype=np.float32).reshape(10, 100)
    want = gelu(x)
    assert want.shape == x.shape and want.dtype == np.float32
    out = np.empty_like(x)
    assert gelu(x, out=out) is out
    np.testing.assert_array_equal(out, want)
    y = x.copy()
    gelu(y, out=y)
    np.testing.assert_array_equal(y, want)
    np.testing.assert_array_equal(gelu(x, threads=2), want)
    np.testing.assert_array_equal(gelu(x, threads=0), want)


def test_binary_and_bias_kernels():
    x = np.linspace(-6, 6, 12 * 64, dtype=np.float32).reshape(12, 64)
    dy = np.cos(x).astype(np.float32)
    backward = gelu_jit.compile(op="gelu_backward")
    dx = backward(x, dy)
    np.testing.assert_allclose(dx, dy * reference.gelu_derivative(x),
                               rtol=2e-6, atol=1e-30)
    bias = np.linspace(-1, 1, 64, dtype=np.float32)
    y = gelu_jit.compile(op="bias_gelu")(x, bias)
    np.testing.assert_allclose(y, reference.gelu(x + bias), rtol=1e-6,
                               atol=1e-37)
    dx, dbias = gelu_jit.compile(op="bias_gelu_backward")(x, bias, dy)
    want = dy * reference.gelu_derivative(x + bias)
    np.testing.assert_allclose(dx, want, rtol=2e-6, atol=1e-30)
    np.testing.assert_allclose(dbias, want.sum(axis=0), rtol=1e-5,
                               atol=1e-6)
    assert dbias.dtype == np.float32 and dbias.shape == (64,)
    gate, up = x, dy
    np.testing.assert_allclose(gelu_jit.compile(op="geglu")(gate, up),
                               reference.gelu(gate) * up, rtol=2e-6,
                               atol=1e-37)
    np.testing.assert_allclose(gelu_jit.compile(op="swiglu")(gate, up),
                               reference.silu(gate) * up, rtol=2e-6,
                               atol=1e-37)


@pytest.mark.parametrize("approximate", ["none", "tanh", "sigmoid"])
def test_f64_kernels_take_float64(approximate):
    # SciPy's float64 functions are themselves a few ULP from the truth
    # (and x/√2 is rounded), so this checks the f64 path end to end;
    # accuracy is measured against MPFR in F64KernelsTest.
    x = np.linspace(-6, 6, 4001)
    kernel = gelu_jit.compile(op="gelu", approximate=approximate,
                              dtype="f64")
    assert kernel.dtype == "f64"
    y = kernel(x)
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, reference.gelu(x, approximate),
                               rtol=4e-14, atol=1e-300)
    dy = np.cos(x)
    dx = gelu_jit.compile(op="gelu_backward", approximate=approximate,
                          dtype="f64")(x, dy)
    np.testing.assert_allclose(
        dx, dy * reference.gelu_derivative(x, approximate), rtol=4e-14,
        atol=1e-15)
    bias = np.linspace(-1, 1, 1001)
    rows = np.linspace(-4, 4, 4 * 1001).reshape(4, 1001)
    dx, dbias = gelu_jit.compile(op="bias_gelu_backward",
                                 approximate=approximate, dtype="f64")(
        rows, bias, np.ones_like(rows))
    assert dbias.dtype == np.float64
    np.testing.assert_allclose(dbias, dx.sum(axis=0), rtol=1e-15,
                               atol=1e-15)
    with pytest.raises(TypeError, match="float64 arrays or tensors"):
        kernel(x.astype(np.float32))


def test_bf16_through_uint16_is_correctly_rounded_on_every_input():
    kernel = gelu_jit.compile(op="gelu", dtype="bf16")
    bits = np.arange(65536, dtype=np.uint32).astype(np.uint16)
    result = kernel(bits)
    assert result.dtype == np.uint16
    want = reference.gelu(reference.bf16_to_f64(bits))
    want[bits == 0xFF80] = -0.0  # gelu(-inf)
    rounded = reference.bf16_correctly_rounded(result, want)
    assert rounded.all(), np.flatnonzero(~rounded)[:10]
    negative = reference.bf16_to_f64(bits) < 0
    assert np.all(result[negative] & 0x8000)


def test_f16_kernels_take_float16_and_uint16():
    kernel = gelu_jit.compile(op="gelu", dtype="f16")
    x = np.linspace(-8, 8, 4001).astype(np.float16)
    y = kernel(x)
    assert y.dtype == np.float16
    np.testing.assert_array_equal(kernel(x.view(np.uint16)).view(np.float16),
                                  y)
    np.testing.assert_allclose(y.astype(np.float64), reference.gelu(x),
                               rtol=2**-11, atol=2**-24)


def test_the_gil_is_released_while_a_kernel_runs(gelu):
    # With a 1 s switch interval, the main thread could not run while the
    # other thread's call held the GIL: it runs because the call releases it.
    x = np.ones(1 << 25, dtype=np.float32)
    started, done = threading.Event(), threading.Event()
    spins = 0

    def call():
        started.set()
        gelu(x, out=x)
        done.set()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1.0)
    try:
        worker = threading.Thread(target=call)
        worker.start()
        started.wait()
        while not done.is_set() and spins < 10**6:
            spins += 1
        worker.join()
    finally:
        sys.setswitchinterval(interval)
    assert spins > 0


SENTINEL = np.float32(42.0)


def refused(exception, kernel, *args, match, **kwargs):
    """Calls kernel and checks that it raises `exception` with `match`."""
    with pytest.raises(exception, match=match):
        kernel(*args, **kwargs)


def test_misuse_raises_and_writes_nothing(gelu):
    x = np.linspace(-1, 1, 64, dtype=np.float32)
    out = np.full(64, SENTINEL, dtype=np.float32)
    refused(TypeError, gelu, x.astype(np.int32), out=out,
            match="int32 array")
    refused(TypeError, gelu, x.astype(np.float64), out=out,
            match="x holds f64, but this is a f32 kernel")
    refused(TypeError, gelu, [1.0, 2.0], match="NumPy arrays and PyTorch")
    refused(TypeError, gelu, x.astype(">f4"), out=out, match="'>f4'")
    refused(ValueError, gelu, x[::2], out=out[:32],
            match="not C-contiguous")
    refused(ValueError, gelu, x[:0], out=out[:0], match="empty")
    refused(ValueError, gelu, x, out=out[:32], match="shape")
    refused(ValueError, gelu, out[:-1], out=out[1:], match="overlaps")
    refused(ValueError, gelu, x, out=out, threads=-1, match="threads")
    refused(TypeError, gelu, x, x, match="called as kernel")
    readonly = np.full(64, SENTINEL, dtype=np.float32)
    readonly.flags.writeable = False
    refused(TypeError, gelu, x, out=readonly, match="read-only")
    bf16 = gelu_jit.compile(op="gelu", dtype="bf16")
    refused(TypeError, bf16, x, out=out, match="bf16 kernel")
    assert np.all(out == SENTINEL) and np.all(readonly == SENTINEL)


def test_misuse_of_binary_and_bias_kernels():
    x = np.ones((4, 8), dtype=np.float32)
    out = np.full((4, 8), SENTINEL, dtype=np.float32)
    backward = gelu_jit.compile(op="gelu_backward")
    refused(ValueError, backward, x, x[:2], out=out, match="shape")
    refused(TypeError, backward, x, match=r"kernel\(x, dy")
    bias_gelu = gelu_jit.compile(op="bias_gelu")
    refused(ValueError, bias_gelu, x, np.ones(7, np.float32), out=out,
            match="as long as x's last dimension")
    refused(ValueError, bias_gelu, x, np.ones(8, np.float32), out=out[0],
            match="shape")
    bias_backward = gelu_jit.compile(op="bias_gelu_backward")
    dbias = np.full(8, SENTINEL, dtype=np.float32)
    refused(TypeError, bias_backward, x, np.ones(8, np.float32), x, out=out,
            dbias=dbias.astype(np.float16), match="dbias must be float32")
    refused(ValueError, bias_backward, x, np.ones(8, np.float32), x,
            out=out, dbias=out[0], match="overlaps")
    assert np.all(out == SENTINEL) and np.all(dbias == SENTINEL)


@pytest.mark.parametrize("spec, match", [
    ('{"op": ', "malformed JSON"),
    ({"op": "gelu", "colour": 1}, "unknown field 'colour'"),
    ({"op": "gelu", "dtype": "f64", "expansion": "rational"},
     "has no f64 form"),
    ({"op": "gelu", "budget": {"max_abs": 1e-30}}, "meets the budget"),
    ({"op": "gelu", "threads": -1}, "/threads"),
])
def test_bad_specs_raise_compile_error(spec, match):
    with pytest.raises(gelu_jit.CompileError, match=match):
        gelu_jit.compile(spec)


def test_compile_refuses_what_is_not_a_spec():
    with pytest.raises(TypeError, match="dict or a JSON string"):
        gelu_jit.compile(42)
    with pytest.raises(gelu_jit.CompileError, match="not JSON"):
        gelu_jit.compile("{", threads=2)
    assert json.loads(json.dumps(gelu_jit.compile(op="gelu").spec))
