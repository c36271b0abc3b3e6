//===- HardwareApproximationsTest.cpp - The GPU forms' bounds -------------===//
//
// Part of gelu-jit.
//
// The hw_tanh and hw_sigmoid forms compute with NVIDIA's tanh.approx,
// ex2.approx and rcp.approx, which no host has; their model
// (Numerics/HardwareApproximations.h) gives, for each input, the least and
// the greatest result those instructions' documented maximum errors allow.
// Here: both ends keep every invariant of the other kernels (sign, −0, at
// most |x|, NaN, ±inf) on a dense f32 sample and on every 16-bit input;
// the ends differ where an approximation reaches the result, so the model
// is not the exact function in disguise; and the bounds by region are
// those docs/accuracy.md states.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/HardwareApproximations.h"
#include "gelu/Numerics/ErrorMaxima.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/Invariants.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace gelu;

namespace {

constexpr ReferenceFunction kFunctions[] = {ReferenceFunction::GeluTanh,
                                            ReferenceFunction::GeluSigmoid,
                                            ReferenceFunction::Silu};
constexpr HardwareForm kForms[] = {HardwareForm::Tanh, HardwareForm::Sigmoid};

const char *nameOf(HardwareForm form) {
  return form == HardwareForm::Tanh ? "hw_tanh" : "hw_sigmoid";
}

float fromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

/// Every 4096th f32 bit pattern (both signs, every binade, NaNs and
/// infinities), the specials, and every bf16 and f16 value.
std::vector<float> denseInputs() {
  std::vector<float> inputs;
  for (uint64_t bits = 0; bits <= 0xffffffffu; bits += 4093)
    inputs.push_back(fromBits(static_cast<uint32_t>(bits)));
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    inputs.push_back(bf16ToFloat(static_cast<uint16_t>(h)));
    inputs.push_back(f16ToFloat(static_cast<uint16_t>(h)));
  }
  const float inf = std::numeric_limits<float>::infinity();
  for (float x : {0.0f, -0.0f, inf, -inf, std::nanf(""), -0x1p-149f, 0x1p-149f,
                  -1e-30f, 3.4e38f, -3.4e38f})
    inputs.push_back(x);
  return inputs;
}

TEST(HardwareApproximations, EveryResultKeepsTheInvariants) {
  const std::vector<float> inputs = denseInputs();
  for (ReferenceFunction f : kFunctions)
    for (HardwareForm form : kForms) {
      InvariantViolations violations;
      uint64_t unordered = 0;
      for (float x : inputs) {
        ResultRange r = hardwareFormRange(f, form, x);
        violations.check(x, r.lo);
        violations.check(x, r.hi);
        if (!(r.lo <= r.hi) && !(std::isnan(r.lo) && std::isnan(r.hi)))
          ++unordered;
      }
      EXPECT_EQ(violations.total(), 0u)
          << stringifyReferenceFunction(f).str() << " " << nameOf(form) << ": "
          << violations.describe();
      EXPECT_EQ(unordered, 0u) << nameOf(form);
    }
}

/// Where the approximation reaches the result, the two ends differ: the
/// model widens every result by the documented errors, not by nothing.
TEST(HardwareApproximations, TheEndsDifferWhereTheApproximationCounts) {
  for (ReferenceFunction f : kFunctions)
    for (HardwareForm form : kForms)
      for (float x : {-2.5f, -1.0f, -0.3f, 0.7f}) {
        ResultRange r = hardwareFormRange(f, form, x);
        EXPECT_LT(r.lo, r.hi) << stringifyReferenceFunction(f).str() << " "
                              << nameOf(form) << " at " << x;
      }
  // Past the Tanh form's cutoff, and at ±0, the result is exact.
  for (ReferenceFunction f : kFunctions) {
    auto cutoff = static_cast<float>(hardwareTanhCutoff(f));
    float above = std::nextafter(cutoff, 100.0f);
    ResultRange r = hardwareFormRange(f, HardwareForm::Tanh, above);
    EXPECT_EQ(r.lo, above);
    EXPECT_EQ(r.hi, above);
    r = hardwareFormRange(f, HardwareForm::Tanh, -above);
    EXPECT_EQ(r.hi, 0.0f);
    EXPECT_TRUE(std::signbit(r.hi));
  }
}

/// The largest absolute error and ULP error of the ends against the
/// reference on [−10, 10] (every 1021st f32 there), by region.
std::array<ErrorMaxima, kReportRegions> boundOn(ReferenceFunction f,
                                                HardwareForm form) {
  std::array<ErrorMaxima, kReportRegions> regions;
  for (uint32_t bits = 0; bits < 0x41200001u; bits += 1021)
    for (uint32_t sign : {0u, 0x80000000u}) {
      float x = fromBits(bits | sign);
      if (!(std::fabs(x) <= 10.0f))
        continue;
      ResultRange r = hardwareFormRange(f, form, x);
      long double ref = evaluateReference(f, x);
      addToRegions(regions.data(), x, r.lo, ref, FloatFormat::f32());
      addToRegions(regions.data(), x, r.hi, ref, FloatFormat::f32());
    }
  return regions;
}

/// The bounds docs/accuracy.md states (rounded up there): hw_tanh's error
/// is absolute, 2^-12 of |x| up to the cutoff; hw_sigmoid's is under 20 ULPs
/// above −3, and absolute below, where ex2's flushed results are 0.
TEST(HardwareApproximations, BoundsByRegion) {
  struct Expected {
    ReferenceFunction f;
    double tanhAbs, sigmoidUlpNonNegative, sigmoidUlpNegative, sigmoidAbs;
  };
  const Expected expected[] = {
      {ReferenceFunction::GeluTanh, 8.5e-4, 9, 20, 4e-7},
      {ReferenceFunction::GeluSigmoid, 1.2e-3, 9, 12, 7e-7},
      {ReferenceFunction::Silu, 2.1e-3, 9, 9, 1.5e-6},
  };
  for (const Expected &e : expected) {
    auto tanh = boundOn(e.f, HardwareForm::Tanh);
    auto sigmoid = boundOn(e.f, HardwareForm::Sigmoid);
    std::string name = stringifyReferenceFunction(e.f).str();
    EXPECT_LE(tanh[kOverallRegion].maxAbs, e.tanhAbs) << name;
    // Not far under either: the bound is 2^-12 of the cutoff.
    EXPECT_GE(tanh[kOverallRegion].maxAbs, e.tanhAbs / 2) << name;
    EXPECT_LE(sigmoid[0].maxUlp, e.sigmoidUlpNonNegative) << name;
    EXPECT_LE(sigmoid[1].maxUlp, e.sigmoidUlpNegative) << name;
    EXPECT_LE(sigmoid[kOverallRegion].maxAbs, e.sigmoidAbs) << name;
  }
}

} // namespace
