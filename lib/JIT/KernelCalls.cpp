//===- KernelCalls.cpp - Checked calls of a compiled kernel --------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The typed entries, and the checked calls: the ABI and element type, the
// buffers (null, misaligned, impossible, overlapping), and the split of the
// work across threads (the bias gradient summed in thread order).
//
//===----------------------------------------------------------------------===//

#include "BufferChecks.h"
#include "KernelImpl.h"

#include "gelu/JIT/ThreadPool.h"

#include <algorithm>
#include <optional>
#include <thread>
#include <vector>

namespace gelu {

template <> constexpr CallElement Kernel::callElementOf<float>() {
  return CallElement::F32;
}
template <> constexpr CallElement Kernel::callElementOf<Half>() {
  return CallElement::F16;
}
template <> constexpr CallElement Kernel::callElementOf<BFloat16>() {
  return CallElement::BF16;
}
template <> constexpr CallElement Kernel::callElementOf<uint16_t>() {
  return CallElement::U16;
}
template <> constexpr CallElement Kernel::callElementOf<double>() {
  return CallElement::F64;
}

/// Bytes of one element.
static unsigned bytesOf(CallElement element) {
  switch (element) {
  case CallElement::F32:
    return 4;
  case CallElement::F64:
    return 8;
  case CallElement::F16:
  case CallElement::BF16:
  case CallElement::U16:
    return 2;
  }
  llvm_unreachable("unknown call element");
}

/// The dtype of a typed call's elements; none for u16 (the bits of either
/// 16-bit dtype).
static std::optional<DType> dtypeOf(CallElement element) {
  switch (element) {
  case CallElement::F32:
    return DType::F32;
  case CallElement::F16:
    return DType::F16;
  case CallElement::BF16:
    return DType::BF16;
  case CallElement::F64:
    return DType::F64;
  case CallElement::U16:
    return std::nullopt;
  }
  llvm_unreachable("unknown call element");
}

/// Its name, for messages.
static llvm::StringRef nameOf(CallElement element) {
  std::optional<DType> dtype = dtypeOf(element);
  return dtype ? stringifyDType(*dtype) : llvm::StringRef("u16");
}

/// Whether a call with elements `element` fits a kernel of `dtype`.
static bool callElementFits(CallElement element, DType dtype) {
  std::optional<DType> typed = dtypeOf(element);
  return typed ? *typed == dtype : dtypeSize(dtype) == 2;
}

void *Kernel::address() const { return impl->entry; }

void *Kernel::entryFor(KernelAbi abi, CallElement element) const {
  const KernelSpec &spec = impl->spec;
  if (kernelAbiOf(spec.op) != abi || !callElementFits(element, spec.dtype))
    return nullptr;
  return impl->entry;
}

Kernel::Entry<float> Kernel::f32() const {
  return reinterpret_cast<Entry<float>>(
      entryFor(KernelAbi::Unary, CallElement::F32));
}
Kernel::Entry<double> Kernel::f64() const {
  return reinterpret_cast<Entry<double>>(
      entryFor(KernelAbi::Unary, CallElement::F64));
}
Kernel::Entry<uint16_t> Kernel::u16() const {
  return reinterpret_cast<Entry<uint16_t>>(
      entryFor(KernelAbi::Unary, CallElement::U16));
}
Kernel::Entry<Half> Kernel::f16() const {
  return reinterpret_cast<Entry<Half>>(
      entryFor(KernelAbi::Unary, CallElement::F16));
}
Kernel::Entry<BFloat16> Kernel::bf16() const {
  return reinterpret_cast<Entry<BFloat16>>(
      entryFor(KernelAbi::Unary, CallElement::BF16));
}

template <typename T> Kernel::BinaryEntry<T> Kernel::binary() const {
  return reinterpret_cast<BinaryEntry<T>>(
      entryFor(KernelAbi::Binary, callElementOf<T>()));
}
template <typename T> Kernel::BiasEntry<T> Kernel::bias() const {
  return reinterpret_cast<BiasEntry<T>>(
      entryFor(KernelAbi::Bias, callElementOf<T>()));
}
template <typename T>
Kernel::BiasBackwardEntry<T> Kernel::biasBackward() const {
  return reinterpret_cast<BiasBackwardEntry<T>>(
      entryFor(KernelAbi::BiasBackward, callElementOf<T>()));
}

/// How each ABI is called, for messages.
static const char *callOf(KernelAbi abi) {
  switch (abi) {
  case KernelAbi::Unary:
    return "run(in, out, n)";
  case KernelAbi::Binary:
    return "runBinary(x, y, out, n)";
  case KernelAbi::Bias:
    return "runBias(x, bias, y, rows, cols)";
  case KernelAbi::BiasBackward:
    return "runBiasBackward(x, bias, dy, dx, dbias, rows, cols)";
  }
  llvm_unreachable("unknown ABI");
}

llvm::Error Kernel::checkCall(KernelAbi abi, CallElement element) const {
  const KernelSpec &spec = impl->spec;
  if (kernelAbiOf(spec.op) != abi)
    return kernelError(spec, "it is a '" + act::stringifyOpKind(spec.op) +
                                 "' kernel: call " +
                                 callOf(kernelAbiOf(spec.op)));
  if (!callElementFits(element, spec.dtype))
    return kernelError(spec, "its elements are " + stringifyDType(spec.dtype) +
                                 ", not " + nameOf(element) + " (" +
                                 llvm::Twine(bytesOf(element)) +
                                 "-byte) values");
  return llvm::Error::success();
}

/// A host pointer as the address BufferArg holds.
static uint64_t addressOf(const void *pointer) {
  return reinterpret_cast<uintptr_t>(pointer);
}

unsigned Kernel::threadsFor(int64_t work, RunOptions options) const {
  // The pool is started by the first call that can use it, not before.
  // hardware_concurrency() reads /sys on every call (~10 us on Linux, more
  // than a 4K-element kernel takes): asked once.
  static const int64_t hardware =
      std::max(1u, std::thread::hardware_concurrency());
  unsigned requested = options.threads.value_or(impl->spec.threads);
  int64_t threads = requested ? requested : hardware;
  return static_cast<unsigned>(std::max<int64_t>(
      1, std::min({threads, hardware, work / kMinElementsPerThread})));
}

llvm::Error Kernel::runElementwise(KernelAbi abi,
                                   llvm::ArrayRef<const void *> ins, void *out,
                                   int64_t n, CallElement element,
                                   RunOptions options) const {
  if (llvm::Error err = checkCall(abi, element))
    return err;
  const unsigned elementBytes = bytesOf(element);
  if (llvm::Error err = checkCount(impl->spec, "n", n, elementBytes))
    return err;
  uint64_t bytes = static_cast<uint64_t>(n) * elementBytes;
  static const char *const unaryNames[] = {"in", "out"};
  static const char *const binaryNames[] = {"x", "y", "out"};
  const char *const *names = ins.size() == 1 ? unaryNames : binaryNames;
  llvm::SmallVector<BufferArg, 3> buffers;
  for (size_t i = 0; i < ins.size(); ++i)
    buffers.push_back(
        {names[i], addressOf(ins[i]), bytes, elementBytes, false, true});
  buffers.push_back(
      {names[ins.size()], addressOf(out), bytes, elementBytes, true, true});
  if (llvm::Error err = checkBuffers(impl->spec, buffers, BufferMemory::Host))
    return err;

  unsigned threads = threadsFor(n, options);
  // Chunks of whole 64-byte lines, so that no two threads write one line.
  int64_t line = 64 / elementBytes;
  int64_t chunk = ((n + threads - 1) / threads + line - 1) / line * line;
  auto runChunk = [&](unsigned i) {
    int64_t begin = static_cast<int64_t>(i) * chunk;
    int64_t count = std::min(chunk, n - begin);
    if (count <= 0)
      return;
    auto at = [&](const void *p) {
      return static_cast<const char *>(p) + begin * elementBytes;
    };
    char *to = static_cast<char *>(out) + begin * elementBytes;
    if (ins.size() == 1)
      reinterpret_cast<RawEntry>(impl->entry)(at(ins[0]), to, count);
    else
      reinterpret_cast<RawBinaryEntry>(impl->entry)(at(ins[0]), at(ins[1]), to,
                                                    count);
  };
  if (threads == 1)
    runChunk(0);
  else
    ThreadPool::global().parallelFor(threads, runChunk);
  return llvm::Error::success();
}

llvm::Error Kernel::runRows(llvm::ArrayRef<const void *> ins, void *out,
                            void *dbias, int64_t rows, int64_t cols,
                            CallElement element, RunOptions options) const {
  bool backward = ins.size() == 3;
  KernelAbi abi = backward ? KernelAbi::BiasBackward : KernelAbi::Bias;
  if (llvm::Error err = checkCall(abi, element))
    return err;
  const unsigned elementBytes = bytesOf(element);
  const KernelSpec &spec = impl->spec;
  if (llvm::Error err = checkRowsAndCols(spec, rows, cols, elementBytes))
    return err;
  uint64_t matrix = static_cast<uint64_t>(rows) * cols * elementBytes;
  uint64_t row = static_cast<uint64_t>(cols) * elementBytes;
  llvm::SmallVector<BufferArg, 5> buffers = {
      {"x", addressOf(ins[0]), matrix, elementBytes, false, true},
      {"bias", addressOf(ins[1]), row, elementBytes, false, false}};
  if (backward)
    buffers.push_back(
        {"dy", addressOf(ins[2]), matrix, elementBytes, false, true});
  buffers.push_back({backward ? "dx" : "y", addressOf(out), matrix,
                     elementBytes, true, true});
  // The bias gradient's sums: f64 for f64 kernels, else f32.
  const bool doubleSums = spec.dtype == DType::F64;
  const unsigned sumBytes = doubleSums ? 8 : 4;
  if (backward)
    buffers.push_back({"dbias", addressOf(dbias),
                       static_cast<uint64_t>(cols) * sumBytes, sumBytes, true,
                       false});
  if (llvm::Error err = checkBuffers(spec, buffers, BufferMemory::Host))
    return err;

  unsigned threads = threadsFor(rows * cols, options);
  int64_t chunk = (rows + threads - 1) / threads;
  // Each thread's bias gradient, added in thread order at the end.
  std::vector<char> partials(
      backward && threads > 1 ? size_t(threads) * cols * sumBytes : 0);
  auto runChunk = [&](unsigned i) {
    int64_t begin = static_cast<int64_t>(i) * chunk;
    int64_t count = std::min(chunk, rows - begin);
    auto at = [&](const void *p) {
      return static_cast<const char *>(p) + begin * row;
    };
    char *to = static_cast<char *>(out) + begin * row;
    if (!backward) {
      if (count > 0)
        reinterpret_cast<RawBiasEntry>(impl->entry)(at(ins[0]), ins[1], to,
                                                    count, cols);
      return;
    }
    void *sums =
        threads > 1 ? partials.data() + size_t(i) * cols * sumBytes : dbias;
    // count ≤ 0 still zeroes this thread's sums.
    reinterpret_cast<RawBiasBackwardEntry>(impl->entry)(
        at(ins[0]), ins[1], at(ins[2]), to, sums, std::max<int64_t>(count, 0),
        cols);
  };
  if (threads == 1) {
    runChunk(0);
    return llvm::Error::success();
  }
  ThreadPool::global().parallelFor(threads, runChunk);
  if (backward) {
    auto addInThreadOrder = [&](auto *sums) {
      using Sum = std::remove_pointer_t<decltype(sums)>;
      const Sum *part = reinterpret_cast<const Sum *>(partials.data());
      for (int64_t c = 0; c < cols; ++c) {
        Sum sum = 0;
        for (unsigned t = 0; t < threads; ++t)
          sum += part[t * cols + c];
        sums[c] = sum;
      }
    };
    if (doubleSums)
      addInThreadOrder(static_cast<double *>(dbias));
    else
      addInThreadOrder(static_cast<float *>(dbias));
  }
  return llvm::Error::success();
}

llvm::Error Kernel::run(const float *in, float *out, int64_t n,
                        RunOptions options) const {
  return runElementwise(KernelAbi::Unary, {in}, out, n, CallElement::F32,
                        options);
}
llvm::Error Kernel::run(const double *in, double *out, int64_t n,
                        RunOptions options) const {
  return runElementwise(KernelAbi::Unary, {in}, out, n, CallElement::F64,
                        options);
}
llvm::Error Kernel::run(const Half *in, Half *out, int64_t n,
                        RunOptions options) const {
  return runElementwise(KernelAbi::Unary, {in}, out, n, CallElement::F16,
                        options);
}
llvm::Error Kernel::run(const BFloat16 *in, BFloat16 *out, int64_t n,
                        RunOptions options) const {
  return runElementwise(KernelAbi::Unary, {in}, out, n, CallElement::BF16,
                        options);
}
llvm::Error Kernel::run(const uint16_t *in, uint16_t *out, int64_t n,
                        RunOptions options) const {
  return runElementwise(KernelAbi::Unary, {in}, out, n, CallElement::U16,
                        options);
}

template <typename T>
llvm::Error Kernel::runBinary(const T *x, const T *y, T *out, int64_t n,
                              RunOptions options) const {
  return runElementwise(KernelAbi::Binary, {x, y}, out, n, callElementOf<T>(),
                        options);
}

template <typename T>
llvm::Error Kernel::runBias(const T *x, const T *bias, T *y, int64_t rows,
                            int64_t cols, RunOptions options) const {
  return runRows({x, bias}, y, nullptr, rows, cols, callElementOf<T>(),
                 options);
}

template <typename T>
llvm::Error Kernel::runBiasBackward(const T *x, const T *bias, const T *dy,
                                    T *dx, BiasGradient<T> *dbias, int64_t rows,
                                    int64_t cols, RunOptions options) const {
  return runRows({x, bias, dy}, dx, dbias, rows, cols, callElementOf<T>(),
                 options);
}

#define GELU_INSTANTIATE_KERNEL_CALLS(T)                                       \
  template Kernel::BinaryEntry<T> Kernel::binary<T>() const;                   \
  template Kernel::BiasEntry<T> Kernel::bias<T>() const;                       \
  template Kernel::BiasBackwardEntry<T> Kernel::biasBackward<T>() const;       \
  template llvm::Error Kernel::runBinary<T>(const T *, const T *, T *,         \
                                            int64_t, RunOptions) const;        \
  template llvm::Error Kernel::runBias<T>(const T *, const T *, T *, int64_t,  \
                                          int64_t, RunOptions) const;          \
  template llvm::Error Kernel::runBiasBackward<T>(                             \
      const T *, const T *, const T *, T *, BiasGradient<T> *, int64_t,        \
      int64_t, RunOptions) const;
GELU_INSTANTIATE_KERNEL_CALLS(float)
GELU_INSTANTIATE_KERNEL_CALLS(double)
GELU_INSTANTIATE_KERNEL_CALLS(Half)
GELU_INSTANTIATE_KERNEL_CALLS(BFloat16)
GELU_INSTANTIATE_KERNEL_CALLS(uint16_t)
#undef GELU_INSTANTIATE_KERNEL_CALLS

} // namespace gelu
