# ===- _kernel.py - A compiled kernel, called on arrays and tensors ---------===#
#
# Part of gelu-jit.
#
# ===-----------------------------------------------------------------------===#
"""Kernel: a compiled kernel, callable on NumPy arrays and PyTorch tensors.

Every call is checked before the library sees a pointer, with an exception
that names the argument and what is wrong, and nothing is written when a
check fails:

- TypeError: not an array or tensor, a dtype the kernel does not take, an
  output that is read-only;
- ValueError: not contiguous, not on the CPU, empty, shapes that do not
  match, an output that overlaps an input without being exactly it;
- gelu_jit.RunError (a ValueError): what the library's own checked run
  refuses (a second line of the same checks).
"""

import json
import sys

from . import _capi
from ._capi import BF16, F16, F32, F64, U16

# What each kernel dtype accepts: its own type, and u16 (NumPy's uint16
# holding bf16 or f16 bit patterns) for the 16-bit ones.
_ACCEPTS = {F32: (F32,), F64: (F64,), F16: (F16, U16), BF16: (BF16, U16)}
_TAKES = {
    F32: "float32 arrays or tensors",
    F64: "float64 arrays or tensors",
    F16: "float16 arrays or tensors, or uint16 arrays of f16 bit patterns",
    BF16: "torch.bfloat16 tensors, or NumPy uint16 arrays of bf16 bit "
          "patterns",
}


class _Buffer:
    """An array or tensor's memory: where, how many elements, what type."""

    __slots__ = ("obj", "name", "address", "count", "element", "itemsize",
                 "shape")

    @property
    def end(self):
        return self.address + self.count * self.itemsize


# dtype -> element, made on the first tensor or array.
_torch_kinds = None
_numpy_kinds = None


def _torch_buffer(obj, name, writable, torch):
    global _torch_kinds
    if _torch_kinds is None:
        _torch_kinds = {torch.float32: F32, torch.float64: F64,
                        torch.float16: F16, torch.bfloat16: BF16}
    if not obj.is_cpu:
        raise ValueError(
            f"gelu_jit: {name} is on {obj.device}: gelu-jit's kernels run on "
            "CPU tensors here (the GPU runtime is not wired to PyTorch "
            f"yet); pass {name}.cpu()")
    element = _torch_kinds.get(obj.dtype)
    if element is None:
        raise TypeError(f"gelu_jit: {name} is a {obj.dtype} tensor")
    if not obj.is_contiguous():
        raise ValueError(
            f"gelu_jit: {name} is not contiguous (shape {tuple(obj.shape)}, "
            f"strides {obj.stride()}); pass {name}.contiguous()")
    if writable and obj.requires_grad and torch.is_grad_enabled():
        raise ValueError(
            f"gelu_jit: {name} requires grad; a kernel cannot write into it "
            "behind autograd's back (use the gelu_jit.torch modules)")
    buffer = _Buffer()
    buffer.obj, buffer.name, buffer.element = obj, name, element
    buffer.address = obj.data_ptr()
    buffer.count = obj.numel()
    buffer.itemsize = obj.element_size()
    buffer.shape = obj.shape
    return buffer


def _buffer(obj, name, writable=False):
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(obj, torch.Tensor):
        return _torch_buffer(obj, name, writable, torch)
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(obj, numpy.ndarray):
        global _numpy_kinds
        if _numpy_kinds is None:
            _numpy_kinds = {numpy.dtype(numpy.float32): F32,
                            numpy.dtype(numpy.float64): F64,
                            numpy.dtype(numpy.float16): F16,
                            numpy.dtype(numpy.uint16): U16}
        element = _numpy_kinds.get(obj.dtype)
        if element is None:
            raise TypeError(
                f"gelu_jit: {name} is a {obj.dtype} array "
                f"('{obj.dtype.str}')")
        if not obj.flags.c_contiguous:
            raise ValueError(
                f"gelu_jit: {name} is not C-contiguous (shape {obj.shape}, "
                f"strides {obj.strides}); pass numpy.ascontiguousarray("
                f"{name})")
        if writable and not obj.flags.writeable:
            raise TypeError(f"gelu_jit: {name} is a read-only array")
        buffer = _Buffer()
        buffer.obj, buffer.name, buffer.element = obj, name, element
        buffer.address = obj.ctypes.data
        buffer.count = obj.size
        buffer.itemsize = obj.itemsize
        buffer.shape = obj.shape
        return buffer
    raise TypeError(
        f"gelu_jit: {name} is a {type(obj).__module__}."
        f"{type(obj).__qualname__}; kernels take NumPy arrays and PyTorch "
        "tensors")


def _empty_like(buffer, floating=None):
    """A new array or tensor of `buffer`'s kind, shape and type (or
    "float32" / "float64": `floating`)."""
    obj = buffer.obj
    shape = buffer.shape
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(obj, torch.Tensor):
        dtype = getattr(torch, floating) if floating else obj.dtype
        return torch.empty(shape, dtype=dtype)
    import numpy
    return numpy.empty(shape,
                       dtype=getattr(numpy, floating) if floating else obj.dtype)


def _overlaps(a, b):
    return a.address < b.end and b.address < a.end


class Kernel:
    """A compiled kernel. Made by gelu_jit.compile; callable by its ABI:

    - gelu, silu, relu:           kernel(x, out=None) -> out
    - gelu_backward:              kernel(x, dy, out=None) -> dx
    - geglu, swiglu:              kernel(gate, up, out=None) -> out
    - bias_gelu:                  kernel(x, bias, out=None) -> y
      (bias: 1-D, the length of x's last dimension)
    - bias_gelu_backward:         kernel(x, bias, dy, out=None, dbias=None)
                                  -> (dx, dbias)  (dbias: float32;
                                     float64 for an f64 kernel)

    `out` may be an input of the same shape (in place). `threads`: threads
    that share the call (None: the spec's; 0: one per hardware thread).
    The GIL is released while the kernel runs.
    """

    def __init__(self, handle):
        self._handle = handle
        lib = _capi.lib
        self.op = lib.gelu_kernel_op(handle).decode()
        self._abi = lib.gelu_kernel_abi(handle)
        self._dtype = lib.gelu_kernel_dtype(handle)
        self.abi = _capi.ABI_NAMES[self._abi]
        self.dtype = _capi.ELEMENT_NAMES[self._dtype]
        self.threads = lib.gelu_kernel_threads(handle)
        self.spec = json.loads(lib.gelu_kernel_spec_json(handle))
        self.compile_seconds = lib.gelu_kernel_compile_seconds(handle)
        self._report = None

    def __del__(self):
        handle, self._handle = getattr(self, "_handle", None), None
        if handle and _capi is not None and _capi.lib is not None:
            _capi.lib.gelu_kernel_destroy(handle)

    def __repr__(self):
        expansion = self.spec.get("expansion", "the default")
        degree = self.spec.get("degree")
        if degree:
            expansion += f" degree {degree}"
        return (f"<gelu_jit.Kernel '{self.spec.get('name')}': {self.op} "
                f"{self.dtype}, {expansion}>")

    @property
    def report(self):
        """What was chosen and why (docs/tuning.md), as a dict."""
        if self._report is None:
            self._report = json.loads(
                _capi.lib.gelu_kernel_report_json(self._handle))
        return self._report

    @property
    def entry(self):
        """The raw entry's address (no checks; see gelu-c/gelu.h)."""
        return _capi.lib.gelu_kernel_entry(self._handle)

    def _typed(self, buffer):
        if buffer.element not in _ACCEPTS[self._dtype]:
            raise TypeError(
                f"gelu_jit: {buffer.name} holds "
                f"{_capi.ELEMENT_NAMES[buffer.element]}, but this is a "
                f"{self.dtype} kernel ('{self.spec.get('name')}'): it takes "
                f"{_TAKES[self._dtype]}")
        return buffer

    def _output(self, out, like, name="out", floating=None):
        """`out` (checked to have `like`'s shape), or a new one."""
        if out is None:
            return _buffer(_empty_like(like, floating), name)
        buffer = _buffer(out, name, writable=True)
        self._same_shape(buffer, like)
        return buffer

    @staticmethod
    def _same_shape(first, other):
        if tuple(first.shape) != tuple(other.shape):
            raise ValueError(
                f"gelu_jit: {first.name} has shape {tuple(first.shape)}, "
                f"{other.name} {tuple(other.shape)}: they must match")

    @staticmethod
    def _not_empty(buffer):
        if buffer.count == 0:
            raise ValueError(
                f"gelu_jit: {buffer.name} is empty: a kernel runs on one "
                "element or more")

    @staticmethod
    def _disjoint(output, inputs, in_place=()):
        for other in inputs:
            if not _overlaps(output, other):
                continue
            if other in in_place and output.address == other.address and \
                    output.count == other.count:
                continue
            raise ValueError(
                f"gelu_jit: {output.name} overlaps {other.name} without "
                f"being exactly it: the result would depend on the order of "
                "the writes")

    @staticmethod
    def _threads(threads):
        if threads is None:
            return _capi.THREADS_FROM_SPEC
        if isinstance(threads, bool) or not isinstance(threads, int) or \
                threads < 0:
            raise ValueError(
                f"gelu_jit: threads is {threads!r}: None (the spec's), 0 "
                "(one per hardware thread) or a count")
        return threads

    def _wrong_call(self, how):
        return TypeError(f"gelu_jit: '{self.spec.get('name')}' is a "
                         f"{self.op} kernel, called as {how}")

    def __call__(self, *args, out=None, dbias=None, threads=None):
        threads = self._threads(threads)
        lib = _capi.lib
        if self._abi == _capi.UNARY:
            if len(args) != 1:
                raise self._wrong_call(f"kernel(x, out=None), not with "
                                       f"{len(args)} arguments")
            x = self._typed(_buffer(args[0], "x"))
            self._not_empty(x)
            result = self._typed(self._output(out, x))
            self._disjoint(result, [x], in_place=[x])
            _capi.check(lib.gelu_kernel_run(
                self._handle, x.element, x.address, result.address, x.count,
                threads))
            return result.obj
        if self._abi == _capi.BINARY:
            names = ("x", "dy") if self.op == "gelu_backward" else \
                ("gate", "up")
            if len(args) != 2:
                raise self._wrong_call(
                    f"kernel({names[0]}, {names[1]}, out=None)")
            a = self._typed(_buffer(args[0], names[0]))
            b = self._typed(_buffer(args[1], names[1]))
            self._same_shape(a, b)
            self._not_empty(a)
            result = self._typed(self._output(out, a))
            self._disjoint(result, [a, b], in_place=[a, b])
            _capi.check(lib.gelu_kernel_run_binary(
                self._handle, a.element, a.address, b.address,
                result.address, a.count, threads))
            return result.obj
        expected = 2 if self._abi == _capi.BIAS else 3
        if len(args) != expected:
            raise self._wrong_call(
                "kernel(x, bias, out=None)" if expected == 2 else
                "kernel(x, bias, dy, out=None, dbias=None)")
        x = self._typed(_buffer(args[0], "x"))
        bias = self._typed(_buffer(args[1], "bias"))
        if len(bias.shape) != 1 or not x.shape or \
                x.shape[-1] != bias.count:
            raise ValueError(
                f"gelu_jit: bias has shape {tuple(bias.shape)} and x "
                f"{tuple(x.shape)}: bias must be 1-D, as long as x's last "
                "dimension")
        self._not_empty(x)
        cols = bias.count
        rows = x.count // cols
        if self._abi == _capi.BIAS:
            result = self._typed(self._output(out, x))
            self._disjoint(result, [x, bias], in_place=[x])
            _capi.check(lib.gelu_kernel_run_bias(
                self._handle, x.element, x.address, bias.address,
                result.address, rows, cols, threads))
            return result.obj
        dy = self._typed(_buffer(args[2], "dy"))
        self._same_shape(x, dy)
        dx = self._typed(self._output(out, x))
        # The sums are kept in f32 (f64 for an f64 kernel).
        wide = self._dtype == F64
        sums = self._output(dbias, bias, name="dbias",
                            floating="float64" if wide else "float32")
        if sums.element != (F64 if wide else F32):
            raise TypeError(
                "gelu_jit: dbias must be "
                + ("float64 (an f64 kernel's sums are kept in f64)" if wide
                   else "float32 (the sums are kept in f32)"))
        self._disjoint(dx, [x, bias, dy], in_place=[x, dy])
        self._disjoint(sums, [x, bias, dy, dx])
        _capi.check(lib.gelu_kernel_run_bias_backward(
            self._handle, x.element, x.address, bias.address, dy.address,
            dx.address, sums.address, rows, cols, threads))
        return dx.obj, sums.obj


def compile(spec=None, *, threads=None, cache=True, **fields):
    """Compiles a kernel for this CPU from a spec (docs/spec.md): a dict, a
    JSON string, or keyword fields (compile(op="gelu", dtype="bf16")).

    threads: the spec's "threads" (the default of every call). cache: use
    the process-wide kernel cache shared with the C++ API (a spec compiled
    before in this process is not compiled again). A spec with a budget is
    tuned first (decisions persist in the tuning cache, docs/tuning.md).
    Raises gelu_jit.CompileError naming the field that is wrong.
    """
    if spec is None:
        spec = {}
    if isinstance(spec, (bytes, bytearray)):
        spec = spec.decode("utf-8")
    if threads is not None or fields:
        if isinstance(spec, str):
            try:
                spec = json.loads(spec)
            except json.JSONDecodeError as error:
                raise _capi.CompileError(
                    f"<spec>: not JSON: {error}") from None
        if not isinstance(spec, dict):
            raise TypeError("gelu_jit.compile: the spec is not a JSON object")
        spec = dict(spec, **fields)
        if threads is not None:
            spec["threads"] = threads
    if isinstance(spec, dict):
        spec = json.dumps(spec)
    elif not isinstance(spec, str):
        raise TypeError(
            f"gelu_jit.compile: the spec is a {type(spec).__name__}; give a "
            "dict or a JSON string")
    return Kernel(_capi.compile_spec(spec, cache))
