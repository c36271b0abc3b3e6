//===- TunerTest.cpp - Budgets, objectives, reports and the tuning cache --===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The tuner's choices against budgets (deterministic ones with the cost
// model; measured ones checked for what must hold whatever the timings),
// its reports, and the persistent tuning cache: hits, stale entries and
// corrupt files. No test here asserts a time: these machines are noisy.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Tuner.h"
#include "gelu/Codegen/Target.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/Measurement.h"
#include "gelu/JIT/TuningCache.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Support/Json.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include "TestHelpers.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <tuple>
#include <unistd.h>

using namespace gelu;

namespace {

/// Tunes without the persistent cache.
TuningResult tune(const std::string &json) {
  TuneOptions options;
  options.cachePath = "off";
  auto result = tuneSpec(specOf(json), options);
  if (!result) {
    ADD_FAILURE() << json << ": " << llvm::toString(result.takeError());
    return {};
  }
  return std::move(*result);
}

std::string errorOfTuning(const std::string &json) {
  TuneOptions options;
  options.cachePath = "off";
  auto result = tuneSpec(specOf(json), options);
  if (result)
    return "(no error)";
  return llvm::toString(result.takeError());
}

/// A fresh file name in the system's temporary directory; the file and
/// the cache's lock file beside it are removed when the test ends, passed
/// or failed.
class TemporaryCacheFile {
public:
  explicit TemporaryCacheFile(const char *name) {
    llvm::SmallString<128> path;
    llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, path);
    llvm::sys::path::append(path, "gelu-jit-tuner-test-" +
                                      std::to_string(::getpid()) + "-" + name);
    this->path = std::string(path);
    removeBoth();
  }
  ~TemporaryCacheFile() { removeBoth(); }
  TemporaryCacheFile(const TemporaryCacheFile &) = delete;
  TemporaryCacheFile &operator=(const TemporaryCacheFile &) = delete;

  std::string path;

private:
  void removeBoth() {
    llvm::sys::fs::remove(path);
    llvm::sys::fs::remove(path + ".lock");
  }
};

void writeFile(const std::string &path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  ASSERT_FALSE(ec) << ec.message();
  os << text;
}

std::string readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : "";
}

//===----------------------------------------------------------------------===//
// Choices
//===----------------------------------------------------------------------===//

struct LadderStep {
  const char *budget;
  act::Expansion expansion;
  unsigned degree;
};

/// With the cost model the choices are reproducible: each looser budget
/// buys an expansion at most as costly, and each choice's measured error
/// fits its budget.
TEST(Tuner, ALooserBudgetBuysACheaperKernel) {
  GELU_SKIP_UNDER_SANITIZERS();
  const LadderStep ladder[] = {
      {R"({"max_ulp": 4})", act::Expansion::piecewise_tail, 0},
      {R"({"max_abs": 1e-6})", act::Expansion::piecewise, 3},
      {R"({"max_abs": 1e-5})", act::Expansion::piecewise, 2},
      {R"({"max_abs": 1e-4})", act::Expansion::piecewise, 2},
      {R"({"max_abs": 1e-3})", act::Expansion::piecewise, 1},
      {R"({"max_abs": 1e-2})", act::Expansion::polynomial, 4},
      {R"({"max_abs": 5e-2})", act::Expansion::polynomial, 3},
  };
  // Inputs off the tuner's grid: [−20, 20] shifted by 0.37 of a step,
  // and random floats of every magnitude.
  std::vector<float> fresh;
  for (int i = 0; i < (1 << 18); ++i)
    fresh.push_back(-20.0f +
                    40.0f * (static_cast<float>(i) + 0.37f) / (1 << 18));
  std::mt19937 rng(2026);
  while (fresh.size() < (1 << 18) + 65536) {
    uint32_t bits = rng();
    float x;
    std::memcpy(&x, &bits, sizeof x);
    if (std::isfinite(x))
      fresh.push_back(x);
  }
  unsigned previousCost = ~0u;
  for (const LadderStep &step : ladder) {
    std::string json = std::string(R"({"ranking": "cost_model", "budget": )") +
                       step.budget + "}";
    TuningResult result = tune(json);
    const TuningReport &report = result.report;
    EXPECT_EQ(report.chosen.expansion, step.expansion) << json;
    EXPECT_EQ(report.chosen.degree.value_or(0), step.degree) << json;
    EXPECT_LE(report.cost, previousCost) << json;
    previousCost = report.cost;
    ASSERT_TRUE(report.error.has_value());
    EXPECT_EQ(report.speedSource, "estimated (cost model)");
    ASSERT_TRUE(result.kernel) << "the winner is compiled for this CPU";
    // The budget holds on inputs the tuner did not sample (not its own
    // report judged by its own fitsBudget).
    const ErrorBudget budget = *specOf(json).budget;
    std::vector<float> out(fresh.size());
    result.kernel->f32()(fresh.data(), out.data(),
                         static_cast<int64_t>(fresh.size()));
    if (budget.maxAbs) {
      EXPECT_LE(maxAbsErrorFromExactGelu(fresh, out), *budget.maxAbs) << json;
    }
    if (budget.maxUlp) {
      double worst = 0;
      for (size_t i = 0; i < fresh.size(); ++i)
        worst = worstOf(
            worst,
            ulpError(out[i],
                     evaluateReference(ReferenceFunction::GeluExact, fresh[i]),
                     FloatFormat::f32()));
      EXPECT_LE(worst, *budget.maxUlp) << json;
    }
  }
  // On x ≥ 0 a piecewise table without its tail is enough, at no higher a
  // degree for 4 ULP than for 2 (degree 4 for both).
  const TuningReport four =
      tune(
          R"({"ranking": "cost_model", "budget": {"max_ulp": 4, "domain": [0, 1e30]}})")
          .report;
  const TuningReport two =
      tune(
          R"({"ranking": "cost_model", "budget": {"max_ulp": 2, "domain": [0, 1e30]}})")
          .report;
  EXPECT_EQ(four.chosen.expansion, act::Expansion::piecewise);
  EXPECT_EQ(two.chosen.expansion, act::Expansion::piecewise);
  EXPECT_LE(four.chosen.degree.value_or(0), two.chosen.degree.value_or(0));
}

/// Measured choices vary with the machine's load; what must hold does not:
/// the winner fits, is the fastest timed candidate, and every candidate
/// says why it lost.
TEST(Tuner, MeasuredChoiceIsTheFastestThatFits) {
  TuningResult result = tune(R"({"budget": {"max_abs": 1e-3}})");
  const TuningReport &report = result.report;
  ASSERT_TRUE(report.nsPerElement.has_value());
  EXPECT_EQ(report.speedSource, "measured");
  unsigned chosen = 0;
  for (const TuningCandidate &c : report.candidates) {
    EXPECT_FALSE(c.verdict.empty());
    if (c.chosen) {
      ++chosen;
      EXPECT_TRUE(c.fits);
      EXPECT_EQ(c.nsPerElement, report.nsPerElement);
    }
    if (c.fits && c.nsPerElement) {
      EXPECT_GE(*c.nsPerElement, *report.nsPerElement) << c.verdict;
    }
    if (c.error && !c.fits) {
      EXPECT_GT((*c.error)[kOverallRegion].maxAbs, 1e-3 * kSampledBudgetMargin);
    }
    if (!c.error) {
      EXPECT_NE(c.verdict.find("not measured"), std::string::npos);
    }
  }
  EXPECT_EQ(chosen, 1u);
  // The code shapes were tried for the near-fastest candidates.
  bool triedUnroll2 = false;
  for (const TuningCandidate &c : report.candidates)
    triedUnroll2 |= c.unroll == 2 && c.nsPerElement.has_value();
  EXPECT_TRUE(triedUnroll2);
  // The kernel is the chosen spec, and it runs.
  ASSERT_TRUE(result.kernel);
  EXPECT_EQ(result.kernel->spec().cacheKey(), report.chosen.cacheKey());
}

/// The chosen kernel meets its budget on inputs the tuner never saw.
TEST(Tuner, TheChoiceMeetsTheBudgetOnAFreshGrid) {
  for (double bound : {1e-2, 1e-4, 1e-6}) {
    std::string json =
        "{\"budget\": {\"max_abs\": " + std::to_string(bound) + "}}";
    auto kernel = compileKernelFromJson(json);
    ASSERT_TRUE(static_cast<bool>(kernel))
        << llvm::toString(kernel.takeError());
    std::vector<float> in;
    for (int i = 0; i <= (1 << 20); ++i)
      in.push_back(-20.0f +
                   40.0f * (static_cast<float>(i) + 0.37f) / (1 << 20));
    std::vector<float> out(in.size());
    (*kernel)->f32()(in.data(), out.data(), static_cast<int64_t>(in.size()));
    EXPECT_LE(maxAbsErrorFromExactGelu(in, out), bound) << json;
    EXPECT_TRUE((*kernel)->report().tuned);
  }
}

/// x rounded to nearest (ties to even) in bf16 or f16, as a float: rounded
/// here, apart from the library's measurement.
float roundedToHalf(float x, bool isBF16) {
  if (!isBF16)
    return static_cast<float>(static_cast<_Float16>(x));
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits = (bits + 0x7fffu + ((bits >> 16) & 1u)) & 0xffff0000u;
  float y;
  std::memcpy(&y, &bits, sizeof y);
  return y;
}

/// A budget for a 16-bit type bounds what the kernel adds to the type's
/// own rounding (bf16's alone is 7.8e-3 here, 78 times max_abs 1e-4, so
/// the README's bf16 spec failed); max_ulp 0.5 asks for correct rounding.
/// Checked on every input against the reference rounded here.
TEST(Tuner, SixteenBitBudgetsBoundTheErrorBeyondTheTypesRounding) {
  struct Case {
    const char *json;
    ReferenceFunction f;
    double maxAbsBeyond; // 0: every result correctly rounded
  };
  const Case cases[] = {
      {R"({"dtype": "bf16", "budget": {"max_abs": 1e-4}})",
       ReferenceFunction::GeluExact, 1e-4},
      {R"({"op": "silu", "dtype": "f16", "budget": {"max_abs": 1e-4}})",
       ReferenceFunction::Silu, 1e-4},
      {R"({"dtype": "bf16", "ranking": "cost_model", "budget": {"max_ulp": 0.5}})",
       ReferenceFunction::GeluExact, 0},
  };
  for (const Case &c : cases) {
    auto kernel = compileKernelFromJson(c.json);
    ASSERT_TRUE(static_cast<bool>(kernel))
        << c.json << ": " << llvm::toString(kernel.takeError());
    bool isBF16 = (*kernel)->spec().dtype == DType::BF16;
    std::vector<uint16_t> in(1 << 16), out(in.size());
    for (size_t i = 0; i < in.size(); ++i)
      in[i] = static_cast<uint16_t>(i);
    (*kernel)->u16()(in.data(), out.data(), static_cast<int64_t>(in.size()));
    double worstTotal = 0, worstBeyond = 0;
    for (size_t i = 0; i < in.size(); ++i) {
      float x = halfToFloat(in[i], isBF16);
      if (!std::isfinite(x))
        continue;
      long double exact = evaluateReference(c.f, x);
      double y = halfToFloat(out[i], isBF16);
      double nearest = roundedToHalf(static_cast<float>(exact), isBF16);
      double total = static_cast<double>(std::fabs(y - exact));
      double rounding = static_cast<double>(std::fabs(nearest - exact));
      worstTotal = std::max(worstTotal, total);
      worstBeyond = std::max(worstBeyond, total - rounding);
    }
    EXPECT_LE(worstBeyond, c.maxAbsBeyond) << c.json;
    // The type's rounding alone is far over the bound: the budget would
    // be unmeetable if it counted it.
    EXPECT_GT(worstTotal, 2.5e-3) << c.json;
    // The report says both.
    const ErrorMaxima &overall = (*(*kernel)->report().error)[kOverallRegion];
    EXPECT_GT(overall.maxAbs, 2.5e-3) << c.json;
    EXPECT_LE(overall.maxAbsBeyondRounding, c.maxAbsBeyond) << c.json;
  }
  // Under half an ULP is impossible, and the error says why.
  std::string error = errorOfTuning(
      R"({"dtype": "f16", "ranking": "cost_model", "budget": {"max_ulp": 0.4}})");
  EXPECT_NE(error.find("no kernel can keep under 0.5 ULP"), std::string::npos)
      << error;
  EXPECT_NE(error.find("results not correctly rounded"), std::string::npos)
      << error;
}

TEST(Tuner, UnmeetableBudgetNamesTheMostAccurateCandidate) {
  std::string error = errorOfTuning(R"({"budget": {"max_ulp": 0.4}})");
  EXPECT_NE(error.find("no expansion of gelu meets the budget (max_ulp 0.4"),
            std::string::npos)
      << error;
  EXPECT_NE(
      error.find("the most accurate is 'correctly_rounded' with 0.50 ULP"),
      std::string::npos)
      << error;
  // An op with no correctly rounded expansion, asked for one.
  error = errorOfTuning(R"({"op": "gelu_backward", "approximate": "tanh",
                         "budget": {"max_ulp": 0.5}})");
  EXPECT_NE(error.find("max_ulp 0.5 on f32 asks for correctly rounded results, "
                       "and no expansion of gelu_tanh_derivative promises "
                       "them"),
            std::string::npos)
      << error;
  // The same from the JIT API.
  auto kernel = compileKernelFromJson(R"({"budget": {"max_ulp": 0.4}})");
  ASSERT_FALSE(static_cast<bool>(kernel));
  EXPECT_NE(llvm::toString(kernel.takeError()).find("meets the budget"),
            std::string::npos);
}

TEST(Tuner, NamedExpansionOrDegreeMustMeetIt) {
  std::string error = errorOfTuning(
      R"({"expansion": "approx_tanh", "budget": {"max_abs": 1e-6}})");
  EXPECT_NE(error.find("the most accurate is 'approx_tanh'"), std::string::npos)
      << error;
  error = errorOfTuning(R"({"degree": 2, "budget": {"max_abs": 1e-6}})");
  EXPECT_NE(error.find("the most accurate is 'piecewise_graded' at degree 2"),
            std::string::npos)
      << error;
  // A named degree limits the candidates to the forms that have it.
  TuningResult result = tune(
      R"({"degree": 5, "ranking": "cost_model", "budget": {"max_abs": 1e-4}})");
  EXPECT_EQ(result.report.chosen.degree, 5u);
  for (const TuningCandidate &c : result.report.candidates)
    EXPECT_EQ(c.degree, 5u);
}

TEST(Tuner, MostAccurateWithinATimeBudget) {
  // No time budget: the most accurate of all, the correctly rounded one.
  TuningResult accurate = tune(R"({"objective": "most_accurate"})");
  EXPECT_EQ(accurate.report.chosen.expansion,
            act::Expansion::correctly_rounded);
  for (const TuningCandidate &c : accurate.report.candidates)
    EXPECT_TRUE(c.error.has_value()) << "every candidate is measured";
  // A time budget no kernel meets: the error names the fastest.
  std::string error = errorOfTuning(
      R"({"objective": "most_accurate", "max_ns_per_element": 1e-6})");
  EXPECT_NE(error.find("no candidate runs within 1e-06 ns/element on this "
                       "CPU; the fastest that fits the budget is "),
            std::string::npos)
      << error;
  // A generous one: the choice is within it and at least as accurate as
  // every candidate within it.
  TuningResult timed =
      tune(R"({"objective": "most_accurate", "max_ns_per_element": 1000})");
  ASSERT_TRUE(timed.report.nsPerElement.has_value());
  double chosenUlp = (*timed.report.error)[kOverallRegion].maxUlp;
  for (const TuningCandidate &c : timed.report.candidates) {
    if (c.nsPerElement) {
      EXPECT_LE(chosenUlp, (*c.error)[kOverallRegion].maxUlp);
    }
  }
}

/// A target this CPU cannot run: accuracy from host code of the same
/// expansions, speed from the cost model, and the report says so.
TEST(Tuner, ATargetThatCannotRunHereIsRankedByTheCostModel) {
  auto target = resolveTarget("diamondrapids");
  ASSERT_TRUE(static_cast<bool>(target));
  if (target->missingHostFeature.empty())
    GTEST_SKIP() << "this CPU runs diamondrapids code";
  TuningResult result =
      tune(R"({"target": "diamondrapids", "budget": {"max_abs": 1e-2}})");
  const TuningReport &report = result.report;
  EXPECT_EQ(report.speedSource, "estimated (cost model)");
  EXPECT_EQ(report.errorSource, "host code of the same expansion");
  EXPECT_FALSE(report.nsPerElement.has_value());
  EXPECT_EQ(report.chosen.expansion, act::Expansion::polynomial);
  EXPECT_EQ(report.chosen.degree, 4u);
  EXPECT_EQ(report.chosen.vectorBits, 512u);
  EXPECT_FALSE(result.kernel) << "nothing to run here";
  for (const TuningCandidate &c : report.candidates)
    EXPECT_FALSE(c.nsPerElement.has_value());
  // The JIT refuses it, naming what this CPU lacks.
  auto kernel = compileKernelFromJson(
      R"({"target": "diamondrapids", "budget": {"max_abs": 1e-2}})");
  ASSERT_FALSE(static_cast<bool>(kernel));
  EXPECT_NE(llvm::toString(kernel.takeError()).find("which this CPU lacks"),
            std::string::npos);
}

/// The spec's timing_inputs are what the candidates are timed on: the
/// values follow the distribution (the same values on every call, in
/// random order), the report's request and the tuning cache's key carry
/// them, the chosen kernel's spec does not (it computes the same on any
/// data), and a target whose kernels do not run here cannot take them.
TEST(Tuner, TimingInputsAreWhatTheCandidatesAreTimedOn) {
  auto moments = [](const std::vector<float> &v) {
    double sum = 0, squares = 0;
    for (float x : v) {
      sum += x;
      squares += double(x) * x;
    }
    const double mean = sum / v.size();
    return std::pair<double, double>{
        mean, std::sqrt(squares / v.size() - mean * mean)};
  };
  const std::vector<float> standard = timingValues({}, 4096);
  EXPECT_EQ(standard, timingValues({}, 4096));
  auto [mean, sigma] = moments(standard);
  EXPECT_NEAR(mean, 0, 0.1);
  EXPECT_NEAR(sigma, TimingInputs::kDefaultSigma, 0.1);
  EXPECT_FALSE(std::is_sorted(standard.begin(), standard.end()));
  TimingInputs wide;
  wide.sigma = 3;
  std::tie(mean, sigma) = moments(timingValues(wide, 4096));
  EXPECT_NEAR(sigma, 3, 0.15);
  TimingInputs uniform;
  uniform.distribution = TimingInputs::Distribution::Uniform;
  uniform.lo = -8;
  uniform.hi = 8;
  const std::vector<float> flat = timingValues(uniform, 4096);
  auto [lo, hi] = std::minmax_element(flat.begin(), flat.end());
  EXPECT_GE(*lo, -8.0f);
  EXPECT_LE(*hi, 8.0f);
  EXPECT_LT(*lo, -7.9f);
  EXPECT_GT(*hi, 7.9f);
  std::tie(mean, sigma) = moments(flat);
  EXPECT_NEAR(sigma, 16 / std::sqrt(12.0), 0.15);

  const std::string timed =
      R"({"budget": {"max_ulp": 8},
          "timing_inputs": {"distribution": "uniform", "range": [-8, 8]}})";
  TuningResult result = tune(timed);
  ASSERT_TRUE(result.kernel);
  ASSERT_TRUE(result.report.requested.timingInputs.has_value());
  EXPECT_EQ(result.report.requested.timingInputs->distribution,
            TimingInputs::Distribution::Uniform);
  EXPECT_FALSE(result.kernel->spec().timingInputs.has_value());
  EXPECT_TRUE(result.report.nsPerElement.has_value());
  EXPECT_NE(tuningCacheKey(specOf(timed)),
            tuningCacheKey(specOf(R"({"budget": {"max_ulp": 8}})")));

  auto target = resolveTarget("diamondrapids");
  ASSERT_TRUE(static_cast<bool>(target));
  if (target->missingHostFeature.empty())
    return; // this CPU runs diamondrapids code: nothing to refuse
  EXPECT_NE(errorOfTuning(
                R"({"target": "diamondrapids", "budget": {"max_ulp": 8},
                    "timing_inputs": {"distribution": "normal", "sigma": 3}})")
                .find("timing inputs steer kernels timed on this CPU, but "
                      "target 'diamondrapids' needs"),
            std::string::npos);
}

TEST(Tuner, CompilingWithoutTuningRefusesASpecThatLeavesAChoice) {
  auto tuned = compileFixedKernel(specOf(R"({"budget": {"max_abs": 1e-3}})"));
  ASSERT_FALSE(static_cast<bool>(tuned));
  EXPECT_NE(llvm::toString(tuned.takeError()).find("leaves a choice"),
            std::string::npos);
  auto fixed = compileFixedKernel(specOf(R"({"expansion": "rational"})"));
  ASSERT_TRUE(static_cast<bool>(fixed)) << llvm::toString(fixed.takeError());
  EXPECT_EQ((*fixed)->spec().expansion, act::Expansion::rational);
}

TEST(Tuner, BadCombinationsAreErrors) {
  EXPECT_NE(
      errorOfTuning(
          R"({"target": "x86-64-v3", "vector_bits": 512, "budget": {"max_ulp": 4}})")
          .find("vector_bits 512 is wider than the 256-bit vectors of target "
                "'x86-64-v3'"),
      std::string::npos);
  auto kernel =
      compileKernelFromJson(R"({"target": "haswell", "vector_bits": 512})");
  ASSERT_FALSE(static_cast<bool>(kernel));
  EXPECT_NE(llvm::toString(kernel.takeError())
                .find("is wider than the 256-bit vectors of target 'haswell'"),
            std::string::npos);
}

TEST(Tuner, VectorWidthAndThreadsReachTheKernel) {
  auto kernel = compileKernelFromJson(
      R"({"vector_bits": 256, "threads": 2, "expansion": "rational"})");
  ASSERT_TRUE(static_cast<bool>(kernel)) << llvm::toString(kernel.takeError());
  EXPECT_EQ((*kernel)->spec().vectorBits, 256u);
  EXPECT_EQ((*kernel)->spec().threads, 2u);
  std::vector<float> in(1 << 17), out(in.size()), one(in.size());
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = -8.0f + 16.0f * static_cast<float>(i) / in.size();
  // The spec's threads by default, the call's when it names them: the same
  // results either way.
  ASSERT_FALSE(static_cast<bool>(
      (*kernel)->run(in.data(), out.data(), static_cast<int64_t>(in.size()))));
  RunOptions single;
  single.threads = 1;
  ASSERT_FALSE(static_cast<bool>((*kernel)->run(
      in.data(), one.data(), static_cast<int64_t>(in.size()), single)));
  EXPECT_EQ(out, one);
}

//===----------------------------------------------------------------------===//
// Reports
//===----------------------------------------------------------------------===//

TEST(TuningReport, RoundTripsThroughJson) {
  TuningResult result =
      tune(R"({"ranking": "cost_model", "budget": {"max_abs": 1e-4}})");
  std::string json = result.report.toJson();
  auto again = TuningReport::fromJson(json);
  ASSERT_TRUE(static_cast<bool>(again)) << llvm::toString(again.takeError());
  EXPECT_TRUE(again->toJson() == json) << "the report changed on reading";
  EXPECT_EQ(again->chosen.toJson(), result.report.chosen.toJson());
  EXPECT_EQ(again->candidates.size(), result.report.candidates.size());
}

TEST(Tuner, AFailedTuningStillReportsWhatItTried) {
  auto result = tuneSpec(
      specOf(R"({"ranking": "cost_model", "budget": {"max_ulp": 0.4}})"));
  ASSERT_FALSE(static_cast<bool>(result));
  bool reported = false;
  llvm::handleAllErrors(result.takeError(), [&](const TuningFailure &f) {
    reported = true;
    const TuningReport &report = f.report();
    EXPECT_NE(report.failure.find("no expansion of gelu meets the budget"),
              std::string::npos)
        << report.failure;
    ASSERT_FALSE(report.candidates.empty());
    for (const TuningCandidate &c : report.candidates)
      EXPECT_FALSE(c.fits) << c.verdict;
    auto again = TuningReport::fromJson(report.toJson());
    ASSERT_TRUE(static_cast<bool>(again)) << toString(again.takeError());
    EXPECT_EQ(again->failure, report.failure);
    EXPECT_EQ(again->candidates.size(), report.candidates.size());
  });
  EXPECT_TRUE(reported) << "the error carries no report";
}

TEST(TuningReport, FromJsonNamesTheBadField) {
  TuningResult result =
      tune(R"({"ranking": "cost_model", "budget": {"max_abs": 1e-2}})");
  auto value = parseJson(result.report.toJson());
  ASSERT_TRUE(static_cast<bool>(value));
  (*value)["candidates"][0]["expansion"] = "pade";
  auto bad = TuningReport::fromJson(dumpJson(*value));
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "/candidates/0/expansion 'pade' is not an expansion");
  auto notJson = TuningReport::fromJson("{");
  EXPECT_FALSE(static_cast<bool>(notJson));
  llvm::consumeError(notJson.takeError());
}

TEST(TuningReport, UntunedKernelsMeasureThemselves) {
  auto kernel = compileKernelFromJson("{}");
  ASSERT_TRUE(static_cast<bool>(kernel));
  const TuningReport &report = (*kernel)->report();
  EXPECT_FALSE(report.tuned);
  EXPECT_EQ(report.chosen.expansion, act::Expansion::piecewise_tail);
  ASSERT_TRUE(report.error.has_value());
  EXPECT_LE((*report.error)[kOverallRegion].maxUlp, 4.0);
  EXPECT_GT((*report.error)[kOverallRegion].count, 100000u);
  ASSERT_TRUE(report.nsPerElement.has_value());
  EXPECT_GT(*report.nsPerElement, 0.0);
  ASSERT_EQ(report.candidates.size(), 1u);
  EXPECT_EQ(report.candidates[0].verdict,
            "the op's accurate default (no budget)");
}

//===----------------------------------------------------------------------===//
// The persistent cache
//===----------------------------------------------------------------------===//

TEST(TuningCache, ASecondTuningOfTheSameSpecHits) {
  TemporaryCacheFile file("hit.json");
  const std::string &path = file.path;
  TuneOptions options;
  options.cachePath = path;
  KernelSpec spec = specOf(R"({"name": "first", "budget": {"max_abs": 1e-4}})");
  auto first = tuneSpec(spec, options);
  ASSERT_TRUE(static_cast<bool>(first)) << llvm::toString(first.takeError());
  EXPECT_EQ(first->report.cacheStatus, "miss");
  EXPECT_TRUE(first->kernel);
  // Another name and thread count: the same decision.
  KernelSpec again = specOf(
      R"({"name": "second", "threads": 2, "budget": {"max_abs": 1e-4}})");
  auto second = tuneSpec(again, options);
  ASSERT_TRUE(static_cast<bool>(second)) << llvm::toString(second.takeError());
  EXPECT_EQ(second->report.cacheStatus, "hit");
  EXPECT_FALSE(second->kernel) << "a hit compiles nothing";
  EXPECT_EQ(second->report.chosen.expansion, first->report.chosen.expansion);
  EXPECT_EQ(second->report.chosen.degree, first->report.chosen.degree);
  EXPECT_EQ(second->report.chosen.unroll, first->report.chosen.unroll);
  EXPECT_EQ(second->report.chosen.name, "second");
  EXPECT_EQ(second->report.chosen.threads, 2u);
  EXPECT_EQ(second->report.candidates.size(), first->report.candidates.size());
  // Another budget is another entry.
  auto other = tuneSpec(
      specOf(R"({"ranking": "cost_model", "budget": {"max_abs": 1e-2}})"),
      options);
  ASSERT_TRUE(static_cast<bool>(other));
  EXPECT_EQ(other->report.cacheStatus, "miss");
}

TEST(TuningCache, TheJitApiShowsTheHitInTheReport) {
  TemporaryCacheFile file("jit.json");
  const std::string &path = file.path;
  ::setenv("GELU_JIT_TUNING_CACHE", path.c_str(), 1);
  const char *json =
      R"({"ranking": "cost_model", "budget": {"max_abs": 1e-3}})";
  auto first = compileKernelFromJson(json);
  auto second = compileKernelFromJson(json);
  ::setenv("GELU_JIT_TUNING_CACHE", "off", 1);
  ASSERT_TRUE(static_cast<bool>(first)) << llvm::toString(first.takeError());
  ASSERT_TRUE(static_cast<bool>(second)) << llvm::toString(second.takeError());
  EXPECT_EQ((*first)->report().cacheStatus, "miss");
  EXPECT_EQ((*second)->report().cacheStatus, "hit");
  EXPECT_EQ((*second)->report().cachePath, path);
  EXPECT_EQ((*second)->spec().cacheKey(), (*first)->spec().cacheKey());
}

TEST(TuningCache, ACorruptFileIsReportedAndRebuilt) {
  const char *json =
      R"({"ranking": "cost_model", "budget": {"max_abs": 1e-2}})";
  for (
      const char *garbage :
      {"not json at all {", R"({"format": "something else"})",
       R"({"format": "gelu-jit-tuning-cache", "version": 99, "entries": {}})",
       R"({"format": "gelu-jit-tuning-cache", "version": 1, "entries": []})"}) {
    TemporaryCacheFile file("corrupt.json");
    const std::string &path = file.path;
    writeFile(path, garbage);
    TuneOptions options;
    options.cachePath = path;
    options.warnOnStderr = false;
    auto result = tuneSpec(specOf(json), options);
    ASSERT_TRUE(static_cast<bool>(result))
        << llvm::toString(result.takeError());
    EXPECT_EQ(result->report.cacheStatus, "rebuilt") << garbage;
    EXPECT_NE(result->report.cacheWarning.find("is corrupt"), std::string::npos)
        << result->report.cacheWarning;
    // Rewritten: the next tuning hits.
    auto again = tuneSpec(specOf(json), options);
    ASSERT_TRUE(static_cast<bool>(again));
    EXPECT_EQ(again->report.cacheStatus, "hit") << garbage;
  }
}

TEST(TuningCache, ABadEntryIsRetunedAndAStaleOneReplaced) {
  const char *json =
      R"({"ranking": "cost_model", "budget": {"max_abs": 1e-2}})";
  std::string key = tuningCacheKey(specOf(json));
  TemporaryCacheFile file("entry.json");
  const std::string &path = file.path;
  TuneOptions options;
  options.cachePath = path;
  options.warnOnStderr = false;
  auto fileWith = [&](const std::string &compiler, const std::string &report) {
    auto parsed = parseJson(report);
    Json reportValue = nullptr;
    if (parsed)
      reportValue = std::move(*parsed);
    else
      llvm::consumeError(parsed.takeError());
    Json entries = {
        {key, {{"compiler", compiler}, {"report", std::move(reportValue)}}}};
    return dumpJson(Json{{"format", "gelu-jit-tuning-cache"},
                         {"version", 1},
                         {"entries", std::move(entries)}});
  };
  // An entry whose report names no known expansion: corrupt, re-tuned.
  writeFile(path, fileWith(compilerFingerprint(),
                           R"({"candidates": [{"expansion": "pade"}]})"));
  auto result = tuneSpec(specOf(json), options);
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(result->report.cacheStatus, "rebuilt");
  EXPECT_NE(result->report.cacheWarning.find("has a corrupt entry"),
            std::string::npos)
      << result->report.cacheWarning;
  // A sound entry of another compiler: stale, re-tuned and replaced.
  std::string sound = result->report.toJson();
  writeFile(path, fileWith("v1-0000000000000000", sound));
  auto stale = tuneSpec(specOf(json), options);
  ASSERT_TRUE(static_cast<bool>(stale));
  EXPECT_EQ(stale->report.cacheStatus, "stale");
  EXPECT_NE(readFile(path).find(compilerFingerprint()), std::string::npos);
  auto hit = tuneSpec(specOf(json), options);
  ASSERT_TRUE(static_cast<bool>(hit));
  EXPECT_EQ(hit->report.cacheStatus, "hit");
}

TEST(TuningCache, AnUnwritableCacheIsAWarningNotAFailure) {
  TuneOptions options;
  options.cachePath = "/proc/gelu-jit-cannot-write-here/tuning.json";
  options.warnOnStderr = false;
  auto result = tuneSpec(
      specOf(R"({"ranking": "cost_model", "budget": {"max_abs": 1e-2}})"),
      options);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_NE(result->report.cacheWarning.find("was not updated"),
            std::string::npos)
      << result->report.cacheWarning;
}

TEST(TuningCache, ProcessesStoringAtOnceKeepEveryEntry) {
  // Four processes store 10 entries each into one new file as fast as they
  // can: the lock and the re-read under it keep all 40 (without them a
  // store overwrote the entries others added since its read).
  TuningReport report =
      tune(R"({"ranking": "cost_model", "budget": {"max_abs": 1e-2}})").report;
  TemporaryCacheFile file("processes.json");
  const std::string &path = file.path;
  constexpr int kProcesses = 4, kStores = 10;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int failures = 0;
      for (int i = 0; i < kStores; ++i)
        if (llvm::Error err = storeTuning(
                path, "key-" + std::to_string(p) + "-" + std::to_string(i),
                report)) {
          llvm::consumeError(std::move(err));
          ++failures;
        }
      ::_exit(failures);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "a store failed";
  }
  int hits = 0;
  for (int p = 0; p < kProcesses; ++p)
    for (int i = 0; i < kStores; ++i)
      hits += lookupTuning(path,
                           "key-" + std::to_string(p) + "-" + std::to_string(i))
                  .status == "hit";
  EXPECT_EQ(hits, kProcesses * kStores);
}

TEST(TuningCache, AFullDiskIsNamedAndLeavesNoTemporaryFile) {
  TuningReport report =
      tune(R"({"ranking": "cost_model", "budget": {"max_abs": 1e-2}})").report;
  TemporaryCacheFile file("full.json");
  const std::string &path = file.path;
  // A file-size limit of 1 KiB (the file needs more) stands for a full
  // disk: the write fails with EFBIG.
  std::string message =
      inChildProcess([] { limitFileSize(1024); },
                     [&] {
                       llvm::Error err = storeTuning(path, "key", report);
                       return err ? llvm::toString(std::move(err)) : "(stored)";
                     });
  EXPECT_EQ(message,
            "cannot write the tuning cache '" + path + "': File too large");
  std::error_code ec;
  llvm::StringRef directory = llvm::sys::path::parent_path(path);
  for (llvm::sys::fs::directory_iterator it(directory, ec), end;
       it != end && !ec; it.increment(ec))
    EXPECT_FALSE(llvm::StringRef(it->path()).starts_with(path + ".tmp-"))
        << it->path() << " was left behind";
  EXPECT_FALSE(llvm::sys::fs::exists(path));
}

TEST(TuningCache, KeysIgnoreNameAndThreadsOnly) {
  EXPECT_EQ(tuningCacheKey(specOf(R"({"name": "a", "threads": 4})")),
            tuningCacheKey(specOf(R"({"name": "b"})")));
  EXPECT_NE(tuningCacheKey(specOf(R"({"budget": {"max_abs": 1e-3}})")),
            tuningCacheKey(specOf(R"({"budget": {"max_abs": 1e-4}})")));
  EXPECT_NE(tuningCacheKey(specOf(R"({"target": "x86-64-v3"})")),
            tuningCacheKey(specOf(R"({})")));
  EXPECT_NE(tuningCacheKey(specOf(R"({"dtype": "bf16"})")),
            tuningCacheKey(specOf(R"({})")));
}

/// One CPU name with other features (a VM that hides AVX-512) is another
/// CPU to the cache: a decision timed with AVX-512 is not reused without.
TEST(TuningCache, KeysTellFeatureSetsOfOneCpuNameApart) {
  llvm::StringMap<bool> full, noAvx512;
  for (const char *f : {"avx2", "fma", "avx512f", "avx512bw"})
    full[f] = noAvx512[f] = true;
  noAvx512["avx512f"] = noAvx512["avx512bw"] = false;
  EXPECT_NE(cpuIdentityOf("znver4", full), cpuIdentityOf("znver4", noAvx512));
  EXPECT_NE(cpuIdentityOf("znver4", full), cpuIdentityOf("znver5", full));
  // Disabled features and the order of the map do not matter.
  llvm::StringMap<bool> same;
  for (const char *f : {"avx512bw", "fma", "avx512f", "avx2"})
    same[f] = true;
  same["sse4a"] = false;
  EXPECT_EQ(cpuIdentityOf("znver4", full), cpuIdentityOf("znver4", same));
  // And the key of every spec carries this CPU's identity.
  std::string here = cpuIdentityOf(llvm::sys::getHostCPUName(),
                                   llvm::sys::getHostCPUFeatures());
  std::string key = tuningCacheKey(specOf(R"({"budget": {"max_abs": 1e-3}})"));
  EXPECT_EQ(key.substr(key.size() - here.size()), here) << key;
}

TEST(TuningCache, TheDefaultLocationFollowsTheEnvironment) {
  TuneOptions options;
  const char *saved = std::getenv("GELU_JIT_TUNING_CACHE");
  std::string restore = saved ? saved : "";
  const char *home = std::getenv("HOME");
  std::string restoreHome = home ? home : "";
  ::setenv("GELU_JIT_TUNING_CACHE", "/somewhere/t.json", 1);
  EXPECT_EQ(tuningCachePath(options), "/somewhere/t.json");
  ::setenv("GELU_JIT_TUNING_CACHE", "off", 1);
  EXPECT_EQ(tuningCachePath(options), "");
  ::unsetenv("GELU_JIT_TUNING_CACHE");
  ::setenv("XDG_CACHE_HOME", "/xdg", 1);
  EXPECT_EQ(tuningCachePath(options), "/xdg/gelu-jit/tuning.json");
  ::unsetenv("XDG_CACHE_HOME");
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(tuningCachePath(options), "/home/u/.cache/gelu-jit/tuning.json");
  options.cachePath = "/explicit.json";
  EXPECT_EQ(tuningCachePath(options), "/explicit.json");
  if (home)
    ::setenv("HOME", restoreHome.c_str(), 1);
  if (saved)
    ::setenv("GELU_JIT_TUNING_CACHE", restore.c_str(), 1);
  else
    ::setenv("GELU_JIT_TUNING_CACHE", "off", 1);
}

} // namespace
