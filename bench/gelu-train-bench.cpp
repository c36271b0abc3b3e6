//===- gelu-train-bench.cpp - Training kernels beside parts and anchors ---===//
//
// Part of gelu-jit.
//
//   gelu-train-bench [--quick] [--json=FILE] [--torch=FILE]
//
// Times, in one process on one pinned thread, gelu-jit's backward, fused
// bias+GELU (forward and backward, with the bias gradient) and gated
// kernels at the forward benchmark's sizes (4K, 256K and 64M elements, as
// [n/1024, 1024] matrices), each beside
//  - its parts run one after another: gelu-jit's unfused kernel and plain
//    -O3 -march=native loops for the bias add, the product, the column sum;
//  - oneDNN 2.6: eltwise backward, binary add with an eltwise post-op,
//    and binary/eltwise/reduction primitives chained;
//  - PyTorch's CPU kernels (one thread), measured by bench/torch-training.py
//    in the same script run and read from --torch.
// Prints ns/element and each alternative's time as a multiple of the fused
// kernel's; also the backward kernels' error against the long-double
// reference (counted against max(|f'|, gate): docs/accuracy.md).
// --quick: the two small sizes, fewer rounds.
//
// Compare ratios within one run, never absolute times across runs.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"
#include "TrainingAnchors.h"

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/Jit.h"
#include "gelu/JIT/ThreadPool.h"
#include "gelu/Numerics/ErrorMaxima.h"
#include "gelu/Support/Json.h"
#include "gelu/Support/Output.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <sched.h>

using namespace gelu;
using namespace gelu::bench;

namespace {

/// What runs in a group: gelu-jit's fused kernel, its parts, or an anchor.
enum class Kind { Fused, Parts, Anchor };

struct Row {
  std::string group;
  std::string name;
  Kind kind;
  TrainingRun run;
  std::map<int64_t, double> nsPerElement;
  /// Backward groups: the error of dx/dy against GELU' by region.
  std::optional<std::array<ErrorMaxima, kReportRegions>> error;
};

const char *kindName(Kind k) {
  return k == Kind::Fused ? "fused" : k == Kind::Parts ? "parts" : "anchor";
}

std::shared_ptr<Kernel> compile(const std::string &json) {
  auto kernel = compileKernelFromJson(json);
  if (!kernel) {
    llvm::errs() << "gelu-train-bench: " << json << ": "
                 << llvm::toString(kernel.takeError()) << "\n";
    std::exit(1);
  }
  return std::shared_ptr<Kernel>(std::move(*kernel));
}

constexpr int64_t kCols = 1024;

/// " (rational degree 6)": what the tuner chose for a budget.
std::string chosen(const Kernel &k) {
  const KernelSpec &spec = k.spec();
  std::string s = " (";
  s += spec.expansion ? act::stringifyExpansion(*spec.expansion).str()
                      : std::string("default");
  if (spec.degree)
    s += " degree " + std::to_string(*spec.degree);
  return s + ")";
}

std::vector<Row> makeRows(OneDnnTraining &dnn) {
  std::vector<Row> rows;
  auto add = [&](std::string group, std::string name, Kind kind,
                 TrainingRun run) {
    rows.push_back({std::move(group),
                    std::move(name),
                    kind,
                    std::move(run),
                    {},
                    std::nullopt});
  };
  auto binary = [](std::shared_ptr<Kernel> k) {
    return [k](const TrainingBuffers &b) {
      k->binary<float>()(b.x, b.y, b.out, b.size());
    };
  };

  for (bool tanh : {false, true}) {
    std::string form = tanh ? R"(, "approximate": "tanh")" : "";
    std::string group = tanh ? "gelu_backward (tanh)" : "gelu_backward (exact)";
    add(group, "gelu-jit gelu_backward (piecewise_tail)", Kind::Fused,
        binary(compile(R"({"op": "gelu_backward")" + form + "}")));
    // The closed form that was the default before piecewise_tail.
    add(group,
        std::string("gelu-jit gelu_backward, ") + (tanh ? "sigmoid" : "erfc"),
        Kind::Fused,
        binary(compile(R"({"op": "gelu_backward")" + form +
                       (tanh ? R"(, "expansion": "sigmoid"})"
                             : R"(, "expansion": "erfc"})"))));
    add(group,
        std::string("gelu-jit gelu_backward, ") +
            (tanh ? "sigmoid_fast" : "erfc_fast"),
        Kind::Fused,
        binary(compile(R"({"op": "gelu_backward")" + form +
                       (tanh ? R"(, "expansion": "sigmoid_fast"})"
                             : R"(, "expansion": "erfc_fast"})"))));
    // At oneDNN's absolute accuracy (2.8e-7 here): the direct rational fit
    // of GELU' the tuner picks for this budget.
    if (!tanh) {
      auto k =
          compile(R"({"op": "gelu_backward", "budget": {"max_abs": 1e-6}})");
      add(group, "gelu-jit gelu_backward, max_abs 1e-6" + chosen(*k),
          Kind::Fused, binary(k));
      // GELU'(x) correctly rounded (docs/accuracy.md), times dy.
      add(group, "gelu-jit gelu_backward, correctly_rounded", Kind::Fused,
          binary(compile(R"({"op": "gelu_backward", )"
                         R"("expansion": "correctly_rounded"})")));
    }
    add(group,
        std::string("oneDNN 2.6 eltwise_backward ") +
            (tanh ? "gelu_tanh" : "gelu_erf"),
        Kind::Anchor,
        [&dnn, tanh](const TrainingBuffers &b) { dnn.geluBackward(b, tanh); });
  }

  auto gelu = compile(R"({"op": "gelu", "streaming_stores": "never"})");
  auto biasGelu = compile(R"({"op": "bias_gelu"})");
  add("bias_gelu (exact)", "gelu-jit bias_gelu", Kind::Fused,
      [biasGelu](const TrainingBuffers &b) {
        biasGelu->bias<float>()(b.x, b.bias, b.out, b.rows, b.cols);
      });
  auto biasGeluFast =
      compile(R"({"op": "bias_gelu", "budget": {"max_abs": 2e-6}})");
  add("bias_gelu (exact)",
      "gelu-jit bias_gelu, max_abs 2e-6" + chosen(*biasGeluFast), Kind::Fused,
      [biasGeluFast](const TrainingBuffers &b) {
        biasGeluFast->bias<float>()(b.x, b.bias, b.out, b.rows, b.cols);
      });
  add("bias_gelu (exact)", "bias add, then gelu-jit gelu", Kind::Parts,
      [gelu](const TrainingBuffers &b) {
        addBias(b.x, b.bias, b.out, b.rows, b.cols);
        gelu->f32()(b.out, b.out, b.size());
      });
  add("bias_gelu (exact)", "oneDNN 2.6 binary add + gelu_erf post-op",
      Kind::Anchor, [&dnn](const TrainingBuffers &b) { dnn.biasGelu(b); });

  auto backward = compile(R"({"op": "gelu_backward"})");
  auto biasBackward = compile(R"({"op": "bias_gelu_backward"})");
  add("bias_gelu_backward (exact)", "gelu-jit bias_gelu_backward", Kind::Fused,
      [biasBackward](const TrainingBuffers &b) {
        biasBackward->biasBackward<float>()(b.x, b.bias, b.y, b.out, b.dbias,
                                            b.rows, b.cols);
      });
  auto biasBackwardFast =
      compile(R"({"op": "bias_gelu_backward", "budget": {"max_abs": 1e-6}})");
  add("bias_gelu_backward (exact)",
      "gelu-jit bias_gelu_backward, max_abs 1e-6" + chosen(*biasBackwardFast),
      Kind::Fused, [biasBackwardFast](const TrainingBuffers &b) {
        biasBackwardFast->biasBackward<float>()(b.x, b.bias, b.y, b.out,
                                                b.dbias, b.rows, b.cols);
      });
  add("bias_gelu_backward (exact)",
      "bias add, gelu-jit gelu_backward, column sum", Kind::Parts,
      [backward](const TrainingBuffers &b) {
        addBias(b.x, b.bias, b.out, b.rows, b.cols);
        backward->binary<float>()(b.out, b.y, b.out, b.size());
        columnSums(b.out, b.dbias, b.rows, b.cols);
      });
  add("bias_gelu_backward (exact)",
      "oneDNN 2.6 binary add, eltwise_backward, reduction", Kind::Anchor,
      [&dnn](const TrainingBuffers &b) { dnn.biasGeluBackward(b); });

  for (bool silu : {false, true}) {
    std::string op = silu ? "swiglu" : "geglu";
    std::string group = silu ? "swiglu" : "geglu (exact)";
    auto activation =
        compile(std::string(R"({"op": ")") + (silu ? "silu" : "gelu") +
                R"(", "streaming_stores": "never"})");
    add(group, "gelu-jit " + op, Kind::Fused,
        binary(compile(R"({"op": ")" + op + "\"}")));
    add(group,
        std::string("gelu-jit ") + (silu ? "silu" : "gelu") + ", then product",
        Kind::Parts, [activation](const TrainingBuffers &b) {
          activation->f32()(b.x, b.out, b.size());
          multiplyInPlace(b.out, b.y, b.size());
        });
    add(group,
        std::string("oneDNN 2.6 eltwise ") + (silu ? "swish" : "gelu_erf") +
            " + binary mul",
        Kind::Anchor,
        [&dnn, silu](const TrainingBuffers &b) { dnn.gated(b, silu); });
  }
  return rows;
}

/// The backward rows' error on every 4096th f32 and a fine grid of
/// [−20, 20], dy = 1.
void measureBackwardErrors(std::vector<Row> &rows) {
  std::vector<float> x = accuracySample(kCols);
  std::vector<float> ones(x.size(), 1.0f), out(x.size());
  TrainingBuffers b{x.data(), ones.data(),
                    nullptr,  out.data(),
                    nullptr,  static_cast<int64_t>(x.size()) / kCols,
                    kCols};
  for (Row &row : rows) {
    if (row.group.rfind("gelu_backward", 0) != 0)
      continue;
    ReferenceFunction f = row.group.find("tanh") != std::string::npos
                              ? ReferenceFunction::GeluTanhDerivative
                              : ReferenceFunction::GeluExactDerivative;
    row.run(b);
    std::array<ErrorMaxima, kReportRegions> regions;
    for (size_t i = 0; i < x.size(); ++i)
      addToRegions(regions.data(), x[i], out[i], evaluateReference(f, x[i]),
                   FloatFormat::f32(), errorScale(f, x[i]));
    row.error = regions;
  }
}

/// The median over `rounds` of each row's time per element (rows of a
/// group interleaved, so that slow phases of the machine spread over all).
void timeRows(std::vector<Row> &rows, int64_t n, unsigned rounds,
              double roundSeconds, const TrainingBuffers &b) {
  using Clock = std::chrono::steady_clock;
  std::vector<int64_t> repeats(rows.size(), 1);
  std::vector<std::vector<double>> samples(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    rows[r].run(b); // warm up (oneDNN makes its primitive here)
    auto start = Clock::now();
    rows[r].run(b);
    double once = std::chrono::duration<double>(Clock::now() - start).count();
    repeats[r] = std::max<int64_t>(1, int64_t(roundSeconds / once));
  }
  for (unsigned round = 0; round < rounds; ++round)
    for (size_t r = 0; r < rows.size(); ++r) {
      auto start = Clock::now();
      for (int64_t k = 0; k < repeats[r]; ++k)
        rows[r].run(b);
      double seconds =
          std::chrono::duration<double>(Clock::now() - start).count();
      samples[r].push_back(seconds * 1e9 / double(repeats[r] * n));
    }
  for (size_t r = 0; r < rows.size(); ++r) {
    std::sort(samples[r].begin(), samples[r].end());
    rows[r].nsPerElement[n] = samples[r][samples[r].size() / 2];
  }
}

/// PyTorch rows from bench/torch-training.py's JSON:
/// {"torch": "1.13.1", "results": [{"group", "name", "sizes": {"4096": ns}}]}.
void readTorchRows(const std::string &path, std::vector<Row> &rows,
                   std::string &version) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    llvm::errs() << "gelu-train-bench: cannot read " << path << "\n";
    std::exit(1);
  }
  auto fail = [&](const std::string &why) {
    llvm::errs() << "gelu-train-bench: " << path << ": " << why << "\n";
    std::exit(1);
  };
  auto json = gelu::parseJson((*buffer)->getBuffer());
  if (!json)
    fail(llvm::toString(json.takeError()));
  auto string = [&](const gelu::Json &o, const char *key) {
    auto it = o.find(key);
    if (it == o.end() || !it->is_string())
      fail(std::string("'") + key + "' is not a string");
    return it->get<std::string>();
  };
  const gelu::Json &root = *json;
  if (!root.is_object() || !root.contains("results") ||
      !root["results"].is_array())
    fail("expected {\"torch\": VERSION, \"results\": [...]}");
  if (root.contains("torch"))
    version = string(root, "torch");
  for (const gelu::Json &o : root["results"]) {
    if (!o.is_object() || !o.contains("sizes") || !o["sizes"].is_object())
      fail("a result is not {\"group\", \"name\", \"sizes\": {...}}");
    Row row{string(o, "group"), string(o, "name"), Kind::Anchor, nullptr, {},
            std::nullopt};
    for (const auto &[key, value] : o["sizes"].items()) {
      long long n = 0;
      if (!value.is_number() || llvm::StringRef(key).getAsInteger(10, n))
        fail("size '" + key + "' is not a length with a number of ns");
      row.nsPerElement[n] = value.get<double>();
    }
    rows.push_back(std::move(row));
  }
}

std::string sizeName(int64_t n) {
  return n >= (1 << 20) ? std::to_string(n >> 20) + "M"
                        : std::to_string(n >> 10) + "K";
}

} // namespace

int main(int argc, char **argv) {
  bool quick = false;
  std::string jsonPath, torchPath;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0)
      quick = true;
    else if (std::strncmp(argv[i], "--json=", 7) == 0)
      jsonPath = argv[i] + 7;
    else if (std::strncmp(argv[i], "--torch=", 8) == 0)
      torchPath = argv[i] + 8;
    else {
      llvm::errs() << "usage: gelu-train-bench [--quick] [--json=FILE] "
                      "[--torch=FILE]\n";
      return 1;
    }
  }
  (void)ThreadPool::global();
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(0, &cpus);
  if (sched_setaffinity(0, sizeof cpus, &cpus) != 0)
    llvm::errs() << "gelu-train-bench: could not pin to CPU 0\n";

  OneDnnTraining dnn;
  std::vector<Row> rows = makeRows(dnn);
  llvm::outs() << "measuring the backward kernels' error ...\n";
  measureBackwardErrors(rows);

  std::vector<int64_t> sizes = {4096, 262144};
  if (!quick)
    sizes.push_back(int64_t(64) << 20);
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> values(-6.0f, 6.0f);
  for (int64_t n : sizes) {
    AlignedBuffer x(n), y(n), out(n), bias(kCols), dbias(kCols);
    for (int64_t i = 0; i < n; ++i) {
      x.data[i] = values(rng);
      y.data[i] = values(rng) / 6.0f;
    }
    for (int64_t c = 0; c < kCols; ++c)
      bias.data[c] = values(rng) / 6.0f;
    TrainingBuffers b{x.data,     y.data,    bias.data, out.data,
                      dbias.data, n / kCols, kCols};
    llvm::outs() << "timing " << sizeName(n) << " elements ...\n";
    llvm::outs().flush();
    timeRows(rows, n, quick ? 3 : 7,
             quick ? 2e-3 : (n > (1 << 22) ? 0.3 : 0.02), b);
  }
  std::string torchVersion;
  if (!torchPath.empty())
    readTorchRows(torchPath, rows, torchVersion);

  // Each row against its group's first fused kernel (gelu-jit's default).
  auto fusedTime = [&](const std::string &group, int64_t n) {
    for (const Row &r : rows)
      if (r.group == group && r.kind == Kind::Fused && r.nsPerElement.count(n))
        return r.nsPerElement.at(n);
    return std::nan("");
  };
  llvm::raw_ostream &os = llvm::outs();
  os << "\n== ns/element, one thread; in brackets: time / gelu-jit's fused "
        "kernel (its default expansion)\n";
  std::string group;
  for (const Row &r : rows) {
    if (r.group != group) {
      group = r.group;
      os << "-- " << group << "\n";
    }
    os << llvm::format("  %-52s", r.name.c_str());
    for (int64_t n : sizes) {
      if (!r.nsPerElement.count(n))
        continue;
      double t = r.nsPerElement.at(n);
      os << llvm::format(" | %4s %7.3f [%5.2fx]", sizeName(n).c_str(), t,
                         t / fusedTime(r.group, n));
    }
    os << "\n";
  }
  os << "\n== backward kernels' max ULP error (dy = 1; counted against "
        "max(|f'|, gate)), every 4096th f32 and a grid of [-20, 20]\n";
  for (const Row &r : rows)
    if (r.error) {
      os << llvm::format("  %-52s", r.name.c_str());
      for (int i = 0; i < kReportRegions; ++i)
        os << llvm::format("  %s %-9.3g", kRegionNames[i],
                           (*r.error)[i].maxUlp);
      os << llvm::format("  max abs %.2g\n", (*r.error)[kOverallRegion].maxAbs);
    }

  if (!jsonPath.empty()) {
    // Built in memory, then written whole (a full disk is an error).
    gelu::OrderedJson results = gelu::OrderedJson::array();
    for (const Row &r : rows) {
      gelu::OrderedJson result = {
          {"group", r.group}, {"name", r.name}, {"kind", kindName(r.kind)}};
      if (r.error) {
        // (JSON has no inf: 1e38 stands for a NaN or inf result.)
        gelu::OrderedJson maxUlp = gelu::OrderedJson::object();
        for (int i = 0; i < kReportRegions; ++i) {
          double u = (*r.error)[i].maxUlp;
          maxUlp[kRegionKeys[i]] = std::isfinite(u) ? u : 1e38;
        }
        result["max_ulp"] = std::move(maxUlp);
      }
      gelu::OrderedJson sizes = gelu::OrderedJson::array();
      for (const auto &[n, t] : r.nsPerElement)
        sizes.push_back({{"n", n},
                         {"ns_per_element", t},
                         {"ratio_to_fused", t / fusedTime(r.group, n)}});
      result["sizes"] = std::move(sizes);
      results.push_back(std::move(result));
    }
    gelu::OrderedJson report = {{"cols", kCols}};
    if (!torchVersion.empty())
      report["torch"] = torchVersion;
    report["results"] = std::move(results);
    std::string text = gelu::dumpJson(report, 2) + "\n";
    if (llvm::Error err = gelu::writeOutputFile(jsonPath, text)) {
      llvm::errs() << "gelu-train-bench: " << llvm::toString(std::move(err))
                   << "\n";
      return 1;
    }
    os << "wrote " << jsonPath << "\n";
  }
  return 0;
}
