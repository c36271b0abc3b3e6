//===- TargetNames.h - The targets a kernel may be compiled for -*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The names of the code generator's targets, in a library of their own
// (GeluTargetNames, LLVM only) so that the spec parser can check a spec's
// target without the code generator: the one part of Codegen the Spec may
// use (docs/architecture.md). Target.h resolves a name into a target.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_TARGETNAMES_H
#define GELU_CODEGEN_TARGETNAMES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace gelu {

/// The generic targets a spec may name: "host" (this CPU with its real
/// features), "x86-64-v3" (AVX2 + FMA, 8 f32 lanes), "x86-64-v4"
/// (AVX-512, 16) and "aarch64" (ARMv8-A NEON, 4).
llvm::ArrayRef<llvm::StringRef> targetNames();
/// Every 64-bit x86 CPU LLVM knows ("haswell", "znver4", ...), which a spec
/// may also name (those without FMA are refused when compiled).
llvm::ArrayRef<llvm::StringRef> x86CpuNames();
/// The NVIDIA GPU targets: "nvptx-sm_75" ... "nvptx-sm_120" (PTX).
llvm::ArrayRef<llvm::StringRef> nvptxTargetNames();
/// Whether a spec may name `name` as its target.
bool isKnownTarget(llvm::StringRef name);

} // namespace gelu

#endif // GELU_CODEGEN_TARGETNAMES_H
