//===- gelu-tune.cpp - Tune specs and time the choices side by side ------===//
//
// Part of gelu-jit.
//
//   gelu-tune [--markdown FILE] [--rounds N] spec.json ...
//
// Compiles each spec through the JIT (tuning it, or taking the decision
// from the tuning cache), prints what was chosen and why, then times every
// chosen kernel and the accurate default side by side in this process
// (interleaved rounds, each kernel's fastest round) and reports each one's
// time and its speed relative to the default. A spec that no kernel meets
// is reported as such. scripts/tuning-ladder.sh runs it on the budget
// ladder of examples/specs/ladder/ for docs/tuning.md.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Tuner.h"
#include "gelu/Support/Output.h"
#include "gelu/Version.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

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
};

std::string budgetOf(const KernelSpec &spec) {
  std::string out;
  if (spec.budget)
    out = describeBudget(*spec.budget);
  if (spec.objective == Objective::MostAccurate) {
    out += (out.empty() ? "" : "; ") + std::string("most accurate");
    if (spec.maxNsPerElement)
      out += llvm::formatv(" within {0} ns", *spec.maxNsPerElement).str();
  }
  return out.empty() ? "none (accurate default)" : out;
}

std::string choiceOf(const KernelSpec &spec) {
  std::string out =
      act::stringifyExpansion(spec.expansion.value_or(act::Expansion::erfc))
          .str();
  if (spec.degree)
    out += " degree " + std::to_string(*spec.degree);
  return out + llvm::formatv(", unroll {0}, {1}-bit",
                             spec.unroll ? spec.unroll : 1, spec.vectorBits)
                   .str();
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

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(tuneCategory);
  gelu::setVersionPrinter();
  cl::ParseCommandLineOptions(
      argc, argv, "gelu-tune: tune specs and time the choices side by side\n");

  // The baseline: the accurate default kernel.
  auto baseline = compileKernel(KernelSpec{});
  if (!baseline) {
    WithColor::error(errs(), "gelu-tune") << toString(baseline.takeError());
    return 1;
  }
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
    auto kernel = compileKernel(*spec);
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

  std::vector<const Kernel *> kernels = {baseline->get()};
  for (const Row &row : rows)
    if (row.kernel)
      kernels.push_back(row.kernel.get());
  std::vector<double> ns = timeKernels(kernels, rounds, 1e-3);
  double baselineNs = ns[0];
  size_t next = 1;
  for (Row &row : rows)
    if (row.kernel)
      row.ns = ns[next++];

  std::string markdown;
  raw_string_ostream table(markdown);
  table << llvm::format("Accurate default (erfc): %.3f ns/element.\n\n",
                        baselineNs)
        << "| spec | budget | chosen | sampled max ULP / abs: "
        << regionNameList(" · ")
        << " | tuning | ns/element | × default |\n"
           "|---|---|---|---|---|---|---|\n";
  outs() << "\ntimes (4096 elements in L1, one thread, fastest of " << rounds
         << " interleaved rounds):\n"
         << format("  %-28s %.3f ns/element\n", "accurate default (erfc)",
                   baselineNs);
  for (const Row &row : rows) {
    if (!row.kernel) {
      table << "| " << row.file << " | " << budgetOf(row.requested)
            << " | no kernel meets it | | | | |\n";
      continue;
    }
    const TuningReport &report = row.kernel->report();
    outs() << format("  %-28s %.3f ns/element  %.2fx the default\n",
                     row.file.c_str(), row.ns, baselineNs / row.ns);
    table << "| " << row.file << " | " << budgetOf(row.requested) << " | "
          << choiceOf(row.kernel->spec()) << " | " << errorsOf(report) << " | "
          << format("%.2f s", report.tuningSeconds) << " | "
          << format("%.3f", row.ns) << " | "
          << format("%.2f", baselineNs / row.ns) << " |\n";
  }
  if (!markdownFile.empty())
    if (Error err = gelu::writeOutputFile(markdownFile, table.str())) {
      WithColor::error(errs(), "gelu-tune") << toString(std::move(err)) << "\n";
      return 1;
    }
  return 0;
}
