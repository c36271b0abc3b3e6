//===- Driver.h - Compile a spec to a file ----------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DRIVER_DRIVER_H
#define GELU_DRIVER_DRIVER_H

#include "gelu/Spec/Spec.h"

#include "llvm/Support/raw_ostream.h"

namespace gelu {

/// What the driver writes.
enum class EmitKind {
  Mlir,        ///< the kernel with act ops, before lowering
  LlvmDialect, ///< the kernel in the LLVM dialect
  LlvmIR,      ///< optimised LLVM IR
  Assembly,    ///< target assembly
  Object,      ///< a relocatable object file
};

/// Compiles `spec` and writes the requested form to `os`. A budget is
/// resolved first: the expansion it selects (by JIT-compiling and measuring
/// the candidates on this machine) is the one emitted.
llvm::Error compileSpec(const KernelSpec &spec, EmitKind kind,
                        llvm::raw_pwrite_stream &os);

/// Reads the spec at `specPath` and writes the requested form to
/// `outputPath` ("-" for stdout). No file is left behind on failure.
llvm::Error compileSpecFileTo(llvm::StringRef specPath, EmitKind kind,
                              llvm::StringRef outputPath);

} // namespace gelu

#endif // GELU_DRIVER_DRIVER_H
