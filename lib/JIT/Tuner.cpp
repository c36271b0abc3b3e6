//===- Tuner.cpp - Choose how to compute a spec, by measuring ------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Tuner.h"

#include "gelu/Codegen/CostModel.h"
#include "gelu/Codegen/Target.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/ThreadPool.h"
#include "gelu/JIT/TuningCache.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace gelu {

std::string tuningCachePath(const TuneOptions &options) {
  auto disabledOr = [](const std::string &path) {
    return path == "off" ? std::string() : path;
  };
  if (options.cachePath)
    return disabledOr(*options.cachePath);
  if (auto path = llvm::sys::Process::GetEnv("GELU_JIT_TUNING_CACHE"))
    return disabledOr(*path);
  if (auto xdg = llvm::sys::Process::GetEnv("XDG_CACHE_HOME");
      xdg && !xdg->empty())
    return *xdg + "/gelu-jit/tuning.json";
  if (auto home = llvm::sys::Process::GetEnv("HOME"); home && !home->empty())
    return *home + "/.cache/gelu-jit/tuning.json";
  return "";
}

static double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// The spec of one candidate: `spec` with everything fixed and nothing left
/// to tune.
static KernelSpec candidateSpec(const KernelSpec &spec,
                                const TuningCandidate &c) {
  KernelSpec out = spec;
  out.budget.reset();
  out.objective = Objective::Fastest;
  out.maxNsPerElement.reset();
  out.ranking = Ranking::Measured;
  out.timingInputs.reset();
  out.expansion = c.expansion;
  out.degree = c.degree ? std::optional<unsigned>(c.degree) : std::nullopt;
  out.unroll = c.unroll;
  out.vectorBits = c.vectorBits;
  return out;
}

/// errorSource of a hardware form's report: its errors are bounds.
static constexpr const char *kHardwareBoundSource =
    "bound from NVIDIA's documented maximum errors (estimated: not "
    "measured on a device)";

static std::string describeCandidate(const TuningCandidate &c) {
  std::string out = act::stringifyExpansion(c.expansion).str();
  if (c.degree)
    out += " degree " + std::to_string(c.degree);
  return out +
         llvm::formatv(" (unroll {0}, {1}-bit)", c.unroll, c.vectorBits).str();
}

/// How far `error` is from `budget` (budgetRatio); without a budget, its
/// maximum ULP error. Lower is more accurate.
static double accuracyScore(const ErrorMaxima &error,
                            const std::optional<ErrorBudget> &budget,
                            DType dtype) {
  return budget ? budgetRatio(error, *budget, dtype) : error.maxUlp;
}

/// Whether `a` is more accurate than `b`: the lower score, and at equal
/// scores (a 16-bit type's rounding can make every candidate's absolute
/// error the same) the fewer ULPs.
static bool moreAccurate(const ErrorMaxima &a, const ErrorMaxima &b,
                         const std::optional<ErrorBudget> &budget,
                         DType dtype) {
  double scoreA = accuracyScore(a, budget, dtype),
         scoreB = accuracyScore(b, budget, dtype);
  return scoreA < scoreB || (scoreA == scoreB && a.maxUlp < b.maxUlp);
}

static const ErrorMaxima &overall(const TuningCandidate &c) {
  return (*c.error)[kOverallRegion];
}

TuningReport describeUntuned(const KernelSpec &spec, const Kernel *kernel) {
  TuningReport report;
  report.requested = spec;
  report.chosen = spec;
  ReferenceFunction meaning = spec.referenceFunction();
  TuningCandidate c;
  c.expansion = spec.effectiveExpansion();
  c.degree = spec.degree.value_or(
      defaultDegreeOf(meaning, c.expansion, spec.dtype == DType::F64));
  c.unroll = spec.unroll ? spec.unroll : 1;
  c.cost =
      expansionCost(meaning, c.expansion, c.degree, spec.dtype == DType::F64);
  c.chosen = true;
  c.fits = true;
  c.verdict = spec.expansion ? "named by the spec"
                             : "the op's accurate default (no budget)";
  report.chosen.expansion = c.expansion;
  if (c.degree)
    report.chosen.degree = c.degree;
  report.cost = c.cost;
  report.cpu = llvm::sys::getHostCPUName().str();
  if (auto target = resolveTarget(spec.target))
    c.vectorBits = spec.vectorBits ? spec.vectorBits : target->vectorBits;
  else
    llvm::consumeError(target.takeError());
  if (usesHardwareApproximations(c.expansion)) {
    c.error = boundHardwareForm(meaning, c.expansion,
                                sampleBudget(meaning, spec.dtype, {}));
    report.error = c.error;
    report.speedSource = "estimated (cost model)";
    report.errorSource = kHardwareBoundSource;
  } else if (kernel) {
    c.error = measureKernel(*kernel, sampleBudget(meaning, spec.dtype, {}));
    c.nsPerElement = timeKernels({kernel}).front();
    report.error = c.error;
    report.nsPerElement = c.nsPerElement;
  } else {
    report.speedSource = "estimated (cost model)";
    report.errorSource = "not measured (the target does not run here)";
  }
  report.candidates.push_back(c);
  return report;
}

namespace {
/// One tuning, step by step.
class Tuning {
public:
  Tuning(const KernelSpec &spec, const TargetInfo &target)
      : spec(spec), meaning(spec.referenceFunction()),
        runsHere(target.missingHostFeature.empty()),
        timed(runsHere && spec.ranking == Ranking::Measured),
        targetBits(target.vectorBits) {}

  llvm::Error run(TuningResult &result);

private:
  llvm::Error measureErrors();
  void measure(TuningCandidate &c, const Kernel &kernel,
               llvm::StringRef where = "");
  void judge(TuningCandidate &c, llvm::StringRef where);
  llvm::Error addShapes();
  void rankBySpeed();
  llvm::Error choose(TuningReport &report);
  llvm::Error noCandidateFits() const;

  const KernelSpec &spec;
  ReferenceFunction meaning;
  bool runsHere, timed;
  unsigned targetBits;
  std::vector<TuningCandidate> candidates;
  /// Parallel to candidates: the compiled kernel when it runs here.
  std::vector<std::unique_ptr<Kernel>> kernels;
  /// The budget's inputs and their reference values.
  BudgetSample sample;
  std::optional<size_t> winner;
};
} // namespace

llvm::Error Tuning::measureErrors() {
  // Every expansion of the op (or the named one) at each of its degrees (or
  // the named one), cheapest first by the cost model.
  llvm::SmallVector<act::Expansion> expansions;
  if (spec.expansion)
    expansions.push_back(*spec.expansion);
  else
    llvm::append_range(expansions, spec.acceptedExpansions());
  // The spec refuses these for 16-bit kernels, and so does the search.
  if (spec.dtype != DType::F32)
    llvm::erase_if(expansions, roundsF32Only);
  if (spec.budget && needsCorrectRounding(*spec.budget, spec.dtype)) {
    llvm::erase_if(expansions, [&](act::Expansion e) {
      return !promisesCorrectRounding(meaning, e);
    });
    if (expansions.empty())
      return llvm::make_error<SpecFieldError>(
          "/budget",
          (describeBudget(*spec.budget) +
           " on f32 asks for correctly rounded results, and " +
           (spec.expansion ? "'" + act::stringifyExpansion(*spec.expansion) +
                                 "' does not promise them"
                           : "no expansion of " +
                                 stringifyReferenceFunction(meaning).str() +
                                 " promises them") +
           " (docs/accuracy.md lists the correctly rounded kernels); a "
           "max_ulp of 1 or more is met by the accurate defaults")
              .str());
  }
  const bool f64 = spec.dtype == DType::F64;
  for (act::Expansion e : expansions) {
    llvm::ArrayRef<unsigned> fitted = degreesOf(meaning, e, f64);
    llvm::SmallVector<unsigned> degrees(fitted);
    if (spec.degree)
      degrees.assign({*spec.degree});
    // piecewise_tail's own table (degree 0) is a candidate beside its
    // degrees; on bf16 the only one: its bf16 table (degree 4,
    // bf16PiecewiseTailDegree) is already the cheapest whose bf16 results
    // are all correctly rounded.
    else if (e == act::Expansion::piecewise_tail && spec.dtype == DType::BF16)
      degrees.assign({0});
    else if (degrees.empty() || e == act::Expansion::piecewise_tail)
      degrees.push_back(0);
    for (unsigned degree : degrees) {
      if (degree && !llvm::is_contained(fitted, degree))
        continue;
      TuningCandidate c;
      c.expansion = e;
      c.degree = degree;
      c.unroll = spec.unroll ? spec.unroll : 1;
      c.vectorBits = spec.vectorBits ? spec.vectorBits : targetBits;
      c.cost = expansionCost(meaning, e, degree, f64);
      candidates.push_back(c);
    }
  }
  // By cost, ties in catalog order (std::sort on the pair: libstdc++'s
  // std::stable_sort uses get_temporary_buffer, deprecated for clang-22).
  std::vector<std::pair<unsigned, size_t>> order;
  for (size_t i = 0; i < candidates.size(); ++i)
    order.push_back({candidates[i].cost, i});
  std::sort(order.begin(), order.end());
  std::vector<TuningCandidate> sorted;
  for (auto [cost, i] : order)
    sorted.push_back(std::move(candidates[i]));
  candidates = std::move(sorted);

  sample =
      sampleBudget(meaning, spec.dtype, spec.budget.value_or(ErrorBudget{}));
  // Compiled and measured a batch at a time, one candidate a core: the
  // cost window is applied between batches.
  std::optional<unsigned> cheapestFit;
  kernels.resize(candidates.size());
  ThreadPool &pool = ThreadPool::global();
  const size_t batch = pool.workers() + 1;
  for (size_t first = 0; first < candidates.size(); first += batch) {
    size_t last = std::min(first + batch, candidates.size());
    std::vector<std::string> failures(last - first);
    pool.parallelFor(static_cast<unsigned>(last - first), [&](unsigned j) {
      TuningCandidate &c = candidates[first + j];
      if (spec.objective == Objective::Fastest && cheapestFit &&
          c.cost > kCostWindow * *cheapestFit) {
        c.verdict =
            llvm::formatv("not measured: the cost model puts it at {0} "
                          "operations a vector, over {1}x the cheapest that "
                          "fits ({2})",
                          c.cost, kCostWindow, *cheapestFit)
                .str();
        return;
      }
      if (usesHardwareApproximations(c.expansion)) {
        // A GPU's bits: no host code has them, their documented maxima
        // bound them.
        c.error = boundHardwareForm(meaning, c.expansion, sample);
        judge(c, " (its bound from NVIDIA's documented maximum errors)");
        return;
      }
      KernelSpec s = candidateSpec(spec, c);
      if (!runsHere) {
        // The same arithmetic in code this CPU runs.
        s.target = "host";
        s.vectorBits = 0;
      }
      auto kernel = compileFixedKernel(s);
      if (!kernel) {
        failures[j] = llvm::toString(kernel.takeError());
        return;
      }
      measure(c, **kernel);
      if (runsHere)
        kernels[first + j] = std::move(*kernel);
    });
    for (const std::string &failure : failures)
      if (!failure.empty())
        return llvm::createStringError(failure);
    for (size_t i = first; i < last; ++i)
      if (candidates[i].fits && !cheapestFit)
        cheapestFit = candidates[i].cost;
  }
  if (!cheapestFit)
    return noCandidateFits();
  return llvm::Error::success();
}

/// Measures `c`'s error with `kernel` and judges it against the budget;
/// `where` qualifies the verdict of a candidate that breaks it.
void Tuning::measure(TuningCandidate &c, const Kernel &kernel,
                     llvm::StringRef where) {
  c.error = measureKernel(kernel, sample);
  judge(c, where);
}

/// Judges `c`'s error against the budget; `where` qualifies the verdict of
/// a candidate that breaks it.
void Tuning::judge(TuningCandidate &c, llvm::StringRef where) {
  if (spec.budget && needsCorrectRounding(*spec.budget, spec.dtype))
    // The promise was proved exhaustively; the sample checks the kernel.
    c.fits = promisesCorrectRounding(meaning, c.expansion) &&
             overall(c).correctlyRounded == overall(c).count;
  else
    c.fits = !spec.budget || fitsBudget(overall(c), *spec.budget, spec.dtype,
                                        budgetMargin(spec.dtype));
  if (!c.fits)
    c.verdict = ("breaks the budget" + where + ": ").str() +
                describeError(overall(c), spec.dtype) + ", over " +
                describeHeldBudget(*spec.budget, spec.dtype);
}

llvm::Error Tuning::noCandidateFits() const {
  const ErrorBudget &budget = *spec.budget;
  const TuningCandidate *best = nullptr;
  for (const TuningCandidate &c : candidates)
    if (c.error &&
        (!best || moreAccurate(overall(c), overall(*best), budget, spec.dtype)))
      best = &c;
  // How the bounds are applied, where that is more than the bounds.
  std::string held;
  if (budgetMargin(spec.dtype) != 1 || budget.maxAbs || budget.maxRel)
    held =
        "; measured errors held to " + describeHeldBudget(budget, spec.dtype);
  std::string why;
  if (budget.maxUlp && *budget.maxUlp < 0.5)
    why = "; no kernel can keep under 0.5 ULP, the error of a correctly "
          "rounded result";
  return llvm::make_error<SpecFieldError>(
      "/budget",
      "no expansion of " + stringifyReferenceFunction(meaning).str() +
          " meets the budget (" + describeBudget(budget) + held +
          "); the most accurate is '" +
          act::stringifyExpansion(best->expansion).str() + "'" +
          (best->degree ? " at degree " + std::to_string(best->degree) : "") +
          " with " + describeError(overall(*best), spec.dtype) + why);
}

llvm::Error Tuning::addShapes() {
  // The unroll factor changes the loop, not the arithmetic: a candidate's
  // error holds at every unroll. The vector width can change it: a
  // reciprocal estimate is vrcp14 (14 bits) on 512-bit vectors but may be
  // vrcpps (12 bits) on 256-bit ones (the kernel fuzzer found this), so a
  // shape of another width is measured again. Untimed, every shape costs
  // the same: the simplest is kept.
  if (!timed)
    return llvm::Error::success();
  llvm::SmallVector<unsigned> unrolls, widths;
  if (spec.unroll)
    unrolls = {spec.unroll};
  else
    unrolls = {1, 2};
  if (spec.vectorBits)
    widths = {spec.vectorBits};
  else if (targetBits == 512)
    widths = {512, 256};
  else
    widths = {targetBits};
  double fastest = HUGE_VAL;
  for (const TuningCandidate &c : candidates)
    if (c.nsPerElement)
      fastest = std::min(fastest, *c.nsPerElement);
  size_t measured = candidates.size();
  for (size_t i = 0; i < measured; ++i) {
    if (!candidates[i].fits || !candidates[i].nsPerElement ||
        *candidates[i].nsPerElement > kShapeWindow * fastest)
      continue;
    for (unsigned width : widths)
      for (unsigned unroll : unrolls) {
        if (unroll == candidates[i].unroll && width == candidates[i].vectorBits)
          continue;
        TuningCandidate c = candidates[i];
        c.unroll = unroll;
        c.vectorBits = width;
        auto kernel = compileFixedKernel(candidateSpec(spec, c));
        if (!kernel)
          return kernel.takeError();
        if (width != candidates[i].vectorBits)
          measure(c, **kernel, " at " + std::to_string(width) + "-bit");
        candidates.push_back(c);
        kernels.push_back(std::move(*kernel));
      }
  }
  return llvm::Error::success();
}

void Tuning::rankBySpeed() {
  if (!timed)
    return;
  std::vector<const Kernel *> timedKernels;
  std::vector<size_t> indices;
  for (size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].fits && kernels[i]) {
      timedKernels.push_back(kernels[i].get());
      indices.push_back(i);
    }
  std::vector<double> ns =
      timeKernels(timedKernels, spec.effectiveTimingInputs());
  for (size_t j = 0; j < indices.size(); ++j)
    candidates[indices[j]].nsPerElement = ns[j];
}

llvm::Error Tuning::choose(TuningReport &report) {
  // Candidates are in cost order, the first shape of each first, so ties
  // go to the cheaper code and the simpler shape.
  auto faster = [&](const TuningCandidate &a, const TuningCandidate &b) {
    if (timed)
      return *a.nsPerElement < *b.nsPerElement;
    return a.cost < b.cost;
  };
  auto speedOf = [&](const TuningCandidate &c) {
    return timed ? llvm::formatv("{0:F3} ns/element", *c.nsPerElement).str()
                 : llvm::formatv("{0} operations a vector", c.cost).str();
  };
  auto moreAccurateThan = [&](const TuningCandidate &a,
                              const TuningCandidate &b) {
    return moreAccurate(overall(a), overall(b), spec.budget, spec.dtype);
  };
  auto withinTime = [&](const TuningCandidate &c) {
    return !spec.maxNsPerElement || *c.nsPerElement <= *spec.maxNsPerElement;
  };
  for (size_t i = 0; i < candidates.size(); ++i) {
    const TuningCandidate &c = candidates[i];
    if (!c.fits || (timed && !c.nsPerElement))
      continue;
    if (spec.objective == Objective::MostAccurate && !withinTime(c))
      continue;
    if (!winner) {
      winner = i;
      continue;
    }
    const TuningCandidate &w = candidates[*winner];
    bool better = spec.objective == Objective::Fastest
                      ? faster(c, w)
                      : moreAccurateThan(c, w) ||
                            (!moreAccurateThan(w, c) && faster(c, w));
    if (better)
      winner = i;
  }
  if (!winner) {
    // Only a time budget can leave no winner among fitting candidates.
    const TuningCandidate *fastest = nullptr;
    for (const TuningCandidate &c : candidates)
      if (c.fits && c.nsPerElement && (!fastest || faster(c, *fastest)))
        fastest = &c;
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g", *spec.maxNsPerElement);
    return llvm::make_error<SpecFieldError>(
        "/max_ns_per_element",
        llvm::formatv("no candidate runs within {0} ns/element on this CPU; "
                      "the fastest that fits the budget is {1} at {2:F3}",
                      limit, describeCandidate(*fastest),
                      *fastest->nsPerElement)
            .str());
  }
  TuningCandidate &w = candidates[*winner];
  w.chosen = true;
  w.verdict =
      spec.objective == Objective::Fastest
          ? "chosen: the fastest that fits (" + speedOf(w) + ")"
          : "chosen: the most accurate" +
                std::string(spec.maxNsPerElement ? " within the time budget"
                                                 : "") +
                " (" + describeError(overall(w), spec.dtype) + ")";
  for (size_t i = 0; i < candidates.size(); ++i) {
    TuningCandidate &c = candidates[i];
    if (i == *winner || !c.verdict.empty())
      continue;
    if (spec.objective == Objective::MostAccurate && c.nsPerElement &&
        !withinTime(c))
      c.verdict = "over the time budget: " + speedOf(c);
    else if (spec.objective == Objective::MostAccurate)
      c.verdict = "less accurate: " + describeError(overall(c), spec.dtype);
    else if (!timed && c.cost == w.cost)
      c.verdict = "as costly (" + speedOf(c) +
                  "); the chosen one comes first in the catalog";
    else
      c.verdict = "slower: " + speedOf(c) + " against " + speedOf(w);
  }
  report.chosen = candidateSpec(spec, w);
  report.error = w.error;
  report.nsPerElement = w.nsPerElement;
  report.cost = w.cost;
  report.candidates = candidates;
  return llvm::Error::success();
}

llvm::Error Tuning::run(TuningResult &result) {
  if (llvm::Error err = measureErrors()) {
    // What was tried goes into the report a failed tuning still gives.
    result.report.candidates = candidates;
    return err;
  }
  // Shapes only for the candidates whose first shape is near the fastest:
  // a shape moves the time by ~10-20 %, not more.
  rankBySpeed();
  if (llvm::Error err = addShapes())
    return err;
  rankBySpeed();
  if (llvm::Error err = choose(result.report))
    return err;
  result.kernel = std::move(kernels[*winner]);
  return llvm::Error::success();
}

char TuningFailure::ID = 0;

llvm::Expected<TuningResult> tuneSpec(const KernelSpec &spec,
                                      const TuneOptions &options) {
  auto start = std::chrono::steady_clock::now();
  auto target = resolveTarget(spec.target);
  if (!target)
    return target.takeError();
  if (llvm::Error err = checkVectorBits(spec.vectorBits, *target, spec.target))
    return err;
  bool runsHere = target->missingHostFeature.empty();
  if (spec.timingInputs && !runsHere)
    return llvm::make_error<SpecFieldError>(
        "/timing_inputs",
        "timing inputs steer kernels timed on this CPU, but target '" +
            spec.target + "' needs " + target->missingHostFeature +
            ", which it lacks (its candidates are ranked by the cost "
            "model)");
  if (spec.maxNsPerElement && !runsHere)
    return llvm::make_error<SpecFieldError>(
        "/max_ns_per_element",
        "a time budget needs kernels timed on this CPU, but target '" +
            spec.target + "' needs " + target->missingHostFeature +
            ", which it lacks");

  TuningResult result;
  TuningReport &report = result.report;
  report.requested = spec;
  report.tuned = true;
  report.cpu = llvm::sys::getHostCPUName().str();
  report.cachePath = tuningCachePath(options);
  auto warn = [&](const std::string &warning) {
    report.cacheWarning = warning;
    if (options.warnOnStderr)
      llvm::WithColor::warning(llvm::errs(), "gelu-jit") << warning << "\n";
  };
  const std::string key = tuningCacheKey(spec);
  if (report.cachePath.empty()) {
    report.cacheStatus = "disabled";
  } else {
    TuningCacheLookup found = lookupTuning(report.cachePath, key);
    report.cacheStatus = found.status;
    if (!found.warning.empty())
      warn(found.warning);
    if (found.report) {
      // The decision is the cached one; the spec's name and run-time
      // threads are this request's.
      TuningReport hit = std::move(*found.report);
      hit.requested = spec;
      hit.chosen.name = spec.name;
      hit.chosen.threads = spec.threads;
      hit.cacheStatus = "hit";
      hit.cachePath = report.cachePath;
      hit.cacheWarning.clear();
      hit.tuningSeconds = secondsSince(start);
      result.report = std::move(hit);
      return result;
    }
  }

  Tuning tuning(spec, *target);
  if (llvm::Error err = tuning.run(result)) {
    // The field that could not be met, where the failure names one.
    std::string path;
    report.failure = llvm::toString(
        llvm::handleErrors(std::move(err), [&](const SpecFieldError &e) {
          path = e.path();
          return llvm::make_error<llvm::StringError>(
              e.what(), llvm::inconvertibleErrorCode());
        }));
    report.tuningSeconds = secondsSince(start);
    return llvm::make_error<TuningFailure>(std::move(report), path);
  }
  report.speedSource = runsHere && spec.ranking == Ranking::Measured
                           ? "measured"
                           : "estimated (cost model)";
  report.errorSource = runsHere ? "target" : "host code of the same expansion";
  if (usesHardwareApproximations(*result.report.chosen.expansion))
    report.errorSource = kHardwareBoundSource;
  report.tuningSeconds = secondsSince(start);
  if (!report.cachePath.empty())
    if (llvm::Error err = storeTuning(report.cachePath, key, report))
      warn("the tuning cache was not updated: " +
           llvm::toString(std::move(err)));
  return result;
}

} // namespace gelu
