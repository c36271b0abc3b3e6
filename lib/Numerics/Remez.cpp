//===- Remez.cpp - Minimax polynomial and rational fits ------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Remez.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace gelu {

long double evaluatePolynomial(const std::vector<long double> &c,
                               long double x) {
  long double acc = 0;
  for (auto it = c.rbegin(); it != c.rend(); ++it)
    acc = acc * x + *it;
  return acc;
}

long double evaluateFit(const MinimaxFit &fit, long double x) {
  long double p = evaluatePolynomial(fit.coefficients, x);
  return fit.denominator.empty() ? p
                                 : p / evaluatePolynomial(fit.denominator, x);
}

/// Solves a·x = b in place by Gaussian elimination with partial pivoting.
static bool solve(std::vector<std::vector<long double>> &a,
                  std::vector<long double> &b) {
  size_t n = b.size();
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t row = col + 1; row < n; ++row)
      if (fabsl(a[row][col]) > fabsl(a[pivot][col]))
        pivot = row;
    if (a[pivot][col] == 0)
      return false;
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (size_t row = col + 1; row < n; ++row) {
      long double f = a[row][col] / a[col][col];
      for (size_t k = col; k < n; ++k)
        a[row][k] -= f * a[col][k];
      b[row] -= f * b[col];
    }
  }
  for (size_t col = n; col-- > 0;) {
    for (size_t k = col + 1; k < n; ++k)
      b[col] -= a[col][k] * b[k];
    b[col] /= a[col][col];
  }
  return true;
}

namespace {
/// The weighted error of a fit against the problem at x.
struct ErrorFunction {
  const MinimaxProblem &problem;
  const MinimaxFit &fit;
  long double operator()(long double x) const {
    return (evaluateFit(fit, x) - problem.function(x)) * problem.weight(x);
  }
};
} // namespace

/// The largest |error| on `samples` + 1 evenly spaced points.
static long double maxAbsError(const ErrorFunction &error, int samples) {
  const MinimaxProblem &p = error.problem;
  long double worst = 0;
  for (int i = 0; i <= samples; ++i)
    worst = std::max(worst, fabsl(error(p.lo + (p.hi - p.lo) * i / samples)));
  return worst;
}

/// The Chebyshev extrema of [lo, hi], `count` of them: the first reference.
static std::vector<long double> chebyshevReference(const MinimaxProblem &p,
                                                   size_t count) {
  std::vector<long double> ref(count);
  for (size_t i = 0; i < count; ++i)
    ref[i] = p.lo + (p.hi - p.lo) * 0.5L *
                        (1 - cosl(3.14159265358979323846L * i / (count - 1)));
  return ref;
}

static llvm::Error notAlternating() {
  return llvm::createStringError(
      "minimax: the error does not alternate enough (degree too high for the "
      "function's precision?)");
}

/// The extrema of `error` on a grid, one per run of equal sign, merged until
/// exactly `count` alternating points remain (dropping the smallest at the
/// ends or merging adjacent equal-sign points).
static std::vector<long double> alternatingExtrema(const ErrorFunction &error,
                                                   long double lo,
                                                   long double hi, size_t count,
                                                   int samples) {
  std::vector<long double> points;
  std::vector<long double> values;
  for (int i = 0; i <= samples; ++i) {
    // Chebyshev-spaced samples resolve the ends, where extrema crowd.
    long double x = lo + (hi - lo) * 0.5L *
                             (1 - cosl(3.14159265358979323846L * i / samples));
    long double e = error(x);
    if (!points.empty() && std::signbit(e) == std::signbit(values.back())) {
      if (fabsl(e) > fabsl(values.back())) {
        points.back() = x;
        values.back() = e;
      }
      continue;
    }
    points.push_back(x);
    values.push_back(e);
  }
  while (points.size() > count) {
    // Drop the smaller end; alternation is kept.
    if (fabsl(values.front()) < fabsl(values.back())) {
      points.erase(points.begin());
      values.erase(values.begin());
    } else {
      points.pop_back();
      values.pop_back();
    }
  }
  return points;
}

/// One exchange step after a solve: measures the fit's error, moves the
/// reference to the error's new alternating extrema, and says whether the
/// error is levelled (its maximum within 0.01% of the solved |E|).
static llvm::Expected<bool> exchange(const ErrorFunction &error,
                                     MinimaxFit &fit,
                                     std::vector<long double> &ref,
                                     long double levelled, int iteration) {
  const MinimaxProblem &p = error.problem;
  const int samples = 8000;
  std::vector<long double> next =
      alternatingExtrema(error, p.lo, p.hi, ref.size(), samples);
  fit.maxError = maxAbsError(error, samples);
  fit.iterations = iteration;
  if (next.size() < ref.size())
    return notAlternating();
  ref = std::move(next);
  return fit.maxError <= fabsl(levelled) * 1.0001L;
}

/// Minimises ‖a·x − b‖₂ by Householder QR (better conditioned than the
/// normal equations); a has more rows than columns.
static bool leastSquares(std::vector<std::vector<long double>> a,
                         std::vector<long double> b,
                         std::vector<long double> &x) {
  const size_t rows = a.size(), cols = a[0].size();
  for (size_t col = 0; col < cols; ++col) {
    long double norm = 0;
    for (size_t r = col; r < rows; ++r)
      norm += a[r][col] * a[r][col];
    norm = sqrtl(norm);
    if (norm == 0)
      return false;
    long double alpha = a[col][col] > 0 ? -norm : norm;
    std::vector<long double> v(rows, 0);
    for (size_t r = col; r < rows; ++r)
      v[r] = a[r][col];
    v[col] -= alpha;
    long double vv = 0;
    for (size_t r = col; r < rows; ++r)
      vv += v[r] * v[r];
    if (vv == 0)
      continue;
    for (size_t k = col; k < cols; ++k) {
      long double dot = 0;
      for (size_t r = col; r < rows; ++r)
        dot += v[r] * a[r][k];
      for (size_t r = col; r < rows; ++r)
        a[r][k] -= 2 * dot / vv * v[r];
    }
    long double dot = 0;
    for (size_t r = col; r < rows; ++r)
      dot += v[r] * b[r];
    for (size_t r = col; r < rows; ++r)
      b[r] -= 2 * dot / vv * v[r];
  }
  x.assign(cols, 0);
  for (size_t col = cols; col-- > 0;) {
    long double acc = b[col];
    for (size_t k = col + 1; k < cols; ++k)
      acc -= a[col][k] * x[k];
    if (a[col][col] == 0)
      return false;
    x[col] = acc / a[col][col];
  }
  return true;
}

/// A pole-free starting point for the rational exchange: the weighted
/// least-squares fit of P − f·Q on a dense grid, reweighted by 1/Q of the
/// previous pass so that it approaches the error P/Q − f itself
/// (Sanathanan–Koerner). Starting the exchange from Chebyshev points
/// instead often puts a pole of the first P/Q inside the interval.
static bool leastSquaresRational(const MinimaxProblem &problem,
                                 MinimaxFit &fit) {
  const int n = problem.degree, m = problem.denominatorDegree;
  const size_t points = 40 * static_cast<size_t>(n + m + 2);
  std::vector<long double> xs = chebyshevReference(problem, points);
  for (int pass = 0; pass < 8; ++pass) {
    std::vector<std::vector<long double>> a(
        points, std::vector<long double>(n + m + 1));
    std::vector<long double> b(points);
    for (size_t i = 0; i < points; ++i) {
      long double f = problem.function(xs[i]);
      long double scale =
          problem.weight(xs[i]) / evaluatePolynomial(fit.denominator, xs[i]);
      long double power = 1;
      for (int k = 0; k <= std::max(n, m); ++k, power *= xs[i]) {
        if (k <= n)
          a[i][k] = scale * power;
        if (k >= 1 && k <= m)
          a[i][n + k] = -scale * f * power;
      }
      b[i] = scale * f;
    }
    std::vector<long double> solution;
    if (!leastSquares(a, b, solution))
      return false;
    std::copy(solution.begin(), solution.begin() + n + 1,
              fit.coefficients.begin());
    std::copy(solution.begin() + n + 1, solution.end(),
              fit.denominator.begin() + 1);
  }
  return true;
}

/// The rational Remez iteration: on each reference x_i, P(x_i) −
/// (f_i + (−1)^i·E/w_i)·Q(x_i) = 0 with Q's constant term 1. That is
/// linear in P, Q and E once the E that multiplies Q's higher terms is
/// taken from the previous solve; a few solves settle E.
static llvm::Expected<MinimaxFit> fitRational(const MinimaxProblem &problem) {
  const int n = problem.degree, m = problem.denominatorDegree;
  const size_t count = static_cast<size_t>(n + m + 2);
  if (n < 0 || !problem.fixedLow.empty() || !(problem.lo < problem.hi))
    return llvm::createStringError("minimax: bad rational problem");
  MinimaxFit fit;
  fit.coefficients.assign(n + 1, 0);
  fit.denominator.assign(m + 1, 0);
  fit.denominator[0] = 1;
  ErrorFunction error{problem, fit};
  const int samples = 8000;
  if (!leastSquaresRational(problem, fit))
    return llvm::createStringError("minimax: singular least-squares start");
  std::vector<long double> ref =
      alternatingExtrema(error, problem.lo, problem.hi, count, samples);
  if (ref.size() < count)
    ref = chebyshevReference(problem, count);
  // One linear solve with `guess` as the E that multiplies Q: returns the
  // solved E (and P, Q in `solution`); the levelled E is a fixed point.
  std::vector<long double> solution;
  auto solveWith = [&](long double guess, long double &solved) {
    std::vector<std::vector<long double>> a(count,
                                            std::vector<long double>(count));
    std::vector<long double> b(count);
    for (size_t i = 0; i < count; ++i) {
      long double f = problem.function(ref[i]);
      long double signedE = (i % 2 ? -1.0L : 1.0L) / problem.weight(ref[i]);
      long double target = f + signedE * guess;
      long double power = 1;
      for (int k = 0; k <= std::max(n, m); ++k, power *= ref[i]) {
        if (k <= n)
          a[i][k] = power;
        if (k >= 1 && k <= m)
          a[i][n + k] = -target * power;
      }
      a[i][n + m + 1] = -signedE;
      b[i] = f;
    }
    if (!solve(a, b))
      return false;
    solved = b[n + m + 1];
    solution = std::move(b);
    return true;
  };
  long double levelled = 0;
  for (int iteration = 1; iteration <= 80; ++iteration) {
    // The fixed point by the secant method, from the current fit's error
    // at the first reference point (plain iteration can diverge).
    long double e0 = error(ref[0]), g0;
    if (!solveWith(e0, g0))
      return llvm::createStringError("minimax: singular system");
    long double e1 = g0, g1;
    for (int settle = 0; settle < 50; ++settle) {
      if (!solveWith(e1, g1))
        return llvm::createStringError("minimax: singular system");
      long double h0 = g0 - e0, h1 = g1 - e1;
      if (fabsl(h1) <= 1e-12L * fabsl(e1) || h1 == h0)
        break;
      long double e2 = e1 - h1 * (e1 - e0) / (h1 - h0);
      e0 = e1;
      g0 = g1;
      e1 = e2;
    }
    levelled = e1;
    std::copy(solution.begin(), solution.begin() + n + 1,
              fit.coefficients.begin());
    std::copy(solution.begin() + n + 1, solution.begin() + n + m + 1,
              fit.denominator.begin() + 1);
    for (int i = 0; i <= samples; ++i) {
      long double x = problem.lo + (problem.hi - problem.lo) * i / samples;
      if (evaluatePolynomial(fit.denominator, x) <= 0)
        return llvm::createStringError(
            "minimax: the denominator vanishes on the interval (try other "
            "degrees)");
    }
    auto levelledNow = exchange(error, fit, ref, levelled, iteration);
    if (!levelledNow)
      return levelledNow.takeError();
    if (*levelledNow)
      return fit;
  }
  return fit;
}

llvm::Expected<MinimaxFit> fitMinimax(const MinimaxProblem &problem) {
  if (problem.denominatorDegree > 0)
    return fitRational(problem);
  const int n = problem.degree;
  const int fixed = static_cast<int>(problem.fixedLow.size());
  const int unknowns = n + 1 - fixed; // free coefficients
  const size_t count = static_cast<size_t>(unknowns) + 1;
  if (n < 0 || unknowns < 1 || !(problem.lo < problem.hi))
    return llvm::createStringError("minimax: bad degree or interval");
  std::vector<long double> ref = chebyshevReference(problem, count);

  MinimaxFit fit;
  fit.coefficients = problem.fixedLow;
  fit.coefficients.resize(n + 1, 0);
  ErrorFunction error{problem, fit};
  for (int iteration = 1; iteration <= 60; ++iteration) {
    // Σ_free c_k x_i^k + (−1)^i E / w(x_i) = f(x_i) − Σ_fixed c_k x_i^k.
    std::vector<std::vector<long double>> a(count,
                                            std::vector<long double>(count));
    std::vector<long double> b(count);
    for (size_t i = 0; i < count; ++i) {
      long double power = 1;
      long double known = 0;
      for (int k = 0; k <= n; ++k, power *= ref[i]) {
        if (k < fixed)
          known += problem.fixedLow[k] * power;
        else
          a[i][k - fixed] = power;
      }
      a[i][unknowns] = (i % 2 ? -1.0L : 1.0L) / problem.weight(ref[i]);
      b[i] = problem.function(ref[i]) - known;
    }
    if (!solve(a, b))
      return llvm::createStringError("minimax: singular system");
    std::copy(b.begin(), b.begin() + unknowns,
              fit.coefficients.begin() + fixed);
    long double levelled = fabsl(b[unknowns]);

    auto levelledNow = exchange(error, fit, ref, levelled, iteration);
    if (!levelledNow)
      return levelledNow.takeError();
    if (*levelledNow)
      return fit;
  }
  // Not perfectly levelled, but the fit and its measured error are valid.
  return fit;
}

llvm::Expected<MinimaxFit> fitMinimaxFloat(MinimaxProblem problem) {
  std::vector<long double> denominator;
  if (problem.denominatorDegree > 0) {
    auto real = fitMinimax(problem);
    if (!real)
      return real.takeError();
    for (long double q : real->denominator)
      denominator.push_back(static_cast<float>(q));
    // |P/Q − f|·w = |P − f·Q|·(w/Q): a polynomial problem for P.
    auto f = problem.function;
    auto w = problem.weight;
    problem.function = [f, denominator](long double x) {
      return f(x) * evaluatePolynomial(denominator, x);
    };
    problem.weight = [w, denominator](long double x) {
      return w(x) / evaluatePolynomial(denominator, x);
    };
    problem.denominatorDegree = 0;
  }
  MinimaxFit fit;
  while (static_cast<int>(problem.fixedLow.size()) <= problem.degree) {
    auto next = fitMinimax(problem);
    if (!next)
      return next.takeError();
    fit = std::move(*next);
    problem.fixedLow.push_back(
        static_cast<float>(fit.coefficients[problem.fixedLow.size()]));
  }
  fit.coefficients = problem.fixedLow;
  // Measured with the float coefficients; with the numerator's problem,
  // whose error equals the rational one's.
  fit.maxError = maxAbsError(ErrorFunction{problem, fit}, 200000);
  fit.denominator = denominator;
  return fit;
}

/// `c` moved by `steps` f32 values (up if positive).
static long double floatSteps(long double c, int steps) {
  float f = static_cast<float>(c);
  for (; steps > 0; --steps)
    f = std::nextafter(f, std::numeric_limits<float>::infinity());
  for (; steps < 0; ++steps)
    f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

/// fitMinimaxRounded's search (its comment): `coefficients`, f32 values,
/// are replaced by the best neighbours found.
static void searchRoundedCoefficients(const MinimaxProblem &problem,
                                      std::vector<long double> &coefficients) {
  constexpr int kSamples = 4000;
  std::vector<long double> xs, fs, ws;
  for (int i = 0; i <= kSamples; ++i) {
    long double x = problem.lo + (problem.hi - problem.lo) * i / kSamples;
    xs.push_back(x);
    fs.push_back(problem.function(x));
    ws.push_back(problem.weight(x));
  }
  auto errorOf = [&](const std::vector<long double> &c) {
    long double worst = 0;
    for (size_t i = 0; i < xs.size(); ++i)
      worst = std::max(worst,
                       fabsl((evaluatePolynomial(c, xs[i]) - fs[i]) * ws[i]));
    return worst;
  };
  std::vector<long double> best = coefficients;
  long double bestError = errorOf(best);
  auto consider = [&](const std::vector<long double> &c) {
    long double e = errorOf(c);
    if (e >= bestError)
      return false;
    best = c;
    bestError = e;
    return true;
  };
  constexpr int kReach = 2;
  const std::vector<long double> rounded = coefficients;
  const size_t low = std::min<size_t>(3, rounded.size());
  int combinations = 1;
  for (size_t j = 0; j < low; ++j)
    combinations *= 2 * kReach + 1;
  for (int n = 0; n < combinations; ++n) {
    std::vector<long double> c = rounded;
    for (size_t j = 0, m = n; j < low; ++j, m /= 2 * kReach + 1)
      c[j] = floatSteps(rounded[j],
                        static_cast<int>(m % (2 * kReach + 1)) - kReach);
    consider(c);
  }
  // A few sweeps: the high coefficients could otherwise walk on for long
  // for gains far below an ULP.
  constexpr int kSweeps = 4;
  for (int sweep = 0, improved = true; improved && sweep < kSweeps; ++sweep) {
    improved = false;
    for (size_t j = 0; j < best.size(); ++j)
      for (int steps : {-2, -1, 1, 2}) {
        std::vector<long double> c = best;
        c[j] = floatSteps(best[j], steps);
        improved |= consider(c);
      }
  }
  coefficients = best;
}

llvm::Expected<MinimaxFit> fitMinimaxRounded(const MinimaxProblem &problem) {
  assert(problem.denominatorDegree == 0 && problem.fixedLow.empty() &&
         "polynomials only");
  auto fit = fitMinimax(problem);
  if (!fit)
    return fit.takeError();
  for (long double &c : fit->coefficients)
    c = static_cast<float>(c);
  if (problem.searchRounding)
    searchRoundedCoefficients(problem, fit->coefficients);
  fit->maxError = maxAbsError(ErrorFunction{problem, *fit}, 20000);
  return fit;
}

} // namespace gelu
