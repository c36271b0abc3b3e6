//===- Remez.h - Minimax polynomial and rational fits -----------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The Remez exchange algorithm in long double: the polynomial, or the
// rational function P/Q, of given degrees that minimises the maximum
// (optionally weighted) error to a function on an interval. The expansions'
// coefficients come from here, at build time, rather than from a pasted table.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_REMEZ_H
#define GELU_NUMERICS_REMEZ_H

#include "llvm/Support/Error.h"

#include <functional>
#include <vector>

namespace gelu {

struct MinimaxProblem {
  /// The function to approximate.
  std::function<long double(long double)> function;
  /// The error that is minimised is |p(x) − f(x)| · weight(x): 1 for
  /// absolute error, 1/|f(x)| for relative error.
  std::function<long double(long double)> weight = [](long double) {
    return 1.0L;
  };
  long double lo = 0, hi = 1;
  /// The degree of the polynomial, or of the numerator P of a rational fit.
  int degree = 4;
  /// The degree of the denominator Q (its constant term is 1); 0 fits a
  /// polynomial.
  int denominatorDegree = 0;
  /// Coefficients of the lowest degrees that are already decided (e.g.
  /// rounded to float); only the higher ones are fitted. Polynomials only.
  std::vector<long double> fixedLow;
  /// fitMinimaxRounded only: after rounding, search the coefficients' f32
  /// neighbours for a smaller error (fitMinimaxRounded's comment).
  bool searchRounding = false;
};

struct MinimaxFit {
  /// Coefficients, lowest degree first: p(x) = Σ c[k]·x^k (the numerator
  /// of a rational fit).
  std::vector<long double> coefficients;
  /// The denominator's coefficients, lowest degree first, denominator[0] =
  /// 1; empty for a polynomial.
  std::vector<long double> denominator;
  /// The maximum weighted error of `coefficients`, measured on a dense grid.
  long double maxError = 0;
  /// Exchange iterations used.
  int iterations = 0;
};

/// Fits `problem`. Fails when the linear systems are singular or the
/// exchange does not settle.
llvm::Expected<MinimaxFit> fitMinimax(const MinimaxProblem &problem);

/// Fits `problem` with every coefficient an f32 value: the lowest
/// coefficient is rounded to float, the rest refitted with it fixed, and so
/// on up (greedy rounding; far better than rounding the real fit at once,
/// whose leading-coefficient rounding alone can cost half an ULP). A
/// rational fit rounds its denominator Q, then refits the numerator
/// greedily against it: |P/Q − f|·w = |P − f·Q|·(w/Q), a polynomial
/// problem. `maxError` is measured with the final float coefficients.
llvm::Expected<MinimaxFit> fitMinimaxFloat(MinimaxProblem problem);

/// Fits `problem` (a polynomial) and rounds each coefficient to f32 at
/// once: for the short intervals of a piecewise fit, whose coefficients
/// fall off quickly, this costs at most about half an ULP of the constant
/// term, and the greedy rounding of fitMinimaxFloat, whose refits grow
/// ill-conditioned there from degree 6, did worse (3 ULP against 0.4 on
/// Φ's intervals of width 1/4 at degree 7). `maxError` is measured with
/// the f32 coefficients. Where the rounding costs more than the fit itself
/// errs (an interval over which the function falls by a large factor, so
/// that the roundings of the low coefficients weigh several times an ULP
/// of its smaller end), `problem.searchRounding` tries every combination
/// of ±2 f32 steps on the three lowest coefficients, then ±1 and ±2 steps
/// on each coefficient alone (four sweeps at most, fewer if none helps),
/// keeping the smallest error on a grid of 4001 points.
llvm::Expected<MinimaxFit> fitMinimaxRounded(const MinimaxProblem &problem);

/// Evaluates Σ c[k]·x^k by Horner's rule in long double.
long double evaluatePolynomial(const std::vector<long double> &c,
                               long double x);

/// Evaluates a fit (polynomial or rational) at x in long double.
long double evaluateFit(const MinimaxFit &fit, long double x);

} // namespace gelu

#endif // GELU_NUMERICS_REMEZ_H
