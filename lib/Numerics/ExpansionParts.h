//===- ExpansionParts.h - Pieces the expansions share -----------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The parts that the activations (Expansions.cpp) and their derivatives
// (Derivatives.cpp) both compute: the Gaussian tail erfc(|x|/√2), erf near 0,
// the tanh form's argument 2u, rational functions, and the clamps that keep
// every power of x finite.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_LIB_NUMERICS_EXPANSIONPARTS_H
#define GELU_LIB_NUMERICS_EXPANSIONPARTS_H

#include "gelu/Numerics/Elementary.h"
#include "gelu/Numerics/FitCatalog.h"
#include "gelu/Numerics/Polynomials.h"

namespace gelu {

/// A constant c split as hi + lo with hi = (float)c, so that c·x can be
/// formed in double-float.
struct SplitConstant {
  double hi;
  double lo;
  explicit SplitConstant(double c)
      : hi(static_cast<float>(c)), lo(c - static_cast<float>(c)) {}
};

// Below these x, the activation has underflowed to −0 in f32; clamping x
// there keeps every power finite and −inf from producing −inf·0.
constexpr double kErfcFormTail = -16.0;    // GELU(−14.4) is already −0.
constexpr double kTanhFormTail = -12.0;    // 2u(−12) ≈ −142.
constexpr double kSigmoidFormTail = -66.0; // 1.702·66 ≈ 112.
constexpr double kSiluTail = -110.0;       // 110·e^−110 < 2^−150.

/// x clamped to [tail, −tail] (NaN kept): every power of it is finite.
inline mlir::Value clampBoth(ElementwiseBuilder &eb, mlir::Value x,
                             double tail) {
  return eb.clampAbove(eb.clampBelow(x, tail), -tail);
}

/// c·x in double-float.
DoubleFloat emitScaled(ElementwiseBuilder &eb, SplitConstant c, mlir::Value x);

/// What the erfc form of exact GELU spends on accuracy.
struct ErfcFormOptions {
  llvm::ArrayRef<double> coefficients;
  /// Correct for the rounding of t (its residual ρ, through the prefactor
  /// and the slope S(t)) and keep −x²/2 + P(t) as an exact sum.
  bool refine;
  /// t by a reciprocal estimate and a Newton step rather than a divide.
  bool estimateReciprocal;

  static ErfcFormOptions accurate() {
    return {erfcLogCoefficients(), /*refine=*/true,
            /*estimateReciprocal=*/false};
  }
  static ErfcFormOptions fast() {
    return {erfcLogFastCoefficients(), /*refine=*/false,
            /*estimateReciprocal=*/true};
  }
};

/// erfc(|x|/√2) = gauss.times(prefactor) = t·exp(−x²/2 + P(t)),
/// t = 1/(1 + a·|x|), for `ax` = |x| clamped to 16.
struct ErfcTail {
  mlir::Value prefactor;
  ScaledExp gauss;
};
ErfcTail emitErfcTail(ElementwiseBuilder &eb, mlir::Value ax,
                      const ErfcFormOptions &options);

/// erf(z) = z·Q(z²), for |z| ≤ 1/2 (|x| ≤ kErfcFormMinX).
mlir::Value emitErfNearZero(ElementwiseBuilder &eb, mlir::Value z);

/// 0 < |x| ≤ kErfcFormMinX: where the erfc forms use erf instead (±0 stay
/// with erfc, which keeps their sign).
mlir::Value emitNearZeroCondition(ElementwiseBuilder &eb, mlir::Value x);

/// P(w)/Q(w), by a divide or by a reciprocal estimate.
mlir::Value emitRational(ElementwiseBuilder &eb, mlir::Value w,
                         RationalCoefficients coefficients,
                         bool estimateReciprocal);

/// The tanh form's 2u = x·(c1 + c2·x²), c1 = 2√(2/π), c2 = 0.044715·c1, in
/// double-float, for x clamped to its range (kTanhFormTail).
DoubleFloat emitTanhFormTwoU(ElementwiseBuilder &eb, mlir::Value xc);
/// The same in plain f32.
mlir::Value emitTwoUFast(ElementwiseBuilder &eb, mlir::Value xc);
/// 2u'(x) = c1 + 3·c2·x².
mlir::Value emitTwoUPrime(ElementwiseBuilder &eb, mlir::Value xc);

} // namespace gelu

#endif // GELU_LIB_NUMERICS_EXPANSIONPARTS_H
