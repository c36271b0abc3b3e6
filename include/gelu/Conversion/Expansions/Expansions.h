//===- Expansions.h - How each activation is computed -----------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Each function emits one expansion of one reference function on f32 values
// of the builder's type. They are branch-free, vectorisable, call no libm,
// and handle NaN, ±inf, ±0, subnormals and huge |x| (every power is taken of
// a clamped x).
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_EXPANSIONS_EXPANSIONS_H
#define GELU_CONVERSION_EXPANSIONS_EXPANSIONS_H

#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"
#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Numerics/Reference.h"

namespace gelu {

/// Emits `expansion` of an op meaning `function` (the pair must be one that
/// expansionsFor(function) lists) at `degree` (one of degreesOf(function,
/// expansion, f64);
/// 0: its default).
mlir::Value emitExpansion(ElementwiseBuilder &eb, ReferenceFunction function,
                          act::Expansion expansion, mlir::Value x,
                          unsigned degree = 0);

} // namespace gelu

#endif // GELU_CONVERSION_EXPANSIONS_EXPANSIONS_H
