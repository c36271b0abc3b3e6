//===- Remez.cpp - Minimax polynomial fits -------------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Remez.h"

#include <algorithm>
#include <cmath>

namespace gelu {

long double evaluatePolynomial(const std::vector<long double> &c,
                               long double x) {
  long double acc = 0;
  for (auto it = c.rbegin(); it != c.rend(); ++it)
    acc = acc * x + *it;
  return acc;
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
/// The weighted error of p against the problem at x.
struct ErrorFunction {
  const MinimaxProblem &problem;
  const std::vector<long double> &c;
  long double operator()(long double x) const {
    return (evaluatePolynomial(c, x) - problem.function(x)) * problem.weight(x);
  }
};
} // namespace

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

llvm::Expected<MinimaxFit> fitMinimax(const MinimaxProblem &problem) {
  const int n = problem.degree;
  const int fixed = static_cast<int>(problem.fixedLow.size());
  const int unknowns = n + 1 - fixed; // free coefficients
  const size_t count = static_cast<size_t>(unknowns) + 1;
  if (n < 0 || unknowns < 1 || !(problem.lo < problem.hi))
    return llvm::createStringError("minimax: bad degree or interval");

  // Start from the Chebyshev extrema.
  std::vector<long double> ref(count);
  for (size_t i = 0; i < count; ++i)
    ref[i] =
        problem.lo + (problem.hi - problem.lo) * 0.5L *
                         (1 - cosl(3.14159265358979323846L * i / (count - 1)));

  MinimaxFit fit;
  fit.coefficients = problem.fixedLow;
  fit.coefficients.resize(n + 1, 0);
  ErrorFunction error{problem, fit.coefficients};
  const int samples = 8000;
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

    std::vector<long double> next =
        alternatingExtrema(error, problem.lo, problem.hi, count, samples);
    long double worst = 0;
    for (int i = 0; i <= samples; ++i) {
      long double x = problem.lo + (problem.hi - problem.lo) * i / samples;
      worst = std::max(worst, fabsl(error(x)));
    }
    fit.maxError = worst;
    fit.iterations = iteration;
    if (next.size() < count)
      return llvm::createStringError(
          "minimax: the error does not alternate enough (degree too high "
          "for the function's precision?)");
    ref = next;
    if (worst <= levelled * 1.0001L)
      return fit;
  }
  // Not perfectly levelled, but the fit and its measured error are valid.
  return fit;
}

llvm::Expected<MinimaxFit> fitMinimaxFloat(MinimaxProblem problem) {
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
  // Measure the float coefficients.
  long double worst = 0;
  const int samples = 200000;
  for (int i = 0; i <= samples; ++i) {
    long double x = problem.lo + (problem.hi - problem.lo) * i / samples;
    long double e =
        (evaluatePolynomial(fit.coefficients, x) - problem.function(x)) *
        problem.weight(x);
    worst = std::max(worst, fabsl(e));
  }
  fit.maxError = worst;
  return fit;
}

} // namespace gelu
