//===- Tuner.h - Choose how to compute a spec, by measuring -----*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// A spec with an error budget (or the objective "most_accurate") names what
// must hold, not how to compute it. The tuner
//  1. enumerates the candidates: every expansion of the op at each of its
//     degrees (or only those the spec names);
//  2. measures each one's error on the budget's sample (Measurement.h) and
//     drops those that break the budget; for "fastest", candidates the cost
//     model puts above kCostWindow times the cheapest fitting one are not
//     measured at all;
//  3. times the rest on this CPU (timeKernels, interleaved), then again
//     with the other code shapes (unroll 1 and 2, 256- besides 512-bit
//     vectors) of those within kShapeWindow of the fastest — or, where the
//     target cannot run here or the spec asks for "ranking": "cost_model",
//     ranks them by the cost model;
//  4. keeps the fastest (or the most accurate within the time budget), and
//     records the decision in the persistent tuning cache (TuningCache.h),
//     so the next compile of the spec on this CPU reuses it.
// Every step is written down in a TuningReport.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_JIT_TUNER_H
#define GELU_JIT_TUNER_H

#include "gelu/JIT/Measurement.h"
#include "gelu/JIT/TuningReport.h"

#include <optional>
#include <string>
#include <vector>

namespace gelu {

/// Candidates the cost model puts above this multiple of the cheapest one
/// that fits are neither measured nor timed: on this machine's kernels the
/// measured times never reversed an order of costs this far apart.
constexpr double kCostWindow = 1.6;

/// Code shapes (unroll, vector width) are tried only for candidates whose
/// first shape times within this multiple of the fastest one.
constexpr double kShapeWindow = 1.1;

/// Where the tuner keeps its decisions. Defaults: $GELU_JIT_TUNING_CACHE
/// (a file; "off" disables the cache), else
/// $XDG_CACHE_HOME/gelu-jit/tuning.json, else ~/.cache/gelu-jit/tuning.json.
struct TuneOptions {
  std::optional<std::string> cachePath;
  /// Report a corrupt or unwritable cache on stderr (besides the report).
  bool warnOnStderr = true;
};

/// The cache file the options name ("" when disabled).
std::string tuningCachePath(const TuneOptions &options);

/// A tuned spec: the report, and the winning kernel when the tuner compiled
/// it for this CPU (null on a cache hit or for targets that cannot run).
struct TuningResult {
  TuningReport report;
  std::unique_ptr<Kernel> kernel;
};

/// A tuning that built no kernel: its message, and the report of what was
/// tried (report().failure is the message), which gelu-opt --report still
/// writes.
class TuningFailure : public llvm::ErrorInfo<TuningFailure, SpecFieldError> {
public:
  static char ID;
  /// `path`: the spec field that could not be met ("/budget"; empty when
  /// a candidate failed to build); report.failure says why.
  TuningFailure(TuningReport report, std::string path)
      : ErrorInfo(std::move(path), report.failure), failed(std::move(report)) {}
  const TuningReport &report() const { return failed; }

private:
  TuningReport failed;
};

/// Tunes `spec` (which needsTuning). Fails, naming the best candidate and
/// its error, when no candidate meets the budget, or the fastest when none
/// meets the time budget: a TuningFailure once candidates were tried.
llvm::Expected<TuningResult> tuneSpec(const KernelSpec &spec,
                                      const TuneOptions &options = {});

/// The report of a spec that needs no tuning, for `kernel` compiled from
/// it: its error on every finite input's sample and its time, measured
/// (when it runs here).
TuningReport describeUntuned(const KernelSpec &spec, const Kernel *kernel);

} // namespace gelu

#endif // GELU_JIT_TUNER_H
