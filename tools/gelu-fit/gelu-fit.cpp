//===- gelu-fit.cpp - Run the minimax fits of the expansions -------------===//
//
// Part of gelu-jit.
//
//   gelu-fit                 print every fit with its measured error
//   gelu-fit --emit-inc F    write the f32 coefficient tables to F
//                            (kFit_<name>, a rational fit adds
//                            kFit_<name>_denominator) and kFittedTables,
//                            every fit by name; a file that
//                            already holds them is not touched
//
// The build runs `gelu-fit --emit-inc` to produce FittedPolynomials.inc.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/FitCatalog.h"
#include "gelu/Support/Output.h"
#include "gelu/Version.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

using namespace gelu;

static std::string hexFloat(long double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", static_cast<double>(v));
  return buffer;
}

/// One interval of a piecewise fit. Where the function is already within
/// long double's reach of a lower degree (GELU' near 0 at degree 7: the
/// exchange finds no alternation to level), that fit, its top coefficient
/// 0, stands for it.
static llvm::Expected<MinimaxFit> fitPiece(MinimaxProblem problem) {
  auto fit = fitMinimaxRounded(problem);
  int lowered = 0;
  while (!fit && problem.degree > 1) {
    llvm::consumeError(fit.takeError());
    --problem.degree;
    ++lowered;
    fit = fitMinimaxRounded(problem);
  }
  if (fit)
    fit->coefficients.resize(fit->coefficients.size() + lowered, 0.0L);
  return fit;
}

static const char kHelp[] =
    "gelu-fit: the minimax (Remez) fits of gelu-jit's expansions, made in\n"
    "long double and rounded to f32 coefficients (lib/Numerics/FitCatalog.cpp\n"
    "lists them).\n"
    "\n"
    "  gelu-fit                 fit each, print its degree, interval, "
    "measured\n"
    "                           error and what it approximates (about 30 s)\n"
    "  gelu-fit --emit-inc F    also write the coefficient tables to F (the\n"
    "                           build makes FittedPolynomials.inc this way)\n"
    "  gelu-fit --version       the version\n"
    "  gelu-fit --help          this text\n";

int main(int argc, char **argv) {
  const char *incPath = nullptr;
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    gelu::printVersion(llvm::outs());
    return 0;
  }
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 ||
                    std::strcmp(argv[1], "-h") == 0)) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (argc == 3 && std::strcmp(argv[1], "--emit-inc") == 0)
    incPath = argv[2];
  else if (argc != 1) {
    std::fprintf(stderr, "usage: gelu-fit [--emit-inc FILE | --version | "
                         "--help]\n");
    return 2;
  }
  // The fits take ~30 s of CPU in all: say so, and show each as it
  // finishes. They are independent: one thread a core. A piecewise fit is
  // one problem an interval, each fitted on its own.
  // The two catalogs (their domains searched) are made at once too.
  std::vector<FitEntry> catalog;
  std::thread catalogThread([&catalog] { catalog = fitCatalog(); });
  const std::vector<PiecewiseFitEntry> piecewise = piecewiseFitCatalog();
  catalogThread.join();
  // Besides each fit of the catalogs: the double fits (one job, the
  // longest, first) and each table-free `polynomial` form, whose results
  // are written after the others'.
  struct ClampedJob {
    ReferenceFunction function;
    unsigned degree;
  };
  std::vector<ClampedJob> clampedJobs;
  for (ReferenceFunction function : clampedPolynomialFunctions())
    for (unsigned degree = kClampedPolynomialMinDegree;
         degree <= kClampedPolynomialMaxDegree; ++degree)
      clampedJobs.push_back({function, degree});
  std::vector<std::optional<ClampedPolynomialFit>> clampedFits(
      clampedJobs.size());
  std::vector<DoubleFit> doubleFits;
  enum class Kind { Double, Clamped, Fit };
  struct Job {
    Kind kind;
    size_t entry;
    size_t piece; ///< for a piecewise fit
  };
  std::vector<Job> jobs;
  jobs.push_back({Kind::Double, 0, 0});
  for (size_t i = 0; i < clampedJobs.size(); ++i)
    jobs.push_back({Kind::Clamped, i, 0});
  for (size_t i = 0; i < catalog.size(); ++i)
    jobs.push_back({Kind::Fit, i, 0});
  size_t pieces = 0;
  for (size_t i = 0; i < piecewise.size(); ++i)
    for (size_t k = 0; k < piecewise[i].pieces.size(); ++k, ++pieces)
      jobs.push_back({Kind::Fit, catalog.size() + i, k});
  std::fprintf(stderr,
               "gelu-fit: fitting %zu problems and %zu piecewise fits (%zu "
               "intervals; about 30 s)\n",
               catalog.size(), piecewise.size(), pieces);
  std::vector<std::optional<MinimaxFit>> fits(catalog.size());
  std::vector<std::vector<std::optional<MinimaxFit>>> pieceFits;
  for (const PiecewiseFitEntry &entry : piecewise)
    pieceFits.emplace_back(entry.pieces.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex printing;
  auto work = [&] {
    for (size_t j = next++; j < jobs.size() && !failed; j = next++) {
      const Job job = jobs[j];
      if (job.kind == Kind::Double) {
        doubleFits = doubleFitCatalog();
        continue;
      }
      if (job.kind == Kind::Clamped) {
        clampedFits[job.entry] = clampedPolynomialFit(
            clampedJobs[job.entry].function, clampedJobs[job.entry].degree);
        continue;
      }
      const bool isPiece = job.entry >= catalog.size();
      const std::string &name = isPiece
                                    ? piecewise[job.entry - catalog.size()].name
                                    : catalog[job.entry].name;
      auto fit =
          isPiece ? fitPiece(
                        piecewise[job.entry - catalog.size()].pieces[job.piece])
                  : fitMinimaxFloat(catalog[job.entry].problem);
      std::lock_guard<std::mutex> lock(printing);
      if (!fit) {
        std::fprintf(stderr, "gelu-fit: %s (interval %zu): %s\n", name.c_str(),
                     job.piece, llvm::toString(fit.takeError()).c_str());
        failed = true;
        return;
      }
      if (isPiece) {
        pieceFits[job.entry - catalog.size()][job.piece] = std::move(*fit);
        continue;
      }
      const FitEntry &entry = catalog[job.entry];
      std::printf("%-18s degree %d/%d on [%.6Lg, %.6Lg]: max error %.3Le  "
                  "(%s)\n",
                  entry.name.c_str(), entry.problem.degree,
                  entry.problem.denominatorDegree, entry.problem.lo,
                  entry.problem.hi, fit->maxError, entry.description.c_str());
      std::fflush(stdout);
      fits[job.entry] = std::move(*fit);
    }
  };
  std::vector<std::thread> threads;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned t = 1; t < std::min<size_t>(cores, jobs.size()); ++t)
    threads.emplace_back(work);
  work();
  for (std::thread &thread : threads)
    thread.join();
  if (failed)
    return 1;
  // A piecewise fit's error is its worst interval's.
  std::vector<long double> pieceErrors;
  for (size_t i = 0; i < piecewise.size(); ++i) {
    long double worst = 0;
    for (const std::optional<MinimaxFit> &fit : pieceFits[i])
      worst = std::max(worst, fit->maxError);
    pieceErrors.push_back(worst);
    std::printf("%-18s max error %.3Le  (%s)\n", piecewise[i].name.c_str(),
                worst, piecewise[i].description.c_str());
  }

  std::string inc =
      "// Generated by gelu-fit from lib/Numerics/FitCatalog.cpp; "
      "do not edit.\n// Coefficients are f32 values (the double fits': "
      "doubles), lowest "
      "degree first.\n\n"
      "/// A fit's tables: kFittedTables has one a fit.\n"
      "struct FittedTable {\n"
      "  const char *name;\n"
      "  const double *coefficients; ///< the numerator of a rational fit\n"
      "  unsigned size;\n"
      "  const double *denominator; ///< null for a polynomial\n"
      "  unsigned denominatorSize;\n"
      "  double maxError; ///< weighted, measured by gelu-fit\n"
      "};\n\n"
      "/// A piecewise fit's table: the intervals' coefficients one after\n"
      "/// another, each lowest degree first.\n"
      "struct PiecewiseTable {\n"
      "  const char *name;\n"
      "  const double *coefficients;\n"
      "  unsigned intervals;\n"
      "  double step;  ///< the intervals' width (in t if graded)\n"
      "  double limit; ///< the last interval's centre\n"
      "  unsigned degree;\n"
      "  double maxError; ///< weighted, the worst interval's\n"
      "  double grading; ///< t = u·(1/step − grading·u); 0: u/step\n"
      "  bool centred;   ///< in v = u − (u at t = k) (FitCatalog.h)\n"
      "};\n\n";
  std::string rows;
  for (size_t i = 0; i < catalog.size(); ++i) {
    const FitEntry &entry = catalog[i];
    const MinimaxFit &fit = *fits[i];
    inc += "// " + entry.description + "\n";
    inc += "// max error with these f32 coefficients: " +
           std::to_string(static_cast<double>(fit.maxError)) + "\n";
    auto table = [&inc](const std::string &name,
                        const std::vector<long double> &coefficients) {
      inc += "static constexpr double kFit_" + name + "[] = {";
      for (size_t i = 0; i < coefficients.size(); ++i)
        inc += (i ? ", " : "") + hexFloat(coefficients[i]);
      inc += "};\n";
    };
    table(entry.name, fit.coefficients);
    std::string denominator = "nullptr, 0";
    if (!fit.denominator.empty()) {
      table(entry.name + "_denominator", fit.denominator);
      denominator = "kFit_" + entry.name + "_denominator, " +
                    std::to_string(fit.denominator.size());
    }
    inc += "static constexpr double kFit_" + entry.name +
           "_maxError = " + hexFloat(fit.maxError) + ";\n\n";
    rows += "    {\"" + entry.name + "\", kFit_" + entry.name + ", " +
            std::to_string(fit.coefficients.size()) + ", " + denominator +
            ", kFit_" + entry.name + "_maxError},\n";
  }
  inc += "static constexpr FittedTable kFittedTables[] = {\n" + rows + "};\n\n";
  rows.clear();
  for (size_t i = 0; i < piecewise.size(); ++i) {
    const PiecewiseFitEntry &entry = piecewise[i];
    inc += "// " + entry.description + "\n";
    inc += "static constexpr double kPiecewise_" + entry.name + "[] = {";
    size_t n = 0;
    for (const std::optional<MinimaxFit> &fit : pieceFits[i])
      for (long double c : fit->coefficients)
        inc += (n++ ? ", " : "") + hexFloat(c);
    inc += "};\n";
    rows += "    {\"" + entry.name + "\", kPiecewise_" + entry.name + ", " +
            std::to_string(entry.pieces.size()) + ", " +
            hexFloat(entry.domain.step) + ", " + hexFloat(entry.domain.limit) +
            ", " + std::to_string(entry.degree) + ", " +
            hexFloat(pieceErrors[i]) + ", " + hexFloat(entry.domain.grading) +
            ", " + (entry.domain.centred ? "true" : "false") + "},\n";
  }
  inc += "\nstatic constexpr PiecewiseTable kPiecewiseTables[] = {\n" + rows +
         "};\n";

  // The table-free `polynomial` forms (FitCatalog.h).
  inc +=
      "\n/// A `polynomial` form (FitCatalog.h): s's (p's) f32 coefficients,\n"
      "/// lowest degree first, and its clamp R.\n"
      "struct ClampedPolynomialTable {\n"
      "  const char *name;\n"
      "  const double *coefficients;\n"
      "  unsigned size;\n"
      "  double clamp;\n"
      "  double maxError; ///< absolute, of x·g(x) (GELU')\n"
      "};\n\n";
  rows.clear();
  for (const std::optional<ClampedPolynomialFit> &clamped : clampedFits) {
    const ClampedPolynomialFit &fit = *clamped;
    std::printf("%-18s max error %.3e  (%s)\n", fit.name.c_str(), fit.maxError,
                fit.description.c_str());
    if (!fit.positive) {
      std::fprintf(stderr,
                   "gelu-fit: %s: s(v) is not positive on [0, R]: the "
                   "form would break GELU's sign\n",
                   fit.name.c_str());
      return 1;
    }
    inc += "// " + fit.description + "\n";
    inc += "static constexpr double kPolynomial_" + fit.name + "[] = {";
    for (size_t i = 0; i < fit.coefficients.size(); ++i)
      inc += (i ? ", " : "") + hexFloat(fit.coefficients[i]);
    inc += "};\n";
    rows += "    {\"" + fit.name + "\", kPolynomial_" + fit.name + ", " +
            std::to_string(fit.coefficients.size()) + ", " +
            hexFloat(fit.clamp) + ", " + hexFloat(fit.maxError) + "},\n";
  }
  inc += "\nstatic constexpr ClampedPolynomialTable kClampedPolynomialTables[] "
         "= {\n" +
         rows + "};\n";

  // The double fits (DoubleFits.h): double coefficients, not f32.
  inc += "\n/// A double fit's table (DoubleFits.h): double coefficients.\n"
         "struct DoubleTable {\n"
         "  const char *name;\n"
         "  const double *coefficients;\n"
         "  const DoublePiece *pieces; ///< each piece's map, v = s·w − o\n"
         "  unsigned pieceCount;\n"
         "  unsigned degree;\n"
         "  double maxError; ///< relative, measured by gelu-fit\n"
         "};\n\n";
  rows.clear();
  for (const DoubleFit &fit : doubleFits) {
    // The correctly rounded kernel's rounding test assumes this bound
    // (DoubleFits.h); a quarter of it leaves room for the points between
    // the grid's.
    if (fit.name == "phi_cr_table" &&
        !(fit.maxError <= std::ldexp(0.25, -kPhiCrTableTestBits))) {
      std::fprintf(stderr,
                   "gelu-fit: phi_cr_table's error %.3e is more than a "
                   "quarter of 2^-%d, the bound the correctly rounded "
                   "kernel's rounding test assumes (DoubleFits.h)\n",
                   fit.maxError, kPhiCrTableTestBits);
      return 1;
    }
    std::printf("%-18s degree %u, %zu piece%s: max error %.3e  (%s)\n",
                fit.name.c_str(), fit.degree, fit.pieces.size(),
                fit.pieces.size() == 1 ? "" : "s", fit.maxError,
                fit.description.c_str());
    inc += "// " + fit.description + "\n";
    inc += "static constexpr double kDouble_" + fit.name + "[] = {";
    for (size_t i = 0; i < fit.coefficients.size(); ++i)
      inc += (i ? ", " : "") + hexFloat(fit.coefficients[i]);
    inc += "};\nstatic constexpr DoublePiece kDouble_" + fit.name +
           "_pieces[] = {";
    for (size_t i = 0; i < fit.pieces.size(); ++i)
      inc += (i ? ", {" : "{") + hexFloat(fit.pieces[i].scale) + ", " +
             hexFloat(fit.pieces[i].offset) + ", " +
             hexFloat(fit.pieces[i].low) + ", " + hexFloat(fit.pieces[i].high) +
             "}";
    inc += "};\n";
    rows += "    {\"" + fit.name + "\", kDouble_" + fit.name + ", kDouble_" +
            fit.name + "_pieces, " + std::to_string(fit.pieces.size()) + ", " +
            std::to_string(fit.degree) + ", " + hexFloat(fit.maxError) + "},\n";
  }
  inc += "\nstatic constexpr DoubleTable kDoubleTables[] = {\n" + rows + "};\n";
  // The kernels' pair for GELU''s zero (DoubleFits.h) must be it to about
  // 2^-106, or d = (x − hi) − lo near it is wrong.
  double rootError = geluDerivativeRootError();
  std::printf("GELU' zero as hi + lo: %.3e from MPFR's\n", rootError);
  if (!(rootError < 0x1p-100)) {
    std::fprintf(stderr,
                 "gelu-fit: kGeluDerivativeRootHi + kGeluDerivativeRootLo is "
                 "%.3e from the zero of GELU'; fix them in DoubleFits.h\n",
                 rootError);
    return 1;
  }
  if (!incPath)
    return 0;
  // An unchanged file is left as it is (its time too), so that the build
  // does not recompile what includes it when a refit gives the same tables.
  if (auto existing = llvm::MemoryBuffer::getFile(incPath, /*IsText=*/true);
      existing && (*existing)->getBuffer() == inc)
    return 0;
  if (llvm::Error err = gelu::writeOutputFile(incPath, inc)) {
    std::fprintf(stderr, "gelu-fit: %s\n",
                 llvm::toString(std::move(err)).c_str());
    return 1;
  }
  return 0;
}
