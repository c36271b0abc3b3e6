//===- LLVMEmission.h - From the LLVM dialect to machine code ---*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_LLVMEMISSION_H
#define GELU_CODEGEN_LLVMEMISSION_H

#include "gelu/Codegen/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

namespace gelu {

/// The kernels' LLVM pipeline (a lean one: they arrive vectorised and
/// folded), tuned for `machine`.
llvm::Error optimizeModule(llvm::Module &module, llvm::TargetMachine &machine);

/// Translates an LLVM-dialect module to LLVM IR for `machine`, with the
/// target's attributes (setLLVMTargetAttributes) and optimised by
/// optimizeModule.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                     const TargetInfo &target, llvm::TargetMachine &machine);

/// Writes `module` as assembly or an object file.
llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                            llvm::CodeGenFileType fileType,
                            llvm::raw_pwrite_stream &os);

} // namespace gelu

#endif // GELU_CODEGEN_LLVMEMISSION_H
