//===- Derivatives.h - How each GELU derivative is computed -----*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The derivatives that backward kernels multiply the incoming gradient by,
// on f32 values of the builder's type: no libm calls, NaN, ±inf and huge
// |x| handled as in Expansions.h. An expansion of a derivative is named
// after the forward expansion it differentiates:
//   every GELU: `piecewise_tail` (the default: GELU'(−u) = (u − u0)·R(u)
//     from a table fitted with relative error through GELU''s zero u0;
//     below the table the closed form below, in a per-vector branch),
//     `piecewise` (GELU'(−u) itself, absolute accuracy, degrees 1 to 7);
//   exact GELU: `erfc` (Φ from the tail-accurate erfc form plus x·φ(x), the
//     Gaussian's exponent exact: relative accuracy everywhere, the negative
//     tail included), `erfc_fast` (the same unrefined, reciprocal
//     estimate), `rational` and `rational_fast` (GELU' = 1/2 + x·T(x²)
//     fitted directly at degrees 2 to 6: absolute accuracy, far the
//     cheapest), `erf` (Φ from the rational erf: absolute accuracy only),
//     `approx_tanh` and `approx_sigmoid` (the approximate GELUs' derivatives);
//   tanh and sigmoid GELU: `sigmoid` (argument in double-float),
//     `sigmoid_fast`.
// Their measured errors: docs/generated/accuracy-table.md.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_EXPANSIONS_DERIVATIVES_H
#define GELU_CONVERSION_EXPANSIONS_DERIVATIVES_H

#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"
#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Numerics/Reference.h"

namespace gelu {

/// Emits `expansion` of the derivative `function` (one expansionsFor
/// lists for it) at `x`, at `degree` for the rational and piecewise forms
/// (0: default).
mlir::Value emitDerivativeExpansion(ElementwiseBuilder &eb,
                                    ReferenceFunction function,
                                    act::Expansion expansion, mlir::Value x,
                                    unsigned degree = 0);

} // namespace gelu

#endif // GELU_CONVERSION_EXPANSIONS_DERIVATIVES_H
