//===- GpuRuntimeTest.cpp - Kernels on an NVIDIA GPU, or clean errors ----===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Where no NVIDIA driver or GPU exists, every entry of the GPU runtime must
// fail with a message naming what is missing; where one exists, the GPU
// kernels must agree with the CPU kernels of the same expansion. The
// run-time tests skip, saying why, on machines without a GPU.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/GpuRuntime.h"
#include "gelu/JIT/Jit.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/Reference.h"

#include "TestHelpers.h"

#include "gtest/gtest.h"

#include <cmath>
#include <vector>

using namespace gelu;

namespace {

/// Why this machine cannot run GPU kernels ("" when it can).
std::string gpuProblem() {
  llvm::Error err = gpuAvailable();
  return err ? llvm::toString(std::move(err)) : "";
}

TEST(GpuRuntime, WithoutAGpuEveryEntryFailsCleanly) {
  std::string problem = gpuProblem();
  if (problem.empty())
    GTEST_SKIP() << "this machine has an NVIDIA GPU: the run-time tests "
                    "below exercise it";
  // The reason names what is missing.
  EXPECT_TRUE(problem.find("libcuda.so.1") != std::string::npos ||
              problem.find("no NVIDIA GPU") != std::string::npos ||
              problem.find("CUDA") != std::string::npos)
      << problem;
  auto kernel = GpuKernel::compile(specOf(R"({"target": "nvptx-sm_80"})"));
  ASSERT_FALSE(static_cast<bool>(kernel));
  EXPECT_EQ(llvm::toString(kernel.takeError()), problem);
  auto buffer = GpuBuffer::allocate(1024);
  ASSERT_FALSE(static_cast<bool>(buffer));
  EXPECT_EQ(llvm::toString(buffer.takeError()), problem);
  auto target = gpuTargetName();
  ASSERT_FALSE(static_cast<bool>(target));
  llvm::consumeError(target.takeError());
}

TEST(GpuRuntime, OnlyGpuTargets) {
  auto host = GpuKernel::compile(specOf("{}"));
  ASSERT_FALSE(static_cast<bool>(host));
  EXPECT_EQ(llvm::toString(host.takeError()),
            "a GPU kernel needs an nvptx target (nvptx-sm_80, ...), not "
            "'host'");
  // The CPU JIT refuses a GPU target, pointing to the GPU path.
  auto cpu = compileKernelFromJson(R"({"target": "nvptx-sm_90"})");
  ASSERT_FALSE(static_cast<bool>(cpu));
  EXPECT_NE(llvm::toString(cpu.takeError()).find("gelu::GpuKernel"),
            std::string::npos);
}

/// The GPU kernel against the CPU kernel of the same spec, on n values of
/// [-12, 12] and the special values, at a misaligned offset too.
void expectGpuMatchesCpu(const std::string &specJson, double maxUlps) {
  auto target = gpuTargetName();
  ASSERT_TRUE(static_cast<bool>(target)) << llvm::toString(target.takeError());
  KernelSpec gpuSpec = specOf(specJson);
  gpuSpec.target = *target;
  auto gpu = GpuKernel::compile(gpuSpec);
  ASSERT_TRUE(static_cast<bool>(gpu)) << llvm::toString(gpu.takeError());
  KernelSpec cpuSpec = specOf(specJson);
  auto cpu = compileKernel(cpuSpec);
  ASSERT_TRUE(static_cast<bool>(cpu)) << llvm::toString(cpu.takeError());
  ASSERT_EQ(cpuSpec.dtype, DType::F32) << "f32 specs only here";

  const int64_t n = (1 << 20) + 3;
  std::vector<float> in(n + 1), expected(n + 1), got(n + 1, -1.0f);
  for (int64_t i = 0; i <= n; ++i)
    in[i] = -12.0f + 24.0f * static_cast<float>(i) / n;
  in[5] = NAN;
  in[6] = INFINITY;
  in[7] = -INFINITY;
  in[8] = -0.0f;
  auto inBuffer = GpuBuffer::allocate((n + 1) * 4);
  auto outBuffer = GpuBuffer::allocate((n + 1) * 4);
  ASSERT_TRUE(inBuffer && outBuffer);
  ASSERT_FALSE(
      static_cast<bool>((*inBuffer)->copyFromHost(in.data(), (n + 1) * 4)));
  for (int64_t offset : {0, 1}) {
    (*cpu)->f32()(in.data() + offset, expected.data() + offset, n);
    ASSERT_FALSE(static_cast<bool>(
        (*gpu)->run((*inBuffer)->address() + 4 * offset,
                    (*outBuffer)->address() + 4 * offset, n)));
    ASSERT_FALSE(
        static_cast<bool>((*outBuffer)->copyToHost(got.data(), (n + 1) * 4)));
    double worst = 0;
    for (int64_t i = offset; i < n + offset; ++i) {
      if (std::isnan(expected[i])) {
        EXPECT_TRUE(std::isnan(got[i])) << "x = " << in[i];
        continue;
      }
      worst = std::max(worst,
                       ulpError(got[i], static_cast<long double>(expected[i]),
                                FloatFormat::f32()));
    }
    EXPECT_LE(worst, maxUlps) << specJson << " at offset " << offset;
  }
}

TEST(GpuRuntime, KernelsMatchTheCpuKernels) {
  std::string problem = gpuProblem();
  if (!problem.empty())
    GTEST_SKIP() << "no GPU to run on: " << problem;
  expectGpuMatchesCpu(R"({"name": "gelu_gpu"})", 1.0);
  expectGpuMatchesCpu(R"({"name": "gelu_rational", "expansion": "rational"})",
                      1.0);
  expectGpuMatchesCpu(R"({"name": "silu_gpu", "op": "silu"})", 1.0);
}

} // namespace
