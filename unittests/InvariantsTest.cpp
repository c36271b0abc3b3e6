//===- InvariantsTest.cpp - Sign and bound at every budget ----------------===//
//
// Part of gelu-jit.
//
// Every GELU and SiLU kernel, at every expansion and degree the catalog
// has, keeps what Numerics/Invariants.h lists: the sign of x (−0 for −0
// and for negatives that underflow), |f(x)| ≤ |x|, NaN for NaN, +inf for
// +inf and −0 for −inf. f32 kernels on a dense sample (and gelu-accuracy
// --invariants on all 2^32 inputs), 16-bit kernels on every input. The
// GPU's hardware forms, whose bits no host computes, have their bounds
// checked in HardwareApproximationsTest.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Invariants.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/Jit.h"
#include "gelu/JIT/Measurement.h"
#include "gelu/Numerics/HalfFloat.h"

#include "TestHelpers.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace gelu;

namespace {

/// Every CPU expansion and degree of `op` (with `approximate`), from the
/// catalog: a new expansion is checked without editing this file.
std::vector<KernelSpec> everyForm(KernelOp op, act::Approximate approximate,
                                  DType dtype) {
  KernelSpec base;
  base.op = op;
  base.approximate = approximate;
  base.dtype = dtype;
  base.name = "k";
  std::vector<KernelSpec> specs;
  for (act::Expansion e : cpuExpansionsFor(base.referenceFunction())) {
    KernelSpec spec = base;
    spec.expansion = e;
    specs.push_back(spec);
    for (unsigned degree :
         degreesOf(base.referenceFunction(), e, base.dtype == DType::F64)) {
      spec.degree = degree;
      specs.push_back(spec);
    }
  }
  return specs;
}

/// The GELU and SiLU kernels in `dtype`: every form of the four functions,
/// and the fused and gated ops at their defaults (through their activation,
/// the other operands neutral: ActivationCall).
std::vector<KernelSpec> signKeepingSpecs(DType dtype) {
  std::vector<KernelSpec> specs;
  for (act::Approximate a : {act::Approximate::none, act::Approximate::tanh,
                             act::Approximate::sigmoid})
    for (const KernelSpec &s : everyForm(KernelOp::Gelu, a, dtype))
      specs.push_back(s);
  for (const KernelSpec &s :
       everyForm(KernelOp::Silu, act::Approximate::none, dtype))
    specs.push_back(s);
  for (KernelOp op : {KernelOp::BiasGelu, KernelOp::Geglu, KernelOp::Swiglu}) {
    KernelSpec spec;
    spec.op = op;
    spec.dtype = dtype;
    spec.name = "k";
    specs.push_back(spec);
  }
  return specs;
}

float fromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

/// The f32 inputs: every 4099th encoding (every magnitude, both signs,
/// ~1 M), the smallest subnormals, a grid on [−8, 8] that is dense where
/// the fits meet their clamps, and the special values.
std::vector<float> f32Inputs() {
  std::vector<float> in;
  for (uint64_t bits = 0; bits < (uint64_t(1) << 32); bits += 4099)
    in.push_back(fromBits(static_cast<uint32_t>(bits)));
  for (uint32_t k = 1; k <= 256; ++k) {
    in.push_back(fromBits(k));
    in.push_back(fromBits(0x80000000u | k));
  }
  for (float x = -8; x <= 8; x += 1.0f / 1024)
    in.push_back(x);
  for (float x = 2.5f; x <= 6; x += 1.0f / 65536) {
    in.push_back(x);
    in.push_back(-x);
  }
  const float inf = std::numeric_limits<float>::infinity();
  for (float x :
       {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN(),
        -std::numeric_limits<float>::quiet_NaN(),
        std::numeric_limits<float>::max(), -std::numeric_limits<float>::max()})
    in.push_back(x);
  return in;
}

TEST(Invariants, EveryF32FormKeepsSignAndBound) {
  static const std::vector<float> in = f32Inputs();
  std::vector<float> out(in.size());
  for (const KernelSpec &spec : signKeepingSpecs(DType::F32)) {
    SCOPED_TRACE(spec.toJson());
    ASSERT_TRUE(keepsSignAndBound(spec.referenceFunction()));
    auto kernel = compileKernel(spec);
    ASSERT_TRUE(static_cast<bool>(kernel)) << toString(kernel.takeError());
    ActivationCall(**kernel, static_cast<int64_t>(in.size()))(
        in.data(), out.data(), static_cast<int64_t>(in.size()));
    InvariantViolations broken;
    for (size_t i = 0; i < in.size(); ++i)
      broken.check(in[i], out[i]);
    EXPECT_EQ(broken.total(), 0u) << broken.describe();
  }
}

TEST(Invariants, Every16BitFormKeepsSignAndBoundOnEveryInput) {
  GELU_SKIP_UNDER_SANITIZERS();
  std::vector<uint16_t> in(1 << 16), out(1 << 16);
  for (uint32_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<uint16_t>(i);
  for (DType dtype : {DType::BF16, DType::F16})
    for (const KernelSpec &spec : signKeepingSpecs(dtype)) {
      SCOPED_TRACE(spec.toJson());
      auto kernel = compileKernel(spec);
      ASSERT_TRUE(static_cast<bool>(kernel)) << toString(kernel.takeError());
      ActivationCall(**kernel, 1 << 16)(in.data(), out.data(), 1 << 16);
      bool isBF16 = dtype == DType::BF16;
      InvariantViolations broken;
      for (uint32_t i = 0; i < in.size(); ++i)
        broken.check(halfToFloat(in[i], isBF16), halfToFloat(out[i], isBF16));
      EXPECT_EQ(broken.total(), 0u) << broken.describe();
    }
}

TEST(Invariants, TheCheckerSeesEachKindOfBreak) {
  // The checker itself: a test of the kernels is only as good as this.
  InvariantViolations v;
  v.check(-2.0f, 0.0);         // +0 for a negative input
  v.check(-0.0f, 0.0);         // +0 for −0
  v.check(3.0f, 3.0000002);    // above x
  v.check(std::nanf(""), 1.0); // NaN lost
  v.check(-INFINITY, -1.0);    // −inf must give −0
  v.check(1.0f, std::nan("")); // NaN for a finite input
  EXPECT_EQ(v.wrongSign, 3u);
  EXPECT_EQ(v.aboveInput, 1u);
  EXPECT_EQ(v.wrongSpecial, 2u);
  EXPECT_EQ(v.wrongSignAt, -2.0f);
  InvariantViolations fine;
  for (float x : {-5.0f, -1e-45f, -0.0f, 0.0f, 1e-45f, 7.0f})
    fine.check(x,
               x < 0 || std::signbit(x) ? -std::fabs(x) / 2 : std::fabs(x) / 2);
  fine.check(INFINITY, INFINITY);
  fine.check(-INFINITY, -0.0);
  fine.check(std::nanf(""), std::nan(""));
  EXPECT_EQ(fine.total(), 0u) << fine.describe();
  EXPECT_FALSE(keepsSignAndBound(ReferenceFunction::Relu));
  EXPECT_FALSE(keepsSignAndBound(ReferenceFunction::GeluExactDerivative));
}

} // namespace
