//===- KernelImpl.h - What a compiled kernel holds --------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Private to the JIT: shared by the compile (Jit.cpp) and the calls
// (KernelCalls.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef GELU_LIB_JIT_KERNELIMPL_H
#define GELU_LIB_JIT_KERNELIMPL_H

#include "BufferChecks.h"
#include "ContiguousMemoryMapper.h"

#include "gelu/JIT/Jit.h"
#include "gelu/JIT/TuningReport.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"

#include <memory>
#include <mutex>

namespace gelu {

struct Kernel::Impl {
  KernelSpec spec;
  /// Where the engine puts the kernel's code and data; declared first so
  /// that it outlives the engine.
  std::unique_ptr<ContiguousMemoryMapper> memory;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  void *entry = nullptr;
  double compileSeconds = 0;
  /// The tuner's report, or one made on the first report() call.
  std::unique_ptr<TuningReport> report;
  std::once_flag reportOnce;
};

} // namespace gelu

#endif // GELU_LIB_JIT_KERNELIMPL_H
