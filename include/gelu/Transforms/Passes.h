//===- Passes.h - Transformation passes of gelu-jit -------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_TRANSFORMS_PASSES_H
#define GELU_TRANSFORMS_PASSES_H

#include "gelu/Dialect/Act/IR/ActDialect.h"
#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Spec/Spec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

#include <functional>

namespace gelu {

#define GEN_PASS_DECL
#include "gelu/Transforms/Passes.h.inc"

/// Adds the pattern that rewrites act.gelu of a single-use arith.addf into
/// act.bias_gelu (act-fuse-bias-gelu).
void populateActFusionPatterns(mlir::RewritePatternSet &patterns);

/// Adds the patterns of act-raise-activations: GELU and SiLU spelled in
/// arith/math (as frameworks emit them) raised to act ops; constants are
/// matched within the relative `tolerance`.
void populateActRaiseActivationsPatterns(mlir::RewritePatternSet &patterns,
                                         double tolerance = 0x1p-7);

/// An expansion and its degree (0: fixed).
struct ExpansionChoice {
  act::Expansion expansion;
  unsigned degree = 0;
};

/// What act-select-expansion asks when an op's spec leaves a choice (a
/// budget, or "most_accurate"): the expansion that meets it, or why none
/// does. gelu-jit's is the JIT's tuner (gelu::tunerExpansionDecider() in
/// gelu/Driver/Driver.h), which compiles and measures; the pass itself
/// links no JIT.
using ExpansionDecider =
    std::function<llvm::Expected<ExpansionChoice>(const KernelSpec &)>;

/// Sets the decider that act-select-expansion passes use from now on (one
/// for the process; gelu-opt sets the tuner's). Without one, an op whose
/// spec leaves a choice is an error that says so.
void setExpansionDecider(ExpansionDecider decider);

#define GEN_PASS_REGISTRATION
#include "gelu/Transforms/Passes.h.inc"

} // namespace gelu

#endif // GELU_TRANSFORMS_PASSES_H
