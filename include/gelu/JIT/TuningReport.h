//===- TuningReport.h - What the compiler decided, and why ------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The tuner's record of a decision: the candidates it considered, what
// each measured, which won and why; also what the tuning cache keeps and
// what `gelu-opt --report` writes (docs/spec.md describes the JSON).
//
//===----------------------------------------------------------------------===//

#ifndef GELU_JIT_TUNINGREPORT_H
#define GELU_JIT_TUNINGREPORT_H

#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/JIT/Measurement.h"
#include "gelu/Spec/Spec.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace gelu {

/// One candidate of a tuning: an expansion at a degree in a code shape.
struct TuningCandidate {
  act::Expansion expansion;
  unsigned degree = 0; ///< 0: the expansion's degree is fixed
  unsigned unroll = 1;
  unsigned vectorBits = 0;
  unsigned cost = 0; ///< the cost model's operations per vector
  /// Measured error by region; absent when it was not measured.
  std::optional<RegionErrors> error;
  bool fits = false;
  /// Measured time per element (one thread, L1-resident data); absent when
  /// not timed.
  std::optional<double> nsPerElement;
  bool chosen = false;
  /// Why it lost, or why it was chosen.
  std::string verdict;
};

/// What the compiler decided for a spec, and why.
struct TuningReport {
  KernelSpec requested;
  /// The spec compiled: the requested one with the expansion, degree,
  /// unroll and vector width fixed, without budget and objective.
  KernelSpec chosen;
  /// Whether a choice was made (budget or objective); false when the spec
  /// named everything or asked for the accurate default.
  bool tuned = false;
  /// The chosen kernel's error on the budget's sample (every finite input
  /// without a budget), by region.
  std::optional<RegionErrors> error;
  std::optional<double> nsPerElement;
  /// "measured" (timed on this CPU) or "estimated" (the cost model).
  std::string speedSource = "measured";
  /// Where the error was measured: "target" or, for targets this CPU cannot
  /// run, "host code of the same expansion" (the same arithmetic, except
  /// that reciprocal estimates differ in precision between ISAs).
  std::string errorSource = "target";
  unsigned cost = 0;
  std::vector<TuningCandidate> candidates;
  /// "hit", "miss", "stale", "rebuilt" (a corrupt file), "disabled" or
  /// "not used" (nothing to tune).
  std::string cacheStatus = "not used";
  std::string cachePath;
  /// A problem with the cache that was worked around (empty when none).
  std::string cacheWarning;
  std::string cpu;
  double tuningSeconds = 0;
  /// Why no kernel was built (a budget nothing meets, ...); empty when one
  /// was. A failed tuning still has its report (TuningFailure).
  std::string failure;

  /// The report as JSON (docs/spec.md describes its fields).
  std::string toJson() const;
  /// Reads what toJson wrote (the tuning cache's entries), checking every
  /// field; the error names the first bad one.
  static llvm::Expected<TuningReport> fromJson(llvm::StringRef json);
};

} // namespace gelu

#endif // GELU_JIT_TUNINGREPORT_H
