//===- CodegenTest.cpp - Kernel loops at every length and alignment -------===//
//
// Part of gelu-jit.
//
// Every code-generation variant (ISA level, unroll, streaming stores) must
// compute the same values as the plain kernel and touch nothing outside
// in[0, n) and out[0, n), for every n from 0 to 70 and every misalignment
// of in and out within a 64-byte line.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Target.h"
#include "gelu/JIT/Jit.h"

#include "TestHelpers.h"

#include "gtest/gtest.h"

#include <cstring>
#include <string>
#include <vector>

using namespace gelu;

namespace {

struct Variant {
  const char *name;
  const char *json;
};

std::ostream &operator<<(std::ostream &os, const Variant &v) {
  return os << v.name;
}

const Variant kVariants[] = {
    {"host_unroll1", R"({"unroll": 1, "streaming_stores": "never"})"},
    {"host_default", R"({})"},
    {"host_unroll3_streaming",
     R"({"unroll": 3, "streaming_stores": "always"})"},
    {"avx2", R"({"target": "x86-64-v3", "streaming_stores": "never"})"},
    {"avx2_unroll4_streaming",
     R"({"target": "x86-64-v3", "unroll": 4, "streaming_stores": "always"})"},
    {"avx512", R"({"target": "x86-64-v4"})"},
    {"avx512_streaming",
     R"({"target": "x86-64-v4", "unroll": 2, "streaming_stores": "always"})"},
    {"avx512_rational_fast_unroll4",
     R"({"target": "x86-64-v4", "unroll": 4, "expansion": "rational_fast"})"},
};

class KernelVariant : public ::testing::TestWithParam<Variant> {};

constexpr float kCanary = -12345.5f;
constexpr int kGuard = 32; // floats of guard on each side

TEST_P(KernelVariant, ExactlyOutZeroToNAtEveryAlignment) {
  auto kernel = compileKernelFromJson(GetParam().json);
  if (!kernel) {
    std::string error = llvm::toString(kernel.takeError());
    if (error.find("which this CPU lacks") != std::string::npos)
      GTEST_SKIP() << "this CPU cannot run it: " << error;
    FAIL() << error;
  }
  // The plain kernel of the same expansion is the reference: the variants
  // change the loops, not the arithmetic.
  std::string plainJson = R"({"streaming_stores": "never", "unroll": 1)";
  if ((*kernel)->spec().expansion)
    plainJson += std::string(R"(, "expansion": ")") +
                 act::stringifyExpansion(*(*kernel)->spec().expansion).str() +
                 "\"";
  auto plain = compileKernelFromJson(plainJson + "}");
  ASSERT_TRUE(static_cast<bool>(plain)) << llvm::toString(plain.takeError());

  std::vector<float> values(70);
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = -9.0f + 0.27f * static_cast<float>(i);
  std::vector<float> expected(values.size());
  (*plain)->f32()(values.data(), expected.data(), 70);
  // The plain kernel is checked against the reference first: for the
  // host_unroll1 variant it is the kernel itself, and its bit-for-bit
  // comparisons below check only that every length and shift agrees.
  ReferenceFunction f = (*kernel)->spec().referenceFunction();
  double worst = 0;
  for (size_t i = 0; i < values.size(); ++i)
    worst = worstOf(worst, static_cast<double>(fabsl(
                               expected[i] - evaluateReference(f, values[i]))));
  ASSERT_LE(worst, 2e-6) << "the plain kernel against the reference";

  alignas(64) float inBuffer[kGuard + 70 + 16 + kGuard];
  alignas(64) float outBuffer[kGuard + 70 + 16 + kGuard];
  for (int n = 0; n <= 70; ++n)
    for (int inShift = 0; inShift < 16; ++inShift)
      for (int outShift : {inShift, (inShift + 7) % 16}) {
        std::fill(std::begin(inBuffer), std::end(inBuffer), kCanary);
        std::fill(std::begin(outBuffer), std::end(outBuffer), kCanary);
        float *in = inBuffer + kGuard + inShift;
        float *out = outBuffer + kGuard + outShift;
        std::memcpy(in, values.data(), n * sizeof(float));
        (*kernel)->f32()(in, out, n);
        for (int i = 0; i < n; ++i)
          ASSERT_EQ(out[i], expected[i])
              << "n = " << n << ", in +" << inShift << ", out +" << outShift
              << ", element " << i;
        for (float *p = std::begin(outBuffer); p != std::end(outBuffer); ++p)
          if (p < out || p >= out + n) {
            ASSERT_EQ(*p, kCanary)
                << "wrote outside out[0, " << n << ") at offset " << (p - out)
                << " (in +" << inShift << ", out +" << outShift << ")";
          }
        for (int i = 0; i < n; ++i)
          ASSERT_EQ(in[i], values[i]) << "changed its input";
      }
  // In place, at every length.
  for (int n = 0; n <= 70; ++n) {
    std::fill(std::begin(inBuffer), std::end(inBuffer), kCanary);
    float *io = inBuffer + kGuard + 3;
    std::memcpy(io, values.data(), n * sizeof(float));
    (*kernel)->f32()(io, io, n);
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(io[i], expected[i]) << "in place, n = " << n;
    ASSERT_EQ(io[n], kCanary) << "in place, n = " << n;
    ASSERT_EQ(io[-1], kCanary) << "in place, n = " << n;
  }
}

INSTANTIATE_TEST_SUITE_P(Loops, KernelVariant, ::testing::ValuesIn(kVariants),
                         [](const ::testing::TestParamInfo<Variant> &info) {
                           return std::string(info.param.name);
                         });

/// Which feature keeps a CPU from running an ISA level, on feature maps as
/// LLVM reports them (so it is tested on any host).
TEST(KernelVariant, FirstMissingFeatureNamesWhatTheCpuLacks) {
  llvm::StringMap<bool> avx2Only = {
      {"avx", true},  {"avx2", true},     {"fma", true},      {"f16c", true},
      {"bmi2", true}, {"avx512f", false}, {"avx512bw", false}};
  EXPECT_EQ(firstMissingFeature("x86-64-v3", avx2Only), "");
  EXPECT_EQ(firstMissingFeature("x86-64-v4", avx2Only), "avx512f");
  llvm::StringMap<bool> noFma = avx2Only;
  noFma["fma"] = false;
  EXPECT_EQ(firstMissingFeature("x86-64-v3", noFma), "fma");
  llvm::StringMap<bool> avx512 = avx2Only;
  for (const char *f :
       {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"})
    avx512[f] = true;
  EXPECT_EQ(firstMissingFeature("x86-64-v4", avx512), "");
  avx512.erase("avx512vl");
  EXPECT_EQ(firstMissingFeature("x86-64-v4", avx512), "avx512vl");
  EXPECT_EQ(firstMissingFeature("host", {}), "");
  // Named CPUs: by their vector features, with those they imply.
  EXPECT_EQ(firstMissingFeature("haswell", avx2Only), "");
  EXPECT_EQ(firstMissingFeature("znver4", avx2Only), "avx512f");
  EXPECT_EQ(firstMissingFeature("skylake-avx512", noFma), "avx512f");
}

/// Every x86 CPU a spec may name either resolves, with the vector width of
/// its features, or is refused for lacking AVX2 and FMA.
TEST(KernelVariant, NamedCpusResolveOrAreRefusedForLackingFma) {
  for (llvm::StringRef name : x86CpuNames()) {
    auto target = resolveTarget(name);
    if (!target) {
      EXPECT_NE(llvm::toString(target.takeError()).find("lacks AVX2 and FMA"),
                std::string::npos)
          << name.str();
      continue;
    }
    EXPECT_EQ(target->cpu, name.str());
    EXPECT_TRUE(target->vectorBits == 256 || target->vectorBits == 512);
  }
  EXPECT_EQ(resolveTarget("haswell")->vectorBits, 256u);
  EXPECT_EQ(resolveTarget("znver4")->vectorBits, 512u);
  EXPECT_EQ(resolveTarget("x86-64-v4")->vectorBits, 512u);
  auto nehalem = resolveTarget("nehalem");
  ASSERT_FALSE(static_cast<bool>(nehalem));
  EXPECT_NE(llvm::toString(nehalem.takeError()).find("lacks AVX2 and FMA"),
            std::string::npos);
}

/// The spec's target names (Spec.cpp) and the code generator's targets
/// (Target.cpp) are two lists: every name must resolve.
TEST(KernelVariant, EveryTargetTheSpecAcceptsResolves) {
  for (llvm::StringRef name : targetNames()) {
    auto target = resolveTarget(name);
    ASSERT_TRUE(static_cast<bool>(target))
        << name.str() << ": " << llvm::toString(target.takeError());
    EXPECT_GE(target->vectorBits, 128u) << name.str();
  }
}

/// The refusal's hint fits the target: PTX for a GPU (whose object
/// gelu-opt refuses), an object for a CPU.
TEST(KernelVariant, TheRefusalsHintFitsTheTarget) {
  auto gpu = compileKernelFromJson(R"({"target": "nvptx-sm_80"})");
  ASSERT_FALSE(static_cast<bool>(gpu));
  std::string message = llvm::toString(gpu.takeError());
  EXPECT_NE(message.find("--emit=ptx"), std::string::npos) << message;
  EXPECT_EQ(message.find("--emit=obj"), std::string::npos) << message;
  auto arm = resolveTarget("aarch64");
  ASSERT_TRUE(static_cast<bool>(arm));
  if (arm->missingHostFeature.empty())
    return; // this CPU runs AArch64 code
  auto cpu = compileKernelFromJson(R"({"target": "aarch64"})");
  ASSERT_FALSE(static_cast<bool>(cpu));
  message = llvm::toString(cpu.takeError());
  EXPECT_NE(message.find("--emit=obj"), std::string::npos) << message;
}

/// A target this CPU cannot run is refused by the JIT with the reason.
TEST(KernelVariant, UnrunnableTargetIsRefusedNotRun) {
  // The first of these this CPU cannot run (AArch64 on x86, Diamond Rapids'
  // AVX10 is missing from nearly every machine).
  for (const char *name : {"aarch64", "x86-64-v4", "znver5", "diamondrapids"}) {
    auto target = resolveTarget(name);
    ASSERT_TRUE(static_cast<bool>(target));
    if (target->missingHostFeature.empty())
      continue;
    auto kernel =
        compileKernelFromJson(std::string(R"({"target": ")") + name + "\"}");
    ASSERT_FALSE(static_cast<bool>(kernel));
    EXPECT_NE(llvm::toString(kernel.takeError())
                  .find("needs " + target->missingHostFeature +
                        ", which this CPU lacks"),
              std::string::npos);
    return;
  }
  GTEST_SKIP() << "this CPU runs every target tried";
}

} // namespace
