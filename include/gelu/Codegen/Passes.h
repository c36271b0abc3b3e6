//===- Passes.h - Code generation passes of gelu-jit ------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_PASSES_H
#define GELU_CODEGEN_PASSES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace gelu {

#define GEN_PASS_DECL
#include "gelu/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "gelu/Codegen/Passes.h.inc"

} // namespace gelu

#endif // GELU_CODEGEN_PASSES_H
