//===- Driver.h - Compile a spec to a file ----------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DRIVER_DRIVER_H
#define GELU_DRIVER_DRIVER_H

#include "gelu/JIT/Tuner.h"
#include "gelu/Spec/Spec.h"
#include "gelu/Transforms/Passes.h"

#include "llvm/Support/raw_ostream.h"

namespace gelu {

/// What the driver writes.
enum class EmitKind {
  Mlir,        ///< the kernel with act ops, before lowering
  LlvmDialect, ///< the kernel in the LLVM dialect
  LlvmIR,      ///< optimised LLVM IR
  Assembly,    ///< target assembly (PTX for GPU targets)
  Object,      ///< a relocatable object file (CPU targets)
  Ptx,         ///< PTX (GPU targets)
  Shared,      ///< a shared library (CPU targets; linked with cc)
  Header,      ///< a C/C++ header declaring the kernels (CPU targets)
};

/// Compiles `spec` and writes the requested form to `os`. A spec with a
/// budget or the objective "most_accurate" is tuned first (Tuner.h): the
/// choice it makes is the one emitted. `report`, if not null, receives the
/// tuning report (for a spec without choices, its measured error and speed
/// where this CPU runs the target).
llvm::Error compileSpec(const KernelSpec &spec, EmitKind kind,
                        llvm::raw_pwrite_stream &os,
                        TuningReport *report = nullptr);

/// Reads the spec file at `specPath` (one spec object, or a list of them:
/// the kernels of one library, all for one CPU target) and writes the
/// requested form of all its kernels to `outputPath` ("-" for stdout; a
/// shared library needs a file), the tuning report as JSON to `reportPath`
/// when it is not empty (a list of reports for a list of kernels), and a C
/// header declaring the kernels to `headerPath` when it is not empty. No
/// file is left behind on failure.
llvm::Error compileSpecFileTo(llvm::StringRef specPath, EmitKind kind,
                              llvm::StringRef outputPath,
                              llvm::StringRef reportPath = "",
                              llvm::StringRef headerPath = "");

/// act-select-expansion's decider that tunes: the JIT's tuner (tuneSpec),
/// which measures candidates on this CPU or ranks them by the cost model.
ExpansionDecider tunerExpansionDecider();

/// Registers every gelu-jit pass and pipeline (conversion, transforms, the
/// act lowering pipelines) and sets the tuner as act-select-expansion's
/// decider: what gelu-opt and the mlir-opt pass plugin offer.
void registerActPassesAndTuner();

} // namespace gelu

#endif // GELU_DRIVER_DRIVER_H
