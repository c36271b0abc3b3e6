# -*- Python -*-
# lit configuration of gelu-jit.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "GELU"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.gelu_obj_root, "test")

llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()
# Tests never touch the user's tuning cache; those that test it name a file.
config.environment["GELU_JIT_TUNING_CACHE"] = "off"

config.substitutions.append(("%cxx", config.host_cxx))
config.substitutions.append(("%cc", config.host_cc))
config.substitutions.append(("%gelu_version", config.gelu_version))
config.substitutions.append(("%llvm_version", config.llvm_version))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Driver", "Inputs")))
# The mlir-opt plugins (tools/gelu-plugins).
config.substitutions.append(("%gelu_lib_dir", os.path.join(config.gelu_obj_root, "lib")))
# mlir-runner's runtime libraries (printMemrefF32, vector.print).
config.substitutions.append(("%mlir_lib_dir", os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")))

# Our tools first, then Debian's LLVM tools (FileCheck, not, count,
# mlir-translate), which are not CMake targets.
tool_dirs = [config.gelu_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    [ToolSubst("gelu-opt", unresolved="fatal"),
     ToolSubst("mlir-opt", unresolved="fatal"),
     ToolSubst("mlir-runner", unresolved="fatal"),
     ToolSubst("mlir-translate", unresolved="fatal"),
     ToolSubst("llvm-nm", unresolved="fatal")],
    tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.gelu_tools_dir, append_path=True)


# Host features that some codegen tests need.
import platform

if platform.machine() in ("x86_64", "AMD64"):
    config.available_features.add("host-x86_64")
try:
    with open("/proc/cpuinfo") as cpuinfo:
        flags = cpuinfo.read()
    if " avx512f" in flags:
        config.available_features.add("host-avx512")
except OSError:
    pass

# The sanitizer builds (scripts/sanitize.sh) run the lit tests; those that
# measure hundreds of millions of inputs or repeat one code path over a
# matrix say `UNSUPPORTED: sanitizers` (their code runs under the
# sanitizers in the cheaper tests), and scripts/test.sh runs them, and only
# them, in the release build.
if config.gelu_sanitizers:
    config.available_features.add("sanitizers")

# AArch64 objects are linked with the cross compiler and run under
# qemu-user (scripts/install-deps.sh installs both).
import shutil

if shutil.which("aarch64-linux-gnu-gcc") and shutil.which("qemu-aarch64"):
    config.available_features.add("aarch64-cross")

# PTX is assembled with ptxas where CUDA is installed (it need not be a GPU
# machine): /usr/local/cuda/bin or PATH.
ptxas = shutil.which("ptxas") or shutil.which("ptxas", path="/usr/local/cuda/bin")
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
else:
    lit_config.note("ptxas not found (PATH, /usr/local/cuda/bin): the tests "
                    "that assemble PTX are skipped (UNSUPPORTED)")

# A pseudo-terminal (util-linux's script), for what tools do when stdout is
# a terminal. A chroot without /dev/pts has none: those tests are skipped.
import subprocess

try:
    if subprocess.run(["script", "-qec", "true", "/dev/null"],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                      timeout=10).returncode == 0:
        config.available_features.add("pty")
    else:
        lit_config.note("no pseudo-terminal (script -qec true failed): the "
                        "terminal tests are skipped (UNSUPPORTED)")
except (OSError, subprocess.TimeoutExpired):
    lit_config.note("no 'script' for a pseudo-terminal: the terminal tests "
                    "are skipped (UNSUPPORTED)")

# A CUDA driver (libcuda.so.1) that loads: the GPU tools then run kernels
# instead of exiting with "no NVIDIA driver", which the no-GPU tests check.
import ctypes

try:
    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
except OSError:
    pass
config.substitutions.append(("%gelu_source_root",
                             os.path.dirname(config.test_source_root)))
config.substitutions.append(("%gelu_obj_root", config.gelu_obj_root))
