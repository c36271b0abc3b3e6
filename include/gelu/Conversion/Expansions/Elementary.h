//===- Elementary.h - Building blocks of the expansions ---------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Vectorisable f32 building blocks: error-free transformations (two-product,
// two-sum), an exp whose argument may be given as a sum of terms so that the
// rounding of a large argument (−x²/2 near −90) does not become a relative
// error of the result, and x·σ(y) that stays accurate where σ underflows.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_EXPANSIONS_ELEMENTARY_H
#define GELU_CONVERSION_EXPANSIONS_ELEMENTARY_H

#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"

namespace gelu {

/// An unevaluated sum hi + lo with |lo| ≤ ulp(hi): about 48 bits of value.
/// A null `lo` stands for an exact `hi`.
struct DoubleFloat {
  mlir::Value hi;
  mlir::Value lo;
};

/// a·b exactly, as hi + lo (one multiply and one FMA).
DoubleFloat emitTwoProduct(ElementwiseBuilder &eb, mlir::Value a,
                           mlir::Value b);

/// a + b exactly, as hi + lo, for any magnitudes (Knuth's TwoSum).
DoubleFloat emitTwoSum(ElementwiseBuilder &eb, mlir::Value a, mlir::Value b);

/// exp(t) split as mantissa · scale1 · scale2, where the scales are powers
/// of two. Keeping the scales apart lets a caller multiply small factors in
/// before the result can become subnormal, so results that are subnormal
/// are rounded once, not twice.
struct ScaledExp {
  mlir::Value mantissa;
  mlir::Value scale1;
  mlir::Value scale2;
  /// mantissa = 1 + reduced·rest: the reduced argument r and the rest of
  /// Taylor's polynomial, q(r).
  mlir::Value reduced;
  mlir::Value rest;

  /// factor · exp(t), scaled last.
  mlir::Value times(ElementwiseBuilder &eb, mlir::Value factor) const;
  /// The same with factor·mantissa rounded once, as factor +
  /// (factor·rest)·reduced by an FMA, not the rounded mantissa times
  /// factor: one rounding fewer.
  mlir::Value timesFused(ElementwiseBuilder &eb, mlir::Value factor) const;
  /// exp(t) itself.
  mlir::Value value(ElementwiseBuilder &eb) const;
};

/// exp(terms[0] + terms[1] + ...), for sums of at most about +88 and any
/// negative value (results below e^-170 are flushed to 0; in f64, below
/// e^-1000, with Taylor's degree-13 polynomial). The leading term
/// is range-reduced exactly (Cody–Waite with an FMA); the others are added to
/// the reduced argument, so their rounding is relative to it, not to the sum.
/// Order the terms by decreasing magnitude.
ScaledExp emitExp(ElementwiseBuilder &eb, llvm::ArrayRef<mlir::Value> terms);

/// exp(arg.hi + arg.lo) for a pair whose lo is small beside hi (an exact
/// product, a double-float value), as emitExp but without its two-sum of
/// the leading terms: hi is range-reduced exactly, lo added to the reduced
/// argument.
ScaledExp emitExpOfPair(ElementwiseBuilder &eb, DoubleFloat arg);

/// exp(arg) in f64 (`eb` an f64 builder), for arg in [−708, 709] (NaN
/// kept): Cody–Waite reduction by k·ln2 (ln2 in two parts, the first with
/// 21 trailing zero bits, so k·ln2hi and the first subtraction are exact),
/// Taylor's polynomial to degree 13 and 2^k by its bits. About 1 ULP of f64.
mlir::Value emitExpDouble(ElementwiseBuilder &eb, mlir::Value arg);

/// e = e^−|y| (as scaled and as a value) and σ(|y|) = 1/(1 + e), for
/// y = y.hi + y.lo: what σ(y) and 1 − σ(y) are both made of without
/// cancellation (σ(−|y|) = e·σ(|y|)). `yNegative` is y.hi ≤ 0 (it picks the
/// sign of y.lo); `estimateReciprocal`: 1/(1 + e) by an estimate.
struct SigmoidParts {
  ScaledExp e;
  mlir::Value eValue;
  mlir::Value sigmoidOfAbs;
};
SigmoidParts emitSigmoidParts(ElementwiseBuilder &eb, DoubleFloat y,
                              mlir::Value yNegative, bool estimateReciprocal);

/// x · σ(y) for y = y.hi + y.lo, accurate to a few ULP over the whole range:
/// σ(y) = 1/(1+e^-y) for y ≥ 0 and e^y/(1+e^y) for y < 0, so that neither
/// branch cancels. `xClamped` is x clamped to [−L, L] where L is a bound
/// beyond which σ(y) has rounded to 0 or 1: it keeps ±inf from producing
/// inf·0 = NaN in the correction terms.
mlir::Value emitTimesSigmoid(ElementwiseBuilder &eb, mlir::Value x,
                             mlir::Value xClamped, DoubleFloat y);

/// x · σ(y) where every lane that matters has y ≤ −17.5 (the tails of the
/// piecewise forms): σ(y) = e/(1 + e), e = e^y ≤ 2.6e-8, is e·(1 − e) to
/// within e², so x·σ(y) = e·(x − x·e) with no divide. `xClamped` as for
/// emitTimesSigmoid.
mlir::Value emitTimesSigmoidOfNegative(ElementwiseBuilder &eb,
                                       mlir::Value xClamped, DoubleFloat y);

} // namespace gelu

#endif // GELU_CONVERSION_EXPANSIONS_ELEMENTARY_H
