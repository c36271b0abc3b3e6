//===- Jit.h - Compile a spec into a callable kernel ------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The public C++ API: give a spec, get a kernel compiled in process for this
// CPU. Errors come back as llvm::Error, never as a crash.
//
//   auto kernel = gelu::compileKernel(gelu::KernelSpec{});
//   if (!kernel) { llvm::errs() << llvm::toString(kernel.takeError()); ... }
//   auto gelu = (*kernel)->f32();        // void(const float*, float*, int64_t)
//   gelu(in, out, n);                    // the fast path: no checks
//   if (auto err = (*kernel)->run(in, out, n)) ... // the checked path
//
//===----------------------------------------------------------------------===//

#ifndef GELU_JIT_JIT_H
#define GELU_JIT_JIT_H

#include "gelu/Spec/Spec.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>

namespace gelu {

struct TuningReport;

/// The 16-bit formats' encodings, for typed entry points: a Half* cannot be
/// handed to a bf16 kernel by mistake.
struct Half {
  uint16_t bits;
};
struct BFloat16 {
  uint16_t bits;
};

/// How a checked run is carried out.
struct RunOptions {
  /// Threads that share the range (the caller and the runtime's pool;
  /// started once, not per call). 0: one per hardware thread; absent: the
  /// spec's `threads`. Ranges below kMinElementsPerThread elements a thread
  /// use fewer.
  std::optional<unsigned> threads;
};

/// The least work worth a thread: below it, waking one costs more than it
/// saves.
constexpr int64_t kMinElementsPerThread = 32768;

/// The element type of a checked call or a typed entry: a dtype's, or u16
/// (the bits of either 16-bit dtype).
enum class CallElement { F32, F16, BF16, U16, F64 };

/// What bias_gelu_backward sums its bias gradient in for elements T: double
/// for double, float for the others (void for the untyped entry).
template <typename T>
using BiasGradient =
    std::conditional_t<std::is_same_v<T, double>, double,
                       std::conditional_t<std::is_void_v<T>, void, float>>;

/// A compiled kernel. It owns the JIT-ed code: the entry points are valid
/// for the Kernel's lifetime. Calls may come from any number of threads.
class Kernel {
public:
  // The C ABIs (KernelAbi); T is float, double, Half, BFloat16, or uint16_t
  // for either 16-bit format.
  template <typename T> using Entry = void (*)(const T *in, T *out, int64_t n);
  template <typename T>
  using BinaryEntry = void (*)(const T *x, const T *y, T *out, int64_t n);
  template <typename T>
  using BiasEntry = void (*)(const T *x, const T *bias, T *y, int64_t rows,
                             int64_t cols);
  template <typename T>
  using BiasBackwardEntry = void (*)(const T *x, const T *bias, const T *dy,
                                     T *dx, BiasGradient<T> *dbias,
                                     int64_t rows, int64_t cols);

  ~Kernel();
  Kernel(const Kernel &) = delete;
  Kernel &operator=(const Kernel &) = delete;

  const KernelSpec &spec() const;
  /// Wall time of the compile (spec to callable code), in seconds,
  /// including the tuning (compiling, measuring and timing candidates, or
  /// the tuning-cache lookup) for a spec that needs it.
  double compileSeconds() const;

  /// What was chosen and why (Tuner.h): for a tuned spec, the tuner's
  /// report; otherwise one made on the first call, which measures this
  /// kernel's error and time (~0.1 s). Thread-safe.
  const TuningReport &report() const;

  /// The entry of a gelu, silu or relu kernel, with the C ABI
  /// `void NAME(const T *in, T *out, int64_t n)`. It reads in[0..n) and
  /// writes out[0..n) and nothing else; in == out is allowed; n ≤ 0 does
  /// nothing. Null when the dtype is not f32 or the op takes other
  /// arguments.
  Entry<float> f32() const;
  /// The same for an f64 kernel.
  Entry<double> f64() const;
  /// Typed entries of f16 and bf16 activation kernels (null for any other
  /// dtype or op).
  Entry<Half> f16() const;
  Entry<BFloat16> bf16() const;
  /// Either 16-bit kernel on raw encodings.
  Entry<uint16_t> u16() const;

  /// Checked calls: fail with a message, without touching `out`, when a
  /// pointer is null or misaligned for the element type, n < 1, the buffers
  /// overlap without being identical, or the element type does not match
  /// the kernel's dtype. With options.threads > 1 the range is split across
  /// threads (chunks of whole cache lines).
  llvm::Error run(const float *in, float *out, int64_t n,
                  RunOptions options = {}) const;
  llvm::Error run(const double *in, double *out, int64_t n,
                  RunOptions options = {}) const;
  llvm::Error run(const Half *in, Half *out, int64_t n,
                  RunOptions options = {}) const;
  llvm::Error run(const BFloat16 *in, BFloat16 *out, int64_t n,
                  RunOptions options = {}) const;
  llvm::Error run(const uint16_t *in, uint16_t *out, int64_t n,
                  RunOptions options = {}) const;

  /// The entry of a gelu_backward (x, dy → dx), geglu or swiglu (a, b → y)
  /// kernel of elements T: reads x[0..n) and y[0..n), writes out[0..n);
  /// out may be x or y (in place). Null for another op or element type.
  template <typename T> BinaryEntry<T> binary() const;
  /// The entry of a bias_gelu kernel: y[r·cols + c] = GELU(x[r·cols + c] +
  /// bias[c]) for a row-major [rows, cols] x; y may be x.
  template <typename T> BiasEntry<T> bias() const;
  /// The entry of a bias_gelu_backward kernel: dx = dy·GELU'(x + bias) and
  /// dbias[c] = Σ_r dx[r·cols + c] (summed in f32, f64 for f64 kernels;
  /// dbias is overwritten);
  /// dx may be x or dy.
  template <typename T> BiasBackwardEntry<T> biasBackward() const;

  /// Checked calls of those entries, with the checks of run(): null or
  /// misaligned pointers, n, rows or cols below 1, a wrong element type or
  /// op, and buffers that overlap other than an output being exactly an
  /// input of the same shape. Threads split the elements (binary) or the
  /// rows (bias); for the backward, each thread sums its rows' dbias and
  /// the partial sums are added in thread order (deterministic for a given
  /// thread count).
  template <typename T>
  llvm::Error runBinary(const T *x, const T *y, T *out, int64_t n,
                        RunOptions options = {}) const;
  template <typename T>
  llvm::Error runBias(const T *x, const T *bias, T *y, int64_t rows,
                      int64_t cols, RunOptions options = {}) const;
  template <typename T>
  llvm::Error runBiasBackward(const T *x, const T *bias, const T *dy, T *dx,
                              BiasGradient<T> *dbias, int64_t rows,
                              int64_t cols, RunOptions options = {}) const;

  /// The entry as an untyped address (whatever the ABI; RawEntry etc.
  /// below are its types).
  void *address() const;

private:
  struct Impl;
  explicit Kernel(std::unique_ptr<Impl> impl);
  template <typename T> static constexpr CallElement callElementOf();
  /// The entry if the kernel has `abi` and elements of `element`, else null.
  void *entryFor(KernelAbi abi, CallElement element) const;
  llvm::Error checkCall(KernelAbi abi, CallElement element) const;
  unsigned threadsFor(int64_t work, RunOptions options) const;
  llvm::Error runElementwise(KernelAbi abi, llvm::ArrayRef<const void *> ins,
                             void *out, int64_t n, CallElement element,
                             RunOptions options) const;
  llvm::Error runRows(llvm::ArrayRef<const void *> ins, void *out, void *dbias,
                      int64_t rows, int64_t cols, CallElement element,
                      RunOptions options) const;
  /// Compiles a spec that leaves nothing to tune.
  static llvm::Expected<std::unique_ptr<Kernel>>
  compileFixed(const KernelSpec &spec);
  std::unique_ptr<Impl> impl;

  friend llvm::Expected<std::unique_ptr<Kernel>>
  compileKernel(const KernelSpec &spec);
  friend llvm::Expected<std::unique_ptr<Kernel>>
  compileFixedKernel(const KernelSpec &spec);
};

/// The entries on untyped buffers, one per KernelAbi: what address()
/// points to, to be called with the element type the spec's dtype says.
using RawEntry = Kernel::Entry<void>;
using RawBinaryEntry = Kernel::BinaryEntry<void>;
using RawBiasEntry = Kernel::BiasEntry<void>;
using RawBiasBackwardEntry = Kernel::BiasBackwardEntry<void>;

/// Compiles `spec` for this process's CPU. A spec with a budget or the
/// objective "most_accurate" is tuned first (Tuner.h; decisions are kept
/// in the persistent tuning cache); the kernel's spec() is the spec that
/// was compiled, with the expansion, degree and code shape chosen, and
/// report() says why.
llvm::Expected<std::unique_ptr<Kernel>> compileKernel(const KernelSpec &spec);

/// Compiles `spec` as it stands, without tuning: a spec that leaves a
/// choice (a budget or "most_accurate") is an error. The tuner compiles its
/// candidates with this, so compiling and tuning do not call each other.
llvm::Expected<std::unique_ptr<Kernel>>
compileFixedKernel(const KernelSpec &spec);

/// Parses a JSON spec and compiles it.
llvm::Expected<std::unique_ptr<Kernel>>
compileKernelFromJson(llvm::StringRef json);

} // namespace gelu

#endif // GELU_JIT_JIT_H
