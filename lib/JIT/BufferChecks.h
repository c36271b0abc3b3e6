//===- BufferChecks.h - The checks of a kernel call's buffers ---*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Private to the JIT: the checks that the CPU kernels' calls
// (KernelCalls.cpp) and the GPU kernels' (GpuRuntime.cpp) make of their
// buffers and counts before a kernel touches memory.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_LIB_JIT_BUFFERCHECKS_H
#define GELU_LIB_JIT_BUFFERCHECKS_H

#include "gelu/Spec/Spec.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace gelu {

/// "kernel 'NAME': WHY".
llvm::Error kernelError(const KernelSpec &spec, const llvm::Twine &why);

/// A buffer a checked call reads or writes: a host pointer, or a device
/// address (GpuBuffer::address()).
struct BufferArg {
  const char *name;
  uint64_t address;
  uint64_t bytes;
  unsigned alignment;
  bool output;
  /// Whether an output may be exactly this buffer (the same shape).
  bool inPlace;
};

/// Where a call's buffers live: host buffers of 1 MiB or more are also
/// checked to be mapped memory over their whole length.
enum class BufferMemory { Host, Device };

/// Null, misaligned, impossible and overlapping buffers: a buffer must lie
/// in the address space without wrapping around (and, on the host, from
/// 1 MiB on, be mapped); an output may only be exactly an input of its
/// shape (in place), and overlaps nothing else.
llvm::Error checkBuffers(const KernelSpec &spec,
                         llvm::ArrayRef<BufferArg> buffers,
                         BufferMemory memory);

/// Fails unless 1 ≤ count and count·elementBytes is a possible size.
llvm::Error checkCount(const KernelSpec &spec, const char *name, int64_t count,
                       uint64_t elementBytes);

/// Fails unless rows·cols·elementBytes is a possible size (each at least 1).
llvm::Error checkRowsAndCols(const KernelSpec &spec, int64_t rows, int64_t cols,
                             uint64_t elementBytes);

} // namespace gelu

#endif // GELU_LIB_JIT_BUFFERCHECKS_H
