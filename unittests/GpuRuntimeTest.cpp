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
#include "../lib/JIT/BufferChecks.h"
#include "gelu/JIT/Jit.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/Reference.h"

#include "TestHelpers.h"

#include "gtest/gtest.h"

#include <cmath>
#include <sys/mman.h>
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

TEST(GpuRuntime, DeviceBuffersAreCheckedLikeHostOnes) {
  // The checks the GPU calls make before a launch (BufferChecks.h), on
  // device addresses: no mapping check (they are not host memory), the
  // rest as for the CPU calls.
  KernelSpec spec = specOf(R"({"name": "k", "op": "gelu_backward"})");
  // An address range just unmapped: no host memory there (a fixed address
  // can be the sanitizers' shadow memory).
  const uint64_t reserved = uint64_t(3) << 30;
  void *probe = ::mmap(nullptr, reserved, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(probe, MAP_FAILED);
  ::munmap(probe, reserved);
  const uint64_t base = reinterpret_cast<uintptr_t>(probe);
  auto check = [&](std::vector<BufferArg> buffers) {
    llvm::Error err = checkBuffers(spec, buffers, BufferMemory::Device);
    return err ? llvm::toString(std::move(err)) : std::string();
  };
  const uint64_t bytes = uint64_t(1) << 30;
  EXPECT_EQ(check({{"x", base, bytes, 4, false, true},
                   {"y", base + bytes, bytes, 4, false, true},
                   {"out", base, bytes, 4, true, true}}),
            "");
  EXPECT_EQ(check({{"x", base, bytes, 4, false, true},
                   {"y", base + 2, bytes, 4, false, true},
                   {"out", base + 2 * bytes, bytes, 4, true, true}}),
            "kernel 'k': y is not aligned to its 4-byte elements");
  EXPECT_EQ(check({{"x", base, bytes, 4, false, true},
                   {"y", base + 2 * bytes, bytes, 4, false, true},
                   {"out", base + 4, bytes, 4, true, true}}),
            "kernel 'k': x and out overlap without being the same buffer (in "
            "place needs x == out)");
  EXPECT_EQ(check({{"x", 0, bytes, 4, false, true},
                   {"out", base, bytes, 4, true, true}}),
            "kernel 'k': x is a null pointer");
  // The same buffers as host memory: unmapped from 1 MiB on.
  llvm::Error host = checkBuffers(spec, {{"x", base, bytes, 4, false, true}},
                                  BufferMemory::Host);
  ASSERT_TRUE(static_cast<bool>(host));
  EXPECT_NE(llvm::toString(std::move(host)).find("not mapped memory"),
            std::string::npos);
  llvm::Error zero = checkCount(spec, "n", 0, 4);
  ASSERT_TRUE(static_cast<bool>(zero));
  EXPECT_EQ(llvm::toString(std::move(zero)),
            "kernel 'k': n must be at least 1, got 0");
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

/// The kernel of `json` for this machine's GPU and for the CPU (nulls, with
/// a failure recorded, where either does not compile).
struct GpuAndCpu {
  std::unique_ptr<GpuKernel> gpu;
  std::unique_ptr<Kernel> cpu;
};
GpuAndCpu compileForBoth(const std::string &json) {
  auto target = gpuTargetName();
  if (!target) {
    ADD_FAILURE() << llvm::toString(target.takeError());
    return {};
  }
  KernelSpec gpuSpec = specOf(json);
  gpuSpec.target = *target;
  auto gpu = GpuKernel::compile(gpuSpec);
  auto cpu = compileKernel(specOf(json));
  if (!gpu || !cpu) {
    ADD_FAILURE() << json << ": "
                  << (gpu ? "" : llvm::toString(gpu.takeError()))
                  << (cpu ? "" : llvm::toString(cpu.takeError()));
    return {};
  }
  return {std::move(*gpu), std::move(*cpu)};
}

/// A device copy of `host`.
std::unique_ptr<GpuBuffer> onDevice(const std::vector<float> &host) {
  auto buffer = GpuBuffer::allocate(host.size() * 4);
  EXPECT_TRUE(static_cast<bool>(buffer)) << llvm::toString(buffer.takeError());
  if (!buffer)
    return nullptr;
  EXPECT_FALSE(
      static_cast<bool>((*buffer)->copyFromHost(host.data(), host.size() * 4)));
  return std::move(*buffer);
}

/// Host values of `buffer`'s first n floats.
std::vector<float> fromDevice(const GpuBuffer &buffer, size_t n) {
  std::vector<float> host(n, -1.0f);
  EXPECT_FALSE(static_cast<bool>(buffer.copyToHost(host.data(), n * 4)));
  return host;
}

/// The largest ULP distance of `got` from `expected` (NaN must be NaN).
double worstUlps(const std::vector<float> &got,
                 const std::vector<float> &expected) {
  double worst = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "at " << i;
      continue;
    }
    worst =
        std::max(worst, ulpError(got[i], static_cast<long double>(expected[i]),
                                 FloatFormat::f32()));
  }
  return worst;
}

/// The GPU and CPU kernels of `op` on the same two-input data, and the
/// checks of the GPU calls.
TEST(GpuRuntime, TrainingKernelsMatchTheCpuKernels) {
  std::string problem = gpuProblem();
  if (!problem.empty())
    GTEST_SKIP() << "no GPU to run on: " << problem;
  const int64_t n = (1 << 18) + 5;
  std::vector<float> x(n), y(n);
  for (int64_t i = 0; i < n; ++i) {
    x[i] = -12.0f + 24.0f * static_cast<float>(i) / n;
    y[i] = 0.5f + static_cast<float>(i % 7) / 4;
  }
  x[3] = NAN;
  x[4] = -0.0f;
  for (const char *op : {"gelu_backward", "geglu", "swiglu"}) {
    auto [gpu, cpu] =
        compileForBoth(std::string(R"({"name": "k", "op": ")") + op + "\"}");
    ASSERT_TRUE(gpu && cpu);
    std::vector<float> expected(n);
    ASSERT_FALSE(static_cast<bool>(
        cpu->runBinary(x.data(), y.data(), expected.data(), n)));
    auto dx = onDevice(x), dy = onDevice(y), dout = onDevice(x);
    ASSERT_TRUE(dx && dy && dout);
    ASSERT_FALSE(static_cast<bool>(
        gpu->runBinary(dx->address(), dy->address(), dout->address(), n)));
    EXPECT_LE(worstUlps(fromDevice(*dout, n), expected), 1.0) << op;
    // In place, and the checks: n = 0, misaligned, overlapping, wrong call.
    ASSERT_FALSE(static_cast<bool>(
        gpu->runBinary(dx->address(), dy->address(), dx->address(), n)));
    EXPECT_LE(worstUlps(fromDevice(*dx, n), expected), 1.0) << op;
    auto message = [](llvm::Error err) {
      return err ? llvm::toString(std::move(err)) : std::string("no error");
    };
    EXPECT_EQ(message(gpu->runBinary(dx->address(), dy->address(),
                                     dout->address(), 0)),
              "kernel 'k': n must be at least 1, got 0");
    EXPECT_EQ(message(gpu->runBinary(dx->address() + 2, dy->address(),
                                     dout->address(), n - 1)),
              "kernel 'k': x is not aligned to its 4-byte elements");
    EXPECT_EQ(message(gpu->runBinary(dx->address(), dy->address(),
                                     dx->address() + 4, n - 1)),
              "kernel 'k': x and out overlap without being the same buffer "
              "(in place needs x == out)");
    EXPECT_NE(
        message(gpu->run(dx->address(), dout->address(), n)).find("runBinary"),
        std::string::npos);
  }
}

TEST(GpuRuntime, BiasGeluMatchesTheCpuKernel) {
  std::string problem = gpuProblem();
  if (!problem.empty())
    GTEST_SKIP() << "no GPU to run on: " << problem;
  auto [gpu, cpu] = compileForBoth(R"({"name": "k", "op": "bias_gelu"})");
  ASSERT_TRUE(gpu && cpu);
  // Rows of whole vectors (the vector path) and of an odd width (scalar).
  for (int64_t cols : {int64_t(768), int64_t(37)}) {
    const int64_t rows = 301, n = rows * cols;
    std::vector<float> x(n), bias(cols), expected(n);
    for (int64_t i = 0; i < n; ++i)
      x[i] = -9.0f + 18.0f * static_cast<float>((i * 7919) % n) / n;
    for (int64_t c = 0; c < cols; ++c)
      bias[c] = -1.0f + static_cast<float>(c % 13) / 6;
    ASSERT_FALSE(static_cast<bool>(
        cpu->runBias(x.data(), bias.data(), expected.data(), rows, cols)));
    auto dx = onDevice(x), dbias = onDevice(bias), dy = onDevice(x);
    ASSERT_TRUE(dx && dbias && dy);
    ASSERT_FALSE(static_cast<bool>(gpu->runBias(dx->address(), dbias->address(),
                                                dy->address(), rows, cols)));
    EXPECT_LE(worstUlps(fromDevice(*dy, n), expected), 1.0) << cols;
    llvm::Error zero =
        gpu->runBias(dx->address(), dbias->address(), dy->address(), rows, 0);
    ASSERT_TRUE(static_cast<bool>(zero));
    EXPECT_EQ(llvm::toString(std::move(zero)),
              "kernel 'k': cols must be at least 1, got 0");
  }
}

TEST(GpuRuntime, BiasGeluBackwardMatchesTheCpuKernel) {
  std::string problem = gpuProblem();
  if (!problem.empty())
    GTEST_SKIP() << "no GPU to run on: " << problem;
  auto [gpu, cpu] =
      compileForBoth(R"({"name": "k", "op": "bias_gelu_backward"})");
  ASSERT_TRUE(gpu && cpu);
  for (int64_t cols : {int64_t(768), int64_t(37)}) {
    const int64_t rows = 4099, n = rows * cols;
    std::vector<float> x(n), dy(n), bias(cols), expected(n), expectedSums(cols);
    for (int64_t i = 0; i < n; ++i) {
      x[i] = -9.0f + 18.0f * static_cast<float>((i * 7919) % n) / n;
      dy[i] = 0.25f * static_cast<float>(1 + i % 4);
    }
    for (int64_t c = 0; c < cols; ++c)
      bias[c] = -1.0f + static_cast<float>(c % 13) / 6;
    ASSERT_FALSE(static_cast<bool>(
        cpu->runBiasBackward(x.data(), bias.data(), dy.data(), expected.data(),
                             expectedSums.data(), rows, cols)));
    auto dx = onDevice(x), dbias = onDevice(bias), ddy = onDevice(dy),
         dout = onDevice(x), dsums = onDevice(bias);
    ASSERT_TRUE(dx && dbias && ddy && dout && dsums);
    ASSERT_FALSE(static_cast<bool>(
        gpu->runBiasBackward(dx->address(), dbias->address(), ddy->address(),
                             dout->address(), dsums->address(), rows, cols)));
    std::vector<float> got = fromDevice(*dout, n);
    EXPECT_LE(worstUlps(got, expected), 1.0) << cols;
    // dbias: the sums of the dx written, within what any order of f32
    // additions keeps; and the same bits from a second call.
    std::vector<float> sums = fromDevice(*dsums, cols);
    for (int64_t c = 0; c < cols; ++c) {
      double sum = 0, magnitude = 0;
      for (int64_t r = 0; r < rows; ++r) {
        sum += got[r * cols + c];
        magnitude += std::fabs(got[r * cols + c]);
      }
      EXPECT_LE(std::fabs(sums[c] - sum), rows * 0x1p-24 * magnitude)
          << "column " << c;
    }
    ASSERT_FALSE(static_cast<bool>(
        gpu->runBiasBackward(dx->address(), dbias->address(), ddy->address(),
                             dout->address(), dsums->address(), rows, cols)));
    EXPECT_EQ(fromDevice(*dsums, cols), sums) << "not deterministic";
    llvm::Error overlap =
        gpu->runBiasBackward(dx->address(), dbias->address(), ddy->address(),
                             dout->address(), dout->address(), rows, cols);
    ASSERT_TRUE(static_cast<bool>(overlap));
    EXPECT_EQ(llvm::toString(std::move(overlap)),
              "kernel 'k': dx and dbias overlap");
  }
}

} // namespace
