//===- MpfrReference.cpp - Reference functions in MPFR -------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/MpfrReference.h"

#include <cmath>
#include <mpfr.h>

namespace gelu {

namespace {
/// RAII for a set of MPFR variables at one precision.
class MpfrScratch {
public:
  static constexpr mpfr_prec_t kPrecision = 128;
  MpfrScratch() {
    for (mpfr_t &v : vars)
      mpfr_init2(v, kPrecision);
  }
  ~MpfrScratch() {
    for (mpfr_t &v : vars)
      mpfr_clear(v);
  }
  mpfr_t vars[4];
};

/// out = x·σ(y) for y in out's precision.
void timesSigmoid(mpfr_t out, mpfr_t x, mpfr_t y, mpfr_t scratch) {
  mpfr_neg(scratch, y, MPFR_RNDN);
  mpfr_exp(scratch, scratch, MPFR_RNDN);       // e^−y
  mpfr_add_ui(scratch, scratch, 1, MPFR_RNDN); // 1 + e^−y
  mpfr_div(out, x, scratch, MPFR_RNDN);
}
} // namespace

long double evaluateReferenceMpfr(ReferenceFunction f, long double x) {
  if (std::isnan(x) || std::isinf(x))
    return evaluateReference(f, x);
  MpfrScratch s;
  mpfr_t &vx = s.vars[0], &out = s.vars[1], &y = s.vars[2], &tmp = s.vars[3];
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
    // x·σ(2u), u = √(2/π)(x + 0.044715x³); 0.044715 is decimal, exactly.
    mpfr_const_pi(tmp, MPFR_RNDN);
    mpfr_ui_div(tmp, 2, tmp, MPFR_RNDN);
    mpfr_sqrt(tmp, tmp, MPFR_RNDN); // √(2/π)
    mpfr_mul(y, vx, vx, MPFR_RNDN);
    mpfr_mul(y, y, vx, MPFR_RNDN); // x³
    mpfr_mul_ui(y, y, 44715, MPFR_RNDN);
    mpfr_div_ui(y, y, 1000000, MPFR_RNDN); // 0.044715x³
    mpfr_add(y, y, vx, MPFR_RNDN);
    mpfr_mul(y, y, tmp, MPFR_RNDN);
    mpfr_mul_2ui(y, y, 1, MPFR_RNDN); // 2u
    timesSigmoid(out, vx, y, tmp);
    break;
  case ReferenceFunction::GeluSigmoid:
    mpfr_mul_ui(y, vx, 1702, MPFR_RNDN);
    mpfr_div_ui(y, y, 1000, MPFR_RNDN); // 1.702x
    timesSigmoid(out, vx, y, tmp);
    break;
  case ReferenceFunction::Silu:
    timesSigmoid(out, vx, vx, tmp);
    break;
  case ReferenceFunction::Relu:
    return x > 0 ? x : 0.0L;
  }
  return mpfr_get_ld(out, MPFR_RNDN);
}

} // namespace gelu
