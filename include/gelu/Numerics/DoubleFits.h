//===- DoubleFits.h - Piecewise fits in double precision --------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Fits whose coefficients are doubles and whose error is near double's
// rounding (about 2^-52 relative): what the correctly rounded f32 kernels
// and the f64 kernels evaluate. Long double's Remez exchange does not settle at
// these degrees, so these are Chebyshev interpolants computed in MPFR (160
// bits) and rounded to double: the same coefficients on every machine, whatever
// its libm, which the correctly rounded kernels' table of exceptional inputs
// (found exhaustively) depends on.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_DOUBLEFITS_H
#define GELU_NUMERICS_DOUBLEFITS_H

#include "gelu/Numerics/Reference.h"

#include <string>
#include <vector>

namespace gelu {

/// Φ(−u) = exp(−u²/2)·t·Q(t) with t = 1/(1 + kPhiTailScale·u), u ≥ 0: the
/// correctly rounded exact GELU's one source of Φ (and of 1 − Φ).
constexpr double kPhiTailScale = 0.5;
/// Where the fit of Q ends: u ≤ kPhiTailMaxU, t ≥ 1/9. Beyond it
/// GELU(−u) is far below f32's smallest subnormal.
constexpr double kPhiTailMaxU = 16.0;

/// The f64 kernels' Φ(−u), the same form on all of t ∈ (0, 1] (u ≥ 0),
/// as the fit "phi_f64": four pieces of t, v = 8t − 1, 8t − 3, 8t − 5 and
/// 8t − 7. Their exact GELU clamps u at kPhiF64MaxU: GELU(−38.6) is below
/// half of f64's smallest subnormal, and x·Φ(−x) under half an ULP of x
/// from x = 8.6 on.
constexpr double kPhiF64MaxU = 40.0;
constexpr double kPhiF64PieceScale = 8.0;

/// The f64 exact GELU's default (piecewise_tail): Φ(−u) itself for
/// u = |x| ≤ kPhiF64TableLimit, as the fit "phi_f64_table": piece k
/// (k = round(u/step), 0 … 15) a polynomial in d = u − (k + 1/2)·step, the
/// distance to the piece's right end, d in [−step, 0]. There Φ(−u) falls
/// as d grows, so its terms, all of one sign for d ≤ 0, never cancel
/// (measured from the centre, the last pieces' sums lost several ULPs to
/// cancellation: docs/accuracy.md). (d is exact from k = 2 on, a Sterbenz
/// subtraction.)
/// Beyond the limit, the tail below, in a per-vector branch.
constexpr double kPhiF64TableStep = 0.375;
constexpr unsigned kPhiF64TablePieces = 16;
constexpr double kPhiF64TableLimit =
    (kPhiF64TablePieces - 0.5) * kPhiF64TableStep;
/// The table's degree: the least whose results stay within a few ULPs
/// (docs/accuracy.md).
constexpr unsigned kPhiF64TableDegree = 13;
/// The rungs of absolute budgets: the same pieces and tail at a lower
/// degree, kPhiF64TableMinDegree up to kPhiF64TableDegree − 1, as the fits
/// f64GateTableFitName(GeluExact, degree). Each degree divides the absolute
/// error by about 30 (their measured errors: docs/accuracy.md). The
/// sigmoid-gated functions (tanh and sigmoid GELU, SiLU) have their gates'
/// tables on the same pieces, f64GateTableFitName, with their `sigmoid` form
/// past them, from kPhiF64TableMinDegree up to their own, f64TableDegree.
constexpr unsigned kPhiF64TableMinDegree = 4;
/// Sigmoid GELU's and SiLU's own f64 tables, their f64 defaults: the least
/// degrees whose results are as accurate as their `sigmoid` form's
/// everywhere (3.4 ULP, its tail's; degree 11 makes 5.3 ULP for sigmoid
/// GELU: docs/accuracy.md).
constexpr unsigned kSigmoidGeluF64TableDegree = 12;
constexpr unsigned kSiluF64TableDegree = 10;

/// The degree of `function`'s own f64 table (f64 piecewise_tail without a
/// degree): kPhiF64TableDegree for exact GELU (its default) and tanh GELU
/// (an option: its gate's table loses relative accuracy near its end, and
/// its default stays the `sigmoid` form), kSigmoidGeluF64TableDegree and
/// kSiluF64TableDegree.
constexpr unsigned f64TableDegree(ReferenceFunction function) {
  return function == ReferenceFunction::GeluSigmoid ? kSigmoidGeluF64TableDegree
         : function == ReferenceFunction::Silu      ? kSiluF64TableDegree
                                                    : kPhiF64TableDegree;
}
/// Its tail (u ≥ kPhiF64TableLimit, in the per-vector branch): Φ(−u) =
/// exp(−u²/2)·h(u), h(u) = Φ(−u)·exp(u²/2) from the fit
/// "phi_f64_tail_table": 16 pieces of u in [4, 64), four an octave
/// ([4, 5), [5, 6), ..., [56, 64)), found from u's exponent and first two
/// mantissa bits, each a polynomial in d = u − the piece's right end (exact:
/// Sterbenz). Its pieces are in that order from u = kPhiF64TailTableStart.
constexpr double kPhiF64TailTableStart = 4.0;
constexpr unsigned kPhiF64TailTablePieces = 16;
/// The correctly rounded exact GELU's table on AVX-512: Φ(−u) for u = |x| up
/// to about 6.96, as the fit "phi_cr_table". Piece k = round(z), z = u·(a +
/// b·u) (a = kPhiCrTableLinear, b = kPhiCrTableQuadratic), for z < 15.5:
/// the pieces narrow as u grows, as Φ(−u)'s relative curvature grows, so
/// that degree 11 reaches about 2^-42 on each. The polynomial is in d = u −
/// r_k, r_k a multiple of 1/256 at or just past the piece's right end (d ≤ 0,
/// its terms of one sign; exact for an f32 u ≥ 2^-27). Its error is not
/// f64's: the kernel rounds to f32 only a value farther than
/// 2^-kPhiCrTableTestBits (relative) from every midpoint between two f32s,
/// and gelu-fit fails the build unless the fit's measured error is at most
/// a quarter of that.
constexpr double kPhiCrTableLinear = 0.8125;
constexpr double kPhiCrTableQuadratic = 0.203125;
constexpr unsigned kPhiCrTablePieces = 16;
constexpr int kPhiCrTableTestBits = 39;
/// The zero of GELU' = Φ(x) + x·φ(x), x0 = −0.75179152469356445745…, as
/// a pair of doubles (hi + lo within 2^-110 of it; gelu-fit fails the
/// build when geluDerivativeRootError() says otherwise). Near it the two terms
/// cancel: the correctly rounded GELU' computes GELU'(x) = d·P(d), d = x − x0 =
/// (x − hi) − lo (the first difference exact for an f32 x near x0), for |d| ≤
/// kGeluDerivativeRootReach, P the fit "gelu_derivative_root".
constexpr double kGeluDerivativeRootHi = -0x1.80ead197f00b4p-1;
constexpr double kGeluDerivativeRootLo = 0x1.13e74c58cada8p-56;
constexpr double kGeluDerivativeRootReach = 0.25;

/// One interval of a double fit: v = scale·w − offset maps it onto
/// [low, high]. All are doubles, and the fit is made for this map exactly,
/// so a kernel's fma(w, scale, −offset) is the fit's variable up to that
/// one rounding (none where the subtraction is exact, as for scale 1 and
/// an offset near w).
struct DoublePiece {
  double scale;
  double offset;
  double low = -1;
  double high = 1;
};

/// A piecewise polynomial: on piece p, Σ c[p·(degree + 1) + k]·v^k.
struct DoubleFit {
  std::string name;
  std::string description;
  unsigned degree = 0;
  std::vector<DoublePiece> pieces;
  /// Lowest degree first, piece after piece.
  std::vector<double> coefficients;
  /// The largest relative error of the double coefficients evaluated by
  /// Horner's rule in double, against MPFR, on a grid of 4001 points a
  /// piece.
  double maxError = 0;
};

/// |kGeluDerivativeRootHi + kGeluDerivativeRootLo − x0|, x0 the zero of
/// GELU' found in MPFR.
double geluDerivativeRootError();

/// The fit of g(−u) on the f64 table's pieces at `degree`
/// (kPhiF64TableMinDegree to f64TableDegree) for a gated `function`
/// x·g(x): exact GELU's "phi_f64_table" at kPhiF64TableDegree, else
/// "phi_f64_table_<degree>"; the sigmoid-gated functions' as rationalFitName
/// names them with "gate_f64_table" for "rational" (σ(−y(u)), y σ's
/// argument). (FitCatalog.cpp, which names the fits.)
std::string f64GateTableFitName(ReferenceFunction function, unsigned degree);

/// The double fits, computed (MPFR; about a second).
std::vector<DoubleFit> doubleFitCatalog();

} // namespace gelu

#endif // GELU_NUMERICS_DOUBLEFITS_H
