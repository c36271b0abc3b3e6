//===- TrainingKernelsTest.cpp - Backward, bias+GELU and gated kernels ----===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The kernels beyond a plain activation: each against the long-double
// reference (the derivatives with errorScale near their zero), the fused
// forms bit for bit against their unfused parts, the 16-bit kernels on every
// input, the bias gradient against the sum of what was written, threaded
// runs against single-threaded ones, and every misuse of the new entry
// points.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/Jit.h"
#include "gelu/JIT/Measurement.h"
#include "gelu/JIT/Tuner.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/Polynomials.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace gelu;

namespace {

std::unique_ptr<Kernel> compile(const std::string &json) {
  auto kernel = compileKernel(specOf(json));
  EXPECT_TRUE(static_cast<bool>(kernel)) << json;
  if (!kernel) {
    ADD_FAILURE() << llvm::toString(kernel.takeError());
    return nullptr;
  }
  return std::move(*kernel);
}

/// Runs the backward kernel `k` on `x` with dy = 1 (so dx = GELU'(x)),
/// writing `dx`, and returns the largest |dx[i] − GELU'(x[i])| over the
/// first `n` inputs (all when 0) against the long-double reference of the
/// derivative the kernel computes (+inf if a result is NaN).
double runDerivative(const Kernel &k, const std::vector<float> &x,
                     std::vector<float> &dx, size_t n = 0) {
  const std::vector<float> dy(x.size(), 1.0f);
  dx.resize(x.size());
  k.binary<float>()(x.data(), dy.data(), dx.data(),
                    static_cast<int64_t>(x.size()));
  const ReferenceFunction f = k.spec().referenceFunction();
  double worst = 0;
  for (size_t i = 0; i < (n ? n : x.size()); ++i)
    worst = worstOf(
        worst, static_cast<double>(fabsl(dx[i] - evaluateReference(f, x[i]))));
  return worst;
}

std::vector<float> randomValues(size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

/// f32 rounded to the 16-bit format to nearest even, as the kernels round,
/// and encoded.
uint16_t roundTo16(float f, bool isBF16) {
  return halfFromFloatExact(roundedToHalf(f, isBF16), isBF16);
}

/// The GELU forms and dtypes every new op is checked in.
const char *const kForms[] = {"none", "tanh", "sigmoid"};

/// The default gelu_backward kernel of a GELU form.
std::unique_ptr<Kernel> compileBackward(const char *form) {
  return compile(std::string(R"({"op": "gelu_backward", "approximate": ")") +
                 form + "\"}");
}

//===----------------------------------------------------------------------===//
// Accuracy
//===----------------------------------------------------------------------===//

// dx = dy·GELU'(x) for random dy: within a few ULP of the long-double
// dy·GELU'(x), counted against max(|dx|, |dy|·gate) near the zero.
TEST(TrainingKernelsTest, BackwardMatchesTheReferenceWithRandomGradients) {
  for (const char *form : kForms) {
    auto kernel = compileBackward(form);
    ASSERT_TRUE(kernel);
    ReferenceFunction f = kernel->spec().referenceFunction();
    std::vector<float> x = randomValues(1 << 14, -12, 12, 1);
    std::vector<float> dy = randomValues(1 << 14, -4, 4, 2);
    std::vector<float> dx(x.size());
    ASSERT_FALSE(static_cast<bool>(
        kernel->runBinary(x.data(), dy.data(), dx.data(), int64_t(x.size()))));
    double worst = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      long double ref = dy[i] * evaluateReference(f, x[i]);
      long double scale = fabsl(dy[i]) * errorScale(f, x[i]);
      worst = std::max(worst, ulpError(dx[i], ref, FloatFormat::f32(), scale));
    }
    // The derivative's few ULP (docs/accuracy.md) and the product's half.
    EXPECT_LE(worst, 7.0) << form;
  }
}

// The direct rational derivatives of all three GELUs, at every degree:
// within their fit's absolute error on a dense grid of [−20, 20] (dy = 1),
// and each degree more accurate than the one below it (a ladder). Bounds:
// gelu-accuracy's measurement (every 1024th f32) with a margin; for the
// sigmoid GELU's degree 3, its clamp at 5 (kSigmoidDerivativeDegree3Clamp).
TEST(TrainingKernelsTest, RationalDerivativesMeetTheirFitsAtEveryDegree) {
  struct Ladder {
    const char *form;
    double bound[7]; ///< by degree
  } ladders[] = {{"none", {0, 0, 2e-2, 2.6e-3, 1e-4, 8e-6, 4e-7}},
                 {"tanh", {0, 0, 2e-2, 2.2e-3, 1e-4, 6e-6, 5.5e-7}},
                 {"sigmoid", {0, 0, 1.2e-2, 2e-3, 1e-4, 5e-6, 4.5e-7}}};
  std::vector<float> x, dx;
  for (int i = 0; i <= (1 << 16); ++i)
    x.push_back(-20.0f + 40.0f * (static_cast<float>(i) + 0.37f) / (1 << 16));
  for (const Ladder &ladder : ladders)
    for (const char *expansion : {"rational", "rational_fast"}) {
      double previous = std::numeric_limits<double>::infinity();
      for (unsigned degree = 2; degree <= 6; ++degree) {
        std::string json =
            std::string(R"({"op": "gelu_backward", "approximate": ")") +
            ladder.form + R"(", "expansion": ")" + expansion +
            R"(", "degree": )" + std::to_string(degree) + "}";
        auto kernel = compile(json);
        ASSERT_TRUE(kernel);
        const double worst = runDerivative(*kernel, x, dx);
        EXPECT_LE(worst, ladder.bound[degree]) << json;
        EXPECT_LT(worst, previous)
            << json << ": no better than degree " << degree - 1;
        previous = worst;
      }
    }
}

/// 2^16 + 1 points of [−20, 20] shifted by `offset` of a step, then +inf,
/// −inf and NaN (the last kSpecialCount).
constexpr size_t kSpecialCount = 3;
std::vector<float> gridWithSpecials(float offset) {
  std::vector<float> x;
  for (int i = 0; i <= (1 << 16); ++i)
    x.push_back(-20.0f + 40.0f * (static_cast<float>(i) + offset) / (1 << 16));
  x.push_back(std::numeric_limits<float>::infinity());
  x.push_back(-std::numeric_limits<float>::infinity());
  x.push_back(std::numeric_limits<float>::quiet_NaN());
  return x;
}

// The derivatives' table-free `polynomial` form, at every degree: within
// the error gelu-fit measured for its fit (FittedPolynomials.inc, in f32
// on 4001 points of [0, R]; between them the f32 rounding of p's terms
// adds up to 5e-6 at degree 6) on a dense grid of [−20, 20], each degree
// more accurate than the one below, 1 and 0 at ±inf (R·p(R²) = 1/2: to
// within the evaluation's rounding), NaN kept.
TEST(TrainingKernelsTest, PolynomialDerivativesMeetTheirFitsAtEveryDegree) {
  const std::vector<float> x = gridWithSpecials(0.41f);
  const size_t n = x.size() - kSpecialCount;
  std::vector<float> dx;
  for (const char *form : {"none", "tanh", "sigmoid"}) {
    double previous = std::numeric_limits<double>::infinity();
    for (unsigned degree : degreesOf(ReferenceFunction::GeluExactDerivative,
                                     act::Expansion::polynomial,
                                     /*f64=*/false)) {
      std::string json =
          std::string(R"({"op": "gelu_backward", "approximate": ")") + form +
          R"(", "expansion": "polynomial", "degree": )" +
          std::to_string(degree) + "}";
      auto kernel = compile(json);
      ASSERT_TRUE(kernel);
      const double worst = runDerivative(*kernel, x, dx, n);
      const double fitted = clampedPolynomialCoefficients(
                                kernel->spec().referenceFunction(), degree)
                                .maxError;
      EXPECT_LE(worst, fitted + 1e-5) << json;
      EXPECT_GT(worst, fitted / 2) << json << ": the fit's error is stale";
      EXPECT_LT(worst, previous)
          << json << ": no better than degree " << degree - 1;
      previous = worst;
      EXPECT_NEAR(dx[n], 1.0f, 1e-5f) << json << " at +inf";
      EXPECT_NEAR(dx[n + 1], 0.0f, 1e-5f) << json << " at -inf";
      EXPECT_TRUE(std::isnan(dx[n + 2])) << json << " at NaN";
    }
  }
}

// The derivatives' graded tables, at every degree: within gelu-accuracy's
// measurement (every 256th f32) with a margin on a dense grid of
// [−20, 20], each degree more accurate than the one below and than
// `piecewise` at the same degree (whose table has the same 31 intervals,
// evenly spaced), 1 and 0 at ±inf, NaN kept.
TEST(TrainingKernelsTest, GradedDerivativeTablesBeatEvenOnes) {
  struct Ladder {
    const char *form;
    double bound[4]; ///< by degree
  } ladders[] = {{"none", {0, 4.2e-4, 8e-6, 3.6e-7}},
                 {"tanh", {0, 4e-4, 7e-6, 3.6e-7}},
                 {"sigmoid", {0, 7.5e-4, 4e-5, 2.3e-6}}};
  const std::vector<float> x = gridWithSpecials(0.23f);
  const size_t n = x.size() - kSpecialCount;
  std::vector<float> dx;
  for (const Ladder &ladder : ladders) {
    double previous = std::numeric_limits<double>::infinity();
    for (unsigned degree : degreesOf(ReferenceFunction::GeluExactDerivative,
                                     act::Expansion::piecewise_graded,
                                     /*f64=*/false)) {
      double worst[2] = {0, 0};
      std::string json[2];
      for (int graded = 0; graded < 2; ++graded) {
        json[graded] =
            std::string(R"({"op": "gelu_backward", "approximate": ")") +
            ladder.form + R"(", "expansion": ")" +
            (graded ? "piecewise_graded" : "piecewise") + R"(", "degree": )" +
            std::to_string(degree) + "}";
        auto kernel = compile(json[graded]);
        ASSERT_TRUE(kernel);
        worst[graded] = runDerivative(*kernel, x, dx, n);
        EXPECT_EQ(dx[n], 1.0f) << json[graded] << " at +inf";
        EXPECT_EQ(dx[n + 1], 0.0f) << json[graded] << " at -inf";
        EXPECT_TRUE(std::isnan(dx[n + 2])) << json[graded] << " at NaN";
      }
      EXPECT_LE(worst[1], ladder.bound[degree]) << json[1];
      EXPECT_LT(worst[1], worst[0]) << json[1] << " against " << json[0];
      EXPECT_LT(worst[1], previous)
          << json[1] << ": no better than degree " << degree - 1;
      previous = worst[1];
    }
  }
}

// The exact derivative's negative tail, where Φ(x) and x·φ(x) would cancel
// if Φ were computed as 1 − Φ(−x): relative accuracy down to underflow.
// Down past underflow (near −14.55) and the tail table's end (15), below
// which the result is −0.
TEST(TrainingKernelsTest, ExactBackwardKeepsTheNegativeTail) {
  auto kernel = compile(R"({"op": "gelu_backward"})");
  ASSERT_TRUE(kernel);
  std::vector<float> x, ones;
  for (float v = -3; v > -15.5f; v -= 1.0f / 64)
    x.push_back(v);
  ones.assign(x.size(), 1.0f);
  std::vector<float> dx(x.size());
  kernel->binary<float>()(x.data(), ones.data(), dx.data(), int64_t(x.size()));
  for (size_t i = 0; i < x.size(); ++i) {
    long double ref =
        evaluateReference(ReferenceFunction::GeluExactDerivative, x[i]);
    ASSERT_LT(ref, 0) << x[i];
    EXPECT_LE(ulpError(dx[i], ref, FloatFormat::f32()), 3.0) << "x = " << x[i];
  }
}

// Every default derivative at the special values: 1 for +inf, −0 for −inf
// and far below its tail's end (GELU' < 0 there), NaN for NaN.
TEST(TrainingKernelsTest, DefaultBackwardsKeepTheSpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x = {inf, -inf, -1e30f, -200.0f,
                                std::numeric_limits<float>::quiet_NaN()};
  const std::vector<float> ones(x.size(), 1.0f);
  for (const char *form : kForms) {
    auto kernel = compileBackward(form);
    ASSERT_TRUE(kernel);
    std::vector<float> dx(x.size());
    kernel->binary<float>()(x.data(), ones.data(), dx.data(),
                            int64_t(x.size()));
    EXPECT_EQ(dx[0], 1.0f) << form;
    for (size_t i = 1; i + 1 < x.size(); ++i) {
      EXPECT_EQ(dx[i], 0.0f) << form << " at " << x[i];
      EXPECT_TRUE(std::signbit(dx[i])) << form << " at " << x[i];
    }
    EXPECT_TRUE(std::isnan(dx.back())) << form;
  }
}

// Through GELU''s zero (x ≈ −0.75), where Φ(x) and x·φ(x) cancel: the
// default (piecewise_tail) writes GELU'(−u) = (u − u0)·R(u), so it keeps
// its plain relative accuracy there, not only against the gate as the
// closed forms do. Every f32 in [−0.78, −0.72], dy = 1.
TEST(TrainingKernelsTest, DefaultBackwardIsRelativelyAccurateThroughTheZero) {
  for (const char *form : kForms) {
    auto kernel = compileBackward(form);
    ASSERT_TRUE(kernel);
    ReferenceFunction f = kernel->spec().referenceFunction();
    ASSERT_EQ(expansionsFor(f).front(), act::Expansion::piecewise_tail);
    std::vector<float> x, ones;
    for (float v = -0.78f; v < -0.72f; v = std::nextafter(v, 0.0f))
      x.push_back(v);
    ones.assign(x.size(), 1.0f);
    std::vector<float> dx(x.size());
    kernel->binary<float>()(x.data(), ones.data(), dx.data(),
                            int64_t(x.size()));
    double worst = 0;
    float worstAt = 0;
    size_t signChanges = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      long double ref = evaluateReference(f, x[i]);
      double e = ulpError(dx[i], ref, FloatFormat::f32());
      if (!(e <= worst)) {
        worst = e;
        worstAt = x[i];
      }
      signChanges += i > 0 && (dx[i] < 0) != (dx[i - 1] < 0);
    }
    EXPECT_LE(worst, 4.0) << form << " worst at x = " << worstAt;
    // The zero is inside the range, crossed once.
    EXPECT_EQ(signChanges, 1u) << form;
  }
}

// Every 16-bit input of every new op and form, for the host and the x86
// levels without AVX512-BF16: the f32 result rounded once is within half an
// ULP (and a hair for the double rounding).
TEST(TrainingKernelsTest, SixteenBitKernelsAreCorrectlyRoundedOnEveryInput) {
  GELU_SKIP_UNDER_SANITIZERS();
  for (const std::string &target : sixteenBitTargets())
    for (const char *op : {"gelu_backward", "bias_gelu", "bias_gelu_backward",
                           "geglu", "swiglu"})
      for (const char *form : kForms)
        for (const char *dtype : {"bf16", "f16"}) {
          if (std::string(op) == "swiglu" && std::string(form) != "none")
            continue;
          std::string json = std::string(R"({"op": ")") + op +
                             R"(", "approximate": ")" + form +
                             R"(", "dtype": ")" + dtype + R"(", "target": ")" +
                             target + "\"}";
          auto kernel = compile(json);
          ASSERT_TRUE(kernel);
          const KernelSpec &spec = kernel->spec();
          BudgetSample sample =
              sampleBudget(spec.referenceFunction(), spec.dtype, {});
          ASSERT_GT(sample.inputs.size(), 63000u) << "every finite input";
          RegionErrors error = measureKernel(*kernel, sample);
          EXPECT_LE(error[kOverallRegion].maxUlp, 0.51)
              << json << " worst at x = " << error[kOverallRegion].ulpAt;
          // Once more through the test's own call, not the library's
          // measurement: every encoding in one row, the factor or dy 1, the
          // bias −0 (x + −0 is x, +0 included).
          bool isBF16 = spec.dtype == DType::BF16;
          const int64_t n = 1 << 16;
          std::vector<uint16_t> in(n), one(n), out(n);
          std::vector<uint16_t> bias(n, halfFromFloatExact(-0.0f, isBF16));
          std::vector<float> dbias(n);
          for (int64_t i = 0; i < n; ++i) {
            in[i] = static_cast<uint16_t>(i);
            one[i] = halfFromFloatExact(1.0f, isBF16);
          }
          switch (kernelAbiOf(spec.op)) {
          case KernelAbi::Binary:
            kernel->binary<uint16_t>()(in.data(), one.data(), out.data(), n);
            break;
          case KernelAbi::Bias:
            ASSERT_FALSE(static_cast<bool>(
                kernel->runBias(in.data(), bias.data(), out.data(), 1, n)));
            break;
          case KernelAbi::BiasBackward:
            ASSERT_FALSE(static_cast<bool>(
                kernel->runBiasBackward(in.data(), bias.data(), one.data(),
                                        out.data(), dbias.data(), 1, n)));
            break;
          case KernelAbi::Unary:
            FAIL() << json << " is not a training kernel";
          }
          FloatFormat format = floatFormatOf(spec.dtype);
          ReferenceFunction f = spec.referenceFunction();
          double worst = 0;
          float worstAt = 0;
          for (size_t i = 0; i < in.size(); ++i) {
            float x = halfToFloat(in[i], isBF16);
            if (!std::isfinite(x))
              continue;
            double ulps =
                ulpError(halfToFloat(out[i], isBF16), evaluateReference(f, x),
                         format, errorScale(f, x));
            if (!(ulps <= worst)) {
              worst = ulps;
              worstAt = x;
            }
          }
          EXPECT_LE(worst, 0.51)
              << json << " (own call) worst at x = " << worstAt;
          // One row: each column's bias gradient is the dx written there.
          if (kernelAbiOf(spec.op) == KernelAbi::BiasBackward)
            for (int64_t i = 0; i < n; ++i) {
              float dx = halfToFloat(out[i], isBF16);
              ASSERT_TRUE(dbias[i] == dx ||
                          (std::isnan(dbias[i]) && std::isnan(dx)))
                  << json << " dbias at x = " << halfToFloat(in[i], isBF16)
                  << ": " << dbias[i] << ", dx " << dx;
            }
        }
}

//===----------------------------------------------------------------------===//
// Fused forms against their parts
//===----------------------------------------------------------------------===//

// bias_gelu is exactly gelu of the rounded sum (the fusion pattern relies on
// it), in every dtype and for every expansion of exact GELU.
TEST(TrainingKernelsTest, BiasGeluEqualsGeluOfTheRoundedSum) {
  const int64_t rows = 7, cols = 37;
  std::vector<float> x = randomValues(rows * cols, -8, 8, 3);
  std::vector<float> bias = randomValues(cols, -2, 2, 4);
  for (act::Expansion e : expansionsFor(ReferenceFunction::GeluExact))
    for (const char *dtype : {"f32", "bf16", "f16"}) {
      if (e == act::Expansion::correctly_rounded && std::string(dtype) != "f32")
        continue; // f32 only
      std::string tail = std::string(R"(, "expansion": ")") +
                         act::stringifyExpansion(e).str() + R"(", "dtype": ")" +
                         dtype + "\"}";
      auto fused = compile(R"({"op": "bias_gelu")" + tail);
      auto plain = compile(R"({"op": "gelu")" + tail);
      ASSERT_TRUE(fused && plain);
      bool is32 = std::string(dtype) == "f32";
      bool isBF16 = std::string(dtype) == "bf16";
      if (is32) {
        std::vector<float> y(x.size()), sum(x.size()), want(x.size());
        ASSERT_FALSE(static_cast<bool>(
            fused->runBias(x.data(), bias.data(), y.data(), rows, cols)));
        for (int64_t i = 0; i < rows * cols; ++i)
          sum[i] = x[i] + bias[i % cols];
        plain->f32()(sum.data(), want.data(), rows * cols);
        EXPECT_EQ(0, std::memcmp(y.data(), want.data(), y.size() * 4)) << tail;
        continue;
      }
      std::vector<uint16_t> x16(x.size()), b16(cols), y(x.size()),
          sum(x.size()), want(x.size());
      for (size_t i = 0; i < x.size(); ++i)
        x16[i] = roundTo16(x[i], isBF16);
      for (int64_t c = 0; c < cols; ++c)
        b16[c] = roundTo16(bias[c], isBF16);
      ASSERT_FALSE(static_cast<bool>(
          fused->runBias(x16.data(), b16.data(), y.data(), rows, cols)));
      for (int64_t i = 0; i < rows * cols; ++i)
        sum[i] = roundTo16(halfToFloat(x16[i], isBF16) +
                               halfToFloat(b16[i % cols], isBF16),
                           isBF16);
      plain->u16()(sum.data(), want.data(), rows * cols);
      EXPECT_EQ(y, want) << tail;
    }
}

// In f32, geglu, swiglu and the backward are the activation (derivative)
// times the other operand, rounded once: bit for bit.
TEST(TrainingKernelsTest, GatedAndBackwardAreTheirPartsInF32) {
  std::vector<float> a = randomValues(1003, -10, 10, 5);
  std::vector<float> b = randomValues(1003, -3, 3, 6);
  std::vector<float> ones(a.size(), 1.0f);
  struct Case {
    const char *op;
    const char *part;
  } cases[] = {{"geglu", "gelu"},
               {"swiglu", "silu"},
               {"gelu_backward", "gelu_backward"}};
  for (const Case &c : cases) {
    auto kernel = compile(std::string(R"({"op": ")") + c.op + "\"}");
    auto part = compile(std::string(R"({"op": ")") + c.part + "\"}");
    ASSERT_TRUE(kernel && part);
    std::vector<float> y(a.size()), activation(a.size());
    kernel->binary<float>()(a.data(), b.data(), y.data(), int64_t(a.size()));
    if (part->f32())
      part->f32()(a.data(), activation.data(), int64_t(a.size()));
    else // the derivative alone: dy = 1
      part->binary<float>()(a.data(), ones.data(), activation.data(),
                            int64_t(a.size()));
    for (size_t i = 0; i < a.size(); ++i)
      ASSERT_EQ(y[i], activation[i] * b[i]) << c.op << " at a = " << a[i];
  }
}

// Against the long-double reference with a real second operand, 16-bit:
// GELU(a)·b rounded once.
TEST(TrainingKernelsTest, GatedSixteenBitRoundsTheProductOnce) {
  for (const char *op : {"geglu", "swiglu"}) {
    auto kernel =
        compile(std::string(R"({"op": ")") + op + R"(", "dtype": "bf16"})");
    ASSERT_TRUE(kernel);
    ReferenceFunction f = kernel->spec().referenceFunction();
    std::vector<float> a = randomValues(4096, -8, 8, 7);
    std::vector<float> b = randomValues(4096, -3, 3, 8);
    std::vector<uint16_t> a16(a.size()), b16(a.size()), y(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      a16[i] = roundTo16(a[i], true);
      b16[i] = roundTo16(b[i], true);
    }
    ASSERT_FALSE(static_cast<bool>(
        kernel->runBinary(a16.data(), b16.data(), y.data(), 4096)));
    for (size_t i = 0; i < a.size(); ++i) {
      long double ref =
          evaluateReference(f, bf16ToFloat(a16[i])) * bf16ToFloat(b16[i]);
      ASSERT_LE(ulpError(bf16ToFloat(y[i]), ref, FloatFormat::bf16()), 0.51)
          << op << " a = " << bf16ToFloat(a16[i]);
    }
  }
}

//===----------------------------------------------------------------------===//
// The bias gradient
//===----------------------------------------------------------------------===//

// dx as gelu_backward of the rounded sum, dbias as the f32 column sums of
// the dx written (to the rounding of an f32 sum), in f32 and bf16.
TEST(TrainingKernelsTest, BiasBackwardProducesDxAndColumnSums) {
  const int64_t rows = 33, cols = 45; // not multiples of any vector width
  std::vector<float> x = randomValues(rows * cols, -5, 5, 9);
  std::vector<float> dy = randomValues(rows * cols, -1, 1, 10);
  std::vector<float> bias = randomValues(cols, -1, 1, 11);
  auto kernel = compile(R"({"op": "bias_gelu_backward"})");
  auto backward = compile(R"({"op": "gelu_backward"})");
  ASSERT_TRUE(kernel && backward);
  std::vector<float> dx(x.size()), dbias(cols, 123.0f), sum(x.size()),
      want(x.size());
  ASSERT_FALSE(static_cast<bool>(kernel->runBiasBackward(
      x.data(), bias.data(), dy.data(), dx.data(), dbias.data(), rows, cols)));
  for (int64_t i = 0; i < rows * cols; ++i)
    sum[i] = x[i] + bias[i % cols];
  backward->binary<float>()(sum.data(), dy.data(), want.data(), rows * cols);
  EXPECT_EQ(dx, want);
  for (int64_t c = 0; c < cols; ++c) {
    double total = 0, magnitude = 0;
    for (int64_t r = 0; r < rows; ++r) {
      total += dx[r * cols + c];
      magnitude += std::fabs(dx[r * cols + c]);
    }
    EXPECT_NEAR(dbias[c], total, rows * magnitude * 0x1p-24) << "column " << c;
  }

  // bf16: the same through the 16-bit entry; dbias stays f32.
  auto kernel16 = compile(R"({"op": "bias_gelu_backward", "dtype": "bf16"})");
  ASSERT_TRUE(kernel16);
  std::vector<uint16_t> x16(x.size()), dy16(x.size()), b16(cols),
      dx16(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    x16[i] = roundTo16(x[i], true);
    dy16[i] = roundTo16(dy[i], true);
  }
  for (int64_t c = 0; c < cols; ++c)
    b16[c] = roundTo16(bias[c], true);
  ASSERT_FALSE(static_cast<bool>(
      kernel16->runBiasBackward(x16.data(), b16.data(), dy16.data(),
                                dx16.data(), dbias.data(), rows, cols)));
  for (int64_t c = 0; c < cols; ++c) {
    double total = 0;
    for (int64_t r = 0; r < rows; ++r)
      total += bf16ToFloat(dx16[r * cols + c]);
    EXPECT_NEAR(dbias[c], total, 1e-4) << "column " << c;
  }
  for (int64_t i = 0; i < rows * cols; ++i) {
    float z = bf16ToFloat(
        roundTo16(bf16ToFloat(x16[i]) + bf16ToFloat(b16[i % cols]), true));
    long double ref =
        bf16ToFloat(dy16[i]) *
        evaluateReference(ReferenceFunction::GeluExactDerivative, z);
    long double scale = fabsl(bf16ToFloat(dy16[i])) *
                        errorScale(ReferenceFunction::GeluExactDerivative, z);
    ASSERT_LE(ulpError(bf16ToFloat(dx16[i]), ref, FloatFormat::bf16(), scale),
              0.51)
        << "element " << i;
  }
}

// Threads split rows (and sum per-thread bias gradients in order): the
// outputs are those of one thread, dbias to rounding.
TEST(TrainingKernelsTest, ThreadedRowsMatchOneThread) {
  const int64_t rows = 512, cols = 320; // 163840 elements: 5 threads' worth
  std::vector<float> x = randomValues(rows * cols, -4, 4, 12);
  std::vector<float> dy = randomValues(rows * cols, -1, 1, 13);
  std::vector<float> bias = randomValues(cols, -1, 1, 14);
  auto forward = compile(R"({"op": "bias_gelu"})");
  auto backward = compile(R"({"op": "bias_gelu_backward"})");
  ASSERT_TRUE(forward && backward);
  std::vector<float> one(x.size()), many(x.size());
  ASSERT_FALSE(static_cast<bool>(forward->runBias(
      x.data(), bias.data(), one.data(), rows, cols, RunOptions{1})));
  ASSERT_FALSE(static_cast<bool>(forward->runBias(
      x.data(), bias.data(), many.data(), rows, cols, RunOptions{4})));
  EXPECT_EQ(one, many);
  std::vector<float> dbiasOne(cols), dbiasMany(cols);
  ASSERT_FALSE(static_cast<bool>(
      backward->runBiasBackward(x.data(), bias.data(), dy.data(), one.data(),
                                dbiasOne.data(), rows, cols, RunOptions{1})));
  ASSERT_FALSE(static_cast<bool>(
      backward->runBiasBackward(x.data(), bias.data(), dy.data(), many.data(),
                                dbiasMany.data(), rows, cols, RunOptions{4})));
  EXPECT_EQ(one, many);
  for (int64_t c = 0; c < cols; ++c)
    EXPECT_NEAR(dbiasOne[c], dbiasMany[c], 1e-4) << "column " << c;
}

// In place: dx may be dy (or x), y may be x.
TEST(TrainingKernelsTest, InPlaceCallsGiveTheSameResults) {
  std::vector<float> x = randomValues(999, -6, 6, 15);
  std::vector<float> dy = randomValues(999, -1, 1, 16);
  auto kernel = compile(R"({"op": "gelu_backward"})");
  ASSERT_TRUE(kernel);
  std::vector<float> dx(x.size()), io = dy;
  kernel->binary<float>()(x.data(), dy.data(), dx.data(), 999);
  ASSERT_FALSE(static_cast<bool>(
      kernel->runBinary(x.data(), io.data(), io.data(), 999)));
  EXPECT_EQ(io, dx);

  auto bias = compile(R"({"op": "bias_gelu"})");
  ASSERT_TRUE(bias);
  std::vector<float> b = randomValues(37, -1, 1, 17), y(37 * 27),
                     xi(x.begin(), x.begin() + 37 * 27);
  bias->bias<float>()(xi.data(), b.data(), y.data(), 27, 37);
  ASSERT_FALSE(
      static_cast<bool>(bias->runBias(xi.data(), b.data(), xi.data(), 27, 37)));
  EXPECT_EQ(xi, y);
}

//===----------------------------------------------------------------------===//
// Misuse
//===----------------------------------------------------------------------===//

std::string errorOf(llvm::Error err) {
  return err ? llvm::toString(std::move(err)) : std::string("no error");
}

TEST(TrainingKernelsTest, EntriesExistOnlyForTheirAbiAndType) {
  auto backward = compile(R"({"op": "gelu_backward"})");
  auto bias16 = compile(R"({"op": "bias_gelu", "dtype": "f16"})");
  ASSERT_TRUE(backward && bias16);
  EXPECT_EQ(backward->f32(), nullptr) << "no (in, out, n) entry";
  EXPECT_NE(backward->binary<float>(), nullptr);
  EXPECT_EQ(backward->binary<uint16_t>(), nullptr);
  EXPECT_EQ(backward->bias<float>(), nullptr);
  EXPECT_NE(bias16->bias<Half>(), nullptr);
  EXPECT_NE(bias16->bias<uint16_t>(), nullptr);
  EXPECT_EQ(bias16->bias<BFloat16>(), nullptr);
  EXPECT_EQ(bias16->u16(), nullptr);
  EXPECT_EQ(bias16->biasBackward<Half>(), nullptr);
}

TEST(TrainingKernelsTest, CheckedCallsRefuseMisuse) {
  auto backward = compile(R"({"op": "gelu_backward"})");
  auto bias = compile(R"({"op": "bias_gelu_backward"})");
  ASSERT_TRUE(backward && bias);
  std::vector<float> buffer(4096, 0.5f), dbias(64);
  float *p = buffer.data();
  EXPECT_EQ(errorOf(backward->run(p, p + 100, 10)),
            "kernel 'gelu_backward_f32': it is a 'gelu_backward' kernel: call "
            "runBinary(x, y, out, n)");
  EXPECT_EQ(errorOf(bias->runBinary(p, p + 100, p + 200, 10)),
            "kernel 'bias_gelu_backward_f32': it is a 'bias_gelu_backward' "
            "kernel: call runBiasBackward(x, bias, dy, dx, dbias, rows, cols)");
  EXPECT_EQ(errorOf(backward->runBinary(p, p + 100, p + 5, 10)),
            "kernel 'gelu_backward_f32': x and out overlap without being the "
            "same buffer (in place needs x == out)");
  EXPECT_EQ(errorOf(backward->runBinary<float>(p, nullptr, p + 100, 10)),
            "kernel 'gelu_backward_f32': y is a null pointer");
  EXPECT_EQ(errorOf(backward->runBinary(p, p + 100, p + 200, 0)),
            "kernel 'gelu_backward_f32': n must be at least 1, got 0");
  auto *odd = reinterpret_cast<const float *>(
      reinterpret_cast<const char *>(p + 300) + 2);
  EXPECT_EQ(errorOf(backward->runBinary(p, odd, p + 200, 10)),
            "kernel 'gelu_backward_f32': y is not aligned to its 4-byte "
            "elements");
  const uint16_t *half = reinterpret_cast<const uint16_t *>(p);
  EXPECT_EQ(errorOf(backward->runBinary(
                half, half + 200, const_cast<uint16_t *>(half) + 400, 10)),
            "kernel 'gelu_backward_f32': its elements are f32, not u16 "
            "(2-byte) values");

  // [rows, cols]: x, dy, dx are rows·cols; bias and dbias cols.
  float *x = p, *dy = p + 1000, *dx = p + 2000, *b = p + 3000;
  EXPECT_EQ(errorOf(bias->runBiasBackward(x, b, dy, dx, dbias.data(), 0, 8)),
            "kernel 'bias_gelu_backward_f32': rows must be at least 1, got 0");
  EXPECT_EQ(errorOf(bias->runBiasBackward(x, b, dy, dx, dbias.data(), 8, -1)),
            "kernel 'bias_gelu_backward_f32': cols must be at least 1, got -1");
  EXPECT_EQ(errorOf(bias->runBiasBackward(x, b, dy, dx, dx + 10, 8, 8)),
            "kernel 'bias_gelu_backward_f32': dx and dbias overlap");
  EXPECT_EQ(errorOf(bias->runBiasBackward(x, b, dy, b, dbias.data(), 8, 8)),
            "kernel 'bias_gelu_backward_f32': bias and dx overlap");
  EXPECT_EQ(errorOf(bias->runBiasBackward(x, b, dy, dx, nullptr, 8, 8)),
            "kernel 'bias_gelu_backward_f32': dbias is a null pointer");
  EXPECT_EQ(errorOf(bias->runBiasBackward(x, b, dy, dx, dbias.data(),
                                          int64_t(1) << 40, int64_t(1) << 40)),
            "kernel 'bias_gelu_backward_f32': rows·cols = "
            "1099511627776·1099511627776 is larger than any buffer");
  // dx == dy is in place and allowed.
  EXPECT_EQ(errorOf(bias->runBiasBackward(x, b, dy, dy, dbias.data(), 8, 8)),
            "no error");
}

//===----------------------------------------------------------------------===//
// Budgets
//===----------------------------------------------------------------------===//

// A budget on a backward kernel is a budget on GELU': it is met as
// measured, and a cheaper expansion is chosen for a loose one.
TEST(TrainingKernelsTest, BudgetsChooseTheDerivativesExpansion) {
  auto loose = compileKernel(specOf(
      R"({"op": "gelu_backward", "budget": {"max_abs": 1e-3},
          "ranking": "cost_model"})"));
  ASSERT_TRUE(static_cast<bool>(loose)) << llvm::toString(loose.takeError());
  EXPECT_NE((*loose)->spec().expansion, act::Expansion::piecewise_tail);
  EXPECT_NE((*loose)->spec().expansion, act::Expansion::erfc);
  // Met on inputs of its own (dy = 1: dx = GELU'(x)), not by the report's
  // own measurement.
  std::vector<float> x, dx;
  for (int i = 0; i <= (1 << 16); ++i)
    x.push_back(-20.0f + 40.0f * (static_cast<float>(i) + 0.29f) / (1 << 16));
  EXPECT_LE(runDerivative(**loose, x, dx), 1e-3);

  // 1e-2: the table-free `polynomial`, degree 4 (5.5e-3; degree 3 errs
  // 1.2e-2), cheaper than any table.
  auto loosest = compileKernel(specOf(
      R"({"op": "gelu_backward", "budget": {"max_abs": 1e-2},
          "ranking": "cost_model"})"));
  ASSERT_TRUE(static_cast<bool>(loosest))
      << llvm::toString(loosest.takeError());
  EXPECT_EQ((*loosest)->spec().expansion, act::Expansion::polynomial);
  EXPECT_EQ((*loosest)->spec().degree, std::optional<unsigned>(4));
  EXPECT_LE(runDerivative(**loosest, x, dx), 1e-2);

  auto tight = compileKernel(specOf(
      R"({"op": "bias_gelu_backward", "budget": {"max_ulp": 8},
          "ranking": "cost_model"})"));
  ASSERT_TRUE(static_cast<bool>(tight)) << llvm::toString(tight.takeError());
  // Only the forms accurate on every input hold it; the default is the
  // cheapest of them.
  EXPECT_EQ((*tight)->spec().expansion, act::Expansion::piecewise_tail);

  // Within 1 ULP: only GELU' correctly rounded, f32 only.
  auto rounded = compileKernel(specOf(
      R"({"op": "gelu_backward", "budget": {"max_ulp": 1},
          "ranking": "cost_model"})"));
  ASSERT_TRUE(static_cast<bool>(rounded))
      << llvm::toString(rounded.takeError());
  EXPECT_EQ((*rounded)->spec().expansion, act::Expansion::correctly_rounded);

  auto impossible = compileKernel(specOf(
      R"({"op": "gelu_backward", "approximate": "tanh",
          "budget": {"max_ulp": 1}})"));
  ASSERT_FALSE(static_cast<bool>(impossible));
  std::string message = llvm::toString(impossible.takeError());
  EXPECT_NE(message.find("gelu_tanh_derivative"), std::string::npos) << message;
}

} // namespace
