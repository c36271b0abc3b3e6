//===- FitCatalog.cpp - The polynomial fits the expansions use -----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/FitCatalog.h"

#include <cmath>

namespace gelu {

std::vector<FitEntry> fitCatalog() {
  std::vector<FitEntry> entries;

  // erfc(|x|/√2) = t·exp(−x²/2 + P(t)), t = 1/(1 + a·|x|). P enters an
  // exponent, so its absolute error is the relative error of erfc: fit it
  // absolutely. The Gaussian factor is explicit, so the tail needs no care.
  auto target = [](long double t) {
    long double u = (1 / t - 1) / kErfcFormScale;
    long double z = u / sqrtl(2.0L);
    if (z == 0)
      return 0.0L; // erfc(0) = 1 = t
    return logl(erfcl(z)) + z * z - logl(t);
  };
  const long double tLo = 1 / (1 + kErfcFormScale * kErfcFormMaxX);
  const long double tHi = 1 / (1 + kErfcFormScale * kErfcFormMinX);
  FitEntry erfc;
  erfc.name = "erfc_log";
  erfc.description = "P(t) = log(erfc(z)·exp(z²)/t), z = |x|/√2, "
                     "t = 1/(1 + a·|x|), |x| in [0.707, 14.5], absolute error";
  erfc.problem.function = target;
  erfc.problem.lo = tLo;
  erfc.problem.hi = tHi;
  erfc.problem.degree = 9;
  entries.push_back(erfc);

  // The kernel's t is the rounded 1/(1 + a·|x|); its relative error ρ is
  // known exactly (an FMA residual), and moves the result by
  // (1 + t·P'(t))·ρ. The prefactor takes the 1·ρ; this slope takes the
  // rest. Only a few digits are needed: ρ is ~1e-7.
  FitEntry slope;
  slope.name = "erfc_log_slope";
  slope.description = "S(t) = t·dP/dt for the erfc_log target, absolute error";
  slope.problem.function = [target](long double t) {
    const long double h = 1e-5L;
    return t * (target(t + h) - target(t - h)) / (2 * h);
  };
  slope.problem.lo = tLo;
  slope.problem.hi = tHi;
  slope.problem.degree = 3;
  entries.push_back(slope);

  // The fast variant: the same function at a lower degree (the kernel also
  // drops the residual corrections).
  FitEntry fast = erfc;
  fast.name = "erfc_log_fast";
  fast.description = "P(t) as erfc_log, degree 7, absolute error "
                     "(erfc_fast)";
  fast.problem.degree = 7;
  entries.push_back(fast);

  // The same tail as a product, erfc(|x|/√2) = t·exp(−x²/2)·Q(t) with
  // Q = e^P: one exponential, of −x²/2 alone, serves both Φ and φ in GELU'
  // (Derivatives.cpp). Relative error of Q is relative error of erfc.
  for (auto [name, degree] :
       {std::pair<const char *, unsigned>{"erfc_product", 10},
        {"erfc_product_fast", 8}}) {
    FitEntry product;
    product.name = name;
    product.description = "Q(t) = erfc(z)·exp(z²)/t, z = |x|/√2, "
                          "t = 1/(1 + a·|x|), |x| in [0.707, 14.5], degree " +
                          std::to_string(degree) + ", relative error";
    product.problem.function = [target](long double t) {
      return expl(target(t));
    };
    product.problem.weight = [target](long double t) {
      return expl(-target(t));
    };
    product.problem.lo = tLo;
    product.problem.hi = tHi;
    product.problem.degree = degree;
    entries.push_back(product);
  }

  // erf(z) = z·Q(z²) near 0, relative error.
  FitEntry erf;
  erf.name = "erf_odd";
  erf.description = "Q(w) = erf(sqrt(w))/sqrt(w), w = z² in [0, 0.25] "
                    "(|x| ≤ 0.707), relative error";
  erf.problem.function = [](long double w) {
    if (w == 0)
      return 2 / sqrtl(3.14159265358979323846264338327950288L);
    long double z = sqrtl(w);
    return erfl(z) / z;
  };
  erf.problem.weight = [f = erf.problem.function](long double w) {
    return 1 / f(w);
  };
  erf.problem.lo = 0;
  erf.problem.hi = kErfcFormMinX * kErfcFormMinX / 2;
  erf.problem.degree = 4;
  entries.push_back(erf);

  // The direct rational form of exact GELU on |x| ≤ kRationalClamp:
  // Φ(x) − 1/2 = x·P(x²)/Q(x²). Weighted by x/Φ(x), the error is relative
  // to Φ (so to GELU) for x ≥ 0, and bounds Φ's absolute error below 0.
  // The weight vanishes at 0, so the interval starts just above it; R is
  // smooth there and x·R's error only shrinks.
  auto phiOverX = [](long double w) {
    long double x = sqrtl(w);
    return 0.5L * erfl(x / sqrtl(2.0L)) / x;
  };
  auto relativeToPhi = [](long double w) {
    long double x = sqrtl(w);
    return x / (0.5L + 0.5L * erfl(x / sqrtl(2.0L)));
  };
  FitEntry rational;
  rational.name = "gelu_rational";
  rational.description = "R(w) = P(w)/Q(w) = (Φ(x) − 1/2)/x, w = x², |x| in "
                         "[0, 5.5], error relative to Φ";
  rational.problem.function = phiOverX;
  rational.problem.weight = relativeToPhi;
  rational.problem.lo = 1e-4L;
  rational.problem.hi = kRationalClamp * kRationalClamp;
  rational.problem.degree = kRationalMaxDegree;
  rational.problem.denominatorDegree = kRationalMaxDegree - 1;
  entries.push_back(rational);
  // The same at lower degrees (n/n−1): cheaper kernels for looser budgets,
  // two FMAs fewer a degree.
  for (unsigned degree = kRationalMinDegree; degree < kRationalMaxDegree;
       ++degree) {
    FitEntry lower = rational;
    lower.name = "gelu_rational_d" + std::to_string(degree);
    lower.description = "R(w) as gelu_rational, degrees " +
                        std::to_string(degree) + "/" +
                        std::to_string(degree - 1);
    lower.problem.degree = degree;
    lower.problem.denominatorDegree = degree - 1;
    entries.push_back(lower);
  }

  // erf(z) = z·P(z²)/Q(z²) for the erf form, on |z| ≤ kErfClamp, absolute
  // error (1 + erf is what the kernel uses).
  FitEntry erfRational;
  erfRational.name = "erf_rational";
  erfRational.description = "erf(z)/z = P(w)/Q(w), w = z², |z| in [0, 4], "
                            "absolute error of erf";
  erfRational.problem.function = [](long double w) {
    long double z = sqrtl(w);
    return erfl(z) / z;
  };
  erfRational.problem.weight = [](long double w) { return sqrtl(w); };
  erfRational.problem.lo = 1e-4L;
  erfRational.problem.hi = kErfClamp * kErfClamp;
  erfRational.problem.degree = 6;
  erfRational.problem.denominatorDegree = 5;
  entries.push_back(erfRational);

  // The derivative's direct rational form: GELU'(x) − 1/2 = Φ(x) − 1/2 +
  // x·φ(x) is odd, = x·T(x²) with T rational, on |x| ≤
  // kDerivativeRationalClamp (past it GELU' is 1, or 0, to within 4e-8).
  // Weighted by x: the absolute error of GELU'.
  for (unsigned degree = kRationalMinDegree; degree <= kRationalMaxDegree;
       ++degree) {
    FitEntry derivative;
    derivative.name = "gelu_derivative_rational_d" + std::to_string(degree);
    derivative.description =
        "T(w) = (GELU'(x) − 1/2)/x, w = x², |x| in [0, 6], degrees " +
        std::to_string(degree) + "/" + std::to_string(degree - 1) +
        ", absolute error of GELU'";
    derivative.problem.function = [](long double w) {
      long double x = sqrtl(w);
      long double phi =
          expl(-0.5L * w) / sqrtl(2 * 3.14159265358979323846264338327950288L);
      return (0.5L * erfl(x / sqrtl(2.0L)) + x * phi) / x;
    };
    derivative.problem.weight = [](long double w) { return sqrtl(w); };
    derivative.problem.lo = 1e-4L;
    derivative.problem.hi = kDerivativeRationalClamp * kDerivativeRationalClamp;
    derivative.problem.degree = degree;
    derivative.problem.denominatorDegree = degree - 1;
    entries.push_back(derivative);
  }
  return entries;
}

} // namespace gelu
