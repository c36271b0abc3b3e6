//===- Reference.cpp - What each activation means, in long double --------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Reference.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace gelu {

llvm::StringRef stringifyReferenceFunction(ReferenceFunction f) {
  switch (f) {
  case ReferenceFunction::GeluExact:
    return "gelu";
  case ReferenceFunction::GeluTanh:
    return "gelu_tanh";
  case ReferenceFunction::GeluSigmoid:
    return "gelu_sigmoid";
  case ReferenceFunction::Silu:
    return "silu";
  case ReferenceFunction::Relu:
    return "relu";
  case ReferenceFunction::GeluExactDerivative:
    return "gelu_derivative";
  case ReferenceFunction::GeluTanhDerivative:
    return "gelu_tanh_derivative";
  case ReferenceFunction::GeluSigmoidDerivative:
    return "gelu_sigmoid_derivative";
  }
  llvm_unreachable("unknown reference function");
}

ReferenceFunction derivativeOf(ReferenceFunction f) {
  switch (f) {
  case ReferenceFunction::GeluExact:
    return ReferenceFunction::GeluExactDerivative;
  case ReferenceFunction::GeluTanh:
    return ReferenceFunction::GeluTanhDerivative;
  case ReferenceFunction::GeluSigmoid:
    return ReferenceFunction::GeluSigmoidDerivative;
  default:
    llvm_unreachable("derivatives exist for the GELUs only");
  }
}

bool isDerivative(ReferenceFunction f) {
  return f == ReferenceFunction::GeluExactDerivative ||
         f == ReferenceFunction::GeluTanhDerivative ||
         f == ReferenceFunction::GeluSigmoidDerivative;
}

/// x·σ(y) without cancellation in either tail.
static long double timesSigmoid(long double x, long double y) {
  if (y >= 0)
    return x / (1.0L + expl(-y));
  long double e = expl(y);
  return x * e / (1.0L + e);
}

static constexpr long double kPi = 3.14159265358979323846264338327950288L;

/// σ(y) without cancellation: for y < 0 from e^y.
static long double sigmoid(long double y) {
  if (y >= 0)
    return 1.0L / (1.0L + expl(-y));
  long double e = expl(y);
  return e / (1.0L + e);
}

/// 2u and its derivative for the tanh form, u = √(2/π)(x + 0.044715x³).
static long double tanhFormSigmoidArg(long double x) {
  return 2.0L * sqrtl(2.0L / kPi) *
         (x + tanhFormCubic<long double>() * x * x * x);
}
static long double tanhFormSigmoidArgDerivative(long double x) {
  return 2.0L * sqrtl(2.0L / kPi) *
         (1.0L + 3.0L * tanhFormCubic<long double>() * x * x);
}

/// d/dx x·σ(y(x)) = s + x·y'·s·(1 − s), s = σ(y), with 1 − s = σ(−y)
/// computed directly (no cancellation in either tail).
static long double timesSigmoidDerivative(long double x, long double y,
                                          long double yPrime) {
  long double s = sigmoid(y);
  return s + x * yPrime * s * sigmoid(-y);
}

/// Φ(x), from erfc in both tails.
static long double normalCdf(long double x) {
  return 0.5L * erfcl(-x / sqrtl(2.0L));
}

long double errorScale(ReferenceFunction f, long double x) {
  if (std::isnan(x))
    return 0;
  switch (f) {
  case ReferenceFunction::GeluExactDerivative:
    return normalCdf(x);
  case ReferenceFunction::GeluTanhDerivative:
    return sigmoid(tanhFormSigmoidArg(x));
  case ReferenceFunction::GeluSigmoidDerivative:
    return sigmoid(sigmoidFormScale<long double>() * x);
  default:
    return 0;
  }
}

long double evaluateReference(ReferenceFunction f, long double x) {
  if (std::isnan(x))
    return x;
  if (isDerivative(f) && std::isinf(x))
    // 1 at +inf; at −inf the x·gate' term, negative, has won.
    return x > 0 ? 1.0L : -0.0L;
  // Every function here is x at +inf and −0 (ReLU: +0) at −inf; the formulas
  // below would give inf·0 there.
  if (std::isinf(x))
    return x > 0 ? x : (f == ReferenceFunction::Relu ? 0.0L : -0.0L);
  switch (f) {
  case ReferenceFunction::GeluExact:
    // erfc form: no 1 + erf cancellation for x < 0.
    return 0.5L * x * erfcl(-x / sqrtl(2.0L));
  case ReferenceFunction::GeluTanh:
    // 0.5·(1 + tanh u) = σ(2u).
    return timesSigmoid(x, tanhFormSigmoidArg(x));
  case ReferenceFunction::GeluSigmoid:
    return timesSigmoid(x, sigmoidFormScale<long double>() * x);
  case ReferenceFunction::Silu:
    return timesSigmoid(x, x);
  case ReferenceFunction::Relu:
    return x > 0 ? x : 0.0L;
  case ReferenceFunction::GeluExactDerivative: {
    // Both terms are exact-ish in long double (x² of a float is exact); they
    // cancel only near the zero x ≈ −0.75, where errorScale applies. Below
    // x ≈ −151 both underflow: the value is negative, −0.
    long double y = normalCdf(x) + x * expl(-0.5L * x * x) / sqrtl(2.0L * kPi);
    return x < 0 && y == 0 ? -0.0L : y;
  }
  case ReferenceFunction::GeluTanhDerivative:
    return timesSigmoidDerivative(x, tanhFormSigmoidArg(x),
                                  tanhFormSigmoidArgDerivative(x));
  case ReferenceFunction::GeluSigmoidDerivative:
    return timesSigmoidDerivative(x, sigmoidFormScale<long double>() * x,
                                  sigmoidFormScale<long double>());
  }
  llvm_unreachable("unknown reference function");
}

/// 2^e, from its bits in doubles' normal range (ldexp is a library call,
/// and this runs for every sampled input of every tuning candidate); below
/// it (f64's subnormal ULPs) by ldexp.
static double powerOfTwo(int e) {
  if (e < -1022)
    return std::ldexp(1.0, e);
  uint64_t bits = static_cast<uint64_t>(e + 1023) << 52;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

/// The exponent e of a positive normal double (2^e ≤ v < 2^(e+1)).
static int exponentOf(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return static_cast<int>((bits >> 52) & 0x7ff) - 1023;
}

/// The format's ULP at a magnitude (its subnormal ULP below the normal
/// range).
template <typename Real>
static double ulpAt(Real magnitude, FloatFormat format) {
  int exponent = format.minExponent;
  if (magnitude >= static_cast<Real>(format.minNormal())) {
    // Through double; rounding to double can only carry |ref| up to the
    // next power of two, which the comparison undoes.
    int e = exponentOf(static_cast<double>(magnitude));
    if (magnitude < static_cast<Real>(powerOfTwo(e)))
      --e;
    exponent = e;
  }
  return powerOfTwo(exponent - (format.precision - 1));
}

template <typename Real>
static double ulpErrorOf(double y, Real ref, FloatFormat format, Real scale) {
  if (std::isnan(ref) || std::isnan(y))
    return std::isnan(ref) && std::isnan(y)
               ? 0.0
               : std::numeric_limits<double>::infinity();
  if (std::isinf(ref) || std::isinf(y))
    return static_cast<Real>(y) == ref
               ? 0.0
               : std::numeric_limits<double>::infinity();
  Real magnitude = std::fabs(ref);
  if (scale > magnitude)
    magnitude = scale;
  return static_cast<double>(std::fabs(static_cast<Real>(y) - ref)) /
         ulpAt(magnitude, format);
}

template <typename Real>
static double roundingErrorOf(Real ref, FloatFormat format) {
  if (!std::isfinite(ref))
    return 0;
  Real magnitude = std::fabs(ref);
  // magnitude / ulp is exact (a power of two apart); its distance to the
  // nearest integer is the rounding error in ULPs.
  Real ulp = static_cast<Real>(ulpAt(magnitude, format));
  Real units = magnitude / ulp;
  Real fraction = units - std::floor(units);
  return static_cast<double>(std::min(fraction, 1 - fraction) * ulp);
}

double ulpError(double y, long double ref, FloatFormat format,
                long double scale) {
  return ulpErrorOf(y, ref, format, scale);
}

double ulpError(double y, double ref, FloatFormat format, double scale) {
  return ulpErrorOf(y, ref, format, scale);
}

double roundingError(long double ref, FloatFormat format) {
  return roundingErrorOf(ref, format);
}

double roundingError(double ref, FloatFormat format) {
  return roundingErrorOf(ref, format);
}

} // namespace gelu
