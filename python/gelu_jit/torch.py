# ===- torch.py - PyTorch modules with autograd over gelu-jit kernels -------===#
#
# Part of gelu-jit.
#
# ===-----------------------------------------------------------------------===#
"""PyTorch modules whose forward and backward run gelu-jit kernels.

    from gelu_jit.torch import GELU
    act = GELU()                     # drop-in for torch.nn.GELU()
    act = GELU(approximate="tanh", budget={"max_abs": 1e-4})

GELU, SiLU, BiasGELU, GEGLU and SwiGLU take CPU tensors of float32,
float64, bfloat16 or float16, of any shape (a non-contiguous input is
copied first); float64 runs the f64 kernels, so that
torch.autograd.gradcheck checks them. Backward: GELU and BiasGELU through
the gelu_backward and bias_gelu_backward kernels (dbias included); GEGLU's
gate through gelu_backward, its other half through the gelu kernel; SiLU
and SwiGLU's SiLU' through the sigmoid GELU's gelu_backward kernel at
x/1.702 (in f32; f64 for float64), since SiLU(x) = 1.702·GELU_σ(x/1.702).
Kernels are compiled on first use per dtype and shared through the kernel
cache. A CUDA tensor, or another dtype, raises ValueError / TypeError.
"""

import torch
from torch import nn

from ._kernel import compile as _compile

_DTYPES = {torch.float32: "f32", torch.float64: "f64", torch.bfloat16: "bf16",
           torch.float16: "f16"}
_APPROXIMATE = ("none", "tanh", "sigmoid")


def _check(tensor, name):
    if not tensor.is_cpu:
        raise ValueError(
            f"gelu_jit.torch: {name} is on {tensor.device}: these modules "
            "run on CPU tensors (the GPU runtime is not wired to PyTorch "
            "yet)")
    if tensor.dtype not in _DTYPES:
        raise TypeError(
            f"gelu_jit.torch: {name} is {tensor.dtype}; the kernels take "
            "float32, float64, bfloat16 and float16")
    return tensor.contiguous()


class _Kernels:
    """The kernels of one module, compiled on first use per op, dtype and
    GELU form."""

    def __init__(self, base):
        self.base = base
        self.kernels = {}

    def get(self, op, dtype, approximate=None):
        key = (op, dtype, approximate)
        kernel = self.kernels.get(key)
        if kernel is None:
            spec = dict(self.base, op=op, dtype=_DTYPES[dtype])
            if approximate is not None:
                spec["approximate"] = approximate
            kernel = self.kernels[key] = _compile(spec)
        return kernel


def _needs_grad(*tensors):
    return torch.is_grad_enabled() and any(t.requires_grad for t in tensors)


def _base_spec(budget, threads):
    spec = {}
    if budget is not None:
        spec["budget"] = dict(budget)
    if threads is not None:
        spec["threads"] = threads
    return spec


class _Activation(nn.Module):
    """What every module here holds: its GELU form (`approximate`, None for
    SiLU's), its kernels, compiled from `budget` and `threads` on first
    use per dtype; the f32 forward kernel is compiled at construction, so
    that a budget no kernel meets fails there."""

    def __init__(self, op, approximate, budget, threads):
        super().__init__()
        if approximate is not None and approximate not in _APPROXIMATE:
            raise ValueError(
                f"gelu_jit.torch.{type(self).__name__}: approximate is "
                f"{approximate!r}; one of {', '.join(_APPROXIMATE)}")
        self.approximate = approximate
        self.budget = budget
        self._kernels = _Kernels(_base_spec(budget, threads))
        self._kernels.get(op, torch.float32, approximate)

    def extra_repr(self):
        parts = [] if self.approximate is None else \
            [f"approximate={self.approximate!r}"]
        if self.budget:
            parts.append(f"budget={self.budget}")
        return ", ".join(parts)


class _GeluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, kernels, approximate):
        x = _check(x, "input")
        ctx.save_for_backward(x)
        ctx.kernels, ctx.approximate = kernels, approximate
        return kernels.get("gelu", x.dtype, approximate)(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        dy = _check(dy, "grad_output").to(x.dtype)
        kernel = ctx.kernels.get("gelu_backward", x.dtype, ctx.approximate)
        return kernel(x, dy), None, None


class GELU(_Activation):
    """GELU, as torch.nn.GELU(approximate=...): "none" (x·Φ(x)), "tanh", or
    "sigmoid" (x·σ(1.702x)). budget: an error budget (docs/spec.md), e.g.
    {"max_abs": 1e-4}, for forward and backward; None: the accurate
    defaults. threads: threads per call (None: 1)."""

    def __init__(self, approximate="none", budget=None, threads=None):
        super().__init__("gelu", approximate, budget, threads)

    def forward(self, x):
        if not _needs_grad(x):
            x = _check(x, "input")
            return self._kernels.get("gelu", x.dtype, self.approximate)(x)
        return _GeluFunction.apply(x, self._kernels, self.approximate)


# SiLU(x) = 1.702·GELU_σ(x/1.702), GELU_σ(z) = z·σ(1.702z): so SiLU'(x) =
# GELU_σ'(x/1.702), the sigmoid GELU's gelu_backward kernel at x/1.702 (f32:
# the quotient's rounding, 2^-24 relative, moves the result by less than an
# ULP of f32 but near the zero of SiLU', x = -1.28).
_SIGMOID_GELU_SCALE = 1.702


def _silu_backward(kernels, x, dy):
    """dy·SiLU'(x), in f32 and rounded once to x's dtype (in f64 for
    float64)."""
    if x.dtype in (torch.float32, torch.float64):
        z = x / _SIGMOID_GELU_SCALE
    else:  # a copy in f32 already: divided in place
        z = x.float().div_(_SIGMOID_GELU_SCALE)
    kernel = kernels.get("gelu_backward", z.dtype, "sigmoid")
    return kernel(z, dy.to(z.dtype), out=z).to(x.dtype)  # z is ours


class _SiluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, kernels):
        x = _check(x, "input")
        ctx.save_for_backward(x)
        ctx.kernels = kernels
        return kernels.get("silu", x.dtype)(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        dy = _check(dy, "grad_output")
        return _silu_backward(ctx.kernels, x, dy), None


class SiLU(_Activation):
    """SiLU, x·σ(x), as torch.nn.SiLU."""

    def __init__(self, budget=None, threads=None):
        super().__init__("silu", None, budget, threads)

    def forward(self, x):
        if not _needs_grad(x):
            x = _check(x, "input")
            return self._kernels.get("silu", x.dtype)(x)
        return _SiluFunction.apply(x, self._kernels)


class _BiasGeluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, bias, kernels, approximate):
        x = _check(x, "input")
        ctx.bias_dtype = bias.dtype  # its gradient's (a bf16 x, f32 bias)
        bias = _check(bias, "bias").to(x.dtype)
        ctx.save_for_backward(x, bias)
        ctx.kernels, ctx.approximate = kernels, approximate
        return kernels.get("bias_gelu", x.dtype, approximate)(x, bias)

    @staticmethod
    def backward(ctx, dy):
        x, bias = ctx.saved_tensors
        dy = _check(dy, "grad_output").to(x.dtype)
        kernel = ctx.kernels.get("bias_gelu_backward", x.dtype,
                                 ctx.approximate)
        dx, dbias = kernel(x, bias, dy)
        return dx, dbias.to(ctx.bias_dtype), None, None


class BiasGELU(_Activation):
    """GELU(x + bias), the bias (a parameter of `features` values) added
    along the last dimension: the fused form of Linear's bias and GELU. Its
    backward gives the input's gradient and the bias's (column sums in
    f32) in one kernel."""

    def __init__(self, features, approximate="none", budget=None,
                 threads=None, dtype=torch.float32):
        super().__init__("bias_gelu", approximate, budget, threads)
        self.bias = nn.Parameter(torch.zeros(features, dtype=dtype))

    def forward(self, x):
        return _BiasGeluFunction.apply(x, self.bias, self._kernels,
                                       self.approximate)

    def extra_repr(self):
        return f"features={self.bias.numel()}, " + super().extra_repr()


class _GatedFunction(torch.autograd.Function):
    """GLU(x) = up·act(gate), (up, gate) = x.chunk(2, -1)."""

    @staticmethod
    def forward(ctx, x, kernels, op, approximate):
        x = _check(x, "input")
        if x.dim() == 0 or x.shape[-1] % 2:
            raise ValueError(
                f"gelu_jit.torch: the input's last dimension is "
                f"{x.shape[-1] if x.dim() else 'missing'}; a gated unit "
                "needs an even one (up and gate halves)")
        up, gate = (half.contiguous() for half in x.chunk(2, dim=-1))
        ctx.save_for_backward(up, gate)
        ctx.kernels, ctx.op, ctx.approximate = kernels, op, approximate
        return kernels.get(op, x.dtype, approximate)(gate, up)

    @staticmethod
    def backward(ctx, dy):
        up, gate = ctx.saved_tensors
        dy = _check(dy, "grad_output").to(up.dtype)
        kernels = ctx.kernels
        if ctx.op == "geglu":
            act = kernels.get("gelu", up.dtype, ctx.approximate)(gate)
            dgate = kernels.get("gelu_backward", up.dtype, ctx.approximate)(
                gate, (dy.float() * up.float()).to(up.dtype))
        else:
            act = kernels.get("silu", up.dtype)(gate)
            dgate = _silu_backward(kernels, gate, dy.float() * up.float())
        dup = (dy.float() * act.float()).to(up.dtype)
        return torch.cat([dup, dgate], dim=-1), None, None, None


class GEGLU(_Activation):
    """GEGLU's activation: (up, gate) = x.chunk(2, -1), up·GELU(gate), as in
    "GLU Variants Improve Transformer" (the projection is the caller's)."""

    def __init__(self, approximate="none", budget=None, threads=None):
        super().__init__("geglu", approximate, budget, threads)

    def forward(self, x):
        return _GatedFunction.apply(x, self._kernels, "geglu",
                                    self.approximate)


class SwiGLU(_Activation):
    """SwiGLU's activation: (up, gate) = x.chunk(2, -1), up·SiLU(gate)."""

    def __init__(self, budget=None, threads=None):
        super().__init__("swiglu", None, budget, threads)

    def forward(self, x):
        return _GatedFunction.apply(x, self._kernels, "swiglu", None)
