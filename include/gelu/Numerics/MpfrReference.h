//===- MpfrReference.h - Reference functions in MPFR ------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The reference functions evaluated with MPFR at 128 bits, correctly enough
// rounded to long double to judge the long-double reference (which is ~1000
// times faster and serves the exhaustive sweeps) and the worst cases found.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_MPFRREFERENCE_H
#define GELU_NUMERICS_MPFRREFERENCE_H

#include "gelu/Numerics/Reference.h"

namespace gelu {

/// f(x) evaluated in MPFR with 128-bit precision, rounded to long double.
long double evaluateReferenceMpfr(ReferenceFunction f, long double x);

/// f(x) correctly rounded to f32 (to nearest, ties to even), subnormal
/// results included: what a correctly rounded kernel must return.
float correctlyRoundedMpfr(ReferenceFunction f, float x);

/// The same, fast: from `ref`, the long-double reference evaluateReference
/// (f, x), where that decides it, else from MPFR: where ref lies within
/// 2^-20 of an f32 ULP of the midpoint between two f32s (its error is
/// about 2^-40 of one), or for a derivative near its zero within ref's
/// error bound there (2^-60 of the gate term errorScale(f, x)).
float correctlyRoundedFloat(ReferenceFunction f, float x, long double ref);

} // namespace gelu

#endif // GELU_NUMERICS_MPFRREFERENCE_H
