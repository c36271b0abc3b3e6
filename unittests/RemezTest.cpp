//===- RemezTest.cpp - The minimax fitter and the generated tables -------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Remez.h"
#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/FitCatalog.h"
#include "gelu/Numerics/MpfrReference.h"
#include "gelu/Numerics/Polynomials.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace gelu;

namespace {

#include "gelu/Numerics/FittedPolynomials.inc"

/// Local extrema of the weighted error with |e| ≥ 0.98·max, merged into
/// runs of one sign: a minimax polynomial of degree n alternates n + 2
/// times, a rational (n, m) one n + m + 2 times.
int countAlternations(const MinimaxProblem &p, const MinimaxFit &fit) {
  int alternations = 0;
  int lastSign = 0;
  const int samples = 200000;
  for (int i = 0; i <= samples; ++i) {
    long double x = p.lo + (p.hi - p.lo) * i / samples;
    long double e = (evaluateFit(fit, x) - p.function(x)) * p.weight(x);
    if (fabsl(e) < 0.98L * fit.maxError)
      continue;
    int sign = e > 0 ? 1 : -1;
    if (sign != lastSign) {
      ++alternations;
      lastSign = sign;
    }
  }
  return alternations;
}

TEST(Remez, ExpIsEquioscillatingAndBeatsTaylor) {
  MinimaxProblem p;
  p.function = [](long double x) { return expl(x); };
  p.lo = -0.35L;
  p.hi = 0.35L;
  p.degree = 5;
  auto fit = fitMinimax(p);
  ASSERT_TRUE(static_cast<bool>(fit)) << llvm::toString(fit.takeError());
  // Taylor's remainder at 0.35 is 0.35^6/720·e^0.35 ≈ 3.6e-6.
  EXPECT_LT(fit->maxError, 1e-7L);
  EXPECT_GT(fit->maxError, 1e-9L) << "a degree-5 fit cannot be that good";
  EXPECT_GE(countAlternations(p, *fit), 7);
}

TEST(Remez, RelativeWeightIsHonoured) {
  MinimaxProblem p;
  p.function = [](long double x) { return 1 / (1 + x); };
  p.weight = [](long double x) { return 1 + x; }; // 1/|f|
  p.lo = 0;
  p.hi = 1;
  p.degree = 6;
  auto fit = fitMinimax(p);
  ASSERT_TRUE(static_cast<bool>(fit));
  EXPECT_LT(fit->maxError, 1e-4L);
  EXPECT_GE(countAlternations(p, *fit), 8);
}

TEST(Remez, FloatFitHasFloatCoefficientsAndKeepsItsError) {
  MinimaxProblem p;
  p.function = [](long double x) { return expl(x); };
  p.lo = -0.35L;
  p.hi = 0.35L;
  p.degree = 6;
  auto real = fitMinimax(p);
  auto single = fitMinimaxFloat(p);
  ASSERT_TRUE(static_cast<bool>(real) && static_cast<bool>(single));
  for (long double c : single->coefficients)
    EXPECT_EQ(c, static_cast<long double>(static_cast<float>(c)));
  // Rounding the real fit at once would cost ~ulp(1)/2 = 6e-8 at x = 0;
  // the greedy fit stays near the f32 limit.
  EXPECT_LT(single->maxError, 4e-8L);
  EXPECT_GE(single->maxError, real->maxError);
}

TEST(Remez, RoundingSearchFindsBetterFloatNeighbours) {
  // Φ(−u) on the interval of 1/4 around u = 6.5, relative error, degree 7
  // (exact GELU's table past its clamp): rounded at once, the low
  // coefficients' roundings cost several times the fit's own error.
  MinimaxProblem p;
  auto phi = [](long double v) {
    return erfcl((6.5L + v / 4) / sqrtl(2.0L)) / 2;
  };
  p.function = phi;
  p.weight = [phi](long double v) { return 1 / phi(v); };
  p.lo = -0.5L;
  p.hi = 0.5L;
  p.degree = 7;
  auto real = fitMinimax(p);
  auto rounded = fitMinimaxRounded(p);
  p.searchRounding = true;
  auto searched = fitMinimaxRounded(p);
  ASSERT_TRUE(static_cast<bool>(real) && static_cast<bool>(rounded) &&
              static_cast<bool>(searched));
  for (long double c : searched->coefficients)
    EXPECT_EQ(c, static_cast<long double>(static_cast<float>(c)));
  // The fit errs by 2.1e-8; rounded at once, by 1.9e-7.
  EXPECT_GT(rounded->maxError, 4 * real->maxError)
      << "the rounding, not the fit, errs";
  EXPECT_LT(searched->maxError, rounded->maxError / 2);
  EXPECT_GE(searched->maxError, real->maxError);
}

TEST(Remez, RationalExpMatchesTheKnownMinimax) {
  // The best (2, 2) rational approximation of e^x on [−1, 1] has error
  // 8.7e-5 (a Padé approximant's is 3.9e-4 at the ends).
  MinimaxProblem p;
  p.function = [](long double x) { return expl(x); };
  p.lo = -1;
  p.hi = 1;
  p.degree = 2;
  p.denominatorDegree = 2;
  auto fit = fitMinimax(p);
  ASSERT_TRUE(static_cast<bool>(fit)) << llvm::toString(fit.takeError());
  EXPECT_NEAR(static_cast<double>(fit->maxError), 8.69e-5, 0.01e-5);
  ASSERT_EQ(fit->denominator.size(), 3u);
  EXPECT_EQ(fit->denominator[0], 1.0L);
  // n + m + 2 = 6 alternations.
  EXPECT_GE(countAlternations(p, *fit), 6);
}

TEST(Remez, RationalStartHasNoPoleAndBeatsThePolynomial) {
  // atan on [0, 4]: an exchange started at Chebyshev points puts a pole
  // inside; the least-squares start does not. A (3, 2) rational beats the
  // degree-5 polynomial with the same number of coefficients.
  MinimaxProblem p;
  p.function = [](long double x) { return atanl(x); };
  p.lo = 0;
  p.hi = 4;
  p.degree = 3;
  p.denominatorDegree = 2;
  auto rational = fitMinimax(p);
  ASSERT_TRUE(static_cast<bool>(rational))
      << llvm::toString(rational.takeError());
  for (int i = 0; i <= 1000; ++i)
    EXPECT_GT(evaluatePolynomial(rational->denominator, 4.0L * i / 1000), 0);
  MinimaxProblem polynomial = p;
  polynomial.degree = 5;
  polynomial.denominatorDegree = 0;
  auto poly = fitMinimax(polynomial);
  ASSERT_TRUE(static_cast<bool>(poly));
  EXPECT_LT(rational->maxError, poly->maxError);
  EXPECT_GE(countAlternations(p, *rational), 7);

  auto single = fitMinimaxFloat(p);
  ASSERT_TRUE(static_cast<bool>(single));
  for (long double c : single->coefficients)
    EXPECT_EQ(c, static_cast<long double>(static_cast<float>(c)));
  for (long double c : single->denominator)
    EXPECT_EQ(c, static_cast<long double>(static_cast<float>(c)));
  EXPECT_LT(single->maxError, rational->maxError * 1.5L);
}

TEST(Remez, RejectsBadProblems) {
  MinimaxProblem p;
  p.function = [](long double x) { return x; };
  p.lo = 1;
  p.hi = 0;
  auto fit = fitMinimax(p);
  ASSERT_FALSE(static_cast<bool>(fit));
  EXPECT_NE(llvm::toString(fit.takeError()).find("bad degree or interval"),
            std::string::npos);
}

/// The generated tables meet the error each expansion relies on, measured
/// here against the catalog's own targets.
TEST(FittedPolynomials, TablesMeetTheirBounds) {
  const std::pair<const char *, double> bounds[] = {
      // 5e-9 is 0.04 ULP: the erfc fit is not what limits exact GELU.
      {"erfc_log", 5e-9},
      // The fast variant: ~7e-6, i.e. ~50 ULP of relative error in erfc,
      // far below 1e-6 absolute in GELU.
      {"erfc_log_fast", 1e-5},
      // Only ~1e-3 is needed: it multiplies t's ~1e-7 rounding error.
      {"erfc_log_slope", 1e-3},
      // Relative; GELU damps it by (erf/(1+erf)) ≤ 0.35.
      {"erf_odd", 1e-7},
      // The rational forms, relative to their gate (Φ, σ): 1e-8 is a tenth
      // of an ULP of GELU for x ≥ 0. The lower degrees: each bound just
      // above its fit (gelu-fit), so a worse fit fails here before it
      // reaches a budget.
      {"gelu_rational_d6", 1e-8},
      {"gelu_rational_d2", 2.5e-3},
      {"gelu_rational_d3", 2e-4},
      {"gelu_rational_d4", 2.5e-6},
      {"gelu_rational_d5", 1e-6},
      {"gelu_tanh_rational_d2", 2e-3},
      {"gelu_tanh_rational_d3", 1.2e-4},
      {"gelu_tanh_rational_d4", 4e-6},
      {"gelu_tanh_rational_d5", 1.5e-7},
      {"gelu_tanh_rational_d6", 1e-8},
      {"gelu_sigmoid_rational_d2", 5.5e-3},
      {"gelu_sigmoid_rational_d3", 5.5e-5},
      {"gelu_sigmoid_rational_d4", 4e-7},
      {"gelu_sigmoid_rational_d5", 1e-8},
      {"gelu_sigmoid_rational_d6", 1e-8},
      {"silu_rational_d2", 5.5e-3},
      {"silu_rational_d3", 5.5e-5},
      {"silu_rational_d4", 1.3e-6},
      {"silu_rational_d5", 1e-8},
      {"silu_rational_d6", 1e-8},
      // Absolute in erf: 2e-8 is a third of an ULP of 1 + erf.
      {"erf_rational", 2e-8},
      // The product form of erfc's tail, relative: 1e-9 is 0.008 ULP (the
      // accurate GELU'), 2e-8 0.17 ULP (erfc_fast's).
      {"erfc_product", 1e-9},
      {"erfc_product_fast", 2e-8},
      // GELU' itself, absolute: each bound just above its fit.
      {"gelu_derivative_rational_d2", 2e-2},
      {"gelu_derivative_rational_d3", 2.5e-3},
      {"gelu_derivative_rational_d4", 1e-4},
      {"gelu_derivative_rational_d5", 7e-6},
      {"gelu_derivative_rational_d6", 1.5e-7},
      {"gelu_tanh_derivative_rational_d2", 2e-2},
      {"gelu_tanh_derivative_rational_d3", 2e-3},
      {"gelu_tanh_derivative_rational_d4", 1e-4},
      {"gelu_tanh_derivative_rational_d5", 5e-6},
      {"gelu_tanh_derivative_rational_d6", 3e-7},
      {"gelu_sigmoid_derivative_rational_d2", 1e-2},
      {"gelu_sigmoid_derivative_rational_d3", 3e-4},
      {"gelu_sigmoid_derivative_rational_d4", 1e-4},
      {"gelu_sigmoid_derivative_rational_d5", 4.5e-6},
      {"gelu_sigmoid_derivative_rational_d6", 2e-7},
  };
  ASSERT_EQ(std::size(kFittedTables), fitCatalog().size());
  for (const FitEntry &entry : fitCatalog()) {
    const FittedTable *e = nullptr;
    for (const FittedTable &candidate : kFittedTables)
      if (entry.name == candidate.name)
        e = &candidate;
    ASSERT_NE(e, nullptr) << "no table for fit " << entry.name;
    double bound = 0;
    for (auto [name, b] : bounds)
      if (entry.name == name)
        bound = b;
    ASSERT_GT(bound, 0) << "no bound for fit " << entry.name;
    ASSERT_EQ(e->size, static_cast<size_t>(entry.problem.degree + 1));
    ASSERT_EQ(e->denominatorSize,
              entry.problem.denominatorDegree
                  ? static_cast<size_t>(entry.problem.denominatorDegree + 1)
                  : 0u);
    MinimaxFit table;
    table.coefficients.assign(e->coefficients, e->coefficients + e->size);
    if (e->denominator)
      table.denominator.assign(e->denominator,
                               e->denominator + e->denominatorSize);
    long double worst = 0;
    const MinimaxProblem &p = entry.problem;
    for (int i = 0; i <= 100000; ++i) {
      long double x = p.lo + (p.hi - p.lo) * i / 100000;
      worst = std::max(
          worst, fabsl((evaluateFit(table, x) - p.function(x)) * p.weight(x)));
    }
    EXPECT_LE(worst, bound) << entry.name;
    EXPECT_LE(worst, e->maxError * 1.01) << entry.name;
  }
}

/// The centred tail tables (tanh GELU's default and its lower degrees from
/// kPiecewiseTailMinDegree; a derivative's root-factored table where
/// hasCentredTailTable says so): on a dense grid
/// of u in [0, limit], the lane's interval chosen as the kernel does
/// (t = u·(a + b·u) in f32 FMAs, rounded to the nearest k) and the
/// polynomial evaluated in long double at v = u − c_k (exact in f32): its
/// relative error against what the table holds (a gate's g(−u); a
/// derivative's GELU'(−u)/(u − u0)) within the table's maxError, and the
/// table reaching further than the even table of the same function and
/// degree, past where the gate is under 2^−25 (x above the table is x), and
/// the lower the degree, the shorter.
TEST(FittedPolynomials, CentredTailTablesReachFurtherWithinTheirError) {
  unsigned tested = 0;
  for (ReferenceFunction function : piecewiseFunctions()) {
    if (!hasCentredTailTable(function))
      continue;
    const bool derivative = isDerivative(function);
    double longer = INFINITY;
    for (unsigned degree = kPiecewiseMaxDegree;
         degree >= (derivative ? kPiecewiseMaxDegree : kPiecewiseTailMinDegree);
         --degree) {
      SCOPED_TRACE(stringifyReferenceFunction(function).str() + " degree " +
                   std::to_string(degree));
      ++tested;
      const PiecewiseCoefficients table =
          derivative ? piecewiseRootCoefficients(function)
          : degree == kPiecewiseMaxDegree
              ? tailPiecewiseCoefficients(function)
              : lowDegreeTailCoefficients(function, degree);
      ASSERT_EQ(table.degree, degree);
      const long double root =
          derivative ? piecewiseDerivativeRoot(function) : 0.0L;
      const PiecewiseDomain &domain = table.domain;
      ASSERT_TRUE(domain.centred);
      ASSERT_LT(domain.grading, 0.0) << "intervals narrowing with u";
      ASSERT_LE(domain.intervals, kPiecewiseMaxIntervals);
      EXPECT_EQ(domain.limit, piecewiseCentre(domain, domain.intervals - 1));
      if (degree == kPiecewiseMaxDegree) {
        EXPECT_GT(domain.limit,
                  piecewiseDomain(function, kPiecewiseMaxDegree).limit + 1.4);
        EXPECT_LE(table.maxError, kCentredTailEstimate);
      } else {
        EXPECT_GT(domain.limit, piecewiseDomain(function, degree).limit);
        EXPECT_LE(evaluateReference(function, -domain.limit) / -domain.limit,
                  0x1p-25L);
        // The estimate is of the interpolant in long double; the f32
        // coefficients add about 2^−24 more.
        EXPECT_LE(table.maxError, kCentredLowDegreeTailEstimate + 0x1p-24);
      }
      EXPECT_LT(domain.limit, longer);
      longer = domain.limit;
      const float a = static_cast<float>(1 / domain.step);
      const float b = static_cast<float>(-domain.grading);
      long double worst = 0;
      for (int i = 0; i <= 200000; ++i) {
        const float u = static_cast<float>(domain.limit * i / 200000);
        const float t = u * std::fma(u, b, a);
        const unsigned k = static_cast<unsigned>(std::lround(t));
        ASSERT_LT(k, domain.intervals) << "u = " << u;
        const float v = u - piecewiseCentre(domain, k);
        ASSERT_EQ(static_cast<double>(v),
                  static_cast<double>(u) - piecewiseCentre(domain, k))
            << "v not exact at u = " << u;
        long double fit = 0;
        for (unsigned j = table.degree + 1; j-- > 0;)
          fit = fit * v + table.coefficients[k * (table.degree + 1) + j];
        // A gate's g(−u) = f(−u)/(−u), g(0) = 1/2; a derivative's R away
        // from its zero, where long double's quotient is exact enough.
        long double exact;
        if (!derivative)
          exact = u == 0 ? 0.5L : evaluateReference(function, -u) / -u;
        else if (fabsl(u - root) > 1e-6L)
          exact = evaluateReference(function, -u) / (u - root);
        else
          continue;
        worst = std::max(worst, fabsl(fit / exact - 1));
      }
      EXPECT_LE(worst, table.maxError * 1.01);
    }
  }
  EXPECT_GT(tested, 0u);
}

/// piecewise_tail's lower degrees end their tables where their relative
/// error grows (lowDegreeTailCoefficients): not before the gate is under
/// 2^−25 (nor, for exact GELU, before its tail's table starts); past that
/// point, at the first interval that errs past the bound, and where that
/// point did not decide it, every interval below errs within the bound.
/// Sampled independently of the library's own grid (f32 u, as a kernel
/// sees it).
TEST(FittedPolynomials, LowDegreeTailTablesEndWhereTheyStayAccurate) {
  const ReferenceFunction gates[] = {
      ReferenceFunction::GeluExact, ReferenceFunction::GeluTanh,
      ReferenceFunction::GeluSigmoid, ReferenceFunction::Silu};
  auto gate = [](ReferenceFunction f, long double u) {
    return u == 0 ? 0.5L : evaluateReference(f, -u) / -u;
  };
  unsigned shortened = 0;
  for (ReferenceFunction function : gates) {
    if (hasCentredTailTable(function))
      continue; // its own tables (CentredTailTablesReachFurther...)
    for (unsigned degree = kPiecewiseTailMinDegree;
         degree < kPiecewiseMaxDegree; ++degree) {
      SCOPED_TRACE(stringifyReferenceFunction(function).str() + " degree " +
                   std::to_string(degree));
      const PiecewiseCoefficients whole =
          piecewiseCoefficients(function, degree);
      const PiecewiseCoefficients table =
          lowDegreeTailCoefficients(function, degree);
      const PiecewiseDomain &domain = table.domain;
      ASSERT_LE(domain.limit, whole.domain.limit);
      const double step = domain.step;
      // The relative error of interval k, in units of 2^−24, on f32 u.
      auto error = [&](unsigned k) {
        const double lo = std::max(0.0, (k - 0.5) * step);
        long double worst = 0;
        for (int i = 0; i <= 4000; ++i) {
          const float u =
              static_cast<float>(lo + (k + 0.5 - lo / step) * step * i / 4000);
          const long double v = u / step - k;
          long double p = 0;
          for (unsigned j = degree + 1; j-- > 0;)
            p = p * v + table.coefficients[k * (degree + 1) + j];
          worst = std::max(worst, fabsl(p / gate(function, u) - 1) * 0x1p24L);
        }
        return worst;
      };
      long double early = 0;
      for (unsigned k = 0; (k - 0.5) * step < 3.0; ++k)
        early = std::max(early, error(k));
      const long double bound = std::max<long double>(
          kLowDegreeTailError, kLowDegreeTailGrowth * early);
      if (domain.limit == whole.domain.limit)
        continue;
      ++shortened;
      const double floor =
          function == ReferenceFunction::GeluExact ? gaussTailStart() : 0;
      EXPECT_LE(gate(function, domain.limit), 0x1p-25L);
      EXPECT_GE(domain.limit, floor);
      // The table ends at an edge, before an interval past the bound.
      const unsigned next =
          static_cast<unsigned>(std::lround(domain.limit / step + 0.5));
      EXPECT_EQ((next - 0.5) * step, domain.limit);
      EXPECT_GT(error(next), bound / 1.02);
      // Where the gate's 2^−25 did not place the end, every interval below
      // it is within the bound.
      if (gate(function, domain.limit - step) <= 0x1p-25L &&
          domain.limit - step >= floor) {
        for (unsigned k = 0; k < next; ++k)
          EXPECT_LE(error(k), bound * 1.02) << "interval " << k;
      }
    }
  }
  // Exact GELU's degrees 5 and 6 at least.
  EXPECT_GE(shortened, 2u);
}

/// piecewise_tail's own table (the default) is of tailTableDegree: degree 7
/// for exact and tanh GELU, 5 for sigmoid GELU and SiLU, whose degree-5
/// tables fill all 31 intervals (hasEvenFullTables), keep degree 7's reach
/// (the tail starts where it does there) and whose relative error on the
/// table stays within 2^−23 (f32 coefficients against the long-double
/// gate, on a grid of each interval).
TEST(FittedPolynomials, OwnTailTableIsOfTailTableDegree) {
  const ReferenceFunction gates[] = {
      ReferenceFunction::GeluExact, ReferenceFunction::GeluTanh,
      ReferenceFunction::GeluSigmoid, ReferenceFunction::Silu};
  for (ReferenceFunction function : gates) {
    SCOPED_TRACE(stringifyReferenceFunction(function).str());
    const PiecewiseCoefficients own = tailPiecewiseCoefficients(function);
    EXPECT_EQ(own.degree, tailTableDegree(function));
    const bool lower = function == ReferenceFunction::GeluSigmoid ||
                       function == ReferenceFunction::Silu;
    EXPECT_EQ(own.degree, lower ? 5u : kPiecewiseMaxDegree);
    EXPECT_EQ(hasEvenFullTables(function), lower);
    if (!lower)
      continue;
    const PiecewiseDomain &seven =
        piecewiseCoefficients(function, kPiecewiseMaxDegree).domain;
    EXPECT_EQ(own.domain.limit, seven.limit);
    EXPECT_EQ(own.domain.step, seven.step);
    EXPECT_EQ(own.domain.intervals, kPiecewiseMaxIntervals);
    const unsigned terms = own.degree + 1;
    long double worst = 0;
    for (unsigned k = 0; k < own.domain.intervals; ++k)
      for (int i = 0; i <= 256; ++i) {
        const long double v = -0.5L + i / 256.0L;
        const long double u = (k + v) * own.domain.step;
        if (u < 0 || u > own.domain.limit)
          continue;
        long double p = 0;
        for (unsigned j = terms; j-- > 0;)
          p = p * v + own.coefficients[k * terms + j];
        const long double gate =
            u == 0 ? 0.5L : evaluateReference(function, -u) / -u;
        worst = std::max(worst, fabsl(p / gate - 1));
      }
    EXPECT_LE(worst, 0x1p-23L);
  }
}

/// The derivatives' root-factored tables (gelu_backward's piecewise_tail):
/// of rootTableDegree (6 for exact and sigmoid GELU', 7 for tanh GELU'),
/// on all 31 intervals of rootTableDomain reaching past the clamp, and
/// (u − u0)·R(u) within its bound of GELU'(−u) relative on a grid of each
/// interval, with the lane's interval chosen as the kernel does (u/step in
/// an f32 FMA, rounded to the nearest k) and the f32 coefficients evaluated
/// in long double. The bounds are just above what the tables reach (9.2e-8,
/// 1.1e-7, 6.7e-8; degree 7 on the power-of-two tables had 9.1e-8, 2.0e-7
/// and 1.1e-7): a worse refit fails here.
TEST(FittedPolynomials, DerivativeRootTablesKeepTheirAccuracy) {
  const struct {
    ReferenceFunction function;
    unsigned degree;
    long double bound;
  } derivatives[] = {{ReferenceFunction::GeluExactDerivative, 6, 1.0e-7L},
                     {ReferenceFunction::GeluTanhDerivative, 7, 1.2e-7L},
                     {ReferenceFunction::GeluSigmoidDerivative, 6, 7.5e-8L}};
  for (auto [function, degree, bound] : derivatives) {
    SCOPED_TRACE(stringifyReferenceFunction(function).str());
    const PiecewiseCoefficients table = piecewiseRootCoefficients(function);
    EXPECT_EQ(table.degree, degree);
    EXPECT_EQ(rootTableDegree(function), degree);
    const PiecewiseDomain &domain = table.domain;
    EXPECT_EQ(domain.intervals, kPiecewiseMaxIntervals);
    EXPECT_FALSE(domain.centred);
    EXPECT_EQ(domain.grading, 0.0);
    EXPECT_GE(domain.limit, rationalClamp(function, kRationalMaxDegree));
    const long double root = piecewiseDerivativeRoot(function);
    const float inverseStep = static_cast<float>(1 / domain.step);
    const unsigned terms = table.degree + 1;
    long double worst = 0;
    for (int i = 0; i <= 300000; ++i) {
      const float u = static_cast<float>(domain.limit * i / 300000);
      const float shifted = std::fma(u, inverseStep, 0x1.8p23f);
      const float k = shifted - 0x1.8p23f;
      const float v = std::fma(u, inverseStep, -k);
      const auto interval = static_cast<unsigned>(k);
      ASSERT_LT(interval, domain.intervals) << "u = " << u;
      long double r = 0;
      for (unsigned j = terms; j-- > 0;)
        r = r * v + table.coefficients[interval * terms + j];
      const long double q = evaluateReference(function, -u);
      if (fabsl(u - root) < 1e-3L)
        continue; // q all cancellation: R's error is measured beside it
      worst = std::max(worst, fabsl((u - root) * r / q - 1));
    }
    EXPECT_LE(worst, bound);
  }
}

/// The ladder's tables are evaluated expanded in the lane's own variable w
/// (u, or t on a graded domain; isExpandedPiecewise): each interval's
/// expanded polynomial, f32 coefficients evaluated exactly, is its centred
/// one to within what the rounding may leave: the constant's half ULP and
/// each higher coefficient's rounding error times the deviation of its
/// power's best lower-degree approximation, 2·(width/4)^m. Rounding the
/// expanded coefficients without carrying their errors down would leave
/// errors growing as w^m (w up to 31), past this bound.
TEST(FittedPolynomials, ExpandedTablesAreTheirCentredPolynomials) {
  unsigned tables = 0;
  for (ReferenceFunction function : piecewiseFunctions())
    for (bool graded : {false, true})
      for (unsigned degree = 1; degree <= kPiecewiseLadderMaxDegree; ++degree) {
        SCOPED_TRACE(stringifyReferenceFunction(function).str() +
                     (graded ? " graded" : "") + " degree " +
                     std::to_string(degree));
        const PiecewiseCoefficients fit =
            graded ? gradedPiecewiseCoefficients(function, degree)
                   : piecewiseCoefficients(function, degree);
        ASSERT_TRUE(isExpandedPiecewise(fit.domain, degree));
        const std::vector<double> expanded = expandedPiecewiseCoefficients(fit);
        ASSERT_EQ(expanded.size(), fit.coefficients.size());
        const unsigned terms = degree + 1;
        // v = s·w − k: s the f32 1/step on an even domain, 1 on a graded
        // one (w = t).
        const long double s =
            graded ? 1.0L : static_cast<float>(1.0 / fit.domain.step);
        for (unsigned k = 0; k < fit.domain.intervals; ++k) {
          const double *b = &expanded[k * terms];
          const double *a = &fit.coefficients[k * terms];
          const long double lo = std::max(0.0L, (k - 0.5L) / s);
          const long double width = (k + 0.5L) / s - lo;
          long double bound = 0x1p-24L * fabsl(b[0]);
          for (unsigned m = 1; m < terms; ++m) {
            EXPECT_EQ(b[m], static_cast<float>(b[m]));
            bound += 0x1p-24L * fabsl(b[m]) * 2 * powl(width / 4, m);
          }
          EXPECT_EQ(b[0], static_cast<float>(b[0]));
          long double worst = 0;
          for (int i = 0; i <= 512; ++i) {
            const long double w = lo + width * i / 512;
            const long double v = s * w - k;
            long double centred = 0, inW = 0;
            for (unsigned j = terms; j-- > 0;) {
              centred = centred * v + a[j];
              inW = inW * w + b[j];
            }
            worst = std::max(worst, fabsl(inW - centred));
          }
          EXPECT_LE(worst, bound * 1.01L) << "interval " << k;
        }
        ++tables;
      }
  EXPECT_EQ(tables,
            piecewiseFunctions().size() * 2 * kPiecewiseLadderMaxDegree);
  // Not the degrees above the ladder's, nor the centred tail tables: their
  // ULP budgets would not absorb w's rounding.
  EXPECT_FALSE(
      isExpandedPiecewise(piecewiseCoefficients(ReferenceFunction::GeluExact,
                                                kPiecewiseLadderMaxDegree + 1)
                              .domain,
                          kPiecewiseLadderMaxDegree + 1));
  const PiecewiseCoefficients centred =
      tailPiecewiseCoefficients(ReferenceFunction::GeluTanh);
  EXPECT_FALSE(isExpandedPiecewise(centred.domain, centred.degree));
}

/// The long-double reference, which the exhaustive sweeps use for speed,
/// agrees with MPFR at 128 bits to far below an f32 ULP.
TEST(Reference, AgreesWithMpfr) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> wide(-20.0f, 20.0f);
  for (ReferenceFunction f :
       {ReferenceFunction::GeluExact, ReferenceFunction::GeluTanh,
        ReferenceFunction::GeluSigmoid, ReferenceFunction::Silu}) {
    double worst = 0;
    for (int i = 0; i < 3000; ++i) {
      float x = wide(rng);
      worst = std::max(
          worst, ulpError(static_cast<double>(evaluateReference(f, x)),
                          evaluateReferenceMpfr(f, x), FloatFormat::f32()));
    }
    EXPECT_LT(worst, 1e-6) << stringifyReferenceFunction(f).str();
  }
}

} // namespace
