//===- RuntimeTest.cpp - Threads and typed entry points -------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Jit.h"
#include "gelu/JIT/ThreadPool.h"

#include "gtest/gtest.h"

#include <atomic>
#include <thread>
#include <vector>

using namespace gelu;

namespace {

std::string errorOf(llvm::Error err) {
  return err ? llvm::toString(std::move(err)) : std::string();
}

TEST(ThreadPool, RunsEveryTaskOnceAndWaitsForThem) {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> hits(100);
  pool.parallelFor(100, [&](unsigned i) { hits[i]++; });
  for (auto &h : hits)
    EXPECT_EQ(h.load(), 1);
  // Several callers at once, and a caller inside a task.
  std::atomic<int> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c)
    callers.emplace_back([&] {
      pool.parallelFor(8, [&](unsigned) {
        pool.parallelFor(4, [&](unsigned) { total++; });
      });
    });
  for (auto &t : callers)
    t.join();
  EXPECT_EQ(total.load(), 4 * 8 * 4);
}

TEST(ThreadPool, WithoutWorkersTheCallerDoesEverything) {
  ThreadPool pool(0);
  int sum = 0;
  pool.parallelFor(10, [&](unsigned i) { sum += static_cast<int>(i); });
  EXPECT_EQ(sum, 45);
}

/// Threads split the range; each chunk is the same kernel, so the results
/// are bit-identical to one thread, with and without streaming stores.
TEST(ThreadedRun, MatchesOneThreadExactly) {
  for (const char *json :
       {R"({})", R"({"streaming_stores": "always", "unroll": 3})"}) {
    auto kernel = compileKernelFromJson(json);
    ASSERT_TRUE(static_cast<bool>(kernel))
        << llvm::toString(kernel.takeError());
    const int64_t n = 3 * kMinElementsPerThread + 37;
    std::vector<float> in(n), one(n), many(n), all(n);
    for (int64_t i = 0; i < n; ++i)
      in[i] = -12.0f + 24.0f * static_cast<float>(i) / static_cast<float>(n);
    ASSERT_EQ(errorOf((*kernel)->run(in.data(), one.data(), n)), "");
    ASSERT_EQ(errorOf((*kernel)->run(in.data(), many.data(), n, {3})), "");
    ASSERT_EQ(errorOf((*kernel)->run(in.data(), all.data(), n, {0})), "");
    for (int64_t i = 0; i < n; ++i) {
      ASSERT_EQ(one[i], many[i]) << json << " at " << i;
      ASSERT_EQ(one[i], all[i]) << json << " at " << i;
    }
    // In place, threaded.
    std::vector<float> io = in;
    ASSERT_EQ(errorOf((*kernel)->run(io.data(), io.data(), n, {2})), "");
    for (int64_t i = 0; i < n; ++i)
      ASSERT_EQ(io[i], one[i]) << json << " in place at " << i;
  }
}

TEST(TypedEntries, SixteenBitKernelsHaveTheirOwnTypes) {
  auto bf16 = compileKernelFromJson(R"({"dtype": "bf16"})");
  auto f16 = compileKernelFromJson(R"({"dtype": "f16"})");
  ASSERT_TRUE(bf16 && f16);
  EXPECT_NE((*bf16)->bf16(), nullptr);
  EXPECT_EQ((*bf16)->f16(), nullptr);
  EXPECT_EQ((*bf16)->f32(), nullptr);
  EXPECT_NE((*f16)->f16(), nullptr);
  EXPECT_EQ((*f16)->bf16(), nullptr);

  BFloat16 b[2] = {{0x3f80}, {0xbf80}}; // 1.0, −1.0
  BFloat16 bOut[2] = {};
  ASSERT_EQ(errorOf((*bf16)->run(b, bOut, 2)), "");
  EXPECT_EQ(bOut[0].bits, 0x3f57);  // GELU(1) = 0.8413 → bf16 0.83984375
  Half h[2] = {{0x3c00}, {0xbc00}}; // 1.0, −1.0
  Half hOut[2] = {};
  EXPECT_NE(
      errorOf((*bf16)->run(h, hOut, 2)).find("its elements are bf16, not f16"),
      std::string::npos);
  EXPECT_EQ(hOut[0].bits, 0) << "a rejected call wrote to out";
  ASSERT_EQ(errorOf((*f16)->run(h, hOut, 2)), "");
  EXPECT_EQ(hOut[0].bits, 0x3abb); // GELU(1) = 0.8413 → f16 0.84130859
  // Raw 16-bit encodings are accepted by either.
  uint16_t raw[1] = {0x3f80}, rawOut[1] = {};
  ASSERT_EQ(errorOf((*bf16)->run(raw, rawOut, 1)), "");
  EXPECT_EQ(rawOut[0], 0x3f57);
}

} // namespace
