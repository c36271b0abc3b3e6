//===- Passes.h - Transformation passes of gelu-jit -------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_TRANSFORMS_PASSES_H
#define GELU_TRANSFORMS_PASSES_H

#include "gelu/Dialect/Act/IR/ActDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace gelu {

#define GEN_PASS_DECL
#include "gelu/Transforms/Passes.h.inc"

/// Adds the pattern that rewrites act.gelu of a single-use arith.addf into
/// act.bias_gelu (act-fuse-bias-gelu).
void populateActFusionPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "gelu/Transforms/Passes.h.inc"

} // namespace gelu

#endif // GELU_TRANSFORMS_PASSES_H
