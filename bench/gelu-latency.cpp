//===- gelu-latency.cpp - How long compiles, lookups and tunings take ----===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The latencies the README quotes, measured in one process and written
// with the CPU and the load they were taken under (scripts/latency-report.sh
// writes docs/generated/jit-latency.md from it): the first and later cold
// JIT compiles, a KernelCache hit through the KernelSpec and the JSON-string
// get, a first tuning of a budget, and the same budget from the tuning
// cache. Medians of repeated runs; the minimum and maximum show the spread.
// No anchors, so it builds wherever gelu-jit does (unlike gelu-bench).
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Jit.h"
#include "gelu/JIT/KernelCache.h"
#include "gelu/JIT/Tuner.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using namespace gelu;
using namespace llvm;

namespace {

cl::opt<bool> quick("quick", cl::desc("fewer repetitions (a smoke run)"));

/// A measurement: the median and spread of repeated runs, in seconds.
struct Latency {
  const char *what;
  double median, min, max;
  int runs;
};

/// Runs `once` `runs` times (it returns its own time in seconds, or a
/// negative value on failure) and summarises.
std::optional<Latency> measure(const char *what, int runs,
                               const std::function<double(int)> &once) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    double t = once(i);
    if (t < 0)
      return std::nullopt;
    times.push_back(t);
  }
  std::sort(times.begin(), times.end());
  return Latency{what, times[times.size() / 2], times.front(), times.back(),
                 runs};
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// Fails the run with `err`'s message.
double failed(Error err) {
  WithColor::error(errs(), "gelu-latency") << toString(std::move(err)) << "\n";
  return -1;
}

/// The first "model name" of /proc/cpuinfo.
std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0)
      return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

/// The 1-minute load average.
std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "unknown" : one;
}

std::string formatSeconds(double s) {
  char text[32];
  if (s < 1e-3)
    std::snprintf(text, sizeof text, "%.2f µs", s * 1e6);
  else if (s < 1)
    std::snprintf(text, sizeof text, "%.1f ms", s * 1e3);
  else
    std::snprintf(text, sizeof text, "%.2f s", s);
  return text;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "gelu-latency: how long a JIT compile, a kernel-cache hit and a "
      "tuning take on this machine, as a markdown table\n");
  const int compiles = quick ? 2 : 7, lookups = quick ? 100 : 2000,
            tunings = quick ? 1 : 3;
  const std::string loadBefore = loadAverage();

  // A tuning cache of this run's own, so that the first tuning is a first.
  SmallString<128> dir;
  if (std::error_code ec = sys::fs::createUniqueDirectory("gelu-latency", dir))
    return failed(createStringError(ec, "cannot make a temporary directory")),
           1;
  auto cacheFile = [&](int i) {
    return (dir + "/tuning-" + Twine(i) + ".json").str();
  };

  std::vector<std::optional<Latency>> rows;
  // The process's first compile also starts LLVM's targets and the
  // thread's MLIR context.
  rows.push_back(measure(
      "first JIT compile in the process (compileKernelFromJson)", 1, [](int) {
        auto start = std::chrono::steady_clock::now();
        auto kernel = compileKernelFromJson(R"({"name": "first"})");
        double t = secondsSince(start);
        return kernel ? t : failed(kernel.takeError());
      }));
  rows.push_back(measure(
      "later cold JIT compiles of the default spec (a new name each)", compiles,
      [](int i) {
        std::string json = R"({"name": "cold_)" + std::to_string(i) + R"("})";
        auto start = std::chrono::steady_clock::now();
        auto kernel = compileKernelFromJson(json);
        double t = secondsSince(start);
        return kernel ? t : failed(kernel.takeError());
      }));

  KernelCache &cache = KernelCache::global();
  const char *cachedJson = R"({"name": "cached"})";
  auto cachedSpec = parseSpec(cachedJson);
  if (!cachedSpec)
    return failed(cachedSpec.takeError()), 1;
  if (auto first = cache.get(*cachedSpec); !first)
    return failed(first.takeError()), 1;
  rows.push_back(
      measure("kernel-cache hit, get(KernelSpec)", lookups, [&](int) {
        auto start = std::chrono::steady_clock::now();
        auto kernel = cache.get(*cachedSpec);
        double t = secondsSince(start);
        return kernel ? t : failed(kernel.takeError());
      }));
  rows.push_back(measure("kernel-cache hit, get(JSON string): parses the spec",
                         lookups, [&](int) {
                           auto start = std::chrono::steady_clock::now();
                           auto kernel = cache.get(cachedJson);
                           double t = secondsSince(start);
                           return kernel ? t : failed(kernel.takeError());
                         }));

  // Tunes max_abs 1e-4 with the tuning cache `path` and compiles the
  // winner for use (a tuning that missed the cache has compiled it once);
  // `mustHit`: the decision must come from the cache.
  const char *budgeted = R"({"name": "tuned", "budget": {"max_abs": 1e-4}})";
  auto tuneAndCompile = [&](const std::string &path, bool mustHit) {
    TuneOptions options;
    options.cachePath = path;
    auto spec = parseSpec(budgeted);
    if (!spec)
      return failed(spec.takeError());
    auto start = std::chrono::steady_clock::now();
    auto tuned = tuneSpec(*spec, options);
    if (!tuned)
      return failed(tuned.takeError());
    if (mustHit && tuned->report.cacheStatus != "hit")
      return failed(createStringError("the tuning cache did not hit: " +
                                      tuned->report.cacheStatus));
    auto kernel =
        tuned->kernel
            ? Expected<std::unique_ptr<Kernel>>(std::move(tuned->kernel))
            : compileKernel(tuned->report.chosen);
    double t = secondsSince(start);
    return kernel ? t : failed(kernel.takeError());
  };
  rows.push_back(measure(
      "first tuning and compile of max_abs 1e-4 (an empty tuning cache)",
      tunings, [&](int i) { return tuneAndCompile(cacheFile(i), false); }));
  rows.push_back(
      measure("the same from the tuning cache: lookup and compile", compiles,
              [&](int) { return tuneAndCompile(cacheFile(0), true); }));
  sys::fs::remove_directories(dir);

  for (const auto &row : rows)
    if (!row)
      return 1;
  outs() << "Measured by `gelu-latency` on " << cpuModel() << ", "
         << std::thread::hardware_concurrency()
         << " hardware threads; 1-minute load average " << loadBefore
         << " before, " << loadAverage() << " after.\n\n"
         << "| what | median | min – max | runs |\n|---|---|---|---|\n";
  for (const auto &row : rows)
    outs() << "| " << row->what << " | " << formatSeconds(row->median) << " | "
           << formatSeconds(row->min) << " – " << formatSeconds(row->max)
           << " | " << row->runs << " |\n";
  return 0;
}
