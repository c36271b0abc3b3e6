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

} // namespace gelu

#endif // GELU_NUMERICS_MPFRREFERENCE_H
