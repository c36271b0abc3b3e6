//===- gelu-tune.cpp - Tune specs and time the choices side by side ------===//
//
// Part of gelu-jit.
//
//   gelu-tune [--markdown FILE] [--rounds N] spec.json ...
//
// Compiles each spec through the JIT (tuning it, or taking the decision
// from the tuning cache), prints what was chosen and why, then times every
// chosen kernel and the accurate default of each op among them side by
// side in this process (interleaved rounds, each kernel's fastest round),
// on the inputs the tuner timed it on (the spec's `timing_inputs`), and
// reports each one's time and its speed relative to its op's default on
// the same inputs. A spec that no kernel meets is reported as such.
// scripts/tuning-ladder.sh runs it on the budget ladder of
// examples/specs/ladder/ for docs/tuning.md.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/Dialect/Act/IR/OpFacts.h"
#include "gelu/JIT/Tuner.h"
#include "gelu/Support/Output.h"
#include "gelu/Version.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <map>

using namespace gelu;
using namespace llvm;

static cl::OptionCategory tuneCategory("gelu-tune options");
static cl::list<std::string> specFiles(cl::Positional, cl::OneOrMore,
                                       cl::desc("spec.json ..."),
                                       cl::cat(tuneCategory));
static cl::opt<std::string>
    markdownFile("markdown", cl::desc("Also write the table as markdown"),
                 cl::value_desc("file.md"), cl::cat(tuneCategory));
static cl::opt<unsigned>
    rounds("rounds", cl::desc("Timing rounds (each kernel's fastest is kept)"),
           cl::init(41), cl::cat(tuneCategory));

namespace {

struct Row {
  std::string file;
  KernelSpec requested;
  std::unique_ptr<Kernel> kernel; ///< null when no kernel meets the spec
  std::string failure;
  double ns = 0;
  size_t baseline = 0; ///< index of its op's default in the baselines
};

/// "normal σ = 2", "uniform [-8, 8)".
std::string describeInputs(const TimingInputs &inputs) {
  std::string out;
  raw_string_ostream os(out);
  if (inputs.distribution == TimingInputs::Distribution::Normal)
    os << llvm::format("normal σ = %g", inputs.sigma);
  else
    os << llvm::format("uniform [%g, %g)", inputs.lo, inputs.hi);
  return out;
}

/// The accurate default of an op (op, approximate, dtype, target): what a
/// choice's speed is compared with.
struct Baseline {
  std::string label;
  std::unique_ptr<Kernel> kernel;
  TimingInputs inputs;
  double ns = 0;
};

/// "gelu (tanh) f32: sigmoid": the op and the default expansion.
std::string defaultLabel(const KernelSpec &spec) {
  std::string out = act::stringifyOpKind(spec.op).str();
  if (act::opFacts(spec.op).appliesGelu() &&
      spec.approximate != act::Approximate::none)
    out += " (" + act::stringifyApproximate(spec.approximate).str() + ")";
  return out + " " + stringifyDType(spec.dtype).str() + ": " +
         act::stringifyExpansion(spec.acceptedExpansions().front()).str();
}

std::string budgetOf(const KernelSpec &spec) {
  std::string out;
  if (spec.budget)
    out = describeBudget(*spec.budget);
  if (spec.objective == Objective::MostAccurate) {
    out += (out.empty() ? "" : "; ") + std::string("most accurate");
    if (spec.maxNsPerElement)
      out += llvm::formatv(" within {0} ns", *spec.maxNsPerElement).str();
  }
  if (spec.timingInputs)
    out += (out.empty() ? "" : "; ") + std::string("timed on ") +
           describeInputs(*spec.timingInputs);
  return out.empty() ? "none (accurate default)" : out;
}

std::string choiceOf(const KernelSpec &spec) {
  std::string out = act::stringifyExpansion(spec.effectiveExpansion()).str();
  if (spec.degree)
    out += " degree " + std::to_string(*spec.degree);
  out += llvm::formatv(", unroll {0}", spec.unroll ? spec.unroll : 1).str();
  return out + (spec.vectorBits
                    ? llvm::formatv(", {0}-bit", spec.vectorBits).str()
                    : std::string(", widest vectors"));
}

std::string errorsOf(const TuningReport &report) {
  if (!report.error)
    return "not measured";
  std::string out;
  for (int r = 0; r < kReportRegions; ++r) {
    const ErrorMaxima &e = (*report.error)[r];
    char text[64];
    std::snprintf(text, sizeof text, "%s%.3g ULP / %.2g", r ? " · " : "",
                  e.maxUlp, e.maxAbs);
    out += text;
  }
  return out;
}

/// Why no cheaper form was chosen: among the candidates the cost model puts
/// below the choice (same vector width), how many forms break the budget on
/// its sample and the nearest miss (the least error against the bound), and
/// every one that fits but was timed slower. A rung that shares its kernel
/// with the next stricter budget shows here that nothing cheaper meets it.
std::string cheaperForms(const TuningReport &report) {
  if (!report.tuned || report.candidates.empty())
    return "–";
  const unsigned vectorBits = report.chosen.vectorBits;
  auto name = [](const TuningCandidate &c) {
    std::string out = act::stringifyExpansion(c.expansion).str();
    return c.degree ? out + " " + std::to_string(c.degree) : out;
  };
  const ErrorBudget *budget =
      report.requested.budget ? &*report.requested.budget : nullptr;
  auto broken = [&](const TuningCandidate &c) {
    const ErrorMaxima &e = (*c.error)[kOverallRegion];
    std::string out;
    raw_string_ostream os(out);
    if (!budget || budget->maxUlp)
      os << llvm::format("%.3g ULP", e.maxUlp);
    if (budget && budget->maxAbs)
      os << (budget->maxUlp ? ", " : "") << llvm::format("%.2g abs", e.maxAbs);
    return out;
  };
  // The error against the bound, the larger of the two where both bound it.
  auto overBound = [&](const TuningCandidate &c) {
    const ErrorMaxima &e = (*c.error)[kOverallRegion];
    double over = 0;
    if (budget && budget->maxUlp)
      over = std::max(over, e.maxUlp / *budget->maxUlp);
    if (budget && budget->maxAbs)
      over = std::max(over, e.maxAbs / *budget->maxAbs);
    return over;
  };
  const TuningCandidate *nearestMiss = nullptr;
  unsigned brokenForms = 0;
  std::vector<std::string> seen, slower;
  for (const TuningCandidate &c : report.candidates) {
    if (c.chosen || c.cost >= report.cost || c.vectorBits != vectorBits)
      continue;
    if (c.error && !c.fits) {
      if (llvm::is_contained(seen, name(c)))
        continue;
      seen.push_back(name(c));
      ++brokenForms;
      // Ties (every form without a tail misses by the same 2^24 ULP) go to
      // the dearer form, the one nearer the choice in cost.
      if (!nearestMiss || overBound(c) < overBound(*nearestMiss) ||
          (overBound(c) == overBound(*nearestMiss) &&
           c.cost > nearestMiss->cost))
        nearestMiss = &c;
    } else if (c.fits && c.nsPerElement &&
               !llvm::is_contained(slower, name(c))) {
      slower.push_back(name(c));
    }
  }
  if (!nearestMiss && slower.empty())
    return "none";
  std::string out;
  if (nearestMiss)
    out = llvm::formatv("{0} {1} it, the nearest {2}: {3}", brokenForms,
                        brokenForms == 1 ? "breaks" : "break",
                        name(*nearestMiss), broken(*nearestMiss))
              .str();
  if (!slower.empty())
    out += (out.empty() ? "" : "; ") + llvm::join(slower, ", ") +
           (slower.size() == 1 ? " fits, timed slower" : " fit, timed slower");
  return out;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(tuneCategory);
  gelu::setVersionPrinter();
  cl::ParseCommandLineOptions(
      argc, argv, "gelu-tune: tune specs and time the choices side by side\n");

  std::vector<Baseline> baselines;
  std::map<std::string, size_t> baselineOf;
  std::vector<Row> rows;
  for (const std::string &file : specFiles) {
    Row row;
    row.file = sys::path::filename(file).str();
    auto spec = readSpecFile(file);
    if (!spec) {
      WithColor::error(errs(), "gelu-tune")
          << toString(spec.takeError()) << "\n";
      return 1;
    }
    row.requested = *spec;
    // Its op's accurate default, compiled once an op.
    KernelSpec plain;
    plain.op = spec->op;
    plain.approximate = spec->approximate;
    plain.dtype = spec->dtype;
    plain.target = spec->target;
    // One default for each op and set of timing inputs.
    std::string key = defaultLabel(plain) + " " + plain.target + " " +
                      describeInputs(spec->effectiveTimingInputs());
    auto found = baselineOf.find(key);
    std::unique_ptr<Kernel> baseline;
    if (found == baselineOf.end()) {
      // A default that does not compile (an f64 spec) fails the row below
      // with the spec's own, same, error.
      if (auto kernel = compileKernel(plain))
        baseline = std::move(*kernel);
      else
        consumeError(kernel.takeError());
    }
    auto kernel = compileKernel(*spec);
    if (kernel && baseline) {
      found = baselineOf.try_emplace(key, baselines.size()).first;
      baselines.push_back({defaultLabel(plain), std::move(baseline),
                           spec->effectiveTimingInputs(), 0});
    }
    if (kernel && found == baselineOf.end()) {
      WithColor::error(errs(), "gelu-tune")
          << file << ": the accurate default of its op does not compile\n";
      return 1;
    }
    if (kernel)
      row.baseline = found->second;
    if (!kernel) {
      row.failure = toString(inSpecSource(kernel.takeError(), file));
      outs() << "== " << row.file << ": " << budgetOf(row.requested)
             << "\n  no kernel: " << row.failure << "\n";
    } else {
      row.kernel = std::move(*kernel);
      const TuningReport &report = row.kernel->report();
      outs() << "== " << row.file << ": " << budgetOf(row.requested) << "\n"
             << "  chosen: " << choiceOf(row.kernel->spec()) << " ("
             << report.candidates.size() << " candidates, tuned in "
             << format("%.2f", report.tuningSeconds) << " s, cache "
             << report.cacheStatus << ")\n"
             << "  sampled error (" << regionNameList(" · ")
             << ": max ULP / abs): " << errorsOf(report) << "\n";
    }
    outs().flush();
    rows.push_back(std::move(row));
  }

  // Side by side, each set of inputs in turn: the defaults timed on it and
  // the choices of the specs that name it.
  std::vector<std::string> inputSets;
  for (const Baseline &baseline : baselines)
    if (!llvm::is_contained(inputSets, describeInputs(baseline.inputs)))
      inputSets.push_back(describeInputs(baseline.inputs));
  for (const std::string &set : inputSets) {
    std::vector<const Kernel *> kernels;
    std::vector<double *> times;
    TimingInputs inputs;
    for (Baseline &baseline : baselines)
      if (describeInputs(baseline.inputs) == set) {
        kernels.push_back(baseline.kernel.get());
        times.push_back(&baseline.ns);
        inputs = baseline.inputs;
      }
    for (Row &row : rows)
      if (row.kernel &&
          describeInputs(row.requested.effectiveTimingInputs()) == set) {
        kernels.push_back(row.kernel.get());
        times.push_back(&row.ns);
      }
    std::vector<double> ns = timeKernels(kernels, inputs, rounds, 1e-3);
    for (size_t i = 0; i < ns.size(); ++i)
      *times[i] = ns[i];
  }

  std::string markdown;
  raw_string_ostream table(markdown);
  table << "Accurate defaults:";
  auto onInputs = [](const Baseline &baseline) {
    std::string set = describeInputs(baseline.inputs);
    return set == describeInputs(TimingInputs{}) ? std::string() : " on " + set;
  };
  for (size_t i = 0; i < baselines.size(); ++i)
    table << (i ? ";" : "") << " " << baselines[i].label
          << onInputs(baselines[i])
          << llvm::format(" %.3f ns/element", baselines[i].ns);
  table << ".\n\n| spec | budget | chosen | sampled max ULP / abs: "
        << regionNameList(" · ")
        << " | tuning | ns/element | × its op's default | cheaper forms "
           "(cost model) |\n"
           "|---|---|---|---|---|---|---|---|\n";
  outs() << "\ntimes (4096 elements in L1, one thread, fastest of " << rounds
         << " interleaved rounds; " << describeInputs(TimingInputs{})
         << " unless a spec names its timing_inputs):\n";
  for (const Baseline &baseline : baselines)
    outs() << format("  %-28s %.3f ns/element  (the accurate default%s)\n",
                     baseline.label.c_str(), baseline.ns,
                     onInputs(baseline).c_str());
  for (const Row &row : rows) {
    if (!row.kernel) {
      table << "| " << row.file << " | " << budgetOf(row.requested)
            << " | no kernel meets it | | | | | |\n";
      continue;
    }
    const TuningReport &report = row.kernel->report();
    double baselineNs = baselines[row.baseline].ns;
    outs() << format("  %-28s %.3f ns/element  %.2fx its op's default\n",
                     row.file.c_str(), row.ns, baselineNs / row.ns);
    table << "| " << row.file << " | " << budgetOf(row.requested) << " | "
          << choiceOf(row.kernel->spec()) << " | " << errorsOf(report) << " | "
          << format("%.2f s", report.tuningSeconds) << " | "
          << format("%.3f", row.ns) << " | "
          << format("%.2f", baselineNs / row.ns) << " | "
          << cheaperForms(report) << " |\n";
  }
  if (!markdownFile.empty())
    if (Error err = gelu::writeOutputFile(markdownFile, table.str())) {
      WithColor::error(errs(), "gelu-tune") << toString(std::move(err)) << "\n";
      return 1;
    }
  return 0;
}
