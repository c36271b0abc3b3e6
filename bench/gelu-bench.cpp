//===- gelu-bench.cpp - gelu-jit kernels beside the anchors ---------------===//
//
// Part of gelu-jit.
//
//   gelu-bench [--quick] [--json=FILE] [benchmark flags]
//
// Times, in one process and on one pinned thread, gelu-jit's kernels (for
// exact, tanh and sigmoid GELU and SiLU: the accurate default, the fast
// forms, budgets of the ladder) and the anchors of Anchors.h at an L1 size
// (4K floats), an L2/L3 size (256K) and a DRAM size (64M), on inputs drawn
// from four distributions (normal with σ = 1, 2 and 3, uniform on [−8, 8]:
// a kernel's speed may depend on its data; the DRAM size, bound by memory,
// on the uniform inputs only); prints ns/element, GB/s (8 bytes an
// element: one read, one write; 4 for the bf16 rows, 16 for f64) and the
// ratio to the best anchor of the same function; measures every
// implementation's max ULP error by region on a sample of all floats (the
// f64 rows in ULPs of f64); and times JIT compiles (cold and cached).
// --json writes all of it for scripts/plot-bench.py. --quick: the two small
// sizes, fewer repetitions (3 of at least 0.02 s each; otherwise 7 of
// 0.1 s); --benchmark_repetitions (at least 2: the report gives the median)
// and --benchmark_min_time replace those. The repetitions of all the
// benchmarks run in a random order, interleaved (Google Benchmark's
// --benchmark_enable_random_interleaving, on unless the command line sets
// it), so that a drift of the machine's speed during the run does not fall
// on some rows only.
//
// Compare ratios within one run, never absolute times across runs.
//
//===----------------------------------------------------------------------===//

#include "Anchors.h"
#include "BenchSupport.h"

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/Jit.h"
#include "gelu/JIT/KernelCache.h"
#include "gelu/JIT/ThreadPool.h"
#include "gelu/JIT/TuningReport.h"
#include "gelu/Numerics/ErrorMaxima.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/Reference.h"
#include "gelu/Support/Json.h"
#include "gelu/Support/Output.h"

#include "benchmark/benchmark.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <sched.h>
#include <tuple>

using namespace gelu;
using namespace gelu::bench;

// Kernels compiled ahead of time by gelu-opt --emit=obj (bench/specs/).
extern "C" void gelu_aot_accurate(const float *in, float *out, int64_t n);
extern "C" void gelu_aot_rational(const float *in, float *out, int64_t n);

namespace {

//===----------------------------------------------------------------------===//
// What is measured
//===----------------------------------------------------------------------===//

struct OurKernel {
  const char *label;
  const char *json;
  Family family;
  /// Run through Kernel::run with this many threads (1: the raw entry).
  unsigned threads = 1;
};

/// gelu-jit's kernels: for each function the accurate default
/// (piecewise_tail, whose speed depends on the data), the closed form that
/// was the default before it (branch-free), the fast forms and budgets of
/// its ladder (max abs 1e-4 and 1e-6, or 1e-5 for SiLU; the loosest
/// max_ulp rung that gets a kernel of its own, a lower degree of
/// piecewise_tail, whose table may end sooner, so that its speed depends on
/// the data more; sigmoid GELU and SiLU have none: their defaults' tables
/// are degree 5 on 31 intervals, and degree 4 errs 7e-6 relative and more),
/// its correctly rounded kernel; then exact GELU on AVX2, without streaming
/// stores, and on two threads.
const OurKernel kOurKernels[] = {
    {"gelu-jit exact (default)", R"({"name": "accurate"})", Family::ExactGelu},
    {"gelu-jit exact, erfc (former default)", R"({"expansion": "erfc"})",
     Family::ExactGelu},
    {"gelu-jit exact, piecewise (no tail)", R"({"expansion": "piecewise"})",
     Family::ExactGelu},
    {"gelu-jit exact, budget max_abs 1e-6",
     R"({"name": "fast", "budget": {"max_abs": 1e-6}})", Family::ExactGelu},
    {"gelu-jit exact, budget max_abs 1e-4", R"({"budget": {"max_abs": 1e-4}})",
     Family::ExactGelu},
    {"gelu-jit exact, budget max_ulp 8", R"({"budget": {"max_ulp": 8}})",
     Family::ExactGelu},
    {"gelu-jit exact, rational", R"({"expansion": "rational"})",
     Family::ExactGelu},
    {"gelu-jit exact, rational_fast", R"({"expansion": "rational_fast"})",
     Family::ExactGelu},
    {"gelu-jit exact, correctly rounded",
     R"({"expansion": "correctly_rounded"})", Family::ExactGelu},
    {"gelu-jit tanh (default)", R"({"approximate": "tanh"})", Family::TanhGelu},
    {"gelu-jit tanh, correctly rounded",
     R"({"approximate": "tanh", "expansion": "correctly_rounded"})",
     Family::TanhGelu},
    {"gelu-jit tanh, sigmoid (former default)",
     R"({"approximate": "tanh", "expansion": "sigmoid"})", Family::TanhGelu},
    {"gelu-jit tanh, sigmoid_fast",
     R"({"approximate": "tanh", "expansion": "sigmoid_fast"})",
     Family::TanhGelu},
    {"gelu-jit tanh, budget max_abs 1e-6",
     R"({"approximate": "tanh", "budget": {"max_abs": 1e-6}})",
     Family::TanhGelu},
    {"gelu-jit tanh, budget max_abs 1e-4",
     R"({"approximate": "tanh", "budget": {"max_abs": 1e-4}})",
     Family::TanhGelu},
    {"gelu-jit tanh, budget max_ulp 4",
     R"({"approximate": "tanh", "budget": {"max_ulp": 4}})", Family::TanhGelu},
    {"gelu-jit sigmoid (default)", R"({"approximate": "sigmoid"})",
     Family::SigmoidGelu},
    {"gelu-jit sigmoid, correctly rounded",
     R"({"approximate": "sigmoid", "expansion": "correctly_rounded"})",
     Family::SigmoidGelu},
    {"gelu-jit sigmoid, sigmoid (former default)",
     R"({"approximate": "sigmoid", "expansion": "sigmoid"})",
     Family::SigmoidGelu},
    {"gelu-jit sigmoid, sigmoid_fast",
     R"({"approximate": "sigmoid", "expansion": "sigmoid_fast"})",
     Family::SigmoidGelu},
    {"gelu-jit sigmoid, budget max_abs 1e-4",
     R"({"approximate": "sigmoid", "budget": {"max_abs": 1e-4}})",
     Family::SigmoidGelu},
    {"gelu-jit silu (default)", R"({"op": "silu"})", Family::Silu},
    {"gelu-jit silu, correctly rounded",
     R"({"op": "silu", "expansion": "correctly_rounded"})", Family::Silu},
    {"gelu-jit silu, sigmoid (former default)",
     R"({"op": "silu", "expansion": "sigmoid"})", Family::Silu},
    {"gelu-jit silu, sigmoid_fast",
     R"({"op": "silu", "expansion": "sigmoid_fast"})", Family::Silu},
    {"gelu-jit silu, budget max_abs 1e-5",
     R"({"op": "silu", "budget": {"max_abs": 1e-5}})", Family::Silu},
    {"gelu-jit silu, budget max_abs 1e-4",
     R"({"op": "silu", "budget": {"max_abs": 1e-4}})", Family::Silu},
    {"gelu-jit exact (AVX2)", R"({"target": "x86-64-v3"})", Family::ExactGelu},
    {"gelu-jit exact, correctly rounded (AVX2)",
     R"({"target": "x86-64-v3", "expansion": "correctly_rounded"})",
     Family::ExactGelu},
    {"gelu-jit exact, rational_fast (AVX2)",
     R"({"target": "x86-64-v3", "expansion": "rational_fast"})",
     Family::ExactGelu},
    {"gelu-jit exact, rational_fast, no streaming",
     R"({"expansion": "rational_fast", "streaming_stores": "never"})",
     Family::ExactGelu},
    {"gelu-jit exact (default), 2 threads", R"({})", Family::ExactGelu, 2},
    {"gelu-jit exact, rational_fast, 2 threads",
     R"({"expansion": "rational_fast"})", Family::ExactGelu, 2},
    // bf16 in and out (f32 inside): half the bytes of their f32 twins above.
    {"gelu-jit exact (default), bf16", R"({"dtype": "bf16"})",
     Family::ExactGelu},
    {"gelu-jit exact, rational, bf16",
     R"({"dtype": "bf16", "expansion": "rational"})", Family::ExactGelu},
    // f64 in and out (and inside): twice the bytes and half the lanes of
    // the f32 rows; beside Eigen's erf and glibc's erfc in double.
    {"gelu-jit exact, f64", R"({"dtype": "f64"})", Family::ExactGelu},
    {"gelu-jit exact, f64, erfc (former default)",
     R"({"dtype": "f64", "expansion": "erfc"})", Family::ExactGelu},
    // AVX2 has no f64 permute: the table's lookups take vpermps on halves.
    {"gelu-jit exact, f64 (AVX2)", R"({"dtype": "f64", "target": "x86-64-v3"})",
     Family::ExactGelu},
    {"gelu-jit exact, f64, erfc (AVX2)",
     R"({"dtype": "f64", "target": "x86-64-v3", "expansion": "erfc"})",
     Family::ExactGelu},
    {"gelu-jit tanh, f64", R"({"approximate": "tanh", "dtype": "f64"})",
     Family::TanhGelu},
    {"gelu-jit sigmoid, f64", R"({"approximate": "sigmoid", "dtype": "f64"})",
     Family::SigmoidGelu},
    {"gelu-jit silu, f64", R"({"op": "silu", "dtype": "f64"})", Family::Silu},
    // The f64 ladder: the f64 table's lower degrees (the same tail), then
    // the f32 tables on x rounded to f32.
    {"gelu-jit exact, f64, max_abs 1e-14",
     R"({"dtype": "f64", "budget": {"max_abs": 1e-14}})", Family::ExactGelu},
    {"gelu-jit exact, f64, max_abs 1e-12",
     R"({"dtype": "f64", "budget": {"max_abs": 1e-12}})", Family::ExactGelu},
    {"gelu-jit exact, f64, max_abs 1e-9",
     R"({"dtype": "f64", "budget": {"max_abs": 1e-9}})", Family::ExactGelu},
    {"gelu-jit exact, f64, max_abs 1e-6",
     R"({"dtype": "f64", "budget": {"max_abs": 1e-6}})", Family::ExactGelu},
    {"gelu-jit exact, f64, max_abs 1e-3",
     R"({"dtype": "f64", "budget": {"max_abs": 1e-3}})", Family::ExactGelu},
};

struct Entry {
  Implementation impl;
  std::string detail;  ///< the expansion a budget chose, for ours
  unsigned degree = 0; ///< its degree, 0 for the expansion's own
  /// The max_ulp budget the kernel was tuned for, for ours that have one.
  std::optional<double> maxUlpBudget;
  unsigned threads = 1; ///< Kernel::run threads, for ours
  /// bf16 in and out: `impl.run` takes bf16 encodings behind its float
  /// pointers (n of them), and its errors are in bf16 ULPs.
  bool bf16 = false;
  /// f64 in and out: `impl.run` takes doubles behind its float pointers (n
  /// of them), and its errors are in f64 ULPs.
  bool f64 = false;
  ErrorMaxima regions[kReportRegions]; ///< x ≥ 0, [−3, 0), x < −3, overall
  /// By input distribution (its key) and size.
  std::map<std::pair<std::string, int64_t>, double> nsPerElement;
};

/// The inputs' distributions. Every one is timed at the two small sizes;
/// the DRAM size on those marked `dram`: uniform (the defaults' worst
/// case: nearly every vector takes their tail branch) and normal with
/// σ = 2 (issue 17's targets' distribution).
struct Distribution {
  const char *key;
  const char *label;
  /// Normal with this σ, or uniform on [−8, 8] when 0.
  float sigma;
  bool dram;
};
const Distribution kDistributions[] = {
    {"uniform_8", "uniform on [-8, 8]", 0, true},
    {"normal_1", "normal, sigma 1", 1, false},
    {"normal_2", "normal, sigma 2", 2, true},
    {"normal_3", "normal, sigma 3", 3, false}};

ReferenceFunction referenceOf(Family f) {
  switch (f) {
  case Family::ExactGelu:
    return ReferenceFunction::GeluExact;
  case Family::TanhGelu:
    return ReferenceFunction::GeluTanh;
  case Family::SigmoidGelu:
    return ReferenceFunction::GeluSigmoid;
  case Family::Silu:
    return ReferenceFunction::Silu;
  case Family::Copy:
    break;
  }
  return ReferenceFunction::Relu; // not measured
}

//===----------------------------------------------------------------------===//
// Accuracy
//===----------------------------------------------------------------------===//

void measureAccuracy(Entry &entry, const std::vector<float> &in) {
  if (entry.impl.family == Family::Copy)
    return;
  ReferenceFunction f = referenceOf(entry.impl.family);
  std::vector<float> x16, out(in.size());
  const std::vector<float> *x = &in;
  if (entry.f64) {
    // The same inputs, widened; the errors in ULPs of f64.
    std::vector<double> wide(in.begin(), in.end()), result(in.size());
    entry.impl.run(reinterpret_cast<const float *>(wide.data()),
                   reinterpret_cast<float *>(result.data()),
                   static_cast<int64_t>(in.size()));
    for (size_t i = 0; i < in.size(); ++i) {
      double y = std::isfinite(result[i])
                     ? result[i]
                     : std::numeric_limits<double>::infinity();
      addToRegions(entry.regions, in[i], y, evaluateReference(f, in[i]),
                   floatFormatOf(DType::F64));
    }
    return;
  }
  if (entry.bf16) {
    // The sample truncated to bf16, packed in front of the buffer.
    std::vector<uint16_t> packed(in.size()), result(in.size());
    x16.resize(in.size());
    for (size_t i = 0; i < in.size(); ++i)
      packed[i] = bf16FromFloatExact(in[i]);
    entry.impl.run(reinterpret_cast<const float *>(packed.data()),
                   reinterpret_cast<float *>(result.data()),
                   static_cast<int64_t>(in.size()));
    for (size_t i = 0; i < in.size(); ++i) {
      x16[i] = bf16ToFloat(packed[i]);
      out[i] = bf16ToFloat(result[i]);
    }
    x = &x16;
  } else {
    entry.impl.run(in.data(), out.data(), static_cast<int64_t>(in.size()));
  }
  FloatFormat format = entry.bf16 ? FloatFormat::bf16() : FloatFormat::f32();
  for (size_t i = 0; i < in.size(); ++i) {
    float xi = (*x)[i];
    // A NaN or inf where the reference is finite is an unbounded error.
    double y = std::isfinite(out[i]) ? out[i]
                                     : std::numeric_limits<double>::infinity();
    addToRegions(entry.regions, xi, y, evaluateReference(f, xi), format);
  }
}

//===----------------------------------------------------------------------===//
// Compile latency
//===----------------------------------------------------------------------===//

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct CompileLatency {
  double coldSeconds = 0;
  double cachedSeconds = 0;
};

/// Cold: a spec never compiled before (a fresh name each time). Cached: the
/// same spec again, served by the kernel cache.
CompileLatency measureCompileLatency() {
  CompileLatency latency;
  std::vector<double> cold, cached;
  for (int i = 0; i < 7; ++i) {
    std::string json = R"({"name": "latency_)" + std::to_string(i) + R"("})";
    auto start = std::chrono::steady_clock::now();
    auto kernel = compileKernelFromJson(json);
    cold.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    if (!kernel) {
      llvm::errs() << "gelu-bench: " << llvm::toString(kernel.takeError())
                   << "\n";
      std::exit(1);
    }
  }
  latency.coldSeconds = median(cold);
  KernelCache &cache = KernelCache::global();
  auto spec = cantFail(parseSpec(R"({"name": "latency_cached"})"));
  cantFail(cache.get(spec).takeError());
  for (int i = 0; i < 1000; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto kernel = cache.get(spec);
    cached.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    cantFail(kernel.takeError());
  }
  latency.cachedSeconds = median(cached);
  return latency;
}

//===----------------------------------------------------------------------===//
// Timing
//===----------------------------------------------------------------------===//

/// Collects the median of each benchmark's repetitions.
class Collector : public benchmark::ConsoleReporter {
public:
  std::map<std::string, double> medianNs;
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const Run &run : runs)
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")
        medianNs[run.run_name.function_name] =
            run.GetAdjustedRealTime() /
            benchmark::GetTimeUnitMultiplier(run.time_unit) * 1e9;
    ConsoleReporter::ReportRuns(runs);
  }
};

/// Bytes read and written an element: 8 (f32 in and out), 4 for bf16, 16
/// for f64.
int bytesPerElement(const Entry &e) { return e.bf16 ? 4 : e.f64 ? 16 : 8; }

std::string benchmarkName(const Entry &e, const Distribution &d, int64_t n) {
  return e.impl.name + "/" + d.key + "/" + std::to_string(n);
}

const char *familyName(Family f) {
  switch (f) {
  case Family::ExactGelu:
    return "exact";
  case Family::TanhGelu:
    return "tanh";
  case Family::SigmoidGelu:
    return "sigmoid";
  case Family::Silu:
    return "silu";
  case Family::Copy:
    return "copy";
  }
  return "?";
}

} // namespace

int main(int argc, char **argv) {
  bool quick = false;
  std::string jsonPath;
  // Google Benchmark's --benchmark_repetitions and --benchmark_min_time
  // apply only to a benchmark that does not set its own: ours set theirs
  // (below) only where the command line gives none.
  bool userRepetitions = false, userMinTime = false, userInterleaving = false;
  std::vector<char *> passOn = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--quick")
      quick = true;
    else if (arg.consume_front("--json="))
      jsonPath = arg.str();
    else {
      if (arg.consume_front("--benchmark_repetitions=")) {
        // The report gives the median of the repetitions: one has none.
        int repetitions = 0;
        if (arg.getAsInteger(10, repetitions) || repetitions < 2) {
          llvm::errs() << "gelu-bench: --benchmark_repetitions=" << arg
                       << ": needs an integer of at least 2 (the report "
                          "gives the median of the repetitions)\n";
          return 1;
        }
        userRepetitions = true;
      }
      if (arg.starts_with("--benchmark_min_time="))
        userMinTime = true;
      if (arg.starts_with("--benchmark_enable_random_interleaving"))
        userInterleaving = true;
      passOn.push_back(argv[i]);
    }
  }
  // Every benchmark's repetitions in a random order among all the others',
  // not one after another: the machine's state (its memory bandwidth
  // above all, which moves by 20 % within minutes on a shared VM) then
  // weighs on every row alike, and the ratios to memcpy and to the anchors
  // compare medians of the same stretch of time.
  static char interleave[] = "--benchmark_enable_random_interleaving=true";
  if (!userInterleaving)
    passOn.push_back(interleave);
  int passOnCount = static_cast<int>(passOn.size());
  benchmark::Initialize(&passOnCount, passOn.data());

  // One thread, on one core: the ratios are per core. The runtime's pool
  // (for the threaded rows) starts first, so its workers are not pinned.
  (void)ThreadPool::global();
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(0, &cpus);
  if (sched_setaffinity(0, sizeof cpus, &cpus) != 0)
    llvm::errs() << "gelu-bench: could not pin to CPU 0; timing unpinned\n";

  std::vector<Entry> entries;
  for (const OurKernel &k : kOurKernels) {
    auto kernel = compileKernelFromJson(k.json);
    if (!kernel) {
      llvm::errs() << "gelu-bench: " << k.label << ": "
                   << llvm::toString(kernel.takeError()) << "\n";
      return 1;
    }
    std::shared_ptr<Kernel> owned = std::move(*kernel);
    Entry e;
    unsigned threads = k.threads;
    e.threads = threads;
    e.bf16 = owned->spec().dtype == DType::BF16;
    e.f64 = owned->spec().dtype == DType::F64;
    if (e.f64)
      e.impl = {k.label, k.family, /*ours=*/true,
                [owned](const float *in, float *out, int64_t n) {
                  owned->f64()(reinterpret_cast<const double *>(in),
                               reinterpret_cast<double *>(out), n);
                }};
    else if (e.bf16)
      e.impl = {k.label, k.family, /*ours=*/true,
                [owned](const float *in, float *out, int64_t n) {
                  owned->u16()(reinterpret_cast<const uint16_t *>(in),
                               reinterpret_cast<uint16_t *>(out), n);
                }};
    else
      e.impl = {k.label, k.family, /*ours=*/true,
                [owned, threads](const float *in, float *out, int64_t n) {
                  if (threads == 1)
                    owned->f32()(in, out, n);
                  else
                    cantFail(owned->run(in, out, n, {threads}));
                }};
    const KernelSpec &spec = owned->spec();
    e.detail = act::stringifyExpansion(spec.effectiveExpansion()).str();
    e.degree = spec.degree.value_or(0);
    const KernelSpec &requested = owned->report().requested;
    if (requested.budget)
      e.maxUlpBudget = requested.budget->maxUlp;
    entries.push_back(std::move(e));
  }
  // The ahead-of-time objects, beside their JIT twins above.
  for (auto [label, detail, fn] :
       {std::tuple{"gelu-opt --emit=obj exact (default)", "piecewise_tail",
                   &gelu_aot_accurate},
        std::tuple{"gelu-opt --emit=obj exact, rational", "rational",
                   &gelu_aot_rational}}) {
    Entry e;
    e.impl = {label, Family::ExactGelu, /*ours=*/true, fn};
    e.detail = detail;
    entries.push_back(std::move(e));
  }
  for (Implementation &a : anchors()) {
    Entry e;
    e.impl = std::move(a);
    entries.push_back(std::move(e));
  }

  llvm::outs() << "measuring accuracy on a sample of every f32 ...\n";
  std::vector<float> sample = accuracySample(16);
  for (Entry &e : entries)
    measureAccuracy(e, sample);
  CompileLatency latency = measureCompileLatency();

  std::vector<int64_t> sizes = {4096, 262144};
  if (!quick)
    sizes.push_back(int64_t(64) << 20);
  // Which distributions each size is timed on.
  auto timedOn = [&](int64_t n) {
    std::vector<const Distribution *> out;
    for (const Distribution &d : kDistributions)
      if (n < (int64_t(1) << 20) || d.dram)
        out.push_back(&d);
    return out;
  };
  std::mt19937 rng(42);
  std::map<std::pair<std::string, int64_t>, std::unique_ptr<AlignedBuffer>>
      inputs, inputs16, inputs64;
  std::map<int64_t, std::unique_ptr<AlignedBuffer>> outputs;
  for (int64_t n : sizes) {
    // Room for n doubles (the f64 rows).
    outputs[n] = std::make_unique<AlignedBuffer>(2 * n);
    // (AlignedBuffer zeroes, so the output's pages are touched already.)
    for (const Distribution *d : timedOn(n)) {
      auto buffer = std::make_unique<AlignedBuffer>(n);
      std::uniform_real_distribution<float> uniform(-8.0f, 8.0f);
      std::normal_distribution<float> normal(0.0f, d->sigma ? d->sigma : 1);
      for (int64_t i = 0; i < n; ++i)
        buffer->data[i] = d->sigma ? normal(rng) : uniform(rng);
      // The same values in bf16 (truncated), for the bf16 rows.
      auto packed = std::make_unique<AlignedBuffer>(n);
      auto *bits = reinterpret_cast<uint16_t *>(packed->data);
      for (int64_t i = 0; i < n; ++i)
        bits[i] = bf16FromFloatExact(buffer->data[i]);
      inputs16[{d->key, n}] = std::move(packed);
      // And widened to f64, for the f64 rows.
      auto wide = std::make_unique<AlignedBuffer>(2 * n);
      auto *doubles = reinterpret_cast<double *>(wide->data);
      for (int64_t i = 0; i < n; ++i)
        doubles[i] = buffer->data[i];
      inputs64[{d->key, n}] = std::move(wide);
      inputs[{d->key, n}] = std::move(buffer);
    }
  }
  for (const Entry &e : entries)
    for (int64_t n : sizes)
      for (const Distribution *d : timedOn(n)) {
        const float *in = (e.bf16  ? inputs16
                           : e.f64 ? inputs64
                                   : inputs)[{d->key, n}]
                              ->data;
        float *out = outputs[n]->data;
        auto run = e.impl.run;
        benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(
            benchmarkName(e, *d, n).c_str(),
            [run, in, out, n,
             bytes = bytesPerElement(e)](benchmark::State &state) {
              for (auto _ : state) {
                run(in, out, n);
                benchmark::ClobberMemory();
              }
              state.SetItemsProcessed(state.iterations() * n);
              state.SetBytesProcessed(state.iterations() * n * bytes);
            });
        b->ReportAggregatesOnly(true)->UseRealTime()->Unit(
            benchmark::kNanosecond);
        if (!userRepetitions)
          b->Repetitions(quick ? 3 : 7);
        if (!userMinTime)
          b->MinTime(quick ? 0.02 : 0.1);
      }
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  for (Entry &e : entries)
    for (int64_t n : sizes)
      for (const Distribution *d : timedOn(n)) {
        auto it = collector.medianNs.find(benchmarkName(e, *d, n));
        if (it != collector.medianNs.end())
          e.nsPerElement[{d->key, n}] = it->second / static_cast<double>(n);
      }

  // The best anchor of each function at each distribution and size, and
  // memcpy.
  using Key = std::pair<std::string, int64_t>;
  auto bestAnchor = [&](Family f, const Key &key) {
    double best = std::numeric_limits<double>::infinity();
    for (const Entry &e : entries)
      if (!e.impl.ours && e.impl.family == f && e.nsPerElement.count(key))
        best = std::min(best, e.nsPerElement.at(key));
    return best;
  };
  auto copyTime = [&](const Key &key) { return bestAnchor(Family::Copy, key); };

  llvm::raw_ostream &os = llvm::outs();
  for (const Distribution &d : kDistributions) {
    os << "\n== inputs " << d.label
       << ": ns/element (GB/s at 8 B/element, 4 for bf16, 16 for f64), one "
          "thread unless "
          "named; "
          "ratio to the best anchor of the same function and to memcpy\n";
    for (const Entry &e : entries) {
      os << llvm::format("%-42s", e.impl.name.c_str());
      for (int64_t n : sizes) {
        Key key{d.key, n};
        if (!e.nsPerElement.count(key))
          continue;
        double t = e.nsPerElement.at(key);
        os << llvm::format(" | %6s %7.3f (%5.1f GB/s)",
                           n >= (1 << 20)
                               ? (std::to_string(n >> 20) + "M").c_str()
                               : (std::to_string(n >> 10) + "K").c_str(),
                           t, bytesPerElement(e) / t);
        if (e.impl.family != Family::Copy)
          os << llvm::format(" %5.2fx best",
                             t / bestAnchor(e.impl.family, key));
        os << llvm::format(" %5.2fx copy", t / copyTime(key));
      }
      os << "\n";
    }
  }
  os << "\n== max ULP error by region (sample: every 4096th f32 and a grid "
        "of [-20, 20]), against the function's own reference\n";
  for (const Entry &e : entries) {
    if (e.impl.family == Family::Copy)
      continue;
    os << llvm::format("%-42s", e.impl.name.c_str());
    for (int r = 0; r < 4; ++r)
      os << llvm::format("  %s %-10.3g", kRegionNames[r], e.regions[r].maxUlp);
    os << llvm::format("  max abs %.2g", e.regions[3].maxAbs);
    if (e.impl.ours)
      os << "  [" << e.detail << "]";
    os << "\n";
  }
  os << llvm::format("\n== JIT compile: cold %.1f ms, cached %.3f us\n",
                     latency.coldSeconds * 1e3, latency.cachedSeconds * 1e6);

  if (!jsonPath.empty()) {
    // Built in memory, then written whole (a full disk is an error).
    gelu::OrderedJson results = gelu::OrderedJson::array();
    for (const Entry &e : entries) {
      gelu::OrderedJson result = {{"name", e.impl.name},
                                  {"family", familyName(e.impl.family)},
                                  {"ours", e.impl.ours},
                                  {"threads", e.threads},
                                  {"bytes_per_element", bytesPerElement(e)}};
      if (e.impl.ours) {
        result["expansion"] = e.detail;
        if (e.degree)
          result["degree"] = e.degree;
        if (e.maxUlpBudget)
          result["max_ulp_budget"] = *e.maxUlpBudget;
      }
      if (e.impl.family != Family::Copy) {
        // (JSON has no inf: 1e38 stands for a NaN or inf result.)
        gelu::OrderedJson maxUlp = gelu::OrderedJson::object();
        for (int r = 0; r < 4; ++r) {
          double u = e.regions[r].maxUlp;
          maxUlp[kRegionKeys[r]] = std::isfinite(u) ? u : 1e38;
        }
        result["max_ulp"] = std::move(maxUlp);
      }
      gelu::OrderedJson sizes = gelu::OrderedJson::array();
      for (const auto &[key, t] : e.nsPerElement) {
        gelu::OrderedJson size = {{"n", key.second},
                                  {"distribution", key.first},
                                  {"ns_per_element", t},
                                  {"gb_per_s", bytesPerElement(e) / t}};
        if (e.impl.family != Family::Copy)
          size["ratio_to_best_anchor"] = t / bestAnchor(e.impl.family, key);
        size["ratio_to_memcpy"] = t / copyTime(key);
        sizes.push_back(std::move(size));
      }
      result["sizes"] = std::move(sizes);
      results.push_back(std::move(result));
    }
    gelu::OrderedJson report = {
        {"compile_cold_ms", latency.coldSeconds * 1e3},
        {"compile_cached_us", latency.cachedSeconds * 1e6},
        {"results", std::move(results)}};
    std::string text = gelu::dumpJson(report, 2) + "\n";
    if (llvm::Error err = gelu::writeOutputFile(jsonPath, text)) {
      llvm::errs() << "gelu-bench: " << llvm::toString(std::move(err)) << "\n";
      return 1;
    }
    llvm::outs() << "wrote " << jsonPath << "\n";
  }
  return 0;
}
