//===- RoundingExceptions.h - Inputs the f64 evaluation misrounds -*- C++
//-*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The correctly rounded f32 kernels (the `correctly_rounded` expansion)
// evaluate in f64 and round once. For a few inputs the exact value lies so
// near the midpoint between two f32s that the f64 value falls on the other
// side: those inputs, found by running all 2^32 inputs against MPFR, and
// their correctly rounded results are listed here, in
// RoundingExceptions.inc (written by scripts/rounding-exceptions.sh).
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_ROUNDINGEXCEPTIONS_H
#define GELU_NUMERICS_ROUNDINGEXCEPTIONS_H

#include "gelu/Numerics/Reference.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace gelu {

/// An f32 input (its bits) and the correctly rounded f32 result (its bits).
struct RoundingException {
  uint32_t input;
  uint32_t output;
};

/// The exceptional inputs of `function`'s correctly rounded kernel, in
/// increasing order of their bits.
llvm::ArrayRef<RoundingException>
roundingExceptions(ReferenceFunction function);

} // namespace gelu

#endif // GELU_NUMERICS_ROUNDINGEXCEPTIONS_H
