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
// may fail with diagnostics; nothing may crash.
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

#include <cstdlib>
#include <string>
#include <unistd.h>

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
    (void)pm.run(*copy);
  }
  {
    mlir::OwningOpRef<mlir::ModuleOp> copy = module->clone();
    mlir::PassManager pm(context.get());
    pm.addPass(gelu::createConvertActToArith());
    (void)pm.run(*copy);
  }
  // The fusion, then the pipeline on what it made.
  {
    mlir::PassManager pm(context.get());
    pm.addPass(gelu::createActFuseBiasGelu());
    (void)pm.run(*module);
  }
  (void)gelu::lowerActToLLVM(*module);
  return 0;
}
