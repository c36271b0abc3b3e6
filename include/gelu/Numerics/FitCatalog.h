//===- FitCatalog.h - The polynomial fits the expansions use ----*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Each entry says what function a polynomial (or a rational function P/Q)
// approximates, on which interval, at what degrees and under which error
// weight. `gelu-fit` runs the
// Remez fitter on every entry at build time and writes the f32 coefficients
// into FittedPolynomials.inc, which the expansions include.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_FITCATALOG_H
#define GELU_NUMERICS_FITCATALOG_H

#include "gelu/Numerics/Reference.h"
#include "gelu/Numerics/Remez.h"

#include <string>
#include <vector>

namespace gelu {

struct FitEntry {
  /// C identifier of the table (FittedPolynomials.inc defines kFit_<name>).
  std::string name;
  /// What is fitted, for the generated comment and `gelu-fit`'s report.
  std::string description;
  MinimaxProblem problem;
};

/// Every fit the expansions need.
std::vector<FitEntry> fitCatalog();

/// The piecewise form of a function with a rational form (the `piecewise`
/// expansions): q(u) = f(−u) on u = |x| in [0, limit] (f the gate of a
/// GELU or SiLU, or a GELU's derivative; f(x) = 1 − q(x) above 0, since
/// f − 1/2 is odd), in `intervals` intervals of width `step`, the k-th
/// centred on k·step and given as a polynomial in v = u/step − k in
/// [−1/2, 1/2], k being u/step rounded, the lane's index into a table of at
/// most 32 entries. The step is a power of two (u/step and v exact) but for
/// the ladder's degrees (kPiecewiseLadderMaxDegree), whose 1/step is an f32
/// value and whose polynomials the kernels evaluate expanded in u (or t)
/// instead (Polynomials.h: isExpandedPiecewise), and hasEvenFullTables'
/// higher degrees (1/step an f32 value too); they are fitted in v.
/// A graded domain (`piecewise_graded`, grading > 0) indexes by
/// t = u·(1/step − grading·u) instead: intervals of t of width 1, centred
/// on k = 0, 1, …, so that in u they widen with u where the function
/// flattens (one FMA more a vector). limit is then u at t = intervals − 1.
/// A centred domain (the graded `piecewise_tail` tables, grading < 0: the
/// intervals narrow as u grows, where a relative fit needs them) takes
/// the local variable as v = u − c_k, c_k = piecewiseCentre(domain, k)
/// looked up by k, and its polynomials are in v: t's rounding (an ULP of
/// t near 30 moves it by 2e-6, 3e-6 of a relative fit) then only decides
/// k at an interval's edge, never v, which is exact (Sterbenz). limit is
/// the last centre.
struct PiecewiseDomain {
  double step;
  double limit;
  unsigned intervals;
  double grading = 0;
  bool centred = false;
};
PiecewiseDomain piecewiseDomain(ReferenceFunction function, unsigned degree);
/// Whether `function`'s tables from kPiecewiseTailMinDegree on fill all
/// kPiecewiseMaxIntervals intervals with the least step 16/m that reaches
/// the clamp (sigmoid GELU and SiLU: 0.348 and 0.593), rather than taking
/// the least power-of-two step that does (0.5 and 1: 22 and 19 intervals).
/// Their gates σ(−c·u) fall at a relative rate of at most c everywhere, so
/// even intervals suit them, and the finer step makes degree 5 as accurate
/// as degree 6 was (gelu-fit prints each table's error; docs/accuracy.md).
/// u/step is then rounded, in the FMA that gives v (under 2^−25 of v). Degree 4
/// keeps its power-of-two step: on the finer one sigmoid GELU's degree 4 (its
/// bf16 default, bf16PiecewiseTailDegree) misrounds a bf16 result (x =
/// −0.12353515625, its exact value 2.9e-7 from a midpoint, the table's
/// error 3.5e-7).
bool hasEvenFullTables(ReferenceFunction function);
/// y(x), in long double, of the σ-based gate σ(y(x)) of tanh GELU, sigmoid
/// GELU or SiLU, or of the first two's derivatives (their GELU's y).
long double sigmoidGateArgument(ReferenceFunction function, long double x);
/// What a piecewise table of `function` holds at u = |x|, in long double:
/// a gate's q(u) = g(−u) (1/2 at 0), a derivative's GELU'(−u).
long double piecewiseTarget(ReferenceFunction function, long double u);
/// u at index coordinate t (t = u/step, or t = u·(1/step − grading·u),
/// solved for the root at u = 0) of `domain`.
long double piecewiseArgumentAt(const PiecewiseDomain &domain, long double t);
/// A centred domain's k-th centre: u at t = k rounded to f32 (0 for k = 0).
float piecewiseCentre(const PiecewiseDomain &domain, unsigned k);

/// The domain of a `piecewise_tail` table of `degree` (relative error: a
/// gate's f32 table, a derivative's root-factored one): for
/// hasCentredTailTable's functions (tanh GELU) a centred graded domain (31
/// intervals, the grading that reaches furthest with every interval's
/// estimated error within kCentredTailEstimate at degree
/// kPiecewiseMaxDegree, kCentredLowDegreeTailEstimate at the lower degrees
/// from kPiecewiseTailMinDegree), for the others `piecewise` degree 7's
/// (their lower degrees: Polynomials.h, lowDegreeTailCoefficients). The
/// tail's branch is taken for a lane below −limit: tanh GELU's even table
/// ended at 5.25 (a 16-lane vector of normal σ = 2 inputs has such a lane
/// one time in 15), the centred one at 7.26 (one time in 440); its even
/// degree-6 table ended at 5.125, the centred one at 6.43. Measured and
/// not kept (docs/bench.md): exact GELU's (its even table already reaches
/// 7) and tanh GELU''s (its even root-factored table reached 5.75, one
/// vector in 30 at σ = 2): each cost more than it saved on normal inputs
/// with σ ≤ 2.
bool hasCentredTailTable(ReferenceFunction function);
PiecewiseDomain tailPiecewiseDomain(ReferenceFunction function,
                                    unsigned degree);
std::string tailPiecewiseFitName(ReferenceFunction function, unsigned degree);
constexpr double kCentredTailEstimate = 6e-8;
/// 2·2^−24: the fits (f32 coefficients) come to 1.6–2.2·2^−24 and the
/// kernels, with their f32 rounding, to about 2.5 ULP, under the 3.2 that
/// the tuner holds a `max_ulp` 4 budget to (JIT/Measurement.h:
/// kSampledBudgetMargin).
constexpr double kCentredLowDegreeTailEstimate = 0x1p-23;

/// The `piecewise_graded` tables (degree 1 to 3 = kPiecewiseLadderMaxDegree,
/// 31 intervals): the grading and 1/step that err least
/// (gradedPiecewiseDomain), their error estimated as piecewiseDomain's.
/// Up to 4.7× less error than `piecewise` at the same degree, for one FMA
/// more: a rung between two degrees.
constexpr unsigned kPiecewiseGradedMinDegree = 1;
constexpr unsigned kPiecewiseGradedMaxDegree = 3;
PiecewiseDomain gradedPiecewiseDomain(ReferenceFunction function,
                                      unsigned degree);
std::string gradedPiecewiseFitName(ReferenceFunction function, unsigned degree);

/// One piecewise fit: a problem an interval, all of one degree. Gates are
/// fitted with relative error (so f(x) keeps its relative accuracy for
/// x < 0 down to −limit), derivatives with absolute error (they cross 0).
struct PiecewiseFitEntry {
  /// C identifier of the table (FittedPolynomials.inc defines
  /// kPiecewise_<name>, the intervals' coefficients one after another).
  std::string name;
  std::string description;
  ReferenceFunction function;
  unsigned degree;
  /// Written into the table with the coefficients: the kernels take the
  /// domain from there, not from piecewiseDomain's search.
  PiecewiseDomain domain;
  std::vector<MinimaxProblem> pieces;
};

std::vector<PiecewiseFitEntry> piecewiseFitCatalog();
/// The functions that have piecewise tables (the gates: exact, tanh and
/// sigmoid GELU, SiLU; and the three GELUs' derivatives).
std::vector<ReferenceFunction> piecewiseFunctions();
std::string piecewiseFitName(ReferenceFunction function, unsigned degree);

/// The derivatives' tables for `piecewise_tail`: GELU' has one zero (near
/// x = −0.75), so an absolute fit loses its relative accuracy there. These
/// write q(u) = GELU'(−u) = (u − u0)·R(u), u0 the zero of q, and fit R on
/// each interval of rootTableDomain with relative error, at
/// rootTableDegree: with u0 = hi + lo in f32, (u − hi) − lo is exact or
/// rounded once, and q keeps its relative accuracy through the zero.
long double piecewiseDerivativeRoot(ReferenceFunction function);
std::string piecewiseRootFitName(ReferenceFunction function);
/// The degree of a derivative's root-factored table: 6 for exact and
/// sigmoid GELU', whose degree 6 errs as degree 7 does on their
/// rootTableDomain (gelu-fit prints each; docs/accuracy.md), one lookup and
/// one FMA fewer a vector; 7 for tanh GELU', whose degree 6 errs about 4
/// times as much (4.2e-7 against 1.1e-7 on 31 intervals of 0.193).
unsigned rootTableDegree(ReferenceFunction function);
/// The domain of a derivative's root-factored table: every one of the
/// kPiecewiseMaxIntervals intervals, with the least step 16/m that
/// reaches the clamp (as hasEvenFullTables' gates: 0.2 to 6 for exact
/// GELU', 0.4 to 12 for sigmoid GELU'), and for tanh GELU' past its clamp
/// (5.58) to kTanhDerivativeTableReach (0.193 to 5.78), not the
/// power-of-two step that reached them with 25 of 1/4, 24 of 1/4 and 25 of
/// 1/2: there exact GELU''s degree 6 erred 2.3 times as much, tanh GELU''s
/// degree 7 1.8 times.
PiecewiseDomain rootTableDomain(ReferenceFunction function);
/// Where tanh GELU''s root-factored table reaches at least, as its
/// power-of-two table did: at its clamp, 5.58, a vector of x uniform on
/// [−6, 6] (gelu-train-bench's) takes the tail's branch 43 % of the time,
/// at 5.78 25 %; the tail costs more than the table (docs/bench.md).
constexpr double kTanhDerivativeTableReach = 5.75;

/// Exact GELU's and GELU''s `piecewise_tail` below their tables (x <
/// −limit): x·Φ(x) = x·S(u)·e^(−u²/2) and Φ(x) + x·φ(x) = (S(u) −
/// u/√(2π))·e^(−u²/2), u = |x|, with S(u) = Φ(−u)·e^(u²/2), smooth and near
/// 1/(u·√(2π)), from a table of its own (relative error): one exponential
/// and one table where the erfc form spent a divide and two polynomials.
/// Its intervals are 1/2 wide up to kGaussTailLimit.
PiecewiseDomain gaussTailDomain();
std::string gaussTailFitName();
/// The least u its table is fitted from (the shortest reach of a table
/// that it follows); below, its intervals repeat the first fitted one.
double gaussTailStart();
constexpr unsigned kGaussTailDegree = 4;
/// Past this u both GELU(−u) and GELU'(−u) round to −0 in f32 (GELU'(−15)
/// ≈ −8e-49; GELU' is the later to underflow, near u = 14.55).
constexpr double kGaussTailLimit = 15.0;

constexpr unsigned kPiecewiseMinDegree = 1;
constexpr unsigned kPiecewiseMaxDegree = 7;
/// A gate's `piecewise_tail` also takes the `piecewise` tables of this
/// degree up to tailTableDegree − 1 in place of its own, with the same
/// tail below −limit (ended sooner where the lower degree cannot follow the
/// function's fall: Polynomials.h, lowDegreeTailCoefficients): one or two
/// lookups and FMAs fewer a vector, for a few ULPs more (their errors by
/// region are in docs/generated/accuracy-table.md). Rungs of the `max_ulp`
/// ladder below the accurate defaults.
constexpr unsigned kPiecewiseTailMinDegree = 5;
/// The degree of `piecewise_tail`'s own table in f32 (its default, degree 0
/// in an op or a spec): kPiecewiseMaxDegree, but 5 for sigmoid GELU and
/// SiLU. Their degree-5 tables fill all 31 intervals (hasEvenFullTables),
/// reach as far as degree 7's (their relative error does not grow with
/// |x|) and err as degree 6's and 7's do, whose worst error on all 2^32
/// inputs is set past −3 by the tables' last intervals and the tail
/// whatever the degree (docs/accuracy.md): two lookups and two FMAs fewer
/// a vector than degree 7. They have no named lower degree. Exact and tanh
/// GELU's lower degrees end their tables sooner (lowDegreeTailCoefficients),
/// which costs more than it saves on wide data. A derivative's root-factored
/// table has rootTableDegree. The degrees below this are piecewise_tail's named
/// ones (from kPiecewiseTailMinDegree: ExpansionCatalog.h, degreesOf).
unsigned tailTableDegree(ReferenceFunction function);
/// The table degree of a gate's `piecewise_tail` (exact, tanh and sigmoid
/// GELU, SiLU) when its results are rounded to bf16: the least degree
/// whose table reaches as far as degree 7's (so the tails start where they
/// do at degree 7) and whose bf16 results are correctly rounded on every
/// bf16 input, as degree 7's are (JitTest checks it on all 2^16): 4 for
/// the GELUs, 5 for SiLU. 0 for the derivatives, whose `piecewise_tail`
/// has one table.
unsigned bf16PiecewiseTailDegree(ReferenceFunction function);
/// At most this many intervals: with one entry of zeros past them (the
/// `piecewise` forms' q past the table), 32, one AVX-512 two-register
/// permute.
constexpr unsigned kPiecewiseMaxIntervals = 31;
/// Exact GELU's tables of degree 5 to 7 (the f32 default `piecewise_tail`'s
/// among them) reach past kRationalClamp, where its positive side is x, to
/// here: 29 intervals of 1/4 where 23 reach the clamp, for the same
/// two-register lookup. A vector then takes the tail's branch only for a
/// lane below −7 (one 16-lane vector in 270 of normal inputs with σ = 2,
/// where one in 21 has a lane below −5.5). The intervals past the clamp
/// span a larger fall of Φ, and their f32 coefficients rounded at once err
/// by up to 1.9e-7 at degree 7; with searchRounding every interval of these
/// tables is within 5.9e-8 (gelu-fit prints it), where they were within
/// 9.9e-8 up to 5.5. Degree 4 (the bf16 default's) keeps its table to the
/// clamp: past it, it errs by 2.3e-4 and misrounds a bf16 result.
constexpr double kExactGeluTableReach = 7.0;
constexpr unsigned kExactGeluReachMinDegree = 5;
/// The ladder's degrees, 1 to 3, fill the table with the step that errs
/// least (piecewiseDomain): finer intervals err less, but the table ends
/// sooner, and past it the kernel's error is the part of the function the
/// table would carry. Their steps are not powers of two: 1/step is m/16
/// for m in [kPiecewiseLadderInverseSteps[0], [1]] (steps 2/3 to 1/16), an
/// f32 value, and u·(1/step) is rounded once in the FMAs that give the
/// interval and v. The higher degrees cover all of u up to the rational
/// form's clamp with a power-of-two step (u/step exact).
constexpr unsigned kPiecewiseLadderMaxDegree = 3;
constexpr unsigned kPiecewiseLadderInverseSteps[2] = {24, 256};
constexpr double kPiecewiseLadderInverseStepUnit = 16.0;

/// The `polynomial` form of a gate (exact, tanh and sigmoid GELU, SiLU),
/// with no table: x·g(x) = (x < 0 ? −0 : x) − v·(R − v)·s(v), v = min(|x|,
/// R), s a polynomial (ClampedPolynomialFit). Exactly x above R and −0
/// below −R; s > 0 on [0, R] keeps the sign and x·g(x) ≤ x. `degree` is
/// v·(R − v)·s(v)'s, s's plus 2: degree + 4 operations a vector (8 at
/// degree 4, as many as the cheapest table, `piecewise` degree 1, but no
/// lookup), for absolute errors of a few 1e-3 (budgets of 1e-2). s(0) =
/// 1/(2R): x·g(x) is x/2 near 0.
/// The derivatives' (exact, tanh and sigmoid GELU'): GELU'(x) = 1/2 +
/// v·p(v²), v = x clamped to [−R, R], p of degree `degree`, also degree +
/// 4 operations (the cheapest derivative table takes 9). R·p(R²) = 1/2:
/// the form is 1 from R on and 0 from −R down (to within its f32
/// coefficients' rounding), so GELU'(±inf) is 1 and 0.
constexpr unsigned kClampedPolynomialMinDegree = 3;
constexpr unsigned kClampedPolynomialMaxDegree = 6;
/// A fitted `polynomial` form: R = `clamp` (a multiple of 1/16) and s's
/// (p's) f32 coefficients, lowest first, chosen by clampedPolynomialFit to
/// make the largest absolute error of x·g(x) (of GELU') least, inside
/// [−R, R] and past it (where the error is |x|·q(|x|), q(u) = g(−u); the
/// distance of GELU' from 1).
struct ClampedPolynomialFit {
  std::string name;
  std::string description;
  ReferenceFunction function;
  unsigned degree;
  double clamp;
  std::vector<double> coefficients;
  /// The largest absolute error of x·g(x) (GELU'), measured with the f32
  /// coefficients in long double on a dense grid of [0, R] and past R.
  double maxError;
  /// Whether s > 0 on that grid (a gate's invariants need it; true for
  /// the derivatives, which have no sign to keep).
  bool positive;
};
/// Fits `function`'s `polynomial` form at `degree`: for each R = k/16 in
/// [1.5, 12], s (p) by Lawson's iteration (weighted least squares
/// converging to the minimax fit) on a grid of [0, R], s's constant term
/// pinned (p's value at R), keeping the R whose error, inside and past R,
/// is least. About two seconds of gelu-fit's time for all of them.
ClampedPolynomialFit clampedPolynomialFit(ReferenceFunction function,
                                          unsigned degree);
/// The functions that have a `polynomial` form (the gates and their
/// derivatives).
std::vector<ReferenceFunction> clampedPolynomialFunctions();
std::string clampedPolynomialFitName(ReferenceFunction function,
                                     unsigned degree);

/// The erfc form of exact GELU writes erfc(|x|/√2) = t·exp(−x²/2 + P(t))
/// with t = 1/(1 + a·|x|), a = kErfcFormScale. a is an f32 value, and the
/// fit is made for that value, so the kernel's t and the fit agree.
constexpr float kErfcFormScale = 0.353553390593273762f; // ≈ 1/(2√2)
/// The erfc form covers |x| from here (below, the erf form is used) ...
constexpr double kErfcFormMinX = 0.70710678118654752;
/// ... to where GELU(−|x|) has underflowed in f32.
constexpr double kErfcFormMaxX = 14.5;

/// The direct rational form of exact GELU is fitted on |x| ≤ this; beyond,
/// Φ(x) rounds to 1 in f32 (1 − Φ(5.5) ≈ 1.9e-8 < 2^−25).
constexpr double kRationalClamp = 5.5;
/// The σ-based gates (tanh and sigmoid GELU, SiLU: x·σ(y(x))) are fitted
/// up to y = this: σ(y) rounds to 1 in f32 from y ≈ 17.33 (1 − σ = 2^−25).
constexpr double kSigmoidArgumentClamp = 17.5;
/// The numerator degrees of the rational forms (the denominator's is one
/// less): the `degree` of the rational expansions.
constexpr unsigned kRationalMinDegree = 2;
constexpr unsigned kRationalMaxDegree = 6;

/// Whether `function` has a direct rational form: x·(1/2 + x·P(x²)/Q(x²))
/// for the activations x·g(x) whose gate g − 1/2 is odd (exact, tanh and
/// sigmoid GELU, SiLU), 1/2 + x·P(x²)/Q(x²) for the GELUs' derivatives
/// (GELU' − 1/2 is odd too).
bool hasRationalForm(ReferenceFunction function);
/// The |x| up to which the rational form of `function` at `degree` is
/// fitted: where its gate rounds to 1 in f32 (kRationalClamp for exact
/// GELU; y(x) = kSigmoidArgumentClamp for the σ-based gates), or where a
/// derivative is within 2^−25 of 1 (kDerivativeRationalClamp for exact
/// GELU'). One exception: kSigmoidDerivativeDegree3Clamp.
double rationalClamp(ReferenceFunction function, unsigned degree);
/// The (3, 2) fits of the sigmoid GELU's derivative have a pole on every
/// interval reaching past |x| ≈ 5 (the Remez fitter finds the denominator
/// vanishing at 6, 8, 10 and 11.9): degree 3 is fitted on |x| ≤ 5, where
/// GELU' is 1.5e-3 from 1, between the errors of degrees 2 and 4.
constexpr double kSigmoidDerivativeDegree3Clamp = 5.0;
/// The name of its fit at `degree` (kFit_<name> in FittedPolynomials.inc).
std::string rationalFitName(ReferenceFunction function, unsigned degree);
/// The erf form's rational erf is fitted on |z| ≤ this; beyond, erf(z)
/// rounds to 1 (erfc(4) ≈ 1.5e-8 < 2^−25).
constexpr double kErfClamp = 4.0;

/// Where the direct rational form of GELU' stops: past 6, GELU'(x) is 1
/// (x > 0) or 0 (x < 0) to within 4e-8.
constexpr double kDerivativeRationalClamp = 6.0;

} // namespace gelu

#endif // GELU_NUMERICS_FITCATALOG_H
