//===- Derivatives.cpp - How each GELU derivative is computed ------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// GELU(x) = x·g(x) for a gate g (Φ, or σ of the tanh or sigmoid form's
// argument), so GELU'(x) = g(x) + x·g'(x). For x < 0 the two terms have
// opposite signs: they cancel at the zero x ≈ −0.75 (unavoidably: errors
// there are counted against the gate, see errorScale), and nowhere else as
// long as each term is computed to a few ULP on its own — which is the
// whole point: Φ(x) from the tail-accurate erfc form, not 1 − Φ(−x), and
// σ(y) and 1 − σ(y) each from e^−|y|, never as differences.
//
//===----------------------------------------------------------------------===//

#include "gelu/Conversion/Expansions/Derivatives.h"

#include "ExpansionParts.h"

#include "gelu/Conversion/Expansions/CorrectlyRounded.h"
#include "gelu/Conversion/Expansions/ExactGeluF64.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"

#include "llvm/Support/ErrorHandling.h"

#include <cmath>

using namespace mlir;

namespace gelu {

/// Φ(x) + x·φ(x) from one exponential. With G = e^(−x²/2) and the tail in
/// product form, Φ(−|x|) = erfc(|x|/√2)/2 = h·G, h = t·Q(t)/2,
/// t = 1/(1 + a·|x|), so
///   x ≤ 0: GELU'(x) = G·(h + x/√(2π)), G's power-of-two scales applied
///          last (tail results are rounded once, down to underflow);
///   x > 0: GELU'(x) = 1 + G·(x/√(2π) − h) (1 − Φ(−x) never formed);
///   |x| ≤ 1/√2: Φ = 1/2 + erf(x/√2)/2 from erf's own fit.
/// `accurate`: a divide for t with its rounding corrected (ρ, through
/// (1 + S(t))), G's exponent from the exact square x·x, the degree-10 fit;
/// else a reciprocal estimate, a rounded exponent and the degree-8 fit.
static Value emitGeluErfcDerivative(ElementwiseBuilder &eb, Value x,
                                    bool accurate) {
  Value one = eb.constant(1.0);
  Value isNegative = eb.lessEqual(x, eb.constant(0.0));
  // |x| ≤ 16 keeps x² finite; Φ and φ are 0 (or Φ 1) in f32 beyond.
  Value ax = eb.clampAbove(eb.abs(x), -kErfcFormTail);
  Value xc = clampBoth(eb, x, kErfcFormTail);

  Value scale = eb.constant(kErfcFormScale);
  Value d = eb.fma(scale, ax, one);
  Value t = accurate ? eb.div(one, d) : eb.reciprocalEstimate(d);
  Value q = eb.horner(t, accurate ? erfcProductCoefficients()
                                  : erfcProductFastCoefficients());
  // (q/2, then t: LLVM folds 0.5·(1/d) into 0.5/d, losing the estimate.)
  Value h = eb.mul(t, eb.mul(q, eb.constant(0.5)));
  ScaledExp gauss;
  Value minusHalf = eb.constant(-0.5);
  if (accurate) {
    // d + dLo = 1 + a·|x| exactly; ρ = 1 − t·(d + dLo) is t's relative
    // error, which moves t·Q(t) by (1 + S(t))·ρ, S = t·Q'/Q = t·P'.
    Value dLo = eb.fma(scale, ax, eb.sub(one, d));
    Value rho = eb.fma(eb.neg(t), dLo, eb.fma(eb.neg(t), d, one));
    Value slope = eb.add(one, eb.horner(t, erfcLogSlopeCoefficients()));
    h = eb.fma(h, eb.mul(rho, slope), h);
    DoubleFloat square = emitTwoProduct(eb, ax, ax);
    Value hi = eb.mul(minusHalf, square.hi);
    Value lo = eb.mul(minusHalf, square.lo);
    gauss = emitExp(eb, {hi, lo});
  } else {
    gauss = emitExp(eb, {eb.mul(eb.mul(minusHalf, ax), ax)});
  }
  Value density = eb.mul(xc, eb.constant(static_cast<double>(kInvSqrt2Pi)));
  Value negative = gauss.times(eb, eb.add(h, density));
  Value g = gauss.value(eb);
  Value positive = eb.fma(g, eb.sub(density, h), one);
  Value far = eb.select(isNegative, negative, positive);

  // Near 0 (±0 too: the derivative has no sign of zero to keep).
  Value erf = emitErfNearZero(eb, eb.mul(x, eb.constant(M_SQRT1_2)));
  Value half = eb.constant(0.5);
  Value near = eb.fma(g, density, eb.fma(half, erf, half));
  Value nearZero = eb.lessEqual(eb.abs(x), eb.constant(kErfcFormMinX));
  return eb.select(nearZero, near, far);
}

/// Φ(x) + x·φ(x) with Φ = (1 + erf(x/√2))/2 from the rational erf: cheap,
/// accurate in absolute terms, and without relative accuracy for x < −3
/// (1 + erf cancels; past x ≈ −5.7 only x·φ(x) is left, ~3 % off).
static Value emitGeluErfDerivative(ElementwiseBuilder &eb, Value x) {
  Value erf = emitErfRational(eb, x);
  Value half = eb.constant(0.5);
  // The fit's erf can pass −1 by an ULP, and Φ must not go negative.
  Value cdf = eb.clampBelow(eb.fma(half, erf, half), 0.0);
  Value xc = clampBoth(eb, x, kErfcFormTail);
  Value minusHalfSquare = eb.mul(eb.mul(eb.constant(-0.5), xc), xc);
  Value xDensity =
      emitExp(eb, {minusHalfSquare})
          .times(eb, eb.mul(xc, eb.constant(static_cast<double>(kInvSqrt2Pi))));
  return eb.add(cdf, xDensity);
}

/// GELU'(x) = 1/2 + x·T(x²), T rational, on |x| ≤ rationalClamp (6 for
/// exact GELU, 5.56 for tanh GELU, 11.9 for sigmoid GELU); 1 above, 0 below
/// (the derivative is within 2^−25 of them there). Absolute accuracy only
/// (it is a fit of GELU', not of its tail), and the cheapest form by far.
static Value emitGeluRationalDerivative(ElementwiseBuilder &eb,
                                        ReferenceFunction function, Value x,
                                        unsigned degree,
                                        bool estimateReciprocal) {
  const double clamp = rationalClamp(function, degree);
  Value xc = clampBoth(eb, x, -clamp);
  Value t = emitRational(eb, eb.mul(xc, xc),
                         geluRationalCoefficients(function, degree),
                         estimateReciprocal);
  Value y = eb.fma(xc, t, eb.constant(0.5));
  Value above = eb.lessThan(eb.constant(clamp), x);
  Value below = eb.lessThan(x, eb.constant(-clamp));
  return eb.select(above, eb.constant(1.0),
                   eb.select(below, eb.constant(0.0), y));
}

/// A derivative's table-free `polynomial` form (FitCatalog.h): 1/2 +
/// v·p(v²), v = x clamped to [−R, R], R·p(R²) = 1/2 (to within the f32
/// coefficients' rounding), so the form is 1 from R on and 0 from −R down,
/// ±inf included; NaN stays NaN through v.
static Value emitGeluDerivativeClampedPolynomial(ElementwiseBuilder &eb,
                                                 ReferenceFunction function,
                                                 Value x, unsigned degree) {
  const ClampedPolynomialCoefficients fit =
      clampedPolynomialCoefficients(function, degree);
  Value v = clampBoth(eb, x, -fit.clamp);
  Value w = eb.mul(v, v);
  Value p = eb.hornerLowFirst(w, fit.coefficients);
  return eb.fma(v, p, eb.constant(0.5));
}

/// Exact GELU' below its table (x < −6): Φ(x) + x·φ(x) = T·e^(−u²/2), T =
/// S(u) − u/√(2π) (emitGaussTail). No cancellation to speak of: u/√(2π)
/// is 37 times S(u) at u = 6, and more below. T in two FMAs (1/√(2π) as
/// hi + lo), then times the exponential rounded once.
static Value emitGeluDerivativeGaussTail(ElementwiseBuilder &eb, Value x) {
  GaussTail tail = emitGaussTail(eb, x);
  SplitConstant c(static_cast<double>(kInvSqrt2Pi));
  Value minusU = eb.neg(tail.u);
  Value t = eb.fma(minusU, eb.constant(c.lo), tail.s);
  t = eb.fma(minusU, eb.constant(c.hi), t);
  return tail.gauss.timesFused(eb, t);
}

/// x clamped to where the tanh or sigmoid form's GELU' has settled (its
/// `sigmoid` form's range), which keeps every power finite and −inf from
/// meeting a zero factor.
static Value clampSigmoidDerivativeInput(ElementwiseBuilder &eb,
                                         ReferenceFunction function, Value x) {
  return clampBoth(eb, x,
                   function == ReferenceFunction::GeluTanhDerivative
                       ? tailFor(eb, kTanhFormTail, kTanhFormTailF64)
                       : tailFor(eb, kSigmoidFormTail, kSigmoidFormTailF64));
}

/// y, the argument of σ, as a pair (2u for the tanh form, 1.702x for the
/// sigmoid form) and x·y' rounded once, for x clamped
/// (clampSigmoidDerivativeInput); `fast`: y rounded once too.
namespace {
struct SigmoidDerivativeArgument {
  DoubleFloat y;
  Value xSlope;
};
} // namespace
static SigmoidDerivativeArgument
emitSigmoidDerivativeArgument(ElementwiseBuilder &eb,
                              ReferenceFunction function, Value xc, bool fast) {
  if (function == ReferenceFunction::GeluTanhDerivative) {
    DoubleFloat twoU =
        fast ? DoubleFloat{emitTanhFormSigmoidArgFast(eb, xc), Value()}
             : emitTanhFormSigmoidArg(eb, xc);
    return {twoU, eb.mul(xc, emitTanhFormSigmoidArgDerivative(eb, xc))};
  }
  assert(function == ReferenceFunction::GeluSigmoidDerivative &&
         "a σ form's derivative");
  DoubleFloat y =
      fast ? DoubleFloat{eb.mul(eb.constant(sigmoidFormScale<double>()), xc),
                         Value()}
           : emitScaled(eb,
                        SplitConstant::of(eb, sigmoidFormScale<long double>()),
                        xc);
  // x·y' = y (f64 callers take it as the pair).
  return {y, eb.isDouble() ? Value() : y.lo ? eb.add(y.hi, y.lo) : y.hi};
}

/// The tanh and sigmoid forms' GELU' below their root-factored tables
/// (x < −limit), where y is below −20 (asserted) and e = e^y under 2^−28:
/// s = e/(1 + e) and 1 − s = 1/(1 + e), so GELU' = s·(1 + x·y'·(1 − s)) =
/// e·(1 + e + x·y')/(1 + e)², which is e·(1 + x·y') to within 2e relative
/// (under 0.05 ULP). One exponential of y as a pair, no divide: the
/// `sigmoid` form's value there with the terms that round away left out.
/// 1 + x·y' (x·y' under −30) adds no cancellation; e's power-of-two scales
/// come last, so a subnormal result is rounded once. x is clamped as the
/// `sigmoid` form clamps it (−inf gives −0).
static Value emitSigmoidDerivativeTail(ElementwiseBuilder &eb,
                                       ReferenceFunction function, Value x,
                                       double limit) {
  assert(!eb.isDouble() && "f64 has no piecewise_tail of these");
  assert(sigmoidGateArgument(function, -limit) < -20 &&
         "e^y not negligible beside 1 at the table's end");
  Value xc = clampSigmoidDerivativeInput(eb, function, x);
  SigmoidDerivativeArgument arg =
      emitSigmoidDerivativeArgument(eb, function, xc, /*fast=*/false);
  ScaledExp e = emitExpOfPair(eb, arg.y);
  return e.timesFused(eb, eb.add(eb.constant(1.0), arg.xSlope));
}

/// GELU'(x) from the piecewise table of q(u) = GELU'(−u): q(|x|) for
/// x ≤ 0, 1 − q(x) above (GELU' − 1/2 is odd). `piecewise` (and
/// `piecewise_graded`, on its graded table): absolute
/// accuracy, like the rational form, 1 above the table and 0 below it (q
/// there under 4e-8, or the ladder's cut). With `tail` (piecewise_tail):
/// relative accuracy on every input, as the accurate form it stands in
/// for: q = (u − u0)·R(u) from the root-factored table through GELU''s
/// zero, 1 above the limit, and below it a tail form (exact GELU': its
/// Gaussian tail; the others: their sigmoid form), computed only for the
/// vectors that have such a lane.
static Value emitGeluPiecewiseDerivative(ElementwiseBuilder &eb,
                                         ReferenceFunction function, Value x,
                                         unsigned degree,
                                         act::Expansion expansion) {
  const bool tail = expansion == act::Expansion::piecewise_tail;
  const PiecewiseCoefficients fit =
      tail ? piecewiseRootCoefficients(function)
      : expansion == act::Expansion::piecewise_graded
          ? gradedPiecewiseCoefficients(function, degree)
          : piecewiseCoefficients(function, degree);
  const double limit = fit.domain.limit;
  // Without `tail`, q = 0 past the table (0 below, 1 above), with no
  // select.
  Value u = emitPiecewiseArgument(eb, fit, x, /*zeroPast=*/!tail);
  Value table = emitPiecewiseTableClamped(eb, fit, u);
  Value one = eb.constant(1.0);
  Value q, positive;
  if (tail) {
    // q = (u − u0)·R, u0 = hi + lo: u − hi is exact near the zero
    // (Sterbenz), so the factor, and q, keep their relative accuracy
    // through it; 1 − q in one FMA.
    const long double root = piecewiseDerivativeRoot(function);
    const float rootHi = static_cast<float>(root);
    const float rootLo = static_cast<float>(root - rootHi);
    Value offset = eb.sub(u, eb.constant(rootHi));
    Value factor = eb.sub(offset, eb.constant(rootLo));
    q = eb.mul(factor, table);
    positive = eb.fma(eb.neg(factor), table, one);
  } else {
    q = table;
    positive = eb.sub(one, q);
  }
  Value nonPositive = eb.lessEqual(x, eb.constant(0.0));
  Value y = eb.select(nonPositive, q, positive);
  if (!tail)
    return y;
  Value above = eb.lessThan(eb.constant(limit), x);
  y = eb.select(above, one, y);
  return eb.selectWhereAny(
      eb.lessThan(x, eb.constant(-limit)),
      [&](ElementwiseBuilder &slow) {
        if (function == ReferenceFunction::GeluExactDerivative)
          return emitGeluDerivativeGaussTail(slow, x);
        return emitSigmoidDerivativeTail(slow, function, x, limit);
      },
      y);
}

/// d/dx x·σ(y(x)) = s·(1 + x·y'·(1 − s)), s = σ(y), for y = y.hi + y.lo and
/// `xTimesSlope` = x·y'(x) (x clamped). σ(|y|) = 1/(1 + e) and
/// σ(−|y|) = e/(1 + e), e = e^−|y|: neither s nor 1 − s is a difference.
/// For y < 0 the factor e is applied last, as power-of-two scales, so a
/// result that is tiny is rounded once. `fast`: a reciprocal estimate.
static Value emitTimesSigmoidDerivative(ElementwiseBuilder &eb, DoubleFloat y,
                                        Value xTimesSlope, bool fast) {
  Value yNegative = eb.lessEqual(y.hi, eb.constant(0.0));
  SigmoidParts parts = emitSigmoidParts(eb, y, yNegative, fast);
  ScaledExp e = parts.e;
  Value eValue = parts.eValue;
  Value r = parts.sigmoidOfAbs;
  Value er = eb.mul(eValue, r);
  // y ≥ 0: s = r, 1 − s = e·r; y < 0: s = e·r, 1 − s = r.
  Value oneMinusS = eb.select(yNegative, r, er);
  Value inner = eb.mul(r, eb.fma(xTimesSlope, oneMinusS, eb.constant(1.0)));
  return eb.select(yNegative, e.times(eb, inner), inner);
}

/// emitTimesSigmoidDerivative in f64, to a few ULP through GELU''s zero:
/// x·y' as a pair, 1/(1 + e) with its rounding corrected (ρ), and
/// 1 + x·y'·(1 − s) from exact products, so that the cancellation near the
/// zero (by 1.4 at x ≈ −1.6 for tanh GELU) does not magnify roundings.
static Value emitTimesSigmoidDerivativeF64(ElementwiseBuilder &eb,
                                           DoubleFloat y, DoubleFloat xSlope) {
  Value one = eb.constant(1.0);
  Value yNegative = eb.lessEqual(y.hi, eb.constant(0.0));
  SigmoidParts parts = emitSigmoidParts(eb, y, yNegative, false);
  Value e = parts.eValue;
  Value r = parts.sigmoidOfAbs;
  // 1 + e = d.hi + d.lo exactly; r·(1 + ρ) is 1/(1 + e) to ~2^-104.
  DoubleFloat d = emitTwoSum(eb, one, e);
  Value nr = eb.neg(r);
  Value rho = eb.fma(nr, d.lo, eb.fma(nr, d.hi, one));
  Value rLo = eb.mul(r, rho);
  // 1 − s: r for y < 0, e·r for y ≥ 0.
  DoubleFloat er = emitTwoProduct(eb, e, r);
  er.lo = eb.fma(e, rLo, er.lo);
  Value oneMinusS = eb.select(yNegative, r, er.hi);
  Value oneMinusSLo = eb.select(yNegative, rLo, er.lo);
  DoubleFloat p = emitTwoProduct(eb, xSlope.hi, oneMinusS);
  p.lo = eb.fma(xSlope.lo, oneMinusS, p.lo);
  p.lo = eb.fma(xSlope.hi, oneMinusSLo, p.lo);
  DoubleFloat sum = emitTwoSum(eb, one, p.hi);
  Value inner = eb.add(sum.hi, eb.add(sum.lo, p.lo));
  // s·inner: s = r (y ≥ 0), e·r (y < 0: e's scales applied last).
  Value rInner = eb.fma(r, inner, eb.mul(rLo, inner));
  return eb.select(yNegative, parts.e.times(eb, rInner), rInner);
}

/// The tanh form's derivative, 2u in double-float unless `fast`.
static Value emitGeluTanhDerivative(ElementwiseBuilder &eb, Value x,
                                    bool fast) {
  Value xc =
      clampSigmoidDerivativeInput(eb, ReferenceFunction::GeluTanhDerivative, x);
  if (eb.isDouble()) {
    DoubleFloat twoU = emitTanhFormSigmoidArg(eb, xc);
    DoubleFloat xSlope = emitTanhFormSigmoidArg(eb, xc, /*cubicFactor=*/3);
    return emitTimesSigmoidDerivativeF64(eb, twoU, xSlope);
  }
  SigmoidDerivativeArgument arg = emitSigmoidDerivativeArgument(
      eb, ReferenceFunction::GeluTanhDerivative, xc, fast);
  return emitTimesSigmoidDerivative(eb, arg.y, arg.xSlope, fast);
}

/// The sigmoid form's derivative: y = s·x, and x·y' = y itself.
static Value emitGeluSigmoidDerivative(ElementwiseBuilder &eb, Value x,
                                       bool fast) {
  Value xc = clampSigmoidDerivativeInput(
      eb, ReferenceFunction::GeluSigmoidDerivative, x);
  SigmoidDerivativeArgument arg = emitSigmoidDerivativeArgument(
      eb, ReferenceFunction::GeluSigmoidDerivative, xc, fast);
  if (eb.isDouble()) // x·y' = y
    return emitTimesSigmoidDerivativeF64(eb, arg.y, arg.y);
  return emitTimesSigmoidDerivative(eb, arg.y, arg.xSlope, fast);
}

Value emitDerivativeExpansion(ElementwiseBuilder &eb,
                              ReferenceFunction function,
                              act::Expansion expansion, Value x,
                              unsigned degree) {
  using act::Expansion;
  assert((!eb.isDouble() ||
          llvm::is_contained(f64ExpansionsFor(function), expansion)) &&
         "f64 has its own expansions (the op verifier checks)");
  bool fast = expansion == Expansion::sigmoid_fast;
  if (degree == 0)
    degree = defaultDegreeOf(function, expansion, eb.isDouble());
  if (expansion == Expansion::piecewise ||
      expansion == Expansion::piecewise_graded ||
      expansion == Expansion::piecewise_tail)
    return emitGeluPiecewiseDerivative(eb, function, x, degree, expansion);
  if (expansion == Expansion::polynomial)
    return emitGeluDerivativeClampedPolynomial(eb, function, x, degree);
  switch (function) {
  case ReferenceFunction::GeluExactDerivative:
    switch (expansion) {
    case Expansion::erfc:
      return eb.isDouble() ? emitGeluExactDerivativeF64(eb, x)
                           : emitGeluErfcDerivative(eb, x, /*accurate=*/true);
    case Expansion::erfc_fast:
      return emitGeluErfcDerivative(eb, x, /*accurate=*/false);
    case Expansion::erf:
      return emitGeluErfDerivative(eb, x);
    case Expansion::rational:
    case Expansion::rational_fast:
      return emitGeluRationalDerivative(eb, function, x, degree,
                                        expansion == Expansion::rational_fast);
    // The approximate forms' derivatives, for loose absolute budgets.
    case Expansion::approx_tanh:
      return emitGeluTanhDerivative(eb, x, /*fast=*/true);
    case Expansion::approx_sigmoid:
      return emitGeluSigmoidDerivative(eb, x, /*fast=*/true);
    case Expansion::correctly_rounded:
      return emitCorrectlyRounded(eb, function, x);
    default:
      break;
    }
    break;
  case ReferenceFunction::GeluTanhDerivative:
  case ReferenceFunction::GeluSigmoidDerivative:
    if (expansion == Expansion::rational ||
        expansion == Expansion::rational_fast)
      return emitGeluRationalDerivative(eb, function, x, degree,
                                        expansion == Expansion::rational_fast);
    if (function == ReferenceFunction::GeluTanhDerivative)
      return emitGeluTanhDerivative(eb, x, fast);
    return emitGeluSigmoidDerivative(eb, x, fast);
  default:
    break;
  }
  llvm_unreachable("not an expansion of a derivative (expansionsFor)");
}

} // namespace gelu
