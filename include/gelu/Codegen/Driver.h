//===- Driver.h - Compile a spec to a file ----------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_DRIVER_H
#define GELU_CODEGEN_DRIVER_H

#include "gelu/Codegen/Target.h"
#include "gelu/Spec/Spec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
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

/// A module holding the kernel of `spec` for `target`, with act ops.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
buildKernelModule(mlir::MLIRContext &context, const KernelSpec &spec,
                  const TargetInfo &target);

/// Compiles `spec` and writes the requested form to `os`.
llvm::Error compileSpec(const KernelSpec &spec, EmitKind kind,
                        llvm::raw_pwrite_stream &os);

/// Reads the spec at `specPath` and writes the requested form to
/// `outputPath` ("-" for stdout). No file is left behind on failure.
llvm::Error compileSpecFileTo(llvm::StringRef specPath, EmitKind kind,
                              llvm::StringRef outputPath);

} // namespace gelu

#endif // GELU_CODEGEN_DRIVER_H
