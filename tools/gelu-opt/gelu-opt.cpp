//===- gelu-opt.cpp - The gelu-jit optimizer and compiler driver ---------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Two modes in one tool:
//  - mlir-opt style: `gelu-opt in.mlir -convert-act-to-arith ...`, with the
//    act dialect and every upstream dialect and pass registered;
//  - compiler driver: `gelu-opt --spec kernel.json --emit=obj -o k.o`, which
//    builds a kernel from a JSON spec and emits MLIR, LLVM IR, assembly or an
//    object file.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ActDialect.h"
#include "gelu/Driver/Driver.h"
#include "gelu/Support/Output.h"
#include "gelu/Transforms/Passes.h"
#include "gelu/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

// Named to sort first: --help lists categories alphabetically, upper case
// before lower, and the driver's options are the ones a newcomer needs.
static cl::OptionCategory driverCategory(
    "A spec to a kernel (the compiler driver: gelu-opt --spec FILE.json)");

static cl::opt<std::string>
    specFile("spec",
             cl::desc("Compile the kernel described by this JSON spec "
                      "instead of running passes on an MLIR input"),
             cl::value_desc("file.json"), cl::cat(driverCategory));

static cl::opt<gelu::EmitKind> emitKind(
    "emit",
    cl::desc("With --spec: what to write (default: obj, to -o FILE or "
             "stdout; never binary to a terminal)"),
    cl::values(clEnumValN(gelu::EmitKind::Mlir, "mlir",
                          "the kernel as act-level MLIR"),
               clEnumValN(gelu::EmitKind::LlvmDialect, "llvm-dialect",
                          "the kernel lowered to the LLVM dialect"),
               clEnumValN(gelu::EmitKind::LlvmIR, "llvm",
                          "optimised LLVM IR for the target"),
               clEnumValN(gelu::EmitKind::Assembly, "asm", "target assembly"),
               clEnumValN(gelu::EmitKind::Object, "obj",
                          "a relocatable object file (CPU targets)"),
               clEnumValN(gelu::EmitKind::Shared, "shared",
                          "a shared library of every kernel in the spec file "
                          "(linked with cc)"),
               clEnumValN(gelu::EmitKind::Header, "header",
                          "a C/C++ header declaring the spec file's kernels"),
               clEnumValN(gelu::EmitKind::Ptx, "ptx",
                          "PTX (nvptx-sm_XX targets)")),
    cl::init(gelu::EmitKind::Object), cl::cat(driverCategory));

static cl::opt<std::string> reportFile(
    "report",
    cl::desc("With --spec: write what was chosen and why (the tuning report: "
             "candidates, measured errors by region, speeds, cache use) as "
             "JSON to this file"),
    cl::value_desc("file.json"), cl::cat(driverCategory));

static cl::opt<std::string> headerFile(
    "header",
    cl::desc("With --spec: also write a C/C++ header declaring the kernels "
             "(their prototypes, ABIs and the specs they were built from)"),
    cl::value_desc("file.h"), cl::cat(driverCategory));

/// mlir-opt mode. As MlirOptMain(argc, argv, ...), but a failed write of
/// the output (a full disk) is an error naming the file and the reason, not
/// an abort when LLVM's stream is destroyed.
static int runPasses(int argc, char **argv, StringRef inputFilename,
                     StringRef outputFilename,
                     mlir::DialectRegistry &registry) {
  auto config = mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));
  std::string message;
  auto input = mlir::openInputFile(inputFilename, &message);
  if (!input) {
    WithColor::error(errs(), "gelu-opt") << message << "\n";
    return 1;
  }
  auto output = mlir::openOutputFile(outputFilename, &message);
  if (!output) {
    WithColor::error(errs(), "gelu-opt") << message << "\n";
    return 1;
  }
  bool ok = mlir::succeeded(
      mlir::MlirOptMain(output->os(), std::move(input), registry, config));
  if (Error err = gelu::finishOutput(output->os(), outputFilename)) {
    WithColor::error(errs(), "gelu-opt") << toString(std::move(err)) << "\n";
    return 1;
  }
  if (!ok)
    return 1;
  output->keep();
  return 0;
}

namespace {
/// A flag on the command line: "-name" or "--name", "=value" optional.
struct Flag {
  StringRef arg, name, value;
};
} // namespace

/// The flags before "--" (what follows it is not a flag).
static SmallVector<Flag> flagsOf(int argc, char **argv) {
  SmallVector<Flag> flags;
  for (int i = 1; i < argc; ++i) {
    StringRef arg(argv[i]), rest = arg;
    if (arg == "--")
      break;
    if (!rest.consume_front("-"))
      continue;
    rest.consume_front("-");
    auto [name, value] = rest.split('=');
    flags.push_back({arg, name, value});
  }
  return flags;
}

/// The first pass or pipeline named on the command line ("" if none): they
/// run on MLIR input, not on a spec.
static std::string firstPassArgument(ArrayRef<Flag> flags) {
  for (const Flag &flag : flags)
    if (flag.name == "pass-pipeline" || mlir::PassInfo::lookup(flag.name) ||
        mlir::PassPipelineInfo::lookup(flag.name))
      return flag.name.str();
  return "";
}

/// A pass argument whose options are separated by commas
/// (-p="a=1,b=2"), which MLIR reads as one option's value and then reports
/// with an empty "<unknown>:0: error:": the argument, or "" if none. (A
/// comma between numbers is a list value, domain=-3,3.)
static std::string commaSeparatedPassOptions(ArrayRef<Flag> flags) {
  for (const Flag &flag : flags) {
    StringRef options = flag.value;
    if (options.empty() || !mlir::PassInfo::lookup(flag.name))
      continue;
    for (size_t comma = options.find(','); comma != StringRef::npos;
         comma = options.find(',', comma + 1)) {
      StringRef next = options.drop_front(comma + 1).ltrim();
      StringRef key = next.take_while(
          [](char c) { return llvm::isAlnum(c) || c == '-' || c == '_'; });
      if (!key.empty() && llvm::isAlpha(key.front()) &&
          next.drop_front(key.size()).starts_with("="))
        return flag.arg.str();
    }
  }
  return "";
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<gelu::act::ActDialect>();
  mlir::registerAllPasses();
  gelu::registerActPassesAndTuner();

  gelu::setVersionPrinter();
  const SmallVector<Flag> flags = flagsOf(argc, argv);
  if (std::string arg = commaSeparatedPassOptions(flags); !arg.empty()) {
    WithColor::error(errs(), "gelu-opt")
        << "'" << arg
        << "': a pass's options are separated by spaces, not commas "
           "(-act-select-expansion=\"max-abs=1e-3 ranking=cost_model\")\n";
    return 1;
  }
  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv,
      "gelu-opt: gelu-jit's compiler driver and mlir-opt.\n\n"
      "  gelu-opt --spec k.json -o k.o     a kernel from a JSON spec "
      "(docs/spec.md):\n"
      "                                    --emit=obj (default), asm, "
      "llvm, mlir, ptx,\n"
      "                                    shared or header; --report "
      "says why\n"
      "  gelu-opt in.mlir -PASSES          passes on MLIR, as mlir-opt "
      "(act dialect:\n"
      "                                    -act-lower-to-llvm, "
      "-act-select-expansion, ...)\n\n"
      "The driver's options come first below; the rest are MLIR's and "
      "LLVM's.\n",
      registry);

  if (specFile.empty()) {
    // The driver's options mean nothing to the pass mode: an error, not
    // ignored.
    const cl::Option *driverOptions[] = {&emitKind, &reportFile, &headerFile};
    for (const cl::Option *option : driverOptions)
      if (option->getNumOccurrences()) {
        WithColor::error(errs(), "gelu-opt")
            << "--" << option->ArgStr
            << " applies to compiling a spec: give --spec FILE.json (without "
               "it, gelu-opt runs passes on MLIR and writes MLIR)\n";
        return 1;
      }
    if (StringRef(inputFilename).ends_with(".json")) {
      WithColor::error(errs(), "gelu-opt")
          << "'" << inputFilename
          << "' looks like a spec, not MLIR: did you mean --spec "
          << inputFilename << "?\n";
      return 1;
    }
    return runPasses(argc, argv, inputFilename, outputFilename, registry);
  }

  if (inputFilename != "-") {
    WithColor::error(errs(), "gelu-opt")
        << "--spec compiles a spec; do not also give an input file ('"
        << inputFilename << "')\n";
    return 1;
  }
  // Passes run on MLIR input: with --spec they would be ignored.
  if (std::string pass = firstPassArgument(flags); !pass.empty()) {
    WithColor::error(errs(), "gelu-opt")
        << "--" << pass
        << " names passes, which run on MLIR input; --spec compiles a spec "
           "(its budget and choices go in the spec file: docs/spec.md)\n";
    return 1;
  }
  // An object is binary: not onto a terminal, as clang refuses.
  if (emitKind == gelu::EmitKind::Object && outputFilename == "-" &&
      sys::Process::StandardOutIsDisplayed()) {
    WithColor::error(errs(), "gelu-opt")
        << "--emit=obj (the default) writes a binary object, not for a "
           "terminal: name the file with -o FILE, or give --emit=asm, "
           "--emit=llvm or --emit=mlir to read the kernel\n";
    return 1;
  }
  if (Error err = gelu::compileSpecFileTo(specFile, emitKind, outputFilename,
                                          reportFile, headerFile)) {
    WithColor::error(errs(), "gelu-opt") << toString(std::move(err)) << "\n";
    return 1;
  }
  return 0;
}
