//===- BF16Rounding.h - f32 to bf16 rounding for each target ----*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// How `arith.truncf` from f32 to bf16 becomes instructions: the
// act-lower-bf16-rounding pass (Passes.td) and its patterns.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_BF16ROUNDING_H
#define GELU_CODEGEN_BF16ROUNDING_H

#include "gelu/Codegen/Target.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace gelu {

/// Whether `target` rounds f32 to bf16 in one instruction that LLVM selects
/// for `fptrunc` (x86-64 with AVX512-BF16, -VL and -DQ: vcvtneps2bf16, and
/// vfpclassps to find the subnormal lanes it would flush).
bool hasNativeBF16Rounding(const TargetInfo &target);

/// Rewrites arith.truncf from f32 to bf16: kept, with the vectors holding a
/// subnormal value rounded in integer arithmetic, where `native`; in integer
/// arithmetic otherwise.
void populateLowerBF16RoundingPatterns(mlir::RewritePatternSet &patterns,
                                       bool native);

/// act-lower-bf16-rounding for an already resolved target.
std::unique_ptr<mlir::Pass>
createLowerBF16RoundingPass(const TargetInfo &target);

} // namespace gelu

#endif // GELU_CODEGEN_BF16ROUNDING_H
