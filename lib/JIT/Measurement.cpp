//===- Measurement.cpp - Measure candidate kernels ----------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Measurement.h"

#include "gelu/JIT/ThreadPool.h"

#include "gelu/Codegen/CostModel.h"

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/HardwareApproximations.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <tuple>

namespace gelu {

namespace {
/// A monotone map of floats to unsigned integers (−inf ... +inf).
uint32_t orderedKey(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
}
float fromOrderedKey(uint32_t key) {
  uint32_t bits = (key & 0x80000000u) ? key & 0x7fffffffu : ~key;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

} // namespace

/// `count` copies of `value` in `dtype`'s encoding.
static std::vector<uint8_t> filled(DType dtype, double value, int64_t count) {
  unsigned size = dtypeSize(dtype);
  std::vector<uint8_t> bytes(static_cast<size_t>(count) * size);
  uint8_t encoded[8];
  if (dtype == DType::F64) {
    std::memcpy(encoded, &value, 8);
  } else if (dtype == DType::F32) {
    float f = static_cast<float>(value);
    std::memcpy(encoded, &f, 4);
  } else {
    uint16_t bits =
        halfFromFloatExact(static_cast<float>(value), dtype == DType::BF16);
    std::memcpy(encoded, &bits, 2);
  }
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(bytes.data() + i * size, encoded, size);
  return bytes;
}

ActivationCall::ActivationCall(const Kernel &kernel, int64_t maxElements)
    : kernel(kernel), abi(kernelAbiOf(kernel.spec().op)) {
  DType dtype = kernel.spec().dtype;
  switch (abi) {
  case KernelAbi::Unary:
    break;
  case KernelAbi::Binary:
    neutral = filled(dtype, 1.0, maxElements);
    break;
  case KernelAbi::BiasBackward:
    ones = filled(dtype, 1.0, maxElements);
    dbias.resize(maxElements);
    [[fallthrough]];
  case KernelAbi::Bias:
    neutral = filled(dtype, -0.0, maxElements);
    break;
  }
}

void ActivationCall::operator()(const void *in, void *out, int64_t n) const {
  void *entry = kernel.address();
  switch (abi) {
  case KernelAbi::Unary:
    reinterpret_cast<RawEntry>(entry)(in, out, n);
    return;
  case KernelAbi::Binary:
    reinterpret_cast<RawBinaryEntry>(entry)(in, neutral.data(), out, n);
    return;
  case KernelAbi::Bias:
    reinterpret_cast<RawBiasEntry>(entry)(in, neutral.data(), out, 1, n);
    return;
  case KernelAbi::BiasBackward:
    reinterpret_cast<RawBiasBackwardEntry>(entry)(
        in, neutral.data(), ones.data(), out, dbias.data(), 1, n);
    return;
  }
}

/// f64's sample: 2^18 inputs spread over the domain's double encodings and
/// 2^20 evenly spaced in its part of [−40, 40] (where f64's GELU tail ends).
static void sampleWide(ReferenceFunction meaning, const ErrorBudget &budget,
                       BudgetSample &sample) {
  auto key = [](double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    return (bits >> 63) ? ~bits : bits | (uint64_t(1) << 63);
  };
  auto fromKey = [](uint64_t k) {
    uint64_t bits = (k >> 63) ? k & ~(uint64_t(1) << 63) : ~k;
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  };
  double lo = std::max(budget.domainLo, -DBL_MAX);
  double hi = std::min(budget.domainHi, DBL_MAX);
  const uint64_t keyLo = key(lo), keyHi = key(hi);
  const uint64_t spread = 1u << 18;
  for (uint64_t i = 0; i <= spread; ++i)
    sample.wideInputs.push_back(
        fromKey(keyLo + static_cast<uint64_t>(
                            (unsigned __int128)(keyHi - keyLo) * i / spread)));
  double gridLo = std::max(lo, -40.0), gridHi = std::min(hi, 40.0);
  const uint32_t gridPoints = 1u << 20;
  if (gridLo < gridHi)
    for (uint32_t i = 0; i <= gridPoints; ++i)
      sample.wideInputs.push_back(gridLo + (gridHi - gridLo) * i / gridPoints);
  sample.wideReferences.reserve(sample.wideInputs.size());
  for (double x : sample.wideInputs)
    sample.wideReferences.push_back(evaluateReference(meaning, x));
  if (isDerivative(meaning))
    for (double x : sample.wideInputs)
      sample.scales.push_back(static_cast<double>(errorScale(meaning, x)));
}

BudgetSample sampleBudget(ReferenceFunction meaning, DType dtype,
                          const ErrorBudget &budget) {
  BudgetSample sample;
  sample.dtype = dtype;
  float lo = static_cast<float>(std::max(budget.domainLo, -double(FLT_MAX)));
  float hi = static_cast<float>(std::min(budget.domainHi, double(FLT_MAX)));
  if (dtype == DType::F16 || dtype == DType::BF16) {
    bool isBF16 = dtype == DType::BF16;
    for (uint32_t i = 0; i < (1u << 16); ++i) {
      auto bits = static_cast<uint16_t>(i);
      float x = halfToFloat(bits, isBF16);
      if (std::isfinite(x) && x >= lo && x <= hi) {
        sample.encoded.push_back(bits);
        sample.inputs.push_back(x);
      }
    }
  } else if (dtype == DType::F64) {
    sampleWide(meaning, budget, sample);
    return sample;
  } else {
    const uint32_t keyLo = orderedKey(lo), keyHi = orderedKey(hi);
    const uint32_t spread = 1u << 18;
    for (uint32_t i = 0; i <= spread; ++i)
      sample.inputs.push_back(fromOrderedKey(
          keyLo + static_cast<uint32_t>(uint64_t(keyHi - keyLo) * i / spread)));
    // Where GELU's values are large and its forms switch, a fine grid: an
    // absolute budget is decided by 1-ULP differences at x ≈ 5 (the
    // rational form measures 8.7e-7 here on 2^16 points and 1.02e-6 on all
    // inputs).
    float gridLo = std::max(lo, -20.0f), gridHi = std::min(hi, 20.0f);
    const uint32_t gridPoints = 1u << 20;
    if (gridLo < gridHi)
      for (uint32_t i = 0; i <= gridPoints; ++i)
        sample.inputs.push_back(gridLo + (gridHi - gridLo) *
                                             static_cast<float>(i) /
                                             static_cast<float>(gridPoints));
  }
  sample.references.reserve(sample.inputs.size());
  for (float x : sample.inputs)
    sample.references.push_back(
        static_cast<double>(evaluateReference(meaning, x)));
  if (isDerivative(meaning))
    for (float x : sample.inputs)
      sample.scales.push_back(static_cast<double>(errorScale(meaning, x)));
  return sample;
}

/// add(regions, i) for i in [0, n), in parts on every core (comparing
/// with the reference is most of a measurement's time); the parts' regions
/// together.
template <typename Add>
static RegionErrors measureInParts(size_t n, const Add &add) {
  ThreadPool &pool = ThreadPool::global();
  unsigned parts = pool.workers() + 1;
  std::vector<RegionErrors> partial(parts);
  pool.parallelFor(parts, [&](unsigned part) {
    size_t begin = n * part / parts, end = n * (part + 1) / parts;
    for (size_t i = begin; i < end; ++i)
      add(partial[part], i);
  });
  RegionErrors regions;
  for (const RegionErrors &p : partial)
    for (int r = 0; r < kReportRegions; ++r)
      regions[r].merge(p[r]);
  return regions;
}

/// measureKernel for f64 (long double references).
static RegionErrors measureWide(const Kernel &kernel,
                                const BudgetSample &sample) {
  const size_t n = sample.wideInputs.size();
  FloatFormat format = floatFormatOf(sample.dtype);
  std::vector<double> out(n);
  ActivationCall call(kernel, static_cast<int64_t>(n));
  call(sample.wideInputs.data(), out.data(), static_cast<int64_t>(n));
  return measureInParts(n, [&](RegionErrors &regions, size_t i) {
    addToRegions(regions.data(), sample.wideInputs[i], out[i],
                 sample.wideReferences[i], format,
                 sample.scales.empty() ? 0.0L : sample.scales[i]);
  });
}

RegionErrors measureKernel(const Kernel &kernel, const BudgetSample &sample) {
  if (sample.dtype == DType::F64)
    return measureWide(kernel, sample);
  const size_t n = sample.inputs.size();
  FloatFormat format = floatFormatOf(sample.dtype);
  bool isBF16 = sample.dtype == DType::BF16;
  std::vector<float> out(n);
  std::vector<uint16_t> out16;
  ActivationCall call(kernel, static_cast<int64_t>(n));
  if (sample.dtype != DType::F32) {
    out16.resize(n);
    call(sample.encoded.data(), out16.data(), static_cast<int64_t>(n));
  } else {
    call(sample.inputs.data(), out.data(), static_cast<int64_t>(n));
  }
  return measureInParts(n, [&](RegionErrors &regions, size_t i) {
    double y = out16.empty() ? out[i] : halfToFloat(out16[i], isBF16);
    addToRegions(regions.data(), sample.inputs[i], y, sample.references[i],
                 format, sample.scales.empty() ? 0.0 : sample.scales[i]);
  });
}

RegionErrors boundHardwareForm(ReferenceFunction function,
                               act::Expansion expansion,
                               const BudgetSample &sample) {
  HardwareForm form = expansion == act::Expansion::hw_tanh
                          ? HardwareForm::Tanh
                          : HardwareForm::Sigmoid;
  const size_t n = sample.inputs.size();
  FloatFormat format = floatFormatOf(sample.dtype);
  const bool rounds16 = sample.dtype != DType::F32,
             isBF16 = sample.dtype == DType::BF16;
  return measureInParts(n, [&](RegionErrors &regions, size_t i) {
    float x = sample.inputs[i];
    ResultRange range = hardwareFormRange(function, form, x);
    if (rounds16) // to nearest: monotone, so the ends stay the ends
      range = {roundedToHalf(range.lo, isBF16),
               roundedToHalf(range.hi, isBF16)};
    // The worse end in each measure: the bound of this input's error.
    PointError lo = pointError(range.lo, sample.references[i], format),
               hi = pointError(range.hi, sample.references[i], format);
    PointError worst{std::max(lo.ulps, hi.ulps), std::max(lo.abs, hi.abs),
                     std::max(lo.rel, hi.rel),
                     std::max(lo.absBeyondRounding, hi.absBeyondRounding),
                     std::max(lo.relBeyondRounding, hi.relBeyondRounding)};
    regions[regionOf(x)].add(x, worst);
    regions[kOverallRegion].add(x, worst);
  });
}

double budgetMargin(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F64 ? kSampledBudgetMargin
                                                    : 1.0;
}

bool needsCorrectRounding(const ErrorBudget &budget, DType dtype) {
  return dtype == DType::F32 && budget.maxUlp && *budget.maxUlp >= 0.5 &&
         *budget.maxUlp * kSampledBudgetMargin < 0.5;
}

BudgetedError budgetedError(const ErrorMaxima &error, DType dtype) {
  if (dtype == DType::F32 || dtype == DType::F64)
    return {error.maxUlp, error.maxAbs, error.maxRel};
  return {error.maxUlp, error.maxAbsBeyondRounding, error.maxRelBeyondRounding};
}

bool fitsBudget(const ErrorMaxima &error, const ErrorBudget &budget,
                DType dtype, double margin) {
  BudgetedError e = budgetedError(error, dtype);
  auto within = [&](std::optional<double> bound, double measured) {
    return !bound || measured <= *bound * margin;
  };
  return within(budget.maxUlp, e.ulp) && within(budget.maxAbs, e.abs) &&
         within(budget.maxRel, e.rel);
}

double budgetRatio(const ErrorMaxima &error, const ErrorBudget &budget,
                   DType dtype) {
  BudgetedError e = budgetedError(error, dtype);
  double ratio = 0;
  if (budget.maxUlp)
    ratio = std::max(ratio, e.ulp / *budget.maxUlp);
  if (budget.maxAbs)
    ratio = std::max(ratio, e.abs / *budget.maxAbs);
  if (budget.maxRel)
    ratio = std::max(ratio, e.rel / *budget.maxRel);
  return ratio;
}

std::vector<float> timingValues(const TimingInputs &inputs, size_t n) {
  std::vector<float> values(n);
  std::mt19937 rng(4096);
  if (inputs.distribution == TimingInputs::Distribution::Normal) {
    std::normal_distribution<double> normal(0.0, inputs.sigma);
    for (float &v : values)
      v = static_cast<float>(normal(rng));
  } else {
    std::uniform_real_distribution<double> uniform(inputs.lo, inputs.hi);
    for (float &v : values)
      v = static_cast<float>(uniform(rng));
  }
  return values;
}

std::vector<double> timeKernels(llvm::ArrayRef<const Kernel *> kernels,
                                const TimingInputs &inputs, unsigned rounds,
                                double roundSeconds) {
  // 4096 elements: in and out stay in L1 (32 KiB for f32), so the time is
  // the kernel's arithmetic, not the memory system's. The values are what
  // the spec says its inputs look like, by default what an activation
  // sees, normal with σ = 2 (the distribution of bench/'s targets: about
  // 5 % of 16-lane vectors take piecewise_tail's branch).
  constexpr int64_t n = 4096;
  std::vector<uint8_t> out(n * 8);
  const std::vector<float> values = timingValues(inputs, n);
  // 16-bit kernels read the f32 values' bytes: the halves of spread floats
  // are spread values too. f64 kernels read the values widened (each
  // kernel its own: a caller may time f32 and f64 kernels together).
  std::vector<uint8_t> narrow(n * 4), wide(n * 8);
  std::memcpy(narrow.data(), values.data(), n * 4);
  for (int64_t i = 0; i < n; ++i) {
    double w = values[i];
    std::memcpy(wide.data() + i * 8, &w, 8);
  }
  std::vector<const uint8_t *> ins;
  for (const Kernel *k : kernels)
    ins.push_back(k->spec().dtype == DType::F64 ? wide.data() : narrow.data());
  std::vector<ActivationCall> calls;
  calls.reserve(kernels.size());
  for (const Kernel *k : kernels)
    calls.emplace_back(*k, n);
  using Clock = std::chrono::steady_clock;
  std::vector<double> best(kernels.size(), HUGE_VAL);
  std::vector<int64_t> repeats(kernels.size(), 1);
  for (size_t k = 0; k < kernels.size(); ++k) {
    // Calibrate: calls that take about roundSeconds (after a warm-up).
    const ActivationCall &entry = calls[k];
    entry(ins[k], out.data(), n);
    auto start = Clock::now();
    entry(ins[k], out.data(), n);
    double once = std::chrono::duration<double>(Clock::now() - start).count();
    repeats[k] = std::max<int64_t>(
        1, static_cast<int64_t>(roundSeconds / std::max(once, 1e-9)));
  }
  for (unsigned round = 0; round < rounds; ++round)
    for (size_t k = 0; k < kernels.size(); ++k) {
      const ActivationCall &entry = calls[k];
      auto start = Clock::now();
      for (int64_t c = 0; c < repeats[k]; ++c)
        entry(ins[k], out.data(), n);
      double seconds =
          std::chrono::duration<double>(Clock::now() - start).count();
      best[k] = std::min(best[k], seconds * 1e9 / double(repeats[k] * n));
    }
  return best;
}

std::string describeError(const ErrorMaxima &e, DType dtype) {
  std::string out = llvm::formatv("{0:F2} ULP, {1:E2} abs, {2:E2} rel",
                                  e.maxUlp, e.maxAbs, e.maxRel)
                        .str();
  if (dtype == DType::F16 || dtype == DType::BF16)
    out += llvm::formatv(" (beyond {0} rounding: {1:E2} abs, {2:E2} rel; "
                         "{3} of {4} results not correctly rounded)",
                         stringifyDType(dtype), e.maxAbsBeyondRounding,
                         e.maxRelBeyondRounding, e.count - e.correctlyRounded,
                         e.count)
               .str();
  return out;
}

/// `v` as %g.
static std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return std::string(text);
}

std::string describeHeldBudget(const ErrorBudget &b, DType dtype) {
  double margin = budgetMargin(dtype);
  std::string beyond =
      dtype == DType::F16 || dtype == DType::BF16
          ? " (beyond " + stringifyDType(dtype).str() + " rounding)"
          : "";
  std::string out;
  auto add = [&](const char *name, std::optional<double> v, bool isUlp) {
    if (!v)
      return;
    out += (out.empty() ? "" : ", ") + std::string(name) + " " +
           number(*v * margin);
    if (margin != 1)
      out += " (of " + number(*v) + ")";
    if (!isUlp)
      out += beyond;
  };
  add("max_ulp", b.maxUlp, true);
  add("max_abs", b.maxAbs, false);
  add("max_rel", b.maxRel, false);
  return (margin != 1 ? number(margin) + " × the bounds: " : "the bounds: ") +
         out;
}

std::string describeBudget(const ErrorBudget &b) {
  std::string out;
  auto add = [&](const char *name, std::optional<double> v) {
    if (v)
      out += (out.empty() ? "" : ", ") + std::string(name) + " " + number(*v);
  };
  add("max_ulp", b.maxUlp);
  add("max_abs", b.maxAbs);
  add("max_rel", b.maxRel);
  if (std::isfinite(b.domainLo) || std::isfinite(b.domainHi))
    out += " on [" + number(b.domainLo) + ", " + number(b.domainHi) + "]";
  return out;
}

} // namespace gelu
