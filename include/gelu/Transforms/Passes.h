//===- Passes.h - Transformation passes of gelu-jit -------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_TRANSFORMS_PASSES_H
#define GELU_TRANSFORMS_PASSES_H

#include "gelu/Dialect/Act/IR/ActDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace gelu {

#define GEN_PASS_DECL
#include "gelu/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "gelu/Transforms/Passes.h.inc"

} // namespace gelu

#endif // GELU_TRANSFORMS_PASSES_H
