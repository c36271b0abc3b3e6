//===- RemezTest.cpp - The minimax fitter and the generated tables -------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Remez.h"
#include "gelu/Numerics/FitCatalog.h"
#include "gelu/Numerics/MpfrReference.h"

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
  struct Expect {
    const char *name;
    const double *coefficients;
    size_t size;
    double recordedError;
    double bound;
    const double *denominator = nullptr;
    size_t denominatorSize = 0;
  } expects[] = {
      // 5e-9 is 0.04 ULP: the erfc fit is not what limits exact GELU.
      {"erfc_log", kFit_erfc_log, std::size(kFit_erfc_log),
       kFit_erfc_log_maxError, 5e-9},
      // The fast variant: ~7e-6, i.e. ~50 ULP of relative error in erfc,
      // far below 1e-6 absolute in GELU.
      {"erfc_log_fast", kFit_erfc_log_fast, std::size(kFit_erfc_log_fast),
       kFit_erfc_log_fast_maxError, 1e-5},
      // Only ~1e-3 is needed: it multiplies t's ~1e-7 rounding error.
      {"erfc_log_slope", kFit_erfc_log_slope, std::size(kFit_erfc_log_slope),
       kFit_erfc_log_slope_maxError, 1e-3},
      // Relative; GELU damps it by (erf/(1+erf)) ≤ 0.35.
      {"erf_odd", kFit_erf_odd, std::size(kFit_erf_odd), kFit_erf_odd_maxError,
       1e-7},
      // Relative to Φ: 1e-8 is a tenth of an ULP of GELU for x ≥ 0.
      {"gelu_rational", kFit_gelu_rational, std::size(kFit_gelu_rational),
       kFit_gelu_rational_maxError, 1e-8, kFit_gelu_rational_denominator,
       std::size(kFit_gelu_rational_denominator)},
      // The lower degrees: each bound just above its fit (gelu-fit), so a
      // worse fit fails here before it reaches a budget.
      {"gelu_rational_d2", kFit_gelu_rational_d2,
       std::size(kFit_gelu_rational_d2), kFit_gelu_rational_d2_maxError, 2.5e-3,
       kFit_gelu_rational_d2_denominator,
       std::size(kFit_gelu_rational_d2_denominator)},
      {"gelu_rational_d3", kFit_gelu_rational_d3,
       std::size(kFit_gelu_rational_d3), kFit_gelu_rational_d3_maxError, 2e-4,
       kFit_gelu_rational_d3_denominator,
       std::size(kFit_gelu_rational_d3_denominator)},
      {"gelu_rational_d4", kFit_gelu_rational_d4,
       std::size(kFit_gelu_rational_d4), kFit_gelu_rational_d4_maxError, 2.5e-6,
       kFit_gelu_rational_d4_denominator,
       std::size(kFit_gelu_rational_d4_denominator)},
      {"gelu_rational_d5", kFit_gelu_rational_d5,
       std::size(kFit_gelu_rational_d5), kFit_gelu_rational_d5_maxError, 1e-6,
       kFit_gelu_rational_d5_denominator,
       std::size(kFit_gelu_rational_d5_denominator)},
      // Absolute in erf: 2e-8 is a third of an ULP of 1 + erf.
      {"erf_rational", kFit_erf_rational, std::size(kFit_erf_rational),
       kFit_erf_rational_maxError, 2e-8, kFit_erf_rational_denominator,
       std::size(kFit_erf_rational_denominator)},
      // The product form of erfc's tail, relative: 1e-9 is 0.008 ULP (the
      // accurate GELU'), 2e-8 0.17 ULP (erfc_fast's).
      {"erfc_product", kFit_erfc_product, std::size(kFit_erfc_product),
       kFit_erfc_product_maxError, 1e-9},
      {"erfc_product_fast", kFit_erfc_product_fast,
       std::size(kFit_erfc_product_fast), kFit_erfc_product_fast_maxError,
       2e-8},
      // GELU' itself, absolute: each bound just above its fit.
      {"gelu_derivative_rational_d2", kFit_gelu_derivative_rational_d2,
       std::size(kFit_gelu_derivative_rational_d2),
       kFit_gelu_derivative_rational_d2_maxError, 2e-2,
       kFit_gelu_derivative_rational_d2_denominator,
       std::size(kFit_gelu_derivative_rational_d2_denominator)},
      {"gelu_derivative_rational_d3", kFit_gelu_derivative_rational_d3,
       std::size(kFit_gelu_derivative_rational_d3),
       kFit_gelu_derivative_rational_d3_maxError, 2.5e-3,
       kFit_gelu_derivative_rational_d3_denominator,
       std::size(kFit_gelu_derivative_rational_d3_denominator)},
      {"gelu_derivative_rational_d4", kFit_gelu_derivative_rational_d4,
       std::size(kFit_gelu_derivative_rational_d4),
       kFit_gelu_derivative_rational_d4_maxError, 1e-4,
       kFit_gelu_derivative_rational_d4_denominator,
       std::size(kFit_gelu_derivative_rational_d4_denominator)},
      {"gelu_derivative_rational_d5", kFit_gelu_derivative_rational_d5,
       std::size(kFit_gelu_derivative_rational_d5),
       kFit_gelu_derivative_rational_d5_maxError, 7e-6,
       kFit_gelu_derivative_rational_d5_denominator,
       std::size(kFit_gelu_derivative_rational_d5_denominator)},
      {"gelu_derivative_rational_d6", kFit_gelu_derivative_rational_d6,
       std::size(kFit_gelu_derivative_rational_d6),
       kFit_gelu_derivative_rational_d6_maxError, 1.5e-7,
       kFit_gelu_derivative_rational_d6_denominator,
       std::size(kFit_gelu_derivative_rational_d6_denominator)},
  };
  for (const FitEntry &entry : fitCatalog()) {
    const Expect *e = nullptr;
    for (const Expect &candidate : expects)
      if (entry.name == candidate.name)
        e = &candidate;
    ASSERT_NE(e, nullptr) << "no bound for fit " << entry.name;
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
    EXPECT_LE(worst, e->bound) << entry.name;
    EXPECT_LE(worst, e->recordedError * 1.01) << entry.name;
  }
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
