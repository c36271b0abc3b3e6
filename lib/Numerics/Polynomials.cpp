//===- Polynomials.cpp - Coefficient tables of the expansions ------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Polynomials.h"

#include "gelu/Numerics/FitCatalog.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace gelu {

/// 1/k! for k = Degree..0, computed rather than typed in (k! is exact in
/// double up to 18!, so each is 1/k! correctly rounded).
template <int Degree>
static constexpr std::array<double, Degree + 1> makeExpTaylor() {
  static_assert(Degree <= 18, "k! exact in double");
  std::array<double, Degree + 1> c{};
  double factorial = 1.0;
  for (int k = 0; k <= Degree; ++k) {
    if (k > 0)
      factorial *= k;
    c[Degree - k] = 1.0 / factorial;
  }
  return c;
}

llvm::ArrayRef<double> expTaylorCoefficients() {
  static constexpr auto coefficients = makeExpTaylor<7>();
  return coefficients;
}

llvm::ArrayRef<double> expTaylorCoefficientsF64() {
  static constexpr auto coefficients = makeExpTaylor<13>();
  return coefficients;
}

namespace {
#include "gelu/Numerics/FittedPolynomials.inc"
} // namespace

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

/// The rational fit `name`, highest degree first (every table reversed
/// once, on first use).
static RationalCoefficients rationalFit(llvm::StringRef name) {
  struct Reversed {
    llvm::StringRef name;
    std::vector<double> numerator, denominator;
  };
  static const std::vector<Reversed> fits = [] {
    std::vector<Reversed> out;
    for (const FittedTable &fit : kFittedTables)
      if (fit.denominator)
        out.push_back(
            {fit.name,
             {std::make_reverse_iterator(fit.coefficients + fit.size),
              std::make_reverse_iterator(fit.coefficients)},
             {std::make_reverse_iterator(fit.denominator + fit.denominatorSize),
              std::make_reverse_iterator(fit.denominator)}});
    return out;
  }();
  for (const Reversed &fit : fits)
    if (fit.name == name)
      return {fit.numerator, fit.denominator};
  llvm::report_fatal_error(llvm::Twine("no rational fit '") + name +
                           "' (FitCatalog.cpp)");
}

RationalCoefficients geluRationalCoefficients(ReferenceFunction function,
                                              unsigned degree) {
  return rationalFit(rationalFitName(function, degree));
}

RationalCoefficients erfRationalCoefficients() {
  return rationalFit("erf_rational");
}

/// The table `name` of FittedPolynomials.inc, on the domain gelu-fit wrote
/// with it.
static PiecewiseCoefficients piecewiseTable(const std::string &name,
                                            unsigned degree) {
  for (const PiecewiseTable &table : kPiecewiseTables)
    if (name == table.name) {
      assert(table.degree == degree && "the catalog's degree");
      return {{table.step, table.limit, table.intervals, table.grading,
               table.centred},
              degree,
              llvm::ArrayRef<double>(table.coefficients,
                                     table.intervals * (degree + 1)),
              table.maxError};
    }
  llvm::report_fatal_error(llvm::Twine("no piecewise fit '") + name +
                           "' (FitCatalog.cpp)");
}

PiecewiseCoefficients piecewiseCoefficients(ReferenceFunction function,
                                            unsigned degree) {
  return piecewiseTable(piecewiseFitName(function, degree), degree);
}

PiecewiseCoefficients gradedPiecewiseCoefficients(ReferenceFunction function,
                                                  unsigned degree) {
  return piecewiseTable(gradedPiecewiseFitName(function, degree), degree);
}

bool isExpandedPiecewise(const PiecewiseDomain &domain, unsigned degree) {
  return !domain.centred && degree <= kPiecewiseLadderMaxDegree;
}

/// A polynomial of at most the ladder's degree, lowest degree first.
using LadderPolynomial = std::array<long double, kPiecewiseLadderMaxDegree + 1>;

/// The coefficients in w of p(α·w + β), p of `degree`.
static LadderPolynomial composeAffine(const LadderPolynomial &p,
                                      unsigned degree, long double alpha,
                                      long double beta) {
  LadderPolynomial out{};
  for (unsigned n = 0; n <= degree; ++n) {
    long double binomial = 1; // C(n, i)
    for (unsigned i = 0; i <= n; ++i) {
      out[i] += p[n] * binomial * powl(alpha, i) * powl(beta, n - i);
      binomial = binomial * (n - i) / (i + 1);
    }
  }
  return out;
}

std::vector<double>
expandedPiecewiseCoefficients(const PiecewiseCoefficients &fit) {
  assert(isExpandedPiecewise(fit.domain, fit.degree) && "not expanded");
  const PiecewiseDomain &domain = fit.domain;
  const unsigned degree = fit.degree, terms = degree + 1;
  const long double s =
      domain.grading
          ? 1.0L
          : static_cast<long double>(static_cast<float>(1.0 / domain.step));
  // Chebyshev polynomials T_m(y), lowest degree first.
  std::array<LadderPolynomial, kPiecewiseLadderMaxDegree + 1> chebyshev{};
  chebyshev[0][0] = 1;
  if (degree > 0)
    chebyshev[1][1] = 1;
  for (unsigned m = 2; m <= degree; ++m)
    for (unsigned i = 0; i <= m; ++i)
      chebyshev[m][i] =
          (i > 0 ? 2 * chebyshev[m - 1][i - 1] : 0.0L) - chebyshev[m - 2][i];
  std::vector<double> expanded;
  expanded.reserve(fit.coefficients.size());
  for (unsigned k = 0; k < domain.intervals; ++k) {
    // p(v) with v = s·w − k.
    LadderPolynomial a{};
    std::copy_n(&fit.coefficients[k * terms], terms, a.begin());
    LadderPolynomial b =
        composeAffine(a, degree, s, -static_cast<long double>(k));
    // The interval in w (lanes have w ≥ 0), and y = α·w + β on [−1, 1].
    const long double lo = std::max(0.0L, (k - 0.5L) / s), hi = (k + 0.5L) / s;
    const long double alpha = 2 / (hi - lo), beta = -(hi + lo) / (hi - lo);
    for (unsigned m = degree; m > 0; --m) {
      const long double rounded = static_cast<float>(b[m]);
      const long double error = b[m] - rounded;
      b[m] = rounded;
      // w^m − T_m(α·w + β)/(2^(m − 1)·α^m) has degree m − 1: its
      // coefficients, times the error, go to the lower ones.
      const LadderPolynomial inW = composeAffine(chebyshev[m], m, alpha, beta);
      const long double lead = powl(2.0L, m - 1) * powl(alpha, m);
      for (unsigned i = 0; i < m; ++i)
        b[i] -= error * inW[i] / lead;
    }
    b[0] = static_cast<float>(b[0]);
    for (unsigned m = 0; m < terms; ++m)
      expanded.push_back(static_cast<double>(b[m]));
  }
  return expanded;
}

PiecewiseCoefficients tailPiecewiseCoefficients(ReferenceFunction function) {
  if (unsigned degree = tailTableDegree(function); degree < kPiecewiseMaxDegree)
    return lowDegreeTailCoefficients(function, degree);
  if (!hasCentredTailTable(function))
    return piecewiseCoefficients(function, kPiecewiseMaxDegree);
  return piecewiseTable(tailPiecewiseFitName(function, kPiecewiseMaxDegree),
                        kPiecewiseMaxDegree);
}

/// The least u from which a table of `function` may end
/// (lowDegreeTailCoefficients): where its gate g(−u) is under 2^−25, so that
/// x above the end, taken as x − end·g(−end), is x to within half an ULP;
/// for exact GELU not before gaussTailStart, where the tail's table starts.
static double shortestReach(ReferenceFunction function) {
  long double lo = 1, hi = 64;
  for (int i = 0; i < 64; ++i) {
    long double mid = (lo + hi) / 2;
    (piecewiseTarget(function, mid) > 0x1p-25L ? lo : hi) = mid;
  }
  double reach = static_cast<double>(hi);
  if (function == ReferenceFunction::GeluExact)
    reach = std::max(reach, gaussTailStart());
  return reach;
}

/// The relative error of interval k of `fit` (an even table) against the
/// gate g(−u) it holds (piecewiseTarget), in units of 2^−24, on a grid of its v
/// within the table's domain.
static long double intervalError(ReferenceFunction function,
                                 const PiecewiseCoefficients &fit, unsigned k) {
  const unsigned terms = fit.degree + 1;
  long double worst = 0;
  constexpr int kPoints = 512;
  for (int i = 0; i <= kPoints; ++i) {
    const long double v = -0.5L + static_cast<long double>(i) / kPoints;
    const long double u = (k + v) * fit.domain.step;
    if (u < 0 || u > fit.domain.limit)
      continue;
    const long double gate = piecewiseTarget(function, u);
    long double p = fit.coefficients[k * terms + fit.degree];
    for (unsigned j = fit.degree; j-- > 0;)
      p = p * v + fit.coefficients[k * terms + j];
    worst = std::max(worst, std::fabs(p - gate) / gate * 0x1p24L);
  }
  return worst;
}

PiecewiseCoefficients lowDegreeTailCoefficients(ReferenceFunction function,
                                                unsigned degree) {
  assert(degree >= kPiecewiseTailMinDegree && degree < kPiecewiseMaxDegree &&
         "piecewise_tail's lower degrees");
  if (hasCentredTailTable(function))
    return piecewiseTable(tailPiecewiseFitName(function, degree), degree);
  static std::mutex mutex;
  static std::map<std::pair<ReferenceFunction, unsigned>, double> limits;
  PiecewiseCoefficients fit = piecewiseCoefficients(function, degree);
  assert(!fit.domain.grading && !fit.domain.centred && "an even table");
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, added] = limits.try_emplace({function, degree}, fit.domain.limit);
  if (added) {
    const PiecewiseDomain &domain = fit.domain;
    long double early = 0;
    for (unsigned k = 0; k < domain.intervals && (k - 0.5) * domain.step < 3.0;
         ++k)
      early = std::max(early, intervalError(function, fit, k));
    const long double bound = std::max<long double>(
        kLowDegreeTailError, kLowDegreeTailGrowth * early);
    const double floor = shortestReach(function);
    for (unsigned k = 0; k < domain.intervals; ++k) {
      const double end = (k - 0.5) * domain.step;
      if (end >= floor && intervalError(function, fit, k) > bound) {
        it->second = std::min(domain.limit, end);
        break;
      }
    }
  }
  fit.domain.limit = it->second;
  return fit;
}

PiecewiseCoefficients piecewiseRootCoefficients(ReferenceFunction function) {
  return piecewiseTable(piecewiseRootFitName(function),
                        rootTableDegree(function));
}

PiecewiseCoefficients gaussTailCoefficients() {
  return piecewiseTable(gaussTailFitName(), kGaussTailDegree);
}

ClampedPolynomialCoefficients
clampedPolynomialCoefficients(ReferenceFunction function, unsigned degree) {
  const std::string name = clampedPolynomialFitName(function, degree);
  for (const ClampedPolynomialTable &table : kClampedPolynomialTables)
    if (name == table.name)
      return {table.clamp,
              llvm::ArrayRef<double>(table.coefficients, table.size),
              table.maxError};
  llvm::report_fatal_error(llvm::Twine("no polynomial fit '") + name +
                           "' (FitCatalog.cpp)");
}

DoubleFitCoefficients doubleFitCoefficients(llvm::StringRef name) {
  for (const DoubleTable &t : kDoubleTables)
    if (name == t.name)
      return {llvm::ArrayRef<DoublePiece>(t.pieces, t.pieceCount), t.degree,
              llvm::ArrayRef<double>(t.coefficients,
                                     size_t(t.pieceCount) * (t.degree + 1)),
              t.maxError};
  llvm::report_fatal_error(llvm::Twine("no double fit named ") + name);
}

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
