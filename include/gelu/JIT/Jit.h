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

/// A compiled kernel. It owns the JIT-ed code: the entry points are valid
/// for the Kernel's lifetime. Calls may come from any number of threads.
class Kernel {
public:
  template <typename T> using Entry = void (*)(const T *in, T *out, int64_t n);

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

  /// The entry with the C ABI `void NAME(const T *in, T *out, int64_t n)`.
  /// It reads in[0..n) and writes out[0..n) and nothing else; in == out is
  /// allowed; n ≤ 0 does nothing. Null when the dtype is not f32.
  Entry<float> f32() const;
  /// Typed entries of f16 and bf16 kernels (null for any other dtype).
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
  llvm::Error run(const Half *in, Half *out, int64_t n,
                  RunOptions options = {}) const;
  llvm::Error run(const BFloat16 *in, BFloat16 *out, int64_t n,
                  RunOptions options = {}) const;
  llvm::Error run(const uint16_t *in, uint16_t *out, int64_t n,
                  RunOptions options = {}) const;

private:
  struct Impl;
  explicit Kernel(std::unique_ptr<Impl> impl);
  llvm::Error check(const void *in, const void *out, int64_t n,
                    unsigned elementBytes, const char *callType) const;
  void runChunks(const void *in, void *out, int64_t n, unsigned elementBytes,
                 RunOptions options) const;
  llvm::Error runChecked(const void *in, void *out, int64_t n,
                         unsigned elementBytes, const char *callType,
                         RunOptions options) const;
  /// Compiles a spec that leaves nothing to tune.
  static llvm::Expected<std::unique_ptr<Kernel>>
  compileFixed(const KernelSpec &spec);
  std::unique_ptr<Impl> impl;

  friend llvm::Expected<std::unique_ptr<Kernel>>
  compileKernel(const KernelSpec &spec);
};

/// Compiles `spec` for this process's CPU. A spec with a budget or the
/// objective "most_accurate" is tuned first (Tuner.h; decisions are kept
/// in the persistent tuning cache); the kernel's spec() is the spec that
/// was compiled, with the expansion, degree and code shape chosen, and
/// report() says why.
llvm::Expected<std::unique_ptr<Kernel>> compileKernel(const KernelSpec &spec);

/// Parses a JSON spec and compiles it.
llvm::Expected<std::unique_ptr<Kernel>>
compileKernelFromJson(llvm::StringRef json);

} // namespace gelu

#endif // GELU_JIT_JIT_H
