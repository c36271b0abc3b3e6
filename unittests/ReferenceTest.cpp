//===- ReferenceTest.cpp - The reference functions and the ULP metric ----===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Reference.h"

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

} // namespace
