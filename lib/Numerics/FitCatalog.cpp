//===- FitCatalog.cpp - The polynomial fits the expansions use -----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/FitCatalog.h"

#include "gelu/Numerics/DoubleFits.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <functional>
#include <utility>

namespace gelu {

static constexpr long double kPi = 3.14159265358979323846264338327950288L;

long double sigmoidGateArgument(ReferenceFunction function, long double x) {
  switch (function) {
  case ReferenceFunction::GeluTanh:
  case ReferenceFunction::GeluTanhDerivative:
    return 2 * sqrtl(2 / kPi) * (x + tanhFormCubic<long double>() * x * x * x);
  case ReferenceFunction::GeluSigmoid:
  case ReferenceFunction::GeluSigmoidDerivative:
    return sigmoidFormScale<long double>() * x;
  case ReferenceFunction::Silu:
    return x;
  default:
    llvm_unreachable("not a σ-based gate");
  }
}

/// y'(x).
static long double sigmoidArgumentSlope(ReferenceFunction function,
                                        long double x) {
  switch (function) {
  case ReferenceFunction::GeluTanh:
    return 2 * sqrtl(2 / kPi) * (1 + 3 * tanhFormCubic<long double>() * x * x);
  case ReferenceFunction::GeluSigmoid:
    return sigmoidFormScale<long double>();
  default:
    llvm_unreachable("not a σ-based GELU");
  }
}

/// The GELU whose derivative `derivative` is.
static ReferenceFunction antiderivative(ReferenceFunction derivative) {
  switch (derivative) {
  case ReferenceFunction::GeluTanhDerivative:
    return ReferenceFunction::GeluTanh;
  case ReferenceFunction::GeluSigmoidDerivative:
    return ReferenceFunction::GeluSigmoid;
  default:
    return ReferenceFunction::GeluExact;
  }
}

/// (GELU'(x) − 1/2)/x of a σ-based GELU x·σ(y): (σ − 1/2 + x·y'·σ·(1 −
/// σ))/x, both terms of the sum of one sign.
static long double sigmoidDerivativeOdd(ReferenceFunction gelu, long double x) {
  long double y = sigmoidGateArgument(gelu, x);
  long double s = 1 / (1 + expl(-y));
  long double oneMinusS = 1 / (1 + expl(y));
  return (0.5L * tanhl(y / 2) +
          x * sigmoidArgumentSlope(gelu, x) * s * oneMinusS) /
         x;
}

/// From where GELU' of the σ-based `gelu` stays within 2^−25 (half an ULP
/// of 1) of 1, on a grid of 1/64: (1 − σ)·(x·y'·σ − 1) is GELU' − 1. Each
/// kernel emission asks for it: searched once a function.
static double sigmoidDerivativeClamp(ReferenceFunction gelu) {
  auto search = [](ReferenceFunction gelu) {
    double last = 0;
    for (long double x = 1; x < 64; x += 1.0L / 64) {
      long double y = sigmoidGateArgument(gelu, x);
      long double s = 1 / (1 + expl(-y));
      long double oneMinusS = 1 / (1 + expl(y));
      long double deviation =
          oneMinusS * fabsl(x * sigmoidArgumentSlope(gelu, x) * s - 1);
      if (deviation >= 0x1p-25L)
        last = static_cast<double>(x + 1.0L / 64);
    }
    return last;
  };
  static const double tanhClamp = search(ReferenceFunction::GeluTanh);
  static const double sigmoidClamp = search(ReferenceFunction::GeluSigmoid);
  return gelu == ReferenceFunction::GeluTanh ? tanhClamp : sigmoidClamp;
}

bool hasRationalForm(ReferenceFunction function) {
  switch (function) {
  case ReferenceFunction::GeluExact:
  case ReferenceFunction::GeluTanh:
  case ReferenceFunction::GeluSigmoid:
  case ReferenceFunction::Silu:
  case ReferenceFunction::GeluExactDerivative:
  case ReferenceFunction::GeluTanhDerivative:
  case ReferenceFunction::GeluSigmoidDerivative:
    return true;
  default:
    return false;
  }
}

double rationalClamp(ReferenceFunction function, unsigned degree) {
  if (function == ReferenceFunction::GeluSigmoidDerivative && degree == 3)
    return kSigmoidDerivativeDegree3Clamp;
  if (function == ReferenceFunction::GeluExact)
    return kRationalClamp;
  if (function == ReferenceFunction::GeluExactDerivative)
    return kDerivativeRationalClamp;
  if (function == ReferenceFunction::GeluTanhDerivative ||
      function == ReferenceFunction::GeluSigmoidDerivative)
    return sigmoidDerivativeClamp(antiderivative(function));
  // y(x) is increasing: bisect for y(x) = kSigmoidArgumentClamp.
  long double lo = 0, hi = kSigmoidArgumentClamp;
  for (int i = 0; i < 100; ++i) {
    long double mid = (lo + hi) / 2;
    (sigmoidGateArgument(function, mid) < kSigmoidArgumentClamp ? lo : hi) =
        mid;
  }
  return static_cast<double>(hi);
}

/// `v` with four significant digits, for the fits' descriptions.
static std::string decimal(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

/// The gate g of x·g(x), for the fits' descriptions.
static const char *gateName(ReferenceFunction function) {
  switch (function) {
  case ReferenceFunction::GeluExact:
    return "Φ(x)";
  case ReferenceFunction::GeluTanh:
    return "σ(2u(x))";
  case ReferenceFunction::GeluSigmoid:
    return "σ(1.702x)";
  default:
    return "σ(x)";
  }
}

/// A derivative, for the fits' descriptions.
static const char *derivativeName(ReferenceFunction function) {
  switch (function) {
  case ReferenceFunction::GeluTanhDerivative:
    return "tanh GELU'(x)";
  case ReferenceFunction::GeluSigmoidDerivative:
    return "sigmoid GELU'(x)";
  default:
    return "GELU'(x)";
  }
}

std::string rationalFitName(ReferenceFunction function, unsigned degree) {
  const char *prefix = nullptr;
  switch (function) {
  case ReferenceFunction::GeluExact:
    prefix = "gelu_rational";
    break;
  case ReferenceFunction::GeluTanh:
    prefix = "gelu_tanh_rational";
    break;
  case ReferenceFunction::GeluSigmoid:
    prefix = "gelu_sigmoid_rational";
    break;
  case ReferenceFunction::Silu:
    prefix = "silu_rational";
    break;
  case ReferenceFunction::GeluExactDerivative:
    prefix = "gelu_derivative_rational";
    break;
  case ReferenceFunction::GeluTanhDerivative:
    prefix = "gelu_tanh_derivative_rational";
    break;
  case ReferenceFunction::GeluSigmoidDerivative:
    prefix = "gelu_sigmoid_derivative_rational";
    break;
  default:
    llvm_unreachable("no rational form");
  }
  return std::string(prefix) + "_d" + std::to_string(degree);
}

/// The name of `form`'s fit of `function` at `degree`: rationalFitName's
/// with "rational" replaced by `form`.
static std::string formFitName(ReferenceFunction function, unsigned degree,
                               llvm::StringRef form) {
  std::string name = rationalFitName(function, degree);
  return name.replace(name.find("rational"), 8, form.str());
}

std::string f64GateTableFitName(ReferenceFunction function, unsigned degree) {
  if (function == ReferenceFunction::GeluExact)
    return degree == kPhiF64TableDegree
               ? "phi_f64_table"
               : "phi_f64_table_" + std::to_string(degree);
  return formFitName(function, degree, "gate_f64_table");
}

/// How a centred domain cuts its intervals, for a fit's description.
static std::string centredIntervalsText(const PiecewiseDomain &domain) {
  return "t = u·(" + decimal(1 / domain.step) + " + " +
         decimal(-domain.grading) + "·u), in v = u − u(k)";
}

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
      return 2 / sqrtl(kPi);
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
  // smooth there and x·R's error only shrinks. Degrees n/n−1 from 2 to 6:
  // cheaper kernels for looser budgets, two FMAs fewer a degree.
  // The σ-based gates the same way: σ(y(x)) − 1/2 = tanh(y/2)/2 is odd.
  for (ReferenceFunction function :
       {ReferenceFunction::GeluExact, ReferenceFunction::GeluTanh,
        ReferenceFunction::GeluSigmoid, ReferenceFunction::Silu}) {
    // (g(x) − 1/2)/x and g(x), written without cancellation.
    auto gateOdd = [function](long double x) {
      if (function == ReferenceFunction::GeluExact)
        return 0.5L * erfl(x / sqrtl(2.0L)) / x;
      return 0.5L * tanhl(sigmoidGateArgument(function, x) / 2) / x;
    };
    auto gate = [function](long double x) {
      if (function == ReferenceFunction::GeluExact)
        return 0.5L + 0.5L * erfl(x / sqrtl(2.0L));
      return 1 / (1 + expl(-sigmoidGateArgument(function, x)));
    };
    const std::string name = gateName(function);
    for (unsigned degree = kRationalMinDegree; degree <= kRationalMaxDegree;
         ++degree) {
      const double clamp = rationalClamp(function, degree);
      FitEntry rational;
      rational.name = rationalFitName(function, degree);
      rational.description =
          "R(w) = P(w)/Q(w) = (" + name + " − 1/2)/x, w = x², |x| in [0, " +
          decimal(clamp) + "], degrees " + std::to_string(degree) + "/" +
          std::to_string(degree - 1) + ", error relative to " + name;
      rational.problem.function = [gateOdd](long double w) {
        return gateOdd(sqrtl(w));
      };
      rational.problem.weight = [gate](long double w) {
        long double x = sqrtl(w);
        return x / gate(x);
      };
      rational.problem.lo = 1e-4L;
      rational.problem.hi = static_cast<long double>(clamp) * clamp;
      rational.problem.degree = degree;
      rational.problem.denominatorDegree = degree - 1;
      entries.push_back(rational);
    }
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
  // Weighted by x: the absolute error of GELU'. The tanh and sigmoid
  // GELUs' derivatives the same way, each on |x| up to where it is within
  // 2^−25 of 1 (rationalClamp).
  for (ReferenceFunction function :
       {ReferenceFunction::GeluExactDerivative,
        ReferenceFunction::GeluTanhDerivative,
        ReferenceFunction::GeluSigmoidDerivative}) {
    ReferenceFunction gelu = antiderivative(function);
    for (unsigned degree = kRationalMinDegree; degree <= kRationalMaxDegree;
         ++degree) {
      const double clamp = rationalClamp(function, degree);
      FitEntry derivative;
      derivative.name = rationalFitName(function, degree);
      const char *which = gelu == ReferenceFunction::GeluExact ? ""
                          : gelu == ReferenceFunction::GeluTanh
                              ? " (tanh GELU)"
                              : " (sigmoid GELU)";
      derivative.description =
          "T(w) = (GELU'(x) − 1/2)/x" + std::string(which) +
          ", w = x², |x| in [0, " + decimal(clamp) + "], degrees " +
          std::to_string(degree) + "/" + std::to_string(degree - 1) +
          ", absolute error of GELU'";
      derivative.problem.function = [gelu](long double w) {
        long double x = sqrtl(w);
        if (gelu != ReferenceFunction::GeluExact)
          return sigmoidDerivativeOdd(gelu, x);
        long double phi = expl(-0.5L * w) / sqrtl(2 * kPi);
        return (0.5L * erfl(x / sqrtl(2.0L)) + x * phi) / x;
      };
      derivative.problem.weight = [](long double w) { return sqrtl(w); };
      derivative.problem.lo = 1e-4L;
      derivative.problem.hi = static_cast<long double>(clamp) * clamp;
      derivative.problem.degree = degree;
      derivative.problem.denominatorDegree = degree - 1;
      entries.push_back(derivative);
    }
  }
  return entries;
}

/// A gate function x·g(x) (not a derivative). (isDerivative is in
/// GeluNumerics, which this library is below.)
static bool isPiecewiseGate(ReferenceFunction function) {
  return function == ReferenceFunction::GeluExact ||
         function == ReferenceFunction::GeluTanh ||
         function == ReferenceFunction::GeluSigmoid ||
         function == ReferenceFunction::Silu;
}

long double piecewiseArgumentAt(const PiecewiseDomain &domain, long double t) {
  const long double a = 1.0L / domain.step, b = domain.grading;
  if (b == 0)
    return t / a;
  // The root of b·u² − a·u + t = 0 through u = 0, without cancellation.
  return 2 * t / (a + sqrtl(a * a - 4 * b * t));
}

float piecewiseCentre(const PiecewiseDomain &domain, unsigned k) {
  return static_cast<float>(piecewiseArgumentAt(domain, k));
}

/// The ends in u of a centred domain's interval k, with a margin of 1e-3
/// of its width on each side for the lanes whose rounded t gives them the
/// neighbour's index; interval 0 is symmetric about 0 (u < 0 being the
/// function at x > 0, as smooth).
static std::pair<long double, long double>
centredInterval(const PiecewiseDomain &domain, unsigned k) {
  long double hi = piecewiseArgumentAt(domain, k + 0.5L);
  long double lo = k ? piecewiseArgumentAt(domain, k - 0.5L) : -hi;
  const long double margin = 1e-3L * (hi - lo);
  return {lo - margin, hi + margin};
}

/// The error that a degree-`degree` table of `target` (`function`'s q, or
/// what its table holds) on `domain` makes, estimated: on each interval,
/// the polynomial interpolating it at the
/// Chebyshev nodes (within a small factor of the minimax fit, and the same
/// factor for every domain), its error at kEstimatePoints points. With
/// `relative`, the error relative to q (a centred tail table's, in u);
/// without, the error of the kernel's result (x·g(x) of a gate, GELU'
/// itself), and past the table, where q is 0, the part of the function
/// the table would carry (decreasing there), half an interval past the
/// last one's centre (the ladder's tables).
static double
tableErrorEstimate(ReferenceFunction function,
                   const std::function<long double(long double)> &target,
                   unsigned degree, const PiecewiseDomain &domain,
                   bool relative) {
  constexpr unsigned kEstimatePoints = 33;
  const bool gate = isPiecewiseGate(function);
  auto part = [&](long double u, long double p, long double q) {
    if (relative)
      return fabsl(p / q - 1);
    return gate ? fabsl(u) * fabsl(p - q) : fabsl(p - q);
  };
  const unsigned nodes = degree + 1;
  long double node[kPiecewiseMaxDegree + 1];
  for (unsigned j = 0; j < nodes; ++j)
    node[j] = 0.5L * cosl((2 * j + 1) * kPi / (2 * nodes));
  long double worst = 0;
  for (unsigned k = 0; k < domain.intervals; ++k) {
    // v in [−1/2, 1/2] to u: in t, or in u between a centred interval's
    // ends.
    const std::pair<long double, long double> ends =
        domain.centred ? centredInterval(domain, k)
                       : std::pair<long double, long double>{0, 0};
    auto argument = [&](long double v) {
      return domain.centred ? (ends.first + ends.second) / 2 +
                                  v * (ends.second - ends.first)
                            : piecewiseArgumentAt(domain, k + v);
    };
    long double value[kPiecewiseMaxDegree + 1];
    for (unsigned j = 0; j < nodes; ++j)
      value[j] = target(argument(node[j]));
    for (unsigned i = 0; i < kEstimatePoints; ++i) {
      const long double v = -0.5L + i / (kEstimatePoints - 1.0L);
      long double p = 0;
      for (unsigned j = 0; j < nodes; ++j) {
        long double lagrange = value[j];
        for (unsigned l = 0; l < nodes; ++l)
          if (l != j)
            lagrange *= (v - node[l]) / (node[j] - node[l]);
        p += lagrange;
      }
      const long double u = argument(v);
      worst = std::max(worst, part(u, p, target(u)));
    }
  }
  if (!relative) {
    const long double past =
        piecewiseArgumentAt(domain, domain.intervals - 0.5L);
    worst = std::max(worst, part(past, 0, target(past)));
  }
  return static_cast<double>(worst);
}

static double ladderErrorEstimate(ReferenceFunction function, unsigned degree,
                                  const PiecewiseDomain &domain) {
  return tableErrorEstimate(
      function,
      [function](long double u) { return piecewiseTarget(function, u); },
      degree, domain, /*relative=*/false);
}

/// Every interval of a table, with the least step 16/m (1/step an f32
/// value, as the ladder's) whose intervals cover `clamp`.
static PiecewiseDomain fullEvenDomain(double clamp) {
  const auto m = static_cast<unsigned>(std::floor(
      kPiecewiseLadderInverseStepUnit * (kPiecewiseMaxIntervals - 1) / clamp));
  const double step = kPiecewiseLadderInverseStepUnit / m;
  const unsigned intervals =
      std::min(static_cast<unsigned>(std::ceil(clamp / step)) + 1,
               kPiecewiseMaxIntervals);
  return {step, (intervals - 1) * step, intervals};
}

PiecewiseDomain piecewiseDomain(ReferenceFunction function, unsigned degree) {
  assert(hasRationalForm(function) && "no piecewise form");
  // The rational form's clamp, past which the gate is 1 (or 0) to within
  // 2^−25, GELU' 1 (or 0) to within 4e-8.
  const double clamp = rationalClamp(function, kRationalMaxDegree);
  // The number of intervals that reach the clamp with `step` (at least)
  // or as many as the table holds.
  auto intervalsAt = [&](double step) {
    return std::min(static_cast<unsigned>(std::ceil(clamp / step)) + 1,
                    kPiecewiseMaxIntervals);
  };
  if (degree <= kPiecewiseLadderMaxDegree) {
    // The ladder's degrees (kPiecewiseLadderInverseSteps): the step with
    // the least estimated error. A finer step shrinks the intervals' error
    // (as step^(degree + 1)) and the table's reach, past which the error
    // is what the table would carry: the best step balances the two.
    double best = 0, bestError = 0;
    for (unsigned m = kPiecewiseLadderInverseSteps[0];
         m <= kPiecewiseLadderInverseSteps[1]; ++m) {
      const double step = kPiecewiseLadderInverseStepUnit / m;
      const double error =
          ladderErrorEstimate(function, degree, {step, 0, intervalsAt(step)});
      if (best == 0 || error < bestError) {
        best = step;
        bestError = error;
      }
    }
    const unsigned intervals = intervalsAt(best);
    return {best, (intervals - 1) * best, intervals};
  }
  // Sigmoid GELU and SiLU from degree 5 (hasEvenFullTables).
  if (hasEvenFullTables(function) && degree >= kPiecewiseTailMinDegree)
    return fullEvenDomain(clamp);
  // Degrees above the ladder's: the least power-of-two step whose table
  // covers the clamp (u/step exact).
  double step = 1.0 / 64;
  while ((intervalsAt(step) - 1) * step < clamp)
    step *= 2;
  // Exact GELU's tables from degree 5 on reach past its clamp
  // (kExactGeluTableReach).
  if (function == ReferenceFunction::GeluExact &&
      degree >= kExactGeluReachMinDegree) {
    assert(kExactGeluTableReach >= clamp &&
           std::fmod(kExactGeluTableReach, step) == 0 &&
           kExactGeluTableReach / step + 1 <= kPiecewiseMaxIntervals &&
           "not a whole number of steps, or more than the table holds");
    return {step, kExactGeluTableReach,
            static_cast<unsigned>(kExactGeluTableReach / step) + 1};
  }
  const unsigned intervals = intervalsAt(step);
  return {step, (intervals - 1) * step, intervals};
}

static_assert(kPiecewiseGradedMaxDegree <= kPiecewiseMaxDegree,
              "tableErrorEstimate's node arrays hold the graded degrees");

PiecewiseDomain gradedPiecewiseDomain(ReferenceFunction function,
                                      unsigned degree) {
  assert(degree >= kPiecewiseGradedMinDegree &&
         degree <= kPiecewiseGradedMaxDegree && hasRationalForm(function));
  // t = u·(a − b·u) with a = 1/step = m/16 and b an f32 value, on 31
  // intervals: t' falls from a at 0 to a·(1 − r) where t reaches the zero
  // entry (t = 31, u = 31/(a·(1 − r/2))), r in [0, 0.95]. A coarse grid of
  // (m, r), then a finer one around its best.
  constexpr unsigned kIntervals = kPiecewiseMaxIntervals;
  auto domainAt = [&](unsigned m, double r) {
    const double a = m / 16.0;
    const double end = kIntervals / (a * (1 - r / 2));
    PiecewiseDomain domain{1 / a, 0, kIntervals,
                           static_cast<float>(r * a / (2 * end))};
    domain.limit =
        static_cast<double>(piecewiseArgumentAt(domain, kIntervals - 1.0L));
    return domain;
  };
  PiecewiseDomain best{};
  double bestError = 0, bestR = 0;
  unsigned bestM = 0;
  auto consider = [&](unsigned m, double r) {
    PiecewiseDomain domain = domainAt(m, r);
    const double error = ladderErrorEstimate(function, degree, domain);
    if (bestError == 0 || error < bestError) {
      best = domain;
      bestError = error;
      bestM = m;
      bestR = r;
    }
  };
  for (unsigned m = 24; m <= 512; m += 8)
    for (unsigned i = 0; i <= 19; ++i)
      consider(m, i * 0.05);
  const unsigned coarseM = bestM;
  const double coarseR = bestR;
  for (unsigned m = coarseM - 7; m <= coarseM + 7; ++m)
    for (int i = -4; i <= 4; ++i)
      if (coarseR + i * 0.01 >= 0 && coarseR + i * 0.01 <= 0.95)
        consider(m, coarseR + i * 0.01);
  return best;
}

std::string gradedPiecewiseFitName(ReferenceFunction function,
                                   unsigned degree) {
  return formFitName(function, degree, "piecewise_graded");
}

bool hasEvenFullTables(ReferenceFunction function) {
  return function == ReferenceFunction::GeluSigmoid ||
         function == ReferenceFunction::Silu;
}

bool hasCentredTailTable(ReferenceFunction function) {
  return function == ReferenceFunction::GeluTanh;
}

/// What a `piecewise_tail` table holds, fitted with relative error: a
/// gate's q(u), a derivative's R(u) = q(u)/(u − u0) (piecewiseDerivativeRoot).
/// R is smooth through the zero; at it, both q and u − u0 vanish and the
/// quotient is evaluated a hair (1e-9, far below the fit's error) away,
/// where q is still 1e-10 and exact to 1e-19 in long double.
static std::function<long double(long double)>
tailTableTarget(ReferenceFunction function) {
  if (isPiecewiseGate(function))
    return [function](long double u) { return piecewiseTarget(function, u); };
  const long double root = piecewiseDerivativeRoot(function);
  return [function, root](long double u) {
    if (fabsl(u - root) < 1e-9L)
      u = root + 1e-9L;
    return piecewiseTarget(function, u) / (u - root);
  };
}

PiecewiseDomain tailPiecewiseDomain(ReferenceFunction function,
                                    unsigned degree) {
  if (!hasCentredTailTable(function))
    return piecewiseDomain(function, degree);
  // t = u·(a + b·u), a = m/16 and b = j/256 (both exact in f32), on 31
  // intervals: of the pairs whose every interval's estimated error is
  // within the bound, the one whose last centre is furthest.
  constexpr unsigned kIntervals = kPiecewiseMaxIntervals;
  const double bound = degree == kPiecewiseMaxDegree
                           ? kCentredTailEstimate
                           : kCentredLowDegreeTailEstimate;
  const std::function<long double(long double)> target =
      tailTableTarget(function);
  PiecewiseDomain best{};
  for (unsigned m = 2; m <= 48; ++m)
    for (unsigned j = 0; j <= 256; j += 2) {
      PiecewiseDomain domain{16.0 / m, 0, kIntervals, -(j / 256.0), true};
      domain.limit = piecewiseCentre(domain, kIntervals - 1);
      if (domain.limit <= best.limit)
        continue;
      if (tableErrorEstimate(function, target, degree, domain,
                             /*relative=*/true) <= bound)
        best = domain;
    }
  assert(best.centred && "no grading meets the bound");
  return best;
}

std::string tailPiecewiseFitName(ReferenceFunction function, unsigned degree) {
  return formFitName(function, degree, "piecewise_tail");
}

unsigned tailTableDegree(ReferenceFunction function) {
  // A full table's least degree errs as the others do (hasEvenFullTables).
  return hasEvenFullTables(function) ? kPiecewiseTailMinDegree
                                     : kPiecewiseMaxDegree;
}

unsigned bf16PiecewiseTailDegree(ReferenceFunction function) {
  // Measured on every bf16 input (JitTest's AllInputs): the GELUs are
  // correctly rounded from degree 4 on, SiLU from degree 5 (on 31 intervals,
  // hasEvenFullTables; its degree 5 on 19 intervals misrounded x =
  // −3.046875 by 5e-5 ULP, and degree 4 there errs 20 times as much). Exact
  // GELU's degree 4 keeps its table to the clamp (kExactGeluTableReach), where
  // the other degrees' reach further; the tail starts at each degree's own end.
  switch (function) {
  case ReferenceFunction::GeluExact:
  case ReferenceFunction::GeluTanh:
  case ReferenceFunction::GeluSigmoid:
    return 4;
  case ReferenceFunction::Silu:
    return 5;
  default:
    return 0;
  }
}

std::string piecewiseFitName(ReferenceFunction function, unsigned degree) {
  return formFitName(function, degree, "piecewise");
}

/// f(−u) for the function of a piecewise form, written without
/// cancellation (for the gates: Φ(−u) as erfc, σ(−y) as 1/(1 + e^y)).
long double piecewiseTarget(ReferenceFunction function, long double u) {
  switch (function) {
  case ReferenceFunction::GeluExact:
    return 0.5L * erfcl(u / sqrtl(2.0L));
  case ReferenceFunction::GeluTanh:
  case ReferenceFunction::GeluSigmoid:
  case ReferenceFunction::Silu:
    return 1 / (1 + expl(sigmoidGateArgument(function, u)));
  case ReferenceFunction::GeluExactDerivative:
    // Φ(−u) − u·φ(u).
    return 0.5L * erfcl(u / sqrtl(2.0L)) -
           u * expl(-0.5L * u * u) / sqrtl(2 * kPi);
  case ReferenceFunction::GeluTanhDerivative:
  case ReferenceFunction::GeluSigmoidDerivative: {
    // s − u·y'(u)·s·(1 − s), s = σ(−y(u)) (y odd, y' even).
    ReferenceFunction gelu = antiderivative(function);
    long double y = sigmoidGateArgument(gelu, u);
    long double s = 1 / (1 + expl(y));
    long double oneMinusS = 1 / (1 + expl(-y));
    return s - u * sigmoidArgumentSlope(gelu, u) * s * oneMinusS;
  }
  default:
    llvm_unreachable("no piecewise form");
  }
}

/// Lawson's iteration: the coefficients a minimising max_i |Σ_j a_j·φ_ij −
/// t_i| over a grid, as the limit of weighted least-squares fits whose
/// weights grow where the error is large.
static std::vector<long double>
lawsonFit(const std::vector<std::vector<long double>> &basis,
          const std::vector<long double> &target, unsigned iterations) {
  const size_t points = target.size(), n = basis.front().size();
  std::vector<long double> weight(points, 1.0L / points), a(n);
  for (unsigned iteration = 0; iteration < iterations; ++iteration) {
    // The normal equations of the weighted fit, by Gaussian elimination
    // with partial pivoting (n ≤ 6).
    std::vector<std::vector<long double>> m(n, std::vector<long double>(n + 1));
    for (size_t i = 0; i < points; ++i)
      for (size_t j = 0; j < n; ++j) {
        for (size_t k = 0; k < n; ++k)
          m[j][k] += weight[i] * basis[i][j] * basis[i][k];
        m[j][n] += weight[i] * basis[i][j] * target[i];
      }
    for (size_t c = 0; c < n; ++c) {
      size_t pivot = c;
      for (size_t r = c + 1; r < n; ++r)
        if (fabsl(m[r][c]) > fabsl(m[pivot][c]))
          pivot = r;
      std::swap(m[c], m[pivot]);
      for (size_t r = c + 1; r < n; ++r) {
        long double f = m[r][c] / m[c][c];
        for (size_t k = c; k <= n; ++k)
          m[r][k] -= f * m[c][k];
      }
    }
    for (size_t c = n; c-- > 0;) {
      long double sum = m[c][n];
      for (size_t k = c + 1; k < n; ++k)
        sum -= m[c][k] * a[k];
      a[c] = sum / m[c][c];
    }
    long double total = 0;
    for (size_t i = 0; i < points; ++i) {
      long double fit = 0;
      for (size_t j = 0; j < n; ++j)
        fit += a[j] * basis[i][j];
      weight[i] *= fabsl(fit - target[i]);
      total += weight[i];
    }
    if (!(total > 0))
      break;
    for (long double &w : weight)
      w /= total;
  }
  return a;
}

std::vector<ReferenceFunction> piecewiseFunctions() {
  return {ReferenceFunction::GeluExact,
          ReferenceFunction::GeluTanh,
          ReferenceFunction::GeluSigmoid,
          ReferenceFunction::Silu,
          ReferenceFunction::GeluExactDerivative,
          ReferenceFunction::GeluTanhDerivative,
          ReferenceFunction::GeluSigmoidDerivative};
}

std::vector<ReferenceFunction> clampedPolynomialFunctions() {
  return piecewiseFunctions();
}

std::string clampedPolynomialFitName(ReferenceFunction function,
                                     unsigned degree) {
  return formFitName(function, degree, "polynomial");
}

namespace {
/// s for one R (clampedPolynomialFit).
struct ClampedPolynomialTrial {
  std::vector<double> coefficients;
  double error;
  bool positive;
};
} // namespace

/// s's f32 coefficients for `clamp` (clampedPolynomialFit), fitted on a
/// grid of `points` with `iterations` of Lawson's iteration, the error they
/// make, inside [0, clamp] and past it, and whether s > 0 on [0, clamp].
static ClampedPolynomialTrial
clampedPolynomialAt(ReferenceFunction function, unsigned degree,
                    long double clamp, unsigned points, unsigned iterations) {
  // In t = v/R: v·(R − v)·s(v) = R²·t·(1 − t)·Σ a_j·t^j ≈ v·q(v), on
  // points dense at both ends as the error's extremes are. a_0 is pinned
  // to q(0)/R = 1/(2R), so that x·g(x) is x/2 to first order near 0 (the
  // absolute error alone would leave it a few per cent off there).
  const unsigned terms = degree - 1;
  const long double pinned = 0.5L / clamp;
  std::vector<std::vector<long double>> basis;
  std::vector<long double> target;
  for (unsigned i = 0; i < points; ++i) {
    long double t = (1 - cosl(kPi * i / (points - 1))) / 2;
    long double v = clamp * t;
    std::vector<long double> row(terms - 1);
    long double power = t * (1 - t) * t;
    for (unsigned j = 1; j < terms; ++j, power *= t)
      row[j - 1] = power;
    basis.push_back(std::move(row));
    target.push_back(v * piecewiseTarget(function, v) / (clamp * clamp) -
                     pinned * t * (1 - t));
  }
  std::vector<long double> a = lawsonFit(basis, target, iterations);
  a.insert(a.begin(), pinned);
  ClampedPolynomialTrial trial;
  long double scale = 1;
  for (unsigned j = 0; j < terms; ++j, scale *= clamp)
    trial.coefficients.push_back(static_cast<float>(a[j] / scale));
  // Past R the form gives x (or −0): the error is u·q(u), decreasing.
  long double worst = clamp * piecewiseTarget(function, clamp);
  trial.positive = true;
  constexpr unsigned kCheckPoints = 4001;
  for (unsigned i = 0; i < kCheckPoints; ++i) {
    long double v = clamp * i / (kCheckPoints - 1);
    long double sv = 0;
    for (unsigned j = terms; j-- > 0;)
      sv = sv * v + trial.coefficients[j];
    trial.positive = trial.positive && sv > 0;
    worst = std::max(
        worst, fabsl(v * (clamp - v) * sv - v * piecewiseTarget(function, v)));
  }
  trial.error = static_cast<double>(worst);
  return trial;
}

/// A derivative's p for `clamp` (clampedPolynomialFit), as
/// clampedPolynomialAt: GELU'(x) = 1/2 + v·p(v²), v = x clamped to
/// [−R, R], fitted on [0, R] (GELU'(−x) = 1 − GELU'(x) for every form).
static ClampedPolynomialTrial
clampedDerivativePolynomialAt(ReferenceFunction function, unsigned degree,
                              long double clamp, unsigned points,
                              unsigned iterations) {
  // In t = v/R, s = t²: v·p(v²) = t·Σ b_j·s^j, with Σ b_j = 1/2 so that
  // the form is 1 at R (and past it) and 0 at −R: b_0 = 1/2 − Σ_{j≥1} b_j
  // leaves t·(s^j − 1) as the basis and GELU'(v) − 1/2 − t/2 as the
  // target, on points dense at both ends.
  const unsigned terms = degree + 1;
  std::vector<std::vector<long double>> basis;
  std::vector<long double> target;
  for (unsigned i = 1; i < points; ++i) {
    long double t = (1 - cosl(kPi * i / (points - 1))) / 2;
    long double s = t * t;
    std::vector<long double> row(terms - 1);
    long double power = s;
    for (unsigned j = 1; j < terms; ++j, power *= s)
      row[j - 1] = t * (power - 1);
    basis.push_back(std::move(row));
    target.push_back(piecewiseTarget(function, -clamp * t) - 0.5L - t / 2);
  }
  std::vector<long double> b = lawsonFit(basis, target, iterations);
  long double rest = 0;
  for (long double bj : b)
    rest += bj;
  b.insert(b.begin(), 0.5L - rest);
  ClampedPolynomialTrial trial;
  long double scale = clamp;
  for (unsigned j = 0; j < terms; ++j, scale *= clamp * clamp)
    trial.coefficients.push_back(static_cast<float>(b[j] / scale));
  // The kernel's error inside [0, R], and past R, where the form stays at
  // its value at R and GELU' tends to 1 (its distance from 1 largest at R,
  // for every R the search tries): evaluated as the kernel does, in f32
  // (the rounding of p's terms, up to R^13 times a coefficient, shows at
  // the higher degrees).
  auto form = [&](float v) {
    float w = v * v, p = 0;
    for (unsigned j = terms; j-- > 0;)
      p = std::fmaf(p, w, static_cast<float>(trial.coefficients[j]));
    return static_cast<long double>(std::fmaf(v, p, 0.5f));
  };
  const float end = static_cast<float>(clamp);
  long double worst = fabsl(form(end) - 1);
  constexpr unsigned kCheckPoints = 4001;
  for (unsigned i = 0; i < kCheckPoints; ++i) {
    float v = static_cast<float>(clamp * i / (kCheckPoints - 1));
    worst = std::max(worst, fabsl(form(v) - piecewiseTarget(function, -v)));
  }
  trial.error = static_cast<double>(worst);
  trial.positive = true; // no sign to keep
  return trial;
}

ClampedPolynomialFit clampedPolynomialFit(ReferenceFunction function,
                                          unsigned degree) {
  assert(degree >= kClampedPolynomialMinDegree &&
         degree <= kClampedPolynomialMaxDegree &&
         llvm::is_contained(clampedPolynomialFunctions(), function));
  const bool gate = isPiecewiseGate(function);
  auto trialAt = [&](long double clamp, unsigned points, unsigned iterations) {
    return gate ? clampedPolynomialAt(function, degree, clamp, points,
                                      iterations)
                : clampedDerivativePolynomialAt(function, degree, clamp, points,
                                                iterations);
  };
  // R = k/16 from 1.5 to 12: every other k on a coarse fit, then the best
  // one's neighbours and the final fit on a finer grid. Only fits whose s
  // is positive count (a sign change would break GELU's sign).
  constexpr unsigned kCoarsePoints = 160, kCoarseIterations = 60;
  constexpr unsigned kPoints = 1200, kIterations = 400;
  constexpr unsigned kFirst = 24, kLast = 192;
  // The best positive fit among `ks` (k 0 if none), with its trial.
  auto search = [&](llvm::ArrayRef<unsigned> ks, unsigned points,
                    unsigned iterations) {
    std::pair<unsigned, ClampedPolynomialTrial> best{0, {}};
    for (unsigned k : ks) {
      ClampedPolynomialTrial trial = trialAt(k / 16.0L, points, iterations);
      if (trial.positive &&
          (best.first == 0 || trial.error < best.second.error))
        best = {k, std::move(trial)};
    }
    return best;
  };
  std::vector<unsigned> coarse;
  for (unsigned k = kFirst; k <= kLast; k += 2)
    coarse.push_back(k);
  unsigned k = search(coarse, kCoarsePoints, kCoarseIterations).first;
  std::pair<unsigned, ClampedPolynomialTrial> chosen{0, {}};
  if (k)
    chosen = search({k - 1, k, k + 1}, kPoints, kIterations);
  ClampedPolynomialFit fit;
  fit.name = clampedPolynomialFitName(function, degree);
  fit.function = function;
  fit.degree = degree;
  fit.clamp = (chosen.first ? chosen.first : kFirst) / 16.0;
  if (!chosen.first) // none positive: reported, and gelu-fit fails
    chosen.second = trialAt(fit.clamp, kPoints, kIterations);
  fit.coefficients = chosen.second.coefficients;
  fit.maxError = chosen.second.error;
  fit.positive = chosen.first && chosen.second.positive;
  fit.description =
      gate ? std::string("x·") + gateName(function) +
                 " as (x < 0 ? -0 : x) − v·(R − v)·s(v), v = min(|x|, R)"
           : std::string(derivativeName(function)) +
                 " as 1/2 + v·p(v²), v = x clamped to [−R, R], R·p(R²) = 1/2";
  fit.description += ", R = " + decimal(fit.clamp) + ", degree " +
                     std::to_string(degree) + ", absolute error";
  return fit;
}

long double piecewiseDerivativeRoot(ReferenceFunction function) {
  // q(u) = GELU'(−u) is 1/2 at 0 and negative at 2, with one zero between.
  long double lo = 0, hi = 2;
  for (int i = 0; i < 200; ++i) {
    long double mid = (lo + hi) / 2;
    (piecewiseTarget(function, mid) > 0 ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

std::string piecewiseRootFitName(ReferenceFunction function) {
  return piecewiseFitName(function, rootTableDegree(function)) + "_root";
}

/// One interval of a piecewise fit: `f` of v in [−1/2, 1/2] at `degree`,
/// with error relative to f or absolute.
static MinimaxProblem intervalFit(std::function<long double(long double)> f,
                                  unsigned degree, bool relative) {
  MinimaxProblem piece;
  if (relative)
    piece.weight = [f](long double v) { return 1 / f(v); };
  piece.function = std::move(f);
  piece.lo = -0.5L;
  piece.hi = 0.5L;
  piece.degree = static_cast<int>(degree);
  return piece;
}

/// A `piecewise_tail` table's intervals (tailTableTarget, relative error):
/// on an even domain in v = u/step − k; on a centred one in v = u − c_k,
/// over the interval's ends and margin (centredInterval), the f32
/// neighbours of the rounded coefficients searched.
static std::vector<MinimaxProblem>
tailTablePieces(ReferenceFunction function, const PiecewiseDomain &domain,
                unsigned degree) {
  const std::function<long double(long double)> target =
      tailTableTarget(function);
  std::vector<MinimaxProblem> pieces;
  for (unsigned k = 0; k < domain.intervals; ++k) {
    if (!domain.centred) {
      const long double centre = k * static_cast<long double>(domain.step);
      const long double step = domain.step;
      pieces.push_back(
          intervalFit([target, centre, step](
                          long double v) { return target(centre + v * step); },
                      degree, /*relative=*/true));
      continue;
    }
    const long double centre = piecewiseCentre(domain, k);
    const auto [lo, hi] = centredInterval(domain, k);
    MinimaxProblem piece = intervalFit(
        [target, centre](long double v) { return target(centre + v); }, degree,
        /*relative=*/true);
    piece.lo = lo - centre;
    piece.hi = hi - centre;
    piece.searchRounding = true;
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

unsigned rootTableDegree(ReferenceFunction function) {
  assert(isDerivative(function) && "a derivative's table");
  return function == ReferenceFunction::GeluTanhDerivative
             ? kPiecewiseMaxDegree
             : kPiecewiseMaxDegree - 1;
}

PiecewiseDomain rootTableDomain(ReferenceFunction function) {
  assert(isDerivative(function) && "a derivative's table");
  const double clamp = rationalClamp(function, kRationalMaxDegree);
  if (function == ReferenceFunction::GeluTanhDerivative)
    return fullEvenDomain(std::max(clamp, kTanhDerivativeTableReach));
  return fullEvenDomain(clamp);
}

/// R(u) = q(u)/(u − u0) on each interval of rootTableDomain, fitted
/// with relative error (piecewiseDerivativeRoot).
static PiecewiseFitEntry rootFactoredFit(ReferenceFunction function) {
  const PiecewiseDomain domain = rootTableDomain(function);
  const unsigned degree = rootTableDegree(function);
  const long double root = piecewiseDerivativeRoot(function);
  PiecewiseFitEntry entry;
  entry.name = piecewiseRootFitName(function);
  entry.function = function;
  entry.degree = degree;
  entry.domain = domain;
  entry.description =
      "GELU'(x)/(u − u0) at x = −u, u0 = " +
      decimal(static_cast<double>(root)) + " its zero, u in [0, " +
      decimal(domain.limit) + "], " + std::to_string(domain.intervals) +
      " intervals of " +
      (domain.centred ? centredIntervalsText(domain) : decimal(domain.step)) +
      ", degree " + std::to_string(degree) + ", relative error";
  entry.pieces = tailTablePieces(function, domain, degree);
  return entry;
}

PiecewiseDomain gaussTailDomain() {
  const double step = 0.5;
  return {step, kGaussTailLimit,
          static_cast<unsigned>(kGaussTailLimit / step) + 1};
}

std::string gaussTailFitName() { return "gelu_exact_gauss_tail"; }

double gaussTailStart() {
  // Looked up from the end of exact GELU's tables (their `piecewise_tail`:
  // degree 7 for f32, bf16PiecewiseTailDegree for bf16) or of GELU''s,
  // whichever comes first.
  return std::min(
      {piecewiseDomain(ReferenceFunction::GeluExact, kPiecewiseMaxDegree).limit,
       piecewiseDomain(ReferenceFunction::GeluExact,
                       bf16PiecewiseTailDegree(ReferenceFunction::GeluExact))
           .limit,
       rootTableDomain(ReferenceFunction::GeluExactDerivative).limit});
}

/// S(u) = Φ(−u)·e^(u²/2) on gaussTailDomain (gaussTailDomain's comment),
/// relative error. Long double holds both factors at u = 15 (Φ ≈ 4e-51).
/// Only the intervals from the end of exact GELU's or GELU''s piecewise
/// table are ever looked up; those below it repeat the first of them.
static PiecewiseFitEntry gaussTailFit() {
  const PiecewiseDomain domain = gaussTailDomain();
  const double start = gaussTailStart();
  const unsigned first =
      static_cast<unsigned>(std::lround(start / domain.step));
  PiecewiseFitEntry entry;
  entry.name = gaussTailFitName();
  entry.function = ReferenceFunction::GeluExact;
  entry.degree = kGaussTailDegree;
  entry.domain = domain;
  entry.description =
      "Phi(-u)·exp(u²/2), u in [" + decimal((first - 0.5) * domain.step) +
      ", " + decimal(domain.limit) + "], intervals of " + decimal(domain.step) +
      " (" + std::to_string(domain.intervals) + " with the " +
      std::to_string(first) + " unused below), degree " +
      std::to_string(kGaussTailDegree) + ", relative error";
  for (unsigned k = 0; k < domain.intervals; ++k) {
    const long double centre =
        std::max(k, first) * static_cast<long double>(domain.step);
    const long double step = domain.step;
    auto s = [centre, step](long double v) {
      long double u = centre + v * step;
      return piecewiseTarget(ReferenceFunction::GeluExact, u) * expl(u * u / 2);
    };
    entry.pieces.push_back(intervalFit(s, kGaussTailDegree, /*relative=*/true));
  }
  return entry;
}

std::vector<PiecewiseFitEntry> piecewiseFitCatalog() {
  std::vector<PiecewiseFitEntry> entries;
  for (ReferenceFunction function : piecewiseFunctions()) {
    const bool relative = isPiecewiseGate(function);
    // An entry with its description, `intervals` saying how they are cut.
    auto startEntry = [&](std::string name, const PiecewiseDomain &domain,
                          unsigned degree, const std::string &intervals) {
      PiecewiseFitEntry entry;
      entry.name = std::move(name);
      entry.function = function;
      entry.degree = degree;
      entry.domain = domain;
      entry.description =
          std::string(relative ? gateName(function) : "GELU'(x)") +
          " at x = −u, u in [0, " + decimal(domain.limit) + "], " +
          std::to_string(domain.intervals) + " intervals of " + intervals +
          ", degree " + std::to_string(degree) + ", " +
          (relative ? "relative" : "absolute") + " error";
      return entry;
    };
    for (unsigned degree = kPiecewiseMinDegree; degree <= kPiecewiseMaxDegree;
         ++degree) {
      const PiecewiseDomain domain = piecewiseDomain(function, degree);
      PiecewiseFitEntry entry =
          startEntry(piecewiseFitName(function, degree), domain, degree,
                     decimal(domain.step));
      for (unsigned k = 0; k < domain.intervals; ++k) {
        const long double centre = k * static_cast<long double>(domain.step);
        const long double step = domain.step;
        // Interval 0 is fitted on both sides of 0: u < 0 is the function
        // at x > 0, as smooth, and the table needs no special case.
        entry.pieces.push_back(intervalFit(
            [function, centre, step](long double v) {
              return piecewiseTarget(function, centre + v * step);
            },
            degree, relative));
        entry.pieces.back().searchRounding =
            function == ReferenceFunction::GeluExact &&
            degree >= kExactGeluReachMinDegree;
      }
      entries.push_back(std::move(entry));
    }
    for (unsigned degree = kPiecewiseGradedMinDegree;
         degree <= kPiecewiseGradedMaxDegree; ++degree) {
      const PiecewiseDomain domain = gradedPiecewiseDomain(function, degree);
      PiecewiseFitEntry entry =
          startEntry(gradedPiecewiseFitName(function, degree), domain, degree,
                     "t = u·(" + decimal(1 / domain.step) + " − " +
                         decimal(domain.grading) + "·u)");
      for (unsigned k = 0; k < domain.intervals; ++k) {
        entry.pieces.push_back(intervalFit(
            [function, domain, k](long double v) {
              return piecewiseTarget(function,
                                     piecewiseArgumentAt(domain, k + v));
            },
            degree, relative));
        // A gate's interval 0 is 1/2 at t = 0, so that x·g(x) is x/2 for
        // tiny x: with even intervals q(u) − 1/2 is odd on interval 0 and
        // its fit is 1/2 there by symmetry, but t = u·(a − b·u) is not odd.
        if (relative && k == 0)
          entry.pieces.back().fixedLow = {0.5L};
      }
      entries.push_back(std::move(entry));
    }
    if (!relative)
      entries.push_back(rootFactoredFit(function));
    if (relative && hasCentredTailTable(function))
      for (unsigned degree = kPiecewiseTailMinDegree;
           degree <= kPiecewiseMaxDegree; ++degree) {
        const PiecewiseDomain domain = tailPiecewiseDomain(function, degree);
        PiecewiseFitEntry entry =
            startEntry(tailPiecewiseFitName(function, degree), domain, degree,
                       centredIntervalsText(domain));
        entry.pieces = tailTablePieces(function, domain, degree);
        entries.push_back(std::move(entry));
      }
  }
  entries.push_back(gaussTailFit());
  return entries;
}

} // namespace gelu
