//===- Polynomials.h - Coefficient tables of the expansions -----*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_POLYNOMIALS_H
#define GELU_NUMERICS_POLYNOMIALS_H

#include "llvm/ADT/ArrayRef.h"

namespace gelu {

/// Taylor coefficients 1/k! of exp, highest degree first, for the reduced
/// argument |r| ≤ ln2/2 + small corrections: the truncation error of degree 7
/// is below 1e-8, a tenth of an f32 ULP.
llvm::ArrayRef<double> expTaylorCoefficients();

/// Coefficients of P in erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2),
/// highest degree first. Relative error below 1.2e-7 for every z ≥ 0
/// (Numerical Recipes' erfcc, a Chebyshev fit). Branch-free and tail-exact
/// in form, since the Gaussian factor is an explicit exp(−z²).
llvm::ArrayRef<double> erfcChebyshevCoefficients();

} // namespace gelu

#endif // GELU_NUMERICS_POLYNOMIALS_H
