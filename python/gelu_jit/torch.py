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
bfloat16 or float16, of any shape (a non-contiguous input is copied
first). Backward: GELU and BiasGELU through the gelu_backward and
bias_gelu_backward kernels (dbias included); GEGLU's gate through
gelu_backward, its other half through the gelu kernel; SiLU and SwiGLU's
σ-derivative through PyTorch's own ops (there is no silu_backward kernel).
Kernels are compiled on first use per dtype and shared through the kernel
cache. A CUDA tensor, or another dtype, raises ValueError / TypeError.
"""

import torch
from torch import nn

from ._kernel import compile as _compile

_DTYPES = {torch.float32: "f32", torch.bfloat16: "bf16", torch.float16: "f16"}
_APPROXIMATE = ("none", "tanh", "sigmoid")


def _check(tensor, name):
    if tensor.device.type != "cpu":
        raise ValueError(
            f"gelu_jit.torch: {name} is on {tensor.device}: these modules "
            "run on CPU tensors (the GPU runtime is not wired to PyTorch "
            "yet)")
    if tensor.dtype not in _DTYPES:
        raise TypeError(
            f"gelu_jit.torch: {name} is {tensor.dtype}; the kernels take "
            "float32, bfloat16 and float16")
    return tensor.contiguous()


class _Kernels:
    """The kernels of one module, compiled on first use per dtype."""

    def __init__(self, base):
        self.base = base
        self.kernels = {}

    def get(self, op, dtype, **extra):
        key = (op, dtype, tuple(sorted(extra.items())))
        kernel = self.kernels.get(key)
        if kernel is None:
            spec = dict(self.base, op=op, dtype=_DTYPES[dtype], **extra)
            kernel = self.kernels[key] = _compile(spec)
        return kernel


def _base_spec(budget, threads):
    spec = {}
    if budget is not None:
        spec["budget"] = dict(budget)
    if threads is not None:
        spec["threads"] = threads
    return spec


class _GeluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, kernels, approximate):
        x = _check(x, "input")
        ctx.save_for_backward(x)
        ctx.kernels, ctx.approximate = kernels, approximate
        return kernels.get("gelu", x.dtype, approximate=approximate)(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        dy = _check(dy, "grad_output").to(x.dtype)
        kernel = ctx.kernels.get("gelu_backward", x.dtype,
                                 approximate=ctx.approximate)
        return kernel(x, dy), None, None


class GELU(nn.Module):
    """GELU, as torch.nn.GELU(approximate=...): "none" (x·Φ(x)), "tanh", or
    "sigmoid" (x·σ(1.702x)). budget: an error budget (docs/spec.md), e.g.
    {"max_abs": 1e-4}, for forward and backward; None: the accurate
    defaults. threads: threads per call (None: 1)."""

    def __init__(self, approximate="none", budget=None, threads=None):
        super().__init__()
        if approximate not in _APPROXIMATE:
            raise ValueError(
                f"gelu_jit.torch.GELU: approximate is {approximate!r}; "
                f"one of {', '.join(_APPROXIMATE)}")
        self.approximate = approximate
        self.budget = budget
        self._kernels = _Kernels(_base_spec(budget, threads))
        # Compile now, so that a budget no kernel meets fails here.
        self._kernels.get("gelu", torch.float32, approximate=approximate)

    def forward(self, x):
        return _GeluFunction.apply(x, self._kernels, self.approximate)

    def extra_repr(self):
        budget = f", budget={self.budget}" if self.budget else ""
        return f"approximate={self.approximate!r}{budget}"


def _silu_derivative(x):
    """σ(x)·(1 + x·(1 − σ(x))) in float32."""
    x = x.float()
    s = torch.sigmoid(x)
    return s * (1 + x * (1 - s))


class _SiluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, kernels):
        x = _check(x, "input")
        ctx.save_for_backward(x)
        return kernels.get("silu", x.dtype)(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return (dy.float() * _silu_derivative(x)).to(x.dtype), None


class SiLU(nn.Module):
    """SiLU, x·σ(x), as torch.nn.SiLU."""

    def __init__(self, budget=None, threads=None):
        super().__init__()
        self._kernels = _Kernels(_base_spec(budget, threads))
        self._kernels.get("silu", torch.float32)

    def forward(self, x):
        return _SiluFunction.apply(x, self._kernels)


class _BiasGeluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, bias, kernels, approximate):
        x = _check(x, "input")
        bias = _check(bias, "bias").to(x.dtype)
        ctx.save_for_backward(x, bias)
        ctx.kernels, ctx.approximate = kernels, approximate
        kernel = kernels.get("bias_gelu", x.dtype, approximate=approximate)
        return kernel(x, bias)

    @staticmethod
    def backward(ctx, dy):
        x, bias = ctx.saved_tensors
        dy = _check(dy, "grad_output").to(x.dtype)
        kernel = ctx.kernels.get("bias_gelu_backward", x.dtype,
                                 approximate=ctx.approximate)
        dx, dbias = kernel(x, bias, dy)
        return dx, dbias.to(bias.dtype), None, None


class BiasGELU(nn.Module):
    """GELU(x + bias), the bias (a parameter of `features` values) added
    along the last dimension: the fused form of Linear's bias and GELU. Its
    backward gives the input's gradient and the bias's (column sums in
    f32) in one kernel."""

    def __init__(self, features, approximate="none", budget=None,
                 threads=None, dtype=torch.float32):
        super().__init__()
        if approximate not in _APPROXIMATE:
            raise ValueError(
                f"gelu_jit.torch.BiasGELU: approximate is {approximate!r}; "
                f"one of {', '.join(_APPROXIMATE)}")
        self.approximate = approximate
        self.bias = nn.Parameter(torch.zeros(features, dtype=dtype))
        self._kernels = _Kernels(_base_spec(budget, threads))
        self._kernels.get("bias_gelu", torch.float32, approximate=approximate)

    def forward(self, x):
        return _BiasGeluFunction.apply(x, self.bias, self._kernels,
                                       self.approximate)

    def extra_repr(self):
        return f"features={self.bias.numel()}, " \
               f"approximate={self.approximate!r}"


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
        extra = {"approximate": approximate} if op == "geglu" else {}
        return kernels.get(op, x.dtype, **extra)(gate, up)

    @staticmethod
    def backward(ctx, dy):
        up, gate = ctx.saved_tensors
        dy = _check(dy, "grad_output").to(up.dtype)
        kernels = ctx.kernels
        if ctx.op == "geglu":
            act = kernels.get("gelu", up.dtype,
                              approximate=ctx.approximate)(gate)
            dgate = kernels.get("gelu_backward", up.dtype,
                                approximate=ctx.approximate)(
                gate, (dy.float() * up.float()).to(up.dtype))
        else:
            act = kernels.get("silu", up.dtype)(gate)
            dgate = (dy.float() * up.float() *
                     _silu_derivative(gate)).to(up.dtype)
        dup = (dy.float() * act.float()).to(up.dtype)
        return torch.cat([dup, dgate], dim=-1), None, None, None


class GEGLU(nn.Module):
    """GEGLU's activation: (up, gate) = x.chunk(2, -1), up·GELU(gate), as in
    "GLU Variants Improve Transformer" (the projection is the caller's)."""

    def __init__(self, approximate="none", budget=None, threads=None):
        super().__init__()
        if approximate not in _APPROXIMATE:
            raise ValueError(
                f"gelu_jit.torch.GEGLU: approximate is {approximate!r}; "
                f"one of {', '.join(_APPROXIMATE)}")
        self.approximate = approximate
        self._kernels = _Kernels(_base_spec(budget, threads))
        self._kernels.get("geglu", torch.float32, approximate=approximate)

    def forward(self, x):
        return _GatedFunction.apply(x, self._kernels, "geglu",
                                    self.approximate)


class SwiGLU(nn.Module):
    """SwiGLU's activation: (up, gate) = x.chunk(2, -1), up·SiLU(gate)."""

    def __init__(self, budget=None, threads=None):
        super().__init__()
        self._kernels = _Kernels(_base_spec(budget, threads))
        self._kernels.get("swiglu", torch.float32)

    def forward(self, x):
        return _GatedFunction.apply(x, self._kernels, "swiglu", None)
