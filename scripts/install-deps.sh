#!/usr/bin/env bash
#===- scripts/install-deps.sh - Install the Debian packages gelu-jit needs -===#
#
# Idempotent: installs only what is missing and prints nothing when all of it
# is present. Needs root (or sudo) only when something must be installed.
# --bench adds what bench/ links (Google Benchmark and the anchors: Eigen,
# Sleef, oneDNN) and what scripts/plot-bench.py draws with (matplotlib);
# --torch adds PyTorch (an anchor of scripts/bench-training.sh);
# --python adds what the Python package's tests use (NumPy, SciPy, pytest,
# PyTorch);
# --sanitize adds clang-22 and its runtimes (sanitizers, libFuzzer).
#
#===------------------------------------------------------------------------===#
set -euo pipefail

PACKAGES=(
  # Toolchain and build (pkg-config: the installed package's test).
  cmake ninja-build g++ git pkgconf
  # LLVM / MLIR 22 (bookworm-security carries 22.1.x).
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # Libraries LLVM's CMake package looks for.
  zlib1g-dev libzstd-dev
  # Spec parsing, unit tests, and MPFR for the accuracy tool's reference.
  nlohmann-json3-dev libgtest-dev libmpfr-dev
  # The Python package's arrays (python/gelu_jit; the README's quick start).
  python3-numpy
  # AArch64 objects are linked with the cross toolchain and run under qemu
  # in the tests.
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
)
for option in "$@"; do
  case "$option" in
  --bench)
    # oneDNN's CMake config (dnnl-config.cmake) calls find_package(OpenCL
    # REQUIRED): its OpenCL headers and library are only recommended by
    # libdnnl-dev, and --no-install-recommends leaves them out.
    PACKAGES+=(libbenchmark-dev libeigen3-dev libsleef-dev libdnnl-dev
      ocl-icd-opencl-dev python3-matplotlib) ;;
  --torch)
    # PyTorch's CPU build, an anchor of scripts/bench-training.sh.
    PACKAGES+=(python3-torch) ;;
  --python)
    # The gelu_jit package's pytest suite (python/tests): NumPy arrays,
    # SciPy's erfc as the float64 reference, PyTorch's CPU build.
    PACKAGES+=(python3-numpy python3-scipy python3-pytest python3-torch) ;;
  --sanitize)
    # clang with its sanitizer and libFuzzer runtimes (scripts/sanitize.sh).
    PACKAGES+=(clang-22 libclang-rt-22-dev) ;;
  *)
    echo "install-deps: unknown option '$option' (--bench, --torch, --python, --sanitize)" >&2
    exit 2 ;;
  esac
done

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

((${#missing[@]} == 0)) && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root to install ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then
  echo "install-deps: could not install ${missing[*]}." >&2
  echo "install-deps: Debian 12 carries LLVM/MLIR 22 in bookworm-security; check that it is among the apt sources." >&2
  exit 1
fi
