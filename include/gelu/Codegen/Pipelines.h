//===- Pipelines.h - From act ops to the LLVM dialect -----------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_PIPELINES_H
#define GELU_CODEGEN_PIPELINES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace gelu {

struct TargetInfo;

/// The options of `act-lower-to-llvm`.
struct ActToLLVMPipelineOptions
    : public mlir::PassPipelineOptions<ActToLLVMPipelineOptions> {
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("a spec target (host, x86-64-v3, haswell, aarch64, ...): "
                     "act-llvm-target gives the functions its triple, CPU "
                     "and features (with FMA no libm call remains)")};
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("with target: the kernels' vector width, if not the "
                     "target's widest"),
      llvm::cl::init(0)};
};

/// convert-act-to-arith, cleanup, act-lower-lookups (for the target, if
/// given), then every conversion to the LLVM dialect that a kernel needs
/// (scf, vector, math, arith, func, cf); with a target, act-llvm-target
/// last.
void buildActToLLVMPipeline(mlir::OpPassManager &pm,
                            const ActToLLVMPipelineOptions &options = {});

/// What act-llvm-target does: the module's triple and, on every defined
/// llvm.func, the target's CPU, features, vector width (`vectorBits`, 0:
/// the target's widest), reciprocal-estimate steps and nounwind: what LLVM
/// compiles the kernel for, carried by the IR itself.
void setLLVMTargetAttributes(mlir::ModuleOp module, const TargetInfo &target,
                             unsigned vectorBits);

/// Registers `act-lower-to-llvm`, the pipeline above, for gelu-opt.
void registerActPipelines();

/// Runs the pipeline on `module` (its lookups lowered for `target`, if
/// given), then, given a target, setLLVMTargetAttributes. Diagnostics it emits
/// come back in the error rather than going to the context's handler.
llvm::Error lowerActToLLVM(mlir::ModuleOp module,
                           const TargetInfo *target = nullptr);

/// A context with the dialects and LLVM IR translations a kernel needs.
/// Multithreading is off: kernels are small and a JIT client must not get
/// a thread pool per compile.
std::unique_ptr<mlir::MLIRContext> createKernelContext();

} // namespace gelu

#endif // GELU_CODEGEN_PIPELINES_H
