//===- Lookups.h - act.lookup for each target -------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// How `act.lookup` (table[index mod N]) becomes instructions: the
// act-lower-lookups pass (Passes.td) and its patterns.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_LOOKUPS_H
#define GELU_CODEGEN_LOOKUPS_H

#include "gelu/Codegen/Target.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace gelu {

/// What a vector lookup is made of.
enum class LookupInstructions {
  /// A tree of selects on the index bits (any target).
  Selects,
  /// vpermps / vpermi2ps on 16 f32 lanes, vpermpd / vpermi2pd on 8 f64
  /// lanes, or on half as many for a vector that does not fill 512-bit
  /// registers (x86-64 with AVX-512F and AVX-512VL).
  Avx512,
  /// vpermps on 8 f32 lanes, or on the halves of 4 f64 lanes (x86-64 with
  /// AVX2, or AVX-512 without VL).
  Avx2,
  /// tbl on 4 f32 or 2 f64 lanes, 16 or 8 entries from four registers
  /// (AArch64 NEON).
  Neon,
};

/// The best `target` has.
LookupInstructions lookupInstructionsFor(const TargetInfo &target);

/// act.lookup on scalars (a load from a constant array) and on vectors
/// (with `instructions` where the lanes fill whole registers, selects
/// elsewhere).
void populateLowerLookupsPatterns(mlir::RewritePatternSet &patterns,
                                  LookupInstructions instructions);

/// act-lower-lookups for an already resolved target.
std::unique_ptr<mlir::Pass> createLowerLookupsPass(const TargetInfo &target);

} // namespace gelu

#endif // GELU_CODEGEN_LOOKUPS_H
