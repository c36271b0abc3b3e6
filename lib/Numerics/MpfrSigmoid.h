//===- MpfrSigmoid.h - The sigmoid-gated functions in MPFR ------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The parts of x·σ(y(x)) (tanh and sigmoid GELU, SiLU) in MPFR that both the
// MPFR reference (MpfrReference.cpp) and the double fits of their gates
// (DoubleFits.cpp) evaluate. Private to lib/Numerics: it includes mpfr.h.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_LIB_NUMERICS_MPFRSIGMOID_H
#define GELU_LIB_NUMERICS_MPFRSIGMOID_H

#include "gelu/Numerics/Reference.h"

#include <mpfr.h>

#include <cassert>

namespace gelu {

/// out = σ(y).
inline void sigmoidMpfr(mpfr_t out, mpfr_srcptr y) {
  mpfr_neg(out, y, MPFR_RNDN);
  mpfr_exp(out, out, MPFR_RNDN);
  mpfr_add_ui(out, out, 1, MPFR_RNDN);
  mpfr_ui_div(out, 1, out, MPFR_RNDN);
}

/// out = √(2/π).
inline void sqrtTwoOverPiMpfr(mpfr_t out) {
  mpfr_const_pi(out, MPFR_RNDN);
  mpfr_ui_div(out, 2, out, MPFR_RNDN);
  mpfr_sqrt(out, out, MPFR_RNDN);
}

/// out = y(x), σ's argument in the sigmoid-gated `f` = x·σ(y(x)): 2u =
/// 2√(2/π)(x + c·x³) (c the decimal 0.044715 exactly) for tanh GELU, s·x
/// (s the decimal 1.702) for sigmoid GELU, x for SiLU. `tmp` is clobbered;
/// `out` may not be `x`.
inline void sigmoidArgumentMpfr(ReferenceFunction f, mpfr_t out, mpfr_srcptr x,
                                mpfr_t tmp) {
  switch (f) {
  case ReferenceFunction::GeluTanh:
    sqrtTwoOverPiMpfr(tmp);
    mpfr_mul(out, x, x, MPFR_RNDN);
    mpfr_mul(out, out, x, MPFR_RNDN); // x³
    mpfr_mul_ui(out, out, kTanhFormCubicMillionths, MPFR_RNDN);
    mpfr_div_ui(out, out, 1000000, MPFR_RNDN); // c·x³
    mpfr_add(out, out, x, MPFR_RNDN);
    mpfr_mul(out, out, tmp, MPFR_RNDN);
    mpfr_mul_2ui(out, out, 1, MPFR_RNDN);
    return;
  case ReferenceFunction::GeluSigmoid:
    mpfr_mul_ui(out, x, kSigmoidFormScaleThousandths, MPFR_RNDN);
    mpfr_div_ui(out, out, 1000, MPFR_RNDN);
    return;
  case ReferenceFunction::Silu:
    mpfr_set(out, x, MPFR_RNDN);
    return;
  default:
    assert(false && "not a sigmoid-gated function");
  }
}

} // namespace gelu

#endif // GELU_LIB_NUMERICS_MPFRSIGMOID_H
