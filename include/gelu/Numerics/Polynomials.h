//===- Polynomials.h - Coefficient tables of the expansions -----*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_POLYNOMIALS_H
#define GELU_NUMERICS_POLYNOMIALS_H

#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/FitCatalog.h"
#include "gelu/Numerics/Reference.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <vector>

namespace gelu {

/// Taylor coefficients 1/k! of exp, highest degree first, for the reduced
/// argument |r| ≤ ln2/2 + small corrections: the truncation error of degree 7
/// is below 1e-8, a tenth of an f32 ULP.
llvm::ArrayRef<double> expTaylorCoefficients();

/// The same to degree 13, for f64 arithmetic: truncation error 4e-18 (2^-57)
/// on |r| ≤ ln2/2.
llvm::ArrayRef<double> expTaylorCoefficientsF64();

/// A double fit (DoubleFits.h) as gelu-fit made it: on each piece, a
/// polynomial of `degree` in v = scale·w − offset, coefficients lowest
/// first, piece after piece.
struct DoubleFitCoefficients {
  llvm::ArrayRef<DoublePiece> pieces;
  unsigned degree;
  llvm::ArrayRef<double> coefficients;
  double maxError;
};
/// The double fit named `name` (one of doubleFitCatalog()'s).
DoubleFitCoefficients doubleFitCoefficients(llvm::StringRef name);

/// P in erfc(|x|/√2) ≈ t·exp(−x²/2 + P(t)), t = 1/(1 + a·|x|), highest
/// degree first: a Remez fit with f32 coefficients made at build time
/// (FitCatalog.cpp, gelu-fit).
llvm::ArrayRef<double> erfcLogCoefficients();

/// The fast variant of P: degree 7 on the same interval.
llvm::ArrayRef<double> erfcLogFastCoefficients();

/// S(t) = t·P'(t), to correct for the rounding of t (highest degree first).
llvm::ArrayRef<double> erfcLogSlopeCoefficients();

/// Q in erfc(|x|/√2) ≈ t·exp(−x²/2)·Q(t) (Q = e^P, relative error 5e-10
/// at degree 10), and a degree-8 variant (1e-8): one exponential serves Φ
/// and φ in GELU'.
llvm::ArrayRef<double> erfcProductCoefficients();
llvm::ArrayRef<double> erfcProductFastCoefficients();

/// Q in erf(z) ≈ z·Q(z²) for |z| ≤ kErfcFormMinX/√2, highest degree first
/// (Remez, relative error, f32 coefficients).
llvm::ArrayRef<double> erfOddCoefficients();

/// A rational function P(w)/Q(w), both highest degree first.
struct RationalCoefficients {
  llvm::ArrayRef<double> numerator;
  llvm::ArrayRef<double> denominator;
};

/// (g(x) − 1/2)/x, g the gate of `function` = x·g(x) (hasRationalForm:
/// Φ for exact GELU, σ(y(x)) for the others; error relative to g), or
/// (GELU'(x) − 1/2)/x for a derivative (absolute error of GELU'), as a
/// rational function of w = x² on |x| ≤ rationalClamp(function, degree) with
/// degrees `degree`/`degree` − 1 (kRationalMinDegree to
/// kRationalMaxDegree).
RationalCoefficients geluRationalCoefficients(ReferenceFunction function,
                                              unsigned degree);

/// erf(z)/z as a rational function of w = z² on |z| ≤ kErfClamp.
RationalCoefficients erfRationalCoefficients();

/// The piecewise fit of `function` at `degree` (FitCatalog.h): `degree` + 1
/// coefficients an interval, lowest degree first, interval after interval.
struct PiecewiseCoefficients {
  PiecewiseDomain domain;
  unsigned degree;
  llvm::ArrayRef<double> coefficients;
  /// The worst interval's fit error (relative for gates, absolute for
  /// derivatives) with these f32 coefficients.
  double maxError;
};
PiecewiseCoefficients piecewiseCoefficients(ReferenceFunction function,
                                            unsigned degree);
/// The `piecewise_graded` table of `function` at `degree` (FitCatalog.h:
/// gradedPiecewiseDomain), on its graded domain.
PiecewiseCoefficients gradedPiecewiseCoefficients(ReferenceFunction function,
                                                  unsigned degree);
/// Whether the kernels evaluate `fit` expanded: Horner's rule in the
/// lane's own variable w (u = |x| on an even domain, t on a graded one)
/// rather than in v = t − k. The table's index k still comes from the
/// shifter's FMA; without v, an even domain saves the subtraction and the
/// FMA that form it (two operations a vector), a graded one the FMA that
/// forms v from t (one more than t's product). For the ladder's degrees
/// (kPiecewiseLadderMaxDegree) on domains that are not centred: their
/// absolute budgets (≥ 1e-6) absorb what w's larger terms add to the
/// rounding (measured: up to 1.2e-7 more absolute error at degree 3, none
/// at degrees 1 and 2: docs/accuracy.md; the speed: docs/bench.md), where
/// the `piecewise_tail` tables' ULP budgets would not.
bool isExpandedPiecewise(const PiecewiseDomain &domain, unsigned degree);
/// `fit`'s polynomials expanded in w (isExpandedPiecewise), interval after
/// interval, lowest degree first, each an f32 value: p(s·w − k) with s the
/// f32 1/step of an even domain (the kernels' own factor) and 1 on a
/// graded one, expanded in long double and rounded highest degree first,
/// each rounding's error e·w^m carried into the lower coefficients as its
/// best approximation of lower degree on the interval (w^m less its
/// Chebyshev polynomial), so that what the rounding leaves is the
/// constant's half ULP and e·2·(width/4)^m.
std::vector<double>
expandedPiecewiseCoefficients(const PiecewiseCoefficients &fit);
/// A gate's f32 `piecewise_tail` table, of its tailTableDegree (FitCatalog.h:
/// tailPiecewiseDomain); below kPiecewiseMaxDegree, the table
/// lowDegreeTailCoefficients gives for that degree.
PiecewiseCoefficients tailPiecewiseCoefficients(ReferenceFunction function);
/// The `piecewise` table of a gate at `degree` (kPiecewiseTailMinDegree to
/// kPiecewiseMaxDegree − 1) as `piecewise_tail` takes it: its domain's
/// limit shortened to where the table keeps its relative accuracy. A lower
/// degree cannot follow exact GELU's gate as it falls (Φ(−u) like
/// e^(−u²/2)), and its relative error grows with u: the table then
/// ends before the first interval whose error (its f32 coefficients
/// against the long-double reference on a grid) exceeds both
/// kLowDegreeTailError·2^−24 and kLowDegreeTailGrowth times the table's
/// worst on u ≤ 3, but not before the gate is under 2^−25 (x above the
/// end is x − end·g(−end)) nor, for exact GELU, before gaussTailStart; the
/// tail takes what lies below it. Sigmoid GELU's and SiLU's errors do not
/// grow with u, and their tables keep their reach. tanh GELU's
/// (hasCentredTailTable) is a centred table of its own that reaches as far
/// as its error allows (tailPiecewiseDomain). Computed once a function and
/// degree.
PiecewiseCoefficients lowDegreeTailCoefficients(ReferenceFunction function,
                                                unsigned degree);
constexpr double kLowDegreeTailError = 4.0;
constexpr double kLowDegreeTailGrowth = 1.25;
/// A derivative's root-factored table (piecewiseRootFitName): R(u), with
/// GELU'(−u) = (u − u0)·R(u).
PiecewiseCoefficients piecewiseRootCoefficients(ReferenceFunction function);
/// A gate's or a derivative's `polynomial` form at `degree` (FitCatalog.h:
/// ClampedPolynomialFit): R and s's (p's) coefficients, lowest degree
/// first.
struct ClampedPolynomialCoefficients {
  double clamp;
  llvm::ArrayRef<double> coefficients;
  /// The largest absolute error of x·g(x) (GELU'), measured by gelu-fit.
  double maxError;
};
ClampedPolynomialCoefficients
clampedPolynomialCoefficients(ReferenceFunction function, unsigned degree);
/// Exact GELU's tail table S(u) (gaussTailFitName).
PiecewiseCoefficients gaussTailCoefficients();

/// For an odd fit f(z) = z·P(z²)/Q(z²) that must stay below `limit` for
/// z > 0 (a Φ − 1/2 below 1/2, an erf below 1): the largest x on a grid of
/// step 2^-12 in [0, hi] such that f(scale·t) < limit − margin for every
/// grid point t ≤ x, evaluated in long double. Past it, a kernel uses the
/// function's limit instead of the fit (Numerics/Invariants.h: a fit
/// error larger than the distance to the limit would give a wrong sign).
double oddFitBelowLimit(RationalCoefficients fit, double scale, double limit,
                        double margin, double hi);

} // namespace gelu

#endif // GELU_NUMERICS_POLYNOMIALS_H
