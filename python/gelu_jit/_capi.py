# ===- _capi.py - ctypes declarations of gelu-c/gelu.h ----------------------===#
#
# Part of gelu-jit.
#
# ===-----------------------------------------------------------------------===#
"""The C API of libgelu-jit.so (include/gelu-c/gelu.h), through ctypes.

ctypes, not a compiled extension: the package binds the same C API that any
other language's FFI binds, so Python exercises it; nothing is built per
Python version; and a ctypes call releases the GIL while the kernel runs.
"""

import ctypes
import os

from . import _library

# gelu_element
F32, F16, BF16, U16, F64 = 0, 1, 2, 3, 4
ELEMENT_NAMES = {F32: "f32", F16: "f16", BF16: "bf16", U16: "u16",
                 F64: "f64"}
# gelu_abi
UNARY, BINARY, BIAS, BIAS_BACKWARD = 0, 1, 2, 3
ABI_NAMES = {UNARY: "unary", BINARY: "binary", BIAS: "bias",
             BIAS_BACKWARD: "bias_backward"}
THREADS_FROM_SPEC = -1

_API_VERSION = 1


class Error(Exception):
    """An error reported by gelu-jit itself."""


class CompileError(Error, ValueError):
    """A spec that does not compile: bad JSON, an unknown field, a value out
    of range, a budget no kernel meets. The message names the field."""


class RunError(Error, ValueError):
    """A call the library's checked run refused."""


def library_path():
    """Where libgelu-jit.so is loaded from: $GELU_JIT_LIBRARY, else the
    library of the build or install this package belongs to."""
    return os.environ.get("GELU_JIT_LIBRARY") or _library.path()


def _load():
    path = library_path()
    try:
        lib = ctypes.CDLL(path)
    except OSError as error:
        raise ImportError(
            f"gelu_jit: cannot load the gelu-jit library '{path}': {error} "
            "(set GELU_JIT_LIBRARY to libgelu-jit.so)") from None
    p, c_int, i64 = ctypes.c_void_p, ctypes.c_int, ctypes.c_int64
    signatures = {
        "gelu_version": (ctypes.c_char_p, []),
        "gelu_c_api_version": (c_int, []),
        "gelu_error_message": (ctypes.c_char_p, [p]),
        "gelu_error_destroy": (None, [p]),
        "gelu_compile": (p, [ctypes.c_char_p, ctypes.POINTER(p)]),
        "gelu_compile_cached": (p, [ctypes.c_char_p, ctypes.POINTER(p)]),
        "gelu_kernel_destroy": (None, [p]),
        "gelu_kernel_op": (ctypes.c_char_p, [p]),
        "gelu_kernel_abi": (c_int, [p]),
        "gelu_kernel_dtype": (c_int, [p]),
        "gelu_kernel_threads": (ctypes.c_uint, [p]),
        "gelu_kernel_spec_json": (ctypes.c_char_p, [p]),
        "gelu_kernel_report_json": (ctypes.c_char_p, [p]),
        "gelu_kernel_compile_seconds": (ctypes.c_double, [p]),
        "gelu_kernel_entry": (p, [p]),
        "gelu_kernel_run": (p, [p, c_int, p, p, i64, c_int]),
        "gelu_kernel_run_binary": (p, [p, c_int, p, p, p, i64, c_int]),
        "gelu_kernel_run_bias": (p, [p, c_int, p, p, p, i64, i64, c_int]),
        "gelu_kernel_run_bias_backward":
            (p, [p, c_int, p, p, p, p, p, i64, i64, c_int]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    if lib.gelu_c_api_version() != _API_VERSION:
        raise ImportError(
            f"gelu_jit: '{path}' has C API version "
            f"{lib.gelu_c_api_version()}; this package needs {_API_VERSION}")
    return lib


lib = _load()


def take_error(error):
    """The message of a gelu_error (then freed); None for NULL."""
    if not error:
        return None
    message = lib.gelu_error_message(error).decode("utf-8", "replace")
    lib.gelu_error_destroy(error)
    return message


def compile_spec(spec_json, cached):
    error = ctypes.c_void_p()
    compile_function = lib.gelu_compile_cached if cached else lib.gelu_compile
    handle = compile_function(spec_json.encode("utf-8"), ctypes.byref(error))
    if not handle:
        raise CompileError(take_error(error.value) or "gelu-jit: the spec did "
                           "not compile")
    return handle


def check(error):
    message = take_error(error)
    if message is not None:
        raise RunError(message)
