//===- MpfrReference.cpp - Reference functions in MPFR -------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/MpfrReference.h"

#include "MpfrSigmoid.h"

#include <algorithm>
#include <cmath>
#include <mpfr.h>

namespace gelu {

namespace {
/// RAII for a set of MPFR variables at one precision.
class MpfrScratch {
public:
  static constexpr mpfr_prec_t kPrecision = 128;
  explicit MpfrScratch(mpfr_prec_t precision = kPrecision) {
    for (mpfr_t &v : vars)
      mpfr_init2(v, precision);
  }
  ~MpfrScratch() {
    for (mpfr_t &v : vars)
      mpfr_clear(v);
  }
  mpfr_t vars[6];
};

/// out = x·σ(y) for y in out's precision.
void timesSigmoid(mpfr_t out, mpfr_t x, mpfr_t y, mpfr_t scratch) {
  mpfr_neg(scratch, y, MPFR_RNDN);
  mpfr_exp(scratch, scratch, MPFR_RNDN);       // e^−y
  mpfr_add_ui(scratch, scratch, 1, MPFR_RNDN); // 1 + e^−y
  mpfr_div(out, x, scratch, MPFR_RNDN);
}
/// out = s + x·y'·s·(1 − s), s = σ(y): d/dx x·σ(y(x)). Clobbers y.
void timesSigmoidDerivative(mpfr_t out, mpfr_t x, mpfr_t y, mpfr_t yPrime,
                            mpfr_t s) {
  sigmoidMpfr(s, y);
  mpfr_neg(y, y, MPFR_RNDN);
  sigmoidMpfr(out, y); // 1 − s, without cancellation
  mpfr_mul(out, out, s, MPFR_RNDN);
  mpfr_mul(out, out, yPrime, MPFR_RNDN);
  mpfr_mul(out, out, x, MPFR_RNDN);
  mpfr_add(out, out, s, MPFR_RNDN);
}

} // namespace

/// f(x) into s.vars[1], for finite x and f not ReLU.
static void evaluateInto(MpfrScratch &s, ReferenceFunction f, long double x) {
  mpfr_t &vx = s.vars[0], &out = s.vars[1], &y = s.vars[2], &tmp = s.vars[3],
         &yPrime = s.vars[4], &gate = s.vars[5];
  mpfr_set_ld(vx, x, MPFR_RNDN);
  switch (f) {
  case ReferenceFunction::GeluExact:
    // 0.5·x·erfc(−x/√2)
    mpfr_sqrt_ui(tmp, 2, MPFR_RNDN);
    mpfr_div(y, vx, tmp, MPFR_RNDN);
    mpfr_neg(y, y, MPFR_RNDN);
    mpfr_erfc(y, y, MPFR_RNDN);
    mpfr_mul(out, vx, y, MPFR_RNDN);
    mpfr_div_2ui(out, out, 1, MPFR_RNDN);
    break;
  case ReferenceFunction::GeluTanh:
  case ReferenceFunction::GeluSigmoid:
  case ReferenceFunction::Silu:
    // x·σ(y): y = 2u, u = √(2/π)(x + c·x³); s·x; x.
    sigmoidArgumentMpfr(f, y, vx, tmp);
    timesSigmoid(out, vx, y, tmp);
    break;
  case ReferenceFunction::Relu:
    mpfr_set_ld(out, x > 0 ? x : 0.0L, MPFR_RNDN);
    break;
  case ReferenceFunction::GeluExactDerivative:
    // Φ(x) + x·e^(−x²/2)/√(2π), Φ(x) = erfc(−x/√2)/2.
    mpfr_sqrt_ui(tmp, 2, MPFR_RNDN);
    mpfr_div(y, vx, tmp, MPFR_RNDN);
    mpfr_neg(y, y, MPFR_RNDN);
    mpfr_erfc(out, y, MPFR_RNDN);
    mpfr_div_2ui(out, out, 1, MPFR_RNDN);
    mpfr_mul(y, vx, vx, MPFR_RNDN);
    mpfr_div_2ui(y, y, 1, MPFR_RNDN);
    mpfr_neg(y, y, MPFR_RNDN);
    mpfr_exp(y, y, MPFR_RNDN);
    mpfr_mul(y, y, vx, MPFR_RNDN);
    mpfr_const_pi(tmp, MPFR_RNDN);
    mpfr_mul_2ui(tmp, tmp, 1, MPFR_RNDN);
    mpfr_sqrt(tmp, tmp, MPFR_RNDN);
    mpfr_div(y, y, tmp, MPFR_RNDN);
    mpfr_add(out, out, y, MPFR_RNDN);
    break;
  case ReferenceFunction::GeluTanhDerivative:
    // 2u' = 2√(2/π)(1 + 3c·x²).
    sigmoidArgumentMpfr(ReferenceFunction::GeluTanh, y, vx, tmp);
    sqrtTwoOverPiMpfr(tmp);
    mpfr_mul(yPrime, vx, vx, MPFR_RNDN);
    mpfr_mul_ui(yPrime, yPrime, 3 * kTanhFormCubicMillionths, MPFR_RNDN);
    mpfr_div_ui(yPrime, yPrime, 1000000, MPFR_RNDN);
    mpfr_add_ui(yPrime, yPrime, 1, MPFR_RNDN);
    mpfr_mul(yPrime, yPrime, tmp, MPFR_RNDN);
    mpfr_mul_2ui(yPrime, yPrime, 1, MPFR_RNDN);
    timesSigmoidDerivative(out, vx, y, yPrime, gate);
    break;
  case ReferenceFunction::GeluSigmoidDerivative:
    mpfr_set_ui(yPrime, kSigmoidFormScaleThousandths, MPFR_RNDN);
    mpfr_div_ui(yPrime, yPrime, 1000, MPFR_RNDN);
    mpfr_mul(y, vx, yPrime, MPFR_RNDN);
    timesSigmoidDerivative(out, vx, y, yPrime, gate);
    break;
  }
}

long double evaluateReferenceMpfr(ReferenceFunction f, long double x) {
  if (std::isnan(x) || std::isinf(x))
    return evaluateReference(f, x);
  if (f == ReferenceFunction::Relu)
    return x > 0 ? x : 0.0L;
  MpfrScratch s;
  evaluateInto(s, f, x);
  return mpfr_get_ld(s.vars[1], MPFR_RNDN);
}

float correctlyRoundedFloat(ReferenceFunction f, float x, long double ref) {
  float rounded = static_cast<float>(ref);
  if (!std::isfinite(rounded) || static_cast<long double>(rounded) == ref)
    return rounded;
  float towards = std::nextafter(rounded, ref > rounded ? INFINITY : -INFINITY);
  long double gap = std::fabs(static_cast<long double>(towards) - rounded);
  long double offset = std::fabs(ref - rounded) / gap;
  // ref is within about 2^-62 of the larger of |f(x)| and, for a
  // derivative, its gate term, which the other term cancels near its zero:
  // there, many f32 ULPs of a small result.
  long double reach = std::max(0x1p-20L, 0x1p-60L * errorScale(f, x) / gap);
  if (std::fabs(offset - 0.5L) > reach)
    return rounded;
  return correctlyRoundedMpfr(f, x);
}

float correctlyRoundedMpfr(ReferenceFunction f, float x) {
  if (std::isnan(x) || std::isinf(x) || f == ReferenceFunction::Relu)
    return static_cast<float>(evaluateReference(f, x));
  // 128 bits and f32's whole exponent range more: for tiny x, GELU(x) =
  // x/2 + x²/√(2π) + ..., and x/2 can be the midpoint between two
  // subnormals, the x² term (2^-149 below x/2) deciding the rounding.
  constexpr mpfr_prec_t kPrecision = MpfrScratch::kPrecision + 300;
  MpfrScratch s(kPrecision);
  evaluateInto(s, f, x);
  const mpfr_t &exact = s.vars[1];
  float rounded = mpfr_get_flt(exact, MPFR_RNDN);
  // Checked against both neighbours rather than trusting mpfr_get_flt's
  // rounding into f32's subnormal range: the nearest wins (a tie, an exact
  // midpoint, cannot occur for a transcendental value of a float).
  mpfr_t distance, best;
  mpfr_init2(distance, 2 * kPrecision);
  mpfr_init2(best, 2 * kPrecision);
  auto distanceTo = [&](mpfr_t out, float candidate) {
    mpfr_sub_d(out, exact, candidate, MPFR_RNDN);
    mpfr_abs(out, out, MPFR_RNDN);
  };
  distanceTo(best, rounded);
  for (bool moved = true; moved;) {
    moved = false;
    for (float towards : {INFINITY, -INFINITY}) {
      float neighbour = std::nextafter(rounded, towards);
      if (std::isinf(neighbour))
        continue;
      distanceTo(distance, neighbour);
      if (mpfr_less_p(distance, best)) {
        rounded = neighbour;
        mpfr_set(best, distance, MPFR_RNDN);
        moved = true;
      }
    }
  }
  mpfr_clear(distance);
  mpfr_clear(best);
  return rounded;
}

} // namespace gelu
