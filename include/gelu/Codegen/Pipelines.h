//===- Pipelines.h - From act ops to the LLVM dialect -----------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_PIPELINES_H
#define GELU_CODEGEN_PIPELINES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace gelu {

/// convert-act-to-arith, cleanup, then every conversion to the LLVM dialect
/// that a kernel needs (scf, vector, math, arith, func, cf).
void buildActToLLVMPipeline(mlir::OpPassManager &pm);

/// Registers `act-lower-to-llvm`, the pipeline above, for gelu-opt.
void registerActPipelines();

/// Runs the pipeline on `module`. Diagnostics it emits come back in the
/// error rather than going to the context's handler.
llvm::Error lowerActToLLVM(mlir::ModuleOp module);

/// A context with the dialects and LLVM IR translations a kernel needs.
/// Multithreading is off: kernels are small and a JIT client must not get
/// a thread pool per compile.
std::unique_ptr<mlir::MLIRContext> createKernelContext();

} // namespace gelu

#endif // GELU_CODEGEN_PIPELINES_H
