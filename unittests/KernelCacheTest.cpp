//===- KernelCacheTest.cpp - Compiled kernels shared by spec and CPU -----===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/KernelCache.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

using namespace gelu;

namespace {

TEST(KernelCache, ConcurrentRequestsForOneSpecCompileOnce) {
  KernelCache cache;
  const char *json = R"({"name": "cached_silu", "op": "silu"})";
  std::vector<std::shared_ptr<const Kernel>> got(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&, i] {
      auto kernel = cache.get(json);
      if (kernel)
        got[i] = *kernel;
      else
        ADD_FAILURE() << llvm::toString(kernel.takeError());
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(cache.compiles(), 1u);
  EXPECT_EQ(cache.hits(), got.size() - 1);
  EXPECT_EQ(cache.size(), 1u);
  for (const auto &k : got) {
    ASSERT_NE(k, nullptr);
    EXPECT_EQ(k.get(), got[0].get()) << "every request gets the same kernel";
  }
  // The shared kernel works.
  float in[3] = {-1.0f, 0.0f, 2.0f}, out[3];
  got[0]->f32()(in, out, 3);
  EXPECT_NEAR(out[2], 2.0f / (1.0f + std::exp(-2.0f)), 1e-6f);
}

TEST(KernelCache, TheKeyIsTheWholeSpec) {
  KernelCache cache;
  auto a = cache.get(R"({"name": "k"})");
  auto b = cache.get(R"({"name": "k", "expansion": "erfc_fast"})");
  auto c = cache.get(R"({"name": "k", "dtype": "bf16"})");
  auto again = cache.get(R"({"expansion": "erfc", "name": "k"})");
  ASSERT_TRUE(a && b && c && again);
  EXPECT_NE(a->get(), b->get());
  EXPECT_NE(a->get(), c->get());
  // Naming the default expansion is a different spec (a budget is searched
  // only when none is named), so it has its own entry.
  EXPECT_EQ(cache.compiles(), 4u);
  auto aAgain = cache.get(R"({"name": "k"})");
  ASSERT_TRUE(static_cast<bool>(aAgain));
  EXPECT_EQ(aAgain->get(), a->get());
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(KernelCache, FailuresAreReportedAndNotCached) {
  KernelCache cache;
  auto bad = cache.get(R"({"target": "nehalem"})");
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("lacks AVX2"),
            std::string::npos);
  EXPECT_EQ(cache.size(), 0u);
  auto malformed = cache.get(R"({"op": "swish"})");
  ASSERT_FALSE(static_cast<bool>(malformed));
  EXPECT_NE(llvm::toString(malformed.takeError()).find("unknown op"),
            std::string::npos);
}

TEST(KernelCache, ClearKeepsHandedOutKernelsAlive) {
  KernelCache cache;
  auto kernel = cache.get(R"({"name": "kept", "op": "relu"})");
  ASSERT_TRUE(static_cast<bool>(kernel));
  std::shared_ptr<const Kernel> held = *kernel;
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  float in[2] = {-1.0f, 3.0f}, out[2];
  held->f32()(in, out, 2);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 3.0f);
}

/// Eight threads compile and run kernels for many specs at once through
/// the shared cache, the same specs from several threads and different
/// ones side by side; every result must equal the one the same kernel
/// gives when run alone.
TEST(KernelCache, StressManySpecsFromEightThreads) {
  const std::vector<std::string> specs = {
      R"({"name": "stress_a"})",
      R"({"name": "stress_b", "op": "silu"})",
      R"({"name": "stress_c", "approximate": "tanh"})",
      R"({"name": "stress_d", "expansion": "rational", "degree": 4})",
      R"({"name": "stress_e", "op": "relu", "unroll": 2})",
      R"({"name": "stress_f", "expansion": "erfc_fast", "vector_bits": 256})",
      R"({"name": "stress_g", "approximate": "sigmoid", "streaming_stores": "always"})",
      R"({"name": "stress_h", "target": "x86-64-v3"})",
  };
  KernelCache cache;
  constexpr int64_t n = 1000;
  std::vector<float> in(n);
  for (int64_t i = 0; i < n; ++i)
    in[i] = -9.0f + 18.0f * static_cast<float>(i) / n;
  // The expected results, from kernels compiled alone.
  std::vector<std::vector<float>> expected;
  for (const std::string &json : specs) {
    auto kernel = compileKernelFromJson(json);
    ASSERT_TRUE(static_cast<bool>(kernel))
        << llvm::toString(kernel.takeError());
    expected.emplace_back(n);
    (*kernel)->f32()(in.data(), expected.back().data(), n);
  }
  std::atomic<int> mismatches{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      std::vector<float> out(n);
      for (int round = 0; round < 6; ++round)
        for (size_t s = 0; s < specs.size(); ++s) {
          // Each thread walks the specs from its own starting point, so a
          // spec is asked for by several threads at once.
          size_t which = (s + static_cast<size_t>(t) + round) % specs.size();
          auto kernel = cache.get(specs[which]);
          if (!kernel) {
            llvm::consumeError(kernel.takeError());
            ++failures;
            continue;
          }
          std::fill(out.begin(), out.end(), -1.0f);
          if (llvm::Error err = (*kernel)->run(in.data(), out.data(), n)) {
            llvm::consumeError(std::move(err));
            ++failures;
            continue;
          }
          if (std::memcmp(out.data(), expected[which].data(),
                          n * sizeof(float)) != 0)
            ++mismatches;
        }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(cache.compiles(), specs.size()) << "each spec compiled once";
  EXPECT_EQ(cache.hits(), 8 * 6 * specs.size() - specs.size());
}

} // namespace
