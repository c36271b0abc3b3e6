//===- Polynomials.cpp - Coefficient tables of the expansions ------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Polynomials.h"

#include "llvm/Support/ErrorHandling.h"

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

#include "gelu/Numerics/FittedPolynomials.inc"

/// The table reversed, for Horner's rule.
template <size_t N>
static std::array<double, N> highestFirst(const double (&lowestFirst)[N]) {
  std::array<double, N> out{};
  for (size_t i = 0; i < N; ++i)
    out[i] = lowestFirst[N - 1 - i];
  return out;
}

llvm::ArrayRef<double> erfcLogCoefficients() {
  static const auto coefficients = highestFirst(kFit_erfc_log);
  return coefficients;
}

llvm::ArrayRef<double> erfcLogFastCoefficients() {
  static const auto coefficients = highestFirst(kFit_erfc_log_fast);
  return coefficients;
}

llvm::ArrayRef<double> erfcLogSlopeCoefficients() {
  static const auto coefficients = highestFirst(kFit_erfc_log_slope);
  return coefficients;
}

llvm::ArrayRef<double> erfcProductCoefficients() {
  static const auto coefficients = highestFirst(kFit_erfc_product);
  return coefficients;
}

llvm::ArrayRef<double> erfcProductFastCoefficients() {
  static const auto coefficients = highestFirst(kFit_erfc_product_fast);
  return coefficients;
}

llvm::ArrayRef<double> erfOddCoefficients() {
  static const auto coefficients = highestFirst(kFit_erf_odd);
  return coefficients;
}

/// Returns the rational fit NAME's tables, highest degree first (made on
/// first use).
#define GELU_RATIONAL_TABLES(NAME)                                             \
  {                                                                            \
    static const auto p = highestFirst(kFit_##NAME);                           \
    static const auto q = highestFirst(kFit_##NAME##_denominator);             \
    return {p, q};                                                             \
  }

RationalCoefficients geluRationalCoefficients(unsigned degree) {
  switch (degree) {
  case 2:
    GELU_RATIONAL_TABLES(gelu_rational_d2)
  case 3:
    GELU_RATIONAL_TABLES(gelu_rational_d3)
  case 4:
    GELU_RATIONAL_TABLES(gelu_rational_d4)
  case 5:
    GELU_RATIONAL_TABLES(gelu_rational_d5)
  case 6:
    GELU_RATIONAL_TABLES(gelu_rational)
  }
  llvm_unreachable("no rational fit of this degree (FitCatalog.cpp)");
}

RationalCoefficients geluDerivativeRationalCoefficients(unsigned degree) {
  switch (degree) {
  case 2:
    GELU_RATIONAL_TABLES(gelu_derivative_rational_d2)
  case 3:
    GELU_RATIONAL_TABLES(gelu_derivative_rational_d3)
  case 4:
    GELU_RATIONAL_TABLES(gelu_derivative_rational_d4)
  case 5:
    GELU_RATIONAL_TABLES(gelu_derivative_rational_d5)
  case 6:
    GELU_RATIONAL_TABLES(gelu_derivative_rational_d6)
  }
  llvm_unreachable("no rational fit of this degree (FitCatalog.cpp)");
}

RationalCoefficients erfRationalCoefficients() {
  GELU_RATIONAL_TABLES(erf_rational)
}
#undef GELU_RATIONAL_TABLES

double oddFitBelowLimit(RationalCoefficients fit, double scale, double limit,
                        double margin, double hi) {
  auto horner = [](llvm::ArrayRef<double> highToLow, long double w) {
    long double sum = 0;
    for (double c : highToLow)
      sum = sum * w + c;
    return sum;
  };
  const double step = 1.0 / 4096;
  double last = 0;
  for (double x = step; x <= hi; x += step) {
    long double z = static_cast<long double>(scale) * x;
    long double w = z * z;
    long double f = z * horner(fit.numerator, w) / horner(fit.denominator, w);
    if (f >= static_cast<long double>(limit) - margin)
      return last;
    last = x;
  }
  return hi;
}

} // namespace gelu
