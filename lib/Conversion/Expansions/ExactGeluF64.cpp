//===- ExactGeluF64.cpp - Exact GELU and its derivative in f64 -----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Conversion/Expansions/ExactGeluF64.h"

#include "ExpansionParts.h"

#include "gelu/Conversion/Expansions/Elementary.h"
#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/Polynomials.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/bit.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>

using namespace mlir;

namespace gelu {

namespace {
/// Φ(−u) = gauss·(h + hLo) for u = |x| clamped to [0, kPhiF64MaxU].
/// (hLo null where h has no low part.)
struct PhiParts {
  ScaledExp gauss;
  Value h;
  Value hLo;
};
} // namespace

/// Whether `u` is a vector of 8 f64 lanes or a multiple, a 512-bit
/// register's: there a lookup in an 8-entry table is one vpermpd, where
/// choosing among four pieces takes three blends. On narrower vectors
/// (AVX2's 4 lanes: two vpermps and a blend) the selects stay.
static bool lookupsBeatSelects(Value u) { return isVectorOfLanes(u, 8); }

/// exp(−u²/2), u² as an exact pair.
static ScaledExp emitGauss(ElementwiseBuilder &d, Value u) {
  // One builder call an operand (C++ leaves the order of argument
  // evaluation open, and the IR must not depend on the compiler).
  DoubleFloat square = emitTwoProduct(d, u, u);
  Value minusHalf = d.constant(-0.5);
  Value hi = d.mul(square.hi, minusHalf);
  Value lo = d.mul(square.lo, minusHalf);
  return emitExp(d, {hi, lo});
}

static PhiParts emitPhiParts(ElementwiseBuilder &d, Value u) {
  DoubleFitCoefficients fit = doubleFitCoefficients("phi_f64");
  assert(fit.pieces.size() == 4 && "the kernel selects among four pieces");
  ScaledExp gauss = emitGauss(d, u);
  Value one = d.constant(1.0);
  Value scale = d.constant(kPhiTailScale);
  Value denominator = d.fma(u, scale, one);
  Value t = d.div(one, denominator);
  // w = 8t (exact); piece p for w in [2p, 2p + 2], v = w − (2p + 1)
  // (exact: both in [0, 8], the difference at most 1).
  Value w = d.mul(t, d.constant(kPhiF64PieceScale));
  std::function<Value(llvm::function_ref<double(unsigned)>)> choose;
  if (lookupsBeatSelects(u)) {
    // p = floor(w/2) (w/2 exact), 4 at w = 8 (u = 0): the table's entries
    // 4 to 7 repeat piece 3's. The low bits of p + 1.5·2^52 are p.
    Value p = d.floor(d.mul(w, d.constant(0.5)));
    Value k = d.bitcastToInt(d.add(p, d.constant(0x1.8p52)));
    choose = [&d, k](llvm::function_ref<double(unsigned)> valueOf) {
      SmallVector<double> entries;
      for (unsigned e = 0; e < 8; ++e)
        entries.push_back(valueOf(std::min(e, 3u)));
      return d.lookup(entries, k);
    };
  } else {
    Value inPiece[4] = {Value(), d.lessEqual(d.constant(2.0), w),
                        d.lessEqual(d.constant(4.0), w),
                        d.lessEqual(d.constant(6.0), w)};
    choose = [&d, inPiece](llvm::function_ref<double(unsigned)> valueOf) {
      Value chosen = d.constant(valueOf(0));
      for (unsigned p = 1; p < 4; ++p)
        chosen = d.select(inPiece[p], d.constant(valueOf(p)), chosen);
      return chosen;
    };
  }
  Value offset = choose([&](unsigned p) { return fit.pieces[p].offset; });
  Value v = d.sub(w, offset);
  const unsigned n = fit.degree + 1;
  auto coefficient = [&](unsigned k) {
    return choose([&](unsigned p) { return fit.coefficients[p * n + k]; });
  };
  SmallVector<Value> c;
  for (unsigned k = 0; k < n; ++k)
    c.push_back(coefficient(k));
  Value q = c[fit.degree];
  for (unsigned k = fit.degree; k-- > 0;)
    q = d.fma(q, v, c[k]);
  DoubleFloat h = emitTwoProduct(d, t, q);
  // t is 1/(1 + u/2) rounded twice; ρ = 1 − t·(1 + u/2), from the exact
  // remainder of the denominator, is its relative error, and moves h =
  // t·Q(t) by ρ·t·(Q + t·dQ/dt) (up to 1.6·ρ at u = 0). dQ/dt = 8·dQ/dv
  // only needs a few digits: the fit's first kSlopeTerms terms.
  Value denominatorLo = d.fma(u, scale, d.sub(one, denominator));
  Value nt = d.neg(t);
  Value rho = d.fma(nt, denominatorLo, d.fma(nt, denominator, one));
  constexpr unsigned kSlopeTerms = 6;
  Value slope = d.mul(c[kSlopeTerms], d.constant(double(kSlopeTerms)));
  for (unsigned k = kSlopeTerms; --k > 0;)
    slope = d.fma(slope, v, d.mul(c[k], d.constant(double(k))));
  Value tSlope = d.mul(d.mul(t, d.constant(kPhiF64PieceScale)), slope);
  Value scaledRho = d.mul(rho, t);
  Value correction = d.mul(scaledRho, d.add(q, tSlope));
  return {gauss, h.hi, d.add(h.lo, correction)};
}

/// The double fit `fit` (16 pieces, each a polynomial in u − its offset)
/// at u, piece j's coefficients at entry (j + rotation) mod 16 of tables
/// looked up per lane at `k` (the integer lanes, taken modulo 16).
static Value emitTablePolynomial(ElementwiseBuilder &d, Value u, Value k,
                                 const DoubleFitCoefficients &fit,
                                 unsigned rotation = 0) {
  constexpr unsigned kEntries = 16;
  assert(fit.pieces.size() == kEntries && "one table entry a piece");
  auto table = [&](auto entry) {
    SmallVector<double> entries(kEntries);
    for (unsigned j = 0; j < kEntries; ++j) {
      assert(fit.pieces[j].scale == 1 && "the fit's variable is u − offset");
      entries[(j + rotation) % kEntries] = entry(j);
    }
    return d.lookup(entries, k);
  };
  Value offset = table([&](unsigned j) { return fit.pieces[j].offset; });
  Value v = d.sub(u, offset);
  const unsigned n = fit.degree + 1;
  Value q = table([&](unsigned j) { return fit.coefficients[j * n + n - 1]; });
  for (unsigned power = fit.degree; power-- > 0;) {
    Value c =
        table([&](unsigned j) { return fit.coefficients[j * n + power]; });
    q = d.fma(q, v, c);
  }
  return q;
}

/// The same for u in [kPhiF64TableLimit, kPhiF64MaxU] (NaN kept; other
/// lanes get some value) from the fit "phi_f64_tail_table": no divide, no
/// correction of t, one table lookup a coefficient. The piece is u's
/// exponent and first two mantissa bits, bits 50 and up of u, taken modulo
/// 16 by the lookup: the fit's piece j is entry j + the rotation of its
/// first piece's start.
static PhiParts emitPhiTailParts(ElementwiseBuilder &d, Value u) {
  DoubleFitCoefficients fit = doubleFitCoefficients("phi_f64_tail_table");
  assert(fit.pieces.size() == kPhiF64TailTablePieces &&
         "one table entry a piece");
  constexpr int kPieceBits = 50;
  const unsigned rotation =
      (llvm::bit_cast<uint64_t>(kPhiF64TailTableStart) >> kPieceBits) %
      kPhiF64TailTablePieces;
  ScaledExp gauss = emitGauss(d, u);
  Value k = d.shiftRightArith(d.bitcastToInt(u), kPieceBits);
  Value h = emitTablePolynomial(d, u, k, fit, rotation);
  return {gauss, h, Value()};
}

/// x·Φ(x) from Φ(−u) = gauss·(h + hLo), u = min(|x|, kPhiF64MaxU).
static Value emitGeluFromPhiParts(ElementwiseBuilder &eb, Value x,
                                  const PhiParts &phi) {
  // x ≤ 0: x·Φ(−u), scaled last; x clamped so that −inf gives −0. x·h
  // as a pair, times exp's mantissa rounded once.
  Value xc = eb.clampBelow(x, -kPhiF64MaxU);
  DoubleFloat xh = emitTwoProduct(eb, xc, phi.h);
  Value xhLo = phi.hLo ? eb.fma(xc, phi.hLo, xh.lo) : xh.lo;
  Value mantissa = phi.gauss.mantissa;
  Value scaled = eb.fma(mantissa, xh.hi, eb.mul(mantissa, xhLo));
  Value product = eb.mul(eb.mul(scaled, phi.gauss.scale1), phi.gauss.scale2);
  // x's sign: the pair's sum loses −0's (−0 + +0 = +0).
  Value negative = eb.copySign(product, x);
  // x > 0: x − x·Φ(−x) in one FMA.
  Value gauss = phi.gauss.value(eb);
  Value tail = eb.mul(gauss, phi.hLo ? eb.add(phi.h, phi.hLo) : phi.h);
  Value positive = eb.fma(eb.neg(x), tail, x);
  Value y = eb.select(eb.lessEqual(x, eb.constant(0.0)), negative, positive);
  return eb.select(eb.lessThan(eb.constant(kPhiF64MaxU), x), x, y);
}

Value emitGeluExactF64(ElementwiseBuilder &eb, Value x) {
  assert(eb.isDouble() && "emitGeluExactF64 builds f64");
  Value u = eb.clampAbove(eb.abs(x), kPhiF64MaxU);
  return emitGeluFromPhiParts(eb, x, emitPhiParts(eb, u));
}

Value emitGeluFromPhiTable(ElementwiseBuilder &eb, Value x, Value u, Value k,
                           llvm::StringRef fitName) {
  assert(eb.isDouble() && "emitGeluFromPhiTable builds f64");
  Value q = emitTablePolynomial(eb, u, k, doubleFitCoefficients(fitName));
  return emitGatedFromNegative(eb, x, u, q);
}

Value emitGatedFromF64Table(ElementwiseBuilder &eb, Value x,
                            llvm::StringRef fitName) {
  assert(eb.isDouble() && "emitGatedFromF64Table builds f64");
  Value u = eb.abs(x);
  // k = round(u/step) by the shifter 1.5·2^52: the sum's low bits are k.
  // A lane past the table (or NaN) gets some index: the first are the
  // callers' to replace, and NaN stays NaN through d.
  Value shifted =
      eb.fma(u, eb.constant(1.0 / kPhiF64TableStep), eb.constant(0x1.8p52));
  // d = u − (k + 1/2)·step in [−step, 0], the fit's variable.
  return emitGeluFromPhiTable(eb, x, u, eb.bitcastToInt(shifted), fitName);
}

Value emitBeyondF64Table(ElementwiseBuilder &eb, Value x) {
  return eb.lessEqual(eb.constant(kPhiF64TableLimit), eb.abs(x));
}

Value emitGeluExactF64Tail(ElementwiseBuilder &eb, Value x) {
  Value u = eb.clampAbove(eb.abs(x), kPhiF64MaxU);
  return emitGeluFromPhiParts(eb, x, emitPhiTailParts(eb, u));
}

Value emitGeluExactDerivativeF64(ElementwiseBuilder &eb, Value x) {
  assert(eb.isDouble() && "emitGeluExactDerivativeF64 builds f64");
  Value u = eb.clampAbove(eb.abs(x), kPhiF64MaxU);
  PhiParts phi = emitPhiParts(eb, u);
  Value xc = eb.clampAbove(eb.clampBelow(x, -kPhiF64MaxU), kPhiF64MaxU);
  // x/√(2π) as a pair, and h + x/√(2π) from an exact sum: the two cancel
  // at GELU''s zero (x ≈ −0.75) and by half at x ≈ −1.2.
  DoubleFloat xDensity = emitScaled(eb, SplitConstant::of(eb, kInvSqrt2Pi), xc);
  DoubleFloat sum = emitTwoSum(eb, phi.h, xDensity.hi);
  Value lo = eb.add(sum.lo, eb.add(phi.hLo, xDensity.lo));
  Value inner = eb.add(sum.hi, lo);
  Value negative = phi.gauss.times(eb, inner);
  Value gauss = phi.gauss.value(eb);
  DoubleFloat difference = emitTwoSum(eb, xDensity.hi, eb.neg(phi.h));
  Value differenceLo = eb.sub(xDensity.lo, phi.hLo);
  Value outer = eb.add(difference.hi, eb.add(difference.lo, differenceLo));
  Value positive = eb.fma(gauss, outer, eb.constant(1.0));
  Value y = eb.select(eb.lessEqual(x, eb.constant(0.0)), negative, positive);
  Value above = eb.lessThan(eb.constant(kPhiF64MaxU), x);
  return eb.select(above, eb.constant(1.0), y);
}

} // namespace gelu
