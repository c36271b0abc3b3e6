//===- Elementary.cpp - Building blocks of the expansions ----------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Conversion/Expansions/Elementary.h"

#include "gelu/Numerics/Polynomials.h"

using namespace mlir;

namespace gelu {

DoubleFloat emitTwoProduct(ElementwiseBuilder &eb, Value a, Value b) {
  Value hi = eb.mul(a, b);
  Value lo = eb.fma(a, b, eb.neg(hi));
  return {hi, lo};
}

DoubleFloat emitTwoSum(ElementwiseBuilder &eb, Value a, Value b) {
  Value sum = eb.add(a, b);
  Value bVirtual = eb.sub(sum, a);
  Value aVirtual = eb.sub(sum, bVirtual);
  // One operand a statement: C++ leaves the order of argument evaluation
  // open, and the IR (and its tests) must not depend on the compiler.
  Value aError = eb.sub(a, aVirtual);
  Value bError = eb.sub(b, bVirtual);
  return {sum, eb.add(aError, bError)};
}

Value ScaledExp::times(ElementwiseBuilder &eb, Value factor) const {
  return eb.mul(eb.mul(eb.mul(factor, mantissa), scale1), scale2);
}

Value ScaledExp::timesFused(ElementwiseBuilder &eb, Value factor) const {
  Value product = eb.fma(eb.mul(factor, rest), reduced, factor);
  return eb.mul(eb.mul(product, scale1), scale2);
}

Value ScaledExp::value(ElementwiseBuilder &eb) const {
  return eb.mul(eb.mul(mantissa, scale1), scale2);
}

// ln 2 split so that k·kLn2Hi is exact for |k| < 2^12 (Cephes' constants).
static constexpr double kLn2Hi = 0.693145751953125;
static constexpr double kLn2Lo = 1.42860682030941723212e-6;
static constexpr double kLog2E = 1.44269504088896340736;
// Below this the result is far under the smallest subnormal even after the
// callers' factors, and k stays within what two normal scales can express
// (f32: |k| ≤ 246, f64: |k| ≤ 1443).
static constexpr double kExpArgFloor = -170.0;
static constexpr double kExpArgFloorF64 = -1000.0;

static double expArgFloor(ElementwiseBuilder &eb) {
  return eb.isDouble() ? kExpArgFloorF64 : kExpArgFloor;
}

/// exp(hi + the corrections), hi at least the floor and range-reduced
/// exactly, the corrections small beside it.
static ScaledExp emitExpReduced(ElementwiseBuilder &eb, Value hi,
                                ArrayRef<Value> corrections);

ScaledExp emitExp(ElementwiseBuilder &eb, ArrayRef<Value> terms) {
  assert(!terms.empty() && "exp needs an argument");
  // The two leading terms as an exact sum hi + lo: hi is range-reduced
  // exactly, so neither the large −x²/2 nor a polynomial term next to it
  // is rounded at the scale of the sum.
  const double floor = expArgFloor(eb);
  Value hi = eb.clampBelow(terms.front(), floor);
  SmallVector<Value, 3> corrections;
  if (terms.size() > 1) {
    DoubleFloat sum = emitTwoSum(eb, hi, terms[1]);
    hi = eb.clampBelow(sum.hi, floor);
    corrections.push_back(sum.lo);
  }
  if (terms.size() > 2)
    llvm::append_range(corrections, terms.drop_front(2));
  return emitExpReduced(eb, hi, corrections);
}

ScaledExp emitExpOfPair(ElementwiseBuilder &eb, DoubleFloat arg) {
  return emitExpReduced(eb, eb.clampBelow(arg.hi, expArgFloor(eb)), {arg.lo});
}

static ScaledExp emitExpReduced(ElementwiseBuilder &eb, Value hi,
                                ArrayRef<Value> corrections) {
  const bool f64 = eb.isDouble();
  // hi = k·ln2 + r with |r| ≲ ln2/2; hi − k·kLn2Hi is exact (Sterbenz), so
  // only the small corrections are rounded, relative to r. (kLn2Lo is
  // ln 2 − kLn2Hi to double's precision: f64 takes the same split.)
  Value k = eb.roundEven(eb.mul(hi, eb.constant(kLog2E)));
  Value negK = eb.neg(k);
  Value r = eb.fma(negK, eb.constant(kLn2Hi), hi);
  Value small = eb.mul(negK, eb.constant(kLn2Lo));
  for (Value term : corrections)
    small = eb.add(small, term);
  r = eb.add(r, small);

  // Taylor's polynomial as 1 + r·q(r) (the same operations as Horner's
  // rule on all of it), q kept for timesFused.
  ArrayRef<double> taylor =
      f64 ? expTaylorCoefficientsF64() : expTaylorCoefficients();
  assert(taylor.back() == 1.0 && "exp's polynomial ends in 1");
  Value q = eb.horner(r, taylor.drop_back());
  Value mantissa = eb.fma(q, r, eb.constant(taylor.back()));

  // 2^k as two normal powers of two: k reaches −245 (f32) or −1443 (f64),
  // below the normal range.
  Value kInt = eb.floatToInt(k);
  Value kHalf = eb.shiftRightArith(kInt, 1);
  Value kRest = eb.subInt(kInt, kHalf);
  auto powerOfTwo = [&](Value e) {
    Value biased = eb.addInt(e, eb.intConstant(f64 ? 1023 : 127));
    return eb.bitcastToFloat(eb.shiftLeft(biased, f64 ? 52 : 23));
  };
  return {mantissa, powerOfTwo(kHalf), powerOfTwo(kRest), r, q};
}

// fdlibm's split of ln 2 for double: kLn2HiF64 has 21 trailing zero bits.
static constexpr double kLn2HiF64 = 6.93147180369123816490e-01;
static constexpr double kLn2LoF64 = 1.90821492927058770002e-10;

Value emitExpDouble(ElementwiseBuilder &eb, Value arg) {
  assert(eb.isDouble() && "emitExpDouble builds f64");
  // |k| ≤ 1023: 2^k is one normal double, and k·kLn2HiF64 is exact.
  Value k = eb.roundEven(eb.mul(arg, eb.constant(kLog2E)));
  Value negK = eb.neg(k);
  Value r = eb.fma(negK, eb.constant(kLn2HiF64), arg);
  r = eb.fma(negK, eb.constant(kLn2LoF64), r);
  Value mantissa = eb.horner(r, expTaylorCoefficientsF64());
  Value kInt = eb.floatToInt(k);
  Value biased = eb.addInt(kInt, eb.intConstant(1023));
  return eb.mul(mantissa, eb.bitcastToFloat(eb.shiftLeft(biased, 52)));
}

SigmoidParts emitSigmoidParts(ElementwiseBuilder &eb, DoubleFloat y,
                              Value yNegative, bool estimateReciprocal) {
  SmallVector<Value, 2> terms = {eb.neg(eb.abs(y.hi))};
  if (y.lo)
    terms.push_back(eb.select(yNegative, y.lo, eb.neg(y.lo)));
  SigmoidParts parts;
  parts.e = emitExp(eb, terms);
  parts.eValue = parts.e.value(eb);
  Value onePlusE = eb.add(eb.constant(1.0), parts.eValue);
  parts.sigmoidOfAbs = estimateReciprocal ? eb.reciprocalEstimate(onePlusE)
                                          : eb.div(eb.constant(1.0), onePlusE);
  return parts;
}

Value emitTimesSigmoid(ElementwiseBuilder &eb, Value x, Value xClamped,
                       DoubleFloat y) {
  // e = exp(−|y|) never overflows; s = 1/(1+e) is σ(|y|).
  // y ≤ 0 takes the x·e·s branch: with y = ±0 it keeps the sign of x = ±0,
  // which x − x·e·s would lose (−0 − (−0) = +0).
  Value yNegative = eb.lessEqual(y.hi, eb.constant(0.0));
  SigmoidParts parts =
      emitSigmoidParts(eb, y, yNegative, /*estimateReciprocal=*/false);
  ScaledExp e = parts.e;
  Value eValue = parts.eValue;
  Value s = parts.sigmoidOfAbs;
  // y ≥ 0: x·s = x − x·e·s, rounded once at the end by the FMA, so the
  // result is within ~0.5 ULP wherever the correction x·e·s is small.
  Value positive = eb.fma(eb.neg(eb.mul(xClamped, eValue)), s, x);
  // y < 0: x·e·s, with x·s folded in before the power-of-two scale so that
  // a subnormal result is rounded once.
  Value negative = e.times(eb, eb.mul(xClamped, s));
  return eb.select(yNegative, negative, positive);
}

Value emitTimesSigmoidOfNegative(ElementwiseBuilder &eb, Value xClamped,
                                 DoubleFloat y) {
  ScaledExp e = y.lo ? emitExpOfPair(eb, y) : emitExp(eb, {y.hi});
  // x − x·e rounded once, before the power-of-two scales (a subnormal
  // result is rounded once too).
  Value factor = eb.fma(eb.neg(xClamped), e.value(eb), xClamped);
  return e.timesFused(eb, factor);
}

} // namespace gelu
