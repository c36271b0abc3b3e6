//===- Expansions.cpp - How each activation is computed ------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Conversion/Expansions/Expansions.h"

#include "ExpansionParts.h"

#include "gelu/Conversion/Expansions/CorrectlyRounded.h"
#include "gelu/Conversion/Expansions/Derivatives.h"
#include "gelu/Conversion/Expansions/ExactGeluF64.h"

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"

#include "gelu/Conversion/Expansions/Elementary.h"
#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/FitCatalog.h"
#include "gelu/Numerics/HardwareApproximations.h"
#include "gelu/Numerics/Polynomials.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir;

namespace gelu {

DoubleFloat emitScaled(ElementwiseBuilder &eb, SplitConstant c, Value x) {
  DoubleFloat p = emitTwoProduct(eb, eb.constant(c.hi), x);
  return {p.hi, eb.fma(eb.constant(c.lo), x, p.lo)};
}

Value emitErfRational(ElementwiseBuilder &eb, Value x) {
  Value z = clampBoth(eb, eb.mul(x, eb.constant(M_SQRT1_2)), -kErfClamp);
  return eb.mul(z, emitRational(eb, eb.mul(z, z), erfRationalCoefficients(),
                                /*estimateReciprocal=*/false));
}

Value emitErfNearZero(ElementwiseBuilder &eb, Value z) {
  return eb.mul(z, eb.horner(eb.mul(z, z), erfOddCoefficients()));
}

namespace {
/// What the erfc form of exact GELU spends on accuracy.
struct ErfcFormOptions {
  llvm::ArrayRef<double> coefficients;
  /// Correct for the rounding of t (its residual ρ, through the prefactor
  /// and the slope S(t)) and keep −x²/2 + P(t) as an exact sum.
  bool refine;
  /// t by a reciprocal estimate and a Newton step rather than a divide.
  bool estimateReciprocal;
};
} // namespace

/// Exact GELU: erf near 0, erfc form elsewhere (see Expansions.h).
static Value emitGeluErfc(ElementwiseBuilder &eb, Value x,
                          const ErfcFormOptions &options) {
  // x ≤ 0 takes the x·(0.5·erfc) branch, which also keeps the sign of −0.
  Value one = eb.constant(1.0);
  Value isNegative = eb.lessEqual(x, eb.constant(0.0));
  // |x| ≤ 16 keeps x² finite; erfc(16/√2) is 0 in f32, so Φ is exact there.
  Value ax = eb.clampAbove(eb.abs(x), -kErfcFormTail);
  Value xTail = eb.clampBelow(x, kErfcFormTail);

  // erfc(|x|/√2) = t·exp(−x²/2 + P(t)), t = 1/(1 + a·|x|).
  Value scale = eb.constant(kErfcFormScale);
  Value d = eb.fma(scale, ax, one);
  Value t =
      options.estimateReciprocal ? eb.reciprocalEstimate(d) : eb.div(one, d);
  Value p = eb.horner(t, options.coefficients);
  Value prefactor = t;
  ScaledExp gauss;
  if (options.refine) {
    // d + dLo = 1 + a·|x| exactly (1 − d is exact for d ≥ 1), and
    // ρ = 1 − t·(d + dLo) is the relative error of the rounded t. The
    // result depends on t as t·e^P(t): the prefactor takes t·(1 + ρ), the
    // exponent the slope S(t)·ρ. Without this, t's ~1.5 ULP error becomes
    // ~3 ULP of erfc.
    Value dLo = eb.fma(scale, ax, eb.sub(one, d));
    Value rho = eb.fma(eb.neg(t), dLo, eb.fma(eb.neg(t), d, one));
    Value slope = eb.mul(eb.horner(t, erfcLogSlopeCoefficients()), rho);
    prefactor = eb.fma(t, rho, t);
    // −x²/2 from the exact product x·x: its rounding would otherwise be a
    // relative error of e^(ulp(x²)/2), ~30 ULP at x = −13.
    DoubleFloat square = emitTwoProduct(eb, ax, ax);
    Value minusHalf = eb.constant(-0.5);
    gauss = emitExp(eb, {eb.mul(minusHalf, square.hi), p,
                         eb.fma(minusHalf, square.lo, slope)});
  } else {
    gauss = emitExp(eb, {eb.fma(eb.mul(eb.constant(-0.5), ax), ax, p)});
  }

  // m = 0.5·erfc(z)·(x if x ≤ 0 else 1): the x ≤ 0 result folded in before
  // the final scaling, so tail results are rounded once. The 1/2 goes on
  // the select, not on t: LLVM folds 0.5·(1/d) into a divide 0.5/d that
  // has lost `arcp`, which turned erfc_fast's reciprocal estimate back into
  // vdivps.
  Value half = eb.constant(0.5);
  Value factor =
      eb.mul(prefactor, eb.select(isNegative, eb.mul(half, xTail), half));
  Value m = gauss.times(eb, factor);
  // x > 0: x·(1 − m) as x − x·m, rounded once. x is clamped in the product
  // (m is 0 past 16) so that +inf gives inf, not inf·0.
  Value positive = eb.fma(eb.neg(eb.clampAbove(x, -kErfcFormTail)), m, x);
  Value viaErfc = eb.select(isNegative, m, positive);

  // Near 0: 0.5·x·(1 + erf(x/√2)) = h + h·erf, h = x/2, with erf(z) =
  // z·Q(z²). Here 1 + erf is in [0.48, 1.52]: no cancellation, and erf's
  // error is damped.
  Value erf = emitErfNearZero(eb, eb.mul(x, eb.constant(M_SQRT1_2)));
  Value h = eb.mul(x, eb.constant(0.5));
  Value viaErf = eb.fma(h, erf, h);
  // (Operands built one a statement: the IR must not depend on the
  // compiler's order of argument evaluation.)
  // ±0 and ±2^-149 stay with the erfc form, which keeps their sign: for
  // x = −2^-149, h rounds to −0 and h + h·erf(z) to +0 (−0·erf(z) is +0).
  Value ax0 = eb.abs(x);
  Value small = eb.lessEqual(ax0, eb.constant(kErfcFormMinX));
  Value notTiny =
      eb.lessThan(eb.constant(std::numeric_limits<float>::denorm_min()), ax0);
  Value nearZero = eb.andI(small, notTiny);
  return eb.select(nearZero, viaErf, viaErfc);
}

/// Exact GELU, x·Φ(x), in the tail-accurate erfc form:
/// x < 0: 0.5·x·erfc(|x|/√2); x ≥ 0: x·(1 − 0.5·erfc(x/√2)); and near 0
/// (|x| ≤ 1/√2) 0.5·x·(1 + erf(x/√2)). The Gaussian factor exp(−x²/2)
/// takes x² as an exact two-product, so the result keeps its relative
/// accuracy down to underflow (x ≈ −14.4).
static Value emitGeluErfcForm(ElementwiseBuilder &eb, Value x) {
  return emitGeluErfc(eb, x,
                      {erfcLogCoefficients(), /*refine=*/true,
                       /*estimateReciprocal=*/false});
}

/// Exact GELU as emitGeluErfcForm without its refinements (erfc_fast): a
/// degree-7 fit, a reciprocal estimate, no residual or two-sum corrections.
static Value emitGeluErfcFast(ElementwiseBuilder &eb, Value x) {
  return emitGeluErfc(eb, x,
                      {erfcLogFastCoefficients(), /*refine=*/false,
                       /*estimateReciprocal=*/true});
}

Value emitRational(ElementwiseBuilder &eb, Value w,
                   RationalCoefficients coefficients, bool estimateReciprocal) {
  Value p = eb.horner(w, coefficients.numerator);
  Value q = eb.horner(w, coefficients.denominator);
  return estimateReciprocal ? eb.mul(p, eb.reciprocalEstimate(q))
                            : eb.div(p, q);
}

/// The fitted forms keep what GELU keeps (Numerics/Invariants.h: the sign
/// of x, |y| ≤ |x|) only where their fit error is smaller than the
/// function's distance from 0 and from x. Rational at degree 4 gave
/// +9.2e-6 on [−5.5, −5.418] and, by symmetry, more than x on [5.418, 5.5].
/// So each form takes the function's limits (x above, −0 below) from where
/// its fit, evaluated in long double, comes within a margin of them. The
/// margin covers the f32 evaluation: two ULP of 1/2, four with a reciprocal
/// estimate (all 2^32 inputs confirm them on AVX-512 and AVX2:
/// gelu-accuracy --invariants). Past that point the limit is within the
/// fit's error of the function. Cost: the select above the limit (which
/// degree 6 did not have) and withSignOf.
static constexpr double kLimitMargin = 0x1p-23;
static constexpr double kLimitMarginEstimate = 0x1p-22;

/// Where x·R(x²) (g − 1/2) of the rational form of `function` at `degree`
/// reaches 1/2.
static double rationalLimit(ReferenceFunction function, unsigned degree,
                            bool estimateReciprocal) {
  // Indexed by the function (the four with a rational form come first),
  // the degree and whether the reciprocal is estimated.
  static const auto limits = [] {
    std::array<std::array<std::array<double, 2>, kRationalMaxDegree + 1>, 4>
        table{};
    for (ReferenceFunction f :
         {ReferenceFunction::GeluExact, ReferenceFunction::GeluTanh,
          ReferenceFunction::GeluSigmoid, ReferenceFunction::Silu})
      for (unsigned d = kRationalMinDegree; d <= kRationalMaxDegree; ++d)
        for (int estimate = 0; estimate < 2; ++estimate)
          table[static_cast<size_t>(f)][d][estimate] =
              oddFitBelowLimit(geluRationalCoefficients(f, d), 1.0, 0.5,
                               estimate ? kLimitMarginEstimate : kLimitMargin,
                               rationalClamp(f, d));
    return table;
  }();
  assert(hasRationalForm(function) && static_cast<size_t>(function) < 4);
  return limits[static_cast<size_t>(function)][degree][estimateReciprocal];
}

/// `y` (≥ 0 for x ≥ 0) with the sign of x. Within their limits the fitted
/// forms keep the sign but for x = −2^-149, where x/2 rounds to −0 and
/// −0 + (+0) is +0: one bit operation (vpternlogd on AVX-512).
static Value withSignOf(ElementwiseBuilder &eb, Value x, Value y) {
  return eb.copySign(y, x);
}

/// Where the erf form's rational erf(x/√2) reaches 1.
static double erfFormLimit() {
  static const double limit =
      oddFitBelowLimit(erfRationalCoefficients(), M_SQRT1_2, 1.0, kLimitMargin,
                       kErfClamp * M_SQRT2);
  return limit;
}

/// `value`, except −0 where x < −bound: there the function is within the
/// fit's error of 0 (below −5.5 exact GELU is under 2e-7 in magnitude;
/// SiLU below its degree-6 limit −15.9 is above −2e-6, as far from 0 as
/// that fit's error at +15.9), and −inf must not meet a zero factor.
static Value underflowBelow(ElementwiseBuilder &eb, Value x, double bound,
                            Value value) {
  return eb.select(eb.lessThan(x, eb.constant(-bound)), eb.constant(-0.0),
                   value);
}

static Value emitGeluRational(ElementwiseBuilder &eb,
                              ReferenceFunction function, Value x,
                              unsigned degree, bool estimateReciprocal) {
  // x·(1/2 + x·R(x²)), R fitted on |x| ≤ rationalClamp, where the gate is
  // already 1 in f32; clamping keeps x² finite and sends +inf to inf.
  Value xc = clampBoth(eb, x, -rationalClamp(function, degree));
  Value r = emitRational(eb, eb.mul(xc, xc),
                         geluRationalCoefficients(function, degree),
                         estimateReciprocal);
  // x/2 + x·(x·R): the product x·R is rounded once, then the sum, so the
  // result is within ~1.5 ULP where the gate is near 1 (x·(1/2 + x·R)
  // rounds 1/2 + x·R to ulp(1) first: 2.3 ULP, 1.1e-6 absolute, at x ≈ 5).
  // x·R is formed as fma(x, R, +0) so that x = −0 gives +0 there, and
  // −0·(+0) + (−0) keeps the sign of −0 (a plain product would give +0).
  Value xr = eb.fma(xc, r, eb.constant(0.0));
  Value y = eb.fma(x, xr, eb.mul(x, eb.constant(0.5)));
  // From where the fit nears its limits (rationalLimit): x above, −0
  // below. The select also sends +inf to inf (+inf·(1 − ε) is inf, but
  // 1e30·(1 − ε) would be off by 1e23).
  double limit = rationalLimit(function, degree, estimateReciprocal);
  y = eb.select(eb.lessThan(eb.constant(limit), x), x, y);
  return withSignOf(eb, x, underflowBelow(eb, x, limit, y));
}

/// Exact, tanh or sigmoid GELU or SiLU, x·g(x), as the direct rational form
/// x·(1/2 + x·P(x²)/Q(x²)) on |x| ≤ rationalClamp (5.5 for exact GELU,
/// where σ(y(x)) reaches y = 17.5 for the others) (rational; degrees
/// `degree`/`degree` − 1, a divide), −0 below and x above where the fit
/// nears the gate's limits (rationalLimit: for exact GELU from 5.17 at
/// degree 6 to 2.9 at degree 2). Each degree less costs two FMAs fewer
/// (measured errors: docs/generated/accuracy-table.md).
static Value emitGeluRationalForm(ElementwiseBuilder &eb,
                                  ReferenceFunction function, Value x,
                                  unsigned degree) {
  return emitGeluRational(eb, function, x, degree,
                          /*estimateReciprocal=*/false);
}

/// The same with a reciprocal estimate and a Newton step for the divide
/// (rational_fast): about one ULP less accurate, and on x86 several times
/// cheaper than vdivps.
static Value emitGeluRationalFast(ElementwiseBuilder &eb,
                                  ReferenceFunction function, Value x,
                                  unsigned degree) {
  return emitGeluRational(eb, function, x, degree,
                          /*estimateReciprocal=*/true);
}

/// Exact GELU in the erf form 0.5·x·(1 + erf(x/√2)) with erf a rational fit
/// on |z| ≤ 4 (erf).
static Value emitGeluErfForm(ElementwiseBuilder &eb, Value x) {
  // h·(1 + erf(z)), h = x/2, z = x/√2, erf(z) = z·P(z²)/Q(z²) on the clamped
  // z. For x < 0, 1 + erf cancels: the absolute error stays below 1e-6 but the
  // relative error grows without bound, as in every erf-based GELU.
  Value erf = emitErfRational(eb, x);
  // h·(1 + erf) rather than h + h·erf keeps the sign of −0.
  Value h = eb.mul(x, eb.constant(0.5));
  Value y = eb.mul(h, eb.add(eb.constant(1.0), erf));
  // From where the fit nears 1 (erfFormLimit): x above, −0 below.
  double limit = erfFormLimit();
  y = eb.select(eb.lessThan(eb.constant(limit), x), x, y);
  return withSignOf(eb, x, underflowBelow(eb, x, limit, y));
}

/// c1 = 2√(2/π) of the tanh form's 2u = x·(c1 + c·c1·x²), c its cubic.
static const double kTanhFormSlope = tanhFormSlope();

DoubleFloat emitTanhFormSigmoidArg(ElementwiseBuilder &eb, Value xc,
                                   long double cubicFactor) {
  // All in double-float: 2u reaches −140, where an f32 rounding of 2u would
  // be a relative error of ~1e-5 in σ(2u).
  // (In f64, double-double: the constants from long double.)
  const long double c1 = 2 * sqrtl(2 / M_PIl);
  SplitConstant k1 = SplitConstant::of(eb, c1),
                k2 = SplitConstant::of(
                    eb, cubicFactor * tanhFormCubic<long double>() * c1);
  DoubleFloat square = emitTwoProduct(eb, xc, xc);
  DoubleFloat k2x2 = emitTwoProduct(eb, eb.constant(k2.hi), square.hi);
  DoubleFloat w = emitTwoSum(eb, eb.constant(k1.hi), k2x2.hi);
  Value wLo = eb.add(w.lo, k2x2.lo);
  wLo = eb.fma(eb.constant(k2.hi), square.lo, wLo);
  wLo = eb.fma(eb.constant(k2.lo), square.hi, wLo);
  wLo = eb.add(wLo, eb.constant(k1.lo));
  DoubleFloat y = emitTwoProduct(eb, xc, w.hi);
  y.lo = eb.fma(xc, wLo, y.lo);
  return y;
}

namespace {
/// What an x·σ(y) form takes σ of: x clamped to where the result has
/// settled (xc), and y(xc) as a pair.
struct SigmoidFormArgument {
  Value xc;
  DoubleFloat y;
};
} // namespace

/// tanh GELU, 0.5·x·(1 + tanh(u)) with u = √(2/π)(x + 0.044715x³), is
/// x·σ(2u), 2u in double-float: no 1 + tanh cancellation. Sigmoid GELU is
/// x·σ(1.702x), 1.702x in double-float; SiLU x·σ(x).
static SigmoidFormArgument emitSigmoidFormArgument(ElementwiseBuilder &eb,
                                                   ReferenceFunction function,
                                                   Value x) {
  switch (function) {
  case ReferenceFunction::GeluTanh: {
    Value xc = clampBoth(eb, x, tailFor(eb, kTanhFormTail, kTanhFormTailF64));
    return {xc, emitTanhFormSigmoidArg(eb, xc)};
  }
  case ReferenceFunction::GeluSigmoid: {
    Value xc =
        clampBoth(eb, x, tailFor(eb, kSigmoidFormTail, kSigmoidFormTailF64));
    return {xc, emitScaled(
                    eb, SplitConstant::of(eb, sigmoidFormScale<long double>()),
                    xc)};
  }
  case ReferenceFunction::Silu: {
    Value xc = clampBoth(eb, x, tailFor(eb, kSiluTail, kSiluTailF64));
    return {xc, {xc, Value()}};
  }
  default:
    llvm_unreachable("not an x·σ(y) function");
  }
}

/// The `sigmoid` expansion of tanh GELU, sigmoid GELU or SiLU.
static Value emitSigmoidForm(ElementwiseBuilder &eb, ReferenceFunction function,
                             Value x) {
  SigmoidFormArgument arg = emitSigmoidFormArgument(eb, function, x);
  return emitTimesSigmoid(eb, x, arg.xc, arg.y);
}

/// x·σ(y) in plain f32: one exp, a reciprocal estimate, no corrections.
/// `xTail` is x clamped below where the result has underflowed.
static Value emitTimesSigmoidFast(ElementwiseBuilder &eb, Value xTail,
                                  Value y) {
  Value e = emitExp(eb, {eb.neg(eb.abs(y))}).value(eb);
  Value s = eb.reciprocalEstimate(eb.add(eb.constant(1.0), e));
  Value negative = eb.lessEqual(y, eb.constant(0.0));
  Value sigma = eb.select(negative, eb.mul(e, s), s);
  return eb.mul(xTail, sigma);
}

Value emitTanhFormSigmoidArgFast(ElementwiseBuilder &eb, Value xc) {
  const double c1 = kTanhFormSlope;
  Value square = eb.mul(xc, xc);
  return eb.mul(xc, eb.fma(eb.constant(tanhFormCubic<double>() * c1), square,
                           eb.constant(c1)));
}

Value emitTanhFormSigmoidArgDerivative(ElementwiseBuilder &eb, Value xc) {
  const double c1 = kTanhFormSlope;
  Value square = eb.mul(xc, xc);
  return eb.fma(eb.constant(3 * tanhFormCubic<double>() * c1), square,
                eb.constant(c1));
}

/// x·σ(y) forms (tanh GELU, sigmoid GELU, SiLU) in plain f32 with a
/// reciprocal estimate (sigmoid_fast).
static Value emitSigmoidFast(ElementwiseBuilder &eb, ReferenceFunction function,
                             Value x) {
  switch (function) {
  case ReferenceFunction::GeluTanh: {
    Value xc = clampBoth(eb, x, kTanhFormTail);
    return emitTimesSigmoidFast(eb, eb.clampBelow(x, kTanhFormTail),
                                emitTanhFormSigmoidArgFast(eb, xc));
  }
  case ReferenceFunction::GeluSigmoid: {
    Value xc = clampBoth(eb, x, kSigmoidFormTail);
    return emitTimesSigmoidFast(
        eb, eb.clampBelow(x, kSigmoidFormTail),
        eb.mul(eb.constant(sigmoidFormScale<double>()), xc));
  }
  case ReferenceFunction::Silu:
    return emitTimesSigmoidFast(eb, eb.clampBelow(x, kSiluTail),
                                clampBoth(eb, x, kSiluTail));
  default:
    llvm_unreachable("sigmoid_fast computes x·σ(y) forms only");
  }
}

/// y of x·σ(y) times the scale folded into `arg`'s constants, as
/// hardwareFormRange models it: tanh GELU's x·(c₁ + c₃·x²), else c·x (SiLU
/// unscaled: x itself). (Here and in the hardware forms, operands are built
/// one statement at a time: the PTX's order, which the tests pin to the
/// model's, must not depend on the compiler's order of evaluating
/// arguments.)
static Value emitSigmoidArgument(ElementwiseBuilder &eb,
                                 ReferenceFunction function,
                                 const SigmoidArgument &arg, Value x) {
  if (function == ReferenceFunction::GeluTanh) {
    Value square = eb.mul(x, x);
    Value cubic = eb.constant(arg.cubic);
    Value linear = eb.constant(arg.linear);
    return eb.mul(x, eb.fma(cubic, square, linear));
  }
  if (arg.linear == 1.0f)
    return x;
  Value scale = eb.constant(arg.linear);
  return eb.mul(scale, x);
}

/// hw_tanh: x·clamp(½ + ½·tanh(y/2), 0, 1) by the GPU's tanh, x past the
/// cutoff, −0 below its opposite (hardwareTanhCutoff: where the
/// approximation's error and the function's tail meet).
static Value emitHardwareTanhForm(ElementwiseBuilder &eb,
                                  ReferenceFunction function, Value x) {
  Value half = eb.constant(0.5);
  Value a =
      emitSigmoidArgument(eb, function, sigmoidArgument(function, 0.5f), x);
  Value t = eb.hardwareTanh(a);
  Value sigma = eb.fma(half, t, half);
  sigma = eb.clampBelow(sigma, 0.0);
  sigma = eb.clampAbove(sigma, 1.0);
  const double cutoff = hardwareTanhCutoff(function);
  Value y = eb.mul(x, sigma);
  y = underflowBelow(eb, x, cutoff, y);
  Value above = eb.lessThan(eb.constant(cutoff), x);
  return eb.select(above, x, y);
}

/// hw_sigmoid: x·σ(y) with e = 2^(−|y|·log₂ e) and 1/(1 + e) by the GPU's
/// ex2 and rcp: q = e/(1 + e) = σ(−|y|) (no overflow), σ = q for y ≤ 0 and
/// 1 − q above (exactly 1 where e is 0: rcp.approx(1) need not be); x
/// clamped below at the tail, so that −inf gives −0.
static Value emitHardwareSigmoidForm(ElementwiseBuilder &eb,
                                     ReferenceFunction function, Value x) {
  double tail = function == ReferenceFunction::GeluTanh      ? kTanhFormTail
                : function == ReferenceFunction::GeluSigmoid ? kSigmoidFormTail
                                                             : kSiluTail;
  Value y =
      emitSigmoidArgument(eb, function, sigmoidArgument(function, 1.0f), x);
  Value magnitude = eb.abs(y);
  Value log2e = eb.constant(static_cast<double>(negativeLog2E()));
  Value e = eb.hardwareExp2(eb.mul(magnitude, log2e));
  Value one = eb.constant(1.0);
  Value r = eb.hardwareReciprocal(eb.add(one, e));
  Value q = eb.mul(e, r);
  Value notPositive = eb.lessEqual(y, eb.constant(0.0));
  Value complement = eb.sub(one, q);
  Value sigma = eb.select(notPositive, q, complement);
  Value xTail = eb.clampBelow(x, tail);
  return eb.mul(xTail, sigma);
}

/// The tanh GELU in PyTorch's spelling 0.5·x·(1 + tanh u) (tanh).
static Value emitGeluTanhSpelling(ElementwiseBuilder &eb, Value x) {
  // 0.5·x·(1 + tanh u), tanh u = ±(1 − e)/(1 + e), e = exp(−2|u|): for
  // x < 0, 1 + tanh u cancels, which is why it is not the default.
  Value xc = clampBoth(eb, x, kTanhFormTail);
  Value twoU = emitTanhFormSigmoidArgFast(eb, xc);
  Value one = eb.constant(1.0);
  Value e = emitExp(eb, {eb.neg(eb.abs(twoU))}).value(eb);
  Value numerator = eb.sub(one, e);
  Value th = eb.div(numerator, eb.add(one, e));
  Value negative = eb.lessThan(twoU, eb.constant(0.0));
  th = eb.select(negative, eb.neg(th), th);
  Value xTail = eb.clampBelow(x, kTanhFormTail);
  Value half = eb.mul(eb.constant(0.5), xTail);
  return eb.mul(half, eb.add(one, th));
}

Value emitPiecewiseArgument(ElementwiseBuilder &eb,
                            const PiecewiseCoefficients &fit, Value x,
                            bool zeroPast) {
  const PiecewiseDomain &domain = fit.domain;
  // Past the table: where its index reaches the zero entry.
  const double past =
      static_cast<double>(piecewiseArgumentAt(domain, domain.intervals));
  return eb.clampAbove(eb.abs(x), zeroPast ? past : domain.limit);
}

Value emitPiecewiseTableClamped(ElementwiseBuilder &eb,
                                const PiecewiseCoefficients &fit, Value u) {
  const PiecewiseDomain &domain = fit.domain;
  const unsigned degree = fit.degree;
  // t = u/step, at most one past the last interval's centre. k = round(t)
  // by the shifter 1.5·2^23: the low bits of t + shifter are k, and
  // (t + shifter) − shifter is k as a float, so v = t − k in [−1/2, 1/2]
  // is exact when t is. t is never formed: both t + shifter and t − k are
  // FMAs of u, each rounded once as the sum of exact t would be; t is
  // exact for the power-of-two steps of degrees 4 and up (not for
  // hasEvenFullTables' 16/m, where v is rounded once, by under 2^−25). The
  // ladder's degrees' tables are expanded (isExpandedPiecewise): their
  // polynomials are in u itself, so only k is formed, and u·(1/step) (an f32
  // value) rounded in its FMA moves k only at an interval's edge, where the two
  // intervals' polynomials agree to within their error. No float-to-int
  // conversion: a NaN lane gets some defined index and stays NaN through
  // the polynomial.
  // (Operands are built one statement at a time: the IR's order must not
  // depend on the compiler's order of evaluating arguments.)
  // Graded (piecewise_graded, expanded): t = u·(1/step − grading·u), the
  // factor in one FMA more, k from the shifter's FMA of u by it, and the
  // polynomials in t, its product. Centred (the graded piecewise_tail
  // tables): k from t, v = u − c_k by a lookup and a subtraction, exact
  // (FitCatalog.h).
  Value inverseStep = eb.constant(1.0 / domain.step);
  if (domain.grading)
    inverseStep = eb.fma(u, eb.constant(-domain.grading), inverseStep);
  Value shifter = eb.constant(0x1.8p23);
  Value shifted = eb.fma(u, inverseStep, shifter);
  // The polynomials' variable: v, or expanded (isExpandedPiecewise) u or t.
  const bool expanded = isExpandedPiecewise(domain, degree);
  Value v;
  if (expanded) {
    v = domain.grading ? eb.mul(u, inverseStep) : u;
  } else if (!domain.centred) {
    Value minusK = eb.sub(shifter, shifted);
    v = eb.fma(u, inverseStep, minusK);
  }
  Value k = eb.bitcastToInt(shifted);
  // One table a coefficient, padded with zeros to a power of two, at
  // least one past the last interval: q = 0 for u clamped a step past the
  // limit (emitPiecewiseArgument). Other lanes that index the padding are
  // NaN.
  unsigned size = 2;
  while (size < domain.intervals + 1)
    size *= 2;
  auto lookup = [&](llvm::function_ref<double(unsigned)> entry) {
    llvm::SmallVector<double> entries(size, 0.0);
    for (unsigned i = 0; i < domain.intervals; ++i)
      entries[i] = static_cast<float>(entry(i));
    return eb.lookup(entries, k);
  };
  if (domain.centred)
    v = eb.sub(u,
               lookup([&](unsigned i) { return piecewiseCentre(domain, i); }));
  const unsigned terms = degree + 1;
  const std::vector<double> expandedCoefficients =
      expanded ? expandedPiecewiseCoefficients(fit) : std::vector<double>();
  llvm::ArrayRef<double> coefficients =
      expanded ? llvm::ArrayRef<double>(expandedCoefficients)
               : fit.coefficients;
  auto table = [&](unsigned power) {
    return lookup([&](unsigned i) { return coefficients[i * terms + power]; });
  };
  Value acc = table(degree);
  for (unsigned power = degree; power-- > 0;)
    acc = eb.fma(acc, v, table(power));
  return acc;
}

/// The accurate form of a gate function for x < −1: the tail of its
/// accurate expansion.
static Value emitAccurateTail(ElementwiseBuilder &eb,
                              ReferenceFunction function, Value x);

Value emitGatedFromNegative(ElementwiseBuilder &eb, Value x, Value u, Value q) {
  // Compared with −0 (equal to +0) so that the select is x86's max(−0, x)
  // as LLVM matches it: one instruction instead of a compare and a blend.
  Value negativeZero = eb.constant(-0.0);
  Value base = eb.select(eb.lessThan(x, negativeZero), negativeZero, x);
  return eb.fma(eb.neg(u), q, base);
}

/// x·g(x) from the piecewise table of q(u) = g(−u), u = |x|
/// (emitGatedFromNegative: −2^-149 keeps its sign). Past the table: with
/// `tail`, u is clamped to the limit (x − limit·q(limit) above, q there under
/// 2^−25), and below −limit the accurate form is computed, only for the vectors
/// that have such a lane (piecewise_tail); without, u is clamped a step past
/// the limit, where the table's zero entry makes q = 0 from half a step past it
/// on: x above, −0 below, +inf giving inf, with no select.
static Value emitGeluPiecewise(ElementwiseBuilder &eb,
                               const PiecewiseCoefficients &fit,
                               ReferenceFunction function, Value x, bool tail) {
  const double limit = fit.domain.limit;
  Value u = emitPiecewiseArgument(eb, fit, x, /*zeroPast=*/!tail);
  Value q = emitPiecewiseTableClamped(eb, fit, u);
  Value y = emitGatedFromNegative(eb, x, u, q);
  if (!tail)
    return y;
  return eb.selectWhereAny(
      eb.lessThan(x, eb.constant(-limit)),
      [&](ElementwiseBuilder &slow) {
        return emitAccurateTail(slow, function, x);
      },
      y);
}

/// A gate's table-free `polynomial` form (FitCatalog.h):
/// (x < 0 ? −0 : x) − v·(R − v)·s(v), v = min(|x|, R). Past R the product
/// is 0: x above, −0 below, ±inf giving inf and −0; NaN stays NaN through
/// v.
static Value emitGeluClampedPolynomial(ElementwiseBuilder &eb,
                                       ReferenceFunction function, Value x,
                                       unsigned degree) {
  const ClampedPolynomialCoefficients fit =
      clampedPolynomialCoefficients(function, degree);
  Value clamp = eb.constant(fit.clamp);
  Value v = eb.clampAbove(eb.abs(x), fit.clamp);
  Value s = eb.hornerLowFirst(v, fit.coefficients);
  Value m = eb.mul(v, eb.sub(clamp, v));
  return emitGatedFromNegative(eb, x, m, s);
}

/// ReLU, max(x, 0): NaN stays NaN, −0 gives +0.
static Value emitRelu(ElementwiseBuilder &eb, Value x) {
  // x ≤ 0 (ordered) picks +0 for −0 and negatives and keeps NaN.
  Value zero = eb.constant(0.0);
  return eb.select(eb.lessEqual(x, zero), zero, x);
}

/// An f32 form of f64 `x` (computesInF32OnF64): x rounded to f32, the
/// form, its result widened. Where the f32 result is its input (a GELU or
/// SiLU above its table, ±0, ±inf) the result is x itself, so that large
/// inputs keep all their bits.
static Value emitInF32(ElementwiseBuilder &eb, ReferenceFunction function,
                       act::Expansion expansion, Value x, unsigned degree) {
  ElementwiseBuilder f = eb.withElement(Float32Type::get(x.getContext()));
  Value x32 = f.convertFrom(x);
  Value y32 = emitExpansion(f, function, expansion, x32, degree);
  Value y = eb.convertFrom(y32);
  if (isDerivative(function))
    return y;
  return eb.select(f.notEqual(y32, x32), y, x);
}

/// The f64 piecewise_tail of a gate function: its f64 table of `degree`
/// (DoubleFits.h) for |x| < kPhiF64TableLimit; a vector with a lane beyond
/// (±inf included) takes exact GELU's tail, or the sigmoid-gated
/// function's `sigmoid` form, in a branch.
static Value emitF64PiecewiseTail(ElementwiseBuilder &eb,
                                  ReferenceFunction function, Value x,
                                  unsigned degree) {
  Value y = emitGatedFromF64Table(eb, x, f64GateTableFitName(function, degree));
  return eb.selectWhereAny(
      emitBeyondF64Table(eb, x),
      [&](ElementwiseBuilder &slow) {
        return function == ReferenceFunction::GeluExact
                   ? emitGeluExactF64Tail(slow, x)
                   : emitSigmoidForm(slow, function, x);
      },
      y);
}

Value emitExpansion(ElementwiseBuilder &eb, ReferenceFunction function,
                    act::Expansion expansion, Value x, unsigned degree) {
  using act::Expansion;
  if (eb.isDouble() && computesInF32OnF64(expansion))
    return emitInF32(eb, function, expansion, x, degree);
  if (isDerivative(function))
    return emitDerivativeExpansion(eb, function, expansion, x, degree);
  assert((!eb.isDouble() ||
          llvm::is_contained(f64ExpansionsFor(function), expansion)) &&
         "f64 has its own expansions (the op verifier checks)");
  if (degree == 0)
    degree = defaultDegreeOf(function, expansion, eb.isDouble());
  switch (expansion) {
  case Expansion::erfc:
    return eb.isDouble() ? emitGeluExactF64(eb, x) : emitGeluErfcForm(eb, x);
  case Expansion::erfc_fast:
    return emitGeluErfcFast(eb, x);
  case Expansion::rational:
    return emitGeluRationalForm(eb, function, x, degree);
  case Expansion::rational_fast:
    return emitGeluRationalFast(eb, function, x, degree);
  case Expansion::erf:
    return emitGeluErfForm(eb, x);
  // The approximate forms stand in for exact GELU only under loose absolute
  // budgets (they are 4.7e-4 and 2e-2 from it): their cheapest spelling.
  case Expansion::approx_tanh:
    return emitSigmoidFast(eb, ReferenceFunction::GeluTanh, x);
  case Expansion::approx_sigmoid:
    return emitSigmoidFast(eb, ReferenceFunction::GeluSigmoid, x);
  case Expansion::sigmoid:
    return emitSigmoidForm(eb, function, x);
  case Expansion::sigmoid_fast:
    return emitSigmoidFast(eb, function, x);
  case Expansion::tanh:
    return emitGeluTanhSpelling(eb, x);
  case Expansion::select:
    return emitRelu(eb, x);
  case Expansion::piecewise:
    return emitGeluPiecewise(eb, piecewiseCoefficients(function, degree),
                             function, x, /*tail=*/false);
  case Expansion::piecewise_graded:
    return emitGeluPiecewise(eb, gradedPiecewiseCoefficients(function, degree),
                             function, x, /*tail=*/false);
  case Expansion::piecewise_tail:
    if (eb.isDouble())
      return emitF64PiecewiseTail(eb, function, x,
                                  degree ? degree : f64TableDegree(function));
    // Its own table (degree 0), or a `piecewise` table of a lower degree:
    // one the spec named, ending where it keeps its relative accuracy
    // (lowDegreeTailCoefficients), or for bf16 results
    // bf16PiecewiseTailDegree's, whole.
    return emitGeluPiecewise(eb,
                             degree == 0 ? tailPiecewiseCoefficients(function)
                             : degree >= kPiecewiseTailMinDegree
                                 ? lowDegreeTailCoefficients(function, degree)
                                 : piecewiseCoefficients(function, degree),
                             function, x, /*tail=*/true);
  case Expansion::correctly_rounded:
    return emitCorrectlyRounded(eb, function, x);
  case Expansion::polynomial:
    return emitGeluClampedPolynomial(eb, function, x, degree);
  case Expansion::hw_tanh:
    return emitHardwareTanhForm(eb, function, x);
  case Expansion::hw_sigmoid:
    return emitHardwareSigmoidForm(eb, function, x);
  }
  llvm_unreachable("unknown expansion");
}

GaussTail emitGaussTail(ElementwiseBuilder &eb, Value x) {
  const PiecewiseCoefficients fit = gaussTailCoefficients();
  Value u = emitPiecewiseArgument(eb, fit, x, /*zeroPast=*/false);
  Value s = emitPiecewiseTableClamped(eb, fit, u);
  Value minusHalfU = eb.mul(eb.constant(-0.5), u);
  return {u, s, emitExpOfPair(eb, emitTwoProduct(eb, minusHalfU, u))};
}

/// Exact GELU below its piecewise table: x·S(u)·e^(−u²/2) (emitGaussTail),
/// x·S folded in before the exponential's power-of-two scales (and into
/// its polynomial's last FMA) so that a subnormal result is rounded once.
/// x is clamped in the factor: −inf gives −0.
static Value emitGeluGaussTail(ElementwiseBuilder &eb, Value x) {
  GaussTail tail = emitGaussTail(eb, x);
  Value factor = eb.mul(eb.clampBelow(x, -kGaussTailLimit), tail.s);
  return tail.gauss.timesFused(eb, factor);
}

static Value emitAccurateTail(ElementwiseBuilder &eb,
                              ReferenceFunction function, Value x) {
  if (function == ReferenceFunction::GeluExact)
    return emitGeluGaussTail(eb, x);
  // Below the table, σ's argument is below −17.5 (kSigmoidArgumentClamp).
  SigmoidFormArgument arg = emitSigmoidFormArgument(eb, function, x);
  return emitTimesSigmoidOfNegative(eb, arg.xc, arg.y);
}

} // namespace gelu
