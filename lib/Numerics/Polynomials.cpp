//===- Polynomials.cpp - Coefficient tables of the expansions ------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Polynomials.h"

#include <array>

namespace gelu {

static constexpr int kExpDegree = 7;

/// 1/k! for k = degree..0, computed rather than typed in.
static constexpr std::array<double, kExpDegree + 1> makeExpTaylor() {
  std::array<double, kExpDegree + 1> c{};
  double factorial = 1.0;
  for (int k = 0; k <= kExpDegree; ++k) {
    if (k > 0)
      factorial *= k;
    c[kExpDegree - k] = 1.0 / factorial;
  }
  return c;
}

llvm::ArrayRef<double> expTaylorCoefficients() {
  static constexpr auto coefficients = makeExpTaylor();
  return coefficients;
}

llvm::ArrayRef<double> erfcChebyshevCoefficients() {
  static constexpr double coefficients[] = {
      0.17087277,  -0.82215223, 1.48851587, -1.13520398, 0.27886807,
      -0.18628806, 0.09678418,  0.37409196, 1.00002368,  -1.26551223};
  return coefficients;
}

} // namespace gelu
