//===- Target.h - What a kernel is compiled for -----------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_TARGET_H
#define GELU_CODEGEN_TARGET_H

#include "gelu/Codegen/TargetNames.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <optional>
#include <string>

namespace gelu {

/// A concrete code-generation target.
struct TargetInfo {
  std::string triple;
  std::string cpu;
  /// LLVM feature string, e.g. "+avx2,+fma,-avx512f,...".
  std::string features;
  /// Widest vector register, in bits (128 SSE/NEON, 256 AVX2, 512 AVX-512).
  unsigned vectorBits = 128;
  /// A feature the target needs that this process's CPU lacks (empty when
  /// its code can run here): code can be emitted, not JIT-run.
  std::string missingHostFeature;
  /// Newton steps after a reciprocal estimate (the fast expansions' arcp
  /// divides): x86's rcp14 has 14 bits, one step gives 28; AArch64's
  /// frecpe has 8, two steps give 32.
  unsigned reciprocalSteps = 1;

  /// Whether the code is PTX for an NVIDIA GPU (GpuCodegen.h), not a CPU
  /// function.
  bool isGpu() const { return llvm::StringRef(triple).starts_with("nvptx"); }
};

/// Resolves a spec's target name: "host" is this process's CPU with its
/// real features (AVX-512 where present); "x86-64-v3"/"x86-64-v4" and the
/// x86 CPU names (TargetNames.h) are code for every CPU of that kind
/// (AVX-512 CPUs get 512-bit vectors, AVX2 ones 256-bit). CPUs without AVX2
/// and FMA are refused. "aarch64" is every ARMv8-A CPU with NEON (128-bit
/// vectors, FMA), for Linux. "nvptx-sm_XX" is PTX for that NVIDIA GPU
/// architecture.
llvm::Expected<TargetInfo> resolveTarget(llvm::StringRef name);

/// A pass option's target resolved: resolveTarget, its error without the
/// spec's field path (an option is not JSON the user wrote).
llvm::Expected<TargetInfo> resolvePassTarget(llvm::StringRef name);

/// What a target-dependent lowering pass lowers for: `given` (its
/// pipeline's target, already resolved), else its `target` option
/// (resolvePassTarget), else none (the portable lowering).
llvm::Expected<std::optional<TargetInfo>>
loweringTarget(const std::optional<TargetInfo> &given, llvm::StringRef option);

/// The first vector or arithmetic feature that x86 CPU (or level) `name`
/// has and `cpuFeatures` (as llvm::sys::getHostCPUFeatures reports them)
/// lacks, avx512f, avx2 and fma first; empty when it has them all.
std::string firstMissingFeature(llvm::StringRef name,
                                const llvm::StringMap<bool> &cpuFeatures);

/// Whether a spec's `vector_bits` (0: the target's widest) fits the target
/// it names (`targetName`): an error saying both widths otherwise.
llvm::Error checkVectorBits(unsigned vectorBits, const TargetInfo &target,
                            llvm::StringRef targetName);

/// An LLVM TargetMachine for `target`, generating code at -O3.
/// Whether code for `target` may use `feature` ("avx512f", "avx2", ...):
/// listed in its features, or implied by its x86 CPU name.
bool targetHasFeature(const TargetInfo &target, llvm::StringRef feature);

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetInfo &target);

} // namespace gelu

#endif // GELU_CODEGEN_TARGET_H
