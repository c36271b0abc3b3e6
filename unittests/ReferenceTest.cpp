//===- ReferenceTest.cpp - The reference functions and the ULP metric ----===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Reference.h"
#include "gelu/Numerics/ErrorMaxima.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace gelu;

namespace {

TEST(Reference, KnownValues) {
  // Values from erfc/exp in 50-digit arithmetic (mpmath), rounded.
  EXPECT_NEAR(static_cast<double>(
                  evaluateReference(ReferenceFunction::GeluExact, 1.0L)),
              0.8413447460685429, 1e-15);
  EXPECT_NEAR(static_cast<double>(
                  evaluateReference(ReferenceFunction::GeluExact, -1.0L)),
              -0.15865525393145705, 1e-15);
  // The deep tail keeps its relative accuracy: GELU(−10) = −7.6198530e−23.
  long double tail = evaluateReference(ReferenceFunction::GeluExact, -10.0L);
  EXPECT_NEAR(static_cast<double>(tail / -7.619853024160526e-23L), 1.0, 1e-12);
  EXPECT_NEAR(
      static_cast<double>(evaluateReference(ReferenceFunction::GeluTanh, 1.0L)),
      0.8411919906082768, 1e-15);
  EXPECT_NEAR(
      static_cast<double>(evaluateReference(ReferenceFunction::Silu, -1.0L)),
      -0.2689414213699951, 1e-15);
  EXPECT_EQ(evaluateReference(ReferenceFunction::Relu, -2.0L), 0.0L);
  EXPECT_TRUE(std::isnan(
      evaluateReference(ReferenceFunction::GeluExact,
                        std::numeric_limits<long double>::quiet_NaN())));
  EXPECT_EQ(evaluateReference(ReferenceFunction::GeluTanh,
                              -std::numeric_limits<long double>::infinity()),
            0.0L);
}

TEST(Ulp, CountsInUnitsOfTheFormat) {
  FloatFormat f32 = FloatFormat::f32();
  EXPECT_EQ(ulpError(1.0, 1.0L, f32), 0.0);
  EXPECT_DOUBLE_EQ(ulpError(1.0 + std::ldexp(1.0, -23), 1.0L, f32), 1.0);
  // Just below a power of two the ULP is half as large.
  EXPECT_DOUBLE_EQ(ulpError(1.0, 1.0L - std::ldexp(1.0L, -24), f32), 1.0);
  // Subnormal results count in the smallest subnormal.
  EXPECT_DOUBLE_EQ(ulpError(std::ldexp(3.0, -149), std::ldexp(1.0L, -149), f32),
                   2.0);
  EXPECT_DOUBLE_EQ(ulpError(0.0, std::ldexp(1.0L, -149), f32), 1.0);
  // bf16 has 8 significant bits.
  EXPECT_DOUBLE_EQ(ulpError(1.0 + 1.0 / 128, 1.0L, FloatFormat::bf16()), 1.0);
  EXPECT_EQ(ulpError(NAN, NAN, f32), 0.0);
  EXPECT_TRUE(std::isinf(ulpError(1.0, NAN, f32)));
  EXPECT_TRUE(std::isinf(ulpError(INFINITY, 1e30L, f32)));
}

TEST(RoundingError, IsTheDistanceToTheNearestValueOfTheFormat) {
  FloatFormat bf16 = FloatFormat::bf16(), f32 = FloatFormat::f32();
  // bf16 values near 1 are 2^−7 apart: 1 + 2^−9 is a quarter of an ULP off.
  EXPECT_EQ(roundingError(1.0 + std::ldexp(1.0, -9), bf16),
            std::ldexp(1.0, -9));
  EXPECT_EQ(roundingError(1.0 + 3 * std::ldexp(1.0, -9), bf16),
            std::ldexp(1.0, -9));
  EXPECT_EQ(roundingError(1.0 + std::ldexp(1.0, -8), bf16),
            std::ldexp(1.0, -8));
  EXPECT_EQ(roundingError(-1.0 - std::ldexp(1.0, -9), bf16),
            std::ldexp(1.0, -9));
  EXPECT_EQ(roundingError(1.0, bf16), 0.0);
  // At GELU(8) ≈ 8 bf16 rounding alone can be 2^−5 = 0.031.
  EXPECT_EQ(roundingError(8.0 + std::ldexp(1.0, -5), bf16),
            std::ldexp(1.0, -5));
  // Subnormal: the smallest subnormal's spacing.
  EXPECT_EQ(roundingError(std::ldexp(1.25L, -149), f32),
            static_cast<double>(std::ldexp(0.25L, -149)));
  EXPECT_EQ(roundingError(NAN, f32), 0.0);
  EXPECT_EQ(roundingError(-INFINITY, f32), 0.0);
}

TEST(PointError, CountsWhatTheKernelAddsBeyondTheRounding) {
  FloatFormat bf16 = FloatFormat::bf16();
  // The exact value 1 + 2^−9; 1 is the correctly rounded result.
  double exact = 1.0 + std::ldexp(1.0, -9);
  PointError rounded = pointError(1.0, exact, bf16);
  EXPECT_EQ(rounded.abs, std::ldexp(1.0, -9));
  EXPECT_EQ(rounded.absBeyondRounding, 0.0);
  EXPECT_EQ(rounded.relBeyondRounding, 0.0);
  // The other neighbour, 1 + 2^−7, is 3·2^−9 off: 2^−8 beyond the rounding.
  PointError wrong = pointError(1.0 + std::ldexp(1.0, -7), exact, bf16);
  EXPECT_EQ(wrong.abs, 3 * std::ldexp(1.0, -9));
  EXPECT_EQ(wrong.absBeyondRounding, std::ldexp(1.0, -8));
  EXPECT_DOUBLE_EQ(wrong.relBeyondRounding, std::ldexp(1.0, -8) / exact);
  // A NaN result stays as far off as it gets.
  EXPECT_EQ(pointError(NAN, exact, bf16).absBeyondRounding, HUGE_VAL);
}

} // namespace
