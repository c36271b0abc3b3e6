//===- ir-fuzzer.cpp - libFuzzer target: IR through every act pass -------===//
//
// Part of gelu-jit.
//
// Any text goes to the MLIR parser in a kernel context (act, func, arith,
// math, vector, tensor, linalg, scf, LLVM). When it parses and verifies,
// it goes through every act pass: act-select-expansion (cost model, with a
// tuning cache in a temporary file so that repeated decisions are cheap),
// convert-act-to-arith, act-fuse-bias-gelu and then the whole
// act-lower-to-llvm pipeline. Passes
// may fail with diagnostics; nothing may crash. Where a pass succeeds, its
// result must hold (a failed property aborts, which libFuzzer reports as
// a crash): the module verifies; act-select-expansion run again changes
// nothing; convert-act-to-arith and the pipeline leave no act op; the
// pipeline's output is the LLVM dialect alone.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Pipelines.h"
#include "gelu/Conversion/Passes.h"
#include "gelu/Driver/Driver.h"
#include "gelu/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace {

/// Aborts, saying which property broke (libFuzzer keeps the input).
[[noreturn]] void broken(const char *property, mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  std::fprintf(stderr, "ir-fuzzer: property broken: %s\n%s\n", property,
               text.c_str());
  std::abort();
}

std::string printed(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  return text;
}

bool hasOpOfDialect(mlir::ModuleOp module, llvm::StringRef dialect) {
  bool found = false;
  module->walk([&](mlir::Operation *op) {
    if (op->getName().getDialectNamespace() == dialect)
      found = true;
  });
  return found;
}

/// Whether every op but the module itself is in the LLVM dialect.
bool onlyLLVM(mlir::ModuleOp module) {
  bool only = true;
  module->walk([&](mlir::Operation *op) {
    if (op != module.getOperation() &&
        op->getName().getDialectNamespace() !=
            mlir::LLVM::LLVMDialect::getDialectNamespace())
      only = false;
  });
  return only;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Inputs beyond a few KiB only make the parser slower.
  if (size > 4096)
    return 0;
  static const bool once = [] {
    std::string cache =
        "/tmp/gelu-ir-fuzzer-" + std::to_string(::getpid()) + "-tuning.json";
    ::setenv("GELU_JIT_TUNING_CACHE", cache.c_str(), 1);
    gelu::setExpansionDecider(gelu::tunerExpansionDecider());
    return true;
  }();
  (void)once;
  std::unique_ptr<mlir::MLIRContext> context = gelu::createKernelContext();
  mlir::ScopedDiagnosticHandler quiet(
      context.get(), [](mlir::Diagnostic &) { return mlir::success(); });
  // MLIR's lexer reads up to a terminating NUL (as files are loaded by
  // MemoryBuffer): the fuzzer's bytes are not terminated, a string is.
  std::string text(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, context.get());
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  // Each pass on its own copy, then the whole pipeline.
  {
    mlir::OwningOpRef<mlir::ModuleOp> copy = module->clone();
    mlir::PassManager pm(context.get());
    gelu::ActSelectExpansionOptions options;
    options.maxAbs = 1e-2;
    options.ranking = "cost_model";
    pm.addPass(gelu::createActSelectExpansion(options));
    if (mlir::succeeded(pm.run(*copy))) {
      if (mlir::failed(mlir::verify(*copy)))
        broken("act-select-expansion's output verifies", *copy);
      // Every op now names its expansion: a second run changes nothing.
      std::string once = printed(*copy);
      if (mlir::failed(pm.run(*copy)) || printed(*copy) != once)
        broken("act-select-expansion is idempotent", *copy);
    }
  }
  {
    mlir::OwningOpRef<mlir::ModuleOp> copy = module->clone();
    mlir::PassManager pm(context.get());
    pm.addPass(gelu::createConvertActToArith());
    if (mlir::succeeded(pm.run(*copy))) {
      if (mlir::failed(mlir::verify(*copy)))
        broken("convert-act-to-arith's output verifies", *copy);
      if (hasOpOfDialect(*copy, "act"))
        broken("convert-act-to-arith leaves no act op", *copy);
    }
  }
  // The fusion, then the pipeline on what it made.
  {
    mlir::PassManager pm(context.get());
    pm.addPass(gelu::createActFuseBiasGelu());
    if (mlir::succeeded(pm.run(*module)) && mlir::failed(mlir::verify(*module)))
      broken("act-fuse-bias-gelu's output verifies", *module);
  }
  if (llvm::Error err = gelu::lowerActToLLVM(*module)) {
    llvm::consumeError(std::move(err));
    return 0;
  }
  if (mlir::failed(mlir::verify(*module)))
    broken("act-lower-to-llvm's output verifies", *module);
  if (!onlyLLVM(*module))
    broken("act-lower-to-llvm leaves the LLVM dialect alone", *module);
  return 0;
}
