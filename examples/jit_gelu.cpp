//===- jit_gelu.cpp - JIT-compile a GELU kernel and measure it -----------===//
//
// Part of gelu-jit. The quick start's main job, and a small program to copy:
//
//   gelu-jit-demo [spec.json]
//
// compiles the spec (default: exact GELU, f32, host) in process, prints
// sample inputs and outputs, the error against a long-double reference by
// region, and the speed in ns/element beside a scalar libm loop timed in the
// same process.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Jit.h"
#include "gelu/JIT/Tuner.h"
#include "gelu/Numerics/ErrorMaxima.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

namespace {

/// Median time of `reps` runs of `body`, in seconds.
template <typename F> double medianSeconds(int reps, F &&body) {
  std::vector<double> times;
  for (int r = 0; r < reps; ++r) {
    auto start = std::chrono::steady_clock::now();
    body();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::nth_element(times.begin(), times.begin() + reps / 2, times.end());
  return times[reps / 2];
}

/// What a user writes without gelu-jit: a scalar loop over libm.
void scalarLibm(gelu::ReferenceFunction f, const float *in, float *out,
                int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    float x = in[i];
    switch (f) {
    case gelu::ReferenceFunction::GeluExact:
      out[i] = 0.5f * x * std::erfc(-x * 0.70710678f);
      break;
    case gelu::ReferenceFunction::GeluTanh:
      out[i] = 0.5f * x *
               (1.0f + std::tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
      break;
    case gelu::ReferenceFunction::GeluSigmoid:
      out[i] = x / (1.0f + std::exp(-1.702f * x));
      break;
    case gelu::ReferenceFunction::Silu:
      out[i] = x / (1.0f + std::exp(-x));
      break;
    case gelu::ReferenceFunction::Relu:
      out[i] = x > 0 ? x : 0.0f;
      break;
    default: // derivatives: the demo runs activations only (main checks)
      out[i] = 0;
      break;
    }
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: %s [spec.json]\n", argv[0]);
    return 2;
  }
  llvm::Expected<gelu::KernelSpec> spec =
      argc == 2 ? gelu::readSpecFile(argv[1]) : gelu::parseSpec("{}");
  if (!spec) {
    llvm::errs() << "error: " << llvm::toString(spec.takeError()) << "\n";
    return 1;
  }
  if (gelu::kernelAbiOf(spec->op) != gelu::KernelAbi::Unary) {
    llvm::errs() << "error: this demo runs gelu, silu and relu kernels; op '"
                 << gelu::act::stringifyOpKind(spec->op)
                 << "' takes more buffers (see examples/jit_training.cpp)\n";
    return 1;
  }
  if (spec->dtype != gelu::DType::F32) {
    llvm::errs() << "error: this demo measures f32 kernels; the spec asks "
                 << gelu::stringifyDType(spec->dtype) << "\n";
    return 1;
  }
  // With a budget, compileKernel also picks the expansion (compiling and
  // measuring candidates), so time the whole call.
  auto compileStart = std::chrono::steady_clock::now();
  auto kernel = gelu::compileKernel(*spec);
  double compileMs = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - compileStart)
                         .count();
  if (!kernel) {
    llvm::errs() << "error: " << llvm::toString(kernel.takeError()) << "\n";
    return 1;
  }
  auto entry = (*kernel)->f32();
  gelu::ReferenceFunction function = spec->referenceFunction();
  std::printf("gelu-jit: compiled '%s' (%s) for the host CPU in %.1f ms\n",
              spec->name.c_str(), (*kernel)->spec().toJson().c_str(),
              compileMs);
  const gelu::TuningReport &report = (*kernel)->report();
  if (report.tuned)
    std::printf("tuned: %zu candidates considered for the budget, the "
                "fastest that fits kept (tuning cache: %s, %s)\n",
                report.candidates.size(), report.cacheStatus.c_str(),
                report.cachePath.empty() ? "disabled"
                                         : report.cachePath.c_str());

  // Samples.
  std::vector<float> sample = {-12, -6, -3, -1, -0.5f, 0, 0.5f, 1, 3, 6};
  std::vector<float> sampleOut(sample.size());
  entry(sample.data(), sampleOut.data(), static_cast<int64_t>(sample.size()));
  std::printf("\n%10s %16s %16s\n", "x", "kernel", "reference");
  for (size_t i = 0; i < sample.size(); ++i)
    std::printf("%10g %16.9g %16.9Lg\n", sample[i], sampleOut[i],
                gelu::evaluateReference(function, sample[i]));

  // Accuracy on a dense grid of [-20, 20], by region.
  const int64_t gridSize = 1 << 21;
  std::vector<float> grid(gridSize), gridOut(gridSize);
  for (int64_t i = 0; i < gridSize; ++i)
    grid[i] = -20.0f + 40.0f * static_cast<float>(i) / (gridSize - 1);
  entry(grid.data(), gridOut.data(), gridSize);
  const char *regions[] = {"x >= 0", "-3 <= x < 0", "x < -3", "overall"};
  gelu::ErrorMaxima errors[gelu::kReportRegions];
  for (int64_t i = 0; i < gridSize; ++i)
    gelu::addToRegions(errors, grid[i], gridOut[i],
                       gelu::evaluateReference(function, grid[i]),
                       gelu::FloatFormat::f32());
  std::printf("\nerror against a long-double reference, %lld points on "
              "[-20, 20]:\n",
              static_cast<long long>(gridSize));
  for (int k = 0; k < gelu::kReportRegions; ++k)
    std::printf("  %-12s max %6.2f ULP   max abs %.2e\n", regions[k],
                errors[k].maxUlp, errors[k].maxAbs);

  // Speed, one thread, beside a scalar libm loop in the same process.
  std::printf("\nspeed, one thread, median of repeated runs (ns/element):\n");
  std::printf("  %10s %12s %12s %8s\n", "elements", "gelu-jit", "scalar libm",
              "speedup");
  for (int64_t n : {int64_t(4096), int64_t(1) << 18}) {
    std::vector<float> in(n), out(n);
    for (int64_t i = 0; i < n; ++i)
      in[i] = -8.0f + 16.0f * static_cast<float>(i % 4099) / 4099.0f;
    int reps = n <= 4096 ? 2001 : 101;
    entry(in.data(), out.data(), n); // warm up
    double jit = medianSeconds(reps, [&] { entry(in.data(), out.data(), n); });
    double libm = medianSeconds(
        reps / 10 + 1, [&] { scalarLibm(function, in.data(), out.data(), n); });
    std::printf("  %10lld %12.3f %12.3f %7.1fx\n", static_cast<long long>(n),
                jit / n * 1e9, libm / n * 1e9, libm / jit);
  }
  return 0;
}
