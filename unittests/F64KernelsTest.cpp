//===- F64KernelsTest.cpp - The f64 kernels ------------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// `"dtype": "f64"` kernels of every op: each activation against the long
// double reference (2^-11 ULP of f64) on ~1.4 M inputs — every 2^44th
// double encoding (every magnitude, subnormals included), a dense grid of
// [−40, 40] where the tails end, and the special values — within 4 ULP of
// f64 everywhere (the derivatives counted against errorScale near their
// zero), GELU's sign kept; the worst inputs confirmed against MPFR; the
// fused ops equal to their parts in f64; the bias gradient summed in f64;
// the typed entries and checked calls of f64; the gates' f64 table degrees;
// and the f64 ladder (absolute budgets get the f32 tables, the gates' their
// f64 tables' lower degrees, the derivatives' the f64 form).
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/Jit.h"
#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/ErrorMaxima.h"
#include "gelu/Numerics/MpfrReference.h"

#include "TestHelpers.h"

#include "gtest/gtest.h"

#include "llvm/ADT/bit.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace gelu;

namespace {

struct Case {
  const char *name;
  const char *spec; ///< the spec's op fields
  ReferenceFunction function;
};

const Case kCases[] = {
    {"exact", R"("op": "gelu")", ReferenceFunction::GeluExact},
    {"tanh", R"("op": "gelu", "approximate": "tanh")",
     ReferenceFunction::GeluTanh},
    {"sigmoid", R"("op": "gelu", "approximate": "sigmoid")",
     ReferenceFunction::GeluSigmoid},
    {"silu", R"("op": "silu")", ReferenceFunction::Silu},
    {"relu", R"("op": "relu")", ReferenceFunction::Relu},
};

/// The derivatives, through gelu_backward with dy = 1.
const Case kDerivativeCases[] = {
    {"exact", R"("op": "gelu_backward")",
     ReferenceFunction::GeluExactDerivative},
    {"tanh", R"("op": "gelu_backward", "approximate": "tanh")",
     ReferenceFunction::GeluTanhDerivative},
    {"sigmoid", R"("op": "gelu_backward", "approximate": "sigmoid")",
     ReferenceFunction::GeluSigmoidDerivative},
};

/// The target of issue 21: ≤ 4 ULP of f64 everywhere.
constexpr double kMaxUlp = 4.0;

std::unique_ptr<Kernel> compileF64(const std::string &fields) {
  auto kernel = compileKernelFromJson("{\"name\": \"f64_kernel\", " + fields +
                                      ", \"dtype\": \"f64\"}");
  if (!kernel) {
    ADD_FAILURE() << fields << ": " << llvm::toString(kernel.takeError());
    return nullptr;
  }
  return std::move(*kernel);
}

std::vector<double> sampleInputs() {
  std::vector<double> in;
  // Every 2^44th encoding of each sign: 2^20 doubles of every magnitude.
  for (uint64_t bits = 0; bits < 0x7ff0000000000000ull; bits += 1ull << 44) {
    double x = llvm::bit_cast<double>(bits);
    in.push_back(x);
    in.push_back(-x);
  }
  // A dense grid where the functions change and their tails end.
  for (int i = -200000; i <= 200000; ++i)
    in.push_back(i * 2e-4);
  // Below 2^-1022 and near the first subnormals: GELU(x) ≈ x/2.
  for (uint64_t bits = 1; bits < 4096; bits += 37) {
    in.push_back(llvm::bit_cast<double>(bits));
    in.push_back(-llvm::bit_cast<double>(bits));
  }
  const double inf = std::numeric_limits<double>::infinity();
  for (double x : {0.0, -0.0, inf, -inf, std::numeric_limits<double>::max(),
                   -std::numeric_limits<double>::max(), 38.5, -38.5, -38.6,
                   -40.0, -40.5, 8.5, 8.6, -0.75179, 1e-300, -1e-300})
    in.push_back(x);
  return in;
}

/// Measures `function` of `x` against the long double reference by
/// region; returns the overall maxima.
ErrorMaxima measure(ReferenceFunction function, const std::vector<double> &x,
                    const std::vector<double> &y,
                    std::array<ErrorMaxima, kReportRegions> &regions) {
  const FloatFormat format = {53, -1022};
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]))
      continue;
    addToRegions(regions.data(), x[i], y[i], evaluateReference(function, x[i]),
                 format, errorScale(function, x[i]));
  }
  return regions[kOverallRegion];
}

std::string describe(const std::array<ErrorMaxima, kReportRegions> &regions) {
  std::string out;
  for (int r = 0; r < kReportRegions; ++r)
    out += std::string(kRegionNames[r]) + ": " +
           std::to_string(regions[r].maxUlp) + " ULP at " +
           std::to_string(regions[r].ulpAt) + "; ";
  return out;
}

/// GELU's invariants (Invariants.h) on `out`, `kernel`'s results for `in`:
/// x < 0 gives ≤ −0, −0 gives −0, +0 gives +0, |f(x)| ≤ |x|; and NaN gives
/// NaN, +inf inf, −inf −0.
void expectGeluInvariants(const Kernel &kernel, const std::vector<double> &in,
                          const std::vector<double> &out) {
  for (size_t i = 0; i < in.size(); ++i) {
    double x = in[i], y = out[i];
    if (x < 0 || (x == 0 && std::signbit(x))) {
      ASSERT_TRUE(y == 0 ? std::signbit(y) : y < 0) << "x = " << x;
    }
    if (x == 0 && !std::signbit(x)) {
      ASSERT_TRUE(y == 0 && !std::signbit(y)) << "GELU(+0) = " << y;
    }
    if (std::isfinite(x)) {
      ASSERT_LE(std::fabs(y), std::fabs(x)) << "x = " << x;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> special = {nan, -nan, inf, -inf}, got(4);
  ASSERT_FALSE(static_cast<bool>(kernel.run(special.data(), got.data(), 4)));
  EXPECT_TRUE(std::isnan(got[0]));
  EXPECT_TRUE(std::isnan(got[1]));
  EXPECT_EQ(got[2], inf);
  EXPECT_EQ(got[3], 0.0);
  EXPECT_TRUE(std::signbit(got[3]));
}

TEST(F64KernelsTest, ActivationsAreWithinFourUlpEverywhere) {
  const std::vector<double> in = sampleInputs();
  for (const Case &c : kCases) {
    SCOPED_TRACE(c.name);
    auto kernel = compileF64(c.spec);
    ASSERT_TRUE(kernel);
    ASSERT_NE(kernel->f64(), nullptr);
    std::vector<double> out(in.size());
    ASSERT_FALSE(static_cast<bool>(
        kernel->run(in.data(), out.data(), static_cast<int64_t>(in.size()))));
    std::array<ErrorMaxima, kReportRegions> regions;
    ErrorMaxima all = measure(c.function, in, out, regions);
    EXPECT_LE(all.maxUlp, kMaxUlp) << describe(regions);
    // The worst input, confirmed against MPFR.
    double worst = all.ulpAt;
    std::vector<double> one = {worst}, result(1);
    ASSERT_FALSE(static_cast<bool>(kernel->run(one.data(), result.data(), 1)));
    EXPECT_LE(ulpError(result[0], evaluateReferenceMpfr(c.function, worst),
                       {53, -1022}),
              kMaxUlp)
        << "at x = " << worst;
    std::printf("[ f64 %-7s ] %s\n", c.name, describe(regions).c_str());
    if (c.function == ReferenceFunction::Relu)
      continue;
    ASSERT_NO_FATAL_FAILURE(expectGeluInvariants(*kernel, in, out));
  }
}

TEST(F64KernelsTest, DerivativesAreWithinFourUlpEverywhere) {
  const std::vector<double> in = sampleInputs();
  const std::vector<double> ones(in.size(), 1.0);
  for (const Case &c : kDerivativeCases) {
    SCOPED_TRACE(c.name);
    auto kernel = compileF64(c.spec);
    ASSERT_TRUE(kernel);
    std::vector<double> out(in.size());
    ASSERT_FALSE(static_cast<bool>(kernel->runBinary(
        in.data(), ones.data(), out.data(), static_cast<int64_t>(in.size()))));
    std::array<ErrorMaxima, kReportRegions> regions;
    ErrorMaxima all = measure(c.function, in, out, regions);
    EXPECT_LE(all.maxUlp, kMaxUlp) << describe(regions);
    std::printf("[ f64 %-7s' ] %s\n", c.name, describe(regions).c_str());
  }
}

/// The largest absolute error of `kernel`'s results `out` for the finite
/// inputs `in` against `function`'s reference, and where.
std::pair<double, double> maxAbsError(ReferenceFunction function,
                                      const std::vector<double> &in,
                                      const std::vector<double> &out) {
  double worst = 0, worstAt = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!std::isfinite(in[i]))
      continue;
    double error = static_cast<double>(
        std::fabs(out[i] - evaluateReference(function, in[i])));
    if (!(error <= worst)) {
      worst = error;
      worstAt = in[i];
    }
  }
  return {worst, worstAt};
}

/// The f64 piecewise_tail degrees of the gates (exact GELU's table's lower
/// degrees, the sigmoid-gated functions' tables of their gates, with the
/// same tail): the lowest errs over 1000 times the f64 default, and each
/// degree divides the absolute error by at least 10 until it is within 4
/// times the f64 default's on the same inputs (the results'
/// own rounding: half an ULP of f64 at x = 8 is 8.9e-16), which the degree
/// below the table's own reaches; every degree keeps GELU's invariants and
/// returns large inputs whole.
TEST(F64KernelsTest, TableDegreesDivideTheError) {
  GELU_SKIP_UNDER_SANITIZERS();
  const std::vector<double> in = sampleInputs();
  const int64_t n = static_cast<int64_t>(in.size());
  for (const Case &c : kCases) {
    const llvm::ArrayRef<unsigned> degrees =
        degreesOf(c.function, act::Expansion::piecewise_tail, true);
    if (c.function == ReferenceFunction::Relu) {
      EXPECT_TRUE(degrees.empty());
      continue;
    }
    SCOPED_TRACE(c.name);
    ASSERT_EQ(degrees.front(), kPhiF64TableMinDegree);
    ASSERT_EQ(degrees.back() + 1, f64TableDegree(c.function));
    auto byDefault = compileF64(c.spec);
    ASSERT_TRUE(byDefault);
    std::vector<double> out(in.size());
    ASSERT_FALSE(static_cast<bool>(byDefault->run(in.data(), out.data(), n)));
    const double floor = 4 * maxAbsError(c.function, in, out).first;
    double last = 1;
    for (unsigned degree : degrees) {
      SCOPED_TRACE(degree);
      auto kernel =
          compileF64(c.spec +
                     std::string(R"(, "expansion": "piecewise_tail", )"
                                 R"("degree": )") +
                     std::to_string(degree));
      ASSERT_TRUE(kernel);
      ASSERT_FALSE(static_cast<bool>(kernel->run(in.data(), out.data(), n)));
      auto [worst, worstAt] = maxAbsError(c.function, in, out);
      std::printf("[ f64 %-7s piecewise_tail degree %2u ] max abs %.3g at %g\n",
                  c.name, degree, worst, worstAt);
      if (degree == degrees.front()) {
        // A lower degree is a coarser table, not the default again.
        EXPECT_GT(worst, 1000 * floor) << "at x = " << worstAt;
      } else if (worst > floor) {
        EXPECT_LE(worst, last / 10) << "at x = " << worstAt;
      }
      if (degree == degrees.back()) {
        EXPECT_LE(worst, floor) << "at x = " << worstAt;
      }
      last = worst;
      ASSERT_NO_FATAL_FAILURE(expectGeluInvariants(*kernel, in, out));
      for (size_t i = 0; i < in.size(); ++i)
        if (in[i] >= 64) {
          ASSERT_EQ(out[i], in[i]) << std::hexfloat << "x = " << in[i];
        }
    }
  }
}

/// The f64 ladder: absolute budgets get the f32 tables (`piecewise`,
/// computed in f32 on x rounded to f32) where f32 can meet them, a higher
/// degree for a tighter budget; the gates' tighter budgets their f64
/// tables' lower degrees (`piecewise_tail`; SiLU's from 1e-6 on: its
/// inputs' f32 rounding alone is ~5e-7 at x = 17), a higher degree for a
/// tighter budget, never their own (1e-14: degree 9 or 10, 2.5e-15 to
/// 4.1e-15; below about 1.1e-15 no kernel can go, the results' rounding
/// alone is 8.9e-16 at x = 8); the derivatives' the f64 form. Each choice
/// keeps its budget on this test's inputs (not the tuner's sample), and the
/// f32-computed kernels keep GELU's invariants and return large inputs
/// whole.
TEST(F64KernelsTest, AbsoluteBudgetsClimbALadder) {
  GELU_SKIP_UNDER_SANITIZERS();
  const std::vector<double> in = sampleInputs();
  const std::vector<double> ones(in.size(), 1.0);
  std::vector<Case> cases(std::begin(kCases), std::end(kCases) - 1);
  cases.insert(cases.end(), std::begin(kDerivativeCases),
               std::end(kDerivativeCases));
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name + std::string(isDerivative(c.function) ? "'" : ""));
    const act::Expansion f64Form = f64ExpansionsFor(c.function).front();
    const bool gate = !isDerivative(c.function);
    unsigned lastDegree = 0, lastTableDegree = 0;
    // Below 1e-6 only for the gates: the derivatives have one f64 form.
    for (double maxAbs : {1e-3, 1e-6, 1e-9, 1e-12, 1e-14}) {
      if (maxAbs < 1e-6 && !gate)
        continue;
      SCOPED_TRACE(maxAbs);
      char budget[96];
      std::snprintf(budget, sizeof budget,
                    R"(, "budget": {"max_abs": %g}, "ranking": "cost_model")",
                    maxAbs);
      auto kernel = compileF64(c.spec + std::string(budget));
      ASSERT_TRUE(kernel);
      const KernelSpec &chosen = kernel->spec();
      const act::Expansion expansion = chosen.effectiveExpansion();
      if (maxAbs >= 1e-3)
        EXPECT_EQ(expansion, act::Expansion::piecewise);
      else if (maxAbs < 1e-6)
        EXPECT_EQ(expansion, act::Expansion::piecewise_tail);
      else if (gate)
        EXPECT_TRUE(expansion == act::Expansion::piecewise ||
                    expansion == act::Expansion::piecewise_tail);
      else
        EXPECT_TRUE(expansion == act::Expansion::piecewise ||
                    expansion == f64Form);
      if (expansion == act::Expansion::piecewise) {
        ASSERT_TRUE(chosen.degree);
        EXPECT_GT(*chosen.degree, lastDegree)
            << "a tighter budget, a higher degree";
        lastDegree = *chosen.degree;
      }
      if (expansion == act::Expansion::piecewise_tail) {
        // A lower degree of the f64 table, never its own (degree 13).
        ASSERT_TRUE(chosen.degree);
        EXPECT_GT(*chosen.degree, lastTableDegree)
            << "a tighter budget, a higher degree";
        lastTableDegree = *chosen.degree;
      }
      std::printf("[ f64 %-7s%s ] max_abs %g: %s%s\n", c.name,
                  isDerivative(c.function) ? "'" : " ", maxAbs,
                  act::stringifyExpansion(expansion).str().c_str(),
                  chosen.degree
                      ? (" degree " + std::to_string(*chosen.degree)).c_str()
                      : "");
      std::vector<double> out(in.size());
      const int64_t n = static_cast<int64_t>(in.size());
      ASSERT_FALSE(static_cast<bool>(
          isDerivative(c.function)
              ? kernel->runBinary(in.data(), ones.data(), out.data(), n)
              : kernel->run(in.data(), out.data(), n)));
      // The budget on the finite inputs (the special values: below).
      auto [worst, worstAt] = maxAbsError(c.function, in, out);
      EXPECT_LE(worst, maxAbs) << "at x = " << worstAt;
      if (isDerivative(c.function) || expansion != act::Expansion::piecewise)
        continue;
      ASSERT_NO_FATAL_FAILURE(expectGeluInvariants(*kernel, in, out));
      // Large inputs keep all their bits (f32 would keep 24): from 2^16 on,
      // where f32's half ULP passes the offset x − GELU(x) of the f32
      // tables beyond their end (up to 2.4e-4 at degree 1).
      for (size_t i = 0; i < in.size(); ++i)
        if (in[i] >= 65536) {
          ASSERT_EQ(out[i], in[i]) << std::hexfloat << "x = " << in[i];
        }
    }
  }
}

} // namespace
