//===- GpuRuntime.h - Run kernels on an NVIDIA GPU --------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The GPU path of the JIT API: a spec with an nvptx-sm_XX target is
// compiled to PTX (GpuCodegen.h), loaded through the CUDA driver API and
// launched on device pointers. libcuda is opened at run time (dlopen), so
// nothing links against CUDA and a machine without a driver or a GPU gets
// an error naming what is missing, not a crash.
//
//   auto kernel = gelu::GpuKernel::compile(spec);   // target nvptx-sm_90
//   if (!kernel) ...;                               // no driver, no GPU, ...
//   auto in = gelu::GpuBuffer::allocate(n * 4), out = ...;
//   (*in)->copyFromHost(host, n * 4);
//   if (auto err = (*kernel)->run((*in)->address(), (*out)->address(), n)) ...
//
//===----------------------------------------------------------------------===//

#ifndef GELU_JIT_GPURUNTIME_H
#define GELU_JIT_GPURUNTIME_H

#include "gelu/JIT/Tuner.h"
#include "gelu/Spec/Spec.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace gelu {

struct GpuLaunchShape;

/// Whether this process can reach an NVIDIA GPU: success, or why not (no
/// libcuda, no device, driver error). Opens the driver on first use.
llvm::Error gpuAvailable();

/// "nvptx-sm_90" for the first device's compute capability (the newest
/// nvptx target not newer than it).
llvm::Expected<std::string> gpuTargetName();

/// Device memory (cuMemAlloc), freed with the object.
class GpuBuffer {
public:
  static llvm::Expected<std::unique_ptr<GpuBuffer>> allocate(uint64_t bytes);
  ~GpuBuffer();
  GpuBuffer(const GpuBuffer &) = delete;
  GpuBuffer &operator=(const GpuBuffer &) = delete;

  /// The device address (a CUdeviceptr).
  uint64_t address() const { return device; }
  uint64_t size() const { return bytes; }
  llvm::Error copyFromHost(const void *host, uint64_t count);
  llvm::Error copyToHost(void *host, uint64_t count) const;
  /// A device-to-device copy of `count` bytes from `source` (the bandwidth
  /// reference).
  llvm::Error copyFrom(const GpuBuffer &source, uint64_t count);

private:
  GpuBuffer(uint64_t device, uint64_t bytes) : device(device), bytes(bytes) {}
  uint64_t device;
  uint64_t bytes;
};

/// A kernel loaded on the first GPU.
class GpuKernel {
public:
  /// Compiles `spec` (its target an nvptx-sm_XX) to PTX and loads it. A
  /// budget is tuned as for the CPU, with the cost model ranking (the
  /// candidates' errors measured on host code of the same expansions).
  static llvm::Expected<std::unique_ptr<GpuKernel>>
  compile(const KernelSpec &spec);
  ~GpuKernel();
  GpuKernel(const GpuKernel &) = delete;
  GpuKernel &operator=(const GpuKernel &) = delete;

  /// The spec compiled (with the tuner's choices, for a budget).
  const KernelSpec &spec() const { return kernelSpec; }
  /// The tuner's report, for a spec with a budget.
  const std::optional<TuningReport> &report() const { return tuning; }
  const std::string &ptx() const { return ptxText; }

  /// The calls check their arguments as the CPU kernels' do (Jit.h): the
  /// op's ABI, counts of at least 1, device addresses that are not null,
  /// aligned to the elements, and overlapping only in place (an output
  /// exactly an input of its shape); a failed check launches nothing.
  /// Each waits for the kernel.
  ///
  /// gelu, silu, relu: out[i] = op(in[i]), i < n (device addresses of the
  /// spec's dtype; in == out allowed).
  llvm::Error run(uint64_t in, uint64_t out, int64_t n) const;
  /// gelu_backward (x, dy → dx), geglu and swiglu (a, b → out): out[i] =
  /// op(x[i], y[i]), i < n; out may be x or y.
  llvm::Error runBinary(uint64_t x, uint64_t y, uint64_t out, int64_t n) const;
  /// bias_gelu: y[r·cols + c] = GELU(x[r·cols + c] + bias[c]) over a
  /// row-major [rows, cols] x; y may be x.
  llvm::Error runBias(uint64_t x, uint64_t bias, uint64_t y, int64_t rows,
                      int64_t cols) const;
  /// bias_gelu_backward: dx = dy·GELU'(x + bias) over a row-major [rows,
  /// cols] x, and dbias[c] = Σ_r dx[r·cols + c] (f32 device memory, cols
  /// floats, overwritten), summed in f32 in an order fixed by rows, cols
  /// and the buffers' alignment (GpuCodegen.h: the same call gives the same
  /// bits; the order differs from the CPU kernel's); dx may be x or dy. The
  /// partial sums go to a device buffer that the kernel keeps between calls
  /// (grown as needed; calls on one GpuKernel from several threads are
  /// serialised).
  llvm::Error runBiasBackward(uint64_t x, uint64_t bias, uint64_t dy,
                              uint64_t dx, uint64_t dbias, int64_t rows,
                              int64_t cols) const;
  /// run(), timed with CUDA events: milliseconds of device time.
  llvm::Expected<double> runTimed(uint64_t in, uint64_t out, int64_t n) const;

private:
  GpuKernel() = default;
  /// Launches the kernel on `elements` elements with `parameters` (the
  /// addresses of its arguments, in order) and waits for it.
  llvm::Error launch(void **parameters, int64_t elements) const;
  /// Launches `kernel` with `shape` and `parameters`, without waiting.
  llvm::Error launchAsync(void *kernel, const GpuLaunchShape &shape,
                          void **parameters) const;
  KernelSpec kernelSpec;
  std::optional<TuningReport> tuning;
  std::string ptxText;
  void *module = nullptr;   ///< CUmodule
  void *function = nullptr; ///< CUfunction
  /// bias_gelu_backward's second kernel (the dbias sums) and the first's
  /// partial sums.
  void *dbiasFunction = nullptr;
  mutable std::unique_ptr<GpuBuffer> partialSums;
  mutable std::mutex partialSumsMutex;
};

/// Milliseconds of device time of `work` (kernel calls, copies), between
/// two CUDA events.
llvm::Expected<double> timeOnGpu(llvm::function_ref<llvm::Error()> work);

/// Milliseconds of device time of a device-to-device copy of `bytes`.
llvm::Expected<double> timeDeviceCopy(const GpuBuffer &from, GpuBuffer &to,
                                      uint64_t bytes);

} // namespace gelu

#endif // GELU_JIT_GPURUNTIME_H
