//===- ActToArith.h - Expand act ops into arith/math ------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_ACTTOARITH_ACTTOARITH_H
#define GELU_CONVERSION_ACTTOARITH_ACTTOARITH_H

#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Numerics/Reference.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace gelu {

/// Adds the patterns that expand every act op (the activations, the GELU
/// gradients, bias+GELU and the gated forms) on scalars and vectors of f16,
/// bf16 and f32, and that turn act ops on ranked tensors into
/// linalg.generic over scalars.
void populateActToArithConversionPatterns(mlir::RewritePatternSet &patterns);

/// Emits `expansion` of `function` applied to `input` (f16, bf16 or f32,
/// scalar or vector) at `degree` (0: the expansion's default); 16-bit
/// values are computed in f32. Returns null for an element type that has no
/// expansion (f64).
mlir::Value emitActivation(mlir::OpBuilder &builder, mlir::Location loc,
                           ReferenceFunction function, act::Expansion expansion,
                           mlir::Value input, unsigned degree = 0);

/// 16-bit float `value` (scalar or vector) widened to f32, exactly; bf16 in
/// integer arithmetic, so that no bfloat arithmetic reaches LLVM (a CPU
/// without native bf16 would convert it with calls to __truncsfbf2).
mlir::Value emitExtendToF32(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value value);

} // namespace gelu

#endif // GELU_CONVERSION_ACTTOARITH_ACTTOARITH_H
