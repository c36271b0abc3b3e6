//===- gelu-accuracy.cpp - Measure kernels against the reference ---------===//
//
// Part of gelu-jit.
//
//   gelu-accuracy [options] [spec.json ...]
//
// JIT-compiles each spec (or, with --all, the catalog's kernels) and measures
// it against the long-double reference by region (x ≥ 0, [−3, 0), x < −3)
// and overall: max ULP error and where, max abs and max rel error, the
// fraction of correctly rounded results, and special values. The worst case
// of each region is re-checked with MPFR (128 bits), and a sample of points
// cross-checks the long-double reference against MPFR.
//
// f32 kernels: every `--stride`-th bit pattern (default 256: 16.7 M inputs
// of every magnitude), or all 2^32 with --exhaustive, on --jobs threads.
// f16/bf16 kernels: all 65 536 inputs, always. f64 kernels: every 2^40th
// double encoding (33.5 M of every magnitude) and a 2^-17 grid of [−40, 40],
// then a search around each region's worst input (its 2^17 neighbouring
// doubles), the result confirmed with MPFR. On the same inputs, the
// kernels of GELU and SiLU are checked for the invariants every kernel keeps
// (Numerics/Invariants.h: sign, |f(x)| <= |x|, NaN and inf); a broken one
// makes the exit status 1.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/Jit.h"
#include "gelu/JIT/Measurement.h"
#include "gelu/Numerics/ErrorMaxima.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/HardwareApproximations.h"
#include "gelu/Numerics/Invariants.h"
#include "gelu/Numerics/MpfrReference.h"
#include "gelu/Support/Output.h"
#include "gelu/Version.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <thread>
#include <vector>

using namespace gelu;
using namespace llvm;

static cl::OptionCategory accuracyCategory("gelu-accuracy options");
static cl::list<std::string> specFiles(cl::Positional,
                                       cl::desc("[spec.json ...]"),
                                       cl::cat(accuracyCategory));
static cl::opt<bool>
    all("all",
        cl::desc("Measure the catalog: every expansion and degree of every op "
                 "in f32, the 16-bit defaults, the fused and gated kernels"),
        cl::cat(accuracyCategory));
static cl::opt<bool>
    exhaustive("exhaustive",
               cl::desc("f32: every one of the 2^32 inputs (minutes)"),
               cl::cat(accuracyCategory));
static cl::opt<bool> invariantsOnly(
    "invariants",
    cl::desc("Check only the invariants of the GELU and SiLU kernels (sign, "
             "|f(x)| <= |x|, NaN and inf), on all 2^32 f32 inputs unless "
             "--stride is given: no error measurement, seconds a kernel"),
    cl::cat(accuracyCategory));
static cl::opt<bool> hardwareBounds(
    "hardware-bounds",
    cl::desc("The GPU's hardware forms (hw_tanh, hw_sigmoid of tanh and "
             "sigmoid GELU and SiLU): the bounds of their errors that "
             "NVIDIA's documented maxima give, by region, and the "
             "invariants of both ends, on all 2^32 f32 inputs unless "
             "--stride is given; no kernel runs (their bits are a GPU's)"),
    cl::cat(accuracyCategory));
static cl::opt<unsigned> stride("stride",
                                cl::desc("f32: measure every N-th bit pattern"),
                                cl::init(256), cl::cat(accuracyCategory));
static cl::opt<unsigned>
    threads("jobs", cl::desc("Worker threads (default: all cores)"),
            cl::init(0), cl::cat(accuracyCategory));
static cl::opt<unsigned>
    mpfrSamples("mpfr-samples",
                cl::desc("Random inputs on which the long-double reference is "
                         "cross-checked against MPFR"),
                cl::init(20000), cl::cat(accuracyCategory));
static cl::opt<std::string> roundingExceptionsFile(
    "rounding-exceptions",
    cl::desc("Write the inputs that correctly_rounded kernels misround as "
             "lines of lib/Numerics/RoundingExceptions.inc (run with "
             "--exhaustive to find all of them; "
             "scripts/rounding-exceptions.sh merges them in)"),
    cl::value_desc("file"), cl::cat(accuracyCategory));
static cl::opt<std::string>
    markdownFile("markdown",
                 cl::desc("Also write the results as a markdown table"),
                 cl::value_desc("file.md"), cl::cat(accuracyCategory));

namespace {

constexpr int kRegions = kReportRegions;

struct Measurement {
  ErrorMaxima regions[kRegions];
  /// For the functions that keep sign and bound (Invariants.h).
  InvariantViolations invariants;
  /// The errors on the inputs of the spec's budget domain (with a budget).
  ErrorMaxima inBudgetDomain;
  std::string specials;
  double mpfrDisagreement = 0; // long double vs MPFR, in output ULPs
  double seconds = 0;
  /// A correctly rounded kernel's results that are not the correctly
  /// rounded value (f32 only), with the inputs and the right results.
  uint64_t misrounded = 0;
  std::vector<std::pair<float, float>> misroundedAt;
};

float fromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

unsigned workerCount() {
  if (threads)
    return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

/// --hardware-bounds: every `step`-th f32 input of each hardware form,
/// both ends of its range (hardwareFormRange) against the reference and
/// the invariants. Prints a markdown table; false if an invariant breaks.
bool boundHardwareForms(uint64_t step, std::string &table) {
  const ReferenceFunction functions[] = {ReferenceFunction::GeluTanh,
                                         ReferenceFunction::GeluSigmoid,
                                         ReferenceFunction::Silu};
  table += "| function | expansion | max ULP " + regionNameList(" / ", 3) +
           " | max abs " + regionNameList(" / ", 3) +
           " | invariants | inputs |\n|---|---|---|---|---|---|\n";
  bool kept = true;
  const unsigned workers = workerCount();
  for (ReferenceFunction f : functions)
    for (HardwareForm form : {HardwareForm::Tanh, HardwareForm::Sigmoid}) {
      std::vector<Measurement> partial(workers);
      std::vector<std::thread> pool;
      for (unsigned w = 0; w < workers; ++w)
        pool.emplace_back([&, w] {
          Measurement &m = partial[w];
          for (uint64_t bits = w * step; bits <= 0xffffffffu;
               bits += workers * step) {
            float x = fromBits(static_cast<uint32_t>(bits));
            ResultRange r = hardwareFormRange(f, form, x);
            m.invariants.check(x, r.lo);
            m.invariants.check(x, r.hi);
            if (!std::isfinite(x))
              continue;
            long double ref = evaluateReference(f, x);
            addToRegions(m.regions, x, r.lo, ref, FloatFormat::f32());
            addToRegions(m.regions, x, r.hi, ref, FloatFormat::f32());
          }
        });
      for (std::thread &t : pool)
        t.join();
      Measurement total;
      for (const Measurement &m : partial) {
        total.invariants.merge(m.invariants);
        for (int r = 0; r < kRegions; ++r)
          total.regions[r].merge(m.regions[r]);
      }
      kept &= total.invariants.total() == 0;
      const ErrorMaxima *e = total.regions;
      char numbers[160];
      std::snprintf(numbers, sizeof numbers,
                    "%.3g / %.3g / %.3g | %.2g / %.2g / %.2g", e[0].maxUlp,
                    e[1].maxUlp, e[2].maxUlp, e[0].maxAbs, e[1].maxAbs,
                    e[2].maxAbs);
      table += "| " + stringifyReferenceFunction(f).str() + " | " +
               (form == HardwareForm::Tanh ? "hw_tanh" : "hw_sigmoid") + " | " +
               numbers + " | " + total.invariants.describe() + " | " +
               std::to_string(e[kOverallRegion].count / 2) + " |\n";
    }
  return kept;
}

/// Runs `kernel` on the inputs at(0) ... at(n − 1), of element type T, in
/// chunks on `workers` threads, and calls visit(worker, x, y) for each input
/// x and its result y.
template <typename T, typename At, typename Visit>
void sweep(const Kernel &kernel, uint64_t n, unsigned workers, At at,
           Visit visit) {
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      constexpr uint64_t kChunk = 1 << 16;
      std::vector<T> in(kChunk), out(kChunk);
      ActivationCall call(kernel, kChunk);
      for (uint64_t begin = w * kChunk; begin < n;
           begin += uint64_t(workers) * kChunk) {
        uint64_t count = std::min(kChunk, n - begin);
        for (uint64_t i = 0; i < count; ++i)
          in[i] = at(begin + i);
        call(in.data(), out.data(), static_cast<int64_t>(count));
        for (uint64_t i = 0; i < count; ++i)
          visit(w, in[i], static_cast<double>(out[i]));
      }
    });
  for (std::thread &t : pool)
    t.join();
}

/// Runs `kernel` on every `step`-th f32 encoding in chunks on `workers`
/// threads (16-bit kernels: on all 2^16 inputs, in order, on one thread)
/// and calls visit(worker, x, y) for each input x and its result y.
template <typename Visit>
void forEachResult(const Kernel &kernel, uint64_t step, unsigned workers,
                   Visit visit) {
  assert(kernel.spec().dtype != DType::F64 && "f64 has measureWide");
  const bool is32 = kernel.spec().dtype == DType::F32;
  const bool isBF16 = kernel.spec().dtype == DType::BF16;
  if (!is32) {
    std::vector<uint16_t> in(1 << 16), out(1 << 16);
    for (uint32_t i = 0; i < in.size(); ++i)
      in[i] = static_cast<uint16_t>(i);
    ActivationCall(kernel, 1 << 16)(in.data(), out.data(), 1 << 16);
    for (uint32_t i = 0; i < in.size(); ++i)
      visit(0u, halfToFloat(in[i], isBF16),
            static_cast<double>(halfToFloat(out[i], isBF16)));
    return;
  }
  sweep<float>(
      kernel, (uint64_t(1) << 32) / step, workers,
      [&](uint64_t i) { return fromBits(static_cast<uint32_t>(i * step)); },
      visit);
}

/// The kernel's errors by region (and, for GELU and SiLU, the invariants
/// it breaks): f32 on every `--stride`-th encoding (all with
/// --exhaustive), 16-bit kernels on every input.
/// Measures `kernel` by region, and on `budget`'s domain where it has one.
Measurement measure(const Kernel &kernel,
                    const std::optional<ErrorBudget> &budget) {
  Measurement m;
  ReferenceFunction f = kernel.spec().referenceFunction();
  FloatFormat format = floatFormatOf(kernel.spec().dtype);
  const bool invariants = keepsSignAndBound(f);
  const uint64_t step = exhaustive ? 1 : std::max(1u, stride.getValue());
  const unsigned workers = workerCount();
  std::vector<std::array<ErrorMaxima, kRegions>> partial(workers);
  std::vector<ErrorMaxima> inDomain(workers);
  std::vector<InvariantViolations> broken(workers);
  // A correctly rounded kernel: every result against the correctly rounded
  // value, bit for bit.
  const bool checkRounding =
      kernel.spec().dtype == DType::F32 &&
      promisesCorrectRounding(f, kernel.spec().effectiveExpansion());
  std::vector<uint64_t> misrounded(workers);
  std::vector<std::vector<std::pair<float, float>>> misroundedAt(workers);
  forEachResult(kernel, step, workers, [&](unsigned w, float x, double y) {
    if (invariants)
      broken[w].check(x, y);
    if (!std::isfinite(x))
      return; // judged as specials
    long double ref = evaluateReference(f, x);
    if (checkRounding) {
      float right = correctlyRoundedFloat(f, x, ref);
      float got = static_cast<float>(y);
      if (std::memcmp(&right, &got, sizeof got) != 0) {
        ++misrounded[w];
        if (misroundedAt[w].size() < (1u << 16))
          misroundedAt[w].push_back({x, right});
      }
    }
    PointError e = pointError(y, ref, format, errorScale(f, x));
    partial[w][regionOf(x)].add(x, e);
    partial[w][kOverallRegion].add(x, e);
    if (budget && x >= budget->domainLo && x <= budget->domainHi)
      inDomain[w].add(x, e);
  });
  for (unsigned w = 0; w < workers; ++w) {
    for (int r = 0; r < kRegions; ++r)
      m.regions[r].merge(partial[w][r]);
    m.inBudgetDomain.merge(inDomain[w]);
    m.invariants.merge(broken[w]);
    m.misrounded += misrounded[w];
    llvm::append_range(m.misroundedAt, misroundedAt[w]);
  }
  llvm::sort(m.misroundedAt, [](auto a, auto b) {
    return llvm::bit_cast<uint32_t>(a.first) <
           llvm::bit_cast<uint32_t>(b.first);
  });
  return m;
}

/// An f64 kernel's errors by region on its sample (the header says which),
/// then around each region's worst input.
Measurement measureWide(const Kernel &kernel,
                        const std::optional<ErrorBudget> &budget) {
  Measurement m;
  ReferenceFunction f = kernel.spec().referenceFunction();
  const FloatFormat format = floatFormatOf(DType::F64);
  const bool invariants = keepsSignAndBound(f);
  const unsigned workers = workerCount();
  std::vector<std::array<ErrorMaxima, kRegions>> partial(workers);
  std::vector<ErrorMaxima> inDomain(workers);
  std::vector<InvariantViolations> broken(workers);
  // Input i of the sample: every 2^40th encoding of each sign, then the
  // grid.
  constexpr uint64_t kEncodings = uint64_t(1) << 24;
  constexpr uint64_t kGrid = uint64_t(80) << 17;
  auto input = [](uint64_t i) {
    if (i < 2 * kEncodings)
      return llvm::bit_cast<double>((i / 2) << 40 | (i % 2) << 63);
    return -40.0 + std::ldexp(double(i - 2 * kEncodings), -17);
  };
  const uint64_t total = 2 * kEncodings + kGrid + 1;
  auto visit = [&](unsigned w, double x, double y) {
    if (invariants)
      broken[w].check(x, y);
    if (!std::isfinite(x))
      return; // judged as specials
    PointError e =
        pointError(y, evaluateReference(f, x), format, errorScale(f, x));
    partial[w][regionOf(x)].add(x, e);
    partial[w][kOverallRegion].add(x, e);
    if (budget && x >= budget->domainLo && x <= budget->domainHi)
      inDomain[w].add(x, e);
  };
  sweep<double>(kernel, total, workers, input, visit);
  // The worst-case search: the 2^17 doubles around each region's worst.
  std::array<ErrorMaxima, kRegions> found;
  for (unsigned w = 0; w < workers; ++w)
    for (int r = 0; r < kRegions; ++r)
      found[r].merge(partial[w][r]);
  for (int r = 0; r < 3; ++r) {
    if (!found[r].count)
      continue;
    uint64_t center = llvm::bit_cast<uint64_t>(found[r].ulpAt);
    sweep<double>(
        kernel, uint64_t(1) << 17, workers,
        [&](uint64_t i) {
          return llvm::bit_cast<double>(center - (uint64_t(1) << 16) + i);
        },
        visit);
  }
  for (unsigned w = 0; w < workers; ++w) {
    for (int r = 0; r < kRegions; ++r)
      m.regions[r].merge(partial[w][r]);
    m.inBudgetDomain.merge(inDomain[w]);
    m.invariants.merge(broken[w]);
  }
  return m;
}

/// The invariants `kernel` breaks on every `step`-th f32 input (16-bit
/// kernels: on every input).
InvariantViolations checkInvariants(const Kernel &kernel, uint64_t step) {
  const unsigned workers = workerCount();
  std::vector<InvariantViolations> broken(workers);
  forEachResult(kernel, step, workers,
                [&](unsigned w, float x, double y) { broken[w].check(x, y); });
  InvariantViolations all;
  for (const InvariantViolations &b : broken)
    all.merge(b);
  return all;
}

/// f(x) through the kernel, for one value (f32 and 16-bit kernels: x must
/// be exact in the format).
double runOne(const Kernel &kernel, double wide) {
  ActivationCall call(kernel, 1);
  if (kernel.spec().dtype == DType::F64) {
    double y;
    call(&wide, &y, 1);
    return y;
  }
  float x = static_cast<float>(wide);
  if (kernel.spec().dtype == DType::F32) {
    float y;
    call(&x, &y, 1);
    return y;
  }
  bool isBF16 = kernel.spec().dtype == DType::BF16;
  uint16_t out;
  uint16_t in = halfFromFloatExact(x, isBF16);
  call(&in, &out, 1);
  return halfToFloat(out, isBF16);
}

std::string describeSpecials(const Kernel &kernel) {
  const double inf = std::numeric_limits<double>::infinity();
  const bool wide = kernel.spec().dtype == DType::F64;
  const double values[] = {std::numeric_limits<double>::quiet_NaN(),
                           inf,
                           -inf,
                           0.0,
                           -0.0,
                           wide ? std::numeric_limits<double>::denorm_min()
                                : std::numeric_limits<float>::denorm_min(),
                           wide ? -std::numeric_limits<double>::max()
                                : -std::numeric_limits<float>::max()};
  const char *names[] = {"NaN", "+inf", "-inf", "+0", "-0", "+min", "-max"};
  std::string out;
  raw_string_ostream os(out);
  for (size_t i = 0; i < std::size(values); ++i) {
    if (dtypeSize(kernel.spec().dtype) == 2 && i == 5)
      continue; // no f32 subnormal in 16-bit formats
    double y = runOne(kernel, values[i]);
    os << (i ? ", " : "") << names[i] << "→";
    if (std::isnan(y))
      os << "NaN";
    else if (y == 0)
      os << (std::signbit(y) ? "-0" : "+0");
    else
      os << llvm::format("%g", y);
  }
  return out;
}

/// The largest disagreement, in output ULPs, between the long-double and
/// the MPFR reference on random finite inputs of every magnitude (f32
/// inputs, or doubles for `format` f64).
double crossCheckReference(ReferenceFunction f, FloatFormat format) {
  std::mt19937 rng(2026);
  std::mt19937_64 wideRng(2026);
  const bool wide = format.precision == floatFormatOf(DType::F64).precision;
  double worst = 0;
  for (unsigned i = 0; i < mpfrSamples; ++i) {
    double x = wide ? llvm::bit_cast<double>(uint64_t(wideRng()))
                    : fromBits(static_cast<uint32_t>(rng()));
    if (!std::isfinite(x))
      continue;
    long double ld = evaluateReference(f, x);
    long double mp = evaluateReferenceMpfr(f, x);
    worst = std::max(
        worst, ulpError(static_cast<double>(ld), mp, format, errorScale(f, x)));
  }
  return worst;
}

/// "gelu (none) f32, rational degree 4", and the budget that chose it.
std::string label(const KernelSpec &requested, const KernelSpec &compiled) {
  std::string s = act::stringifyOpKind(compiled.op).str();
  if (act::opFacts(compiled.op).appliesGelu())
    s += std::string(" (") +
         act::stringifyApproximate(compiled.approximate).str() + ")";
  s += " " + stringifyDType(compiled.dtype).str();
  s += ", " + act::stringifyExpansion(compiled.effectiveExpansion()).str();
  if (compiled.degree)
    s += " degree " + std::to_string(*compiled.degree);
  if (requested.budget)
    s += " (chosen for " + describeBudget(*requested.budget) + ")";
  return s;
}

/// Appends `base` with each expansion it accepts on its dtype (the default
/// as `base` leaves it, the others named), each at its default degree and
/// then at its other degrees.
void addEveryExpansion(const KernelSpec &base, std::vector<KernelSpec> &specs) {
  const ReferenceFunction function = base.referenceFunction();
  const bool f64 = base.dtype == DType::F64;
  llvm::ArrayRef<act::Expansion> expansions = base.acceptedExpansions();
  for (act::Expansion e : expansions) {
    KernelSpec spec = base;
    if (e != expansions.front())
      spec.expansion = e;
    specs.push_back(spec);
    for (unsigned degree : degreesOf(function, e, f64))
      if (degree != defaultDegreeOf(function, e, f64)) {
        spec.degree = degree;
        specs.push_back(spec);
      }
  }
}

/// Every expansion of every activation and derivative in f32 (from the
/// catalog, so a new expansion is measured without editing this list),
/// then default kernels in bf16 and f16, the fused and gated ones, and the
/// f64 kernels (each f64 expansion at every degree).
std::vector<KernelSpec> defaultSpecs() {
  const char *const ops[] = {
      R"({"op": "gelu")",
      R"({"op": "gelu", "approximate": "tanh")",
      R"({"op": "gelu", "approximate": "sigmoid")",
      R"({"op": "silu")",
      R"({"op": "relu")",
      R"({"op": "gelu_backward")",
      R"({"op": "gelu_backward", "approximate": "tanh")",
      R"({"op": "gelu_backward", "approximate": "sigmoid")"};
  std::vector<KernelSpec> specs;
  for (const char *op : ops)
    addEveryExpansion(cantFail(parseSpec(std::string(op) + "}")), specs);
  for (const char *json :
       {R"({"op": "gelu", "dtype": "bf16"})",
        R"({"op": "gelu", "dtype": "f16"})",
        R"({"op": "gelu", "approximate": "tanh", "dtype": "bf16"})",
        R"({"op": "silu", "dtype": "bf16"})"})
    specs.push_back(cantFail(parseSpec(json)));
  // The fused and gated kernels, measured through their activation (the
  // other operands neutral: ActivationCall), in every dtype.
  for (const char *op :
       {"bias_gelu", "bias_gelu_backward", "geglu", "swiglu", "gelu_backward"})
    for (const char *dtype : {"f32", "bf16", "f16"}) {
      if (std::string(op) == "gelu_backward" && std::string(dtype) == "f32")
        continue; // above, with every expansion
      specs.push_back(cantFail(parseSpec(std::string(R"({"op": ")") + op +
                                         R"(", "dtype": ")" + dtype + "\"}")));
    }
  // The f64 kernels: each op's f64 expansions (its f64 forms, the gates'
  // f64 tables, the f32 tables) as for f32.
  for (const char *op : ops)
    addEveryExpansion(
        cantFail(parseSpec(std::string(op) + R"(, "dtype": "f64"})")), specs);
  return specs;
}

/// `spec` compiled, or null after saying why (an error of one of its
/// fields names `source`, its file, as gelu-opt does).
std::unique_ptr<Kernel> compileOrSay(const KernelSpec &spec, StringRef source) {
  auto kernel = compileKernel(spec);
  if (!kernel) {
    WithColor::error(errs(), "gelu-accuracy")
        << toString(inSpecSource(kernel.takeError(), source)) << "\n";
    return nullptr;
  }
  return std::move(*kernel);
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(accuracyCategory);
  gelu::setVersionPrinter();
  cl::ParseCommandLineOptions(
      argc, argv,
      "gelu-accuracy: measure gelu-jit kernels against the reference\n");

  std::vector<KernelSpec> specs;
  std::vector<std::string> sources; // the file of each spec ("": built in)
  bool invariantsBroken = false, budgetBroken = false, roundingBroken = false;
  std::string exceptionLines;
  for (const std::string &file : specFiles) {
    auto spec = readSpecFile(file);
    if (!spec) {
      WithColor::error(errs(), "gelu-accuracy")
          << toString(spec.takeError()) << "\n";
      return 1;
    }
    specs.push_back(*spec);
    sources.push_back(file);
  }
  if (all || specs.empty())
    llvm::append_range(specs, defaultSpecs());
  sources.resize(specs.size());

  if (hardwareBounds) {
    if (exhaustive || invariantsOnly || !specFiles.empty() || all) {
      WithColor::error(errs(), "gelu-accuracy")
          << "--hardware-bounds bounds the hardware forms alone, on every "
             "input unless --stride is given: drop --exhaustive, "
             "--invariants, --all and the specs\n";
      return 1;
    }
    uint64_t step =
        stride.getNumOccurrences() ? std::max(1u, stride.getValue()) : 1;
    std::string table =
        llvm::formatv("Bounds from NVIDIA's documented maximum errors "
                      "(tanh.approx.f32: 2^-11 relative; ex2.approx.ftz.f32: "
                      "2 ULP from the correctly rounded result; "
                      "rcp.approx.ftz.f32: 1 ULP), every {0} f32 input{1}; "
                      "each input's worse end against the reference:\n\n",
                      step == 1 ? "" : std::to_string(step) + "th",
                      step == 1 ? " (all 2^32)" : "")
            .str();
    bool kept = boundHardwareForms(step, table);
    outs() << table;
    if (!markdownFile.empty())
      if (Error err = writeOutputFile(markdownFile, table)) {
        WithColor::error(errs(), "gelu-accuracy")
            << toString(std::move(err)) << "\n";
        return 1;
      }
    if (!kept) {
      WithColor::error(errs(), "gelu-accuracy")
          << "a hardware form's bound breaks the invariants every kernel "
             "keeps\n";
      return 1;
    }
    return 0;
  }

  if (invariantsOnly) {
    if (!markdownFile.empty() || exhaustive) {
      WithColor::error(errs(), "gelu-accuracy")
          << "--invariants checks every input unless --stride is given and "
             "writes no table: drop --exhaustive and --markdown\n";
      return 1;
    }
    uint64_t step =
        stride.getNumOccurrences() ? std::max(1u, stride.getValue()) : 1;
    for (size_t i = 0; i < specs.size(); ++i) {
      const KernelSpec &spec = specs[i];
      if (!keepsSignAndBound(spec.referenceFunction()))
        continue; // ReLU and the derivatives have other signs
      std::unique_ptr<Kernel> kernel = compileOrSay(spec, sources[i]);
      if (!kernel)
        return 1;
      auto start = std::chrono::steady_clock::now();
      // f64: on its sample (measureWide's), whatever --stride says.
      InvariantViolations broken =
          spec.dtype == DType::F64
              ? measureWide(*kernel, std::nullopt).invariants
              : checkInvariants(*kernel, step);
      double seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      outs() << (broken.total() ? "BROKEN " : "ok     ")
             << label(spec, kernel->spec()) << ": " << broken.describe()
             << llvm::format("  (%.1f s)\n", seconds);
      outs().flush();
      invariantsBroken |= broken.total() != 0;
    }
    if (invariantsBroken) {
      WithColor::error(errs(), "gelu-accuracy")
          << "a kernel breaks the invariants every kernel keeps\n";
      return 1;
    }
    return 0;
  }

  std::string markdown;
  raw_string_ostream table(markdown);
  table << "| kernel | inputs | " << kRegionNames[0] << " | " << kRegionNames[1]
        << " | " << kRegionNames[2] << " | " << kRegionNames[3]
        << " | worst at | "
           "max abs | max rel | correctly rounded | ref. vs MPFR |\n"
           "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (size_t i = 0; i < specs.size(); ++i) {
    const KernelSpec &spec = specs[i];
    std::unique_ptr<Kernel> kernel = compileOrSay(spec, sources[i]);
    if (!kernel)
      return 1;
    auto start = std::chrono::steady_clock::now();
    bool is32 = spec.dtype == DType::F32;
    bool wide = spec.dtype == DType::F64;
    Measurement m = wide ? measureWide(*kernel, spec.budget)
                         : measure(*kernel, spec.budget);
    m.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    FloatFormat outFormat = floatFormatOf(spec.dtype);
    ReferenceFunction f = spec.referenceFunction();
    m.specials = describeSpecials(*kernel);
    m.mpfrDisagreement = crossCheckReference(f, outFormat);

    std::string inputs =
        wide ? std::string("every 2^40th double, a 2^-17 grid of [−40, 40], "
                           "2^17 around each worst")
        : is32 ? (exhaustive ? std::string("all 2^32")
                             : "every " + std::to_string(stride) + "th of 2^32")
               : std::string("all 2^16");
    outs() << "== " << label(spec, kernel->spec()) << "  (" << inputs << ", "
           << llvm::format("%.1f", m.seconds) << " s)\n";
    if (wide && (exhaustive || stride.getNumOccurrences()))
      outs() << "  (--stride and --exhaustive apply to f32: an f64 kernel is "
                "measured on the sample above)\n";
    for (int r = 0; r < kRegions; ++r) {
      const ErrorMaxima &s = m.regions[r];
      double confirm = r < 3 && s.count
                           ? ulpError(runOne(*kernel, s.ulpAt),
                                      evaluateReferenceMpfr(f, s.ulpAt),
                                      outFormat, errorScale(f, s.ulpAt))
                           : s.maxUlp;
      // An f64 input needs 17 digits to be found again.
      char narrow[32];
      std::snprintf(narrow, sizeof narrow, "%-15.9g", s.ulpAt);
      std::string at =
          wide ? llvm::formatv("{0:e16}", s.ulpAt).str() : std::string(narrow);
      outs() << llvm::format(
          "  %-8s max %6.3f ULP at x = %s (MPFR: %.3f)  "
          "max abs %.3g  max rel %.3g  correctly rounded "
          "%.4f%%\n",
          kRegionNames[r], s.maxUlp, at.c_str(), confirm, s.maxAbs, s.maxRel,
          s.count ? 100.0 * s.correctlyRounded / s.count : 0.0);
    }
    outs() << "  specials: " << m.specials << "\n";
    const bool correctlyRoundedKernel =
        is32 && promisesCorrectRounding(f, kernel->spec().effectiveExpansion());
    if (correctlyRoundedKernel) {
      outs() << "  correct rounding (bit for bit against the correctly "
                "rounded value; MPFR near midpoints): "
             << (m.misrounded ? "BROKEN: " : "") << m.misrounded
             << " misrounded of " << m.regions[3].count << " finite inputs\n";
      for (size_t k = 0; k < std::min<size_t>(m.misroundedAt.size(), 8); ++k)
        outs() << llvm::format(
            "    x = %.9g (0x%08x): kernel %.9g, correctly "
            "rounded %.9g\n",
            m.misroundedAt[k].first,
            llvm::bit_cast<uint32_t>(m.misroundedAt[k].first),
            runOne(*kernel, m.misroundedAt[k].first), m.misroundedAt[k].second);
      roundingBroken |= m.misrounded != 0;
      for (auto [x, right] : m.misroundedAt)
        exceptionLines += llvm::formatv(
            "GELU_ROUNDING_EXCEPTION(\"{0}\", {1:x8}, {2:x8}) // {3:e9}\n",
            stringifyReferenceFunction(f), llvm::bit_cast<uint32_t>(x),
            llvm::bit_cast<uint32_t>(right), x);
    }
    if (keepsSignAndBound(f)) {
      outs() << "  invariants (sign, |f(x)| <= |x|, NaN and inf): "
             << (m.invariants.total() ? "BROKEN: " : "")
             << m.invariants.describe() << "\n";
      invariantsBroken |= m.invariants.total() != 0;
    }
    if (dtypeSize(spec.dtype) == 2)
      outs() << llvm::format("  beyond %s rounding (what a budget bounds): "
                             "max abs %.3g  max rel %.3g\n",
                             stringifyDType(spec.dtype).str().c_str(),
                             m.regions[3].maxAbsBeyondRounding,
                             m.regions[3].maxRelBeyondRounding);
    if (spec.budget) {
      // Measured, the budget's promise holds with no sampling margin.
      bool holds = fitsBudget(m.inBudgetDomain, *spec.budget, spec.dtype, 1);
      outs() << "  budget " << describeBudget(*spec.budget) << ": "
             << (holds ? "holds" : "BROKEN") << " ("
             << describeError(m.inBudgetDomain, spec.dtype) << " on "
             << m.inBudgetDomain.count << " inputs)\n";
      budgetBroken |= !holds;
    }
    outs() << llvm::format(
        "  long-double reference vs MPFR on %u random inputs: "
        "max %.2g ULP\n",
        mpfrSamples.getValue(), m.mpfrDisagreement);
    outs().flush(); // long runs: show each kernel as it finishes
    const ErrorMaxima &o = m.regions[3];
    table << llvm::format(
        "| %s | %s | %.3g | %.3g | %.3g | %.3g | %.9g | %.2g | "
        "%.2g | %.3f%% | %.1g |\n",
        label(spec, kernel->spec()).c_str(), inputs.c_str(),
        m.regions[0].maxUlp, m.regions[1].maxUlp, m.regions[2].maxUlp, o.maxUlp,
        o.ulpAt, o.maxAbs, o.maxRel, 100.0 * o.correctlyRounded / o.count,
        m.mpfrDisagreement);
  }
  if (!roundingExceptionsFile.empty())
    if (Error err =
            gelu::writeOutputFile(roundingExceptionsFile, exceptionLines)) {
      WithColor::error(errs(), "gelu-accuracy")
          << toString(std::move(err)) << "\n";
      return 1;
    }
  if (!markdownFile.empty())
    if (Error err = gelu::writeOutputFile(markdownFile, table.str())) {
      WithColor::error(errs(), "gelu-accuracy")
          << toString(std::move(err)) << "\n";
      return 1;
    }
  if (budgetBroken)
    WithColor::error(errs(), "gelu-accuracy")
        << "a kernel breaks the budget it was tuned for: see 'BROKEN' above\n";
  if (invariantsBroken)
    WithColor::error(errs(), "gelu-accuracy")
        << "a kernel breaks the invariants every kernel keeps (sign, "
           "|f(x)| <= |x|, NaN and inf): see 'BROKEN' above\n";
  if (roundingBroken)
    WithColor::error(errs(), "gelu-accuracy")
        << "a correctly_rounded kernel misrounds: see 'BROKEN' above\n";
  return budgetBroken || invariantsBroken || roundingBroken ? 1 : 0;
}
