//===- ExpansionParts.h - Pieces the expansions share -----------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The parts that the activations (Expansions.cpp) and their derivatives
// (Derivatives.cpp) both compute: erf near 0 and from its rational fit, the
// tanh form's argument 2u and its slope, rational functions, and the clamps
// that keep every power of x finite.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_LIB_NUMERICS_EXPANSIONPARTS_H
#define GELU_LIB_NUMERICS_EXPANSIONPARTS_H

#include "gelu/Conversion/Expansions/Elementary.h"
#include "gelu/Numerics/FitCatalog.h"
#include "gelu/Numerics/Polynomials.h"

#include "mlir/IR/BuiltinTypes.h"

namespace gelu {

/// A constant c split as hi + lo with hi = (float)c, so that c·x can be
/// formed in double-float.
struct SplitConstant {
  double hi;
  double lo;
  explicit SplitConstant(double c)
      : hi(static_cast<float>(c)), lo(c - static_cast<float>(c)) {}
  /// c split for `eb`'s precision: as above for f32; for f64, hi the
  /// double nearest c and lo the rest (long double: 11 more bits), for
  /// double-double products.
  static SplitConstant of(const ElementwiseBuilder &eb, long double c) {
    SplitConstant split(static_cast<double>(c));
    if (eb.isDouble()) {
      split.hi = static_cast<double>(c);
      split.lo = static_cast<double>(c - static_cast<long double>(split.hi));
    }
    return split;
  }
};

/// 1/√(2π), the standard normal density at 0, to long double's precision.
constexpr long double kInvSqrt2Pi = 0.398942280401432677939946059934381868L;

// Below these x, the activation has underflowed to −0 in f32; clamping x
// there keeps every power finite and −inf from producing −inf·0 (the x·σ(y)
// functions' tails are in Numerics/Reference.h: the hardware forms' model
// uses them too).
constexpr double kErfcFormTail = -16.0; // GELU(−14.4) is already −0.
// The same for f64 results (below 2^-1075 = e^-745.1).
constexpr double kTanhFormTailF64 = -23.0;     // 2u(−23) ≈ −904.
constexpr double kSigmoidFormTailF64 = -460.0; // s·460 ≈ 783.
constexpr double kSiluTailF64 = -790.0;        // 790·e^−790 < 2^−1075.

/// The tail for `eb`'s precision.
inline double tailFor(const ElementwiseBuilder &eb, double f32Tail,
                      double f64Tail) {
  return eb.isDouble() ? f64Tail : f32Tail;
}

/// x clamped to [tail, −tail] (NaN kept): every power of it is finite.
inline mlir::Value clampBoth(ElementwiseBuilder &eb, mlir::Value x,
                             double tail) {
  return eb.clampAbove(eb.clampBelow(x, tail), -tail);
}

/// c·x in double-float.
DoubleFloat emitScaled(ElementwiseBuilder &eb, SplitConstant c, mlir::Value x);

/// erf(x/√2) from the rational fit, z = x/√2 clamped to ±kErfClamp
/// (where erf is ±1 in f32): the erf forms' one source of erf.
mlir::Value emitErfRational(ElementwiseBuilder &eb, mlir::Value x);

/// erf(z) = z·Q(z²), for |z| ≤ 1/2 (|x| ≤ kErfcFormMinX).
mlir::Value emitErfNearZero(ElementwiseBuilder &eb, mlir::Value z);

/// P(w)/Q(w), by a divide or by a reciprocal estimate.
mlir::Value emitRational(ElementwiseBuilder &eb, mlir::Value w,
                         RationalCoefficients coefficients,
                         bool estimateReciprocal);

/// u = |x| for emitPiecewiseTableClamped (NaN kept): clamped to `fit`'s
/// limit, or with `zeroPast` a step past it, where the tables' zero entry
/// makes the polynomial 0 from half a step past the limit on.
mlir::Value emitPiecewiseArgument(ElementwiseBuilder &eb,
                                  const PiecewiseCoefficients &fit,
                                  mlir::Value x, bool zeroPast);
/// The piecewise polynomial `fit` (FitCatalog.h: piecewiseCoefficients or
/// piecewiseRootCoefficients) at u ≥ 0 (NaN kept), at most a step past the
/// fit's limit: the interval's coefficients by table lookups (act.lookup),
/// then Horner's rule in v; 0 from half a step past the limit on (the
/// tables' zero entry).
mlir::Value emitPiecewiseTableClamped(ElementwiseBuilder &eb,
                                      const PiecewiseCoefficients &fit,
                                      mlir::Value u);

/// x·g(x) from q = g(−u), u = |x|: base − u·q rounded once, base x for
/// x ≥ 0 (x − x·q) and −0 for x < 0 (−u·q = x·q, keeping the sign of a
/// tiny negative product; ±0 give themselves). One FMA and one select for
/// both signs; f32 or f64 as `eb`.
mlir::Value emitGatedFromNegative(ElementwiseBuilder &eb, mlir::Value x,
                                  mlir::Value u, mlir::Value q);

/// Whether `v` is a fixed-length 1-D vector of `lanes` lanes or a multiple
/// of them (the expansions' test of a register's width).
inline bool isVectorOfLanes(mlir::Value v, int64_t lanes) {
  auto vector = mlir::dyn_cast<mlir::VectorType>(v.getType());
  return vector && vector.getRank() == 1 && !vector.isScalable() &&
         vector.getNumElements() % lanes == 0;
}

/// The parts of exact GELU's and GELU''s tails (gaussTailDomain): u = |x|
/// at most the table's end (kGaussTailLimit), S(u) = Φ(−u)·e^(u²/2) from
/// its table, and e^(−u²/2) from the exact product −u/2·u.
struct GaussTail {
  mlir::Value u;
  mlir::Value s;
  ScaledExp gauss;
};
GaussTail emitGaussTail(ElementwiseBuilder &eb, mlir::Value x);

/// The tanh form's 2u = x·(c1 + c2·x²), c1 = 2√(2/π), c2 = c·c1, in
/// double-float, for x clamped to its range (kTanhFormTail); with
/// `cubicFactor` 3, x·2u'(x) = x·(c1 + 3·c2·x²).
DoubleFloat emitTanhFormSigmoidArg(ElementwiseBuilder &eb, mlir::Value xc,
                                   long double cubicFactor = 1);
/// The same in plain f32.
mlir::Value emitTanhFormSigmoidArgFast(ElementwiseBuilder &eb, mlir::Value xc);
/// 2u'(x) = c1 + 3·c2·x².
mlir::Value emitTanhFormSigmoidArgDerivative(ElementwiseBuilder &eb,
                                             mlir::Value xc);

} // namespace gelu

#endif // GELU_LIB_NUMERICS_EXPANSIONPARTS_H
