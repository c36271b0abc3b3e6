//===- CorrectlyRounded.cpp - Correctly rounded f32 activations ----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Conversion/Expansions/CorrectlyRounded.h"

#include "ExpansionParts.h"

#include "gelu/Conversion/Expansions/Elementary.h"
#include "gelu/Conversion/Expansions/ExactGeluF64.h"
#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/Polynomials.h"
#include "gelu/Numerics/RoundingExceptions.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/Support/ErrorHandling.h"

#include <cmath>

using namespace mlir;

namespace gelu {

/// How far (relative) the f64 value may be from the exact one: the
/// evaluation's error is about 2^-49 (the fit 2^-51.3, exp and the
/// products a few ULPs of f64); the test keeps a factor 16 of margin, and
/// the exhaustive run is what proves it (a misrounded input the test lets
/// through would be reported, not hidden).
constexpr int kRoundingTestBits = 45;

/// The bit that makes an f32 NaN quiet.
constexpr int32_t kQuietBit = 0x400000;

/// Φ(−u) for f64 u in [0, kPhiTailMaxU] (NaN kept):
/// exp(−u²/2)·t·Q(t), t = 1/(1 + u/2). u² is exact when u is an f32.
static Value emitPhiOfNegative(ElementwiseBuilder &d, Value u) {
  DoubleFitCoefficients fit = doubleFitCoefficients("phi_tail");
  assert(fit.pieces.size() == 2 && "the kernel selects between two pieces");
  // One builder call an operand (C++ leaves the order of argument
  // evaluation open, and the IR must not depend on the compiler).
  Value square = d.mul(u, u);
  Value gauss = emitExpDouble(d, d.mul(square, d.constant(-0.5)));
  Value scale = d.constant(kPhiTailScale);
  Value one = d.constant(1.0);
  Value t = d.div(one, d.fma(u, scale, one));
  // Piece 0 while its v ≤ 1; piece 1's v is piece 0's minus the difference
  // of their offsets (exact: both are in [1, 3]).
  DoublePiece first = fit.pieces[0], second = fit.pieces[1];
  assert(first.scale == second.scale && "the pieces share a scale");
  Value firstScale = d.constant(first.scale);
  Value firstOffset = d.constant(-first.offset);
  Value v0 = d.fma(t, firstScale, firstOffset);
  Value inSecond = d.lessThan(d.constant(1.0), v0);
  Value v = d.select(inSecond,
                     d.sub(v0, d.constant(second.offset - first.offset)), v0);
  const unsigned n = fit.degree + 1;
  auto coefficient = [&](unsigned k) {
    Value c0 = d.constant(fit.coefficients[k]);
    Value c1 = d.constant(fit.coefficients[n + k]);
    return d.select(inSecond, c1, c0);
  };
  Value q = coefficient(fit.degree);
  for (unsigned k = fit.degree; k-- > 0;)
    q = d.fma(q, v, coefficient(k));
  return d.mul(d.mul(gauss, t), q);
}

/// The result of x·g(x) (g(0) = 1/2, g increasing) in f64 for f32 x
/// widened to `xd`, `y` computed for |x| ≤ `limit`: beyond it x for
/// x > limit and −0 for x < −limit (f32's rounding of the exact value).
/// Below 2^-60, x·g(x) = x/2 + g'(0)·x² + ... and the x² term is lost to
/// f64: y would be x/2, which for a subnormal x with an odd last bit is the
/// midpoint between two f32s, and would round to even instead of the way
/// the x² term pushes it (up in magnitude for x > 0, down for x < 0). Any
/// positive term far below an f32 ULP and within f64's reach rounds the
/// same way: |x|·2^-45.
static Value emitGateEnds(ElementwiseBuilder &d, Value xd, Value y,
                          double limit) {
  Value zero = d.constant(0.0);
  Value magnitude = d.abs(xd);
  Value belowTiny = d.lessThan(magnitude, d.constant(0x1p-60));
  Value tiny = d.andI(belowTiny, d.notEqual(xd, zero));
  Value half = d.mul(xd, d.constant(0.5));
  Value nudge = d.constant(0x1p-45);
  y = d.select(tiny, d.fma(magnitude, nudge, half), y);
  Value bound = d.constant(limit);
  y = d.select(d.lessThan(bound, xd), xd, y);
  Value below = d.lessThan(xd, d.neg(bound));
  return d.select(below, d.constant(-0.0), y);
}

/// Whether `xd` (f64 lanes of an f32 kernel) is a vector of 16 lanes or a
/// multiple, as the kernels are on AVX-512, where a lookup of a 16-entry
/// f64 table is one vpermt2pd every 8 lanes. On narrower vectors (AVX2's 8
/// lanes, NEON's 4, a GPU thread's scalar) a lookup costs more than the
/// exponential's form saves (AVX2: four vpermps and three blends; measured
/// in docs/bench.md). A 16-lane vector lowered for such a target is still
/// right, only slower.
static bool tableIsCheap(Value xd) { return isVectorOfLanes(xd, 16); }

/// Whether f64 `y`, an f32-normal value, is within 2^-bits (relative) of a
/// midpoint between two f32s, where rounding it to f32 could go either
/// way.
static Value emitNearMidpointNormal(ElementwiseBuilder &d, Value y, int bits) {
  // The 29 f64 mantissa bits below f32's are 0x10000000 at a midpoint; a
  // relative distance of 2^-bits is at most 2^(53 − bits) f64 ULPs.
  constexpr int64_t kMidpoint = int64_t(1) << 28;
  const int64_t reach = int64_t(1) << (53 - bits);
  Value low =
      d.andInt(d.bitcastToInt(y), d.intConstant((int64_t(1) << 29) - 1));
  Value offset = d.subInt(low, d.intConstant(kMidpoint - reach));
  return d.lessEqualUnsigned(offset, d.intConstant(2 * reach));
}

/// Exact GELU in f64: x·(1 − Φ(−x)) for x > 0, x·Φ(x) for x ≤ 0 (−0
/// kept), from Φ(−u) = exp(−u²/2)·t·Q(t), which with emitGateEnds rounds
/// every f32 input correctly once narrowed (the exhaustive run proves it).
/// Where lookups are cheap (tableIsCheap), a vector whose lanes all have
/// |x| ≥ 2^-100 and lie in the table "phi_cr_table" (DoubleFits.h: its
/// pieces and error) evaluates the table instead, and keeps its value
/// unless a lane is within 2^-kPhiCrTableTestBits of a midpoint between
/// two f32s (about one lane in 2^14), where the vector takes the
/// exponential's form; any other vector takes that form on every lane. So
/// a lane's bits depend neither on its neighbours nor on the target. Below
/// 2^-100 the result is x/2 to f64's precision, an f32 midpoint for
/// subnormal x (emitGateEnds);
/// GELU(16) is 16·(1 − 6e-58) and GELU(−16) is −1e-56: x and −0 in f32.
static Value emitGeluExactDouble(ElementwiseBuilder &d, Value xd) {
  auto exponential = [&](ElementwiseBuilder &b) {
    Value u = b.clampAbove(b.abs(xd), kPhiTailMaxU);
    Value p = emitPhiOfNegative(b, u);
    Value negative = b.mul(xd, p);
    Value positive = b.fma(b.neg(xd), p, xd);
    Value y = b.select(b.lessEqual(xd, b.constant(0.0)), negative, positive);
    return emitGateEnds(b, xd, y, kPhiTailMaxU);
  };
  if (!tableIsCheap(xd))
    return exponential(d);
  // Piece k = round(z), z = u·(a + b·u), by the shifter 1.5·2^52 (the
  // sum's low bits are k): in the table while k ≤ 15.
  constexpr double kShifter = 0x1.8p52;
  Value u = d.abs(xd);
  Value slope =
      d.fma(u, d.constant(kPhiCrTableQuadratic), d.constant(kPhiCrTableLinear));
  Value shifted = d.fma(u, slope, d.constant(kShifter));
  Value inTable = d.andI(
      d.lessEqual(d.constant(0x1p-100), u),
      d.lessEqual(shifted, d.constant(kShifter + (kPhiCrTablePieces - 1))));
  return d.eitherWhereAny(
      d.notI(inTable), exponential, [&](ElementwiseBuilder &b) {
        Value y = emitGeluFromPhiTable(b, xd, u, b.bitcastToInt(shifted),
                                       "phi_cr_table");
        return b.selectWhereAny(
            emitNearMidpointNormal(b, y, kPhiCrTableTestBits), exponential, y);
      });
}

/// GELU'(x) = Φ(x) + x·φ(x) in f64 for f32 x widened to `xd`: the f64
/// kernel's (relative error ~2^-51 where the terms do not cancel), and near
/// the zero x0, where they do, d·P(d) with d = x − x0 = (x − hi) − lo (the
/// first difference exact by Sterbenz's lemma, x being within a factor 2 of
/// x0 there; the second rounded once) and P the fit "gelu_derivative_root":
/// relative error ~2^-51 up to the zero. GELU'(+inf) = 1, GELU'(−inf) = −0.
static Value emitGeluExactDerivativeDouble(ElementwiseBuilder &d, Value xd) {
  Value general = emitGeluExactDerivativeF64(d, xd);
  DoubleFitCoefficients fit = doubleFitCoefficients("gelu_derivative_root");
  assert(fit.pieces.size() == 1 && fit.pieces[0].offset == 0 &&
         "one piece, v = scale·d");
  Value fromHi = d.sub(xd, d.constant(kGeluDerivativeRootHi));
  Value offset = d.sub(fromHi, d.constant(kGeluDerivativeRootLo));
  Value v = d.mul(offset, d.constant(fit.pieces[0].scale));
  Value p = d.hornerLowFirst(v, fit.coefficients);
  Value nearZero =
      d.lessEqual(d.abs(offset), d.constant(kGeluDerivativeRootReach));
  return d.select(nearZero, d.mul(offset, p), general);
}

/// x·σ(y) in f64 for y = y.hi + y.lo (y.lo null or |y.lo| ≲ 2^-50·|y.hi|)
/// and |y| ≤ 700: σ(−|y|) = e/(1 + e) with e = exp(−|y|), so that neither
/// sign cancels. y ≤ 0 takes x·σ(y), which keeps the sign of x = ±0.
static Value emitTimesSigmoidDouble(ElementwiseBuilder &d, Value xd,
                                    DoubleFloat y) {
  Value yNegative = d.lessEqual(y.hi, d.constant(0.0));
  Value e = emitExpDouble(d, d.neg(d.abs(y.hi)));
  if (y.lo)
    // exp(−|y.hi| ∓ y.lo) = e·(1 ∓ y.lo) to f64's precision.
    e = d.fma(e, d.select(yNegative, y.lo, d.neg(y.lo)), e);
  Value one = d.constant(1.0);
  Value sigmoidOfAbs = d.div(one, d.add(one, e));
  Value sigmoidOfNegAbs = d.mul(e, sigmoidOfAbs);
  Value negative = d.mul(xd, sigmoidOfNegAbs);
  Value positive = d.fma(d.neg(xd), sigmoidOfNegAbs, xd);
  return d.select(yNegative, negative, positive);
}

/// x·σ(y(x)) for the tanh form (y = 2u = x·c1 + x³·c2), the sigmoid form
/// (y = 1.702x) and SiLU (y = x), y to about 2^-60 relative: its rounding
/// would be a relative error |y|·2^-53 of σ where y reaches −140.
static Value emitGateSigmoidDouble(ElementwiseBuilder &d,
                                   ReferenceFunction function, Value xd) {
  auto product = [&](Value a, double b) {
    return emitTwoProduct(d, a, d.constant(b));
  };
  double limit = 0;
  switch (function) {
  case ReferenceFunction::GeluTanh:
    limit = -kTanhFormTail;
    break;
  case ReferenceFunction::GeluSigmoid:
    limit = -kSigmoidFormTail;
    break;
  case ReferenceFunction::Silu:
    limit = -kSiluTail;
    break;
  default:
    llvm_unreachable("not a sigmoid-gated function");
  }
  Value xc = clampBoth(d, xd, -limit);
  DoubleFloat y{xc, Value()};
  if (function == ReferenceFunction::GeluTanh) {
    // x² is exact (x is an f32), x³ exact as a pair.
    const long double slope = 2 * sqrtl(2 / M_PIl);
    SplitConstant c1 = SplitConstant::of(d, slope),
                  c2 = SplitConstant::of(d,
                                         slope * tanhFormCubic<long double>());
    DoubleFloat cube = emitTwoProduct(d, d.mul(xc, xc), xc);
    DoubleFloat linear = product(xc, c1.hi);
    DoubleFloat cubic = product(cube.hi, c2.hi);
    DoubleFloat sum = emitTwoSum(d, linear.hi, cubic.hi);
    Value lo = d.add(sum.lo, linear.lo);
    lo = d.add(lo, cubic.lo);
    lo = d.fma(xc, d.constant(c1.lo), lo);
    lo = d.fma(cube.hi, d.constant(c2.lo), lo);
    lo = d.fma(cube.lo, d.constant(c2.hi), lo);
    y = {sum.hi, lo};
  } else if (function == ReferenceFunction::GeluSigmoid) {
    SplitConstant s = SplitConstant::of(d, sigmoidFormScale<long double>());
    y = product(xc, s.hi);
    y.lo = d.fma(xc, d.constant(s.lo), y.lo);
  }
  return emitGateEnds(d, xd, emitTimesSigmoidDouble(d, xd, y), limit);
}

/// Whether f64 `y` is within 2^-kRoundingTestBits (relative) of a midpoint
/// between two f32s, where rounding it to f32 could go either way.
static Value emitNearMidpoint(ElementwiseBuilder &d, Value y) {
  Value nearNormal = emitNearMidpointNormal(d, y, kRoundingTestBits);
  // f32-subnormal results: in units of 2^-149 the midpoints are the
  // half-integers (the scaling is exact).
  Value magnitude = d.abs(y);
  Value s = d.mul(magnitude, d.constant(0x1p149));
  Value fraction = d.sub(s, d.floor(s));
  Value distance = d.abs(d.sub(fraction, d.constant(0.5)));
  Value nearSubnormal = d.lessEqual(
      distance, d.mul(s, d.constant(std::ldexp(1.0, -kRoundingTestBits))));
  Value subnormal = d.lessThan(magnitude, d.constant(0x1p-126));
  return d.select(subnormal, nearSubnormal, nearNormal);
}

Value emitCorrectlyRounded(ElementwiseBuilder &eb, ReferenceFunction function,
                           Value x) {
  ElementwiseBuilder d = eb.withElement(
      Float64Type::get(getElementTypeOrSelf(eb.floatType()).getContext()));
  Value xd = d.convertFrom(x);
  Value y;
  switch (function) {
  case ReferenceFunction::GeluExact:
    y = emitGeluExactDouble(d, xd);
    break;
  case ReferenceFunction::GeluExactDerivative:
    y = emitGeluExactDerivativeDouble(d, xd);
    break;
  case ReferenceFunction::GeluTanh:
  case ReferenceFunction::GeluSigmoid:
  case ReferenceFunction::Silu:
    y = emitGateSigmoidDouble(d, function, xd);
    break;
  default:
    llvm_unreachable("no correctly rounded form of this function");
  }
  // NaN gives the input NaN, quieted, on every target (arithmetic on a NaN
  // keeps or drops its sign as the CPU does: x86 and AArch64 differ).
  Value inputBits = eb.bitcastToInt(x);
  Value quietNaN =
      eb.bitcastToFloat(eb.orInt(inputBits, eb.intConstant(kQuietBit)));
  Value isNaN = eb.notEqual(x, x);
  Value narrowed = eb.convertFrom(y);
  Value rounded = eb.select(isNaN, quietNaN, narrowed);
  llvm::ArrayRef<RoundingException> exceptions = roundingExceptions(function);
  if (exceptions.empty())
    return rounded;
  // The rare vectors with a lane near a midpoint: that lane's input, if it
  // is one of the exceptions, takes the exception's result.
  Value near = emitNearMidpoint(d, y);
  return eb.selectWhereAny(
      near,
      [&](ElementwiseBuilder &b) {
        Value bits = b.bitcastToInt(x);
        Value out = rounded;
        for (RoundingException e : exceptions) {
          Value hit = b.equalInt(bits, b.intConstant(int32_t(e.input)));
          out = b.select(
              hit, b.bitcastToFloat(b.intConstant(int32_t(e.output))), out);
        }
        return out;
      },
      rounded);
}

} // namespace gelu
