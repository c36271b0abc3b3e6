//===- CorrectlyRounded.h - Correctly rounded f32 activations ---*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The `correctly_rounded` expansion: every f32 result is the f32 nearest
// the exact value of the function (ties to even). The function is
// evaluated in f64 to about 2^-49 relative; a lane whose f64 value lies
// within the evaluation's error bound of a rounding boundary (the midpoint
// between two f32s; about one lane in a million) is looked up in the table
// of exceptional inputs (RoundingExceptions.h), found by running every f32
// input against MPFR (gelu-accuracy --exhaustive), where the f64 value
// would round the wrong way. The f64 arithmetic is IEEE operations and FMAs
// only, no estimates, so it is the same bits on every target.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_EXPANSIONS_CORRECTLYROUNDED_H
#define GELU_CONVERSION_EXPANSIONS_CORRECTLYROUNDED_H

#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"
#include "gelu/Numerics/Reference.h"

namespace gelu {

/// `function` (one that hasCorrectlyRoundedForm) of f32 `x`, correctly
/// rounded to f32.
mlir::Value emitCorrectlyRounded(ElementwiseBuilder &eb,
                                 ReferenceFunction function, mlir::Value x);

} // namespace gelu

#endif // GELU_CONVERSION_EXPANSIONS_CORRECTLYROUNDED_H
