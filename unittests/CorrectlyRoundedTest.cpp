//===- CorrectlyRoundedTest.cpp - The correctly rounded f32 kernels ------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The `correctly_rounded` kernels of exact GELU, tanh GELU, sigmoid GELU,
// SiLU and GELU' (gelu_backward with dy = 1), JIT-compiled for each x86 target
// this CPU runs (x86-64-v4 with AVX-512, x86-64-v3 with AVX2), bit for bit
// against the correctly rounded value (long double, MPFR near midpoints) on a
// dense sample, every bf16 and f16 value, subnormals and the special values;
// and the same bits on every target. (AArch64 under qemu:
// test/Driver/correctly-rounded-aarch64.test. All 2^32 inputs:
// gelu-accuracy --exhaustive, docs/accuracy.md.)
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Target.h"
#include "gelu/JIT/Jit.h"
#include "gelu/JIT/Measurement.h"
#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/MpfrReference.h"
#include "gelu/Numerics/RoundingExceptions.h"

#include "gtest/gtest.h"

#include "llvm/ADT/bit.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace gelu;

namespace {

struct Case {
  const char *name;
  const char *spec; ///< fields of the spec, the expansion added
  ReferenceFunction function;
};

const Case kCases[] = {
    {"exact", R"("op": "gelu")", ReferenceFunction::GeluExact},
    {"tanh", R"("op": "gelu", "approximate": "tanh")",
     ReferenceFunction::GeluTanh},
    {"sigmoid", R"("op": "gelu", "approximate": "sigmoid")",
     ReferenceFunction::GeluSigmoid},
    {"silu", R"("op": "silu")", ReferenceFunction::Silu},
    // dy·GELU'(x), here with dy = 1.
    {"gelu'", R"("op": "gelu_backward")",
     ReferenceFunction::GeluExactDerivative},
};

/// Exact GELU inputs whose value from the 16-lane kernels' table
/// ("phi_cr_table", about 2^-42) lies so near a midpoint between two f32s
/// that it rounds the wrong way: the rounding test must send their vectors
/// to the exponential's form (without that branch these six, and no other
/// input, misround: gelu-accuracy --exhaustive).
constexpr uint32_t kTableNearMidpoint[] = {0xbf84ad16, 0xbfa76c4c, 0xbfadb2af,
                                           0xc0925885, 0xc0cbb566, 0xc0d76985};

/// Every 65 537th f32 encoding, every bf16 and f16 value as an f32, every
/// 97th subnormal of each sign (GELU(x) ≈ x/2 there, often a midpoint
/// between two subnormals), the special values, and the inputs of every
/// function's table of exceptions (RoundingExceptions.h: the f64 value
/// rounds the wrong way, the kernel must take the table's), and the inputs
/// nearest GELU''s zero; first, 32 copies of each kTableNearMidpoint
/// input, so that a 16-lane vector holds that input alone (a lane outside
/// the table would send the vector to the exponential's form anyway).
std::vector<float> sampleInputs() {
  std::vector<float> in;
  for (uint32_t bits : kTableNearMidpoint)
    in.insert(in.end(), 32, llvm::bit_cast<float>(bits));
  for (const Case &c : kCases)
    for (RoundingException e : roundingExceptions(c.function))
      in.push_back(llvm::bit_cast<float>(e.input));
  for (uint64_t bits = 0; bits < (uint64_t(1) << 32); bits += 65537)
    in.push_back(llvm::bit_cast<float>(static_cast<uint32_t>(bits)));
  for (uint32_t h = 0; h < (1u << 16); ++h) {
    in.push_back(halfToFloat(static_cast<uint16_t>(h), /*isBF16=*/true));
    in.push_back(halfToFloat(static_cast<uint16_t>(h), /*isBF16=*/false));
  }
  for (uint32_t bits = 1; bits < (1u << 23); bits += 97) {
    in.push_back(llvm::bit_cast<float>(bits));
    in.push_back(llvm::bit_cast<float>(bits | 0x80000000u));
  }
  // The 2^16 inputs nearest GELU''s zero, where Φ and x·φ cancel.
  const uint32_t root =
      llvm::bit_cast<uint32_t>(static_cast<float>(kGeluDerivativeRootHi));
  for (uint32_t bits = root - (1u << 15); bits < root + (1u << 15); ++bits)
    in.push_back(llvm::bit_cast<float>(bits));
  const float inf = std::numeric_limits<float>::infinity();
  for (float x : {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::max(),
                  -std::numeric_limits<float>::max(),
                  std::numeric_limits<float>::quiet_NaN()})
    in.push_back(x);
  return in;
}

/// The x86 targets this CPU runs.
std::vector<std::string> runnableTargets() {
  std::vector<std::string> out;
  for (const char *name : {"x86-64-v4", "x86-64-v3"}) {
    auto target = resolveTarget(name);
    if (target && target->missingHostFeature.empty())
      out.push_back(name);
    else if (!target)
      llvm::consumeError(target.takeError());
  }
  return out;
}

std::vector<float> run(const std::string &json, const std::vector<float> &in) {
  auto kernel = compileKernelFromJson(json);
  if (!kernel) {
    ADD_FAILURE() << json << ": " << llvm::toString(kernel.takeError());
    return {};
  }
  std::vector<float> out(in.size());
  ActivationCall(**kernel, static_cast<int64_t>(in.size()))(
      in.data(), out.data(), static_cast<int64_t>(in.size()));
  return out;
}

TEST(CorrectlyRoundedTest, EveryResultCorrectlyRoundedAndTheSameOnEveryTarget) {
  std::vector<std::string> targets = runnableTargets();
  if (targets.empty())
    GTEST_SKIP() << "this CPU runs neither x86-64-v4 nor x86-64-v3 code";
  const std::vector<float> in = sampleInputs();
  for (const Case &c : kCases) {
    SCOPED_TRACE(c.name);
    std::vector<float> first;
    for (const std::string &target : targets) {
      SCOPED_TRACE(target);
      std::vector<float> out =
          run(std::string("{") + c.spec +
                  R"(, "expansion": "correctly_rounded", "target": ")" +
                  target + "\"}",
              in);
      ASSERT_EQ(out.size(), in.size());
      int reported = 0;
      for (size_t i = 0; i < in.size(); ++i) {
        float x = in[i];
        if (std::isnan(x)) {
          // The input NaN, quieted: the same bits on every target.
          EXPECT_EQ(llvm::bit_cast<uint32_t>(out[i]),
                    llvm::bit_cast<uint32_t>(x) | 0x400000u);
          continue;
        }
        float right = correctlyRoundedFloat(c.function, x,
                                            evaluateReference(c.function, x));
        if (llvm::bit_cast<uint32_t>(right) !=
                llvm::bit_cast<uint32_t>(out[i]) &&
            reported++ < 5)
          ADD_FAILURE() << "x = " << x << " (0x" << std::hex
                        << llvm::bit_cast<uint32_t>(x) << "): got " << out[i]
                        << ", correctly rounded " << right;
      }
      EXPECT_EQ(reported, 0);
      if (first.empty())
        first = out;
      else
        EXPECT_EQ(0, std::memcmp(first.data(), out.data(),
                                 out.size() * sizeof(float)))
            << target << " differs from " << targets.front();
    }
  }
}

TEST(CorrectlyRoundedTest, OnlyForF32) {
  auto kernel = compileKernelFromJson(
      R"({"op": "gelu", "dtype": "bf16", "expansion": "correctly_rounded"})");
  ASSERT_FALSE(static_cast<bool>(kernel));
  EXPECT_NE(llvm::toString(kernel.takeError())
                .find("at /expansion: 'correctly_rounded' rounds f32 results"),
            std::string::npos);
}

} // namespace
