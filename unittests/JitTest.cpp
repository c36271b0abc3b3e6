//===- JitTest.cpp - The JIT API against the long-double reference -------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Every op and approximation, JIT-compiled for this CPU, against the
// long-double reference: over 1e5 points per function (a dense grid on
// [-20, 20] plus random finite floats of every magnitude), the special
// values, every n in [0, 70] at 16 misalignments with no write outside
// out[0..n), and the checked entry's errors. 16-bit kernels are checked on
// all 65 536 inputs.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Jit.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/Numerics/ErrorMaxima.h"
#include "gelu/Numerics/HalfFloat.h"

#include "TestHelpers.h"
// White-box: the mapper is private to the JIT library.
#include "../lib/JIT/ContiguousMemoryMapper.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

using namespace gelu;

namespace {

/// Compiles each spec once for the whole test binary.
const Kernel &kernelFor(const std::string &json) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Kernel>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto &slot = cache[json];
  if (!slot) {
    auto kernel = compileKernelFromJson(json);
    if (!kernel) {
      ADD_FAILURE() << "compiling " << json << ": "
                    << llvm::toString(kernel.takeError());
      std::abort();
    }
    slot = std::move(*kernel);
  }
  return *slot;
}

/// Where a form cancels (1/2 + x·R, 1 + tanh u below 0) or returns ±0 for
/// a tiny result, its ULP error is that of a result with no correct bit:
/// ±0 for a normal y is |y|/ulp(y) < 2^24 ULP off. Bounded by it all the
/// same (no region is unbounded): a NaN, a wrong sign (2^25) or a large
/// wrong value still fails; docs/accuracy.md has the absolute errors.
constexpr double kNoCorrectBit = 16777216.0;

/// A kernel and the promise this test holds it to, per region: max ULP
/// error (f32) for x ≥ 0, on [−3, 0) and below −3, and max absolute error
/// on [−20, 20]. The bounds are the measured maxima (gelu-accuracy, every
/// 256th f32) with a margin; docs/accuracy.md has the measurements.
struct FunctionCase {
  const char *name;
  const char *spec;
  ReferenceFunction function;
  double maxUlp[3];
  double maxAbs;
};

std::ostream &operator<<(std::ostream &os, const FunctionCase &c) {
  return os << c.name;
}

const FunctionCase kFunctions[] = {
    // The defaults (piecewise_tail) and the closed forms they replaced.
    {"gelu",
     R"({"op": "gelu"})",
     ReferenceFunction::GeluExact,
     {2.0, 4.0, 4.0},
     3e-7},
    {"gelu_erfc",
     R"({"op": "gelu", "expansion": "erfc"})",
     ReferenceFunction::GeluExact,
     {2.0, 4.0, 4.0},
     3e-7},
    {"gelu_tanh_sigmoid",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "sigmoid"})",
     ReferenceFunction::GeluTanh,
     {4.0, 4.0, 4.0},
     3e-7},
    {"gelu_sigmoid_sigmoid",
     R"({"op": "gelu", "approximate": "sigmoid", "expansion": "sigmoid"})",
     ReferenceFunction::GeluSigmoid,
     {4.0, 4.0, 4.0},
     6e-7},
    {"silu_sigmoid",
     R"({"op": "silu", "expansion": "sigmoid"})",
     ReferenceFunction::Silu,
     {4.0, 4.0, 4.0},
     2e-6},
    // The correctly rounded kernels: half an ULP everywhere (bit for bit
    // against the correctly rounded value: CorrectlyRoundedTest).
    {"gelu_correctly_rounded",
     R"({"op": "gelu", "expansion": "correctly_rounded"})",
     ReferenceFunction::GeluExact,
     {0.5, 0.5, 0.5},
     3e-7},
    {"gelu_tanh_correctly_rounded",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "correctly_rounded"})",
     ReferenceFunction::GeluTanh,
     {0.5, 0.5, 0.5},
     3e-7},
    {"gelu_sigmoid_correctly_rounded",
     R"({"op": "gelu", "approximate": "sigmoid", "expansion": "correctly_rounded"})",
     ReferenceFunction::GeluSigmoid,
     {0.5, 0.5, 0.5},
     6e-7},
    {"silu_correctly_rounded",
     R"({"op": "silu", "expansion": "correctly_rounded"})",
     ReferenceFunction::Silu,
     {0.5, 0.5, 0.5},
     2e-6},
    // The piecewise tables without their tail: as accurate as the defaults
    // down to the end of their table (x = −7 for exact GELU, −5.5 at degree
    // 4; −5.25, −10.5, −18), −0 below. At degree 3 the gate's relative error
    // is ~1e-3 at the end of the table, absolute below 1e-6 for exact and
    // tanh GELU (1.2e-5 sigmoid GELU: coarser intervals; 3.6e-6 SiLU, on
    // the ladder's intervals of 1/2, up to 15). Degree 2 on the ladder's
    // narrower intervals: under 1e-4 for every function (2.7e-5 sigmoid
    // GELU, 7.5e-5 SiLU).
    {"gelu_piecewise",
     R"({"op": "gelu", "expansion": "piecewise"})",
     ReferenceFunction::GeluExact,
     {2.0, 4.0, kNoCorrectBit},
     3e-7},
    {"gelu_piecewise_d3",
     R"({"op": "gelu", "expansion": "piecewise", "degree": 3})",
     ReferenceFunction::GeluExact,
     {25.0, 1300.0, kNoCorrectBit},
     1e-6},
    {"gelu_tanh_piecewise_d3",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "piecewise",
         "degree": 3})",
     ReferenceFunction::GeluTanh,
     {25.0, 1700.0, kNoCorrectBit},
     1e-6},
    // Degree 1: linear pieces on a shorter table (31 intervals of the
    // width that errs least), the cheap end of the tables: absolute error
    // 3.0e-4 (exact GELU, intervals of 0.124) and 9.6e-4 (SiLU, 0.30).
    {"gelu_piecewise_d1",
     R"({"op": "gelu", "expansion": "piecewise", "degree": 1})",
     ReferenceFunction::GeluExact,
     {5500.0, 160000.0, kNoCorrectBit},
     3.5e-4},
    {"silu_piecewise_d1",
     R"({"op": "silu", "expansion": "piecewise", "degree": 1})",
     ReferenceFunction::Silu,
     {13000.0, 80000.0, kNoCorrectBit},
     1.1e-3},
    {"gelu_sigmoid_piecewise",
     R"({"op": "gelu", "approximate": "sigmoid", "expansion": "piecewise"})",
     ReferenceFunction::GeluSigmoid,
     {2.0, 4.0, kNoCorrectBit},
     6e-7},
    {"gelu_sigmoid_piecewise_d2",
     R"({"op": "gelu", "approximate": "sigmoid", "expansion": "piecewise",
         "degree": 2})",
     ReferenceFunction::GeluSigmoid,
     {2000.0, 8000.0, kNoCorrectBit},
     3.5e-5},
    {"gelu_sigmoid_piecewise_d3",
     R"({"op": "gelu", "approximate": "sigmoid", "expansion": "piecewise",
         "degree": 3})",
     ReferenceFunction::GeluSigmoid,
     {90.0, 350.0, kNoCorrectBit},
     2.5e-6},
    {"silu_piecewise",
     R"({"op": "silu", "expansion": "piecewise"})",
     ReferenceFunction::Silu,
     {2.0, 4.0, kNoCorrectBit},
     1.2e-6},
    {"silu_piecewise_d2",
     R"({"op": "silu", "expansion": "piecewise", "degree": 2})",
     ReferenceFunction::Silu,
     {1800.0, 3700.0, kNoCorrectBit},
     5.5e-5},
    {"silu_piecewise_d3",
     R"({"op": "silu", "expansion": "piecewise", "degree": 3})",
     ReferenceFunction::Silu,
     {80.0, 250.0, kNoCorrectBit},
     4e-6},
    // piecewise_tail at the lower degrees: the `piecewise` tables with the
    // default's tail, exact GELU's ended sooner where the lower degree
    // loses relative accuracy (lowDegreeTailCoefficients), tanh GELU's
    // centred tables of their own (tailPiecewiseDomain); bounds from
    // gelu-accuracy (every 64th f32) with a margin.
    {"gelu_piecewise_tail_d5",
     R"({"op": "gelu", "expansion": "piecewise_tail", "degree": 5})",
     ReferenceFunction::GeluExact,
     {1.5, 2.2, 70.0},
     3e-7},
    {"gelu_piecewise_tail_d6",
     R"({"op": "gelu", "expansion": "piecewise_tail", "degree": 6})",
     ReferenceFunction::GeluExact,
     {1.5, 2.1, 5.5},
     3e-7},
    {"gelu_tanh_piecewise_tail_d5",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "piecewise_tail", "degree": 5})",
     ReferenceFunction::GeluTanh,
     {2.1, 3.0, 2.9},
     3e-7},
    {"gelu_tanh_piecewise_tail_d6",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "piecewise_tail", "degree": 6})",
     ReferenceFunction::GeluTanh,
     {2.7, 2.9, 2.8},
     3e-7},
    // Sigmoid GELU's and SiLU's own tables (their defaults) are degree 5
    // on all 31 intervals (tailTableDegree, hasEvenFullTables): held to
    // their measured maxima (all 2^32 f32) with a margin, tighter than the
    // defaults' promise above.
    {"gelu_sigmoid_piecewise_tail",
     R"({"op": "gelu", "approximate": "sigmoid", "expansion": "piecewise_tail"})",
     ReferenceFunction::GeluSigmoid,
     {1.8, 2.9, 3.0},
     6e-7},
    {"silu_piecewise_tail",
     R"({"op": "silu", "expansion": "piecewise_tail"})",
     ReferenceFunction::Silu,
     {2.0, 2.8, 3.2},
     2e-6},
    // The graded tables (intervals widening with |x|, one FMA more than
    // `piecewise` at the same degree; interval 0 pinned to 1/2 at 0, which
    // costs relative accuracy just above 0): bounds from gelu-accuracy
    // (every 64th f32) with a margin. Degree 3 (the default), evaluated
    // expanded in t (Polynomials.h: isExpandedPiecewise): 3.8e-7 abs, and
    // 503 (exact) and 729 (tanh) ULP on [−3, 0), where GELU is small.
    {"gelu_piecewise_graded",
     R"({"op": "gelu", "expansion": "piecewise_graded"})",
     ReferenceFunction::GeluExact,
     {30.0, 900.0, kNoCorrectBit},
     4.5e-7},
    {"gelu_piecewise_graded_d1",
     R"({"op": "gelu", "expansion": "piecewise_graded", "degree": 1})",
     ReferenceFunction::GeluExact,
     {7e4, 4e5, kNoCorrectBit},
     2.6e-4},
    {"gelu_tanh_piecewise_graded",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "piecewise_graded"})",
     ReferenceFunction::GeluTanh,
     {30.0, 900.0, kNoCorrectBit},
     4.5e-7},
    {"gelu_sigmoid_piecewise_graded_d2",
     R"({"op": "gelu", "approximate": "sigmoid",
         "expansion": "piecewise_graded", "degree": 2})",
     ReferenceFunction::GeluSigmoid,
     {500.0, 4000.0, kNoCorrectBit},
     1e-5},
    {"silu_piecewise_graded_d1",
     R"({"op": "silu", "expansion": "piecewise_graded", "degree": 1})",
     ReferenceFunction::Silu,
     {6.5e4, 6.5e4, kNoCorrectBit},
     6.5e-4},
    // The gates' table-free polynomial, the cheapest forms: absolute
    // error only (docs/accuracy.md), x past R and −0 below −R; exact
    // GELU's degree 4 is up to 7× its value on [−3.75, −3] (1.1e8 ULP).
    {"gelu_polynomial",
     R"({"op": "gelu", "expansion": "polynomial"})",
     ReferenceFunction::GeluExact,
     {9e4, 3.2e6, kNoCorrectBit},
     1.5e-3},
    {"gelu_polynomial_d4",
     R"({"op": "gelu", "expansion": "polynomial", "degree": 4})",
     ReferenceFunction::GeluExact,
     {3.9e5, 1.3e7, 1.4e8},
     7e-3},
    {"gelu_tanh_polynomial",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "polynomial"})",
     ReferenceFunction::GeluTanh,
     {7.5e4, 3.9e6, kNoCorrectBit},
     1.25e-3},
    {"gelu_sigmoid_polynomial",
     R"({"op": "gelu", "approximate": "sigmoid", "expansion": "polynomial"})",
     ReferenceFunction::GeluSigmoid,
     {2.9e5, 1.7e6, kNoCorrectBit},
     4e-3},
    {"silu_polynomial",
     R"({"op": "silu", "expansion": "polynomial"})",
     ReferenceFunction::Silu,
     {2.9e5, 4.5e5, kNoCorrectBit},
     6.5e-3},
    {"gelu_erfc_fast",
     R"({"op": "gelu", "expansion": "erfc_fast"})",
     ReferenceFunction::GeluExact,
     {2.5, 10.0, 100.0},
     5e-7},
    // The clamped forms keep x ≥ 0 to a few ULP; below 0, 1/2 + x·R cancels
    // and only the absolute error is bounded (as in every erf-based GELU).
    {"gelu_rational",
     R"({"op": "gelu", "expansion": "rational"})",
     ReferenceFunction::GeluExact,
     {3.0, 1000.0, kNoCorrectBit},
     1e-6},
    {"gelu_rational_fast",
     R"({"op": "gelu", "expansion": "rational_fast"})",
     ReferenceFunction::GeluExact,
     {3.0, 1000.0, kNoCorrectBit},
     1.2e-6},
    // The literal 1 + erf form keeps ~2^−24 absolute below 0: 2.15e7 ULP
    // of GELU(−5.28) ≈ −1.4e−7 (measured 2.148e7 on this grid).
    {"gelu_erf",
     R"({"op": "gelu", "expansion": "erf"})",
     ReferenceFunction::GeluExact,
     {3.0, 1000.0, 2.5e7},
     1e-6},
    // The approximations of exact GELU, held to the function they compute;
    // their distance from exact GELU is ApproximationsOfExactGelu's.
    {"gelu_tanh_form",
     R"({"op": "gelu", "expansion": "approx_tanh"})",
     ReferenceFunction::GeluTanh,
     {4.0, 20.0, 300.0},
     7e-7},
    {"gelu_sigmoid_form",
     R"({"op": "gelu", "expansion": "approx_sigmoid"})",
     ReferenceFunction::GeluSigmoid,
     {4.0, 10.0, 130.0},
     1e-6},
    {"gelu_tanh",
     R"({"op": "gelu", "approximate": "tanh"})",
     ReferenceFunction::GeluTanh,
     {4.0, 4.0, 4.0},
     3e-7},
    {"gelu_tanh_sigmoid_fast",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "sigmoid_fast"})",
     ReferenceFunction::GeluTanh,
     {4.0, 20.0, 300.0},
     7e-7},
    // PyTorch's spelling cancels for x < 0: only its absolute error is
    // bounded there.
    {"gelu_tanh_tanh_spelling",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "tanh"})",
     ReferenceFunction::GeluTanh,
     {3.0, 1000.0, kNoCorrectBit},
     7e-7},
    {"gelu_sigmoid",
     R"({"op": "gelu", "approximate": "sigmoid"})",
     ReferenceFunction::GeluSigmoid,
     {4.0, 4.0, 4.0},
     6e-7},
    {"gelu_sigmoid_fast",
     R"({"op": "gelu", "approximate": "sigmoid", "expansion": "sigmoid_fast"})",
     ReferenceFunction::GeluSigmoid,
     {4.0, 10.0, 130.0},
     1e-6},
    {"silu",
     R"({"op": "silu"})",
     ReferenceFunction::Silu,
     {4.0, 4.0, 4.0},
     2e-6},
    {"silu_sigmoid_fast",
     R"({"op": "silu", "expansion": "sigmoid_fast"})",
     ReferenceFunction::Silu,
     {4.0, 5.0, 80.0},
     2e-6},
    // The rational forms of tanh and sigmoid GELU and SiLU: as exact
    // GELU's, relative accuracy for x ≥ 0 and absolute below (SiLU's
    // absolute error is larger: its gate is fitted out to |x| = 17.5, and
    // 1.5e-7 of SiLU(15) is 2.3e-6).
    {"gelu_tanh_rational",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "rational"})",
     ReferenceFunction::GeluTanh,
     {3.0, 2000.0, kNoCorrectBit},
     1e-6},
    {"gelu_tanh_rational_fast_d5",
     R"({"op": "gelu", "approximate": "tanh", "expansion": "rational_fast",
         "degree": 5})",
     ReferenceFunction::GeluTanh,
     {5.0, 4000.0, kNoCorrectBit},
     2e-6},
    {"gelu_sigmoid_rational_fast_d4",
     R"({"op": "gelu", "approximate": "sigmoid",
         "expansion": "rational_fast", "degree": 4})",
     ReferenceFunction::GeluSigmoid,
     // Below −8.5 the fit's absolute error (4e-6) exceeds |GELU| itself:
     // results up to 2.4·GELU(x), of the right sign (measured 2.38e7 ULP).
     {8.0, 350.0, 3e7},
     6e-6},
    {"gelu_sigmoid_rational",
     R"({"op": "gelu", "approximate": "sigmoid", "expansion": "rational"})",
     ReferenceFunction::GeluSigmoid,
     {3.0, 200.0, kNoCorrectBit},
     2e-6},
    {"silu_rational",
     R"({"op": "silu", "expansion": "rational"})",
     ReferenceFunction::Silu,
     {3.0, 25.0, kNoCorrectBit},
     3.5e-6},
    {"silu_rational_fast",
     R"({"op": "silu", "expansion": "rational_fast"})",
     ReferenceFunction::Silu,
     {4.5, 30.0, kNoCorrectBit},
     5e-6},
    {"relu",
     R"({"op": "relu"})",
     ReferenceFunction::Relu,
     {0.0, 0.0, 0.0},
     0.0},
};

class F32Kernel : public ::testing::TestWithParam<FunctionCase> {
protected:
  const Kernel &kernel() { return kernelFor(GetParam().spec); }
  long double reference(float x) {
    return evaluateReference(GetParam().function, x);
  }
};

/// Max ULP error by region, with where it occurs.
struct RegionStats {
  double worst[3] = {0, 0, 0};
  float at[3] = {0, 0, 0};
  void add(float x, double ulps) {
    int region = x >= 0 ? 0 : (x >= -3 ? 1 : 2);
    if (!(ulps <= worst[region])) {
      worst[region] = ulps;
      at[region] = x;
    }
  }
};

TEST_P(F32Kernel, MatchesReferenceOnDenseGridAndRandomFloats) {
  std::vector<float> in;
  // Dense grid on [-20, 20]: 2^17 + 1 points, covering the deep tail where
  // GELU underflows (x ≈ −14.4).
  for (int i = 0; i <= (1 << 17); ++i)
    in.push_back(-20.0f + 40.0f * static_cast<float>(i) / (1 << 17));
  // Random finite floats of every magnitude and sign.
  std::mt19937 rng(12345);
  while (in.size() < 250000) {
    uint32_t bits = rng();
    float x;
    std::memcpy(&x, &bits, sizeof x);
    if (std::isfinite(x))
      in.push_back(x);
  }
  std::vector<float> out(in.size());
  ASSERT_FALSE(static_cast<bool>(
      kernel().run(in.data(), out.data(), static_cast<int64_t>(in.size()))));

  RegionStats stats;
  double maxAbs = 0;
  // A NaN result fails whatever a region's bound is (some are +inf: forms
  // with only absolute accuracy there).
  size_t nans = 0;
  float firstNaNAt = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    long double ref = reference(in[i]);
    stats.add(in[i], ulpError(out[i], ref, FloatFormat::f32()));
    if (std::isnan(out[i]) && nans++ == 0)
      firstNaNAt = in[i];
    if (std::fabs(in[i]) <= 20.0f)
      maxAbs = worstOf(maxAbs, static_cast<double>(fabsl(out[i] - ref)));
  }
  EXPECT_EQ(nans, 0u) << "NaN results for finite inputs, the first at x = "
                      << firstNaNAt;
  for (int r = 0; r < 3; ++r) {
    EXPECT_LE(stats.worst[r], GetParam().maxUlp[r])
        << kRegionNames[r] << ": worst at x = " << stats.at[r];
    std::printf("  %-24s %-8s max %.2f ULP at x = %.9g\n", GetParam().name,
                kRegionNames[r], stats.worst[r], stats.at[r]);
  }
  EXPECT_LE(maxAbs, GetParam().maxAbs) << "max abs error on [-20, 20]";
}

TEST(TestHelpers, ANaNErrorIsWorseThanEveryBound) {
  // std::max(0.5, NaN) is 0.5: a NaN result would pass an abs check.
  EXPECT_EQ(std::max(0.5, std::nan("")), 0.5);
  EXPECT_EQ(worstOf(0.5, std::nan("")), HUGE_VAL);
  EXPECT_EQ(worstOf(0.5, 0.25), 0.5);
  EXPECT_EQ(worstOf(0.5, 2.0), 2.0);
  std::vector<float> in = {1.0f, 2.0f}, out = {0.84134474f, std::nanf("")};
  EXPECT_EQ(maxAbsErrorFromExactGelu(in, out), HUGE_VAL);
}

/// approx_tanh and approx_sigmoid stand in for exact GELU under loose absolute
/// budgets: their distance from it is what such a budget is compared with.
TEST(ApproximationsOfExactGelu, StayWithinTheirKnownDistance) {
  struct Case {
    const char *spec;
    double maxAbs;
  } cases[] = {{R"({"op": "gelu", "expansion": "approx_tanh"})", 4.8e-4},
               {R"({"op": "gelu", "expansion": "approx_sigmoid"})", 2.1e-2}};
  std::vector<float> in;
  for (int i = 0; i <= (1 << 16); ++i)
    in.push_back(-20.0f + 40.0f * static_cast<float>(i) / (1 << 16));
  std::vector<float> out(in.size());
  for (const Case &c : cases) {
    ASSERT_FALSE(static_cast<bool>(kernelFor(c.spec).run(
        in.data(), out.data(), static_cast<int64_t>(in.size()))));
    double worst = maxAbsErrorFromExactGelu(in, out);
    EXPECT_LE(worst, c.maxAbs) << c.spec;
    EXPECT_GE(worst, c.maxAbs / 2) << c.spec << " is closer than documented";
  }
}

TEST_P(F32Kernel, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float denormMin = std::numeric_limits<float>::denorm_min();
  const float maxFloat = std::numeric_limits<float>::max();
  std::vector<float> in = {nan,       inf,        -inf,      0.0f,    -0.0f,
                           denormMin, -denormMin, 1e-40f,    -1e-40f, 1e-30f,
                           -1e-30f,   maxFloat,   -maxFloat, 1e20f,   -1e20f};
  std::vector<float> out(in.size());
  ASSERT_FALSE(static_cast<bool>(
      kernel().run(in.data(), out.data(), static_cast<int64_t>(in.size()))));
  EXPECT_TRUE(std::isnan(out[0])) << "f(NaN) = " << out[0];
  EXPECT_EQ(out[1], inf) << "f(+inf)";
  EXPECT_EQ(out[2], 0.0f) << "f(-inf) must be -0 or 0, not NaN";
  EXPECT_EQ(out[3], 0.0f);
  EXPECT_EQ(out[4], 0.0f);
  EXPECT_FALSE(std::signbit(out[3])) << "f(+0) must be +0";
  if (GetParam().function != ReferenceFunction::Relu) {
    EXPECT_TRUE(std::signbit(out[4])) << "f(-0) must be -0";
  }
  // Subnormal and huge inputs: within their region's ULP bound of the
  // reference (not the worst region's), never NaN or inf from an
  // intermediate x·x or x³.
  for (size_t i = 5; i < in.size(); ++i) {
    EXPECT_TRUE(std::isfinite(out[i])) << "f(" << in[i] << ") = " << out[i];
    double bound = GetParam().maxUlp[regionOf(in[i])];
    EXPECT_LE(ulpError(out[i], reference(in[i]), FloatFormat::f32()), bound)
        << "f(" << in[i] << ") = " << out[i] << ", region "
        << kRegionNames[regionOf(in[i])];
  }
}

TEST_P(F32Kernel, WritesExactlyOutZeroToN) {
  auto entry = kernel().f32();
  ASSERT_NE(entry, nullptr);
  constexpr int kMaxN = 70, kPad = 32, kSize = kMaxN + 2 * kPad;
  const float canary = 1234.5f;
  for (bool inPlace : {false, true}) {
    for (int n = 0; n <= kMaxN; ++n) {
      for (int offset = 0; offset < 16; ++offset) {
        std::vector<float> src(kSize), dst(kSize, canary);
        for (int i = 0; i < kSize; ++i)
          src[i] = static_cast<float>(i % 13) * 0.37f - 2.0f;
        std::vector<float> expected = src;
        float *out = dst.data() + kPad + offset;
        const float *in = src.data() + kPad + offset;
        if (inPlace) {
          dst = src;
          in = out;
        }
        entry(in, out, n);
        for (int i = 0; i < kSize; ++i) {
          bool inside = i >= kPad + offset && i < kPad + offset + n;
          float before = inPlace ? expected[i] : canary;
          if (!inside) {
            ASSERT_EQ(dst[i], before)
                << "n=" << n << " offset=" << offset << " in-place=" << inPlace
                << " wrote index " << i - kPad - offset;
          } else {
            float want = static_cast<float>(reference(expected[i]));
            // 1e-5, or the form's own absolute bound where it is coarser
            // (the low-degree tables and the polynomial forms).
            ASSERT_NEAR(dst[i], want, std::max(1e-5, GetParam().maxAbs))
                << "n=" << n << " offset=" << offset << " index "
                << i - kPad - offset;
          }
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllExpansions, F32Kernel, ::testing::ValuesIn(kFunctions),
    [](const ::testing::TestParamInfo<FunctionCase> &info) {
      return std::string(info.param.name);
    });

/// Every expansion the catalog offers a CPU is held to a bound above (the
/// GPU's hardware forms: HardwareApproximationsTest).
TEST(F32KernelCases, CoverEveryExpansion) {
  for (ReferenceFunction f :
       {ReferenceFunction::GeluExact, ReferenceFunction::GeluTanh,
        ReferenceFunction::GeluSigmoid, ReferenceFunction::Silu,
        ReferenceFunction::Relu}) {
    for (act::Expansion e : cpuExpansionsFor(f)) {
      bool covered = false;
      for (const FunctionCase &c : kFunctions) {
        auto spec = parseSpec(c.spec);
        ASSERT_TRUE(static_cast<bool>(spec)) << c.spec;
        covered |= spec->referenceFunction() == f &&
                   spec->expansion.value_or(expansionsFor(f).front()) == e;
      }
      EXPECT_TRUE(covered) << stringifyReferenceFunction(f).str() << " / "
                           << act::stringifyExpansion(e).str();
    }
  }
}

//===----------------------------------------------------------------------===//
// The checked entry
//===----------------------------------------------------------------------===//

// Refused calls: HostileApiTest.cpp.

TEST(CheckedRun, InPlaceAndAdjacentBuffersAreFine) {
  const Kernel &k = kernelFor(R"({"op": "gelu"})");
  std::vector<float> buf = {-1.0f, 0.0f, 1.0f, 2.0f, 3.0f, 4.0f};
  EXPECT_FALSE(static_cast<bool>(k.run(buf.data(), buf.data(), 3)));
  EXPECT_NEAR(buf[2], 0.841344746f, 1e-7f);
  // [0, 3) and [3, 6) touch but do not overlap.
  EXPECT_FALSE(static_cast<bool>(k.run(buf.data(), buf.data() + 3, 3)));
}

TEST(Compile, ReportsSpecErrorsInsteadOfCrashing) {
  // Errors of a valid spec's fields found when it is built name the field,
  // as parse errors do.
  const std::pair<const char *, const char *> built[] = {
      {R"({"target": "nehalem"})",
       "at /target: target 'nehalem' lacks AVX2 and FMA"},
      {R"({"target": "haswell", "vector_bits": 512})",
       "at /vector_bits: vector_bits 512 is wider than the 256-bit vectors"},
      {R"({"budget": {"max_ulp": 0.4}})",
       "at /budget: no expansion of gelu meets the budget"},
  };
  for (const auto &[json, message] : built) {
    auto kernel = compileKernelFromJson(json);
    ASSERT_FALSE(static_cast<bool>(kernel)) << json;
    std::string error = llvm::toString(kernel.takeError());
    EXPECT_EQ(error.rfind(message, 0), 0u) << json << ": " << error;
  }
  auto bad = compileKernelFromJson("{\"op\": ");
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("malformed JSON"),
            std::string::npos);
}

TEST(Compile, RecordsCompileTimeAndSpec) {
  const Kernel &k = kernelFor(R"({"op": "silu", "name": "my_silu"})");
  EXPECT_EQ(k.spec().name, "my_silu");
  EXPECT_GT(k.compileSeconds(), 0.0);
  EXPECT_LT(k.compileSeconds(), 60.0);
  EXPECT_EQ(k.u16(), nullptr) << "an f32 kernel has no 16-bit entry";
}

/// The JIT's memory for one kernel: 1 MiB reserved up front (32-40 KiB
/// used); a kernel that outgrows it gets a second range, still within the
/// reach of RIP-relative loads, and every block is usable.
TEST(ContiguousMemory, AKernelLargerThanTheReservationStaysNear) {
  ContiguousMemoryMapper mapper;
  ASSERT_FALSE(mapper.reserve());
  std::vector<llvm::sys::MemoryBlock> blocks;
  const unsigned rw = llvm::sys::Memory::MF_READ | llvm::sys::Memory::MF_WRITE;
  for (size_t bytes : {size_t(300) << 10, size_t(900) << 10, size_t(3) << 20,
                       size_t(4) << 10}) {
    std::error_code ec;
    llvm::sys::MemoryBlock block = mapper.allocateMappedMemory(
        llvm::SectionMemoryManager::AllocationPurpose::RWData, bytes, nullptr,
        rw, ec);
    ASSERT_FALSE(ec) << bytes << " bytes: " << ec.message();
    ASSERT_GE(block.allocatedSize(), bytes);
    std::memset(block.base(), 0x5a, bytes); // writable over all of it
    blocks.push_back(block);
  }
  auto address = [](const llvm::sys::MemoryBlock &b) {
    return reinterpret_cast<uintptr_t>(b.base());
  };
  for (const auto &a : blocks)
    for (const auto &b : blocks)
      EXPECT_LT(std::max(address(a), address(b)) -
                    std::min(address(a), address(b)),
                uintptr_t(1) << 30);
  for (auto &block : blocks)
    EXPECT_FALSE(mapper.releaseMappedMemory(block));
}

TEST(Compile, ConcurrentCompilesAreIndependent) {
  // Kernels compiled on several threads at once (each has its own MLIR and
  // LLVM contexts) give the same results as one compiled alone.
  const char *specs[] = {R"({"op": "gelu"})", R"({"op": "silu"})",
                         R"({"op": "gelu", "approximate": "tanh"})",
                         R"({"op": "gelu", "expansion": "erfc_fast"})"};
  std::vector<std::unique_ptr<Kernel>> kernels(8);
  std::vector<std::string> errors(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      auto kernel = compileKernelFromJson(specs[i % 4]);
      if (!kernel)
        errors[i] = llvm::toString(kernel.takeError());
      else
        kernels[i] = std::move(*kernel);
    });
  for (std::thread &t : threads)
    t.join();
  std::vector<float> in = {-7.5f, -1.0f, 0.25f, 3.0f};
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(kernels[i]) << errors[i];
    std::vector<float> got(4), want(4);
    kernels[i]->f32()(in.data(), got.data(), 4);
    kernelFor(specs[i % 4]).f32()(in.data(), want.data(), 4);
    EXPECT_EQ(got, want) << specs[i % 4];
  }
}

//===----------------------------------------------------------------------===//
// 16-bit I/O, exhaustively
//===----------------------------------------------------------------------===//

struct HalfCase {
  const char *spec;
  ReferenceFunction function;
  bool isBF16;
};

std::ostream &operator<<(std::ostream &os, const HalfCase &c) {
  return os << stringifyReferenceFunction(c.function).str()
            << (c.isBF16 ? "_bf16" : "_f16");
}

class HalfKernel : public ::testing::TestWithParam<HalfCase> {};

/// Every input of 16-bit kernel `k` (for `target`) against the reference of
/// `c`.
void checkAllInputs(const HalfCase &c, const std::string &target,
                    const Kernel &k) {
  std::vector<uint16_t> in(1 << 16), out(1 << 16);
  for (uint32_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<uint16_t>(i);
  ASSERT_FALSE(static_cast<bool>(k.run(in.data(), out.data(), 1 << 16)));
  FloatFormat format = floatFormatOf(k.spec().dtype);
  double worst = 0;
  float worstAt = 0;
  for (uint32_t i = 0; i < in.size(); ++i) {
    float x = halfToFloat(in[i], c.isBF16);
    float y = halfToFloat(out[i], c.isBF16);
    long double ref = evaluateReference(c.function, x);
    // The reference may overflow the 16-bit range: then inf is right.
    if (std::isinf(y) && std::fabs(ref) >= (c.isBF16 ? 3.39e38L : 65520.0L))
      continue;
    double ulps = ulpError(y, ref, format);
    if (!(ulps <= worst)) {
      worst = ulps;
      worstAt = x;
    }
  }
  // f32 compute, one final rounding: at most half an ULP plus the f32 error,
  // which for bf16 never decides the rounding: every bf16 result is the
  // correctly rounded one (the reference errs by ~1e-14 ULP).
  EXPECT_LE(worst, c.isBF16 ? 0.5 + 1e-9 : 0.51) << "worst at x = " << worstAt;
  std::printf("  %s, %s: max %.3f ULP at x = %g\n",
              ::testing::PrintToString(c).c_str(), target.c_str(), worst,
              worstAt);
}

TEST_P(HalfKernel, AllInputsWithinOneUlp) {
  const HalfCase &c = GetParam();
  for (const std::string &target : sixteenBitTargets()) {
    SCOPED_TRACE("target " + target);
    checkAllInputs(c, target, kernelFor(withTarget(c.spec, target)));
  }
}

// The host's narrower vectors: where the CPU has AVX512-BF16, bf16 results
// are rounded by vcvtneps2bf16 with vfpclassps finding the subnormal lanes
// at each width (4, 8 and 16 lanes: act-lower-bf16-rounding), and the
// subnormal results (GELU of tiny inputs, of the far tail) are among the
// inputs.
TEST(HalfKernelWidths, Bf16AtEveryHostVectorWidth) {
  const HalfCase c = {"", ReferenceFunction::GeluExact, true};
  for (const char *bits : {"128", "256"}) {
    SCOPED_TRACE(std::string("vector_bits ") + bits);
    checkAllInputs(c, std::string("host, vector_bits ") + bits,
                   kernelFor(std::string(R"({"op": "gelu", "dtype": "bf16", )"
                                         R"("vector_bits": )") +
                             bits + "}"));
  }
}

const HalfCase kHalfCases[] = {
    {R"({"op": "gelu", "dtype": "bf16"})", ReferenceFunction::GeluExact, true},
    {R"({"op": "gelu", "dtype": "f16"})", ReferenceFunction::GeluExact, false},
    {R"({"op": "gelu", "approximate": "tanh", "dtype": "bf16"})",
     ReferenceFunction::GeluTanh, true},
    {R"({"op": "gelu", "approximate": "sigmoid", "dtype": "bf16"})",
     ReferenceFunction::GeluSigmoid, true},
    {R"({"op": "silu", "dtype": "f16"})", ReferenceFunction::Silu, false},
    {R"({"op": "silu", "dtype": "bf16"})", ReferenceFunction::Silu, true},
    {R"({"op": "relu", "dtype": "bf16"})", ReferenceFunction::Relu, true},
};

INSTANTIATE_TEST_SUITE_P(AllInputs, HalfKernel,
                         ::testing::ValuesIn(kHalfCases));

} // namespace
