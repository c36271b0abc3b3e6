# ===- __init__.py - gelu-jit from Python -----------------------------------===#
#
# Part of gelu-jit.
#
# ===-----------------------------------------------------------------------===#
"""gelu-jit from Python: compile activation kernels from a spec at run time
and call them on NumPy arrays and PyTorch CPU tensors, zero-copy.

    import gelu_jit
    gelu = gelu_jit.compile({"op": "gelu"})
    y = gelu(x)                 # x: a float32 array or tensor, any shape

The spec is the JSON of docs/spec.md, as a dict or a string. The PyTorch
modules (with autograd) are in gelu_jit.torch.
"""

from ._capi import CompileError, Error, RunError, library_path
from ._kernel import Kernel, compile

__all__ = ["compile", "Kernel", "Error", "CompileError", "RunError",
           "version", "library_path"]


def version():
    """The version of the loaded libgelu-jit.so."""
    from ._capi import lib
    return lib.gelu_version().decode()


__version__ = version()
